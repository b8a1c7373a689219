"""What each speed-up bought, measured one at a time on the same N returns (default 2,000).

    python benchmarks/ablation.py [--n 2000] [--repeats 3] [--sample 300]

Each line turns one choice off and keeps the rest, so the ratio is what that choice buys:

* reader: python-calamine (our ``read_return``: guard + read) vs openpyxl ``load_workbook``
  (read-only, values) on the same files, one process, on a sample;
* worker processes: the read phase (guard, read, normalise) in one process vs the default pool;
* one validation per sheet kind: ``check_prepared`` over all returns at once vs once per return
  (on a sample, extrapolated);
* the cache: a cold run vs a re-run after one new return.

Medians of ``--repeats``; no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import PERIOD, _add_missing_unit, build  # noqa: E402


def median_time(repeats: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()

    import openpyxl

    from pipeline.base.periods import parse_period
    from pipeline.catalogue import load_catalogue
    from pipeline.intake import discover, read_return
    from pipeline.rules import check_prepared
    from pipeline.run import run_report
    from pipeline.runner.prepare import prepare_all

    work = Path(tempfile.mkdtemp(prefix=f"dti-ablation-{args.n}-"))
    try:
        schemas, inbox = build(args.n, work)
        cat = load_catalogue(schemas)
        period = parse_period(PERIOD)
        paths = discover(inbox)
        sample = paths[: args.sample]
        scale = len(paths) / len(sample)
        rows: list[tuple[str, str, float, str, float]] = []

        def openpyxl_read() -> None:
            for p in sample:
                wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
                for ws in wb.worksheets:
                    for _row in ws.iter_rows(values_only=True):
                        pass
                wb.close()

        ours = median_time(args.repeats, lambda: [read_return(p, inbox) for p in sample]) * scale
        theirs = median_time(args.repeats, openpyxl_read) * scale
        rows.append(
            ("reader (guard + read, one process)", "openpyxl read-only", theirs, "python-calamine", ours)
        )

        one = median_time(args.repeats, lambda: prepare_all(cat, period, paths, inbox, workers=0))
        pool = median_time(args.repeats, lambda: prepare_all(cat, period, paths, inbox))
        rows.append(("read phase (guard, read, normalise)", "one process", one, "worker pool", pool))

        prepared = prepare_all(cat, period, paths, inbox)
        part = prepared[: args.sample]
        each = median_time(args.repeats, lambda: [check_prepared(cat, period, [p]) for p in part]) * scale
        batch = median_time(args.repeats, lambda: check_prepared(cat, period, prepared))
        rows.append(("validation (pandera)", "one call per return", each, "one per sheet kind", batch))
        prepared, part = [], []  # the whole-report runs below start without these objects alive
        gc.collect()

        cold_out = work / "cold"
        cold = median_time(1, lambda: run_report(cat, period, inbox, cold_out, cache=True))
        _add_missing_unit(schemas, inbox)
        incremental = []
        for i in range(args.repeats):
            again = work / f"warm{i}"
            shutil.copytree(cold_out, again)
            incremental.append(median_time(1, lambda again=again: run_report(cat, period, inbox, again)))
        rows.append(("whole report", "cold", cold, "cached + 1 new return", statistics.median(incremental)))

        print(
            f"N = {len(paths):,} returns; medians of {args.repeats}; per-return loops on {len(sample)} files, scaled"
        )
        print("| step | without | s | with | s | bought |")
        print("|---|---|---|---|---|---|")
        for step, off, t_off, on, t_on in rows:
            print(f"| {step} | {off} | {t_off:.2f} | {on} | {t_on:.2f} | {t_off / t_on:.1f}× |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
