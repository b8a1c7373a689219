"""The scoring rules ``indicators.yaml`` may use: one entry each (contract §3).

An entry says which keys its rule needs, whether it scores a number or a Có/Không, how it
scores every unit at once (column-wise over the unit × field frame) and how it explains one
unit's score in a line of the workbook. A new rule kind is one entry.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.catalogue.model import Rule

EPSILON = 1e-9  # equal counts / a full score, allowing for float rounding only

Scores = tuple[pd.Series, pd.Series]


@dataclass(frozen=True)
class RuleKind:
    name: str
    needs: tuple[str, ...]  # keys of `rule` that must be given: min, of, steps
    numeric: bool  # scores a number field (else a yes_no field)
    score: Callable[[Rule, float, pd.Series, pd.DataFrame], pd.Series]  # raw points, NaN = none
    explain: Callable[[Rule, float, float, Mapping[str, Any]], str]  # (rule, max, x, row) → text


def _n(x: float) -> str:
    return V.number(x, decimals=2)


def numbers(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column, errors="coerce").astype(float)


def of_values(rule: Rule, wide: pd.DataFrame) -> pd.Series:
    """The comparison value of ``all_reached`` / ``ratio``: a field's values or a constant."""
    if isinstance(rule.of, str):
        if rule.of in wide:
            return numbers(wide[rule.of])
        return pd.Series(np.nan, index=wide.index, dtype=float)
    value = np.nan if rule.of is None else float(rule.of)
    return pd.Series(value, index=wide.index, dtype=float)


def _of_text(rule: Rule, row: Mapping[str, Any]) -> tuple[float, str]:
    if isinstance(rule.of, str):
        value = float(pd.to_numeric(row.get(rule.of), errors="coerce"))
        return value, f"{rule.of} = {_n(value)}"
    value = float(rule.of) if rule.of is not None else math.nan
    return value, _n(value)


# --- yes_no ------------------------------------------------------------------------------------
def _yes_no_score(_rule: Rule, max_score: float, x: pd.Series, wide: pd.DataFrame) -> pd.Series:
    points = np.where(x.map(lambda v: isinstance(v, str) and v.strip() == V.YES), max_score, 0.0)
    return pd.Series(points, index=wide.index, dtype=float)


def _yes_no_explain(rule: Rule, _max: float, _x: float, row: Mapping[str, Any]) -> str:
    return f"{rule.field} = {row.get(rule.field)}"


# --- threshold ---------------------------------------------------------------------------------
def _threshold_score(rule: Rule, max_score: float, x: pd.Series, wide: pd.DataFrame) -> pd.Series:
    threshold = rule.min if rule.min is not None else 0.0
    return pd.Series(np.where(numbers(x) >= threshold, max_score, 0.0), index=wide.index)


def _threshold_explain(rule: Rule, _max: float, x: float, _row: Mapping[str, Any]) -> str:
    t = rule.min if rule.min is not None else 0.0
    return f"{rule.field} = {_n(x)} {'≥' if x >= t else '<'} {_n(t)}"


# --- all_reached -------------------------------------------------------------------------------
def _all_reached_score(rule: Rule, max_score: float, x: pd.Series, wide: pd.DataFrame) -> pd.Series:
    of = of_values(rule, wide)
    return pd.Series(np.where((numbers(x) - of).abs() <= EPSILON, max_score, 0.0), index=wide.index)


def _all_reached_explain(rule: Rule, _max: float, x: float, row: Mapping[str, Any]) -> str:
    of_value, of_text = _of_text(rule, row)
    if abs(x - of_value) <= EPSILON:
        if isinstance(rule.of, str):
            return f"{rule.field} = {rule.of} = {_n(x)}"
        return f"{rule.field} = {_n(x)} = {of_text}"
    return f"{rule.field} = {_n(x)} {'<' if x < of_value else '>'} {of_text}"


# --- tiers -------------------------------------------------------------------------------------
def _tiers_score(rule: Rule, max_score: float, x: pd.Series, wide: pd.DataFrame) -> pd.Series:
    steps = sorted(rule.steps, key=lambda s: -s[0])
    num = numbers(x)
    points = np.select([num >= at for at, _ in steps], [p for _, p in steps], default=0.0)
    return pd.Series(points, index=wide.index, dtype=float).clip(0.0, max_score)


def _tiers_explain(rule: Rule, _max: float, x: float, _row: Mapping[str, Any]) -> str:
    f = rule.field
    steps = sorted(rule.steps, key=lambda s: -s[0])
    reached = next((at for at, _ in steps if x >= at), None)
    if reached is None:
        return f"{f} = {_n(x)} < {_n(steps[-1][0])}" if steps else f"{f} = {_n(x)}"
    return f"{f} = {_n(x)} ≥ {_n(reached)}"


# --- ratio -------------------------------------------------------------------------------------
def _ratio_score(rule: Rule, max_score: float, x: pd.Series, wide: pd.DataFrame) -> pd.Series:
    of = of_values(rule, wide)
    usable = of.notna() & (of != 0)
    return (numbers(x) / of.where(usable) * max_score).clip(0.0, max_score)


def _ratio_explain(rule: Rule, max_score: float, x: float, row: Mapping[str, Any]) -> str:
    of_value, of_text = _of_text(rule, row)
    if not of_value:
        return T.SCORE_NO_RATIO.format(reason=f"{rule.field} = {_n(x)} / {of_text}")
    text = f"{rule.field} = {_n(x)} / {of_text} × {_n(max_score)}"
    raw = x / of_value * max_score
    if raw > max_score:
        return T.SCORE_CAPPED.format(reason=text, raw=_n(raw))
    return text


RULE_KINDS: dict[str, RuleKind] = {
    k.name: k
    for k in (
        RuleKind("yes_no", (), False, _yes_no_score, _yes_no_explain),
        RuleKind("threshold", ("min",), True, _threshold_score, _threshold_explain),
        RuleKind("all_reached", ("of",), True, _all_reached_score, _all_reached_explain),
        RuleKind("tiers", ("steps",), True, _tiers_score, _tiers_explain),
        RuleKind("ratio", ("of",), True, _ratio_score, _ratio_explain),
    )
}


def apply_rule(rule: Rule, max_score: float, wide: pd.DataFrame) -> Scores:
    """``(self_score, inputs_present)`` for every row of ``wide`` (unit × field values).

    ``self_score`` is NaN where a required input of the rule is missing (or a ratio's divisor
    is 0); ``inputs_present`` says whether the rule's inputs were all given.
    """
    kind = RULE_KINDS[rule.kind]
    x = wide[rule.field] if rule.field in wide else pd.Series(None, index=wide.index, dtype=object)
    if kind.numeric:
        ok = numbers(x).notna()
        if "of" in kind.needs:
            ok &= of_values(rule, wide).notna()
    else:
        ok = x.map(lambda v: isinstance(v, str) and v.strip() != "").astype(bool)
    raw = kind.score(rule, max_score, x, wide)
    return raw.astype(float).where(ok, np.nan), ok


def explain_rule(rule: Rule, max_score: float, row: Mapping[str, Any]) -> str:
    """How one unit's reported value met the rule (the left side of an explanation)."""
    kind = RULE_KINDS[rule.kind]
    x = float(pd.to_numeric(row.get(rule.field), errors="coerce")) if kind.numeric else math.nan
    return kind.explain(rule, max_score, x, row)
