"""The per-file half of validation: identify one return and normalise its cells.

:func:`prepare` is pure per-file work (it runs in worker processes): it returns a
:class:`Prepared` — the return's identity, its unit, its ``Nhiệm vụ`` and ``Chỉ số`` rows as
columns of clean values with their A1 cells, the values as the unit typed them (for its
feedback file and the store) and every issue found so far. The batch half is
:func:`pipeline.rules.validate.check_prepared`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.issues import Issue, has_error, issue
from pipeline.base.messages import notes
from pipeline.base.periods import Period
from pipeline.base.text import one_copy, show_value
from pipeline.catalogue import (
    Catalogue,
)
from pipeline.catalogue.field_types import FIELD_TYPES
from pipeline.intake import FORMULA_NO_VALUE, RawReturn, Source
from pipeline.normalize import (
    clean_text,
    parse_date,
)
from pipeline.rules.cells import Cells
from pipeline.rules.conditions import safe_value
from pipeline.rules.identify import identify
from pipeline.rules.marks import info_of, info_rules
from pipeline.rules.task_rows import ADDED_PREFIX, blank, is_added_id, task_id_of, task_rows

# One value as the unit typed it: (part, row key, column label, value, A1 cell). ``part`` is
# "info" (key: the Thông tin label), "tasks" (key: the task id) or "indicators" (the field id).
Typed = tuple[str, str, str, Any, str]


@dataclass(frozen=True)
class Prepared:
    """One return identified and normalised (the per-file half of validation)."""

    source: Source
    unit: str | None
    tasks: dict[str, list[Any]]  # columns of the Nhiệm vụ rows (columnar: light to send and keep)
    indicators: dict[str, list[Any]]  # columns of the Chỉ số rows
    issues: tuple[Issue, ...]
    typed: tuple[Typed, ...] = ()  # the values as typed, first row of each key
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def file(self) -> str:
        return self.source.file


def as_typed(value: Any) -> Any:
    """A value as the unit typed it, for its feedback file: numbers stay numbers, text is cleaned."""
    if value is FORMULA_NO_VALUE or value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    return clean_text(value).value


def _indicator_rows(
    cat: Catalogue, period: Period, ret: RawReturn, unit: str, cells: Cells
) -> list[dict[str, Any]]:
    sheet = ret.source.indicators_sheet
    fields = cat.fields()
    mine = {f.id for ind in cat.indicators_of(unit, period.kind) for f in ind.fields}
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for raw in ret.indicators:
        id_cell = raw[V.IND_ID]
        fid = str(clean_text(id_cell.value).value or "")
        if not fid:
            continue
        place: dict[str, Any] = {
            "file": ret.file,
            "unit_code": unit,
            "sheet": sheet,
            "cell": id_cell.cell,
            "field": fid,
        }
        if fid not in fields or fid not in mine:
            cells.issues.append(issue(Code.FIELD_UNKNOWN, value=id_cell.value, fid=fid, **place))
            continue
        if fid in seen:
            cells.issues.append(issue(Code.FIELD_DUPLICATE, fid=fid, **place))
            continue
        seen.add(fid)
        _, f = fields[fid]
        parse = partial(FIELD_TYPES[f.type].parse, field=f, words=cat.vocabulary)
        value, bad = cells.normalise(
            parse,
            sheet,
            raw.get(V.IND_VALUE),
            fid,
            V.IND_VALUE,
        )
        evidence, _ = cells.normalise(clean_text, sheet, raw.get(V.IND_EVIDENCE), fid, V.IND_EVIDENCE)
        rows.append(
            {
                "file": ret.file,
                "unit_code": unit,
                "field_id": fid,
                "value": value,
                "value_bad": bad,
                "evidence": evidence,
                "has_evidence": evidence is not None,
                "value_cell": raw[V.IND_VALUE].cell if V.IND_VALUE in raw else "",
                "evidence_cell": raw[V.IND_EVIDENCE].cell if V.IND_EVIDENCE in raw else "",
                "sheet": sheet,
            }
        )
    return rows


def _info_issues(cat: Catalogue, ret: RawReturn, unit: str, cells: Cells) -> None:
    """The marks of ``Thông tin`` (:func:`~pipeline.rules.marks.info_rules`) on the values as typed,
    then the report date read as a date."""
    info_sheet = ret.source.info_sheet or V.SHEET_INFO
    labels = {info_of(label): label for label in L.INFO_LABELS}

    def typed(name: str) -> Any:
        cv = ret.info.get(labels[name])
        return None if cv is None or cv.value is FORMULA_NO_VALUE else cv.value

    slots = {
        Code.REPORTER_MISSING: lambda label, _v: (
            {"column": label, "info": V.SHEET_INFO}
            | ({} if label == V.INFO_DATE else {"receiver": cat.receiver_name})
        ),
        Code.EMAIL_INVALID: lambda _l, v: {"text": show_value(v, 80), "receiver": cat.receiver_name},
        Code.PHONE_INVALID: lambda _l, v: {"text": show_value(v, 80), "receiver": cat.receiver_name},
    }
    for rule in info_rules():
        if not safe_value(rule.fails, typed):
            continue
        label = labels[rule.column]
        cv = ret.info.get(label)
        value = typed(rule.column)
        cells.issues.append(
            issue(
                rule.code,
                severity=rule.severity,
                variant=rule.variant,
                file=ret.file,
                unit_code=unit,
                sheet=info_sheet,
                cell=cv.cell if cv else "",
                field=label,
                label=label,
                value=value,
                **slots[rule.code](label, value),
            )
        )
    date = ret.info.get(V.INFO_DATE)
    if date is not None and not blank(date.value):
        cells.normalise(parse_date, info_sheet, date, V.INFO_DATE, V.INFO_DATE)


def typed_values(cat: Catalogue, ret: RawReturn, unit: str | None = None) -> tuple[Typed, ...]:
    """The values as the unit typed them: every Thông tin value, then the first row of each
    task (keyed by the first id of its cell) and of each indicator field, and the rows the unit
    added (``<UNIT>-PS<n>``, with their text), non-blank cells only."""
    out: list[Typed] = [("info", label, label, as_typed(cv.value), cv.cell) for label, cv in ret.info.items()]
    seen: set[str] = set()
    added = 0
    for row in ret.tasks:
        id_cell = row[V.TASK_ID]
        if is_added_id(id_cell.value):
            text = row.get(V.TASK_TEXT)
            if unit is None or text is None or as_typed(text.value) is None:
                continue
            added += 1
            task_id = f"{unit}-{ADDED_PREFIX}{added}"
            labels: tuple[str, ...] = L.TASK_TO_FILL
        else:
            task_id = task_id_of(cat, id_cell.value)
            if not task_id or task_id in seen:
                continue
            labels = L.TASK_FILL
        seen.add(task_id)
        for label in labels:
            cv = row.get(label)
            value = as_typed(cv.value) if cv else None
            if value is not None:
                out.append(("tasks", task_id, label, value, cv.cell if cv else ""))
    seen = set()
    for row in ret.indicators:
        fid = str(as_typed(row[V.IND_ID].value) or "")
        if fid and fid not in seen:
            seen.add(fid)
            for label in L.IND_TO_FILL:
                cv = row.get(label)
                value = as_typed(cv.value) if cv else None
                if value is not None:
                    out.append(("indicators", fid, label, value, cv.cell if cv else ""))
    return tuple(out)


def _filled(tasks: dict[str, list[Any]], indicators: dict[str, list[Any]]) -> bool:
    """Whether a return says anything: a task status or an indicator value, even a wrong one."""
    statuses = zip(tasks.get("status_label", []), tasks.get("status_bad", []), strict=True)
    values = zip(indicators.get("value", []), indicators.get("value_bad", []), strict=True)
    return any(v is not None or bad for v, bad in statuses) or any(v is not None or bad for v, bad in values)


def prepare(cat: Catalogue, period: Period, ret: RawReturn) -> Prepared:
    """Identify one return and normalise its cells; pure per-file work (runs in worker processes)."""
    started = time.perf_counter()
    unit, found = identify(cat, period, ret)
    own: list[Issue] = list(found)
    tasks: dict[str, list[Any]] = {}
    indicators: dict[str, list[Any]] = {}
    if unit is not None:
        sheets = cat.sheets_for(unit, period)
        for part, sheet_name, present in (
            ("tasks", V.SHEET_TASKS, ret.source.tasks_sheet),
            ("indicators", V.SHEET_INDICATORS, ret.source.indicators_sheet),
        ):
            if part in sheets and not present:
                own.append(issue(Code.SHEET_MISSING, file=ret.file, unit_code=unit, sheet=sheet_name))
        cells = Cells(ret, unit)
        _info_issues(cat, ret, unit, cells)
        tasks = _columns(task_rows(cat, ret, unit, cells))
        if "indicators" in sheets:
            indicators = _columns(_indicator_rows(cat, period, ret, unit, cells))
        if sheets and not _filled(tasks, indicators) and not has_error(own):
            # Nothing filled: refused as empty, not counted as received (its unit is kept on the
            # issue, so the unit gets the blank template back).
            what = notes.EMPTY_NO_INDICATORS if "indicators" in sheets else ""
            own.append(
                issue(Code.RETURN_EMPTY, file=ret.file, unit_code=unit, status=V.TASK_STATUS, indicators=what)
            )
            unit, tasks, indicators = None, {}, {}
        else:
            own += cells.issues
    issues = tuple(replace(i, unit_code=unit) if unit and not i.unit_code else i for i in ret.issues) + tuple(
        own
    )
    return Prepared(
        source=ret.source,
        unit=unit,
        tasks=tasks,
        indicators=indicators,
        issues=issues,
        typed=typed_values(cat, ret, unit or next((i.unit_code for i in own if i.unit_code), None))
        if ret.source.readable
        else (),
        timings=dict(ret.timings) | {"normalise": time.perf_counter() - started},
    )


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {key: [row[key] for row in rows] for key in rows[0]} if rows else {}


def without_rows(prepared: Prepared) -> Prepared:
    """A prepared return without its rows, once they are validated (:class:`.validate.Checked`
    holds them as frames) or known to be (an earlier run's :class:`.validate.Validated`): what a
    run keeps of each return from then on (its file, unit, issues and typed values)."""
    return replace(prepared, tasks={}, indicators={})


# Columns of the Nhiệm vụ rows whose texts repeat from return to return (the catalogue's ids,
# roles and texts, the status chosen, the template's cells); a return's free text is left alone.
SHARED_COLUMNS = (
    "task_id",
    "role",
    "text",
    "sheet",
    "status_label",
    "result",
    "problems",
    "evidence_date",
    "status_cell",
    "result_value_cell",
    "evidence_cell",
)


class SharedTexts:
    """One copy of each text that repeats across the prepared returns of a run.

    A cached return is a pickle of its own, so each has its own copy of every task's id, role
    and text: about a third of what 10,000 of them hold. Passing each through :meth:`of` as it is
    loaded makes equal texts one object (the values do not change, so nothing downstream can
    tell). The workers' returns come in batches whose pickle already shares them.
    """

    def __init__(self) -> None:
        self._memo: dict[str, str] = {}

    def of(self, prepared: Prepared) -> Prepared:
        memo = self._memo
        tasks = dict(prepared.tasks)
        for key in SHARED_COLUMNS:
            column = tasks.get(key)
            if column:
                tasks[key] = one_copy(column, memo)
        return replace(prepared, tasks=tasks)
