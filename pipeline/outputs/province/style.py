"""How the province workbook writes: formats, one value as what it is, a table, a list sheet with
its print layout, colours by label."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.outputs import measure
from pipeline.outputs.province.data import (
    Column,
    ReportData,
    as_datetime,
    missing,
    nfc,
    number,
    text,
    values,
    yes_no,
)

LINE_HEIGHT, MAX_LINES = 15, 27  # points per line of 11-point text; rows stay below 409 pt
# The workbook's default font, which is also the unit of its column widths (its widest digit):
# Times New Roman, the font of its cells, so that a width means the same in Excel and in
# LibreOffice (Liberation Serif, its metric twin) whatever other fonts a machine has; with
# Excel's Calibri the unit would be a font most Linux machines replace by a wider one.
DEFAULT_FONT = ("Times New Roman", 11)
PX_PER_CHAR = 7  # the widest digit of 11-point Times New Roman, in pixels: the width unit
HEADER_MIN = 33  # points: a header row of two lines
GREEN, YELLOW, ORANGE, RED, GREY = "#C6EFCE", "#FFEB9C", "#FCD5B4", "#FFC7CE", "#E7E6E6"


class Formats:
    def __init__(self, wb: Workbook):
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top"}
        cell = {**base, "border": 1}
        centre = {**base, "align": "center", "valign": "vcenter"}
        # the header block (Nghị định 30/2020): issuing body | national motto, then the title
        self.authority = wb.add_format({**centre, "font_size": 12})
        self.authority_bold = wb.add_format({**centre, "font_size": 12, "bold": True})
        self.motto = wb.add_format({**centre, "font_size": 12, "bold": True})
        self.tieu_ngu = wb.add_format({**centre, "font_size": 12, "bold": True, "underline": 1})
        self.date_line = wb.add_format({**centre, "font_size": 12, "italic": True})
        self.title = wb.add_format({**centre, "bold": True, "font_size": 13, "text_wrap": True})
        self.subtitle = wb.add_format({**centre, "italic": True, "text_wrap": True})
        self.mark = wb.add_format({**centre, "bold": True, "font_size": 13, "font_color": "#C00000"})
        self.section = wb.add_format({**base, "bold": True, "font_size": 12})
        self.note = wb.add_format({**base, "italic": True, "font_color": "#C00000"})
        self.note_wrap = wb.add_format({**base, "italic": True, "font_color": "#C00000", "text_wrap": True})
        self.explain = wb.add_format({**base, "italic": True, "font_color": "#404040"})
        self.explain_wrap = wb.add_format(
            {**base, "italic": True, "font_color": "#404040", "text_wrap": True}
        )
        self.header = wb.add_format(
            {
                **cell,
                "bold": True,
                "bg_color": "#D9E1F2",
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.by_kind = {
            "text": wb.add_format({**cell, "text_wrap": True}),
            "code": wb.add_format({**cell, "align": "center", "text_wrap": True}),
            "yes_no": wb.add_format({**cell, "align": "center", "text_wrap": True}),
            "int": wb.add_format({**cell, "num_format": "0"}),
            "count": wb.add_format({**cell, "num_format": "0", "align": "center"}),
            "pct": wb.add_format({**cell, "num_format": "0.0"}),
            "date": wb.add_format({**cell, "num_format": V.EXCEL_DATE, "align": "center"}),
            "datetime": wb.add_format({**cell, "num_format": V.EXCEL_DATETIME, "align": "center"}),
            # scores show up to two decimals, without the stray point "0.##" leaves on integers
            "score": wb.add_format({**cell, "num_format": "0"}),
        }
        self.score_decimal = wb.add_format({**cell, "num_format": "0.0#"})
        self.green = wb.add_format({"bg_color": GREEN, "font_color": "#006100"})
        self.yellow = wb.add_format({"bg_color": YELLOW, "font_color": "#9C5700"})
        self.orange = wb.add_format({"bg_color": ORANGE})
        self.red = wb.add_format({"bg_color": RED, "font_color": "#9C0006"})
        self.grey = wb.add_format({"bg_color": GREY})


def put(ws: Worksheet, fmt: Formats, row: int, col: int, value: Any, kind: str) -> None:
    """Write one value as what it is; text always with write_string (never a formula or a link)."""
    f = fmt.by_kind.get(kind, fmt.by_kind["text"])
    if missing(value):
        ws.write_blank(row, col, None, f)
        return
    if kind in ("score", "int", "count", "pct"):
        x = number(value)
        if x is None:
            ws.write_string(row, col, text(value), fmt.by_kind["text"])
        elif kind == "score":
            x = round(x, 2)
            ws.write_number(row, col, x, f if x.is_integer() else fmt.score_decimal)
        else:
            ws.write_number(row, col, x, f)
    elif kind in ("date", "datetime"):
        when = as_datetime(value)
        if when is None:
            ws.write_string(row, col, text(value), fmt.by_kind["text"])
        else:
            ws.write_datetime(row, col, when, f)
    elif kind == "yes_no":
        ws.write_string(row, col, yes_no(value) or "", f)
    else:
        ws.write_string(row, col, text(value), f)


def table(
    ws: Worksheet, fmt: Formats, row: int, columns: Sequence[Column], widths: Sequence[float] = ()
) -> int:
    """Header at ``row``, values below; return the number of data rows.

    ``widths`` are the sheet's column widths when they differ from the columns' own. Every row is
    made as tall as its longest wrapped cell needs (neither Excel nor LibreOffice grows a row for
    wrapped text on opening), so nothing is cut when printed.
    """
    if widths:
        columns = [replace(c, width=widths[min(i, len(widths) - 1)]) for i, c in enumerate(columns)]
    for c, column in enumerate(columns):
        ws.write_string(row, c, column.label, fmt.header)
    head, rows = row_heights(columns)
    ws.set_row(row, head)
    for c, column in enumerate(columns):
        for i, value in enumerate(column.values):
            put(ws, fmt, row + 1 + i, c, value, column.kind)
    for i, height in enumerate(rows):
        if height != DEFAULT_ROW:
            ws.set_row(row + 1 + i, height)
    return len(rows)


DEFAULT_ROW = 15.0  # points: a row of one line, as the workbook leaves it


def row_heights(columns: Sequence[Column]) -> tuple[float, list[float]]:
    """The heights in points that :func:`table` gives its header row and each data row."""
    head = max((line_count(c.label, c.width, bold=True) for c in columns), default=1)
    n = max((len(c.values) for c in columns), default=0)
    rows = []
    for i in range(n):
        lines = max((cell_lines(c, i) for c in columns), default=1)
        rows.append(float(LINE_HEIGHT * min(lines, MAX_LINES) + 2) if lines > 1 else DEFAULT_ROW)
    return float(max(HEADER_MIN, LINE_HEIGHT * head + 3)), rows


def cell_lines(column: Column, i: int) -> int:
    """The lines the ``i``-th value of a column takes: numbers and dates one, text as it wraps."""
    if i >= len(column.values):
        return 1
    value = column.values[i]
    if column.kind in ("score", "int", "count", "pct") and number(value) is not None:
        return 1
    if column.kind in ("date", "datetime") and as_datetime(value) is not None:
        return 1
    if column.kind == "yes_no":
        value = yes_no(value)
    return line_count(value, column.width)


def line_count(
    value: Any, width: float, bold: bool = False, size: float = 11, px_per_char: int = PX_PER_CHAR
) -> int:
    """How many lines a text needs in a column ``width`` units wide, at ``size`` points in a
    workbook whose width unit is ``px_per_char`` pixels (measured with Times New Roman's advance
    widths, :mod:`pipeline.outputs.measure`; a word that does not fit moves whole to the next line)."""
    if missing(value):
        return 1
    return measure.lines(text(value), width, size, bold, px_per_char)


def header_footer_text(raw: str) -> str:
    return raw.replace("&", "&&")


def print_setup(ws: Worksheet, title: str, data: ReportData, repeat: int | None, fit: bool = True) -> None:
    """A4 landscape, every page headed by the locality, the sheet and the period (and the sample
    mark on a sample); ``repeat``: the header row printed again on every following page."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    if fit:
        ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.6)
    if repeat is not None:
        ws.repeat_rows(repeat)
    left = header_footer_text(T.WB_PAGE_HEADER.format(authority=data.locality.name, sheet=title))
    right = header_footer_text(data.period.label)
    centre = f'&C&"Times New Roman,Bold"&12{header_footer_text(V.SAMPLE_MARK)}' if data.sample else ""
    # the header and footer keep their 9 points on a page fitted to its width
    ws.set_header(f"&L&9{left}{centre}&R&9{right}", {"margin": 0.3, "scale_with_doc": False})
    ws.set_footer(f"&C&9{T.TPL_PAGE_FOOTER}", {"margin": 0.3, "scale_with_doc": False})


