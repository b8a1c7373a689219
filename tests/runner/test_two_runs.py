"""Two runs at once on one store, through ``run_report`` and the CLI: the second waits for the
first; when the first keeps the store past the wait, ``dti report`` refuses in Vietnamese (exit 1)
and the store holds exactly the first run. On SQLite and on PostgreSQL."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import pipeline.run
from pipeline.base.messages import store as texts
from pipeline.cli import main
from pipeline.intake import SAMPLE_FILE
from pipeline.store import open_store
from pipeline.store.lock import format_time
from tests.conftest import new_url
from tests.runner.children import spawn, wait_for
from tests.runner.conftest import Stored
from tests.runner.season import MONTHS, Inbox, csv_bytes

pytestmark = pytest.mark.slow

OCTOBER, NOVEMBER = MONTHS[0], MONTHS[1]


@pytest.fixture
def db(season: Stored, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store of the season's dialect, created (so that neither run creates it)."""
    url = new_url(season.dialect, tmp_path, request, "two")
    open_store(url, default_path=tmp_path / "unused.sqlite").close()
    return url


def store_state(db: str, tmp_path: Path):
    store = open_store(db, default_path=tmp_path / "unused.sqlite")
    try:
        return store.check(), store.runs(), store.periods(locality="TP_THAI_BINH")
    finally:
        store.close()


def test_a_second_report_waits_then_refuses_in_vietnamese(
    db: str, season_inbox: Inbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = spawn(tmp_path / "holder", "locked", season_inbox.of(OCTOBER), tmp_path / "out", db, OCTOBER.id)
    wait_for(tmp_path / "holder" / "locked", holder)  # holds the lock, its run under way

    # the CLI as the analyst runs it on an inbox of their own (a sample keeps a store of its own),
    # waiting one second instead of thirty
    inbox = shutil.copytree(
        season_inbox.of(NOVEMBER), tmp_path / "inbox", ignore=shutil.ignore_patterns(SAMPLE_FILE)
    )
    monkeypatch.setattr(pipeline.run, "open_store", functools.partial(pipeline.run.open_store, lock_wait=1))
    args = ["--db", db, "report", "--period", NOVEMBER.id, "--inbox", str(inbox)]
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    message = result.output.strip().removeprefix("Error: ")
    pattern = re.escape(texts.text("busy", started_at="@", waited="1")).replace("@", r"(.+)")
    found = re.fullmatch(pattern, message)
    assert found, message
    assert message.startswith("Kho dữ liệu đang được một lần chạy khác sử dụng (bắt đầu lúc ")
    assert not (tmp_path / "out" / NOVEMBER.id).exists()
    assert not list((tmp_path / "out").glob(f".{NOVEMBER.id}.*"))  # no half-made folder left

    (tmp_path / "holder" / "release").touch()
    wait_for(tmp_path / "holder" / "done", holder)
    assert holder.wait(timeout=60) == 0
    check, runs, periods = store_state(db, tmp_path)
    assert len(runs) == 1 and list(runs["period"]) == [OCTOBER.id]  # the refused run left nothing
    assert found.group(1) == format_time(runs["started_at"].iloc[0].to_pydatetime())  # names the holder
    assert periods == [OCTOBER.id]
    assert check.integrity in (None, "ok") and not any(check.dangling.values())
    # every return of October: its files, and its one e-mail (one attachment)
    returns = [p for p in season_inbox.of(OCTOBER).iterdir() if p.suffix in (".xlsx", ".eml")]
    assert check.counts["submissions"] == len(returns)


def test_a_second_run_waits_for_the_first_then_goes_on(
    db: str, season: Stored, season_inbox: Inbox, tmp_path: Path
) -> None:
    holder = spawn(tmp_path / "holder", "locked", season_inbox.of(OCTOBER), tmp_path / "out", db, OCTOBER.id)
    wait_for(tmp_path / "holder" / "locked", holder)
    waiter = spawn(tmp_path / "waiter", "never", season_inbox.of(NOVEMBER), tmp_path / "out", db)
    wait_for(tmp_path / "waiter" / "acquiring", waiter)
    assert waiter.poll() is None  # it asked for the lock while the holder had it
    (tmp_path / "holder" / "release").touch()
    for child, name in ((holder, "holder"), (waiter, "waiter")):
        wait_for(tmp_path / name / "done", child)
        assert child.wait(timeout=60) == 0
    _check, runs, periods = store_state(db, tmp_path)
    assert list(runs["period"]) == [OCTOBER.id, NOVEMBER.id]
    # it got the lock (started) only once the holder had finished: it waited, then went on
    assert runs["started_at"].iloc[1] >= runs["finished_at"].iloc[0]
    assert periods == [OCTOBER.id, NOVEMBER.id]
    # and each month is what the season's runs, one after the other, made of it
    for month in (OCTOBER, NOVEMBER):
        assert csv_bytes(tmp_path / "out" / month.id) == csv_bytes(season.out / month.id), month.id
