"""The reader's own reason, in Vietnamese: python-calamine's error texts (as calamine words them
in errors.rs, cfb.rs, xls.rs, xlsx, xlsb and ods.rs) mapped to phrases, and a general phrase that
still says what to do for anything else."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineError, PasswordError, XmlError, ZipError

from pipeline.base.issues import Code
from pipeline.base.messages import notes
from pipeline.intake import read_return
from pipeline.intake.reasons import ENCRYPTED, explain
from tests import builders as b

DATA = Path(__file__).resolve().parent.parent / "data" / "realworld"


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (CalamineError("Cfb error: Codepage 4E4 not found"), "bảng mã số 1252"),
        (CalamineError("Unrecognized sheet:type: xl/macrosheets/sheet2.xml"), "trang macro Excel 4.0"),
        (CalamineError("Unrecognized sheet:type: xl/other/sheet2.xml"), notes.READER_SHEET_KIND),
        (CalamineError("Unrecognized BoundSheet8:dt: xl/other/sheet1.bin"), notes.READER_SHEET_KIND),
        (CalamineError("Unrecognized BoundSheet8:dt: xl/macrosheets/sheet1.bin"), "trang macro Excel 4.0"),
        (CalamineError("Unrecognized sheet:state: shown"), notes.READER_SHEET_STATE),
        (CalamineError("Unrecognized rk: 0x1F"), notes.READER_CELL_VALUE),
        (CalamineError("Invalid label length, expected at least 8, found 3"), notes.READER_RECORD_SHORT),
        (
            CalamineError("Continued record too short while reading extended string"),
            notes.READER_RECORD_SHORT,
        ),
        (CalamineError("Wide str length exceeds buffer length (40 > 12)"), notes.READER_RECORD_SHORT),
        (CalamineError("Expecting BrtBeginSheet, got 9C"), notes.READER_LAYOUT),
        (CalamineError("Expecting 'table' node, found end of xml file"), notes.READER_CUT),
        (CalamineError("Worksheet 'Sheet9' not found"), notes.READER_SHEET_MISSING),
        (CalamineError("Range is missing the expected row component."), notes.READER_CELL_ADDRESS),
        (CalamineError("row number overflow"), notes.READER_CELL_ADDRESS),
        (CalamineError("Parse float error: invalid float literal"), notes.READER_CELL_VALUE),
        (CalamineError("Cell string index not found in shared strings table"), notes.READER_SHARED_STRINGS),
        (
            CalamineError("Expecting 'table-cell', found 'Text(BytesText { content: \"\\n\" })'"),
            "khoảng trắng",
        ),
        (CalamineError("Expecting 'table-row', found 'Start(..)'"), notes.READER_LAYOUT),
        (CalamineError("File not found 'xl/workbook.xml'"), "thiếu phần «xl/workbook.xml»"),
        (CalamineError("File not found: 'xl/workbook.bin'"), "thiếu phần «xl/workbook.bin»"),
        (CalamineError("'content.xml' file not found in archive"), "thiếu phần «content.xml»"),
        (CalamineError("Relationship not found"), notes.READER_RELATIONSHIP),
        (CalamineError("Invalid MIME type: [97]"), notes.READER_MIME),
        (CalamineError("End of stream 'record length'"), notes.READER_CUT),
        (OSError("failed to fill whole buffer"), notes.READER_CUT),
        (CalamineError("Cfb error: Sector 4294967274 points past end of file"), notes.READER_OLE),
        (ZipError("invalid Zip archive: Could not find EOCD"), notes.READER_ZIP),
        (CalamineError("Invalid formula (stack size: 3)"), notes.READER_FORMULA),
        (CalamineError("Unsupported Ptf 5D"), notes.READER_FORMULA),
        (CalamineError("Unsupported cell error value 'x'"), notes.READER_CELL_VALUE),
        (XmlError("ill-formed document: expected `</row>`"), notes.READER_XML),
        (CalamineError("something calamine will say one day"), notes.READER_GENERAL),
        (ValueError("anything"), notes.READER_GENERAL),
    ],
)
def test_the_reader_error_becomes_a_vietnamese_reason(error: Exception, says: str) -> None:
    reason = explain(error, "xlsx", b"")
    assert says in reason
    assert "Error" not in reason and "error" not in reason


def test_a_password_is_the_password_message() -> None:
    assert explain(PasswordError("Workbook is password protected"), "xls", b"") == ENCRYPTED
    assert explain(CalamineError("Workbook is password protected"), "ods", b"") == ENCRYPTED


def test_when_all_formats_failed_the_files_own_reader_is_asked() -> None:
    data = (DATA / "phpspreadsheet__tests__data__Reader__XLS__maccentraleurope.biff5.xls").read_bytes()
    assert "bảng mã số 10029" in explain(CalamineError("Cannot detect file format"), "xls", data)
    assert explain(CalamineError("Cannot detect file format"), None, data) == notes.READER_GENERAL


def _xlsx(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_a_part_that_ends_too_soon_is_named() -> None:
    data = _xlsx(
        {"_rels/.rels": b"<Relationships>", "xl/_rels/workbook.xml.rels": b"<Relationships></Relationships>"}
    )
    assert explain(XmlError("Relationships"), "xlsx", data) == notes.READER_PART_DAMAGED.format(
        member="_rels/.rels"
    )
    utf16 = _xlsx({"xl/workbook.xml": '<?xml version="1.0" encoding="UTF-16"?><workbook/>'.encode("utf-16")})
    assert "UTF-16" in explain(XmlError("workbook"), "xlsx", utf16)
    assert explain(XmlError("sst"), "xlsx", _xlsx({"xl/workbook.xml": b"<workbook/>"})) == notes.READER_XML


def test_an_unreadable_file_gets_the_reason_not_the_class(tmp_path: Path) -> None:
    """Files the guard accepts but the reader cannot read: a sheet record cut short (which makes
    python-calamine panic: a BaseException, caught as the reader's error too)."""
    bof = b.biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0))
    path = b.make_ole(tmp_path / "BaoCao.xls", {"Workbook": bof + struct.pack("<HH", 0x0085, 200) + b"xx"})
    result = read_return(path)
    assert [i.code for i in result.issues] == [Code.FILE_UNREADABLE]
    message = result.issues[0].message
    assert notes.READER_PANIC in message and "hãy mở bằng Excel" in message
