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
from pipeline.scoring.reported import EVIDENCE_READ, TEXTS, added_rows, city_shares, judged, text_columns

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
    "tasks_assigned",
    "tasks_reported",
    "version",
    "channel",
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
    "complete",
    "complete_pct",
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
    "task",  # the task's text: the plan's, or the unit's own for a row it added
    "result_text",  # the unit's own words, verbatim: Kết quả thực hiện
    "evidence",  # Minh chứng
    "evidence_doc",  # the documents Minh chứng names (12/QĐ-UBND), the date, the links
    "evidence_date",
    "evidence_url",
    "difficulties",  # Khó khăn, vướng mắc
    "task_text",  # tasks.csv: the text of a task the unit added (the plan's are in the catalogue)
    "unproven",  # done, but without evidence or without its figure: not counted as done
    "due_date",  # the task's due date in the period's year (None: no date)
    "source_period",  # the period of the return the row came from (a quarter's month)
    "target_value",  # the figure the target was judged on (an annual target: over the year's months)
    "submission_id",  # the stored return the row came from (None: not from the store, or not reported)
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
UNIT_ORDER_ATTR = "unit_order"  # merge_tasks leaves the registry order here for completion()


# --- submissions ----------------------------------------------------------------------------


def _iso_seconds(when: Any) -> str:
    if when is None or pd.isna(when):
        return ""
    return pd.Timestamp(when).strftime("%Y-%m-%dT%H:%M:%S")


def submissions(cat: Catalogue, period: Period, returns: pd.DataFrame) -> pd.DataFrame:
    """One row per file found plus one per expected unit with no accepted file.

    Per unit, the latest received accepted file counts (ties: the last by file name; or, when the
    frame has ``counting``, the one the store says counts) and is ``on_time`` when received on or
    before the deadline (inclusive), else ``late``; the unit's other accepted files are
    ``superseded``; files not accepted are ``rejected``; an expected unit without an accepted file
    is ``missing``. A file with no received time counts as on time. ``version`` and ``channel``
    are carried when given.
    """
    deadline = cat.deadline(period)
    cols = ["file", "sha256", "unit_code", "received_at", "accepted", "errors", "warnings"]
    cols += ["tasks_assigned", "tasks_reported", "complete", "version", "channel"]
    r = returns.reindex(columns=cols).copy()
    r["unit_code"] = r["unit_code"].fillna("").astype(str)
    r["file"] = r["file"].fillna("").astype(str)
    r["sha256"] = r["sha256"].fillna("").astype(str)
    r["received_at"] = pd.to_datetime(r["received_at"])
    r["accepted"] = r["accepted"].fillna(False).astype(bool)
    r["status"] = "rejected"

    accepted = r[r["accepted"]].sort_values(["received_at", "file"], na_position="first", kind="stable")
    if "counting" in returns.columns:
        latest = r.index[returns["counting"].fillna(False).astype(bool).to_numpy() & r["accepted"].to_numpy()]
    else:
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
            "tasks_assigned": pd.array([assigned(cat, period, u) for u in missing], dtype="Int64"),
            "tasks_reported": pd.array([0] * len(missing), dtype="Int64"),
            "complete": False,
            "version": pd.array([pd.NA] * len(missing), dtype="Int64"),
            "channel": "",
        }
    )
    r["errors"] = pd.to_numeric(r["errors"]).astype("Int64")
    r["warnings"] = pd.to_numeric(r["warnings"]).astype("Int64")
    for col in ("tasks_assigned", "tasks_reported"):
        r[col] = pd.to_numeric(r[col]).astype("Int64")
    r["complete"] = r["complete"].map(lambda v: v is True or v is np.True_).astype(bool)
    r["version"] = pd.to_numeric(r["version"]).astype("Int64")
    r["channel"] = r["channel"].astype(object).where(r["channel"].notna(), "")
    out = pd.concat([r.drop(columns=["accepted"]), absent], ignore_index=True) if missing else r

    position = {code: n for n, code in enumerate(cat.units.index)}
    out["_unit"] = out["unit_code"].map(lambda c: position.get(c, len(position)) if c else len(position) + 1)
    out["_when"] = out["received_at"].where(out["unit_code"] != "")  # unidentified: by name only
    out = out.sort_values(["_unit", "unit_code", "_when", "file"], na_position="last", kind="stable")
    out = out.reset_index(drop=True)
    out["period"] = period.id
    out["deadline"] = deadline.isoformat()
    out["received_at"] = out["received_at"].map(_iso_seconds).astype(object)
    return out[[*SUBMISSION_COLUMNS, "complete"]]


