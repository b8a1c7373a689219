"""The history functions (issue 12) on hand-made statuses, scores and task rows: timeliness with
a merged commune, repeat filers, the periods shown and looked back on, history.csv's rows."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from pipeline.base.periods import parse_period
from pipeline.catalogue import Catalogue, load_catalogue
from pipeline.runner.period import periods_up_to
from pipeline.scoring.history import (
    HISTORY_COLUMNS,
    history_of,
    period_order,
    pillar_completion,
    repeat_filers,
    timeliness,
)
from tests.conftest import SCHEMAS

P = parse_period
MONTHS = [P(f"2023-{m:02d}") for m in (10, 11, 12)]


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """The project's catalogue in which Vũ Phúc was merged into Vũ Lạc at the end of November."""
    root = tmp_path_factory.mktemp("merged") / "schemas"
    shutil.copytree(SCHEMAS, root)
    units = pd.read_csv(root / "units.csv", dtype=str, keep_default_na=False)
    units["valid_to"] = ""
    units["successor"] = ""
    units.loc[units["code"] == "X_VU_PHUC", ["valid_to", "successor"]] = ["2023-11-30", "X_VU_LAC"]
    units.to_csv(root / "units.csv", index=False)
    return load_catalogue(root)


def all_on_time(cat: Catalogue, period: str, **others: str) -> dict[str, str]:
    return {u: "on_time" for u in cat.expected_units(P(period))} | others


def test_a_merged_commune_keeps_its_rows_and_its_late_return_counts_for_its_successor(
    merged: Catalogue,
) -> None:
    statuses = {
        "2023-10": all_on_time(merged, "2023-10", X_VU_PHUC="late"),
        "2023-11": all_on_time(merged, "2023-11"),
        # December: Vũ Phúc no longer exists; its clerk still sent the old template, Vũ Lạc nothing
        "2023-12": {u: s for u, s in all_on_time(merged, "2023-12").items() if u != "X_VU_LAC"}
        | {"X_VU_PHUC": "late"},
    }
    t = timeliness(merged, MONTHS, statuses)
    assert len(t) == 36 + 36 + 35
    got = {(p, u): s for p, u, s in zip(t["period"], t["unit_code"], t["status"], strict=True)}
    assert got[("2023-10", "X_VU_PHUC")] == "late" and got[("2023-11", "X_VU_PHUC")] == "on_time"
    assert ("2023-12", "X_VU_PHUC") not in got
    assert got[("2023-12", "X_VU_LAC")] == "late"
    history = history_of(merged, MONTHS, statuses, pd.DataFrame(), pd.DataFrame())
    assert history.successors == {"X_VU_PHUC": "X_VU_LAC"}


def test_without_a_merger_a_return_of_another_unit_does_not_count(cat: Catalogue) -> None:
    statuses = {"2023-12": {u: s for u, s in all_on_time(cat, "2023-12").items() if u != "X_VU_LAC"}}
    t = timeliness(cat, MONTHS[2:], statuses)
    assert t.loc[t["unit_code"] == "X_VU_LAC", "status"].tolist() == ["missing"]


def test_repeat_filers_are_late_or_missing_in_two_of_the_last_three(cat: Catalogue) -> None:
    months = [P(f"2023-{m:02d}") for m in range(8, 13)]
    statuses = {
        "2023-08": all_on_time(cat, "2023-08", VP="late", NOIVU="late"),  # outside the window
        "2023-09": all_on_time(cat, "2023-09"),
        "2023-10": all_on_time(cat, "2023-10", NOIVU="late", TUPHAP="late"),
        "2023-11": {u: s for u, s in all_on_time(cat, "2023-11").items() if u != "TUPHAP"},
        "2023-12": all_on_time(cat, "2023-12", VP="late", NOIVU="late"),
    }
    r = repeat_filers(timeliness(cat, months, statuses), "month")
    assert r.to_dict("records") == [
        {"kind": "month", "unit_code": "NOIVU", "late": 2, "missing": 0, "periods": "2023-10, 2023-12"},
        {"kind": "month", "unit_code": "TUPHAP", "late": 1, "missing": 1, "periods": "2023-10, 2023-11"},
    ]
    assert repeat_filers(timeliness(cat, months, statuses), "quarter").empty


def test_periods_in_order_shown_and_looked_back_on() -> None:
    stored = ["2023", "2023-Q4", "2023-12", "2023-11", "2024-01", "2023-Q3", "junk"]
    assert [p.id for p in sorted(map(P, stored[:-1]), key=period_order)] == [
        "2023-Q3",
        "2023-11",
        "2023-12",
        "2023-Q4",
        "2023",
        "2024-01",
    ]
    assert [p.id for p in periods_up_to(stored, P("2023-Q4"))] == ["2023-Q3", "2023-11", "2023-12", "2023-Q4"]
    assert [p.id for p in periods_up_to(stored, P("2023"))][-2:] == ["2023-Q4", "2023"]
    assert [p.id for p in periods_up_to(stored, P("2023-11"))] == ["2023-Q3", "2023-11"]


def test_the_sheet_shows_the_last_twelve_months_and_four_quarters(cat: Catalogue) -> None:
    months = [P(f"{y}-{m:02d}") for y in (2023, 2024) for m in range(1, 13)][:14]
    quarters = [P(f"2023-Q{q}") for q in (1, 2, 3, 4)] + [P("2024-Q1")]
    h = history_of(cat, [*months, *quarters], {}, pd.DataFrame(), pd.DataFrame())
    shown = [p.id for p in h.shown]
    assert [s for s in shown if "Q" not in s] == [p.id for p in months[2:]]
    assert [s for s in shown if "Q" in s] == ["2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1"]
    assert (
        h.worth_a_sheet and not history_of(cat, months[:1], {}, pd.DataFrame(), pd.DataFrame()).worth_a_sheet
    )


def test_completion_by_pillar_counts_only_proven_tasks_and_history_rows(cat: Catalogue) -> None:
    rows = pd.DataFrame(
        {
            "period": ["2023-10"] * 5,
            "task_id": ["a", "b", "c", "d", "e"],
            "unit_code": ["VP"] * 5,
            "status": ["done", "done", "in_progress", "not_applicable", None],
            "unproven": [False, True, False, False, None],
            "pillar": ["NTS"] * 5,
        }
    )
    assert pillar_completion(rows, ["NTS"]).to_dict("records") == [
        {"period": "2023-10", "pillar": "NTS", "done_pct": 25.0}  # 1 of 4 due (one not applicable)
    ]
    scores = pd.DataFrame(
        {
            "period": ["2023-Q4"] * 2,
            "unit_code": ["P_KY_BA", "DAI_TTTH"],
            "indicator_id": ["2.1", "1.1"],
            "score": [10.0, None],
            "max_score": [10.0, 10.0],
        }
    )
    h = history_of(cat, [MONTHS[0], P("2023-Q4")], {}, scores, rows)
    assert list(h.rows.columns) == HISTORY_COLUMNS
    measures = h.rows.groupby("measure").size().to_dict()
    assert measures == {"city_mean": 2, "done_pct": 1, "score": 2, "submission": 36 + 20}
    assert set(h.rows.loc[h.rows["measure"] == "submission", "value"]) == {"missing"}
    assert h.totals.set_index("unit_code")["total"].to_dict() == {"DAI_TTTH": 0.0, "P_KY_BA": 10.0}
