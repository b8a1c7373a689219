"""Write the workbook each unit fills for a period (contract §5), with xlsxwriter.

One workbook per unit and period: ``Hướng dẫn``, ``Thông tin``, ``Nhiệm vụ``, ``Chỉ số``
(only for units that report indicators in that period) and a hidden ``_meta``. Drop-downs,
number checks with Vietnamese messages, locked reference columns, print layout. The same
inputs give byte-identical files: the document dates come from ``generated_at``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.codes import Severity
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period
from pipeline.base.text import a1
from pipeline.catalogue import Catalogue, Indicator, due_date_in
from pipeline.catalogue.field_types import FIELD_TYPES, number_validation
from pipeline.outputs.changes_sheet import ChangeSheet, fit_row, write_changes
from pipeline.outputs.template_help import guide_lines, send_to
from pipeline.outputs.xlsx import new_workbook

TASK_WIDTHS = (12, 10, 16, 48, 10, 16, 26, 17, 12, 36, 30, 26)
IND_WIDTHS = (8, 34, 40, 8, 34, 14, 40)
FIRST_TASK_HEADER_ROW = 4  # 0-based: rows 0-3 carry the title block
FEEDBACK_WIDTHS = (14, 10, 26, 24, 10, 70, 14)


@dataclass(frozen=True)
class Filled:
    """Values to pre-fill (demo returns, tests): labels as in the template."""

    info: Mapping[str, Any] = field(default_factory=dict)
    tasks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # task_id → {label: value}
    indicators: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)  # field id → (value, evidence)
    extra_task_rows: tuple[Mapping[str, Any], ...] = ()  # rows a unit added by hand
    meta: Mapping[str, str] = field(default_factory=dict)  # overrides of _meta values
    # feedback: (sheet, row key, column label) → (severity, message); row key is the task id,
    # the field id, or the Thông tin label
    marks: Mapping[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    feedback: tuple[FeedbackRow, ...] = ()  # rows of the feedback sheet
    changes: ChangeSheet | None = None  # feedback: what changed since the unit's earlier returns


@dataclass(frozen=True)
class FeedbackRow:
    """One issue as the feedback sheet lists it (the columns of ``L.FEEDBACK_HEADERS``)."""

    sheet: str
    cell: str  # in this file (the template of the period)
    field: str
    value: str
    severity: Severity
    message: str
    sent_cell: str  # in the file the unit sent

    def texts(self) -> tuple[str, ...]:
        return (
            self.sheet, self.cell, self.field, self.value, V.SEVERITY_LABELS[str(self.severity)], self.message,
            self.sent_cell,
        )  # fmt: skip


def generated_date() -> date:
    """Today, or SOURCE_DATE_EPOCH (reproducible builds) when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.utcfromtimestamp(int(epoch)).date() if epoch else date.today()


def template_name(period: Period, unit_code: str) -> str:
    return f"{period.id}_{unit_code}.xlsx"


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


class _Formats:
    def __init__(self, wb: Workbook):
        base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14, "text_wrap": False})
        self.subtitle = wb.add_format({**base, "italic": True, "text_wrap": False})
        self.header = wb.add_format(
            {**base, "bold": True, "border": 1, "bg_color": "#D9E1F2", "align": "center", "valign": "vcenter"}
        )
        self.header_fill = wb.add_format(
            {**base, "bold": True, "border": 1, "bg_color": "#FFE699", "align": "center", "valign": "vcenter"}
        )
        self.locked = wb.add_format({**base, "border": 1, "bg_color": "#F2F2F2"})
        self.locked_center = wb.add_format({**base, "border": 1, "bg_color": "#F2F2F2", "align": "center"})
        self.fill = wb.add_format({**base, "border": 1, "locked": False, "bg_color": "#FFF9E5"})
        self.fill_date = wb.add_format(
            {**base, "border": 1, "locked": False, "bg_color": "#FFF9E5", "num_format": V.EXCEL_DATE}
        )
        self.error = wb.add_format({**base, "border": 1, "locked": False, "bg_color": "#FF9C9C"})
        self.warning = wb.add_format({**base, "border": 1, "locked": False, "bg_color": "#FFEB84"})
        self.text = wb.add_format(base)
        self.cell = wb.add_format({**base, "border": 1})
        self.note = wb.add_format({**base, "italic": True})
        self.bold = wb.add_format({**base, "bold": True})


