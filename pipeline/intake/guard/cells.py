"""How many cells a sheet spans, bounded before any parser allocates them.

python-calamine materialises the rectangle from A1 to a sheet's farthest cell: two values at A1
and XFD1048576 (a 5 KB file) ask for 17 billion cells and abort the process. These walks find
that rectangle for OOXML parts, ODS content and ``.xls`` Workbook streams, linear in the input.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator

from pipeline.base import vocabulary as V
from pipeline.base.messages import notes
from pipeline.intake.guard.limits import MB, GuardLimits, corrupt
from pipeline.intake.parts import ATTRS, ods_events


class TooManyCells(Exception):
    """Internal: a sheet's used range (``rows`` × ``cols`` from A1) passes the limit."""

    def __init__(self, rows: int, cols: int, sheet: str = "", *, partial: bool = False) -> None:
        super().__init__(rows, cols, sheet)
        self.rows, self.cols, self.sheet, self.partial = rows, cols, sheet, partial

    def detail(self, sheet: str, limits: GuardLimits) -> str:
        where = notes.TOO_MANY_CELLS_SHEET.format(sheet=sheet) if sheet else notes.TOO_MANY_CELLS_SOME_SHEET
        return notes.TOO_MANY_CELLS.format(
            where=where,
            at_least=notes.AT_LEAST if self.partial else "",
            rows=V.thousands(self.rows),
            cols=V.thousands(self.cols),
            cells=V.thousands(self.rows * self.cols),
            limit=V.thousands(limits.max_cells),
        )


_TAG_CARRY_MAX = MB  # a tag longer than this is cut (no real part has one); the scan stays linear
_SCAN_BLOCK = MB  # bytes of a part scanned at once
# OOXML: a cell with its address first, as every office suite writes it (``<c r="XFD1048576"``);
# literal prefixes, so the regex engine skips ahead fast. Any other cell tag (no address,
# another attribute first, other quotes or spacing, a namespace prefix) makes the bound inexact.
_ADDRESS = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_ODD_CELL = re.compile(rb'<c(?! r="[A-Z]{1,3}[0-9]{1,7}")[\s/>]')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
# The common case in one search: every cell addressed as usual within ZZ999 (a sheet of at most
# 999 rows × 702 columns), so the exact maxima are not needed.
_UNUSUAL_CELL = re.compile(rb'<c(?! r="[A-Z]{1,2}[0-9]{1,3}"[\s/>])[\s/>]')
_SMALL_AREA = 999 * 702
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(c|row)(?=[\s/>])" + ATTRS)
_R_ATTR = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")


def blocks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Re-cut XML chunks so that no tag is split: each block ends before the last ``<`` seen."""
    carry = b""
    for chunk in chunks:
        buf = carry + chunk
        cut = buf.rfind(b"<")
        if cut < 0 or len(buf) - cut > _TAG_CARRY_MAX:
            block, carry = buf, b""
        else:
            block, carry = buf[:cut], buf[cut:]
        if block:
            yield block
    if carry:
        yield carry


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


class CellScan:
    """The used range of an OOXML part, bounded fast from the addresses of its cells.

    What python-calamine allocates is the rectangle from A1 to the farthest row and column of
    any cell, so only the maxima matter: two regex passes per block, no Python loop per cell
    (~0.5 s for a 1,048,576-row sheet, well under a millisecond for a return). A cell tag
    written otherwise (without an address, which OOXML allows, or with a prefix or other
    quoting) makes the bound ``inexact``: then :func:`walk_cells` walks the part tag by tag.
    Every XML part is scanned, whatever its name, since rels may point a sheet anywhere.
    """

    def __init__(self, member: str, limit: int) -> None:
        self.member, self.limit = member, limit
        self.rows = self.cols = 0
        self.inexact = False
        self._in_data = False
        self._scanned = False  # a block was scanned before close()
        self._parts: list[bytes] = []
        self._size = 0

    def feed(self, chunk: bytes) -> None:
        """Take the part's next chunk; scan in blocks of about a megabyte (a return's parts: once)."""
        self._parts.append(chunk)
        self._size += len(chunk)
        if self._size >= _SCAN_BLOCK:
            buf = b"".join(self._parts)
            cut = buf.rfind(b"<")  # the block ends before the last tag, which may be cut
            if cut < 0 or len(buf) - cut > _TAG_CARRY_MAX:
                cut = len(buf)  # a giant tag or text: no cell address is split by this cut
            self._scan(buf[:cut])
            self._scanned = True
            self._parts = [buf[cut:]]
            self._size = len(buf) - cut

    def close(self) -> None:
        """Scan what is left; raise when the whole part's range passes the limit."""
        self._scan(b"".join(self._parts), whole=not self._scanned)
        self._parts, self._size = [], 0
        if not self.inexact and self.rows * self.cols > self.limit:
            raise TooManyCells(self.rows, self.cols)

    def _scan(self, block: bytes, whole: bool = False) -> None:
        """Bound the cells of ``block``; ``whole``: the block is the whole part."""
        if self.inexact:
            return  # walked exactly later
        start = 0
        if not self._in_data:  # the reader takes cells inside <sheetData> only
            start = block.find(b"sheetData")
            if start < 0:
                return
            self._in_data = True
        if _PREFIXED_CELL.search(block, start):
            self.inexact = True
            return
        if whole and self.limit >= _SMALL_AREA and not _UNUSUAL_CELL.search(block, start):
            return  # the whole part spans at most 999 rows × 702 columns
        if _ODD_CELL.search(block, start):
            self.inexact = True
            return
        refs = _ADDRESS.findall(block, start)
        if not refs:
            return
        letters, digits = zip(*refs, strict=True)
        self.rows = max(self.rows, max(map(int, digits)))
        self.cols = max(self.cols, max(map(_column, set(letters))))


