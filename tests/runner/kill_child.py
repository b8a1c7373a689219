"""A child process for the kill and two-runs tests: ``run_report`` as the CLI runs it, stopped at
one point of the run until the test kills it (SIGKILL) or lets it go on.

    python tests/runner/kill_child.py FOLDER POINT PERIOD INBOX OUT DB

The hooks are installed here, in the child only, by wrapping the functions the run calls (no hook
in the production code): when the run reaches POINT it writes the file ``FOLDER/POINT`` (its text
is the child's pid) and waits — forever, or until ``FOLDER/release`` exists. ``FOLDER/done`` is
written when ``run_report`` returned. Points, in the order a run meets them:

* ``locked``: the run holds the store's lock, its row in ``runs`` written, nothing else yet;
* ``cells``: inside the bulk insert of the new returns' values, half of them written;
* ``remembered``: statuses, merged task rows and scores of the period written;
* ``outputs``: the workbook, the report and the CSV files written in the temporary folder;
* ``commit``: everything written, just before the store's commit;
* ``committed``: just after the commit;
* ``never``: no stop.

Whatever the point, ``FOLDER/acquiring`` is written when the run asks for the store's lock.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

import pipeline.run as R  # noqa: E402
from pipeline.base.periods import parse_period  # noqa: E402
from pipeline.catalogue import load_catalogue  # noqa: E402
from pipeline.store import bulk, lock  # noqa: E402
from tests.runner.season import run  # noqa: E402

POINTS = ("locked", "cells", "remembered", "outputs", "commit", "committed", "never")


def mark(folder: Path, name: str) -> None:
    tmp = folder / f".{name}.tmp"
    tmp.write_text(str(os.getpid()))
    os.replace(tmp, folder / name)


def install(folder: Path, point: str) -> None:
    def stop(name: str) -> None:
        if name != point:
            return
        mark(folder, name)
        while not (folder / "release").exists():
            time.sleep(0.05)

    def before(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            stop(name)
            return func(*args, **kwargs)

        return wrapped

    def after(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            out = func(*args, **kwargs)
            stop(name)
            return out

        return wrapped

    acquire = lock.acquire

    def acquiring(*args: Any, **kwargs: Any) -> Any:
        mark(folder, "acquiring")
        return acquire(*args, **kwargs)

    lock.acquire = acquiring
    R.store_returns = before("locked", R.store_returns)
    R._remember = after("remembered", R._remember)
    R.write_csvs = after("outputs", R.write_csvs)

    insert = bulk.insert

    def halves(conn: sa.Connection, table: sa.Table, names: Any, rows: Any, method: str) -> int:
        if table.name != "cells":
            return insert(conn, table, names, rows, method)
        rows = list(rows)
        half = len(rows) // 2
        count = insert(conn, table, names, rows[:half], method)
        stop("cells")
        return count + insert(conn, table, names, rows[half:], method)

    bulk.insert = halves

    written = {"manifest": False}
    manifest = R.write_manifest

    def write_manifest(*args: Any, **kwargs: Any) -> Any:
        out = manifest(*args, **kwargs)
        written["manifest"] = True  # the run's last write: the next commit is the run's
        return out

    R.write_manifest = write_manifest
    commit = sa.Connection.commit

    def committing(self: sa.Connection) -> None:
        if written["manifest"]:
            stop("commit")
        commit(self)
        if written["manifest"]:
            stop("committed")

    sa.Connection.commit = committing  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    folder, point, period, inbox, out, db = argv
    if point not in POINTS:
        raise SystemExit(f"unknown point {point}; one of {', '.join(POINTS)}")
    install(Path(folder), point)
    run(load_catalogue(), parse_period(period), Path(inbox), Path(out), db)
    mark(Path(folder), "done")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
