"""A period read back from the store (:func:`load_period`): everything its outputs need, from
the store alone, so that rebuilding a period twice, or from a copy of the store in another
database, gives the same files; and every stored period up to it (:func:`load_history`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from pipeline.base import vocabulary as V
from pipeline.base.codes import Severity
from pipeline.base.periods import Period, PeriodError, parse_period
from pipeline.base.text import one_copy
from pipeline.catalogue import Catalogue
from pipeline.catalogue.field_types import FIELD_TYPES
from pipeline.normalize import parse_evidence
from pipeline.rules.task_rows import ADDED_PREFIX
from pipeline.runner.records import RETURNS_AT_ONCE, TASK_LABELS, local
from pipeline.store import Run, Store

TASK_VALUE_COLUMNS = [
    "unit_code",
    "task_id",
    "status",
    "result_value",
    "has_evidence",
    "result",
    "evidence",
    "problems",
    "submission_id",
    "source_period",
]
# with the catalogue (task_values' ``cat``): the rows units added and the evidence read
TASK_VALUE_EXTRA = ["added", "text", "evidence_doc", "evidence_date", "evidence_url"]
_ADDED_KEY = re.compile(rf"-{ADDED_PREFIX}\d+$")
IND_VALUE_COLUMNS = ["unit_code", "field_id", "value", "has_evidence"]


@dataclass(frozen=True)
class PeriodData:
    """A period as the store holds it, in the frames merge and scoring take."""

    returns: (
        pd.DataFrame
    )  # file, sha256, unit_code, received_at, accepted, counting, version, channel, submission_id
    task_values: pd.DataFrame  # TASK_VALUE_COLUMNS, from each task unit's counting return
    ind_values: pd.DataFrame  # IND_VALUE_COLUMNS, from the counting returns of the period
    issues: pd.DataFrame  # submission_id, file, unit_code, sheet, cell, field, value, severity, code, message
    # TASK_VALUE_COLUMNS of every counting monthly return of the year up to the period's end
    # (annual targets are judged on them)
    month_values: pd.DataFrame
    # the task values of every accepted return of the period (its tasks reported, per file)
    own_values: pd.DataFrame | None = None
    known: KnownValues | None = None  # every return's values read here, for the next run


@dataclass(frozen=True)
class KnownValues:
    """Task and indicator values already read from a store's cells, return by return: a stored
    return's cells never change, so a later run of the same code and catalogue reads only the
    cells of the returns it does not know (kept in the run's cache between runs)."""

    store: str  # Reads.identity() of the store they were read from
    # the returns (submission id → its file's sha256: an id given again after a run that did not
    # commit is another return)
    contents: dict[int, str]
    tasks: pd.DataFrame  # task_values(..., cat) of those returns, by submission id
    indicators: pd.DataFrame  # _indicator_values of those returns, by submission id


def _together(*frames: pd.DataFrame) -> pd.DataFrame:
    """Frames of values return by return as one, by submission id (each return's own order); all
    empty: the last of them."""
    parts = [f for f in frames if len(f)]
    if not parts:
        return frames[-1]
    rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return rows.sort_values("submission_id", kind="stable", ignore_index=True)


def _returns(subs: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": subs["file_name"].astype(object),
            "sha256": subs["file_sha256"].astype(object),
            "unit_code": subs["unit_code"].where(subs["unit_code"].notna(), "").astype(object),
            "received_at": [local(t) for t in subs["received_at"]],
            "accepted": (subs["status"] != "rejected").astype(bool),
            "counting": subs["counting"].astype(bool),
            "version": subs["version"].astype(int),
            "channel": subs["channel"].astype(object),
            "submission_id": subs["id"].astype(int),
        }
    )


def _cells_of(store: Store | Run, subs: pd.DataFrame, cells: pd.DataFrame | None) -> pd.DataFrame:
    """The stored cells of these returns: read, or picked from ``cells`` read once for several."""
    if cells is None:
        return store.cells(subs["submission_id"].tolist())
    return cells[cells["submission_id"].isin(set(subs["submission_id"].tolist()))]