def _prepare(ws: Worksheet, header_row: int, widths: Iterable[float], title: str) -> None:
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(header_row)
    ws.set_header(f"&L&8{title}")
    ws.set_footer(f"&C&8{T.TPL_PAGE_FOOTER}")
    ws.freeze_panes(header_row + 1, 1)
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True})


def _title_block(ws: Worksheet, fmt: _Formats, title: str, unit: str, period: Period, deadline: date) -> None:
    ws.write_string(0, 0, title, fmt.title)
    ws.write_string(
        1, 0, T.TPL_SUBTITLE.format(unit=unit, period=period.label, deadline=V.day(deadline)), fmt.subtitle
    )
    ws.write_string(2, 0, T.TPL_FILL_ONLY, fmt.subtitle)


def _write_guide(
    ws: Worksheet, fmt: _Formats, cat: Catalogue, unit: str, period: Period, has_tasks: bool, has_ind: bool
) -> None:
    deadline = cat.deadline(period)
    ws.set_column(0, 0, 110)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"select_locked_cells": True})
    email, phone = cat.receiver_contact
    where = send_to(cat.locality.short_name, cat.receiver_name, email, phone)
    styles = {"title": fmt.title, "bold": fmt.bold, "text": fmt.text}
    lines = guide_lines(unit, period.label, deadline, has_tasks, has_ind, cat.evidence_text, where)
    for row, (text, style) in enumerate(lines):
        ws.write_string(row, 0, text, styles[style])


def _write_info(
    ws: Worksheet, fmt: _Formats, cat: Catalogue, unit: str, period: Period, filled: Filled
) -> None:
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 60)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"select_locked_cells": True})
    for col, label in enumerate(V.INFO_HEADER):
        ws.write_string(0, col, label, fmt.header)
    locked = {
        V.INFO_UNIT: unit,
        V.INFO_PERIOD: period.label,
        V.INFO_DEADLINE: V.day(cat.deadline(period)),
    }
    for row, label in enumerate(L.INFO_LABELS, start=1):
        ws.write_string(row, 0, label, fmt.locked)
        if label in locked:
            ws.write_string(row, 1, locked[label], fmt.locked)
            continue
        f = fmt.fill_date if label == V.INFO_DATE else fmt.fill
        _write_value(
            ws,
            row,
            1,
            filled.info.get(label),
            _marked(ws, fmt, filled, (V.SHEET_INFO, label, label), row, 1, f),
        )
        if label == V.INFO_DATE:
            ws.data_validation(
                row,
                1,
                row,
                1,
                {
                    "validate": "date",
                    "criteria": "between",
                    "minimum": date(2000, 1, 1),
                    "maximum": date(2100, 12, 31),
                    "input_title": V.INFO_DATE,
                    "input_message": T.EXCEL_DATE_INPUT,
                    "error_title": T.EXCEL_DATE_ERROR_TITLE,
                    "error_message": T.EXCEL_DATE_ERROR,
                },
            )


def _marked(
    ws: Worksheet, fmt: _Formats, filled: Filled, key: tuple[str, str, str], row: int, col: int, f: Any
) -> Any:
    """The format of a fill cell; a feedback mark colours it and adds a comment."""
    mark = filled.marks.get(key)
    if mark is None:
        return f
    severity, message = mark
    ws.write_comment(row, col, message, {"x_scale": 2.5, "y_scale": 2.5, "author": "dti"})
    return fmt.error if severity == "error" else fmt.warning


