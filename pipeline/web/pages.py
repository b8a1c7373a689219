"""What the pages show, read from the store: a unit's deadline and returns, the analyst's table.

Plain data for the templates; every word comes from :mod:`pipeline.base.messages.web` (or the
vocabulary), never from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.base import vocabulary as V
from pipeline.base.messages import web as W
from pipeline.base.periods import Period
from pipeline.runner.build import build_period
from pipeline.runner.period import load_period
from pipeline.web.uploads import Row, Site, feedback_file, rows_of, status_of


def _local(moment: Any) -> datetime:
    ts = pd.Timestamp(moment)
    if ts.tzinfo is not None:
        ts = ts.tz_convert(datetime.now().astimezone().tzinfo).tz_localize(None)
    return ts.to_pydatetime()


def days_text(deadline: date, today: date) -> str:
    left = (deadline - today).days
    if left > 0:
        return W.DAYS_LEFT.format(days=left)
    if left == 0:
        return W.DAYS_TODAY
    return W.DAYS_OVERDUE.format(days=-left)


@dataclass(frozen=True)
class Version:
    id: int
    version: int
    received: str
    status: str  # on_time, late, superseded, rejected
    status_label: str
    counting: bool
    errors: int
    warnings: int
    channel: str


@dataclass(frozen=True)
class Result:
    version: Version
    rows: list[Row]
    has_feedback: bool


@dataclass(frozen=True)
class UnitPage:
    unit: str
    unit_name: str
    period: Period
    deadline: str
    days: str
    overdue: bool
    versions: list[Version] = field(default_factory=list)


def versions(site: Site, period: Period, unit: str) -> list[Version]:
    """The unit's stored returns of the period, newest first."""
    out = []
    for r in site.store.unit_returns(period.id, locality=site.locality, unit_code=unit):
        status = status_of(site.cat, period, r.counting, r.status == "rejected", r.received_at)
        out.append(
            Version(
                id=int(r.id),
                version=int(r.version),
                received=V.day_time(_local(r.received_at)),
                status=status,
                status_label=V.SUBMISSION_LABELS[status],
                counting=bool(r.counting),
                errors=int(r.errors),
                warnings=int(r.warnings),
                channel=W.CHANNEL_LABELS.get(str(r.channel), ""),
            )
        )
    return sorted(out, key=lambda v: v.version, reverse=True)


def unit_page(site: Site, period: Period, unit: str, today: date | None = None) -> UnitPage:
    today = today or date.today()
    deadline = site.cat.deadline(period)
    return UnitPage(
        unit=unit,
        unit_name=site.cat.unit_name(unit),
        period=period,
        deadline=V.day(deadline),
        days=days_text(deadline, today),
        overdue=today > deadline,
        versions=versions(site, period, unit),
    )


def result(
    site: Site, period: Period, unit: str, submission_id: int, known: list[Version] | None = None
) -> Result | None:
    """One of the unit's returns with its issues, or ``None`` when it is not the unit's."""
    mine = known if known is not None else versions(site, period, unit)
    found = next((v for v in mine if v.id == submission_id), None)
    if found is None:
        return None
    rows = rows_of(site, period, unit, submission_id)
    return Result(found, rows, feedback_file(site, period, unit, submission_id) is not None)


# --- the analyst's page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitLine:
    unit: str
    name: str
    status: str
    status_label: str
    received: str
    versions: int
    errors: int | None
    warnings: int | None


@dataclass(frozen=True)
class AnalystPage:
    period: Period
    lines: list[UnitLine]
    counts: dict[str, int]
    unknown_files: int
    outputs: list[str]
    periods: list[str]


def analyst_page(site: Site, period: Period) -> AnalystPage:
    """Every expected unit of the period with where its return stands, from the store."""
    cat = site.cat
    data = load_period(site.store, cat, site.locality, period)
    built = build_period(cat, period, data)
    subs = built.subs
    expected = list(cat.expected_units(period))
    lines = []
    per_unit = subs[subs["unit_code"] != ""]
    for unit in sorted(set(expected) | set(per_unit["unit_code"]), key=lambda u: (u not in expected, u)):
        mine = per_unit[per_unit["unit_code"] == unit]
        counting = mine[mine["status"].isin(["on_time", "late"])]
        if len(counting):
            row = counting.iloc[-1]
        elif len(mine):
            row = mine.sort_values("received_at").iloc[-1]
        else:
            row = None
        status = "missing" if row is None else str(row["status"])
        received = "" if row is None else _shown_time(row["received_at"])
        lines.append(
            UnitLine(
                unit=unit,
                name=cat.unit_name(unit),
                status=status,
                status_label=V.SUBMISSION_LABELS.get(status, status),
                received=received,
                versions=len(mine[mine["file"] != ""]),
                errors=None if row is None else _int(row["errors"]),
                warnings=None if row is None else _int(row["warnings"]),
            )
        )
    statuses = [line.status for line in lines if line.unit in expected]
    counts = {
        "expected": len(expected),
        "sent": sum(s in ("on_time", "late") for s in statuses),
        "on_time": statuses.count("on_time"),
        "late": statuses.count("late"),
        "missing": statuses.count("missing"),
        "rejected": int((subs["status"] == "rejected").sum()),
    }
    unknown = int(((subs["unit_code"] == "") & (subs["file"] != "")).sum())
    periods = sorted(set(site.store.periods(locality=site.locality)) | {period.id}, reverse=True)
    return AnalystPage(period, lines, counts, unknown, outputs(site, period), periods)


def _shown_time(value: Any) -> str:
    ts = pd.Timestamp(value) if value is not None and value != "" else pd.NaT
    return "" if pd.isna(ts) else V.day_time(_local(ts))


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def outputs(site: Site, period: Period) -> list[str]:
    """The period's output files (relative to ``<out>/<period>/``), the workbook first."""
    folder = site.out / period.id
    if not folder.is_dir():
        return []
    found = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    return sorted(found, key=lambda n: (n.count("/"), not n.endswith(".xlsx"), n))


def output_path(site: Site, period: Period, name: str) -> Path | None:
    """One of the period's output files by its listed name (nothing outside the folder)."""
    return site.out / period.id / name if name in outputs(site, period) else None
