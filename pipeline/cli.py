"""The ``dti`` command: parse options, call the library, render the result. No logic here.

Exit codes: 0 clean, 1 invalid data, 2 usage.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from pipeline import __version__
from pipeline.catalogue import APPENDICES, PILLARS, Catalogue, CatalogueError, load_catalogue
from pipeline.periods import Period, PeriodError, parse_period

F = TypeVar("F", bound=Callable[..., Any])


def _load(ctx: click.Context) -> Catalogue:
    """The catalogue of ``--schemas``; a broken one is a usage problem (exit 1 with the list)."""
    root = ctx.find_root().params.get("schemas")
    try:
        return load_catalogue(root)
    except CatalogueError as exc:
        click.echo("Danh mục (schemas) có lỗi:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        ctx.exit(1)
        raise  # unreachable: ctx.exit raises


def _period(ctx: click.Context, _param: click.Parameter, value: str | None) -> Period | None:
    if value is None:
        return None
    try:
        return parse_period(value)
    except PeriodError as exc:
        raise click.BadParameter(str(exc)) from exc


def period_option(func: F) -> F:
    return click.option(
        "--period", "-p", required=True, callback=_period, help="Period: 2023-10 (month), 2023-Q4, 2023."
    )(func)


def _progress(label: str, total: int) -> Callable[[Iterable[Any]], Iterable[Any]]:
    """A progress bar on a terminal when there is more than a handful of items."""

    def wrap(items: Iterable[Any]) -> Iterable[Any]:
        if total < 5 or not sys.stderr.isatty():
            yield from items
            return
        with click.progressbar(items, length=total, label=label, file=sys.stderr) as bar:
            yield from bar

    return wrap


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--schemas",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="DTI_SCHEMAS",
    help="Folder of reference data (units, tasks, indicators, calendar, locality). Default: the project's schemas/.",
)
@click.version_option(__version__, prog_name="dti")
def main(schemas: Path | None) -> None:
    """DTI reporting: templates, validation, scoring and the province's workbook."""


@main.group()
def catalogue() -> None:
    """Reference data in schemas/."""


@catalogue.command("check")
@click.pass_context
def catalogue_check(ctx: click.Context) -> None:
    """Validate units, tasks, indicators, calendar and locality; print a summary and the anomalies."""
    cat = _load(ctx)
    tasks, assignments = cat.tasks, cat.assignments
    click.echo(f"Danh mục: {cat.root} (phiên bản {cat.version})")
    loc = cat.locality
    email, phone = cat.receiver_contact
    contact = "; ".join(x for x in (email, phone) if x) or "chưa có email, điện thoại trong units.csv"
    click.echo(f"Địa phương: {loc.name} ({loc.title})")
    click.echo(f"Nơi nhận báo cáo: {loc.short_name} (qua {cat.receiver_name}, mã {loc.receiver}; {contact})")
    kinds = cat.units["kind"].value_counts()
    click.echo(
        f"Đơn vị: {len(cat.units)} ("
        + ", ".join(f"{k} {kinds.get(k, 0)}" for k in ("department", "agency", "ward", "commune"))
        + ")"
    )
    per_app = tasks["appendix"].value_counts()
    click.echo(f"Nhiệm vụ: {len(tasks)} (" + " / ".join(f"{a} {per_app.get(a, 0)}" for a in APPENDICES) + ")")
    click.echo("Nhiệm vụ theo trụ cột:")
    table = tasks.groupby(["pillar", "appendix"]).size().unstack(fill_value=0)
    for pillar in PILLARS:
        if pillar in table.index:
            row = table.loc[pillar]
            counts = "  ".join(f"{a} {int(row.get(a, 0)):>2}" for a in APPENDICES)
            click.echo(f"  {pillar:<5} {PILLARS[pillar]:<28} {counts}")
    per_task = assignments.groupby("task_id").size()
    click.echo(
        f"Đơn vị báo cáo mỗi nhiệm vụ: ít nhất {per_task.min()}, nhiều nhất {per_task.max()}, "
        f"trung bình {per_task.mean():.1f}; tổng {len(assignments)} phân công"
    )
    per_unit = assignments.groupby("unit_code").size().reindex(cat.units.index, fill_value=0)
    click.echo("Số nhiệm vụ mỗi đơn vị:")
    for code, n in per_unit.items():
        click.echo(f"  {code:<16} {n:>3}  {cat.unit_name(str(code))}")
    click.echo(f"Chỉ số (Phụ lục 04): {len(cat.indicators)}")
    for ind in cat.indicators:
        fields = ", ".join(f.id for f in ind.fields)
        click.echo(
            f"  {ind.id:<5} tối đa {ind.max_score:g} điểm, {len(ind.responsible)} đơn vị, "
            f"trường {fields}, quy tắc {ind.rule.kind}: {ind.name}"
        )
    if cat.anomalies:
        click.echo(f"Điểm bất thường trong văn bản gốc ({len(cat.anomalies)}):")
        for anomaly in cat.anomalies:
            click.echo(f"  ! {anomaly}")
    click.echo("Danh mục hợp lệ.")


