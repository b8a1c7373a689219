"""A run is one transaction: killed halfway it leaves the store as it was; two runs never mix."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.base.messages import store as texts
from pipeline.store import Store, StoreBusy, open_store
from pipeline.store.lock import format_time
from tests.store import data

CHILD = Path(__file__).with_name("child.py")
STEPS = ("started", "submissions", "cells-mid", "cells", "tasks", "all", "timer")


def spawn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, str(CHILD), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 90.0) -> None:
    end = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"child exited ({proc.returncode}) before {path.name}: {out}\n{err}")
        if time.monotonic() > end:
            proc.kill()
            pytest.fail(f"child did not reach {path.name} in {timeout} s")
        time.sleep(0.02)


def snapshot(store: Store, folder: Path) -> dict[str, bytes]:
    """Every table, row for row, as the export writes it."""
    store.export(folder)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def base_state(url: str, tmp_path: Path) -> Store:
    store = open_store(url, default_path=tmp_path / "x.sqlite", lock_wait=20)
    with store.run(locality=data.LOCALITY, period="2023-11") as run:
        data.write_period(run, "2023-11")
    with store.run(locality=data.LOCALITY, period="2023-12") as run:
        data.write_period(run, "2023-12", variant=1)
    return store


@pytest.mark.parametrize("step", STEPS)
def test_kill_9_leaves_the_store_as_before(step: str, store_url: str, tmp_path: Path) -> None:
    store = base_state(store_url, tmp_path)
    before = snapshot(store, tmp_path / "before")
    folder = tmp_path / "child"
    folder.mkdir()
    proc = spawn("kill", store_url, str(folder), "all" if step == "timer" else step)
    if step == "timer":  # somewhere inside the bulk writes, wherever the clock lands
        wait_for(folder / "submissions", proc)
        time.sleep(0.15)
    else:
        wait_for(folder / step, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not (folder / "committed").exists()

    store.close()
    reopened = open_store(store_url, default_path=tmp_path / "x.sqlite", lock_wait=20)
    try:
        assert reopened.note is None
        assert snapshot(reopened, tmp_path / "after") == before
        if reopened.dialect == "sqlite":
            assert reopened.check().integrity == "ok"
        # the lock died with the process: the next run goes through at once
        t0 = time.monotonic()
        with reopened.run(locality=data.LOCALITY, period="2023-11", lock_wait=20) as run:
            # SQLite reuses the killed run's id (it was never committed); PostgreSQL sequences move on
            assert run.id == 3 if reopened.dialect == "sqlite" else run.id > 3
            run.replace_scores(data.score_frame(("VP",)))
        assert time.monotonic() - t0 < 15
        assert len(reopened.scores("2023-11", locality=data.LOCALITY)) == 4
    finally:
        reopened.close()


def test_the_killed_run_would_have_changed_everything(store_url: str, tmp_path: Path) -> None:
    """The control of the kill test: left alone, the child's run commits all it wrote."""
    store = base_state(store_url, tmp_path)
    before = snapshot(store, tmp_path / "before")
    folder = tmp_path / "child"
    folder.mkdir()
    proc = spawn("kill", store_url, str(folder), "never")
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert (folder / "committed").exists()
    after = snapshot(store, tmp_path / "after")
    assert all(
        after[name] != before[name] for name in before if name not in ("manifest.json", "links.csv")
    )  # no link issued
    counts = store.check().counts
    assert counts["submissions"] == 2 * len(data.UNITS) + 40
    assert counts["cells"] == 2 * 12 * len(data.UNITS) + 40 * 2_500
    assert len(store.task_rows("2023-11", locality=data.LOCALITY)) == 40 * 30  # replaced
    assert list(store.runs()["catalogue_version"].fillna("")) == ["", "", "killed"]
    store.close()


def test_an_exception_rolls_the_run_back(store: Store) -> None:
    with store.run(locality=data.LOCALITY, period="2023-10") as run:
        data.write_period(run, "2023-10")
    counts = store.check().counts
    with (
        pytest.raises(RuntimeError, match="boom"),
        store.run(locality=data.LOCALITY, period="2023-10") as run,
    ):
        data.write_period(run, "2023-10", variant=3)
        run.replace_task_rows(data.task_frame(("VP",), 1, {}))
        raise RuntimeError("boom")
    assert store.check().counts == counts
    assert len(store.task_rows("2023-10", locality=data.LOCALITY)) == 6 * len(data.UNITS)
    with store.run(locality=data.LOCALITY, period="2023-10", lock_wait=1) as run:
        assert run.id == 2 if store.dialect == "sqlite" else run.id >= 2


def test_readers_see_the_last_commit_only(store: Store) -> None:
    with store.run(locality=data.LOCALITY, period="2023-10") as run:
        data.write_period(run, "2023-10")
        assert len(run.submissions("2023-10", locality=data.LOCALITY)) == len(data.UNITS)  # its own writes
        assert store.submissions("2023-10", locality=data.LOCALITY).empty  # others: not yet
        assert store.check().counts["cells"] == 0
    assert len(store.submissions("2023-10", locality=data.LOCALITY)) == len(data.UNITS)


