"""What the province receives, end to end (contract §7, issue 10): the demo's returns through the
whole run, the narrative report and its appendix read back (python-docx, openpyxl) against the
CSV files of the same run, and printed by LibreOffice, every page read back with pdftotext."""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from docx.shared import Mm, Pt

from pipeline.base import vocabulary as V
from pipeline.base.periods import parse_period
from pipeline.catalogue import Catalogue
from pipeline.demo import PROBLEMS, write_demo
from pipeline.intake import SAMPLE_FILE
from pipeline.run import RunResult, run_report
from tests.conftest import convert


@pytest.fixture(scope="session")
def cat(qcat: Catalogue) -> Catalogue:
    """These tests read and write returns that carry a unit's tasks and its indicators in one
    quarterly file: the catalogue of a locality whose calendar asks for both each quarter."""
    return qcat


MADE_ON = date(2023, 12, 21)
CODE = "TP_THAI_BINH"
AUTHORITY = "UBND thành phố Thái Bình"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory, cat: Catalogue) -> RunResult:
    root = tmp_path_factory.mktemp("q4")
    period = parse_period("2023-Q4")
    write_demo(cat, period, root / "inbox")
    return run_report(cat, period, root / "inbox", root / "out", made_on=MADE_ON)


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory, cat: Catalogue) -> RunResult:
    root = tmp_path_factory.mktemp("m10")
    period = parse_period("2023-10")
    write_demo(cat, period, root / "inbox")
    return run_report(cat, period, root / "inbox", root / "out", made_on=date(2023, 10, 23))


def _paragraphs(doc: Any) -> list[Any]:
    out = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(cell.paragraphs)
    return out


def _body(doc: Any) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def _section(text: str, start: str, end: str | None) -> str:
    a = text.index(start)
    return text[a : text.index(end, a) if end else len(text)]


# --- the narrative report, read back --------------------------------------------------------------


def test_the_run_writes_both_files_named_by_locality_and_period(quarter: RunResult) -> None:
    assert quarter.sample and quarter.out_dir.parts[-2:] == ("demo", "2023-Q4")
    assert quarter.workbook.name == f"BaoCao_DTI_{CODE}_2023-Q4.xlsx"
    assert quarter.narrative is not None and quarter.narrative.name == f"BaoCao_DTI_{CODE}_2023-Q4.docx"
    assert quarter.narrative.exists() and quarter.workbook.exists()


