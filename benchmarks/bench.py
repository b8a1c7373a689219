"""Benchmark the whole report at several sizes against a naive baseline, side by side.

    python benchmarks/bench.py [--sizes 40,2000,10000] [--repeats 3] [--baseline-sample 1000]

For each size N the script builds a synthetic profile (the project's schemas plus N - 36
extra communes, through ``--schemas``-style profile folders), writes N demo returns with the
demo generator, then measures, each run in a fresh process (so peak memory is the run's own):

* ``dti``: ``run_report`` cold (no cache), per stage: discover, guard, read, normalise (CPU
  seconds summed over the worker processes), the read phase's wall time, validate, store,
  score, write; files per second; peak memory (main process and largest worker);
* the floor of reading: unzip each file's sheet XML and shared strings, nothing else;
* a naive baseline: one ``pandas.read_excel(engine="openpyxl")`` and one pandera call per
  file (on a sample of files when N is large; the rate is then extrapolated, and said so);
* incremental: the same inbox cached, plus one new return.

Medians of ``--repeats`` runs; ratios side by side. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERIOD = "2023-11"  # a month: every unit expected, each return with its tasks and indicators


def make_profile(n_returns: int, folder: Path) -> Path:
    """The project's schemas plus enough synthetic communes for ``n_returns`` returns."""
    schemas = folder / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    extra = max(0, n_returns - 36)  # demo: one unit missing, one sending twice
    with (schemas / "units.csv").open("a", encoding="utf-8") as fh:
        for i in range(1, extra + 1):
            fh.write(f"X_SYN_{i:05d},UBND xã Tổng hợp {i:05d},commune,{90000 + i},,,\n")
    return schemas


