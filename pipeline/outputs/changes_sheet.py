"""The «Thay đổi» sheet of a feedback file: what changed in the unit's return since its previous
version of the period and since its previous period, one cell per row (before → now).

The rows come ready to print (:class:`ChangeSheet`, made by :mod:`pipeline.outputs.feedback`):
this module only lays them out — A4 landscape, one page wide, the header row repeated, every row
as tall as its longest wrapped cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.worksheet import Worksheet

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period
from pipeline.outputs import measure
from pipeline.outputs.province.style import line_count
from pipeline.outputs.template_style import TITLE_SIZE

HEADERS = (
    V.CHANGES_SINCE, V.FEEDBACK_SHEET, V.FEEDBACK_CELL, V.CHANGES_ITEM, V.CHANGES_TEXT, V.CHANGES_COLUMN,
    V.CHANGES_BEFORE, V.CHANGES_AFTER,
)  # fmt: skip
WIDTHS = (15, 11, 7, 11, 44, 17, 28, 28)
POINTS_PER_LINE = 15  # 12-point Times New Roman


@dataclass(frozen=True)
class ChangeRow:
    """One changed cell as the sheet shows it (the columns of :data:`HEADERS`)."""

    since: str  # "Lần gửi trước", or the compared period ("Tháng 11/2023")
    sheet: str
    cell: str  # in this file (the template of the period)
    item: str  # the task id, the field id or the Thông tin label
    text: str  # the task's text or the field's label
    column: str
    before: str
    after: str

    def texts(self) -> tuple[str, ...]:
        return (
            self.since, self.sheet, self.cell, self.item, self.text, self.column, self.before, self.after,
        )  # fmt: skip


@dataclass(frozen=True)
class ChangeSheet:
    """The notes above the table (what each comparison is, how to read it) and its rows."""

    notes: tuple[str, ...]
    rows: tuple[ChangeRow, ...]


def _lines(text: str, width: float) -> int:
    return line_count(text, width, size=12, px_per_char=measure.PX_PER_CHAR)  # the templates' 12 pt


def fit_row(ws: Worksheet, row: int, texts: Sequence[str], widths: Sequence[float]) -> None:
    """Make a row of wrapped cells as tall as its longest cell (LibreOffice and Excel print a row
    at the height the file gives, cutting what does not fit)."""
    lines = max((_lines(t, w) for t, w in zip(texts, widths, strict=True)), default=1)
    if lines > 1:
        ws.set_row(row, POINTS_PER_LINE * lines + 3)


def write_changes(ws: Worksheet, fmt: Any, sheet: ChangeSheet, unit: str, period: Period) -> None:
    """Lay out ``sheet`` on ``ws`` (``fmt``: the template's formats)."""
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    last = len(WIDTHS) - 1
    title = T.CHANGES_TITLE.format(unit=unit, period=period.label)
    ws.merge_range(0, 0, 0, last, title, fmt.title)  # across the table: the format wraps
    lines = line_count(title, sum(WIDTHS), bold=True, size=TITLE_SIZE, px_per_char=measure.PX_PER_CHAR)
    ws.set_row(0, measure.row_height(TITLE_SIZE, lines))
    row = 1
    for note in sheet.notes:
        ws.merge_range(row, 0, row, last, note, fmt.note)
        ws.set_row(row, POINTS_PER_LINE * _lines(note, sum(WIDTHS)) + 3)
        row += 1
    header = row + 1
    for col, label in enumerate(HEADERS if sheet.rows else ()):  # nothing changed: the notes say so
        ws.write_string(header, col, label, fmt.header)
    for n, item in enumerate(sheet.rows, start=header + 1):
        texts = item.texts()
        for col, text in enumerate(texts):
            ws.write_string(n, col, text, fmt.cell)
        fit_row(ws, n, texts, WIDTHS)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if sheet.rows:
        ws.repeat_rows(header)
    ws.print_area(0, 0, header + len(sheet.rows) if sheet.rows else row - 1, last)
    heading = T.CHANGES_PAGE_HEADER.format(unit=unit, period=period.label).replace("&", "&&")
    ws.set_header(f"&L&9{heading}", {"scale_with_doc": False})  # 9 points on a page fitted to its width
    ws.set_footer(f"&C&9{T.TPL_PAGE_FOOTER}", {"scale_with_doc": False})
    if sheet.rows:
        ws.freeze_panes(header + 1, 0)
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True})
