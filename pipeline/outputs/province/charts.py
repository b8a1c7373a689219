"""The native charts of `Tổng hợp`: total score by unit, submissions by kind of unit, completion
by pillar. Each takes the cell ranges it plots; none reads data of its own."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from xlsxwriter.workbook import Workbook

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T

Range = tuple[int, int]  # first and last row (0-based) of a table's data


def _chart(wb: Workbook, kind: str, title: str, subtype: str | None = None) -> Any:
    spec = {"type": kind} | ({"subtype": subtype} if subtype else {})
    chart = wb.add_chart(spec)
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    chart.set_style(10)
    return chart


def score_chart(wb: Workbook, n_units: int, total_col: int, maxima: Sequence[float]) -> tuple[Any, int]:
    """Total score per unit, from `Điểm chỉ số`; returns the chart and its height in pixels."""
    chart = _chart(wb, "bar", T.WB_CHART_SCORES)
    chart.add_series(
        {
            "name": V.COL_TOTAL,
            "categories": [V.SHEET_SCORES, 1, 1, n_units, 1],
            "values": [V.SHEET_SCORES, 1, total_col, n_units, total_col],
            "fill": {"color": "#4472C4"},
            "gap": 60,
            "data_labels": {"value": True},
        }
    )
    chart.set_y_axis({"reverse": True, "crossing": "max"})  # the first unit on top, values below
    chart.set_x_axis(
        {"min": 0, "major_gridlines": {"visible": True}} | ({"max": max(maxima)} if maxima else {})
    )
    chart.set_legend({"none": True})
    height = max(300, 18 * n_units + 100)
    chart.set_size({"width": 960, "height": height})
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
                "data_labels": {"value": True, "num_format": "0;-0;;"},  # no label on a zero
            }
        )
    step = max(1, math.ceil(max(stacked, default=0) / 6))
    chart.set_y_axis({"name": V.COL_UNITS, "min": 0, "major_unit": step, "num_format": "0"})
    chart.set_legend({"position": "bottom"})
    return chart


def pillars_chart(wb: Workbook, rows: Range) -> Any:
    """Done % per pillar, from the pillar table of `Tổng hợp`."""
    chart = _chart(wb, "bar", T.WB_CHART_PILLARS)
    chart.add_series(
        {
            "name": V.COL_DONE_PCT,
            "categories": [V.SHEET_SUMMARY, rows[0], 0, rows[1], 0],
            "values": [V.SHEET_SUMMARY, rows[0], 8, rows[1], 8],
            "fill": {"color": "#70AD47"},
            "gap": 60,
            "data_labels": {"value": True, "num_format": "0.0"},
        }
    )
    chart.set_y_axis({"reverse": True, "crossing": "max"})
    chart.set_x_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True}})
    chart.set_legend({"none": True})
    return chart
