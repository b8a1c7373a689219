"""What the sheets of a template share: cell formats, page setup, the title block, values written
as what they are, feedback marks, and row heights that fit their text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.outputs.measure import fit

FONT = "Times New Roman"
SIZE = 12  # every text a clerk reads: 12 pt on screen, at least 10 pt once a sheet is fitted to A4
TITLE_SIZE = 14
LOCKED_BG, FILL_BG, HEADER_BG, HEADER_FILL_BG = "#F2F2F2", "#FFF9E5", "#D9E1F2", "#FFE699"
ERROR_BG, WARNING_BG = "#FF9C9C", "#FFEB84"
MARGIN = 0.4  # inches, left and right


class Formats:
    def __init__(self, wb: Workbook):
        base = {"font_name": FONT, "font_size": SIZE, "valign": "top", "text_wrap": True}
        self.title = wb.add_format({**base, "bold": True, "font_size": TITLE_SIZE})
        self.subtitle = wb.add_format({**base, "italic": True})
        self.line = wb.add_format({**base, "bold": True, "font_color": "#9C0006"})
        self.header = wb.add_format(
            {**base, "bold": True, "border": 1, "bg_color": HEADER_BG, "align": "center", "valign": "vcenter"}
        )
        self.header_fill = wb.add_format(
            {
                **base,
                "bold": True,
                "border": 1,
                "bg_color": HEADER_FILL_BG,
                "align": "center",
                "valign": "vcenter",
            }
        )
        self.locked = wb.add_format({**base, "border": 1, "bg_color": LOCKED_BG})
        self.locked_center = wb.add_format({**base, "border": 1, "bg_color": LOCKED_BG, "align": "center"})
        self.fill = wb.add_format({**base, "border": 1, "locked": False, "bg_color": FILL_BG})
        self.fill_date = wb.add_format(
            {**base, "border": 1, "locked": False, "bg_color": FILL_BG, "num_format": V.EXCEL_DATE}
        )
        self.error = wb.add_format({**base, "border": 1, "locked": False, "bg_color": ERROR_BG})
        self.warning = wb.add_format({**base, "border": 1, "locked": False, "bg_color": WARNING_BG})
        self.text = wb.add_format(base)
        self.cell = wb.add_format({**base, "border": 1})  # the Thay đổi sheet's cells
        self.note = wb.add_format({**base, "italic": True})
        self.bold = wb.add_format({**base, "bold": True})
        self.hidden = wb.add_format({"font_name": FONT, "font_size": SIZE, "locked": True, "hidden": True})
        # conditional formats: only what changes (Excel keeps the cell's font and borders)
        self.cf_error = wb.add_format({"bg_color": ERROR_BG, "font_color": "#9C0006"})
        self.cf_warning = wb.add_format({"bg_color": WARNING_BG})
        self.cf_done = wb.add_format({"font_color": "#006100"})


def page_setup(
    ws: Worksheet, header_row: int | None, widths: Iterable[float], title: str, *, landscape: bool = True
) -> None:
    """A4, one page wide, margins, page header and footer; the header row repeated on every page."""
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=MARGIN, right=MARGIN, top=0.6, bottom=0.6)
    if header_row is not None:
        ws.repeat_rows(header_row)
    font = f'&"{FONT},Regular"&12'  # 12 pt: at least 10 pt where a viewer scales it with the sheet
    ws.set_header(f"&L{font}{title}", {"scale_with_doc": False})
    ws.set_footer(f"&C{font}{T.TPL_PAGE_FOOTER}", {"scale_with_doc": False})


def protect(ws: Worksheet, *, table: bool = False) -> None:
    """Sheet protection without a password; a table sheet lets the clerk filter, sort, insert rows
    and fit rows and columns."""
    options = {"format_columns": True, "format_rows": True, "select_locked_cells": True}
    if table:
        options |= {"autofilter": True, "sort": True, "insert_rows": True}
    ws.protect("", options)


def title_block(
    ws: Worksheet, fmt: Formats, lines: list[tuple[str, Any]], last_col: int, width: float
) -> None:
    """Title lines merged over the first columns (those frozen on screen), each row as tall as
    its wrapped text."""
    for row, (text, cell_format) in enumerate(lines):
        size = TITLE_SIZE if cell_format is fmt.title else SIZE
        if last_col > 0:
            ws.merge_range(row, 0, row, last_col, text, cell_format)
        else:
            ws.write_string(row, 0, text, cell_format)
        ws.set_row(row, fit([(text, width)], size, bold=cell_format in (fmt.title, fmt.line)))


def write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Any) -> None:
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


def shown_text(value: Any) -> str:
    """A value as its cell shows it, to measure the row."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return V.day(value)
    if isinstance(value, float):
        return V.number(value)
    return str(value)
