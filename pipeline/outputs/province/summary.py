"""`Tổng hợp`, the province workbook's first sheet and the narrative report's appendix: the header
block of Nghị định 30/2020 (issuing body and national motto), the "Phụ lục" title, the city's
figures in small tables (submissions, indicators, completion by pillar), three native charts on
a page of their own, completion by unit on the next. One method a part, written top to bottom."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.base import vocabulary as V
from pipeline.base.messages import report as R
from pipeline.base.messages import texts as T
from pipeline.outputs.province.charts import pillars_chart, score_chart, submissions_chart
from pipeline.outputs.province.data import (
    SUMMARY_UNIT_LIMIT,
    Column,
    ReportData,
    mapped,
    nfc,
    number,
    sources_text,
    task_sources,
    values,
)
from pipeline.outputs.province.style import Formats, print_setup, table, unit_columns

SUMMARY_WIDTHS = (20, 30, 12, 12, 12, 12, 12, 12, 12, 12, 12)  # `Tổng hợp`, columns A..K
LEFT_COLUMNS = 3  # the issuing body over A..C, the motto over D..K
CHART_COLUMN = len(SUMMARY_WIDTHS) + 1  # M, N: the score chart's labels and values (hidden)


@dataclass(frozen=True)
class ScoreTable:
    """What the score chart plots, as `Điểm chỉ số` shows it: per unit its name, its share of its
    maximum (%) and whether its return counts."""

    names: Sequence[Any]
    pcts: Sequence[Any]
    sent: Sequence[bool]  # per row: False for a unit that sent nothing

    @property
    def count(self) -> int:
        return len(self.names)


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
        Column(V.STATUS_DONE_UNPROVEN, values(frame, "done_unproven"), "int"),
        Column(V.STATUS_IN_PROGRESS, values(frame, "in_progress"), "int"),
        Column(V.STATUS_NOT_STARTED, values(frame, "not_started"), "int"),
        Column(V.STATUS_NOT_APPLICABLE, values(frame, "not_applicable"), "int"),
        Column(V.COL_OVERDUE, values(frame, "overdue"), "int"),
        Column(V.COL_DONE_PCT, values(frame, "done_pct"), "pct"),
    ]


def workbook_title(data: ReportData) -> str:
    """ "Báo cáo tiến độ thực hiện nhiệm vụ tháng 10/2023", "Báo cáo kết quả … quý IV/2023"."""
    p = data.period
    short = V.period_short(p.kind, p.year, p.start.month)
    return (T.WB_TITLE_MONTH if p.kind == "month" else T.WB_TITLE).format(period=short)


class SummarySheet:
    """Writes `Tổng hợp` part by part; ``row`` is the next free row."""

    def __init__(self, ws: Worksheet, wb: Workbook, fmt: Formats, data: ReportData):
        self.ws, self.wb, self.fmt, self.data = ws, wb, fmt, data
        self.row = 0
        self.sections = 0
        self.rates = _ordered(data.rates, "scope", ["all", *data.kind_labels])
        self.rate_header = self.n_rates = self.pillar_header = self.n_pillars = 0
        self.breaks: list[int] = []  # the rows that start a printed page

    def write(self, scores: ScoreTable | None) -> None:
        for col, w in enumerate(SUMMARY_WIDTHS):
            self.ws.set_column(col, col, w)
        print_setup(self.ws, V.SHEET_SUMMARY, self.data, None)
        self.header_block()
        self.title()
        self.submissions()
        if self.data.has_indicators:
            self.indicators()
        self.pillars()
        self.charts(scores)
        self.units()
        # the chart's own cells (beyond K, hidden) are not printed
        self.ws.print_area(0, 0, self.row, len(SUMMARY_WIDTHS) - 1)

    def _table(self, columns: Sequence[Column]) -> int:
        return table(self.ws, self.fmt, self.row, columns, SUMMARY_WIDTHS)

    def _line(self, text: str, f: Any, first: int = 0, last: int = len(SUMMARY_WIDTHS) - 1) -> None:
        if last > first:
            self.ws.merge_range(self.row, first, self.row, last, "", f)
        self.ws.write_string(self.row, first, nfc(text), f)

    def _next(self) -> int:
        self.sections += 1
        return self.sections

    def _section(self, title: str, explain: str | None = None) -> None:
        self.ws.write_string(self.row, 0, title, self.fmt.section)
        self.row += 1
        if explain:
            self.ws.write_string(self.row, 0, explain, self.fmt.explain)
            self.row += 1

    def header_block(self) -> None:
        """Issuing body on the left, the national motto, its tiêu ngữ and the date line on the right."""
        d, fmt, loc = self.data, self.fmt, self.data.locality
        left = [(loc.superior, fmt.authority)] if loc.superior else []
        left += [(line, fmt.authority_bold) for line in loc.header]
        date_line = R.DATE_LINE.format(place=loc.place, day=V.BLANK, month=V.BLANK, year=d.made_on.year)
        right = [(V.MOTTO, fmt.motto), (V.TIEU_NGU, fmt.tieu_ngu), (date_line, fmt.date_line)]
        for i in range(max(len(left), len(right))):
            self.ws.set_row(self.row, 18)
            if i < len(left):
                self._line(left[i][0], left[i][1], 0, LEFT_COLUMNS - 1)
            if i < len(right):
                self._line(right[i][0], right[i][1], LEFT_COLUMNS)
            self.row += 1
        self.row += 1

    def title(self) -> None:
        d, fmt, loc = self.data, self.fmt, self.data.locality
        appendix_of = T.WB_APPENDIX_OF.format(
            number=V.BLANK,
            symbol=loc.report.symbol,
            day=V.BLANK,
            month=V.BLANK,
            year=d.made_on.year,
            authority=loc.name,
        )
        made = T.WB_MADE.format(made_on=V.day(d.made_on), deadline=V.day(d.deadline))
        lines = [(V.APPENDIX_WORD, fmt.title), (workbook_title(d), fmt.title), (appendix_of, fmt.subtitle)]
        lines.append((made, fmt.subtitle))
        if d.sample:
            lines.append((V.SAMPLE_MARK, fmt.mark))
        for text, f in lines:
            self.ws.set_row(self.row, 18)
            self._line(text, f)
            self.row += 1
        self.row += 1

    def submissions(self) -> None:
        self._section(T.WB_SECTION_RATES.format(n=self._next()), T.WB_HOW_RATES)
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
        title = T.WB_SECTION_INDICATORS.format(n=self._next(), level=d.level)
        self._section(title, T.WB_HOW_INDICATORS)
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
        self._section(T.WB_SECTION_PILLARS.format(n=self._next()), T.WB_HOW_PILLARS)
        d = self.data
        if sources := task_sources(d):
            # a quarter's or a year's tasks come from the months: say which
            period = V.period_short(d.period.kind, d.period.year, d.period.start.month)
            self.ws.write_string(
                self.row,
                0,
                nfc(T.WB_TASKS_FROM.format(period=period, sources=sources_text(sources))),
                self.fmt.explain,
            )
            self.row += 1
        pillars = _ordered(self.data.by_pillar, "pillar", list(self.data.pillars))
        self.pillar_header = self.row
        self.n_pillars = self._table(
            [
                Column(V.COL_PILLAR, mapped(values(pillars, "pillar"), self.data.pillars)),
                *completion_columns(pillars),
            ],
        )
        self.row += self.n_pillars + 2

    def charts(self, scores: ScoreTable | None) -> None:
        """On a page of their own: the score share by unit (full width), then submissions and
        completion side by side."""
        ws = self.ws
        self.breaks = [self.row]
        ws.set_h_pagebreaks(self.breaks)  # honoured by LibreOffice; Excel's "fit to" ignores it
        self._section(T.WB_SECTION_CHARTS.format(n=self._next()))
        if scores is not None and scores.count:
            first = self._chart_cells(scores)
            chart, height = score_chart(self.wb, first, scores.count, CHART_COLUMN, scores.sent)
            ws.insert_chart(self.row, 0, chart, {"object_position": 2})
            self.row += math.ceil(height / 20) + 1
            # the two smaller charts on the next page: with the score chart of twenty units they
            # are taller than a page fitted to the sheet's width
            self.breaks.append(self.row)
            ws.set_h_pagebreaks(self.breaks)
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
            rows = (self.pillar_header + 1, self.pillar_header + self.n_pillars)
            pair.append(pillars_chart(self.wb, rows, len(completion_columns(self.data.by_pillar))))
        if pair:
            height = max(400, 28 * self.n_pillars + 100)
            for i, chart in enumerate(pair):
                chart.set_size({"width": 500, "height": height})
                ws.insert_chart(self.row, 0, chart, {"object_position": 2, "x_offset": 510 * i})
            self.row += math.ceil(height / 20) + 1
        if not ((scores is not None and scores.count) or pair):
            ws.write_string(self.row, 0, T.WB_NO_CHART_DATA, self.fmt.note)
        self.row += 1

    def _chart_cells(self, scores: ScoreTable) -> int:
        """The score chart's labels and values, in hidden columns beside the chart: a unit that
        sent nothing is named with Chưa nộp and has no bar (Excel and LibreOffice alike)."""
        first = self.row
        self.ws.set_column(CHART_COLUMN, CHART_COLUMN + 1, 30, None, {"hidden": True})
        for i, (name, pct, sent) in enumerate(zip(scores.names, scores.pcts, scores.sent, strict=True)):
            label = nfc(str(name)) if sent else f"{nfc(str(name))} ({V.NOT_SENT})"
            self.ws.write_string(first + i, CHART_COLUMN, label)
            x = number(pct) if sent else None
            if x is not None:
                self.ws.write_number(first + i, CHART_COLUMN + 1, x)
        return first

    def units(self) -> None:
        """Completion by unit, from a new page, its header row repeated on every page after."""
        self.ws.set_h_pagebreaks([*self.breaks, self.row])
        self._section(T.WB_SECTION_UNITS.format(n=self._next()), T.WB_HOW_PILLARS)
        by_unit = self.data.by_unit
        if len(by_unit) > SUMMARY_UNIT_LIMIT:
            note = T.WB_TOO_MANY_UNITS.format(count=V.thousands(len(by_unit)), sheet=V.SHEET_PROGRESS)
            self.ws.write_string(self.row, 0, note, self.fmt.note)
            self.row += 1
            return
        self.ws.repeat_rows(self.row)
        self.row += self._table([*unit_columns(by_unit), *completion_columns(by_unit)]) + 1