def test_the_report_is_in_the_official_form(quarter: RunResult) -> None:
    doc = docx.Document(str(quarter.narrative))
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ THÁI BÌNH",
        "Số: ……/BC-UBND",
    ]
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thái Bình, ngày …… tháng …… năm 2023",
    ]
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kính gửi: Sở Thông tin và Truyền thông tỉnh Thái Bình" in texts
    headings = [t for t in texts if re.match(r"^(I|II|III|IV)\. ", t)]
    assert headings == [
        "I. TÌNH HÌNH BÁO CÁO",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. TỒN TẠI, HẠN CHẾ",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    copies, signer = doc.tables[-1].rows[0].cells
    lines = [p.text for p in copies.paragraphs]
    assert lines[:2] == ["Nơi nhận:", "- Như trên;"] and lines[-1] == "- Lưu: VT, VHTT."
    assert "- UBND các phường, xã;" in lines
    assert [p.text for p in signer.paragraphs if p.text] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", V.SIGNER_BLANK]
    assert f"Chi tiết tại Phụ lục kèm theo (tệp BaoCao_DTI_{CODE}_2023-Q4.xlsx)." in texts


def test_the_report_uses_times_new_roman_on_a4_with_the_official_margins(quarter: RunResult) -> None:
    doc = docx.Document(str(quarter.narrative))
    s = doc.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.5) and abs(s.page_height - Mm(297)) < Mm(0.5)
    mm = {k: round(getattr(s, f"{k}_margin").mm, 1) for k in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25 and 30 <= mm["left"] <= 35
    assert 15 <= mm["right"] <= 20, mm
    assert doc.styles["Normal"].font.name == "Times New Roman"
    body = [p for p in doc.paragraphs if p.text.startswith(("- ", "+ ", "Đến ngày", "Kỳ báo cáo"))]
    assert len(body) > 20
    for p in _paragraphs(doc):
        for r in p.runs:
            assert r.font.name == "Times New Roman", p.text
    for p in body:
        assert all(Pt(13) <= r.font.size <= Pt(14) for r in p.runs), p.text
    # a sample: the mark in the header of every page, first and following
    for header in (s.first_page_header, s.header):
        assert V.SAMPLE_MARK in "".join(p.text for p in header.paragraphs)


def test_section_one_has_the_figures_of_submissions_csv(quarter: RunResult, cat: Catalogue) -> None:
    subs = read_csv(quarter.out_dir / "data" / "submissions.csv")
    counted = [r for r in subs if r["status"] in ("on_time", "late")]
    on_time = [r for r in subs if r["status"] == "on_time"]
    expected = {r["unit_code"] for r in subs if r["status"] in ("on_time", "late", "missing")}
    part = _section(_body(docx.Document(str(quarter.narrative))), "I. TÌNH HÌNH BÁO CÁO", "II. KẾT QUẢ")
    n = len(expected)
    assert f"có {n} cơ quan, đơn vị, địa phương phải gửi báo cáo; hạn gửi báo cáo là ngày 20/12/2023" in part
    got = V.percent(round(100 * len(counted) / n, 1))
    assert f"đã nhận được báo cáo của {len(counted)}/{n} đơn vị, đạt {got}" in part
    assert f"trong đó {len(on_time)}/{n} đơn vị gửi đúng hạn" in part
    for r in subs:
        name = cat.unit_name(r["unit_code"])
        if r["status"] == "missing":
            assert f"Đơn vị chưa gửi báo cáo: {name}." in part
        if r["status"] == "late":
            day = date.fromisoformat(r["received_at"][:10])
            assert f"{name} (gửi ngày {V.day(day)}, muộn 3 ngày)" in part


def test_section_two_has_the_figures_of_summary_csv(quarter: RunResult, cat: Catalogue) -> None:
    rows = read_csv(quarter.out_dir / "data" / "summary.csv")
    part = _section(
        _body(docx.Document(str(quarter.narrative))), "1. Kết quả các chỉ số", "2. Kết quả thực hiện"
    )
    names = {i.id: i.name for i in cat.indicators}
    for r in rows:
        mean = V.number(float(r["mean_score"]), 2, group=True)
        top = V.number(float(r["max_score"]), 2, group=True)
        head = (
            f"Chỉ số {r['indicator_id']} «{names[r['indicator_id']]}»: điểm bình quân đạt {mean}/{top} điểm"
        )
        assert head in part
        full, resp = r["full_score_units"], r["responsible_units"]
        assert f"{full}/{resp} đơn vị đạt điểm tối đa" in part or f"cả {resp} đơn vị đều đạt" in part
    assert "UBND xã Vũ Phúc (chưa gửi báo cáo)" in part  # the missing commune under every indicator
    assert "UBND phường Hoàng Diệu (0 điểm, thiếu minh chứng)" in part  # 1.1 claimed, no evidence


def test_section_two_counts_tasks_as_tasks_csv(quarter: RunResult) -> None:
    tasks = read_csv(quarter.out_dir / "data" / "tasks.csv")
    part = _section(_body(docx.Document(str(quarter.narrative))), "2. Kết quả thực hiện nhiệm vụ", "III.")
    reported = [t for t in tasks if t["status"]]
    assert (
        f"là {V.thousands(len(tasks))} lượt" in part
        and f"đã báo cáo {V.thousands(len(reported))} lượt" in part
    )
    # TUPHAP's task done without evidence is not counted as done
    done = [t for t in tasks if t["status"] == "done" and t["has_evidence"] == "true"]
    done = [t for t in done if (t["task_id"], t["unit_code"]) != ("PL01-1.3", "TUPHAP")]
    assert f"hoàn thành {V.thousands(len(done))} lượt" in part
    assert "báo cáo hoàn thành nhưng thiếu minh chứng 1 lượt" in part


def test_section_three_quotes_the_difficulties_units_typed_with_their_names(quarter: RunResult) -> None:
    text = _body(docx.Document(str(quarter.narrative)))
    part = _section(text, "III. TỒN TẠI, HẠN CHẾ", "IV. ĐỀ XUẤT")
    for unit, typed in (
        ("Phòng Nội vụ", PROBLEMS[0]),
        ("Phòng Giáo dục và Đào tạo", PROBLEMS[1]),
        ("Trung tâm Phát triển quỹ đất và Cụm công nghiệp", PROBLEMS[2]),
        ("UBND phường Hoàng Diệu", PROBLEMS[3]),
        ("UBND xã Tân Bình", PROBLEMS[0]),
    ):
        assert f"+ {unit}: «{typed}» (nhiệm vụ «" in part, unit
    assert "Không có" not in part  # a cell that says nothing is not a difficulty
    assert "Còn 1 đơn vị chưa gửi báo cáo: UBND xã Vũ Phúc." in part
    assert "chưa được tính là hoàn thành: mục 1.3 Phụ lục 01 (Phòng Tư pháp)." in part
    requests = _section(text, "1. Kiến nghị, đề xuất của các đơn vị", "2. Đề xuất")
    assert "- Phòng Nội vụ: «đề nghị thành phố bố trí kinh phí năm 2024.»" in requests


def test_a_monthly_report_has_no_indicators(month: RunResult) -> None:
    doc = docx.Document(str(month.narrative))
    text = "\n".join(p.text for p in _paragraphs(doc))
    assert "Tiến độ thực hiện nhiệm vụ nâng cao Chỉ số chuyển đổi số (DTI)\ntháng 10 năm 2023" in text
    assert "Phụ lục 04" not in text and "điểm tối đa" not in text
    wb = openpyxl.load_workbook(month.workbook)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Tiến độ nhiệm vụ",
        "Khó khăn, kiến nghị",
        "Nộp báo cáo",
        "Lỗi dữ liệu",
    ]
    ws = wb["Tổng hợp"]
    titles = [c.value for r in ws.iter_rows(max_row=10) for c in r if isinstance(c.value, str)]
    assert "Báo cáo tiến độ thực hiện nhiệm vụ tháng 10/2023" in titles
    assert wb.properties.title.startswith(
        f"[{V.SAMPLE_MARK}] Báo cáo tiến độ thực hiện nhiệm vụ tháng 10/2023"
    )


