"""The whole run, in order: discover → guard/read → identify/validate → store → merge → score → write.

:func:`run_report` is the one place that wires the stages; the CLI and the tests call it. Every
return of the inbox goes into the store (:mod:`pipeline.store`: a SQLite file beside the outputs
by default, PostgreSQL when ``db`` names one) in one transaction with the run; the period's
outputs are then built from the store alone, so they are the same whichever run wrote which
return. Outputs are built in a temporary folder and swapped in place at the end, so a failed run
leaves the previous output (and the store) whole. A run over the demo's sample returns
(``dti demo`` leaves ``DU_LIEU_MAU.txt`` beside them) writes to ``out/demo/<period>/``, with a
store of its own in ``out/demo/``, and marks every page.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.base.atomic import atomic_dir
from pipeline.base.codes import Severity
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue, note_kind
from pipeline.intake import discover, is_eml, is_sample, received_from
from pipeline.outputs.csvs import write_csvs
from pipeline.outputs.feedback import FeedbackPlan, plan_feedback, write_feedback
from pipeline.outputs.manifest import write_manifest
from pipeline.outputs.narrative import narrative_of, write_narrative
from pipeline.outputs.province import ReportData, write_report
from pipeline.outputs.templates import generated_date
from pipeline.rules import check_prepared
from pipeline.rules.extract import without_rows
from pipeline.runner.build import Built, build_period
from pipeline.runner.cache import Cache
from pipeline.runner.mail import MAIL_DIR, unpack_mails
from pipeline.runner.past import load_past
from pipeline.runner.period import load_history, load_period
from pipeline.runner.pool import MIN_ITEMS_FOR_POOL, default_workers, run_pooled
from pipeline.runner.prepare import prepare_all
from pipeline.runner.records import store_returns
from pipeline.scoring.history import History, history_of
from pipeline.scoring.merge import rank_apart
from pipeline.scoring.scores import rank_units, summarize
from pipeline.store import KeptRows, Run, open_store

Progress = Callable[[Iterable[Any]], Iterable[Any]]
STORE_FILE = "dti.sqlite"  # the default store, beside the outputs


@dataclass
class RunResult:
    period: Period
    out_dir: Path
    workbook: Path
    status_counts: dict[str, int]
    errors: int
    warnings: int
    files: int
    feedback: list[Path] = field(default_factory=list)
    csvs: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    narrative: Path | None = None  # BaoCao_DTI_<code>_<period>.docx
    sample: bool = False  # made from the demo's sample returns: written under out/demo/
    store: str = ""  # where the store is
    store_note: str | None = None  # the store was created or migrated on open (Vietnamese)
    # where the received times came from: files with a row in received.csv, files received by
    # e-mail (the message's time), files with only their modification time
    received_listed: int = 0
    received_mailed: int = 0
    received_file_times: int = 0


def _targets(cat: Catalogue) -> pd.Series:
    """task id → its Ghi chú when it is a target (``Chỉ tiêu``); a reference (``Căn cứ``) is not."""
    return pd.Series(
        {t.task_id: t.target_raw for t in cat.tasks.itertuples(index=False) if note_kind(t) == "target"},
        dtype=object,
    )


def store_url(db: str | None) -> str | None:
    """The store a run uses: ``db``, else ``DTI_DB``, else (None) the SQLite file beside the outputs."""
    return db or os.environ.get("DTI_DB") or None


def _names(cat: Catalogue, df: pd.DataFrame) -> pd.DataFrame:
    if "unit_code" in df:
        df = df.copy()
        df["unit_name"] = df["unit_code"].map(cat.units["name"]).fillna("")
        if "kind" not in df:
            df["kind"] = df["unit_code"].map(cat.units["kind"]).fillna("")
    return df


def _none_of(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s columns without its rows (a copy: a view would keep every row's memory)."""
    return frame.iloc[:0].copy()


def _feedback_file(state: tuple[Catalogue, Period, Path], plan: FeedbackPlan) -> Path:
    cat, period, folder = state
    return write_feedback(cat, period, plan, folder)


def _feedback_crashed(plan: FeedbackPlan, exc: BaseException) -> Path:
    raise RuntimeError(f"feedback file of {plan.unit} could not be written") from exc


def _answered(cat: Catalogue) -> frozenset[tuple[str, str]]:
    """The (task, role) pairs answered Có/Không, over the units."""
    pairs: set[tuple[str, str]] = set()
    for unit in cat.units.index:
        words = cat.yes_no_tasks(unit)
        if words:
            pairs.update(
                (t, r) for t, r in zip(cat.task_ids_of(unit), cat.roles_of(unit), strict=True) if t in words
            )
    return frozenset(pairs)


