"""Formula cells of a return: saved without a computed value, or reading another workbook.

Both scans work on the XML parts the guard already inflated (never the zip again): most
returns have no formula at all, so the sheet XML is searched for a formula first.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator, Mapping

from pipeline.base.text import a1
from pipeline.intake.guard.opc import part_name
from pipeline.intake.parts import ods_attr, ods_events, sheet_members

Cells = dict[str, set[str]]  # sheet name → A1 cells

_CELL_RE = re.compile(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
_REF_RE = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_FORMULA_RE = re.compile(rb"<f[ >/]")
_CELL_OPENS = (b" ", b"\t", b"\n", b"\r", b">", b"/")  # what may follow "<c" in a cell's tag
_XML_ENTITIES = re.compile(rb"&(?:amp|quot|lt|gt|apos);")
_VALUE_RE = re.compile(rb"<v>[^<]")
_F_TEXT_RE = re.compile(rb"<f\b[^>]*>(.*?)</f>", re.S)
# A formula reading another workbook: "[1]Sheet1!A1", "'[other.xlsx]My sheet'!A1", or a DDE
# link "cmd|' /C calc'!A0". Structured references (Table1[Col]) are not matched.
_EXTERNAL_RE = re.compile(rb"\[[^\]]+\](?:[^\[\]!'()+\-*/^&=<>,;\s]*|[^\[\]!']*')!|[A-Za-z0-9_.]\|")
_ODS_FORMULA, _ODS_VALUE_TYPE = ods_attr(b"formula"), ods_attr(b"value-type")


def xlsx_formula_cells(parts: Mapping[str, bytes], workbook: str = "xl/workbook.xml") -> tuple[Cells, Cells]:
    """For xlsx, per sheet name: the cells holding a formula with no cached value, and the
    cells whose formula reads another workbook. ``parts`` are by normalized name (lower case);
    ``workbook`` is the main part (``xl/workbook.xml`` unless ``_rels/.rels`` says otherwise)."""
    missing: Cells = {}
    external: Cells = {}
    folder, name = posixpath.split(workbook)
    folder = folder + "/" if folder else ""
    rels_name = f"{folder}_rels/{name}.rels"
    book, rels = parts.get(workbook), parts.get(rels_name)
    if book is None or rels is None or not any(_FORMULA_RE.search(x) for x in parts.values()):
        return {}, {}
    members = sheet_members(book.decode("utf-8", "replace"), rels.decode("utf-8", "replace"), folder)
    for sheet, member in members.items():
        key = part_name(posixpath.normpath(member))
        xml = None if key in (workbook, rels_name) else parts.get(key)
        if xml is None or not _FORMULA_RE.search(xml):
            continue
        for m in _formula_cells(xml):
            body = m.group(3) or b""
            ref = _REF_RE.search(m.group(1))
            if not ref:
                continue
            if not _VALUE_RE.search(body) and b"<is>" not in body:
                missing.setdefault(sheet, set()).add(ref.group(1).decode())
            elif _reads_another_file(body):
                external.setdefault(sheet, set()).add(ref.group(1).decode())
    return missing, external


def _reads_another_file(body: bytes) -> bool:
    """Whether a cell's formula reads another workbook. A formula with no ``[`` or ``|``, even
    once its character references are unescaped, cannot (``&amp;``, ``&quot;`` and the other
    three XML entities stand for none of them), and is not unescaped and searched."""
    text = _F_TEXT_RE.search(body)
    if text is None:
        return False
    raw = text.group(1)
    if b"[" not in raw and b"|" not in raw and b"&" not in _XML_ENTITIES.sub(b"", raw):
        return False
    return bool(_EXTERNAL_RE.search(html.unescape(raw.decode("utf-8", "replace")).encode()))


def _formula_cells(xml: bytes) -> Iterator[re.Match[bytes]]:
    """The ``<c>`` elements of a sheet's XML that hold a formula, in order.

    A template has a dozen formula cells among hundreds of cells, so the walk starts from each
    ``<f`` and goes back to the ``<c`` that opens its cell, instead of matching every cell."""
    after = 0  # the end of the last cell given: a formula before it belongs to that cell
    for f in _FORMULA_RE.finditer(xml):
        if f.start() < after:
            continue
        start = f.start()
        while True:
            start = xml.rfind(b"<c", after, start)
            if start < 0 or xml[start + 2 : start + 3] in _CELL_OPENS:
                break
        if start < 0:
            continue
        cell = _CELL_RE.match(xml, start)
        if cell is None or cell.end() <= f.start():
            continue
        after = cell.end()
        if _FORMULA_RE.search(cell.group(3) or b""):
            yield cell


def ods_formula_cells(parts: Mapping[str, bytes], max_rows: int, max_cols: int) -> tuple[Cells, Cells]:
    """For ods, per sheet name: formula cells saved without a value (no ``office:value-type``),
    and formula cells reading another file (``'file:///…'#$Sheet1.A1``, ``DDE(…)``).

    Positions count ``number-rows-repeated`` and ``number-columns-repeated``, as the reader
    does; only cells within the part that is read (``max_rows`` × ``max_cols``) are recorded.
    """
    content = parts.get("content.xml", b"")
    missing: Cells = {}
    external: Cells = {}
    if b"formula" not in content:
        return missing, external
    for kind, sheet, start, repeat, col, n, attrs in ods_events([content]):
        if kind != "cell":
            continue
        formula = _ODS_FORMULA.search(attrs)
        if formula and start < max_rows and col < max_cols:
            text = html.unescape((formula.group(1) or formula.group(2) or b"").decode("utf-8", "replace"))
            if not _ODS_VALUE_TYPE.search(attrs):
                into: Cells | None = missing
            elif "#$" in text or "DDE(" in text.upper():
                into = external
            else:
                into = None
            if into is not None:
                cells = into.setdefault(sheet, set())
                for r in range(start, min(start + repeat, max_rows)):
                    cells.update(a1(r, c) for c in range(col, min(col + n, max_cols)))
    return missing, external
