"""What a ZIP package is, by the rules of its format rather than by fixed member names.

- OOXML (ECMA-376 Part 2, Open Packaging Conventions): the package relationships part
  ``_rels/.rels`` names the main part (the relationship whose type ends in
  ``/officeDocument``), and ``[Content_Types].xml`` gives that part's content type: a workbook
  (``.xlsx``, ``.xlsm``, ``.xlsb``), a Word document, a presentation. Part names compare
  case-insensitively, and some writers store them with backslashes (``xl\\workbook.xml``); they
  are compared here as python-calamine looks them up: ``\\`` read as ``/``, ASCII lower case.
- ODF (OpenDocument 1.2, Part 3): the ``mimetype`` member, else the media type of the root entry
  (``manifest:full-path="/"``) of ``META-INF/manifest.xml``; a manifest entry holding
  ``encryption-data`` belongs to a password-protected document.

The parts read here are small (at most :data:`SMALL` bytes, as declared, through the guard's
bounded reader) and only searched with regular expressions, never parsed as XML.
"""

from __future__ import annotations

import html
import posixpath
import re
import string
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import NamedTuple

from pipeline.intake.guard.sniff import zip_kind

SMALL = 1024 * 1024  # a relationships part, content types or manifest larger than this is not real
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

Read = Callable[[str], bytes]  # a part's bytes by normalized name; b"" when absent or unreadable


def part_name(name: str) -> str:
    """A member name as the reader looks it up: backslashes read as slashes, ASCII lower case."""
    return name.replace("\\", "/").translate(_LOWER)


def resolve(base: str, target: str) -> str:
    """A relationship target as a normalized part name; ``base`` is the source part's folder."""
    target = target.strip()
    if "&" in target:
        target = html.unescape(target)
    if target.startswith("/"):
        path = target[1:]
    elif "./" in target or "//" in target:
        path = posixpath.normpath(base + target)
    else:
        path = base + target
    return part_name(path.lstrip("/"))


_RELATIONSHIP = re.compile(rb"<(?:[\w.\-]+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb"""\b(Id|Type|Target|TargetMode)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class Relationship(NamedTuple):
    id: str
    type: str
    target: str


def relationships(xml: bytes) -> list[Relationship]:
    """Every internal relationship of a ``.rels`` part."""
    out = []
    for tag in _RELATIONSHIP.findall(xml):
        attrs = {key: double or single for key, double, single in _ATTR.findall(tag)}
        kind, target = attrs.get(b"Type"), attrs.get(b"Target")
        if kind is not None and target is not None and attrs.get(b"TargetMode", b"").lower() != b"external":
            rid = attrs.get(b"Id", b"")
            out.append(
                Relationship(
                    rid.decode("utf-8", "replace"),
                    kind.decode("utf-8", "replace"),
                    target.decode("utf-8", "replace"),
                )
            )
    return out


def rels_of(part: str) -> str:
    """The relationships part of ``part``: ``xl/workbook.xml`` → ``xl/_rels/workbook.xml.rels``."""
    folder, name = posixpath.split(part)
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


_OVERRIDE = re.compile(rb"<(?:[\w.\-]+:)?Override\b([^>]*)>")
_DEFAULT = re.compile(rb"<(?:[\w.\-]+:)?Default\b([^>]*)>")
_PART = re.compile(rb"""\bPartName\s*=\s*["']([^"']*)""")
_EXT = re.compile(rb"""\bExtension\s*=\s*["']([^"']*)""")
_CTYPE = re.compile(rb"""\bContentType\s*=\s*["']([^"']*)""")


def content_type(types_xml: bytes, part: str) -> str:
    """The content type ``[Content_Types].xml`` gives ``part`` (an Override, else a Default), lower case."""
    for tag, key in ((_OVERRIDE, _PART), (_DEFAULT, _EXT)):
        for m in tag.finditer(types_xml):
            name, ctype = key.search(m.group(1)), _CTYPE.search(m.group(1))
            if not name or not ctype:
                continue
            value = name.group(1).decode("utf-8", "replace")
            if (tag is _OVERRIDE and resolve("", value) == part) or (
                tag is _DEFAULT and part.endswith("." + value.translate(_LOWER))
            ):
                return ctype.group(1).decode("utf-8", "replace").translate(_LOWER)
    return ""


# The main part's content type → kind (ECMA-376 Part 1 §11-13, [MS-XLSB] 2.1.1, [MS-OFFMACRO2]).
_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.main+xml": "xlsm",
    "application/vnd.ms-excel.template.macroenabled.main+xml": "xlsm",
    "application/vnd.ms-excel.addin.macroenabled.main+xml": "xlsm",
    "application/vnd.ms-excel.sheet.binary.macroenabled.main": "xlsb",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "docx",
    "application/vnd.ms-word.document.macroenabled.main+xml": "docx",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "pptx",
    "application/vnd.ms-powerpoint.presentation.macroenabled.main+xml": "pptx",
}
_MAIN_NAMES = {
    "workbook.xml": "xlsx",
    "workbook.bin": "xlsb",
    "document.xml": "docx",
    "presentation.xml": "pptx",
}
_SPREADSHEETS = ("xlsx", "xlsm", "xlsb")

_ROOT_ENTRY = re.compile(rb"<(?:[\w.\-]+:)?file-entry\b[^>]*?full-path\s*=\s*[\"']/[\"'][^>]*>")
_MEDIA_TYPE = re.compile(rb"""media-type\s*=\s*["']([^"']*)""")
_ENCRYPTION = re.compile(rb"<(?:[\w.\-]+:)?encryption-data\b")
CONTENT_TYPES, PACKAGE_RELS, MANIFEST = "[content_types].xml", "_rels/.rels", "meta-inf/manifest.xml"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODF_OFFICE = b"urn:oasis:names:tc:opendocument:xmlns:office:"
_ODF_SPREADSHEET = re.compile(rb"<(?:[\w.\-]+:)?spreadsheet[\s/>]")