def task_values(
    store: Store | Run, subs: pd.DataFrame, cells: pd.DataFrame | None = None, cat: Catalogue | None = None
) -> pd.DataFrame:
    """The validated task values of these returns (``submission_id, unit_code, period``), from
    their stored cells (``cells``: already read, holding at least theirs). With ``cat``: a twin
    row's answer for each of its twins, the rows the unit added (``added``, their ``text``), and
    the evidence read (``evidence_doc``, ``evidence_date``, ``evidence_url``)."""
    columns = [*TASK_VALUE_COLUMNS, *TASK_VALUE_EXTRA]
    if subs.empty:
        return pd.DataFrame(columns=columns)
    cells = _cells_of(store, subs, cells)
    cells = cells[
        (cells["sheet"] == V.SHEET_TASKS)
        & (cells["column_label"].isin(TASK_LABELS) | (cells["column_label"] == V.TASK_TEXT))
    ]
    if cells.empty:
        return pd.DataFrame(columns=columns)
    # one row per (return, row key) it has, one column per label (the first value of each)
    wide = (
        cells.drop_duplicates(["submission_id", "row_key", "column_label"])
        .set_index(["submission_id", "row_key", "column_label"])["value"]
        .unstack("column_label")
        .sort_index()
    )
    wide = wide.reindex(columns=[*TASK_LABELS, V.TASK_TEXT]).astype(object)
    wide = wide.where(wide.notna(), None).reset_index()
    typed = cells.loc[cells["column_label"] == V.TASK_EVIDENCE, ["submission_id", "row_key", "raw"]]
    typed = typed.drop_duplicates(["submission_id", "row_key"]).rename(columns={"raw": "_typed"})
    # a left merge keeps the rows' order: the evidence as typed beside each row
    typed_evidence = wide[["submission_id", "row_key"]].merge(
        typed, on=["submission_id", "row_key"], how="left"
    )
    raw_evidence = [None if isinstance(r, float) and r != r else r for r in typed_evidence["_typed"]]
    owner = subs.set_index("submission_id")
    status = wide[V.TASK_STATUS].map(lambda s: V.STATUS_VALUES.get(s) if isinstance(s, str) else None)
    evidence = [v if v is not None else r for v, r in zip(wide[V.TASK_EVIDENCE], raw_evidence, strict=True)]
    out = pd.DataFrame(
        {
            "unit_code": wide["submission_id"].map(owner["unit_code"]).astype(object),
            "task_id": wide["row_key"].astype(object),
            "status": status.astype(object),
            "result_value": pd.to_numeric(wide[V.TASK_RESULT_VALUE], errors="coerce").astype(float),
            "has_evidence": wide[V.TASK_EVIDENCE].notna().astype(bool),
            "result": wide[V.TASK_RESULT].astype(object),
            "evidence": pd.Series(evidence, dtype=object),
            "problems": wide[V.TASK_PROBLEMS].astype(object),
            "submission_id": wide["submission_id"].astype(int),
            "source_period": wide["submission_id"].map(owner["period"]).astype(object),
            "text": wide[V.TASK_TEXT].astype(object),
        },
    )
    rows = _read_rows(cat, out) if cat is not None else out.reindex(columns=columns)
    # return by return (each return's rows in their order): the values of several returns are
    # those of each, put together (KnownValues)
    return rows.sort_values("submission_id", kind="stable", ignore_index=True)


