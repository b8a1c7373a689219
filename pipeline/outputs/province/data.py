"""What the province workbook is made of: the run's tables (:class:`ReportData`), the columns of
its sheets, and how a value is read from a frame."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period, PeriodError, parse_period
from pipeline.catalogue import Locality
from pipeline.scoring.history import HISTORY_COLUMNS, History

R = TypeVar("R")


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, computed by the earlier stages (see contract §7).

    Rows are written in the order given. The workbook tolerates a missing column (blank cells);
    the CSV files do not (``ValueError``), except ``period`` (taken from ``period``) and
    ``sha256`` (empty). Codes (status, kind, role, pillar, severity) are machine values; the
    workbook shows them in Vietnamese. Percentages are 0–100.
    """

    period: Period
    made_on: date  # printed in the title block; the workbook's document date
    deadline: date
    locality: Locality  # locality.yaml: the title block, page headers, file names, CSV column
    # period, unit_code, unit_name, kind, status, received_at, deadline, days_late, file, sha256,
    # errors, warnings
    submissions: pd.DataFrame
    # scope ("all" first, then department/agency/ward/commune), expected, received, on_time, late,
    # missing, rejected_files, rate_pct, on_time_pct
    rates: pd.DataFrame
    # unit_code, unit_name, kind, <indicator id>..., total, max_total, pct, rank (NaN: not ranked),
    # sent (False: no return counts; the workbook shows Chưa nộp instead of its scores)
    ranking: pd.DataFrame
    indicator_ids: list[str]
    indicator_names: dict[str, str]
    # period, unit_code, unit_name, indicator_id, self_score, score, max_score, has_evidence,
    # explanation
    scores: pd.DataFrame
    # period, indicator_id, responsible_units, reported_units, full_score_units, mean_score, max_score
    summary: pd.DataFrame
    # period, task_id, unit_code, unit_name, role, appendix, pillar, status ("" or NaN: not
    # reported), result_value, has_evidence, overdue, target, target_met, task (its text),
    # result_text, evidence, difficulties (the unit's words), unproven (done without proof)
    tasks: pd.DataFrame
    # pillar, assigned, reported, done, done_unproven, in_progress, not_started, not_applicable,
    # overdue, done_pct
    by_pillar: pd.DataFrame
    by_unit: pd.DataFrame  # unit_code, unit_name, then the columns of by_pillar
    # period, unit_code, unit_name, file, sheet, cell, field, value, severity, code, message
    issues: pd.DataFrame
    pillars: Mapping[str, str]  # vocabulary.yaml: pillar code → name, in report order
    appendices: Mapping[str, str]  # appendix code → name
    kind_labels: Mapping[str, str]  # unit kind → how the workbook names its group, in report order
    sample: bool = False  # made from the demo returns: every page says DỮ LIỆU MẪU – KHÔNG GỬI
    receiver: str = ""  # the name of the office that receives the returns (units.csv)
    ranked_kinds: tuple[str, ...] = ()  # the kinds of unit ranked against each other (vocabulary.yaml)
    measures: Mapping[str, str] = field(default_factory=dict)  # a target's quantity → "lần/tuần"
    max_detail_rows: int = 20000  # above this, `Tiến độ nhiệm vụ` holds per-task aggregates only
    # the stored periods up to this one (`Diễn biến`, data/history.csv); None: nothing stored
    history: History | None = None
    unit_names: Mapping[str, str] = field(default_factory=dict)  # unit code → name (history)
    # files whose received time is only their modification time (no row in received.csv, not
    # received by e-mail): `Nộp báo cáo` says how many, their on-time or late may be wrong
    file_times: int = 0
    # task id → its twin group (tasks.csv ``same_as``), earliest first: the report names a twin
    # target once, with both its codes
    twins: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # the (task id, role) pairs answered Có/Không (a ward's answer to a city-level target): their
    # figure, 100 or 0, is shown as the word the unit chose
    answered: frozenset[tuple[str, str]] = frozenset()

    def answer(self, task_id: Any, role: Any, value: Any) -> str | None:
        """«Có» or «Không» for a figure of a pair in :attr:`answered`, else None."""
        if (str(task_id), str(role)) not in self.answered or number(value) is None:
            return None
        return V.YES if number(value) else V.NO

    @property
    def city(self) -> str:
        """The first line of the title block and the documents' author: ``authority.title``."""
        return self.locality.title

    @property
    def level(self) -> str:
        """The kind of locality: "thành phố", in "Toàn thành phố"."""
        return self.locality.level

    @property
    def has_indicators(self) -> bool:
        """A period with indicators (quarter, year): the workbook has its indicator sheets."""
        return bool(self.indicator_ids)

    @property
    def history_rows(self) -> pd.DataFrame:
        """``data/history.csv``'s rows: one per stored period, unit and measure."""
        if self.history is None:
            return pd.DataFrame(columns=HISTORY_COLUMNS)
        return self.history.rows

    @property
    def has_history(self) -> bool:
        """Two stored periods at least: the workbook has its `Diễn biến` sheet."""
        return self.history is not None and self.history.worth_a_sheet

    def file_name(self, suffix: str) -> str:
        """``BaoCao_DTI_<code>_<period>.xlsx`` / ``.docx`` (contract §7)."""
        return report_file_name(self.locality.code, self.period.id, suffix)


