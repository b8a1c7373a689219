"""Run one report under a memory limit, the way the corpus tests do: in its own process.

    python -m tests.corpus.runner INBOX OUT [LIMIT_MB]

Sets RLIMIT_AS (default 1 GiB) before importing anything heavy, runs ``run_report`` for the
corpus period on INBOX into OUT, and prints one JSON line (seconds, peak RSS, statuses). A
parser that aborts (SIGABRT) or runs out of memory ends this process, not the test session.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT_MB = 1024


def main(argv: list[str]) -> int:
    inbox, out = Path(argv[0]), Path(argv[1])
    limit = (int(argv[2]) if len(argv) > 2 else LIMIT_MB) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    from pipeline.base.periods import parse_period
    from pipeline.catalogue import load_catalogue
    from pipeline.run import run_report

    from .build import MADE_ON, PERIOD

    # the corpus is written for a quarter whose returns carry tasks too: the test passes that profile
    cat = load_catalogue(os.environ.get("DTI_CORPUS_SCHEMAS") or ROOT / "schemas")
    started = time.perf_counter()
    result = run_report(cat, parse_period(PERIOD), inbox, out, made_on=MADE_ON)
    report = {
        "seconds": round(time.perf_counter() - started, 3),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "status_counts": result.status_counts,
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
