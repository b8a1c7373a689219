"""History for the province, from every stored period: timeliness of each unit period by period,
the units late or missing again and again, each indicator's city mean and each unit's score per
quarter, task completion by pillar per month. Pure functions over the frames the store returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue

HISTORY_COLUMNS = ["period", "kind", "unit_code", "measure", "key", "value"]
REPEAT_WINDOW, REPEAT_TIMES = 3, 2  # late or missing in 2 of the last 3 periods of a kind


def timeliness(
    cat: Catalogue, periods: Sequence[Period], statuses: Mapping[str, Mapping[str, str]]
) -> pd.DataFrame:
    """One row per period and expected unit: ``on_time``, ``late`` or ``missing``.

    ``statuses``: period id → unit → the status of its counting return (the store's). A unit that
    a merger replaced counts under its successor."""
    rows = []
    for p in periods:
        got = {cat.successor(u): s for u, s in statuses.get(p.id, {}).items() if s in ("on_time", "late")}
        for unit in cat.expected_units(p):
            rows.append((p.id, p.kind, cat.successor(unit), got.get(cat.successor(unit), "missing")))
    return pd.DataFrame(rows, columns=["period", "kind", "unit_code", "status"])


def repeat_filers(timely: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Units late or missing in at least 2 of the last 3 periods of ``period``'s kind up to it."""
    cols = ["unit_code", "late", "missing", "periods"]
    same = timely[timely["kind"] == period.kind]
    last = sorted(p for p in same["period"].unique() if p <= period.id)[-REPEAT_WINDOW:]
    window = same[same["period"].isin(last)]
    rows = []
    for unit, group in window.groupby("unit_code", sort=False):
        bad = group[group["status"] != "on_time"]
        if len(bad) >= REPEAT_TIMES:
            late = int((bad["status"] == "late").sum())
            rows.append((unit, late, len(bad) - late, ", ".join(sorted(bad["period"]))))
    return pd.DataFrame(rows, columns=cols)


def city_means(scores: pd.DataFrame) -> pd.DataFrame:
    """Per stored period and indicator, the mean score over the responsible units (as the
    period's summary computes it: units that did not report count 0)."""
    cols = ["period", "indicator_id", "mean_score"]
    if scores.empty:
        return pd.DataFrame(columns=cols)
    s = scores.assign(score=pd.to_numeric(scores["score"], errors="coerce").fillna(0.0))
    out = s.groupby(["period", "indicator_id"], sort=True)["score"].mean().round(2).reset_index()
    return out.rename(columns={"score": "mean_score"})[cols]


def pillar_completion(task_rows: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Per stored period and pillar: done tasks over those due (not ``not_applicable``), in %."""
    cols = ["period", "pillar", "done_pct"]
    if task_rows.empty:
        return pd.DataFrame(columns=cols)
    t = task_rows.assign(status=task_rows["status"].fillna("").astype(str))
    rows = []
    for (pid, pillar), group in t.groupby(["period", "pillar"], sort=True):
        due = int((group["status"] != "not_applicable").sum())
        done = int((group["status"] == "done").sum())
        rows.append((pid, pillar, round(100 * done / due, 1) if due else 0.0))
    out = pd.DataFrame(rows, columns=cols)
    rank = {p: i for i, p in enumerate(order)}
    return out.sort_values(["period", "pillar"], key=lambda c: c.map(rank) if c.name == "pillar" else c)


def history_rows(
    timely: pd.DataFrame, scores: pd.DataFrame, means: pd.DataFrame, pillars: pd.DataFrame
) -> pd.DataFrame:
    """``data/history.csv``: one row per period, unit and measure, long form."""
    kinds = dict(zip(timely["period"], timely["kind"], strict=True))
    parts = [
        pd.DataFrame(
            {
                "period": timely["period"],
                "kind": timely["kind"],
                "unit_code": timely["unit_code"],
                "measure": "submission",
                "key": "",
                "value": timely["status"],
            }
        )
    ]
    if not scores.empty:
        parts.append(
            pd.DataFrame(
                {
                    "period": scores["period"],
                    "kind": scores["period"].map(kinds).fillna(""),
                    "unit_code": scores["unit_code"],
                    "measure": "score",
                    "key": scores["indicator_id"],
                    "value": pd.to_numeric(scores["score"], errors="coerce"),
                }
            )
        )
    if not means.empty:
        parts.append(
            pd.DataFrame(
                {
                    "period": means["period"],
                    "kind": means["period"].map(kinds).fillna(""),
                    "unit_code": "",
                    "measure": "city_mean",
                    "key": means["indicator_id"],
                    "value": means["mean_score"],
                }
            )
        )
    if not pillars.empty:
        parts.append(
            pd.DataFrame(
                {
                    "period": pillars["period"],
                    "kind": pillars["period"].map(kinds).fillna(""),
                    "unit_code": "",
                    "measure": "done_pct",
                    "key": pillars["pillar"],
                    "value": pillars["done_pct"],
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["period", "measure", "unit_code", "key"], kind="stable", ignore_index=True)[
        HISTORY_COLUMNS
    ]
