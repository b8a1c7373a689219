"""The per-file half of validation: identify one return and normalise its cells.

:func:`prepare` is pure per-file work (it runs in worker processes): it returns a
:class:`Prepared` — the return's identity, its unit, its ``Nhiệm vụ`` and ``Chỉ số`` rows as
columns of clean values with their A1 cells, the values as the unit typed them (for its
feedback file and the store) and every issue found so far. The batch half is
:func:`pipeline.rules.validate.check_prepared`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.issues import Issue, issue
from pipeline.base.messages import notes
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.catalogue.field_types import FIELD_TYPES
from pipeline.intake import FORMULA_NO_VALUE, CellValue, RawReturn, Source
from pipeline.normalize import Parsed, clean_text, parse_choice, parse_date, parse_number
from pipeline.rules.identify import identify

TEXT_COLUMNS = ((V.TASK_RESULT, "result"), (V.TASK_EVIDENCE, "evidence"), (V.TASK_PROBLEMS, "problems"))
UNKNOWN_ROWS_SHOWN = 20  # rows with an unknown task id reported one by one; the rest in one issue

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


def task_id_of(cat: Catalogue, value: Any) -> str:
    """A task id as typed (any case, spaces) → the catalogue's id; unknown ids upper-cased."""
    return cat.task_key(str(clean_text(value).value or ""))


class _Cells:
    """Normalises cells of one return, collecting the issues they raise."""

    def __init__(self, ret: RawReturn, unit: str):
        self.ret, self.unit = ret, unit
        self.issues: list[Issue] = []

    def where(self, sheet: str, cv: CellValue, fld: str, label: str) -> dict[str, Any]:
        return {
            "file": self.ret.file,
            "unit_code": self.unit,
            "sheet": sheet,
            "cell": cv.cell,
            "field": fld,
            "label": label,
        }

    def parsed(self, p: Parsed, sheet: str, cv: CellValue, fld: str, label: str) -> None:
        if p.code is not None:
            place = self.where(sheet, cv, fld, label)
            self.issues.append(
                issue(p.code, severity=p.severity, variant=p.variant, value=cv.value, **place, **p.slots)
            )

    def normalise(
        self, parse: Callable[[Any], Parsed], sheet: str, cv: CellValue | None, fld: str, label: str
    ) -> tuple[Any, bool]:
        """(clean value, parse failed)."""
        if cv is None:
            return None, False
        if cv.value is FORMULA_NO_VALUE:
            self.issues.append(issue(Code.FORMULA_NO_VALUE, **self.where(sheet, cv, fld, label)))
            return None, True
        if self.ret.external and cv.cell in self.ret.external.get(sheet, ()):
            self.issues.append(
                issue(Code.FORMULA_EXTERNAL_LINK, value=cv.value, **self.where(sheet, cv, fld, label))
            )
        if cv.value is None or cv.value == "":
            return None, False  # an empty cell: every parser gives nothing, and no issue
        p = parse(cv.value)
        self.parsed(p, sheet, cv, fld, label)
        return (p.value if p.ok else None), not p.ok