def _twin_rows(cat: Catalogue, rows: pd.DataFrame) -> pd.DataFrame:
    """A copy of each row for each of its task's twins that the row's unit also reports, in the
    rows' order (one merge, not a frame per row)."""
    pairs = [(task, twin) for task, group in cat.twins.items() for twin in group if twin != task]
    if not pairs or rows.empty:
        return rows.iloc[0:0]
    links = pd.DataFrame(pairs, columns=["task_id", "_twin"])
    found = rows.assign(task_id=rows["task_id"].astype(str)).merge(links, on="task_id", how="inner")
    own: dict[str, set[str]] = {}
    keep = [
        twin in own.setdefault(str(unit), set(cat.task_ids_of(str(unit))))
        for unit, twin in zip(found["unit_code"], found["_twin"], strict=True)
    ]
    found = found[pd.Series(keep, index=found.index, dtype=bool)]  # a mask, even when empty
    return (
        found.assign(task_id=found["_twin"]).drop(columns="_twin").reset_index(drop=True)[list(rows.columns)]
    )


def _read_rows(cat: Catalogue, rows: pd.DataFrame) -> pd.DataFrame:
    """Twins answered on one row given to each twin, added rows marked, the evidence read."""
    known = set(cat.tasks.index)
    added = [str(t) not in known and bool(_ADDED_KEY.search(str(t))) for t in rows["task_id"]]
    rows = rows.assign(added=added)
    twins = _twin_rows(cat, rows)
    if len(twins):  # the row's own task first: a twin answered on its own row keeps its own answer
        rows = pd.concat([twins, rows], ignore_index=True)
        rows = rows.drop_duplicates(["submission_id", "task_id"], keep="last").reset_index(drop=True)
    # texts repeat: each read once, and each row of one text given the same three texts back
    parsed = {e: _evidence_texts(e) for e in set(rows["evidence"]) if isinstance(e, str)}
    blank = _evidence_texts(None)
    read = [parsed[e] if isinstance(e, str) else blank for e in rows["evidence"]]
    rows = rows.assign(
        evidence_doc=[r[0] for r in read],
        evidence_url=[r[1] for r in read],
        evidence_date=[r[2] for r in read],
        text=rows["text"].where(rows["added"], None),
    )
    return rows.reindex(columns=[*TASK_VALUE_COLUMNS, *TASK_VALUE_EXTRA])


def _evidence_texts(evidence: str | None) -> tuple[str, str, str]:
    """The documents, links and date (ISO) read in an evidence text."""
    read = parse_evidence(evidence)
    return read.doc_text, read.url_text, read.date.isoformat() if read.date else ""


def _indicator_values(
    cat: Catalogue, store: Store | Run, subs: pd.DataFrame, cells: pd.DataFrame | None = None
) -> pd.DataFrame:
    if subs.empty:
        return pd.DataFrame(columns=[*IND_VALUE_COLUMNS, "submission_id"])
    cells = _cells_of(store, subs, cells)
    cells = cells[cells["sheet"] == V.SHEET_INDICATORS]
    if cells.empty:
        return pd.DataFrame(columns=[*IND_VALUE_COLUMNS, "submission_id"])
    wide = cells.pivot_table(
        index=["submission_id", "row_key"],
        columns="column_label",
        values="value",
        aggfunc="first",
        dropna=False,
    )
    wide = wide.reindex(columns=[V.IND_VALUE, V.IND_EVIDENCE]).astype(object)
    wide = wide.where(wide.notna(), None).reset_index()
    fields = cat.fields()

    def typed(fid: str, value: Any) -> Any:
        if value is None or fid not in fields:
            return value
        return float(value) if FIELD_TYPES[fields[fid][1].type].numeric else value

    owner = subs.set_index("submission_id")["unit_code"]
    return pd.DataFrame(
        {
            "unit_code": wide["submission_id"].map(owner).astype(object),
            "field_id": wide["row_key"].astype(object),
            "value": [typed(f, v) for f, v in zip(wide["row_key"], wide[V.IND_VALUE], strict=True)],
            "has_evidence": wide[V.IND_EVIDENCE].notna().astype(bool),
            "submission_id": wide["submission_id"].astype(int),
        },
        columns=[*IND_VALUE_COLUMNS, "submission_id"],
    )


