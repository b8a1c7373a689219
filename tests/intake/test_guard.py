"""The intake guard on real files written into tmp_path: normal, renamed, hostile and broken."""

from __future__ import annotations

import hashlib
import shutil
import time
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from pipeline.base.issues import Code, Severity
from pipeline.intake.guard import GuardLimits, GuardResult, guard_file, is_ignorable, sniff_format
from tests import builders as b
from tests.conftest import convert

Builder = Callable[[Path], Path]


def guard(path: Path, limits: GuardLimits | None = None) -> GuardResult:
    """Guard a file, checking what holds for every file: bytes untouched, sha256, size, messages."""
    before = path.read_bytes()
    result = guard_file(path, limits or GuardLimits())
    assert path.read_bytes() == before, "the guard must never modify its input"
    assert result.sha256 == hashlib.sha256(before).hexdigest()
    assert result.size == len(before)
    assert result.path == path
    for issue in result.issues:
        assert issue.file == path.name
        assert f"«{path.name}»" in issue.message
        assert unicodedata.is_normalized("NFC", issue.message)
        assert (issue.sheet, issue.cell) == ("", "")
    return result


def accepted(path: Path, fmt: str, *warnings: Code) -> GuardResult:
    result = guard(path)
    assert result.ok, result.issues
    assert result.fmt == fmt
    assert [i.code for i in result.issues] == list(warnings)
    assert all(i.severity == Severity.WARNING for i in result.issues)
    return result


def refused(path: Path, *codes: Code, limits: GuardLimits | None = None) -> GuardResult:
    result = guard(path, limits)
    assert not result.ok
    assert result.fmt is None
    assert len(result.issues) == 1
    assert result.issues[0].severity == Severity.ERROR
    assert result.issues[0].code in codes, result.issues[0]
    return result


# --- accepted ----------------------------------------------------------------------------


@pytest.mark.parametrize("make", [b.make_xlsx_openpyxl, b.make_xlsx_xlsxwriter])
def test_normal_xlsx_is_accepted(tmp_path: Path, make: Builder) -> None:
    path = make(tmp_path / "BaoCao.xlsx")
    accepted(path, "xlsx")


@pytest.mark.parametrize(
    ("vba", "content_type"), [(True, True), (True, False), (False, True)], ids=["both", "vba", "ctype"]
)
def test_macro_workbook_is_accepted_with_a_warning(tmp_path: Path, vba: bool, content_type: bool) -> None:
    path = b.make_xlsm(tmp_path / "BaoCao.xlsm", vba=vba, macro_content_type=content_type)
    result = accepted(path, "xlsm", Code.FILE_MACRO)
    assert "macro không được chạy" in result.issues[0].message


def test_xlsm_named_xlsx_gets_only_the_macro_warning(tmp_path: Path) -> None:
    accepted(b.make_xlsm(tmp_path / "BaoCao.xlsx"), "xlsm", Code.FILE_MACRO)


@pytest.mark.parametrize("mimetype_first", [True, False])
def test_minimal_ods_is_accepted(tmp_path: Path, mimetype_first: bool) -> None:
    path = b.make_minimal_ods(tmp_path / "BaoCao.ods", mimetype_first=mimetype_first)
    accepted(path, "ods")
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[1][:2] == ["NV01", "Số hoá hồ sơ"]  # the builder writes a valid ODS


@pytest.mark.parametrize("mini", [False, True], ids=["regular", "mini-stream"])
def test_minimal_xls_is_accepted(tmp_path: Path, mini: bool) -> None:
    path = b.make_minimal_xls(tmp_path / "BaoCao.xls", mini=mini)
    accepted(path, "xls")
    CalamineWorkbook.from_path(str(path))  # the builder writes a compound file calamine can open


@pytest.mark.parametrize(
    ("make", "fmt"),
    [(b.make_minimal_xls, "xls"), (b.make_minimal_ods, "ods")],
    ids=["xls", "ods"],
)
def test_renamed_file_is_read_by_content(tmp_path: Path, make: Builder, fmt: str) -> None:
    path = make(tmp_path / "BaoCao.xlsx")
    result = accepted(path, fmt, Code.FILE_EXTENSION_MISMATCH)
    assert "«.xlsx»" in result.issues[0].message


