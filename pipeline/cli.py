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
from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period, PeriodError, parse_period
from pipeline.catalogue import Catalogue, CatalogueError, load_catalogue

F = TypeVar("F", bound=Callable[..., Any])


def _load(ctx: click.Context) -> Catalogue:
    """The catalogue of ``--schemas``; a broken one is a usage problem (exit 1 with the list)."""
    root = ctx.find_root().params.get("schemas")
    try:
        return load_catalogue(root)
    except CatalogueError as exc:
        click.echo(T.CHECK_BROKEN, err=True)
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
    help="Folder of reference data (units, tasks, indicators, calendar, locality, vocabulary). Default: the project's schemas/.",
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
    """Validate units, tasks, indicators, calendar, locality and vocabulary; print a summary and the anomalies."""
    from pipeline.catalogue.summary import summary_lines

    for line in summary_lines(_load(ctx)):
        click.echo(line)


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
    from pipeline.outputs.templates import write_templates

    cat = _load(ctx)
    unknown = [u for u in units if not cat.has_unit(u)]
    if unknown:
        raise click.BadParameter(
            T.CLI_UNKNOWN_UNITS.format(codes=", ".join(unknown), valid=", ".join(cat.units.index)),
            param_hint="--unit",
        )
    codes = list(units) or list(cat.expected_units(period))
    paths = write_templates(cat, period, out, codes, progress=_progress(T.CLI_WRITING_TEMPLATES, len(codes)))
    with_ind = sum("indicators" in cat.sheets_for(code, period) for code in codes)
    click.echo(
        T.CLI_TEMPLATES_WRITTEN.format(
            count=len(paths), period=period.id, folder=out / period.id, with_indicators=with_ind
        )
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

    result = write_demo(_load(ctx), period, out)
    click.echo(
        T.CLI_DEMO_WRITTEN.format(
            count=len(result.files),
            period=period.id,
            folder=out,
            missing=result.missing,
            late=result.late,
            twice=result.twice,
        )
    )


@main.command()
@period_option
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path), help="Default: inbox/<PERIOD>/.")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True
)
@click.pass_context
def report(ctx: click.Context, period: Period, inbox: Path | None, out: Path) -> None:
    """Run the whole pipeline for PERIOD: read, validate, merge, score, write output/<PERIOD>/ (output/demo/<PERIOD>/ for the demo's sample returns)."""
    from pipeline.intake import discover
    from pipeline.run import run_report

    cat = _load(ctx)
    inbox = inbox or Path("inbox") / period.id
    if not inbox.is_dir():
        raise click.BadParameter(T.CLI_NO_INBOX.format(inbox=inbox), param_hint="--inbox")
    n = len(discover(inbox))
    result = run_report(cat, period, inbox, out, progress=_progress(T.CLI_READING, n))
    words = T.CLI_STATUS_WORDS
    statuses = ", ".join(f"{words.get(k, k)} {v}" for k, v in result.status_counts.items())
    click.echo(T.CLI_RUN_FILES.format(period=period.id, count=result.files, inbox=inbox, statuses=statuses))
    click.echo(T.CLI_RUN_ISSUES.format(errors=result.errors, warnings=result.warnings))
    click.echo(T.CLI_RUN_NARRATIVE.format(path=result.narrative))
    click.echo(T.CLI_RUN_WORKBOOK.format(path=result.workbook))
    click.echo(T.CLI_RUN_CSV.format(folder=result.out_dir / "data", count=len(result.csvs)))
    click.echo(T.CLI_RUN_FEEDBACK.format(folder=result.out_dir / "phan_hoi", count=len(result.feedback)))
    if result.sample:
        click.echo(T.CLI_RUN_SAMPLE.format(mark=V.SAMPLE_MARK, inbox=inbox, folder=result.out_dir), err=True)


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
    from pipeline.rules.files import validate_files

    report_ = validate_files(_load(ctx), list(files), period)
    if fmt == "json":
        click.echo(report_.to_json())
    elif fmt == "csv":
        click.echo(report_.to_csv(), nl=False)
    else:
        click.echo(report_.to_table())
    ctx.exit(0 if report_.valid else 1)
