"""Find, guard and read returns: the only module that opens a unit's file.

A return is read into plain data (:class:`RawReturn`: picklable, so reading can run in
worker processes): its ``_meta``, its ``Thông tin`` values, and every cell of its
``Nhiệm vụ`` and ``Chỉ số`` rows with the cell's A1 address. Sheets and header rows are
found by their labels, so inserted title rows, extra or reordered columns, renamed sheets
and trailing blank rows do not matter. Values are not interpreted here (see normalize).
"""

from __future__ import annotations

import html
import io
import re
import time
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from python_calamine import CalamineWorkbook

from pipeline import layout as L
from pipeline.guard import GuardLimits, guard_file, is_ignorable
from pipeline.issues import Code, Issue, Severity, make_issue
from pipeline.resolve import fold

MAX_ROWS = 5000  # rows read per sheet: a return has ~100; a million-row sheet is cut here
MAX_COLS = 60
HEADER_SCAN_ROWS = 40
RECEIVED_FILE = "received.csv"

_TASK_KEYS = {fold(label): label for label in L.TASK_HEADERS}
_IND_KEYS = {fold(label): label for label in L.IND_HEADERS}
_INFO_KEYS = {fold(label): label for label in L.INFO_LABELS}


@lru_cache(maxsize=1 << 16)
def a1(row: int, col: int) -> str:
    """A1 address of 0-based (row, col)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


class CellValue(NamedTuple):
    """A cell's value and 0-based position (a tuple: cheap to build, pickle and send)."""

    value: Any
    row: int
    col: int

    @property
    def cell(self) -> str:
        """A1 address (computed on demand: most cells never need it)."""
        return a1(self.row, self.col)


