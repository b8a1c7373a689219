"""What every guard module shares: the limits, the result, the refusal and the parser errors."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.base.codes import Code
from pipeline.base.issues import Issue
from pipeline.base.messages import notes

CHUNK = 64 * 1024
MB = 1024 * 1024


@dataclass(frozen=True)
class GuardLimits:
    """Limits a file must stay within before any parser sees it."""

    max_file_bytes: int = 20 * MB
    max_uncompressed_bytes: int = 100 * MB  # sum of declared member sizes
    max_member_bytes: int = 60 * MB
    # Per member, uncompressed/compressed. Measured: real templates compress 5-10×; the worst
    # realistic sheets (20,000 rows × 30 bordered blank cells, or 200,000 zeros, written by
    # xlsxwriter or openpyxl) reach 11-15×. Deflate tops out near 1,030×, and bombs sit at
    # 200-1,000×. 100× leaves ~7× headroom over the worst real sheet.
    max_ratio: float = 100.0
    max_members: int = 2000
    # The ratio is only checked for members declaring at least this much: a small member can
    # compress 100× (a repetitive styles part) and cannot hurt anyone at any ratio.
    ratio_min_bytes: int = 1 * MB
    # Cells in the used range of one sheet (rows × columns from A1 to the farthest cell with a
    # value). python-calamine materialises that whole rectangle, ~70 bytes a cell: two values at
    # A1 and XFD1048576 (a 5 KB file) ask for 17 billion cells and abort the process. A return
    # has ~1,500 cells; 2,000,000 (~150 MB in the reader) still reads a 1,048,576-row column.
    max_cells: int = 2_000_000


@dataclass(frozen=True)
class GuardResult:
    path: Path
    fmt: str | None  # "xlsx" | "xlsm" | "xlsb" | "xls" | "ods"; None when refused
    ok: bool
    issues: tuple[Issue, ...]  # errors when refused; warnings otherwise
    sha256: str
    size: int
    # For an accepted file: the very bytes that were checked and hashed (a reader parses these,
    # never the path again, so the file cannot change in between), and the XML parts the reader
    # looks at again (worksheets, the workbook and its rels of an OOXML file, the content of an
    # ODS) as the bounded read inflated them, by normalized name (``\`` read as ``/``, lower
    # case). An ODS without its ``mimetype`` member is the one exception: ``data`` is then a copy
    # of its checked parts with that member (the reader needs it).
    data: bytes = field(default=b"", repr=False)
    parts: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    workbook: str = ""  # the main part of an OOXML workbook (normalized), e.g. "xl/workbook.xml"


class Refused(Exception):
    """Internal: the file is refused with this code; ``slots`` fill its message (``value`` goes
    to the issues list)."""

    def __init__(self, code: Code, value: str = "", **slots: Any) -> None:
        super().__init__(code, slots)
        self.code = code
        self.value = value
        self.slots = slots


def corrupt(detail: str, value: str = "") -> Refused:
    """A damaged container, with what is damaged."""
    return Refused(Code.FILE_CORRUPT, value, detail=detail)


def damage(exc: BaseException) -> str:
    """What is damaged, from the error a malformed container raised (zipfile's own words)."""
    text = str(exc)
    if isinstance(exc, zipfile.BadZipFile):
        for words, detail in notes.ZIP_DAMAGE.items():
            if words in text:
                return detail
    if isinstance(exc, zlib.error):
        return notes.ZIP_DEFLATE_BAD
    return notes.STRUCTURE_UNREADABLE


# Errors a malformed container can raise from zipfile, zlib or struct; all mean "corrupt".
CORRUPT_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    EOFError,
    ValueError,
    IndexError,
    KeyError,
    OverflowError,
    NotImplementedError,
)
