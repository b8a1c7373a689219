"""The whole run, in order: discover → guard/read → identify/validate → merge → score → write.

:func:`run_report` is the one place that wires the stages; the CLI and the tests call it.
Outputs are built in a temporary folder and swapped in place at the end, so a failed run
leaves the previous output whole. A run over the demo's sample returns (``dti demo`` leaves
``DU_LIEU_MAU.txt`` beside them) writes to ``out/demo/<period>/`` and marks every page.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.base.atomic import atomic_dir
from pipeline.base.codes import Severity
from pipeline.base.issues import ISSUE_COLUMNS
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.intake import discover, is_sample, received_times
from pipeline.outputs.csvs import write_csvs
from pipeline.outputs.feedback import FeedbackPlan, plan_feedback, write_feedback
from pipeline.outputs.manifest import write_manifest
from pipeline.outputs.narrative import narrative_of, write_narrative
from pipeline.outputs.province import ReportData, write_report
from pipeline.outputs.templates import generated_date
from pipeline.rules import Checked, check_prepared
from pipeline.runner.pool import MIN_ITEMS_FOR_POOL, default_workers, run_pooled
from pipeline.runner.prepare import prepare_all
from pipeline.scoring.merge import completion, merge_tasks, rank_apart, reporting_rates, submissions
from pipeline.scoring.scores import rank_units, score_indicators, summarize

Progress = Callable[[Iterable[Any]], Iterable[Any]]


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


def _returns_frame(checked: Checked, received: dict[str, pd.Timestamp]) -> pd.DataFrame:
    counts: dict[str, dict[str, int]] = {}
    for found in checked.issues:
        c = counts.setdefault(found.file, {"errors": 0, "warnings": 0})
        c["errors" if found.severity == Severity.ERROR else "warnings"] += 1
    rows = [
        {
            "file": p.file,
            "sha256": p.source.sha256,
            "unit_code": checked.accepted.get(
                p.file, next((i.unit_code for i in p.issues if i.unit_code), "")
            ),
            "received_at": received.get(p.file),
            "accepted": p.file in checked.accepted,
            "errors": counts.get(p.file, {}).get("errors", 0),
            "warnings": counts.get(p.file, {}).get("warnings", 0),
        }
        for p in checked.prepared
    ]
    return pd.DataFrame(
        rows, columns=["file", "sha256", "unit_code", "received_at", "accepted", "errors", "warnings"]
    )


def _names(cat: Catalogue, df: pd.DataFrame) -> pd.DataFrame:
    if "unit_code" in df:
        df = df.copy()
        df["unit_name"] = df["unit_code"].map(cat.units["name"]).fillna("")
        if "kind" not in df:
            df["kind"] = df["unit_code"].map(cat.units["kind"]).fillna("")
    return df


def _feedback_file(state: tuple[Catalogue, Period, Path], plan: FeedbackPlan) -> Path:
    cat, period, folder = state
    return write_feedback(cat, period, plan, folder)


def _feedback_crashed(plan: FeedbackPlan, exc: BaseException) -> Path:
    raise RuntimeError(f"feedback file of {plan.unit} could not be written") from exc


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
) -> RunResult:
    """Run the whole pipeline on ``inbox`` and write ``out/<period>/`` (``out/demo/<period>/``
    for the demo's sample returns: ``sample``, by default whether the inbox holds them).

    Parsed returns are cached in ``out/.cache/`` by content (``cache=False`` to skip it);
    ``workers`` processes read them and write the feedback files (default: by batch size and
    CPUs, or DTI_WORKERS).
    """
    sample = is_sample(inbox) if sample is None else sample
    made_on = made_on or generated_date()
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    paths = discover(inbox)
    timings["discover"] = time.perf_counter() - clock
    prepared = prepare_all(
        cat,
        period,
        paths,
        inbox,
        cache_dir=out / ".cache" if cache else None,
        workers=workers,
        progress=progress,
        timings=timings,
    )
    received = received_times(inbox, [p.file for p in prepared])
    checked = check_prepared(cat, period, prepared, timings)
    clock = time.perf_counter()
    subs = submissions(cat, period, _returns_frame(checked, received))
    counting = dict(zip(subs["file"], subs["status"], strict=True))
    current = {f for f, s in counting.items() if s in ("on_time", "late")}
    task_values = checked.tasks[checked.tasks["file"].isin(current)]
    ind_values = checked.indicators[checked.indicators["file"].isin(current)]
    merged = merge_tasks(cat, period, task_values)
    timings["merge"] = time.perf_counter() - clock
    clock = time.perf_counter()
    scores = score_indicators(cat, period, ind_values)
    issues = pd.DataFrame([i.as_row() for i in checked.issues], columns=ISSUE_COLUMNS)
    issues.insert(0, "period", period.id)
    words = cat.vocabulary
    data = ReportData(
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
        rates=reporting_rates(cat, period, subs),
        ranking=rank_apart(rank_units(cat, period, scores), subs),
        indicator_ids=[i.id for i in cat.indicators_for(period.kind)],
        indicator_names={i.id: i.name for i in cat.indicators},
        scores=_names(cat, scores),
        summary=summarize(cat, period, scores),
        tasks=_names(cat, merged.assign(target_raw=merged["task_id"].map(cat.tasks["target_raw"]))),
        by_pillar=completion(merged, "pillar"),
        by_unit=_names(cat, completion(merged, "unit_code")),
        issues=_names(cat, issues),
    )
    timings["score"] = time.perf_counter() - clock
    clock = time.perf_counter()
    target = out / "demo" / period.id if sample else out / period.id
    with atomic_dir(target) as tmp:
        workbook = write_report(data, tmp / data.file_name("xlsx"))
        narrative = write_narrative(narrative_of(data), tmp / data.file_name("docx"))
        csvs = write_csvs(data, tmp / "data")
        units = {f: u for f, u in zip(subs["file"], subs["unit_code"], strict=True) if f and cat.has_unit(u)}
        plans = plan_feedback(period, checked.prepared, units, counting, received, checked.issues)
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
    return RunResult(
        period=period,
        out_dir=target,
        workbook=target / workbook.name,
        status_counts={k: int(v) for k, v in subs["status"].value_counts().sort_index().items()},
        errors=sum(i.severity == Severity.ERROR for i in checked.issues),
        warnings=sum(i.severity == Severity.WARNING for i in checked.issues),
        files=len(prepared),
        feedback=[target / p.relative_to(tmp) for p in feedback],
        csvs=[target / p.relative_to(tmp) for p in csvs],
        timings=timings,
        narrative=target / narrative.name,
        sample=sample,
    )
