"""Tasks that feed indicators (``tasks.csv`` ``feeds``, contract §2) checked against them: a unit
whose task says "not started" while an indicator it feeds is reached (1.1 = Có while PL01-1.5 is
«Chưa thực hiện»), or "done" while every indicator it feeds scores nothing, gets a warning on the
task's status."""

from __future__ import annotations

import pandas as pd

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.issues import Issue, issue
from pipeline.base.messages import notes
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.catalogue.rule_kinds import EPSILON, apply_rule


def feeds_disagree(
    cat: Catalogue, period: Period, tasks: pd.DataFrame, indicators: pd.DataFrame
) -> list[Issue]:
    """One warning per task row (of a return with both sheets) that disagrees with an indicator
    it feeds; the indicator's self-score is its rule applied to the values of the same return."""
    if tasks.empty or indicators.empty or not cat.feeds:
        return []
    fed = {i.id: i for i in cat.indicators_for(period.kind)}
    rows = tasks[
        tasks["task_id"].isin(cat.feeds) & tasks["status_label"].isin((V.STATUS_NOT_STARTED, V.STATUS_DONE))
    ]
    rows = rows[rows["file"].isin(set(indicators["file"]))]
    if rows.empty:
        return []
    values = indicators.drop_duplicates(["file", "field_id"]).pivot(
        index="file", columns="field_id", values="value"
    )
    scores: dict[str, pd.Series] = {}
    present: dict[str, pd.Series] = {}
    for iid in {i for t in rows["task_id"] for i in cat.feeds[t] if i in fed}:
        ind = fed[iid]
        wide = values.reindex(columns=[f.id for f in ind.fields]).astype(object)
        wide = wide.where(wide.notna(), None)
        scores[iid], present[iid] = apply_rule(ind.rule, ind.max_score, wide)
    out = []
    seen: set[tuple[str, str]] = set()
    for r in rows.itertuples(index=False):
        if (r.file, r.status_cell) in seen:  # twins: one row, one warning
            continue
        judged = [
            (iid, float(scores[iid][r.file]))
            for iid in cat.feeds[r.task_id]
            if iid in scores and r.file in scores[iid].index and present[iid][r.file]
        ]
        reached = [iid for iid, score in judged if score >= fed[iid].max_score - EPSILON]
        if r.status_label == V.STATUS_NOT_STARTED and reached:
            iid = reached[0]
            state = notes.FEED_REACHED.format(points=V.number(fed[iid].max_score))
        elif r.status_label == V.STATUS_DONE and judged and all(score <= EPSILON for _, score in judged):
            iid, state = judged[0][0], notes.FEED_NOT_REACHED
        else:
            continue
        seen.add((r.file, r.status_cell))
        out.append(
            issue(
                Code.TASK_INDICATOR_MISMATCH,
                file=r.file,
                unit_code=r.unit_code,
                sheet=r.sheet,
                cell=r.status_cell,
                field=f"{r.task_id}:{V.TASK_STATUS}",
                value=r.status_label,
                label=V.TASK_STATUS,
                task=r.task_id,
                status=r.status_label,
                indicator=iid,
                name=fed[iid].name,
                state=state,
                column=V.TASK_STATUS,
            )
        )
    return out
