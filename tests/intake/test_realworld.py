"""Real spreadsheets from public projects' test suites (tests/data/realworld/, see SOURCE.md),
each given the outcome its README asks for, kind by kind.

The README says, per file, what ``dti validate`` said and what it should say. The kind of each
file is taken from that text, and each kind has one expectation: read when the reader can read
it (none is a dti template, so it is then refused for its missing ``_meta``, which is right),
the password message for a protected file, the old-format message for Excel 2.x-4.0, the
reader's own reason in Vietnamese, and for damaged archives what is damaged.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from pipeline.base.issues import Code, Issue, Severity
from pipeline.base.messages import notes
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.intake import read_return
from pipeline.intake.guard import guard_file
from pipeline.intake.sheets import read_book
from pipeline.rules.files import validate_files

DATA = Path(__file__).resolve().parent.parent / "data" / "realworld"
README = (DATA / "README.md").read_text(encoding="utf-8")
ROWS = dict(re.findall(r"^\| `([^`]+)` \| [^|]* \| (.*) \|$", README, re.MULTILINE))

# The README's words for each kind → the kind.
KINDS = {
    "WRITEPROT record before FILEPASS": "xls_password",
    "last OLE sector is short": "xls_short_sector",
    "binary workbook (.xlsb": "xlsb",
    "backslash member names": "xlsx_package",
    "password-protected .ods": "ods_password",
    "no 'mimetype' member": "ods_no_mimetype",
    "Excel 2.x-4.0": "old_excel",
    "names only the reader's exception class": "reader_reason",
    "fuzzer-damaged": "zip_damaged",
}
READ = {"xls_short_sector": "xls", "xlsb": "xlsb", "xlsx_package": "xlsx", "ods_no_mimetype": "ods"}
# Codes a readable file that is not a dti template may get: it is read, then not recognised.
NOT_A_TEMPLATE = {Code.META_MISSING, Code.FILE_EXTENSION_MISMATCH, Code.FILE_MACRO}
# The reader's own reason, for each file of that kind: words of its Vietnamese phrase.
REASONS = {
    "phpspreadsheet__tests__data__Reader__Ods__RepeatedDataCells.ods": "khoảng trắng xen giữa các ô",
    "phpspreadsheet__tests__data__Reader__Ods__issue.804.ods": "khoảng trắng xen giữa các ô",
    "phpspreadsheet__tests__data__Reader__XLSX__utf16be.bom.xlsx": "«xl/workbook.xml» được lưu bằng bảng mã UTF-16",
    "phpspreadsheet__tests__data__Reader__XLS__maccentraleurope.biff5.xls": "bảng mã số 10029",
    "poi__test-data__spreadsheet__61300.xls": "bị cắt cụt giữa chừng",
    "poi__test-data__spreadsheet__64420.xlsm": "trang macro Excel 4.0",
    "poi__test-data__spreadsheet__clusterfuzz-testcase-minimized-POIHSSFFuzzer-5436547081830400.xls": (
        "cấu trúc bên trong của tệp .xls bị hỏng"
    ),
    "poi__test-data__spreadsheet__sample-beta.xlsx": "bảng chữ dùng chung",
    "poi__test-data__spreadsheet__xlsx-corrupted.xlsx": "phần «_rels/.rels» bị hỏng",
    "sheetjs__artifacts__quattro__write_57.xls": "bảng mã số 32769",
}
# Words that mean the message only named an exception or a parser.
CLASS_NAMES = re.compile(r"[A-Za-z]*(?:Error|Exception)\b|BadZipFile|Calamine")


def kind_of(name: str) -> str:
    found = [kind for words, kind in KINDS.items() if words in ROWS[name]]
    assert len(found) == 1, (name, found)
    return found[0]


def test_every_file_has_a_row_and_a_kind() -> None:
    files = sorted(p.name for p in DATA.iterdir() if p.name not in ("README.md", "SOURCE.md"))
    assert files == sorted(ROWS), "tests/data/realworld/ and its README list the same files"
    assert len(files) == 39
    kinds = {kind_of(name) for name in files}
    assert kinds == set(KINDS.values())
    assert {n for n in files if kind_of(n) == "reader_reason"} == set(REASONS)


@pytest.fixture(scope="module")
def outcomes(cat: Catalogue, q4: Period) -> dict[str, tuple[Issue, ...]]:
    """Each file alone through ``dti validate --period 2023-Q4`` (validate_files)."""
    return {name: validate_files(cat, [DATA / name], q4).issues for name in ROWS}


def _errors(issues: tuple[Issue, ...]) -> list[Issue]:
    return [i for i in issues if i.severity == Severity.ERROR]


@pytest.mark.parametrize("name", sorted(ROWS))
def test_the_outcome_the_readme_asks_for(name: str, outcomes: dict[str, tuple[Issue, ...]]) -> None:
    kind = kind_of(name)
    issues = outcomes[name]
    for found in issues:
        assert f"«{name}»" in found.message
        assert unicodedata.is_normalized("NFC", found.message)
        assert not CLASS_NAMES.search(found.message), found.message
    errors = _errors(issues)
    assert len(errors) == 1, issues
    error = errors[0]
    if kind in READ:
        assert error.code == Code.META_MISSING, error  # read, then not a dti template
        assert {i.code for i in issues} <= NOT_A_TEMPLATE
        ret = read_return(DATA / name)
        assert ret.source.readable and ret.source.fmt == READ[kind]
    elif kind in ("xls_password", "ods_password"):
        assert error.code == Code.FILE_ENCRYPTED
        assert "mật khẩu" in error.message
    elif kind == "old_excel":
        assert error.code == Code.FILE_OLD_FORMAT
        assert re.search(r"Excel [234]\.\d?", error.message)
        assert "định dạng cũ" in error.message and "Lưu thành" in error.message and ".xlsx" in error.message
    elif kind == "reader_reason":
        assert error.code == Code.FILE_UNREADABLE
        assert REASONS[name] in error.message
        assert notes.READER_GENERAL not in error.message
        assert "hãy mở bằng Excel, lưu lại" in error.message  # and what to do
    else:
        assert kind == "zip_damaged"
        assert error.code == Code.FILE_CORRUPT
        assert notes.STRUCTURE_UNREADABLE not in error.message
        assert "mục lục" in error.message  # the archive's central directory: what is damaged


def _book(name: str) -> dict[str, list[list[object]]]:
    guarded = guard_file(DATA / name)
    assert guarded.ok, guarded.issues
    return read_book(CalamineWorkbook.from_filelike(io.BytesIO(guarded.data)))


def test_readable_files_read_their_sheets() -> None:
    wtf = _book("sheetjs__wtf_path.xlsx")  # the workbook at wtf/workbook.xml, found through _rels/.rels
    assert list(wtf) == ["SheetJS", "Hidden"] and wtf["SheetJS"]
    windows = _book("phpspreadsheet__tests__data__Reader__XLSX__Zip-Windows-Directory-Separator.xlsx")
    assert list(windows) == ["Sheet"] and windows["Sheet"]
    ods = _book("readods__tests__testdata__readODStestfilegoogledocscreated.ods")  # no mimetype member
    assert list(ods)[:2] == ["Sheet1", "Sheet2"] and len(ods["Sheet1"]) == 11
    xlsb = _book("calamine__tests__any_sheets.xlsb")  # its chart sheet holds no cells: not read
    assert list(xlsb) == ["Visible", "Hidden", "VeryHidden"]
    short = _book("calamine__tests__OOM_alloc2.xls")  # its last OLE sector is short
    assert len(short["Colsale (Aug"]) == 192
