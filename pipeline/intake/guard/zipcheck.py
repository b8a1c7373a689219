"""ZIP containers (xlsx, xlsm, ods): the declared sizes, then a bounded read of every member.

1. the central directory: member count, declared sizes (per member and in sum) and the
   compression ratio of big members;
2. a bounded streaming read of every member in 64 KiB chunks. It inflates exactly the
   declared compressed bytes itself (``zlib``) instead of reading through ``ZipFile.open()``:
   the stdlib reader silently cuts a member at its declared size, so a member that lies about
   its size but carries the CRC of the cut data would pass, while a reader that trusts the
   deflate stream would inflate all of it. Here the output is counted and the read stops as
   soon as it passes the declared size; CRC, truncation and overlapping members are checked
   too. XML members are scanned for a DTD (``<!DOCTYPE``/``<!ENTITY``, also in UTF-16),
   across chunk boundaries: no OOXML or ODF part needs one, and it is how entity expansion
   and external-entity attacks start.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import NamedTuple

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.messages import notes
from pipeline.intake.guard.cells import CellScan, TooManyCells, walk_cells, walk_ods
from pipeline.intake.guard.limits import CHUNK, CORRUPT_ERRORS, MB, GuardLimits, Refused, corrupt
from pipeline.intake.guard.opc import (
    CONTENT_TYPES,
    MANIFEST,
    ODS_MIMETYPE,
    SMALL,
    identify,
    macro_kind,
    part_name,
    rels_of,
    with_sheets,
)
from pipeline.intake.guard.sniff import FORMATS, ZIP_MAGIC, head_mimetype
from pipeline.intake.guard.xlsb import XlsbScan
from pipeline.intake.guard.xlsb import sheet_members as xlsb_sheet_members
from pipeline.intake.parts import sheet_members

# A DTD in UTF-8, UTF-16 (either byte order) or UTF-32: up to three NULs between characters.
_DTD = re.compile(
    b"|".join(
        b"\x00{0,3}".join(re.escape(bytes([ch])) for ch in word) for word in (b"<!DOCTYPE", b"<!ENTITY")
    ),
    re.IGNORECASE,
)
_DTD_OVERLAP = 64  # longer than any match of _DTD: carried from one chunk to the next
_XML_NAMES = (".xml", ".rels", ".vml")
_BLANKS = b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"  # whitespace, NULs and BOM bytes (UTF-8/16/32)

# The parts the reader looks at again (as they were inflated here), by normalized name, besides
# the workbook, its relationships and its XML sheets.
KEPT_PARTS = ("content.xml", MANIFEST)


class Found(NamedTuple):
    """What a ZIP turned out to be: its kind, its main part (normalized), and for an OpenDocument
    spreadsheet its reader would refuse for its packaging the copy the reader parses (else b"")."""

    kind: str
    workbook: str = ""
    data: bytes = b""


def inspect_zip(data: bytes, limits: GuardLimits, parts: dict[str, bytes]) -> Found:
    """Kind of a ZIP-based file after the declared-size checks and a bounded read of every member.

    ``parts`` receives the parts the reader looks at again (the workbook, its relationships and
    its XML sheets, or an ODS's content and manifest), by normalized name, as they were read."""
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if eocd >= 0 and len(data) >= eocd + 12:
        declared_count = struct.unpack_from("<H", data, eocd + 10)[0]
        if declared_count != 0xFFFF and declared_count > limits.max_members:
            raise _bomb(notes.ZIP_TOO_MANY_PARTS.format(count=declared_count, limit=limits.max_members))
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    if len(infos) > limits.max_members:
        raise _bomb(notes.ZIP_TOO_MANY_PARTS.format(count=len(infos), limit=limits.max_members))
    names = {info.filename for info in infos}
    if len(names) != len(infos):
        raise corrupt(notes.ZIP_DUPLICATE_NAMES)
    part_of = {info.filename: part_name(info.filename) for info in infos}
    by_part = {part_of[info.filename]: info for info in infos}
    mimetype = head_mimetype(data) or small_mimetype(data, infos)
    package = identify(
        by_part,
        mimetype,
        lambda name: small_part(data, by_part.get(name), SMALL),
        lambda name: part_head(data, by_part.get(name)),
    )
    kind = package.kind
    if kind not in FORMATS:
        return Found(kind)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_member_bytes:
            size, limit = V.megabytes(info.file_size), V.megabytes(limits.max_member_bytes)
            raise _bomb(
                notes.ZIP_PART_TOO_BIG.format(member=info.filename, size=size, limit=limit), info.filename
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= limits.ratio_min_bytes and ratio > limits.max_ratio:
            detail = notes.ZIP_PART_RATIO.format(
                member=info.filename, ratio=f"{ratio:.0f}", limit=f"{limits.max_ratio:.0f}"
            )
            raise _bomb(detail, info.filename)
    if total > limits.max_uncompressed_bytes:
        size, limit = V.megabytes(total), V.megabytes(limits.max_uncompressed_bytes)
        raise _bomb(notes.ZIP_TOTAL_TOO_BIG.format(size=size, limit=limit))
    if package.encrypted:
        raise Refused(Code.FILE_ENCRYPTED)
    package = with_sheets(
        package, by_part, lambda name: small_part(data, by_part.get(name), limits.max_member_bytes)
    )
    folder = posixpath.dirname(package.workbook) + "/" if package.workbook else "xl/"
    keep = {*KEPT_PARTS, package.workbook, rels_of(package.workbook), *package.xml_sheets} - {""}
    # ODS content is walked as ODS; an ODS that also carries package relationships may be read as
    # OOXML, so its XML parts are bounded as OOXML sheets too.
    ooxml = kind != "ods" or package.package_rels
    repair = kind == "ods" and package.needs_copy
    content_types = b""
    end_of_previous = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset < end_of_previous:
            raise _bomb(notes.ZIP_OVERLAP, info.filename)
        start = data_start(data, info)
        end_of_previous = start + info.compress_size
        part = part_of[info.filename]
        # XML by name, or by content whatever the name (a rels file may point a sheet at any part):
        # undecided until the first byte that is neither whitespace, NUL nor part of a BOM.
        xml: bool | None = True if part.endswith(_XML_NAMES) else None
        tail = b""
        cells = CellScan(info.filename, limits.max_cells)
        sheet = part in package.xml_sheets  # read as a sheet whatever it holds
        binary = XlsbScan(limits.max_cells) if part in package.binary_sheets else None
        kept = part in keep or (
            not package.xml_sheets and part.startswith(folder + "worksheets/") and part.endswith(".xml")
        )
        keep_chunks: list[bytes] = []
        try:
            for chunk in member_chunks(data, info, start):
                if kept:
                    keep_chunks.append(chunk)
                if xml is None:
                    rest = chunk.lstrip(_BLANKS)
                    xml = rest.startswith(b"<") if rest else None
                if xml:
                    both = tail + chunk
                    if b"!" in both and _DTD.search(both):  # every match holds a "!": memchr first
                        raise Refused(Code.FILE_XML_ENTITIES, info.filename, member=info.filename)
                    tail = chunk[-_DTD_OVERLAP:]
                if (xml and ooxml) or sheet:
                    cells.feed(chunk)
                if binary is not None:
                    binary.feed(chunk)
                if part == CONTENT_TYPES and len(content_types) < MB:
                    content_types += chunk
            if kept:
                parts[part] = b"".join(keep_chunks)
            if (xml and ooxml) or sheet:
                cells.close()
                if cells.inexact:  # cells without an address: walk the part again, tag by tag
                    walk_cells(member_chunks(data, info, start), info.filename, limits.max_cells)
            if kind == "ods" and part == "content.xml":
                walk_ods(member_chunks(data, info, start), limits.max_cells)
        except TooManyCells as too_many:
            name = too_many.sheet or _sheet_name(data, by_part, package.workbook, part)
            raise Refused(Code.FILE_TOO_MANY_CELLS, name, detail=too_many.detail(name, limits)) from None
    kind = macro_kind(kind, content_types, package.workbook)
    return Found(kind, package.workbook, _with_mimetype(parts) if repair else b"")


def small_part(data: bytes, info: zipfile.ZipInfo | None, limit: int = SMALL) -> bytes:
    """A member's bytes when it declares at most ``limit`` bytes and reads cleanly, else b""."""
    if info is None or info.file_size > limit:
        return b""
    try:
        return b"".join(member_chunks(data, info, data_start(data, info)))
    except (Refused, *CORRUPT_ERRORS):
        return b""


def part_head(data: bytes, info: zipfile.ZipInfo | None, limit: int = CHUNK) -> bytes:
    """The first ``limit`` bytes of a member (through the bounded reader), b"" when unreadable."""
    if info is None:
        return b""
    out = b""
    try:
        for chunk in member_chunks(data, info, data_start(data, info)):
            out += chunk
            if len(out) >= limit:
                break
    except (Refused, *CORRUPT_ERRORS):
        return b""
    return out[:limit]


_MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    b'<manifest:file-entry manifest:full-path="/" manifest:media-type="' + ODS_MIMETYPE + b'"/>'
    b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    b"</manifest:manifest>"
)


def _with_mimetype(parts: dict[str, bytes]) -> bytes:
    """A copy of an ODS with the ``mimetype`` member and the manifest its reader requires.

    ODF 1.2 Part 3 §3.3 makes ``mimetype`` optional (the manifest's root entry then says what
    the package is) and some writers leave it out, or write another spreadsheet type (a
    template); python-calamine refuses a package without exactly the spreadsheet's, and one
    without a manifest. The copy holds only what that reader reads (``mimetype``, the manifest,
    ``content.xml``), stored, from the very bytes the bounded read inflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        copy.writestr("mimetype", ODS_MIMETYPE)
        copy.writestr("META-INF/manifest.xml", parts.get(MANIFEST, _MANIFEST))
        if "content.xml" in parts:
            copy.writestr("content.xml", parts["content.xml"])
    return out.getvalue()


def data_start(data: bytes, info: zipfile.ZipInfo) -> int:
    """Offset of a member's data, after checking its local header against the central directory."""
    offset = info.header_offset
    if data[offset : offset + 4] != ZIP_MAGIC:
        raise corrupt(notes.ZIP_LOCAL_HEADER_BAD)
    flags, method, _, _, crc, csize, usize, name_len, extra_len = struct.unpack_from(
        "<HHHHIIIHH", data, offset + 6
    )
    if flags & 0x1:
        raise Refused(Code.FILE_ENCRYPTED)
    if method != info.compress_type:
        raise corrupt(notes.ZIP_LOCAL_HEADER_MISMATCH)
    in_local_header = not flags & 0x8 and 0xFFFFFFFF not in (csize, usize)  # else: central directory only
    if in_local_header:
        if (csize, usize) != (info.compress_size, info.file_size):
            raise corrupt(notes.ZIP_TWO_SIZES.format(member=info.filename), info.filename)
        if crc != info.CRC:
            raise corrupt(notes.ZIP_TWO_CRCS.format(member=info.filename))
    return offset + 30 + name_len + extra_len


def member_chunks(data: bytes, info: zipfile.ZipInfo, start: int) -> Iterator[bytes]:
    """The member's bytes (its data begins at ``start``) in chunks; stops as soon as the output
    passes the declared size; checks the length and CRC at the end."""
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise corrupt(notes.ZIP_DATA_MISSING)
    crc = total = 0
    if info.compress_type == zipfile.ZIP_STORED:
        chunks: Iterator[bytes] = (bytes(raw[i : i + CHUNK]) for i in range(0, len(raw), CHUNK))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        chunks = _inflate(raw)
    else:
        raise corrupt(notes.ZIP_METHOD_UNKNOWN.format(method=info.compress_type))
    for chunk in chunks:
        total += len(chunk)
        if total > info.file_size:
            raise _bomb(notes.ZIP_PART_LONGER.format(member=info.filename), info.filename)
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if total != info.file_size or crc != info.CRC:
        raise corrupt(notes.ZIP_CRC_BAD.format(member=info.filename), info.filename)


def _inflate(raw: memoryview) -> Iterator[bytes]:
    """Raw deflate, at most CHUNK bytes out per step; the stream must end within ``raw``."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pos = 0
    while not inflater.eof:
        if inflater.unconsumed_tail:
            piece: bytes | memoryview = inflater.unconsumed_tail
        elif pos < len(raw):
            piece, pos = raw[pos : pos + CHUNK], pos + CHUNK
        else:
            raise corrupt(notes.ZIP_DEFLATE_CUT)
        out = inflater.decompress(piece, CHUNK)
        if out:
            yield out


# --- how many cells a sheet spans --------------------------------------------------------


def _bomb(detail: str, value: str = "") -> Refused:
    return Refused(Code.FILE_ZIP_BOMB, value, detail=detail)


def _sheet_name(data: bytes, by_part: dict[str, zipfile.ZipInfo], workbook: str, member: str) -> str:
    """The name of the sheet stored in ``member`` (from the workbook and its relationships), or ""."""
    try:

        def read(name: str) -> bytes:
            info = by_part[name]
            return b"".join(member_chunks(data, info, data_start(data, info)))

        rels = read(rels_of(workbook))
        if workbook.endswith(".bin"):
            return xlsb_sheet_members(read(workbook), rels, workbook).get(member, "")
        text = read(workbook).decode("utf-8", "replace")
        folder = posixpath.dirname(workbook) + "/" if "/" in workbook else ""
        members = sheet_members(text, rels.decode("utf-8", "replace"), folder)
    except (Refused, *CORRUPT_ERRORS):
        return ""
    return next((name for name, m in members.items() if part_name(m) == member), "")


def small_mimetype(data: bytes, infos: list[zipfile.ZipInfo]) -> bytes:
    """The ODF ``mimetype`` member wherever it is, if it is small."""
    for info in infos:
        if info.filename == "mimetype" and info.file_size <= 100:
            return b"".join(member_chunks(data, info, data_start(data, info)))
    return b""
