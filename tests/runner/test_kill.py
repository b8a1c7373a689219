"""``kill -9`` in the middle of ``run_report``: the store is exactly as it was and the previous
output folder whole, wherever the run was stopped; the next run goes through and writes what an
undisturbed run writes. On SQLite and on PostgreSQL.

The killed run re-runs 2023-11 with every return of the month over a store that holds 2023-10 and
the first half of November's returns (and the outputs of that half): it has new returns to store,
cells to write, task rows and scores to replace and an output folder to swap.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.catalogue import Catalogue
from pipeline.intake import discover
from pipeline.runner.prepare import prepare_all
from pipeline.store import open_store
from tests.runner.children import kill, spawn, wait_for
from tests.runner.season import MONTHS, Inbox, csv_bytes, run
from tests.store.pg import Cluster

pytestmark = pytest.mark.slow

CHILD = Path(__file__).with_name("kill_child.py")
NOVEMBER = MONTHS[1]
BEFORE_COMMIT = ("locked", "cells", "remembered", "outputs", "commit")
# every point on SQLite; on PostgreSQL (the server rolls back what a dead client left) the middle of
# a bulk insert and the moment before the commit
KILLS = [("sqlite", p) for p in BEFORE_COMMIT] + [("postgresql", p) for p in ("cells", "commit")]


@dataclass(frozen=True)
class Base:
    """A store and an output folder to copy for each killed run."""

    dialect: str
    db: str
    out: Path
    inbox: Path  # November, every return
    cluster: Cluster | None


def half_of(month: Path, folder: Path) -> Path:
    """A copy of a month's inbox with the first half of its returns (by name)."""
    folder.mkdir(parents=True)
    names = sorted(p.name for p in month.glob("*.xlsx"))
    kept = set(names[: len(names) // 2])
    for name in kept:
        shutil.copy2(month / name, folder / name)
    lines = (month / "received.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "received.csv").write_text(
        lines[0] + "".join(line for line in lines[1:] if line.split(",")[0] in kept), encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def base(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    cat: Catalogue,
    season_inbox: Inbox,
) -> Base:
    dialect = str(request.param)
    root = tmp_path_factory.mktemp(f"kill-{dialect}")
    cluster: Cluster | None = None
    if dialect == "sqlite":
        db = str(root / "base.sqlite")
    else:
        cluster = request.getfixturevalue("pg_cluster")
        db = cluster.new_url("killbase")
    out = root / "out"
    run(cat, MONTHS[0], season_inbox.of(MONTHS[0]), out, db)
    run(cat, NOVEMBER, half_of(season_inbox.of(NOVEMBER), root / "half"), out, db)
    full = season_inbox.of(NOVEMBER)
    prepare_all(cat, NOVEMBER, discover(full), full, cache_dir=out / ".cache")  # every copy reads from it
    return Base(dialect, db, out, full, cluster)


_copies = iter(range(1, 1_000_000))


def copy_of(base: Base, folder: Path) -> tuple[str, Path]:
    """A store holding exactly what the base store holds, and a copy of its outputs."""
    folder.mkdir()
    out = folder / "out"
    shutil.copytree(base.out, out)
    if base.cluster is None:
        db = str(folder / "store.sqlite")
        src, dst = sqlite3.connect(base.db), sqlite3.connect(db)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        return db, out
    name = f"killed_{next(_copies)}"
    base.cluster.admin(f"CREATE DATABASE {name} TEMPLATE {base.db.split('@/')[1].split('?')[0]}")
    return base.cluster.url(name), out


def snapshot(db: str, folder: Path) -> dict[str, bytes]:
    """Every table, row for row, as ``dti store export`` writes it."""
    store = open_store(db, default_path=folder / "unused.sqlite")
    try:
        assert store.note is None  # opened as it was: not created, not migrated
        store.export(folder)
        if store.dialect == "sqlite":
            assert store.check().integrity == "ok"
    finally:
        store.close()
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def undisturbed(base: Base, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The control: the same run in the child, left alone, changes the store and the outputs."""
    root = tmp_path_factory.mktemp(f"undisturbed-{base.dialect}")
    db, out = copy_of(base, root / "copy")
    before = snapshot(db, root / "before")
    proc = spawn(root / "child", "never", base.inbox, out, db)
    wait_for(root / "child" / "done", proc)
    assert proc.wait(timeout=60) == 0
    after = snapshot(db, root / "after")
    assert after != before
    counts = {
        name: after[name].count(b"\n") - before[name].count(b"\n")
        for name in before
        if name != "manifest.json"
    }
    assert counts["runs.csv"] == 1 and counts["submissions.csv"] > 0 and counts["cells.csv"] > 0
    assert files(out / NOVEMBER.id) != files(base.out / NOVEMBER.id)
    return {"csvs": csv_bytes(out / NOVEMBER.id), "store": after}


@pytest.mark.parametrize(("base", "point"), KILLS, indirect=["base"])
def test_kill_9_leaves_the_store_and_the_outputs_as_before(
    point: str, base: Base, undisturbed: dict[str, object], cat: Catalogue, tmp_path: Path
) -> None:
    db, out = copy_of(base, tmp_path / "copy")
    before = snapshot(db, tmp_path / "before")
    old = files(out / NOVEMBER.id)
    proc = spawn(tmp_path / "child", point, base.inbox, out, db)
    wait_for(tmp_path / "child" / point, proc)
    kill(proc)

    assert snapshot(db, tmp_path / "after") == before
    assert files(out / NOVEMBER.id) == old
    # the lock died with the run: the next run goes through and writes what an undisturbed one writes
    run(cat, NOVEMBER, base.inbox, out, db)
    assert csv_bytes(out / NOVEMBER.id) == undisturbed["csvs"]


def test_kill_9_after_the_commit_keeps_the_run_and_the_old_outputs(
    base: Base, undisturbed: dict[str, object], cat: Catalogue, tmp_path: Path
) -> None:
    """Killed between the commit and the swap of the output folder: the store has the whole run
    and the previous folder is still whole; the next run rebuilds the folder from the store."""
    db, out = copy_of(base, tmp_path / "copy")
    before = snapshot(db, tmp_path / "before")
    old = files(out / NOVEMBER.id)
    proc = spawn(tmp_path / "child", "committed", base.inbox, out, db)
    wait_for(tmp_path / "child" / "committed", proc)
    kill(proc)

    after = snapshot(db, tmp_path / "after")
    committed = undisturbed["store"]
    assert isinstance(committed, dict)
    for name in before:
        if name not in ("runs.csv", "manifest.json"):  # runs: other times
            assert after[name] == committed[name], name
    assert files(out / NOVEMBER.id) == old
    empty = tmp_path / "empty"
    empty.mkdir()
    run(cat, NOVEMBER, empty, out, db)
    assert csv_bytes(out / NOVEMBER.id) == undisturbed["csvs"]
