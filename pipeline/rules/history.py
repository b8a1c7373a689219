"""A unit's return against its own past, from the store's cells: what changed since its previous
version of the period and since its previous period (:func:`comparisons`), and the checks across
periods (:func:`history_issues`), each a warning:

- a task ``Hoàn thành`` in the previous period of the year and ``Chưa thực hiện`` now
  (``done_then_not_started``);
- a cumulative figure (``calendar.yaml`` ``cumulative``: a task's ``Kết quả (số liệu)`` or an
  indicator field) lower than in the previous period of the year (``cumulative_decreased``);
- every filled cell of ``Nhiệm vụ`` the same as in the two previous months, while the report's
  date is newer (``values_copied``).

They are a period's, not a file's: they depend on other returns, which may change after this
one was stored, so they are computed each time a period is built and never stored (like the
warning on a unit that sent several files). Pure functions over the frames of :class:`Past`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.issues import Issue, issue
from pipeline.base.periods import Period, PeriodError, parse_period, previous_period
from pipeline.catalogue import Catalogue
from pipeline.normalize.dates import parse_date

KEY = ["sheet", "row_key", "column_label"]
RETURN_COLUMNS = ["unit_code", "submission_id", "file", "received_at"]
# What a change since the previous period compares: the figures and statuses, not the texts
# (a result or its evidence is new every month).
PERIOD_LABELS = {V.SHEET_TASKS: (V.TASK_STATUS, V.TASK_RESULT_VALUE), V.SHEET_INDICATORS: (V.IND_VALUE,)}
OPEN_STATUSES = frozenset({V.STATUS_NOT_STARTED, V.STATUS_IN_PROGRESS})
COPIED_MONTHS = 3


@dataclass(frozen=True)
class Past:
    """A period's counting returns, what each is compared with, and the stored cells of all.

    Frames of ``RETURN_COLUMNS``: ``current``, the counting return of each unit; ``versions``,
    each unit's previous version of the same period (received before the counting one);
    ``earlier``, earlier period id → the counting returns of that period, newest period first
    (the previous period of the same kind, and for a month the one before). ``cells``: the
    store's cells of every one of them."""

    period: Period
    current: pd.DataFrame
    versions: pd.DataFrame
    earlier: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    cells: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["submission_id", *KEY]))


@dataclass(frozen=True)
class Change:
    """One cell that differs: ``before`` in the compared return, ``after`` in this one (``None``
    where the cell is empty), and the cell in the file the unit sent."""

    sheet: str
    row_key: str
    column_label: str
    cell: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Comparison:
    """A unit's counting return compared with one earlier return: its previous version of the
    period (``since == "version"``) or its return of an earlier period (``"period"``)."""

    since: str
    period: str  # the compared return's period
    file: str
    received: date | None
    changes: tuple[Change, ...]


# --- what changed ---------------------------------------------------------------------------------


def _pairs(past: Past, against: pd.DataFrame) -> pd.DataFrame:
    """unit_code, now (the counting return's id), then (the compared one's id)."""
    cur = past.current[["unit_code", "submission_id"]].rename(columns={"submission_id": "now"})
    other = against[["unit_code", "submission_id"]].rename(columns={"submission_id": "then"})
    return cur.merge(other, on="unit_code")


def _side(cells: pd.DataFrame, pairs: pd.DataFrame, column: str) -> pd.DataFrame:
    side = cells.merge(pairs[["unit_code", column]], left_on="submission_id", right_on=column)
    return side[["unit_code", *KEY, "cell", "raw", "value"]]


def _differ(cells: pd.DataFrame, pairs: pd.DataFrame, compare: str) -> pd.DataFrame:
    """Every (unit, sheet, row, column) whose ``compare`` text differs between the two returns."""
    if pairs.empty or cells.empty:
        return pd.DataFrame(columns=["unit_code", *KEY, "cell", "before", "after"])
    now = _side(cells, pairs, "now")
    then = _side(cells, pairs, "then")
    both = now.merge(then, on=["unit_code", *KEY], how="outer", suffixes=("_now", "_then"))
    after, before = both[f"{compare}_now"], both[f"{compare}_then"]
    same = [_same(a, b) for a, b in zip(after, before, strict=True)]
    both = both[[not s for s in same]]
    return pd.DataFrame(
        {
            "unit_code": both["unit_code"],
            **{k: both[k] for k in KEY},
            "cell": both["cell_now"].where(both["cell_now"].notna(), both["cell_then"]),
            "before": both[f"{compare}_then"],
            "after": both[f"{compare}_now"],
        }
    )


def _same(a: Any, b: Any) -> bool:
    a, b = _text(a), _text(b)
    if a is None or b is None:
        return a is b
    return a == b or (_number(a) is not None and _number(a) == _number(b))


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value)
    return text if text.strip() else None


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _yes_no_word(value: Any) -> str | None:
    number = _number(_text(value))
    return None if number is None else (V.YES if number else V.NO)


