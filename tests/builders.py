"""Builders of real (and hostile) files for tests: each writes a file at ``path`` and returns it.

Plain functions, no fixtures, so any test module can use them: normal workbooks (openpyxl,
xlsxwriter), a hand-made ODS, hand-made OLE2 compound files (a minimal ``.xls``, an encrypted
OOXML package), macro workbooks, zip bombs (honest and lying), XML entity attacks, and
files that are not spreadsheets at all.
"""

from __future__ import annotations

import io
import math
import random
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BOMB_MEMBER = "xl/worksheets/sheet1.xml"
ROWS: tuple[tuple[Any, ...], ...] = (("Mã", "Nhiệm vụ", "Số lượng"), ("NV01", "Số hoá hồ sơ", 12))

# --- normal workbooks --------------------------------------------------------------------


def make_xlsx_openpyxl(path: Path, rows: Sequence[Sequence[Any]] = ROWS) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Nhiệm vụ"
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def make_xlsx_xlsxwriter(path: Path, rows: Sequence[Sequence[Any]] = ROWS) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("Nhiệm vụ")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.close()
    return path


def rewrite_zip(
    src: Path,
    dst: Path,
    replace: Mapping[str, bytes] | None = None,
    add: Mapping[str, bytes] | None = None,
    stored: Iterable[str] = (),
) -> Path:
    """Copy a zip member by member, replacing or adding members (``stored`` ones uncompressed)."""
    replace, add, stored = dict(replace or {}), dict(add or {}), set(stored)
    with zipfile.ZipFile(src) as zin:
        members = [(i.filename, replace.get(i.filename, zin.read(i))) for i in zin.infolist()]
    members += list(add.items())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            zout.writestr(name, data, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    dst.write_bytes(buf.getvalue())
    return dst


def make_xlsm(path: Path, *, vba: bool = True, macro_content_type: bool = True) -> Path:
    """An xlsx with ``xl/vbaProject.bin`` and/or the macroEnabled main content type."""
    make_xlsx_xlsxwriter(path)
    with zipfile.ZipFile(path) as zf:
        types = zf.read("[Content_Types].xml")
    if macro_content_type:
        types = types.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
    add = {}
    if vba:
        types = types.replace(
            b"<Default Extension=",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default Extension=',
            1,
        )
        add["xl/vbaProject.bin"] = ole_bytes({"VBA": b'Attribute VB_Name = "Module1"\r\n'})
    return rewrite_zip(path, path, replace={"[Content_Types].xml": types}, add=add)


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def make_minimal_ods(
    path: Path, rows: Sequence[Sequence[Any]] = ROWS, *, mimetype_first: bool = True
) -> Path:
    """A minimal valid ODS: ``mimetype`` stored first (as ODF requires), content.xml, manifest."""

    def cell(value: Any) -> str:
        if isinstance(value, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Nhiệm vụ">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2"'
        f' manifest:media-type="{ODS_MIMETYPE.decode()}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    members = [("content.xml", content.encode()), ("META-INF/manifest.xml", manifest.encode())]
    mimetype = ("mimetype", ODS_MIMETYPE)
    members = [mimetype, *members] if mimetype_first else [*members, mimetype]
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            zf.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return path


def make_docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        zf.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
            '2006/main"><w:body><w:p><w:r><w:t>Báo cáo</w:t></w:r></w:p></w:body></w:document>',
        )
    return path


def make_plain_zip(path: Path, members: Mapping[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


# --- OLE2 compound files -----------------------------------------------------------------

_ENDOFCHAIN, _FREESECT, _FATSECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def ole_bytes(streams: Mapping[str, bytes], *, mini: bool = False) -> bytes:
    """A version-3 compound file (512-byte sectors) with these root-level streams.

    With ``mini`` (what LibreOffice and Excel do), streams under 4096 bytes live in the mini
    stream (64-byte sectors); otherwise they are zero-padded to 4096 bytes. The directory is a
    chain of right siblings in the spec's (length, upper-case) order: valid for readers that
    walk the tree, though not balanced.
    """
    items = sorted(streams.items(), key=lambda kv: (len(kv[0]), kv[0].upper()))
    small = [mini and len(data) < 4096 for _, data in items]
    bodies = [
        data if is_small else data.ljust(4096, b"\0")
        for (_, data), is_small in zip(items, small, strict=True)
    ]
    minifat: list[int] = []
    ministream = b""
    mini_starts: list[int] = []
    for body, is_small in zip(bodies, small, strict=True):
        count = math.ceil(len(body) / 64) if is_small else 0
        mini_starts.append(len(minifat) if count else _ENDOFCHAIN)
        minifat += [len(minifat) + i + 1 if i < count - 1 else _ENDOFCHAIN for i in range(count)]
        ministream += body.ljust(count * 64, b"\0")
    minifat += [_FREESECT] * (-len(minifat) % 128)
    entry_count = math.ceil((len(items) + 1) / 4) * 4
    # Regular-sector blobs after the FAT: directory, mini FAT, mini stream, big streams.
    blobs = [bytes(entry_count * 128), struct.pack(f"<{len(minifat)}I", *minifat), ministream]
    blobs += [b"" if is_small else body for body, is_small in zip(bodies, small, strict=True)]
    counts = [math.ceil(len(blob) / 512) for blob in blobs]
    n_fat = 1
    while n_fat * 128 < n_fat + sum(counts):
        n_fat += 1
    assert n_fat <= 109, "too big for a header-only DIFAT"
    fat = [_FATSECT] * n_fat
    starts = []
    for count in counts:
        starts.append(len(fat) if count else _ENDOFCHAIN)
        fat += [len(fat) + i + 1 if i < count - 1 else _ENDOFCHAIN for i in range(count)]
    fat += [_FREESECT] * (n_fat * 128 - len(fat))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = (name.encode("utf-16-le") + b"\0\0") if name else b""
        return struct.pack(
            "<64sHBBIII16sIQQIQ", raw, len(raw), kind, 1, _NOSTREAM, right, child, b"", 0, 0, 0, start, size
        )

    entries = [entry("Root Entry", 5, _NOSTREAM, 1 if items else _NOSTREAM, starts[2], len(ministream))]
    for i, ((name, _), body) in enumerate(zip(items, bodies, strict=True)):
        right = i + 2 if i + 1 < len(items) else _NOSTREAM
        entries.append(
            entry(name, 2, right, _NOSTREAM, mini_starts[i] if small[i] else starts[3 + i], len(body))
        )
    entries += [entry("", 0, _NOSTREAM, _NOSTREAM, 0, 0)] * (entry_count - len(entries))
    blobs[0] = b"".join(entries)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        OLE_MAGIC,
        b"",
        0x3E,  # minor version
        3,  # major version
        0xFFFE,  # byte order
        9,  # sector shift: 512 bytes
        6,  # mini sector shift: 64 bytes
        b"",
        0,  # directory sectors (0 in version 3)
        n_fat,
        starts[0],  # first directory sector
        0,  # transaction signature
        4096,  # mini stream cutoff
        starts[1],  # first mini FAT sector
        counts[1],
        _ENDOFCHAIN,  # first DIFAT sector
        0,
    )
    header += struct.pack("<109I", *(list(range(n_fat)) + [_FREESECT] * (109 - n_fat)))
    parts = [header, struct.pack(f"<{len(fat)}I", *fat)]
    parts += [blob.ljust(count * 512, b"\0") for blob, count in zip(blobs, counts, strict=True)]
    return b"".join(parts)


def make_ole(path: Path, streams: Mapping[str, bytes], *, mini: bool = False) -> Path:
    path.write_bytes(ole_bytes(streams, mini=mini))
    return path


def biff_record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def make_minimal_xls(path: Path, *, password: bool = False, mini: bool = False) -> Path:
    """An OLE2 file whose ``Workbook`` stream starts like BIFF8 (BOF[, FILEPASS], EOF).

    Enough for content sniffing, not a readable workbook (use LibreOffice for that).
    """
    bof = biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0))
    filepass = biff_record(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48)) if password else b""
    return make_ole(path, {"Workbook": bof + filepass + biff_record(0x000A)}, mini=mini)


