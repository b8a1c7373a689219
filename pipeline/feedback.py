"""Feedback workbooks: each unit's own values in its own template, faulty cells marked.

The feedback file is the unit's template for the period, filled with what the unit wrote,
with every faulty cell coloured (red: error, yellow: warning) and commented in Vietnamese,
a first sheet listing every issue, and the same ``_meta``: the unit corrects this very file
and sends it back as its new return.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline import layout as L
from pipeline.catalogue import Catalogue
from pipeline.intake import FORMULA_NO_VALUE, RawReturn
from pipeline.issues import Issue, Severity
from pipeline.normalize import clean_text
from pipeline.periods import Period
from pipeline.templates import Filled, cell_of, write_template
from pipeline.validate import canonical_task_id

SEVERITY_LABELS = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo"}


def _text(value: Any) -> Any:
    """The unit's value as it was typed (numbers stay numbers, text is cleaned)."""
    if value is FORMULA_NO_VALUE or value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    return clean_text(value).value


def filled_from(cat: Catalogue, period: Period, ret: RawReturn, unit: str, issues: Iterable[Issue]) -> Filled:
    """The unit's values and the marks of its issues, keyed by the template's cells."""
    info = {label: _text(cv.value) for label, cv in ret.info.items() if label in L.INFO_TO_FILL}
    tasks: dict[str, dict[str, Any]] = {}
    for row in ret.tasks:
        task_id = canonical_task_id(cat, row[L.TASK_ID].value)
        if task_id and task_id not in tasks:
            tasks[task_id] = {label: _text(row[label].value) for label in L.TASK_TO_FILL if label in row}
    indicators: dict[str, tuple[Any, Any]] = {}
    for row in ret.indicators:
        fid = str(_text(row[L.IND_ID].value) or "")
        if fid and fid not in indicators:
            value = row.get(L.IND_VALUE)
            evidence = row.get(L.IND_EVIDENCE)
            indicators[fid] = (
                _text(value.value) if value else None,
                _text(evidence.value) if evidence else None,
            )
    marks: dict[tuple[str, str, str], tuple[str, str]] = {}
    rows = []
    for issue in issues:
        key = _mark_key(issue)
        if key is not None:
            old = marks.get(key)
            if old is None or (old[0] == "warning" and issue.severity == Severity.ERROR):
                marks[key] = (str(issue.severity), issue.message)
            elif old[1] != issue.message:
                marks[key] = (old[0], f"{old[1]}\n{issue.message}")
        rows.append(
            {
                L.FEEDBACK_SHEET: issue.sheet,
                L.FEEDBACK_CELL: "" if key is None else cell_of(cat, unit, period, key),
                L.FEEDBACK_FIELD: issue.field,
                L.FEEDBACK_VALUE: issue.value,
                L.FEEDBACK_SEVERITY: SEVERITY_LABELS[issue.severity],
                L.FEEDBACK_MESSAGE: issue.message,
                L.FEEDBACK_SENT_CELL: issue.cell,
            }
        )
    return Filled(
        info=info,
        tasks=tasks,
        indicators=indicators,
        meta={"unit_code": unit, "period": period.id},
        marks=marks,
        feedback=tuple(rows),
    )


def _mark_key(issue: Issue) -> tuple[str, str, str] | None:
    if not issue.label or not issue.field:
        return None
    if issue.sheet in (L.SHEET_TASKS,) or ":" in issue.field:
        task_id = issue.field.split(":", 1)[0]
        return (L.SHEET_TASKS, task_id, issue.label)
    if issue.label in (L.IND_VALUE, L.IND_EVIDENCE):
        return (L.SHEET_INDICATORS, issue.field, issue.label)
    if issue.label in L.INFO_LABELS:
        return (L.SHEET_INFO, issue.label, issue.label)
    return None


def write_feedback(
    cat: Catalogue, period: Period, ret: RawReturn, unit: str, issues: list[Issue], folder: Path
) -> Path:
    """Write ``folder/<UNIT>.xlsx`` for one unit's return and its issues."""
    filled = filled_from(cat, period, ret, unit, issues)
    return write_template(cat, unit, period, folder / f"{unit}.xlsx", filled)
