"""Feedback workbooks: each unit's own values in its own template, faulty cells marked.

The feedback file is the unit's template for the period, filled with what the unit wrote,
with every faulty cell coloured (red: error, yellow: warning) and commented in Vietnamese,
a first sheet listing every issue, and the same ``_meta``: the unit corrects this very file
and sends it back as its new return.

A unit whose return was refused (``rejected``: a report of another period, a template too old)
gets the same file: the refusal listed on the first sheet with what to do, and the template of
this period to fill, carrying the unit's values only where they belong to this period
(:data:`VALUES_KEPT`). Which file a unit's feedback is about is :func:`plan_feedback`'s choice.
The values come from the read stage (:attr:`Prepared.typed`): no return is read again here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.codes import Code, Severity
from pipeline.base.issues import Issue
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period, parse_period
from pipeline.base.text import show_value
from pipeline.catalogue import Catalogue
from pipeline.outputs.changes_sheet import ChangeRow, ChangeSheet
from pipeline.outputs.templates import FeedbackRow, Filled, cell_of, write_template
from pipeline.rules.extract import Prepared, Typed
from pipeline.rules.files import ordered
from pipeline.rules.history import Change, Comparison
from pipeline.rules.task_rows import ADDED_PREFIX

# Refusals after which what the unit wrote is still its data for this period (a template too old:
# same period, read by its labels), so the feedback file carries it. A report of another period,
# or of a period that cannot be read, is not this period's data: its feedback file is the blank
# template of this period.
VALUES_KEPT = frozenset({Code.TEMPLATE_INCOMPATIBLE})
COUNTED = ("on_time", "late")


def filled_from(
    cat: Catalogue, period: Period, typed: Iterable[Typed], unit: str, issues: Iterable[Issue]
) -> Filled:
    """The unit's values (as typed) and the marks of its issues, keyed by the template's cells."""
    info: dict[str, Any] = {}
    tasks: dict[str, dict[str, Any]] = {}
    added: dict[int, dict[str, Any]] = {}
    indicators: dict[str, tuple[Any, Any]] = {}
    prefix = f"{unit}-{ADDED_PREFIX}"
    for part, row_key, label, value, _cell in typed:
        if part == "info" and label in L.INFO_TO_FILL:
            info[label] = value
        elif part == "tasks" and row_key.startswith(prefix) and row_key[len(prefix) :].isdigit():
            added.setdefault(int(row_key[len(prefix) :]), {})[label] = value
        elif part == "tasks":
            tasks.setdefault(row_key, {})[label] = value
        elif part == "indicators":
            old = indicators.get(row_key, (None, None))
            indicators[row_key] = (value, old[1]) if label == V.IND_VALUE else (old[0], value)
    marks: dict[tuple[str, str, str], tuple[str, str]] = {}
    rows = []
    for found in ordered(issues):
        key = _mark_key(found)
        if key is not None:
            old_mark = marks.get(key)
            if old_mark is None or (old_mark[0] == "warning" and found.severity == Severity.ERROR):
                marks[key] = (str(found.severity), found.message)
            elif old_mark[1] != found.message:
                marks[key] = (old_mark[0], f"{old_mark[1]}\n{found.message}")
        rows.append(
            FeedbackRow(
                sheet=found.sheet,
                cell="" if key is None else cell_of(cat, unit, period, key),
                field=shown_field(found.field),
                value=found.value,
                severity=found.severity,
                message=found.message,
                sent_cell=found.cell,
            )
        )
    return Filled(
        info=info,
        tasks=tasks,
        indicators=indicators,
        extra_task_rows=tuple(added[n] for n in sorted(added)),
        meta={"unit_code": unit, "period": period.id},
        marks=marks,
        feedback=tuple(rows),
    )


def shown_field(name: str) -> str:
    """An issue's field as the unit reads it: ``PL01-1.3 – Minh chứng`` for ``PL01-1.3:Minh chứng``."""
    if ":" not in name:
        return name
    task, label = name.split(":", 1)
    return T.FEEDBACK_FIELD_TASK.format(task=task, label=label)


def _mark_key(found: Issue) -> tuple[str, str, str] | None:
    if not found.label or not found.field:
        return None
    if found.sheet in (V.SHEET_TASKS,) or ":" in found.field:
        task_id = found.field.split(":", 1)[0]
        return (V.SHEET_TASKS, task_id, found.label)
    if found.label in (V.IND_VALUE, V.IND_EVIDENCE):
        return (V.SHEET_INDICATORS, found.field, found.label)
    if found.label in L.INFO_LABELS:
        return (V.SHEET_INFO, found.label, found.label)
    return None


@dataclass(frozen=True)
class FeedbackPlan:
    """One unit's feedback file: the return it is about (``file``), the values it carries
    (``typed``: that return's, or none for the blank template) and the issues it lists."""

    unit: str
    file: str
    typed: tuple[Typed, ...]
    issues: list[Issue]
    compared: tuple[Comparison, ...] = ()  # what the return was compared with, and what changed


