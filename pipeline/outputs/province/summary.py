"""`Tổng hợp`, the province workbook's first sheet: the title block, the city's figures in small
tables (submissions, indicators, completion by pillar), three native charts, completion by unit.
One method a part, written top to bottom."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.outputs.province.charts import pillars_chart, score_chart, submissions_chart
from pipeline.outputs.province.data import SUMMARY_UNIT_LIMIT, Column, ReportData, mapped, nfc, number, values
from pipeline.outputs.province.style import Formats, print_setup, table, unit_columns

SUMMARY_WIDTHS = (24, 30, 13, 13, 13, 13, 13, 13, 13, 13)  # `Tổng hợp`, columns A..J


def _ordered(frame: pd.DataFrame, column: str, order: Sequence[str]) -> pd.DataFrame:
    """Rows in the order of ``order`` (others last, as they came)."""
    if column not in frame.columns:
        return frame
    position = {key: i for i, key in enumerate(order)}
    key = [position.get(str(v), len(position)) for v in frame[column]]
    return frame.assign(_key=key).sort_values("_key", kind="stable").drop(columns="_key")


def completion_columns(frame: pd.DataFrame) -> list[Column]:
    return [
        Column(V.COL_TASKS_ASSIGNED, values(frame, "assigned"), "int"),
        Column(V.COL_REPORTED, values(frame, "reported"), "int"),
        Column(V.STATUS_DONE, values(frame, "done"), "int"),
        Column(V.STATUS_IN_PROGRESS, values(frame, "in_progress"), "int"),
        Column(V.STATUS_NOT_STARTED, values(frame, "not_started"), "int"),
        Column(V.STATUS_NOT_APPLICABLE, values(frame, "not_applicable"), "int"),
        Column(V.COL_OVERDUE, values(frame, "overdue"), "int"),
        Column(V.COL_DONE_PCT, values(frame, "done_pct"), "pct"),
    ]


class SummarySheet:
    """Writes `Tổng hợp` part by part; ``row`` is the next free row."""

    def __init__(self, ws: Worksheet, wb: Workbook, fmt: Formats, data: ReportData):
        self.ws, self.wb, self.fmt, self.data = ws, wb, fmt, data
        self.row = 0
        self.rates = _ordered(data.rates, "scope", ["all", *data.kind_labels])
        self.rate_header = self.n_rates = self.pillar_header = self.n_pillars = 0

    def write(self, totals: tuple[int, int]) -> None:
        for col, w in enumerate(SUMMARY_WIDTHS):
            self.ws.set_column(col, col, w)
        print_setup(self.ws, V.SHEET_SUMMARY, self.data.period, None)
        self.title_block()
        self.submissions()
        self.indicators()
        self.pillars()
        self.charts(totals)
        self.units()

    def _table(self, columns: Sequence[Column]) -> int:
        self.ws.set_row(self.row, 33)
        return table(self.ws, self.fmt, self.row, columns, SUMMARY_WIDTHS)

    def _section(self, title: str) -> None:
        self.ws.write_string(self.row, 0, title, self.fmt.section)
        self.row += 1

    def title_block(self) -> None:
        d, fmt = self.data, self.fmt
        lines = [
            (d.city, fmt.city),
            (T.WB_TITLE, fmt.title),
            (T.WB_PERIOD_MADE.format(period=d.period.label, made_on=V.day(d.made_on)), fmt.subtitle),
            (T.WB_DEADLINE.format(deadline=V.day(d.deadline)), fmt.subtitle),
        ]
        for row, (text, f) in enumerate(lines):
            self.ws.merge_range(row, 0, row, len(SUMMARY_WIDTHS) - 1, "", f)
            self.ws.write_string(row, 0, nfc(text), f)
        self.row = len(lines) + 1

    def submissions(self) -> None:
        self._section(T.WB_SECTION_RATES)
        rates = self.rates
        scopes = dict(self.data.kind_labels) | {"all": V.CITY_SCOPE.format(level=self.data.level)}
        self.rate_header = self.row
        self.n_rates = self._table(
            [
                Column(V.COL_SCOPE, mapped(values(rates, "scope"), scopes)),
                Column(V.COL_EXPECTED, values(rates, "expected"), "int"),
                Column(V.COL_RECEIVED_COUNT, values(rates, "received"), "int"),
                Column(V.SUBMISSION_LABELS["on_time"], values(rates, "on_time"), "int"),
                Column(V.SUBMISSION_LABELS["late"], values(rates, "late"), "int"),
                Column(V.SUBMISSION_LABELS["missing"], values(rates, "missing"), "int"),
                Column(V.COL_REJECTED_FILES, values(rates, "rejected_files"), "int"),
                Column(V.COL_RATE, values(rates, "rate_pct"), "pct"),
                Column(V.COL_ON_TIME_RATE, values(rates, "on_time_pct"), "pct"),
            ],
        )
        self.row += self.n_rates + 2

    def indicators(self) -> None:
        d = self.data
        self._section(T.WB_SECTION_INDICATORS.format(level=d.level))
        if not len(d.summary):
            self.ws.write_string(self.row, 0, T.WB_NO_INDICATORS, self.fmt.note)
            self.row += 2
            return
        summary = _ordered(d.summary, "indicator_id", d.indicator_ids)
        ids = values(summary, "indicator_id")
        n = self._table(
            [
                Column(V.COL_INDICATOR_ID, ids, "code"),
                Column(V.COL_INDICATOR, [d.indicator_names.get(str(i), "") for i in ids]),
                Column(V.COL_RESPONSIBLE, values(summary, "responsible_units"), "int"),
                Column(V.COL_REPORTED_UNITS, values(summary, "reported_units"), "int"),
                Column(V.COL_FULL_SCORE_UNITS, values(summary, "full_score_units"), "int"),
                Column(V.COL_MEAN, values(summary, "mean_score"), "score"),
                Column(V.COL_MAX, values(summary, "max_score"), "score"),
            ],
        )
        self.row += n + 2

    def pillars(self) -> None:
        self._section(T.WB_SECTION_PILLARS)
        pillars = _ordered(self.data.by_pillar, "pillar", list(self.data.pillars))
        self.pillar_header = self.row
        self.n_pillars = self._table(
            [
                Column(V.COL_PILLAR, mapped(values(pillars, "pillar"), self.data.pillars)),
                *completion_columns(pillars),
            ],
        )
        self.row += self.n_pillars + 2

    def charts(self, totals: tuple[int, int]) -> None:
        """Total score by unit (full width), then submissions and completion side by side."""
        ws = self.ws
        ws.set_h_pagebreaks([self.row])  # the charts start a page (LibreOffice; Excel's "fit to" ignores it)
        self._section(T.WB_SECTION_CHARTS)
        total_col, n_units = totals
        if n_units:
            maxima = [x for x in (number(v) for v in values(self.data.ranking, "max_total")) if x]
            chart, height = score_chart(self.wb, n_units, total_col, maxima)
            ws.insert_chart(self.row, 0, chart, {"object_position": 2})
            self.row += math.ceil(height / 20) + 1
        pair: list[Any] = []
        if self.n_rates:
            rates, n_rates = self.rates, self.n_rates
            scopes = values(rates, "scope")
            first = 1 if n_rates > 1 and scopes[0] == "all" else 0  # by kind of unit when there are kinds
            rows = (self.rate_header + 1 + first, self.rate_header + n_rates)
            stacked = [
                sum(
                    number(rates[c].iloc[i]) or 0
                    for c in ("on_time", "late", "missing")
                    if c in rates.columns
                )
                for i in range(rows[0] - self.rate_header - 1, n_rates)
            ]
            pair.append(submissions_chart(self.wb, rows, stacked))
        if self.n_pillars:
            pair.append(pillars_chart(self.wb, (self.pillar_header + 1, self.pillar_header + self.n_pillars)))
        if pair:
            height = max(320, 24 * self.n_pillars + 100)
            for i, chart in enumerate(pair):
                chart.set_size({"width": 475, "height": height})
                ws.insert_chart(self.row, 0, chart, {"object_position": 2, "x_offset": 485 * i})
            self.row += math.ceil(height / 20) + 1
        if not (n_units or pair):
            ws.write_string(self.row, 0, T.WB_NO_CHART_DATA, self.fmt.note)
        self.row += 1

    def units(self) -> None:
        self._section(T.WB_SECTION_UNITS)
        by_unit = self.data.by_unit
        if len(by_unit) > SUMMARY_UNIT_LIMIT:
            note = T.WB_TOO_MANY_UNITS.format(count=V.thousands(len(by_unit)), sheet=V.SHEET_PROGRESS)
            self.ws.write_string(self.row, 0, note, self.fmt.note)
        else:
            self._table([*unit_columns(by_unit), *completion_columns(by_unit)])
