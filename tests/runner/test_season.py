"""The demo season through the store, on SQLite and on PostgreSQL: the quarter and the year expect
the indicator units only, take each unit's task progress from its latest month, and judge the
annual targets on the year's months — each value worked out from the demo's draws."""

from __future__ import annotations

import openpyxl
import pytest

from pipeline.base import vocabulary as V
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.runner.build import build_period
from pipeline.runner.period import load_period
from pipeline.store import open_store
from tests.runner.conftest import Stored
from tests.runner.season import (
    MONTHS,
    NO_DECEMBER,
    NOT_IN_NOVEMBER,
    Q4,
    YEAR,
    Inbox,
    drawn,
    indicator_units,
    latest_month,
    months_sent,
    read_csv,
    registry,
)

pytestmark = pytest.mark.slow

STATUS_WORDS = {machine: label for label, machine in V.STATUS_VALUES.items()}


def rebuilt(cat: Catalogue, season: Stored, period: Period):
    """The period's frames as the run builds them, from the store alone."""
    store = open_store(season.db, default_path=season.out / "unused.sqlite")
    try:
        return build_period(cat, period, load_period(store, cat, cat.locality.code, period)), store.task_rows(
            period.id, locality=cat.locality.code
        )
    finally:
        store.close()


@pytest.mark.parametrize("period", [Q4, YEAR], ids=lambda p: p.id)
def test_a_quarter_and_a_year_expect_the_indicator_units_only(season: Stored, period: Period) -> None:
    rows = read_csv(season.out / period.id / "data" / "submissions.csv")
    expected = indicator_units()
    assert len(expected) == 20
    assert {r["unit_code"] for r in rows} == expected  # no department counted, missing or not
    status = {r["unit_code"]: r["status"] for r in rows}
    assert status.pop(NOT_IN_NOVEMBER) == "missing"
    assert set(status.values()) == {"on_time"}
    assert season.results[period.id].status_counts == {"missing": 1, "on_time": 19}


def test_the_months_expect_every_unit(season: Stored) -> None:
    everyone = {u["code"] for u in registry()}
    for month in MONTHS:
        rows = read_csv(season.out / month.id / "data" / "submissions.csv")
        counting = {r["unit_code"] for r in rows if r["status"] in ("on_time", "late")}
        sent = {u for u in everyone if month in months_sent(u)}
        assert counting == sent, month.id
        missing = {r["unit_code"] for r in rows if r["status"] == "missing"}
        assert missing == everyone - sent


@pytest.mark.parametrize("period", [Q4, YEAR], ids=lambda p: p.id)
def test_task_progress_comes_from_each_units_latest_month(
    season: Stored, season_inbox: Inbox, cat: Catalogue, period: Period
) -> None:
    rows = read_csv(season.out / period.id / "data" / "tasks.csv")
    assigned = set(zip(cat.assignments["task_id"], cat.assignments["unit_code"], strict=True))
    assert {(r["task_id"], r["unit_code"]) for r in rows} == assigned  # every unit's tasks, not only the 20
    draws = {u: drawn(cat, latest_month(u), u) for u in {r["unit_code"] for r in rows}}
    assert season_inbox.planted
    for r in rows:
        if r["unit_code"] not in season_inbox.planted:
            assert r["status"] == draws[r["unit_code"]][r["task_id"]]["status"], r

    built, stored = rebuilt(cat, season, period)
    source = dict(
        zip(
            zip(built.merged["unit_code"], built.merged["task_id"], strict=True),
            built.merged["source_period"],
            strict=True,
        )
    )
    assert {k: v for k, v in source.items() if k[0] == NO_DECEMBER} == {
        k: "2023-11" for k in source if k[0] == NO_DECEMBER
    }
    assert {v for k, v in source.items() if k[0] != NO_DECEMBER} == {"2023-12"}
    # the store keeps where each of the period's task rows came from, too
    kept = dict(
        zip(zip(stored["unit_code"], stored["task_id"], strict=True), stored["source_period"], strict=True)
    )
    assert kept == source


def test_a_unit_that_sent_its_months_but_not_the_quarter_has_its_progress_shown(
    season: Stored, cat: Catalogue
) -> None:
    """X_VU_PHUC sent no quarterly indicator return but did send December: the quarter's task
    sheet shows its December statuses, not «Chưa nộp»; its indicators are what it did not send."""
    book = season.results[Q4.id].workbook
    ws = openpyxl.load_workbook(book, read_only=True)["Tiến độ nhiệm vụ"]
    name = cat.unit_name(NOT_IN_NOVEMBER)
    header = None
    shown = {}
    for row in ws.iter_rows(values_only=True):
        if header is None:
            if row[0] == V.COL_TASK_ID:
                header = list(row)
            continue
        if row[header.index(V.COL_UNIT)] == name:
            shown[row[0]] = row[header.index(V.COL_STATUS)]
    december = drawn(cat, MONTHS[2], NOT_IN_NOVEMBER)
    assert shown == {task: STATUS_WORDS[v["status"]] for task, v in december.items()}
    scores = read_csv(season.out / Q4.id / "data" / "scores.csv")
    assert {r["score"] for r in scores if r["unit_code"] == NOT_IN_NOVEMBER} == {"0"}


def figures(cat: Catalogue, unit: str, task: str) -> list[float]:
    """A unit's figure for a task in each month it sent, oldest first, as the demo drew them."""
    out = []
    for month in months_sent(unit):
        value = drawn(cat, month, unit).get(task, {}).get("result_value")
        if value is not None:
            out.append(float(value))
    return out


@pytest.mark.parametrize("period", [Q4, YEAR], ids=lambda p: p.id)
def test_annual_targets_are_judged_on_the_years_months(
    season: Stored, cat: Catalogue, period: Period
) -> None:
    built, _stored = rebuilt(cat, season, period)
    m = built.merged.set_index(["task_id", "unit_code"])
    # PL01-1.4: at least 20 news items in the year, VP's months added up
    vp = figures(cat, "VP", "PL01-1.4")
    assert len(vp) == 3 and all(x < sum(vp) for x in vp)
    row = m.loc[("PL01-1.4", "VP")]
    assert row["target_value"] == sum(vp)
    assert row["target_met"] is not None and bool(row["target_met"]) == (sum(vp) >= 20)
    # PL01-5.5 (a share of the budget, ≥ 10 %, target level «lead»): the lead's latest month with
    # a figure; the supporting units are not asked for it, so their rows are not judged
    judged = m.loc["PL01-5.5"]
    leads = {u for u in judged.index if judged.at[u, "role"] != "phoi_hop"}
    assert leads == {"TCKH"}
    with_figure = {u for u in leads if figures(cat, u, "PL01-5.5")}
    assert set(judged.index[judged["target_value"].notna()]) == with_figure
    assert judged.loc[list(set(judged.index) - leads), "target_met"].isna().all()
    for unit in with_figure:
        latest = figures(cat, unit, "PL01-5.5")[-1]
        assert judged.at[unit, "target_value"] == latest, unit
        assert bool(judged.at[unit, "target_met"]) == (latest >= 10), unit
