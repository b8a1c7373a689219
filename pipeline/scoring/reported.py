"""What the task rows say beyond their status (contract §2, §5 and §7, version 2): the texts kept
verbatim with the evidence read (documents, dates, links), the city-level share of a target
answered Có/Không by the wards, which rows are judged against a target, and the tasks units added.

Helpers of :func:`pipeline.scoring.merge.merge_tasks`; pure functions over its frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.base.periods import Period
from pipeline.catalogue import ADDED_ROLE, Catalogue, target_level

# task_values column → tasks.csv column, kept verbatim
TEXTS = {"result": "result_text", "evidence": "evidence", "problems": "difficulties"}
TEXT_COLUMNS = ("result_text", "evidence", "evidence_doc", "evidence_date", "evidence_url", "difficulties")
EVIDENCE_READ = ("evidence_doc", "evidence_date", "evidence_url")  # read per file (rules.task_rows)


def _verbatim(column: pd.Series) -> pd.Series:
    """What a unit typed, as typed (a number stays a number); a blank cell stays missing (None)."""
    return column.astype(object).where(column.notna() & (column.astype(str) != ""), None)


def text_columns(m: pd.DataFrame) -> dict[str, pd.Series]:
    """The texts of the merged rows (``result_text``, ``evidence``, ``difficulties``) and the
    evidence as read per file (:func:`pipeline.normalize.parse_evidence`): ``evidence_doc``
    (numbers and symbols), ``evidence_date`` (ISO), ``evidence_url``."""
    blank = pd.Series([None] * len(m), index=m.index, dtype=object)
    out = {column: _verbatim(m[src]) if src in m else blank for src, column in TEXTS.items()}
    for column in EVIDENCE_READ:
        out[column] = _verbatim(m[column]) if column in m else blank
    return {c: out[c] for c in TEXT_COLUMNS}


def _levels(cat: Catalogue) -> dict[str, str]:
    return {str(t.task_id): target_level(t) for t in cat.tasks.itertuples(index=False)}


def judged(cat: Catalogue, task_ids: pd.Series, roles: pd.Series) -> list[bool]:
    """Whether a row is judged against its task's target: every unit at level ``each``, the lead
    units at level ``lead``, every unit at level ``city`` (a ward's Có/Không is its own 100 or 0 %,
    the lead's figure the share of the city)."""
    levels = _levels(cat)
    return [
        (level := levels.get(task_id, "")) in ("each", "city") or (level == "lead" and role != "phoi_hop")
        for task_id, role in zip(task_ids, roles, strict=True)
    ]


def city_shares(cat: Catalogue, m: pd.DataFrame, result: pd.Series) -> pd.Series:
    """``result`` with the lead's figure of each city-level target set to the share of its
    supporting units (the wards) that answered Có, in %: a ward that did not answer counts as
    not Có, as a unit that did not report counts 0 in the indicators' mean."""
    out = result.copy()
    city = {t for t, level in _levels(cat).items() if level == "city"}
    for task_id in city & set(m["task_id"]):
        rows = m["task_id"] == task_id
        answers = rows & (m["role"] == "phoi_hop")
        if not answers.any():
            continue
        share = round(float(result[answers].fillna(0).eq(100).mean() * 100), 1)
        out[rows & (m["role"] != "phoi_hop")] = share
    return out


def added_rows(period: Period, task_values: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The tasks units added to their sheet (``<UNIT>-PS<n>``, role ``phat_sinh``) as rows of the
    task table, with their text (``task_text``); never overdue, no target."""
    if task_values.empty or "added" not in task_values:
        return pd.DataFrame(columns=columns)
    rows = task_values[task_values["added"].fillna(False).astype(bool)]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    texts = text_columns(rows.reset_index(drop=True))
    out = pd.DataFrame(
        {
            "period": period.id,
            "task_id": rows["task_id"].astype(object).to_numpy(),
            "unit_code": rows["unit_code"].astype(object).to_numpy(),
            "role": ADDED_ROLE,
            "appendix": "",
            "pillar": "",
            "status": rows["status"].map(lambda s: s if isinstance(s, str) else "").astype(object).to_numpy(),
            "result_value": pd.to_numeric(rows["result_value"], errors="coerce").astype(float).to_numpy(),
            "has_evidence": rows["has_evidence"].fillna(False).astype(bool).to_numpy(),
            "overdue": False,
            "target": "",
            "target_met": None,
            "progress_pct": np.nan,
            "task": rows["text"].astype(object).to_numpy(),
            **{c: v.to_numpy() for c, v in texts.items()},
            "task_text": rows["text"].astype(object).to_numpy(),
            # checked like any task: done without evidence (an error in its return) is unproven
            "unproven": (
                (rows["status"] == "done") & ~rows["has_evidence"].fillna(False).astype(bool)
            ).to_numpy(),
            "due_date": None,
        },
        columns=columns,
    )
    return out
