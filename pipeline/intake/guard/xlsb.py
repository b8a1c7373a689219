"""Excel's binary workbook (``.xlsb``, [MS-XLSB]): how many cells a sheet part spans, bounded
before python-calamine reads it, and the names of the sheets.

A part is a stream of records: a type (1-2 bytes of 7 bits) and a size (1-4 bytes of 7 bits),
then the body. In a sheet, BrtRowHdr (type 0) gives the row of the cells that follow, and every
cell record (types 2-10, as the reader takes them) starts with its column (4 bytes). The
reader keeps one record buffer and never clears it, so a record shorter than 4 bytes leaves
the bytes of an earlier one in place: that is followed here too. Its sheet ends at
BrtEndSheetData (type 0x92) or at a row past 1,048,576. The walk is linear: only the first 4
bytes of a body are looked at, the rest is skipped.
"""

from __future__ import annotations

import posixpath

from pipeline.intake.guard.cells import TooManyCells
from pipeline.intake.guard.opc import relationships, resolve

_ROW, _END_DATA, _BUNDLE_SHEET = 0x0000, 0x0092, 0x009C
_CELLS = range(0x0002, 0x000B)  # BrtCellRk … BrtFmlaBool: the records the reader makes cells of
_LAST_ROW = 0x0010_0000


class XlsbScan:
    """The used range of one ``.xlsb`` sheet part, fed in chunks; raises TooManyCells as soon as
    the range from A1 passes ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.rows = self.cols = 0
        self._row = 0
        self._head = bytearray(4)  # the first bytes of the reader's record buffer
        self._carry = b""  # a record header (and body prefix) cut by the chunk's end
        self._skip = 0  # body bytes of the current record still to pass
        self._done = False

    def feed(self, chunk: bytes) -> None:
        if self._done:
            return
        if self._skip >= len(chunk):
            self._skip -= len(chunk)
            return
        buf = self._carry + chunk[self._skip :]
        self._carry, self._skip = b"", 0
        pos, end = 0, len(buf)
        while pos < end:
            first = buf[pos]
            p = pos + 1
            kind = first
            if first & 0x80:
                if p >= end:
                    break
                kind = (first & 0x7F) | ((buf[p] & 0x7F) << 7)
                p += 1
            size, cut = 0, True
            for i in range(4):
                if p >= end:
                    break
                byte = buf[p]
                p += 1
                size |= (byte & 0x7F) << (7 * i)
                if not byte & 0x80 or i == 3:
                    cut = False
                    break
            prefix = min(size, 4)
            if cut or p + prefix > end:
                break
            self._record(kind, buf[p : p + prefix])
            if self._done:
                return
            pos = p + size
            if pos > end:
                self._skip = pos - end
                return
        self._carry = buf[pos:]

    def _record(self, kind: int, body: bytes) -> None:
        self._head[: len(body)] = body
        if kind == _ROW:
            self._row = int.from_bytes(self._head, "little")
            if self._row > _LAST_ROW:
                self._done = True  # the reader ends the sheet here
        elif kind in _CELLS:
            col = int.from_bytes(self._head, "little")
            self.rows, self.cols = max(self.rows, self._row + 1), max(self.cols, col + 1)
            if self.rows * self.cols > self.limit:
                raise TooManyCells(self.rows, self.cols, partial=True)
        elif kind == _END_DATA:
            self._done = True


def _records(data: bytes) -> list[tuple[int, bytes]]:
    """The records of a small part (the workbook), whole; a record cut by the end ends the list."""
    out: list[tuple[int, bytes]] = []
    pos, end = 0, len(data)
    while pos < end:
        kind = data[pos]
        pos += 1
        if kind & 0x80 and pos < end:
            kind = (kind & 0x7F) | ((data[pos] & 0x7F) << 7)
            pos += 1
        size = 0
        for i in range(4):
            if pos >= end:
                return out
            byte = data[pos]
            pos += 1
            size |= (byte & 0x7F) << (7 * i)
            if not byte & 0x80:
                break
        if pos + size > end:
            return out
        out.append((kind, data[pos : pos + size]))
        pos += size
    return out


def _wide(body: bytes, at: int) -> tuple[str, int]:
    """An XLWideString at ``at`` (4-byte count, UTF-16LE), and the offset after it; a null one is ""."""
    if at + 4 > len(body):
        return "", len(body)
    count = int.from_bytes(body[at : at + 4], "little")
    if count == 0xFFFFFFFF:
        return "", at + 4
    end = at + 4 + 2 * count
    return body[at + 4 : end].decode("utf-16-le", "replace"), end


def sheet_members(workbook_bin: bytes, rels_xml: bytes, workbook: str = "xl/workbook.bin") -> dict[str, str]:
    """Sheet part (normalized) → sheet name, from the BrtBundleSh records of ``xl/workbook.bin``."""
    folder = posixpath.dirname(workbook) + "/"
    targets = {rel.id: resolve(folder, rel.target) for rel in relationships(rels_xml)}
    out: dict[str, str] = {}
    for kind, body in _records(workbook_bin):
        if kind == _BUNDLE_SHEET and len(body) >= 12:
            rel, after = _wide(body, 8)
            name, _ = _wide(body, after)
            if rel in targets:
                out.setdefault(targets[rel], name)
    return out
