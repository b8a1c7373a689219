"""Merging (contract §4, §7): which return counts, reporting rates, and the task table.

Pure functions from DataFrames to DataFrames. Units, tasks, deadlines and targets all come
from the :class:`~pipeline.catalogue.Catalogue`; nothing here names a unit or a task.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue, due_date_in, parse_target

SUBMISSION_COLUMNS = [
    "period",
    "unit_code",
    "status",
    "received_at",
    "deadline",
    "days_late",
    "file",
    "sha256",
    "errors",
    "warnings",
]
RATE_COLUMNS = [
    "scope",
    "expected",
    "received",
    "on_time",
    "late",
    "missing",
    "rejected_files",
    "rate_pct",
    "on_time_pct",
]
TASK_COLUMNS = [
    "period",
    "task_id",
    "unit_code",
    "role",
    "appendix",
    "pillar",
    "status",
    "result_value",
    "has_evidence",
    "overdue",
    "target",
    "target_met",
    "progress_pct",
    "task",  # the task's text (tasks.csv)
    "result_text",  # the unit's own words, verbatim: Kết quả thực hiện
    "evidence",  # Minh chứng
    "difficulties",  # Khó khăn, vướng mắc
    "unproven",  # done, but without evidence or without its figure: not counted as done
    "due_date",  # the task's due date in the period's year (None: no date)
]
TASK_STATUSES = ("done", "in_progress", "not_started", "not_applicable")
COMPLETION_COLUMNS = [
    "assigned",
    "reported",
    "done",
    "done_unproven",
    "in_progress",
    "not_started",
    "not_applicable",
    "overdue",
    "done_pct",
]
COUNTED = ("on_time", "late")
CLOSED = ("done", "not_applicable")  # a task in either state is never overdue
# the unit's own words in the read returns → their column in the merged table
WORDS = {"result": "result_text", "evidence": "evidence", "problems": "difficulties"}
UNIT_ORDER_ATTR = "unit_order"  # merge_tasks leaves the registry order here for completion()


# --- submissions ----------------------------------------------------------------------------


def _iso_seconds(when: Any) -> str:
    if when is None or pd.isna(when):
        return ""
    return pd.Timestamp(when).strftime("%Y-%m-%dT%H:%M:%S")


def submissions(cat: Catalogue, period: Period, returns: pd.DataFrame) -> pd.DataFrame:
    """One row per file found plus one per expected unit with no accepted file.

    Per unit, the latest received accepted file counts (ties: the last by file name) and is
    ``on_time`` when received on or before the deadline (inclusive), else ``late``; the unit's
    other accepted files are ``superseded``; files not accepted are ``rejected``; an expected
    unit without an accepted file is ``missing``. A file with no received time counts as on time.
    """
    deadline = cat.deadline(period)
    cols = ["file", "sha256", "unit_code", "received_at", "accepted", "errors", "warnings"]
    r = returns.reindex(columns=cols).copy()
    r["unit_code"] = r["unit_code"].fillna("").astype(str)
    r["file"] = r["file"].fillna("").astype(str)
    r["sha256"] = r["sha256"].fillna("").astype(str)
    r["received_at"] = pd.to_datetime(r["received_at"])
    r["accepted"] = r["accepted"].fillna(False).astype(bool)
    r["status"] = "rejected"

    accepted = r[r["accepted"]].sort_values(["received_at", "file"], na_position="first", kind="stable")
    latest = accepted.groupby("unit_code", sort=False).tail(1).index
    r.loc[accepted.index, "status"] = "superseded"
    received_day = r["received_at"].dt.normalize()
    delay = (received_day - pd.Timestamp(deadline)).dt.days
    late = r.index.isin(latest) & (delay > 0).fillna(False).to_numpy(dtype=bool)
    r.loc[latest, "status"] = "on_time"
    r.loc[late, "status"] = "late"
    r["days_late"] = delay.clip(lower=0).where(r["accepted"]).astype("Int64")

    reported = set(r.loc[r["accepted"], "unit_code"])
    missing = [u for u in cat.expected_units(period) if u not in reported]
    absent = pd.DataFrame(
        {
            "file": "",
            "sha256": "",
            "unit_code": missing,
            "received_at": pd.Series(pd.NaT, index=range(len(missing)), dtype="datetime64[ns]"),
            "status": "missing",
            "days_late": pd.array([pd.NA] * len(missing), dtype="Int64"),
            "errors": pd.array([pd.NA] * len(missing), dtype="Int64"),
            "warnings": pd.array([pd.NA] * len(missing), dtype="Int64"),
        }
    )
    r["errors"] = pd.to_numeric(r["errors"]).astype("Int64")
    r["warnings"] = pd.to_numeric(r["warnings"]).astype("Int64")
    out = pd.concat([r.drop(columns=["accepted"]), absent], ignore_index=True) if missing else r

    position = {code: n for n, code in enumerate(cat.units.index)}
    out["_unit"] = out["unit_code"].map(lambda c: position.get(c, len(position)) if c else len(position) + 1)
    out["_when"] = out["received_at"].where(out["unit_code"] != "")  # unidentified: by name only
    out = out.sort_values(["_unit", "unit_code", "_when", "file"], na_position="last", kind="stable")
    out = out.reset_index(drop=True)
    out["period"] = period.id
    out["deadline"] = deadline.isoformat()
    out["received_at"] = out["received_at"].map(_iso_seconds).astype(object)
    return out[SUBMISSION_COLUMNS]


def reporting_rates(cat: Catalogue, period: Period, subs: pd.DataFrame) -> pd.DataFrame:
    """Reporting rates per unit kind of the expected units, then the whole city (``all``)."""
    expected = list(cat.expected_units(period))
    kinds = {str(code): str(kind) for code, kind in cat.units["kind"].items()}
    scopes: list[str] = []
    for u in expected:
        if kinds[u] not in scopes:
            scopes.append(kinds[u])
    status_of: dict[str, str] = {}
    for unit, status in zip(subs["unit_code"], subs["status"], strict=True):
        if status in (*COUNTED, "missing"):
            status_of[unit] = status
    rejected = subs.loc[subs["status"] == "rejected", "unit_code"].fillna("").astype(str)
    rejected_kinds = [kinds.get(c, "") for c in rejected]
    rows = []
    for scope in [*scopes, "all"]:
        units = [u for u in expected if scope == "all" or kinds[u] == scope]
        got = [status_of.get(u, "missing") for u in units]
        n, on_time, late = len(units), got.count("on_time"), got.count("late")
        rejected_files = len(rejected_kinds) if scope == "all" else rejected_kinds.count(scope)
        rows.append(
            {
                "scope": scope,
                "expected": n,
                "received": on_time + late,
                "on_time": on_time,
                "late": late,
                "missing": n - on_time - late,
                "rejected_files": rejected_files,
                "rate_pct": _pct(on_time + late, n),
                "on_time_pct": _pct(on_time, n),
            }
        )
    return pd.DataFrame(rows, columns=RATE_COLUMNS)


def rank_apart(ranking: pd.DataFrame, subs: pd.DataFrame) -> pd.DataFrame:
    """The ranking with the units that sent no counting return set apart.

    ``ranking``: :func:`pipeline.scoring.scores.rank_units`; ``subs``: :func:`submissions`. A unit
    with no return on time or late gets ``sent`` False and no rank; the other ranked units are
    ranked again among themselves by ``pct`` (ties share the best rank).
    """
    out = ranking.copy()
    counted = set(subs.loc[subs["status"].isin(COUNTED), "unit_code"])
    out["sent"] = out["unit_code"].isin(counted).astype(bool)
    if out.empty:
        return out
    ranked = out["rank"].notna() & out["sent"]
    pct = pd.to_numeric(out["pct"], errors="coerce")
    out["rank"] = pct.where(ranked).rank(method="min", ascending=False).astype(float)
    return out


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


# --- tasks ----------------------------------------------------------------------------------


def merge_tasks(cat: Catalogue, period: Period, task_values: pd.DataFrame) -> pd.DataFrame:
    """One row per task and assigned expected unit (catalogue order) with what it reported.

    ``task_values``: ``unit_code, task_id, status, result_value, has_evidence`` from the
    counting returns, and when given ``result``, ``evidence``, ``problems`` (the unit's own words,
    carried verbatim as ``result_text``, ``evidence``, ``difficulties``); rows for tasks not
    assigned to the unit are ignored. A task reported done without evidence, or without the
    figure its numeric target needs (both errors in its return), is ``unproven``: it keeps its
    status but :func:`completion` does not count it as done.
    """
    expected = set(cat.expected_units(period))
    a = cat.assignments[cat.assignments["unit_code"].isin(expected)].reset_index(drop=True)
    info = cat.tasks.loc[a["task_id"], ["appendix", "pillar", "target", "target_scope", "due_date", "text"]]
    a = pd.concat([a, info.reset_index(drop=True)], axis=1)

    cols = ["unit_code", "task_id", "status", "result_value", "has_evidence", *WORDS]
    v = task_values.reindex(columns=cols).drop_duplicates(["unit_code", "task_id"], keep="last")
    m = a.merge(v, on=["unit_code", "task_id"], how="left", validate="one_to_one")

    status = m["status"].map(lambda s: s if isinstance(s, str) and s in TASK_STATUSES else "")
    result = pd.to_numeric(m["result_value"], errors="coerce").astype(float)
    evidence = m["has_evidence"].map(lambda e: bool(e) if isinstance(e, bool | np.bool_) else False)

    due = [due_date_in(d, period.year) for d in m["due_date"]]
    overdue = [d is not None and d < period.end and s not in CLOSED for d, s in zip(due, status, strict=True)]

    met: list[bool | None] = []  # None: not judged in this period (or nothing reported)
    progress = []
    for text, scope, x in zip(m["target"], m["target_scope"], result, strict=True):
        target = parse_target(text, scope) if text else None
        judged = target is not None and (scope == "any" or (scope == "annual" and period.kind == "year"))
        met.append(target.met(x) if judged and target and not np.isnan(x) else None)
        if target is not None and target.op in (">=", ">") and target.value and not np.isnan(x):
            progress.append(round(100 * x / target.value, 1))
        else:
            progress.append(np.nan)

    out = pd.DataFrame(
        {
            "period": period.id,
            "task_id": m["task_id"].astype(object),
            "unit_code": m["unit_code"].astype(object),
            "role": m["role"].astype(object),
            "appendix": m["appendix"].astype(object),
            "pillar": m["pillar"].astype(object),
            "status": status.astype(object),
            "result_value": result,
            "has_evidence": evidence.astype(bool),
            "overdue": pd.Series(overdue, dtype=bool),
            "target": m["target"].astype(object),
            "target_met": pd.Series(met, dtype=object),
            "progress_pct": pd.Series(progress, dtype=float),
            "task": m["text"].astype(object),
            **{out: _verbatim(m[col]) for col, out in WORDS.items()},
            "unproven": _unproven(status, evidence, m["target"], result),
            "due_date": pd.Series(due, dtype=object),
        },
        columns=TASK_COLUMNS,
    )
    out.attrs[UNIT_ORDER_ATTR] = _Order(str(u) for u in cat.units.index)
    return out


def _verbatim(column: pd.Series) -> pd.Series:
    """What a unit typed, as typed; blank cells stay missing (None)."""
    return column.astype(object).where(column.notna() & (column.astype(str) != ""), None)


def _unproven(status: pd.Series, evidence: pd.Series, target: pd.Series, result: pd.Series) -> pd.Series:
    done = status == "done"
    no_figure = (target.fillna("").astype(str) != "") & result.isna()
    return pd.Series((done & (~evidence.astype(bool) | no_figure)).to_numpy(), dtype=bool)


class _Order(tuple[str, ...]):
    """The registry order kept in ``attrs``: pandas deep-copies attrs with every derived frame,
    which for a list of 10,000 codes costs more than the frame itself; this one is immutable and
    copies as itself."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _Order:
        return self