# --- the appendix, read back ------------------------------------------------------------------------


def test_the_appendix_has_the_header_block_page_headers_and_repeated_rows(quarter: RunResult) -> None:
    wb = openpyxl.load_workbook(quarter.workbook)
    ws = wb["Tổng hợp"]
    assert [ws["A1"].value, ws["A2"].value, ws["D1"].value, ws["D2"].value] == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ THÁI BÌNH",
        V.MOTTO,
        V.TIEU_NGU,
    ]
    assert ws["A5"].value == "PHỤ LỤC" and "quý IV/2023" in ws["A6"].value
    assert ws["A7"].value.startswith("(Kèm theo Báo cáo số ……/BC-UBND")
    for sheet in wb.worksheets:
        assert sheet.oddHeader.left.text == f"{AUTHORITY} — {sheet.title}"
        assert sheet.oddHeader.right.text == "Quý IV năm 2023"
        assert sheet.oddHeader.center.text == V.SAMPLE_MARK
        assert sheet.print_title_rows, sheet.title  # a header row repeated on every page
    assert V.SAMPLE_MARK in [c.value for r in ws.iter_rows(max_row=10) for c in r]


def test_the_appendix_names_who_sent_nothing_and_judges_targets(quarter: RunResult) -> None:
    wb = openpyxl.load_workbook(quarter.workbook)
    scores = {r[0]: r for r in wb["Điểm chỉ số"].iter_rows(min_row=3, values_only=True)}
    assert scores["X_VU_PHUC"][-1] == "Chưa nộp" and scores["X_VU_PHUC"][-2] == "Chưa nộp"
    ranks = [r[-1] for u, r in scores.items() if u != "X_VU_PHUC" and u != "DAI_TTTH"]
    assert min(ranks) == 1 and max(ranks) <= 18  # 18 wards and communes ranked, the 19th apart
    progress = list(wb["Tiến độ nhiệm vụ"].iter_rows(min_row=3, values_only=True))
    verdicts = {r[9] for r in progress}
    assert {"Đạt", "Chưa đạt"} <= verdicts
    assert not [r for r in progress if isinstance(r[7], int | float) and r[9] is None and r[8]]
    assert {r[4] for r in progress if r[2] == "UBND xã Vũ Phúc"} == {"Chưa nộp"}
    assert any(r[4] == "Hoàn thành, thiếu minh chứng" and r[2] == "Phòng Tư pháp" for r in progress)
    hard = list(wb["Khó khăn, kiến nghị"].iter_rows(min_row=3, values_only=True))
    assert ("Phòng Nội vụ", PROBLEMS[0]) in [(r[3], r[4]) for r in hard]
    assert len(hard) == 5  # six units typed something; one typed «Không có»


