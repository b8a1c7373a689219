"""End to end: demo returns → report → CSVs (chosen units value by value), workbook, feedback, manifest; re-runs and failures."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.base import vocabulary as V
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.cli import main
from pipeline.demo import RESULTS, write_demo
from pipeline.intake import read_return
from pipeline.rules import check_returns
from pipeline.run import run_report
from tests.conftest import convert


@pytest.fixture(scope="session")
def cat(qcat: Catalogue) -> Catalogue:
    """These tests read and write returns that carry a unit's tasks and its indicators in one
    quarterly file: the catalogue of a locality whose calendar asks for both each quarter."""
    return qcat


MADE_ON = date(2023, 12, 21)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory, cat: Catalogue, q4: Period):
    root = tmp_path_factory.mktemp("run")
    demo = write_demo(cat, q4, root / "inbox")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (root / "inbox").iterdir()}
    result = run_report(cat, q4, root / "inbox", root / "out", made_on=MADE_ON)
    return root, demo, result, before


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_inbox_is_untouched(demo_run) -> None:
    root, _demo, _result, before = demo_run
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (root / "inbox").iterdir()}
    assert after == before


def test_submissions_csv(demo_run, cat: Catalogue) -> None:
    _root, demo, result, _ = demo_run
    rows = read_csv(result.out_dir / "data" / "submissions.csv")
    assert list(rows[0]) == SUBMISSION_COLUMNS
    status = {}
    for r in rows:
        status.setdefault(r["unit_code"], []).append(r["status"])
    assert status[demo.missing] == ["missing"]
    assert status[demo.late] == ["late"]
    assert sorted(status[demo.twice]) == ["on_time", "superseded"]
    assert len(status) == 36
    counted = [s for s in status.values() if "on_time" in s or "late" in s]
    assert len(counted) == 35
    assert {r["deadline"] for r in rows} == {"2023-12-20"}
    late = next(r for r in rows if r["unit_code"] == demo.late)
    assert late["received_at"].startswith("2023-12-23")


def test_scores_csv(demo_run, cat: Catalogue) -> None:
    _root, demo, result, _ = demo_run
    rows = read_csv(result.out_dir / "data" / "scores.csv")
    assert list(rows[0]) == SCORE_COLUMNS
    assert len(rows) == 20 * 2 + 19 * 2  # DAI_TTTH and WARDS × 1.1, 1.2; WARDS × 2.1, 2.2
    by = {(r["unit_code"], r["indicator_id"]): r for r in rows}
    # the missing commune: rows present, no self score, 0
    for ind in ("1.1", "1.2", "2.1", "2.2"):
        r = by[(demo.missing, ind)]
        assert (r["self_score"], r["score"], r["max_score"]) == ("", "0", "10")
    wards = cat.groups["WARDS"]
    # demo: wards[1] reports more teams than villages → 2.2b is an error, kept out → no self score
    assert by[(wards[1], "2.2")]["self_score"] == "" and by[(wards[1], "2.2")]["score"] == "0"
    # demo: wards[2] gave no evidence for 1.1 → self score 10, counted 0
    r = by[(wards[2], "1.1")]
    assert (r["self_score"], r["score"], r["has_evidence"]) == ("10", "0", "false")
    # a proper ward: 1.1 = Có with evidence → 10
    r = by[(wards[4], "1.1")]
    assert (r["self_score"], r["score"], r["has_evidence"]) == ("10", "10", "true")
    for r in rows:
        assert 0 <= float(r["score"]) <= float(r["max_score"])


# --- value by value: the rows of chosen units, reasoned out from pipeline/demo.py -------------
#
# The demo draws each unit's values from random.Random("2023-Q4:<UNIT>") in template order and
# places its mistakes by registry position: departments (and agencies) VP, NOIVU, TUPHAP, …, CCT;
# wards and communes P_BO_XUYEN, P_DE_THAM, P_HOANG_DIEU, P_KY_BA, …, X_VU_PHUC. So:
# TUPHAP (3rd department) marks its first task «Hoàn thành» with no evidence; CCT (last) is
# late, sent 3 days after the deadline; P_BO_XUYEN (1st ward) sends twice, the first file 4 days
# earlier with its first task «Đang thực hiện»; P_DE_THAM (2nd) has more teams than villages;
# P_HOANG_DIEU (3rd) no evidence for 1.1; P_KY_BA (4th) renames its file; X_VU_PHUC (last) sends
# nothing. Unit n (0-based in the registry) sends 1 + n % 9 days before the deadline at
# (8 + n % 9):30. Statuses come from the draw (weights 1:4:6:1 for Chưa thực hiện, Đang thực hiện,
# Hoàn thành, Không phát sinh); a task «Hoàn thành» or «Đang thực hiện» gets evidence, and a
# result of target + one of (-1, 0, 2, 5) when it has a numeric target. Only PL01-4.6 (due 30/09)
# of these units' tasks is due before the quarter ends: overdue unless done or not applicable.

SUBMISSION_COLUMNS = [
    "locality",
    "period",
    "unit_code",
    "status",
    "received_at",
    "deadline",
    "file",
    "sha256",
    "errors",
    "warnings",
    "tasks_assigned",
    "tasks_reported",
    "version",  # the store's: the unit's n-th different return of the period
    "channel",
]
SCORE_COLUMNS = [
    "locality",
    "period",
    "unit_code",
    "indicator_id",
    "self_score",
    "score",
    "max_score",
    "has_evidence",
]
SUMMARY_COLUMNS = [
    "locality",
    "period",
    "indicator_id",
    "responsible_units",
    "reported_units",
    "full_score_units",
    "mean_score",
    "max_score",
]
TASK_COLUMNS = [
    "locality",
    "period",
    "task_id",
    "unit_code",
    "role",
    "status",
    "result_value",
    "has_evidence",
    "overdue",
]
WORD_COLUMNS = ["result_text", "evidence", "difficulties"]  # the unit's own words, checked apart
# tasks.csv after TASK_COLUMNS: the words, the evidence read, the text of a task a unit added
CSV_TEXT_COLUMNS = [
    "result_text",
    "evidence",
    "evidence_doc",
    "evidence_date",
    "evidence_url",
    "difficulties",
    "task_text",
]
CODE = "TP_THAI_BINH"
KY_BA_FILE = "Bao cao DTI 2023-Q4 - UBND phường Kỳ Bá.xlsx"

# unit, status, received_at, file, errors, warnings, tasks_assigned, tasks_reported (sha256: of
# the file in the inbox). Tasks assigned: `dti catalogue check` (twins counted apart); the demo
# gives every task a status, so each return reports them all; the missing unit reports none.
SUBMISSIONS = [
    (
        "TUPHAP",
        "on_time",
        "2023-12-17T10:30:00",
        "2023-Q4_TUPHAP.xlsx",
        "1",
        "0",
        "27",
        "27",
    ),  # n=2: evidence
    ("DAI_TTTH", "on_time", "2023-12-16T11:30:00", "2023-Q4_DAI_TTTH.xlsx", "0", "0", "29", "29"),  # n=12
    ("CCT", "late", "2023-12-23T15:30:00", "2023-Q4_CCT.xlsx", "0", "0", "7", "7"),  # n=16, deadline + 3 days
    # n=17, twice: both files carry the duplicate warning; the later one counts. The later file's
    # first task (PL01-1.5, with PL02-1.1) is the draw's «Chưa thực hiện» while its 1.1 is Có: a
    # warning that the task and the indicator it feeds disagree.
    ("P_BO_XUYEN", "superseded", "2023-12-07T09:30:00", "2023-Q4_P_BO_XUYEN_lan1.xlsx", "0", "1", "44", "44"),
    ("P_BO_XUYEN", "on_time", "2023-12-11T16:30:00", "2023-Q4_P_BO_XUYEN.xlsx", "0", "2", "44", "44"),
    (
        "P_DE_THAM",
        "on_time",
        "2023-12-19T08:30:00",
        "2023-Q4_P_DE_THAM.xlsx",
        "1",
        "0",
        "44",
        "44",
    ),  # 2.2b > 2.2a
    # no evidence for 1.1: 10 points lost, an error
    ("P_HOANG_DIEU", "on_time", "2023-12-18T09:30:00", "2023-Q4_P_HOANG_DIEU.xlsx", "1", "0", "44", "44"),
    (
        "P_KY_BA",
        "on_time",
        "2023-12-17T10:30:00",
        KY_BA_FILE,
        "0",
        "0",
        "44",
        "44",
    ),  # renamed: known by _meta
    # PL02-3.1 drawn «Chưa thực hiện» while 2.1 (the team it feeds) is Có: a warning
    (
        "P_LE_HONG_PHONG",
        "on_time",
        "2023-12-16T11:30:00",
        "2023-Q4_P_LE_HONG_PHONG.xlsx",
        "0",
        "1",
        "44",
        "44",
    ),
    ("X_VU_PHUC", "missing", "", "", "", "", "44", "0"),
]

# unit → indicator → (self_score, score, has_evidence); max_score is 10 everywhere
SCORES = {
    "DAI_TTTH": {"1.1": ("10", "10", "true"), "1.2": ("10", "10", "true")},
    # the counting file's values (both files have the same indicators)
    "P_BO_XUYEN": {
        "1.1": ("10", "10", "true"),
        "1.2": ("10", "10", "true"),
        "2.1": ("10", "10", "true"),
        "2.2": ("10", "10", "true"),  # 10 of 10 villages
    },
    "P_DE_THAM": {
        "1.1": ("10", "10", "true"),
        "1.2": ("10", "10", "true"),
        "2.1": ("10", "10", "true"),
        "2.2": ("", "0", "true"),  # 2.2b = 16 > 2.2a = 14: an error, kept out; the evidence is on 2.2a
    },
    "P_HOANG_DIEU": {
        "1.1": ("10", "0", "false"),  # Có, but no evidence: counted 0
        "1.2": ("10", "10", "true"),  # 3 a week
        "2.1": ("10", "10", "true"),
        "2.2": ("0", "0", "true"),  # 13 of 15 villages
    },
    "P_LE_HONG_PHONG": {
        "1.1": ("10", "10", "true"),
        "1.2": ("10", "10", "true"),
        "2.1": ("10", "10", "true"),
        "2.2": ("10", "10", "true"),  # 8 of 8
    },
    "X_VU_PHUC": {i: ("", "0", "false") for i in ("1.1", "1.2", "2.1", "2.2")},  # missing
}

# task_id, role, status, result_value, has_evidence, overdue. Twins are one row of the sheet,
# written with the first twin's draw (PL01-4.2 with PL02-3.2, PL01-5.5 with PL02-4.2, PL01-6.4
# with PL02-5.2): the answer counts for both, each keeps its role. TUPHAP supports PL01-5.5/PL02-4.2
# (TCKH's budget share) and PL02-1.1 (the broadcasts): not asked for their figures, so none.
TUPHAP_TASKS = [
    ("PL01-1.3", "chu_tri", "done", "", "false", "false"),  # the mistake: done, no evidence (an error)
    ("PL01-2.1", "phoi_hop", "done", "", "true", "false"),
    ("PL01-2.2", "phoi_hop", "not_started", "", "false", "false"),
    ("PL01-4.2", "chu_tri", "done", "", "true", "false"),
    ("PL01-4.3", "phoi_hop", "in_progress", "", "true", "false"),
    ("PL01-4.6", "phoi_hop", "in_progress", "", "true", "true"),  # due 30/09, not done
    ("PL01-5.5", "phoi_hop", "in_progress", "", "true", "false"),  # TCKH's figure, not asked
    ("PL01-6.2", "chu_tri", "in_progress", "", "true", "false"),
    ("PL01-6.3", "chu_tri", "not_applicable", "", "false", "false"),
    ("PL01-6.4", "chu_tri", "done", "", "true", "false"),
    ("PL01-6.7", "chu_tri", "in_progress", "", "true", "false"),
    ("PL01-6.8", "chu_tri", "not_started", "", "false", "false"),
    ("PL01-6.9", "chu_tri", "done", "", "true", "false"),
    ("PL01-6.10", "phoi_hop", "not_started", "", "false", "false"),
    ("PL01-7.7", "phoi_hop", "done", "", "true", "false"),
    ("PL01-7.8", "phoi_hop", "in_progress", "", "true", "false"),
    ("PL01-8.7", "phoi_hop", "done", "", "true", "false"),
    ("PL01-8.8", "phoi_hop", "done", "", "true", "false"),
    ("PL02-1.1", "phoi_hop", "done", "", "true", "false"),  # the broadcasters' figure, not asked
    ("PL02-3.2", "chu_tri", "done", "", "true", "false"),  # = PL01-4.2
    ("PL02-4.2", "phoi_hop", "in_progress", "", "true", "false"),  # = PL01-5.5
    ("PL02-5.1", "chu_tri", "in_progress", "", "true", "false"),
    ("PL02-5.2", "chu_tri", "done", "", "true", "false"),  # = PL01-6.4
    ("PL03-1.1", "tham_muu", "not_started", "", "false", "false"),
    ("PL03-1.2", "tham_muu", "done", "", "true", "false"),
    ("PL03-1.3", "tham_muu", "not_started", "", "false", "false"),
    ("PL03-1.4", "tham_muu", "done", "", "true", "false"),
]
CCT_TASKS = [  # the late return counts like any other
    ("PL01-7.5", "chu_tri", "in_progress", "", "true", "false"),
    ("PL02-5.1", "chu_tri", "done", "", "true", "false"),
    ("PL02-5.2", "chu_tri", "in_progress", "", "true", "false"),
    ("PL03-1.1", "tham_muu", "done", "", "true", "false"),
    ("PL03-1.2", "tham_muu", "done", "", "true", "false"),
    ("PL03-1.3", "tham_muu", "in_progress", "", "true", "false"),
    ("PL03-1.4", "tham_muu", "done", "", "true", "false"),
]


def _row(columns: list[str], *values: str) -> dict[str, str]:
    assert len(columns) == len(values)
    return dict(zip(columns, values, strict=True))


def test_summary_csv(demo_run) -> None:
    """Every row, from the demo's choices: 20 units report 1.1 and 1.2 (DAI_TTTH and the 19 wards
    and communes), 19 report 2.1 and 2.2; X_VU_PHUC sends nothing (0 everywhere); P_HOANG_DIEU
    gives no evidence for 1.1 (10 claimed, 0 counted); every 1.2a is 1, 2 or 3 a week (≥ 1: full);
    P_DE_THAM's 2.2b > 2.2a is an error (2.2 not reported); 12 of the other 17 have a team in
    every village (the draw «2.2b = 2.2a with probability 0.7»: P_HOANG_DIEU, P_PHU_KHANH,
    P_QUANG_TRUNG, X_DONG_THO and X_VU_LAC fall short). Means over the responsible units."""
    _root, _demo, result, _ = demo_run
    rows = read_csv(result.out_dir / "data" / "summary.csv")
    assert rows == [
        _row(SUMMARY_COLUMNS, CODE, "2023-Q4", "1.1", "20", "19", "18", "9", "10"),  # 180 / 20
        _row(SUMMARY_COLUMNS, CODE, "2023-Q4", "1.2", "20", "19", "19", "9.5", "10"),  # 190 / 20
        _row(SUMMARY_COLUMNS, CODE, "2023-Q4", "2.1", "19", "18", "18", "9.47", "10"),  # 180 / 19
        _row(SUMMARY_COLUMNS, CODE, "2023-Q4", "2.2", "19", "17", "12", "6.32", "10"),  # 120 / 19
    ]


def test_demo_units_are_the_expected_ones(demo_run) -> None:
    _root, demo, _result, _ = demo_run
    assert (demo.missing, demo.late, demo.twice) == ("X_VU_PHUC", "CCT", "P_BO_XUYEN")


def test_submissions_csv_value_by_value(demo_run) -> None:
    root, _demo, result, _ = demo_run
    units = {u for u, *_ in SUBMISSIONS}
    rows = [r for r in read_csv(result.out_dir / "data" / "submissions.csv") if r["unit_code"] in units]

    def sha(name: str) -> str:
        return hashlib.sha256((root / "inbox" / name).read_bytes()).hexdigest() if name else ""

    assert rows == [
        _row(
            SUBMISSION_COLUMNS,
            CODE,
            "2023-Q4",
            unit,
            status,
            when,
            "2023-12-20",
            name,
            sha(name),
            errors,
            warnings,
            assigned,
            reported,
            "2" if name == "2023-Q4_P_BO_XUYEN.xlsx" else "1" if name else "",  # the resent file: version 2
            "inbox" if name else "",
        )
        for unit, status, when, name, errors, warnings, assigned, reported in SUBMISSIONS
    ]


def test_scores_csv_value_by_value(demo_run) -> None:
    _root, _demo, result, _ = demo_run
    rows = [r for r in read_csv(result.out_dir / "data" / "scores.csv") if r["unit_code"] in SCORES]
    expected = [
        _row(SCORE_COLUMNS, CODE, "2023-Q4", unit, ind, self_score, score, "10", evidence)
        for unit, by_ind in SCORES.items()
        for ind, (self_score, score, evidence) in by_ind.items()
    ]
    key = lambda r: (r["unit_code"], r["indicator_id"])  # noqa: E731
    assert sorted(rows, key=key) == sorted(expected, key=key)


@pytest.mark.parametrize(("unit", "expected"), [("TUPHAP", TUPHAP_TASKS), ("CCT", CCT_TASKS)])
def test_tasks_csv_value_by_value(demo_run, unit: str, expected: list[tuple[str, ...]]) -> None:
    _root, _demo, result, _ = demo_run
    rows = [r for r in read_csv(result.out_dir / "data" / "tasks.csv") if r["unit_code"] == unit]
    assert [{k: r[k] for k in TASK_COLUMNS} for r in rows] == [
        _row(TASK_COLUMNS, CODE, "2023-Q4", task, unit, role, status, value, evidence, overdue)
        for task, role, status, value, evidence, overdue in expected
    ]
    # the unit's words: the demo's result and evidence where a task is done or under way
    for r, (task, _role, status, *_rest) in zip(rows, expected, strict=True):
        if unit == "TUPHAP" and task == "PL01-1.3":  # the mistake: done, «Đã thực hiện.», no evidence
            assert (r["result_text"], r["evidence"]) == ("Đã thực hiện.", "")
        elif status in ("done", "in_progress"):
            assert r["result_text"] in RESULTS and re.match(
                r"^(Kế hoạch|Báo cáo|Quyết định|Công văn) số", r["evidence"]
            )
        else:
            assert (r["result_text"], r["evidence"]) == ("", "")
        assert r["difficulties"] == ""  # TUPHAP (n=2) and CCT (n=16) type none


def test_tasks_csv_of_the_missing_and_the_twice_sending_unit(demo_run, cat: Catalogue) -> None:
    _root, _demo, result, _ = demo_run
    rows = read_csv(result.out_dir / "data" / "tasks.csv")
    # the missing commune: every task it is assigned, nothing reported; PL01-4.6 (due 30/09) overdue
    missing = [
        {k: r[k] for k in [*TASK_COLUMNS, *WORD_COLUMNS]} for r in rows if r["unit_code"] == "X_VU_PHUC"
    ]
    assigned = cat.tasks_of("X_VU_PHUC")
    assert len(missing) == len(assigned) == 44
    assert sorted(missing, key=lambda r: r["task_id"]) == sorted(
        (
            _row(
                [*TASK_COLUMNS, *WORD_COLUMNS],
                CODE,
                "2023-Q4",
                task,
                "X_VU_PHUC",
                role,
                "",
                "",
                "false",
                "true" if task == "PL01-4.6" else "false",
                "",
                "",
                "",
            )
            for task, role in zip(assigned["task_id"], assigned["role"], strict=True)
        ),
        key=lambda r: r["task_id"],
    )
    # the unit that sent twice: the later file counts (the first said «Đang thực hiện» for its
    # first task, the later one the draw's «Chưa thực hiện», with no evidence and no result)
    first = next(r for r in rows if r["unit_code"] == "P_BO_XUYEN" and r["task_id"] == "PL01-1.5")
    assert {k: first[k] for k in [*TASK_COLUMNS, *WORD_COLUMNS]} == _row(
        [*TASK_COLUMNS, *WORD_COLUMNS],
        CODE,
        "2023-Q4",
        "PL01-1.5",
        "P_BO_XUYEN",
        "chu_tri",
        "not_started",
        "",
        "false",
        "false",
        "",
        "",
        "",
    )


def test_tasks_and_issues_csv(demo_run, cat: Catalogue) -> None:
    _root, demo, result, _ = demo_run
    tasks = read_csv(result.out_dir / "data" / "tasks.csv")
    assert list(tasks[0]) == [*TASK_COLUMNS, *CSV_TEXT_COLUMNS]
    assert len(tasks) == len(cat.assignments)
    # the evidence read: the demo writes «Kế hoạch số 179/KH-UBND ngày 24/12/2023» and the like
    cct = next(t for t in tasks if (t["unit_code"], t["task_id"]) == ("CCT", "PL01-7.5"))
    assert (cct["evidence"], cct["evidence_doc"], cct["evidence_date"]) == (
        "Kế hoạch số 179/KH-UBND ngày 24/12/2023",
        "179/KH-UBND",
        "2023-12-24",
    )
    missing = [t for t in tasks if t["unit_code"] == demo.missing]
    assert missing and all(t["status"] == "" for t in missing)
    assert {t["status"] for t in tasks} <= {"", "not_started", "in_progress", "done", "not_applicable"}
    issues = read_csv(result.out_dir / "data" / "issues.csv")
    assert list(issues[0]) == [
        "locality",
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
    ]
    codes = {i["code"] for i in issues}
    assert {"number_with_text", "evidence_required", "cross_field", "no_evidence"} <= codes
    depts = [
        u for u in cat.expected_units(cat_period(cat)) if cat.units.at[u, "kind"] not in ("ward", "commune")
    ]
    words = [i for i in issues if i["code"] == "number_with_text"]
    assert words[0]["unit_code"] == depts[0] and words[0]["severity"] == "warning" and words[0]["cell"]


def cat_period(cat: Catalogue) -> Period:
    from pipeline.base.periods import parse_period

    return parse_period("2023-Q4")


def test_province_workbook(demo_run, cat: Catalogue) -> None:
    _root, _demo, result, _ = demo_run
    assert result.workbook.name == "BaoCao_DTI_TP_THAI_BINH_2023-Q4.xlsx"
    wb = openpyxl.load_workbook(result.workbook)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Điểm chỉ số",
        "Chi tiết chỉ số",
        "Tiến độ nhiệm vụ",
        "Khó khăn, kiến nghị",
        "Nộp báo cáo",
        "Lỗi dữ liệu",
    ]
    ws = wb["Điểm chỉ số"]
    header = [c.value for c in ws[2]]
    assert header == [
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
    assert ws.max_row == 2 + 20
    missing = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == "X_VU_PHUC")
    assert missing[2:] == ("Chưa nộp",) * 5 + (40, "Chưa nộp", "Chưa nộp")
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def _target_met_column(path: Path) -> list[object]:
    """The values of «Tiến độ nhiệm vụ» › «Đạt chỉ tiêu», below its header row."""
    ws = openpyxl.load_workbook(path)["Tiến độ nhiệm vụ"]
    for row in ws.iter_rows():
        labels = [c.value for c in row]
        if "Đạt chỉ tiêu" in labels:
            col = labels.index("Đạt chỉ tiêu")
            return [r[col] for r in ws.iter_rows(min_row=row[0].row + 1, values_only=True)]
    raise AssertionError("no «Đạt chỉ tiêu» column in «Tiến độ nhiệm vụ»")


def test_province_workbook_target_met_is_filled(demo_run, cat: Catalogue) -> None:
    """The demo's numeric targets judged this quarter (weekly broadcasts, connected communes)
    give the column values: the Vietnamese check below is about something."""
    _root, _demo, result, _ = demo_run
    values = _target_met_column(result.workbook)
    assert len(values) == len(cat.assignments)  # every task × assigned unit
    assert len([v for v in values if v not in (None, "")]) > 0


def test_province_workbook_target_met_is_vietnamese(demo_run) -> None:
    _root, _demo, result, _ = demo_run
    values = set(_target_met_column(result.workbook))
    assert values <= {"Đạt", "Chưa đạt", "Đánh giá cuối năm", None, ""}
    assert {"Đạt", "Chưa đạt", "Đánh giá cuối năm"} <= values  # weekly broadcasts, communes, ATTT share


def test_feedback_files(demo_run, cat: Catalogue, q4: Period) -> None:
    _root, _demo, result, _ = demo_run
    depts = [u for u in cat.expected_units(q4) if cat.units.at[u, "kind"] not in ("ward", "commune")]
    path = result.out_dir / "phan_hoi" / f"{depts[2]}.xlsx"  # the finished task without evidence
    assert path in result.feedback
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == V.SHEET_FEEDBACK and V.SHEET_META in wb.sheetnames
    listed = [[c.value for c in row] for row in wb[V.SHEET_FEEDBACK].iter_rows(min_row=5)]
    errors = [r for r in listed if r[4] == "Lỗi"]
    assert errors
    cell = errors[0][1]
    marked = wb[V.SHEET_TASKS][cell]
    assert marked.fill.fgColor.rgb.endswith("FF9C9C")
    assert marked.comment is not None and "Minh chứng" in marked.comment.text


def test_corrected_feedback_validates_clean(demo_run, cat: Catalogue, q4: Period, tmp_path: Path) -> None:
    _root, _demo, result, _ = demo_run
    depts = [u for u in cat.expected_units(q4) if cat.units.at[u, "kind"] not in ("ward", "commune")]
    unit = depts[2]
    path = result.out_dir / "phan_hoi" / f"{unit}.xlsx"
    fixed = tmp_path / "fixed.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[V.SHEET_TASKS]
    for row in wb[V.SHEET_FEEDBACK].iter_rows(min_row=5, values_only=True):
        if row[4] == "Lỗi" and row[1]:
            ws[row[1]] = "Biên bản số 3/BB ngày 10/12/2023"
    wb.save(fixed)
    checked = check_returns(cat, q4, [read_return(fixed, tmp_path)])
    assert checked.accepted == {"fixed.xlsx": unit}
    assert [i for i in checked.issues if i.severity == "error"] == []


def test_manifest(demo_run) -> None:
    root, _demo, result, _ = demo_run
    manifest = json.loads((result.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["period"] == "2023-Q4"
    assert manifest["locality"] == {"code": CODE, "admin_code": "336", "name": "UBND thành phố Thái Bình"}
    assert manifest["sample"] is True and result.out_dir == root / "out" / "demo" / "2023-Q4"
    files = {i["file"]: i for i in manifest["inputs"]}
    assert len(files) == 36  # 35 units, one of them twice
    for name, item in files.items():
        assert item["sha256"] == hashlib.sha256((root / "inbox" / name).read_bytes()).hexdigest()


def test_rerun_gives_identical_csvs(demo_run, cat: Catalogue, q4: Period) -> None:
    root, _demo, result, _ = demo_run
    first = {p.name: p.read_bytes() for p in (result.out_dir / "data").iterdir()}
    again = run_report(cat, q4, root / "inbox", root / "out2", made_on=MADE_ON)
    second = {p.name: p.read_bytes() for p in (again.out_dir / "data").iterdir()}
    assert first == second


def test_a_failed_run_leaves_the_previous_output(demo_run, cat: Catalogue, q4: Period, monkeypatch) -> None:
    root, _demo, result, _ = demo_run
    before = {p.relative_to(result.out_dir): p.read_bytes() for p in result.out_dir.rglob("*") if p.is_file()}

    def boom(*_a, **_k):
        raise RuntimeError("interrupted on purpose")

    monkeypatch.setattr("pipeline.run.write_csvs", boom)
    with pytest.raises(RuntimeError):
        run_report(cat, q4, root / "inbox", root / "out", made_on=MADE_ON)
    after = {p.relative_to(result.out_dir): p.read_bytes() for p in result.out_dir.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in (root / "out").iterdir() if p.name.startswith(".") and p.name != ".cache"]


def test_cli_demo_and_report(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(
        main, ["demo", "-p", "2023-10", "--out", str(tmp_path / "in")], catch_exceptions=False
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        main,
        ["report", "-p", "2023-10", "--inbox", str(tmp_path / "in"), "--out", str(tmp_path / "out")],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    folder = tmp_path / "out" / "demo" / "2023-10"  # the demo's returns: a sample, apart
    assert (folder / "BaoCao_DTI_TP_THAI_BINH_2023-10.xlsx").exists()
    assert (folder / "BaoCao_DTI_TP_THAI_BINH_2023-10.docx").exists()
    assert not (tmp_path / "out" / "2023-10").exists()
    assert "chưa nộp 1" in res.output and "nộp muộn 1" in res.output
    assert "DỮ LIỆU MẪU – KHÔNG GỬI" in res.output and "Không gửi các tệp này lên tỉnh" in res.output
    assert f"Báo cáo gửi tỉnh: {folder / 'BaoCao_DTI_TP_THAI_BINH_2023-10.docx'}" in res.output


def test_cli_validate(tmp_path: Path, demo_run, cat: Catalogue, q4: Period) -> None:
    root, _demo, _result, _ = demo_run
    depts = [u for u in cat.expected_units(q4) if cat.units.at[u, "kind"] not in ("ward", "commune")]
    bad = root / "inbox" / f"2023-Q4_{depts[2]}.xlsx"
    good = root / "inbox" / f"2023-Q4_{depts[5]}.xlsx"
    runner = CliRunner()
    res = runner.invoke(main, ["validate", str(bad)], catch_exceptions=False)
    assert res.exit_code == 1 and "Lỗi" in res.output and "Minh chứng" in res.output
    res = runner.invoke(main, ["validate", str(good), "--format", "json"], catch_exceptions=False)
    assert res.exit_code == 0
    from pipeline.rules.files import validate_files

    assert json.loads(res.output) == validate_files(cat, [good]).as_dict()


@pytest.mark.libreoffice
def test_libreoffice_opens_the_province_workbook(demo_run, soffice: str, tmp_path: Path) -> None:
    _root, _demo, result, _ = demo_run
    pdf = convert(soffice, result.workbook, "pdf", tmp_path)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10000


def test_the_units_difficulties_reach_tasks_csv_verbatim(demo_run) -> None:
    """One unit in six (registry positions 1, 7, 13, …) types a difficulty under one unfinished
    task: NOIVU, GDDT, TTPTQD, P_HOANG_DIEU, P_TRAN_HUNG_DAO (who writes «Không có») and X_TAN_BINH."""
    from pipeline.demo import PROBLEMS

    _root, _demo, result, _ = demo_run
    typed = [(r["unit_code"], r["difficulties"]) for r in read_csv(result.out_dir / "data" / "tasks.csv")]
    assert sorted(t for t in typed if t[1]) == sorted(
        [
            ("NOIVU", PROBLEMS[0]),
            ("GDDT", PROBLEMS[1]),
            ("TTPTQD", PROBLEMS[2]),
            ("P_HOANG_DIEU", PROBLEMS[3]),
            ("P_TRAN_HUNG_DAO", "Không có"),
            ("X_TAN_BINH", PROBLEMS[0]),
        ]
    )
