"""How the province workbook writes: formats, one value as what it is, a table, a list sheet with
its print layout, colours by label."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period
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

LINE_HEIGHT, MAX_LINES = 15, 20  # points per line of 11-point text; rows stay below 409 pt
GREEN, YELLOW, ORANGE, RED, GREY = "#C6EFCE", "#FFEB9C", "#FCD5B4", "#FFC7CE", "#E7E6E6"


class Formats:
    def __init__(self, wb: Workbook):
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top"}
        cell = {**base, "border": 1}
        self.city = wb.add_format({**base, "bold": True, "font_size": 12, "align": "center"})
        self.title = wb.add_format({**base, "bold": True, "font_size": 14, "align": "center"})
        self.subtitle = wb.add_format({**base, "italic": True, "align": "center"})
        self.section = wb.add_format({**base, "bold": True, "font_size": 12})
        self.note = wb.add_format({**base, "italic": True, "font_color": "#C00000"})
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
            "code": wb.add_format({**cell, "align": "center"}),
            "yes_no": wb.add_format({**cell, "align": "center"}),
            "int": wb.add_format({**cell, "num_format": "0"}),
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
    if kind in ("score", "int", "pct"):
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

    ``widths`` are the sheet's column widths when they differ from the columns' own.
    """
    if widths:
        columns = [replace(c, width=widths[min(i, len(widths) - 1)]) for i, c in enumerate(columns)]
    for c, column in enumerate(columns):
        ws.write_string(row, c, column.label, fmt.header)
    n = max((len(c.values) for c in columns), default=0)
    for c, column in enumerate(columns):
        for i, value in enumerate(column.values):
            put(ws, fmt, row + 1 + i, c, value, column.kind)
    # Neither Excel nor LibreOffice reliably grows a row for wrapped text on opening: estimate it.
    wrapped = [c for c in columns if c.kind == "text"]
    for i in range(n):
        lines = max((line_count(c.values[i], c.width) for c in wrapped if i < len(c.values)), default=1)
        if lines > 1:
            ws.set_row(row + 1 + i, LINE_HEIGHT * min(lines, MAX_LINES))
    return n


def line_count(value: Any, width: float) -> int:
    """How many lines a text needs in a column ``width`` characters wide (an estimate)."""
    if missing(value):
        return 1
    per_line = max(1, int(width * 1.4))  # Times New Roman is narrower than the width unit ("0")
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text(value).split("\n"))


def header_footer_text(raw: str) -> str:
    return raw.replace("&", "&&")


def print_setup(ws: Worksheet, title: str, period: Period, repeat: tuple[int, int] | None) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    ws.set_header(f"&L&8{header_footer_text(T.WB_PAGE_HEADER.format(sheet=title, period=period.label))}")
    ws.set_footer(f"&C&8{T.TPL_PAGE_FOOTER}")


def data_sheet(
    ws: Worksheet,
    fmt: Formats,
    data: ReportData,
    columns: Sequence[Column],
    freeze_cols: int = 0,
    note: str | None = None,
) -> tuple[int, int]:
    """A list sheet: optional note line, header row, data, filter, frozen header, print layout.

    Returns (header row, number of data rows), both 0-based.
    """
    h = 0
    if note is not None:
        ws.write_string(0, 0, nfc(note), fmt.note)
        h = 1
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width)
    ws.set_row(h, 33)
    n = table(ws, fmt, h, columns)
    ws.autofilter(h, 0, h + n, len(columns) - 1)
    ws.freeze_panes(h + 1, freeze_cols)
    print_setup(ws, ws.get_name(), data.period, (0, h))
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


def unit_columns(frame: pd.DataFrame) -> list[Column]:
    return [
        Column(V.COL_UNIT_CODE, values(frame, "unit_code"), "code", 18),
        Column(V.COL_UNIT_NAME, values(frame, "unit_name"), "text", 36),
    ]
