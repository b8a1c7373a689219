"""pandera schemas for the returns of a run, built from the catalogue.

The ``Nhiệm vụ`` schema checks what a done task needs (evidence, a figure when it has a numeric
target); the ``Chỉ số`` schema (one row per return, one column per field id) the fields' types
and ranges (their :mod:`~pipeline.catalogue.field_types` entry), required inputs and the
cross-field checks of ``indicators.yaml``. Every check is named, and :class:`CheckInfo` says
which issue a failure becomes and on which cell.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code, Severity
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.catalogue.field_types import FIELD_TYPES

OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}


@dataclass(frozen=True)
class CheckInfo:
    """What a failure of a named check becomes: its issue, and the frame column whose cell it
    points at; ``slots`` fills the issue's message from the failing row."""

    code: Code
    severity: Severity
    column: str
    slots: Callable[[pd.Series], dict[str, Any]]


def task_schema(cat: Catalogue) -> tuple[pa.DataFrameSchema, dict[str, CheckInfo]]:
    """pandera schema for the Nhiệm vụ frame of a run; checks named for mapping back to cells."""
    targeted = set(cat.tasks.index[cat.tasks["target"] != ""])
    info = {
        "evidence_when_done": CheckInfo(
            Code.EVIDENCE_REQUIRED,
            Severity.ERROR,
            "evidence",
            lambda r: {"task": r.task_id, "done": V.STATUS_DONE, "evidence": V.TASK_EVIDENCE},
        ),
        "result_when_done": CheckInfo(
            Code.RESULT_REQUIRED,
            Severity.ERROR,
            "result_value",
            lambda r: {
                "task": r.task_id,
                "target": cat.tasks.at[r.task_id, "target_raw"],
                "done": V.STATUS_DONE,
                "result": V.TASK_RESULT_VALUE,
            },
        ),
    }
    done = V.STATUS_DONE
    schema = pa.DataFrameSchema(
        {
            "status_label": pa.Column(object, pa.Check.isin(list(V.STATUS_VALUES)), nullable=True),
            "result_value": pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
        },
        checks=[
            pa.Check(
                lambda df: (df["status_label"] != done) | df["evidence"].notna() | df["evidence_bad"],
                name="evidence_when_done",
            ),
            pa.Check(
                lambda df: (
                    (df["status_label"] != done)
                    | ~df["task_id"].isin(targeted)
                    | df["result_value"].notna()
                    | df["result_value_bad"]
                ),
                name="result_when_done",
            ),
        ],
    )
    return schema, info


def _constant(slots: dict[str, Any], _row: pd.Series) -> dict[str, Any]:
    return slots


def _compare(lhs: pd.Series, op: str, rhs: pd.Series | float) -> pd.Series:
    ok = OPS[op](lhs.astype(float), rhs)
    present = lhs.notna() & (rhs.notna() if isinstance(rhs, pd.Series) else True)
    return ~present | ok


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
    info: dict[str, CheckInfo] = {}
    checks: list[pa.Check] = []
    for ind in cat.indicators_for(period.kind):
        for f in ind.fields:
            column = FIELD_TYPES[f.type].column(f)
            if column is not None:
                columns[f.id] = column
            if f.required:
                name = f"required:{f.id}"
                checks.append(
                    pa.Check(
                        lambda df, fid=f.id, iid=ind.id: (
                            df[fid].notna() | ~df[f"resp:{iid}"] | df[f"bad:{fid}"]
                        ),
                        name=name,
                    )
                )
                required = {"what": f.label, "fid": f.id}
                info[name] = CheckInfo(Code.REQUIRED, Severity.ERROR, f.id, partial(_constant, required))
    weeks = cat.weeks(period)
    for n, chk in enumerate(cat.checks):
        if chk.field not in columns:
            continue
        name = f"check:{n}"

        def rhs_of(df: pd.DataFrame, chk: Any = chk) -> pd.Series | float:
            if chk.other is not None:
                times = weeks if chk.times == "weeks" else (chk.times or 1)
                return df[chk.other].astype(float) * float(times)
            if chk.registry is not None:
                return pd.to_numeric(df[f"registry:{chk.registry}"], errors="coerce")
            return float(chk.value if chk.value is not None else np.nan)

        def check_fn(df: pd.DataFrame, chk: Any = chk, rhs_of: Any = rhs_of) -> pd.Series:
            ok = _compare(df[chk.field], chk.op, rhs_of(df))
            if chk.when_field is not None:
                ok = ok | (df[chk.when_field] != chk.when_equals)
            return ok

        checks.append(pa.Check(check_fn, name=name))

        def slots(r: pd.Series, chk: Any = chk, rhs_of: Any = rhs_of) -> dict[str, Any]:
            rhs = rhs_of(pd.DataFrame([r]))
            expected = rhs.iloc[0] if isinstance(rhs, pd.Series) else rhs
            other_value = r.get(chk.other) if chk.other else ""
            note = chk.message.format(
                field=chk.field,
                value=shown(r[chk.field]),
                other=chk.other or "",
                other_value=shown(other_value),
                expected=shown(expected),
            )
            return {"note": note}

        info[name] = CheckInfo(
            Code.CROSS_FIELD if chk.registry is None else Code.VILLAGES_MISMATCH,
            Severity(chk.severity),
            chk.field,
            slots,
        )
    return pa.DataFrameSchema(columns, checks=checks), info


def failures(schema: pa.DataFrameSchema, df: pd.DataFrame) -> pd.DataFrame:
    """pandera's failure cases of ``df`` (column, check, index), validated lazily."""
    if df.empty:
        return pd.DataFrame(columns=["column", "check", "index"])
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        return err.failure_cases
    return pd.DataFrame(columns=["column", "check", "index"])
