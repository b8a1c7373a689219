"""The native charts of `Tổng hợp`: score share by unit, submissions by kind of unit, completion
by pillar. Each takes the cell ranges it plots; none reads data of its own."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from xlsxwriter.workbook import Workbook

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T

Range = tuple[int, int]  # first and last row (0-based) of a table's data
# 11-point chart text (xlsxwriter's default is 10): `Tổng hợp` is fitted to the page width, and
# its charts' labels print at about 9 points with it
FONT = {"size": 11}


def _chart(wb: Workbook, kind: str, title: str, subtype: str | None = None) -> Any:
    spec = {"type": kind} | ({"subtype": subtype} if subtype else {})
    chart = wb.add_chart(spec)
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    chart.set_style(10)
    return chart


def score_chart(wb: Workbook, first: int, count: int, col: int, sent: Sequence[bool]) -> tuple[Any, int]:
    """Each unit's score as a share of its own maximum, so the radio station (maximum 20) and a
    ward (maximum 40) compare; from `Tổng hợp`'s hidden chart cells (labels in ``col``, values in
    the next), where a unit that sent nothing is named with Chưa nộp and has no value. Returns the
    chart and its height in pixels."""
    chart = _chart(wb, "bar", T.WB_CHART_SCORES)
    last = first + count - 1
    chart.add_series(
        {
            "name": V.COL_PCT,
            "categories": [V.SHEET_SUMMARY, first, col, last, col],
            "values": [V.SHEET_SUMMARY, first, col + 1, last, col + 1],
            "fill": {"color": "#4472C4"},
            "gap": 60,
            "data_labels": {"value": True, "num_format": "0.0", "font": FONT},
        }
    )
    chart.show_hidden_data()  # its cells are in hidden columns
    chart.show_blanks_as("gap")
    # the first unit on top, values below
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": FONT})
    chart.set_x_axis(
        {"min": 0, "max": 100, "major_unit": 20, "major_gridlines": {"visible": True}, "num_font": FONT}
    )
    chart.set_legend({"none": True})
    height = max(300, 24 * count + 100)  # a unit's 11-point name a bar: none skipped
    chart.set_size({"width": 1010, "height": height})
    return chart, height


def submissions_chart(wb: Workbook, rows: Range, stacked: Sequence[float]) -> Any:
    """On time, late and missing units per kind of unit, from the rates table of `Tổng hợp`."""
    chart = _chart(wb, "column", T.WB_CHART_SUBMISSIONS, "stacked")
    for col, name, colour in (
        (3, V.SUBMISSION_LABELS["on_time"], "#70AD47"),
        (4, V.SUBMISSION_LABELS["late"], "#FFC000"),
        (5, V.SUBMISSION_LABELS["missing"], "#C00000"),
    ):
        chart.add_series(
            {
                "name": name,
                "categories": [V.SHEET_SUMMARY, rows[0], 0, rows[1], 0],
                "values": [V.SHEET_SUMMARY, rows[0], col, rows[1], col],
                "fill": {"color": colour},
                "data_labels": {"value": True, "num_format": "0;-0;;", "font": FONT},  # no label on a zero
            }
        )
    step = max(1, math.ceil(max(stacked, default=0) / 6))
    chart.set_y_axis(
        {
            "name": V.COL_UNITS,
            "min": 0,
            "major_unit": step,
            "num_format": "0",
            "num_font": FONT,
            "name_font": FONT,
        }
    )
    chart.set_x_axis({"num_font": FONT})
    chart.set_legend({"position": "bottom", "font": FONT})
    return chart


def pillars_chart(wb: Workbook, rows: Range, pct_col: int) -> Any:
    """Done % per pillar, from the pillar table of `Tổng hợp` (done % in column ``pct_col``)."""
    chart = _chart(wb, "bar", T.WB_CHART_PILLARS)
    chart.add_series(
        {
            "name": V.COL_DONE_PCT,
            "categories": [V.SHEET_SUMMARY, rows[0], 0, rows[1], 0],
            "values": [V.SHEET_SUMMARY, rows[0], pct_col, rows[1], pct_col],
            "fill": {"color": "#70AD47"},
            "gap": 60,
            "data_labels": {"value": True, "num_format": "0.0", "font": FONT},
        }
    )
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": FONT})
    chart.set_x_axis(
        {"min": 0, "max": 100, "major_unit": 20, "major_gridlines": {"visible": True}, "num_font": FONT}
    )
    chart.set_legend({"none": True})
    return chart
