"""Merging (contract §4, §7): submission statuses, reporting rates, the task table, completion.

The catalogue is the project's own units, calendar and indicators copied into ``tmp_path``
with a small ``tasks.csv`` whose due dates and targets the tests choose.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from pipeline.base.periods import parse_period
from pipeline.catalogue import Catalogue, load_catalogue
from pipeline.scoring.merge import (
    COMPLETION_COLUMNS,
    RATE_COLUMNS,
    SUBMISSION_COLUMNS,
    TASK_COLUMNS,
    completion,
    merge_tasks,
    rank_apart,
    reporting_rates,
    submissions,
)
from tests.conftest import ROOT, quarterly_tasks_profile

Q4 = parse_period("2023-Q4")
Q3 = parse_period("2023-Q3")
YEAR = parse_period("2023")
Q1_2024 = parse_period("2024-Q1")

HEADER = (
    "task_id,appendix,pillar,text,lead_raw,support_raw,province_lead,lead_role,lead_units,"
    "support_units,deadline_raw,frequency,due_date,target_raw,target,target_scope"
)
TASKS = [
    # the annual report before Quarter IV: due 30/09 every year
    "PL01-1.1,PL01,NTS,Báo cáo trước Quý IV,Phòng Văn hóa và Thông tin,Phòng Nội vụ,,chu_tri,VHTT,NOIVU,"
    "Hàng năm trước Quý IV,annual,--09-30,,,",
    # at least 20 articles a year, judged in annual periods only
    "PL01-1.4,PL01,NTS,Tin bài về chuyển đổi số,Phòng Văn hóa và Thông tin,Đài Truyền thanh - Truyền hình thành phố,"
    ",chu_tri,VHTT,DAI_TTTH,Hàng năm,annual,--12-31,Ít nhất 20 tin bài/năm,so_tin_bai >= 20,annual",
    # weekly broadcasts, judged in every period
    "PL01-1.5,PL01,NTS,Chuyên mục chuyển đổi số,Đài Truyền thanh - Truyền hình thành phố,,,chu_tri,DAI_TTTH,,"
    "Hằng tuần,weekly,,Ít nhất 1 lần/tuần,lan_phat_song_moi_tuan >= 1,any",
    # every ward and commune, by a fixed date
    "PL02-2.1,PL02,HTS,Kết nối mạng truyền số liệu,UBND các phường xã,,,chu_tri,WARDS,,"
    "Năm 2023,by_date,2023-12-31,100% xã kết nối,ty_le_xa_ket_noi_tslcd >= 100,annual",
    # Phụ lục 03: the city advises the province
    "PL03-1.1,PL03,ATTT,Đảm bảo an toàn thông tin,Các cơ quan đơn vị liên quan,,Sở Thông tin và Truyền thông,"
    "tham_muu,VHTT CONGAN,,Thường xuyên,ongoing,,,,",
]


@pytest.fixture(scope="module")
def cat(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """Every unit reports its tasks each quarter too (the quarterly-tasks calendar), so the
    quarterly merges below see all 36 units; the real cadence is tested in test_season."""
    root = quarterly_tasks_profile(tmp_path_factory.mktemp("merge") / "schemas")
    (root / "tasks.csv").write_text("\n".join([HEADER, *TASKS]) + "\n", encoding="utf-8")
    return load_catalogue(root)


def ret(
    file: str,
    unit: str,
    when: str | None,
    accepted: bool = True,
    errors: int = 0,
    warnings: int = 0,
) -> dict[str, Any]:
    return {
        "file": file,
        "sha256": f"sha-{file}",
        "unit_code": unit,
        "received_at": pd.Timestamp(when) if when else pd.NaT,
        "accepted": accepted,
        "errors": errors,
        "warnings": warnings,
    }


def returns(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(
        list(rows), columns=["file", "sha256", "unit_code", "received_at", "accepted", "errors", "warnings"]
    )


def rows_of(subs: pd.DataFrame, unit: str) -> list[dict[str, Any]]:
    return [dict(r) for _, r in subs[subs["unit_code"] == unit].iterrows()]


# --- submissions ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def subs(cat: Catalogue) -> pd.DataFrame:
    return submissions(
        cat,
        Q4,
        returns(
            ret("zz rejected.xlsx", "", "2023-12-10 08:00", accepted=False, errors=1),
            ret("vp.xlsx", "VP", "2023-12-20 23:59:59", warnings=2),  # on the deadline day
            ret("noivu.xlsx", "NOIVU", "2023-12-21 00:00:01"),  # one day late
            ret("kinhte v2.xlsx", "KINHTE", "2023-12-22 09:00"),  # later, late: counts
            ret("kinhte.xlsx", "KINHTE", "2023-12-15 09:00", errors=3),  # earlier, on time: superseded
            ret("bo xuyen.xlsx", "P_BO_XUYEN", "2023-12-01 07:00", accepted=False, errors=2),  # unit hint
            ret("aa broken.ods", "", "2023-12-11 08:00", accepted=False, errors=1),
            *[ret(f"{u}.xlsx", u, "2023-12-18 10:00") for u in ("CONGAN", "P_KY_BA", "X_VU_LAC")],
        ),
    )


def test_submission_columns_and_values(subs: pd.DataFrame) -> None:
    assert list(subs.columns) == [*SUBMISSION_COLUMNS, "complete"]
    assert set(subs["period"]) == {"2023-Q4"}
    assert set(subs["deadline"]) == {"2023-12-20"}


def test_on_time_on_the_deadline_day(subs: pd.DataFrame) -> None:
    [vp] = rows_of(subs, "VP")
    assert (vp["status"], vp["days_late"], vp["received_at"]) == ("on_time", 0, "2023-12-20T23:59:59")
    assert (vp["file"], vp["sha256"], vp["errors"], vp["warnings"]) == ("vp.xlsx", "sha-vp.xlsx", 0, 2)


def test_late_by_one_day(subs: pd.DataFrame) -> None:
    [noivu] = rows_of(subs, "NOIVU")
    assert (noivu["status"], noivu["days_late"]) == ("late", 1)


def test_later_return_wins_even_when_late(subs: pd.DataFrame) -> None:
    kinhte = rows_of(subs, "KINHTE")
    assert [(r["file"], r["status"]) for r in kinhte] == [
        ("kinhte.xlsx", "superseded"),
        ("kinhte v2.xlsx", "late"),
    ]
    assert kinhte[1]["days_late"] == 2
    assert kinhte[0]["errors"] == 3


def test_missing_units(cat: Catalogue, subs: pd.DataFrame) -> None:
    [missing] = rows_of(subs, "TUPHAP")
    assert missing["status"] == "missing"
    assert (missing["file"], missing["sha256"], missing["received_at"]) == ("", "", "")
    assert pd.isna(missing["days_late"])
    counted = {"VP", "NOIVU", "KINHTE", "CONGAN", "P_KY_BA", "X_VU_LAC"}
    assert set(subs.loc[subs["status"] == "missing", "unit_code"]) == set(cat.expected_units(Q4)) - counted
    # a unit whose only file was rejected is also missing
    assert [r["status"] for r in rows_of(subs, "P_BO_XUYEN")] == ["rejected", "missing"]


def test_rejected_files_and_ordering(cat: Catalogue, subs: pd.DataFrame) -> None:
    rejected = subs[subs["status"] == "rejected"]
    assert list(rejected["file"]) == ["bo xuyen.xlsx", "aa broken.ods", "zz rejected.xlsx"]
    # registry order of units; unidentified files last, by file name
    assert list(subs["file"].tail(2)) == ["aa broken.ods", "zz rejected.xlsx"]
    assert list(subs["unit_code"].tail(2)) == ["", ""]
    units = [u for u in subs["unit_code"] if u]
    position = {u: n for n, u in enumerate(cat.units.index)}
    assert units == sorted(units, key=position.__getitem__)
    assert len(subs) == len(cat.expected_units(Q4)) + 3 + 1  # + rejected files + superseded


def test_each_expected_unit_has_exactly_one_counting_or_missing_row(
    cat: Catalogue, subs: pd.DataFrame
) -> None:
    main = subs[subs["status"].isin(["on_time", "late", "missing"])]
    assert sorted(main["unit_code"]) == sorted(cat.expected_units(Q4))


def test_same_time_tie_broken_by_file_name(cat: Catalogue) -> None:
    subs = submissions(
        cat, Q4, returns(ret("b.xlsx", "VP", "2023-12-19 10:00"), ret("a.xlsx", "VP", "2023-12-19 10:00"))
    )
    assert [(r["file"], r["status"]) for r in rows_of(subs, "VP")] == [
        ("a.xlsx", "superseded"),
        ("b.xlsx", "on_time"),
    ]


def test_year_deadline(cat: Catalogue) -> None:
    subs = submissions(
        cat, YEAR, returns(ret("vp.xlsx", "VP", "2023-12-15 17:00"), ret("nv.xlsx", "NOIVU", "2023-12-16"))
    )
    assert set(subs["deadline"]) == {"2023-12-15"}
    assert [r["status"] for r in rows_of(subs, "VP")] == ["on_time"]
    assert [(r["status"], r["days_late"]) for r in rows_of(subs, "NOIVU")] == [("late", 1)]


def test_no_returns_at_all(cat: Catalogue) -> None:
    subs = submissions(cat, Q4, returns())
    assert list(subs.columns) == [*SUBMISSION_COLUMNS, "complete"]
    assert list(subs["unit_code"]) == list(cat.expected_units(Q4))
    assert set(subs["status"]) == {"missing"}


# --- reporting rates ------------------------------------------------------------------------


def test_reporting_rates(cat: Catalogue, subs: pd.DataFrame) -> None:
    rates = reporting_rates(cat, Q4, subs)
    assert list(rates.columns) == RATE_COLUMNS
    assert list(rates["scope"]) == ["department", "agency", "ward", "commune", "all"]
    by = rates.set_index("scope")
    # departments: VP on time, NOIVU and KINHTE late, 11 missing of 14
    assert list(by.loc["department", ["expected", "received", "on_time", "late", "missing"]]) == [
        14,
        3,
        1,
        2,
        11,
    ]
    assert (by.at["department", "rate_pct"], by.at["department", "on_time_pct"]) == (21.4, 7.1)
    assert list(by.loc["agency", ["expected", "received", "on_time", "missing"]]) == [3, 1, 1, 2]
    assert (by.at["agency", "rate_pct"], by.at["agency", "on_time_pct"]) == (33.3, 33.3)
    assert list(by.loc["ward", ["expected", "received", "missing", "rejected_files"]]) == [10, 1, 9, 1]
    assert list(by.loc["commune", ["expected", "received", "missing", "rejected_files"]]) == [9, 1, 8, 0]
    assert list(by.loc["all", ["expected", "received", "on_time", "late", "missing"]]) == [36, 6, 4, 2, 30]
    assert by.at["all", "rejected_files"] == 3  # the ward's file and two unidentified files
    assert (by.at["all", "rate_pct"], by.at["all", "on_time_pct"]) == (16.7, 11.1)


# --- tasks ----------------------------------------------------------------------------------


def tv(*rows: tuple[str, str, str | None, float, bool]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_code", "task_id", "status", "result_value", "has_evidence"])


def task_row(merged: pd.DataFrame, task: str, unit: str) -> dict[str, Any]:
    hit = merged[(merged["task_id"] == task) & (merged["unit_code"] == unit)]
    assert len(hit) == 1, (task, unit)
    return dict(hit.iloc[0])


NAN = math.nan


def test_one_row_per_assignment_in_catalogue_order(cat: Catalogue) -> None:
    merged = merge_tasks(cat, Q4, tv())
    assert list(merged.columns) == TASK_COLUMNS
    assert list(zip(merged["task_id"], merged["unit_code"], merged["role"], strict=True)) == list(
        zip(cat.assignments["task_id"], cat.assignments["unit_code"], cat.assignments["role"], strict=True)
    )
    assert len(merged) == 2 + 2 + 1 + 19 + 2
    r = task_row(merged, "PL03-1.1", "CONGAN")
    assert (r["role"], r["appendix"], r["pillar"], r["status"], r["has_evidence"]) == (
        "tham_muu",
        "PL03",
        "ATTT",
        "",
        False,
    )
    assert math.isnan(r["result_value"])


def test_reported_values_and_ignored_rows(cat: Catalogue) -> None:
    merged = merge_tasks(
        cat,
        Q4,
        tv(
            ("VHTT", "PL01-1.4", "in_progress", 12.0, True),
            ("NOIVU", "PL01-1.4", "done", 99.0, True),  # not NOIVU's task: ignored
            ("NOIVU", "PL09-9.9", "done", NAN, True),  # not a task: ignored
            ("DAI_TTTH", "PL01-1.4", None, NAN, False),
        ),
    )
    r = task_row(merged, "PL01-1.4", "VHTT")
    assert (r["status"], r["result_value"], r["has_evidence"], r["role"]) == (
        "in_progress",
        12.0,
        True,
        "chu_tri",
    )
    r = task_row(merged, "PL01-1.4", "DAI_TTTH")
    assert (r["status"], r["has_evidence"], r["role"]) == ("", False, "phoi_hop")
    assert "PL09-9.9" not in set(merged["task_id"])
    assert len(merged[merged["unit_code"] == "NOIVU"]) == 1


def test_overdue(cat: Catalogue) -> None:
    merged = merge_tasks(
        cat,
        Q4,
        tv(
            ("VHTT", "PL01-1.1", "in_progress", NAN, False),  # due 30/09, not done → overdue
            ("NOIVU", "PL01-1.1", "done", NAN, True),  # done → not overdue
            ("VHTT", "PL01-1.4", "in_progress", 5.0, False),  # due 31/12 = end of Q4 → not yet
            ("P_KY_BA", "PL02-2.1", "not_applicable", NAN, False),
        ),
    )
    assert task_row(merged, "PL01-1.1", "VHTT")["overdue"]
    assert not task_row(merged, "PL01-1.1", "NOIVU")["overdue"]
    assert not task_row(merged, "PL01-1.4", "VHTT")["overdue"]
    assert not task_row(merged, "PL01-1.5", "DAI_TTTH")["overdue"]  # weekly: no due date
    assert not task_row(merged, "PL02-2.1", "P_BO_XUYEN")["overdue"]  # due 2023-12-31
    # in Q3 the 30/09 task is due on the last day: not yet overdue
    q3 = merge_tasks(cat, Q3, tv())
    assert not task_row(q3, "PL01-1.1", "VHTT")["overdue"]
    # in 2024-Q1 the 2023 task is overdue, unless not applicable
    later = merge_tasks(cat, Q1_2024, tv(("P_KY_BA", "PL02-2.1", "not_applicable", NAN, False)))
    assert task_row(later, "PL02-2.1", "P_BO_XUYEN")["overdue"]
    assert not task_row(later, "PL02-2.1", "P_KY_BA")["overdue"]
    # a recurring 31/12 task is judged within the period's own year
    assert not task_row(later, "PL01-1.4", "VHTT")["overdue"]


def test_unreported_task_past_due_is_overdue(cat: Catalogue) -> None:
    r = task_row(merge_tasks(cat, Q4, tv()), "PL01-1.1", "NOIVU")
    assert r["status"] == "" and r["overdue"]


def test_target_met_in_quarter_and_year(cat: Catalogue) -> None:
    values = tv(
        ("VHTT", "PL01-1.4", "done", 25.0, True),
        ("DAI_TTTH", "PL01-1.5", "in_progress", 0.5, True),
        ("P_BO_XUYEN", "PL02-2.1", "done", 100.0, True),
        ("P_KY_BA", "PL02-2.1", "in_progress", 80.0, True),
    )
    q4 = merge_tasks(cat, Q4, values)
    year = merge_tasks(cat, YEAR, values)
    # annual target: not judged in a quarter, judged in the year
    assert task_row(q4, "PL01-1.4", "VHTT")["target_met"] is None
    assert task_row(year, "PL01-1.4", "VHTT")["target_met"] is True
    assert task_row(year, "PL01-1.4", "VHTT")["target"] == "so_tin_bai >= 20"
    assert task_row(q4, "PL01-1.4", "VHTT")["progress_pct"] == 125.0
    # "any" target: judged in every period
    assert task_row(q4, "PL01-1.5", "DAI_TTTH")["target_met"] is False
    assert task_row(year, "PL01-1.5", "DAI_TTTH")["target_met"] is False
    assert task_row(q4, "PL01-1.5", "DAI_TTTH")["progress_pct"] == 50.0
    assert (
        task_row(year, "PL02-2.1", "P_BO_XUYEN")["target_met"],
        task_row(year, "PL02-2.1", "P_KY_BA")["target_met"],
    ) == (True, False)
    assert task_row(year, "PL02-2.1", "P_KY_BA")["progress_pct"] == 80.0
    # no value reported: not judged; no target: never judged
    r = task_row(year, "PL02-2.1", "X_VU_LAC")
    assert r["target_met"] is None and math.isnan(r["progress_pct"])
    r = task_row(year, "PL01-1.1", "VHTT")
    assert (r["target"], r["target_met"]) == ("", None) and math.isnan(r["progress_pct"])


# --- completion -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def merged(cat: Catalogue) -> pd.DataFrame:
    return merge_tasks(
        cat,
        Q4,
        tv(
            ("VHTT", "PL01-1.1", "done", NAN, True),
            ("NOIVU", "PL01-1.1", "in_progress", NAN, False),  # overdue
            ("VHTT", "PL01-1.4", "done", 21.0, True),
            ("DAI_TTTH", "PL01-1.4", "not_applicable", NAN, False),
            ("DAI_TTTH", "PL01-1.5", "not_started", NAN, False),
            ("P_BO_XUYEN", "PL02-2.1", "done", 100.0, True),
            ("P_KY_BA", "PL02-2.1", "not_applicable", NAN, False),
            ("VHTT", "PL03-1.1", "in_progress", NAN, False),
        ),
    )


def test_completion_by_pillar(merged: pd.DataFrame) -> None:
    out = completion(merged, "pillar")
    assert list(out.columns) == ["pillar", *COMPLETION_COLUMNS]
    assert list(out["pillar"]) == ["NTS", "HTS", "ATTT"]
    by = out.set_index("pillar")
    # NTS: 1.1 ×2, 1.4 ×2, 1.5 ×1 → done 2 (none without proof), in progress 1, not started 1,
    # n/a 1, overdue 1 (NOIVU)
    assert list(by.loc["NTS", COMPLETION_COLUMNS[:-1]]) == [5, 5, 2, 0, 1, 1, 1, 1]
    assert by.at["NTS", "done_pct"] == 50.0  # 2 / (5 − 1)
    # HTS: 19 wards, 2 reported: one done, one not applicable → 1 / 18
    assert list(by.loc["HTS", ["assigned", "reported", "done", "not_applicable", "overdue"]]) == [
        19,
        2,
        1,
        1,
        0,
    ]
    assert by.at["HTS", "done_pct"] == 5.6
    assert list(by.loc["ATTT", ["assigned", "reported", "in_progress"]]) == [2, 1, 1]
    assert by.at["ATTT", "done_pct"] == 0.0


def test_completion_by_appendix_and_unit(cat: Catalogue, merged: pd.DataFrame) -> None:
    by_app = completion(merged, "appendix").set_index("appendix")
    assert list(by_app.index) == ["PL01", "PL02", "PL03"]
    assert by_app.at["PL01", "assigned"] == 5 and by_app.at["PL03", "assigned"] == 2

    by_unit = completion(merged, "unit_code")
    assert list(by_unit.columns) == ["unit_code", *COMPLETION_COLUMNS]
    position = {u: n for n, u in enumerate(cat.units.index)}
    assert list(by_unit["unit_code"]) == sorted(by_unit["unit_code"], key=position.__getitem__)
    u = by_unit.set_index("unit_code")
    assert list(u.loc["VHTT", ["assigned", "reported", "done", "in_progress", "done_pct"]]) == [
        3,
        3,
        2,
        1,
        66.7,
    ]
    assert list(u.loc["DAI_TTTH", ["assigned", "not_applicable", "not_started", "done_pct"]]) == [
        2,
        1,
        1,
        0.0,
    ]
    # everything not applicable: nothing due, 0 %
    assert (u.at["P_KY_BA", "assigned"], u.at["P_KY_BA", "not_applicable"], u.at["P_KY_BA", "done_pct"]) == (
        1,
        1,
        0.0,
    )
    assert (u.at["P_BO_XUYEN", "done_pct"], u.at["NOIVU", "overdue"]) == (100.0, 1)


def test_completion_rejects_other_groupings(merged: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="pillar, appendix or unit_code"):
        completion(merged, "role")


# --- the project's own catalogue ------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Catalogue:
    return load_catalogue(ROOT / "schemas")


def test_real_catalogue_one_row_per_assignment(real: Catalogue) -> None:
    merged = merge_tasks(real, Q4, tv())
    assert len(merged) == len(real.assignments)
    assert list(merged["task_id"]) == list(real.assignments["task_id"])
    assert set(merged["status"]) == {""}
    by_appendix = completion(merged, "appendix")
    assert list(by_appendix["appendix"]) == ["PL01", "PL02", "PL03"]
    assert by_appendix["assigned"].sum() == len(real.assignments)


def test_real_catalogue_overdue_and_targets(real: Catalogue) -> None:
    tasks = real.tasks
    before_q4 = tasks.index[tasks["due_date"] == "--09-30"][0]
    year_end = tasks.index[(tasks["due_date"] == "--12-31") & (tasks["target"] == "")][0]
    annual_target = tasks.index[tasks["target_scope"] == "annual"][0]
    lead = {
        t: str(real.assignments.loc[real.assignments["task_id"] == t, "unit_code"].iloc[0])
        for t in (before_q4, year_end, annual_target)
    }
    target = real.tasks.at[annual_target, "target"]
    value = float(target.split()[-1])
    values = tv(
        (lead[before_q4], before_q4, "in_progress", NAN, False),
        (lead[year_end], year_end, "in_progress", NAN, False),
        (lead[annual_target], annual_target, "done", value, True),
    )
    q4 = merge_tasks(real, Q4, values)
    assert task_row(q4, before_q4, lead[before_q4])["overdue"]
    assert not task_row(q4, year_end, lead[year_end])["overdue"]
    done = merge_tasks(real, Q4, tv((lead[before_q4], before_q4, "done", NAN, True)))
    assert not task_row(done, before_q4, lead[before_q4])["overdue"]
    assert task_row(q4, annual_target, lead[annual_target])["target_met"] is None
    r = task_row(merge_tasks(real, YEAR, values), annual_target, lead[annual_target])
    assert (r["target"], r["target_met"], r["progress_pct"]) == (target, True, 100.0)


# --- what units wrote, and done without proof (issue 10) -------------------------------------


def test_the_units_words_are_carried_verbatim(cat: Catalogue) -> None:
    hostile = '=HYPERLINK("http://x")  hai  khoảng trắng'
    values = tv(("VHTT", "PL01-1.1", "done", NAN, True), ("NOIVU", "PL01-1.1", "in_progress", NAN, False))
    values["result"] = ["Đã tham mưu ban hành Kế hoạch số 12/KH-UBND.", hostile]
    values["evidence"] = ["Kế hoạch số 12/KH-UBND ngày 05/10/2023", None]
    values["problems"] = ["", "Thiếu kinh phí; đề nghị hỗ trợ."]
    merged = merge_tasks(cat, Q4, values)
    r = task_row(merged, "PL01-1.1", "VHTT")
    assert (r["result_text"], r["evidence"], r["difficulties"]) == (
        "Đã tham mưu ban hành Kế hoạch số 12/KH-UBND.",
        "Kế hoạch số 12/KH-UBND ngày 05/10/2023",
        None,  # a blank cell stays missing
    )
    assert r["task"] == cat.tasks.at["PL01-1.1", "text"]
    r = task_row(merged, "PL01-1.1", "NOIVU")
    assert (r["result_text"], r["evidence"], r["difficulties"]) == (
        hostile,
        None,
        "Thiếu kinh phí; đề nghị hỗ trợ.",
    )
    # a unit that sent nothing: no words, and the task text all the same
    r = task_row(merged, "PL01-1.5", "DAI_TTTH")
    assert (r["result_text"], r["evidence"], r["difficulties"]) == (None, None, None) and r["task"]


def test_done_without_evidence_or_figure_is_not_counted_as_done(cat: Catalogue) -> None:
    merged = merge_tasks(
        cat,
        Q4,
        tv(
            ("VHTT", "PL01-1.1", "done", NAN, False),  # no evidence (an error in its return)
            ("NOIVU", "PL01-1.1", "done", NAN, True),  # proven
            ("VHTT", "PL01-1.4", "done", NAN, True),  # a numeric target and no figure
            ("DAI_TTTH", "PL01-1.4", "done", 22.0, True),  # target, figure and evidence
        ),
    )
    assert task_row(merged, "PL01-1.1", "VHTT")["unproven"]
    assert task_row(merged, "PL01-1.4", "VHTT")["unproven"]
    assert not task_row(merged, "PL01-1.1", "NOIVU")["unproven"]
    assert not task_row(merged, "PL01-1.4", "DAI_TTTH")["unproven"]
    assert not task_row(merged, "PL01-1.5", "DAI_TTTH")["unproven"]  # not reported
    # the status stays what the unit wrote (tasks.csv keeps it verbatim); completion tells them apart
    assert task_row(merged, "PL01-1.1", "VHTT")["status"] == "done"
    assert not task_row(merged, "PL01-1.1", "VHTT")["overdue"]  # closed by the unit
    by = completion(merged, "pillar").set_index("pillar")
    assert (by.at["NTS", "done"], by.at["NTS", "done_unproven"]) == (2, 2)
    assert by.at["NTS", "done_pct"] == round(100 * 2 / by.at["NTS", "assigned"], 1)
    u = completion(merged, "unit_code").set_index("unit_code")
    assert (u.at["VHTT", "done"], u.at["VHTT", "done_unproven"]) == (0, 2)


def test_unproven_asks_the_figure_of_whom_the_target_asks_it(real: Catalogue) -> None:
    """PL01-5.5's budget share is TCKH's figure (target level ``lead``): a supporting department
    done with evidence and no figure is done; TCKH done without it is not. A row the unit added
    is unproven when done without evidence, and carries its text as ``task``."""
    support = str(
        real.assignments.loc[
            (real.assignments["task_id"] == "PL01-5.5") & (real.assignments["role"] == "phoi_hop"),
            "unit_code",
        ].iloc[0]
    )
    values = tv(
        ("TCKH", "PL01-5.5", "done", NAN, True),
        (support, "PL01-5.5", "done", NAN, True),
    )
    added = pd.DataFrame(
        [
            {
                "unit_code": "TCKH",
                "task_id": "TCKH-PS1",
                "status": "done",
                "result_value": NAN,
                "has_evidence": False,
                "added": True,
                "text": "Rà soát dự toán chi chuyển đổi số năm 2024",
            }
        ]
    )
    merged = merge_tasks(real, Q4, pd.concat([values.assign(added=False), added], ignore_index=True))
    assert task_row(merged, "PL01-5.5", "TCKH")["unproven"]
    assert not task_row(merged, "PL01-5.5", support)["unproven"]
    own = task_row(merged, "TCKH-PS1", "TCKH")
    assert (own["role"], own["task"], own["task_text"], own["unproven"]) == (
        "phat_sinh",
        "Rà soát dự toán chi chuyển đổi số năm 2024",
        "Rà soát dự toán chi chuyển đổi số năm 2024",
        True,
    )


def test_a_unit_that_sent_nothing_is_ranked_apart() -> None:
    ranking = pd.DataFrame(
        {
            "unit_code": ["DAI_TTTH", "P_A", "P_B", "X_C", "X_D"],
            "kind": ["department", "ward", "ward", "commune", "commune"],
            "pct": [100.0, 75.0, 100.0, 0.0, 75.0],
            "rank": [NAN, 2.0, 1.0, 5.0, 2.0],
        }
    )
    subs = pd.DataFrame(
        {
            "unit_code": ["DAI_TTTH", "P_A", "P_B", "P_B", "X_C", "X_D"],
            "status": ["on_time", "late", "superseded", "on_time", "missing", "on_time"],
        }
    )
    out = rank_apart(ranking, subs).set_index("unit_code")
    assert out["sent"].to_dict() == {"DAI_TTTH": True, "P_A": True, "P_B": True, "X_C": False, "X_D": True}
    assert math.isnan(out.at["DAI_TTTH", "rank"]) and math.isnan(out.at["X_C", "rank"])  # not ranked, apart
    assert [out.at[u, "rank"] for u in ("P_A", "P_B", "X_D")] == [2.0, 1.0, 2.0]
    assert rank_apart(ranking.iloc[0:0], subs).empty
