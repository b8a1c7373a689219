"""The narrative report (contract §7): written from a realistic NarrativeData, read back.

The data are built here the way a run would fill them for Thái Bình's 36 units (names and task
texts from schemas/): a quarter with a late unit, a missing one, a refused file, indicator
scores below the maximum and difficulties typed by wards; a month without indicators; a sample.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pandas as pd
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt

from pipeline.base import vocabulary as V
from pipeline.base.messages import report as R
from pipeline.base.periods import parse_period
from pipeline.catalogue import Locality
from pipeline.catalogue.model import ReportForm, Signer
from pipeline.outputs.narrative import NarrativeData, pick_requests, says_something, write_narrative
from pipeline.outputs.narrative.compose import task_ref
from pipeline.outputs.narrative.data import as_date

ROOT = Path(__file__).resolve().parents[2]
APPENDICES = ("Phụ lục 01", "Phụ lục 02", "Phụ lục 03")
RECEIVER = "UBND thành phố (qua Phòng Văn hóa và Thông tin)"
UNITS = {r["code"]: r for r in csv.DictReader((ROOT / "schemas" / "units.csv").open(encoding="utf-8"))}
TASKS = {r["task_id"]: r for r in csv.DictReader((ROOT / "schemas" / "tasks.csv").open(encoding="utf-8"))}
WARDS = [c for c, u in UNITS.items() if u["kind"] in ("ward", "commune")]
BROADCASTERS = ["DAI_TTTH", *WARDS]

LATE, MISSING, REFUSED, TWICE = "CCT", "X_VU_PHUC", "P_DE_THAM", "P_BO_XUYEN"
NO_EVIDENCE_UNIT = "P_KY_BA"
DIFFICULTY_KY_BA = (
    "Tổ công nghệ số cộng đồng ở một số tổ dân phố chưa được tập huấn, thành viên chủ yếu là người "
    "cao tuổi nên việc hướng dẫn người dân cài đặt ứng dụng còn chậm. Đề nghị thành phố tổ chức lớp "
    "tập huấn cho các tổ trong Quý I năm 2024."
)
REQUEST_KY_BA = "Đề nghị thành phố tổ chức lớp tập huấn cho các tổ trong Quý I năm 2024."
DIFFICULTY_DONG_MY = (
    "Hệ thống loa truyền thanh ở 2 thôn bị hỏng, chưa có kinh phí sửa chữa; kiến nghị UBND thành phố "
    "hỗ trợ kinh phí thay thế cụm loa"
)
DIFFICULTY_TCKH = (
    "Chưa có hướng dẫn cụ thể về cách xác định chi cho an toàn thông tin trong tổng chi chuyển đổi số."
)
INDICATORS = {
    "1.1": ("Hệ thống truyền thanh có chuyên mục riêng về chuyển đổi số", BROADCASTERS),
    "1.2": ("Tần suất phát sóng chuyên mục riêng về chuyển đổi số", BROADCASTERS),
    "2.1": ("Tổ công nghệ số cộng đồng cấp phường, xã", WARDS),
    "2.2": ("Tổ công nghệ số cộng đồng cấp thôn, tổ dân phố", WARDS),
}
PILLARS = (
    ("Nhận thức số", 62, 61, 40, 15, 4, 2, 0),
    ("Thể chế số", 38, 37, 20, 12, 3, 2, 0),
    ("Hạ tầng số", 21, 20, 12, 6, 1, 1, 0),
    ("Nhân lực số", 84, 82, 45, 28, 6, 3, 2),
    ("An toàn thông tin mạng", 24, 24, 15, 7, 2, 0, 0),
    ("Hoạt động chính quyền số", 160, 156, 70, 60, 20, 6, 1),
    ("Hoạt động kinh tế số", 101, 98, 30, 50, 10, 8, 0),
    ("Hoạt động xã hội số", 140, 137, 60, 55, 15, 7, 0),
)


def locality() -> Locality:
    return Locality(
        name="UBND thành phố Thái Bình",
        title="UBND THÀNH PHỐ THÁI BÌNH",
        short_name="UBND thành phố",
        level="thành phố",
        receiver="VHTT",
        code="TP_THAI_BINH",
        admin_code="336",
        header=("ỦY BAN NHÂN DÂN", "THÀNH PHỐ THÁI BÌNH"),
        superior="",
        place="Thái Bình",
        report=ReportForm(
            symbol="BC-UBND",
            recipient="Sở Thông tin và Truyền thông tỉnh Thái Bình",
            copies=(
                "TT Thành ủy, TT HĐND thành phố",
                "Chủ tịch, các Phó Chủ tịch UBND thành phố",
                "Phòng Văn hóa và Thông tin",
            ),
            archive="VT, VHTT",
            signer=Signer(authority="KT. CHỦ TỊCH", title="PHÓ CHỦ TỊCH", name=""),
            plan=(
                "Kế hoạch của UBND thành phố về thực hiện nâng cao chỉ số chuyển đổi số (DTI) của thành "
                "phố, của tỉnh năm 2023 và các năm tiếp theo"
            ),
        ),
    )


def _name(code: str) -> str:
    return UNITS[code]["name"]


def _text(task_id: str) -> str:
    return TASKS[task_id]["text"]


def _submissions(deadline: date) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for n, (code, unit) in enumerate(UNITS.items()):
        base = {"unit_code": code, "unit_name": unit["name"], "kind": unit["kind"], "days_late": None}
        if code == MISSING:
            rows.append({**base, "status": "missing", "received_at": None})
            continue
        if code == REFUSED:
            rows.append(
                {
                    **base,
                    "status": "rejected",
                    "received_at": f"{deadline.replace(day=12).isoformat()}T08:30:00",
                    "reason": "lập theo mẫu của kỳ báo cáo khác",
                }
            )
        if code == TWICE:
            rows.append(
                {
                    **base,
                    "status": "superseded",
                    "received_at": f"{deadline.replace(day=11).isoformat()}T09:00",
                }
            )
        if code == LATE:
            late = deadline.replace(day=deadline.day + 2).isoformat()
            rows.append({**base, "status": "late", "received_at": f"{late}T10:15:00", "days_late": 2})
            continue
        day = deadline.replace(day=10 + n % 10)
        rows.append({**base, "status": "on_time", "received_at": f"{day.isoformat()}T09:00:00"})
    return pd.DataFrame(rows)


def _rates(subs: pd.DataFrame) -> pd.DataFrame:
    status = {r["unit_code"]: r["status"] for r in subs.to_dict("records") if r["status"] != "superseded"}
    status = {c: s for c, s in status.items() if s != "rejected"} | {
        c: "on_time" for c in subs.loc[subs["status"] == "on_time", "unit_code"]
    }
    rows = []
    for scope in ("department", "agency", "ward", "commune", "all"):
        units = [c for c, u in UNITS.items() if scope == "all" or u["kind"] == scope]
        got = [status.get(c, "missing") for c in units]
        rejected = subs[(subs["status"] == "rejected") & subs["unit_code"].isin(units)]
        n, on_time, late = len(units), got.count("on_time"), got.count("late")
        rows.append(
            {
                "scope": scope,
                "expected": n,
                "received": on_time + late,
                "on_time": on_time,
                "late": late,
                "missing": n - on_time - late,
                "rejected_files": len(rejected),
                "rate_pct": round(100 * (on_time + late) / n, 1),
                "on_time_pct": round(100 * on_time / n, 1),
            }
        )
    return pd.DataFrame(rows)


def _scores() -> pd.DataFrame:
    rows = []
    for iid, (_label, units) in INDICATORS.items():
        for code in units:
            reported, evidence, self_score = code != MISSING, code != MISSING, 10.0
            if code == MISSING:
                self_score = float("nan")
            if code == NO_EVIDENCE_UNIT and iid == "1.2":
                evidence = False
            if code in ("X_DONG_MY", "P_TIEN_PHONG") and iid == "2.2":
                self_score = 0.0
            score = self_score if evidence and reported else 0.0
            rows.append(
                {
                    "unit_code": code,
                    "unit_name": _name(code),
                    "indicator_id": iid,
                    "self_score": self_score,
                    "score": score,
                    "max_score": 10.0,
                    "has_evidence": evidence,
                    "reported": reported,
                }
            )
    return pd.DataFrame(rows)


def _summary(scores: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for iid, (name, _units) in INDICATORS.items():
        s = scores[scores["indicator_id"] == iid]
        rows.append(
            {
                "indicator_id": iid,
                "name": name,
                "responsible_units": len(s),
                "reported_units": int(s["reported"].sum()),
                "full_score_units": int((s["score"] == 10).sum()),
                "mean_score": round(s["score"].sum() / len(s), 2),
                "max_score": 10.0,
            }
        )
    return pd.DataFrame(rows)


def _pillars() -> pd.DataFrame:
    cols = [
        "pillar",
        "assigned",
        "reported",
        "done",
        "in_progress",
        "not_started",
        "not_applicable",
        "overdue",
    ]
    frame = pd.DataFrame(PILLARS, columns=cols)
    frame["done_pct"] = (100 * frame["done"] / (frame["assigned"] - frame["not_applicable"])).round(1)
    return frame


def _targets(kind: str) -> pd.DataFrame:
    rows = []
    for code in BROADCASTERS:
        value = {MISSING: None, NO_EVIDENCE_UNIT: 0.5}.get(code, 1.0 + len(code) % 3)
        met = None if value is None else value >= 1
        rows.append(("PL01-1.5", code, value, "lần/tuần", met))
    rows.append(("PL01-1.4", "VP", 15.0, "tin bài", None if kind != "year" else False))
    rows.append(("PL01-5.5", "TCKH", 8.0, "%", None if kind != "year" else False))
    return pd.DataFrame(
        [
            {
                "task_id": tid,
                "task": _text(tid),
                "unit_code": code,
                "unit_name": _name(code),
                "value": value,
                "target": TASKS[tid]["target_raw"],
                "measure": measure,
                "met": met,
            }
            for tid, code, value, measure, met in rows
        ]
    )


def _difficulties() -> pd.DataFrame:
    rows = [
        ("P_KY_BA", "PL01-4.1", DIFFICULTY_KY_BA),
        ("P_KY_BA", "PL02-3.1", DIFFICULTY_KY_BA),  # the same words under the twin task
        ("X_DONG_MY", "PL01-1.5", DIFFICULTY_DONG_MY),
        ("TCKH", "PL01-5.5", DIFFICULTY_TCKH),
        ("VHTT", "PL01-3.2", "Không"),
        ("QLDT", "PL01-6.2", "không có khó khăn, vướng mắc."),
    ]
    return pd.DataFrame(
        [
            {"unit_code": c, "unit_name": _name(c), "task_id": t, "task": _text(t), "text": x}
            for c, t, x in rows
        ]
    )


def quarter(sample: bool = False) -> NarrativeData:
    deadline = date(2023, 12, 20)
    subs = _submissions(deadline)
    scores = _scores()
    overdue = pd.DataFrame(
        [
            {
                "task_id": "PL01-4.6",
                "task": _text("PL01-4.6"),
                "unit_code": c,
                "unit_name": _name(c),
                "due_date": date(2023, 9, 30),
            }
            for c in ("VHTT", "P_TRAN_LAM")
        ]
        + [{"task_id": "PL01-6.1", "task": _text("PL01-6.1"), "unit_code": "VP", "unit_name": _name("VP")}]
    )
    return NarrativeData(
        period=parse_period("2023-Q4"),
        deadline=deadline,
        made_on=date(2023, 12, 22),
        locality=locality(),
        receiver=RECEIVER,
        appendices=APPENDICES,
        sample=sample,
        submissions=subs,
        rates=_rates(subs),
        indicators=_summary(scores),
        scores=scores,
        pillars=_pillars(),
        overdue=overdue,
        targets=_targets("quarter"),
        difficulties=_difficulties(),
    )


def month() -> NarrativeData:
    deadline = date(2023, 10, 20)
    subs = _submissions(deadline)
    return NarrativeData(
        period=parse_period("2023-10"),
        deadline=deadline,
        made_on=date(2023, 10, 23),
        locality=locality(),
        receiver=RECEIVER,
        appendices=APPENDICES,
        submissions=subs,
        rates=_rates(subs),
        pillars=_pillars(),
        targets=_targets("month"),
    )


# --- reading back --------------------------------------------------------------------------------


def _all_paragraphs(doc: Any) -> list[Any]:
    out = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(cell.paragraphs)
    return out


def _text_of(doc: Any) -> str:
    return "\n".join(p.text for p in _all_paragraphs(doc))


def _section(doc: Any, start: str, end: str | None) -> str:
    text = "\n".join(p.text for p in doc.paragraphs)
    a = text.index(start)
    b = text.index(end, a) if end else len(text)
    return text[a:b]


@pytest.fixture(scope="module")
def quarter_doc(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    path = write_narrative(quarter(), tmp_path_factory.mktemp("q") / "BaoCao.docx")
    return path, docx.Document(str(path))


def test_the_file_is_named_by_locality_and_period(tmp_path: Path) -> None:
    path = write_narrative(quarter(), tmp_path)
    assert path.name == "BaoCao_DTI_TP_THAI_BINH_2023-Q4.docx"
    assert path.exists() and not list(tmp_path.glob(".*.tmp"))


def test_header_block_has_the_issuing_body_and_the_national_motto(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ THÁI BÌNH",
        "Số: ……/BC-UBND",
    ]
    texts = [p.text for p in right.paragraphs if p.text]
    assert texts == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thái Bình, ngày …… tháng …… năm 2023",
    ]
    motto, tieu_ngu = right.paragraphs[0], right.paragraphs[1]
    assert all(r.bold for r in motto.runs) and all(r.bold for r in tieu_ngu.runs)
    assert all(r.bold for r in left.paragraphs[1].runs)
    date_line = next(p for p in right.paragraphs if p.text.startswith("Thái Bình"))
    assert all(r.italic for r in date_line.runs)
    # the rules: bordered empty paragraphs under the issuing body and under the tiêu ngữ
    for cell in (left, right):
        assert any(p._p.find(".//w:pBdr/w:bottom", p._p.nsmap) is not None for p in cell.paragraphs)
    # borderless
    borders = doc.tables[0]._tbl.tblPr.find("w:tblBorders", doc.tables[0]._tbl.nsmap)
    assert borders is not None and {e.get(f"{{{borders.nsmap['w']}}}val") for e in borders} == {"nil"}


def test_title_summary_and_recipient(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kết quả thực hiện Kế hoạch nâng cao Chỉ số chuyển đổi số (DTI)\nQuý IV năm 2023" in texts
    assert "Kính gửi: Sở Thông tin và Truyền thông tỉnh Thái Bình" in texts


def test_four_sections_in_order(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    headings = [
        p.text
        for p in doc.paragraphs
        if p.runs and all(r.bold for r in p.runs) and p.text[:3] in ("I. ", "II.", "III", "IV.")
    ]
    assert headings == [
        "I. TÌNH HÌNH BÁO CÁO",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. TỒN TẠI, HẠN CHẾ",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
    ]


def test_reporting_figures_equal_the_rates_and_name_units(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    data = quarter()
    total = data.rates.set_index("scope").loc["all"]
    part = _section(doc, "I. TÌNH HÌNH BÁO CÁO", "II. KẾT QUẢ THỰC HIỆN")
    assert f"{int(total['received'])}/{int(total['expected'])} đơn vị" in part
    assert "35/36 đơn vị, đạt 97,2%" in part
    assert "34/36 đơn vị gửi đúng hạn (94,4%)" in part
    assert "hạn gửi báo cáo là ngày 20/12/2023" in part
    assert f"{_name(LATE)} (gửi ngày 22/12/2023, muộn 2 ngày)" in part
    assert f"Đơn vị chưa gửi báo cáo: {_name(MISSING)}." in part
    assert f"Có 1 tệp báo cáo không được tiếp nhận: tệp của {_name(REFUSED)}" in part
    assert "đơn vị đã gửi lại báo cáo hợp lệ" in part
    assert "- UBND các xã: 8/9 đơn vị đã gửi báo cáo (88,9%); đúng hạn 8; chưa gửi 1." in part
    assert (
        "- Các cơ quan ngành dọc đóng trên địa bàn thành phố: 3/3 đơn vị đã gửi báo cáo (100%); đúng hạn 2, gửi muộn 1."
        in part
    )


def test_indicator_results_against_the_maximum(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    summary = quarter().indicators.set_index("indicator_id")
    part = _section(doc, "1. Kết quả các chỉ số", "2. Kết quả thực hiện nhiệm vụ")
    for iid, row in summary.iterrows():
        mean = V.number(row["mean_score"], 2, group=True)
        assert f"Chỉ số {iid} «{row['name']}»: điểm bình quân đạt {mean}/10 điểm" in part
        assert f"{row['full_score_units']}/{row['responsible_units']} đơn vị đạt điểm tối đa" in part
    assert "9,5/10" in part  # 1.1: 19 of 20 units at 10 → 9,5
    assert f"{_name(NO_EVIDENCE_UNIT)} (0 điểm, thiếu minh chứng)" in part
    assert f"{_name(MISSING)} (chưa gửi báo cáo)" in part
    assert f"{_name('X_DONG_MY')} (0 điểm)" in part
    assert "Có 16/20 đơn vị đạt điểm tối đa ở tất cả các chỉ số được giao." in part


def test_tasks_by_pillar_and_targets(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    part = _section(doc, "2. Kết quả thực hiện nhiệm vụ", "III. TỒN TẠI")
    assert (
        "- Nhân lực số: hoàn thành 45/81 lượt (55,6%), đang thực hiện 28, chưa thực hiện 6, chưa báo cáo 2; quá hạn 2 lượt."
        in part
    )
    assert "Tổng số lượt nhiệm vụ được giao tại Phụ lục 01, Phụ lục 02 và Phụ lục 03 là 630 lượt" in part
    assert "Có 3 lượt nhiệm vụ đã quá thời hạn" in part
    assert (
        "Tần suất phát sóng từ 1 tuần/1 lần (mục 1.5 Phụ lục 01: «Xây dựng, duy trì chuyên mục riêng" in part
    )
    assert (
        "18/19 đơn vị đạt chỉ tiêu; chưa đạt: UBND phường Kỳ Bá (0,5 lần/tuần); chưa báo cáo số liệu: UBND xã Vũ Phúc."
        in part
    )
    assert (
        "Văn phòng HĐND và UBND thành phố đạt 15 tin bài, chỉ tiêu năm, được đánh giá tại kỳ báo cáo năm."
        in part
    )
    assert "Chi tiết tại Phụ lục kèm theo (tệp BaoCao_DTI_TP_THAI_BINH_2023-Q4.xlsx)." in part


def test_shortcomings_quote_the_units_difficulties_with_their_names(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    part = _section(doc, "III. TỒN TẠI, HẠN CHẾ", "IV. ĐỀ XUẤT")
    assert f"Còn 1 đơn vị chưa gửi báo cáo: {_name(MISSING)}." in part
    assert f"gửi báo cáo chậm so với thời hạn: {_name(LATE)}." in part
    assert (
        f"+ «{_text('PL01-4.6')}» (mục 4.6 Phụ lục 01, thời hạn 30/09/2023): Phòng Văn hóa và Thông tin, UBND phường Trần Lãm."
        in part
    )
    assert f"{_name(NO_EVIDENCE_UNIT)}: «{DIFFICULTY_KY_BA}»" in part
    assert part.count(DIFFICULTY_KY_BA) == 1  # typed under two tasks, quoted once
    assert "(các nhiệm vụ tại mục 4.1 Phụ lục 01 và mục 3.1 Phụ lục 02)" in part
    assert f"UBND xã Đông Mỹ: «{DIFFICULTY_DONG_MY}»" in part
    assert f"Phòng Tài chính - Kế hoạch: «{DIFFICULTY_TCKH}»" in part
    assert "Phòng Văn hóa và Thông tin: «Không»" not in part and "Phòng Quản lý đô thị" not in part
    assert "chưa có số liệu, văn bản chứng minh nên điểm chưa được công nhận: UBND phường Kỳ Bá." in part


def test_proposals_carry_what_units_asked_for(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    part = _section(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ", None)
    assert f"- {_name(NO_EVIDENCE_UNIT)}: «{REQUEST_KY_BA}»\n" in part  # its own period ends it
    assert "- UBND xã Đông Mỹ: «kiến nghị UBND thành phố hỗ trợ kinh phí thay thế cụm loa»." in part
    assert "Phòng Tài chính - Kế hoạch" not in part  # a difficulty that asks for nothing
    assert "Đề nghị Sở Thông tin và Truyền thông tỉnh Thái Bình:" in part
    assert part.rstrip().endswith("tổng hợp, theo dõi./.")


def test_closing_block_copies_and_signer(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    left, right = doc.tables[-1].rows[0].cells
    lines = [p.text for p in left.paragraphs]
    assert lines[0] == "Nơi nhận:" and lines[1] == "- Như trên;" and lines[-1] == "- Lưu: VT, VHTT."
    assert "- Chủ tịch, các Phó Chủ tịch UBND thành phố;" in lines
    label = left.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size == Pt(12)
    assert all(r.font.size == Pt(11) for p in left.paragraphs[1:] for r in p.runs)
    signer = [p.text for p in right.paragraphs if p.text]
    assert signer == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", V.SIGNER_BLANK]
    assert all(r.bold for p in right.paragraphs for r in p.runs if r.text)


def test_no_internal_codes_or_english_in_the_text(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    text = _text_of(doc).replace("Lưu: VT, VHTT.", "")
    for code in UNITS:
        assert not re.search(rf"(?<![\w.]){re.escape(code)}(?![\w])", text), code
    for word in (
        "on_time",
        "late",
        "missing",
        "rejected",
        "superseded",
        "PL01-",
        "PL02-",
        "nan",
        "None",
        "True",
    ):
        assert word not in text, word
    assert not re.search(r"\d\.\d%", text)  # percentages with a comma


def test_fonts_sizes_and_paragraphs(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(14)
    for p in _all_paragraphs(doc):
        for r in p.runs:
            assert r.font.name == "Times New Roman"
            rfonts = r._r.rPr.rFonts
            assert rfonts.get(f"{{{rfonts.nsmap['w']}}}eastAsia") == "Times New Roman"
    body = [
        p for p in doc.paragraphs if p.text.startswith(("Thực hiện", "Đến ngày", "- ", "+ ", "I", "Trên đây"))
    ]
    assert len(body) > 20
    for p in body:
        assert p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY, p.text
        assert p.paragraph_format.first_line_indent >= Mm(10), p.text
        assert all(Pt(13) <= r.font.size <= Pt(14) for r in p.runs)


def test_page_a4_portrait_margins_and_page_numbers(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    s = doc.sections[0]
    assert s.orientation == WD_ORIENT.PORTRAIT
    assert abs(s.page_width - Mm(210)) < Mm(0.5) and abs(s.page_height - Mm(297)) < Mm(0.5)
    mm = {k: round(getattr(s, f"{k}_margin").mm, 1) for k in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25, mm
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20, mm
    assert s.different_first_page_header_footer
    assert "".join(p.text for p in s.first_page_header.paragraphs).strip() == ""  # no number on page 1
    header = s.header.paragraphs[0]
    centre = [t for t in header.paragraph_format.tab_stops if t.alignment == WD_TAB_ALIGNMENT.CENTER]
    assert [round(t.position.mm) for t in centre] == [82]  # the middle of the 165 mm text width
    assert "PAGE" in "".join(t.text or "" for t in header._p.iter(f"{{{header._p.nsmap['w']}}}instrText"))
    assert V.SAMPLE_MARK not in "".join(p.text for p in s.header.paragraphs)


def test_document_properties(quarter_doc: tuple[Path, Any]) -> None:
    _path, doc = quarter_doc
    props = doc.core_properties
    assert props.author == "UBND thành phố Thái Bình"
    assert props.title.startswith("BÁO CÁO kết quả thực hiện Kế hoạch") and "Quý IV năm 2023" in props.title
    assert "TP_THAI_BINH" in props.subject and "2023-Q4" in props.subject and "336" in props.subject
    assert props.created.date() == date(2023, 12, 22) and props.modified.date() == date(2023, 12, 22)


def test_same_data_same_bytes(tmp_path: Path) -> None:
    a = write_narrative(quarter(), tmp_path / "a.docx")
    b = write_narrative(quarter(), tmp_path / "b.docx")
    assert a.read_bytes() == b.read_bytes()


def test_month_has_tasks_and_no_indicators(tmp_path: Path) -> None:
    doc = docx.Document(str(write_narrative(month(), tmp_path / "m.docx")))
    text = _text_of(doc)
    assert "Tiến độ thực hiện nhiệm vụ nâng cao Chỉ số chuyển đổi số (DTI)\ntháng 10 năm 2023" in text
    assert "1. Kết quả thực hiện nhiệm vụ theo từng lĩnh vực" in text
    assert "2. Kết quả thực hiện các chỉ tiêu định lượng" in text
    for word in ("Kết quả các chỉ số", "điểm tối đa", "Phụ lục 04", "Chỉ số 1.1", "điểm chưa được công nhận"):
        assert word not in text, word
    assert "các đơn vị không phản ánh khó khăn, vướng mắc" in text
    assert "các đơn vị không có kiến nghị, đề xuất cụ thể" in text
    assert "BaoCao_DTI_TP_THAI_BINH_2023-10.xlsx" in text


def test_sample_is_marked_on_every_page_header(tmp_path: Path) -> None:
    doc = docx.Document(str(write_narrative(quarter(sample=True), tmp_path / "s.docx")))
    s = doc.sections[0]
    assert V.SAMPLE_MARK in "".join(p.text for p in s.first_page_header.paragraphs)
    assert V.SAMPLE_MARK in "".join(p.text for p in s.header.paragraphs)
    assert V.SAMPLE_MARK in doc.core_properties.title and V.SAMPLE_MARK in doc.core_properties.subject


def test_empty_inputs_each_get_a_sentence(tmp_path: Path) -> None:
    data = NarrativeData(
        period=parse_period("2023-Q4"),
        deadline=date(2023, 12, 20),
        made_on=date(2023, 12, 22),
        locality=locality(),
        receiver=RECEIVER,
    )
    text = _text_of(docx.Document(str(write_narrative(data, tmp_path / "e.docx"))))
    for sentence in (R.NO_RATES, R.NO_INDICATORS, R.NO_TASKS, R.NO_TARGETS, R.NO_REQUESTS, R.NO_SHORTCOMINGS):
        assert sentence in text, sentence
    assert R.NO_DIFFICULTIES in text


def test_nobody_reported_yet(tmp_path: Path) -> None:
    base = quarter()
    subs = base.submissions.assign(status="missing", received_at=None, days_late=None)
    subs = subs.drop_duplicates("unit_code")
    rates = base.rates.assign(
        received=0, on_time=0, late=0, missing=base.rates["expected"], rate_pct=0.0, on_time_pct=0.0
    )
    data = NarrativeData(
        period=base.period,
        deadline=base.deadline,
        made_on=date(2023, 12, 1),
        locality=base.locality,
        receiver=RECEIVER,
        submissions=subs,
        rates=rates,
    )
    text = _text_of(docx.Document(str(write_narrative(data, tmp_path / "n.docx"))))
    assert "Đến ngày 01/12/2023, chưa nhận được báo cáo của đơn vị nào." in text


def test_unit_text_is_quoted_verbatim_without_control_characters(tmp_path: Path) -> None:
    hostile = '=HYPERLINK("http://example.invalid","bấm")\x07 & <b>thiếu</b> máy tính'
    base = quarter()
    diff = pd.DataFrame(
        [
            {
                "unit_code": "P_KY_BA",
                "unit_name": _name("P_KY_BA"),
                "task_id": "P_KY_BA-PS1",
                "task": "Nhiệm vụ riêng",
                "text": hostile,
            }
        ]
    )
    data = NarrativeData(
        period=base.period,
        deadline=base.deadline,
        made_on=base.made_on,
        locality=base.locality,
        receiver=RECEIVER,
        difficulties=diff,
    )
    text = _text_of(docx.Document(str(write_narrative(data, tmp_path / "h.docx"))))
    assert f"UBND phường Kỳ Bá: «{hostile.replace(chr(7), '')}» (nhiệm vụ «Nhiệm vụ riêng»)." in text


def test_missing_columns_are_refused() -> None:
    base = quarter()
    with pytest.raises(ValueError, match="rates lacks columns"):
        NarrativeData(
            period=base.period,
            deadline=base.deadline,
            made_on=base.made_on,
            locality=base.locality,
            receiver=RECEIVER,
            rates=pd.DataFrame([{"scope": "all", "expected": 3}]),
        )


def test_requests_are_the_sentences_that_ask() -> None:
    diff = _difficulties()
    picked = pick_requests(diff)
    assert picked["text"].tolist() == [
        REQUEST_KY_BA,
        "kiến nghị UBND thành phố hỗ trợ kinh phí thay thế cụm loa",
    ]
    assert picked["unit_code"].tolist() == ["P_KY_BA", "X_DONG_MY"]
    assert pick_requests(diff.iloc[0:0]).empty
    assert not says_something("Không có khó khăn, vướng mắc.") and not says_something(" - ")
    assert says_something("Không có kinh phí mua máy tính")


def test_vietnamese_numbers_and_dates() -> None:
    assert V.thousands(1234) == "1.234" and V.thousands(1234567) == "1.234.567"
    assert V.percent(97.22) == "97,2%" and V.percent(100.0) == "100%" and V.percent(0) == "0%"
    assert V.number(9.475, 2, group=True) in ("9,47", "9,48") and V.number(10.0, 2, group=True) == "10"
    assert V.number(1234.5, 2, group=True) == "1.234,5" and V.number(1234.5, 2) == "1234,5"
    assert V.day(date(2023, 12, 1)) == "01/12/2023"
    assert as_date("2023-12-22T10:15:00") == date(2023, 12, 22) and as_date(pd.NaT) is None
    assert task_ref("PL01-1.5") == "mục 1.5 Phụ lục 01" and task_ref("PL03-9.1") == "mục 9.1 Phụ lục 03"
    assert V.join_names(["A", "B", "C"]) == "A, B và C"
    assert V.join_names(["Phòng Văn hóa và Thông tin", "B"]) == "Phòng Văn hóa và Thông tin, B"


# --- as printed (LibreOffice) ------------------------------------------------------------------


def _soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice, with Writer) is required under CI=true")
        pytest.skip("LibreOffice (soffice) is not installed")
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is required under CI=true")
        pytest.skip("pdftotext is not installed")
    return path


def to_pdf(soffice: str, src: Path, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        soffice,
        f"-env:UserInstallation=file://{out_dir / '.lo-profile'}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        str(src),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    pdf = out_dir / f"{src.stem}.pdf"
    assert proc.returncode == 0 and pdf.exists(), (
        f"LibreOffice failed (is Writer installed?): {proc.stdout} {proc.stderr}"
    )
    return pdf


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    pages = out.stdout.split("\f")
    return [unicodedata.normalize("NFC", p) for p in pages if p.strip()]


def _squash(text: str) -> str:
    """Text without spaces and hyphens: pdftotext splits some words at diacritics (with fallback
    fonts) and drops a hyphen that ends a line; every other character must be there, in order."""
    return re.sub(r"[\s\-]+", "", text)


@pytest.mark.libreoffice
def test_libreoffice_prints_every_page_with_its_header_and_all_the_text(tmp_path: Path) -> None:
    soffice = _soffice()
    path = write_narrative(quarter(sample=True), tmp_path / "BaoCao_DTI_TP_THAI_BINH_2023-Q4.docx")
    pages = _pages(to_pdf(soffice, path, tmp_path / "pdf"))
    assert len(pages) >= 3
    body_pages = []
    for n, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        head = " ".join(lines[:2])
        assert _squash(V.SAMPLE_MARK) in _squash(head), (n, lines[:2])
        if n == 1:
            assert _squash(lines[0]) == _squash(V.SAMPLE_MARK)  # no page number on the first page
            for text in (V.MOTTO, V.TIEU_NGU, "BÁO CÁO", "Kính gửi:"):
                assert _squash(text) in _squash(page), text
        else:
            assert str(n) in head.split(), (n, lines[:2])
        if n > 1:
            lines = [line.replace(str(n), "", 1) if i == 0 else line for i, line in enumerate(lines)]
        body_pages.append(_squash(" ".join(lines)).replace(_squash(V.SAMPLE_MARK), ""))
    last = pages[-1]
    for text in ("Nơi nhận:", "- Lưu: VT, VHTT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "theo dõi./."):
        assert _squash(text) in _squash(last), text  # the closing sentence stays with the signature
    printed = "".join(body_pages)
    doc = docx.Document(str(path))
    for p in _all_paragraphs(doc):
        if p.text.strip():
            assert _squash(p.text) in printed, p.text


@pytest.mark.libreoffice
def test_libreoffice_prints_the_month_without_a_sample_mark(tmp_path: Path) -> None:
    soffice = _soffice()
    path = write_narrative(month(), tmp_path / "m.docx")
    pages = _pages(to_pdf(soffice, path, tmp_path / "pdf"))
    assert pages and all(V.SAMPLE_MARK not in p for p in pages)
    assert "Tiến độ thực hiện nhiệm vụ" in pages[0]
    assert pages[0].split()[0] == "ỦY"  # page 1: no header at all
    for n, page in enumerate(pages[1:], start=2):
        assert page.split()[0] == str(n)


def test_year_judges_annual_targets_and_takes_given_requests(tmp_path: Path) -> None:
    base = quarter()
    requests = pd.DataFrame(
        [
            {
                "unit_code": "VP",
                "unit_name": _name("VP"),
                "task_id": "PL01-6.1",
                "task": _text("PL01-6.1"),
                "text": "Đề nghị bố trí kinh phí nâng cấp Cổng thông tin điện tử năm 2024.",
            }
        ]
    )
    data = NarrativeData(
        period=parse_period("2023"),
        deadline=date(2023, 12, 15),
        made_on=date(2023, 12, 18),
        locality=base.locality,
        receiver=RECEIVER,
        rates=base.rates,
        indicators=base.indicators,
        scores=base.scores.drop(columns=["self_score"]),
        targets=_targets("year"),
        requests=requests,
    )
    doc = docx.Document(str(write_narrative(data, tmp_path)))
    text = _text_of(doc)
    assert "Kết quả thực hiện Kế hoạch nâng cao Chỉ số chuyển đổi số (DTI)\nnăm 2023" in text
    assert "Văn phòng HĐND và UBND thành phố đạt 15 tin bài, chưa đạt chỉ tiêu." in text
    assert "Phòng Tài chính - Kế hoạch đạt 8%, chưa đạt chỉ tiêu." in text
    assert "- Văn phòng HĐND và UBND thành phố: «Đề nghị bố trí kinh phí nâng cấp Cổng thông tin" in text
    assert f"{_name(NO_EVIDENCE_UNIT)} (0 điểm, thiếu minh chứng)" in text  # known without self_score
    assert "BaoCao_DTI_TP_THAI_BINH_2023.xlsx" in text


def test_long_lists_of_units_are_cut_short_with_a_count() -> None:
    from pipeline.outputs.narrative.context import NAMES_SHOWN, items_list, names_list

    names = [f"UBND xã Tổng hợp {i:05d}" for i in range(NAMES_SHOWN + 7)]
    text = names_list(names)
    assert text.startswith("UBND xã Tổng hợp 00000, UBND xã Tổng hợp 00001")
    assert text.endswith("và 7 đơn vị khác (chi tiết tại Phụ lục)") and names[NAMES_SHOWN] not in text
    assert names_list(names[:3]) == "UBND xã Tổng hợp 00000, UBND xã Tổng hợp 00001 và UBND xã Tổng hợp 00002"
    items = [f"{n} (0 điểm)" for n in names]
    assert items_list(items).endswith(
        "; UBND xã Tổng hợp 00019 (0 điểm) và 7 đơn vị khác (chi tiết tại Phụ lục)"
    )
    assert items_list(items[:2]) == "; ".join(items[:2])


def test_a_twin_target_is_named_once_with_both_codes(tmp_path: Path) -> None:
    """PL01-1.5 and PL02-1.1 are one target in two appendices (tasks.csv ``same_as``): the report
    names it once with both codes, a unit that reports both counts once, and a unit of the
    second only is listed with the others."""
    from dataclasses import replace

    data = quarter()
    t = data.targets.assign(twins="")
    first = t[t["task_id"] == "PL01-1.5"].assign(twins="PL01-1.5 PL02-1.1")
    second = first.assign(task_id="PL02-1.1")  # the same answers, on the twin
    extra = first.iloc[[0]].assign(
        task_id="PL02-1.1", unit_code="NOIVU", unit_name=_name("NOIVU"), value=None, met=None
    )
    others = t[t["task_id"] != "PL01-1.5"]
    targets = pd.concat([first, second, extra, others], ignore_index=True)
    doc = docx.Document(str(write_narrative(replace(data, targets=targets), tmp_path / "t.docx")))
    part = _section(doc, "2. Kết quả thực hiện nhiệm vụ", "III. TỒN TẠI")
    assert part.count("Tần suất phát sóng từ 1 tuần/1 lần") == 1
    assert "(mục 1.5 Phụ lục 01 và mục 1.1 Phụ lục 02: «Xây dựng, duy trì chuyên mục riêng" in part
    assert (
        "18/19 đơn vị đạt chỉ tiêu; chưa đạt: UBND phường Kỳ Bá (0,5 lần/tuần); chưa báo cáo số liệu: "
        f"UBND xã Vũ Phúc và {_name('NOIVU')}." in part
    )