def test_xlsx_without_extension_gets_a_mismatch_warning(tmp_path: Path) -> None:
    accepted(b.make_xlsx_xlsxwriter(tmp_path / "BaoCao"), "xlsx", Code.FILE_EXTENSION_MISMATCH)


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_libreoffice_files_are_accepted_also_when_renamed(tmp_path: Path, soffice: str, fmt: str) -> None:
    real = convert(soffice, b.make_xlsx_openpyxl(tmp_path / "BaoCao.xlsx"), fmt, tmp_path / "lo")
    accepted(real, fmt)
    renamed = shutil.copy(real, tmp_path / "lo" / "DoiTen.xlsx")
    accepted(Path(renamed), fmt, Code.FILE_EXTENSION_MISMATCH)
    data = Path(renamed).read_bytes()
    assert sniff_format(data, None) == fmt


# --- refused: hostile --------------------------------------------------------------------


def test_zip_bomb_is_refused_from_its_declared_sizes(tmp_path: Path) -> None:
    path = b.make_zip_bomb(tmp_path / "BaoCao.xlsx", 200 * b.MB)
    assert path.stat().st_size < 2 * b.MB
    started = time.perf_counter()
    result = refused(path, Code.FILE_ZIP_BOMB)
    assert time.perf_counter() - started < 1.0
    assert result.issues[0].value == b.BOMB_MEMBER


@pytest.mark.parametrize(
    ("lie_compressed", "forge_crc"),
    [(True, False), (False, False), (False, True)],
    ids=["both", "size", "crc"],
)
def test_lying_zip_bomb_is_refused_quickly(tmp_path: Path, lie_compressed: bool, forge_crc: bool) -> None:
    path = b.make_lying_zip_bomb(tmp_path / "BaoCao.xlsx", lie_compressed=lie_compressed, forge_crc=forge_crc)
    started = time.perf_counter()
    refused(path, Code.FILE_ZIP_BOMB, Code.FILE_CORRUPT)
    assert time.perf_counter() - started < 1.0


def test_lying_zip_bomb_with_forged_crc_fools_stdlib_zipfile_but_not_the_guard(tmp_path: Path) -> None:
    path = b.make_lying_zip_bomb(tmp_path / "BaoCao.xlsx", 20 * b.MB, lie_compressed=False, forge_crc=True)
    with zipfile.ZipFile(path) as zf:
        assert len(zf.read(b.BOMB_MEMBER)) == 1024  # zipfile stops at the declared size, CRC "ok"
    refused(path, Code.FILE_ZIP_BOMB)


def test_limits_on_members_and_total_size(tmp_path: Path) -> None:
    path = b.make_plain_zip(
        tmp_path / "BaoCao.xlsx",
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
        | {f"xl/media/{i}.bin": bytes(1000) for i in range(10)},
    )
    accepted(path, "xlsx")
    refused(path, Code.FILE_ZIP_BOMB, limits=GuardLimits(max_members=5))
    refused(path, Code.FILE_ZIP_BOMB, limits=GuardLimits(max_uncompressed_bytes=5000))
    refused(path, Code.FILE_ZIP_BOMB, limits=GuardLimits(max_member_bytes=500))
    refused(path, Code.FILE_ZIP_BOMB, limits=GuardLimits(max_ratio=5, ratio_min_bytes=1000))


def test_file_too_large(tmp_path: Path) -> None:
    path = b.make_xlsx_xlsxwriter(tmp_path / "BaoCao.xlsx")
    result = refused(path, Code.FILE_TOO_LARGE, limits=GuardLimits(max_file_bytes=1000))
    assert "quá lớn" in result.issues[0].message


