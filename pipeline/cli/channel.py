"""The units' channel: `dti remind`, `dti serve` and `dti links`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pipeline.base import vocabulary as V
from pipeline.base.messages import mail as M
from pipeline.base.periods import Period
from pipeline.cli import _db, _load, _open, _out_option, _period, _store_error, main, period_option


@main.command()
@period_option
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day the reminders are for (YYYY-MM-DD; default today): days left or overdue count from it.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the drafts, zalo.txt and tom_tat.csv. Default: <outputs>/nhac_nop/<PERIOD>/<DATE>/.",
)
@click.option(
    "--links",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The CSV of `dti links` (unit_code,unit_name,url,message): each unit's upload link goes in its reminder.",
)
@click.option(
    "--outputs",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="The reports' folder: its dti.sqlite is the store when --db is not given, <PERIOD>/phan_hoi/ the feedback files.",
)
@click.option(
    "--templates",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("input_templates"),
    show_default=True,
    help="Where `dti templates` wrote the templates (a unit's is written afresh when it is not there).",
)
@click.pass_context
def remind(
    ctx: click.Context,
    period: Period,
    on: Any,
    out: Path | None,
    links: Path | None,
    outputs: Path,
    templates: Path,
) -> None:
    """Reminder drafts (.eml, X-Unsent) and Zalo messages for the units that have not sent PERIOD's return or whose return still has errors; each logged, none repeated the same day."""
    from pipeline.runner.remind import BadLinks, NoReport
    from pipeline.runner.remind import remind as run_remind
    from pipeline.store import StoreError

    cat = _load(ctx)
    day = on.date() if on is not None else None
    with _open(ctx, outputs) as db:
        try:
            result = run_remind(
                cat, period, db, on=day, outputs=outputs, out=out, links=links, templates=templates
            )
        except NoReport:
            raise click.ClickException(
                M.CLI_NO_REPORT.format(store=db.location.shown, period=period.id)
            ) from None
        except BadLinks as exc:
            raise click.BadParameter(
                M.CLI_BAD_LINKS.format(path=links, reason=exc), param_hint="--links"
            ) from exc
        except StoreError as exc:
            raise _store_error(exc) from exc
        shown = db.location.shown

    click.echo(
        M.CLI_BASED_ON.format(period=period.id, when=V.day_time(result.based_on.to_pydatetime()), store=shown)
    )
    if not result.dues:
        click.echo(M.CLI_NOBODY.format(period=period.id))
        return
    new = result.new
    if not new:
        click.echo(M.CLI_NOTHING_NEW.format(count=len(result.dues), on=V.day(result.on)))
        return
    from pipeline.outputs.remind import ERRORS, MISSING, reason

    click.echo(
        M.CLI_WRITTEN.format(
            drafts=len(result.written.drafts),
            zalo=result.written.messages,
            folder=result.folder,
            missing=sum(d.reason == MISSING for d in new),
            errors=sum(d.reason == ERRORS for d in new),
        )
    )
    for due in new:
        click.echo(f"  - {due.name}: {reason(due)}")
    if result.no_email:
        names = "; ".join(d.name for d in result.no_email)
        click.secho(M.CLI_NO_EMAIL.format(count=len(result.no_email), units=names), err=True, fg="yellow")
    already = len(result.dues) - len(new)
    if already:
        click.echo(M.CLI_ALREADY.format(count=already))
    if result.written.summary is not None:
        click.echo(M.CLI_SUMMARY.format(path=result.written.summary))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--inbox",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("inbox"),
    show_default=True,
    help="The inbox root: uploads of a period land in <inbox>/<PERIOD>/web/ (as `dti report --inbox` reads it).",
)
@_out_option
@click.option(
    "--max-upload-mb", default=20, show_default=True, type=int, help="Largest file a unit may upload."
)
@click.option(
    "--workers", default=2, show_default=True, type=int, help="Processes that guard and read uploads."
)
@click.option(
    "--worker-memory-mb", default=2048, show_default=True, type=int, help="Address-space cap of each of them."
)
@click.option("--threads", default=8, show_default=True, type=int, help="Requests served at once.")
@click.option(
    "--rate-limit", default=120, show_default=True, type=int, help="Requests per minute per link (0: none)."
)
@click.option(
    "--secure-cookie", is_flag=True, help="Send the session cookie over HTTPS only (behind a TLS proxy)."
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    inbox: Path,
    out: Path,
    max_upload_mb: int,
    workers: int,
    worker_memory_mb: int,
    threads: int,
    rate_limit: int,
    secure_cookie: bool,
) -> None:
    """Run the units' upload page and the analyst's page (send the links of `dti links`)."""
    from pipeline.base.messages import web as W
    from pipeline.store import StoreError
    from pipeline.web.serve import access_logging, make_server, make_site

    cat = _load(ctx)
    try:
        site = make_site(
            cat,
            inbox,
            out,
            _db(ctx),
            max_upload=max_upload_mb * 1024 * 1024,
            workers=workers,
            memory_mb=worker_memory_mb,
        )
    except StoreError as exc:
        raise _store_error(exc) from exc
    if site.store.note:
        click.echo(site.store.note)
    access_logging()
    server = make_server(
        site, host, port, threads=threads, rate_limit=rate_limit, secure_cookie=secure_cookie
    )
    site.pool.warm()
    click.echo(
        W.SERVE_STARTED.format(
            host=host, port=server.effective_port, store=site.store.location.shown, inbox=inbox
        ),
        err=True,
    )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        site.pool.close()
        site.store.close()