def _is_ods_content(head: bytes) -> bool:
    """The start of an ODF ``content.xml`` whose body is a spreadsheet."""
    return _ODF_OFFICE in head and bool(_ODF_SPREADSHEET.search(head))


@dataclass(frozen=True)
class Package:
    """What a ZIP package is: its kind, and for a workbook the parts the reader reads."""

    kind: str
    workbook: str = ""  # the main part (normalized), "" when not a workbook
    # The parts python-calamine reads as sheets: XML sheets of an .xlsx (from the workbook's
    # relationships, wherever they point) and binary sheets of an .xlsb.
    xml_sheets: frozenset[str] = frozenset()
    binary_sheets: frozenset[str] = frozenset()
    # An ODS the reader takes only with a ``mimetype`` member naming exactly a spreadsheet and a
    # manifest: one without them (ODF makes the first optional) is read from a copy that has them.
    needs_copy: bool = False
    encrypted: bool = False  # an ODF package whose manifest declares encryption
    package_rels: bool = False  # ``_rels/.rels`` is there (the reader may then read it as OOXML)


def identify(names: Collection[str], mimetype: bytes, read: Read, head: Read | None = None) -> Package:
    """The kind and main part of a package whose normalized member names are ``names``.

    ``read`` gives a small part whole, ``head`` the first bytes of a part of any size."""
    has_rels = PACKAGE_RELS in names
    if mimetype or MANIFEST in names:
        manifest = read(MANIFEST) if MANIFEST in names else b""
        media = mimetype
        if not media:
            root = _ROOT_ENTRY.search(manifest)
            found = _MEDIA_TYPE.search(root.group(0)) if root else None
            media = found.group(1).strip() if found else b""
        if media.startswith(b"application/vnd.oasis.opendocument"):
            encrypted = bool(_ENCRYPTION.search(manifest))
            copy = mimetype != ODS_MIMETYPE or MANIFEST not in names
            return Package(
                zip_kind(set(), media), needs_copy=copy, encrypted=encrypted, package_rels=has_rels
            )
    main = ""
    if has_rels:
        for rel in relationships(read(PACKAGE_RELS)):
            if rel.type.endswith("/officeDocument"):
                main = resolve("", rel.target)
                break
    kind = ""
    if main in names:  # by its usual name; else by its content type (read here, as it is needed)
        kind = _MAIN_NAMES.get(posixpath.basename(main), "")
        if not kind and CONTENT_TYPES in names:
            kind = _MAIN_TYPES.get(content_type(read(CONTENT_TYPES), main), "")
    if not kind:  # no package relationships, or they name no known part: by the usual names
        kind = zip_kind(set(names), b"")
        main = {"xlsx": "xl/workbook.xml", "xlsm": "xl/workbook.xml", "xlsb": "xl/workbook.bin"}.get(kind, "")
    if kind == "zip" and "content.xml" in names and head is not None and _is_ods_content(head("content.xml")):
        return Package("ods", needs_copy=True, package_rels=has_rels)  # neither mimetype nor manifest
    if kind == "xlsx" and posixpath.join(posixpath.dirname(main), "vbaproject.bin") in names:
        kind = "xlsm"
    return Package(kind, main if kind in _SPREADSHEETS else "", package_rels=has_rels)


def macro_kind(kind: str, types_xml: bytes, workbook: str) -> str:
    """The kind of an .xlsx after its content types: macro-enabled ("xlsm") when its workbook's
    own content type says so or, when the workbook has none known, any declared type does."""
    if kind != "xlsx":
        return kind
    own = _MAIN_TYPES.get(content_type(types_xml, workbook)) if workbook else None
    if own is not None:
        return own if own in ("xlsx", "xlsm") else kind
    return "xlsm" if b"macroenabled" in types_xml.lower() else kind


def with_sheets(package: Package, names: Collection[str], read: Read) -> Package:
    """``package`` with the parts the reader reads as sheets.

    python-calamine's xlsx reader takes the folder of the ``officeDocument`` target and reads
    ``<folder>workbook.xml`` and ``<folder>_rels/workbook.xml.rels``, whose worksheet, chartsheet
    and dialogsheet targets are its sheets; its xlsb reader reads ``xl/workbook.bin`` and every
    target of ``xl/_rels/workbook.bin.rels`` under ``xl/worksheets/``, ``xl/chartsheets/`` or
    ``xl/dialogsheets/``. Both sets are taken here (and the main part's own relationships),
    whichever kind the package claims: the reader tries each format in turn.
    """
    folder = posixpath.dirname(package.workbook) + "/" if "/" in package.workbook else ""
    xml: set[str] = set()
    if package.workbook:
        for rels in {rels_of(package.workbook), f"{folder}_rels/workbook.xml.rels"} & set(names):
            for rel in relationships(read(rels)):
                if rel.type.rsplit("/", 1)[-1] in ("worksheet", "chartsheet", "dialogsheet"):
                    xml.add(resolve(folder, rel.target))  # as the format means it
                    xml.add(part_name(folder + rel.target.strip()))  # as the reader looks it up
    binary: set[str] = set()
    if "xl/workbook.bin" in names:
        binary = {n for n in names if n.startswith(("xl/worksheets/", "xl/chartsheets/", "xl/dialogsheets/"))}
    return Package(
        package.kind,
        package.workbook,
        frozenset(xml & set(names)),
        frozenset(binary & set(names)),
        package.needs_copy,
        package.encrypted,
        package.package_rels,
    )
