"""The ``Nhiệm vụ`` sheet of a template: one row per task (twins a unit reports both of in one
row naming both codes), blank rows at the end for the unit's own tasks, the self-check.

Laid out for the page and the screen: A4 landscape, 12 pt text fitted to one page wide (about
10.3 pt on paper), columns narrow enough for that, rows as tall as their wrapped text, the header
row and the columns through the task's text frozen, an AutoFilter usable under protection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xlsxwriter.worksheet import Worksheet

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period
from pipeline.catalogue import (
    FIGURE_NONE,
    FIGURE_PERCENT,
    FIGURE_YES_NO,
    Catalogue,
    TaskRow,
    due_date_in,
    note_kind,
    target_level,
)
from pipeline.catalogue.field_types import number_validation, yes_no_validation
from pipeline.outputs.measure import fit
from pipeline.outputs.template_checks import Line, SheetCells, write_checks
from pipeline.outputs.template_style import (
    SIZE,
    Formats,
    page_setup,
    protect,
    shown_text,
    title_block,
    write_value,
)
from pipeline.rules.marks import EVIDENCE, FIGURE, RESULT, STATUS, TEXT, task_rules

# Mã, Phụ lục, Lĩnh vực, Nhiệm vụ, Vai trò, Thời hạn, Chỉ tiêu/căn cứ | Tình trạng, Kết quả (số liệu),
# Kết quả thực hiện, Minh chứng, Khó khăn, in units of the default font's digit (Times New Roman
# 12 pt: 8 px): A4 landscape at about 86 %, the 12 pt text printed at about 10.3 pt
TASK_WIDTHS = (9, 5, 9, 28, 9, 9, 14, 13, 8, 16, 14, 10)
FIRST_TASK_HEADER_ROW = 4  # 0-based: rows 0-3 carry the title block and the self-check line
FROZEN_COLS = L.TASK_HEADERS.index(V.TASK_TEXT) + 1  # through the task's text
FIGURE_COL = len(L.TASK_HEADERS)  # hidden: what the row's figure is (a code the formulas read)
HELPER_COL = FIGURE_COL + 1  # hidden: the row's tallies
EXTRA_ROWS = 5  # blank rows for the tasks a unit adds
EXTRA_LINES = 3  # the lines of text a blank row has room for
COLUMN = {name: L.TASK_HEADERS.index(label) for name, label in (
    (STATUS, V.TASK_STATUS), (RESULT, V.TASK_RESULT_VALUE), (EVIDENCE, V.TASK_EVIDENCE), (TEXT, V.TASK_TEXT),
)} | {FIGURE: FIGURE_COL}  # fmt: skip


def deadline_label(frequency: str, due: str, deadline_raw: str, year: int) -> str:
    """How a task's deadline reads in the template."""
    d = due_date_in(due, year)
    return {
        "weekly": T.TPL_WEEKLY,
        "annual": T.TPL_ANNUAL_BY.format(day=V.day_month(d)) if d else T.TPL_ANNUAL,
        "ongoing": T.TPL_ONGOING,
        "by_date": T.TPL_BY_DATE.format(day=V.day(d)) if d else deadline_raw,
        "on_call": deadline_raw,
        "unspecified": T.TPL_UNSPECIFIED,
    }.get(frequency, deadline_raw)


def _per_twin(row: TaskRow, texts: list[str]) -> str:
    """One text for a row's twins, or one line per twin (its appendix first) when they differ."""
    if len(set(texts)) == 1:
        return texts[0]
    return "\n".join(
        T.TPL_TWIN_LINE.format(appendix=t.appendix, text=text)
        for t, text in zip(row.tasks, texts, strict=True)
    )


def _role(task: Any, role: str) -> str:
    return V.ROLE_LABELS[role]


def _text(row: TaskRow) -> str:
    """The task's text; a Phụ lục 03 task adds the provincial body that leads it."""
    bodies = [t.province_lead for t in row.tasks if t.province_lead]
    if not bodies:
        return str(row.first.text)
    return "\n".join([row.first.text, *(T.TPL_PROVINCE_LEADS.format(body=b) for b in dict.fromkeys(bodies))])


