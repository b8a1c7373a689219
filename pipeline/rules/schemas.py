"""pandera schemas for the returns of a run, built from the catalogue and the marks.

The ``Nhiệm vụ`` schema holds the marks of a task row (:func:`~pipeline.rules.marks.task_rules`:
a task left without a status, a done task without evidence or without its figure, evidence that
says nothing); the ``Chỉ số`` schema (one row per return, one column per field id) the fields'
types and ranges (their :mod:`~pipeline.catalogue.field_types` entry), required inputs, evidence
and the cross-field checks of ``indicators.yaml``
(:func:`~pipeline.rules.marks.indicator_rules`). The template's formulas are the same marks, so
what the clerk sees while typing is what a run finds. Every check is named after its mark, and
:class:`CheckInfo` says which issue a failure becomes and on which cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code, Severity
from pipeline.base.messages import notes
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.catalogue.field_types import FIELD_TYPES
from pipeline.rules.conditions import CellRule
from pipeline.rules.marks import EVIDENCE, RESULT, STATUS, indicator_rules, task_rules


@dataclass(frozen=True)
class CheckInfo:
    """What a failure of a named check becomes: its issue, and the frame column whose cell it
    points at; ``slots`` fills the issue's message from the failing row."""

    code: Code
    severity: Severity
    column: str
    slots: Callable[[pd.Series], dict[str, Any]]
    variant: str = ""


def _check(rule: CellRule) -> pa.Check:
    return pa.Check(lambda df, r=rule: ~r.fails.frame(df), name=rule.name)


def task_schema(cat: Catalogue) -> tuple[pa.DataFrameSchema, dict[str, CheckInfo]]:
    """pandera schema for the Nhiệm vụ frame of a run; checks named for mapping back to cells."""
    statuses = "; ".join(f"«{s}»" for s in V.STATUS_VALUES)
    slots: dict[str, Callable[[pd.Series], dict[str, Any]]] = {
        "not_reported": lambda r: {"task": r.task_id, "status": V.TASK_STATUS, "listing": statuses},
        "evidence_when_done": lambda r: {
            "task": r.task_id,
            "done": V.STATUS_DONE,
            "evidence": V.TASK_EVIDENCE,
        },
        "evidence_placeholder": lambda r: {"text": r.evidence, "example": notes.DOC_EXAMPLE},
        "result_when_done": lambda r: {
            "task": r.task_id,
            "target": cat.tasks.at[r.task_id, "target_raw"],
            "done": V.STATUS_DONE,
            "result": V.TASK_RESULT_VALUE,
        },
    }
    rules = [r for r in task_rules(cat.vocabulary.placeholders) if not r.parser]
    info = {r.name: CheckInfo(r.code, r.severity, r.column, slots[r.name]) for r in rules}
    schema = pa.DataFrameSchema(
        {
            STATUS: pa.Column(object, pa.Check.isin(list(V.STATUS_VALUES)), nullable=True),
            RESULT: pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
            EVIDENCE: pa.Column(object, nullable=True),
        },
        checks=[_check(r) for r in rules],
    )
    return schema, info


def _constant(slots: dict[str, Any], _row: pd.Series) -> dict[str, Any]:
    return slots


def _placeholder(column: str, row: pd.Series) -> dict[str, Any]:
    return {"text": row[column], "example": notes.DOC_EXAMPLE}


def shown(value: Any) -> str:
    """A value as a check's message shows it: ``16``, ``2,5``, nothing for a blank."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float):
        return V.short_number(value)
    return str(value)


def indicator_schema(cat: Catalogue, period: Period) -> tuple[pa.DataFrameSchema, dict[str, CheckInfo]]:
    """pandera schema for the wide Chỉ số frame (one row per return, one column per field id)."""
    columns: dict[str, pa.Column] = {}
    indicators = cat.indicators_for(period.kind)
    for ind in indicators:
        for f in ind.fields:
            column = FIELD_TYPES[f.type].column(f)
            if column is not None:
                columns[f.id] = column
    weeks = cat.weeks(period)
    fields = cat.fields()
    info: dict[str, CheckInfo] = {}
    rules = [r for r in indicator_rules(cat, indicators, weeks) if not r.parser]
    for rule in rules:
        kind, _, key = rule.name.partition(":")
        if kind == "required":
            ind, f = fields[key]
            required = {
                "what": f.label,
                "fid": f.id,
                "indicator": ind.id,
                "points": V.number(ind.max_score),
            }
            info[rule.name] = CheckInfo(rule.code, rule.severity, f.id, partial(_constant, required))
        elif kind == "placeholder":
            info[rule.name] = CheckInfo(
                rule.code,
                rule.severity,
                rule.column,
                partial(_placeholder, rule.column),
            )
        elif kind == "evidence":
            ind = next(i for i in indicators if i.id == key)
            slots = {
                "indicator": ind.id,
                "points": V.number(ind.max_score),
                "evidence_text": cat.evidence_text,
                "column": V.IND_EVIDENCE,
            }
            info[rule.name] = CheckInfo(rule.code, rule.severity, rule.column, partial(_constant, slots))
        else:  # a cross-field check of indicators.yaml
            chk = cat.checks[int(key)]

            def note(r: pd.Series, chk: Any = chk) -> dict[str, Any]:
                if chk.other is not None:
                    times = weeks if chk.times == "weeks" else (chk.times or 1)
                    other = pd.to_numeric(pd.Series([r.get(chk.other)]), errors="coerce").iloc[0]
                    expected = other * float(times)
                elif chk.registry is not None:
                    expected = pd.to_numeric(
                        pd.Series([r.get(f"registry:{chk.registry}")]), errors="coerce"
                    ).iloc[0]
                else:
                    expected = chk.value
                text = chk.message.format(
                    field=chk.field,
                    value=shown(r[chk.field]),
                    other=chk.other or "",
                    other_value=shown(r.get(chk.other)) if chk.other else "",
                    expected=shown(expected),
                )
                return {"note": text}

            info[rule.name] = CheckInfo(rule.code, rule.severity, rule.column, note)
    return pa.DataFrameSchema(columns, checks=[_check(r) for r in rules]), info


def failures(schema: pa.DataFrameSchema, df: pd.DataFrame) -> pd.DataFrame:
    """pandera's failure cases of ``df`` (column, check, index), validated lazily."""
    if df.empty:
        return pd.DataFrame(columns=["column", "check", "index"])
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        return err.failure_cases
    return pd.DataFrame(columns=["column", "check", "index"])
