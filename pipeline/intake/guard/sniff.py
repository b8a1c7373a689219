"""What a file is, by content: magic bytes, the member names of a ZIP, the streams of an OLE2."""

from __future__ import annotations

import struct
from pathlib import Path

FORMATS = ("xlsx", "xlsm", "xls", "ods", "xlsb")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# File name endings that match each format (lower case); anything else gets a mismatch warning.
EXTENSIONS = {
    "xlsx": (".xlsx", ".xlsm", ".xltx", ".xltm"),
    "xlsm": (".xlsx", ".xlsm", ".xltx", ".xltm"),
    "xls": (".xls", ".xlt"),
    "ods": (".ods", ".ots"),
    "xlsb": (".xlsb",),
}
SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlt", ".ods", ".ots", ".xlsb")
_MAGICS = (
    (b"%PDF", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
)
CONTENT_TYPES = "[Content_Types].xml"


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


def other_kind(data: bytes) -> str:
    """A kind for content that is neither ZIP nor OLE2: by magic bytes, else text sniffing."""
    for magic, kind in _MAGICS:
        if data.startswith(magic):
            return kind
    bare = bare_biff(data)
    if bare:
        return bare
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


# Excel 2.x-4.0 wrote a bare BIFF stream (Excel 5.0 and later put it in an OLE2 compound file):
# the file starts with its BOF record, whose record number says the version ([MS-XLS] 2.4.21;
# OpenOffice's "Microsoft Excel File Format", 5.8) and whose document type is a worksheet (0x10),
# a chart (0x20), a macro sheet (0x40) or an Excel 4.0 workbook (0x100). BIFF5 and BIFF8 streams
# saved bare (a few old tools did) start with a BOF of record number 0x0809.
_BARE_BIFF = {0x0009: "biff2", 0x0209: "biff3", 0x0409: "biff4"}
_BIFF_DOCS = (0x0005, 0x0006, 0x0010, 0x0020, 0x0040, 0x0100)


def bare_biff(data: bytes) -> str:
    """The BIFF version ("biff2" … "biff8") of a bare BIFF stream (no OLE2 container), else ""."""
    if len(data) < 8:
        return ""
    record, length, version, doc = struct.unpack_from("<HHHH", data)
    if doc not in _BIFF_DOCS:
        return ""
    if record in _BARE_BIFF and 4 <= length <= 20:  # 4 (BIFF2) or 6 bytes, some writers more
        return _BARE_BIFF[record]
    if record == 0x0809 and length in (8, 16) and version in (0x0500, 0x0600):
        return "biff5" if version == 0x0500 else "biff8"
    return ""


def kind_of_zip_stub(data: bytes) -> str:
    """A file starting with "PK" but not with a local header: an empty or spanned archive."""
    return "zip" if data.startswith(b"PK\x05\x06") else "unknown"


def head_mimetype(head: bytes) -> bytes:
    """The ODF ``mimetype`` when it is the first, stored member (as the ODF standard requires)."""
    if head[26:30] == b"\x08\x00\x00\x00" and head[30:38] == b"mimetype" and head[8:10] == b"\x00\x00":
        size = struct.unpack_from("<I", head, 18)[0]
        return head[38 : 38 + min(size, 100)]
    return b""


def zip_kind(names: set[str], mimetype: bytes) -> str:
    """A ZIP's kind by its ODF ``mimetype``, else by the usual OOXML member names (compared as the
    reader looks them up: backslashes read as slashes, ASCII lower case)."""
    names = {n.replace("\\", "/").lower() for n in names}
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return "odf"
    if "xl/workbook.xml" in names:
        return "xlsm" if "xl/vbaproject.bin" in names else "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "ooxml" if CONTENT_TYPES.lower() in names else "zip"


# --- ZIP containers ----------------------------------------------------------------------
