"""Scoring (contract §3): indicator rules applied to the accepted current returns.

Every rule comes from ``indicators.yaml`` and is scored by its entry in the rule-kind registry
(:mod:`pipeline.catalogue.rule_kinds`); no indicator, field or unit is named here. The values
are turned into one wide frame (unit × field) once, and each rule is applied column-wise, so a
run over thousands of units stays fast; only the one-line Vietnamese explanation is built row
by row.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue, Indicator
from pipeline.catalogue.field_types import FIELD_TYPES
from pipeline.catalogue.rule_kinds import EPSILON, apply_rule, explain_rule

SCORE_COLUMNS = [
    "period",
    "unit_code",
    "indicator_id",
    "self_score",
    "score",
    "max_score",
    "has_evidence",
    "reported",
    "explanation",
]
SUMMARY_COLUMNS = [
    "period",
    "indicator_id",
    "responsible_units",
    "reported_units",
    "full_score_units",
    "mean_score",
    "max_score",
]

# --- inputs ---------------------------------------------------------------------------------


def _wide(
    values: pd.DataFrame, units: Sequence[str], fields: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values and evidence as unit × field frames (missing cells: None / False)."""
    cols = ["unit_code", "field_id", "value", "has_evidence"]
    rows = values.reindex(columns=cols)
    rows = rows[rows["unit_code"].isin(units) & rows["field_id"].isin(fields)]
    rows = rows.drop_duplicates(["unit_code", "field_id"], keep="last")
    wide = rows.pivot(index="unit_code", columns="field_id", values="value")
    wide = wide.reindex(index=list(units), columns=list(fields)).astype(object)
    wide = wide.where(wide.notna(), None)
    evidence = rows.assign(has_evidence=rows["has_evidence"].eq(True))
    ev = evidence.pivot(index="unit_code", columns="field_id", values="has_evidence")
    ev = ev.reindex(index=list(units), columns=list(fields)).eq(True)
    return wide, ev


# --- explanations ---------------------------------------------------------------------------


def _explain(
    ind: Indicator,
    row: Mapping[str, Any],
    self_score: float,
    inputs_ok: bool,
    any_present: bool,
    has_evidence: bool,
) -> str:
    if not any_present:
        return T.SCORE_NOT_REPORTED
    rule = ind.rule
    if not inputs_ok:
        needed = [rule.field] + ([rule.of] if isinstance(rule.of, str) else [])
        missing = [fid for fid in needed if _missing_value(row.get(fid))]
        return T.SCORE_INPUT_MISSING.format(fields=", ".join(missing) or rule.field)
    lhs = explain_rule(rule, ind.max_score, row)
    if math.isnan(self_score):
        return T.SCORE_ZERO.format(reason=lhs)
    points = V.number(self_score, decimals=2)
    if ind.evidence_required and not has_evidence:
        return T.SCORE_SELF_ONLY.format(reason=lhs, points=points)
    return T.SCORE_POINTS.format(reason=lhs, points=points)


