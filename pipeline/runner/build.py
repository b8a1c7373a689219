"""A period's outputs computed from what the store holds: submissions and rates, the task table,
the scores, the issues — the frames the writers take (:class:`Built`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.base.codes import Code
from pipeline.base.issues import ISSUE_COLUMNS, issue
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.runner.records import PeriodData, severity_counts
from pipeline.scoring.merge import completion, merge_tasks, reporting_rates, submissions
from pipeline.scoring.scores import score_indicators


@dataclass(frozen=True)
class Built:
    """The frames of a period's outputs, before the writers."""

    subs: pd.DataFrame  # merge.submissions
    rates: pd.DataFrame
    merged: pd.DataFrame  # merge.merge_tasks
    scores: pd.DataFrame
    issues: pd.DataFrame  # period + ISSUE_COLUMNS, in order
    by_pillar: pd.DataFrame
    by_unit: pd.DataFrame


def _duplicates(period: Period, returns: pd.DataFrame) -> pd.DataFrame:
    """A warning on every file of a unit that sent several: only the last received one counts."""
    rows = []
    accepted = returns[returns["accepted"] & (returns["unit_code"] != "")]
    for unit, group in accepted.groupby("unit_code", sort=False):
        names = sorted(group["file"])
        if len(names) < 2:
            continue
        listed = ", ".join(f"«{n}»" for n in names)
        for name in group["file"]:
            found = issue(
                Code.DUPLICATE_RETURN,
                file=name,
                unit_code=str(unit),
                unit=str(unit),
                count=len(names),
                period=period.id,
                files=listed,
            )
            rows.append(found.as_row())
    return pd.DataFrame(rows, columns=ISSUE_COLUMNS)


def _cell_key(cell: str) -> tuple[int, int]:
    """(row, column) of an A1 cell for sorting; a whole-file issue first."""
    if not cell:
        return (-1, -1)
    letters = "".join(c for c in cell if c.isalpha())
    digits = "".join(c for c in cell if c.isdigit())
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return (int(digits or 0), col)


def issues_frame(period: Period, data: PeriodData) -> pd.DataFrame:
    """Every issue of the period's files: the stored ones and the period's own (several returns
    of one unit), by file, then sheet, row and column, then as found."""
    stored = data.issues
    cols = ISSUE_COLUMNS
    if len(stored):
        frame = stored.assign(unit_code=stored["unit_code"].fillna("")).reindex(columns=[*cols, "id"])
    else:
        frame = pd.DataFrame(columns=[*cols, "id"])
    dup = _duplicates(period, data.returns).assign(id=float("inf"))
    frame = pd.concat([frame, dup], ignore_index=True) if len(dup) else frame
    for col in ("sheet", "cell", "field", "value", "unit_code", "file"):
        frame[col] = frame[col].where(frame[col].notna(), "").astype(object)
    keys = [_cell_key(c) for c in frame["cell"]]
    frame = frame.assign(_row=[k[0] for k in keys], _col=[k[1] for k in keys])
    frame = frame.sort_values(["file", "sheet", "_row", "_col", "id"], kind="stable")
    out = frame[cols].reset_index(drop=True)
    out.insert(0, "period", period.id)
    return out


def build_period(cat: Catalogue, period: Period, data: PeriodData) -> Built:
    """Submissions, rates, the task table, scores and issues of a period, from the store's view."""
    issues = issues_frame(period, data)
    errors, warnings = severity_counts(issues)
    returns = data.returns.assign(
        errors=[errors.get(f, 0) for f in data.returns["file"]],
        warnings=[warnings.get(f, 0) for f in data.returns["file"]],
    )
    subs = submissions(cat, period, returns)
    merged = merge_tasks(cat, period, data.task_values, data.month_values)
    scores = score_indicators(cat, period, data.ind_values)
    return Built(
        subs=subs,
        rates=reporting_rates(cat, period, subs),
        merged=merged,
        scores=scores,
        issues=issues,
        by_pillar=completion(merged, "pillar"),
        by_unit=completion(merged, "unit_code"),
    )
