"""Scoring (contract §3): each rule kind on its edges, evidence, non-reporters, summary, ranks.

The catalogue is the project's own units, calendar and ``indicators.yaml`` copied into
``tmp_path`` with a small ``tasks.csv`` (scoring never reads tasks), and a second profile whose
``indicators.yaml`` adds a tiers and a ratio indicator: new rules reach scoring with no code.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.base import vocabulary as V
from pipeline.base.periods import parse_period
from pipeline.catalogue import Catalogue, load_catalogue
from pipeline.scoring.scores import SCORE_COLUMNS, rank_units, score_indicators, summarize
from tests.conftest import ROOT

SCHEMAS = ROOT / "schemas"
Q4 = parse_period("2023-Q4")
YEAR = parse_period("2023")
MONTH = parse_period("2023-10")
YES, NO = "Có", "Không"

TASKS_CSV = """\
task_id,appendix,pillar,text,lead_raw,support_raw,province_lead,lead_role,lead_units,support_units,deadline_raw,frequency,due_date,target_raw,target,target_scope
PL01-1.1,PL01,NTS,Tuyên truyền về chuyển đổi số,Phòng Văn hóa và Thông tin,,,chu_tri,VHTT,,Thường xuyên,ongoing,,,,
"""

EXTRA_INDICATORS = [
    {
        "id": "9.1",
        "pillar": "CQS",
        "name": "Số cuộc họp Ban chỉ đạo chuyển đổi số trong năm",
        "max_score": 20,
        "responsible": ["WARDS"],
        "periods": ["quarter", "year"],
        "evidence_required": True,
        "rule_text": "4 cuộc: 20 điểm; 3: 15; 2: 10; 1: 5; không họp: 0",
        "fields": [{"id": "9.1", "label": "Số cuộc họp", "type": "integer", "min": 0}],
        "rule": {
            "kind": "tiers",
            "field": "9.1",
            "steps": [
                {"at_least": 1, "points": 5},
                {"at_least": 4, "points": 20},
                {"at_least": 2, "points": 10},
                {"at_least": 3, "points": 15},
            ],
        },
    },
    {
        "id": "9.2",
        "pillar": "CQS",
        "name": "Tỷ lệ hồ sơ trực tuyến",
        "max_score": 10,
        "responsible": ["WARDS"],
        "periods": ["quarter", "year"],
        "evidence_required": False,
        "rule_text": "Điểm = Tỷ lệ × Điểm tối đa",
        "fields": [
            {"id": "9.2a", "label": "Số hồ sơ trực tuyến", "type": "integer", "min": 0},
            {"id": "9.2b", "label": "Tổng số hồ sơ", "type": "integer", "min": 0},
        ],
        "rule": {"kind": "ratio", "field": "9.2a", "of": "9.2b"},
    },
    {
        "id": "9.3",
        "pillar": "CQS",
        "name": "Tỷ lệ so với chỉ tiêu 50",
        "max_score": 10,
        "responsible": ["DAI_TTTH"],
        "periods": ["year"],
        "evidence_required": True,
        "rule_text": "Điểm = số / 50 × 10",
        "fields": [{"id": "9.3", "label": "Số tin bài", "type": "number", "min": 0}],
        "rule": {"kind": "ratio", "field": "9.3", "of": 50},
    },
]


def _profile(root: Path, extra: list[dict[str, Any]] | None = None) -> Catalogue:
    root.mkdir(parents=True, exist_ok=True)
    for name in (
        "units.csv",
        "calendar.yaml",
        "aliases.yaml",
        "indicators.yaml",
        "locality.yaml",
        "vocabulary.yaml",
    ):
        shutil.copy(SCHEMAS / name, root / name)
    (root / "tasks.csv").write_text(TASKS_CSV, encoding="utf-8")
    if extra:
        data = yaml.safe_load((root / "indicators.yaml").read_text(encoding="utf-8"))
        data["indicators"] += extra
        (root / "indicators.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_catalogue(root)


@pytest.fixture(scope="module")
def cat(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return _profile(tmp_path_factory.mktemp("schemas"))


@pytest.fixture(scope="module")
def cat_more(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return _profile(tmp_path_factory.mktemp("schemas_more"), EXTRA_INDICATORS)


def values(rows: dict[str, dict[str, Any]], evidence: bool | dict[str, bool] = True) -> pd.DataFrame:
    """``{unit: {field: value}}`` → the values frame; evidence for all rows or per field."""
    out = []
    for unit, fields in rows.items():
        for fid, value in fields.items():
            ev = evidence if isinstance(evidence, bool) else evidence.get(fid, False)
            out.append({"unit_code": unit, "field_id": fid, "value": value, "has_evidence": ev})
    return pd.DataFrame(out, columns=["unit_code", "field_id", "value", "has_evidence"])


def row(scores: pd.DataFrame, unit: str, ind: str) -> dict[str, Any]:
    hit = scores[(scores["unit_code"] == unit) & (scores["indicator_id"] == ind)]
    assert len(hit) == 1, (unit, ind)
    return dict(hit.iloc[0])


def one(cat: Catalogue, unit: str, fields: dict[str, Any], ind: str, evidence: bool = True) -> dict[str, Any]:
    return row(score_indicators(cat, Q4, values({unit: fields}, evidence)), unit, ind)


def wards(cat: Catalogue) -> tuple[str, ...]:
    return tuple(cat.units.index[cat.units["kind"].isin(["ward", "commune"])])


# --- shape ----------------------------------------------------------------------------------


def test_one_row_per_responsible_unit_and_indicator_in_catalogue_order(cat: Catalogue) -> None:
    scores = score_indicators(cat, Q4, values({}))
    assert list(scores.columns) == SCORE_COLUMNS
    expected = [(u, i.id) for i in cat.indicators_for("quarter") for u in i.responsible]
    assert list(zip(scores["unit_code"], scores["indicator_id"], strict=True)) == expected
    assert len(scores) == 20 * 2 + 19 * 2
    assert set(scores["period"]) == {"2023-Q4"}
    assert scores["self_score"].isna().all()
    assert (scores["score"] == 0).all()
    assert not scores["reported"].any() and not scores["has_evidence"].any()
    assert set(scores["explanation"]) == {"Chưa báo cáo → 0 điểm"}


def test_month_has_no_indicators(cat: Catalogue) -> None:
    scores = score_indicators(cat, MONTH, values({"DAI_TTTH": {"1.1": YES}}))
    assert scores.empty and list(scores.columns) == SCORE_COLUMNS
    assert summarize(cat, MONTH, scores).empty
    assert rank_units(cat, MONTH, scores).empty


def test_values_of_unknown_units_and_fields_are_ignored(cat: Catalogue) -> None:
    scores = score_indicators(
        cat, Q4, values({"VHTT": {"1.1": YES}, "NOBODY": {"1.1": YES}, "DAI_TTTH": {"7.7": 3, "1.1": YES}})
    )
    assert "VHTT" not in set(scores["unit_code"]) and "NOBODY" not in set(scores["unit_code"])
    assert row(scores, "DAI_TTTH", "1.1")["score"] == 10.0


# --- yes_no ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "self_score", "score", "reported", "explanation"),
    [
        (YES, 10.0, 10.0, True, "1.1 = Có → 10 điểm"),
        (NO, 0.0, 0.0, True, "1.1 = Không → 0 điểm"),
        (None, math.nan, 0.0, False, "Chưa báo cáo → 0 điểm"),
    ],
)
def test_yes_no(
    cat: Catalogue, value: Any, self_score: float, score: float, reported: bool, explanation: str
) -> None:
    r = one(cat, "DAI_TTTH", {"1.1": value}, "1.1")
    assert r["self_score"] == self_score or (math.isnan(self_score) and math.isnan(r["self_score"]))
    assert (r["score"], r["max_score"], r["reported"], r["explanation"]) == (
        score,
        10.0,
        reported,
        explanation,
    )


# --- threshold ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "score", "explanation"),
    [
        (1.0, 10.0, "1.2a = 1 ≥ 1 → 10 điểm"),
        (2.0, 10.0, "1.2a = 2 ≥ 1 → 10 điểm"),
        (1.5, 10.0, "1.2a = 1,5 ≥ 1 → 10 điểm"),
        (0.99, 0.0, "1.2a = 0,99 < 1 → 0 điểm"),
        (0.0, 0.0, "1.2a = 0 < 1 → 0 điểm"),
    ],
)
def test_threshold_edges(cat: Catalogue, value: float, score: float, explanation: str) -> None:
    r = one(cat, "P_KY_BA", {"1.2a": value, "1.2b": 13.0}, "1.2")
    assert (r["self_score"], r["score"], r["reported"], r["explanation"]) == (score, score, True, explanation)


def test_threshold_input_missing_while_optional_field_given(cat: Catalogue) -> None:
    # 1.2b (optional) given, 1.2a (the rule's field) kept out by an error upstream
    r = one(cat, "P_KY_BA", {"1.2a": None, "1.2b": 13.0}, "1.2")
    assert math.isnan(r["self_score"]) and r["score"] == 0.0
    assert r["reported"] is False or not r["reported"]
    assert r["explanation"] == "Thiếu giá trị hợp lệ của 1.2a → 0 điểm"


# --- all_reached ----------------------------------------------------------------------------


def test_all_reached_equal(cat: Catalogue) -> None:
    r = one(cat, "X_VU_LAC", {"2.2a": 7.0, "2.2b": 7.0}, "2.2")
    assert (r["self_score"], r["score"], r["reported"]) == (10.0, 10.0, True)
    assert r["explanation"] == "2.2b = 2.2a = 7 → 10 điểm"


def test_all_reached_one_short(cat: Catalogue) -> None:
    r = one(cat, "X_VU_LAC", {"2.2a": 7.0, "2.2b": 6.0}, "2.2")
    assert (r["self_score"], r["score"], r["reported"]) == (0.0, 0.0, True)
    assert r["explanation"] == "2.2b = 6 < 2.2a = 7 → 0 điểm"


def test_all_reached_is_exact_for_large_counts(cat: Catalogue) -> None:
    r = one(cat, "X_VU_LAC", {"2.2a": 100001.0, "2.2b": 100000.0}, "2.2")
    assert (r["self_score"], r["explanation"]) == (0.0, "2.2b = 100000 < 2.2a = 100001 → 0 điểm")


def test_all_reached_b_missing(cat: Catalogue) -> None:
    # 2.2b > 2.2a is an error upstream, so 2.2b arrives as None
    r = one(cat, "X_VU_LAC", {"2.2a": 7.0, "2.2b": None}, "2.2")
    assert math.isnan(r["self_score"]) and r["score"] == 0.0 and not r["reported"]
    assert r["has_evidence"]
    assert r["explanation"] == "Thiếu giá trị hợp lệ của 2.2b → 0 điểm"


def test_all_reached_a_missing(cat: Catalogue) -> None:
    r = one(cat, "X_VU_LAC", {"2.2b": 7.0}, "2.2")
    assert math.isnan(r["self_score"]) and r["score"] == 0.0 and not r["reported"]
    assert r["explanation"] == "Thiếu giá trị hợp lệ của 2.2a → 0 điểm"


# --- tiers and ratio (another locality's indicators) ---------------------------------------


def test_extra_indicators_reach_scoring(cat_more: Catalogue) -> None:
    scores = score_indicators(cat_more, Q4, values({}))
    assert list(dict.fromkeys(scores["indicator_id"])) == ["1.1", "1.2", "2.1", "2.2", "9.1", "9.2"]
    assert "9.3" in set(score_indicators(cat_more, YEAR, values({}))["indicator_id"])


@pytest.mark.parametrize(
    ("meetings", "points", "explanation"),
    [
        (0, 0.0, "9.1 = 0 < 1 → 0 điểm"),
        (1, 5.0, "9.1 = 1 ≥ 1 → 5 điểm"),
        (2, 10.0, "9.1 = 2 ≥ 2 → 10 điểm"),
        (3, 15.0, "9.1 = 3 ≥ 3 → 15 điểm"),
        (4, 20.0, "9.1 = 4 ≥ 4 → 20 điểm"),
        (7, 20.0, "9.1 = 7 ≥ 4 → 20 điểm"),
    ],
)
def test_tiers(cat_more: Catalogue, meetings: int, points: float, explanation: str) -> None:
    r = one(cat_more, "P_DE_THAM", {"9.1": float(meetings)}, "9.1")
    assert (r["self_score"], r["score"], r["max_score"], r["explanation"]) == (
        points,
        points,
        20.0,
        explanation,
    )


def test_tiers_capped_at_max(cat_more: Catalogue) -> None:
    ind = next(i for i in cat_more.indicators if i.id == "9.1")
    from dataclasses import replace

    low = replace(ind, max_score=12.0)
    capped = replace(cat_more, indicators=tuple(low if i.id == "9.1" else i for i in cat_more.indicators))
    r = one(capped, "P_DE_THAM", {"9.1": 4.0}, "9.1")
    assert (r["self_score"], r["score"], r["max_score"]) == (12.0, 12.0, 12.0)


@pytest.mark.parametrize(
    ("done", "total", "self_score", "explanation"),
    [
        (3.0, 4.0, 7.5, "9.2a = 3 / 9.2b = 4 × 10 → 7,5 điểm"),
        (4.0, 4.0, 10.0, "9.2a = 4 / 9.2b = 4 × 10 → 10 điểm"),
        (0.0, 4.0, 0.0, "9.2a = 0 / 9.2b = 4 × 10 → 0 điểm"),
        (9.0, 4.0, 10.0, "9.2a = 9 / 9.2b = 4 × 10 = 22,5, tối đa → 10 điểm"),
        (1.0, 3.0, 10 / 3, "9.2a = 1 / 9.2b = 3 × 10 → 3,33 điểm"),
        (3.0, 0.0, math.nan, "9.2a = 3 / 9.2b = 0: không tính được tỷ lệ → 0 điểm"),
    ],
)
def test_ratio(cat_more: Catalogue, done: float, total: float, self_score: float, explanation: str) -> None:
    # 9.2 needs no evidence: the score is the self score
    r = one(cat_more, "P_DE_THAM", {"9.2a": done, "9.2b": total}, "9.2", evidence=False)
    if math.isnan(self_score):
        assert math.isnan(r["self_score"]) and r["score"] == 0.0
    else:
        assert r["self_score"] == pytest.approx(self_score) and r["score"] == pytest.approx(self_score)
    assert r["reported"] and r["explanation"] == explanation


def test_ratio_of_a_number(cat_more: Catalogue) -> None:
    scores = score_indicators(cat_more, YEAR, values({"DAI_TTTH": {"9.3": 25.0}}))
    r = row(scores, "DAI_TTTH", "9.3")
    assert (r["self_score"], r["score"]) == (5.0, 5.0)
    assert r["explanation"] == "9.3 = 25 / 50 × 10 → 5 điểm"


def test_ratio_divisor_missing(cat_more: Catalogue) -> None:
    r = one(cat_more, "P_DE_THAM", {"9.2a": 3.0}, "9.2")
    assert math.isnan(r["self_score"]) and r["score"] == 0.0 and not r["reported"]


# --- evidence and non-reporters -------------------------------------------------------------


def test_evidence_missing_keeps_self_score_and_counts_zero(cat: Catalogue) -> None:
    r = one(cat, "P_BO_XUYEN", {"1.1": YES}, "1.1", evidence=False)
    assert (r["self_score"], r["score"], r["has_evidence"], r["reported"]) == (10.0, 0.0, False, True)
    assert r["explanation"] == "1.1 = Có → 10 điểm tự chấm; thiếu minh chứng → 0 điểm được công nhận"
    assert "thiếu minh chứng" in r["explanation"]


def test_evidence_on_any_field_row_counts(cat: Catalogue) -> None:
    scores = score_indicators(
        cat, Q4, values({"P_BO_XUYEN": {"2.2a": 5.0, "2.2b": 5.0}}, evidence={"2.2a": True})
    )
    r = row(scores, "P_BO_XUYEN", "2.2")
    assert (r["self_score"], r["score"], r["has_evidence"]) == (10.0, 10.0, True)


def test_unit_that_did_not_report(cat: Catalogue) -> None:
    scores = score_indicators(cat, Q4, values({"P_BO_XUYEN": {"1.1": YES}}))
    for ind in ("1.1", "1.2", "2.1", "2.2"):
        r = row(scores, "X_VU_PHUC", ind)
        assert math.isnan(r["self_score"]) and r["score"] == 0.0 and r["max_score"] == 10.0
        assert not r["reported"] and not r["has_evidence"]
        assert r["explanation"] == "Chưa báo cáo → 0 điểm"


def test_nan_values_read_as_missing(cat: Catalogue) -> None:
    r = one(cat, "P_BO_XUYEN", {"1.1": float("nan"), "1.2a": float("nan")}, "1.1")
    assert math.isnan(r["self_score"]) and not r["reported"]


def test_vn_number() -> None:
    assert [V.number(x, decimals=2) for x in (10.0, 1.5, 0.0, 1 / 3, 22.5)] == [
        "10",
        "1,5",
        "0",
        "0,33",
        "22,5",
    ]


# --- summary and ranks ----------------------------------------------------------------------


def test_summary_small_case(cat: Catalogue) -> None:
    w = wards(cat)
    given_values = values(
        {
            "DAI_TTTH": {"1.1": YES, "1.2a": 2.0, "2.1": YES},  # 2.1 is not DAI_TTTH's: ignored
            w[0]: {"1.1": YES, "1.2a": 0.5, "2.1": YES, "2.2a": 4.0, "2.2b": 4.0},
            w[1]: {"1.1": NO, "1.2a": 1.0, "2.1": YES, "2.2a": 4.0, "2.2b": 3.0},
        }
    )
    summary = summarize(cat, Q4, score_indicators(cat, Q4, given_values))
    assert list(summary.columns) == [
        "period",
        "indicator_id",
        "responsible_units",
        "reported_units",
        "full_score_units",
        "mean_score",
        "max_score",
    ]
    got = {r.indicator_id: r for r in summary.itertuples(index=False)}
    # 1.1: DAI_TTTH 10, w0 10, w1 0 → 20 / 20 units
    assert (got["1.1"].responsible_units, got["1.1"].reported_units, got["1.1"].full_score_units) == (
        20,
        3,
        2,
    )
    assert got["1.1"].mean_score == 1.0
    # 1.2: DAI_TTTH 10, w0 0, w1 10 → 20 / 20
    assert (got["1.2"].reported_units, got["1.2"].full_score_units, got["1.2"].mean_score) == (3, 2, 1.0)
    # 2.1: w0 10, w1 10 → 20 / 19 = 1.0526…
    assert (got["2.1"].responsible_units, got["2.1"].reported_units, got["2.1"].full_score_units) == (
        19,
        2,
        2,
    )
    assert got["2.1"].mean_score == 1.05
    # 2.2: w0 10, w1 0 → 10 / 19 = 0.526…
    assert (got["2.2"].reported_units, got["2.2"].full_score_units, got["2.2"].mean_score) == (2, 1, 0.53)
    assert set(summary["max_score"]) == {10.0} and set(summary["period"]) == {"2023-Q4"}


def test_summary_counts_self_score_without_evidence_as_zero(cat: Catalogue) -> None:
    scores = score_indicators(cat, Q4, values({"DAI_TTTH": {"1.1": YES}}, evidence=False))
    s = summarize(cat, Q4, scores).set_index("indicator_id")
    assert (s.at["1.1", "reported_units"], s.at["1.1", "full_score_units"], s.at["1.1", "mean_score"]) == (
        1,
        0,
        0.0,
    )


def full(fields_yes: bool = True) -> dict[str, Any]:
    return {"1.1": YES if fields_yes else NO, "1.2a": 1.0, "2.1": YES, "2.2a": 3.0, "2.2b": 3.0}


def test_ranks_with_ties(cat: Catalogue) -> None:
    w = wards(cat)
    given_values = values(
        {
            "DAI_TTTH": {"1.1": YES, "1.2a": 3.0},
            w[0]: full(),  # 40
            w[1]: full(fields_yes=False),  # 30
            w[2]: full(),  # 40
            w[3]: {"1.1": YES},  # 10
        }
    )
    ranking = rank_units(cat, Q4, score_indicators(cat, Q4, given_values))
    assert list(ranking.columns) == [
        "unit_code",
        "unit_name",
        "kind",
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "total",
        "max_total",
        "pct",
        "rank",
    ]
    assert list(ranking["unit_code"]) == ["DAI_TTTH", *w]  # registry order
    by = ranking.set_index("unit_code")
    dai = by.loc["DAI_TTTH"]
    assert (dai["1.1"], dai["1.2"], dai["total"], dai["max_total"], dai["pct"]) == (
        10.0,
        10.0,
        20.0,
        20.0,
        100.0,
    )
    assert math.isnan(dai["2.1"]) and math.isnan(dai["rank"])  # not a ward: no rank
    assert dai["kind"] == "department" and dai["unit_name"] == cat.unit_name("DAI_TTTH")
    assert (by.at[w[0], "total"], by.at[w[0], "max_total"], by.at[w[0], "pct"]) == (40.0, 40.0, 100.0)
    assert (by.at[w[0], "rank"], by.at[w[2], "rank"]) == (1.0, 1.0)  # tie shares rank 1
    assert (by.at[w[1], "rank"], by.at[w[1], "pct"]) == (3.0, 75.0)
    assert (by.at[w[3], "rank"], by.at[w[3], "pct"]) == (4.0, 25.0)
    assert set(by.loc[list(w[4:]), "rank"]) == {5.0}  # every silent ward at 0 shares rank 5
    assert by.loc[list(w), "kind"].isin(["ward", "commune"]).all()


# --- properties -----------------------------------------------------------------------------

YES_NO_VALUES = st.sampled_from([YES, NO, None])
NUMBERS = st.one_of(st.none(), st.floats(min_value=0, max_value=1e6, allow_nan=False), st.integers(0, 50))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.lists(
        st.tuples(YES_NO_VALUES, NUMBERS, NUMBERS, NUMBERS, NUMBERS, NUMBERS, st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_scores_stay_within_bounds(cat_more: Catalogue, data: list[tuple[Any, ...]]) -> None:
    w = wards(cat_more)
    rows = {
        w[n]: {"1.1": yn, "1.2a": a, "2.2a": b, "2.2b": c, "9.1": d, "9.2a": e, "9.2b": b}
        for n, (yn, a, b, c, d, e, _ev) in enumerate(data)
    }
    evidence = {w[n]: ev for n, (*_, ev) in enumerate(data)}
    frame = values(rows)
    frame["has_evidence"] = frame["unit_code"].map(evidence)
    scores = score_indicators(cat_more, Q4, frame)
    assert ((scores["score"] >= 0) & (scores["score"] <= scores["max_score"])).all()
    present = scores[scores["self_score"].notna()]
    assert ((present["self_score"] >= 0) & (present["self_score"] <= present["max_score"])).all()
    assert (present["score"] <= present["self_score"]).all()
    assert (scores.loc[scores["self_score"].isna(), "score"] == 0).all()
    summary = summarize(cat_more, Q4, scores)
    assert ((summary["mean_score"] >= 0) & (summary["mean_score"] <= summary["max_score"])).all()


def test_real_catalogue() -> None:
    real = load_catalogue(SCHEMAS)
    scores = score_indicators(real, Q4, values({"DAI_TTTH": {"1.1": YES, "1.2a": 2.0}}))
    assert len(scores) == sum(len(i.responsible) for i in real.indicators_for("quarter"))
    assert row(scores, "DAI_TTTH", "1.2")["explanation"] == "1.2a = 2 ≥ 1 → 10 điểm"
    assert list(summarize(real, Q4, scores)["indicator_id"]) == [i.id for i in real.indicators_for("quarter")]