def test_real_returns_are_not_marked_and_stay_in_output(
    tmp_path: Path, cat: Catalogue, quarter: RunResult
) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(quarter.out_dir.parents[2] / "inbox", inbox)
    (inbox / SAMPLE_FILE).unlink()  # the analyst's own returns: no demo marker
    result = run_report(cat, parse_period("2023-Q4"), inbox, tmp_path / "out", made_on=MADE_ON)
    assert not result.sample and result.out_dir == tmp_path / "out" / "2023-Q4"
    wb = openpyxl.load_workbook(result.workbook)
    assert all(ws.oddHeader.center.text is None for ws in wb.worksheets)
    assert V.SAMPLE_MARK not in {c.value for r in wb["Tổng hợp"].iter_rows() for c in r}
    doc = docx.Document(str(result.narrative))
    s = doc.sections[0]
    assert V.SAMPLE_MARK not in "".join(
        p.text for p in (*s.header.paragraphs, *s.first_page_header.paragraphs)
    )
    # the same figures as the sample, byte for byte in the CSV files
    for name in ("submissions.csv", "scores.csv", "summary.csv", "tasks.csv"):
        assert (result.out_dir / "data" / name).read_bytes() == (quarter.out_dir / "data" / name).read_bytes()


# --- as printed (LibreOffice, pdftotext) ----------------------------------------------------------


def _pdftotext() -> str:
    path = shutil.which("pdftotext")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is required under CI=true; .ci/run installs it")
        pytest.skip("pdftotext is not installed")
    return path