def completion(merged: pd.DataFrame, by: str, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Task completion per ``pillar``, ``appendix`` or ``unit_code``.

    Groups come in ``order`` when given; for ``unit_code`` the registry order that
    :func:`merge_tasks` records is used; otherwise the order in which they first appear.
    ``done`` counts the tasks done with their evidence (and figure); ``done_unproven`` those
    reported done without. ``done_pct`` = done / (assigned − not_applicable) × 100, one decimal,
    0 when nothing is due.
    """
    if by not in ("pillar", "appendix", "unit_code"):
        raise ValueError(f"completion by '{by}': use pillar, appendix or unit_code")
    if order is None and by == "unit_code":
        order = merged.attrs.get(UNIT_ORDER_ATTR)
    status = merged["status"].fillna("").astype(str)
    unproven = (
        merged["unproven"].fillna(False).astype(bool)
        if "unproven" in merged
        else pd.Series(False, index=merged.index)
    )
    counts = pd.DataFrame(
        {
            by: merged[by].astype(object),
            "assigned": 1,
            "reported": (status != "").astype(int),
            **{s: (status == s).astype(int) for s in TASK_STATUSES},
            "done_unproven": (unproven & (status == "done")).astype(int),
            "overdue": merged["overdue"].fillna(False).astype(bool).astype(int),
        }
    )
    counts["done"] -= counts["done_unproven"]
    out = counts.groupby(by, sort=False).sum()
    if order is not None:
        known = [k for k in order if k in out.index]
        placed = set(known)
        out = out.reindex(known + [k for k in out.index if k not in placed])
    due = out["assigned"] - out["not_applicable"]
    pct = (100 * out["done"] / due.where(due > 0)).round(1).fillna(0.0)
    out["done_pct"] = pct.astype(float)
    out = out.reset_index()
    return out[[by, *COMPLETION_COLUMNS]]
