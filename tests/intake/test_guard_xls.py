"""``.xls`` by the rules of its formats: FILEPASS anywhere in the workbook globals, a short last
OLE sector, and Excel 2.x-4.0 files (a bare BIFF stream) told apart from damaged ones."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from pipeline.base.issues import Code
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.intake import read_return
from pipeline.intake.guard.ole import read_ole
from tests import builders as b
from tests.conftest import convert
from tests.intake.test_guard import accepted, refused
from tests.intake.test_read import write

BOF8 = b.biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0))
FILEPASS = b.biff_record(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48))
WRITEPROT = b.biff_record(0x0086)
CODEPAGE = b.biff_record(0x0042, struct.pack("<H", 1200))
EOF = b.biff_record(0x000A)
DATA = Path(__file__).resolve().parent.parent / "data" / "realworld"


@pytest.mark.parametrize("mini", [False, True], ids=["regular", "mini-stream"])
@pytest.mark.parametrize(
    "before",
    [WRITEPROT, WRITEPROT + CODEPAGE, b.biff_record(0x00E1, b"\x00\x00") + WRITEPROT],
    ids=["writeprot", "writeprot-codepage", "interfacehdr-writeprot"],
)
def test_filepass_after_other_records_is_the_password_message(
    tmp_path: Path, before: bytes, mini: bool
) -> None:
    path = b.make_ole(tmp_path / "BaoCao.xls", {"Workbook": BOF8 + before + FILEPASS + EOF}, mini=mini)
    result = refused(path, Code.FILE_ENCRYPTED)
    assert "mật khẩu" in result.issues[0].message
    with pytest.raises(Exception, match="password"):  # as the reader sees it
        CalamineWorkbook.from_path(str(path))


def test_filepass_only_counts_in_the_globals(tmp_path: Path) -> None:
    sheet = BOF8 + WRITEPROT + FILEPASS + EOF  # a record of another substream, after the globals' EOF
    accepted(b.make_ole(tmp_path / "BaoCao.xls", {"Workbook": BOF8 + WRITEPROT + EOF + sheet}), "xls")


@pytest.mark.parametrize("cut", [1, 100, 511])
def test_a_short_last_sector_is_read(tmp_path: Path, cut: int) -> None:
    data = b.make_minimal_xls(tmp_path / "full.xls").read_bytes()
    assert len(data) % 512 == 0 and data[-cut:] == bytes(cut)
    path = tmp_path / "BaoCao.xls"
    path.write_bytes(data[:-cut])
    accepted(path, "xls")


def test_a_chain_past_the_end_is_still_corrupt(tmp_path: Path) -> None:
    data = b.make_minimal_xls(tmp_path / "full.xls").read_bytes()
    path = tmp_path / "BaoCao.xls"
    path.write_bytes(data[: len(data) - 512 - 100])  # a whole sector of the stream is missing
    refused(path, Code.FILE_CORRUPT)


def test_a_file_cut_inside_its_own_structure_is_corrupt(tmp_path: Path) -> None:
    """python-calamine panics on a short sector of FAT or directory entries: refused, as before."""
    data = b.make_minimal_xls(tmp_path / "full.xls").read_bytes()
    ole = read_ole(data)
    last = len(data) // 512 - 1
    streams = {k: v for k, v in ole.streams.items() if v[0] < 0xFFFFFFFA}
    assert last not in ole.structure and any(start <= last for start, _ in streams.values())
    directory = min(ole.structure - set(ole.fat))  # cut the file inside its directory sector
    path = tmp_path / "BaoCao.xls"
    path.write_bytes(data[: (directory + 1) * 512 + 100])
    refused(path, Code.FILE_CORRUPT)


def cuts(data: bytes) -> list[bytes]:
    return [data[:-cut] for cut in range(1, 1100, 37)]


@pytest.mark.parametrize(
    "name",
    [
        "calamine__tests__OOM_alloc2.xls",
        "poi__test-data__spreadsheet__47245_test.xls",
        "poi__test-data__spreadsheet__50426.xls",
    ],
)
def test_cut_xls_is_refused_or_read_never_a_crash(tmp_path: Path, name: str) -> None:
    """Accepting a short last sector must not hand the reader what makes it panic."""
    for n, data in enumerate(cuts((DATA / name).read_bytes())):
        path = tmp_path / f"{n}.xls"
        path.write_bytes(data)
        result = read_return(path)  # a panic in the reader would raise here
        assert result.source.readable or result.issues[0].code in (Code.FILE_CORRUPT, Code.FILE_UNREADABLE)


@pytest.mark.libreoffice
def test_a_cut_libreoffice_xls_is_refused_or_read_never_a_crash(
    tmp_path: Path, soffice: str, cat: Catalogue, q4: Period
) -> None:
    """LibreOffice writes the directory last: a cut there reads when each directory entry still
    holds its size field (python-calamine's rule), and is refused otherwise."""
    xls = convert(soffice, write(cat, q4, tmp_path / "BaoCao.xlsx"), "xls", tmp_path / "lo")
    data = xls.read_bytes()
    whole = read_return(xls)
    read = 0
    for cut in [1, 2, 4, 5, 8, 128, 129, *range(200, 1100, 37)]:
        path = tmp_path / f"{cut}.xls"
        path.write_bytes(data[:-cut])
        result = read_return(path)  # a panic in the reader would raise here
        if not result.source.readable:
            assert result.issues[0].code in (Code.FILE_CORRUPT, Code.FILE_UNREADABLE)
        elif not any(data[-cut:]):  # only zero bytes were cut: the very same return
            read += 1
            assert (result.info, result.tasks, result.indicators) == (
                whole.info,
                whole.tasks,
                whole.indicators,
            )
    assert read


# --- Excel 2.x-4.0 -----------------------------------------------------------------------------


def bare(record: int, body: bytes) -> bytes:
    """An Excel 2.x-4.0 worksheet: a bare BIFF stream (BOF, one LABEL-like record, EOF)."""
    return b.biff_record(record, body) + b.biff_record(0x0204, bytes(12)) + EOF


OLD = {
    "Excel 2.x": bare(0x0009, struct.pack("<HH", 0x0002, 0x0010)),
    "Excel 2.x ": bare(0x0009, struct.pack("<HHH", 0x0002, 0x0010, 0x0000)),  # a longer BOF, as some wrote
    "Excel 3.0": bare(0x0209, struct.pack("<HHH", 0x0000, 0x0010, 0x0000)),
    "Excel 4.0": bare(0x0409, struct.pack("<HHH", 0x0000, 0x0010, 0x0000)),
    "Excel 4.0 ": bare(0x0409, struct.pack("<HHH", 0x0000, 0x0100, 0x0000)),  # an Excel 4.0 workbook
    "Excel 5.0/95": bare(0x0809, struct.pack("<HHHH", 0x0500, 0x0010, 0x0DBB, 0x07CC)),
}


@pytest.mark.parametrize("version", sorted(OLD))
@pytest.mark.parametrize("name", ["BaoCao.xls", "BaoCao.xlsx", "BaoCao"])
def test_old_excel_is_named_with_how_to_save_it_anew(tmp_path: Path, version: str, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(OLD[version])
    message = refused(path, Code.FILE_OLD_FORMAT).issues[0].message
    assert f"bảng tính {version.strip()}" in message
    assert "định dạng cũ" in message and "Lưu thành" in message and "(.xlsx)" in message


def test_bytes_that_only_start_like_a_bof_are_not_old_excel(tmp_path: Path) -> None:
    path = tmp_path / "BaoCao.xls"
    path.write_bytes(struct.pack("<HHHH", 0x0209, 6, 0, 0x7777) + bytes(100))  # no such document type
    refused(path, Code.FILE_CORRUPT)
