"""History for the province (issue 12): `Diễn biến` and data/history.csv after the demo season
(October to December 2023 and the fourth quarter, reported in order into one store).

The expected figures come from the season's draws (pipeline/demo.py ``write_season``): the last
department in the registry (CCT) is late in October and December, the last commune (X_VU_PHUC)
sends nothing in November nor for the quarter, the first ward sends twice in November."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pipeline.base import vocabulary as V
from pipeline.base.periods import parse_period
from pipeline.catalogue import Catalogue
from pipeline.demo import write_season
from pipeline.run import RunResult, run_report
from tests.conftest import convert

SEASON = ("2023-10", "2023-11", "2023-12", "2023-Q4")
LATE, ABSENT = "CCT", "X_VU_PHUC"


@pytest.fixture(scope="module")
def season(cat: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> dict[str, RunResult]:
    root = tmp_path_factory.mktemp("season")
    written = write_season(cat, parse_period("2023-Q4"), root / "in")
    assert [p.id for p in written.periods] == list(SEASON)
    return {
        p.id: run_report(cat, p, root / "in" / p.id, root / "out", workers=0, cache=False)
        for p in written.periods
    }


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def sheet_rows(result: RunResult) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(result.workbook)
    return [tuple(r) for r in wb[V.SHEET_HISTORY].iter_rows(values_only=True)]


def table_after(lines: list[tuple[object, ...]], title_start: str) -> list[tuple[object, ...]]:
    """The rows of the table under the section whose title starts with ``title_start``: its
    header and data, up to the first empty row."""
    i = next(n for n, r in enumerate(lines) if isinstance(r[0], str) and r[0].startswith(title_start))
    i += 1
    while lines[i][1] is None:  # the explanation line (merged over the row)
        i += 1
    out = []
    for r in lines[i:]:
        if all(v is None for v in r):
            break
        out.append(r)
    return out


def test_the_first_month_has_no_history_sheet_the_second_has(season: dict[str, RunResult]) -> None:
    first = openpyxl.load_workbook(season["2023-10"].workbook)
    assert V.SHEET_HISTORY not in first.sheetnames
    second = openpyxl.load_workbook(season["2023-11"].workbook)
    assert second.sheetnames[-2:] == [V.SHEET_HISTORY, V.SHEET_ISSUES]
    assert len(rows(season["2023-10"].out_dir / "data" / "history.csv")) == 36 + 9  # submissions, pillars


def test_timeliness_period_by_period(season: dict[str, RunResult]) -> None:
    lines = sheet_rows(season["2023-Q4"])
    rates = table_after(lines, "1. ")
    assert rates[0] == (
        "Nội dung",
        "Tháng 10/2023",
        "Tháng 11/2023",
        "Tháng 12/2023",
        "Quý IV/2023",
        None,
        None,
    )
    assert rates[1:] == [
        ("Phải nộp", 36, 36, 36, 20, None, None),
        ("Đúng hạn", 35, 35, 35, 19, None, None),
        ("Nộp muộn", 1, 0, 1, 0, None, None),
        ("Chưa nộp", 0, 1, 0, 1, None, None),
        ("Tỷ lệ đúng hạn (%)", 97.2, 97.2, 97.2, 95.0, None, None),
    ]
    months = {r[0]: r[1:4] for r in table_after(lines, "2. ")[1:]}
    assert len(months) == 36
    assert months["Chi cục Thuế khu vực thành phố Thái Bình - Vũ Thư"] == ("Nộp muộn", "Đúng hạn", "Nộp muộn")
    assert months["UBND xã Vũ Phúc"] == ("Đúng hạn", "Chưa nộp", "Đúng hạn")
    assert months["Phòng Nội vụ"] == ("Đúng hạn",) * 3
    quarter = {r[0]: r[1] for r in table_after(lines, "3. ")[1:]}
    assert len(quarter) == 20 and "Phòng Nội vụ" not in quarter  # a department owes no quarterly return
    assert (
        quarter["UBND xã Vũ Phúc"] == "Chưa nộp"
        and quarter["Đài Truyền thanh - Truyền hình thành phố"] == "Đúng hạn"
    )


def test_repeat_filers_means_totals_and_pillars(season: dict[str, RunResult], cat: Catalogue) -> None:
    lines = sheet_rows(season["2023-Q4"])
    repeat = table_after(lines, "4. ")
    assert repeat[1][:5] == (
        "Chi cục Thuế khu vực thành phố Thái Bình - Vũ Thư",
        "tháng",
        2,
        0,
        "tháng 10/2023 và tháng 12/2023",
    )
    assert len(repeat) == 2  # X_VU_PHUC missed one month of three and one quarter: not repeated

    data = season["2023-Q4"].out_dir / "data"
    scores = [r for r in rows(data / "scores.csv")]
    means = {r[0].split(" ")[0]: r[1] for r in table_after(lines, "5. ")[1:]}
    for ind, mean in means.items():
        values = [float(r["score"] or 0) for r in scores if r["indicator_id"] == ind]
        assert mean == pytest.approx(round(sum(values) / len(values), 2))
    totals = {r[0]: r[1] for r in table_after(lines, "6. ")[1:]}
    assert totals["UBND xã Vũ Phúc"] == 0
    names = dict(zip(cat.units.index, cat.units["name"], strict=True))
    for unit in ("DAI_TTTH", "P_BO_XUYEN", "X_DONG_HOA"):
        assert totals[names[unit]] == pytest.approx(
            sum(float(r["score"]) for r in scores if r["unit_code"] == unit)
        )

    pillars = table_after(lines, "7. ")
    assert [r[0] for r in pillars[1:]] == [cat.vocabulary.pillars[k] for k in cat.vocabulary.pillars]
    for col, month in enumerate(("2023-10", "2023-11", "2023-12"), start=1):
        # each month's own figure on its Tổng hợp (Tỷ lệ hoàn thành, the 10th column), kept
        own = openpyxl.load_workbook(season[month].workbook)[V.SHEET_SUMMARY]
        done_pct = {
            r[0]: r[9] for r in own.iter_rows(values_only=True) if r[0] in {p[0] for p in pillars[1:]}
        }
        assert {r[0]: r[col] for r in pillars[1:]} == done_pct


def test_history_csv_holds_every_stored_period(season: dict[str, RunResult]) -> None:
    data = season["2023-Q4"].out_dir / "data"
    history = rows(data / "history.csv")
    assert list(history[0]) == ["locality", "period", "kind", "unit_code", "measure", "key", "value"]
    subs = [r for r in history if r["measure"] == "submission"]
    assert [sum(r["period"] == p for r in subs) for p in SEASON] == [36, 36, 36, 20]
    assert {(r["period"], r["unit_code"], r["value"]) for r in subs if r["value"] != "on_time"} == {
        ("2023-10", LATE, "late"),
        ("2023-11", ABSENT, "missing"),
        ("2023-12", LATE, "late"),
        ("2023-Q4", ABSENT, "missing"),
    }
    scores = {(r["unit_code"], r["indicator_id"]): r["score"] for r in rows(data / "scores.csv")}
    stored = {(r["unit_code"], r["key"]): r["value"] for r in history if r["measure"] == "score"}
    assert stored == scores and len(stored) == 78  # the quarter's 20 units × their indicators
    assert {r["period"] for r in history if r["measure"] == "done_pct"} == {"2023-10", "2023-11", "2023-12"}
    assert {r["locality"] for r in history} == {"TP_THAI_BINH"}


def test_the_quarter_says_its_tasks_come_from_december(season: dict[str, RunResult]) -> None:
    wb = openpyxl.load_workbook(season["2023-Q4"].workbook)
    note = "Tiến độ nhiệm vụ quý IV/2023 lấy từ báo cáo tháng gần nhất của từng đơn vị trong kỳ (tháng 12/2023: 36 đơn vị)."
    assert wb[V.SHEET_PROGRESS]["A2"].value == note
    assert note in [c.value for r in wb[V.SHEET_SUMMARY].iter_rows() for c in r]
    tasks = rows(season["2023-Q4"].out_dir / "data" / "tasks.csv")
    assert len({r["unit_code"] for r in tasks}) == 36  # every unit's tasks, from its months


@pytest.mark.libreoffice
def test_the_history_sheet_prints_its_charts_whole(
    season: dict[str, RunResult], soffice: str, tmp_path: Path
) -> None:
    """Printed, `Diễn biến` keeps each chart on one page, with the table it plots."""
    pdf = convert(soffice, season["2023-Q4"].workbook, "pdf", tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [p for p in text.split("\f") if f"— {V.SHEET_HISTORY}" in p]
    assert len(pages) >= 4
    rates = next(p for p in pages if "1. Tình hình nộp báo cáo qua các kỳ" in p)
    assert "Số đơn vị nộp báo cáo đúng hạn, nộp muộn và chưa nộp qua các kỳ" in rates and "Đúng hạn" in rates
    trend = next(p for p in pages if "Tỷ lệ hoàn thành nhiệm vụ theo lĩnh vực qua các tháng (%)" in p)
    assert "7. Tỷ lệ hoàn thành" in trend and "Đô thị thông minh" in trend  # table, plot and legend together
    assert trend.count("Đô thị thông minh") == 2  # the table's row and the legend