def _missing_value(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --- stages ---------------------------------------------------------------------------------


def score_indicators(cat: Catalogue, period: Period, values: pd.DataFrame) -> pd.DataFrame:
    """One row per responsible expected unit × indicator of the period (contract §3).

    ``values``: ``unit_code, field_id, value, has_evidence`` from the accepted current returns
    (values with an error already set to None). Rows in indicator order, then registry order.
    """
    indicators = cat.indicators_for(period.kind)
    expected = set(cat.expected_units(period))
    responsible = {u for i in indicators for u in i.responsible}
    units = [u for u in cat.units.index if u in expected and u in responsible]
    fields = [f.id for ind in indicators for f in ind.fields]
    wide, evidence = _wide(values, units, fields)
    frames = []
    for ind in indicators:
        mine = [u for u in ind.responsible if u in expected]
        sub = wide.loc[mine]
        ids = [f.id for f in ind.fields]
        present = pd.concat([FIELD_TYPES[f.type].present(sub[f.id]) for f in ind.fields], axis=1).any(axis=1)
        has_evidence = evidence.loc[mine, ids].any(axis=1)
        self_score, inputs_ok = apply_rule(ind.rule, ind.max_score, sub)
        counted = has_evidence | (not ind.evidence_required)
        score = self_score.where(counted, 0.0).fillna(0.0)
        records = sub.to_dict("records")
        explanation = [
            _explain(ind, r, s, bool(ok), bool(p), bool(e))
            for r, s, ok, p, e in zip(records, self_score, inputs_ok, present, has_evidence, strict=True)
        ]
        frames.append(
            pd.DataFrame(
                {
                    "period": period.id,
                    "unit_code": mine,
                    "indicator_id": ind.id,
                    "self_score": self_score.to_numpy(dtype=float),
                    "score": score.to_numpy(dtype=float),
                    "max_score": float(ind.max_score),
                    "has_evidence": has_evidence.to_numpy(dtype=bool),
                    "reported": inputs_ok.to_numpy(dtype=bool),
                    "explanation": explanation,
                },
                columns=SCORE_COLUMNS,
            )
        )
    if not frames:
        return _empty_scores()
    out = pd.concat(frames, ignore_index=True)
    return out.astype({"self_score": float, "score": float, "max_score": float, "has_evidence": bool})


def _empty_scores() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": pd.Series(dtype=object),
            "unit_code": pd.Series(dtype=object),
            "indicator_id": pd.Series(dtype=object),
            "self_score": pd.Series(dtype=float),
            "score": pd.Series(dtype=float),
            "max_score": pd.Series(dtype=float),
            "has_evidence": pd.Series(dtype=bool),
            "reported": pd.Series(dtype=bool),
            "explanation": pd.Series(dtype=object),
        }
    )


def summarize(cat: Catalogue, period: Period, scores: pd.DataFrame) -> pd.DataFrame:
    """City level per indicator: responsible, reported and full-score units, mean score."""
    rows = []
    for ind in cat.indicators_for(period.kind):
        s = scores[scores["indicator_id"] == ind.id]
        n = len(s)
        score = s["score"].astype(float).fillna(0.0)
        rows.append(
            {
                "period": period.id,
                "indicator_id": ind.id,
                "responsible_units": n,
                "reported_units": int(s["reported"].astype(bool).sum()),
                "full_score_units": int(((score - ind.max_score).abs() <= EPSILON).sum()),
                "mean_score": round(float(score.sum()) / n, 2) if n else 0.0,
                "max_score": float(ind.max_score),
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS).astype(
        {"responsible_units": int, "reported_units": int, "full_score_units": int, "mean_score": float}
    )


def rank_units(cat: Catalogue, period: Period, scores: pd.DataFrame) -> pd.DataFrame:
    """One row per unit with indicator scores: score per indicator, total, %, rank.

    Units of the ranked kinds (vocabulary.yaml: wards and communes) are ranked together by percentage of their maximum (equal to ranking by
    total when they answer the same indicators); ties share the best rank. Other units get no
    rank. Rows in registry order.
    """
    ids = [i.id for i in cat.indicators_for(period.kind)]
    columns = ["unit_code", "unit_name", "kind", *ids, "total", "max_total", "pct", "rank"]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    wide = scores.pivot_table(index="unit_code", columns="indicator_id", values="score", aggfunc="sum")
    wide = wide.reindex(columns=ids).astype(float)
    order = [u for u in cat.units.index if u in wide.index]
    placed = set(order)
    order += sorted(u for u in wide.index if u not in placed)
    wide = wide.reindex(order)
    max_total = scores.groupby("unit_code")["max_score"].sum().reindex(order).astype(float)
    total = scores.groupby("unit_code")["score"].sum().reindex(order).astype(float)
    ratio = (total / max_total.where(max_total > 0)).astype(float)
    kind = cat.units["kind"].reindex(order).fillna("").astype(str)
    ranked = kind.isin(cat.vocabulary.ranked_kinds)
    rank = ratio.where(ranked).rank(method="min", ascending=False)
    out = pd.DataFrame(
        {
            "unit_code": order,
            "unit_name": cat.units["name"].reindex(order).fillna(pd.Series(order, index=order)).to_numpy(),
            "kind": kind.to_numpy(),
        }
    )
    for iid in ids:
        out[iid] = wide[iid].to_numpy()
    out["total"] = total.to_numpy()
    out["max_total"] = max_total.to_numpy()
    out["pct"] = (ratio * 100).round(2).to_numpy()
    out["rank"] = rank.astype(float).to_numpy()
    return out[columns]
