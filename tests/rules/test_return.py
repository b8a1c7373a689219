"""A return judged by what it says (issue 11, contract §5 version 2), each on a real filled copy:
an empty return refused, untouched tasks reported, placeholders refused and references read,
yes/no words only, lost points said, a percentage above 100 refused, e-mail and phone checked,
rows a unit adds kept as its own tasks, twins filled once and counted twice, the city's share
from the wards' answers, tasks and the indicators they feed checked together, issues in order."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code, Severity
from pipeline.base.periods import Period, parse_period
from pipeline.catalogue import Catalogue
from pipeline.cli import main
from pipeline.outputs.templates import Filled, cell_of, write_template
from pipeline.rules.files import validate_files
from pipeline.run import run_report
from tests.intake.test_read import GOOD_INDICATORS, GOOD_INFO, only, run

WARD = "P_KY_BA"
MONTH = parse_period("2023-10")


@pytest.fixture(scope="session")
def cat(qcat: Catalogue) -> Catalogue:
    """These tests fill a ward's quarterly return with its tasks and its indicators in one file:
    the catalogue of a locality whose calendar asks for both each quarter (tests/conftest.py)."""
    return qcat


def _tasks(cat: Catalogue, unit: str, **over: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every row of the unit's sheet in progress with evidence; ``over`` by first task id."""
    values = {
        r.ids[0]: {
            V.TASK_STATUS: V.STATUS_IN_PROGRESS,
            V.TASK_EVIDENCE: "Báo cáo số 5/BC-UBND ngày 01/10/2023",
        }
        for r in cat.sheet_rows(unit)
    }
    for key, value in over.items():
        values[key] = value
    return values


def _write(cat: Catalogue, unit: str, period: Period, path: Path, **kw: Any) -> Path:
    return write_template(cat, unit, period, path, Filled(**kw))


def _received(inbox: Path) -> None:
    """Every file of the inbox received before the month's deadline."""
    names = sorted(p.name for p in inbox.iterdir() if p.suffix == ".xlsx")
    (inbox / "received.csv").write_text(
        "file,received_at\n" + "".join(f"{n},2023-10-18\n" for n in names), encoding="utf-8"
    )


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- empty returns and untouched tasks ---------------------------------------------------------------