def _write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Any) -> None:
    """Write a value as what it is; text is always text (never a formula or a link)."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, datetime | date):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


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


def _write_tasks(
    ws: Worksheet, fmt: _Formats, cat: Catalogue, unit_code: str, unit: str, period: Period, filled: Filled
) -> None:
    h = FIRST_TASK_HEADER_ROW
    _prepare(ws, h, TASK_WIDTHS, T.TPL_PAGE_HEADER.format(unit=unit, period=period.label))
    _title_block(ws, fmt, T.TPL_TASKS_TITLE, unit, period, cat.deadline(period))
    for col, label in enumerate(L.TASK_HEADERS):
        ws.write_string(h, col, label, fmt.header if label in L.TASK_LOCKED else fmt.header_fill)
    ws.set_row(h, 32)
    rows = [(t, filled.tasks.get(t.task_id, {})) for t in cat.task_rows(unit_code)]
    row = h
    for row, (t, values) in enumerate(rows, start=h + 1):
        fixed = [
            t.task_id,
            T.TPL_APPENDIX.format(number=t.appendix[2:]),
            cat.vocabulary.pillars[t.pillar],
            t.text,
            V.ROLE_LABELS[t.role],
            deadline_label(t.frequency, t.due_date, t.deadline_raw, period.year),
            t.target_raw,
        ]
        for col, value in enumerate(fixed):
            ws.write_string(row, col, value, fmt.locked_center if col in (0, 1, 4) else fmt.locked)
        for col, label in enumerate(L.TASK_TO_FILL, start=len(L.TASK_LOCKED)):
            f = _marked(ws, fmt, filled, (V.SHEET_TASKS, t.task_id, label), row, col, fmt.fill)
            _write_value(ws, row, col, values.get(label), f)
        hint = T.EXCEL_RESULT_HINT_TARGET.format(target=t.target_raw) if t.target else T.EXCEL_RESULT_HINT
        col = L.TASK_HEADERS.index(V.TASK_RESULT_VALUE)
        ws.data_validation(
            row, col, row, col, number_validation(False, None, None, T.EXCEL_RESULT_TITLE, hint)
        )
    for extra in filled.extra_task_rows:
        row += 1
        for col, label in enumerate(L.TASK_HEADERS):
            _write_value(ws, row, col, extra.get(label), fmt.fill)
    if rows:
        _status_validation(ws, h + 1, h + len(rows), L.TASK_HEADERS.index(V.TASK_STATUS))
        ws.autofilter(h, 0, h + len(rows), len(L.TASK_HEADERS) - 1)


def _write_indicators(
    ws: Worksheet,
    fmt: _Formats,
    cat: Catalogue,
    indicators: Iterable[Indicator],
    unit: str,
    period: Period,
    filled: Filled,
) -> None:
    h = FIRST_TASK_HEADER_ROW
    _prepare(ws, h, IND_WIDTHS, T.TPL_PAGE_HEADER.format(unit=unit, period=period.label))
    _title_block(ws, fmt, T.TPL_INDICATORS_TITLE, unit, period, cat.deadline(period))
    for col, label in enumerate(L.IND_HEADERS):
        ws.write_string(h, col, label, fmt.header if label in L.IND_LOCKED else fmt.header_fill)
    ws.set_row(h, 32)
    row = h
    value_col = L.IND_HEADERS.index(V.IND_VALUE)
    for ind in indicators:
        first, last = row + 1, row + len(ind.fields)
        # the indicator's name, maximum and rule once, over all its input rows (so the column of
        # maxima adds up to the unit's maximum)
        for col, value, cell_format in (
            (1, f"{ind.id}. {ind.name}", fmt.locked),
            (3, ind.max_score, fmt.locked_center),
            (4, ind.rule_text, fmt.locked),
        ):
            if last > first:
                ws.merge_range(first, col, last, col, value, cell_format)
            elif isinstance(value, str):
                ws.write_string(first, col, value, cell_format)
            else:
                ws.write_number(first, col, value, cell_format)
        for f in ind.fields:
            row += 1
            ws.write_string(row, 0, f.id, fmt.locked_center)
            ws.write_string(row, 2, f.label, fmt.locked)
            value, evidence = filled.indicators.get(f.id, (None, None))
            for col, label, v in ((value_col, V.IND_VALUE, value), (value_col + 1, V.IND_EVIDENCE, evidence)):
                _write_value(
                    ws,
                    row,
                    col,
                    v,
                    _marked(ws, fmt, filled, (V.SHEET_INDICATORS, f.id, label), row, col, fmt.fill),
                )
            validation = FIELD_TYPES[f.type].excel(f)
            if validation is not None:
                ws.data_validation(row, value_col, row, value_col, validation)


def _write_feedback(
    ws: Worksheet, fmt: _Formats, rows: Iterable[FeedbackRow], unit: str, period: Period
) -> None:
    """The list of every issue found in the unit's return, first sheet of a feedback file."""
    widths = FEEDBACK_WIDTHS
    ws.write_string(0, 0, T.FEEDBACK_TITLE.format(unit=unit, period=period.label), fmt.title)
    ws.write_string(1, 0, T.FEEDBACK_SUBTITLE, fmt.subtitle)
    _prepare(ws, 3, widths, T.FEEDBACK_PAGE_HEADER.format(unit=unit, period=period.label))
    for col, label in enumerate(L.FEEDBACK_HEADERS):
        ws.write_string(3, col, label, fmt.header)
    level = L.FEEDBACK_HEADERS.index(V.FEEDBACK_SEVERITY)
    for row, item in enumerate(rows, start=4):
        f = fmt.error if item.severity == Severity.ERROR else fmt.warning
        texts = item.texts()
        for col, text in enumerate(texts):
            ws.write_string(row, col, text, f if col == level else fmt.text)
        fit_row(ws, row, texts, widths)


