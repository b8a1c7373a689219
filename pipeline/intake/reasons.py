"""Why the reader could not read a file, said in Vietnamese for the unit that sent it.

python-calamine raises its reader's own words (calamine's ``errors.rs``, ``cfb.rs``, ``xls.rs``,
``xlsx``, ``xlsb``, ``ods.rs``), in English and for developers. Opening bytes, it tries every
format in turn and, when all fail, says only "Cannot detect file format": then the file's own
format (the guard knows it) is opened alone, from a temporary copy named for that format, so
that its reader says what is wrong. That text is matched here against the reader's messages
and turned into a phrase from :mod:`pipeline.base.messages.notes`; what matches nothing gets a
general phrase. Errors about an XML part (a part that ends too soon, or is not UTF-8) name the
part, found in the archive.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from python_calamine import CalamineWorkbook, PasswordError

from pipeline.base.messages import notes
from pipeline.intake.sheets import read_book

_UNDETECTED = "Cannot detect file format"
_SUFFIX = {"xlsx": ".xlsx", "xlsm": ".xlsm", "xlsb": ".xlsb", "xls": ".xls", "ods": ".ods"}
ENCRYPTED = "encrypted"  # what :func:`explain` returns for a password-protected file


def is_reader_error(exc: BaseException) -> bool:
    """An error of the reader on this file: any Exception, or a panic of its Rust code (pyo3's
    ``PanicException`` derives from BaseException); not an interrupt or an exit."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def explain(exc: BaseException, fmt: str | None, data: bytes) -> str:
    """The Vietnamese reason the reader failed on ``data`` (of format ``fmt``), or
    :data:`ENCRYPTED` when the reader found a password."""
    if str(exc) == _UNDETECTED and fmt in _SUFFIX:
        exc = _own_error(fmt, data) or exc
    if isinstance(exc, PasswordError) or "password protected" in str(exc):
        return ENCRYPTED
    text = f"{type(exc).__name__}: {exc}"
    for pattern, reason in _RULES:
        found = pattern.search(text)
        if found:
            return reason(found, data) if callable(reason) else reason
    return notes.READER_GENERAL


def _own_error(fmt: str, data: bytes) -> BaseException | None:
    """The error of the format's own reader, which python-calamine picks by the file's suffix."""
    with tempfile.TemporaryDirectory(prefix="dti-") as folder:
        path = Path(folder) / f"return{_SUFFIX[fmt]}"
        path.write_bytes(data)
        try:
            read_book(CalamineWorkbook.from_path(str(path)))
        except BaseException as exc:  # the reader's own error is what is wanted here
            if not is_reader_error(exc):
                raise
            return exc
    return None


# --- XML parts --------------------------------------------------------------------------------

_XML_NAMES = (".xml", ".rels")
_UTF16 = (b"\xfe\xff", b"\xff\xfe", b"<\x00", b"\x00<")
# The element an XML part closes with → which parts hold it.
_ROOTS: dict[str, Callable[[str], bool]] = {
    "Relationships": lambda name: name.endswith(".rels"),
    "workbook": lambda name: name.endswith("workbook.xml"),
    "worksheet": lambda name: "sheet" in name,
    "sheetData": lambda name: "sheet" in name,
    "sst": lambda name: name.endswith("sharedstrings.xml"),
    "styleSheet": lambda name: name.endswith("styles.xml"),
}


def _members(data: bytes) -> list[tuple[str, bytes]]:
    """(name, bytes) of the XML members of an archive the guard has bounded (b"" when unreadable)."""
    out = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.filename.replace("\\", "/").lower().endswith(_XML_NAMES):
                    try:
                        out.append((info.filename, archive.read(info)))
                    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
                        out.append((info.filename, b""))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return []
    return out


def _utf16(data: bytes) -> str:
    """The first XML part stored as UTF-16, which the reader does not read (it reads UTF-8)."""
    for name, xml in _members(data):
        if xml.lstrip(b" \t\r\n").startswith(_UTF16):
            return name
    return ""