def test_a_blank_template_is_refused_as_empty(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    path = write_template(cat, "VP", q4, tmp_path / "2023-Q4_VP.xlsx")
    report = validate_files(cat, [path])
    assert not report.valid
    [empty] = report.issues
    assert (empty.code, empty.severity, empty.unit_code) == (Code.RETURN_EMPTY, Severity.ERROR, "VP")
    assert empty.message == (
        "Tệp «2023-Q4_VP.xlsx» chưa điền gì: chưa chọn «Tình trạng» cho nhiệm vụ nào. "
        "Báo cáo chưa được tính là đã nộp; hãy điền rồi gửi lại."
    )
    ward = validate_files(cat, [write_template(cat, WARD, q4, tmp_path / "w.xlsx")])
    assert ward.issues[0].message.startswith(
        "Tệp «w.xlsx» chưa điền gì: chưa chọn «Tình trạng» cho nhiệm vụ nào và chưa nhập giá trị chỉ số nào."
    )


def test_an_empty_return_is_not_counted_on_time(tmp_path: Path, cat: Catalogue) -> None:
    """In a run the empty file is rejected: the unit is missing, and gets its blank template back
    with the reason."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_template(cat, "VP", MONTH, inbox / "2023-10_VP.xlsx")
    _write(cat, "NOIVU", MONTH, inbox / "2023-10_NOIVU.xlsx", info=GOOD_INFO, tasks=_tasks(cat, "NOIVU"))
    _received(inbox)
    result = run_report(cat, MONTH, inbox, tmp_path / "out", made_on=date(2023, 10, 21), workers=1)
    subs = {
        r["unit_code"]: r
        for r in _read_csv(result.out_dir / "data" / "submissions.csv")
        if r["file"] or r["unit_code"] in ("VP", "NOIVU")
    }
    rows = [r for r in _read_csv(result.out_dir / "data" / "submissions.csv") if r["unit_code"] == "VP"]
    assert [r["status"] for r in rows] == ["rejected", "missing"]
    assert subs["NOIVU"]["status"] == "on_time"
    assert (subs["NOIVU"]["tasks_assigned"], subs["NOIVU"]["tasks_reported"]) == ("28", "28")
    assert result.out_dir / "phan_hoi" / "VP.xlsx" in result.feedback


def test_every_untouched_task_is_reported(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    tasks = _tasks(cat, WARD)
    untouched = [r.ids[0] for r in cat.sheet_rows(WARD)][:3]
    for task in untouched:
        tasks[task] = {}
    path = _write(cat, WARD, q4, tmp_path / "a.xlsx", info=GOOD_INFO, tasks=tasks, indicators=GOOD_INDICATORS)
    found = only(run(cat, q4, path).issues, Code.TASK_NOT_REPORTED)
    rows = sorted(found, key=lambda i: int(i.cell[1:]))
    assert [i.field.split(":")[0] for i in rows] == untouched  # one per row, twins included
    assert rows[0].severity == Severity.WARNING
    assert rows[0].message == (
        "Nhiệm vụ PL01-1.5 chưa báo cáo tiến độ: hãy chọn «Tình trạng» "
        "(«Chưa thực hiện»; «Đang thực hiện»; «Hoàn thành»; «Không phát sinh»)."
    )
    assert rows[0].cell == cell_of(cat, WARD, q4, (V.SHEET_TASKS, "PL01-1.5", V.TASK_STATUS))


# --- evidence ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "placeholder", ["x", "-", ".", "có", "ok", "rồi", "đã có", "12", 12, "05/10/2023", "..."]
)
def test_a_placeholder_is_not_evidence(tmp_path: Path, cat: Catalogue, q4: Period, placeholder: Any) -> None:
    first = cat.sheet_rows(WARD)[1].ids[0]
    tasks = _tasks(cat, WARD, **{first: {V.TASK_STATUS: V.STATUS_DONE, V.TASK_EVIDENCE: placeholder}})
    path = _write(cat, WARD, q4, tmp_path / "a.xlsx", info=GOOD_INFO, tasks=tasks, indicators=GOOD_INDICATORS)
    checked = run(cat, q4, path)
    [refused] = only(checked.issues, Code.EVIDENCE_PLACEHOLDER)
    assert refused.severity == Severity.ERROR and refused.field == f"{first}:{V.TASK_EVIDENCE}"
    assert (
        "chưa phải là minh chứng: hãy ghi số, ký hiệu và ngày của văn bản (ví dụ: Quyết định số 12/QĐ-UBND"
        in refused.message
    )
    assert "đường dẫn, tên tệp" in refused.message
    assert not only(checked.issues, Code.EVIDENCE_REQUIRED)  # one error, not two
    row = checked.tasks[(checked.tasks["task_id"] == first)].iloc[0]
    assert not row["has_evidence"]


def test_references_and_links_are_read_into_tasks_csv(tmp_path: Path, cat: Catalogue) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    evidence = {
        "PL01-1.1": "Quyết định số 12/QĐ-UBND ngày 05/10/2023 của UBND thành phố",
        "PL01-1.2": "Xem https://thaibinh.gov.vn/tin-tuc/cds.html; Kế hoạch 116/KH-UBND ngày 3 tháng 8 năm 2023",
        "PL01-1.4": "Thông tư số 12/2022/TT-BTTTT ngày 12/8/2022; Công văn 2342/UBND-VHTT",
    }
    tasks = _tasks(
        cat,
        "VP",
        **{
            t: {V.TASK_STATUS: V.STATUS_DONE, V.TASK_EVIDENCE: e, V.TASK_RESULT_VALUE: 25}
            for t, e in evidence.items()
        },
    )
    _write(cat, "VP", MONTH, inbox / "vp.xlsx", info=GOOD_INFO, tasks=tasks)
    result = run_report(cat, MONTH, inbox, tmp_path / "out", made_on=date(2023, 10, 21), workers=1)
    rows = {
        r["task_id"]: r for r in _read_csv(result.out_dir / "data" / "tasks.csv") if r["unit_code"] == "VP"
    }
    got = {
        t: (rows[t]["evidence"], rows[t]["evidence_doc"], rows[t]["evidence_date"], rows[t]["evidence_url"])
        for t in evidence
    }
    assert got == {
        "PL01-1.1": (evidence["PL01-1.1"], "12/QĐ-UBND", "2023-10-05", ""),
        "PL01-1.2": (
            evidence["PL01-1.2"],
            "116/KH-UBND",
            "2023-08-03",
            "https://thaibinh.gov.vn/tin-tuc/cds.html",
        ),
        "PL01-1.4": (evidence["PL01-1.4"], "12/2022/TT-BTTTT; 2342/UBND-VHTT", "2022-08-12", ""),
    }


# --- yes/no, lost points, percentages, contact -----------------------------------------------------------


def test_rồi_is_a_question_back_and_costs_the_points(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    ind = dict(GOOD_INDICATORS) | {"2.1": ("rồi", "Quyết định số 15/QĐ-UBND")}
    path = _write(cat, WARD, q4, tmp_path / "a.xlsx", info=GOOD_INFO, tasks=_tasks(cat, WARD), indicators=ind)
    checked = run(cat, q4, path)
    [asked] = [i for i in checked.issues if i.field == "2.1"]
    assert (asked.code, asked.severity) == (Code.NOT_ALLOWED, Severity.ERROR)
    assert asked.message == "«rồi» chưa rõ là «Có» hay «Không»: hãy chọn «Có» hoặc «Không» từ danh sách."
    values = dict(zip(checked.indicators["field_id"], checked.indicators["value"], strict=True))
    assert values["2.1"] is None  # never a silent Có


def test_a_percentage_above_100_is_refused(tmp_path: Path, cat: Catalogue) -> None:
    for value, refused in ((105, True), (102.5, True), (250, True), (100, False), (10, False)):
        tasks = _tasks(
            cat,
            "TCKH",
            **{
                "PL01-5.5": {
                    V.TASK_STATUS: V.STATUS_DONE,
                    V.TASK_RESULT_VALUE: value,
                    V.TASK_EVIDENCE: "Quyết định số 40/QĐ-UBND",
                }
            },
        )
        path = _write(cat, "TCKH", MONTH, tmp_path / f"{value}.xlsx", info=GOOD_INFO, tasks=tasks)
        found = [i for i in run(cat, MONTH, path).issues if i.field == f"PL01-5.5:{V.TASK_RESULT_VALUE}"]
        assert bool(found) == refused, value
        if refused:
            assert found[0].code == Code.OUT_OF_RANGE and "lớn hơn mức tối đa 100" in found[0].message


@pytest.mark.parametrize(
    ("email", "phone", "codes"),
    [
        ("kyba@thaibinh.gov.vn", "0227 3831 234", []),
        ("kyba.thaibinh.gov.vn", "0227 3831 234", [Code.EMAIL_INVALID]),
        ("ky ba@gmail.com", "(0227) 383.1234", [Code.EMAIL_INVALID]),
        ("kyba@thaibinh.gov.vn", "abc", [Code.PHONE_INVALID]),
        ("kyba@", "123", [Code.EMAIL_INVALID, Code.PHONE_INVALID]),
        ("kyba@thaibinh.gov.vn", 912345678, []),  # a mobile number Excel kept as a number
    ],
)
def test_email_and_phone_are_checked(
    tmp_path: Path, cat: Catalogue, q4: Period, email: str, phone: Any, codes: list[Code]
) -> None:
    info = dict(GOOD_INFO) | {V.INFO_EMAIL: email, V.INFO_PHONE: phone}
    path = _write(
        cat, WARD, q4, tmp_path / "a.xlsx", info=info, tasks=_tasks(cat, WARD), indicators=GOOD_INDICATORS
    )
    found = [i for i in run(cat, q4, path).issues if i.code in (Code.EMAIL_INVALID, Code.PHONE_INVALID)]
    assert [i.code for i in found] == codes
    assert all(i.severity == Severity.WARNING and i.sheet == V.SHEET_INFO for i in found)


def test_the_blank_report_date_asks_for_a_date(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    info = dict(GOOD_INFO) | {V.INFO_DATE: None}
    path = _write(
        cat, WARD, q4, tmp_path / "a.xlsx", info=info, tasks=_tasks(cat, WARD), indicators=GOOD_INDICATORS
    )
    [found] = [i for i in run(cat, q4, path).issues if i.field == V.INFO_DATE]
    assert (
        found.message
        == "Chưa ghi «Ngày báo cáo» ở trang «Thông tin»: hãy ghi ngày lập báo cáo, ví dụ 15/12/2023."
    )


# --- rows a unit adds, twins, the city's share ----------------------------------------------------------------


def test_rows_the_unit_added_are_its_own_tasks(tmp_path: Path, cat: Catalogue) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    extra = (
        {V.TASK_TEXT: "Nhiệm vụ phát sinh: số hóa hồ sơ một cửa", V.TASK_STATUS: V.STATUS_DONE,
         V.TASK_EVIDENCE: "Báo cáo số 9/BC-UBND ngày 12/10/2023", V.TASK_RESULT: "Đã số hóa 1.200 hồ sơ"},
        {V.TASK_TEXT: "Tập huấn ứng dụng VNeID", V.TASK_STATUS: V.STATUS_DONE},
    )  # fmt: skip
    path = _write(
        cat, "VP", MONTH, inbox / "vp.xlsx", info=GOOD_INFO, tasks=_tasks(cat, "VP"), extra_task_rows=extra
    )
    checked = run(cat, MONTH, path)
    [no_evidence] = only(checked.issues, Code.EVIDENCE_REQUIRED)
    assert no_evidence.field == f"VP-PS2:{V.TASK_EVIDENCE}"  # checked like any task
    assert "Hợp lệ" not in validate_files(cat, [path]).to_table()
    result = run_report(cat, MONTH, inbox, tmp_path / "out", made_on=date(2023, 10, 21), workers=1)
    rows = [r for r in _read_csv(result.out_dir / "data" / "tasks.csv") if r["role"] == "phat_sinh"]
    assert [(r["task_id"], r["unit_code"], r["status"], r["task_text"], r["has_evidence"]) for r in rows] == [
        ("VP-PS1", "VP", "done", "Nhiệm vụ phát sinh: số hóa hồ sơ một cửa", "true"),
        ("VP-PS2", "VP", "done", "Tập huấn ứng dụng VNeID", "false"),
    ]
    assert rows[0]["result_text"] == "Đã số hóa 1.200 hồ sơ" and rows[0]["evidence_doc"] == "9/BC-UBND"
    wb = openpyxl.load_workbook(result.workbook)  # shown to the province
    texts = {c.value for row in wb["Tiến độ nhiệm vụ"].iter_rows() for c in row}
    assert {"VP-PS1", "VP-PS2", "Phát sinh"} <= texts
    # the feedback file carries the added rows back in the same place
    feedback = openpyxl.load_workbook(result.out_dir / "phan_hoi" / "VP.xlsx")[V.SHEET_TASKS]
    cell = cell_of(cat, "VP", MONTH, (V.SHEET_TASKS, "VP-PS2", V.TASK_TEXT))
    assert feedback[cell].value == "Tập huấn ứng dụng VNeID"


def test_a_row_without_id_or_text_is_named(tmp_path: Path, cat: Catalogue) -> None:
    path = _write(cat, "VP", MONTH, tmp_path / "vp.xlsx", info=GOOD_INFO, tasks=_tasks(cat, "VP"),
                  extra_task_rows=({V.TASK_STATUS: V.STATUS_DONE},))  # fmt: skip
    [found] = [i for i in run(cat, MONTH, path).issues if i.code == Code.TASK_UNKNOWN]
    assert found.message.startswith(
        "Dòng này có «Tình trạng» nhưng không có mã nhiệm vụ và chưa ghi nội dung"
    )


def test_twins_are_filled_once_and_counted_for_both(tmp_path: Path, cat: Catalogue) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    tasks = _tasks(
        cat,
        "VP",
        **{
            "PL01-6.7": {
                V.TASK_STATUS: V.STATUS_DONE,
                V.TASK_EVIDENCE: "Quyết định số 3/QĐ-UBND ngày 02/10/2023",
            }
        },
    )
    path = _write(cat, "VP", MONTH, inbox / "vp.xlsx", info=GOOD_INFO, tasks=tasks)
    ws = openpyxl.load_workbook(path)[V.SHEET_TASKS]
    assert ws[cell_of(cat, "VP", MONTH, (V.SHEET_TASKS, "PL03-6.7", V.TASK_ID))].value == "PL01-6.7\nPL03-6.7"
    result = run_report(cat, MONTH, inbox, tmp_path / "out", made_on=date(2023, 10, 21), workers=1)
    rows = {
        r["task_id"]: r for r in _read_csv(result.out_dir / "data" / "tasks.csv") if r["unit_code"] == "VP"
    }
    both = [
        (t, rows[t]["role"], rows[t]["status"], rows[t]["evidence_doc"]) for t in ("PL01-6.7", "PL03-6.7")
    ]
    assert both == [
        ("PL01-6.7", "chu_tri", "done", "3/QĐ-UBND"),
        ("PL03-6.7", "tham_muu", "done", "3/QĐ-UBND"),
    ]
    # each keeps its deadline: PL03-6.7 is due by 31/12/2023, PL01-6.7 every 31/12 (neither overdue in October)
    assert [rows[t]["overdue"] for t in ("PL01-6.7", "PL03-6.7")] == ["false", "false"]
    subs = [r for r in _read_csv(result.out_dir / "data" / "submissions.csv") if r["unit_code"] == "VP"]
    assert (subs[0]["tasks_assigned"], subs[0]["tasks_reported"]) == ("45", "45")  # 38 rows, 45 tasks


def test_the_city_share_comes_from_the_wards_answers(tmp_path: Path, cat: Catalogue) -> None:
    """PL01-3.2 «Đảm bảo 100% UBND cấp xã kết nối»: each ward answers Có/Không, VHTT's figure is
    the share of Có among the 19 wards (a ward that did not answer counts as not connected)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    wards = list(cat.groups["WARDS"])
    answers = {w: (V.YES if n < 15 else V.NO) for n, w in enumerate(wards[:18])}  # 15 Có, 3 Không, 1 silent
    for ward, answer in answers.items():
        tasks = _tasks(
            cat,
            ward,
            **{
                "PL01-3.2": {
                    V.TASK_STATUS: V.STATUS_DONE,
                    V.TASK_RESULT_VALUE: answer,
                    V.TASK_EVIDENCE: "Biên bản nghiệm thu ngày 05/10/2023",
                }
            },
        )
        _write(cat, ward, MONTH, inbox / f"{ward}.xlsx", info=GOOD_INFO, tasks=tasks)
    _write(cat, "VHTT", MONTH, inbox / "vhtt.xlsx", info=GOOD_INFO, tasks=_tasks(cat, "VHTT"))
    result = run_report(cat, MONTH, inbox, tmp_path / "out", made_on=date(2023, 10, 21))
    rows = [
        r
        for r in _read_csv(result.out_dir / "data" / "tasks.csv")
        if r["task_id"] in ("PL01-3.2", "PL02-2.1")
    ]
    lead = [r for r in rows if r["unit_code"] == "VHTT"]
    assert [(r["task_id"], r["result_value"]) for r in lead] == [
        ("PL01-3.2", "78.9"),
        ("PL02-2.1", "78.9"),
    ]  # 15/19
    per_ward = {
        r["unit_code"]: r["result_value"]
        for r in rows
        if r["task_id"] == "PL01-3.2" and r["unit_code"] != "VHTT"
    }
    assert per_ward == {w: ("100" if a == V.YES else "0") for w, a in answers.items()} | {wards[18]: ""}
    wb = openpyxl.load_workbook(result.workbook)["Tiến độ nhiệm vụ"]
    header = next(r for r in wb.iter_rows(values_only=True) if V.COL_TARGET_MET in r)
    task, unit, met_col = (header.index(label) for label in (V.COL_TASK_ID, V.COL_UNIT, V.COL_TARGET_MET))
    met = [
        row[met_col]
        for row in wb.iter_rows(values_only=True)
        if (row[task], row[unit]) == ("PL01-3.2", cat.unit_name("VHTT"))
    ]
    assert met == [V.TARGET_UNMET]  # 78.9 % < 100 %: «Chưa đạt»


def test_a_supporting_unit_is_not_asked_for_the_leads_figure(tmp_path: Path, cat: Catalogue) -> None:
    """The budget share (PL01-5.5) is TCKH's figure: a ward marks the task done without it."""
    tasks = _tasks(
        cat, WARD, **{"PL01-5.5": {V.TASK_STATUS: V.STATUS_DONE, V.TASK_EVIDENCE: "Công văn 3/UBND"}}
    )
    path = _write(cat, WARD, MONTH, tmp_path / "a.xlsx", info=GOOD_INFO, tasks=tasks)
    assert not only(run(cat, MONTH, path).issues, Code.RESULT_REQUIRED)
    tasks = _tasks(
        cat, "TCKH", **{"PL01-5.5": {V.TASK_STATUS: V.STATUS_DONE, V.TASK_EVIDENCE: "Công văn 3/UBND"}}
    )
    path = _write(cat, "TCKH", MONTH, tmp_path / "t.xlsx", info=GOOD_INFO, tasks=tasks)
    assert [i.field for i in only(run(cat, MONTH, path).issues, Code.RESULT_REQUIRED)] == [
        f"PL01-5.5:{V.TASK_RESULT_VALUE}"
    ]


def test_a_task_and_the_indicator_it_feeds_disagree(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    tasks = _tasks(cat, WARD, **{"PL01-1.5": {V.TASK_STATUS: V.STATUS_NOT_STARTED}})
    path = _write(cat, WARD, q4, tmp_path / "a.xlsx", info=GOOD_INFO, tasks=tasks, indicators=GOOD_INDICATORS)
    [found] = only(run(cat, q4, path).issues, Code.TASK_INDICATOR_MISMATCH)
    assert found.severity == Severity.WARNING and found.field == f"PL01-1.5:{V.TASK_STATUS}"
    assert found.message.startswith(
        "Nhiệm vụ PL01-1.5 ghi «Chưa thực hiện» nhưng chỉ số 1.1 (Hệ thống truyền thanh"
    )
    assert "đạt tối đa 10 điểm" in found.message
    ind = dict(GOOD_INDICATORS) | {"2.1": (V.NO, "Biên bản"), "2.2b": (0, None)}
    tasks = _tasks(cat, WARD, **{"PL01-4.1": {V.TASK_STATUS: V.STATUS_DONE, V.TASK_EVIDENCE: "Báo cáo 1/BC"}})
    path = _write(cat, WARD, q4, tmp_path / "b.xlsx", info=GOOD_INFO, tasks=tasks, indicators=ind)
    [done] = only(run(cat, q4, path).issues, Code.TASK_INDICATOR_MISMATCH)
    assert "ghi «Hoàn thành» nhưng chỉ số 2.1" in done.message and "không đạt điểm nào" in done.message


# --- words --------------------------------------------------------------------------------------------


def test_dti_validate_lists_issues_by_sheet_row_and_column(
    tmp_path: Path, cat: Catalogue, q4: Period
) -> None:
    ind = dict(GOOD_INDICATORS) | {"1.1": ("Không", "Biên bản"), "2.2b": (10, None), "1.2b": (3, None)}
    info = dict(GOOD_INFO) | {V.INFO_PHONE: None, V.INFO_EMAIL: "sai"}
    tasks = _tasks(cat, WARD, **{"PL01-2.2": {V.TASK_STATUS: V.STATUS_DONE}, "PL01-2.1": {}})
    path = _write(cat, WARD, q4, tmp_path / "a.xlsx", info=info, tasks=tasks, indicators=ind)
    res = CliRunner().invoke(main, ["validate", "--format", "json", str(path)], catch_exceptions=False)
    import json

    issues = json.loads(res.output)["issues"]
    order = {"": 0, V.SHEET_INFO: 1, V.SHEET_TASKS: 2, V.SHEET_INDICATORS: 3}

    def key(i: dict[str, str]) -> tuple[int, int, str]:
        cell = i["cell"]
        col = "".join(ch for ch in cell if ch.isalpha())
        row = int("".join(ch for ch in cell if ch.isdigit()) or 0)
        return order[i["sheet"]], row, col.rjust(3)

    assert len(issues) >= 6
    assert [key(i) for i in issues] == sorted(key(i) for i in issues)
    indicators = [i["cell"] for i in issues if i["sheet"] == V.SHEET_INDICATORS]
    assert indicators == sorted(indicators, key=lambda c: (int(c[1:]), c[0]))


def test_messages_to_units_name_units_by_name(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    a = _write(
        cat,
        WARD,
        q4,
        tmp_path / "a.xlsx",
        info=GOOD_INFO,
        tasks=_tasks(cat, WARD),
        indicators=GOOD_INDICATORS,
    )
    b = tmp_path / "b.xlsx"
    shutil.copy(a, b)
    [dup, _] = only(run(cat, q4, a, b).issues, Code.DUPLICATE_RETURN)
    assert dup.message.startswith(
        "UBND phường Kỳ Bá gửi 2 tệp báo cáo kỳ Quý IV năm 2023 («a.xlsx», «b.xlsx»)"
    )
    assert WARD not in dup.message


# --- the previous template (1.1) is still read ------------------------------------------------------

V11_TASK_HEADERS = (
    "Mã nhiệm vụ", "Phụ lục", "Lĩnh vực", "Nhiệm vụ", "Vai trò", "Thời hạn", "Chỉ tiêu",
    "Tình trạng", "Kết quả (số liệu)", "Kết quả thực hiện", "Minh chứng", "Khó khăn, vướng mắc",
)  # fmt: skip


def _v11_return(cat: Catalogue, unit: str, period: Period, path: Path, statuses: dict[str, str]) -> Path:
    """A return on template 1.1 as its writer laid it out: Thông tin's header in row 1 and its
    labels from row 2, Nhiệm vụ's header in row 5 with «Chỉ tiêu», one row per task (twins apart),
    no self-check cells; ``_meta`` says 1.1."""
    wb = openpyxl.Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = V.SHEET_GUIDE
    guide["A1"] = "HƯỚNG DẪN ĐIỀN BÁO CÁO CHUYỂN ĐỔI SỐ (DTI)"
    info = wb.create_sheet(V.SHEET_INFO)
    info.append(["Thông tin", "Nội dung"])
    for label, value in (
        (V.INFO_UNIT, cat.unit_name(unit)),
        (V.INFO_PERIOD, period.label),
        (V.INFO_DEADLINE, "20/10/2023"),
        *GOOD_INFO.items(),
    ):
        info.append([label, value])
    tasks = wb.create_sheet(V.SHEET_TASKS)
    tasks["A1"] = "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ NÂNG CAO CHỈ SỐ DTI"
    tasks.append([])
    tasks.append([])
    tasks.append([])
    tasks.append(list(V11_TASK_HEADERS))
    for t in cat.task_rows(unit):
        status = statuses.get(t.task_id, V.STATUS_IN_PROGRESS)
        tasks.append(
            [
                t.task_id,
                t.appendix,
                t.pillar,
                t.text,
                "",
                "",
                t.target_raw,
                status,
                None,
                None,
                "Báo cáo số 5/BC-UBND",
            ]
        )
    meta = wb.create_sheet(V.SHEET_META)
    for key, value in (
        ("template_version", "1.1"),
        ("unit_code", unit),
        ("period", period.id),
        ("generated_at", "2023-10-01"),
        ("catalogue_version", "0123456789ab"),
    ):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    wb.save(path)
    return path


def test_a_return_on_template_1_1_is_still_read(tmp_path: Path, cat: Catalogue) -> None:
    path = _v11_return(cat, "VP", MONTH, tmp_path / "old.xlsx", {"PL03-6.7": V.STATUS_DONE})
    checked = run(cat, MONTH, path)
    assert checked.accepted == {"old.xlsx": "VP"}
    assert [i.code for i in checked.issues] == [Code.TEMPLATE_OLD]
    assert "phiên bản cũ (1.1)" in checked.issues[0].message and "(2.0)" in checked.issues[0].message
    # each twin read from its own row, as the unit filled it
    status = dict(zip(checked.tasks["task_id"], checked.tasks["status_label"], strict=True))
    assert (status["PL01-6.7"], status["PL03-6.7"]) == (V.STATUS_IN_PROGRESS, V.STATUS_DONE)
    assert len(checked.tasks) == len(cat.task_ids_of("VP"))