def _task_rows(cat: Catalogue, ret: RawReturn, unit: str, cells: _Cells) -> list[dict[str, Any]]:
    sheet = ret.source.tasks_sheet
    assigned = set(cat.task_ids_of(unit))
    seen: dict[str, str] = {}
    rows = []
    unknown: list[str] = []  # cells of rows with an unknown task id, past the first few reported
    aliases = cat.vocabulary.status_aliases
    statuses = list(V.STATUS_VALUES)
    for raw in ret.tasks:
        id_cell = raw[V.TASK_ID]
        task_id = task_id_of(cat, id_cell.value)
        if not task_id:
            continue
        if task_id not in cat.tasks.index and len(unknown) + 1 > UNKNOWN_ROWS_SHOWN:
            unknown.append(id_cell.cell)
            continue
        place = cells.where(sheet, id_cell, f"{task_id}:{V.TASK_ID}", V.TASK_ID) | {"value": id_cell.value}
        if task_id not in cat.tasks.index:
            unknown.append(id_cell.cell)
            cells.issues.append(issue(Code.TASK_UNKNOWN, task=task_id, result=V.TASK_RESULT, **place))
            continue
        if task_id not in assigned:
            cells.issues.append(issue(Code.TASK_NOT_ASSIGNED, task=task_id, **place))
            continue
        if task_id in seen:
            cells.issues.append(issue(Code.TASK_DUPLICATE, task=task_id, first=seen[task_id], **place))
            continue
        seen[task_id] = id_cell.cell
        row: dict[str, Any] = {"file": ret.file, "unit_code": unit, "task_id": task_id, "sheet": sheet}
        fld = f"{task_id}:"
        row["status_label"], row["status_bad"] = cells.normalise(
            lambda v: parse_choice(v, statuses, aliases=aliases),
            sheet,
            raw.get(V.TASK_STATUS),
            fld + V.TASK_STATUS,
            V.TASK_STATUS,
        )
        row["result_value"], row["result_value_bad"] = cells.normalise(
            lambda v: parse_number(v, minimum=0),
            sheet,
            raw.get(V.TASK_RESULT_VALUE),
            fld + V.TASK_RESULT_VALUE,
            V.TASK_RESULT_VALUE,
        )
        for label, key in TEXT_COLUMNS:
            row[key], row[f"{key}_bad"] = cells.normalise(
                clean_text, sheet, raw.get(label), fld + label, label
            )
        for label, key in (
            (V.TASK_STATUS, "status"),
            (V.TASK_RESULT_VALUE, "result_value"),
            (V.TASK_EVIDENCE, "evidence"),
        ):
            cv = raw.get(label)
            row[f"{key}_cell"] = cv.cell if cv else ""
        rows.append(row)
    if len(unknown) > UNKNOWN_ROWS_SHOWN:
        more = V.thousands(len(unknown) - UNKNOWN_ROWS_SHOWN)
        cells.issues.append(
            issue(
                Code.TASK_UNKNOWN,
                variant="more",
                file=ret.file,
                unit_code=unit,
                sheet=sheet,
                count=more,
                first=unknown[UNKNOWN_ROWS_SHOWN],
                last=unknown[-1],
            )
        )
    missing = [t for t in cat.task_ids_of(unit) if t not in seen]
    if missing and sheet:
        shown = ", ".join(missing[:10]) + (
            notes.MORE_TASKS.format(count=len(missing) - 10) if len(missing) > 10 else ""
        )
        cells.issues.append(
            issue(
                Code.TASK_MISSING_ROW,
                file=ret.file,
                unit_code=unit,
                sheet=sheet,
                count=len(missing),
                tasks=shown,
            )
        )
    return rows


def _indicator_rows(
    cat: Catalogue, period: Period, ret: RawReturn, unit: str, cells: _Cells
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


def _info_issues(cat: Catalogue, ret: RawReturn, unit: str, cells: _Cells) -> None:
    info_sheet = ret.source.info_sheet
    for label in (V.INFO_REPORTER, V.INFO_PHONE, V.INFO_DATE):
        cv = ret.info.get(label)
        value = clean_text(cv.value).value if cv and cv.value is not FORMULA_NO_VALUE else None
        if value is None:
            cells.issues.append(
                issue(
                    Code.REPORTER_MISSING,
                    file=ret.file,
                    unit_code=unit,
                    sheet=info_sheet or V.SHEET_INFO,
                    cell=cv.cell if cv else "",
                    field=label,
                    label=label,
                    column=label,
                    info=V.SHEET_INFO,
                    receiver=cat.receiver_name,
                )
            )
        elif label == V.INFO_DATE and cv is not None:
            cells.normalise(parse_date, info_sheet, cv, label, label)


def typed_values(cat: Catalogue, ret: RawReturn) -> tuple[Typed, ...]:
    """The values as the unit typed them: every Thông tin value, then the first row of each
    task and indicator field, non-blank cells only."""
    out: list[Typed] = [("info", label, label, as_typed(cv.value), cv.cell) for label, cv in ret.info.items()]
    seen: set[str] = set()
    for row in ret.tasks:
        task_id = task_id_of(cat, row[V.TASK_ID].value)
        if task_id and task_id not in seen:
            seen.add(task_id)
            for label in L.TASK_TO_FILL:
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
        cells = _Cells(ret, unit)
        _info_issues(cat, ret, unit, cells)
        tasks = _columns(_task_rows(cat, ret, unit, cells))
        if "indicators" in sheets:
            indicators = _columns(_indicator_rows(cat, period, ret, unit, cells))
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
        typed=typed_values(cat, ret) if ret.source.readable else (),
        timings=dict(ret.timings) | {"normalise": time.perf_counter() - started},
    )


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {key: [row[key] for row in rows] for key in rows[0]} if rows else {}
