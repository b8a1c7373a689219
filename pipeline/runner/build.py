"""A period's outputs computed from what the store holds: submissions and rates, the task table,
the scores, the issues — the frames the writers take (:class:`Built`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from pipeline.base.codes import Code
from pipeline.base.issues import ISSUE_COLUMNS, Issue, issue
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.rules.history import Comparison, Past, comparisons, history_issues
from pipeline.runner.period import PeriodData, severity_counts
from pipeline.scoring.merge import assigned, completion, merge_tasks, reporting_rates, submissions
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
    # the checks across periods (in ``issues`` too; kept whole here to mark the feedback files'
    # cells) and, per unit, what its counting return was compared with and what changed
    history: tuple[Issue, ...] = ()
    compared: Mapping[str, tuple[Comparison, ...]] = field(default_factory=dict)


def _duplicates(period: Period, returns: pd.DataFrame) -> pd.DataFrame:
    """A warning on every file of a unit that sent several: only the last received one counts."""
    rows = []
    accepted = returns[returns["accepted"] & (returns["unit_code"] != "")]
    several = accepted["unit_code"].duplicated(keep=False)  # only those units are gone through
    for unit, group in accepted[several.to_numpy()].groupby("unit_code", sort=False):
        names = sorted(group["file"])
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


def issues_frame(period: Period, data: PeriodData, history: Iterable[Issue] = ()) -> pd.DataFrame:
    """Every issue of the period's files: the stored ones and the period's own (several returns
    of one unit, and ``history``: the checks across periods), by file, then sheet, row and
    column, then as found."""
    stored = data.issues
    cols = ISSUE_COLUMNS
    if len(stored):
        frame = stored.assign(unit_code=stored["unit_code"].fillna("")).reindex(columns=[*cols, "id"])
    else:
        frame = pd.DataFrame(columns=[*cols, "id"])
    across = pd.DataFrame([i.as_row() for i in history], columns=ISSUE_COLUMNS)
    own = [d.assign(id=float("inf")) for d in (_duplicates(period, data.returns), across) if len(d)]
    if own:
        frame = pd.concat([frame, *own], ignore_index=True)
    for col in ("sheet", "cell", "field", "value", "unit_code", "file"):
        frame[col] = frame[col].where(frame[col].notna(), "").astype(object)
    keys = [_cell_key(c) for c in frame["cell"]]
    frame = frame.assign(_row=[k[0] for k in keys], _col=[k[1] for k in keys])
    frame = frame.sort_values(["file", "sheet", "_row", "_col", "id"], kind="stable")
    out = frame[cols].reset_index(drop=True)
    out.insert(0, "period", period.id)
    return out


def reported(cat: Catalogue, period: Period, data: PeriodData) -> pd.DataFrame:
    """Per return (``file``): the tasks assigned, the tasks reported and whether it is complete. A
    task is reported when it has a valid status (twins count apart, added tasks not at all); a
    return is complete when every task is reported and no required indicator input is missing."""
    returns = data.returns
    values = data.own_values if data.own_values is not None else data.task_values
    if "added" in values:
        values = values[~values["added"].fillna(False).astype(bool)]
    counted = values[values["status"].notna()].groupby("submission_id")["task_id"].nunique()
    issues = data.issues
    lacking = set(issues.loc[issues["code"] == str(Code.REQUIRED), "file"]) if len(issues) else set()
    n_assigned: list[int | None] = []
    n_reported: list[int | None] = []
    complete: list[bool] = []
    for file, unit, sid, ok in zip(
        returns["file"], returns["unit_code"], returns["submission_id"], returns["accepted"], strict=True
    ):
        if not ok or not unit or not cat.has_unit(str(unit)):
            n, got, done = None, None, False
        else:
            n, got = assigned(cat, period, str(unit)), int(counted.get(sid, 0))
            done = got >= n and file not in lacking
        n_assigned.append(n)
        n_reported.append(got)
        complete.append(done)
    return returns.assign(tasks_assigned=n_assigned, tasks_reported=n_reported, complete=complete)


def build_period(cat: Catalogue, period: Period, data: PeriodData, past: Past | None = None) -> Built:
    """Submissions, rates, the task table, scores and issues of a period, from the store's view;
    with ``past`` (what each return is compared with), the checks across periods and what
    changed."""
    history = tuple(history_issues(cat, past)) if past is not None else ()
    issues = issues_frame(period, data, history)
    errors, warnings = severity_counts(issues)
    returns = reported(cat, period, data).assign(
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
        history=history,
        compared=comparisons(past, cat) if past is not None else {},
    )
