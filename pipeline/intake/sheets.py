"""Sheets of a return found by their labels: which sheet plays which part, its header row, the
cells of its table. Inserted title rows, extra or reordered columns, renamed sheets and trailing
blank rows do not matter."""

from __future__ import annotations

from typing import Any, NamedTuple

from python_calamine import SheetTypeEnum

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.issues import Issue, issue
from pipeline.base.text import a1, fold

MAX_ROWS = 5000  # rows read per sheet: a return has ~100; a million-row sheet is cut here
MAX_COLS = 60
HEADER_SCAN_ROWS = 40

TASK_KEYS = {fold(label): label for label in L.TASK_HEADERS}
IND_KEYS = {fold(label): label for label in L.IND_HEADERS}
INFO_KEYS = {fold(label): label for label in L.INFO_LABELS}


class CellValue(NamedTuple):
    """A cell's value and 0-based position (a tuple: cheap to build, pickle and send)."""

    value: Any
    row: int
    col: int

    @property
    def cell(self) -> str:
        """A1 address (computed on demand: most cells never need it)."""
        return a1(self.row, self.col)


def sheet_rows(sheet: Any) -> list[list[Any]]:
    """Rows with absolute positions (row 0, column 0 = A1), cut at MAX_ROWS × MAX_COLS.

    A sheet within the cut is converted in one call; a larger one is walked row by row (calamine's
    iter_rows starts at row 0 but at the first used column), so a million-row sheet never becomes
    a million Python lists.
    """
    end = sheet.end
    if end is None:
        return []
    if end[0] < MAX_ROWS and end[1] < MAX_COLS:
        return sheet.to_python(skip_empty_area=False)  # type: ignore[no-any-return]
    start = sheet.start
    pad = [""] * (start[1] if start else 0)  # as calamine gives an empty cell
    out = []
    for n, row in enumerate(sheet.iter_rows()):
        if n >= MAX_ROWS:
            break
        out.append((pad + list(row))[:MAX_COLS])
    return out


def read_book(wb: Any) -> dict[str, list[list[Any]]]:
    """Every worksheet's rows (see :func:`sheet_rows`), but the sheets that never hold data.

    Chart sheets (an ``.xlsb`` reader cannot even open one as cells) and macro or dialog sheets
    hold no return data: only worksheets are read."""
    return {
        sheet.name: sheet_rows(wb.get_sheet_by_name(sheet.name))
        for sheet in wb.sheets_metadata
        if sheet.typ == SheetTypeEnum.WorkSheet and fold(sheet.name) not in SKIP_SHEETS
    }


def find_header(rows: list[list[Any]], keys: dict[str, str], first: str) -> tuple[int, dict[str, int]] | None:
    """The first row holding the label ``first``; map every known label to its column."""
    want = fold(first)
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        folded = [fold(v) if isinstance(v, str) else "" for v in row]
        if want in folded:
            cols: dict[str, int] = {}
            for c, key in enumerate(folded):
                label = keys.get(key)
                if label and label not in cols:
                    cols[label] = c
            if len(cols) < len(keys) and r + 1 < len(rows):
                # A two-level header: a group label above (merged over several columns), the
                # labels of those columns in the row below, the others merged down over both.
                below = rows[r + 1]
                if blank(below[folded.index(want)] if folded.index(want) < len(below) else None):
                    more: dict[str, int] = {}
                    for c, value in enumerate(below):
                        label = keys.get(fold(value)) if isinstance(value, str) else None
                        if label and label not in cols and label not in more:
                            more[label] = c
                    if more:
                        return r + 1, cols | more
            return r, cols
    return None


def _cell(rows: list[list[Any]], r: int, c: int) -> Any:
    row = rows[r] if r < len(rows) else []
    return row[c] if c < len(row) else None


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(
    file: str,
    sheet: str,
    rows: list[list[Any]],
    header: tuple[int, dict[str, int]],
    labels: tuple[str, ...],
) -> tuple[list[dict[str, CellValue]], list[Issue]]:
    """The non-blank rows below the header, label → cell; a missing column is an issue."""
    h, cols = header
    issues = [
        issue(
            Code.COLUMN_MISSING, file=file, sheet=sheet, cell=a1(h, 0), field=label, column=label, row=h + 1
        )
        for label in labels
        if label not in cols
    ]
    id_col = cols.get(labels[0])
    out: list[dict[str, CellValue]] = []
    if id_col is None:
        return out, issues
    wanted = [(label, c) for label, c in cols.items() if label in labels]
    for r in range(h + 1, len(rows)):
        row = rows[r]
        n = len(row)
        cells = [(label, c, row[c] if c < n else None) for label, c in wanted]
        if all(blank(value) for _, _, value in cells):
            continue
        out.append({label: _cell_value(CellValue, (value, r, c)) for label, c, value in cells})
    return out, issues


_cell_value = tuple.__new__  # builds a CellValue without namedtuple's Python-level __new__


# Sheets that never hold data: not read at all.
SKIP_SHEETS = frozenset({fold(V.SHEET_GUIDE), fold(V.SHEET_FEEDBACK), fold(V.SHEET_CHANGES)})


def find_sheets(book: dict[str, list[list[Any]]]) -> dict[str, str]:
    """Which sheet plays which part: by name first, else by its header labels."""
    found: dict[str, str] = {}
    by_fold = {fold(name): name for name in book}
    for part, name in (
        ("meta", V.SHEET_META),
        ("info", V.SHEET_INFO),
        ("tasks", V.SHEET_TASKS),
        ("indicators", V.SHEET_INDICATORS),
    ):
        if fold(name) in by_fold:
            found[part] = by_fold[fold(name)]
    for name, rows in book.items():
        if "tasks" not in found and find_header(rows, TASK_KEYS, V.TASK_ID):
            found["tasks"] = name
        elif "indicators" not in found and name != found.get("tasks"):
            hdr = find_header(rows, IND_KEYS, V.IND_ID)
            if hdr and V.IND_VALUE in hdr[1]:
                found["indicators"] = name
        if "info" not in found and any(
            isinstance(row[0] if row else None, str) and fold(row[0]) == fold(V.INFO_UNIT)
            for row in rows[:20]
        ):
            found["info"] = name
    return found
