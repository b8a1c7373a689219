"""A child process for the store's kill and two-runs tests.

    python tests/store/child.py MODE URL FOLDER [ARG]

It talks to the test through files in FOLDER: ``<step>`` files mark how far it got (their text
is the child's pid); the test kills it (SIGKILL) or creates ``release`` / ``go`` to let it on.

* ``kill STEP``: a run that rewrites period 2023-11, marking each step (``started``,
  ``submissions``, ``cells-mid`` — inside one bulk insert, between two chunks —, ``cells``,
  ``tasks``, ``all``) and holding forever at STEP; ``committed`` if it ever gets there.
* ``hold``: a run that writes period 2023-10, marks ``holding``, and commits once ``release`` exists.
* ``busy WAIT``: tries to start a run with ``lock_wait=WAIT``; writes the refusal to ``busy``.
* ``compete SHA``: once ``go`` exists, stores a return of VP for 2023-12 with content SHA.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from pipeline.store import StoreBusy, open_store  # noqa: E402
from tests.store import data  # noqa: E402

KILL_PERIOD = "2023-11"
KILL_UNITS = tuple(f"U{i:03d}" for i in range(40))


def mark(folder: Path, name: str) -> None:
    tmp = folder / f".{name}.tmp"
    tmp.write_text(str(os.getpid()))
    os.replace(tmp, folder / name)


def wait_for(path: Path, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > end:
            raise SystemExit(f"timed out waiting for {path}")
        time.sleep(0.02)


def kill_mode(url: str, folder: Path, stop_at: str) -> None:
    def step(name: str) -> None:
        mark(folder, name)
        if name == stop_at:
            while True:
                time.sleep(60)

    store = open_store(url, default_path=folder / "unused.sqlite", lock_wait=30)
    with store.run(locality=data.LOCALITY, period=KILL_PERIOD, catalogue_version="killed") as run:
        step("started")
        refs = {}
        for i, u in enumerate(KILL_UNITS):
            digest = data.sha("killed", u)
            run.record_file(
                digest, size=1 + i, name=f"{u}.xlsx", channel="inbox", received_at=data.when(25, i % 24)
            )
            refs[u] = run.record_submission(
                unit_code=u,
                sha256=digest,
                file_name=f"{u}.xlsx",
                received_at=data.when(25, i % 24),
                status="late",
            )
        step("submissions")

        def chunks() -> Iterator[pd.DataFrame]:
            for k, ref in enumerate(refs.values()):
                if k == 2:
                    step("cells-mid")
                yield data.cells_frame(ref.id, 2_500, variant=k)

        run.add_cells(chunks())
        step("cells")
        run.add_issues(
            pd.DataFrame(
                [
                    {"submission_id": r.id, "severity": "error", "code": "x", "message": "Lỗi"}
                    for r in refs.values()
                ]
            )
        )
        run.replace_task_rows(data.task_frame(KILL_UNITS, 30, refs, variant=9))
        step("tasks")
        run.replace_scores(data.score_frame(KILL_UNITS, variant=9))
        for u in KILL_UNITS:
            run.log_reminder(unit_code=u, channel="zalo", sent_on=data.when(26).date())
        step("all")
    mark(folder, "committed")


def hold_mode(url: str, folder: Path) -> None:
    store = open_store(url, default_path=folder / "unused.sqlite", lock_wait=30)
    with store.run(locality=data.LOCALITY, period="2023-10", catalogue_version="holder") as run:
        data.write_period(run, "2023-10", variant=5)
        mark(folder, "holding")
        wait_for(folder / "release")
    mark(folder, "committed")


def busy_mode(url: str, folder: Path, wait: float) -> int:
    store = open_store(url, default_path=folder / "unused.sqlite", lock_wait=wait)
    t0 = time.monotonic()
    try:
        with store.run(locality=data.LOCALITY, period="2023-10", lock_wait=wait):
            mark(folder, "got")
    except StoreBusy as exc:
        (folder / "busy").write_text(f"{time.monotonic() - t0:.3f}\n{exc.message}", encoding="utf-8")
        return 3
    return 0


def compete_mode(url: str, folder: Path, digest: str) -> None:
    store = open_store(url, default_path=folder / "unused.sqlite", lock_wait=60)
    wait_for(folder / "go")
    with store.run(locality=data.LOCALITY, period="2023-12") as run:
        run.record_file(digest, size=1, name=f"{digest[:6]}.xlsx", channel="upload", received_at=data.now())
        time.sleep(0.3)  # both runs would interleave here without the lock
        ref = run.record_submission(
            unit_code="VP",
            sha256=digest,
            file_name=f"{digest[:6]}.xlsx",
            received_at=data.now(),
            status="on_time",
        )
    mark(folder, f"version-{ref.version}-{digest[:6]}")


def main(argv: list[str]) -> int:
    mode, url, folder = argv[0], argv[1], Path(argv[2])
    if mode == "kill":
        kill_mode(url, folder, argv[3])
    elif mode == "hold":
        hold_mode(url, folder)
    elif mode == "busy":
        return busy_mode(url, folder, float(argv[3]))
    elif mode == "compete":
        compete_mode(url, folder, argv[3])
    else:
        raise SystemExit(f"unknown mode {mode}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
