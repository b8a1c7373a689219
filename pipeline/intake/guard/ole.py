"""OLE2 compound files (``.xls``, and password-protected OOXML, which is an OLE2 container),
read with a small stdlib-only parser: the directory's root streams, a stream's sectors, and
the first record of the ``Workbook`` stream of a password-protected ``.xls``."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from pipeline.base.messages import notes
from pipeline.intake.guard.limits import corrupt


def xls_workbook_stream(data: bytes, ole: Ole) -> bytes:
    """The Workbook (or BIFF5 Book) stream of an ``.xls``, from the regular or the mini stream."""
    folded = {k.casefold(): v for k, v in ole.streams.items()}
    start, size = folded.get("workbook") or folded.get("book") or (END, 0)
    if size >= ole.mini_cutoff:
        return _ole_chain(data, ole, start)[:size]
    mini = _ole_chain(data, ole, ole.root_start)
    minifat = _ole_chain(data, ole, ole.minifat_start)
    out: list[bytes] = []
    sector, seen = start, set[int]()
    while sector < END and len(out) * ole.mini_size < size:
        if sector in seen or (sector + 1) * ole.mini_size > len(mini):
            raise corrupt(notes.OLE_MINI_STREAM_BAD)
        seen.add(sector)
        out.append(mini[sector * ole.mini_size : (sector + 1) * ole.mini_size])
        sector = struct.unpack_from("<I", minifat, sector * 4)[0]
    return b"".join(out)[:size]


def _ole_chain(data: bytes, ole: Ole, start: int) -> bytes:
    """The sectors of a regular chain, in order; loops and chains past the file are corrupt."""
    out: list[bytes] = []
    sector, seen = start, set[int]()
    size = ole.sector_size
    while sector < END:
        block = data[(sector + 1) * size : (sector + 2) * size]
        if sector in seen or len(block) < size:
            raise corrupt(notes.OLE_CHAIN_BAD)
        seen.add(sector)
        out.append(block)
        sector = ole.next_sector(data, sector)
    return b"".join(out)


def xls_globals_encrypted(stream: bytes) -> bool:
    """True when the workbook globals of a Workbook stream hold a FILEPASS record.

    FILEPASS ([MS-XLS] 2.4.117) follows the globals' BOF, but not always at once: WRITEPROT
    (a file saved "read-only recommended" or with a password to modify) and other records may
    come first. Record headers are never encrypted, so the walk from the BOF to the globals'
    EOF is exact; it is linear in the stream.
    """
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        if kind == _FILEPASS:
            return True
        if kind == _EOF and pos:
            return False
        pos += 4 + length
    return False


_FILEPASS, _EOF = 0x002F, 0x000A


def padded(data: bytes) -> bytes:
    """An OLE2 file with its last sector completed with zero bytes.

    Some writers end the file where the last stream's data ends, inside its last sector; the
    readers (python-calamine, Excel, LibreOffice) take the missing bytes as absent, so this
    file reads. A chain that points at a sector past the end stays damaged, and so does a cut
    sector of the file's own structure (see :func:`cut_structure`)."""
    if len(data) < 512:
        return data
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        return data
    short = len(data) % (1 << shift)
    return data + bytes((1 << shift) - short) if short else data


def cut_structure(data: bytes, ole: Ole) -> bool:
    """True when ``data`` ends inside a sector of the DIFAT, FAT, directory or mini FAT.

    python-calamine reads a short last sector as it is, and panics (an abort, not an error)
    when that sector is read as FAT entries, or as a directory entry cut before the end of its
    size field (byte 124 of 128 in a version-3 file); a short sector of stream data reads."""
    size = ole.sector_size
    if len(data) % size == 0:
        return False
    last = len(data) // size - 1
    if last in ole.directory and last not in ole.structure - ole.directory:
        rest = (len(data) - (last + 1) * size) % 128
        return 0 < rest < (124 if size == 512 else 128)
    return last in ole.structure


# --- OLE2 compound files -----------------------------------------------------------------


