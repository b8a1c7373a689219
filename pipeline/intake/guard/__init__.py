"""The intake guard: the first code that touches an incoming return, before any parser.

A parser that crashes or runs out of memory takes the whole batch down (a 7.7 MB zip bomb
makes python-calamine run 39 s, reach 2.6 GB and abort with SIGABRT), so every file passes
here first. The guard tells the format by content (never by name), refuses what no reader
should see, and returns a :class:`GuardResult` of plain data. It never raises for bad input
and never modifies the file.

ZIP-based files (xlsx, xlsm, ods) are checked by :mod:`.zipcheck`; OLE2 files (``.xls``, and
password-protected OOXML) are told apart by the names of their root streams (:mod:`.ole`);
:mod:`.cells` bounds every sheet's used range; :mod:`.sniff` names what a file is.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.issues import Issue, issue
from pipeline.base.messages import notes
from pipeline.intake.guard.cells import TooManyCells, walk_biff
from pipeline.intake.guard.limits import CORRUPT_ERRORS, GuardLimits, GuardResult, Refused, corrupt, damage
from pipeline.intake.guard.ole import (
    Ole,
    cut_structure,
    ole_kind,
    padded,
    read_ole,
    xls_globals_encrypted,
    xls_has_filepass,
    xls_workbook_stream,
)
from pipeline.intake.guard.opc import identify, part_name
from pipeline.intake.guard.sniff import (
    EXTENSIONS,
    FORMATS,
    OLE_MAGIC,
    SPREADSHEET_EXTENSIONS,
    ZIP_MAGIC,
    head_mimetype,
    is_ignorable,
    kind_of_zip_stub,
    other_kind,
    zip_kind,
)
from pipeline.intake.guard.zipcheck import Found, inspect_zip, part_head, small_mimetype, small_part

__all__ = ["FORMATS", "GuardLimits", "GuardResult", "guard_file", "is_ignorable", "sniff_format"]


def sniff_format(head: bytes, names: list[str] | None) -> str | None:
    """The spreadsheet format of a file, by content: "xlsx", "xlsm", "xlsb", "xls", "ods" or None.

    ``head`` is the file's first bytes; ``names`` the member names of a ZIP or the root stream
    names of an OLE2 file. When ``names`` is None they are read from ``head`` if it holds the
    whole file. A macro declared only in ``[Content_Types].xml`` and a password-protected
    ``.xls`` are only seen by :func:`guard_file`.
    """
    kind: str | None = None
    try:
        if head.startswith(ZIP_MAGIC):
            mimetype = head_mimetype(head)
            if names is None:  # the whole file: what its package relationships or manifest say
                infos = zipfile.ZipFile(io.BytesIO(head)).infolist()
                by_part = {part_name(i.filename): i for i in infos}
                mimetype = mimetype or small_mimetype(head, infos)
                kind = identify(
                    by_part,
                    mimetype,
                    lambda name: small_part(head, by_part.get(name)),
                    lambda name: part_head(head, by_part.get(name)),
                ).kind
            else:
                kind = zip_kind(set(names), mimetype)
        elif head.startswith(OLE_MAGIC):
            kind = ole_kind(set(names) if names is not None else set(read_ole(padded(head)).streams))
    except (Refused, *CORRUPT_ERRORS):
        return None
    return kind if kind in FORMATS else None


def guard_file(path: Path, limits: GuardLimits | None = None, name: str | None = None) -> GuardResult:
    """Check one incoming file before any parser reads it. Raises only if the path is missing.

    ``name`` is the file as the analyst sees it (its path within the inbox; default its name).
    ``sha256`` and ``size`` describe the bytes read; only a file that cannot be read at all
    (permissions, a directory) yields FILE_UNREADABLE with an empty ``sha256``.
    """
    limits = limits or GuardLimits()
    name = name or path.name
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            with path.open("rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
            return _refused(path, name, _too_large(size, limits), digest, size)
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        found = issue(Code.FILE_UNREADABLE, variant="unopenable", file=name, reason=reason)
        return GuardResult(path, None, False, (found,), "", 0)
    digest, size = hashlib.sha256(data).hexdigest(), len(data)
    parts: dict[str, bytes] = {}
    try:
        inspected, warnings = _inspect(data, path, name, limits, parts)
    except Refused as refused:
        return _refused(path, name, refused, digest, size)
    except CORRUPT_ERRORS as exc:  # malformed containers: zipfile, zlib and struct errors
        return _refused(path, name, corrupt(damage(exc), type(exc).__name__), digest, size)
    return GuardResult(
        path,
        inspected.kind,
        True,
        tuple(warnings),
        digest,
        size,
        inspected.data or data,
        parts,
        inspected.workbook,
    )


def _too_large(size: int, limits: GuardLimits) -> Refused:
    return Refused(Code.FILE_TOO_LARGE, size=V.megabytes(size), limit=V.megabytes(limits.max_file_bytes))


def _refused(path: Path, name: str, refused: Refused, digest: str, size: int) -> GuardResult:
    found = issue(refused.code, file=name, value=refused.value or None, **refused.slots)
    return GuardResult(path, None, False, (found,), digest, size)


def _xls(data: bytes, ole: Ole, limits: GuardLimits) -> str:
    """The kind of an OLE2 workbook: "xls", or "encrypted" when it has a password to open;
    raises Refused for too many cells."""
    if xls_has_filepass(data, ole):  # the usual place, read without assembling the stream
        return "encrypted"
    stream = xls_workbook_stream(data, ole)
    if xls_globals_encrypted(stream):
        return "encrypted"
    try:
        walk_biff(stream, limits.max_cells)
    except TooManyCells as too_many:
        detail = too_many.detail(too_many.sheet, limits)
        raise Refused(Code.FILE_TOO_MANY_CELLS, too_many.sheet, detail=detail) from None
    return "xls"


def _inspect(
    data: bytes, path: Path, name: str, limits: GuardLimits, parts: dict[str, bytes]
) -> tuple[Found, list[Issue]]:
    """The format (with its main part, and the bytes to read when not the file's) and warnings
    of an acceptable file; raises Refused otherwise.

    ``parts`` receives the inflated XML parts the reader looks at again."""
    ext = path.suffix.lower()
    if not data:
        raise Refused(Code.FILE_EMPTY)
    if len(data) > limits.max_file_bytes:  # the file grew after stat()
        raise _too_large(len(data), limits)
    found = Found("")
    if data.startswith(b"PK"):
        found = (
            inspect_zip(data, limits, parts) if data.startswith(ZIP_MAGIC) else Found(kind_of_zip_stub(data))
        )
        fmt = found.kind
    elif data.startswith(OLE_MAGIC):
        whole = padded(data)
        ole = read_ole(whole)
        if cut_structure(data, ole):
            raise corrupt(notes.OLE_STRUCTURE_CUT)
        fmt = ole_kind(set(ole.streams))
        if fmt == "xls":
            fmt = _xls(whole, ole, limits)
    else:
        fmt = other_kind(data)
    if fmt == "encrypted":
        raise Refused(Code.FILE_ENCRYPTED)
    if fmt in notes.OLD_EXCEL:
        raise Refused(Code.FILE_OLD_FORMAT, version=notes.OLD_EXCEL[fmt])
    if fmt not in FORMATS:
        if fmt == "unknown" and ext in SPREADSHEET_EXTENSIONS:
            raise corrupt(notes.CONTENT_UNKNOWN)
        what, hint = notes.FILE_KINDS.get(fmt, notes.FILE_KINDS["unknown"])
        raise Refused(Code.FILE_UNSUPPORTED, what=what, hint=hint)
    warnings = []
    if ext not in EXTENSIONS[fmt]:
        suffix = notes.SUFFIX.format(suffix=path.suffix) if path.suffix else notes.NO_SUFFIX
        warnings.append(
            issue(Code.FILE_EXTENSION_MISMATCH, file=name, suffix=suffix, format=notes.FORMAT_NAMES[fmt])
        )
    if fmt == "xlsm":
        warnings.append(issue(Code.FILE_MACRO, file=name))
    return found._replace(kind=fmt), warnings
