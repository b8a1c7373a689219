"""What a period's returns are compared with, read from the store: each unit's previous version
of the period, its returns of the previous periods of the same kind, and their stored cells
(:class:`pipeline.rules.history.Past`). Only the cells of the units that have something to be
compared with are read."""

from __future__ import annotations

import pandas as pd

from pipeline.base.periods import Period, previous_period
from pipeline.rules.history import RETURN_COLUMNS, Past
from pipeline.store import Run, Store

EARLIER_MONTHS = 2  # a month is compared with the two before it (values copied three months running)


def _counting(store: Store | Run, locality: str, period: str) -> pd.DataFrame:
    subs = store.submissions(period, locality=locality)
    subs = subs[subs["counting"] & subs["unit_code"].notna()]
    return pd.DataFrame(
        {
            "unit_code": subs["unit_code"].astype(object),
            "submission_id": subs["id"].astype(int),
            "file": subs["file_name"].astype(object),
            "received_at": subs["received_at"],
        },
        columns=RETURN_COLUMNS,
    ).reset_index(drop=True)


def _previous_versions(returns: pd.DataFrame) -> pd.DataFrame:
    """Per unit, the accepted return received last before its counting one (a correction's
    predecessor): the runner-up in the order that chose the counting return."""
    live = returns[returns["accepted"] & (returns["unit_code"] != "")]
    several = live["unit_code"].value_counts()
    live = live[live["unit_code"].isin(several.index[several > 1])]  # most units sent one file
    rows = []
    for _unit, group in live.groupby("unit_code", sort=True):
        if len(group) < 2 or not group["counting"].any():
            continue
        ordered = group.assign(_when=pd.to_datetime(group["received_at"])).sort_values(["_when", "version"])
        now = ordered[ordered["counting"]].iloc[-1]
        before = ordered[
            (ordered["_when"] < now["_when"])
            | ((ordered["_when"] == now["_when"]) & (ordered["version"] < now["version"]))
        ]
        if len(before):
            rows.append(before.iloc[-1])
    if not rows:
        return pd.DataFrame(columns=RETURN_COLUMNS)
    frame = pd.DataFrame(rows)
    return pd.DataFrame(
        {
            "unit_code": frame["unit_code"].astype(object),
            "submission_id": frame["submission_id"].astype(int),
            "file": frame["file"].astype(object),
            "received_at": frame["received_at"],
        },
        columns=RETURN_COLUMNS,
    ).reset_index(drop=True)


def load_past(store: Store | Run, locality: str, period: Period, returns: pd.DataFrame) -> Past:
    """The period's counting returns (``returns``: :attr:`PeriodData.returns`) and what each is
    compared with: the unit's previous version, its returns of the previous period of the same
    kind (and, for a month, of the month before that)."""
    counting = returns[returns["counting"] & (returns["unit_code"] != "")]
    current = pd.DataFrame(
        {
            "unit_code": counting["unit_code"].astype(object),
            "submission_id": counting["submission_id"].astype(int),
            "file": counting["file"].astype(object),
            "received_at": counting["received_at"],
        },
        columns=RETURN_COLUMNS,
    ).reset_index(drop=True)
    versions = _previous_versions(returns)
    stored = set(store.periods(locality=locality))
    earlier: dict[str, pd.DataFrame] = {}
    back = period
    for _ in range(EARLIER_MONTHS if period.kind == "month" else 1):
        back = previous_period(back)
        if back.id not in stored:
            break
        earlier[back.id] = _counting(store, locality, back.id)
    units = set(current["unit_code"])
    compared = set(versions["unit_code"]) | {u for frame in earlier.values() for u in frame["unit_code"]}
    units &= compared
    ids = set(current.loc[current["unit_code"].isin(units), "submission_id"])
    ids |= set(versions["submission_id"])
    for frame in earlier.values():
        ids |= set(frame.loc[frame["unit_code"].isin(units), "submission_id"])
    cells = (
        store.cells(sorted(int(i) for i in ids))
        if ids
        else pd.DataFrame(
            columns=["submission_id", "sheet", "cell", "row_key", "column_label", "raw", "value"]
        )
    )
    return Past(period=period, current=current, versions=versions, earlier=earlier, cells=cells)