@dataclass(frozen=True)
class Ole:
    sector_size: int
    mini_size: int  # mini-stream sector size
    mini_cutoff: int  # streams smaller than this live in the mini stream
    fat: tuple[int, ...]  # sector numbers of the FAT sectors
    root_start: int  # first sector of the mini stream
    streams: dict[str, tuple[int, int]]  # root-level entry name → (start sector, size)
    minifat_start: int = 0xFFFFFFFE  # first sector of the mini FAT
    structure: frozenset[int] = frozenset()  # sectors of the DIFAT, FAT, directory and mini FAT
    directory: frozenset[int] = frozenset()  # sectors of the directory

    def next_sector(self, data: bytes, sector: int) -> int:
        index, pos = divmod(sector, self.sector_size // 4)
        return int(struct.unpack_from("<I", data, (self.fat[index] + 1) * self.sector_size + pos * 4)[0])


END = 0xFFFFFFFA  # sector numbers from here up are markers (end of chain, free, FAT, DIFAT)
_NOSTREAM = 0xFFFFFFFF


def read_ole(data: bytes) -> Ole:
    """The root-level entries of an OLE2 compound file, from its directory (bounded, loop-safe).

    A real directory walk rather than a search for UTF-16 names: the names "Workbook" and
    "EncryptedPackage" may appear anywhere in the data of an unrelated stream.
    """
    if len(data) < 512:
        raise corrupt(notes.OLE_TOO_SHORT)
    shift, mini_shift, n_fat, dir_start, mini_cutoff, minifat_start, _, difat_start, n_difat = (
        struct.unpack_from("<HH10xII4xIIIII", data, 30)
    )
    if shift not in (9, 12):
        raise corrupt(notes.OLE_HEADER_BAD)
    size = 1 << shift
    per = size // 4
    max_sectors = len(data) // size
    difat = list(struct.unpack_from("<109I", data, 76))
    structure: set[int] = set()  # the sectors of the DIFAT, the FAT, the directory, the mini FAT
    sector = difat_start
    for _ in range(min(n_difat, max_sectors)):
        if sector >= END:
            break
        structure.add(sector)
        values = struct.unpack_from(f"<{per}I", data, (sector + 1) * size)
        difat += values[:-1]
        sector = values[-1]
    ole = Ole(
        size, 1 << min(mini_shift, shift), mini_cutoff, tuple(s for s in difat[:n_fat] if s < END), 0, {}
    )

    entries: list[bytes] = []
    sector, seen = dir_start, set[int]()
    while sector < END:
        if sector in seen or len(seen) > max_sectors:
            raise corrupt(notes.OLE_DIRECTORY_LOOP)
        seen.add(sector)
        block = data[(sector + 1) * size : (sector + 2) * size]
        if len(block) < size:
            raise corrupt(notes.OLE_DIRECTORY_CUT)
        entries += [block[i : i + 128] for i in range(0, size, 128)]
        sector = ole.next_sector(data, sector)
    if not entries or entries[0][66] != 5:
        raise corrupt(notes.OLE_NO_ROOT)
    streams: dict[str, tuple[int, int]] = {}
    todo, visited = [struct.unpack_from("<I", entries[0], 76)[0]], set()
    while todo:
        i = todo.pop()
        if i == _NOSTREAM or i in visited or i >= len(entries):
            continue
        visited.add(i)
        entry = entries[i]
        name_len, left, right, start, length = struct.unpack_from("<H2xII40xII", entry, 64)
        name = entry[: max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
        streams[name] = (start, length)
        todo += [left, right]
    root_start = struct.unpack_from("<I", entries[0], 116)[0]
    structure |= set(ole.fat) | seen
    sector = minifat_start
    while sector < END and sector not in structure and len(structure) <= 2 * max_sectors:
        structure.add(sector)
        try:
            sector = ole.next_sector(data, sector)
        except struct.error:  # a chain past the FAT: found again when the stream is read
            break
    return Ole(
        ole.sector_size,
        ole.mini_size,
        mini_cutoff,
        ole.fat,
        root_start,
        streams,
        minifat_start,
        frozenset(structure),
        frozenset(seen),
    )


def ole_kind(names: set[str]) -> str:
    folded = {n.casefold() for n in names}
    if folded & {"encryptioninfo", "encryptedpackage"}:
        return "encrypted"
    if folded & {"workbook", "book"}:
        return "xls"
    if "worddocument" in folded:
        return "doc"
    return "ppt" if "powerpoint document" in folded else "ole"


def xls_has_filepass(data: bytes, ole: Ole) -> bool:
    """True when the workbook stream's BOF record is followed by FILEPASS (a password-protected .xls)."""
    folded = {k.casefold(): v for k, v in ole.streams.items()}
    start, length = folded.get("workbook") or folded.get("book") or (END, 0)
    if start >= END or length < 8:
        return False
    if length >= ole.mini_cutoff:
        offset = (start + 1) * ole.sector_size
    else:  # in the mini stream, whose sectors chain from the root entry's start sector
        skip, within = divmod(start * ole.mini_size, ole.sector_size)
        sector = ole.root_start
        for _ in range(min(skip, len(data) // ole.sector_size)):
            sector = ole.next_sector(data, sector)
        offset = (sector + 1) * ole.sector_size + within
    record = data[offset : offset + min(64, ole.mini_size, length)]
    if len(record) < 8:
        return False
    kind, size = struct.unpack_from("<HH", record)
    return kind in (0x0809, 0x0409, 0x0209, 0x0009) and record[4 + size : 6 + size] == b"\x2f\x00"


# --- messages ----------------------------------------------------------------------------
