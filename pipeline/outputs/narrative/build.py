"""The narrative report's data from the province workbook's: one run, one set of figures.

:func:`narrative_of` takes the :class:`~pipeline.outputs.province.ReportData` the workbook and
the CSV files are written from, so every figure of the report equals the one in
``summary.csv``, ``submissions.csv`` and the appendix.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.base import vocabulary as V
from pipeline.base.codes import Severity
from pipeline.base.messages import report as R
from pipeline.base.messages.issues import ISSUES
from pipeline.catalogue import parse_target
from pipeline.outputs.narrative.data import (
    DIFFICULTY_COLUMNS,
    OVERDUE_COLUMNS,
    TARGET_COLUMNS,
    UNPROVEN_COLUMNS,
    NarrativeData,
)
from pipeline.outputs.province.data import ReportData, each, missing, sources_text, task_sources, values
from pipeline.outputs.province.tasks import difficulties, judged_figures


def _flags(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(False, index=frame.index)
    values = frame[column]
    if pd.api.types.is_bool_dtype(values.dtype) and not values.hasnans:  # already flags
        return values.astype(bool)
    return values.map(lambda v: False if missing(v) else bool(v)).astype(bool)


def _reasons(data: ReportData) -> dict[str, str]:
    """Why each refused file was refused: the kind of its first error (``Mẫu của kỳ khác``)."""
    out: dict[str, str] = {}
    i = data.issues
    if i.empty:
        return out
    for file, severity, code in zip(values(i, "file"), values(i, "severity"), values(i, "code"), strict=True):
        if file and file not in out and severity == Severity.ERROR and code in ISSUES:
            out[str(file)] = V.lower_first(ISSUES[code].title)
    return out


def _submissions(data: ReportData) -> pd.DataFrame:
    s = data.submissions.copy()
    reasons = _reasons(data)
    s["reason"] = [
        reasons.get(str(f), "") if st == "rejected" else ""
        for f, st in zip(values(s, "file"), values(s, "status"), strict=True)
    ]
    return s


def _indicators(data: ReportData) -> pd.DataFrame:
    s = data.summary.copy()
    s["name"] = [data.indicator_names.get(str(i), "") for i in values(s, "indicator_id")]
    return s


def _pillars(data: ReportData) -> pd.DataFrame:
    p = data.by_pillar.copy()
    order = {code: n for n, code in enumerate(data.pillars)}
    p = p.assign(_o=[order.get(str(c), len(order)) for c in values(p, "pillar")]).sort_values(
        "_o", kind="stable"
    )
    p["pillar"] = [data.pillars.get(str(c), str(c)) for c in values(p, "pillar")]
    return p.drop(columns="_o").reset_index(drop=True)


def _rows(data: ReportData, mask: pd.Series, columns: tuple[str, ...]) -> pd.DataFrame:
    t = data.tasks[mask.to_numpy()]
    return t.reindex(columns=list(columns)).reset_index(drop=True)


def _targets(data: ReportData) -> pd.DataFrame:
    t = data.tasks
    has_target = pd.Series(each(lambda x: not missing(x), values(t, "target")), index=t.index)
    rows: list[dict[str, Any]] = []
    targeted = t[has_target.to_numpy()]
    read = [
        c
        for c in ("task_id", "task", "unit_code", "unit_name", "target", "target_raw", "target_met", "role")
        if c in t
    ]
    for r, figure in zip(targeted[read].to_dict("records"), judged_figures(targeted), strict=True):
        parsed = parse_target(str(r["target"]), "any")
        rows.append(
            {
                "task_id": r["task_id"],
                "task": r.get("task"),
                "unit_code": r["unit_code"],
                "unit_name": r.get("unit_name"),
                "value": figure,  # the figure judged: an annual target's over the year's months
                "target": r.get("target_raw") or r["target"],
                "met": r.get("target_met"),
                "measure": data.measures.get(parsed.metric, "") if parsed else "",
                "twins": " ".join(data.twins.get(str(r["task_id"]), (str(r["task_id"]),))),
                "answer": data.answer(r["task_id"], r.get("role"), figure),
            }
        )
    return pd.DataFrame(rows, columns=[*TARGET_COLUMNS, "measure", "twins", "answer"])


def _difficulties(data: ReportData) -> pd.DataFrame:
    """The units' difficulties in the order of the `Khó khăn, kiến nghị` sheet: pillar, then task."""
    d = difficulties(data.tasks, list(data.pillars)).rename(columns={"difficulties": "text"})
    return d.reindex(columns=list(DIFFICULTY_COLUMNS)).reset_index(drop=True)


def narrative_of(data: ReportData) -> NarrativeData:
    """What the narrative report says, from the data the workbook is written from."""
    loc = data.locality
    receiver = (
        R.RECEIVER.format(short_name=loc.short_name, office=data.receiver) if data.receiver else loc.name
    )
    overdue = _rows(data, _flags(data.tasks, "overdue"), (*OVERDUE_COLUMNS, "due_date"))
    unproven = _rows(data, _flags(data.tasks, "unproven"), UNPROVEN_COLUMNS)
    return NarrativeData(
        period=data.period,
        deadline=data.deadline,
        made_on=data.made_on,
        locality=loc,
        receiver=receiver,
        sample=data.sample,
        submissions=_submissions(data),
        rates=data.rates,
        indicators=_indicators(data) if data.has_indicators else _indicators(data).iloc[0:0],
        scores=data.scores if data.has_indicators else data.scores.iloc[0:0],
        pillars=_pillars(data),
        overdue=overdue,
        unproven=unproven,
        targets=_targets(data),
        difficulties=_difficulties(data),
        appendix_file=data.file_name("xlsx"),
        appendices=tuple(data.appendices.values()),
        task_sources=sources_text(task_sources(data)),
    )
