"""Formula cells of a return: saved without a computed value, or reading another workbook.

Both scans work on the XML parts the guard already inflated (never the zip again): most
returns have no formula at all, so the sheet XML is searched for a formula first.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping

from pipeline.base.text import a1
from pipeline.intake.guard.opc import part_name
from pipeline.intake.parts import ods_attr, ods_events, sheet_members

Cells = dict[str, set[str]]  # sheet name → A1 cells

_CELL_RE = re.compile(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
_REF_RE = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_FORMULA_RE = re.compile(rb"<f[ >/]")
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
    with_formulas = {
        n: x for n, x in parts.items() if n not in (workbook, rels_name) and _FORMULA_RE.search(x)
    }
    if not with_formulas:
        return {}, {}
    book, rels = parts.get(workbook), parts.get(rels_name)
    if book is None or rels is None:
        return {}, {}
    members = sheet_members(book.decode("utf-8", "replace"), rels.decode("utf-8", "replace"), folder)
    for sheet, member in members.items():
        xml = with_formulas.get(part_name(posixpath.normpath(member)))
        if xml is None:
            continue
        for m in _CELL_RE.finditer(xml):
            body = m.group(3) or b""
            if not _FORMULA_RE.search(body):
                continue
            ref = _REF_RE.search(m.group(1))
            if not ref:
                continue
            if not re.search(rb"<v>[^<]", body) and b"<is>" not in body:
                missing.setdefault(sheet, set()).add(ref.group(1).decode())
            else:
                text = _F_TEXT_RE.search(body)
                if text and _EXTERNAL_RE.search(
                    html.unescape(text.group(1).decode("utf-8", "replace")).encode()
                ):
                    external.setdefault(sheet, set()).add(ref.group(1).decode())
    return missing, external


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