def _note(cat: Catalogue, row: TaskRow) -> str:
    """The plan's Ghi chú as a target (``Chỉ tiêu``) or a reference (``Căn cứ``), saying who gives
    the figure of a target that is not every unit's."""
    task, role = row.first, row.roles[0]
    if not task.target_raw:
        return ""
    if note_kind(task) == "reference":
        return T.TPL_NOTE_REFERENCE.format(note=task.target_raw)
    level = target_level(task)
    if level == "lead" and role == "phoi_hop":
        return T.TPL_NOTE_LEAD.format(lead=task.lead_raw, note=task.target_raw)
    if level == "city":
        city = cat.locality.level
        if row.figure == FIGURE_YES_NO:
            return T.TPL_NOTE_CITY_ANSWER.format(
                level=city, note=task.target_raw, yes=V.YES, no=V.NO, column=V.TASK_RESULT_VALUE
            )
        return T.TPL_NOTE_CITY_LEAD.format(
            level=city, note=task.target_raw, yes=V.YES, no=V.NO, units=task.support_raw
        )
    return T.TPL_NOTE_TARGET.format(note=task.target_raw)


def fixed_texts(cat: Catalogue, row: TaskRow, year: int) -> list[str]:
    """The seven locked cells of a task row, in the order of ``L.TASK_LOCKED``."""
    tasks = row.tasks
    return [
        "\n".join(row.ids),
        "\n".join(dict.fromkeys(t.appendix[2:] for t in tasks)),
        cat.vocabulary.pillars[row.first.pillar],
        _text(row),
        _per_twin(row, [_role(t, r) for t, r in zip(tasks, row.roles, strict=True)]),
        _per_twin(row, [deadline_label(t.frequency, t.due_date, t.deadline_raw, year) for t in tasks]),
        _note(cat, row),
    ]


def _result_validation(row: TaskRow) -> dict[str, Any]:
    figure, task = row.figure, row.first
    if figure == FIGURE_YES_NO:
        return yes_no_validation(T.EXCEL_RESULT_TITLE) | {
            "input_message": T.EXCEL_RESULT_YES_NO.format(yes=V.YES, no=V.NO)
        }
    if figure == FIGURE_PERCENT:
        hint = T.EXCEL_RESULT_PERCENT.format(target=task.target_raw)[:200]
        return number_validation(False, 0, 100, T.EXCEL_RESULT_TITLE, hint) | {
            "error_message": T.EXCEL_PERCENT_ERROR
        }
    hint = (
        T.EXCEL_RESULT_HINT_TARGET.format(target=task.target_raw)
        if figure != FIGURE_NONE
        else T.EXCEL_RESULT_HINT
    )
    return number_validation(False, None, None, T.EXCEL_RESULT_TITLE, hint[:200])


def _status_validation(ws: Worksheet, first: int, last: int, col: int) -> None:
    values = "; ".join(V.STATUS_VALUES)
    ws.data_validation(
        first,
        col,
        last,
        col,
        {
            "validate": "list",
            "source": list(V.STATUS_VALUES),
            "input_title": V.TASK_STATUS,
            "input_message": T.EXCEL_STATUS_INPUT.format(values=values),
            "error_title": T.EXCEL_LIST_ERROR_TITLE,
            "error_message": T.EXCEL_STATUS_ERROR.format(values=values),
        },
    )


