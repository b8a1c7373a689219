"""A store of the first schema (revision 0001), met by ``dti report``: migrated forward on open
(after a backup copy, for SQLite), its rows kept, and the run goes on as on a new store."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.base.messages import store as texts
from pipeline.cli import main
from pipeline.intake import SAMPLE_FILE
from pipeline.store import migrate, open_store
from tests.conftest import new_url
from tests.runner.conftest import Stored
from tests.runner.season import MONTHS, Inbox, csv_bytes, read_csv
from tests.store import data
from tests.store.test_migrate import OLD, build_revision_1

pytestmark = pytest.mark.slow

OCTOBER = MONTHS[0]


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_an_old_store_migrates_forward_when_a_report_opens_it(
    season: Stored, season_inbox: Inbox, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch
) -> None:
    monkeypatch.delenv("DTI_DB", raising=False)
    out = tmp_path / "out"
    out.mkdir()
    if season.dialect == "sqlite":
        db = None  # the analyst's default: dti.sqlite beside the outputs
        url = str(out / "dti.sqlite")
    else:
        db = url = new_url("postgresql", tmp_path, request, "old")
    build_revision_1(url, tmp_path)
    inbox = shutil.copytree(
        season_inbox.of(OCTOBER), tmp_path / "inbox", ignore=shutil.ignore_patterns(SAMPLE_FILE)
    )

    args = [*(["--db", db] if db else []), "report", "--period", OCTOBER.id, "--inbox", str(inbox)]
    result = CliRunner().invoke(main, [*args, "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]

    store = open_store(url, default_path=tmp_path / "unused.sqlite")
    try:
        shown = store.location.shown
        check = store.check()
        old = store.submissions("2023-Q4", locality=data.LOCALITY)
        runs = store.runs()
    finally:
        store.close()
    backup = out / f"dti.sqlite.bak-{OLD}"
    extra = texts.text("migrated_backup", path=backup) if season.dialect == "sqlite" else ""
    assert first == texts.text("migrated", store=shown, old=OLD, new=migrate.head(), backup=extra)
    assert check.revision == migrate.head() and not any(check.dangling.values())
    # the old rows are there, untouched, beside the new run's
    assert list(old["version"]) == [1, 2] and list(old["status"]) == ["superseded", "on_time"]
    assert list(runs["period"]) == ["2023-Q4", OCTOBER.id]
    assert check.counts["task_rows"] == 2 + len(read_csv(season.out / OCTOBER.id / "data" / "tasks.csv"))
    # the period is what it is on a new store: the old quarter leaks into no month
    assert csv_bytes(out / OCTOBER.id) == csv_bytes(season.out / OCTOBER.id)
    if season.dialect == "sqlite":  # the copy before migrating is the old store, whole
        assert rows(backup, "SELECT version_num FROM alembic_version") == [(OLD,)]
        assert rows(backup, "SELECT COUNT(*) FROM submissions") == [(2,)]
        assert rows(backup, "SELECT period, catalogue_version FROM runs") == [("2023-Q4", "cv-old")]
