"""``.xlsb`` read like ``.xlsx``, behind the same guards: the ZIP limits, and each binary sheet's
used range bounded from its records exactly as python-calamine reads them."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from pipeline.base.issues import Code
from pipeline.intake.guard import GuardLimits, guard_file
from pipeline.intake.guard.cells import TooManyCells
from pipeline.intake.guard.xlsb import XlsbScan, sheet_members
from tests.intake.test_guard import accepted, refused

DATA = Path(__file__).resolve().parent.parent / "data" / "realworld"
XLSB = sorted(p.name for p in DATA.glob("*.xlsb"))


def record(kind: int, body: bytes = b"") -> bytes:
    """A BIFF12 record: type and size in 7-bit groups, then the body."""
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, out = len(body), b""
    while True:
        out += bytes([(size & 0x7F) | (0x80 if size > 0x7F else 0)])
        size >>= 7
        if not size:
            break
    return head + out + body


def row(r: int) -> bytes:
    return record(0x0000, struct.pack("<IIHB", r, 0, 0x12C, 0) + bytes(4))  # BrtRowHdr


def number(col: int, value: float = 1.0) -> bytes:
    return record(0x0005, struct.pack("<IId", col, 0, value))  # BrtCellReal


SHEET_START = record(0x0081) + record(0x0094, bytes(16)) + record(0x0091)  # begin sheet, dims, data
SHEET_END = record(0x0092) + record(0x0082)


def scan(data: bytes, limit: int = 2_000_000, chunk: int = 0) -> tuple[int, int]:
    s = XlsbScan(limit)
    for i in range(0, len(data), chunk or len(data) or 1):
        s.feed(data[i : i + (chunk or len(data))])
    return s.rows, s.cols


def test_the_used_range_of_a_sheet() -> None:
    data = SHEET_START + row(0) + number(0) + row(9) + number(4) + number(2) + SHEET_END
    assert scan(data) == (10, 5)
    assert all(scan(data, chunk=n) == (10, 5) for n in (1, 2, 3, 7))  # records cut by chunks


def test_a_far_cell_is_too_many_cells() -> None:
    data = SHEET_START + row(1_048_575) + number(16_383) + SHEET_END
    with pytest.raises(TooManyCells):
        scan(data)
    with pytest.raises(TooManyCells):
        scan(data, chunk=5)


def test_what_the_reader_skips_is_skipped() -> None:
    past = SHEET_START + row(5) + number(1) + row(0x0010_0001) + number(9_000) + SHEET_END
    assert scan(past) == (6, 2)  # a row past the sheet's end ends it, as in the reader
    after = SHEET_START + row(3) + number(3) + SHEET_END + row(90_000) + number(9_000)
    assert scan(after) == (4, 4)  # nothing after BrtEndSheetData
    long = SHEET_START + row(2) + record(0x0006, struct.pack("<II", 7, 0) + b"x" * 70_000) + SHEET_END
    assert scan(long, chunk=65536) == (3, 8)  # a long record is skipped, not read


def test_a_short_record_keeps_the_bytes_of_an_earlier_one() -> None:
    """The reader's record buffer is never cleared: a 1-byte BrtRowHdr changes only its first byte."""
    data = SHEET_START + row(0x0001_0005) + record(0x0000, b"\x07") + number(1) + SHEET_END
    assert scan(data) == (0x0001_0008, 2)


def _sheet_parts(name: str) -> dict[str, bytes]:
    with zipfile.ZipFile(DATA / name) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")}


@pytest.mark.parametrize("name", XLSB)
def test_the_scan_finds_what_the_reader_reads(name: str) -> None:
    """For every sheet of the real .xlsb files: the range from A1 to the reader's last cell."""
    wb = CalamineWorkbook.from_path(str(DATA / name))
    with zipfile.ZipFile(DATA / name) as zf:
        names = sheet_members(zf.read("xl/workbook.bin"), zf.read("xl/_rels/workbook.bin.rels"))
    parts = _sheet_parts(name)
    assert names
    for member, sheet in names.items():
        if not member.startswith("xl/worksheets/"):
            continue
        end = wb.get_sheet_by_name(sheet).end
        assert scan(parts[member]) == ((end[0] + 1, end[1] + 1) if end else (0, 0)), (member, sheet)


def _with_cells(name: str, extra: bytes, tmp_path: Path) -> Path:
    """The .xlsb with ``extra`` records at the end of its first sheet's data."""
    out = io.BytesIO()
    with zipfile.ZipFile(DATA / name) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.bin":
                end = data.rindex(record(0x0092))
                data = data[:end] + extra + data[end:]
            zout.writestr(info.filename, data)
    path = tmp_path / "BaoCao.xlsb"
    path.write_bytes(out.getvalue())
    return path


def test_an_xlsb_with_a_far_cell_is_refused_naming_the_sheet(tmp_path: Path) -> None:
    path = _with_cells("calamine__tests__date_1904.xlsb", row(1_048_575) + number(16_383), tmp_path)
    result = refused(path, Code.FILE_TOO_MANY_CELLS)
    assert "«Sheet1»" in result.issues[0].message


def test_an_xlsb_with_cells_further_away_is_read_as_the_scan_says(tmp_path: Path) -> None:
    path = _with_cells("calamine__tests__date_1904.xlsb", row(99) + number(30), tmp_path)
    result = accepted(path, "xlsb")
    end = CalamineWorkbook.from_filelike(io.BytesIO(result.data)).get_sheet_by_name("Sheet1").end
    assert end == (99, 30)


def test_an_xlsb_has_the_zip_limits(tmp_path: Path) -> None:
    path = DATA / "calamine__tests__any_sheets.xlsb"
    assert guard_file(path).ok
    refused(path, Code.FILE_ZIP_BOMB, limits=GuardLimits(max_member_bytes=1000))
    refused(path, Code.FILE_ZIP_BOMB, limits=GuardLimits(max_members=5))


def test_an_xlsb_renamed_is_read_by_content(tmp_path: Path) -> None:
    path = tmp_path / "BaoCao.xlsx"
    path.write_bytes((DATA / "calamine__tests__issue_182.xlsb").read_bytes())
    result = accepted(path, "xlsb", Code.FILE_EXTENSION_MISMATCH)
    assert "(.xlsb)" in result.issues[0].message