@pytest.mark.parametrize(
    "content",
    [
        b.BILLION_LAUGHS,
        b.EXTERNAL_ENTITY,
        b.EXTERNAL_ENTITY.decode().encode("utf-16"),  # with a BOM, as expat accepts it
        b.EXTERNAL_ENTITY.decode().encode("utf-16-be"),
    ],
    ids=["billion-laughs", "external-entity", "utf-16", "utf-16-be"],
)
def test_xml_entities_are_refused(tmp_path: Path, content: bytes) -> None:
    path = b.make_xlsx_with_member(tmp_path / "BaoCao.xlsx", "xl/workbook.xml", content)
    result = refused(path, Code.FILE_XML_ENTITIES)
    assert "xl/workbook.xml" in result.issues[0].message


@pytest.mark.parametrize("offset", [65536 - 5, 65536, 65536 * 2 - 1])
def test_dtd_across_a_chunk_boundary_is_found(tmp_path: Path, offset: int) -> None:
    padded = b"<?xml version='1.0'?>".ljust(offset, b" ") + b.EXTERNAL_ENTITY.split(b"\n", 1)[1]
    path = b.make_xlsx_with_member(tmp_path / "BaoCao.xlsx", "xl/sharedStrings.xml", padded, stored=True)
    refused(path, Code.FILE_XML_ENTITIES)


def test_dtd_in_a_part_not_named_xml_is_found_after_leading_whitespace(tmp_path: Path) -> None:
    content = b" " * 70_000 + b.EXTERNAL_ENTITY.split(b"\n", 1)[1]  # well-formed: no XML declaration
    path = b.make_xlsx_xlsxwriter(tmp_path / "BaoCao.xlsx")
    b.rewrite_zip(path, path, add={"xl/worksheets/sheet9.dat": content}, stored=["xl/worksheets/sheet9.dat"])
    refused(path, Code.FILE_XML_ENTITIES)


def test_binary_members_are_not_scanned_as_xml(tmp_path: Path) -> None:
    path = b.make_xlsx_xlsxwriter(tmp_path / "BaoCao.xlsx")
    b.rewrite_zip(
        path, path, add={"xl/media/image1.png": b.make_png(tmp_path / "i.png").read_bytes() + b"<!DOCTYPE"}
    )
    accepted(path, "xlsx")


def test_ods_with_entities_is_refused(tmp_path: Path) -> None:
    path = b.make_minimal_ods(tmp_path / "BaoCao.ods")
    b.rewrite_zip(path, path, replace={"content.xml": b.BILLION_LAUGHS})
    refused(path, Code.FILE_XML_ENTITIES)


@pytest.mark.parametrize(
    ("make", "ext"),
    [
        (b.make_encrypted_ole, ".xlsx"),
        (lambda p: b.make_minimal_xls(p, password=True), ".xls"),
        (lambda p: b.make_minimal_xls(p, password=True, mini=True), ".xls"),
    ],
    ids=["ooxml", "xls", "xls-mini-stream"],
)
def test_password_protected_workbooks_are_refused(tmp_path: Path, make: Builder, ext: str) -> None:
    path = make(tmp_path / "BaoCao.xlsx")
    result = refused(path, Code.FILE_ENCRYPTED)
    assert "mật khẩu" in result.issues[0].message
    with pytest.raises(Exception, match="password"):  # the builders make what calamine calls protected
        CalamineWorkbook.from_path(str(path.rename(path.with_suffix(ext))))


# --- refused: broken or not a spreadsheet ------------------------------------------------


def test_truncated_xlsx_is_corrupt(tmp_path: Path) -> None:
    src = b.make_xlsx_openpyxl(tmp_path / "full.xlsx")
    result = refused(b.make_truncated(src, tmp_path / "BaoCao.xlsx"), Code.FILE_CORRUPT)
    assert "chưa tải xong" in result.issues[0].message


def test_flipped_byte_in_a_member_is_corrupt(tmp_path: Path) -> None:
    path = b.make_xlsx_with_member(tmp_path / "BaoCao.xlsx", "xl/workbook.xml", b"<w/>" * 50)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/workbook.xml")
    data[info.header_offset + 30 + len(info.filename) + 10] ^= 0xFF
    path.write_bytes(bytes(data))
    refused(path, Code.FILE_CORRUPT)