def write_tasks(
    ws: Worksheet,
    fmt: Formats,
    cat: Catalogue,
    unit_code: str,
    unit: str,
    period: Period,
    values_of: Mapping[str, Mapping[str, Any]],
    extra: tuple[Mapping[str, Any], ...],
    marked: Any,
) -> None:
    """Write the sheet. ``values_of``: task id → {label: value} to pre-fill (any id of a twin
    row); ``extra``: rows the unit added, {label: value}; ``marked(key, row, col, format)`` gives
    the format of a fill-in cell, colouring and commenting it when the feedback marks it."""
    h = FIRST_TASK_HEADER_ROW
    page_setup(ws, h, TASK_WIDTHS, T.TPL_PAGE_HEADER.format(unit=unit, period=period.label))
    left = sum(TASK_WIDTHS[:FROZEN_COLS])
    subtitle = T.TPL_SUBTITLE.format(unit=unit, period=period.label, deadline=V.day(cat.deadline(period)))
    title_block(
        ws,
        fmt,
        [
            (T.TPL_TASKS_TITLE, fmt.title),
            (subtitle, fmt.subtitle),
            (T.TPL_FILL_TASKS, fmt.subtitle),
            (T.TPL_LINE_TASKS.format(left=999, errors=999), fmt.line),  # measured at its longest
        ],
        FROZEN_COLS - 1,
        left,
    )
    for col, label in enumerate(L.TASK_HEADERS):
        ws.write_string(h, col, label, fmt.header if label in L.TASK_LOCKED else fmt.header_fill)
    ws.set_row(h, fit(list(zip(L.TASK_HEADERS, TASK_WIDTHS, strict=True)), SIZE, bold=True))
    rows = cat.sheet_rows(unit_code)
    positions: dict[int, dict[str, tuple[int, int]]] = {}
    written: dict[int, dict[str, Any]] = {}
    fill_labels = L.TASK_FILL
    r = h
    for r, row in enumerate(rows, start=h + 1):
        values = next((values_of[t] for t in row.ids if t in values_of), {})
        fixed = fixed_texts(cat, row, period.year)
        for col, text in enumerate(fixed):
            ws.write_string(r, col, text, fmt.locked_center if col in (0, 1) else fmt.locked)
        for col, label in enumerate(fill_labels, start=len(L.TASK_LOCKED)):
            write_value(
                ws, r, col, values.get(label), marked((V.SHEET_TASKS, row.ids[0], label), r, col, fmt.fill)
            )
        ws.write_number(r, FIGURE_COL, row.figure, fmt.hidden)
        col = L.TASK_HEADERS.index(V.TASK_RESULT_VALUE)
        ws.data_validation(r, col, r, col, _result_validation(row))
        shown = fixed + [shown_text(values.get(label)) for label in fill_labels]
        ws.set_row(r, fit(list(zip(shown, TASK_WIDTHS, strict=True)), SIZE))
        positions[r] = {name: (r, col) for name, col in COLUMN.items()}
        written[r] = {
            STATUS: values.get(V.TASK_STATUS),
            RESULT: values.get(V.TASK_RESULT_VALUE),
            EVIDENCE: values.get(V.TASK_EVIDENCE),
            TEXT: row.first.text,
            FIGURE: row.figure,
        }
    n_extra = max(EXTRA_ROWS, len(extra) + 2)
    for k in range(n_extra):
        r += 1
        values = extra[k] if k < len(extra) else {}
        key = f"{unit_code}-PS{k + 1}"
        for col, label in enumerate(L.TASK_HEADERS):
            write_value(ws, r, col, values.get(label), marked((V.SHEET_TASKS, key, label), r, col, fmt.fill))
        ws.write_blank(r, FIGURE_COL, None, fmt.hidden)
        ws.data_validation(
            r,
            COLUMN[RESULT],
            r,
            COLUMN[RESULT],
            number_validation(False, None, None, T.EXCEL_RESULT_TITLE, T.EXCEL_RESULT_HINT),
        )
        shown = [shown_text(values.get(label)) for label in L.TASK_HEADERS]
        # a blank row is as tall as a task of three lines: room for the text the unit will type
        # (a row of fixed height does not grow as it is typed in), on the screen and on paper
        ws.set_row(r, fit(list(zip(shown, TASK_WIDTHS, strict=True)), SIZE, minimum=EXTRA_LINES))
        positions[r] = {name: (r, col) for name, col in COLUMN.items()}
        written[r] = {
            STATUS: values.get(V.TASK_STATUS),
            RESULT: values.get(V.TASK_RESULT_VALUE),
            EVIDENCE: values.get(V.TASK_EVIDENCE),
            TEXT: values.get(V.TASK_TEXT),
            FIGURE: None,
        }
    last = r
    _status_validation(ws, h + 1, last, L.TASK_HEADERS.index(V.TASK_STATUS))
    ws.autofilter(h, 0, last, HELPER_COL + 2)
    ws.print_area(0, 0, last, len(L.TASK_HEADERS) - 1)
    ws.freeze_panes(h + 1, FROZEN_COLS)
    write_checks(
        ws,
        fmt,
        task_rules(cat.vocabulary.placeholders),
        SheetCells(positions, written, {}),
        HELPER_COL,
        Line(3, 0, T.TPL_LINE_TASKS, T.TPL_LINE_TASKS_DONE),
        table=True,
        last_row=last,
    )
    ws.set_column(FIGURE_COL, FIGURE_COL, None, None, {"hidden": True})
    protect(ws, table=True)


def row_of(cat: Catalogue, unit_code: str, row_key: str) -> int | None:
    """The 0-based sheet row of a task (any id of a twin row) or of a task the unit added
    (``<UNIT>-PS<n>``), or None."""
    rows = cat.sheet_rows(unit_code)
    for n, row in enumerate(rows):
        if row_key in row.ids:
            return FIRST_TASK_HEADER_ROW + 1 + n
    prefix = f"{unit_code}-PS"
    if row_key.startswith(prefix) and row_key[len(prefix) :].isdigit():
        return FIRST_TASK_HEADER_ROW + len(rows) + int(row_key[len(prefix) :])
    return None