def data_sheet(
    ws: Worksheet,
    fmt: Formats,
    data: ReportData,
    columns: Sequence[Column],
    freeze_cols: int = 0,
    note: str | None = None,
    explain: str | None = None,
    printed: int | None = None,
) -> tuple[int, int]:
    """A list sheet: the line saying how its figures are computed (``explain``), an optional note,
    header row, data, filter, frozen header, print layout with the header row repeated.

    The two lines above the table wrap within its width (a line that ran on to the right would
    make the page fitted to its width print the table smaller). ``printed``: how many of the
    first columns are printed (every column by default; the others are for filtering on screen).

    Returns (header row, number of data rows), both 0-based.
    """
    h = 0
    shown = len(columns) if printed is None else printed
    width = sum(c.width for c in columns[:shown])
    for line, f in ((explain, fmt.explain_wrap), (note, fmt.note_wrap)):
        if line is not None:
            if shown > 1:
                ws.merge_range(h, 0, h, shown - 1, nfc(line), f)
            else:
                ws.write_string(h, 0, nfc(line), f)
            lines = min(line_count(line, width), MAX_LINES)
            if lines > 1:
                ws.set_row(h, float(LINE_HEIGHT * lines + 2))
            h += 1
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width)
    n = table(ws, fmt, h, columns)
    ws.autofilter(h, 0, h + n, len(columns) - 1)
    ws.freeze_panes(h + 1, freeze_cols)
    print_setup(ws, ws.get_name(), data, h)
    if printed is not None:
        ws.print_area(0, 0, h + n, shown - 1)
    return h, n


def colour_labels(ws: Worksheet, rows: tuple[int, int], col: int, colours: Mapping[str, Any]) -> None:
    """Colour the cells of one column whose text equals a label (kept when the user filters)."""
    first, last = rows
    if last < first:
        return
    for label, f in colours.items():
        ws.conditional_format(
            first, col, last, col, {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": f}
        )


def unit_columns(frame: pd.DataFrame, code_width: float = 17, name_width: float = 30) -> list[Column]:
    return [
        Column(V.COL_UNIT_CODE, values(frame, "unit_code"), "code", code_width),
        Column(V.COL_UNIT_NAME, values(frame, "unit_name"), "text", name_width),
    ]