def make_encrypted_ole(path: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE2 file with the encrypted package."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'  # agile header
    return make_ole(
        path,
        {
            "EncryptionInfo": info,
            "EncryptedPackage": struct.pack("<Q", 8000) + random.Random(0).randbytes(8000),
        },
    )


# --- zip bombs ---------------------------------------------------------------------------

_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)


def make_zip_bomb(path: Path, size: int = 200 * MB, *, level: int = 1) -> Path:
    """An xlsx-looking zip whose sheet inflates to ``size`` zero bytes (written in 1 MB chunks)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        with zf.open(BOMB_MEMBER, "w") as fh:
            chunk = bytes(MB)
            for _ in range(size // MB):
                fh.write(chunk)
            fh.write(bytes(size % MB))
    return path


def make_lying_zip_bomb(
    path: Path,
    size: int = 200 * MB,
    declared: int = 1024,
    *,
    lie_compressed: bool = True,
    forge_crc: bool = False,
) -> Path:
    """A zip bomb whose sheet declares ``declared`` bytes in both local header and central directory.

    ``lie_compressed`` also shrinks the declared compressed size; ``forge_crc`` sets the CRC of
    the first ``declared`` bytes, so stdlib ``zipfile`` (which stops at the declared size)
    reads the member without any error.
    """
    make_zip_bomb(path, size)
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(BOMB_MEMBER)
    csize = min(info.compress_size, declared) if lie_compressed else info.compress_size
    crc = zlib.crc32(bytes(declared)) if forge_crc else info.CRC
    struct.pack_into("<III", data, info.header_offset + 14, crc, csize, declared)
    eocd = data.rfind(b"PK\x05\x06")
    pos = struct.unpack_from("<I", data, eocd + 16)[0]
    while data[pos : pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46 : pos + 46 + name_len] == BOMB_MEMBER.encode():
            struct.pack_into("<III", data, pos + 16, crc, csize, declared)
        pos += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))
    return path


# --- XML entity attacks ------------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>'
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x>&e;</x></workbook>'
)


def make_xlsx_with_member(path: Path, member: str, content: bytes, *, stored: bool = False) -> Path:
    """A normal xlsx with one member's content replaced (e.g. an entity attack in workbook.xml)."""
    make_xlsx_xlsxwriter(path)
    return rewrite_zip(path, path, replace={member: content}, stored=[member] if stored else [])


# --- broken files and other things -------------------------------------------------------


def make_truncated(src: Path, dst: Path, fraction: float = 0.5) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


def make_random(path: Path, size: int = 30_000, seed: int = 7) -> Path:
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def make_pdf(path: Path) -> Path:
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def make_png(path: Path, width: int = 4, height: int = 4) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes(3 * width) for _ in range(height))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def make_html_xls(path: Path) -> Path:
    """What many web systems export as ".xls": an HTML table."""
    path.write_text(
        '<html><head><meta charset="utf-8"></head><body><table><tr><td>Mã</td><td>Nhiệm vụ</td></tr>'
        "</table></body></html>",
        encoding="utf-8",
    )
    return path