def test_a_second_run_in_the_same_process_waits_then_refuses(store: Store) -> None:
    with store.run(locality=data.LOCALITY, period="2023-10") as first:
        t0 = time.monotonic()
        with (
            pytest.raises(StoreBusy) as err,
            store.run(locality=data.LOCALITY, period="2023-10", lock_wait=0.5),
        ):
            pass
        waited = time.monotonic() - t0
        assert 0.45 <= waited < 5
        expected = texts.text("busy", started_at=format_time(first.started_at), waited="0,5")
        assert err.value.message == expected


def test_two_processes_second_waits_then_refuses(store_url: str, tmp_path: Path) -> None:
    store = open_store(store_url, default_path=tmp_path / "x.sqlite", lock_wait=20)
    folder = tmp_path / "a"
    folder.mkdir()
    holder = spawn("hold", store_url, str(folder))
    wait_for(folder / "holding", holder)

    waiter_dir = tmp_path / "b"
    waiter_dir.mkdir()
    t0 = time.monotonic()
    waiter = spawn("busy", store_url, str(waiter_dir), "1")
    _out, err = waiter.communicate(timeout=60)
    assert waiter.returncode == 3, err
    waited_text, message = (waiter_dir / "busy").read_text(encoding="utf-8").split("\n", 1)
    assert 0.95 <= float(waited_text) < 10 and time.monotonic() - t0 >= 0.95
    assert re.fullmatch(
        r"Kho dữ liệu đang được một lần chạy khác sử dụng \(bắt đầu lúc \d\d:\d\d:\d\d ngày \d\d/\d\d/\d{4}\); "
        r"đã chờ 1 giây\. Hãy chờ lần chạy đó xong rồi chạy lại\.",
        message,
    ), message
    assert store.submissions("2023-10", locality=data.LOCALITY).empty  # the holder has not committed

    (folder / "release").touch()
    holder.communicate(timeout=60)
    assert holder.returncode == 0 and (folder / "committed").exists()
    runs = store.runs()
    assert list(runs["catalogue_version"]) == ["holder"]
    assert format_time(runs["started_at"].iloc[0].to_pydatetime()) in message  # it names the holder's start

    again = tmp_path / "c"
    again.mkdir()
    ok = spawn("busy", store_url, str(again), "5")
    ok.communicate(timeout=60)
    assert ok.returncode == 0 and (again / "got").exists()
    assert len(store.submissions("2023-10", locality=data.LOCALITY)) == len(data.UNITS)
    assert len(store.runs()) == 2
    store.close()


def test_two_processes_second_waits_then_goes_on(store_url: str, tmp_path: Path) -> None:
    store = open_store(store_url, default_path=tmp_path / "x.sqlite")
    folder = tmp_path / "a"
    folder.mkdir()
    holder = spawn("hold", store_url, str(folder))
    wait_for(folder / "holding", holder)
    waiter_dir = tmp_path / "b"
    waiter_dir.mkdir()
    t0 = time.monotonic()
    waiter = spawn("busy", store_url, str(waiter_dir), "30")
    time.sleep(1.5)
    assert waiter.poll() is None and not (waiter_dir / "got").exists()  # still waiting
    (folder / "release").touch()
    waiter.communicate(timeout=60)
    holder.communicate(timeout=60)
    assert holder.returncode == 0 and waiter.returncode == 0
    assert (waiter_dir / "got").exists() and time.monotonic() - t0 >= 1.5
    runs = store.runs()
    assert list(runs["catalogue_version"].fillna("")) == ["holder", ""]
    assert runs["started_at"].iloc[1] >= runs["finished_at"].iloc[0]  # strictly one after the other
    store.close()


def test_two_processes_storing_returns_of_one_unit_get_versions_one_and_two(
    store_url: str, tmp_path: Path
) -> None:
    store = open_store(store_url, default_path=tmp_path / "x.sqlite")
    folder = tmp_path / "race"
    folder.mkdir()
    shas = (data.sha("race", 1), data.sha("race", 2))
    procs = [spawn("compete", store_url, str(folder), s) for s in shas]
    time.sleep(1.0)  # both are open and waiting
    (folder / "go").touch()
    for p in procs:
        _out, err = p.communicate(timeout=90)
        assert p.returncode == 0, err
    marks = sorted(p.name for p in folder.iterdir() if p.name.startswith("version-"))
    assert sorted(m.split("-")[1] for m in marks) == ["1", "2"]
    subs = store.submissions("2023-12", locality=data.LOCALITY)
    assert list(subs["version"]) == [1, 2]
    assert data.table_rows(subs[["status", "superseded_by", "counting"]]) == [
        ("superseded", int(subs["id"].iloc[1]), False),
        ("on_time", None, True),
    ]
    assert len(store.runs()) == 2
    store.close()
