"""History for the province, from every stored period: timeliness of each unit period by period,
the units late or missing again and again, each indicator's city mean and each unit's score per
quarter, task completion by pillar per month. Pure functions over the frames the store returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue

HISTORY_COLUMNS = ["period", "kind", "unit_code", "measure", "key", "value"]
REPEAT_WINDOW, REPEAT_TIMES = 3, 2  # late or missing in 2 of the last 3 periods of a kind
# how many of each kind the history sheet shows (data/history.csv keeps every stored period)
SHOWN = {"month": 12, "quarter": 4, "year": 2}


@dataclass(frozen=True)
class History:
    """A locality's stored periods up to the report's, as the history sheet and ``history.csv``
    show them; a unit merged into another keeps its rows, named with its successor."""

    periods: tuple[Period, ...]  # stored, oldest first
    timely: pd.DataFrame  # period, kind, unit_code, status (on_time | late | missing)
    repeat: pd.DataFrame  # kind, unit_code, late, missing, periods
    means: pd.DataFrame  # period, indicator_id, mean_score
    totals: pd.DataFrame  # period, unit_code, total, max_total
    pillars: pd.DataFrame  # period, pillar, done_pct
    rows: pd.DataFrame  # data/history.csv: HISTORY_COLUMNS
    successors: Mapping[str, str] = field(default_factory=dict)  # merged unit → the unit carrying it on

    @property
    def shown(self) -> tuple[Period, ...]:
        """The periods the sheet shows: the last 12 months, 4 quarters and 2 years stored."""
        keep: list[Period] = []
        for kind, n in SHOWN.items():
            keep.extend([p for p in self.periods if p.kind == kind][-n:])
        return tuple(sorted(keep, key=period_order))

    @property
    def worth_a_sheet(self) -> bool:
        """Two stored periods at least: then there is a history to show."""
        return len(self.periods) >= 2


def period_order(p: Period) -> tuple[object, ...]:
    """Oldest first; a month before the quarter and the year that end with it."""
    return (p.end, (p.end - p.start).days)


def timeliness(
    cat: Catalogue, periods: Sequence[Period], statuses: Mapping[str, Mapping[str, str]]
) -> pd.DataFrame:
    """One row per period and expected unit: ``on_time``, ``late`` or ``missing``.

    ``statuses``: period id → unit → the status of its counting return (the store's). Each unit
    keeps its own rows while it exists (``valid_from``/``valid_to``); a return stored under a unit
    that a merger had already replaced counts for the unit that carries it on (its successor)."""
    rows = []
    for p in periods:
        sent = {u: s for u, s in statuses.get(p.id, {}).items() if s in ("on_time", "late")}
        got = dict(sent)
        for unit, status in sent.items():
            heir = cat.successor(unit)
            if heir != unit and cat.has_unit(unit) and not cat.valid_in(unit, p):
                got.setdefault(heir, status)
        for unit in cat.expected_units(p):
            rows.append((p.id, p.kind, unit, got.get(unit, "missing")))
    return pd.DataFrame(rows, columns=["period", "kind", "unit_code", "status"])


REPEAT_COLUMNS = ["kind", "unit_code", "late", "missing", "periods"]


def repeat_filers(timely: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Units late or missing in at least 2 of the last 3 stored periods of ``kind``; ``periods``
    lists the ids of those periods."""
    same = timely[timely["kind"] == kind]
    last = sorted(same["period"].unique())[-REPEAT_WINDOW:]
    window = same[same["period"].isin(last)]
    bad = window[window["status"] != "on_time"]
    if bad.empty:
        return pd.DataFrame(columns=REPEAT_COLUMNS)
    grouped = bad.groupby("unit_code", sort=False)
    out = pd.DataFrame(
        {
            "times": grouped.size(),
            "late": grouped["status"].agg(lambda s: int((s == "late").sum())),
            "periods": grouped["period"].agg(lambda s: ", ".join(sorted(s))),
        }
    )
    out = out[out["times"] >= REPEAT_TIMES]
    order = list(dict.fromkeys(window["unit_code"]))  # units in the order the window lists them
    out = out.reindex([u for u in order if u in out.index])
    return pd.DataFrame(
        {
            "kind": kind,
            "unit_code": list(out.index),
            "late": [int(x) for x in out["late"]],
            "missing": [int(t - lt) for t, lt in zip(out["times"], out["late"], strict=True)],
            "periods": list(out["periods"]),
        },
        columns=REPEAT_COLUMNS,
    )


def city_means(scores: pd.DataFrame) -> pd.DataFrame:
    """Per stored period and indicator, the mean score over the responsible units (as the
    period's summary computes it: units that did not report count 0)."""
    cols = ["period", "indicator_id", "mean_score"]
    if scores.empty:
        return pd.DataFrame(columns=cols)
    s = scores.assign(score=pd.to_numeric(scores["score"], errors="coerce").fillna(0.0))
    out = s.groupby(["period", "indicator_id"], sort=True)["score"].mean().round(2).reset_index()
    return out.rename(columns={"score": "mean_score"})[cols]


def unit_totals(scores: pd.DataFrame) -> pd.DataFrame:
    """Per stored period and unit: the sum of its scores and of their maxima."""
    cols = ["period", "unit_code", "total", "max_total"]
    if scores.empty:
        return pd.DataFrame(columns=cols)
    s = scores.assign(
        score=pd.to_numeric(scores["score"], errors="coerce").fillna(0.0),
        max_score=pd.to_numeric(scores["max_score"], errors="coerce").fillna(0.0),
    )
    out = s.groupby(["period", "unit_code"], sort=True)[["score", "max_score"]].sum().round(2).reset_index()
    return out.rename(columns={"score": "total", "max_score": "max_total"})[cols]


def pillar_completion(task_rows: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Per stored period and pillar: tasks done with their proof over those due (not
    ``not_applicable``), in %, as the period's own report computes it (``merge.completion``).
    ``task_rows``: one per unit's task, or (``rows``) how many are alike."""
    cols = ["period", "pillar", "done_pct"]
    if task_rows.empty:
        return pd.DataFrame(columns=cols)
    unproven = task_rows["unproven"] if "unproven" in task_rows else pd.Series(False, index=task_rows.index)
    weight = task_rows["rows"] if "rows" in task_rows else pd.Series(1, index=task_rows.index)
    t = task_rows.assign(
        status=task_rows["status"].fillna("").astype(str),
        unproven=unproven.fillna(False).astype(bool),
        rows=pd.to_numeric(weight).astype("int64"),
    )
    rows = []
    for (pid, pillar), group in t.groupby(["period", "pillar"], sort=True):
        due = int(group["rows"][group["status"] != "not_applicable"].sum())
        done = int(group["rows"][(group["status"] == "done") & ~group["unproven"]].sum())
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


def history_of(
    cat: Catalogue,
    periods: Sequence[Period],
    statuses: Mapping[str, Mapping[str, str]],
    scores: pd.DataFrame,
    task_rows: pd.DataFrame,
) -> History:
    """The history of the stored ``periods`` (oldest first) from the store's frames."""
    ordered = tuple(sorted(periods, key=period_order))
    timely = timeliness(cat, ordered, statuses)
    repeat = pd.concat(
        [repeat_filers(timely, kind) for kind in SHOWN if (timely["kind"] == kind).any()]
        or [pd.DataFrame(columns=REPEAT_COLUMNS)],
        ignore_index=True,
    )
    means = city_means(scores)
    pillars = pillar_completion(task_rows, list(cat.vocabulary.pillars))
    return History(
        periods=ordered,
        timely=timely,
        repeat=repeat,
        means=means,
        totals=unit_totals(scores),
        pillars=pillars,
        rows=history_rows(timely, scores, means, pillars),
        successors={u: cat.successor(u) for u in cat.units.index if cat.successor(u) != u},
    )
