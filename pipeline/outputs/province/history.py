"""`Diễn biến`, the province workbook's history sheet (once two periods are stored): the
submissions of every stored period, each unit's timeliness period by period, the units late or
missing again and again, each indicator's city mean and each unit's total per quarter and year,
task completion by pillar per month, with two native charts. It reads only
:attr:`ReportData.history`, which the store's periods made.

The sheet is a column of parts; a part that would not fit on what is left of a page starts a new
page (a table longer than a page starts on its own), so no chart and no short table is cut."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period
from pipeline.outputs.province.data import Column, ReportData, nfc
from pipeline.outputs.province.style import (
    DEFAULT_ROW,
    LINE_HEIGHT,
    Formats,
    colour_labels,
    line_count,
    print_setup,
    row_heights,
    table,
)
from pipeline.scoring.history import REPEAT_TIMES, REPEAT_WINDOW, History

LABEL_WIDTH, PERIOD_WIDTH = 40, 12
MIN_COLUMNS = 7  # the print area's least width: a label and six period columns (the charts')
CHART_HEIGHT = 300  # pixels; rows kept free under a chart: its height at 20 pixels a row
CHART_ROWS = CHART_HEIGHT // 20 + 1
# Printable points on an A4 landscape page (8.27 in less 1.35 in of margins) and across it
# (11.69 in less 0.8 in); a column ``w`` units wide takes (w + 5/7) × 7 pixels, about 5.25 w + 4
# points (the unit is the widest digit of the workbook's 11-point Times New Roman).
PAGE_HEIGHT, PAGE_WIDTH = 480.0, 784.0
STATUS_WORDS = {s: V.SUBMISSION_LABELS[s] for s in ("on_time", "late", "missing")}
Cell = Callable[[int, Period], Any]


def column_of(p: Period) -> str:
    return V.period_column(p.kind, p.year, p.start.month)


class HistorySheet:
    """Writes `Diễn biến` part by part; ``row`` is the next free row, ``used`` the points
    already printed on the current page."""

    def __init__(self, ws: Worksheet, wb: Workbook, fmt: Formats, data: ReportData):
        assert data.history is not None
        self.ws, self.wb, self.fmt, self.data = ws, wb, fmt, data
        self.history: History = data.history
        self.shown = self.history.shown
        self.row, self.sections, self.used = 0, 0, 0.0
        self.columns = max(MIN_COLUMNS, 1 + len(self.shown))
        widths = [LABEL_WIDTH] + [PERIOD_WIDTH] * (self.columns - 1)
        self.chars = sum(widths)
        scale = min(1.0, PAGE_WIDTH / sum(5.25 * w + 4 for w in widths))
        self.page = PAGE_HEIGHT / scale
        self.breaks: list[int] = []

    def write(self) -> None:
        self.ws.set_column(0, 0, LABEL_WIDTH)
        self.ws.set_column(1, self.columns - 1, PERIOD_WIDTH)
        print_setup(self.ws, V.SHEET_HISTORY, self.data, None)
        title = T.WB_HISTORY_TITLE.format(period=V.lower_first(self.data.period.label))
        self._line(title, self.fmt.section)
        self._line(T.WB_HISTORY_SHOWN, self.fmt.explain_wrap)
        self._gap()
        self.rates()
        months = [p for p in self.shown if p.kind == "month"]
        others = [p for p in self.shown if p.kind != "month"]
        for group in (months, others):
            if group:
                self.units(group)
        self.repeat()
        if others and len(self.history.means):
            self.means(others)
            self.totals(others)
        if months and len(self.history.pillars):
            self.pillars(months)
        self.ws.set_h_pagebreaks(self.breaks)
        self.ws.print_area(0, 0, self.row, self.columns - 1)

    # --- layout --------------------------------------------------------------------------------

    def _line(self, text: str, f: Any) -> None:
        """A line of text over the print width, wrapped, its row as tall as it needs."""
        self.ws.merge_range(self.row, 0, self.row, self.columns - 1, "", f)
        self.ws.write_string(self.row, 0, nfc(text), f)
        lines = line_count(text, self.chars)
        height = DEFAULT_ROW if lines == 1 else float(LINE_HEIGHT * lines + 2)
        if lines > 1:
            self.ws.set_row(self.row, height)
        self.row += 1
        self.used += height

    def _gap(self) -> None:
        self.row += 1
        self.used += DEFAULT_ROW

    def _part(self, height: float, head: float) -> None:
        """Start a part of ``height`` points on a new page when it does not fit on this one; a part
        taller than a page starts on a new page unless ``head`` (its title and first rows) fits."""
        left = self.page - self.used
        if height <= left:
            return
        if height > self.page and head <= left:
            return
        if self.row > 0 and self.used > 0:
            self.breaks.append(self.row)
            self.used = 0.0

    def _section(
        self, title: str, explain: str | None, columns: Sequence[Column], extra: float = 0.0
    ) -> None:
        """The part's title and explanation, after a page break if the part needs one."""
        head, rows = row_heights(columns)
        lines = DEFAULT_ROW * (2 if explain else 1) + LINE_HEIGHT * (line_count(explain, self.chars) - 1)
        self._part(lines + head + sum(rows) + extra + DEFAULT_ROW, lines + head + 5 * DEFAULT_ROW)
        self.sections += 1
        self._line(title, self.fmt.section)
        if explain:
            self._line(explain, self.fmt.explain_wrap)

    def _table(self, columns: Sequence[Column]) -> int:
        """The table at ``row``; returns its header row. Pages are filled as the rows are."""
        header = self.row
        head, rows = row_heights(columns)
        table(self.ws, self.fmt, header, columns)
        self.row += 1 + len(rows)
        self.used += head
        for h in rows:
            if self.used + h > self.page:
                self.used = 0.0
            self.used += h
        return header

    def _grid(
        self, corner: str, labels: Sequence[str], periods: Sequence[Period], cell: Cell, kind: str
    ) -> list[Column]:
        """One row per label, one column per period: ``cell(label index, period)``."""
        columns = [Column(corner, list(labels), "text", LABEL_WIDTH)]
        for p in periods:
            columns.append(Column(column_of(p), [cell(i, p) for i in range(len(labels))], kind, PERIOD_WIDTH))
        return columns

    def _chart(self, kind: str, title: str) -> Any:
        spec = {"type": kind} | ({"subtype": "stacked"} if kind == "column" else {})
        chart = self.wb.add_chart(spec)
        chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
        chart.set_style(10)
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": int(self.chars * 7 + 5 * self.columns), "height": CHART_HEIGHT})
        return chart

    def _place(self, chart: Any) -> None:
        self.row += 1
        self.ws.insert_chart(self.row, 0, chart, {"object_position": 1})
        self.row += CHART_ROWS
        self.used += DEFAULT_ROW * (CHART_ROWS + 1)

    def _name(self, unit: str) -> str:
        """The unit's name; a unit merged into another says into which."""
        name = self.data.unit_names.get(unit, unit)
        heir = self.history.successors.get(unit)
        if heir:
            return T.WB_HISTORY_MERGED.format(name=name, successor=self.data.unit_names.get(heir, heir))
        return name

    def _ordered(self, units: set[str]) -> list[str]:
        """The registry's order, a merged unit just before the unit that carries it on."""
        order = list(self.data.unit_names)
        position = {u: float(i) for i, u in enumerate(order)}
        for old, heir in self.history.successors.items():
            if old in position and heir in position:
                position[old] = position[heir] - 0.5
        known = sorted((u for u in units if u in position), key=lambda u: position[u])
        return known + sorted(units - set(position))

    # --- parts ---------------------------------------------------------------------------------

    def rates(self) -> None:
        """Expected, on time, late, missing and the on-time rate per stored period, and a chart."""
        t = self.history.timely
        counts = {p.id: t.loc[t["period"] == p.id, "status"].value_counts().to_dict() for p in self.shown}
        labels = [V.COL_EXPECTED, *STATUS_WORDS.values(), V.COL_ON_TIME_RATE]

        def cell(i: int, p: Period) -> Any:
            c = counts[p.id]
            expected = sum(c.values())
            if i == 0:
                return expected
            if i <= len(STATUS_WORDS):
                return c.get(list(STATUS_WORDS)[i - 1], 0)
            return round(100 * c.get("on_time", 0) / expected, 1) if expected else None

        columns = self._grid(V.COL_CONTENT, labels, self.shown, cell, "int")
        self._section(T.WB_HISTORY_RATES.format(n=self.sections + 1), None, columns, DEFAULT_ROW * CHART_ROWS)
        header = self._table(columns)
        rate_row = header + len(labels)
        for col, p in enumerate(self.shown, start=1):  # the last row is a rate: one decimal
            rate = cell(len(labels) - 1, p)
            if rate is not None:
                self.ws.write_number(rate_row, col, rate, self.fmt.by_kind["pct"])
        chart = self._chart("column", T.WB_CHART_HISTORY_RATES)
        last = len(self.shown)
        for i, colour in enumerate(("#70AD47", "#FFC000", "#C00000")):  # on time, late, missing
            r = header + 2 + i
            chart.add_series(
                {
                    "name": [V.SHEET_HISTORY, r, 0],
                    "categories": [V.SHEET_HISTORY, header, 1, header, last],
                    "values": [V.SHEET_HISTORY, r, 1, r, last],
                    "fill": {"color": colour},
                    "data_labels": {"value": True, "num_format": "0;-0;;"},
                }
            )
        chart.set_y_axis({"name": V.COL_UNITS, "min": 0, "num_format": "0"})
        self._place(chart)
        self._gap()

    def units(self, periods: Sequence[Period]) -> None:
        """Each unit's status period by period (blank: not expected then)."""
        t = self.history.timely
        ids = {p.id for p in periods}
        status = {(p, u): s for p, u, s in zip(t["period"], t["unit_code"], t["status"], strict=True)}
        units = self._ordered(set(t.loc[t["period"].isin(ids), "unit_code"]))

        def cell(i: int, p: Period) -> Any:
            s = status.get((p.id, units[i]))
            return STATUS_WORDS.get(s) if s else None

        columns = self._grid(V.COL_UNIT, [self._name(u) for u in units], periods, cell, "code")
        kinds = V.join_names(dict.fromkeys(V.PERIOD_KIND_LABELS[p.kind] for p in periods))
        self._section(
            T.WB_HISTORY_UNITS.format(n=self.sections + 1, kinds=kinds), T.WB_HISTORY_HOW_UNITS, columns
        )
        header = self._table(columns)
        colours = {
            STATUS_WORDS["on_time"]: self.fmt.green,
            STATUS_WORDS["late"]: self.fmt.yellow,
            STATUS_WORDS["missing"]: self.fmt.red,
        }
        for col in range(1, len(periods) + 1):
            colour_labels(self.ws, (header + 1, header + len(units)), col, colours)
        self._gap()

    def repeat(self) -> None:
        r = self.history.repeat
        how = T.WB_HISTORY_HOW_REPEAT.format(times=REPEAT_TIMES, window=REPEAT_WINDOW)
        title = T.WB_HISTORY_REPEAT.format(n=self.sections + 1)
        if r.empty:
            self._section(title, how, [])
            self._line(T.WB_HISTORY_NO_REPEAT, self.fmt.explain_wrap)
            self._gap()
            return
        by_id = {p.id: p for p in self.history.periods}
        periods = [
            V.join_names(V.lower_first(column_of(by_id[i])) for i in ids.split(", ") if i in by_id)
            for ids in r["periods"]
        ]
        columns = [
            Column(V.COL_UNIT, [self._name(u) for u in r["unit_code"]], "text", LABEL_WIDTH),
            Column(
                V.COL_PERIOD_KIND, [V.PERIOD_KIND_LABELS.get(k, k) for k in r["kind"]], "code", PERIOD_WIDTH
            ),
            Column(V.COL_TIMES_LATE, r["late"].tolist(), "count", PERIOD_WIDTH),
            Column(V.COL_TIMES_MISSING, r["missing"].tolist(), "count", PERIOD_WIDTH),
            # the periods over the next three columns (merged below)
            Column(V.COL_PERIODS, periods, "text", PERIOD_WIDTH * 3),
        ]
        self._section(title, how, columns)
        header = self._table(columns)
        for i, text in enumerate([V.COL_PERIODS, *periods]):
            f = self.fmt.header if i == 0 else self.fmt.by_kind["text"]
            self.ws.merge_range(header + i, 4, header + i, 6, "", f)
            self.ws.write_string(header + i, 4, nfc(text), f)
        self._gap()

    def means(self, periods: Sequence[Period]) -> None:
        m = self.history.means
        mean = {(p, i): v for p, i, v in zip(m["period"], m["indicator_id"], m["mean_score"], strict=True)}
        ids = list(dict.fromkeys(i for i in m["indicator_id"] if any((p.id, i) in mean for p in periods)))
        names = [f"{i} {self.data.indicator_names.get(i, '')}".strip() for i in ids]
        columns = self._grid(V.COL_INDICATOR, names, periods, lambda i, p: mean.get((p.id, ids[i])), "score")
        title = T.WB_HISTORY_MEANS.format(n=self.sections + 1, level=self.data.level)
        self._section(title, T.WB_HISTORY_HOW_MEANS, columns)
        self._table(columns)
        self._gap()

    def totals(self, periods: Sequence[Period]) -> None:
        t = self.history.totals
        ids = {p.id for p in periods}
        total = {(p, u): v for p, u, v in zip(t["period"], t["unit_code"], t["total"], strict=True)}
        units = self._ordered({u for (p, u) in total if p in ids})
        columns = self._grid(
            V.COL_UNIT,
            [self._name(u) for u in units],
            periods,
            lambda i, p: total.get((p.id, units[i])),
            "score",
        )
        self._section(T.WB_HISTORY_TOTALS.format(n=self.sections + 1), T.WB_HISTORY_HOW_TOTALS, columns)
        self._table(columns)
        self._gap()

    def pillars(self, months: Sequence[Period]) -> None:
        pl = self.history.pillars
        pct = {(p, k): v for p, k, v in zip(pl["period"], pl["pillar"], pl["done_pct"], strict=True)}
        keys = [k for k in self.data.pillars if any((p.id, k) in pct for p in months)]
        columns = self._grid(
            V.COL_PILLAR,
            [self.data.pillars[k] for k in keys],
            months,
            lambda i, p: pct.get((p.id, keys[i])),
            "pct",
        )
        chart_rows = DEFAULT_ROW * (CHART_ROWS + 1) if len(months) >= 2 else 0.0
        self._section(
            T.WB_HISTORY_PILLARS.format(n=self.sections + 1), T.WB_HISTORY_HOW_PILLARS, columns, chart_rows
        )
        header = self._table(columns)
        if len(months) < 2:
            return
        chart = self._chart("line", T.WB_CHART_HISTORY_PILLARS)
        for i in range(len(keys)):
            r = header + 1 + i
            chart.add_series(
                {
                    "name": [V.SHEET_HISTORY, r, 0],
                    "categories": [V.SHEET_HISTORY, header, 1, header, len(months)],
                    "values": [V.SHEET_HISTORY, r, 1, r, len(months)],
                    "marker": {"type": "circle"},
                }
            )
        chart.set_y_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True}})
        self._place(chart)


def write_history(ws: Worksheet, wb: Workbook, fmt: Formats, data: ReportData) -> None:
    HistorySheet(ws, wb, fmt, data).write()
