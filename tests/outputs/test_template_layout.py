"""Templates made for the screen and the page: frozen header and task columns, AutoFilter and
sorting under protection, rows as tall as their text, Phụ lục 03's provincial body, notes said as
targets or references, the receiving office's contact; printed by LibreOffice: every word at
10 pt or more, inside the page, none cut."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.periods import Period, parse_period
from pipeline.catalogue import Catalogue
from pipeline.outputs.template_help import send_to
from pipeline.outputs.template_tasks import EXTRA_ROWS, FIRST_TASK_HEADER_ROW, TASK_WIDTHS, fixed_texts
from pipeline.outputs.templates import Filled, write_template
from tests.conftest import convert

H = FIRST_TASK_HEADER_ROW + 1  # 1-based header row


@pytest.fixture(scope="session")
def cat(qcat: Catalogue) -> Catalogue:
    """These tests fill a ward's quarterly return with its tasks and its indicators in one file:
    the catalogue of a locality whose calendar asks for both each quarter (tests/conftest.py)."""
    return qcat


def _tasks(path: Path) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(path)[V.SHEET_TASKS]


def test_screen_frozen_filter_and_protection(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    path = write_template(cat, "P_KY_BA", q4, tmp_path / "t.xlsx")
    ws = _tasks(path)
    assert ws.freeze_panes == f"E{H + 1}"  # the header row and Mã … Nhiệm vụ stay in view
    n = len(cat.sheet_rows("P_KY_BA"))
    assert ws.auto_filter.ref == f"A{H}:P{H + n + EXTRA_ROWS}"
    p = ws.protection
    assert p.sheet and not p.password
    assert not p.autoFilter and not p.sort and not p.insertRows  # allowed (openpyxl: False = not protected)
    assert not p.formatRows and not p.formatColumns
    # the hidden cells the self-check reads and counts with
    hidden = ws.column_dimensions["M"]  # M to P, one range
    assert hidden.hidden and (hidden.min, hidden.max) == (13, 16)
    assert ws.print_area == f"'{V.SHEET_TASKS}'!$A$1:$L${H + n + EXTRA_ROWS}"


def test_every_row_has_a_height_that_fits(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    path = write_template(cat, "VP", q4, tmp_path / "t.xlsx")
    ws = _tasks(path)
    heights = [ws.row_dimensions[r].height for r in range(1, H + len(cat.sheet_rows("VP")) + EXTRA_ROWS + 1)]
    assert all(h and h >= 18 for h in heights), heights
    # the longest task text (PL01-5.2, three lines and more in a 28-wide column) gets a tall row
    row = next(r for r in range(H + 1, ws.max_row + 1) if ws.cell(r, 1).value == "PL01-5.2")
    assert ws.row_dimensions[row].height >= 5 * 12 * 1.15
    # the blank rows for the unit's own tasks have room for three lines of its text
    blank = range(H + len(cat.sheet_rows("VP")) + 1, H + len(cat.sheet_rows("VP")) + EXTRA_ROWS + 1)
    assert all(ws.cell(r, 1).value is None for r in blank)
    assert all(ws.row_dimensions[r].height >= 3 * 12 * 1.15 for r in blank), [
        ws.row_dimensions[r].height for r in blank
    ]


def test_widths_fit_a4_at_ten_points() -> None:
    """A4 landscape holds 1,045 px of columns; at 12 pt the text stays at 10 pt or more when the
    sheet is scaled by 10/12 or less: the columns (8 px a unit) are at most 1,254 px wide."""
    px = sum(int((w + 5 / 7) * 8) for w in TASK_WIDTHS)
    assert 1045 / px >= 10 / 12 + 0.01


def test_twins_provincial_bodies_and_notes(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    path = write_template(cat, "VP", q4, tmp_path / "t.xlsx")
    ws = _tasks(path)
    rows = {
        ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(1, 8)] for r in range(H + 1, ws.max_row + 1)
    }
    twin = rows["PL01-6.7\nPL03-6.7"]
    assert twin[1] == "01\n03"
    assert twin[3].endswith("(Sở Thông tin và Truyền thông chủ trì)")  # Phụ lục 03's lead
    assert twin[4] == "PL01: Chủ trì\nPL03: Tham mưu"  # each keeps its role …
    assert twin[5] == "PL01: Hằng năm, trước 31/12\nPL03: Trước 31/12/2023"  # … and its deadline
    assert rows["PL03-6.6"][3].endswith("\n(Văn phòng UBND tỉnh chủ trì)")
    assert (
        rows["PL01-6.4\nPL02-5.2"][6]
        == "Căn cứ: Theo Kế hoạch số 116/KH-UBND ngày 03/8/2023 của UBND thành phố"
    )
    assert rows["PL01-1.4"][6] == "Chỉ tiêu: Số lượng tin bài về chuyển đổi số trong năm từ 20 trở lên"
    assert rows["PL01-5.5\nPL02-4.2"][6].startswith("Chỉ tiêu (Phòng Tài chính-Kế hoạch báo cáo số liệu): ")
    ward = {r.ids: fixed_texts(cat, r, 2023) for r in cat.sheet_rows("X_VU_LAC")}
    assert ward[("PL01-3.2", "PL02-2.1")][6].startswith(
        "Chỉ tiêu của thành phố: Đảm bảo 100% Ủy ban nhân dân"
    )
    assert "chọn «Có» nếu đã đạt, «Không» nếu chưa" in ward[("PL01-3.2", "PL02-2.1")][6]


def test_a_city_level_answer_and_a_percentage_are_validated(
    tmp_path: Path, cat: Catalogue, q4: Period
) -> None:
    ward = _tasks(write_template(cat, "X_VU_LAC", q4, tmp_path / "w.xlsx"))
    tckh = _tasks(write_template(cat, "TCKH", q4, tmp_path / "t.xlsx"))
    col = openpyxl.utils.get_column_letter(L.TASK_HEADERS.index(V.TASK_RESULT_VALUE) + 1)

    def validation(ws: openpyxl.worksheet.worksheet.Worksheet, first: str) -> object:
        row = next(r for r in range(H + 1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith(first))
        return next(dv for dv in ws.data_validations.dataValidation if f"{col}{row}" in str(dv.sqref))

    answer = validation(ward, "PL01-3.2")
    assert answer.type == "list" and answer.formula1 == '"Có,Không"'
    share = validation(tckh, "PL01-5.5")
    assert (share.type, share.formula1, share.formula2) == ("decimal", "0", "100")
    assert share.operator in (None, "between")  # openpyxl reads the default operator as None


def test_guide_says_when_the_contact_is_missing(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    path = write_template(cat, "P_KY_BA", q4, tmp_path / "t.xlsx")
    guide = [c.value for c in openpyxl.load_workbook(path)[V.SHEET_GUIDE]["A"] if c.value]
    sentence = next(g for g in guide if g.startswith("Gửi tệp đã điền về"))
    assert "chưa ghi địa chỉ thư điện tử và số điện thoại của Phòng Văn hóa và Thông tin" in sentence
    assert "Ô tô" not in " ".join(guide) and "ô màu đỏ là lỗi phải sửa" in " ".join(guide)
    full = send_to("UBND thành phố", "Phòng Văn hóa và Thông tin", "vhtt@thaibinh.gov.vn", "0227 3831 234")
    assert "chưa ghi" not in full and "vhtt@thaibinh.gov.vn" in full and "0227 3831 234" in full


# --- printed: LibreOffice's PDF read back with pdftotext -bbox -----------------------------------

LINE_HEIGHT = 1.3  # pdftotext's word box of Liberation Serif is 1.3 × the font size
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def _printed(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for width, height, body in PAGE.findall(out):
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(body)]
        pages.append((float(width), float(height), words))
    return pages


def _words(text: str) -> Counter[str]:
    """Words as a printed page may break them: at spaces, and after a hyphen or a slash."""
    return Counter(w for w in re.split(r"[\s\-/]+", text) if w)


def _check_printed(pdf: Path, expected_texts: list[str]) -> None:
    pages = _printed(pdf)
    assert pages
    printed: Counter[str] = Counter()
    for width, height, words in pages:
        for x0, y0, x1, y1, word in words:
            word = re.sub(r"&[a-z]+;|&#\d+;", "", word)
            assert (y1 - y0) / LINE_HEIGHT >= 9.95, (pdf.name, word, (y1 - y0) / LINE_HEIGHT)  # ≥ 10 pt
            assert x0 >= 0 and x1 <= width and y0 >= 0 and y1 <= height, (pdf.name, word)  # on the page
            printed.update(_words(word))
    for text in expected_texts:  # every word of every cell printed: nothing cut by a short row
        missing = _words(text) - printed
        assert not missing, (pdf.name, text[:60], missing)
    allwords = set(printed)
    assert not allwords & {"TRUE", "FALSE", "chu_tri", "phoi_hop", "tham_muu", "None", "nan", "#VALUE!"}
    assert not [w for w in allwords if re.fullmatch(r"[A-Z]+(_[A-Z]+)+", w)], "internal unit codes printed"


def _sheet_texts(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            for c in row:
                if (
                    isinstance(c.value, str)
                    and not c.value.startswith("=")
                    and not ws.column_dimensions[c.column_letter].hidden
                ):
                    out.append(c.value)
    return out


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("unit", "period"), [("P_KY_BA", "2023-Q4"), ("VP", "2023-10")], ids=["ward-quarter", "department-month"]
)
def test_printed_template_is_whole_and_readable(
    tmp_path: Path, cat: Catalogue, soffice: str, unit: str, period: str
) -> None:
    path = write_template(cat, unit, parse_period(period), tmp_path / f"{period}_{unit}.xlsx")
    pdf = convert(soffice, path, "pdf", tmp_path / "pdf")
    _check_printed(pdf, _sheet_texts(path))
    guide = _printed(pdf)[0][2]  # Hướng dẫn fits its page, whole
    assert guide and max(x1 for _x0, _y0, x1, _y1, _w in guide) < 595.3 - 0.4 * 72 + 1


@pytest.mark.libreoffice
def test_printed_feedback_file_is_whole_and_readable(
    tmp_path: Path, cat: Catalogue, soffice: str, q4: Period
) -> None:
    from pipeline.base.codes import Severity
    from pipeline.outputs.templates import FeedbackRow

    rows = tuple(
        FeedbackRow(
            V.SHEET_TASKS, f"K{6 + n}", f"PL01-1.{n}:Minh chứng", "x", Severity.ERROR, msg, f"K{6 + n}"
        )
        for n, msg in enumerate(
            [
                "«x» chưa phải là minh chứng: hãy ghi số, ký hiệu và ngày của văn bản (ví dụ: Quyết định số "
                "12/QĐ-UBND ngày 05/10/2023), hoặc đường dẫn, tên tệp tài liệu chứng minh.",
                "Chỉ số 1.1 không được tính 10 điểm vì thiếu minh chứng (có số liệu, văn bản chứng minh).",
            ]
        )
    )
    filled = Filled(
        tasks={"PL01-1.5": {V.TASK_STATUS: V.STATUS_DONE, V.TASK_EVIDENCE: "x"}},
        marks={(V.SHEET_TASKS, "PL01-1.5", V.TASK_EVIDENCE): ("error", rows[0].message)},
        feedback=rows,
    )
    path = write_template(cat, "P_KY_BA", q4, tmp_path / "P_KY_BA.xlsx", filled)
    pdf = convert(soffice, path, "pdf", tmp_path / "pdf")
    _check_printed(pdf, _sheet_texts(path))
