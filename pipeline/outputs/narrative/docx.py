"""The narrative report as a Word document in the form of Nghị định 30/2020/NĐ-CP (Phụ lục I).

Layout only: the words come from the message catalogue (:mod:`pipeline.base.messages.report`)
and the vocabulary, the body from :mod:`.compose`. A4 portrait,
margins 20/20/30/15 mm, Times New Roman (Unicode) throughout, body 14 pt justified with a
first-line indent, page numbers from page 2 in the header's centre. The header is a borderless
two-column table: the issuing body and ``Số:`` on the left, the national motto, its tiêu ngữ and
the place-and-date line on the right, each name with its rule under it. ``Nơi nhận`` and the
signature block close the document side by side. The same data give the same file, byte for
byte (zip entries dated ``made_on``).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Emu, Length, Mm, Pt, RGBColor, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from pipeline.base import vocabulary as V
from pipeline.base.messages import report as R
from pipeline.outputs.narrative.compose import Block, body, period_phrase, summary_line
from pipeline.outputs.narrative.data import NarrativeData

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13  # issuing body, tiêu ngữ, Số, date line, page number
MOTTO_PT = 12  # the national motto fits its column on one line at 12 pt
COPIES_LABEL_PT, COPIES_PT = 12, 11  # Nơi nhận: label 12 pt bold italic, list 11 pt
MARK_PT = 12
MARK_COLOUR = RGBColor(0xC0, 0x00, 0x00)

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
HEADER_DISTANCE, FOOTER_DISTANCE = Mm(10), Mm(10)
TEXT_WIDTH = Mm(210 - 30 - 15)
INDENT = Mm(12.7)  # first-line indent, 1,27 cm
BLOCK_LEFT, BLOCK_RIGHT = Mm(62), Mm(103)  # header table columns: issuing body | motto
COPIES_LEFT, COPIES_RIGHT = Mm(80), Mm(85)  # Nơi nhận | signature
HEADER_LINE = Pt(16)  # at least: the two header columns keep the same line grid
# Rules: the tiêu ngữ's is as long as its text (13 pt bold Times New Roman, measured on the PDF
# LibreOffice writes); the others 1/3 to 1/2 of the text above them.
TIEU_NGU_RULE = Mm(56)
AUTHORITY_RULE = Mm(24)
SUMMARY_RULE = Mm(50)
STYLE_TABS = (Twips(4680), Twips(9360))
SIGNATURE_SPACE = 4  # empty 14 pt lines between the signer's title and name (signature, seal)

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# a hyphen inside a word ("2023-Q4", "BC-UBND") never ends a line; one between spaces may
_PIECES = re.compile(r"((?<=\S)-(?=\S)|\t|\r\n|\n|\r)")


def _clean(text: str) -> str:
    """Text as it can live in XML: control characters (never printed) are dropped."""
    return _XML_ILLEGAL.sub("", text)


def _put_text(r: BaseOxmlElement, text: str) -> None:
    """Text into a run: tabs, line breaks and non-breaking hyphens as Word's own elements
    (python-docx and LibreOffice read each back as the character it stands for)."""
    for piece in _PIECES.split(_clean(text)):
        if not piece:
            continue
        tag = {"-": "w:noBreakHyphen", "\t": "w:tab"}.get(
            piece, "w:br" if piece in ("\n", "\r", "\r\n") else ""
        )
        if tag:
            r.append(OxmlElement(tag))
            continue
        t = OxmlElement("w:t")
        t.text = piece
        t.set(qn("xml:space"), "preserve")
        r.append(t)


# --- runs and paragraphs -----------------------------------------------------------------------


def _fonts(rpr: BaseOxmlElement) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _run(
    par: Paragraph,
    text: str,
    size: float,
    bold: bool = False,
    italic: bool = False,
    colour: RGBColor | None = None,
) -> None:
    run = par.add_run()
    _put_text(run._r, text)
    run.font.name = FONT
    _fonts(run._r.get_or_add_rPr())
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    if colour is not None:
        run.font.color.rgb = colour


def _format(
    par: Paragraph,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    indent: Length | None = None,
    line: Length | float | None = None,
    keep: bool = False,
) -> Paragraph:
    pf = par.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if indent is not None:
        pf.first_line_indent = indent
    if isinstance(line, Length):
        pf.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        pf.line_spacing = line
    elif line is not None:
        pf.line_spacing = line
    if keep:
        pf.keep_with_next = True
    return par


def _line(
    container: DocxDocument | _Cell,
    text: str,
    size: float,
    bold: bool = False,
    italic: bool = False,
    first: bool = False,
    **fmt: object,
) -> Paragraph:
    """One paragraph of one run; ``first`` reuses the empty paragraph a new cell starts with."""
    par = container.paragraphs[0] if first else container.add_paragraph()
    _format(par, **fmt)  # type: ignore[arg-type]
    _run(par, text, size, bold, italic)
    return par


def _rule(container: DocxDocument | _Cell, length: Length, width: Length) -> Paragraph:
    """A centred horizontal rule ``length`` long: an empty paragraph's bottom border, indented."""
    par = container.add_paragraph()
    side = Emu(max(0, (width - length) // 2))
    pf = par.paragraph_format
    pf.left_indent, pf.right_indent = side, side
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(5)  # clear of the descenders above
    ppr = par._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")
    _run(par, "", 2)
    return par


# --- tables ------------------------------------------------------------------------------------


def _grid(doc: DocxDocument, widths: Sequence[Length]) -> Table:
    """A one-row borderless table of fixed column widths that never splits across pages."""
    table = doc.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:w"), str(sum(int(w) for w in widths) // 635))  # EMU → twentieths of a point
    tblw.set(qn("w:type"), "dxa")
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tblpr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    return table


def _title_block(doc: DocxDocument, data: NarrativeData) -> None:
    loc = data.locality
    left, right = _grid(doc, (BLOCK_LEFT, BLOCK_RIGHT)).rows[0].cells
    lines = [(line, False) for line in ([loc.superior] if loc.superior else [])]
    lines += [(line, True) for line in loc.header]
    for n, (text, bold) in enumerate(lines):
        _line(left, text, HEADER_PT, bold=bold, first=n == 0, line=HEADER_LINE)
    _rule(left, AUTHORITY_RULE, BLOCK_LEFT)
    number = R.NUMBER_LINE.format(number=V.BLANK, symbol=loc.report.symbol)
    _line(left, number, HEADER_PT, before=4, line=HEADER_LINE)

    _line(right, V.MOTTO, MOTTO_PT, bold=True, first=True, line=HEADER_LINE)
    if loc.superior:  # keep the tiêu ngữ's rule level with the issuing body's
        _line(right, V.TIEU_NGU, HEADER_PT, bold=True, line=HEADER_LINE)
        _line(right, "", HEADER_PT, line=HEADER_LINE)
    else:
        _line(right, V.TIEU_NGU, HEADER_PT, bold=True, line=HEADER_LINE)
    _rule(right, TIEU_NGU_RULE, BLOCK_RIGHT)
    date_line = date_line_of(data)
    _line(right, date_line, HEADER_PT, italic=True, before=4, line=HEADER_LINE)


def date_line_of(data: NarrativeData) -> str:
    """The place-and-date line: the day and month blank for the office, the year of ``made_on``."""
    loc = data.locality
    return R.DATE_LINE.format(place=loc.place, day=V.BLANK, month=V.BLANK, year=data.made_on.year)


def _heading(doc: DocxDocument, data: NarrativeData) -> None:
    _line(doc, V.REPORT_WORD, BODY_PT, bold=True, before=18, keep=True)
    # the period on a line of its own: "… (DTI)" / "Quý IV năm 2023", never a lone "2023"
    summary, phrase = summary_line(data), period_phrase(data)
    par = _line(doc, summary.removesuffix(phrase).rstrip() + "\n", BODY_PT, bold=True, keep=True)
    _run(par, phrase, BODY_PT, bold=True)
    _rule(doc, SUMMARY_RULE, TEXT_WIDTH).paragraph_format.keep_with_next = True
    recipient = f"{V.RECIPIENT_LABEL} {data.locality.report.recipient}"
    _line(doc, recipient, BODY_PT, before=12, after=12)


def _body(doc: DocxDocument, blocks: Sequence[Block]) -> None:
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    for n, block in enumerate(blocks):
        heading, note = block.kind in ("h1", "h2"), block.kind == "note"
        if note:  # a one-line reference, centred like the plan's "(Chi tiết … kèm theo)"
            par = _format(doc.add_paragraph(), before=0, after=6, indent=Mm(0))
        else:
            par = _format(doc.add_paragraph(), justify, before=6 if heading else 0, after=6, indent=INDENT)
        par.paragraph_format.line_spacing = 1.15
        # a heading, a line that opens a list, and the last paragraph (with the signature) stay
        # with what follows them
        par.paragraph_format.keep_with_next = heading or block.text.endswith(":") or n == len(blocks) - 1
        _run(par, block.text, BODY_PT, bold=heading, italic=note)


def _closing_block(doc: DocxDocument, data: NarrativeData) -> None:
    loc = data.locality
    left, right = _grid(doc, (COPIES_LEFT, COPIES_RIGHT)).rows[0].cells
    left_align = WD_ALIGN_PARAGRAPH.LEFT
    _line(
        left, V.COPIES_LABEL, COPIES_LABEL_PT, bold=True, italic=True, first=True, align=left_align, before=6
    )
    form = loc.report
    copies = [R.COPY_AS_ABOVE, *(R.COPY_LINE.format(recipient=c.rstrip(" ;.")) for c in form.copies)]
    copies.append(R.ARCHIVE_LINE.format(archive=form.archive))
    for line in copies:
        _line(left, line, COPIES_PT, align=left_align)

    titles = [t for t in (form.signer.authority, form.signer.title) if t]
    for n, title in enumerate(titles):
        _line(right, title, BODY_PT, bold=True, first=n == 0, before=6 if n == 0 else 0)
    for _ in range(SIGNATURE_SPACE):
        _line(right, "", BODY_PT)
    _line(right, form.signer.name or V.SIGNER_BLANK, BODY_PT, bold=True)


# --- page -------------------------------------------------------------------------------------


def _page_number(par: Paragraph) -> None:
    """A PAGE field (Word and LibreOffice fill it in)."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = par.add_run()
        run.font.name = FONT
        _fonts(run._r.get_or_add_rPr())
        run.font.size = Pt(HEADER_PT)
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text or ""


def _header_line(par: Paragraph) -> Paragraph:
    """One header line: centre tab for the page number, right tab for the sample mark."""
    _format(par, align=WD_ALIGN_PARAGRAPH.LEFT)
    tabs = par.paragraph_format.tab_stops
    for pos in STYLE_TABS:  # the template's Header style has US Letter tabs: cleared
        tabs.add_tab_stop(pos, WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(Emu(TEXT_WIDTH // 2), WD_TAB_ALIGNMENT.CENTER)
    tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    return par


def _page(section: Section, sample: bool) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance, section.footer_distance = HEADER_DISTANCE, FOOTER_DISTANCE
    section.gutter = Mm(0)
    # no number on the first page (Nghị định 30: from page 2, centred in the top margin)
    section.different_first_page_header_footer = True
    first = _header_line(section.first_page_header.paragraphs[0])
    number = _header_line(section.header.paragraphs[0])
    _run(number, "\t", HEADER_PT)
    _page_number(number)
    if sample:
        for par in (first, number):
            _run(par, "\t\t" if par is first else "\t", HEADER_PT)
            _run(par, V.SAMPLE_MARK, MARK_PT, bold=True, colour=MARK_COLOUR)


def _styles(doc: DocxDocument) -> None:
    """Times New Roman 14 pt, Vietnamese, for everything that does not say otherwise."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr)
    for el in rpr.findall(qn("w:sz")) + rpr.findall(qn("w:szCs")):
        el.set(qn("w:val"), str(BODY_PT * 2))
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        for attr in ("w:val", "w:eastAsia"):
            lang.set(qn(attr), "vi-VN")
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
    for name in ("Normal", "Header", "Footer"):
        font = doc.styles[name].font
        font.name = FONT
        font.size = Pt(BODY_PT)
        _fonts(doc.styles[name].element.get_or_add_rPr())


def _properties(doc: DocxDocument, data: NarrativeData) -> None:
    loc, period = data.locality, data.period
    made = datetime(data.made_on.year, data.made_on.month, data.made_on.day)
    props = doc.core_properties
    title = R.DOC_TITLE.format(report=V.REPORT_WORD, summary=V.lower_first(summary_line(data)))
    admin = R.DOC_ADMIN.format(admin_code=loc.admin_code) if loc.admin_code else ""
    subject = R.DOC_SUBJECT.format(code=loc.code, admin=admin, period=period.id)
    if data.sample:
        title = R.SAMPLE_TITLE.format(mark=V.SAMPLE_MARK, title=title)
        subject = R.DOC_SUBJECT_SAMPLE.format(subject=subject, mark=V.SAMPLE_MARK)
    props.title = title
    props.subject = subject
    props.author = loc.name
    props.last_modified_by = loc.name
    props.keywords = R.DOC_KEYWORDS.format(code=loc.code, period=period.id)
    props.category = R.DOC_CATEGORY
    props.comments = ""
    props.language = "vi-VN"
    props.identifier = data.file_name
    props.revision = 1
    props.created = props.modified = made
    props.last_printed = made
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):  # python-docx's own picture
            package.rels.pop(rid)


def build(data: NarrativeData) -> DocxDocument:
    """The report as a python-docx document (not saved)."""
    doc = Document()
    _styles(doc)
    _page(doc.sections[0], data.sample)
    _title_block(doc, data)
    _heading(doc, data)
    _body(doc, body(data))
    _closing_block(doc, data)
    # a document ends with a paragraph, not a table (Word adds one otherwise): a small empty one
    _format(doc.add_paragraph(), line=Pt(2)).paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    _properties(doc, data)
    return doc


def _stable_zip(raw: bytes, when: datetime) -> bytes:
    """The same package with every entry dated ``when`` (python-docx dates them now)."""
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_narrative(data: NarrativeData, path: Path) -> Path:
    """Write the narrative report to ``path`` (a ``.docx`` file, or a folder: then the file is
    ``BaoCao_DTI_<code>_<period>.docx`` in it); return the file written.

    Written next to the target and moved in place, so a failure leaves any older file whole.
    """
    path = Path(path)
    target = path / data.file_name if path.is_dir() else path
    buffer = io.BytesIO()
    build(data).save(buffer)
    made = datetime(data.made_on.year, data.made_on.month, data.made_on.day)
    payload = _stable_zip(buffer.getvalue(), made)
    tmp = target.with_name(f".{target.name}.tmp")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_bytes(payload)
    os.replace(tmp, target)
    return target
