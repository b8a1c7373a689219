"""The whole run, in order: discover → guard/read → identify/validate → merge → score → write.

:func:`run_report` is the one place that wires the stages; the CLI and the tests call it.
Outputs are built in a temporary folder and swapped in place at the end, so a failed run
leaves the previous output whole.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.catalogue import Catalogue
from pipeline.feedback import plan_feedback, write_feedbacks
from pipeline.intake import RECEIVED_FILE, RawReturn, discover
from pipeline.issues import ISSUE_COLUMNS, Severity
from pipeline.merge import completion, merge_tasks, reporting_rates, submissions
from pipeline.periods import Period
from pipeline.readpool import default_workers, prepare_all
from pipeline.report import ReportData, write_csvs, write_report
from pipeline.scoring import rank_units, score_indicators, summarize
from pipeline.templates import generated_date
from pipeline.validate import Checked, check_prepared
from pipeline.writers import atomic_dir, atomic_path

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


def _parse_when(text: str) -> pd.Timestamp | None:
    text = text.strip()
    if not text:
        return None
    for fmt in (
        "%Y-%m-%d",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y",
    ):
        try:
            return pd.Timestamp(datetime.strptime(text, fmt))
        except ValueError:
            continue
    try:
        return pd.Timestamp(datetime.fromisoformat(text)).tz_localize(None)
    except (ValueError, TypeError):
        return None


def received_times(inbox: Path, files: list[str]) -> dict[str, pd.Timestamp]:
    """Received time per file: ``received.csv`` (file,received_at) first, else the file's mtime."""
    listed: dict[str, pd.Timestamp] = {}
    path = inbox / RECEIVED_FILE
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                when = _parse_when(row.get("received_at") or "")
                name = (row.get("file") or "").strip()
                if name and when is not None:
                    listed[name] = when
    out = {}
    for name in files:
        when = listed.get(name) or listed.get(Path(name).name)
        if when is None:
            when = pd.Timestamp(datetime.fromtimestamp((inbox / name).stat().st_mtime)).floor("s")
        out[name] = when
    return out


def _returns_frame(checked: Checked, received: dict[str, pd.Timestamp]) -> pd.DataFrame:
    counts: dict[str, dict[str, int]] = {}
    for issue in checked.issues:
        c = counts.setdefault(issue.file, {"errors": 0, "warnings": 0})
        c["errors" if issue.severity == Severity.ERROR else "warnings"] += 1
    rows = [
        {
            "file": r.file,
            "sha256": r.sha256,
            "unit_code": checked.accepted.get(r.file, _unit_hint(r)),
            "received_at": received.get(r.file),
            "accepted": r.file in checked.accepted,
            "errors": counts.get(r.file, {}).get("errors", 0),
            "warnings": counts.get(r.file, {}).get("warnings", 0),
        }
        for r in checked.returns
    ]
    return pd.DataFrame(
        rows, columns=["file", "sha256", "unit_code", "received_at", "accepted", "errors", "warnings"]
    )


def _unit_hint(ret: RawReturn) -> str:
    return next((i.unit_code for i in ret.issues if i.unit_code), "")


def _names(cat: Catalogue, df: pd.DataFrame) -> pd.DataFrame:
    if "unit_code" in df:
        df = df.copy()
        df["unit_name"] = df["unit_code"].map(cat.units["name"]).fillna("")
        if "kind" not in df:
            df["kind"] = df["unit_code"].map(cat.units["kind"]).fillna("")
    return df


def run_report(
    cat: Catalogue,
    period: Period,
    inbox: Path,
    out: Path,
    progress: Progress = lambda it: it,
    made_on: date | None = None,
    workers: int | None = None,
    cache: bool = True,
) -> RunResult:
    """Run the whole pipeline on ``inbox`` and write ``out/<period>/``.

    Parsed returns are cached in ``out/.cache/`` by content (``cache=False`` to skip it);
    ``workers`` processes read them and write the feedback files (default: by batch size and
    CPUs, or DTI_WORKERS).
    """
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
    returns = [p.ret for p in prepared]
    received = received_times(inbox, [r.file for r in returns])
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
    data = ReportData(
        period=period,
        made_on=made_on,
        deadline=cat.deadline(period),
        city=cat.locality.title,
        level=cat.locality.level,
        submissions=_names(cat, subs),
        rates=reporting_rates(cat, period, subs),
        ranking=rank_units(cat, period, scores),
        indicator_ids=[i.id for i in cat.indicators_for(period.kind)],
        indicator_names={i.id: i.name for i in cat.indicators},
        scores=_names(cat, scores),
        summary=summarize(cat, period, scores),
        tasks=_names(cat, merged.assign(target_raw=merged["task_id"].map(cat.tasks["target_raw"]))),
        by_pillar=completion(merged, "pillar"),
        by_unit=_names(cat, completion(merged, "unit_code")),
        issues=issues,
    )
    timings["score"] = time.perf_counter() - clock
    clock = time.perf_counter()
    target = out / period.id
    with atomic_dir(target) as tmp:
        workbook = write_report(data, tmp / f"BaoCao_DTI_{period.id}.xlsx")
        csvs = write_csvs(data, tmp / "data")
        units = {f: u for f, u in zip(subs["file"], subs["unit_code"], strict=True) if f and cat.has_unit(u)}
        plans = plan_feedback(
            period, returns, units, counting, received, checked.issues, lambda r: r.reread(inbox)
        )
        pool = default_workers(len(plans)) if workers is None else workers
        feedback = write_feedbacks(cat, period, plans, tmp / "phan_hoi", pool, inbox)
        _write_manifest(tmp / "manifest.json", cat, period, made_on, subs, returns, tmp)
    timings["write"] = time.perf_counter() - clock
    swap = {tmp: target}
    return RunResult(
        period=period,
        out_dir=target,
        workbook=target / workbook.name,
        status_counts={k: int(v) for k, v in subs["status"].value_counts().sort_index().items()},
        errors=sum(i.severity == Severity.ERROR for i in checked.issues),
        warnings=sum(i.severity == Severity.WARNING for i in checked.issues),
        files=len(returns),
        feedback=[_moved(p, swap) for p in feedback],
        csvs=[_moved(p, swap) for p in csvs],
        timings=timings,
    )


def _moved(path: Path, swap: dict[Path, Path]) -> Path:
    for old, new in swap.items():
        if path.is_relative_to(old):
            return new / path.relative_to(old)
    return path


def _write_manifest(
    path: Path,
    cat: Catalogue,
    period: Period,
    made_on: date,
    subs: pd.DataFrame,
    returns: list[RawReturn],
    root: Path,
) -> None:
    status = dict(zip(subs["file"], subs["status"], strict=True))
    outputs = sorted(p for p in root.rglob("*") if p.is_file() and p != path)
    manifest = {
        "tool": "dti",
        "tool_version": __version__,
        "catalogue_version": cat.version,
        "period": period.id,
        "made_on": made_on.isoformat(),
        "inputs": [
            {"file": r.file, "sha256": r.sha256, "size": r.size, "status": status.get(r.file, "rejected")}
            for r in sorted(returns, key=lambda r: r.file)
        ],
        "outputs": [
            {"file": p.relative_to(root).as_posix(), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
            for p in outputs
            if p.suffix == ".csv"
        ],
    }
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