def report_data(
    cat: Catalogue,
    period: Period,
    built: Built,
    made_on: date,
    sample: bool,
    history: History | None = None,
    file_times: int = 0,
) -> ReportData:
    """What the province workbook, the report and the CSV files show, from a built period (and
    the stored periods up to it)."""
    words = cat.vocabulary
    merged, subs, scores = built.merged, built.subs, built.scores
    return ReportData(
        period=period,
        made_on=made_on,
        deadline=cat.deadline(period),
        locality=cat.locality,
        sample=sample,
        receiver=cat.receiver_name,
        measures=words.measures,
        ranked_kinds=words.ranked_kinds,
        pillars=words.pillars,
        appendices=words.appendices,
        kind_labels={k: v.label for k, v in words.unit_kinds.items()},
        submissions=_names(cat, subs),
        rates=built.rates,
        ranking=rank_apart(rank_units(cat, period, scores), subs),
        indicator_ids=[i.id for i in cat.indicators_for(period.kind)],
        indicator_names={i.id: i.name for i in cat.indicators},
        scores=_names(cat, scores),
        summary=summarize(cat, period, scores),
        tasks=_names(cat, merged.assign(target_raw=merged["task_id"].map(_targets(cat)).fillna(""))),
        by_pillar=built.by_pillar,
        by_unit=_names(cat, built.by_unit),
        issues=_names(cat, built.issues),
        history=history,
        unit_names=dict(zip(cat.units.index, cat.units["name"], strict=True)),
        file_times=file_times,
        twins=cat.twins,
        answered=_answered(cat),
    )


def _remember(run: Run, built: Built, period: Period, kept: KeptRows | None = None) -> None:
    """The period's statuses, merged task rows and scores, kept in the store for its history
    (``kept``: the task rows as the last run left them, from the cache)."""
    stored = run.submissions(period.id, locality=run.locality)
    stored = stored[["file_name", "file_sha256", "id", "status", "errors", "warnings"]]
    ids = built.subs.merge(
        stored, left_on=["file", "sha256"], right_on=["file_name", "file_sha256"], suffixes=("", "_stored")
    )
    changed = (
        (ids["status"].astype(str) != ids["status_stored"].astype(str))
        | (pd.to_numeric(ids["errors"]) != pd.to_numeric(ids["errors_stored"]))
        | (pd.to_numeric(ids["warnings"]) != pd.to_numeric(ids["warnings_stored"]))
    )
    run.update_submissions(ids.loc[changed, ["id", "status", "errors", "warnings"]])  # only what changed
    m = built.merged
    rows = m.reindex(
        columns=[
            "task_id",
            "unit_code",
            "role",
            "status",
            "result_value",
            "has_evidence",
            "overdue",
            "unproven",
        ]
    )
    rows = rows.assign(status=rows["status"].where(rows["status"] != "", None))
    rows = rows.assign(
        result_text=m["result_text"],
        evidence=m["evidence"],
        difficulties=m["difficulties"],
        submission_id=m["submission_id"],  # the return each row came from: a quarter's month, say
    )
    run.replace_task_rows(rows, period=period.id, kept=kept)
    scores = built.scores.reindex(
        columns=["unit_code", "indicator_id", "self_score", "score", "max_score", "has_evidence"]
    )
    run.replace_scores(scores, period=period.id)