def report_file_name(code: str, period_id: str, suffix: str) -> str:
    return f"BaoCao_DTI_{code}_{period_id}.{suffix}"


SUMMARY_UNIT_LIMIT = 200  # above this, Tổng hợp does not list every unit


@dataclass(frozen=True)
class Column:
    """One column of a table: header, values, how to write them (kind), width in characters."""

    label: str
    values: Sequence[Any]
    kind: str = "text"  # text | code | score | int | count (centred) | pct | date | datetime | yes_no
    width: float = 14


# --- values ---------------------------------------------------------------------------------


def missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def nfc(raw: str) -> str:
    return unicodedata.normalize("NFC", raw)


def text(value: Any) -> str:
    if isinstance(value, float | np.floating) and math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return nfc(str(value))


def number(value: Any) -> float | None:
    if isinstance(value, str):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def yes_no(value: Any) -> str | None:
    if missing(value):
        return None
    if isinstance(value, str):
        folded = value.strip().lower()
        if folded in ("true", "1", V.YES.lower()):
            return V.YES
        if folded in ("false", "0", V.NO.lower()):
            return V.NO
        return nfc(value)
    return V.YES if bool(value) else V.NO


def as_datetime(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            value = pd.Timestamp(value)
        except (ValueError, TypeError):
            return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return None


def each(fn: Callable[[Any], R], items: Iterable[Any]) -> list[R]:
    """``[fn(v) for v in items]``, with ``fn`` called once per distinct value (of each type: 1 and
    True are told apart): a column of 400,000 rows holds a few distinct flags or statuses."""
    seen: dict[tuple[type, Any], R] = {}
    out: list[R] = []
    for v in items:
        key = (type(v), v)
        try:
            got = seen[key]
        except KeyError:
            got = seen[key] = fn(v)
        except TypeError:  # an unhashable value
            got = fn(v)
        out.append(got)
    return out


def is_yes(items: Iterable[Any]) -> list[bool]:
    """Whether each value reads as «Có» (:func:`yes_no`)."""
    return each(lambda v: yes_no(v) == V.YES, items)


def values(frame: pd.DataFrame, column: str) -> list[Any]:
    """A column's values as Python objects; a column the frame lacks reads as blanks."""
    if column in frame.columns:
        return frame[column].tolist()
    return [None] * len(frame)


def mapped(items: Sequence[Any], labels: Mapping[str, str]) -> list[Any]:
    """Machine values shown in words (a missing value looks up "")."""
    return [labels.get("" if missing(v) else str(v), v) for v in items]


def task_sources(data: ReportData) -> list[tuple[str, int]]:
    """Where a quarter's or a year's task progress came from: (month id, number of units), the
    latest month first, then ("", units) for the units with no monthly return in the period;
    [] in a month, or where the period's own returns carry its tasks."""
    tasks = data.tasks
    if data.period.kind == "month" or tasks.empty or not {"source_period", "unit_code"} <= set(tasks.columns):
        return []
    if set(tasks["source_period"].dropna().astype(str)) <= {data.period.id}:
        return []
    per_unit = tasks.drop_duplicates("unit_code")["source_period"]
    months: dict[str, int] = {}
    for value in per_unit:
        key = "" if missing(value) else str(value)
        months[key] = months.get(key, 0) + 1
    none = months.pop("", 0)
    out = sorted(months.items(), key=lambda kv: _start(kv[0]), reverse=True)
    return out + ([("", none)] if none else [])


def _start(pid: str) -> date:
    try:
        return parse_period(pid).start
    except PeriodError:
        return date.min


def sources_text(sources: Sequence[tuple[str, int]]) -> str:
    """ "tháng 12/2023: 35 đơn vị; tháng 11/2023: 1 đơn vị; chưa có báo cáo tháng: 1 đơn vị"."""
    parts = []
    for pid, units in sources:
        if not pid:
            parts.append(T.TASKS_FROM_NONE.format(units=V.thousands(units)))
            continue
        try:
            p = parse_period(pid)
        except PeriodError:
            continue
        parts.append(
            T.TASKS_FROM_ITEM.format(
                month=V.period_short(p.kind, p.year, p.start.month), units=V.thousands(units)
            )
        )
    return "; ".join(parts)
