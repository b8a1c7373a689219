"""The catalogue's source anomalies: raw texts that disagree with the resolved columns, and twins
whose deadlines or texts disagree (what ``dti catalogue check`` lists; never an error)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from pipeline.base.messages import texts as T
from pipeline.base.text import fold
from pipeline.catalogue.model import expand
from pipeline.catalogue.resolve import Resolver
from pipeline.catalogue.rows import twin_groups


def twin_anomalies(tasks: pd.DataFrame) -> list[str]:
    """Twins whose deadlines or texts disagree, and tasks of the same text not declared twins."""
    out = []
    by_id = tasks.set_index("task_id", drop=False)
    groups = twin_groups(tasks)
    for t in tasks.itertuples(index=False):
        if not t.same_as or t.same_as not in by_id.index:
            continue
        first = by_id.loc[t.same_as]
        if (t.frequency, t.due_date) != (first.frequency, first.due_date):
            out.append(
                T.CAT_ANOMALY_TWIN_DEADLINE.format(
                    task=t.task_id, twin=first.task_id, text=t.deadline_raw, twin_text=first.deadline_raw
                )
            )
        if fold(t.text) != fold(first.text):
            out.append(T.CAT_ANOMALY_TWIN_TEXT.format(task=t.task_id, twin=first.task_id))
    seen: dict[str, str] = {}
    for t in tasks.itertuples(index=False):
        key = fold(t.text)
        if key in seen and t.task_id not in groups.get(seen[key], ()):
            out.append(T.CAT_ANOMALY_TWIN_UNDECLARED.format(task=t.task_id, twin=seen[key]))
        seen.setdefault(key, t.task_id)
    return out


def anomalies(tasks: pd.DataFrame, groups: Mapping[str, tuple[str, ...]], resolver: Resolver) -> list[str]:
    """Source anomalies and disagreements between the raw texts and the resolved columns."""
    out = []
    for t in tasks.itertuples(index=False):
        known = resolver.deadline(t.deadline_raw)
        if known is None:
            out.append(
                T.CAT_ANOMALY_DEADLINE.format(task=t.task_id, text=t.deadline_raw, frequency=t.frequency)
            )
        elif known != (t.frequency, t.due_date):
            out.append(
                T.CAT_ANOMALY_DEADLINE_DIFFERS.format(
                    task=t.task_id, text=t.deadline_raw, known=known, frequency=t.frequency, due=t.due_date
                )
            )
        lead, lead_left = resolver.resolve(t.lead_raw, lead=True)
        support, support_left = resolver.resolve(t.support_raw, lead=False)
        for column, left in (
            (T.CAT_ANOMALY_LEAD_COLUMN, lead_left),
            (T.CAT_ANOMALY_SUPPORT_COLUMN, support_left),
        ):
            if left:
                out.append(T.CAT_ANOMALY_UNRESOLVED.format(task=t.task_id, text=left, column=column))
        if set(expand(lead, groups)) != set(expand(t.lead_units.split(), groups)):
            out.append(T.CAT_ANOMALY_LEAD.format(task=t.task_id, units=t.lead_units, resolved=" ".join(lead)))
        if set(expand(support, groups)) != set(expand(t.support_units.split(), groups)):
            out.append(
                T.CAT_ANOMALY_SUPPORT.format(
                    task=t.task_id, units=t.support_units, resolved=" ".join(support)
                )
            )
    return out + twin_anomalies(tasks)