def _changes(frame: pd.DataFrame, cat: Catalogue | None = None) -> dict[str, tuple[Change, ...]]:
    """unit → its changed cells; with ``cat``, a Có/Không figure read as 100/0 is shown as its word."""
    out: dict[str, list[Change]] = {}
    words: dict[str, frozenset[str]] = {}
    for row in frame.itertuples(index=False):
        unit = str(row.unit_code)
        before, after = _text(row.before), _text(row.after)
        if cat is not None and row.sheet == V.SHEET_TASKS and row.column_label == V.TASK_RESULT_VALUE:
            if unit not in words:
                words[unit] = cat.yes_no_tasks(unit)
            if str(row.row_key) in words[unit]:
                before, after = _yes_no_word(before), _yes_no_word(after)
        out.setdefault(unit, []).append(
            Change(
                str(row.sheet), str(row.row_key), str(row.column_label), str(row.cell or ""), before, after
            )
        )
    return {u: tuple(c) for u, c in out.items()}


def _day(moment: Any) -> date | None:
    if moment is None or pd.isna(moment):
        return None
    return moment.date() if isinstance(moment, datetime) else moment


def comparisons(past: Past, cat: Catalogue | None = None) -> dict[str, tuple[Comparison, ...]]:
    """unit → what its counting return is compared with: its previous version of the period
    (every cell as typed), then its return of the previous period (statuses and figures, as
    read; with ``cat``, a Có/Không figure as its word), each with the cells that differ."""
    out: dict[str, list[Comparison]] = {}
    pairs = _pairs(past, past.versions)
    changed = _changes(_differ(past.cells, pairs, "raw"))
    for row in past.versions.itertuples(index=False):
        unit = str(row.unit_code)
        received = _day(row.received_at)
        out.setdefault(unit, []).append(
            Comparison("version", past.period.id, str(row.file), received, changed.get(unit, ()))
        )
    if past.earlier:
        pid, returns = next(iter(past.earlier.items()))
        c = past.cells
        wanted = pd.Series(False, index=c.index)
        for sheet, labels in PERIOD_LABELS.items():
            wanted |= (c["sheet"] == sheet) & c["column_label"].isin(labels)
        cells = c[wanted]
        changed = _changes(_differ(cells, _pairs(past, returns), "value"), cat)
        for row in returns[returns["unit_code"].isin(set(past.current["unit_code"]))].itertuples(index=False):
            unit = str(row.unit_code)
            out.setdefault(unit, []).append(
                Comparison("period", pid, str(row.file), None, changed.get(unit, ()))
            )
    return {u: tuple(c) for u, c in out.items()}


# --- checks across periods ---------------------------------------------------------------------------


def _by_return(cells: pd.DataFrame) -> dict[int, dict[tuple[str, str, str], tuple[str, Any, Any]]]:
    """submission id → (sheet, row, column) → (cell, raw, value)."""
    out: dict[int, dict[tuple[str, str, str], tuple[str, Any, Any]]] = {}
    for sid, sheet, cell, row_key, label, raw, value in cells[
        ["submission_id", "sheet", "cell", "row_key", "column_label", "raw", "value"]
    ].itertuples(index=False):
        out.setdefault(int(sid), {})[(str(sheet), str(row_key), str(label))] = (str(cell), raw, value)
    return out


def _short(p: Period) -> str:
    return V.period_short(p.kind, p.year, p.start.month)


def _period(pid: str) -> Period | None:
    try:
        return parse_period(pid)
    except PeriodError:
        return None


def history_issues(cat: Catalogue, past: Past) -> list[Issue]:
    """The warnings of the period's counting returns against the unit's earlier returns."""
    if not past.earlier or past.current.empty:
        return []
    cells = _by_return(past.cells)
    earlier = [(p, returns) for pid, returns in past.earlier.items() if (p := _period(pid)) is not None]
    out: list[Issue] = []
    previous, prev_returns = earlier[0]
    prev_of = {str(r.unit_code): r for r in prev_returns.itertuples(index=False)}
    for ret in past.current.itertuples(index=False):
        unit = str(ret.unit_code)
        now = cells.get(int(ret.submission_id), {})
        before = prev_of.get(unit)
        if before is not None and previous.year == past.period.year:
            then = cells.get(int(before.submission_id), {})
            out += _went_back(str(ret.file), unit, now, then, previous, str(before.file))
            out += _decreased(cat, str(ret.file), unit, now, then, previous, str(before.file))
        if past.period.kind == "month":
            out += _copied(past.period, ret, now, cells, earlier)
    return out


