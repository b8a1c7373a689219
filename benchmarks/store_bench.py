"""The store's writes and reads at the size of a 10,000-return run, SQLite and PostgreSQL side by side.

    python benchmarks/store_bench.py [--returns 10000] [--cells 100] [--tasks 45] [--repeats 3]
                                     [--methods sqlite:executemany,postgresql:copy,...]

Each repeat opens a fresh store (a new SQLite file; a new database in a throwaway PostgreSQL
cluster with fsync on, started and stopped by this script) and makes one run that stores, in
order: the files and returns (``record_returns``), every value in long form (``add_cells``,
returns × cells rows), two issues per return, the period's merged task rows (returns × tasks
rows) and four scores per return, then commits. Then it reads back what the next run needs
(the period's latest returns, every value of every return, the task rows) and exports the store.

For each dialect and bulk method: the median seconds of ``--repeats`` runs per step and rows per
second, printed as one table. SQLite keeps ``synchronous=FULL`` (as the store always does).
Nothing is asserted: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.store import Store, open_store  # noqa: E402
from tests.store.pg import Cluster, start_cluster  # noqa: E402

LOCALITY, PERIOD = "BENCH", "2023-10"
DEFAULT_METHODS = "sqlite:executemany,sqlite:values,postgresql:executemany,postgresql:values,postgresql:copy"
LABELS = ("Mã nhiệm vụ", "Tình trạng", "Kết quả (số liệu)", "Kết quả thực hiện", "Minh chứng")
STATUSES = ("Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Không phát sinh")


def make_data(n: int, cells: int, tasks: int) -> dict[str, pd.DataFrame]:
    """Synthetic rows of a run: ids 1..n are the returns' ids in a fresh store."""
    rng = np.random.default_rng(20231220)
    units = np.array([f"U{i:05d}" for i in range(n)], dtype=object)
    received = pd.Timestamp("2023-10-18T09:00:00+07:00") + pd.to_timedelta(
        rng.integers(0, 5 * 86400, n), unit="s"
    )
    returns = pd.DataFrame(
        {
            "sha256": [f"{i:064x}" for i in range(n)],
            "size": rng.integers(20_000, 80_000, n),
            "file_name": [f"{PERIOD}_{u}.xlsx" for u in units],
            "channel": "inbox",
            "received_at": received,
            "unit_code": units,
            "status": "on_time",
            "errors": rng.integers(0, 3, n),
            "warnings": rng.integers(0, 5, n),
        }
    )
    ids = np.repeat(np.arange(1, n + 1), cells)
    k = np.tile(np.arange(cells), n)
    raw = np.array(STATUSES, dtype=object)[k % len(STATUSES)]
    cell_frame = pd.DataFrame(
        {
            "submission_id": ids,
            "sheet": "Nhiệm vụ",
            "cell": np.char.add(
                np.array(list("ABCDEFGHIJKL"))[k % 12].astype(str), (5 + k // 12).astype(str)
            ).astype(object),
            "row_key": np.char.add("PL01-", (k // 12).astype(str)).astype(object),
            "column_label": np.array(LABELS, dtype=object)[k % len(LABELS)],
            "raw": raw,
            "value": np.array(["done", "in_progress", "not_started", "not_applicable"], dtype=object)[k % 4],
        }
    )
    t = np.tile(np.arange(tasks), n)
    task_frame = pd.DataFrame(
        {
            "task_id": np.char.add("PL01-", t.astype(str)).astype(object),
            "unit_code": np.repeat(units, tasks),
            "role": np.array(["chu_tri", "phoi_hop", "tham_muu"], dtype=object)[t % 3],
            "status": np.array(["done", "in_progress", "not_started", None], dtype=object)[t % 4],
            "result_value": np.where(t % 5 == 0, rng.integers(0, 40, n * tasks).astype(float), np.nan),
            "has_evidence": t % 2 == 0,
            "overdue": t % 7 == 0,
            "result_text": np.array(["Đã triển khai theo kế hoạch", None], dtype=object)[t % 2],
            "evidence": np.array(["Báo cáo số 12/BC-UBND", None, None], dtype=object)[t % 3],
            "submission_id": np.repeat(np.arange(1, n + 1), tasks),
        }
    )
    issue_frame = pd.DataFrame(
        {
            "submission_id": np.repeat(np.arange(1, n + 1), 2),
            "sheet": "Nhiệm vụ",
            "cell": "H7",
            "field": "PL01-1.4:Kết quả (số liệu)",
            "value": "abc",
            "severity": np.tile(np.array(["error", "warning"], dtype=object), n),
            "code": "number_invalid",
            "message": "Giá trị «abc» không phải là số",
        }
    )
    score_frame = pd.DataFrame(
        {
            "unit_code": np.repeat(units, 4),
            "indicator_id": np.tile(np.array(["1.1", "1.2", "2.1", "2.2"], dtype=object), n),
            "self_score": np.tile([10.0, 0.0, np.nan, 10.0], n),
            "score": np.tile([10.0, 0.0, 0.0, 0.0], n),
            "max_score": 10.0,
            "has_evidence": np.tile([True, False, False, False], n),
        }
    )
    return {
        "returns": returns,
        "cells": cell_frame,
        "tasks": task_frame,
        "issues": issue_frame,
        "scores": score_frame,
    }


def in_chunks(frame: pd.DataFrame, rows: int) -> list[pd.DataFrame]:
    return [frame.iloc[i : i + rows] for i in range(0, len(frame), rows)]


def one_run(store: Store, d: dict[str, pd.DataFrame], folder: Path) -> dict[str, tuple[int, float]]:
    """Seconds and rows per step of one run, its commit, the reads after it and an export."""
    out: dict[str, tuple[int, float]] = {}
    cell_chunks = in_chunks(d["cells"], 100_000)

    def timed(name: str, rows: int, fn: Callable[[], object]) -> None:
        t0 = time.perf_counter()
        fn()
        out[name] = (rows, time.perf_counter() - t0)

    t_all = time.perf_counter()
    with store.run(locality=LOCALITY, period=PERIOD) as run:
        timed("returns (record_returns)", len(d["returns"]), lambda: run.record_returns(d["returns"]))
        timed("cells (add_cells)", len(d["cells"]), lambda: run.add_cells(iter(cell_chunks)))
        timed("issues (add_issues)", len(d["issues"]), lambda: run.add_issues(d["issues"]))
        timed("task_rows (replace_task_rows)", len(d["tasks"]), lambda: run.replace_task_rows(d["tasks"]))
        timed("scores (replace_scores)", len(d["scores"]), lambda: run.replace_scores(d["scores"]))
        t_commit = time.perf_counter()
    out["commit"] = (0, time.perf_counter() - t_commit)
    total = sum(len(d[k]) for k in d)
    out["= the whole run"] = (total, time.perf_counter() - t_all)
    ids: list[int] = []

    def latest() -> None:
        ids.extend(store.submissions(PERIOD, locality=LOCALITY, latest=True)["id"].astype(int))

    timed("read: latest returns of the period", len(d["returns"]), latest)
    timed("read: cells of every return", len(d["cells"]), lambda: store.cells(ids))
    timed(
        "read: task rows of the period", len(d["tasks"]), lambda: store.task_rows(PERIOD, locality=LOCALITY)
    )
    timed("export (every table to CSV)", total + store.check().counts["runs"], lambda: store.export(folder))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--returns", type=int, default=10_000)
    ap.add_argument("--cells", type=int, default=100, help="values per return")
    ap.add_argument("--tasks", type=int, default=45, help="task rows per return")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument(
        "--methods", default=DEFAULT_METHODS, help="dialect:method,... (executemany, values, copy)"
    )
    args = ap.parse_args()

    print(f">> building {args.returns:,} returns × {args.cells} values, × {args.tasks} task rows", flush=True)
    d = make_data(args.returns, args.cells, args.tasks)
    methods = [tuple(m.split(":")) for m in args.methods.split(",")]
    cluster: Cluster | None = None
    if any(dialect == "postgresql" for dialect, _ in methods):
        cluster = start_cluster(durable=True)
        if cluster is None:
            print(">> PostgreSQL binaries not found: measuring SQLite only")
            methods = [m for m in methods if m[0] != "postgresql"]
    results: dict[tuple[str, str], dict[str, list[float]]] = {}
    rows: dict[str, int] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="dti-store-bench-") as tmp:
            for dialect, method in methods:
                times: dict[str, list[float]] = defaultdict(list)
                for r in range(args.repeats):
                    work = Path(tmp) / f"{dialect}-{method}-{r}"
                    work.mkdir()
                    url = str(work / "dti.sqlite") if dialect == "sqlite" else cluster.new_url("bench")  # type: ignore[union-attr]
                    store = open_store(url, default_path=work / "dti.sqlite")
                    store.bulk_method = method
                    for step, (n, seconds) in one_run(store, d, work / "export").items():
                        times[step].append(seconds)
                        rows[step] = n
                    store.close()
                    print(
                        f"   {dialect} {method} run {r + 1}: {times['= the whole run'][-1]:.2f} s", flush=True
                    )
                results[(dialect, method)] = times
    finally:
        if cluster is not None:
            cluster.stop()

    print()
    print(
        f"Store, {args.returns:,} returns: medians of {args.repeats} runs (2 cores; PostgreSQL with fsync on)"
    )
    header = f"{'dialect':<11} {'method':<12} {'step':<37} {'rows':>10} {'median s':>9} {'rows/s':>11}"
    print(header)
    print("-" * len(header))
    for (dialect, method), times in results.items():
        for step, values in times.items():
            median = statistics.median(values)
            n = rows[step]
            rate = f"{n / median:,.0f}" if n and median > 0 else ""
            print(f"{dialect:<11} {method:<12} {step:<37} {n:>10,} {median:>9.2f} {rate:>11}")
        print()


if __name__ == "__main__":
    main()