def write_feedback(cat: Catalogue, period: Period, plan: FeedbackPlan, folder: Path) -> Path:
    """Write ``folder/<UNIT>.xlsx`` for one unit's planned feedback and return its path."""
    filled = filled_from(cat, period, plan.typed, plan.unit, plan.issues)
    if plan.compared:
        filled = replace(
            filled, changes=change_sheet(cat, plan.unit, period, plan.compared, bool(plan.issues))
        )
    return write_template(cat, plan.unit, period, folder / f"{plan.unit}.xlsx", filled)


# --- what changed (the «Thay đổi» sheet) ------------------------------------------------------------

SHEET_ORDER = {V.SHEET_INFO: 0, V.SHEET_TASKS: 1, V.SHEET_INDICATORS: 2}
_FLOAT = re.compile(r"^-?\d+\.\d+(e[+-]?\d+)?$")


def shown(text: str | None) -> str:
    """A stored value as the unit reads it: numbers with a decimal comma, dates dd/mm/yyyy."""
    if text is None:
        return V.CHANGES_BLANK
    if _FLOAT.match(text) and repr(float(text)) == text:
        return V.number(float(text))
    if re.match(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$", text):
        try:
            return V.day(datetime.fromisoformat(text))
        except ValueError:
            pass
    return show_value(text)


def _since(c: Comparison) -> str:
    if c.since == "version":
        return V.CHANGES_PREVIOUS_VERSION
    p = parse_period(c.period)
    short = V.period_short(p.kind, p.year, p.start.month)
    return short[:1].upper() + short[1:]


def _row(
    cat: Catalogue, unit: str, period: Period, c: Comparison, ch: Change
) -> tuple[tuple[Any, ...], ChangeRow]:
    cell = cell_of(cat, unit, period, (ch.sheet, ch.row_key, ch.column_label))
    if ch.sheet == V.SHEET_TASKS:
        text = str(cat.tasks.at[ch.row_key, "text"]) if ch.row_key in cat.tasks.index else ""
    elif ch.sheet == V.SHEET_INDICATORS:
        found = cat.fields().get(ch.row_key)
        text = found[1].label if found else ""
    else:
        text = ""
    column = "" if ch.sheet == V.SHEET_INFO else ch.column_label
    digits = "".join(x for x in cell if x.isdigit())
    order = (
        0 if c.since == "version" else 1,
        SHEET_ORDER.get(ch.sheet, 3),
        int(digits or 0),
        len(cell),
        cell,
    )
    return order, ChangeRow(
        _since(c), ch.sheet, cell, ch.row_key, text, column, shown(ch.before), shown(ch.after)
    )


def change_sheet(
    cat: Catalogue, unit: str, period: Period, compared: Iterable[Comparison], has_issues: bool
) -> ChangeSheet:
    """What the «Thay đổi» sheet of ``unit``'s feedback shows: a note per comparison (with
    what, how many cells changed), how to read the table, and one row per changed cell."""
    notes: list[str] = []
    rows = []
    for c in compared:
        n = len(c.changes)
        if c.since == "version":
            what = T.CHANGES_EVERY_CELL.format(count=n) if n else T.CHANGES_NOTHING
            day = V.day(c.received) if isinstance(c.received, date) else ""
            notes.append(T.CHANGES_SINCE_VERSION.format(file=c.file, day=day, what=what))
        else:
            p = parse_period(c.period)
            what = (
                T.CHANGES_KEY_CELLS.format(
                    count=n, status=V.TASK_STATUS, result=V.TASK_RESULT_VALUE, value=V.IND_VALUE
                )
                if n
                else T.CHANGES_NOTHING
            )
            previous = V.period_short(p.kind, p.year, p.start.month)
            notes.append(T.CHANGES_SINCE_PERIOD.format(previous=previous, file=c.file, what=what))
        rows += [_row(cat, unit, period, c, ch) for ch in c.changes]
    if rows:
        notes.append(
            T.CHANGES_HOW_TO_READ.format(
                before=V.CHANGES_BEFORE, after=V.CHANGES_AFTER, blank=V.CHANGES_BLANK, cell=V.FEEDBACK_CELL
            )
        )
    if not has_issues:
        notes.append(T.CHANGES_NO_ISSUES)
    rows.sort(key=lambda r: r[0])
    return ChangeSheet(tuple(notes), tuple(r for _o, r in rows))


def plan_feedback(
    period: Period,
    prepared: Iterable[Prepared],
    units: Mapping[str, str],
    status: Mapping[str, str],
    received: Mapping[str, Any],
    issues: Iterable[Issue],
    compared: Mapping[str, tuple[Comparison, ...]] | None = None,
) -> list[FeedbackPlan]:
    """At most one feedback file per unit, in the order of ``prepared``.

    ``units``: file → the unit it belongs to (accepted returns, and refused returns whose unit is
    known); ``status``: file → its status in ``submissions.csv``; ``received``: file → when;
    ``compared``: unit → what its counting return was compared with (its previous version, its
    previous period), shown on the feedback's «Thay đổi» sheet.

    - A unit with a counting return (``on_time``/``late``) gets feedback on that return, when it
      has issues or is a new version of the period (a correction: the unit sees what changed):
      its values, its marks, its issues; plus the refusal of any file of the unit received after
      it (the unit must know that its later file did not replace the one that counts). A file
      refused before the counting return is past: not mentioned.
    - A unit with no counting return gets feedback on its latest refused file.
    - A refused file whose unit is unknown gets none: it is the analyst's (``issues.csv``).
    """
    prepared = list(prepared)
    by_file: dict[str, list[Issue]] = {}
    for found in issues:
        by_file.setdefault(found.file, []).append(found)
    when = {p.file: (_sortable(received.get(p.file)), p.file) for p in prepared}
    counting: dict[str, Prepared] = {}
    refused: dict[str, list[Prepared]] = {}
    for p in prepared:
        unit = units.get(p.file)
        if unit and status.get(p.file) in COUNTED:
            counting[unit] = p
        elif unit and status.get(p.file) == "rejected":
            refused.setdefault(unit, []).append(p)
    plans: list[FeedbackPlan] = []
    for unit, ret in counting.items():
        listed = list(by_file.get(ret.file, ()))
        note = T.FEEDBACK_KEPT_RETURN.format(file=ret.file)
        for r in sorted(refused.get(unit, ()), key=lambda r: when[r.file]):
            if when[r.file] > when[ret.file]:
                listed += [explain_refusal(r, i, note) for i in by_file.get(r.file, ())]
        comps = (compared or {}).get(unit, ())
        if listed or any(c.since == "version" for c in comps):
            plans.append(FeedbackPlan(unit, ret.file, ret.typed, listed, comps))
    for unit, files in refused.items():
        if unit in counting:
            continue
        ret = max(files, key=lambda r: when[r.file])
        own = by_file.get(ret.file, [])
        if not own:  # a refused file always has its reason; nothing to tell otherwise
            continue
        errors = {i.code for i in own if i.severity == Severity.ERROR}
        keep = bool(errors) and errors <= VALUES_KEPT
        if keep:
            note = T.FEEDBACK_NEW_TEMPLATE_FILLED.format(version=L.TEMPLATE_VERSION, period=period.id)
        else:
            note = T.FEEDBACK_BLANK_TEMPLATE.format(period=period.id)
        listed = [explain_refusal(ret, i, note, marks=keep) for i in own]
        plans.append(FeedbackPlan(unit, ret.file, ret.typed if keep else (), listed))
    order = {p.file: n for n, p in enumerate(prepared)}
    return sorted(plans, key=lambda p: order[p.file])


def _sortable(when: Any) -> str:
    """A received time as text that sorts in time (ISO form); an unknown time sorts first."""
    if when is None or when != when:  # None, NaN or NaT
        return ""
    return str(when.isoformat()) if hasattr(when, "isoformat") else str(when)


def explain_refusal(ret: Prepared, found: Issue, note: str, marks: bool = False) -> Issue:
    """A refused file's issue as the unit reads it in its feedback: for a whole-file refusal,
    the value that was refused (the period, the template version) and where the unit can see it;
    then ``note``, what to do with the feedback file. Without ``marks`` no cell is coloured (the
    feedback file does not carry the refused file's values). Only the feedback file shows this:
    ``issues.csv`` keeps the issue as found."""
    if found.severity != Severity.ERROR or found.cell or found.sheet:
        return found if marks else replace(found, label="")
    sheet: str = found.sheet  # empty here: a whole-file issue
    cell: str = found.cell
    field, value = found.field, found.value
    meta = ret.source.meta
    if found.code in (Code.PERIOD_MISMATCH, Code.PERIOD_INVALID):
        shown = next((t for t in ret.typed if t[0] == "info" and t[1] == V.INFO_PERIOD), None)
        field = V.INFO_PERIOD
        if meta.get("unit_code") or shown is None:  # refused on the _meta period (a hidden sheet)
            value = show_value(meta.get("period", ""), 60)
        else:  # refused on the period the unit's Thông tin sheet shows
            sheet, cell = ret.source.info_sheet or V.SHEET_INFO, shown[4]
            value = show_value(shown[3] if shown[3] is not None else "", 60)
    elif found.code == Code.TEMPLATE_INCOMPATIBLE:
        value = show_value(meta.get("template_version", ""), 60)
    message = T.FEEDBACK_REFUSAL.format(message=found.message, note=note)
    return replace(found, sheet=sheet, cell=cell, field=field, value=value, message=message, label="")
