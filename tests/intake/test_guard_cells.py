"""The guard's cell-count limit: a sheet's used range is bounded before python-calamine reads it.

python-calamine materialises the rectangle from A1 to the farthest cell with a value; two
values at A1 and XFD1048576 (a 5 KB xlsx), an ODS row repeated a million times, or an .xls
cell at IV65536 make it allocate gigabytes and abort the process. These files are refused
with FILE_TOO_MANY_CELLS; long but narrow sheets and trailing empty rows are not.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from pipeline.base.issues import Code
from pipeline.intake.guard import GuardLimits, guard_file
from tests import builders as b

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
TAIL = "</sheetData></worksheet>"


def sheet_xlsx(path: Path, rows: str) -> Path:
    return b.make_xlsx_with_member(path, SHEET, (HEAD + rows + TAIL).encode())


def too_many(path: Path, limits: GuardLimits | None = None) -> str:
    result = guard_file(path, limits or GuardLimits())
    assert not result.ok and [i.code for i in result.issues] == [Code.FILE_TOO_MANY_CELLS], result.issues
    message = result.issues[0].message
    assert f"«{path.name}»" in message and "Xóa" in message
    return message


def ok(path: Path) -> None:
    result = guard_file(path)
    assert result.ok, result.issues


def test_two_far_apart_values_are_refused_with_the_sheet_name(tmp_path: Path) -> None:
    path = sheet_xlsx(
        tmp_path / "far.xlsx",
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>',
    )
    message = too_many(path)
    assert "«Nhiệm vụ»" in message and "1.048.576 dòng × 16.384 cột" in message


def test_a_far_address_hidden_behind_a_quoted_angle_bracket_is_found(tmp_path: Path) -> None:
    path = sheet_xlsx(tmp_path / "q.xlsx", '<row r="1"><c s=">" r=\'XFD1048576\'><v>1</v></c></row>')
    too_many(path)


def test_a_prefixed_cell_with_a_far_address_is_found(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row r="900000"><x:c r="AA900000"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    too_many(b.make_xlsx_with_member(tmp_path / "p.xlsx", SHEET, xml.encode()))


def test_cells_without_addresses_are_walked_exactly(tmp_path: Path) -> None:
    cells = "<c><v>1</v></c>" * 3000
    small = sheet_xlsx(tmp_path / "small.xlsx", f"<row>{cells}</row>" * 3)
    ok(small)
    rows = CalamineWorkbook.from_path(str(small)).get_sheet_by_name("Nhiệm vụ").to_python()
    assert len(rows) == 3 and len(rows[0]) == 3000
    big = sheet_xlsx(tmp_path / "big.xlsx", f"<row>{cells}</row>" + '<row r="1000"><c/></row>')
    assert "1.000 dòng × 3.000 cột" in too_many(big)


def test_a_garbled_address_is_corrupt(tmp_path: Path) -> None:
    path = sheet_xlsx(tmp_path / "g.xlsx", '<row r="1"><c r="XFD&#49;048576"><v>1</v></c></row>')
    result = guard_file(path)
    assert not result.ok and result.issues[0].code == Code.FILE_CORRUPT


def test_a_long_narrow_column_and_a_wide_row_are_read(tmp_path: Path) -> None:
    column = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 20001))
    ok(sheet_xlsx(tmp_path / "col.xlsx", column))
    ok(sheet_xlsx(tmp_path / "row.xlsx", '<row r="1"><c r="XFD1"><v>1</v></c></row>'))
    limits = GuardLimits(max_cells=10_000)
    assert "20.000 dòng × 1 cột" in too_many(tmp_path / "col.xlsx", limits)


ODS_CELL = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'


def ods(path: Path, body: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Chỉ số">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", b.ODS_MIMETYPE, zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize(
    "body",
    [
        '<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="1024" office:value-type="float" office:value="1"/></table:table-row>',
        f'<table:table-row>{ODS_CELL}</table:table-row><table:table-row table:number-rows-repeated="100000">'
        f'<table:table-cell table:number-columns-repeated="100"/>{ODS_CELL}</table:table-row>',
    ],
)
def test_ods_repeats_are_counted(tmp_path: Path, body: str) -> None:
    assert "«Chỉ số»" in too_many(ods(tmp_path / "r.ods", body))


def test_ods_empty_rows_down_to_the_sheet_end_are_not_counted(tmp_path: Path) -> None:
    body = (
        f"<table:table-row>{ODS_CELL}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell table:style-name="ce1" table:number-columns-repeated="16384"/></table:table-row>'
    )
    ok(ods(tmp_path / "trail.ods", body))


def biff(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def xls_with_cell(path: Path, row: int, col: int, *, mini: bool) -> Path:
    """An OLE2 file whose Workbook stream holds a globals substream and one sheet with two cells."""
    bof = biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0))
    sheet_bof = biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0))
    name = "Nhiệm vụ".encode("utf-16-le")
    globals_len = len(bof) + 4 + 8 + len(name) + 4
    boundsheet = biff(0x0085, struct.pack("<IBBBB", globals_len, 0, 0, len("Nhiệm vụ"), 1) + name)
    number = biff(0x0203, struct.pack("<HHHd", 0, 0, 0, 1.0))
    far = biff(0x0203, struct.pack("<HHHd", row, col, 0, 2.0))
    stream = bof + boundsheet + biff(0x000A) + sheet_bof + number + far + biff(0x000A)
    assert stream.index(sheet_bof) == globals_len
    return b.make_ole(path, {"Workbook": stream}, mini=mini)


@pytest.mark.parametrize("mini", [False, True])
def test_xls_far_cell_is_refused(tmp_path: Path, mini: bool) -> None:
    assert "«Nhiệm vụ» dùng tới 65.536 dòng × 256 cột" in too_many(
        xls_with_cell(tmp_path / "far.xls", 65535, 255, mini=mini)
    )
    ok(xls_with_cell(tmp_path / "near.xls", 99, 11, mini=mini))


def test_a_far_cell_after_the_first_megabyte_is_found(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 60001))
    ok(sheet_xlsx(tmp_path / "long.xlsx", rows))  # 2.6 MB of XML: scanned in several blocks
    far = rows + '<row r="1048576"><c r="Z1048576"><v>1</v></c></row>'
    assert "1.048.576 dòng × 26 cột" in too_many(sheet_xlsx(tmp_path / "far.xlsx", far))
