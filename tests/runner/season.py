"""The demo season as the runner's store tests use it: written once, run period by period into a
store, and what its draws say each period must show.

The season is ``write_season`` for the year 2023 (2023-10, 2023-11, 2023-12, 2023-Q4, 2023), with
one change of ours: TNMT's December return is taken out of the inbox, so that one unit's latest
month in the quarter is November.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.base import vocabulary as V
from pipeline.base.periods import Period, parse_period
from pipeline.catalogue import Catalogue
from pipeline.demo import _rng, _task_values, write_season
from pipeline.run import RunResult, run_report
from tests.conftest import SCHEMAS

MADE_ON = date(2023, 12, 21)  # every run of these tests is dated so: the same data, the same bytes
YEAR = parse_period("2023")
Q4 = parse_period("2023-Q4")
MONTHS = tuple(parse_period(f"2023-{m}") for m in ("10", "11", "12"))
NO_DECEMBER = "TNMT"  # its December return is left out: its latest month in the quarter is November
NOT_IN_NOVEMBER = "X_VU_PHUC"  # the season's last commune: sends nothing in November nor for the quarter


@dataclass(frozen=True)
class Inbox:
    root: Path  # one folder per period
    periods: tuple[Period, ...]
    # the units of the demo's planted cross-period mistakes (a copied month, a task gone back to
    # «Chưa thực hiện»): their tasks are not what ``drawn`` draws
    planted: frozenset[str] = frozenset()

    def of(self, period: Period) -> Path:
        return self.root / period.id


def write_inbox(cat: Catalogue, root: Path) -> Inbox:
    """The season's returns, TNMT's December return left out."""
    season = write_season(cat, YEAR, root)
    december = root / "2023-12"
    gone = december / f"2023-12_{NO_DECEMBER}.xlsx"
    gone.unlink()
    received = december / "received.csv"
    lines = received.read_text(encoding="utf-8").splitlines(keepends=True)
    received.write_text("".join(line for line in lines if not line.startswith(gone.name)), encoding="utf-8")
    planted = {u for r in season.results for u in (r.copied, r.went_back) if u}
    return Inbox(root, season.periods, frozenset(planted))


def run(cat: Catalogue, period: Period, inbox: Path, out: Path, db: str, **kwargs: Any) -> RunResult:
    """One run as the CLI makes it, into the store ``db``, dated ``MADE_ON``; the demo's marker is
    ignored (``sample=False``) so that the run uses ``db`` (a sample run keeps a store of its own)."""
    return run_report(cat, period, inbox, out, made_on=MADE_ON, sample=False, db=db, **kwargs)


def run_season(cat: Catalogue, inbox: Inbox, out: Path, db: str) -> dict[str, RunResult]:
    return {p.id: run(cat, p, inbox.of(p), out, db) for p in inbox.periods}


def csv_bytes(folder: Path) -> dict[str, bytes]:
    """Every CSV file of an output folder's ``data/``, by name."""
    return {p.name: p.read_bytes() for p in sorted((folder / "data").glob("*.csv"))}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- what the demo's draws say ----------------------------------------------------------------


def registry() -> list[dict[str, str]]:
    """units.csv read as a file, not through the catalogue."""
    return read_csv(SCHEMAS / "units.csv")


def indicator_units() -> set[str]:
    """The plan's quarterly and annual reporters: the radio-TV station and every ward and commune."""
    return {"DAI_TTTH"} | {u["code"] for u in registry() if u["kind"] in ("ward", "commune")}


def drawn(cat: Catalogue, month: Period, unit: str) -> dict[str, dict[str, Any]]:
    """The task values the demo draws for ``unit`` in a month of the season (status in the
    machine's words, ``result_value`` as the run reads it), with the mistakes that change a
    status: NOIVU types «hoan thanh» in its first two tasks (read as done), TUPHAP reports its first
    task done without evidence, and VP, which types its figure with words, reports its first task
    done with «12 tin bài» in a month it has no figure to type."""
    stage = month.start.month - MONTHS[0].start.month
    values = _task_values(cat, month, unit, _rng(month, unit), stage)
    share = {V.YES: 100.0, V.NO: 0.0}  # a ward's Có/Không to a city-level target, read as its share
    out = {
        task: {
            "status": V.STATUS_VALUES[v[V.TASK_STATUS]],
            "result_value": share.get(figure, figure)
            if isinstance(figure := v.get(V.TASK_RESULT_VALUE), str)
            else figure,
        }
        for task, v in values.items()
    }
    for row in cat.sheet_rows(unit):  # twins in one row: the template writes its first task's values
        for twin in row.ids[1:]:
            out[twin] = dict(out[row.ids[0]])
    first = list(out)
    if unit == "NOIVU":
        for task in first[:2]:
            out[task]["status"] = "done"
    if unit == "TUPHAP":
        out[first[0]] = {"status": "done", "result_value": None}
    if unit == "VP" and all(v["result_value"] is None for v in out.values()):
        out[first[0]] = {"status": "done", "result_value": 12.0}
    return out


def latest_month(unit: str) -> Period:
    """The month whose return carries a unit's progress in the quarter and the year."""
    return MONTHS[1] if unit == NO_DECEMBER else MONTHS[2]


def months_sent(unit: str) -> tuple[Period, ...]:
    return tuple(
        m
        for m in MONTHS
        if not (unit == NO_DECEMBER and m == MONTHS[2]) and not (unit == NOT_IN_NOVEMBER and m == MONTHS[1])
    )
