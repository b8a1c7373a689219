"""What the narrative report is written from: plain values and DataFrames, no pipeline types.

The run fills :class:`NarrativeData` from what merge and scoring computed (see each field's
comment for the columns; :func:`~pipeline.outputs.narrative.build.from_report` does it from the
province workbook's data); the writer never reads returns. Units are always named by
``unit_name``; ``unit_code`` is only used to match rows across frames. Percentages are 0–100.
Every frame may be empty, and a monthly period has no indicator frames at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from pipeline.base.periods import Period
from pipeline.catalogue import Locality
from pipeline.outputs.unit_words import request_sentences, says_something

SUBMISSION_COLUMNS = ("unit_code", "unit_name", "kind", "status", "received_at", "days_late")
SUBMISSION_OPTIONAL = ("reason", "file")
RATE_COLUMNS = (
    "scope",
    "expected",
    "received",
    "on_time",
    "late",
    "missing",
    "rejected_files",
    "rate_pct",
    "on_time_pct",
)
INDICATOR_COLUMNS = (
    "indicator_id",
    "name",
    "responsible_units",
    "reported_units",
    "full_score_units",
    "mean_score",
    "max_score",
)
SCORE_COLUMNS = ("unit_code", "unit_name", "indicator_id", "score", "max_score", "has_evidence", "reported")
SCORE_OPTIONAL = ("self_score",)
PILLAR_COLUMNS = (
    "pillar",
    "assigned",
    "reported",
    "done",
    "in_progress",
    "not_started",
    "not_applicable",
    "overdue",
    "done_pct",
)
PILLAR_OPTIONAL = ("done_unproven",)
OVERDUE_COLUMNS = ("task_id", "task", "unit_code", "unit_name")
OVERDUE_OPTIONAL = ("due_date",)
UNPROVEN_COLUMNS = ("task_id", "task", "unit_code", "unit_name")
TARGET_COLUMNS = ("task_id", "task", "unit_code", "unit_name", "value", "target", "met")
# twins: the codes of the task's twin group ("PL01-1.5 PL02-1.1"); answer: a ward's «Có»/«Không»
# shown for its figure
TARGET_OPTIONAL = ("measure", "twins", "answer")
DIFFICULTY_COLUMNS = ("unit_code", "unit_name", "task_id", "task", "text")

STATUSES = ("on_time", "late", "missing", "rejected", "superseded")


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass(frozen=True, eq=False)
class NarrativeData:
    """Everything the narrative report says (contract §7, ``BaoCao_DTI_<code>_<period>.docx``)."""

    period: Period
    deadline: date  # the returns' deadline (inclusive)
    made_on: date  # the data's cut-off and the document's date (properties, date line's year)
    locality: Locality  # locality.yaml: issuing body, recipient, Nơi nhận, signer
    receiver: str  # who compiles the returns, in running text: "UBND thành phố (qua Phòng …)"
    sample: bool = False  # demo returns: every page says DỮ LIỆU MẪU – KHÔNG GỬI
    # one row per file found and per expected unit without an accepted file: unit_code ("" when
    # the file was not identified), unit_name, kind (department|agency|ward|commune), status
    # (on_time|late|missing|rejected|superseded), received_at (date/ISO text, blank if missing),
    # days_late (blank unless late); optional: reason (Vietnamese, why a file was refused), file
    submissions: pd.DataFrame = field(default_factory=lambda: _empty(SUBMISSION_COLUMNS))
    # one row per unit kind of the expected units, then scope "all": expected, received,
    # on_time, late, missing, rejected_files, rate_pct, on_time_pct
    rates: pd.DataFrame = field(default_factory=lambda: _empty(RATE_COLUMNS))
    # Phụ lục 04, one row per indicator of the period (empty for a month): indicator_id, name,
    # responsible_units, reported_units, full_score_units (counts), mean_score, max_score
    indicators: pd.DataFrame = field(default_factory=lambda: _empty(INDICATOR_COLUMNS))
    # one row per responsible unit and indicator: unit_code, unit_name, indicator_id, score
    # (counted), max_score, has_evidence, reported (False: no valid input); optional self_score
    scores: pd.DataFrame = field(default_factory=lambda: _empty(SCORE_COLUMNS))
    # task completion per pillar, in order: pillar (its Vietnamese name, "Nhận thức số"),
    # assigned, reported, done (with evidence), done_unproven (done, but the row has an error such
    # as no evidence), in_progress, not_started, not_applicable, overdue, done_pct
    pillars: pd.DataFrame = field(default_factory=lambda: _empty(PILLAR_COLUMNS))
    # one row per overdue task and unit: task_id, task (its text), unit_code, unit_name;
    # optional due_date
    overdue: pd.DataFrame = field(default_factory=lambda: _empty(OVERDUE_COLUMNS))
    # one row per task and unit reported done with an error (not counted as done): task_id, task,
    # unit_code, unit_name
    unproven: pd.DataFrame = field(default_factory=lambda: _empty(UNPROVEN_COLUMNS))
    # one row per task with a numeric target and unit that owes it: task_id, task, unit_code,
    # unit_name, value (blank: not reported), target (the plan's Ghi chú, "Tần suất phát sóng từ
    # 1 tuần/1 lần"), met (True/False; None: not judged this period); optional measure ("lần/tuần")
    targets: pd.DataFrame = field(default_factory=lambda: _empty(TARGET_COLUMNS))
    # the units' "Khó khăn, vướng mắc", verbatim: unit_code, unit_name, task_id, task, text
    difficulties: pd.DataFrame = field(default_factory=lambda: _empty(DIFFICULTY_COLUMNS))
    # requests and proposals (same columns); None: picked from ``difficulties`` (pick_requests)
    requests: pd.DataFrame | None = None
    appendix_file: str = ""  # the province workbook; "": BaoCao_DTI_<code>_<period>.xlsx
    appendices: tuple[str, ...] = ()  # the names of the plan's task appendices: "Phụ lục 01", …
    # a quarter's or a year's tasks: from which months ("tháng 12/2023: 35 đơn vị; …"); "" in a month
    task_sources: str = ""

    def __post_init__(self) -> None:
        for name, columns in (
            ("submissions", SUBMISSION_COLUMNS),
            ("rates", RATE_COLUMNS),
            ("indicators", INDICATOR_COLUMNS),
            ("scores", SCORE_COLUMNS),
            ("pillars", PILLAR_COLUMNS),
            ("overdue", OVERDUE_COLUMNS),
            ("unproven", UNPROVEN_COLUMNS),
            ("targets", TARGET_COLUMNS),
            ("difficulties", DIFFICULTY_COLUMNS),
            ("requests", DIFFICULTY_COLUMNS),
        ):
            frame = getattr(self, name)
            if frame is None or frame.empty:
                continue
            lacking = [c for c in columns if c not in frame.columns]
            if lacking:
                raise ValueError(f"NarrativeData.{name} lacks columns {lacking}")

    @property
    def appendix(self) -> str:
        return self.appendix_file or f"BaoCao_DTI_{self.locality.code}_{self.period.id}.xlsx"

    @property
    def file_name(self) -> str:
        return narrative_filename(self.locality.code, self.period.id)

    @property
    def unit_requests(self) -> pd.DataFrame:
        return pick_requests(self.difficulties) if self.requests is None else self.requests


def narrative_filename(code: str, period_id: str) -> str:
    return f"BaoCao_DTI_{code}_{period_id}.docx"


def as_date(value: Any) -> date | None:
    """A date from a ``date``, ``datetime``, pandas ``Timestamp`` or ISO string; None if blank."""
    if value is None or value != value:  # None, NaN, NaT
        return None
    if isinstance(value, datetime):  # also pandas.Timestamp (NaT is not a datetime instance)
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None
    return None


def pick_requests(difficulties: pd.DataFrame) -> pd.DataFrame:
    """Requests and proposals from the units' difficulties: every sentence with a request word.

    One row per unit and distinct sentence (the same sentence typed under several tasks is
    kept once, under its first task), in the order of ``difficulties``.
    """
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    if difficulties.empty:
        return _empty(DIFFICULTY_COLUMNS)
    for rec in difficulties.to_dict("records"):
        text = rec.get("text")
        if not says_something(text):
            continue
        for sentence in request_sentences(str(text)):
            key = (str(rec.get("unit_code", "")), sentence)
            if key in seen:
                continue
            seen.add(key)
            rows.append({**{c: rec.get(c) for c in DIFFICULTY_COLUMNS}, "text": sentence})
    if not rows:
        return _empty(DIFFICULTY_COLUMNS)
    return pd.DataFrame(rows, columns=list(DIFFICULTY_COLUMNS))
