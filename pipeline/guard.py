"""The intake guard: the first code that touches an incoming return, before any parser.

A parser that crashes or runs out of memory takes the whole batch down (a 7.7 MB zip bomb
makes python-calamine run 39 s, reach 2.6 GB and abort with SIGABRT), so every file passes
here first. The guard tells the format by content (never by name), refuses what no reader
should see, and returns a :class:`GuardResult` of plain data. It never raises for bad input
and never modifies the file.

ZIP-based files (xlsx, xlsm, ods) are checked in two steps:

1. the central directory: member count, declared sizes (per member and in sum) and the
   compression ratio of big members;
2. a bounded streaming read of every member in 64 KiB chunks. It inflates exactly the
   declared compressed bytes itself (``zlib``) instead of reading through ``ZipFile.open()``:
   the stdlib reader silently cuts a member at its declared size, so a member that lies about
   its size but carries the CRC of the cut data would pass, while a reader that trusts the
   deflate stream would inflate all of it. Here the output is counted and the read stops as
   soon as it passes the declared size; CRC, truncation and overlapping members are checked
   too. XML members are scanned for a DTD (``<!DOCTYPE``/``<!ENTITY``, also in UTF-16),
   across chunk boundaries: no OOXML or ODF part needs one, and it is how entity expansion
   and external-entity attacks start.

OLE2 files (``.xls``, and password-protected OOXML, which is an OLE2 container) are told
apart by the names of their root streams, read from the compound file's directory with a
small stdlib-only parser. Beyond that only the size limit applies to ``.xls``, plus a look at
the first record of the ``Workbook`` stream to spot a password-protected ``.xls``.
"""

from __future__ import annotations

import hashlib
import html
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.issues import Code, Issue, Severity, make_issue

FORMATS = ("xlsx", "xlsm", "xls", "ods")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 64 * 1024
MB = 1024 * 1024

# File name endings that match each format (lower case); anything else gets a mismatch warning.
_EXTENSIONS = {
    "xlsx": (".xlsx", ".xlsm", ".xltx", ".xltm"),
    "xlsm": (".xlsx", ".xlsm", ".xltx", ".xltm"),
    "xls": (".xls", ".xlt"),
    "ods": (".ods", ".ots"),
}
_SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlt", ".ods", ".ots")