def walk_cells(chunks: Iterator[bytes], member: str, limit: int) -> None:
    """The exact used range of an OOXML sheet part whose cells may lack their address."""
    row = col = -1
    rows = cols = 0
    for block in blocks(chunks):
        for m in _CELL_TAG.finditer(block):
            name, attrs = m.groups()
            found = _R_ATTR.search(attrs)
            value = (
                None if found is None else (found.group(1) if found.group(1) is not None else found.group(2))
            )
            if name == b"row":
                if value is not None and not value.strip().isdigit():
                    raise corrupt(notes.XML_ROW_BAD.format(member=member), member)
                row, col = (int(value) - 1 if value is not None else row + 1), -1
                continue
            if value is None:
                col, at = col + 1, row
            else:
                ref = _REF.fullmatch(value.strip())
                if ref is None:
                    detail = notes.XML_CELL_REF_BAD.format(member=member, ref=value[:20].decode("latin-1"))
                    raise corrupt(detail, member)
                col, at = _column(ref.group(1)) - 1, int(ref.group(2)) - 1
            rows, cols = max(rows, at + 1), max(cols, col + 1)
            if rows * cols > limit:  # stop here: this walk is slow (~3 s a million cells)
                raise TooManyCells(rows, cols, partial=True)


_ODS_VALUE = re.compile(rb"(?:value-type|formula)\s*=")


def walk_ods(chunks: Iterator[bytes], limit: int) -> None:
    """The used range of every table of an ODS ``content.xml``, repeats included.

    ``table:number-rows-repeated`` and ``number-columns-repeated`` make a 1 KB file describe
    a billion cells; only cells with a value (or any content) count, as in the reader, so
    the empty rows LibreOffice writes down to the sheet's end do not.
    """
    sheet = ""
    rows = cols = 0
    for kind, name, start, repeat, col, n, attrs in ods_events(blocks(chunks)):
        if kind != "cell":
            if rows * cols > limit:
                raise TooManyCells(rows, cols, sheet)
            sheet, rows, cols = name, 0, 0
        elif not attrs.rstrip().endswith(b"/") or _ODS_VALUE.search(attrs):
            rows, cols = max(rows, start + repeat), max(cols, col + n)
    if rows * cols > limit:
        raise TooManyCells(rows, cols, sheet)


_BIFF_BOF = frozenset({0x0809, 0x0409, 0x0209, 0x0009})
# Records holding a cell value: NUMBER, RK, LABELSST, LABEL, BOOLERR, FORMULA (BIFF2-8), RSTRING.
_BIFF_VALUES = frozenset({0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x0206, 0x0406, 0x00D6})
_BIFF_MULRK = 0x00BD
_BIFF_BOUNDSHEET = 0x0085


def walk_biff(stream: bytes, limit: int) -> None:
    """The used range of every sheet of an ``.xls`` Workbook stream, from its cell records."""
    names: dict[int, str] = {}
    sheet = ""
    rows = cols = 0

    def check() -> None:
        if rows * cols > limit:
            raise TooManyCells(rows, cols, sheet)

    pos, end = 0, len(stream)
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        if kind in _BIFF_BOF:
            check()
            sheet, rows, cols = names.get(pos, ""), 0, 0
        elif kind == _BIFF_BOUNDSHEET and length >= 8 and body + length <= end:
            names[struct.unpack_from("<I", stream, body)[0]] = _biff_sheet_name(
                stream[body + 6 : body + length]
            )
        elif (kind in _BIFF_VALUES or kind == _BIFF_MULRK) and length >= 6 and body + length <= end:
            row, col = struct.unpack_from("<HH", stream, body)
            if kind == _BIFF_MULRK:
                col = struct.unpack_from("<H", stream, body + length - 2)[0]
            rows, cols = max(rows, row + 1), max(cols, col + 1)
        pos = body + length
    check()


def _biff_sheet_name(raw: bytes) -> str:
    """A BOUNDSHEET name: BIFF8 (length, flags, Latin-1 or UTF-16) or BIFF5 (length, bytes)."""
    if len(raw) >= 2:
        size, flags = raw[0], raw[1]
        if flags in (0, 1) and len(raw) == 2 + size * (flags + 1):
            return raw[2:].decode("utf-16-le" if flags else "latin-1", "replace")
        return raw[1 : 1 + size].decode("cp1252", "replace")
    return ""