def _months_of(stored: Iterable[str], start: date, end: date) -> list[str]:
    """The stored monthly periods within [start, end], oldest first."""
    out = []
    for pid in stored:
        try:
            p = parse_period(pid)
        except PeriodError:
            continue
        if p.kind == "month" and start <= p.start and p.end <= end:
            out.append(p.id)
    return sorted(out)


def _counting(store: Store | Run, locality: str, periods: Iterable[str]) -> pd.DataFrame:
    frames = []
    for pid in periods:
        subs = store.submissions(pid, locality=locality)
        subs = subs[subs["counting"] & subs["unit_code"].notna()]
        frames.append(
            pd.DataFrame(
                {
                    "submission_id": subs["id"],
                    "unit_code": subs["unit_code"],
                    "period": pid,
                    "sha256": subs["file_sha256"],
                }
            )
        )
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["submission_id", "unit_code", "period", "sha256"])
    )


def load_period(
    store: Store | Run, cat: Catalogue, locality: str, period: Period, known: KnownValues | None = None
) -> PeriodData:
    """Everything the period's outputs are built from, read from the store alone (with ``known``,
    a last run's values of the same store: the cells of the returns it holds are not read again)."""
    subs = store.submissions(period.id, locality=locality)
    returns = _returns(subs) if not subs.empty else pd.DataFrame(columns=list(_returns(subs).columns))
    own = _counting(store, locality, [period.id])
    kind = cat.period_kinds[period.kind]
    stored = store.periods(locality=locality)
    months = _months_of(stored, period.start, period.end) if kind.tasks_from == "month" else []
    month_subs = _counting(store, locality, months)
    # the year's months so far: what a quarter's or a year's annual targets add up (a month has none)
    yearly = period.kind in ("quarter", "year")
    year_months = _months_of(stored, date(period.year, 1, 1), period.end) if yearly else []
    year_subs = _counting(store, locality, year_months)
    if kind.tasks_from == "month":
        # each unit's latest month within the period; a unit with none, its own return's tasks (an
        # older template of the period that still had them)
        latest = month_subs.sort_values(["period", "submission_id"]).groupby("unit_code").tail(1)
        fallback = own[~own["unit_code"].isin(set(latest["unit_code"]))]
        task_subs = pd.concat([latest, fallback], ignore_index=True)
    else:
        task_subs = own
    issues = store.issues(returns["submission_id"].tolist()) if len(returns) else pd.DataFrame()
    if len(issues):
        by_id = returns.set_index("submission_id")
        issues = issues.assign(
            file=issues["submission_id"].map(by_id["file"]),
            unit_code=issues["submission_id"].map(by_id["unit_code"]),
        )
    accepted = returns[returns["accepted"] & (returns["unit_code"] != "")]
    every = pd.DataFrame(
        {
            "submission_id": accepted["submission_id"],
            "unit_code": accepted["unit_code"],
            "period": period.id,
            "sha256": accepted["sha256"],
        }
    )
    wanted = pd.concat([task_subs, own, year_subs, every], ignore_index=True)
    # each return's values read once (a month's counting returns are among its accepted ones): a
    # return belongs to one unit and period, so the union's rows are each group's rows
    union = wanted.drop_duplicates("submission_id")
    identity = store.identity()
    contents = dict(zip(union["submission_id"].astype(int).tolist(), union["sha256"].tolist(), strict=True))
    usable = known.contents if known is not None and known.store == identity else {}
    have = {i for i, sha in contents.items() if usable.get(i) == sha}
    unread = union[~union["submission_id"].isin(have)]
    values, indicators = _read_values(store, cat, unread)
    if have and known is not None:
        values = _together(known.tasks[known.tasks["submission_id"].isin(have)], values)
        indicators = _together(known.indicators[known.indicators["submission_id"].isin(have)], indicators)
    return PeriodData(
        returns=returns,
        task_values=_of(values, task_subs),
        ind_values=_of(indicators, own).reindex(columns=IND_VALUE_COLUMNS),
        issues=issues,
        month_values=_of(values, year_subs),
        own_values=_of(values, every),
        known=KnownValues(identity, contents, values, indicators),
    )