def _went_back(
    file: str,
    unit: str,
    now: Mapping[Any, Any],
    then: Mapping[Any, Any],
    previous: Period,
    previous_file: str,
) -> Iterator[Issue]:
    for (sheet, task, label), (cell, _raw, value) in now.items():
        if sheet != V.SHEET_TASKS or label != V.TASK_STATUS or value != V.STATUS_NOT_STARTED:
            continue
        old = then.get((sheet, task, label))
        if old is not None and old[2] == V.STATUS_DONE:
            yield issue(
                Code.DONE_THEN_NOT_STARTED,
                file=file,
                unit_code=unit,
                sheet=sheet,
                cell=cell,
                field=f"{task}:{label}",
                value=value,
                label=label,
                task=task,
                now=V.STATUS_NOT_STARTED,
                before=V.STATUS_DONE,
                previous=_short(previous),
                previous_file=previous_file,
                result=V.TASK_RESULT,
            )


def _decreased(
    cat: Catalogue,
    file: str,
    unit: str,
    now: Mapping[Any, Any],
    then: Mapping[Any, Any],
    previous: Period,
    previous_file: str,
) -> Iterator[Issue]:
    fields = cat.fields()
    answers = cat.yes_no_tasks(unit)
    for (sheet, key, label), (cell, _raw, value) in now.items():
        if sheet == V.SHEET_TASKS and label == V.TASK_RESULT_VALUE and key in cat.cumulative_tasks:
            where: dict[str, Any] = {"task": key, "column": label}
            field_name, variant = f"{key}:{label}", ""
            if key in answers:
                variant = "yes_no"  # a ward's Có/Không to a city-level target: Có is 100, Không 0
                where = {"task": key, "result": V.TASK_RESULT}
        elif sheet == V.SHEET_INDICATORS and label == V.IND_VALUE and key in cat.cumulative.fields:
            where = {"field_id": key, "name": fields[key][1].label if key in fields else key}
            field_name, variant = key, "indicator"
        else:
            continue
        old = then.get((sheet, key, label))
        new_number, old_number = _number(_text(value)), _number(_text(old[2])) if old else None
        if new_number is None or old_number is None or new_number >= old_number:
            continue
        shown = (
            (_yes_no_word(new_number), _yes_no_word(old_number))
            if variant == "yes_no"
            else (V.number(new_number), V.number(old_number))
        )
        yield issue(
            Code.CUMULATIVE_DECREASED,
            variant=variant,
            file=file,
            unit_code=unit,
            sheet=sheet,
            cell=cell,
            field=field_name,
            value=shown[0],
            label=label,
            figure=shown[0],
            before=shown[1],
            previous=_short(previous),
            previous_file=previous_file,
            **where,
        )


def _task_cells(cells: Mapping[tuple[str, str, str], tuple[str, Any, Any]]) -> dict[tuple[str, str], Any]:
    return {(k, label): raw for (sheet, k, label), (_c, raw, _v) in cells.items() if sheet == V.SHEET_TASKS}


def _report_day(cells: Mapping[tuple[str, str, str], tuple[str, Any, Any]]) -> tuple[str, date | None]:
    found = cells.get((V.SHEET_INFO, V.INFO_DATE, V.INFO_DATE))
    if found is None:
        return "", None
    parsed = parse_date(found[1]).value
    return found[0], parsed if isinstance(parsed, date) else None


def _copied(
    period: Period,
    ret: Any,
    now: Mapping[tuple[str, str, str], tuple[str, Any, Any]],
    cells: Mapping[int, Mapping[tuple[str, str, str], tuple[str, Any, Any]]],
    earlier: list[tuple[Period, pd.DataFrame]],
) -> Iterator[Issue]:
    """Every filled cell of Nhiệm vụ the same in this month and the two before it (consecutive
    months, each with a counting return), some task still open, and a newer report date."""
    values = _task_cells(now)
    if not values or not any(
        v in OPEN_STATUSES for (_k, label), v in values.items() if label == V.TASK_STATUS
    ):
        return
    months, back = [], period
    for p, returns in earlier[: COPIED_MONTHS - 1]:
        back = previous_period(back)
        match = returns[returns["unit_code"] == ret.unit_code]
        if p.id != back.id or match.empty:
            return
        months.append((p, cells.get(int(match["submission_id"].iloc[0]), {})))
    if len(months) < COPIED_MONTHS - 1 or any(_task_cells(c) != values for _p, c in months):
        return
    cell, day = _report_day(now)
    _old_cell, last_day = _report_day(months[0][1])
    if day is None or last_day is None or day <= last_day:
        return
    labels = [_short(p) for p, _c in reversed(months)]
    yield issue(
        Code.VALUES_COPIED,
        file=str(ret.file),
        unit_code=str(ret.unit_code),
        sheet=V.SHEET_INFO,
        cell=cell,
        field=V.INFO_DATE,
        value=V.day(day),
        label=V.INFO_DATE,
        tasks=V.SHEET_TASKS,
        earlier=V.join_names(labels),
        count=COPIED_MONTHS,
        date=V.day(day),
        period=_short(period),
        result=V.TASK_RESULT,
    )
