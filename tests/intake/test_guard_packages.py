"""Packages read by their format's rules, not by fixed member names, behind the same guards.

Each kind of tests/data/realworld/ is made here from a real return: the same workbook with its
part names written otherwise (backslashes, other case), with its workbook elsewhere (found
through ``_rels/.rels``), an ODS without its ``mimetype``. Each must read exactly as the original
does, and still be refused for what the original would be refused for (a far cell, a DTD).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from pipeline.base import vocabulary as V
from pipeline.base.issues import Code
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.intake import read_return
from pipeline.intake.guard import sniff_format
from pipeline.intake.parts import sheet_members
from pipeline.intake.sheets import read_book
from tests import builders as b
from tests.conftest import convert
from tests.intake.test_guard import accepted, refused
from tests.intake.test_read import filled, run, write

Rename = Callable[[str], str]


@pytest.fixture(scope="session")
def cat(qcat: Catalogue) -> Catalogue:
    """The returns of tests/intake/test_read.py carry tasks and indicators in one quarterly file:
    the catalogue whose calendar asks for both each quarter (as test_read.py's own tests use)."""
    return qcat


FAR_CELL = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'


def repack(
    src: Path, dst: Path, rename: Rename = lambda n: n, edit: Callable[[str, bytes], bytes] | None = None
) -> Path:
    """A copy of a ZIP with its members renamed and (by their original name) edited."""
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(rename(info.filename), edit(info.filename, data) if edit else data)
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(out.getvalue())
    return dst


def _moved(folder: str) -> tuple[Rename, Callable[[str, bytes], bytes]]:
    """The workbook's folder ``xl/`` renamed ``folder`` (``""``: the package root), as
    ``_rels/.rels`` and ``[Content_Types].xml`` then say."""

    def rename(name: str) -> str:
        return folder + name[3:] if name.startswith("xl/") else name

    def edit(name: str, data: bytes) -> bytes:
        if name == "_rels/.rels":
            return data.replace(b'Target="xl/', f'Target="{folder}'.encode())
        if name == "[Content_Types].xml":
            return data.replace(b'PartName="/xl/', f'PartName="/{folder}'.encode())
        return data

    return rename, edit


VARIANTS: dict[str, tuple[Rename, Callable[[str, bytes], bytes] | None]] = {
    "backslashes": (lambda n: n.replace("/", "\\"), None),
    "content-types-lower-case": (lambda n: n.lower() if n.startswith("[") else n, None),
    "upper-case": (str.upper, None),
    "workbook-elsewhere": _moved("bao_cao/"),
    "workbook-at-the-root": _moved(""),
}


def tasks_member(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        members = sheet_members(
            zf.read("xl/workbook.xml").decode(), zf.read("xl/_rels/workbook.xml.rels").decode()
        )
    return members[V.SHEET_TASKS]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_return_repacked_reads_as_the_original(
    tmp_path: Path, qcat: Catalogue, q4: Period, variant: str
) -> None:
    cat = qcat  # a quarter whose return carries its tasks
    f = filled(
        cat,
        PL01_1_5={V.TASK_STATUS: "Hoàn thành", V.TASK_RESULT_VALUE: "12 tin bài", V.TASK_EVIDENCE: "KH 5"},
    )
    original = write(cat, q4, tmp_path / "a" / "BaoCao.xlsx", f)
    rename, edit = VARIANTS[variant]
    copy = repack(original, tmp_path / "b" / "BaoCao.xlsx", rename, edit)
    accepted(copy, "xlsx")
    assert sniff_format(copy.read_bytes(), None) == "xlsx"
    mine, theirs = read_return(copy), read_return(original)
    assert mine.source.readable and mine.source.meta == theirs.source.meta
    assert (mine.info, mine.tasks, mine.indicators) == (theirs.info, theirs.tasks, theirs.indicators)
    assert mine.issues == theirs.issues
    a, c = run(cat, q4, original), run(cat, q4, copy)
    assert [(i.code, i.cell, i.field, i.message) for i in a.issues] == [
        (i.code, i.cell, i.field, i.message) for i in c.issues
    ]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_repacked_return_is_still_bounded(
    tmp_path: Path, qcat: Catalogue, q4: Period, variant: str
) -> None:
    cat = qcat  # a quarter whose return carries its tasks
    original = write(cat, q4, tmp_path / "a.xlsx")
    sheet = tasks_member(original)
    rename, edit = VARIANTS[variant]

    def far(name: str, data: bytes) -> bytes:
        data = edit(name, data) if edit else data
        return data.replace(b"</sheetData>", FAR_CELL + b"</sheetData>") if name == sheet else data

    result = refused(repack(original, tmp_path / "far.xlsx", rename, far), Code.FILE_TOO_MANY_CELLS)
    assert f"«{V.SHEET_TASKS}»" in result.issues[0].message  # the sheet named through the moved workbook

    def dtd(name: str, data: bytes) -> bytes:
        data = edit(name, data) if edit else data
        return (
            data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY x "x">]>', 1) if name == "xl/workbook.xml" else data
        )

    refused(repack(original, tmp_path / "dtd.xlsx", rename, dtd), Code.FILE_XML_ENTITIES)


def test_formula_cells_are_found_in_a_moved_workbook(tmp_path: Path, qcat: Catalogue, q4: Period) -> None:
    cat = qcat  # a quarter whose return carries its tasks
    original = write(cat, q4, tmp_path / "a" / "BaoCao.xlsx")
    sheet = tasks_member(original)
    rename, edit = VARIANTS["workbook-elsewhere"]
    assert edit is not None

    def formula(name: str, data: bytes) -> bytes:
        data = edit(name, data)
        if name != sheet:
            return data
        # the first task's result: a formula saved without its value
        return re.sub(rb'<c r="(I\d+)" s="(\d+)"/>', rb'<c r="\1" s="\2"><f>1+1</f></c>', data, count=1)

    copy = repack(original, tmp_path / "b" / "BaoCao.xlsx", rename, formula)
    same = repack(
        original, tmp_path / "c" / "BaoCao.xlsx", edit=lambda n, d: formula(n, d) if n == sheet else d
    )
    found = [i.cell for i in run(cat, q4, copy).issues if i.code == Code.FORMULA_NO_VALUE]
    assert found and found == [i.cell for i in run(cat, q4, same).issues if i.code == Code.FORMULA_NO_VALUE]


def test_a_sheet_is_bounded_whatever_its_part_holds(tmp_path: Path, qcat: Catalogue, q4: Period) -> None:
    """The workbook's relationships may point a sheet at a part named like an image, holding
    bytes before its XML: the reader still reads it as a sheet, so the guard bounds it."""
    cat = qcat  # a quarter whose return carries its tasks
    original = write(cat, q4, tmp_path / "a.xlsx")
    sheet = tasks_member(original)
    target = sheet.removeprefix("xl/")

    def hidden(name: str, data: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(f'Target="{target}"'.encode(), b'Target="media/image9.png"')
        if name == sheet:
            return b"\x89PNG junk " + data.replace(b"</sheetData>", FAR_CELL + b"</sheetData>")
        return data

    path = repack(original, tmp_path / "b.xlsx", lambda n: "xl/media/image9.png" if n == sheet else n, hidden)
    refused(path, Code.FILE_TOO_MANY_CELLS)


def test_main_part_content_type_says_what_the_package_is(tmp_path: Path) -> None:
    docx = b.make_docx(tmp_path / "a.docx")
    moved = repack(
        docx,
        tmp_path / "BaoCao.xlsx",
        lambda n: n.replace("word/", "van_ban/"),
        lambda n, d: d.replace(b"/word/", b"/van_ban/"),
    )
    with zipfile.ZipFile(moved, "a") as zf:
        zf.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="van_ban/document.xml"/></Relationships>',
        )
    result = refused(moved, Code.FILE_UNSUPPORTED)
    assert "Word" in result.issues[0].message


# --- OpenDocument ---------------------------------------------------------------------------


def without_mimetype(src: Path, dst: Path, rename: Rename = lambda n: n) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "mimetype":
                zout.writestr(rename(info.filename), zin.read(info))
    dst.write_bytes(out.getvalue())
    return dst


def test_ods_without_mimetype_is_read_by_its_manifest(tmp_path: Path) -> None:
    src = b.make_minimal_ods(tmp_path / "a.ods")
    path = without_mimetype(src, tmp_path / "BaoCao.ods")
    result = accepted(path, "ods")
    assert sniff_format(path.read_bytes(), None) == "ods"
    assert result.data != path.read_bytes()  # the reader gets a copy with the member it needs
    assert read_book(CalamineWorkbook.from_filelike(io.BytesIO(result.data))) == read_book(
        CalamineWorkbook.from_path(str(src))
    )


@pytest.mark.parametrize(
    "change",
    ["no-manifest", "template-mimetype", "mimetype-with-newline", "nothing-but-content"],
)
def test_ods_the_reader_would_refuse_is_read_from_a_copy(tmp_path: Path, change: str) -> None:
    """ODF makes ``mimetype`` optional, and a template (.ots) names another type; python-calamine
    needs exactly the spreadsheet's and a manifest. Each is still an OpenDocument spreadsheet."""
    src = b.make_minimal_ods(tmp_path / "a.ods")
    with zipfile.ZipFile(src) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    if change == "no-manifest":
        del members["META-INF/manifest.xml"]
    elif change == "template-mimetype":
        members["mimetype"] = b.ODS_MIMETYPE + b"-template"
    elif change == "mimetype-with-newline":
        members["mimetype"] = b.ODS_MIMETYPE + b"\n"
    else:
        members = {"content.xml": members["content.xml"]}
    path = tmp_path / "BaoCao.ods"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    result = accepted(path, "ods")
    assert read_book(CalamineWorkbook.from_filelike(io.BytesIO(result.data))) == read_book(
        CalamineWorkbook.from_path(str(src))
    )


def test_a_zip_with_some_content_xml_is_not_an_ods(tmp_path: Path) -> None:
    path = b.make_plain_zip(tmp_path / "BaoCao.zip", {"content.xml": b"<?xml version='1.0'?><notes/>"})
    assert "giải nén" in refused(path, Code.FILE_UNSUPPORTED).issues[0].message


def test_ods_without_mimetype_is_still_bounded(tmp_path: Path) -> None:
    bomb = (
        b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        b'table:number-columns-repeated="1000" office:value-type="string"><text:p>x</text:p>'
        b"</table:table-cell></table:table-row>"
    )
    src = b.make_minimal_ods(tmp_path / "a.ods")
    with zipfile.ZipFile(src) as zf:
        content = zf.read("content.xml").replace(b"</table:table>", bomb + b"</table:table>")
    b.rewrite_zip(src, src, replace={"content.xml": content})
    refused(without_mimetype(src, tmp_path / "bomb.ods"), Code.FILE_TOO_MANY_CELLS)
    # the copy holds content.xml whatever the case of its name: bounded under that name too
    refused(without_mimetype(src, tmp_path / "CASE.ods", str.upper), Code.FILE_TOO_MANY_CELLS)


def test_ods_whose_manifest_declares_encryption_gets_the_password_message(tmp_path: Path) -> None:
    src = b.make_minimal_ods(tmp_path / "a.ods")
    with zipfile.ZipFile(src) as zf:
        manifest = zf.read("META-INF/manifest.xml")
    entry = b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    encrypted = entry[:-2] + (
        b'><manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
        b'<manifest:algorithm manifest:algorithm-name="Blowfish CFB"/></manifest:encryption-data>'
        b"</manifest:file-entry>"
    )
    b.rewrite_zip(src, src, replace={"META-INF/manifest.xml": manifest.replace(entry, encrypted)})
    result = refused(src, Code.FILE_ENCRYPTED)
    assert "mật khẩu" in result.issues[0].message
    refused(without_mimetype(src, tmp_path / "b.ods"), Code.FILE_ENCRYPTED)


@pytest.mark.libreoffice
def test_a_libreoffice_return_without_mimetype_reads_as_the_original(
    tmp_path: Path, soffice: str, qcat: Catalogue, q4: Period
) -> None:
    cat = qcat  # a quarter whose return carries its tasks
    ods = convert(soffice, write(cat, q4, tmp_path / "BaoCao.xlsx"), "ods", tmp_path / "lo")
    copy = without_mimetype(ods, tmp_path / "BaoCao.ods")
    mine, theirs = read_return(copy), read_return(ods)
    assert mine.source.readable and mine.source.meta == theirs.source.meta
    assert (mine.info, mine.tasks, mine.indicators) == (theirs.info, theirs.tasks, theirs.indicators)


# --- damaged archives: what is damaged ------------------------------------------------------


def test_a_damaged_archive_says_what_is_damaged(tmp_path: Path) -> None:
    data = b.make_xlsx_xlsxwriter(tmp_path / "a.xlsx").read_bytes()
    eocd = data.rindex(b"PK\x05\x06")
    no_end = tmp_path / "no_end.xlsx"
    no_end.write_bytes(data[:eocd])  # the central directory's end record is gone
    assert "không thấy mục lục ở cuối tệp nén" in refused(no_end, Code.FILE_CORRUPT).issues[0].message
    moved = bytearray(data)
    offset = int.from_bytes(data[eocd + 16 : eocd + 20], "little")
    moved[offset] ^= 0xFF  # where it points, no central directory
    (tmp_path / "moved.xlsx").write_bytes(bytes(moved))
    assert (
        "mục lục của tệp nén trỏ sai chỗ"
        in refused(tmp_path / "moved.xlsx", Code.FILE_CORRUPT).issues[0].message
    )
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: eocd + 10])
    refused(cut, Code.FILE_CORRUPT)
