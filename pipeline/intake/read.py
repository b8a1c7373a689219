"""Guard, then read one return: the only code that opens a unit's file.

A return is read into plain data (:class:`RawReturn`: picklable, so reading can run in worker
processes): its ``_meta``, its ``Thông tin`` values, and every cell of its ``Nhiệm vụ`` and
``Chỉ số`` rows with the cell's A1 address. Values are not interpreted here (see normalize).
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.issues import Issue, issue
from pipeline.base.text import fold
from pipeline.intake.formulas import Cells, ods_formula_cells, xlsx_formula_cells
from pipeline.intake.guard import GuardLimits, guard_file
from pipeline.intake.reasons import ENCRYPTED, explain, is_reader_error
from pipeline.intake.sheets import (
    HEADER_SCAN_ROWS,
    IND_KEYS,
    INFO_KEYS,
    MAX_COLS,
    MAX_ROWS,
    TASK_KEYS,
    CellValue,
    blank,
    find_header,
    find_sheets,
    read_book,
    read_table,
)

Row = dict[str, CellValue]  # column label → cell


class _FormulaNoValue:
    """Marker for a formula cell saved without its computed value."""

    def __repr__(self) -> str:
        return "<formula without value>"

    def __reduce__(self) -> str:
        return "FORMULA_NO_VALUE"


FORMULA_NO_VALUE = _FormulaNoValue()


@dataclass(frozen=True)
class Source:
    """A return's identity: what every later stage knows of the file once it is read."""

    file: str  # its path within the inbox, as the analyst sees it
    path: Path
    sha256: str
    size: int
    fmt: str | None
    readable: bool = False
    meta: Mapping[str, str] = field(default_factory=dict)
    info_sheet: str = ""
    tasks_sheet: str = ""
    indicators_sheet: str = ""


@dataclass(frozen=True)
class RawReturn:
    """What one file holds, before any interpretation, and the issues found reading it."""

    source: Source
    info: Mapping[str, CellValue] = field(default_factory=dict)  # label → value
    tasks: tuple[Row, ...] = ()
    indicators: tuple[Row, ...] = ()
    # sheet → A1 cells whose formula reads another workbook (an external link, a DDE link): the
    # cached value is read, with a warning
    external: Mapping[str, frozenset[str]] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)  # seconds spent: guard, read

    @property
    def file(self) -> str:
        return self.source.file


def read_return(
    path: Path, inbox: Path | None = None, limits: GuardLimits | None = None, name: str | None = None
) -> RawReturn:
    """Guard, then read one file. Never raises for a bad file: problems become issues.

    The file is named by its path within ``inbox`` (or ``name``, or its own name)."""
    started = time.perf_counter()
    name = name or (path.relative_to(inbox).as_posix() if inbox else path.name)
    guarded = guard_file(path, limits or GuardLimits(), name)
    guard_done = time.perf_counter()
    source = Source(file=name, path=path, sha256=guarded.sha256, size=guarded.size, fmt=guarded.fmt)
    issues = list(guarded.issues)

    def done(**parts: Any) -> RawReturn:
        timings = {"guard": guard_done - started, "read": time.perf_counter() - guard_done}
        return RawReturn(issues=tuple(issues), timings=timings, **{"source": source} | parts)

    if not guarded.ok:
        return done()
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(guarded.data))  # the bytes the guard checked
        book = read_book(wb)
    except BaseException as exc:  # the parser's errors mean "unreadable", with its reason; so do its panics
        if not is_reader_error(exc):
            raise
        reason = explain(exc, guarded.fmt, guarded.data)
        if reason == ENCRYPTED:
            issues.append(issue(Code.FILE_ENCRYPTED, file=name))
        else:
            issues.append(issue(Code.FILE_UNREADABLE, file=name, reason=reason))
        return done()
    parts = find_sheets(book)
    meta: dict[str, str] = {}
    if "meta" in parts:
        meta = {
            str(row[0]).strip(): str(row[1]).strip()
            for row in book[parts["meta"]]
            if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() and not blank(row[1])
        }
    info: dict[str, CellValue] = {}
    for r, row in enumerate(book[parts["info"]][:HEADER_SCAN_ROWS] if "info" in parts else []):
        label = INFO_KEYS.get(fold(row[0])) if row and isinstance(row[0], str) else None
        if label and label not in info:
            info[label] = CellValue(row[1] if len(row) > 1 else None, r, 1)
    tasks_sheet, ind_sheet = parts.get("tasks", ""), parts.get("indicators", "")
    tasks: list[Row] = []
    indicators: list[Row] = []
    if tasks_sheet:
        rows = book[tasks_sheet]
        header = find_header(rows, TASK_KEYS, V.TASK_ID)
        if header is None:
            issues.append(issue(Code.HEADER_MISSING, file=name, sheet=tasks_sheet, column=V.TASK_ID))
        else:
            tasks, found = read_table(name, tasks_sheet, rows, header, (V.TASK_ID, *L.TASK_TO_FILL))
            issues.extend(found)
    if ind_sheet:
        rows = book[ind_sheet]
        header = find_header(rows, IND_KEYS, V.IND_ID)
        if header is not None:
            indicators, found = read_table(name, ind_sheet, rows, header, (V.IND_ID, *L.IND_TO_FILL))
            issues.extend(found)
    external: dict[str, frozenset[str]] = {}
    if guarded.fmt in ("xlsx", "xlsm", "ods"):
        missing, linked = (
            ods_formula_cells(guarded.parts, MAX_ROWS, MAX_COLS)
            if guarded.fmt == "ods"
            else xlsx_formula_cells(guarded.parts, guarded.workbook or "xl/workbook.xml")
        )
        info_sheet = parts.get("info", "")
        tasks, indicators, info = _mark_formulas(
            missing, (tasks_sheet, tasks), (ind_sheet, indicators), (info_sheet, info)
        )
        read = (tasks_sheet, ind_sheet, info_sheet)
        external = {sheet: frozenset(cells) for sheet, cells in linked.items() if sheet and sheet in read}
    source = Source(
        file=name,
        path=path,
        sha256=guarded.sha256,
        size=guarded.size,
        fmt=guarded.fmt,
        readable=True,
        meta=meta,
        info_sheet=parts.get("info", ""),
        tasks_sheet=tasks_sheet,
        indicators_sheet=ind_sheet,
    )
    return done(info=info, tasks=tuple(tasks), indicators=tuple(indicators), external=external)


def _mark_formulas(
    missing: Cells,
    tasks: tuple[str, list[Row]],
    indicators: tuple[str, list[Row]],
    info: tuple[str, dict[str, CellValue]],
) -> tuple[list[Row], list[Row], dict[str, CellValue]]:
    """Formula cells that have no cached value replaced by a marker the normalizer reports."""

    def marked(cv: CellValue, cells: set[str]) -> CellValue:
        return CellValue(FORMULA_NO_VALUE, cv.row, cv.col) if cv.cell in cells else cv

    out = []
    for sheet, table in (tasks, indicators):
        cells = missing.get(sheet, set())
        out.append([{k: marked(cv, cells) for k, cv in row.items()} for row in table] if cells else table)
    info_cells = missing.get(info[0], set())
    return out[0], out[1], {k: marked(cv, info_cells) for k, cv in info[1].items()}
