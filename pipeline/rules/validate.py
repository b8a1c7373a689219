"""The batch half of validation: every prepared return of a run checked at once, one pandera pass
per sheet kind, each failure mapped back to its file, sheet, A1 cell and field as an issue.

An error keeps the value out of scoring; a warning keeps it in.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code, Severity
from pipeline.base.issues import Issue, issue
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.intake import RawReturn
from pipeline.rules.extract import Prepared, prepare
from pipeline.rules.feeds import feeds_disagree
from pipeline.rules.marks import (
    EVIDENCE,
    LABELS,
    RESULT,
    STATUS,
    bad_of,
    evidence_of,
    registry_of,
    responsible_of,
)
from pipeline.rules.schemas import failures, indicator_schema, task_schema


@dataclass(frozen=True)
class Validated:
    """What validation found in each file, kept between runs (a run's cache) so that a re-run
    validates only the files it has not seen: per file (its name), the content it was found in,
    the issues the checks raised (not the reader's), and its rows with the errors dropped."""

    contents: dict[str, str]  # file → sha256
    found: dict[str, tuple[Issue, ...]]  # file → the checks' issues, in the order they were found
    tasks: pd.DataFrame
    indicators: pd.DataFrame

    def knows(self, p: Prepared) -> bool:
        return self.contents.get(p.file) == p.source.sha256


@dataclass
class Checked:
    """A run's returns after identification and validation."""

    prepared: list[Prepared]
    accepted: dict[str, str]  # file → unit_code, for the returns that count as received
    tasks: pd.DataFrame  # CHECKED_TASK_COLUMNS: the rows after validation (an error's value dropped)
    indicators: pd.DataFrame  # file, unit_code, field_id, value, evidence, has_evidence
    issues: list[Issue] = field(default_factory=list)
    validated: Validated | None = None  # to give the next run (check_prepared's ``earlier``)


# What a run takes from the checked task rows (the values stored for each cell, and what tests and
# callers read); the rest of each row (its cells, the parse flags, the evidence read) has done its
# work in the checks, and would cost the run's memory and the cache's pickle.
CHECKED_TASK_COLUMNS = (
    "file",
    "unit_code",
    "task_id",
    "role",
    "status",
    "status_label",
    "result_value",
    "result",
    "evidence",
    "has_evidence",
    "problems",
    "text",
    "added",
)


def _concat(parts: list[dict[str, list[object]]]) -> pd.DataFrame:
    """One frame from the columns of many returns."""
    keys = next((list(p) for p in parts if p), [])
    return pd.DataFrame({k: [v for p in parts if p for v in p[k]] for k in keys})


def check_prepared(
    cat: Catalogue,
    period: Period,
    prepared: Iterable[Prepared],
    timings: dict[str, float] | None = None,
    earlier: Validated | None = None,
) -> Checked:
    """Validate every prepared return of a run at once: one pandera pass per sheet kind.

    Every check looks at one file at a time (the several files of a unit are the run's own
    check, :func:`_duplicates`), so with ``earlier`` (what an earlier run of the same code,
    catalogue and period found) only the files it has not seen are validated; the others take
    their issues and rows from it, and each file's issues come out in the same order."""
    prepared = list(prepared)
    started = time.perf_counter()
    known = {p.file for p in prepared if earlier is not None and earlier.knows(p)}
    fresh = [p for p in prepared if p.file not in known]
    issues = [i for p in prepared for i in p.issues]
    accepted = {p.file: p.unit for p in prepared if p.unit is not None}
    issues += _duplicates(cat, period, accepted)
    tasks = _concat([p.tasks for p in fresh])
    indicators = _concat([p.indicators for p in fresh])
    checks = _validate_tasks(cat, tasks)
    checks += _validate_indicators(cat, period, indicators)
    checks += feeds_disagree(cat, period, tasks, indicators)
    found: dict[str, list[Issue]] = {p.file: [] for p in fresh}
    for i in checks:
        found[i.file].append(i)
    if earlier is not None:
        found.update({f: list(earlier.found[f]) for f in known})
    issues = _dedupe([*issues, *(i for p in prepared for i in found[p.file])])
    tasks, indicators = _drop_errors(tasks, indicators, issues)
    tasks = tasks[[c for c in CHECKED_TASK_COLUMNS if c in tasks.columns]]
    if known and earlier is not None:
        order = {p.file: n for n, p in enumerate(prepared)}
        tasks = _with_earlier(earlier.tasks, tasks, known, order)
        indicators = _with_earlier(earlier.indicators, indicators, known, order)
    validated = Validated(
        contents={p.file: p.source.sha256 for p in prepared},
        found={f: tuple(v) for f, v in found.items()},
        tasks=tasks,
        indicators=indicators,
    )
    if timings is not None:
        timings["validate"] = timings.get("validate", 0.0) + time.perf_counter() - started
    return Checked(
        prepared=prepared,
        accepted=accepted,
        tasks=tasks,
        indicators=indicators,
        issues=issues,
        validated=validated,
    )


def _with_earlier(
    earlier: pd.DataFrame, fresh: pd.DataFrame, known: set[str], order: dict[str, int]
) -> pd.DataFrame:
    """The rows of the files validated before (``earlier``'s) with the fresh ones, in the files'
    order, each file's rows in their own order: as if all had been validated together."""
    kept = earlier[earlier["file"].isin(known)] if len(earlier) else earlier
    parts = [f for f in (kept, fresh) if len(f)]
    if not parts:
        return fresh
    rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    position = rows["file"].map(order)
    return rows.iloc[position.argsort(kind="stable")].reset_index(drop=True)


def check_returns(cat: Catalogue, period: Period, returns: Iterable[RawReturn]) -> Checked:
    """Identify, normalise and validate every return of a run; collect every issue."""
    return check_prepared(cat, period, [prepare(cat, period, r) for r in returns])


def _duplicates(cat: Catalogue, period: Period, accepted: dict[str, str]) -> list[Issue]:
    """A warning on every file of a unit that sent several: only the last received one counts."""
    files: dict[str, list[str]] = {}
    for file, unit in accepted.items():
        files.setdefault(unit, []).append(file)
    out = []
    for unit, names in files.items():
        if len(names) < 2:
            continue
        listed = ", ".join(f"«{n}»" for n in sorted(names))
        for name in names:
            out.append(
                issue(
                    Code.DUPLICATE_RETURN,
                    file=name,
                    unit_code=unit,
                    unit=cat.unit_name(unit),
                    count=len(names),
                    period=period.label,
                    files=listed,
                )
            )
    return out


_TASK_CELLS = {STATUS: "status_cell", RESULT: "result_value_cell", EVIDENCE: "evidence_cell"}


def _validate_tasks(cat: Catalogue, tasks: pd.DataFrame) -> list[Issue]:
    if tasks.empty:
        return []
    schema, info = task_schema(cat)
    out = []
    for case in _in_order(failures(schema, tasks), info).itertuples(index=False):
        meta = info[str(case.check)]
        r = tasks.loc[int(case.index)]
        label = LABELS[meta.column]
        out.append(
            issue(
                meta.code,
                severity=meta.severity,
                file=r.file,
                unit_code=r.unit_code,
                sheet=r.sheet,
                cell=r[_TASK_CELLS[meta.column]],
                field=f"{r.task_id}:{label}",
                value=r[meta.column],
                label=label,
                **meta.slots(r),
            )
        )
    return out


def _in_order(cases: pd.DataFrame, info: Mapping[str, object]) -> pd.DataFrame:
    """The failure cases of the schema's row checks (``info``'s), check by check in the schema's
    order, each check's rows in the frame's order; column-level value checks (no row) are left
    out, the normalizer already reported them. pandera's own order of a check's cases depends on
    the other rows of the batch; this one does not, so a file's issues (and which of two on one
    cell is kept) are the same whichever files it was validated with."""
    rank = {name: n for n, name in enumerate(info)}
    known = cases[cases["check"].astype(str).isin(rank) & cases["index"].notna()]
    keys = pd.DataFrame(
        {"rank": known["check"].astype(str).map(rank), "row": pd.to_numeric(known["index"])},
        index=known.index,
    )
    return known.loc[keys.sort_values(["rank", "row"], kind="stable").index]


def _wide_indicators(cat: Catalogue, period: Period, rows: pd.DataFrame) -> _Wide:
    """The Chỉ số rows of a run as one row per return: values, evidence (``ev:<id>``), parse
    failures (``bad:<id>``), whether the unit answers each indicator (``resp:<id>``) and the
    registry values the checks compare with (``registry:<column>``)."""
    wide = rows.pivot(index="file", columns="field_id", values="value")
    bad = rows.pivot(index="file", columns="field_id", values="value_bad")
    evidence = rows.pivot(index="file", columns="field_id", values="evidence")
    cells = rows.pivot(index="file", columns="field_id", values="value_cell")
    evidence_cells = rows.pivot(index="file", columns="field_id", values="evidence_cell")
    units = rows.groupby("file")["unit_code"].first()
    sheets = rows.groupby("file")["sheet"].first()
    fields = [f.id for ind in cat.indicators_for(period.kind) for f in ind.fields]
    for frame, empty in ((wide, None), (bad, False), (evidence, None), (cells, ""), (evidence_cells, "")):
        for fid in fields:
            if fid not in frame:
                frame[fid] = empty
    wide = wide.astype(object).where(wide.notna(), None)
    for fid in fields:
        wide[bad_of(fid)] = bad[fid].fillna(False).astype(bool)
        wide[evidence_of(fid)] = evidence[fid].astype(object).where(evidence[fid].notna(), None)
    for ind in cat.indicators_for(period.kind):
        wide[responsible_of(ind.id)] = units.isin(frozenset(ind.responsible)).astype(bool)
    for chk in cat.checks:
        if chk.registry:
            wide[registry_of(chk.registry)] = units.map(
                lambda u, col=chk.registry: cat.units.at[u, col] if col in cat.units.columns else ""
            ).replace("", None)
    return _Wide(wide.reset_index(), units, sheets, cells, evidence_cells)


@dataclass(frozen=True)
class _Wide:
    frame: pd.DataFrame
    units: pd.Series
    sheets: pd.Series
    cells: pd.DataFrame  # file × field id → the value's A1 cell
    evidence_cells: pd.DataFrame

    def cell(self, file: str, column: str) -> tuple[str, str, str]:
        """(A1 cell, field id, column label) of a named cell of the wide frame."""
        if column.startswith("ev:"):
            fid = column[3:]
            return self.evidence_cells.at[file, fid], fid, V.IND_EVIDENCE
        return (self.cells.at[file, column] if column in self.cells else ""), column, V.IND_VALUE


def _validate_indicators(cat: Catalogue, period: Period, rows: pd.DataFrame) -> list[Issue]:
    if rows.empty:
        return []
    schema, info = indicator_schema(cat, period)
    wide = _wide_indicators(cat, period, rows)
    out = []
    for case in _in_order(failures(schema, wide.frame), info).itertuples(index=False):
        meta = info[str(case.check)]
        r = wide.frame.loc[int(case.index)]
        cell, fid, label = wide.cell(r.file, meta.column)
        out.append(
            issue(
                meta.code,
                severity=meta.severity,
                file=r.file,
                unit_code=wide.units[r.file],
                sheet=wide.sheets[r.file],
                cell=cell,
                field=fid,
                value=r[meta.column],
                label=label,
                **meta.slots(r),
            )
        )
    return out


def _dedupe(issues: list[Issue]) -> list[Issue]:
    """One issue per cell and code; a cell that failed to parse gets no follow-up 'required' error."""
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for found in issues:
        key = (found.file, found.sheet, found.cell or found.field, found.code)
        if found.cell and key in seen:
            continue
        seen.add(key)
        out.append(found)
    return out


def _drop_errors(
    tasks: pd.DataFrame, indicators: pd.DataFrame, issues: list[Issue]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values with an error are kept out of merging and scoring; evidence with an error (a
    placeholder) is kept as text but is no evidence."""
    errors = {(i.file, i.cell) for i in issues if i.severity == Severity.ERROR and i.cell}
    if not tasks.empty:
        for col in ("status", "result_value"):
            src = "status_label" if col == "status" else col
            tasks.loc[_in(errors, tasks["file"], tasks[f"{col}_cell"]), src] = None
        tasks["status"] = tasks["status_label"].map(V.STATUS_VALUES)
        refused = _in(errors, tasks["file"], tasks["evidence_cell"])
        tasks["has_evidence"] = tasks["evidence"].notna() & ~refused
        tasks["result_value"] = pd.to_numeric(tasks["result_value"], errors="coerce")
    else:
        tasks = pd.DataFrame(
            columns=["file", "unit_code", "task_id", "status", "result_value", "has_evidence"]
        )
    if not indicators.empty:
        indicators.loc[_in(errors, indicators["file"], indicators["value_cell"]), "value"] = None
        refused = _in(errors, indicators["file"], indicators["evidence_cell"])
        indicators["has_evidence"] = indicators["evidence"].notna() & ~refused
    else:
        indicators = pd.DataFrame(columns=["file", "unit_code", "field_id", "value", "has_evidence"])
    return tasks, indicators


def _in(pairs: set[tuple[str, str]], files: pd.Series, cells: pd.Series) -> pd.Series:
    """Rows whose (file, cell) is in ``pairs``; only the files that have one are looked at."""
    mask = pd.Series(False, index=files.index)
    candidates = files.isin({f for f, _ in pairs})
    if candidates.any():
        mask[candidates] = [
            (f, c) in pairs for f, c in zip(files[candidates], cells[candidates], strict=True)
        ]
    return mask
