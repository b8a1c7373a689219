"""Walks over the XML parts of OOXML and ODF spreadsheets, shared by the guard (which bounds a
sheet's used range before any parser runs) and the reader (which finds formula cells).

Regular expressions over bytes, never an XML parser: the parts may be hostile, and both walks
must stay linear whatever the input.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Iterator

ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*)>"""  # attributes up to the tag's end, quotes respected
ODS_TAG = re.compile(
    rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])" + ATTRS
)
ODS_REPEAT = re.compile(rb"""number-(?:rows|columns)-repeated\s*=\s*["']\s*0*([0-9]{1,12})\s*["']""")


def ods_attr(name: bytes) -> re.Pattern[bytes]:
    """An attribute of an ODS tag, with any namespace prefix, in either quotes."""
    return re.compile(rb"\s(?:[\w.\-]+:)?" + name + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""")


ODS_NAME = ods_attr(b"name")

# One event of an ODS content.xml walk: (kind, sheet, first row, rows, first column, columns,
# attributes). kind is "table" (a table opens: sheet is its name), "end" (a table closes) or
# "cell" (a cell or a covered cell, repeated over rows × columns from the given position).
OdsEvent = tuple[str, str, int, int, int, int, bytes]


def ods_events(blocks: Iterable[bytes]) -> Iterator[OdsEvent]:
    """The tables and cells of an ODS ``content.xml`` given in blocks that split no tag;
    positions count ``number-rows-repeated`` and ``number-columns-repeated``."""
    sheet = ""
    row = start = col = 0
    repeat = 1
    for block in blocks:
        for m in ODS_TAG.finditer(block):
            closing, tag, attrs = m.groups()
            if tag == b"table":
                if closing:
                    yield ("end", sheet, 0, 0, 0, 0, b"")
                    sheet = ""
                else:
                    found = ODS_NAME.search(attrs)
                    raw = b"" if found is None else (found.group(1) or found.group(2) or b"")
                    sheet = html.unescape(raw.decode("utf-8", "replace"))
                    yield ("table", sheet, 0, 0, 0, 0, b"")
                row = start = col = 0
                continue
            if closing:
                continue
            found = ODS_REPEAT.search(attrs)
            n = max(int(found.group(1)), 1) if found else 1
            if tag == b"table-row":
                start, repeat, row, col = row, n, row + n, 0
                continue
            yield ("cell", sheet, start, repeat, col, n, attrs)
            col += n


_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b[^>]*>")
_SHEET = re.compile(r"<(?:\w+:)?sheet\b[^>]*>")
_ID = re.compile(r'\bId\s*=\s*["\']([^"\']*)')
_TARGET = re.compile(r'\bTarget\s*=\s*["\']([^"\']*)')
_RID = re.compile(r'\br:id\s*=\s*["\']([^"\']*)')
_NAME = re.compile(r'\bname\s*=\s*["\']([^"\']*)')


def sheet_members(workbook_xml: str, rels_xml: str, folder: str = "xl/") -> dict[str, str]:
    """Sheet name → its XML member in an xlsx, from the workbook part and its rels; ``folder`` is
    the workbook's (``xl/`` as Excel writes it, another one when ``_rels/.rels`` says so)."""
    targets = {}
    for tag in _RELATIONSHIP.findall(rels_xml):
        rid, target = _ID.search(tag), _TARGET.search(tag)
        if rid and target:
            path = target.group(1)
            member = path.lstrip("/") if path.startswith("/") else f"{folder}{path}"
            targets[rid.group(1)] = posixpath.normpath(member)
    out: dict[str, str] = {}
    for tag in _SHEET.findall(workbook_xml):
        rid, name = _RID.search(tag), _NAME.search(tag)
        if rid and name and rid.group(1) in targets:
            out.setdefault(html.unescape(name.group(1)), targets[rid.group(1)])
    return out