def _xml(found: re.Match[str], data: bytes) -> str:
    """An XML part the reader could not read: UTF-16, or (for a part that ended before its
    closing tag, the reader naming that tag) the part that lacks it."""
    utf16 = _utf16(data)
    if utf16:
        return notes.READER_UTF16.format(member=utf16)
    root = found.groupdict().get("root") or ""
    holds = _ROOTS.get(root)
    if holds is not None:
        closing = re.compile(rf"</(?:[\w.\-]+:)?{re.escape(root)}\s*>".encode())
        for name, xml in _members(data):
            if holds(name.replace("\\", "/").lower()) and not closing.search(xml):
                return notes.READER_PART_DAMAGED.format(member=name)
    return notes.READER_XML


def _codepage(found: re.Match[str], data: bytes) -> str:
    return notes.READER_CODEPAGE.format(codepage=int(found.group(1), 16))


def _missing(found: re.Match[str], data: bytes) -> str:
    return notes.READER_PART_MISSING.format(member=found.group(1) or found.group(2))


Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str], bytes], str]]
# Matched against "ExceptionClass: text", first match wins.
_RULES: list[Rule] = [
    (re.compile(r"^PanicException:"), notes.READER_PANIC),
    (re.compile(r"Codepage ([0-9A-Fa-f]+) not found"), _codepage),
    (
        re.compile(r"Unrecognized (?:sheet:type|BoundSheet8:dt): \S*macrosheet", re.IGNORECASE),
        notes.READER_MACRO_SHEET,
    ),
    (re.compile(r"Unrecognized (?:sheet:type|BoundSheet8:dt)"), notes.READER_SHEET_KIND),
    (re.compile(r"Unrecognized (?:sheet:state|BoundSheet8:hsState)"), notes.READER_SHEET_STATE),
    (re.compile(r"^XmlError: (?P<root>\w+)$"), _xml),  # a part ended before </root>
    (re.compile(r"XML encoding error|^XmlError|Xml error|Xml attribute error"), _xml),
    (re.compile(r"shared strings"), notes.READER_SHARED_STRINGS),
    (re.compile(r"Expecting 'table-cell', found 'Text"), notes.READER_ODS_TEXT),
    (re.compile(r"found end of xml file"), notes.READER_CUT),
    (re.compile(r"Expecting '[^']*'|Expecting \w+, got"), notes.READER_LAYOUT),
    (re.compile(r"File not found:? '([^']+)'|'([^']+)' file not found in archive"), _missing),
    (re.compile(r"Relationship not found"), notes.READER_RELATIONSHIP),
    (re.compile(r"Worksheet '.*' not found"), notes.READER_SHEET_MISSING),
    (re.compile(r"Invalid MIME type"), notes.READER_MIME),
    (
        re.compile(r"Invalid \w[\w ]* length, expected|record too short|Wide str length exceeds"),
        notes.READER_RECORD_SHORT,
    ),
    (
        re.compile(r"End of stream|failed to fill whole buffer|nexpected end|too short", re.IGNORECASE),
        notes.READER_CUT,
    ),
    (re.compile(r"Cfb error|Invalid OLE|points past end of file|Empty Root directory"), notes.READER_OLE),
    (re.compile(r"Zip error|ZipError|invalid Zip archive"), notes.READER_ZIP),
    (re.compile(r"formula|Ptg|Ptf|iftab|etpg|stack", re.IGNORECASE), notes.READER_FORMULA),
    (
        re.compile(
            r"[Rr]ange (?:dimension|is missing)|number overflow|Numeric column|alphanumeric character"
        ),
        notes.READER_CELL_ADDRESS,
    ),
    (
        re.compile(
            r"[Cc]ell [Ee]rror|cell 't' attribute|Invalid ifmt|BErr|Unsupported type|Parse \w+ error|Unrecognized"
        ),
        notes.READER_CELL_VALUE,
    ),
]