def build(n: int, work: Path) -> tuple[Path, Path]:
    from pipeline.base.periods import parse_period
    from pipeline.catalogue import load_catalogue
    from pipeline.demo import write_demo

    schemas = make_profile(n, work)
    inbox = work / "inbox"
    started = time.perf_counter()
    write_demo(load_catalogue(schemas), parse_period(PERIOD), inbox)
    print(f"  built {n} returns in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return schemas, inbox


_RUN = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from pipeline.catalogue import load_catalogue
from pipeline.base.periods import parse_period
from pipeline.run import run_report
schemas, inbox, out, cache = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] == "1"
cat = load_catalogue(schemas)
t1 = time.perf_counter()
res = run_report(cat, parse_period(sys.argv[5]), inbox, out, cache=cache)
t2 = time.perf_counter()
print(json.dumps({
    "load": t1 - t0, "total": t2 - t1, "timings": res.timings, "files": res.files,
    "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""

_FLOOR = r"""
import sys, time, zipfile
from pathlib import Path
paths = sorted(p for p in Path(sys.argv[1]).iterdir() if p.suffix == ".xlsx")
t = time.perf_counter()
for p in paths:
    with zipfile.ZipFile(p) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                z.read(name)
print(time.perf_counter() - t)
"""

_NAIVE = r"""
import sys, time, warnings
from pathlib import Path
import pandas as pd
import pandera.pandas as pa
warnings.simplefilter("ignore")
paths = sorted(p for p in Path(sys.argv[1]).iterdir() if p.suffix == ".xlsx")[: int(sys.argv[2])]
schema = pa.DataFrameSchema({
    "Mã nhiệm vụ": pa.Column(str),
    "Tình trạng": pa.Column(str, pa.Check.isin(["Chưa thực hiện", "Đang thực hiện", "Hoàn thành", "Không phát sinh"]), nullable=True),
    "Kết quả (số liệu)": pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
}, strict=False)
t = time.perf_counter()
for p in paths:
    sheets = pd.read_excel(p, sheet_name=None, header=None, engine="openpyxl")  # one read per file
    raw = sheets["Nhiệm vụ"]
    tasks = raw.iloc[5:].set_axis([str(c) for c in raw.iloc[4]], axis=1)
    try:
        schema.validate(tasks, lazy=True)
    except pa.errors.SchemaErrors:
        pass
print(len(paths), time.perf_counter() - t)
"""


def _py(code: str, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    )
    return proc.stdout.strip()


def run_once(schemas: Path, inbox: Path, out: Path, cache: bool) -> dict:
    return json.loads(_py(_RUN, str(schemas), str(inbox), str(out), "1" if cache else "0", PERIOD))


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench(n: int, repeats: int, baseline_sample: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"dti-bench-{n}-"))
    try:
        schemas, inbox = build(n, work)
        runs = [run_once(schemas, inbox, work / f"out{i}", cache=False) for i in range(repeats)]
        stages = [
            "discover",
            "guard",
            "read",
            "normalise",
            "read_wall",
            "validate",
            "store",
            "score",
            "write",
        ]
        result = {
            "n": n,
            "files": runs[0]["files"],
            "total": median([r["total"] for r in runs]),
            "load": median([r["load"] for r in runs]),
            "stages": {s: median([r["timings"].get(s, 0.0) for r in runs]) for s in stages},
            "rss_main_mb": max(r["rss_main_mb"] for r in runs),
            "rss_worker_mb": max(r["rss_worker_mb"] for r in runs),
        }
        result["floor"] = median([float(_py(_FLOOR, str(inbox))) for _ in range(repeats)])
        sample = min(baseline_sample, result["files"])
        naive = [_py(_NAIVE, str(inbox), str(sample)).split() for _ in range(repeats)]
        count = int(naive[0][0])
        result["naive_files"] = count
        result["naive_total"] = median([float(seconds) for _, seconds in naive]) * result["files"] / count
        # incremental: a cached run, then one new return (the demo's missing unit); each repeat
        # starts from a copy of that cache, so every measured run reads exactly one new file
        cached = work / "cached"
        run_once(schemas, inbox, cached, cache=True)
        _add_missing_unit(schemas, inbox)
        inc = []
        for i in range(repeats):
            again = work / f"cached{i}"
            shutil.copytree(cached, again)
            inc.append(run_once(schemas, inbox, again, cache=True))
            shutil.rmtree(again, ignore_errors=True)
        result["incremental"] = median([r["total"] for r in inc])
        result["incremental_stages"] = {s: median([r["timings"].get(s, 0.0) for r in inc]) for s in stages}
        result["incremental_rss_mb"] = max(r["rss_main_mb"] for r in inc)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _add_missing_unit(schemas: Path, inbox: Path) -> None:
    from pipeline.base.periods import parse_period
    from pipeline.catalogue import load_catalogue
    from pipeline.outputs.templates import Filled, write_template

    cat = load_catalogue(schemas)
    period = parse_period(PERIOD)
    present = {p.name for p in inbox.iterdir()}
    for unit in cat.expected_units(period):
        name = f"{PERIOD}_{unit}.xlsx"
        if name not in present and not any(unit in p for p in present):
            write_template(cat, unit, period, inbox / name, Filled())
            return


def read_stage_wall(stages: dict[str, float]) -> float:
    """The read stage's share of the read phase's wall time (guard, read and normalise run
    interleaved in the same worker processes, so their wall times are not separable)."""
    cpu = stages["guard"] + stages["read"] + stages["normalise"]
    return stages["read_wall"] * stages["read"] / cpu if cpu else 0.0


def table(results: list[dict]) -> str:
    lines = [
        "| returns | total (s) | files/s | discover | guard* | read* | normalise* | read phase | validate | store | score | write | peak MB (main / worker) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r["stages"]
        lines.append(
            f"| {r['files']:,} | {r['total']:.1f} | {r['files'] / r['total']:,.0f} | {s['discover']:.2f} | "
            f"{s['guard']:.1f} | {s['read']:.1f} | {s['normalise']:.1f} | {s['read_wall']:.1f} | {s['validate']:.1f} | "
            f"{s['store']:.2f} | {s['score']:.2f} | {s['write']:.1f} | {r['rss_main_mb']:.0f} / {r['rss_worker_mb']:.0f} |"
        )
    lines += [
        "",
        "| returns | dti (s) | naive baseline (s) | speed-up | unzip floor (s) | read stage (s) | read ÷ floor "
        "| read ÷ floor, per core | read phase (s) | read phase ÷ floor | incremental, 1 new (s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        note = "" if r["naive_files"] == r["files"] else f" (from {r['naive_files']:,} files)"
        s = r["stages"]
        read = read_stage_wall(s)
        lines.append(
            f"| {r['files']:,} | {r['total']:.1f} | {r['naive_total']:.0f}{note} | {r['naive_total'] / r['total']:.1f}× | "
            f"{r['floor']:.2f} | {read:.2f} | {read / r['floor']:.1f}× | {s['read'] / r['floor']:.1f}× | "
            f"{s['read_wall']:.1f} | {s['read_wall'] / r['floor']:.1f}× | {r['incremental']:.2f} |"
        )
    lines += [
        "",
        "| returns | cold (s) | re-run, 1 new (s) | re-run ÷ cold | discover | read phase | validate | store | score | write | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r["incremental_stages"]
        lines.append(
            f"| {r['files']:,} | {r['total']:.1f} | {r['incremental']:.2f} | {r['incremental'] / r['total']:.2f} | "
            f"{s['discover']:.2f} | {s['read_wall']:.2f} | {s['validate']:.2f} | {s['store']:.2f} | {s['score']:.2f} | "
            f"{s['write']:.2f} | {r['incremental_rss_mb']:.0f} |"
        )
    lines.append("")
    lines.append(
        "`*` CPU seconds summed over the worker processes. The read phase (guard, read, normalise) "
        "is their wall time; the read stage's share of it is read ÷ (guard + read + normalise) of "
        "that wall time. Per core: the read stage's CPU seconds ÷ the floor's (one process)."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="40,2000,10000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline-sample", type=int, default=1000)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    results = []
    for n in (int(x) for x in args.sizes.split(",")):
        print(f"N = {n}", file=sys.stderr)
        results.append(bench(n, args.repeats, args.baseline_sample))
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
