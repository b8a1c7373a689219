"""The rows of a return's ``Nhiệm vụ`` sheet read into task rows (part of :func:`.extract.prepare`).

A row names one task, or twins the template joins (the answer counts for both, each keeps its
role); a row whose id cell is blank (or ``PS1``, ``Phát sinh``) and that has a text is a task the unit
added, ``<UNIT>-PS<n>``, role ``phat_sinh``. The figure of ``Kết quả (số liệu)`` is read as the
task's target asks: a number, at most 100 for a percentage, or Có/Không for a city-level target.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.issues import issue
from pipeline.base.messages import notes
from pipeline.base.text import fold
from pipeline.catalogue import (
    ADDED_ROLE,
    FIGURE_NONE,
    FIGURE_PERCENT,
    FIGURE_YES_NO,
    PERCENT_MAX,
    Catalogue,
    figure_of,
)
from pipeline.intake import FORMULA_NO_VALUE, CellValue, RawReturn
from pipeline.normalize import (
    Parsed,
    YesNoWords,
    clean_text,
    parse_choice,
    parse_evidence,
    parse_number,
    parse_yes_no,
)
from pipeline.rules.cells import Cells

TEXT_COLUMNS = ((V.TASK_RESULT, "result"), (V.TASK_EVIDENCE, "evidence"), (V.TASK_PROBLEMS, "problems"))
UNKNOWN_ROWS_SHOWN = 20  # rows with an unknown task id reported one by one; the rest in one issue
ADDED_PREFIX = "PS"  # the id of a task a unit added: <UNIT>-PS<n>, in the order of its rows
Row = dict[str, CellValue]


def blank(value: Any) -> bool:
    return value is None or value is FORMULA_NO_VALUE or (isinstance(value, str) and not value.strip())


def task_id_of(cat: Catalogue, value: Any) -> str:
    """A task id as typed (any case, spaces) → the catalogue's id (the first of twins named in one
    cell); unknown ids upper-cased."""
    ids = task_ids_of(cat, value)
    return ids[0] if ids else ""


_ID_SPLIT = re.compile(r"[\s,;·/+&]+")
# What a unit may write in the id cell of a row it adds: nothing, "PS1", "Phát sinh" (folded). A
# bare number is not one of them: an id typed wrong, or a list pasted under the table.
_ADDED_ID = re.compile(r"^(?:ps\s*\d*|(?:nhiem vu\s+)?phat sinh(?:\s*\d+)?)$")


def task_ids_of(cat: Catalogue, value: Any) -> tuple[str, ...]:
    """The catalogue ids an id cell names: one, or twins the template joins in one row
    (``PL01-1.5`` and ``PL02-1.1`` on two lines); an unknown id comes back alone, upper-cased."""
    text = str(clean_text(value).value or "")
    tokens = [t for t in _ID_SPLIT.split(text) if t and fold(t) != "va"]  # "PL01-1.5 và PL02-1.1"
    if len(tokens) > 1:
        keys = [cat.task_key(t) for t in tokens]
        if all(k in cat.tasks.index for k in keys):
            return tuple(dict.fromkeys(keys))
    key = cat.task_key(text)
    return (key,) if key else ()


def is_added_id(value: Any) -> bool:
    """An id cell of a row the unit added: blank, ``PS1``, ``Phát sinh``."""
    key = fold(str(clean_text(value).value or ""))
    return not key or bool(_ADDED_ID.match(key))


SHARE = {V.YES: 100, V.NO: 0}  # a Có/Không answer to a city-level target, as the unit's share (%)


def _result_parser(figure: int, words: YesNoWords) -> Callable[[Any], Parsed]:
    """How ``Kết quả (số liệu)`` is read in a row: a number (at most 100 for a percentage), or
    Có/Không for a city-level target (read as 100 or 0: the unit's share)."""
    if figure == FIGURE_YES_NO:

        def yes_no(v: Any) -> Parsed:
            p = parse_yes_no(v, words)
            return replace(p, value=SHARE[str(p.value)]) if p.ok and p.value is not None else p

        return yes_no
    maximum = PERCENT_MAX if figure == FIGURE_PERCENT else None
    return lambda v: parse_number(v, minimum=0, maximum=maximum)


def _row_values(cat: Catalogue, raw: Row, sheet: str, cells: Cells, fld: str, figure: int) -> dict[str, Any]:
    """The fill-in cells of one task row, normalised (their issues collected)."""
    row: dict[str, Any] = {"sheet": sheet}
    aliases = cat.vocabulary.status_aliases
    statuses = list(V.STATUS_VALUES)
    row["status_label"], row["status_bad"] = cells.normalise(
        lambda v: parse_choice(v, statuses, aliases=aliases),
        sheet,
        raw.get(V.TASK_STATUS),
        fld + V.TASK_STATUS,
        V.TASK_STATUS,
    )
    parse_result = _result_parser(figure, cat.vocabulary.yes_no)
    row["result_value"], row["result_value_bad"] = cells.normalise(
        parse_result, sheet, raw.get(V.TASK_RESULT_VALUE), fld + V.TASK_RESULT_VALUE, V.TASK_RESULT_VALUE
    )
    for label, key in TEXT_COLUMNS:
        row[key], row[f"{key}_bad"] = cells.normalise(clean_text, sheet, raw.get(label), fld + label, label)
    read = parse_evidence(row["evidence"])  # per file, in the workers: documents, dates and links
    row["evidence_doc"], row["evidence_url"] = read.doc_text, read.url_text
    row["evidence_date"] = read.date.isoformat() if read.date else ""
    for label, key in (
        (V.TASK_STATUS, "status"),
        (V.TASK_RESULT_VALUE, "result_value"),
        (V.TASK_EVIDENCE, "evidence"),
    ):
        cv = raw.get(label)
        row[f"{key}_cell"] = cv.cell if cv else ""
    return row


def task_rows(cat: Catalogue, ret: RawReturn, unit: str, cells: Cells) -> list[dict[str, Any]]:
    sheet = ret.source.tasks_sheet
    role_of = dict(zip(cat.task_ids_of(unit), cat.roles_of(unit), strict=True))
    seen: dict[str, str] = {}
    rows = []
    unknown: list[str] = []  # cells of rows with an unknown task id, past the first few reported
    added = 0
    for raw in ret.tasks:
        id_cell = raw[V.TASK_ID]
        if is_added_id(id_cell.value):
            text_cell = raw.get(V.TASK_TEXT)
            text = (
                clean_text(text_cell.value).value
                if text_cell and text_cell.value is not FORMULA_NO_VALUE
                else None
            )
            status = raw.get(V.TASK_STATUS)
            if text:
                added += 1
                task_id = f"{unit}-{ADDED_PREFIX}{added}"
                values = _row_values(cat, raw, sheet, cells, f"{task_id}:", FIGURE_NONE)
                row = {"file": ret.file, "unit_code": unit, "task_id": task_id, "role": ADDED_ROLE}
                rows.append(row | values | {"text": str(text), "figure": None, "added": True})
            elif status is not None and not blank(status.value):
                where = cells.where(sheet, status, f":{V.TASK_STATUS}", V.TASK_STATUS)
                cells.issues.append(
                    issue(
                        Code.TASK_UNKNOWN,
                        variant="no_text",
                        value=status.value,
                        status=V.TASK_STATUS,
                        text=V.TASK_TEXT,
                        **where,
                    )
                )
            continue
        ids = task_ids_of(cat, id_cell.value)
        if ids[0] not in cat.tasks.index and len(unknown) + 1 > UNKNOWN_ROWS_SHOWN:
            unknown.append(id_cell.cell)
            continue
        place = cells.where(sheet, id_cell, f"{ids[0]}:{V.TASK_ID}", V.TASK_ID) | {"value": id_cell.value}
        if ids[0] not in cat.tasks.index:
            unknown.append(id_cell.cell)
            cells.issues.append(
                issue(Code.TASK_UNKNOWN, task=ids[0], column=V.TASK_ID, text=V.TASK_TEXT, **place)
            )
            continue
        mine = []
        for task_id in ids:
            place_id = place | {"field": f"{task_id}:{V.TASK_ID}"}
            if task_id not in role_of:
                cells.issues.append(issue(Code.TASK_NOT_ASSIGNED, task=task_id, **place_id))
            elif task_id in seen:
                cells.issues.append(issue(Code.TASK_DUPLICATE, task=task_id, first=seen[task_id], **place_id))
            else:
                seen[task_id] = id_cell.cell
                mine.append(task_id)
        if not mine:
            continue
        figure = figure_of(cat.task[mine[0]], role_of[mine[0]])
        values = _row_values(cat, raw, sheet, cells, f"{mine[0]}:", figure)
        for task_id in mine:
            text = str(cat.task[task_id].text)
            row = {"file": ret.file, "unit_code": unit, "task_id": task_id, "role": role_of[task_id]}
            rows.append(row | values | {"text": text, "figure": figure, "added": False})
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
    # A twin whose row is gone takes the answer of its twin (one answer counts for both).
    by_id = {r["task_id"]: r for r in rows}
    for task_id in role_of:
        if task_id in seen:
            continue
        twin = next((t for t in cat.twins.get(task_id, ()) if t in by_id), None)
        if twin is not None:
            seen[task_id] = seen[twin]
            copy = by_id[twin] | {"task_id": task_id, "role": role_of[task_id]}
            copy["figure"] = figure_of(cat.task[task_id], role_of[task_id])
            rows.append(copy)
    missing = [t for t in role_of if t not in seen]
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