_TYPED_TEXTS = ("result", "evidence", "problems")  # texts typed, read as one object per cell


def _read_values(store: Store | Run, cat: Catalogue, subs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The task and indicator values of these returns from their stored cells, read
    :data:`RETURNS_AT_ONCE` returns at a time (a period's cells are never all in memory at once);
    return by return, as one read would give them."""
    ids = sorted(set(subs["submission_id"].astype(int).tolist()))
    tasks = [task_values(store, subs.iloc[0:0], None, cat)]
    indicators = [_indicator_values(cat, store, subs.iloc[0:0], None)]
    memo: dict[str, str] = {}  # the texts typed: each one object, however many rows repeat it
    for i in range(0, len(ids), RETURNS_AT_ONCE):
        chunk = ids[i : i + RETURNS_AT_ONCE]
        some = subs[subs["submission_id"].isin(chunk)]
        cells = store.cells(chunk)
        values = task_values(store, some, cells, cat)
        shared = {
            c: pd.Series(one_copy(values[c], memo), index=values.index, dtype=object) for c in _TYPED_TEXTS
        }
        tasks.append(values.assign(**shared))
        indicators.append(_indicator_values(cat, store, some, cells))
    return _together(*tasks), _together(*indicators)


def _of(values: pd.DataFrame, subs: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``values`` (:func:`task_values` of several returns) of these returns, in order."""
    picked = values[values["submission_id"].isin(set(subs["submission_id"].tolist()))]
    return picked.reset_index(drop=True)


def severity_counts(issues: pd.DataFrame) -> tuple[dict[str, int], dict[str, int]]:
    """Errors and warnings per file."""
    errors: dict[str, int] = {}
    warnings: dict[str, int] = {}
    for file, severity in zip(issues.get("file", []), issues.get("severity", []), strict=True):
        target = errors if severity == str(Severity.ERROR) else warnings
        target[file] = target.get(file, 0) + 1
    return errors, warnings


@dataclass(frozen=True)
class HistoryData:
    """Every stored period of the locality, for the history sheet and ``data/history.csv``."""

    periods: tuple[Period, ...]
    statuses: dict[str, dict[str, str]]  # period → unit → status of its counting return
    scores: pd.DataFrame  # period, unit_code, indicator_id, score, ...
    task_rows: pd.DataFrame  # period, task_id, status, unproven, pillar, rows (how many units')


def periods_up_to(ids: Iterable[str], upto: Period) -> list[Period]:
    """The stored periods a report of ``upto`` looks back on, oldest first: those that end before
    it and those inside it (its months); not the year when the report is of its last quarter."""
    out = []
    for pid in ids:
        try:
            p = parse_period(pid)
        except PeriodError:
            continue
        if p.end < upto.end or (p.end == upto.end and p.start >= upto.start):
            out.append(p)
    return sorted(out, key=lambda p: (p.end, p.end - p.start))


def load_history(store: Store | Run, cat: Catalogue, locality: str, upto: Period) -> HistoryData:
    """The stored periods up to ``upto`` (its own included), oldest first."""
    periods = periods_up_to(store.periods(locality=locality), upto)
    statuses: dict[str, dict[str, str]] = {}
    for p in periods:
        subs = store.submissions(p.id, locality=locality)
        subs = subs[subs["counting"] & subs["unit_code"].notna()]
        statuses[p.id] = dict(zip(subs["unit_code"], subs["status"], strict=True))
    ids = [p.id for p in periods]
    scores = store.scores(ids, locality=locality) if ids else pd.DataFrame()
    rows = (
        store.task_counts([p.id for p in periods if p.kind == "month"], locality=locality)
        if ids
        else pd.DataFrame()
    )
    if len(rows):
        rows = rows.assign(pillar=rows["task_id"].map(cat.tasks["pillar"]))
    return HistoryData(tuple(periods), statuses, scores, rows)