def assigned(cat: Catalogue, period: Period, unit: str) -> int:
    """How many tasks the unit reports in this period (twins counted apart); 0 when its
    return has no ``Nhiệm vụ`` sheet in this period."""
    return len(cat.task_ids_of(unit)) if "tasks" in cat.sheets_for(unit, period) else 0


def reporting_rates(cat: Catalogue, period: Period, subs: pd.DataFrame) -> pd.DataFrame:
    """Reporting rates per unit kind of the expected units, then the whole city (``all``).

    ``complete`` counts apart the counting returns that are complete (every assigned task has a
    status and every required indicator input a valid value), as DHIS2's "complete only" rates do."""
    expected = list(cat.expected_units(period))
    kinds = {str(code): str(kind) for code, kind in cat.units["kind"].items()}
    scopes: list[str] = []
    for u in expected:
        if kinds[u] not in scopes:
            scopes.append(kinds[u])
    status_of: dict[str, str] = {}
    complete_of: dict[str, bool] = {}
    flags = subs["complete"] if "complete" in subs else pd.Series(False, index=subs.index)
    for unit, status, complete in zip(subs["unit_code"], subs["status"], flags, strict=True):
        if status in (*COUNTED, "missing"):
            status_of[unit] = status
            complete_of[unit] = bool(complete) and status in COUNTED
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
                "complete": sum(complete_of.get(u, False) for u in units),
                "complete_pct": _pct(sum(complete_of.get(u, False) for u in units), n),
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


def annual_figures(cat: Catalogue, month_values: pd.DataFrame) -> pd.DataFrame:
    """Per unit and targeted task, the figure an annual target is judged on: its months' values
    taken by the task's ``target_aggregate`` (``sum``: each month's count added up; ``latest``: the
    last month's; ``min``: the weakest month's). Columns ``unit_code, task_id, target_value``."""
    cols = ["unit_code", "task_id", "target_value"]
    if month_values.empty:
        return pd.DataFrame(columns=cols)
    how = cat.tasks["target_aggregate"] if "target_aggregate" in cat.tasks.columns else None
    v = month_values.reindex(columns=["unit_code", "task_id", "result_value", "source_period"])
    v = v[v["task_id"].isin(cat.tasks.index[cat.tasks["target"] != ""])].dropna(subset=["result_value"])
    if v.empty:
        return pd.DataFrame(columns=cols)
    v = v.sort_values(["unit_code", "task_id", "source_period"], kind="stable")
    out = []
    for (unit, task), group in v.groupby(["unit_code", "task_id"], sort=False):
        values = group["result_value"].astype(float)
        kind = str(how.get(task, "") if how is not None else "") or "latest"
        figure = values.sum() if kind == "sum" else values.min() if kind == "min" else values.iloc[-1]
        out.append((unit, task, float(figure)))
    return pd.DataFrame(out, columns=cols)


