"""Write the workbook each unit fills for a period (contract §5), with xlsxwriter.

One workbook per unit and period: ``Hướng dẫn``, ``Thông tin``, ``Nhiệm vụ``
(:mod:`.template_tasks`), ``Chỉ số`` (only for units that report indicators in that period) and
a hidden ``_meta``. Drop-downs, number checks with Vietnamese messages, locked reference columns,
a self-check on every sheet a unit fills (:mod:`.template_checks`), print layout for A4 with row
heights that fit their text (:mod:`.template_style`). The same inputs give byte-identical files:
the document dates come from ``generated_at``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xlsxwriter.worksheet import Worksheet

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.codes import Severity
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period
from pipeline.base.text import a1
from pipeline.catalogue import Catalogue, Indicator
from pipeline.catalogue.field_types import FIELD_TYPES
from pipeline.outputs.changes_sheet import ChangeSheet, write_changes
from pipeline.outputs.measure import fit
from pipeline.outputs.template_checks import Line, SheetCells, write_checks
from pipeline.outputs.template_help import guide_lines, send_to
from pipeline.outputs.template_style import (
    FONT,
    SIZE,
    TITLE_SIZE,
    Formats,
    page_setup,
    protect,
    shown_text,
    title_block,
    write_value,
)
from pipeline.outputs.template_tasks import (
    FIRST_TASK_HEADER_ROW,
    HELPER_COL,
    deadline_label,
    row_of,
    write_tasks,
)
from pipeline.outputs.xlsx import FormulaSheet, new_workbook
from pipeline.rules.marks import (
    evidence_of,
    indicator_rules,
    info_of,
    info_rules,
    registry_of,
    responsible_of,
)

__all__ = [
    "FIRST_TASK_HEADER_ROW",
    "LINES",
    "FeedbackRow",
    "Filled",
    "cell_of",
    "deadline_label",
    "generated_date",
    "template_name",
    "write_template",
    "write_templates",
]

IND_WIDTHS = (6, 24, 28, 7, 24, 11, 30)  # A4 landscape at about 97 %
IND_FROZEN = L.IND_HEADERS.index(V.IND_INPUT) + 1
INFO_WIDTHS = (24, 62)  # A4 portrait at 100 %
INFO_FIRST_ROW = 2  # 0-based: row 0 the self-check line, row 1 the header
GUIDE_WIDTH = 86  # one column, A4 portrait at 100 %
FEEDBACK_WIDTHS = (11, 6, 20, 18, 9, 62, 10)  # A4 landscape at about 93 %
# Where each sheet's self-check line is, and its hidden tallies (still to fill, errors, warnings):
# sheet → (0-based row, column of the first tally); the line's text is in column A of that row.
LINES = {
    V.SHEET_INFO: (0, len(INFO_WIDTHS)),
    V.SHEET_TASKS: (3, HELPER_COL),
    V.SHEET_INDICATORS: (3, len(L.IND_HEADERS)),
}


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


class _Marks:
    """The format of a fill-in cell; a feedback mark colours it and adds a comment."""

    def __init__(self, ws: Worksheet, fmt: Formats, filled: Filled):
        self.ws, self.fmt, self.filled = ws, fmt, filled

    def __call__(self, key: tuple[str, str, str], row: int, col: int, f: Any) -> Any:
        mark = self.filled.marks.get(key)
        if mark is None:
            return f
        severity, message = mark
        self.ws.write_comment(row, col, message, {"x_scale": 2.5, "y_scale": 2.5, "author": "dti"})
        return self.fmt.error if severity == "error" else self.fmt.warning


def _write_guide(
    ws: Worksheet, fmt: Formats, cat: Catalogue, unit: str, period: Period, has_tasks: bool, has_ind: bool
) -> None:
    deadline = cat.deadline(period)
    page_setup(
        ws, None, (GUIDE_WIDTH,), T.TPL_PAGE_HEADER.format(unit=unit, period=period.label), landscape=False
    )
    protect(ws)
    email, phone = cat.receiver_contact
    where = send_to(cat.locality.short_name, cat.receiver_name, email, phone)
    styles = {"title": fmt.title, "bold": fmt.bold, "text": fmt.text}
    lines = guide_lines(unit, period.label, deadline, has_tasks, has_ind, cat.evidence_text, where)
    for row, (text, style) in enumerate(lines):
        ws.write_string(row, 0, text, styles[style])
        size = TITLE_SIZE if style == "title" else SIZE
        ws.set_row(row, fit([(text, GUIDE_WIDTH)], size, bold=style != "text"))
    ws.print_area(0, 0, len(lines) - 1, 0)


def _write_info(
    ws: Worksheet, fmt: Formats, cat: Catalogue, unit: str, period: Period, filled: Filled
) -> None:
    page_setup(
        ws, None, INFO_WIDTHS, T.TPL_PAGE_HEADER.format(unit=unit, period=period.label), landscape=False
    )
    protect(ws)
    marked = _Marks(ws, fmt, filled)
    title_block(ws, fmt, [(T.TPL_LINE_INFO.format(left=99, warnings=99), fmt.line)], 1, sum(INFO_WIDTHS))
    for col, label in enumerate(V.INFO_HEADER):
        ws.write_string(1, col, label, fmt.header)
    locked = {
        V.INFO_UNIT: unit,
        V.INFO_PERIOD: period.label,
        V.INFO_DEADLINE: V.day(cat.deadline(period)),
    }
    positions: dict[int, dict[str, tuple[int, int]]] = {}
    written: dict[int, dict[str, Any]] = {}
    for row, label in enumerate(L.INFO_LABELS, start=INFO_FIRST_ROW):
        ws.write_string(row, 0, label, fmt.locked)
        value = locked.get(label, filled.info.get(label))
        if label in locked:
            ws.write_string(row, 1, locked[label], fmt.locked)
        else:
            f = fmt.fill_date if label == V.INFO_DATE else fmt.fill
            write_value(ws, row, 1, value, marked((V.SHEET_INFO, label, label), row, 1, f))
            positions[row] = {info_of(label): (row, 1)}
            written[row] = {info_of(label): value}
        ws.set_row(row, fit([(label, INFO_WIDTHS[0]), (shown_text(value), INFO_WIDTHS[1])], SIZE))
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
    write_checks(
        ws,
        fmt,
        info_rules(),
        SheetCells(positions, written, {}),
        len(INFO_WIDTHS),
        Line(0, 0, T.TPL_LINE_INFO, T.TPL_LINE_INFO_DONE),
        table=False,
    )


def _write_indicators(
    ws: Worksheet,
    fmt: Formats,
    cat: Catalogue,
    unit_code: str,
    indicators: tuple[Indicator, ...],
    unit: str,
    period: Period,
    filled: Filled,
) -> None:
    h = FIRST_TASK_HEADER_ROW
    page_setup(ws, h, IND_WIDTHS, T.TPL_PAGE_HEADER.format(unit=unit, period=period.label))
    protect(ws)
    marked = _Marks(ws, fmt, filled)
    subtitle = T.TPL_SUBTITLE.format(unit=unit, period=period.label, deadline=V.day(cat.deadline(period)))
    title_block(
        ws,
        fmt,
        [
            (T.TPL_INDICATORS_TITLE, fmt.title),
            (subtitle, fmt.subtitle),
            (T.TPL_FILL_ONLY, fmt.subtitle),
            (T.TPL_LINE_INDICATORS.format(left=99, errors=99, warnings=99), fmt.line),
        ],
        IND_FROZEN - 1,
        sum(IND_WIDTHS[:IND_FROZEN]),
    )
    for col, label in enumerate(L.IND_HEADERS):
        ws.write_string(h, col, label, fmt.header if label in L.IND_LOCKED else fmt.header_fill)
    ws.set_row(h, fit(list(zip(L.IND_HEADERS, IND_WIDTHS, strict=True)), SIZE, bold=True))
    row = h
    value_col = L.IND_HEADERS.index(V.IND_VALUE)
    positions: dict[int, dict[str, tuple[int, int]]] = {}
    written: dict[int, dict[str, Any]] = {}
    for ind in indicators:
        first, last = row + 1, row + len(ind.fields)
        # the indicator's name, maximum and rule once, over all its input rows (so the column of
        # maxima adds up to the unit's maximum)
        name = f"{ind.id}. {ind.name}"
        for col, value, cell_format in (
            (1, name, fmt.locked),
            (3, ind.max_score, fmt.locked_center),
            (4, ind.rule_text, fmt.locked),
        ):
            if last > first:
                ws.merge_range(first, col, last, col, value, cell_format)
            elif isinstance(value, str):
                ws.write_string(first, col, value, cell_format)
            else:
                ws.write_number(first, col, value, cell_format)
        # the merged texts' height shared by the indicator's rows
        shared = fit([(name, IND_WIDTHS[1]), (ind.rule_text, IND_WIDTHS[4])], SIZE) / len(ind.fields)
        for f in ind.fields:
            row += 1
            ws.write_string(row, 0, f.id, fmt.locked_center)
            ws.write_string(row, 2, f.label, fmt.locked)
            value, evidence = filled.indicators.get(f.id, (None, None))
            for col, label, v in ((value_col, V.IND_VALUE, value), (value_col + 1, V.IND_EVIDENCE, evidence)):
                write_value(ws, row, col, v, marked((V.SHEET_INDICATORS, f.id, label), row, col, fmt.fill))
            validation = FIELD_TYPES[f.type].excel(f)
            if validation is not None:
                ws.data_validation(row, value_col, row, value_col, validation)
            cells = [
                (f.label, IND_WIDTHS[2]),
                (shown_text(value), IND_WIDTHS[5]),
                (shown_text(evidence), IND_WIDTHS[6]),
            ]
            ws.set_row(row, max(fit(cells, SIZE), shared))
            positions[row] = {f.id: (row, value_col), evidence_of(f.id): (row, value_col + 1)}
            written[row] = {f.id: value, evidence_of(f.id): evidence}
    constants = {responsible_of(ind.id): "1" for ind in indicators}
    for chk in cat.checks:
        if chk.registry:
            known = (
                str(cat.units.at[unit_code, chk.registry]).strip()
                if chk.registry in cat.units.columns
                else ""
            )
            constants[registry_of(chk.registry)] = known if known.replace(".", "", 1).isdigit() else '""'
    ws.print_area(0, 0, row, len(L.IND_HEADERS) - 1)
    ws.freeze_panes(h + 1, IND_FROZEN)
    write_checks(
        ws,
        fmt,
        indicator_rules(cat, indicators, cat.weeks(period)),
        SheetCells(positions, written, constants),
        len(L.IND_HEADERS),
        Line(3, 0, T.TPL_LINE_INDICATORS, T.TPL_LINE_INDICATORS_DONE),
        table=False,
    )


def _write_feedback(
    ws: Worksheet, fmt: Formats, rows: Iterable[FeedbackRow], unit: str, period: Period
) -> None:
    """The list of every issue found in the unit's return, first sheet of a feedback file."""
    page_setup(ws, 3, FEEDBACK_WIDTHS, T.FEEDBACK_PAGE_HEADER.format(unit=unit, period=period.label))
    protect(ws)
    title = T.FEEDBACK_TITLE.format(unit=unit, period=period.label)
    title_block(
        ws,
        fmt,
        [(title, fmt.title), (T.FEEDBACK_SUBTITLE, fmt.subtitle)],
        len(FEEDBACK_WIDTHS) - 1,
        sum(FEEDBACK_WIDTHS),
    )
    for col, label in enumerate(L.FEEDBACK_HEADERS):
        ws.write_string(3, col, label, fmt.header)
    ws.set_row(3, fit(list(zip(L.FEEDBACK_HEADERS, FEEDBACK_WIDTHS, strict=True)), SIZE, bold=True))
    level = L.FEEDBACK_HEADERS.index(V.FEEDBACK_SEVERITY)
    row = 3
    for row, item in enumerate(rows, start=4):
        f = fmt.error if item.severity == Severity.ERROR else fmt.warning
        texts = item.texts()
        for col, text in enumerate(texts):
            ws.write_string(row, col, text, f if col == level else fmt.text)
        ws.set_row(row, fit(list(zip(texts, FEEDBACK_WIDTHS, strict=True)), SIZE))
    ws.print_area(0, 0, row, len(FEEDBACK_WIDTHS) - 1)
    ws.freeze_panes(4, 0)


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
    with new_workbook(path, default_font=(FONT, SIZE)) as wb:
        wb.set_properties(
            {
                "title": T.TPL_DOC_TITLE.format(unit=unit, period=period.label),
                "author": cat.locality.name,
                "company": cat.locality.name,
                "comments": f"dti template {L.TEMPLATE_VERSION}",
                "created": datetime(generated.year, generated.month, generated.day),
            }
        )
        fmt = Formats(wb)
        if filled.feedback:
            _write_feedback(
                wb.add_worksheet(V.SHEET_FEEDBACK, FormulaSheet), fmt, filled.feedback, unit, period
            )
        if filled.changes is not None:
            write_changes(wb.add_worksheet(V.SHEET_CHANGES, FormulaSheet), fmt, filled.changes, unit, period)
        _write_guide(
            wb.add_worksheet(V.SHEET_GUIDE, FormulaSheet),
            fmt,
            cat,
            unit,
            period,
            "tasks" in sheets,
            bool(indicators),
        )
        _write_info(wb.add_worksheet(V.SHEET_INFO, FormulaSheet), fmt, cat, unit, period, filled)
        first = None  # the sheet the workbook opens on: the first to fill
        if "tasks" in sheets:
            first = wb.add_worksheet(V.SHEET_TASKS, FormulaSheet)
            write_tasks(
                first,
                fmt,
                cat,
                unit_code,
                unit,
                period,
                filled.tasks,
                tuple(filled.extra_task_rows),
                _Marks(first, fmt, filled),
            )
        if indicators:
            ind_ws = wb.add_worksheet(V.SHEET_INDICATORS, FormulaSheet)
            _write_indicators(ind_ws, fmt, cat, unit_code, indicators, unit, period, filled)
            first = first or ind_ws
        _write_meta(wb.add_worksheet(V.SHEET_META, FormulaSheet), meta)
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
    """The A1 cell of (sheet, row key, column label) in the unit's template, or "" when absent.
    On ``Nhiệm vụ`` the row key is a task id (any id of a twin row) or a task the unit added."""
    sheet, row_key, label = key
    if sheet == V.SHEET_INFO and label in L.INFO_LABELS:
        return a1(L.INFO_LABELS.index(label) + INFO_FIRST_ROW, 1)
    if sheet == V.SHEET_TASKS and label in L.TASK_HEADERS:
        row = row_of(cat, unit_code, row_key)
        if row is not None:
            return a1(row, L.TASK_HEADERS.index(label))
    if sheet == V.SHEET_INDICATORS and label in L.IND_HEADERS:
        ids = [f.id for ind in cat.indicators_of(unit_code, period.kind) for f in ind.fields]
        if row_key in ids:
            return a1(FIRST_TASK_HEADER_ROW + 1 + ids.index(row_key), L.IND_HEADERS.index(label))
    return ""
