"""``dti remind``: which units to remind, from the store, and each reminder logged in it.

A unit is reminded when it owes a return for the period and none of its returns counts (it has
not sent, or every file it sent was refused), or when its counting return still has errors. The
store says which (the latest ``dti report`` of the period); the period's feedback files are in
``<outputs>/<period>/phan_hoi/``; the unit's template is ``input_templates/<period>/`` when it
was written there, else written afresh. Each reminder is logged (``reminders``: one per unit,
channel and day), so a second run the same day writes nothing new; another day writes again.
"""

from __future__ import annotations

import csv
import json
import tempfile
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from pipeline.base.periods import Period
from pipeline.base.vocabulary import lower_first
from pipeline.catalogue import Catalogue
from pipeline.outputs.remind import ERRORS, MISSING, Context, Due, Written, addresses, write_reminders
from pipeline.outputs.templates import template_name, write_template
from pipeline.runner.records import local
from pipeline.store import Run, Store

CHANNEL_EMAIL, CHANNEL_ZALO = "email", "zalo"
FEEDBACK_DIR = "phan_hoi"
REMIND_DIR = "nhac_nop"
FEEDBACK_NAME = "PhanHoi"  # the feedback file as attached: PhanHoi_<period>_<unit>.xlsx


class NoReport(Exception):
    """The store holds no report of the period: who has sent is not known."""


class BadLinks(Exception):
    """The ``--links`` file cannot be read."""


@dataclass(frozen=True)
class RemindResult:
    folder: Path
    dues: tuple[Due, ...]
    written: Written
    based_on: pd.Timestamp  # when the report the reminders follow was run
    on: date

    @property
    def new(self) -> tuple[Due, ...]:
        return tuple(d for d in self.dues if not d.already)

    @property
    def no_email(self) -> tuple[Due, ...]:
        return tuple(d for d in self.new if not d.emails)


def read_links(path: Path) -> dict[str, str]:
    """unit code → its upload link, from the CSV that ``dti links`` writes
    (``unit_code,unit_name,url,message``); only http(s) links are taken."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BadLinks(str(exc)) from exc
    if rows and not {"unit_code", "url"} <= set(rows[0]):
        raise BadLinks(", ".join(rows[0]))
    out = {}
    for row in rows:
        code, url = (row.get("unit_code") or "").strip(), (row.get("url") or "").strip()
        if code and url.startswith(("https://", "http://")) and not any(c.isspace() for c in url):
            out[code] = url
    return out


def _last_report(store: Store | Run, locality: str, period: Period) -> pd.Timestamp | None:
    runs = store.runs(locality=locality)
    if runs.empty:
        return None
    done = runs[(runs["command"] == "report") & (runs["period"] == period.id) & (runs["status"] == "ok")]
    return local(done["finished_at"].max()) if len(done) else None


def _is_sample(outputs: Path, period: Period) -> bool:
    try:
        manifest = json.loads((outputs / period.id / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(manifest.get("sample")) if isinstance(manifest, dict) else False


def dues_of(
    cat: Catalogue,
    period: Period,
    store: Store | Run,
    *,
    on: date,
    outputs: Path,
    templates: Path,
    links: dict[str, str],
    scratch: Path,
) -> list[Due]:
    """The units to remind on ``on``, in the registry's order, with what each reminder carries."""
    locality = cat.locality.code
    subs = store.submissions(period.id, locality=locality)
    known = subs[subs["unit_code"].notna()]
    counting = known[known["counting"]].drop_duplicates("unit_code", keep="last").set_index("unit_code")
    sent = set(known["unit_code"])
    reminded = store.reminders(period.id, locality=locality)
    today = set(reminded.loc[reminded["sent_on"] == on, "unit_code"]) if len(reminded) else set()
    feedback_dir = outputs / period.id / FEEDBACK_DIR
    out = []
    for unit in cat.expected_units(period):
        if unit in counting.index:
            errors = int(counting.at[unit, "errors"])
            if errors <= 0:
                continue
            reason, received = ERRORS, local(counting.at[unit, "received_at"])
        else:
            reason, errors, received = MISSING, 0, None
        raw = cat.units.at[unit, "email"]
        emails, bad = addresses("" if pd.isna(raw) else str(raw))
        attachments: list[tuple[Path, str]] = []
        feedback = feedback_dir / f"{unit}.xlsx"
        if reason == MISSING:
            made = _template(cat, period, unit, templates, scratch)
            attachments.append((made, made.name))
        if feedback.is_file() and (reason == ERRORS or unit in sent):
            attachments.append((feedback, f"{FEEDBACK_NAME}_{period.id}_{unit}.xlsx"))
        out.append(
            Due(
                unit=unit,
                name=cat.unit_name(unit),
                reason=reason,
                emails=emails,
                bad_email=bad,
                errors=errors,
                received=received.to_pydatetime() if received is not None else None,
                refused=reason == MISSING and unit in sent,
                url=links.get(unit, ""),
                attachments=tuple(attachments),
                already=unit in today,
            )
        )
    return out


def _template(cat: Catalogue, period: Period, unit: str, templates: Path, scratch: Path) -> Path:
    """The unit's template: the one written for the period when there is one, else a fresh one."""
    name = template_name(period, unit)
    written = templates / period.id / name
    return written if written.is_file() else write_template(cat, unit, period, scratch / name)


def remind(
    cat: Catalogue,
    period: Period,
    store: Store,
    *,
    on: date | None = None,
    outputs: Path = Path("output"),
    out: Path | None = None,
    links: Path | None = None,
    templates: Path = Path("input_templates"),
) -> RemindResult:
    """Write the reminders of ``on`` (default today) into ``out`` (default
    ``<outputs>/nhac_nop/<period>/<on>/``) and log them in the store."""
    on = on or datetime.now().date()
    folder = out or outputs / REMIND_DIR / period.id / on.isoformat()
    urls = read_links(links) if links is not None else {}
    email, _phone = cat.receiver_contact
    ctx = Context(
        period_label=lower_first(period.label),
        deadline=cat.deadline(period),
        on=on,
        receiver=cat.receiver_name,
        locality=cat.locality.name,
        sender=email if addresses(email)[0] else "",
        sample=_is_sample(outputs, period),
    )
    with (
        tempfile.TemporaryDirectory(prefix="dti-remind-") as scratch,
        store.run(locality=cat.locality.code, period=period.id, command="remind") as run,
    ):
        based_on = _last_report(run, cat.locality.code, period)
        if based_on is None:
            raise NoReport(period.id)
        dues = dues_of(
            cat, period, run, on=on, outputs=outputs, templates=templates, links=urls, scratch=Path(scratch)
        )
        written = write_reminders(dues, ctx, folder, period.id)
        logged = []
        for due in dues:
            if due.already:
                logged.append(due)
                continue
            fresh = run.log_reminder(unit_code=due.unit, channel=CHANNEL_ZALO, sent_on=on, kind=due.reason)
            if due.emails:
                fresh = (
                    run.log_reminder(
                        unit_code=due.unit,
                        channel=CHANNEL_EMAIL,
                        sent_on=on,
                        kind=due.reason,
                        note=";".join(due.emails),
                    )
                    or fresh
                )
            logged.append(due if fresh else replace(due, already=True))
    return RemindResult(folder, tuple(logged), written, based_on, on)