def merge_tasks(
    cat: Catalogue, period: Period, task_values: pd.DataFrame, month_values: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per task and unit whose progress the period shows (catalogue order), with what the
    unit reported.

    ``task_values``: ``unit_code, task_id, status, result_value, has_evidence`` (and
    ``source_period``, ``submission_id``) from the counting returns — for a quarter or a year,
    each unit's latest monthly return within it — and when given ``result``, ``evidence``,
    ``problems`` (the unit's own words, carried verbatim as ``result_text``, ``evidence``,
    ``difficulties``) and the evidence read (``evidence_doc``, ``evidence_date``,
    ``evidence_url``); rows for tasks not assigned to the unit are ignored, rows the unit added
    (``added``) follow the catalogue's, role ``phat_sinh``. A target is judged on the rows of its
    level (:func:`.reported.judged`); the lead's figure of a city-level target is the share of Có
    of the wards (:func:`.reported.city_shares`). A target of the whole year is judged in a
    quarter and a year on ``month_values`` (every counting monthly return of the year so far) by
    :func:`annual_figures`; without months, a year's own figure. A task reported done without
    evidence, or without the figure its numeric target needs (both errors in its return), is
    ``unproven``: it keeps its status but :func:`completion` does not count it as done.
    """
    units = set(cat.task_units(period))
    a = cat.assignments[cat.assignments["unit_code"].isin(units)].reset_index(drop=True)
    info = cat.tasks.loc[a["task_id"], ["appendix", "pillar", "target", "target_scope", "due_date", "text"]]
    a = pd.concat([a, info.reset_index(drop=True)], axis=1)

    cols = [
        "unit_code",
        "task_id",
        "status",
        "result_value",
        "has_evidence",
        "source_period",
        "submission_id",
        *TEXTS,
        *EVIDENCE_READ,
    ]
    catalogue_rows = (
        task_values[~task_values["added"].fillna(False).astype(bool)]
        if "added" in task_values
        else task_values
    )
    v = catalogue_rows.reindex(columns=cols).drop_duplicates(["unit_code", "task_id"], keep="last")
    m = a.merge(v, on=["unit_code", "task_id"], how="left", validate="one_to_one")
    yearly = period.kind in ("quarter", "year") and month_values is not None and not month_values.empty
    if yearly:
        m = m.merge(annual_figures(cat, month_values), on=["unit_code", "task_id"], how="left")
    else:
        m["target_value"] = np.nan

    status = m["status"].map(lambda s: s if isinstance(s, str) and s in TASK_STATUSES else "")
    result = city_shares(cat, m, pd.to_numeric(m["result_value"], errors="coerce").astype(float))
    evidence = m["has_evidence"].map(lambda e: bool(e) if isinstance(e, bool | np.bool_) else False)

    due = [due_date_in(d, period.year) for d in m["due_date"]]
    overdue = [d is not None and d < period.end and s not in CLOSED for d, s in zip(due, status, strict=True)]

    met: list[bool | None] = []  # None: not judged in this period (or nothing reported)
    progress = []
    figures = []
    annual = pd.to_numeric(m["target_value"], errors="coerce").astype(float)
    levels = judged(cat, m["task_id"], m["role"])
    for text, scope, x, yearly_x, level_ok in zip(
        m["target"], m["target_scope"], result, annual, levels, strict=True
    ):
        target = parse_target(text, scope) if text and level_ok else None
        if scope == "annual":
            judged_now = yearly or period.kind == "year"
            x = yearly_x if yearly else x
        else:
            judged_now = target is not None
        figures.append(x if judged_now and target is not None else np.nan)
        met.append(target.met(x) if judged_now and target and not np.isnan(x) else None)
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
            # a target only where the row is judged on it: a supporting unit of a target only its
            # lead gives the figure of (level ``lead``) has none
            "target": m["target"].where(pd.Series(levels, index=m.index), "").astype(object),
            "target_met": pd.Series(met, dtype=object),
            "progress_pct": pd.Series(progress, dtype=float),
            "task": m["text"].astype(object),
            **text_columns(m),
            "task_text": "",
            "unproven": _unproven(status, evidence, m["target"].where(levels, ""), result),
            "due_date": pd.Series(due, dtype=object),
            "source_period": m["source_period"].astype(object).where(m["source_period"].notna(), None),
            "target_value": pd.Series(figures, dtype=float),
            "submission_id": pd.array(m["submission_id"], dtype="Int64"),
        },
        columns=TASK_COLUMNS,
    )
    added = added_rows(period, task_values[task_values["unit_code"].isin(units)], TASK_COLUMNS)
    if not added.empty:
        out = pd.concat([out, added], ignore_index=True)
    out.attrs[UNIT_ORDER_ATTR] = _Order(str(u) for u in cat.units.index)
    return out


def _unproven(status: pd.Series, evidence: pd.Series, target: pd.Series, result: pd.Series) -> pd.Series:
    """Done without evidence, or without the figure of a target the row is judged against (its
    level: a supporting unit is not asked for the lead's figure)."""
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