@main.command()
@period_option
@click.option("--unit", "-u", "units", multiple=True, help="Only this unit code (repeatable).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("input_templates"),
    show_default=True,
)
@click.pass_context
def templates(ctx: click.Context, period: Period, units: tuple[str, ...], out: Path) -> None:
    """Write the workbook each unit fills for PERIOD."""
    from pipeline.templates import write_templates

    cat = _load(ctx)
    unknown = [u for u in units if not cat.has_unit(u)]
    if unknown:
        raise click.BadParameter(
            f"không có đơn vị mã {', '.join(unknown)} trong danh mục (units.csv). "
            f"Các mã hợp lệ: {', '.join(cat.units.index)}",
            param_hint="--unit",
        )
    codes = list(units) or list(cat.expected_units(period))
    paths = write_templates(cat, period, out, codes, progress=_progress("Đang viết mẫu", len(codes)))
    with_ind = sum("indicators" in cat.sheets_for(code, period) for code in codes)
    click.echo(
        f"Đã viết {len(paths)} mẫu báo cáo kỳ {period.id} vào {out / period.id}/ "
        f"({with_ind} mẫu có trang Chỉ số)."
    )


@main.command()
@period_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the returns to.",
)
@click.pass_context
def demo(ctx: click.Context, period: Period, out: Path) -> None:
    """Write a deterministic set of filled sample returns (with typical mistakes) for PERIOD."""
    from pipeline.demo import write_demo

    cat = _load(ctx)
    result = write_demo(cat, period, out)
    click.echo(
        f"Đã viết {len(result.files)} báo cáo mẫu kỳ {period.id} vào {out}/ "
        f"(chưa nộp: {result.missing}; nộp muộn: {result.late}; nộp hai lần: {result.twice})."
    )


@main.command()
@period_option
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path), help="Default: inbox/<PERIOD>/.")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True
)
@click.pass_context
def report(ctx: click.Context, period: Period, inbox: Path | None, out: Path) -> None:
    """Run the whole pipeline for PERIOD: read, validate, merge, score, write output/<PERIOD>/."""
    from pipeline.run import run_report

    cat = _load(ctx)
    inbox = inbox or Path("inbox") / period.id
    if not inbox.is_dir():
        raise click.BadParameter(
            f"không có thư mục {inbox}/: hãy đặt các tệp báo cáo của kỳ vào đó hoặc chỉ rõ --inbox",
            param_hint="--inbox",
        )
    from pipeline.intake import discover

    n = len(discover(inbox))
    result = run_report(cat, period, inbox, out, progress=_progress("Đang đọc báo cáo", n))
    labels = {
        "on_time": "đúng hạn",
        "late": "nộp muộn",
        "missing": "chưa nộp",
        "rejected": "bị từ chối",
        "superseded": "đã thay thế",
    }
    counts = ", ".join(f"{labels.get(k, k)} {v}" for k, v in result.status_counts.items())
    click.echo(f"Kỳ {period.id}: {result.files} tệp trong {inbox}/ — {counts}.")
    click.echo(f"Lỗi dữ liệu: {result.errors} lỗi, {result.warnings} cảnh báo.")
    click.echo(f"Báo cáo tổng hợp: {result.workbook}")
    click.echo(f"Dữ liệu CSV: {result.out_dir / 'data'}/ ({len(result.csvs)} tệp)")
    click.echo(f"Phản hồi cho đơn vị: {result.out_dir / 'phan_hoi'}/ ({len(result.feedback)} tệp)")


@main.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--period", "-p", callback=_period, help="Period to check against (default: each file's own).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], period: Period | None, fmt: str) -> None:
    """Check returned files and print every issue; exit 0 when no error, 1 otherwise."""
    from pipeline.checkfiles import validate_files

    cat = _load(ctx)
    report_ = validate_files(cat, list(files), period)
    if fmt == "json":
        click.echo(report_.to_json())
    elif fmt == "csv":
        click.echo(report_.to_csv(), nl=False)
    else:
        click.echo(report_.to_table())
    ctx.exit(0 if report_.valid else 1)
