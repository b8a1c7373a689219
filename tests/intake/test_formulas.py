"""The xlsx formula scan on sheet XML written by hand: every way a cell can hold a formula."""

from __future__ import annotations

from pipeline.intake.formulas import xlsx_formula_cells

_BOOK = (
    '<workbook xmlns:r="r"><sheets><sheet name="Nhiệm vụ" sheetId="1" r:id="rId1"/>'
    '<sheet name="Chỉ số" sheetId="2" r:id="rId2"/></sheets></workbook>'
)
_RELS = (
    '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>'
)


def _parts(sheet1: str, sheet2: str = "<worksheet><sheetData/></worksheet>") -> dict[str, bytes]:
    return {
        "xl/workbook.xml": _BOOK.encode(),
        "xl/_rels/workbook.xml.rels": _RELS.encode(),
        "xl/worksheets/sheet1.xml": sheet1.encode(),
        "xl/worksheets/sheet2.xml": sheet2.encode(),
        "xl/styles.xml": b"<styleSheet><fonts><font/></fonts><fills><fill/></fills></styleSheet>",
    }


def test_each_kind_of_formula_cell_is_found_where_it_is() -> None:
    sheet = (
        '<worksheet><cols><col min="1" max="3" width="9"/></cols><sheetData><row r="1">'
        '<c r="A1" t="s"><v>0</v></c>'  # no formula
        '<c r="B1"><f>SUM(1,2)</f></c>'  # no cached value
        '<c r="C1"><f>SUM(1,2)</f><v>3</v></c>'  # computed
        '<c r="D1" t="str"><f>IF(A1="","Còn "&amp;A1,"x")</f><v>Còn</v></c>'  # text, escaped
        '<c r="E1"><f>[1]Sheet1!A1</f><v>4</v></c>'  # another workbook
        "<c r=\"F1\"><f>'[other.xlsx]My sheet'!A1</f><v>5</v></c>"
        '<c r="G1"><f>&#91;2&#93;Data!B2</f><v>6</v></c>'  # the same, as character references
        "<c r=\"H1\"><f>cmd|' /C calc'!A0</f><v>0</v></c>"  # a DDE link
        '<c r="I1"/><c\nr="J1"\ns="1"><f t="shared" si="0"/></c>'  # tags over lines, shared
        '<c r="K1" t="inlineStr"><f>"a"</f><is><t>a</t></is></c>'  # an inline result
        '<c r="L1"><v>1</v></c></row></sheetData>'
        '<conditionalFormatting><cfRule type="expression"><formula>A1&gt;0</formula></cfRule>'
        "</conditionalFormatting></worksheet>"
    )
    second = '<worksheet><sheetData><row r="2"><c r="B2"><f>Table1[Col]</f><v>1</v></c></row></sheetData></worksheet>'
    missing, external = xlsx_formula_cells(_parts(sheet, second))
    assert missing == {"Nhiệm vụ": {"B1", "J1"}}
    assert external == {"Nhiệm vụ": {"E1", "F1", "G1", "H1"}}


def test_a_workbook_without_formulas_has_none() -> None:
    sheet = '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    assert xlsx_formula_cells(_parts(sheet)) == ({}, {})