def test_random_bytes(tmp_path: Path) -> None:
    refused(b.make_random(tmp_path / "BaoCao.xlsx"), Code.FILE_CORRUPT)
    refused(b.make_random(tmp_path / "BaoCao.dat"), Code.FILE_UNSUPPORTED)


@pytest.mark.parametrize(
    ("make", "name", "says"),
    [
        (b.make_pdf, "BaoCao.xlsx", "PDF"),
        (b.make_docx, "BaoCao.docx", "Word"),
        (b.make_png, "BaoCao.png", "ảnh PNG"),
        (b.make_html_xls, "BaoCao.xls", "HTML"),
        (lambda p: b.make_plain_zip(p, {"BaoCao.xlsx": b"..."}), "BaoCao.zip", "giải nén"),
        (lambda p: b.make_ole(p, {"WordDocument": b"..."}), "BaoCao.doc", "Word"),
    ],
    ids=["pdf", "docx", "png", "html", "zip", "doc"],
)
def test_not_a_spreadsheet(tmp_path: Path, make: Builder, name: str, says: str) -> None:
    result = refused(make(tmp_path / name), Code.FILE_UNSUPPORTED)
    assert says in result.issues[0].message
    assert ".xlsx" in result.issues[0].message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "Báo cáo Phường Đề Thám.xlsx"
    path.write_bytes(b"")
    refused(path, Code.FILE_EMPTY)


def test_unreadable_path_is_reported_not_raised(tmp_path: Path) -> None:
    folder = tmp_path / "BaoCao.xlsx"
    folder.mkdir()
    result = guard_file(folder)
    assert not result.ok and result.issues[0].code == Code.FILE_UNREADABLE
    assert "«BaoCao.xlsx»" in result.issues[0].message


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        guard_file(tmp_path / "none.xlsx")


@pytest.fixture(scope="session")
def small_xlsx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return b.make_xlsx_xlsxwriter(tmp_path_factory.mktemp("seed") / "seed.xlsx").read_bytes()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_xlsx_never_raises(tmp_path: Path, small_xlsx: bytes, flips: list[tuple[int, int]]) -> None:
    data = bytearray(small_xlsx)
    for pos, value in flips:
        data[pos % len(data)] = value
    path = tmp_path / "BaoCao.xlsx"
    path.write_bytes(bytes(data))
    result = guard(path)
    assert result.ok or result.issues[0].severity == Severity.ERROR


# --- is_ignorable and sniff_format -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ignorable"),
    [
        ("~$BaoCao.xlsx", True),
        (".~lock.BaoCao.xlsx#", True),
        ("~WRL0001.tmp", True),
        (".DS_Store", True),
        ("Thumbs.db", True),
        (".hidden.xlsx", True),
        ("BaoCao.xlsx", False),
        ("Báo cáo ~ quý 4.xlsx", False),
    ],
)
def test_is_ignorable(name: str, ignorable: bool) -> None:
    assert is_ignorable(Path("inbox") / name) is ignorable


def test_sniff_format_by_content(tmp_path: Path) -> None:
    xlsx = b.make_xlsx_xlsxwriter(tmp_path / "a.xls").read_bytes()
    assert sniff_format(xlsx, None) == "xlsx"
    assert sniff_format(xlsx[:8], ["[Content_Types].xml", "xl/workbook.xml"]) == "xlsx"
    assert sniff_format(xlsx[:8], ["xl/workbook.xml", "xl/vbaProject.bin"]) == "xlsm"
    assert sniff_format(xlsx[:8], ["word/document.xml"]) is None
    assert sniff_format(b.make_minimal_ods(tmp_path / "o.ods").read_bytes()[:100], ["mimetype"]) == "ods"
    assert sniff_format(b.make_minimal_xls(tmp_path / "x.xls").read_bytes(), None) == "xls"
    assert sniff_format(b.make_minimal_xls(tmp_path / "x.xls").read_bytes()[:8], ["Workbook"]) == "xls"
    assert sniff_format(b.make_encrypted_ole(tmp_path / "e.xlsx").read_bytes(), None) is None
    assert sniff_format(b"%PDF-1.4", None) is None
    assert sniff_format(xlsx[: len(xlsx) // 2], None) is None