def run_report(
    cat: Catalogue,
    period: Period,
    inbox: Path,
    out: Path,
    progress: Progress = lambda it: it,
    made_on: date | None = None,
    workers: int | None = None,
    cache: bool = True,
    sample: bool | None = None,
    db: str | None = None,
) -> RunResult:
    """Run the whole pipeline on ``inbox``: store its returns, write ``out/<period>/`` from the store
    (``out/demo/<period>/`` for the demo's sample returns: ``sample``, by default whether the inbox
    holds them).

    Parsed returns are cached in ``out/.cache/`` by content (``cache=False`` to skip it);
    ``workers`` processes read them and write the feedback files (default: by batch size and
    CPUs, or DTI_WORKERS). ``db`` (or ``DTI_DB``) names the store; default ``dti.sqlite`` beside
    the outputs (``out/demo/`` for samples, never the analyst's own store).
    """
    sample = is_sample(inbox) if sample is None else sample
    base = out / "demo" if sample else out
    made_on = made_on or generated_date()
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    discovered = discover(inbox)
    paths = [p for p in discovered if not is_eml(p)]
    mails = unpack_mails([p for p in discovered if is_eml(p)], inbox, base / MAIL_DIR)
    timings["discover"] = time.perf_counter() - clock
    memo = Cache(base / ".cache", cat, period) if cache else None
    earlier = memo.validated() if memo else None
    prepared = prepare_all(
        cat,
        period,
        paths,
        inbox,
        cache_dir=base / ".cache" if cache else None,
        workers=workers,
        progress=progress,
        timings=timings,
        attachments=mails.attachments,
        validated=earlier,
    )
    prepared = [*prepared, *mails.refused]
    arrived = received_from(inbox, [p.file for p in prepared], mails.mailed)
    received = arrived.times
    checked = check_prepared(cat, period, prepared, timings, earlier=earlier)
    if memo is not None and checked.validated is not None:
        memo.keep_validated(checked.validated)  # before anything downstream touches the frames
    # from here on the rows are the checked frames: each return keeps its file, issues and typed
    prepared = checked.prepared = [without_rows(p) for p in checked.prepared]
    store = open_store(None if sample else store_url(db), default_path=base / STORE_FILE)
    target = base / period.id
    # The output folder is swapped in only after the store's commit (the with-items end in reverse
    # order): a run that dies before its commit leaves the previous folder, one that dies after
    # it a store that rebuilds the folder on the next run.
    with (
        store,
        atomic_dir(target) as tmp,
        store.run(locality=cat.locality.code, period=period.id, catalogue_version=cat.version) as run,
    ):
        clock = time.perf_counter()
        store_returns(run, cat, checked, received, senders=mails.senders, channels=mails.channels)
        # the rows are stored: the run goes on from the store, and the checked frames (and the
        # last run's, given to the checks) are let go before the period is read back
        tasks, indicators = _none_of(checked.tasks), _none_of(checked.indicators)
        checked = replace(checked, tasks=tasks, indicators=indicators, validated=None)
        earlier = None
        data = load_period(run, cat, run.locality, period, memo.known_values() if memo else None)
        timings["store"] = time.perf_counter() - clock
        clock = time.perf_counter()
        past = load_past(run, run.locality, period, data.returns)
        built = build_period(cat, period, data, past)
        known = data.known
        del data  # the period's frames are built: only what the cache keeps is kept
        subs = built.subs
        counting = dict(zip(subs["file"], subs["status"], strict=True))
        units = {f: u for f, u in zip(subs["file"], subs["unit_code"], strict=True) if f and cat.has_unit(u)}
        found = [*checked.issues, *built.history]
        plans = plan_feedback(period, checked.prepared, units, counting, received, found, built.compared)
        # the feedback files are planned (each plan holds its return's typed values): the other
        # returns' typed values, stored, are not needed again
        prepared = checked.prepared = [replace(p, typed=()) for p in checked.prepared]
        _remember(run, built, period, memo.kept_task_rows() if memo else None)
        seen = load_history(run, cat, run.locality, period)
        history = history_of(cat, seen.periods, seen.statuses, seen.scores, seen.task_rows)
        report = report_data(cat, period, built, made_on, sample, history, len(arrived.file_times))
        timings["score"] = time.perf_counter() - clock
        clock = time.perf_counter()
        workbook = write_report(report, tmp / report.file_name("xlsx"))
        narrative = write_narrative(narrative_of(report), tmp / report.file_name("docx"))
        csvs = write_csvs(report, tmp / "data")
        n = default_workers(len(plans)) if workers is None else workers
        pool = n if n > 1 and len(plans) >= MIN_ITEMS_FOR_POOL else 0  # a few files: in this process
        folder = tmp / "phan_hoi"
        feedback = list(run_pooled(_feedback_file, (cat, period, folder), plans, pool, _feedback_crashed))
        write_manifest(
            tmp / "manifest.json",
            cat.version,
            period,
            made_on,
            counting,
            [p.source for p in prepared],
            tmp,
            locality=cat.locality,
            sample=sample,
        )
    timings["write"] = time.perf_counter() - clock
    if memo is not None:  # once the run has committed: its returns and task rows are stored
        if known is not None:
            memo.keep_known_values(known)
        if "task_rows" in run.kept:
            memo.keep_task_rows(run.kept["task_rows"])
    return RunResult(
        period=period,
        out_dir=target,
        workbook=target / workbook.name,
        status_counts={k: int(v) for k, v in subs["status"].value_counts().sort_index().items()},
        errors=int((built.issues["severity"] == str(Severity.ERROR)).sum()),
        warnings=int((built.issues["severity"] == str(Severity.WARNING)).sum()),
        files=len(prepared),
        feedback=[target / p.relative_to(tmp) for p in feedback],
        csvs=[target / p.relative_to(tmp) for p in csvs],
        timings=timings,
        narrative=target / narrative.name,
        sample=sample,
        store=store.location.shown,
        store_note=store.note,
        received_listed=len(arrived.listed),
        received_mailed=len(arrived.mailed),
        received_file_times=len(arrived.file_times),
    )
