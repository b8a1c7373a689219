"""End to end: demo returns → report → CSVs, workbook, feedback, manifest; re-runs and failures."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline import layout as L
from pipeline.catalogue import Catalogue
from pipeline.cli import main
from pipeline.demo import write_demo
from pipeline.intake import read_return
from pipeline.periods import Period
from pipeline.run import run_report
from pipeline.validate import check_returns

from .conftest import convert

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
    assert list(rows[0]) == [
        "period",
        "unit_code",
        "status",
        "received_at",
        "deadline",
        "file",
        "sha256",
        "errors",
        "warnings",
    ]
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
    assert list(rows[0]) == [
        "period",
        "unit_code",
        "indicator_id",
        "self_score",
        "score",
        "max_score",
        "has_evidence",
    ]
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


def test_summary_csv(demo_run) -> None:
    _root, _demo, result, _ = demo_run
    rows = {r["indicator_id"]: r for r in read_csv(result.out_dir / "data" / "summary.csv")}
    assert set(rows) == {"1.1", "1.2", "2.1", "2.2"}
    assert rows["1.1"]["responsible_units"] == "20" and rows["2.1"]["responsible_units"] == "19"
    # everyone but the missing commune reported 1.1; one lacked evidence
    assert rows["1.1"]["reported_units"] == "19"
    assert rows["1.1"]["full_score_units"] == "18"
    assert float(rows["1.1"]["mean_score"]) == round(18 * 10 / 20, 2)


def test_tasks_and_issues_csv(demo_run, cat: Catalogue) -> None:
    _root, demo, result, _ = demo_run
    tasks = read_csv(result.out_dir / "data" / "tasks.csv")
    assert list(tasks[0]) == [
        "period",
        "task_id",
        "unit_code",
        "role",
        "status",
        "result_value",
        "has_evidence",
        "overdue",
    ]
    assert len(tasks) == len(cat.assignments)
    missing = [t for t in tasks if t["unit_code"] == demo.missing]
    assert missing and all(t["status"] == "" for t in missing)
    assert {t["status"] for t in tasks} <= {"", "not_started", "in_progress", "done", "not_applicable"}
    issues = read_csv(result.out_dir / "data" / "issues.csv")
    assert list(issues[0]) == [
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
    from pipeline.periods import parse_period

    return parse_period("2023-Q4")


def test_province_workbook(demo_run, cat: Catalogue) -> None:
    _root, _demo, result, _ = demo_run
    wb = openpyxl.load_workbook(result.workbook)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Điểm chỉ số",
        "Chi tiết chỉ số",
        "Tiến độ nhiệm vụ",
        "Nộp báo cáo",
        "Lỗi dữ liệu",
    ]
    ws = wb["Điểm chỉ số"]
    header = [c.value for c in ws[1]]
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
    assert ws.max_row == 1 + 20
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_feedback_files(demo_run, cat: Catalogue, q4: Period) -> None:
    _root, _demo, result, _ = demo_run
    depts = [u for u in cat.expected_units(q4) if cat.units.at[u, "kind"] not in ("ward", "commune")]
    path = result.out_dir / "phan_hoi" / f"{depts[2]}.xlsx"  # the finished task without evidence
    assert path in result.feedback
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == L.SHEET_FEEDBACK and L.SHEET_META in wb.sheetnames
    listed = [[c.value for c in row] for row in wb[L.SHEET_FEEDBACK].iter_rows(min_row=5)]
    errors = [r for r in listed if r[4] == "Lỗi"]
    assert errors
    cell = errors[0][1]
    marked = wb[L.SHEET_TASKS][cell]
    assert marked.fill.fgColor.rgb.endswith("FF9C9C")
    assert marked.comment is not None and "Minh chứng" in marked.comment.text


def test_corrected_feedback_validates_clean(demo_run, cat: Catalogue, q4: Period, tmp_path: Path) -> None:
    _root, _demo, result, _ = demo_run
    depts = [u for u in cat.expected_units(q4) if cat.units.at[u, "kind"] not in ("ward", "commune")]
    unit = depts[2]
    path = result.out_dir / "phan_hoi" / f"{unit}.xlsx"
    fixed = tmp_path / "fixed.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_TASKS]
    for row in wb[L.SHEET_FEEDBACK].iter_rows(min_row=5, values_only=True):
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
    assert (tmp_path / "out" / "2023-10" / "BaoCao_DTI_2023-10.xlsx").exists()
    assert "chưa nộp 1" in res.output and "nộp muộn 1" in res.output


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
    from pipeline.checkfiles import validate_files

    assert json.loads(res.output) == validate_files(cat, [good]).as_dict()


@pytest.mark.libreoffice
def test_libreoffice_opens_the_province_workbook(demo_run, soffice: str, tmp_path: Path) -> None:
    _root, _demo, result, _ = demo_run
    pdf = convert(soffice, result.workbook, "pdf", tmp_path)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10000
