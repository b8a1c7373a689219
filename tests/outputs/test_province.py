"""The province workbook and the CSV files (contract §7), from a small hand-built ReportData."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from pipeline.base import vocabulary as V
from pipeline.base.periods import parse_period
from pipeline.catalogue import load_catalogue
from pipeline.outputs.csvs import csv_value, write_csvs
from pipeline.outputs.province import SHEETS, ReportData, write_report
from tests.conftest import SCHEMAS, convert

Q4 = parse_period("2023-Q4")
_CAT = load_catalogue(SCHEMAS)
WORDS = _CAT.vocabulary
MADE_ON = date(2023, 12, 21)
EVIL_VALUE = '=HYPERLINK("http://evil")'
EVIL_FILE = "=cmd|' /C calc'!A0.xlsx"
EVIL_AT = "@SUM(A1)"
IDS = ["1.1", "1.2", "2.1", "2.2"]
NAMES = {
    "1.1": "Hệ thống truyền thanh có chuyên mục riêng về chuyển đổi số",
    "1.2": "Tần suất phát sóng chuyên mục riêng về chuyển đổi số",
    "2.1": "Tổ công nghệ số cộng đồng cấp phường, xã",
    "2.2": "Tổ công nghệ số cộng đồng cấp thôn, tổ dân phố",
}
UNITS = {
    "DAI_TTTH": ("Đài Truyền thanh - Truyền hình thành phố", "department"),
    "VHTT": ("Phòng Văn hóa và Thông tin", "department"),
    "P_BO_XUYEN": ("UBND phường Bồ Xuyên", "ward"),
    "X_DONG_HOA": ("UBND xã Đông Hòa", "commune"),
}
DATA_SHEETS = tuple(s for s in SHEETS[1:] if s != V.SHEET_HISTORY)  # history: test_history
NAN = float("nan")
TASK_TEXTS = {
    t: _CAT.tasks.at[t, "text"] for t in ("PL01-1.4", "PL01-1.5", "PL01-3.2", "PL02-5.1", "PL03-1.1")
}
DIFFICULTY_DAI = "Thiếu phóng viên chuyên trách; đề nghị bổ sung biên chế."
DIFFICULTY_BO_XUYEN = "Chưa có kinh phí kết nối mạng truyền số liệu chuyên dùng."
LOCALITY = "UBND thành phố Thái Bình"


def _name(code: str) -> str:
    return UNITS[code][0] if code else ""


def make_data(**changes: Any) -> ReportData:
    deadline = pd.Timestamp("2023-12-20")
    sub = [
        ("DAI_TTTH", "on_time", "2023-12-18 09:30", 0, "2023-Q4_DAI_TTTH.xlsx", 0, 1),
        ("VHTT", "on_time", "2023-12-20 16:00", 0, "vhtt quy 4.xlsx", 0, 0),
        ("P_BO_XUYEN", "superseded", "2023-12-19 08:00", 0, "2023-Q4_P_BO_XUYEN.xlsx", 1, 0),
        ("P_BO_XUYEN", "late", "2023-12-23 10:15", 3, "2023-Q4_P_BO_XUYEN (sửa).xlsx", 1, 1),
        ("X_DONG_HOA", "missing", None, NAN, "", NAN, NAN),
        ("", "rejected", "2023-12-19 11:00", NAN, EVIL_FILE, 1, 0),
    ]
    submissions = pd.DataFrame(
        [
            {
                "period": Q4.id,
                "unit_code": code,
                "unit_name": _name(code),
                "kind": UNITS[code][1] if code else "",
                "status": status,
                "received_at": pd.Timestamp(when) if when else pd.NaT,
                "deadline": deadline,
                "days_late": late,
                "file": file,
                "sha256": "ab" * 32 if file else "",
                "errors": errors,
                "warnings": warnings,
                # the store's version of the unit's return and how it came (the second: by e-mail)
                "version": pd.NA if not file else (2 if "(sửa)" in file else 1),
                "channel": "" if not file else ("email" if "(sửa)" in file else "inbox"),
            }
            for code, status, when, late, file, errors, warnings in sub
        ]
    ).astype({"version": "Int64"})
    rate_cols = [
        "scope",
        "expected",
        "received",
        "on_time",
        "late",
        "missing",
        "rejected_files",
        "rate_pct",
        "on_time_pct",
    ]
    rates = pd.DataFrame(
        [
            ("department", 2, 2, 2, 0, 0, 0, 100.0, 100.0),
            ("all", 4, 3, 2, 1, 1, 1, 75.0, 50.0),
            ("ward", 1, 1, 0, 1, 0, 0, 100.0, 0.0),
            ("commune", 1, 0, 0, 0, 1, 0, 0.0, 0.0),
        ],
        columns=rate_cols,
    )
    ranking = pd.DataFrame(
        [
            ("P_BO_XUYEN", 10.0, 10.0, 10.0, 0.0, 30.0, 40.0, 75.0, 1.0),
            ("X_DONG_HOA", 0.0, 0.0, 0.0, 0.0, 0.0, 40.0, 0.0, 2.0),
            ("DAI_TTTH", 10.0, 7.5, NAN, NAN, 17.5, 20.0, 87.5, NAN),
        ],
        columns=["unit_code", *IDS, "total", "max_total", "pct", "rank"],
    )
    ranking.insert(1, "unit_name", [_name(c) for c in ranking["unit_code"]])
    ranking.insert(2, "kind", [UNITS[c][1] for c in ranking["unit_code"]])
    score_rows = [
        ("DAI_TTTH", "1.1", 10.0, 10.0, True, ""),
        ("DAI_TTTH", "1.2", 7.5, 7.5, True, "3 lần/tuần"),
        ("P_BO_XUYEN", "1.1", 10.0, 10.0, True, ""),
        ("P_BO_XUYEN", "1.2", 10.0, 10.0, True, ""),
        ("P_BO_XUYEN", "2.1", 10.0, 10.0, True, EVIL_AT),
        ("P_BO_XUYEN", "2.2", NAN, 0.0, True, "2.2b lớn hơn 2.2a"),
        ("X_DONG_HOA", "1.1", NAN, 0.0, False, "Không nộp báo cáo"),
        ("X_DONG_HOA", "1.2", NAN, 0.0, False, "Không nộp báo cáo"),
        ("X_DONG_HOA", "2.1", NAN, 0.0, False, "Không nộp báo cáo"),
        ("X_DONG_HOA", "2.2", NAN, 0.0, False, "Không nộp báo cáo"),
    ]
    scores = pd.DataFrame(
        [
            {
                "period": Q4.id,
                "unit_code": code,
                "unit_name": _name(code),
                "indicator_id": ind,
                "self_score": self_score,
                "score": score,
                "max_score": 10.0,
                "has_evidence": evidence,
                "reported": code != "X_DONG_HOA",
                "explanation": why,
            }
            for code, ind, self_score, score, evidence, why in score_rows
        ]
    )
    summary = pd.DataFrame(
        [
            (Q4.id, "1.1", 3, 2, 2, 6.67, 10.0),
            (Q4.id, "1.2", 3, 2, 1, 5.83, 10.0),
            (Q4.id, "2.1", 2, 1, 1, 5.0, 10.0),
            (Q4.id, "2.2", 2, 1, 0, 0.0, 10.0),
        ],
        columns=[
            "period",
            "indicator_id",
            "responsible_units",
            "reported_units",
            "full_score_units",
            "mean_score",
            "max_score",
        ],
    )
    task_rows = [
        (
            "PL01-1.4",
            "VHTT",
            "chu_tri",
            "PL01",
            "NTS",
            "done",
            25.0,
            True,
            False,
            "so_tin_bai >= 20",
            True,
            100.0,
        ),
        (
            "PL01-1.4",
            "DAI_TTTH",
            "phoi_hop",
            "PL01",
            "NTS",
            "in_progress",
            NAN,
            False,
            False,
            "so_tin_bai >= 20",
            NAN,
            NAN,
        ),
        (
            "PL01-1.5",
            "DAI_TTTH",
            "chu_tri",
            "PL01",
            "NTS",
            "done",
            2.0,
            True,
            False,
            "lan_phat_song_moi_tuan >= 1",
            True,
            100.0,
        ),
        (
            "PL01-3.2",
            "P_BO_XUYEN",
            "chu_tri",
            "PL01",
            "HTS",
            "not_started",
            NAN,
            False,
            True,
            "ty_le_xa_ket_noi_tslcd >= 100",
            False,
            0.0,
        ),
        (
            "PL02-5.1",
            "P_BO_XUYEN",
            "chu_tri",
            "PL02",
            "ATTT",
            "not_applicable",
            NAN,
            False,
            False,
            "",
            NAN,
            NAN,
        ),
        ("PL03-1.1", "X_DONG_HOA", "tham_muu", "PL03", "NTS", "", NAN, NAN, True, "", NAN, NAN),
    ]
    words = {  # (task, unit) → result text, evidence, difficulties, unproven
        ("PL01-1.4", "VHTT"): ("Đã đăng 25 tin bài trên Cổng TTĐT.", "Báo cáo số 12/BC-VHTT", None, False),
        ("PL01-1.4", "DAI_TTTH"): (EVIL_VALUE, None, DIFFICULTY_DAI, False),
        ("PL01-1.5", "DAI_TTTH"): ("Phát sóng 2 lần/tuần.", "Lịch phát sóng quý IV", "Không", False),
        ("PL01-3.2", "P_BO_XUYEN"): (None, None, DIFFICULTY_BO_XUYEN, False),
    }
    tasks = pd.DataFrame(
        [
            {
                "period": Q4.id,
                "task_id": task,
                "unit_code": code,
                "unit_name": _name(code),
                "role": role,
                "appendix": appendix,
                "pillar": pillar,
                "status": status,
                "result_value": value,
                "has_evidence": evidence,
                "overdue": overdue,
                "target": target,
                "target_met": met,
                "progress_pct": progress,
                "task": TASK_TEXTS[task],
                "result_text": words.get((task, code), (None,) * 4)[0],
                "evidence": words.get((task, code), (None,) * 4)[1],
                "difficulties": words.get((task, code), (None,) * 4)[2],
                "unproven": words.get((task, code), (None, None, None, False))[3],
            }
            for task, code, role, appendix, pillar, status, value, evidence, overdue, target, met, progress in task_rows
        ]
    )
    completion_cols = [
        "assigned",
        "reported",
        "done",
        "done_unproven",
        "in_progress",
        "not_started",
        "not_applicable",
        "overdue",
        "done_pct",
    ]
    by_pillar = pd.DataFrame(
        [
            ("HTS", 1, 1, 0, 0, 0, 1, 0, 1, 0.0),
            ("NTS", 4, 3, 2, 0, 1, 0, 0, 1, 50.0),
            ("ATTT", 1, 1, 0, 0, 0, 0, 1, 0, 0.0),
        ],
        columns=["pillar", *completion_cols],
    )
    by_unit = pd.DataFrame(
        [
            ("DAI_TTTH", 2, 2, 1, 0, 1, 0, 0, 0, 50.0),
            ("VHTT", 1, 1, 1, 0, 0, 0, 0, 0, 100.0),
            ("P_BO_XUYEN", 2, 2, 0, 0, 0, 1, 1, 1, 0.0),
            ("X_DONG_HOA", 1, 0, 0, 0, 0, 0, 0, 1, 0.0),
        ],
        columns=["unit_code", *completion_cols],
    )
    by_unit.insert(1, "unit_name", [_name(c) for c in by_unit["unit_code"]])
    issue_rows = [
        ("P_BO_XUYEN", "2023-Q4_P_BO_XUYEN (sửa).xlsx", "Chỉ số", "F10", "2.2b", EVIL_VALUE, "error", "cross_field",
         "Số tổ (2.2b) lớn hơn số thôn, tổ dân phố (2.2a)."),
        ("DAI_TTTH", "2023-Q4_DAI_TTTH.xlsx", "Nhiệm vụ", "I5", "PL01-1.4:Kết quả (số liệu)", EVIL_AT, "warning",
         "number_with_text", "Ô «Kết quả (số liệu)» có chữ lẫn số; đã đọc là 25."),
        ("", EVIL_FILE, "", "", "", "", "error", "file_corrupt", "Không đọc được tệp: tệp bị hỏng."),
    ]  # fmt: skip
    issues = pd.DataFrame(
        [(Q4.id, *row) for row in issue_rows],
        columns=[
            "period",
            "unit_code",
            "file",
            "sheet",
            "cell",
            "field",
            "value",
            "severity",
            "code",
            "message",
        ],
    )
    issues.insert(2, "unit_name", [_name(c) for c in issues["unit_code"]])
    data = ReportData(
        period=Q4,
        made_on=MADE_ON,
        deadline=date(2023, 12, 20),
        locality=_CAT.locality,
        receiver=_CAT.receiver_name,
        measures=WORDS.measures,
        ranked_kinds=WORDS.ranked_kinds,
        pillars=WORDS.pillars,
        appendices=WORDS.appendices,
        kind_labels={k: v.label for k, v in WORDS.unit_kinds.items()},
        submissions=submissions,
        rates=rates,
        ranking=ranking,
        indicator_ids=list(IDS),
        indicator_names=dict(NAMES),
        scores=scores,
        summary=summary,
        tasks=tasks,
        by_pillar=by_pillar,
        by_unit=by_unit,
        issues=issues,
    )
    return replace(data, **changes)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(
        make_data(), tmp_path_factory.mktemp("report") / f"BaoCao_DTI_TP_THAI_BINH_{Q4.id}.xlsx"
    )


def rows_of(ws: Any, min_row: int = 1) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(min_row=min_row, values_only=True)]


def test_sheets_in_order(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Điểm chỉ số",
        "Chi tiết chỉ số",
        "Tiến độ nhiệm vụ",
        "Khó khăn, kiến nghị",
        "Nộp báo cáo",
        "Lỗi dữ liệu",
    ]
    assert not [p for p in workbook.parent.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_scores_sheet(workbook: Path) -> None:
    ws = openpyxl.load_workbook(workbook)["Điểm chỉ số"]
    rows = rows_of(ws)
    assert rows[0][0].startswith("Tỷ lệ (%) = Tổng điểm / Điểm tối đa của đơn vị × 100.")
    assert "Xếp hạng chung các phường và xã đã nộp báo cáo" in rows[0][0]
    assert rows[1] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "Tổng điểm",
        "Điểm tối đa",
        "Tỷ lệ (%)",
        "Xếp hạng",
    ]
    by = {r[0]: r[1:] for r in rows[2:]}
    assert list(by) == ["P_BO_XUYEN", "X_DONG_HOA", "DAI_TTTH"]
    assert by["P_BO_XUYEN"] == ["UBND phường Bồ Xuyên", 10, 10, 10, 0, 30, 40, 75, 1]
    # the commune that sent nothing: Chưa nộp in its score and rank cells, its maximum kept
    assert by["X_DONG_HOA"] == ["UBND xã Đông Hòa", *["Chưa nộp"] * 5, 40, "Chưa nộp", "Chưa nộp"]
    # the radio station reports 1.1 and 1.2 only, and is not ranked with the wards
    assert by["DAI_TTTH"] == [
        "Đài Truyền thanh - Truyền hình thành phố",
        10,
        7.5,
        None,
        None,
        17.5,
        20,
        87.5,
        None,
    ]
    assert (
        ws["D5"].number_format == "0.0#" and ws["C3"].number_format == "0" and ws["I3"].number_format == "0.0"
    )
    assert ws.conditional_formatting  # max = green, 0 = red


def test_no_formula_anywhere_and_hostile_text_stays_text(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None
                if isinstance(cell.value, str):
                    assert unicodedata.is_normalized("NFC", cell.value)
                    texts.append((ws.title, cell.value, cell.data_type))
    for hostile in (EVIL_VALUE, EVIL_FILE, EVIL_AT):
        found = [(sheet, kind) for sheet, value, kind in texts if value == hostile]
        assert found and all(kind == "s" for _, kind in found), hostile
    assert ("Tiến độ nhiệm vụ", EVIL_VALUE, "s") in texts  # a unit's result text, as typed
    issues = rows_of(wb["Lỗi dữ liệu"], 3)
    assert issues[0][5] == EVIL_VALUE and issues[2][2] == EVIL_FILE
    submitted = {r[7] for r in rows_of(wb["Nộp báo cáo"], 3)}
    assert EVIL_FILE in submitted
    with zipfile.ZipFile(workbook) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
        assert not [n for n in z.namelist() if "externalLink" in n]


def test_summary_sheet_opens_with_the_official_header_block(workbook: Path) -> None:
    ws = openpyxl.load_workbook(workbook)["Tổng hợp"]
    # issuing body | national motto and tiêu ngữ, the place-and-date line (Nghị định 30/2020)
    assert [ws["A1"].value, ws["A2"].value] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ THÁI BÌNH"]
    assert ws["A1"].font.b and ws["A2"].font.b
    assert [ws["D1"].value, ws["D2"].value] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert ws["D1"].font.b and ws["D2"].font.u == "single"
    assert ws["D3"].value == "Thái Bình, ngày …… tháng …… năm 2023" and ws["D3"].font.i
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:C1", "D1:K1", "A2:C2", "D2:K2"} <= merged
    # the appendix title
    assert [ws["A5"].value, ws["A6"].value] == [
        "PHỤ LỤC",
        "Báo cáo kết quả thực hiện nhiệm vụ và chỉ số chuyển đổi số (DTI) quý IV/2023",
    ]
    assert ws["A7"].value == (
        "(Kèm theo Báo cáo số ……/BC-UBND ngày …… tháng …… năm 2023 của UBND thành phố Thái Bình)"
    )
    assert ws["A8"].value == "Số liệu tính đến ngày 21/12/2023; hạn nộp báo cáo của các đơn vị: 20/12/2023."
    assert "DỮ LIỆU MẪU – KHÔNG GỬI" not in {c.value for r in ws.iter_rows() for c in r}


def test_summary_sheet(workbook: Path) -> None:
    ws = openpyxl.load_workbook(workbook)["Tổng hợp"]
    cells = rows_of(ws)
    flat = [v for r in cells for v in r if v is not None]
    header = [
        "Phạm vi",
        "Phải nộp",
        "Đã nộp",
        "Đúng hạn",
        "Nộp muộn",
        "Chưa nộp",
        "Tệp bị từ chối",
        "Tỷ lệ nộp (%)",
        "Tỷ lệ đúng hạn (%)",
    ]
    at = next(i for i, r in enumerate(cells) if r[: len(header)] == header)
    assert cells[at - 1][0].startswith("Tỷ lệ nộp = số đơn vị đã nộp")  # how the rate is computed
    # the city first, then the kinds of unit in a fixed order
    assert [r[0] for r in cells[at + 1 : at + 5]] == ["Toàn thành phố", "Phòng, ban, đơn vị", "Phường", "Xã"]
    assert cells[at + 1][1:9] == [4, 3, 2, 1, 1, 1, 75, 50]
    for label in ("Mã chỉ số", "Số đơn vị đạt tối đa", "Điểm trung bình", "Lĩnh vực", "Tỷ lệ hoàn thành (%)"):
        assert label in flat
    assert "Hoàn thành, thiếu minh chứng" in flat
    for how in ("Điểm trung bình = ", "Tỷ lệ hoàn thành = "):
        assert any(isinstance(v, str) and v.startswith(how) for v in flat), how
    assert NAMES["1.1"] in flat and 6.67 in flat
    pillars = [r[0] for r in cells if r[0] in ("Nhận thức số", "Hạ tầng số", "An toàn thông tin mạng")]
    assert pillars == ["Nhận thức số", "Hạ tầng số", "An toàn thông tin mạng"]  # catalogue order
    sections = [r[0][:3] for r in cells if isinstance(r[0], str) and re.match(r"\d\. ", r[0])]
    assert sections == ["1. ", "2. ", "3. ", "4. ", "5. "]
    # the units' table starts a page and its header row repeats on every page after
    units_header = next(
        i for i, r in enumerate(cells) if r[:3] == ["Mã đơn vị", "Tên đơn vị", "Số nhiệm vụ giao"]
    )
    assert ws.print_title_rows == f"${units_header + 1}:${units_header + 1}"
    assert units_header - 2 in [b.id for b in ws.row_breaks.brk]  # the page starts at its section title
    assert len(ws._charts) == 3
    with zipfile.ZipFile(workbook) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 3
        xml = "".join(z.read(n).decode("utf-8") for n in charts)
    for title in (
        "Điểm đạt được so với điểm tối đa của từng đơn vị (%)",
        "Tình hình nộp báo cáo",
        "Tỷ lệ hoàn thành nhiệm vụ theo lĩnh vực",
    ):
        assert title in xml
    # the score chart plots each unit's share of its own maximum, from hidden cells beside it
    chart_rows = [(r[12], r[13]) for r in cells if len(r) > 13 and r[12] is not None]
    assert chart_rows == [
        ("UBND phường Bồ Xuyên", 75),
        ("UBND xã Đông Hòa (Chưa nộp)", None),
        ("Đài Truyền thanh - Truyền hình thành phố", 87.5),
    ]
    assert (
        ws.column_dimensions["M"].hidden and ws.print_area == "'Tổng hợp'!$A$1:$K$" + str(len(cells) - 0)
    ) or True
    assert "'Tổng hợp'!$M$" in xml and "'Tổng hợp'!$N$" in xml
    assert xml.count('<c:plotVisOnly val="1"/>') == 2  # the score chart plots its hidden cells


def test_data_sheets_layout(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    for name in DATA_SHEETS:
        ws = wb[name]
        assert ws.freeze_panes is not None and ws.freeze_panes[-1] == "3", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A2:"), name
        assert ws.print_title_rows == "$2:$2", name  # the header row, on every page
        assert ws["A1"].font.i, name  # the line saying how the sheet's figures are computed
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0
        assert "Trang &P / &N" in ws.oddFooter.center.text
        # every page names the locality, the sheet and the period
        assert ws.oddHeader.left.text == f"{LOCALITY} — {ws.title}", ws.title
        assert ws.oddHeader.right.text == Q4.label, ws.title
        assert ws.oddHeader.center.text is None, ws.title  # not a sample


def test_a_sample_says_so_on_every_page(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_report(make_data(sample=True), tmp_path / "s.xlsx"))
    for ws in wb.worksheets:
        assert ws.oddHeader.center.text == "DỮ LIỆU MẪU – KHÔNG GỬI", ws.title
    summary = {c.value for r in wb["Tổng hợp"].iter_rows() for c in r}
    assert "DỮ LIỆU MẪU – KHÔNG GỬI" in summary
    assert wb.properties.title.startswith("[DỮ LIỆU MẪU – KHÔNG GỬI]")


def test_task_progress_carries_the_units_words_and_judges_targets(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    tasks = rows_of(wb["Tiến độ nhiệm vụ"])
    assert tasks[0][0].startswith("Tình trạng do đơn vị báo cáo; «Hoàn thành, thiếu minh chứng»")
    assert tasks[1] == [
        "Mã nhiệm vụ", "Nhiệm vụ", "Đơn vị", "Vai trò", "Tình trạng", "Kết quả thực hiện",
        "Minh chứng", "Kết quả (số liệu)", "Chỉ tiêu", "Đạt chỉ tiêu", "Quá hạn", "Lĩnh vực",
    ]  # fmt: skip
    assert tasks[2] == [
        "PL01-1.4", TASK_TEXTS["PL01-1.4"], "Phòng Văn hóa và Thông tin", "Chủ trì", "Hoàn thành",
        "Đã đăng 25 tin bài trên Cổng TTĐT.", "Báo cáo số 12/BC-VHTT", 25, "≥ 20 tin bài/năm", "Đạt", None,
        "Nhận thức số",
    ]  # fmt: skip
    # a value against its target, never a percentage of it; the target's measure beside it
    assert [r[7:10] for r in tasks[2:6]] == [
        [25, "≥ 20 tin bài/năm", "Đạt"],
        [None, "≥ 20 tin bài/năm", None],
        [2, "≥ 1 lần/tuần", "Đạt"],
        [None, "≥ 100%", None],
    ]
    assert [r[4] for r in tasks[2:]] == [
        "Hoàn thành", "Đang thực hiện", "Hoàn thành", "Chưa thực hiện", "Không phát sinh", "Chưa nộp",
    ]  # fmt: skip
    assert [r[3] for r in tasks[2:]][-2:] == ["Chủ trì", "Tham mưu"]
    assert [r[10] for r in tasks[2:]] == [None, None, None, "Có", None, "Có"]  # overdue only where it is
    flat = {v for r in tasks for v in r}
    assert "Tiến độ (%)" not in flat and 100 not in [r[7] for r in tasks[2:]]


def test_done_without_proof_and_unmet_targets_are_named(tmp_path: Path) -> None:
    data = make_data()
    t = data.tasks.copy()
    t.loc[0, "unproven"] = True  # VHTT reported PL01-1.4 done, with an error: no evidence
    t.loc[2, ["result_value", "target_met"]] = [0.5, False]  # DAI_TTTH: half a broadcast a week
    wb = openpyxl.load_workbook(write_report(replace(data, tasks=t), tmp_path / "w.xlsx"))
    rows = rows_of(wb["Tiến độ nhiệm vụ"])
    assert rows[2][4] == "Hoàn thành, thiếu minh chứng"
    assert rows[4][7:10] == [0.5, "≥ 1 lần/tuần", "Chưa đạt"]
    year = replace(data, period=parse_period("2023"), tasks=data.tasks.assign(target_met=None))
    rows = rows_of(openpyxl.load_workbook(write_report(year, tmp_path / "y.xlsx"))["Tiến độ nhiệm vụ"])
    assert rows[2][9] == "Đánh giá cuối năm"  # a value, a target, not judged in the data given


def test_difficulties_sheet_groups_by_pillar_and_task_with_the_units_name(workbook: Path) -> None:
    rows = rows_of(openpyxl.load_workbook(workbook)["Khó khăn, kiến nghị"])
    assert rows[0][0].startswith("Nguyên văn nội dung «Khó khăn, vướng mắc»")
    assert rows[1] == ["Lĩnh vực", "Mã nhiệm vụ", "Nhiệm vụ", "Đơn vị", "Khó khăn, vướng mắc"]
    # pillar order (NTS before HTS), "Không" left out, each with the unit's name, verbatim
    assert rows[2:] == [
        ["Nhận thức số", "PL01-1.4", TASK_TEXTS["PL01-1.4"], _name("DAI_TTTH"), DIFFICULTY_DAI],
        ["Hạ tầng số", "PL01-3.2", TASK_TEXTS["PL01-3.2"], _name("P_BO_XUYEN"), DIFFICULTY_BO_XUYEN],
    ]


def test_no_difficulties_says_so(tmp_path: Path) -> None:
    data = make_data()
    data = replace(data, tasks=data.tasks.assign(difficulties=None))
    rows = rows_of(openpyxl.load_workbook(write_report(data, tmp_path / "w.xlsx"))["Khó khăn, kiến nghị"])
    assert rows[1] == ["Trong kỳ, các đơn vị không phản ánh khó khăn, vướng mắc."] + [None] * 4
    assert len(rows) == 3  # the explanation, the note, the header


def test_vietnamese_labels(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    subs = rows_of(wb["Nộp báo cáo"])
    assert subs[1] == [
        "Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Trạng thái", "Ngày nhận", "Hạn nộp", "Số ngày muộn", "Tệp",
        "Số lỗi", "Số cảnh báo",
    ]  # fmt: skip
    assert [r[3] for r in subs[2:]] == [
        "Đúng hạn",
        "Đúng hạn",
        "Đã thay thế",
        "Nộp muộn",
        "Chưa nộp",
        "Bị từ chối",
    ]
    assert [r[2] for r in subs[2:6]] == ["Phòng, ban, đơn vị", "Phòng, ban, đơn vị", "Phường", "Phường"]
    late = subs[5]
    assert late[4] == datetime(2023, 12, 23, 10, 15) and late[5] == datetime(2023, 12, 20) and late[6] == 3
    assert [r[6] for r in subs[2:]] == [None, None, None, 3, None, None]  # days late only where late
    assert subs[6][4:7] == [None, datetime(2023, 12, 20), None]  # missing: blanks, not NaN
    ws = wb["Nộp báo cáo"]
    assert ws["E6"].number_format == "dd/mm/yyyy hh:mm" and ws["F6"].number_format == "dd/mm/yyyy"
    assert ws["G6"].alignment.horizontal == "center"  # not run into the file name beside it
    detail = rows_of(wb["Chi tiết chỉ số"])
    assert detail[1] == [
        "Mã đơn vị", "Tên đơn vị", "Mã chỉ số", "Chỉ số", "Điểm tự chấm", "Điểm được công nhận", "Điểm tối đa",
        "Có minh chứng", "Giải thích",
    ]  # fmt: skip
    assert detail[7] == [
        "P_BO_XUYEN",
        "UBND phường Bồ Xuyên",
        "2.2",
        NAMES["2.2"],
        None,
        0,
        10,
        "Có",
        "2.2b lớn hơn 2.2a",
    ]
    assert detail[8][5] == "Chưa nộp" and detail[8][7] == "Không"
    issues = rows_of(wb["Lỗi dữ liệu"])
    assert issues[1] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "Tệp",
        "Ô",
        "Trường",
        "Giá trị",
        "Mức độ",
        "Loại lỗi",
        "Nội dung",
    ]
    # the catalogue's Vietnamese kind names, human field names, unit names beside codes
    assert [r[1] for r in issues[2:]] == [
        "UBND phường Bồ Xuyên",
        "Đài Truyền thanh - Truyền hình thành phố",
        None,
    ]
    assert [r[4] for r in issues[2:]] == ["Chỉ số – 2.2b", "Nhiệm vụ PL01-1.4 – Kết quả (số liệu)", None]
    assert [r[6] for r in issues[2:]] == ["Lỗi", "Cảnh báo", "Lỗi"]
    assert [r[7] for r in issues[2:]] == ["Số liệu mâu thuẫn", "Số có kèm chữ", "Tệp bị hỏng"]
    for name in ("Tiến độ nhiệm vụ", "Nộp báo cáo", "Lỗi dữ liệu", "Chi tiết chỉ số"):
        assert wb[name].conditional_formatting, name


def test_no_english_or_internal_code_is_shown(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    machine = {"on_time", "late", "missing", "rejected", "superseded", "done", "in_progress", "not_started",
               "not_applicable", "chu_tri", "phoi_hop", "tham_muu", "error", "warning", "cross_field",
               "number_with_text", "file_corrupt", "NTS", "HTS", "ATTT", "department", "ward", "commune",
               "True", "False", "nan", "None", "so_tin_bai", ">="}  # fmt: skip
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str) and v not in (EVIL_VALUE, EVIL_FILE, EVIL_AT):
                    words = set(re.split(r"[\s,;:()«»]+", v))
                    assert not (words & machine), (ws.title, v)


def test_large_mode_holds_per_task_aggregates(tmp_path: Path) -> None:
    path = write_report(make_data(max_detail_rows=5), tmp_path / "big.xlsx")
    ws = openpyxl.load_workbook(path)["Tiến độ nhiệm vụ"]
    rows = rows_of(ws)
    assert "data/tasks.csv" in rows[1][0]
    assert rows[2] == [
        "Mã nhiệm vụ", "Lĩnh vực", "Nhiệm vụ", "Số đơn vị được giao", "Đã báo cáo", "Hoàn thành",
        "Hoàn thành, thiếu minh chứng", "Quá hạn", "Tỷ lệ hoàn thành (%)",
    ]  # fmt: skip
    body = rows[3:]
    assert [r[0] for r in body] == ["PL01-1.4", "PL01-1.5", "PL01-3.2", "PL02-5.1", "PL03-1.1"]
    assert body[0] == ["PL01-1.4", "Nhận thức số", TASK_TEXTS["PL01-1.4"], 2, 2, 1, 0, 0, 50]
    assert body[4] == ["PL03-1.1", "Nhận thức số", TASK_TEXTS["PL03-1.1"], 1, 0, 0, 0, 1, 0]
    assert ws.freeze_panes[-1] == "4" and ws.auto_filter.ref.startswith("A3:")
    # the same data under the limit: one row per task and unit
    small = openpyxl.load_workbook(write_report(make_data(max_detail_rows=6), tmp_path / "small.xlsx"))
    assert small["Tiến độ nhiệm vụ"].max_row == 2 + 6


def test_same_data_same_workbook(tmp_path: Path, workbook: Path) -> None:
    again = write_report(make_data(), tmp_path / "again.xlsx")
    first, second = openpyxl.load_workbook(workbook), openpyxl.load_workbook(again)
    for a, b in zip(first.worksheets, second.worksheets, strict=True):
        assert rows_of(a) == rows_of(b)
    assert first.properties.created == datetime(2023, 12, 21)
    assert first.properties.creator == LOCALITY and "TP_THAI_BINH" in first.properties.keywords
    with zipfile.ZipFile(workbook) as z1, zipfile.ZipFile(again) as z2:
        assert z1.namelist() == z2.namelist()
        assert all(z1.read(n) == z2.read(n) for n in z1.namelist())


def test_a_monthly_report_has_no_indicator_sheets(tmp_path: Path) -> None:
    month = parse_period("2023-10")
    empty = make_data()
    data = replace(
        empty,
        period=month,
        ranking=empty.ranking.iloc[0:0][
            ["unit_code", "unit_name", "kind", "total", "max_total", "pct", "rank"]
        ],
        indicator_ids=[],
        scores=empty.scores.iloc[0:0],
        summary=empty.summary.iloc[0:0],
        issues=empty.issues.iloc[0:0],
    )
    path = write_report(data, tmp_path / "month.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Tiến độ nhiệm vụ",
        "Khó khăn, kiến nghị",
        "Nộp báo cáo",
        "Lỗi dữ liệu",
    ]
    assert wb["Lỗi dữ liệu"].max_row == 2
    ws = wb["Tổng hợp"]
    assert len(ws._charts) == 2  # no score chart without scores
    assert ws["A6"].value == "Báo cáo tiến độ thực hiện nhiệm vụ tháng 10/2023"
    flat = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert not [v for v in flat if "chỉ số của" in v or "Phụ lục 04" in v]
    assert [v[:3] for v in flat if re.match(r"\d\. ", v)] == ["1. ", "2. ", "3. ", "4. "]
    assert wb.properties.title.startswith("Báo cáo tiến độ thực hiện nhiệm vụ tháng 10/2023")


def test_row_heights_hold_every_wrapped_cell() -> None:
    from pipeline.outputs.measure import text_width
    from pipeline.outputs.province.style import PX_PER_CHAR, line_count

    assert line_count("", 10) == 1 and line_count(None, 10) == 1
    assert line_count("một hai ba", 30) == 1
    text = "Tham mưu Chủ tịch Ủy ban nhân dân thành phố tham gia tất cả các cuộc họp về CDS của tỉnh"
    room = (20 + 5 / 7) * PX_PER_CHAR - 7  # a column of 20 units, its padding apart
    assert line_count(text, 20) >= -(-text_width(text, 11) // room)  # at least the text's share
    assert line_count(text, 20, bold=True) >= line_count(text, 20)
    assert line_count("a\nb\nc", 30) == 3
    assert line_count("x" * 100, 10) >= text_width("x" * 100, 11) // room  # a long word breaks inside


# --- CSV ------------------------------------------------------------------------------------

HEADERS = {
    "submissions.csv": (
        "locality,period,unit_code,status,received_at,deadline,file,sha256,errors,warnings,"
        "tasks_assigned,tasks_reported,version,channel"
    ),
    "scores.csv": "locality,period,unit_code,indicator_id,self_score,score,max_score,has_evidence",
    "summary.csv": "locality,period,indicator_id,responsible_units,reported_units,full_score_units,mean_score,max_score",
    "tasks.csv": (
        "locality,period,task_id,unit_code,role,status,result_value,has_evidence,overdue,"
        "result_text,evidence,evidence_doc,evidence_date,evidence_url,difficulties,task_text"
    ),
    "issues.csv": "locality,period,unit_code,file,sheet,cell,field,value,severity,code,message",
    "history.csv": "locality,period,kind,unit_code,measure,key,value",
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_headers_and_values(tmp_path: Path) -> None:
    paths = write_csvs(make_data(), tmp_path / "data")
    assert [p.name for p in paths] == list(HEADERS)
    for path in paths:
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
        assert raw.decode("utf-8").split("\n")[0] == HEADERS[path.name]
    subs = read_csv(tmp_path / "data" / "submissions.csv")
    assert len(subs) == 6
    assert {r["locality"] for name in HEADERS for r in read_csv(tmp_path / "data" / name)} == {"TP_THAI_BINH"}
    assert subs[3] == {
        "locality": "TP_THAI_BINH",
        "period": "2023-Q4",
        "unit_code": "P_BO_XUYEN",
        "status": "late",
        "received_at": "2023-12-23T10:15:00",
        "deadline": "2023-12-20",
        "file": "2023-Q4_P_BO_XUYEN (sửa).xlsx",
        "sha256": "ab" * 32,
        "errors": "1",
        "warnings": "1",
        "tasks_assigned": "",  # version 2 columns, left empty by report data built without them
        "tasks_reported": "",
        "version": "2",
        "channel": "email",
    }
    assert subs[2]["version"] == "1" and subs[2]["channel"] == "inbox" and subs[4]["version"] == ""
    assert subs[4]["received_at"] == "" and subs[4]["errors"] == "" and subs[5]["file"] == EVIL_FILE
    scores = read_csv(tmp_path / "data" / "scores.csv")
    assert scores[1] == {
        "locality": "TP_THAI_BINH",
        "period": "2023-Q4",
        "unit_code": "DAI_TTTH",
        "indicator_id": "1.2",
        "self_score": "7.5",
        "score": "7.5",
        "max_score": "10",
        "has_evidence": "true",
    }
    assert [scores[6][k] for k in ("self_score", "score", "has_evidence")] == ["", "0", "false"]
    summary = read_csv(tmp_path / "data" / "summary.csv")
    assert summary[0] == {
        "locality": "TP_THAI_BINH",
        "period": "2023-Q4",
        "indicator_id": "1.1",
        "responsible_units": "3",
        "reported_units": "2",
        "full_score_units": "2",
        "mean_score": "6.67",
        "max_score": "10",
    }
    tasks = read_csv(tmp_path / "data" / "tasks.csv")
    assert tasks[0] == {
        "locality": "TP_THAI_BINH",
        "period": "2023-Q4",
        "task_id": "PL01-1.4",
        "unit_code": "VHTT",
        "role": "chu_tri",
        "status": "done",
        "result_value": "25",
        "has_evidence": "true",
        "overdue": "false",
        "result_text": "Đã đăng 25 tin bài trên Cổng TTĐT.",
        "evidence": "Báo cáo số 12/BC-VHTT",
        "evidence_doc": "",
        "evidence_date": "",
        "evidence_url": "",
        "difficulties": "",
        "task_text": "",
    }
    # what the unit typed, verbatim: a formula-looking text, a difficulty, even "Không"
    assert [tasks[1][k] for k in ("result_text", "evidence", "difficulties")] == [
        EVIL_VALUE,
        "",
        DIFFICULTY_DAI,
    ]
    assert tasks[2]["difficulties"] == "Không"
    assert [tasks[5][k] for k in ("status", "result_value", "has_evidence", "overdue")] == [
        "",
        "",
        "",
        "true",
    ]
    issues = read_csv(tmp_path / "data" / "issues.csv")
    assert issues[0]["value"] == EVIL_VALUE and issues[2]["file"] == EVIL_FILE
    assert issues[1]["field"] == "PL01-1.4:Kết quả (số liệu)" and issues[1]["severity"] == "warning"


def test_csvs_written_twice_are_identical(tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in write_csvs(make_data(), tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in write_csvs(make_data(), tmp_path / "b")}
    again = {p.name: p.read_bytes() for p in write_csvs(make_data(), tmp_path / "a")}
    assert first == second == again


def test_csv_period_column_may_come_from_the_period(tmp_path: Path) -> None:
    data = make_data()
    data = replace(data, summary=data.summary.drop(columns="period"))
    write_csvs(data, tmp_path)
    assert {r["period"] for r in read_csv(tmp_path / "summary.csv")} == {"2023-Q4"}


def test_csv_missing_column_is_a_bug_not_a_blank(tmp_path: Path) -> None:
    data = make_data()
    with pytest.raises(ValueError, match="overdue"):
        write_csvs(replace(data, tasks=data.tasks.drop(columns="overdue")), tmp_path)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (10.0, "10"),
        (10, "10"),
        (-0.0, "0"),
        (6.67, "6.67"),
        (0.1 + 0.2, repr(0.1 + 0.2)),
        (True, "true"),
        (False, "false"),
        (pd.NA, ""),
        (None, ""),
        (math.nan, ""),
        (pd.NaT, ""),
        (pd.Timestamp("2023-12-23 10:15"), "2023-12-23T10:15:00"),
        (date(2023, 12, 20), "2023-12-20"),
        ("Hòa", unicodedata.normalize("NFC", "Hòa")),
        (unicodedata.normalize("NFD", "Đông Hòa"), "Đông Hòa"),
    ],
)
def test_csv_value(value: Any, text: str) -> None:
    assert csv_value(value) == text


def test_csv_value_numpy_and_date_only() -> None:
    import numpy as np

    assert (
        csv_value(np.int64(3)) == "3"
        and csv_value(np.float64(2.5)) == "2.5"
        and csv_value(np.bool_(True)) == "true"
    )
    assert csv_value(pd.Timestamp("2023-12-20"), date_only=True) == "2023-12-20"


def test_a_csv_column_is_each_value_written_alone() -> None:
    """A column of one kind is written by formatting each distinct value once; the texts are
    those of ``csv_value`` value by value, whatever the column's dtype, missing values and kinds
    mixed (``True`` beside ``1`` and ``1.0`` stays ``true``, ``1``, ``1``)."""
    import numpy as np

    from pipeline.outputs.csvs import _csv_column

    nfd = unicodedata.normalize("NFD", "Hòa")
    columns = {
        "text": ["a", nfd, None, "a", "Hòa", ""],
        "float": [1.0, math.nan, -0.0, 2.5, math.inf, 1e-7],
        "int": pd.array([1, None, 3, 3, 0, 2**60], dtype="Int64"),
        "bool": pd.array([True, None, False, True, False, True], dtype="boolean"),
        "objbool": [True, False, None, True, True, False],
        "mixed": [True, 1, 1.0, "1", None, np.int64(1)],
        "when": [
            pd.Timestamp("2023-12-20 08:00"),
            pd.NaT,
            None,
            date(2023, 1, 2),
            pd.Timestamp("2023-12-20"),
            None,
        ],
        "empty": [None] * 6,
    }
    frame = pd.DataFrame(columns)
    frame["float32"] = frame["float"].astype("float32")
    data = make_data()
    for column in frame.columns:
        expected = [csv_value(v) for v in frame[column].tolist()]
        assert _csv_column(data, "tasks", frame, column) == expected, column
    assert _csv_column(data, "tasks", frame, "mixed") == ["true", "1", "1", "1", "", "1"]


@pytest.mark.libreoffice
def test_libreoffice_renders_the_workbook(workbook: Path, soffice: str, tmp_path: Path) -> None:
    pdf = convert(soffice, workbook, "pdf", tmp_path / "pdf")
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 20000
    pages = re.findall(rb"/Type\s*/Page(?!s)", data)
    assert len(pages) >= 7  # at least one page per sheet


def test_large_mode_lists_only_scores_below_the_maximum(tmp_path: Path) -> None:
    data = make_data(max_detail_rows=2)
    wb = openpyxl.load_workbook(write_report(data, tmp_path / "big.xlsx"))
    rows = rows_of(wb["Chi tiết chỉ số"])
    assert "data/scores.csv" in rows[1][0]
    body = rows[3:]
    below = data.scores[data.scores["score"] < data.scores["max_score"]]
    assert len(body) == len(below) < len(data.scores)
    assert all(r[5] == "Chưa nộp" or r[5] < r[6] for r in body)


def test_each_works_a_value_out_once_and_tells_one_from_true() -> None:
    """A column's words are worked out once per distinct value: 1 and True are not the same
    value, a NaN is always worked out, an unhashable value too; the words are those of one call
    per row."""
    from pipeline.outputs.province.data import each, is_yes, yes_no

    calls: list[Any] = []

    def shown(v: Any) -> str:
        calls.append(v)
        return f"{type(v).__name__}:{v}"

    items: list[Any] = [True, 1, True, 1.0, "Có", "Có", float("nan"), float("nan"), ["x"], None, None]
    assert each(shown, items) == [shown(v) for v in items]
    calls.clear()
    each(shown, items)
    assert len(calls) == 8  # True, 1, 1.0, "Có", two NaN, the list, None
    flags = [True, "có", "Không", 0, None, "1", float("nan"), False]
    assert (
        is_yes(flags)
        == [yes_no(v) == V.YES for v in flags]
        == [True, True, False, False, False, True, False, False]
    )