@dataclass
class RawReturn:
    """What one file holds, before any interpretation."""

    file: str
    path: Path
    sha256: str
    size: int
    fmt: str | None
    meta: dict[str, str] = field(default_factory=dict)
    info: dict[str, CellValue] = field(default_factory=dict)  # label → value
    info_sheet: str = ""
    tasks_sheet: str = ""
    tasks: list[dict[str, CellValue]] = field(default_factory=list)  # one dict per row: label → value
    indicators_sheet: str = ""
    indicators: list[dict[str, CellValue]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    readable: bool = False
    # sheet → A1 cells whose formula reads another workbook (an external link, a DDE link): the
    # cached value is read, with a warning
    external: dict[str, set[str]] = field(default_factory=dict)
    raw_dropped: bool = False
    timings: dict[str, float] = field(default_factory=dict)  # seconds spent: guard, read

    def drop_raw(self) -> None:
        """Forget the raw cells (kept: identity, issues); :meth:`reread` brings them back."""
        self.info, self.tasks, self.indicators = {}, [], []
        self.raw_dropped = True

    def reread(self, inbox: Path | None) -> RawReturn:
        """This return with its raw cells, reading the file again if they were dropped."""
        return read_return(self.path, inbox) if self.raw_dropped else self

    def issue(self, code: Code, severity: Severity, message: str, **where: Any) -> None:
        self.issues.append(make_issue(code, severity, message, file=self.file, **where))


def discover(inbox: Path) -> list[Path]:
    """Every candidate return in the inbox (recursively), in a stable order; temp files skipped."""
    if not inbox.is_dir():
        return []
    files = [
        p
        for p in inbox.rglob("*")
        if p.is_file() and not is_ignorable(p) and not (p.name == RECEIVED_FILE and p.parent == inbox)
    ]
    return sorted(files, key=lambda p: p.relative_to(inbox).as_posix())


def _rows(sheet: Any) -> list[list[Any]]:
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


_CELL_RE = re.compile(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
_REF_RE = re.compile(rb'\br="([A-Z]+[0-9]+)"')


_FORMULA_RE = re.compile(rb"<f[ >/]")
_F_TEXT_RE = re.compile(rb"<f\b[^>]*>(.*?)</f>", re.S)
# A formula reading another workbook: "[1]Sheet1!A1", "'[other.xlsx]My sheet'!A1", or a DDE
# link "cmd|' /C calc'!A0". Structured references (Table1[Col]) are not matched.
_EXTERNAL_RE = re.compile(rb"\[[^\]]+\](?:[^\[\]!'()+\-*/^&=<>,;\s]*|[^\[\]!']*')!|[A-Za-z0-9_.]\|")


def _formula_cells(
    data: bytes, worksheets: Mapping[str, bytes]
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """For xlsx, per sheet name: the cells holding a formula with no cached value, and the
    cells whose formula reads another workbook.

    Most returns have no formula at all: the sheet XML (``worksheets``, as the guard inflated
    it) is searched for a ``<f>`` element first, and the workbook's sheet names are only mapped
    from ``data`` when one is found.
    """
    missing: dict[str, set[str]] = {}
    external: dict[str, set[str]] = {}
    with_formulas = {n: x for n, x in worksheets.items() if _FORMULA_RE.search(x)}
    if not with_formulas:
        return {}, {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = _sheet_members(zf)
    except (zipfile.BadZipFile, OSError, KeyError):
        return {}, {}
    for sheet, member in members.items():
        xml = with_formulas.get(member)
        if xml is None:
            continue
        for m in _CELL_RE.finditer(xml):
            body = m.group(3) or b""
            if not _FORMULA_RE.search(body):
                continue
            ref = _REF_RE.search(m.group(1))
            if not ref:
                continue
            if not re.search(rb"<v>[^<]", body) and b"<is>" not in body:
                missing.setdefault(sheet, set()).add(ref.group(1).decode())
            else:
                text = _F_TEXT_RE.search(body)
                if text and _EXTERNAL_RE.search(
                    html.unescape(text.group(1).decode("utf-8", "replace")).encode()
                ):
                    external.setdefault(sheet, set()).add(ref.group(1).decode())
    return missing, external


_ODS_TAG = re.compile(
    rb"<(/?)(?:[\w.\-]+:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])"
    rb"""((?:[^>"']|"[^"]*"|'[^']*')*)>"""
)
_ODS_REPEAT = re.compile(rb"""number-(?:rows|columns)-repeated\s*=\s*["']\s*0*([0-9]{1,12})""")


def _ods_attr(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"\s(?:[\w.\-]+:)?" + name + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""")


_ODS_NAME, _ODS_FORMULA, _ODS_VALUE_TYPE = _ods_attr(b"name"), _ods_attr(b"formula"), _ods_attr(b"value-type")


def _ods_formula_cells(data: bytes) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """For ods, per sheet name: formula cells saved without a value (no ``office:value-type``),
    and formula cells reading another file (``'file:///…'#$Sheet1.A1``, ``DDE(…)``).

    Positions count ``number-rows-repeated`` and ``number-columns-repeated``, as the reader
    does; only cells within the part that is read (MAX_ROWS × MAX_COLS) are recorded.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            content = zf.read("content.xml")
    except (zipfile.BadZipFile, OSError, KeyError):
        return {}, {}
    missing: dict[str, set[str]] = {}
    external: dict[str, set[str]] = {}
    if b"formula" not in content:
        return missing, external
    sheet = ""
    row = start = col = 0
    repeat = 1
    for m in _ODS_TAG.finditer(content):
        closing, tag, attrs = m.groups()
        if closing:
            continue
        if tag == b"table":
            found = _ODS_NAME.search(attrs)
            sheet = (
                html.unescape((found.group(1) or found.group(2) or b"").decode("utf-8", "replace"))
                if found
                else ""
            )
            row = start = col = 0
            continue
        rep = _ODS_REPEAT.search(attrs)
        n = max(int(rep.group(1)), 1) if rep else 1
        if tag == b"table-row":
            start, repeat, row, col = row, n, row + n, 0
            continue
        formula = _ODS_FORMULA.search(attrs)
        if formula and start < MAX_ROWS and col < MAX_COLS:
            text = html.unescape((formula.group(1) or formula.group(2) or b"").decode("utf-8", "replace"))
            if not _ODS_VALUE_TYPE.search(attrs):
                into: dict[str, set[str]] | None = missing
            elif "#$" in text or "DDE(" in text.upper():
                into = external
            else:
                into = None
            if into is not None:
                cells = into.setdefault(sheet, set())
                for r in range(start, min(start + repeat, MAX_ROWS)):
                    cells.update(a1(r, c) for c in range(col, min(col + n, MAX_COLS)))
        col += n
    return missing, external


def _sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Map sheet names to their XML members in an xlsx (workbook.xml + its rels)."""
    wb = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = dict(re.findall(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {k: v for v, k in re.findall(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    out = {}
    for name, rid in re.findall(r'<sheet\b[^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', wb):
        target = targets.get(rid, "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out[_unescape(name)] = member
    return out


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _find_header(
    rows: list[list[Any]], keys: dict[str, str], first: str
) -> tuple[int, dict[str, int]] | None:
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
                if _blank(below[folded.index(want)] if folded.index(want) < len(below) else None):
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


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_table(
    ret: RawReturn,
    sheet: str,
    rows: list[list[Any]],
    header: tuple[int, dict[str, int]],
    labels: tuple[str, ...],
) -> list[dict[str, CellValue]]:
    h, cols = header
    for label in labels:
        if label not in cols:
            ret.issue(
                Code.COLUMN_MISSING,
                Severity.ERROR,
                f"Trang «{sheet}» thiếu cột «{label}» ở dòng tiêu đề {h + 1}: hãy dùng đúng mẫu, "
                "không xóa hoặc đổi tên cột.",
                sheet=sheet,
                cell=a1(h, 0),
                field=label,
            )
    id_col = cols.get(labels[0])
    out: list[dict[str, CellValue]] = []
    if id_col is None:
        return out
    wanted = [(label, c) for label, c in cols.items() if label in labels]
    for r in range(h + 1, len(rows)):
        row = rows[r]
        n = len(row)
        cells = [(label, c, row[c] if c < n else None) for label, c in wanted]
        if all(_blank(value) for _, _, value in cells):
            continue
        out.append({label: _cell_value(CellValue, (value, r, c)) for label, c, value in cells})
    return out


_cell_value = tuple.__new__  # builds a CellValue without namedtuple's Python-level __new__


# Sheets that never hold data: not read at all.
_SKIP_SHEETS = frozenset({fold(L.SHEET_GUIDE), fold(L.SHEET_FEEDBACK)})


def _find_sheets(book: dict[str, list[list[Any]]]) -> dict[str, str]:
    """Which sheet plays which part: by name first, else by its header labels."""
    found: dict[str, str] = {}
    by_fold = {fold(name): name for name in book}
    for part, name in (
        ("meta", L.SHEET_META),
        ("info", L.SHEET_INFO),
        ("tasks", L.SHEET_TASKS),
        ("indicators", L.SHEET_INDICATORS),
    ):
        if fold(name) in by_fold:
            found[part] = by_fold[fold(name)]
    for name, rows in book.items():
        if "tasks" not in found and _find_header(rows, _TASK_KEYS, L.TASK_ID):
            found["tasks"] = name
        elif "indicators" not in found and name != found.get("tasks"):
            hdr = _find_header(rows, _IND_KEYS, L.IND_ID)
            if hdr and L.IND_VALUE in hdr[1]:
                found["indicators"] = name
        if "info" not in found and any(
            isinstance(row[0] if row else None, str) and fold(row[0]) == fold(L.INFO_UNIT)
            for row in rows[:20]
        ):
            found["info"] = name
    return found


def read_return(path: Path, inbox: Path | None = None, limits: GuardLimits | None = None) -> RawReturn:
    """Guard, then read one file. Never raises for a bad file: problems become issues."""
    started = time.perf_counter()
    ret = _read_return(path, inbox, limits)
    ret.timings["read"] = time.perf_counter() - started - ret.timings.get("guard", 0.0)
    return ret


def _read_return(path: Path, inbox: Path | None, limits: GuardLimits | None) -> RawReturn:
    started = time.perf_counter()
    guarded = guard_file(path, limits or GuardLimits())
    guard_done = time.perf_counter()
    name = path.relative_to(inbox).as_posix() if inbox else path.name
    ret = RawReturn(file=name, path=path, sha256=guarded.sha256, size=guarded.size, fmt=guarded.fmt)
    ret.timings["guard"] = guard_done - started
    ret.issues += [i if i.file == name else _rename(i, name) for i in guarded.issues]
    if not guarded.ok:
        return ret
    try:
        data = guarded.data  # the bytes the guard checked, not the path read again
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        book = {s: _rows(wb.get_sheet_by_name(s)) for s in wb.sheet_names if fold(s) not in _SKIP_SHEETS}
    except Exception as exc:  # the parser's own errors: any of them means "unreadable"
        ret.issue(
            Code.FILE_UNREADABLE,
            Severity.ERROR,
            f"Không đọc được tệp «{name}» ({exc.__class__.__name__}): hãy mở bằng Excel, "
            "lưu lại dạng .xlsx rồi gửi lại.",
        )
        return ret
    ret.readable = True
    parts = _find_sheets(book)
    if "meta" in parts:
        ret.meta = {
            str(row[0]).strip(): str(row[1]).strip()
            for row in book[parts["meta"]]
            if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() and not _blank(row[1])
        }
    if "info" in parts:
        ret.info_sheet = parts["info"]
        for r, row in enumerate(book[parts["info"]][:HEADER_SCAN_ROWS]):
            label = _INFO_KEYS.get(fold(row[0])) if row and isinstance(row[0], str) else None
            if label and label not in ret.info:
                ret.info[label] = CellValue(row[1] if len(row) > 1 else None, r, 1)
    if "tasks" in parts:
        ret.tasks_sheet = parts["tasks"]
        rows = book[parts["tasks"]]
        header = _find_header(rows, _TASK_KEYS, L.TASK_ID)
        if header is None:
            ret.issue(
                Code.HEADER_MISSING,
                Severity.ERROR,
                f"Trang «{ret.tasks_sheet}» không có dòng tiêu đề «{L.TASK_ID}»: hãy dùng đúng mẫu.",
                sheet=ret.tasks_sheet,
            )
        else:
            ret.tasks = _read_table(ret, ret.tasks_sheet, rows, header, (L.TASK_ID, *L.TASK_TO_FILL))
    if "indicators" in parts:
        ret.indicators_sheet = parts["indicators"]
        rows = book[parts["indicators"]]
        header = _find_header(rows, _IND_KEYS, L.IND_ID)
        if header is not None:
            ret.indicators = _read_table(ret, ret.indicators_sheet, rows, header, (L.IND_ID, *L.IND_TO_FILL))
    if guarded.fmt in ("xlsx", "xlsm", "ods"):
        missing, external = (
            _formula_cells(data, guarded.worksheets) if guarded.fmt != "ods" else _ods_formula_cells(data)
        )
        _mark_formulas(ret, missing)
        read = (ret.tasks_sheet, ret.indicators_sheet, ret.info_sheet)
        ret.external = {sheet: cells for sheet, cells in external.items() if sheet and sheet in read}
    return ret


def _mark_formulas(ret: RawReturn, missing: dict[str, set[str]]) -> None:
    """Replace formula cells that have no cached value by a marker the normalizer reports."""
    for sheet, table in ((ret.tasks_sheet, ret.tasks), (ret.indicators_sheet, ret.indicators)):
        cells = missing.get(sheet, set())
        if not cells:
            continue
        for row in table:
            for label, cv in row.items():
                if cv.cell in cells:
                    row[label] = CellValue(FORMULA_NO_VALUE, cv.row, cv.col)
    info_cells = missing.get(ret.info_sheet, set())
    for label, cv in list(ret.info.items()):
        if cv.cell in info_cells:
            ret.info[label] = CellValue(FORMULA_NO_VALUE, cv.row, cv.col)


class _FormulaNoValue:
    """Marker for a formula cell saved without its computed value."""

    def __repr__(self) -> str:
        return "<formula without value>"

    def __reduce__(self) -> str:
        return "FORMULA_NO_VALUE"


FORMULA_NO_VALUE = _FormulaNoValue()


def _rename(issue: Issue, name: str) -> Issue:
    from dataclasses import replace

    return replace(issue, file=name, message=issue.message.replace(Path(name).name, name))


def iter_returns(paths: list[Path], inbox: Path) -> Iterator[RawReturn]:
    for path in paths:
        yield read_return(path, inbox)
