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
from pipeline.base.messages import mail as M
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
@click.option(
    "--db",
    envvar="DTI_DB",
    help="The store: a SQLite file or postgresql://user@host/db (or DTI_DB). Default: dti.sqlite beside the outputs.",
)
@click.version_option(__version__, prog_name="dti")
def main(schemas: Path | None, db: str | None) -> None:
    """DTI reporting: templates, validation, scoring and the province's workbook."""


def _db(ctx: click.Context) -> str | None:
    value = ctx.find_root().params.get("db")
    return str(value) if value else None


def _store_error(exc: Exception) -> click.ClickException:
    return click.ClickException(str(getattr(exc, "message", exc)))


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
    help="Folder to write the returns to (a season: one folder per period inside it).",
)
@click.option(
    "--season",
    is_flag=True,
    help="The months of PERIOD's quarter and the quarter (and the year), as a season.",
)
@click.option(
    "--report",
    "report_to",
    type=click.Path(file_okay=False, path_type=Path),
    help="Then run the report of every period of the season into this folder, with a store of its own there.",
)
@click.pass_context
def demo(ctx: click.Context, period: Period, out: Path, season: bool, report_to: Path | None) -> None:
    """Write a deterministic set of filled sample returns (with typical mistakes) for PERIOD."""
    from pipeline.demo import write_demo, write_season

    cat = _load(ctx)
    if not season:
        result = write_demo(cat, period, out)
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
        return
    written = write_season(cat, period, out)
    click.echo(
        T.CLI_SEASON_WRITTEN.format(
            periods=", ".join(p.id for p in written.periods),
            folder=out,
            count=sum(len(r.files) for r in written.results),
        )
    )
    if report_to is not None:
        for p in written.periods:
            click.echo(T.CLI_SEASON_PERIOD.format(period=p.label))
            _report(ctx, cat, p, out / p.id, report_to, _db(ctx))


@main.command()
@period_option
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path), help="Default: inbox/<PERIOD>/.")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output"), show_default=True
)
@click.pass_context
def report(ctx: click.Context, period: Period, inbox: Path | None, out: Path) -> None:
    """Run the whole pipeline for PERIOD: read, validate, merge, score, write output/<PERIOD>/ (output/demo/<PERIOD>/ for the demo's sample returns)."""
    cat = _load(ctx)
    inbox = inbox or Path("inbox") / period.id
    if not inbox.is_dir():
        raise click.BadParameter(T.CLI_NO_INBOX.format(inbox=inbox), param_hint="--inbox")
    _report(ctx, cat, period, inbox, out, _db(ctx))


def _report(
    ctx: click.Context, cat: Catalogue, period: Period, inbox: Path, out: Path, db: str | None
) -> None:
    from pipeline.intake import discover
    from pipeline.run import run_report
    from pipeline.store import StoreError

    n = len(discover(inbox))
    try:
        result = run_report(cat, period, inbox, out, progress=_progress(T.CLI_READING, n), db=db)
    except StoreError as exc:
        raise _store_error(exc) from exc
    if result.store_note:
        click.echo(result.store_note)
    words = T.CLI_STATUS_WORDS
    statuses = ", ".join(f"{words.get(k, k)} {v}" for k, v in result.status_counts.items())
    click.echo(T.CLI_RUN_FILES.format(period=period.id, count=result.files, inbox=inbox, statuses=statuses))
    click.echo(T.CLI_RUN_ISSUES.format(errors=result.errors, warnings=result.warnings))
    click.echo(T.CLI_RUN_NARRATIVE.format(path=result.narrative))
    click.echo(T.CLI_RUN_WORKBOOK.format(path=result.workbook))
    click.echo(T.CLI_RUN_CSV.format(folder=result.out_dir / "data", count=len(result.csvs)))
    click.echo(T.CLI_RUN_FEEDBACK.format(folder=result.out_dir / "phan_hoi", count=len(result.feedback)))
    click.echo(
        M.RECEIVED_ORIGINS.format(
            listed=result.received_listed,
            mailed=result.received_mailed,
            file_times=result.received_file_times,
        )
    )
    if result.received_file_times:
        click.secho(
            M.FILE_TIMES_LOUD.format(count=result.received_file_times, inbox=inbox),
            err=True,
            fg="yellow",
            bold=True,
        )
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


@main.group()
def store() -> None:
    """The store of every run: check it, export it, import it (--db or DTI_DB names it)."""


def _open(ctx: click.Context, out: Path) -> Any:
    from pipeline.run import STORE_FILE
    from pipeline.store import StoreError, open_store

    try:
        return open_store(_db(ctx), default_path=out / STORE_FILE)
    except StoreError as exc:
        raise _store_error(exc) from exc


_out_option = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="The outputs' folder, whose dti.sqlite is the store when --db is not given.",
)


@store.command("check")
@_out_option
@click.pass_context
def store_check(ctx: click.Context, out: Path) -> None:
    """Print the store's schema version, its integrity and its rows per table."""
    with _open(ctx, out) as db:
        for line in db.check().lines():
            click.echo(line)


@store.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_out_option
@click.pass_context
def store_export(ctx: click.Context, folder: Path, out: Path) -> None:
    """Write the store to FOLDER: one CSV per table and manifest.json (a backup, or a move)."""
    from pipeline.store import StoreError

    with _open(ctx, out) as db:
        try:
            manifest = db.export(folder)
        except StoreError as exc:
            raise _store_error(exc) from exc
    rows = sum(int(t.get("rows", 0)) for t in manifest.get("tables", {}).values())
    click.echo(T.CLI_STORE_EXPORTED.format(folder=folder, tables=len(manifest.get("tables", {})), rows=rows))


@store.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_out_option
@click.pass_context
def store_import(ctx: click.Context, folder: Path, out: Path) -> None:
    """Load an export from FOLDER into an empty store (SQLite or PostgreSQL)."""
    from pipeline.store import StoreError

    with _open(ctx, out) as db:
        try:
            counts = db.import_(folder)
        except StoreError as exc:
            raise _store_error(exc) from exc
    click.echo(T.CLI_STORE_IMPORTED.format(folder=folder, tables=len(counts), rows=sum(counts.values())))


# the units' channel (upload page, links, reminders): its commands live beside, registered here
from pipeline.cli import channel as _channel  # noqa: E402, F401