def _write_meta(ws: Worksheet, values: Mapping[str, str]) -> None:
    ws.hide()
    ws.protect("", {})
    for row, key in enumerate(L.META_KEYS):
        ws.write_string(row, 0, key)
        ws.write_string(row, 1, values[key])


def write_template(
    cat: Catalogue,
    unit_code: str,
    period: Period,
    path: Path,
    filled: Filled | None = None,
    generated: date | None = None,
) -> Path:
    """Write one unit's workbook for a period to ``path`` (atomically) and return the path."""
    filled = filled or Filled()
    generated = generated or generated_date()
    unit = cat.unit_name(unit_code)
    sheets = cat.sheets_for(unit_code, period)
    indicators = cat.indicators_of(unit_code, period.kind) if "indicators" in sheets else ()
    meta = {
        "template_version": L.TEMPLATE_VERSION,
        "unit_code": unit_code,
        "period": period.id,
        "generated_at": generated.isoformat(),
        "catalogue_version": cat.version,
    } | dict(filled.meta)
    with new_workbook(path) as wb:
        wb.set_properties(
            {
                "title": T.TPL_DOC_TITLE.format(unit=unit, period=period.label),
                "author": cat.locality.name,
                "company": cat.locality.name,
                "comments": f"dti template {L.TEMPLATE_VERSION}",
                "created": datetime(generated.year, generated.month, generated.day),
            }
        )
        fmt = _Formats(wb)
        if filled.feedback:
            _write_feedback(wb.add_worksheet(V.SHEET_FEEDBACK), fmt, filled.feedback, unit, period)
        if filled.changes is not None:
            write_changes(wb.add_worksheet(V.SHEET_CHANGES), fmt, filled.changes, unit, period)
        guide = wb.add_worksheet(V.SHEET_GUIDE)
        _write_guide(guide, fmt, cat, unit, period, "tasks" in sheets, bool(indicators))
        _write_info(wb.add_worksheet(V.SHEET_INFO), fmt, cat, unit, period, filled)
        first = None  # the sheet the workbook opens on: the first to fill
        if "tasks" in sheets:
            first = wb.add_worksheet(V.SHEET_TASKS)
            _write_tasks(first, fmt, cat, unit_code, unit, period, filled)
        if indicators:
            ind_ws = wb.add_worksheet(V.SHEET_INDICATORS)
            _write_indicators(ind_ws, fmt, cat, indicators, unit, period, filled)
            first = first or ind_ws
        _write_meta(wb.add_worksheet(V.SHEET_META), meta)
        told = filled.feedback or filled.changes is not None  # a feedback file opens on what it tells
        (first if first is not None and not told else wb.worksheets()[0]).activate()
    return path


def write_templates(
    cat: Catalogue,
    period: Period,
    out_dir: Path,
    units: Iterable[str] | None = None,
    progress: Callable[[Iterable[str]], Iterable[str]] = lambda it: it,
) -> list[Path]:
    """Write the templates of every expected unit (or of ``units``) into ``out_dir/<period>/``."""
    codes = list(units) if units else list(cat.expected_units(period))
    folder = out_dir / period.id
    folder.mkdir(parents=True, exist_ok=True)
    generated = generated_date()
    return [
        write_template(cat, code, period, folder / template_name(period, code), generated=generated)
        for code in progress(codes)
    ]


def cell_of(cat: Catalogue, unit_code: str, period: Period, key: tuple[str, str, str]) -> str:
    """The A1 cell of (sheet, row key, column label) in the unit's template, or "" when absent."""
    sheet, row_key, label = key
    if sheet == V.SHEET_INFO and label in L.INFO_LABELS:
        return a1(L.INFO_LABELS.index(label) + 1, 1)
    if sheet == V.SHEET_TASKS and label in L.TASK_HEADERS:
        ids = list(cat.task_ids_of(unit_code))
        if row_key in ids:
            return a1(FIRST_TASK_HEADER_ROW + 1 + ids.index(row_key), L.TASK_HEADERS.index(label))
    if sheet == V.SHEET_INDICATORS and label in L.IND_HEADERS:
        ids = [f.id for ind in cat.indicators_of(unit_code, period.kind) for f in ind.fields]
        if row_key in ids:
            return a1(FIRST_TASK_HEADER_ROW + 1 + ids.index(row_key), L.IND_HEADERS.index(label))
    return ""