# What a refused file seems to be (Vietnamese), and what to do beyond "send the .xlsx template".
_SAVE_AS = " (mở tệp bằng Excel, chọn Lưu thành › Sổ làm việc Excel (.xlsx))"
_UNZIP = " (giải nén trước, rồi gửi riêng tệp .xlsx)"
_KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("tệp PDF", " (không gửi bản in hay bản quét)"),
    "png": ("ảnh PNG", " (không gửi ảnh chụp màn hình)"),
    "jpeg": ("ảnh JPEG", " (không gửi ảnh chụp)"),
    "gif": ("ảnh GIF", ""),
    "rar": ("tệp nén RAR", _UNZIP),
    "7z": ("tệp nén 7z", _UNZIP),
    "gzip": ("tệp nén gzip", _UNZIP),
    "zip": ("tệp nén ZIP", _UNZIP),
    "docx": ("tài liệu Word (.docx)", ""),
    "doc": ("tài liệu Word cũ (.doc)", ""),
    "pptx": ("bản trình chiếu PowerPoint (.pptx)", ""),
    "ppt": ("bản trình chiếu PowerPoint cũ (.ppt)", ""),
    "odt": ("văn bản OpenDocument (.odt)", ""),
    "odf": ("tài liệu OpenDocument không phải bảng tính", ""),
    "ooxml": ("tài liệu Office không phải bảng tính", ""),
    "ole": ("tệp Office cũ không phải bảng tính", ""),
    "xlsb": ("bảng tính Excel dạng nhị phân (.xlsb)", _SAVE_AS),
    "html": ("trang web (HTML)", _SAVE_AS),
    "xml2003": ("bảng tính XML 2003", _SAVE_AS),
    "xml": ("tệp XML", ""),
    "text": ("tệp văn bản (CSV/TXT)", _SAVE_AS),
    "unknown": ("tệp có định dạng không nhận ra", ""),
}
_FORMAT_NAMES = {
    "xlsx": "bảng tính Excel (.xlsx)",
    "xlsm": "bảng tính Excel có macro (.xlsm)",
    "xls": "bảng tính Excel cũ (.xls)",
    "ods": "bảng tính OpenDocument (.ods)",
}
_MAGICS = (
    (b"%PDF", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
)

# A DTD in UTF-8, UTF-16 (either byte order) or UTF-32: up to three NULs between characters.
_DTD = re.compile(
    b"|".join(
        b"\x00{0,3}".join(re.escape(bytes([ch])) for ch in word) for word in (b"<!DOCTYPE", b"<!ENTITY")
    ),
    re.IGNORECASE,
)
_DTD_OVERLAP = 64  # longer than any match of _DTD: carried from one chunk to the next
_XML_NAMES = (".xml", ".rels", ".vml")
_BLANKS = b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"  # whitespace, NULs and BOM bytes (UTF-8/16/32)
_CONTENT_TYPES = "[Content_Types].xml"


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
    fmt: str | None  # "xlsx" | "xlsm" | "xls" | "ods"; None when refused
    ok: bool
    issues: tuple[Issue, ...]  # errors when refused; warnings otherwise
    sha256: str
    size: int
    # For an accepted file: the very bytes that were checked and hashed (a reader parses these,
    # never the path again, so the file cannot change in between), and the worksheet XML parts of
    # an OOXML file as the bounded read inflated them (the formula scan reuses them).
    data: bytes = field(default=b"", repr=False)
    worksheets: Mapping[str, bytes] = field(default_factory=dict, repr=False)


class _Refused(Exception):
    """Internal: the file is refused with this code; ``detail`` completes the message."""

    def __init__(self, code: Code, detail: str = "", value: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail
        self.value = value


# Errors a malformed container can raise from zipfile, zlib or struct; all mean "corrupt".
_CORRUPT_ERRORS = (
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


def is_ignorable(path: Path) -> bool:
    """Office lock/temp files and system clutter, skipped quietly (never reported)."""
    name = path.name
    lower = name.lower()
    return (
        name.startswith(("~$", "."))  # Office owner files "~$…", LibreOffice ".~lock.…#", hidden files
        or (name.startswith("~") and lower.endswith(".tmp"))  # Office save temp files "~WRL0001.tmp"
        or lower in ("thumbs.db", "desktop.ini", "ehthumbs.db")
        or "__MACOSX" in path.parts
    )


def sniff_format(head: bytes, names: list[str] | None) -> str | None:
    """The spreadsheet format of a file, by content: "xlsx", "xlsm", "xls", "ods" or None.

    ``head`` is the file's first bytes; ``names`` the member names of a ZIP or the root stream
    names of an OLE2 file. When ``names`` is None they are read from ``head`` if it holds the
    whole file. A macro declared only in ``[Content_Types].xml`` and a password-protected
    ``.xls`` are only seen by :func:`guard_file`.
    """
    kind: str | None = None
    try:
        if head.startswith(ZIP_MAGIC):
            mimetype = _head_mimetype(head)
            if names is None:
                infos = zipfile.ZipFile(io.BytesIO(head)).infolist()
                names = [i.filename for i in infos]
                mimetype = mimetype or _small_mimetype(head, infos)
            kind = _zip_kind(set(names), mimetype)
        elif head.startswith(OLE_MAGIC):
            kind = _ole_kind(set(names) if names is not None else set(_read_ole(head).streams))
    except (_Refused, *_CORRUPT_ERRORS):
        return None
    return kind if kind in FORMATS else None


def guard_file(path: Path, limits: GuardLimits = GuardLimits()) -> GuardResult:
    """Check one incoming file before any parser reads it. Raises only if the path is missing.

    ``sha256`` and ``size`` describe the bytes read; only a file that cannot be read at all
    (permissions, a directory) yields FILE_UNREADABLE with an empty ``sha256``.
    """
    name = path.name
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            with path.open("rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
            return _refused(path, _Refused(Code.FILE_TOO_LARGE, _mb(size)), digest, size, limits)
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        text = f"Không mở được tệp «{name}» ({exc.strerror or exc.__class__.__name__}): hãy kiểm tra quyền đọc tệp rồi chạy lại."
        return GuardResult(path, None, False, (_issue(Code.FILE_UNREADABLE, name, text),), "", 0)
    digest, size = hashlib.sha256(data).hexdigest(), len(data)
    worksheets: dict[str, bytes] = {}
    try:
        fmt, warnings = _inspect(data, path, limits, worksheets)
    except _Refused as refused:
        return _refused(path, refused, digest, size, limits)
    except _CORRUPT_ERRORS as exc:  # malformed containers: zipfile, zlib and struct errors
        return _refused(path, _Refused(Code.FILE_CORRUPT, value=type(exc).__name__), digest, size, limits)
    return GuardResult(path, fmt, True, tuple(warnings), digest, size, data, worksheets)


def _refused(path: Path, refused: _Refused, digest: str, size: int, limits: GuardLimits) -> GuardResult:
    text = _refusal_text(refused, path.name, limits)
    issue = _issue(refused.code, path.name, text, value=refused.value)
    return GuardResult(path, None, False, (issue,), digest, size)


# --- what is it? -------------------------------------------------------------------------


def _inspect(
    data: bytes, path: Path, limits: GuardLimits, worksheets: dict[str, bytes]
) -> tuple[str, list[Issue]]:
    """The format and warnings of an acceptable file; raises _Refused otherwise.

    ``worksheets`` receives the inflated ``xl/worksheets/*.xml`` parts of an OOXML file."""
    name, ext = path.name, path.suffix.lower()
    if not data:
        raise _Refused(Code.FILE_EMPTY)
    if len(data) > limits.max_file_bytes:  # the file grew after stat()
        raise _Refused(Code.FILE_TOO_LARGE, _mb(len(data)))
    if data.startswith(b"PK"):
        fmt = (
            _inspect_zip(data, limits, worksheets) if data.startswith(ZIP_MAGIC) else _kind_of_zip_stub(data)
        )
    elif data.startswith(OLE_MAGIC):
        ole = _read_ole(data)
        fmt = _ole_kind(set(ole.streams))
        if fmt == "xls" and _xls_has_filepass(data, ole):
            fmt = "encrypted"
        elif fmt == "xls":
            try:
                _walk_biff(_xls_workbook_stream(data, ole), limits.max_cells)
            except _TooManyCells as too_many:
                raise _Refused(
                    Code.FILE_TOO_MANY_CELLS, too_many.detail(too_many.sheet, limits), too_many.sheet
                ) from None
    else:
        fmt = _other_kind(data)
    if fmt == "encrypted":
        raise _Refused(Code.FILE_ENCRYPTED)
    if fmt not in FORMATS:
        if fmt == "unknown" and ext in _SPREADSHEET_EXTENSIONS:
            raise _Refused(Code.FILE_CORRUPT, "không nhận ra nội dung")
        raise _Refused(Code.FILE_UNSUPPORTED, fmt)
    warnings = []
    if ext not in _EXTENSIONS[fmt]:
        shown = f"«{path.suffix}»" if path.suffix else "trống"
        text = (
            f"Tệp «{name}» có đuôi {shown} nhưng nội dung là {_FORMAT_NAMES[fmt]}: hệ thống vẫn đọc "
            "theo nội dung; lần sau hãy lưu đúng dạng .xlsx (Lưu thành › Sổ làm việc Excel)."
        )
        warnings.append(_issue(Code.FILE_EXTENSION_MISMATCH, name, text, Severity.WARNING))
    if fmt == "xlsm":
        text = (
            f"Tệp «{name}» có macro; macro không được chạy, chỉ đọc giá trị. "
            "Lần sau hãy dùng tệp mẫu .xlsx không có macro."
        )
        warnings.append(_issue(Code.FILE_MACRO, name, text, Severity.WARNING))
    return fmt, warnings


def _other_kind(data: bytes) -> str:
    """A kind for content that is neither ZIP nor OLE2: by magic bytes, else text sniffing."""
    for magic, kind in _MAGICS:
        if data.startswith(magic):
            return kind
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    elif b"\x00" in head:
        return "unknown"
    else:
        text = head.decode("utf-8", "ignore")
    lower = text.lower().lstrip("\ufeff \t\r\n")
    if "urn:schemas-microsoft-com:office:spreadsheet" in lower:
        return "xml2003"
    if lower.startswith(("<!doctype html", "<html", "<table", "<meta")) or "<html" in lower:
        return "html"
    if lower.startswith("<?xml"):
        return "xml"
    printable = sum(ch.isprintable() or ch in "\t\r\n" for ch in text)
    return "text" if text and printable >= 0.95 * len(text) else "unknown"


def _kind_of_zip_stub(data: bytes) -> str:
    """A file starting with "PK" but not with a local header: an empty or spanned archive."""
    return "zip" if data.startswith(b"PK\x05\x06") else "unknown"


def _head_mimetype(head: bytes) -> bytes:
    """The ODF ``mimetype`` when it is the first, stored member (as the ODF standard requires)."""
    if head[26:30] == b"\x08\x00\x00\x00" and head[30:38] == b"mimetype" and head[8:10] == b"\x00\x00":
        size = struct.unpack_from("<I", head, 18)[0]
        return head[38 : 38 + min(size, 100)]
    return b""


def _small_mimetype(data: bytes, infos: list[zipfile.ZipInfo]) -> bytes:
    """The ODF ``mimetype`` member wherever it is, if it is small."""
    for info in infos:
        if info.filename == "mimetype" and info.file_size <= 100:
            return b"".join(_member_chunks(data, info, _data_start(data, info)))
    return b""


def _zip_kind(names: set[str], mimetype: bytes) -> str:
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return "odf"
    if "xl/workbook.xml" in names:
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "ooxml" if _CONTENT_TYPES in names else "zip"


# --- ZIP containers ----------------------------------------------------------------------


def _inspect_zip(data: bytes, limits: GuardLimits, worksheets: dict[str, bytes]) -> str:
    """Kind of a ZIP-based file after the declared-size checks and a bounded read of every member.

    ``worksheets`` receives the ``xl/worksheets/*.xml`` parts as they were read."""
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if eocd >= 0 and len(data) >= eocd + 12:
        declared_count = struct.unpack_from("<H", data, eocd + 10)[0]
        if declared_count != 0xFFFF and declared_count > limits.max_members:
            raise _Refused(Code.FILE_ZIP_BOMB, f"có {declared_count} phần, tối đa {limits.max_members}")
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    if len(infos) > limits.max_members:
        raise _Refused(Code.FILE_ZIP_BOMB, f"có {len(infos)} phần, tối đa {limits.max_members}")
    names = {info.filename for info in infos}
    if len(names) != len(infos):
        raise _Refused(Code.FILE_CORRUPT, "có phần bị trùng tên")
    kind = _zip_kind(names, _head_mimetype(data) or _small_mimetype(data, infos))
    if kind not in FORMATS:
        return kind
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_member_bytes:
            detail = f"phần «{info.filename}» giải nén ra {_mb(info.file_size)}, tối đa {_mb(limits.max_member_bytes)}"
            raise _Refused(Code.FILE_ZIP_BOMB, detail, info.filename)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= limits.ratio_min_bytes and ratio > limits.max_ratio:
            detail = f"phần «{info.filename}» có tỉ lệ nén {ratio:.0f} lần, tối đa {limits.max_ratio:.0f} lần"
            raise _Refused(Code.FILE_ZIP_BOMB, detail, info.filename)
    if total > limits.max_uncompressed_bytes:
        detail = f"tổng dung lượng giải nén {_mb(total)}, tối đa {_mb(limits.max_uncompressed_bytes)}"
        raise _Refused(Code.FILE_ZIP_BOMB, detail)
    content_types = b""
    end_of_previous = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset < end_of_previous:
            raise _Refused(Code.FILE_ZIP_BOMB, "các phần chồng lên nhau", info.filename)
        start = _data_start(data, info)
        end_of_previous = start + info.compress_size
        # XML by name, or by content whatever the name (a rels file may point a sheet at any part):
        # undecided until the first byte that is neither whitespace, NUL nor part of a BOM.
        xml: bool | None = True if info.filename.lower().endswith(_XML_NAMES) else None
        tail = b""
        cells = _CellScan(info.filename, limits.max_cells)
        worksheet = (
            kind != "ods" and info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        )
        keep: list[bytes] = []
        try:
            for chunk in _member_chunks(data, info, start):
                if worksheet:
                    keep.append(chunk)
                if xml is None:
                    rest = chunk.lstrip(_BLANKS)
                    xml = rest.startswith(b"<") if rest else None
                if xml:
                    both = tail + chunk
                    if b"!" in both and _DTD.search(both):  # every match holds a "!": memchr first
                        raise _Refused(Code.FILE_XML_ENTITIES, info.filename, info.filename)
                    tail = chunk[-_DTD_OVERLAP:]
                    if kind != "ods":
                        cells.feed(chunk)
                if info.filename == _CONTENT_TYPES and len(content_types) < MB:
                    content_types += chunk
            if worksheet:
                worksheets[info.filename] = b"".join(keep)
            if xml and kind != "ods":
                cells.close()
                if cells.inexact:  # cells without an address: walk the part again, tag by tag
                    _walk_cells(_member_chunks(data, info, start), info.filename, limits.max_cells)
            elif kind == "ods" and info.filename == "content.xml":
                _walk_ods(_member_chunks(data, info, start), limits.max_cells)
        except _TooManyCells as too_many:
            sheet = too_many.sheet or _xlsx_sheet_name(data, infos, info.filename)
            raise _Refused(Code.FILE_TOO_MANY_CELLS, too_many.detail(sheet, limits), sheet) from None
    if kind == "xlsx" and b"macroenabled" in content_types.lower():
        kind = "xlsm"
    return kind


def _data_start(data: bytes, info: zipfile.ZipInfo) -> int:
    """Offset of a member's data, after checking its local header against the central directory."""
    offset = info.header_offset
    if data[offset : offset + 4] != ZIP_MAGIC:
        raise _Refused(Code.FILE_CORRUPT, "tiêu đề phần nén sai")
    flags, method, _, _, crc, csize, usize, name_len, extra_len = struct.unpack_from(
        "<HHHHIIIHH", data, offset + 6
    )
    if flags & 0x1:
        raise _Refused(Code.FILE_ENCRYPTED)
    if method != info.compress_type:
        raise _Refused(Code.FILE_CORRUPT, "tiêu đề phần nén không khớp")
    in_local_header = not flags & 0x8 and 0xFFFFFFFF not in (csize, usize)  # else: central directory only
    if in_local_header:
        if (csize, usize) != (info.compress_size, info.file_size):
            detail = f"phần «{info.filename}» khai báo hai kích thước khác nhau"
            raise _Refused(Code.FILE_CORRUPT, detail, info.filename)
        if crc != info.CRC:
            raise _Refused(Code.FILE_CORRUPT, f"phần «{info.filename}» khai báo hai mã kiểm tra khác nhau")
    return offset + 30 + name_len + extra_len


def _member_chunks(data: bytes, info: zipfile.ZipInfo, start: int) -> Iterator[bytes]:
    """The member's bytes (its data begins at ``start``) in chunks; stops as soon as the output
    passes the declared size; checks the length and CRC at the end."""
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise _Refused(Code.FILE_CORRUPT, "thiếu dữ liệu")
    crc = total = 0
    if info.compress_type == zipfile.ZIP_STORED:
        chunks: Iterator[bytes] = (bytes(raw[i : i + CHUNK]) for i in range(0, len(raw), CHUNK))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        chunks = _inflate(raw)
    else:
        raise _Refused(Code.FILE_CORRUPT, f"kiểu nén lạ ({info.compress_type})")
    for chunk in chunks:
        total += len(chunk)
        if total > info.file_size:
            raise _Refused(
                Code.FILE_ZIP_BOMB, f"phần «{info.filename}» dài hơn kích thước khai báo", info.filename
            )
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if total != info.file_size or crc != info.CRC:
        raise _Refused(Code.FILE_CORRUPT, f"phần «{info.filename}» sai mã kiểm tra", info.filename)


def _inflate(raw: memoryview) -> Iterator[bytes]:
    """Raw deflate, at most CHUNK bytes out per step; the stream must end within ``raw``."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pos = 0
    while not inflater.eof:
        if inflater.unconsumed_tail:
            piece: bytes | memoryview = inflater.unconsumed_tail
        elif pos < len(raw):
            piece, pos = raw[pos : pos + CHUNK], pos + CHUNK
        else:
            raise _Refused(Code.FILE_CORRUPT, "dữ liệu nén bị cắt cụt")
        out = inflater.decompress(piece, CHUNK)
        if out:
            yield out


# --- how many cells a sheet spans --------------------------------------------------------


class _TooManyCells(Exception):
    """Internal: a sheet's used range (``rows`` × ``cols`` from A1) passes the limit."""

    def __init__(self, rows: int, cols: int, sheet: str = "", *, partial: bool = False) -> None:
        super().__init__(rows, cols, sheet)
        self.rows, self.cols, self.sheet, self.partial = rows, cols, sheet, partial

    def detail(self, sheet: str, limits: GuardLimits) -> str:
        where = f"trang «{sheet}»" if sheet else "một trang tính"
        return (
            f"{where} dùng tới {'ít nhất ' if self.partial else ''}{_count(self.rows)} dòng × {_count(self.cols)} cột "
            f"({_count(self.rows * self.cols)} ô, tối đa {_count(limits.max_cells)} ô)"
        )


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


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
_ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*)>"""  # attributes up to the tag's end, quotes respected
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(c|row)(?=[\s/>])" + _ATTRS)
_R_ATTR = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")


def _blocks(chunks: Iterator[bytes]) -> Iterator[bytes]:
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


class _CellScan:
    """The used range of an OOXML part, bounded fast from the addresses of its cells.

    What python-calamine allocates is the rectangle from A1 to the farthest row and column of
    any cell, so only the maxima matter: two regex passes per block, no Python loop per cell
    (~0.5 s for a 1,048,576-row sheet, well under a millisecond for a return). A cell tag
    written otherwise (without an address, which OOXML allows, or with a prefix or other
    quoting) makes the bound ``inexact``: then :func:`_walk_cells` walks the part tag by tag.
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
            raise _TooManyCells(self.rows, self.cols)

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


def _walk_cells(chunks: Iterator[bytes], member: str, limit: int) -> None:
    """The exact used range of an OOXML sheet part whose cells may lack their address."""
    row = col = -1
    rows = cols = 0
    for block in _blocks(chunks):
        for m in _CELL_TAG.finditer(block):
            name, attrs = m.groups()
            found = _R_ATTR.search(attrs)
            value = (
                None if found is None else (found.group(1) if found.group(1) is not None else found.group(2))
            )
            if name == b"row":
                if value is not None and not value.strip().isdigit():
                    raise _Refused(Code.FILE_CORRUPT, f"phần «{member}» có số dòng không hợp lệ", member)
                row, col = (int(value) - 1 if value is not None else row + 1), -1
                continue
            if value is None:
                col, at = col + 1, row
            else:
                ref = _REF.fullmatch(value.strip())
                if ref is None:
                    detail = f"phần «{member}» có địa chỉ ô không hợp lệ «{value[:20].decode('latin-1')}»"
                    raise _Refused(Code.FILE_CORRUPT, detail, member)
                col, at = _column(ref.group(1)) - 1, int(ref.group(2)) - 1
            rows, cols = max(rows, at + 1), max(cols, col + 1)
            if rows * cols > limit:  # stop here: this walk is slow (~3 s a million cells)
                raise _TooManyCells(rows, cols, partial=True)


_ODS_TAG = re.compile(
    rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])" + _ATTRS
)
_ODS_REPEAT = re.compile(rb"""number-(?:rows|columns)-repeated\s*=\s*["']\s*0*([0-9]{1,12})\s*["']""")
_ODS_NAME = re.compile(rb"""\s(?:[\w.\-]+:)?name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ODS_VALUE = re.compile(rb"(?:value-type|formula)\s*=")


def _walk_ods(chunks: Iterator[bytes], limit: int) -> None:
    """The used range of every table of an ODS ``content.xml``, repeats included.

    ``table:number-rows-repeated`` and ``number-columns-repeated`` make a 1 KB file describe
    a billion cells; only cells with a value (or any content) count, as in the reader, so
    the empty rows LibreOffice writes down to the sheet's end do not.
    """
    sheet = ""
    row = start = col = rows = cols = 0
    repeat = 1

    def check() -> None:
        if rows * cols > limit:
            raise _TooManyCells(rows, cols, sheet)

    for block in _blocks(chunks):
        for m in _ODS_TAG.finditer(block):
            closing, tag, attrs = m.groups()
            if tag == b"table":
                check()
                found = None if closing else _ODS_NAME.search(attrs)
                raw = b"" if found is None else (found.group(1) or found.group(2) or b"")
                sheet = html.unescape(raw.decode("utf-8", "replace"))
                row = start = col = rows = cols = 0
                continue
            if closing:
                continue
            found = _ODS_REPEAT.search(attrs)
            n = max(int(found.group(1)), 1) if found else 1
            if tag == b"table-row":
                start, repeat, row, col = row, n, row + n, 0
                continue
            if not attrs.rstrip().endswith(b"/") or _ODS_VALUE.search(attrs):
                rows, cols = max(rows, start + repeat), max(cols, col + n)
            col += n
    check()


_BIFF_BOF = frozenset({0x0809, 0x0409, 0x0209, 0x0009})
# Records holding a cell value: NUMBER, RK, LABELSST, LABEL, BOOLERR, FORMULA (BIFF2-8), RSTRING.
_BIFF_VALUES = frozenset({0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x0206, 0x0406, 0x00D6})
_BIFF_MULRK = 0x00BD
_BIFF_BOUNDSHEET = 0x0085


def _walk_biff(stream: bytes, limit: int) -> None:
    """The used range of every sheet of an ``.xls`` Workbook stream, from its cell records."""
    names: dict[int, str] = {}
    sheet = ""
    rows = cols = 0

    def check() -> None:
        if rows * cols > limit:
            raise _TooManyCells(rows, cols, sheet)

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


def _xlsx_sheet_name(data: bytes, infos: list[zipfile.ZipInfo], member: str) -> str:
    """The name of the sheet stored in ``member`` (workbook.xml and its rels), or ""."""
    try:
        parts = {i.filename: i for i in infos}

        def read(name: str) -> str:
            info = parts[name]
            raw = b"".join(_member_chunks(data, info, _data_start(data, info)))
            return raw.decode("utf-8", "replace")

        rels = read("xl/_rels/workbook.xml.rels")
        targets = {}
        for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
            rid = re.search(r'\bId\s*=\s*["\']([^"\']*)', tag)
            target = re.search(r'\bTarget\s*=\s*["\']([^"\']*)', tag)
            if rid and target:
                path = target.group(1)
                targets[rid.group(1)] = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
        for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", read("xl/workbook.xml")):
            rid = re.search(r'\br:id\s*=\s*["\']([^"\']*)', tag)
            name = re.search(r'\bname\s*=\s*["\']([^"\']*)', tag)
            if rid and name and posixpath.normpath(targets.get(rid.group(1), "")) == member:
                return html.unescape(name.group(1))
    except (_Refused, *_CORRUPT_ERRORS):
        pass
    return ""


def _xls_workbook_stream(data: bytes, ole: _Ole) -> bytes:
    """The Workbook (or BIFF5 Book) stream of an ``.xls``, from the regular or the mini stream."""
    folded = {k.casefold(): v for k, v in ole.streams.items()}
    start, size = folded.get("workbook") or folded.get("book") or (_END, 0)
    if size >= ole.mini_cutoff:
        return _ole_chain(data, ole, start)[:size]
    mini = _ole_chain(data, ole, ole.root_start)
    minifat = _ole_chain(data, ole, ole.minifat_start)
    out: list[bytes] = []
    sector, seen = start, set[int]()
    while sector < _END and len(out) * ole.mini_size < size:
        if sector in seen or (sector + 1) * ole.mini_size > len(mini):
            raise _Refused(Code.FILE_CORRUPT, "luồng nhỏ OLE bị hỏng")
        seen.add(sector)
        out.append(mini[sector * ole.mini_size : (sector + 1) * ole.mini_size])
        sector = struct.unpack_from("<I", minifat, sector * 4)[0]
    return b"".join(out)[:size]


def _ole_chain(data: bytes, ole: _Ole, start: int) -> bytes:
    """The sectors of a regular chain, in order; loops and chains past the file are corrupt."""
    out: list[bytes] = []
    sector, seen = start, set[int]()
    size = ole.sector_size
    while sector < _END:
        block = data[(sector + 1) * size : (sector + 2) * size]
        if sector in seen or len(block) < size:
            raise _Refused(Code.FILE_CORRUPT, "chuỗi sector OLE bị lặp hoặc cắt cụt")
        seen.add(sector)
        out.append(block)
        sector = ole.next_sector(data, sector)
    return b"".join(out)


# --- OLE2 compound files -----------------------------------------------------------------


@dataclass(frozen=True)
class _Ole:
    sector_size: int
    mini_size: int  # mini-stream sector size
    mini_cutoff: int  # streams smaller than this live in the mini stream
    fat: tuple[int, ...]  # sector numbers of the FAT sectors
    root_start: int  # first sector of the mini stream
    streams: dict[str, tuple[int, int]]  # root-level entry name → (start sector, size)
    minifat_start: int = 0xFFFFFFFE  # first sector of the mini FAT

    def next_sector(self, data: bytes, sector: int) -> int:
        index, pos = divmod(sector, self.sector_size // 4)
        return int(struct.unpack_from("<I", data, (self.fat[index] + 1) * self.sector_size + pos * 4)[0])


_END = 0xFFFFFFFA  # sector numbers from here up are markers (end of chain, free, FAT, DIFAT)
_NOSTREAM = 0xFFFFFFFF


def _read_ole(data: bytes) -> _Ole:
    """The root-level entries of an OLE2 compound file, from its directory (bounded, loop-safe).

    A real directory walk rather than a search for UTF-16 names: the names "Workbook" and
    "EncryptedPackage" may appear anywhere in the data of an unrelated stream.
    """
    if len(data) < 512:
        raise _Refused(Code.FILE_CORRUPT, "tệp OLE quá ngắn")
    shift, mini_shift, n_fat, dir_start, mini_cutoff, minifat_start, _, difat_start, n_difat = (
        struct.unpack_from("<HH10xII4xIIIII", data, 30)
    )
    if shift not in (9, 12):
        raise _Refused(Code.FILE_CORRUPT, "tiêu đề OLE sai")
    size = 1 << shift
    per = size // 4
    max_sectors = len(data) // size
    difat = list(struct.unpack_from("<109I", data, 76))
    sector = difat_start
    for _ in range(min(n_difat, max_sectors)):
        if sector >= _END:
            break
        values = struct.unpack_from(f"<{per}I", data, (sector + 1) * size)
        difat += values[:-1]
        sector = values[-1]
    ole = _Ole(
        size, 1 << min(mini_shift, shift), mini_cutoff, tuple(s for s in difat[:n_fat] if s < _END), 0, {}
    )

    entries: list[bytes] = []
    sector, seen = dir_start, set[int]()
    while sector < _END:
        if sector in seen or len(seen) > max_sectors:
            raise _Refused(Code.FILE_CORRUPT, "thư mục OLE bị lặp")
        seen.add(sector)
        block = data[(sector + 1) * size : (sector + 2) * size]
        if len(block) < size:
            raise _Refused(Code.FILE_CORRUPT, "thư mục OLE bị cắt cụt")
        entries += [block[i : i + 128] for i in range(0, size, 128)]
        sector = ole.next_sector(data, sector)
    if not entries or entries[0][66] != 5:
        raise _Refused(Code.FILE_CORRUPT, "thiếu mục gốc OLE")
    streams: dict[str, tuple[int, int]] = {}
    todo, visited = [struct.unpack_from("<I", entries[0], 76)[0]], set()
    while todo:
        i = todo.pop()
        if i == _NOSTREAM or i in visited or i >= len(entries):
            continue
        visited.add(i)
        entry = entries[i]
        name_len, left, right, start, length = struct.unpack_from("<H2xII40xII", entry, 64)
        name = entry[: max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
        streams[name] = (start, length)
        todo += [left, right]
    root_start = struct.unpack_from("<I", entries[0], 116)[0]
    return _Ole(ole.sector_size, ole.mini_size, mini_cutoff, ole.fat, root_start, streams, minifat_start)


def _ole_kind(names: set[str]) -> str:
    folded = {n.casefold() for n in names}
    if folded & {"encryptioninfo", "encryptedpackage"}:
        return "encrypted"
    if folded & {"workbook", "book"}:
        return "xls"
    if "worddocument" in folded:
        return "doc"
    return "ppt" if "powerpoint document" in folded else "ole"


def _xls_has_filepass(data: bytes, ole: _Ole) -> bool:
    """True when the workbook stream's BOF record is followed by FILEPASS (a password-protected .xls)."""
    folded = {k.casefold(): v for k, v in ole.streams.items()}
    start, length = folded.get("workbook") or folded.get("book") or (_END, 0)
    if start >= _END or length < 8:
        return False
    if length >= ole.mini_cutoff:
        offset = (start + 1) * ole.sector_size
    else:  # in the mini stream, whose sectors chain from the root entry's start sector
        skip, within = divmod(start * ole.mini_size, ole.sector_size)
        sector = ole.root_start
        for _ in range(min(skip, len(data) // ole.sector_size)):
            sector = ole.next_sector(data, sector)
        offset = (sector + 1) * ole.sector_size + within
    record = data[offset : offset + min(64, ole.mini_size, length)]
    if len(record) < 8:
        return False
    kind, size = struct.unpack_from("<HH", record)
    return kind in (0x0809, 0x0409, 0x0209, 0x0009) and record[4 + size : 6 + size] == b"\x2f\x00"


# --- messages ----------------------------------------------------------------------------


def _issue(code: Code, name: str, text: str, severity: Severity = Severity.ERROR, value: str = "") -> Issue:
    return make_issue(code, severity, text, file=name, value=value or None)


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB".replace(".", ",")


def _refusal_text(refused: _Refused, name: str, limits: GuardLimits) -> str:
    code, detail = refused.code, refused.detail
    if code == Code.FILE_EMPTY:
        return f"Tệp «{name}» rỗng (0 byte): hãy mở lại bảng tính bằng Excel, lưu lại rồi gửi lại."
    if code == Code.FILE_TOO_LARGE:
        return (
            f"Tệp «{name}» quá lớn ({detail}, tối đa {_mb(limits.max_file_bytes)}): hãy xoá ảnh và các trang "
            "không cần thiết, lưu lại dạng .xlsx rồi gửi lại."
        )
    if code == Code.FILE_ZIP_BOMB:
        return (
            f"Tệp «{name}» bị từ chối vì nội dung nén bất thường ({detail}), không giống tệp mẫu báo cáo: "
            "hãy điền số liệu vào tệp mẫu Excel (.xlsx) gốc rồi gửi lại."
        )
    if code == Code.FILE_ENCRYPTED:
        return (
            f"Tệp «{name}» đang đặt mật khẩu mở tệp: hãy mở tệp, vào Tệp (File) > Thông tin (Info) > "
            "Bảo vệ Sổ làm việc (Protect Workbook) > Mã hóa bằng Mật khẩu (Encrypt with Password), "
            "xóa mật khẩu, lưu lại rồi gửi lại."
        )
    if code == Code.FILE_XML_ENTITIES:
        return (
            f"Tệp «{name}» bị từ chối vì phần «{detail}» chứa khai báo DTD/thực thể XML (có thể là tệp độc hại): "
            "hãy điền số liệu vào tệp mẫu Excel (.xlsx) gốc rồi gửi lại."
        )
    if code == Code.FILE_TOO_MANY_CELLS:
        return (
            f"Tệp «{name}» bị từ chối vì {detail}: quá lớn so với mẫu báo cáo (thường do điền, định dạng "
            "hoặc kéo công thức xuống hết trang tính). Hãy xóa các dòng, cột thừa bên dưới và bên phải bảng "
            "(chọn các dòng, cột đó › chuột phải › Xóa), lưu lại rồi gửi lại."
        )
    if code == Code.FILE_UNSUPPORTED:
        what, hint = _KINDS.get(detail, _KINDS["unknown"])
        return (
            f"Tệp «{name}» không dùng được: đây là {what}, không phải bảng tính Excel. "
            f"Hãy gửi tệp mẫu báo cáo Excel (.xlsx) đã điền{hint}."
        )
    return (
        f"Tệp «{name}» bị hỏng hoặc chưa tải xong ({detail or 'không đọc được cấu trúc tệp'}): "
        "hãy mở bằng Excel, lưu lại rồi gửi lại."
    )