@main.command()
@click.option("--period", "-p", callback=_period, help="Period of the links: 2023-10, 2023-Q4, 2023.")
@click.option(
    "--base-url", default="http://127.0.0.1:8000", show_default=True, help="Where `dti serve` is reached."
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE: .csv, or .xlsx (a sheet for people, and the same .csv beside it). Default: CSV on stdout.",
)
@click.option("--unit", "-u", "units", multiple=True, help="Only this unit's link (repeatable).")
@click.option("--revoke", "revoke_unit", metavar="UNIT", help="Revoke UNIT's links (of --period, else all).")
@click.option("--analyst", is_flag=True, help="Issue the analyst's link (the earlier one revoked).")
@click.option("--revoke-analyst", is_flag=True, help="Revoke the analyst's link.")
@click.option(
    "--outputs",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="The outputs' folder, whose dti.sqlite is the store when --db is not given.",
)
@click.pass_context
def links(
    ctx: click.Context,
    period: Period | None,
    base_url: str,
    out_file: Path | None,
    units: tuple[str, ...],
    revoke_unit: str | None,
    analyst: bool,
    revoke_analyst: bool,
    outputs: Path,
) -> None:
    """Issue each expected unit's private link of PERIOD and a ready message to send it (CSV: unit_code,unit_name,url,message)."""
    from pipeline.base.messages import web as W
    from pipeline.web import links as L

    cat = _load(ctx)
    with _open(ctx, outputs) as db:
        if revoke_unit or revoke_analyst:
            if revoke_unit and not cat.has_unit(revoke_unit):
                raise click.BadParameter(W.LINKS_UNKNOWN_UNIT.format(code=revoke_unit), param_hint="--revoke")
            count = L.revoke(db, cat, unit_code=revoke_unit, period=period)
            who = cat.unit_name(revoke_unit) if revoke_unit else W.LINKS_ANALYST_WHO
            click.echo(W.LINKS_REVOKED.format(count=count, who=who), err=True)
            return
        if analyst:
            issued = [L.issue_analyst_link(db, cat, period, base_url)]
            replaced = 0
        else:
            if period is None:
                raise click.BadParameter(W.LINKS_NEED_PERIOD, param_hint="--period")
            unknown = [u for u in units if not cat.has_unit(u)]
            if unknown:
                raise click.BadParameter(
                    W.LINKS_UNKNOWN_UNIT.format(code=", ".join(unknown)), param_hint="--unit"
                )
            issued, replaced = L.issue_unit_links(db, cat, period, base_url, list(units) or None)
    written = L.write_links(issued, out_file) if out_file else []
    if not out_file:
        click.echo(L.links_csv(issued), nl=False)
    click.echo(
        W.LINKS_WRITTEN.format(
            count=len(issued),
            period=period.id if period else "-",
            replaced=W.LINKS_REPLACED.format(count=replaced) if replaced else "",
            files=", ".join(str(p) for p in written) or W.LINKS_STDOUT,
        ),
        err=True,
    )