def pages_of(pdf: Path) -> list[str]:
    """Each page's text in drawing order (-raw: LibreOffice draws a cell's lines together), NFC."""
    out = subprocess.run(
        [_pdftotext(), "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return [unicodedata.normalize("NFC", p) for p in out.stdout.split("\f") if p.strip()]


Box = tuple[float, float, float, float, str]  # x0, y0, x1, y1, word


def word_boxes(pdf: Path) -> list[list[Box]]:
    """Every printed word with its box, per page (``pdftotext -bbox``)."""
    out = subprocess.run([_pdftotext(), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
    return [
        [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in word.findall(page)]
        for page in out.stdout.split("<page ")[1:]
    ]


def overlapping(words: list[Box], share: float = 0.25) -> list[tuple[str, str]]:
    """Pairs of words printed over each other (their boxes share more than ``share`` of the
    smaller): a row too short for its wrapped text runs into the next row when printed."""
    found, active = [], []
    for w in sorted(words, key=lambda b: b[1]):
        active = [a for a in active if a[3] > w[1]]
        for a in active:
            dx, dy = min(a[2], w[2]) - max(a[0], w[0]), min(a[3], w[3]) - max(a[1], w[1])
            smaller = min((a[2] - a[0]) * (a[3] - a[1]), (w[2] - w[0]) * (w[3] - w[1]))
            if dx > 0 and dy > 0 and smaller > 0 and dx * dy > share * smaller:
                found.append((a[4], w[4]))
        active.append(w)
    return found


def squash(text: str) -> str:
    """Without spaces: pdftotext puts spaces where a line wraps, and some inside words."""
    return re.sub(r"\s+", "", text)


def printed_cells(ws: Any) -> list[str]:
    """The text of every cell the sheet prints (not the hidden chart cells, nor the columns
    outside its print area), as shown."""
    hidden = {k for k, d in ws.column_dimensions.items() if d.hidden}
    last = None
    if ws.print_area:  # 'Sheet'!$A$1:$K$40
        last = openpyxl.utils.column_index_from_string(re.sub(r"[^A-Z]", "", ws.print_area.split(":")[-1]))
    out = []
    for row in ws.iter_rows():
        for cell in row:
            v = cell.value
            if v is None or not hasattr(cell, "column_letter") or cell.column_letter in hidden:
                continue  # empty, inside a merged range, or a hidden chart cell
            if last is not None and cell.column > last:
                continue
            if isinstance(v, str):
                out.append(v)
            elif (
                isinstance(v, int | float)
                and not isinstance(v, bool)
                and cell.number_format in ("0", "General")
            ):
                out.append(str(int(v)) if float(v).is_integer() else str(v))
    return out


def check_printed(pdf: Path, workbook: Path, period_label: str) -> None:
    """Every page headed by the locality, its sheet, the period and the sample mark, numbered;
    every sheet printed in order; every cell's text printed whole on its own sheet's pages (a row
    too short for its text loses the lines that do not fit) and no word printed over another
    (wrapped text that does not fit its row runs into the next one)."""
    pages = pages_of(pdf)
    for n, words in enumerate(word_boxes(pdf), start=1):
        assert not overlapping(words), (n, overlapping(words)[:5])
        # no page printed small to fit its width: its text at 9 points or more (a word box of
        # Liberation Serif is 1.3 × the font size), but for a few chart labels (a rotated axis
        # title's box is not its size); the page header and footer bands apart
        body = [(y1 - y0) / 1.3 for _x0, y0, _x1, y1, _w in words if y0 > 50 and y1 < 595.3 - 40]
        small = [size for size in body if size < 8.95]
        assert len(small) <= 0.05 * len(body), (n, pages[n - 1][:80], sorted(small)[:5])
    wb = openpyxl.load_workbook(workbook)
    by_sheet: dict[str, list[str]] = {}
    for n, page in enumerate(pages, start=1):
        first = page.splitlines()[0]
        sheet = next((ws.title for ws in wb.worksheets if f"{AUTHORITY} — {ws.title}" in first), None)
        assert sheet is not None, (n, first)
        assert period_label in first and V.SAMPLE_MARK in first, (n, first)
        assert f"Trang {n} / {len(pages)}" in page, n
        by_sheet.setdefault(sheet, []).append(squash(page))
    assert list(by_sheet) == wb.sheetnames  # every sheet printed, in order
    for ws in wb.worksheets:
        printed = "".join(by_sheet[ws.title])
        cut = [v for v in printed_cells(ws) if squash(v) not in printed]
        assert not cut, (ws.title, cut[:5])


@pytest.mark.libreoffice
def test_every_page_of_the_appendix_carries_its_header_and_no_printed_cell_is_cut(
    quarter: RunResult, soffice: str, tmp_path: Path
) -> None:
    check_printed(convert(soffice, quarter.workbook, "pdf", tmp_path), quarter.workbook, "Quý IV năm 2023")


@pytest.mark.libreoffice
def test_the_monthly_appendix_prints_whole_too(month: RunResult, soffice: str, tmp_path: Path) -> None:
    check_printed(convert(soffice, month.workbook, "pdf", tmp_path), month.workbook, "Tháng 10 năm 2023")


@pytest.mark.libreoffice
def test_every_page_of_the_report_carries_its_header_and_all_its_text(
    quarter: RunResult, soffice: str, tmp_path: Path
) -> None:
    pdf = convert(soffice, quarter.narrative, "pdf", tmp_path)
    pages = pages_of(pdf)
    assert len(pages) >= 3
    for n, words in enumerate(word_boxes(pdf), start=1):
        assert not overlapping(words), (n, overlapping(words)[:5])
    for n, page in enumerate(pages, start=1):
        head = " ".join(line.strip() for line in page.splitlines()[:2])
        assert squash(V.SAMPLE_MARK) in squash(head), (n, head)
        if n > 1:
            assert str(n) in head.split(), (n, head)
    # the text without its page headers (a paragraph may run across a page break)
    body = [
        "\n".join(line for line in page.splitlines() if V.SAMPLE_MARK not in line and line.strip() != str(n))
        for n, page in enumerate(pages, start=1)
    ]
    printed = squash("".join(body)).replace("-", "")
    doc = docx.Document(str(quarter.narrative))
    missing = [
        p.text for p in _paragraphs(doc) if p.text.strip() and squash(p.text).replace("-", "") not in printed
    ]
    assert not missing, missing[:3]
    last = squash(pages[-1])
    for text in ("Nơi nhận:", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "theo dõi./."):
        assert squash(text) in last, text


def test_a_supporting_unit_is_not_held_to_the_leads_target(quarter: RunResult) -> None:
    """PL02-1.1's broadcasts (target level ``lead``) are the radio station's and the wards'
    figure: the departments that support it have no «Chỉ tiêu» in `Tiến độ nhiệm vụ`, and the
    report does not list them as not having given the figure."""
    ws = openpyxl.load_workbook(quarter.workbook, read_only=True)["Tiến độ nhiệm vụ"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == V.COL_TASK_ID)
    at = {label: i for i, label in enumerate(header)}
    twin = [r for r in rows if r[0] == "PL02-1.1"]
    assert twin and {r[at[V.COL_TARGET]] for r in twin if r[at[V.COL_ROLE]] == "Phối hợp"} == {None}
    assert {r[at[V.COL_TARGET]] for r in twin if r[at[V.COL_ROLE]] == "Chủ trì"} == {"≥ 1 lần/tuần"}
    text = "\n".join(p.text for p in docx.Document(str(quarter.narrative)).paragraphs)
    line = next(p for p in text.splitlines() if "Tần suất phát sóng từ" in p)
    assert "mục 1.5 Phụ lục 01 và mục 1.1 Phụ lục 02" in line and "Phòng Nội vụ" not in line


def test_a_wards_answer_is_shown_as_the_word_it_chose(quarter: RunResult) -> None:
    """PL01-3.2 (a city-level target): each ward's Có/Không, read as 100 or 0, is shown as Có
    or Không in `Tiến độ nhiệm vụ` and in the report; the lead's figure is the city's share."""
    ws = openpyxl.load_workbook(quarter.workbook, read_only=True)["Tiến độ nhiệm vụ"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == V.COL_TASK_ID)
    at = {label: i for i, label in enumerate(header)}
    city = [r for r in rows if r[0] == "PL01-3.2"]
    wards = {r[at[V.COL_RESULT_VALUE]] for r in city if r[at[V.COL_ROLE]] == "Phối hợp"}
    assert wards and wards <= {V.YES, V.NO, None}
    lead = [r[at[V.COL_RESULT_VALUE]] for r in city if r[at[V.COL_ROLE]] == "Chủ trì"]
    assert lead and all(isinstance(x, int | float) for x in lead)
    text = "\n".join(p.text for p in docx.Document(str(quarter.narrative)).paragraphs)
    line = next(
        p for p in text.splitlines() if "kết nối mạng Truyền số liệu chuyên dùng" in p and "mục 3.2" in p
    )
    assert "(0%)" not in line and "(100%)" not in line
