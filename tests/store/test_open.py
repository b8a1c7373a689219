"""Opening a store: created on first use, reopened as it was, addresses, refusals, check()."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from pipeline.store import NotAStore, StoreUnavailable, head_revision, open_store
from pipeline.store import schema as S
from pipeline.store.engine import locate
from tests.store import data


def test_default_path_creates_a_wal_sqlite_file(tmp_path: Path) -> None:
    target = tmp_path / "output" / "nested" / "dti.sqlite"
    store = open_store(None, default_path=target)
    try:
        assert target.is_file()
        assert store.dialect == "sqlite"
        assert store.note is not None and "Đã tạo kho dữ liệu mới" in store.note and "0004" in store.note
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    finally:
        store.close()
    raw = sqlite3.connect(target)
    try:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("0004",)]
    finally:
        raw.close()


def test_create_then_reopen_keeps_everything(store_url: str, tmp_path: Path) -> None:
    store = open_store(store_url, default_path=tmp_path / "x.sqlite")
    assert store.note is not None
    with store.run(locality=data.LOCALITY, period="2023-10", catalogue_version="cv1") as run:
        refs = data.write_period(run, "2023-10")
    before = {t: store.check().counts[t] for t in S.TABLE_NAMES}
    store.close()

    again = open_store(store_url, default_path=tmp_path / "x.sqlite")
    try:
        assert again.note is None  # nothing to create or migrate
        check = again.check()
        assert check.revision == check.head == head_revision() == "0004"
        assert check.counts == before
        assert before["submissions"] == len(data.UNITS) and before["cells"] == 12 * len(data.UNITS)
        subs = again.submissions("2023-10", locality=data.LOCALITY)
        assert list(subs["unit_code"]) == sorted(data.UNITS)
        assert {r.id for r in refs.values()} == set(subs["id"].astype(int))
        runs = again.runs()
        assert list(runs["catalogue_version"]) == ["cv1"] and list(runs["status"]) == ["ok"]
        assert runs["finished_at"].iloc[0] >= runs["started_at"].iloc[0]
    finally:
        again.close()


def test_schema_built_by_migrations_is_the_declared_schema(store: object) -> None:
    engine: sa.Engine = store.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, S.metadata)
    assert diff == []


def test_check_counts_and_lines(store_url: str, tmp_path: Path) -> None:
    store = open_store(store_url, default_path=tmp_path / "x.sqlite")
    try:
        empty = store.check()
        assert empty.counts == dict.fromkeys(S.TABLE_NAMES, 0)
        assert empty.up_to_date
        with store.run(locality=data.LOCALITY, period="2023-Q4") as run:
            data.write_period(run, "2023-Q4", cells=7, tasks=3)
        check = store.check()
        n = len(data.UNITS)
        assert check.counts == {
            "runs": 1,
            "files": n,
            "submissions": n,
            "cells": 7 * n,
            "issues": n,
            "task_rows": 3 * n,
            "scores": 4 * n,
            "reminders": 1,
            "links": 0,
        }
        assert check.dialect == store.dialect
        lines = check.lines()
        assert any("Cấu trúc kho: phiên bản 0004" in line for line in lines)
        assert f"  Ô dữ liệu: {7 * n} dòng" in lines
        if store.dialect == "sqlite":
            assert check.integrity == "ok"
            assert "Kiểm tra toàn vẹn tệp SQLite: tốt." in lines
        else:
            assert check.integrity is None
    finally:
        store.close()


def test_addresses() -> None:
    default = Path("/tmp/a/dti.sqlite")
    assert locate(None, default).path == default
    assert locate("", default).path == default
    assert locate("/srv/dti/kho.sqlite", default).path == Path("/srv/dti/kho.sqlite")
    assert locate("sqlite:////srv/dti/kho.sqlite", default).path == Path("/srv/dti/kho.sqlite")
    pg = locate("postgresql://dti:mat-khau@db.local:5433/dti", default)
    assert pg.dialect == "postgresql" and pg.url.drivername == "postgresql+psycopg"
    assert "mat-khau" not in pg.shown and "***" in pg.shown
    assert locate("postgresql+psycopg://u@h/d", default).url.drivername == "postgresql+psycopg"
    for bad in ("mysql://u@h/d", "sqlite://", "sqlite:///:memory:", "postgresql+psycopg2://u@h/d"):
        with pytest.raises(StoreUnavailable) as err:
            locate(bad, default)
        assert "không được hỗ trợ" in err.value.message


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.sqlite"
    junk.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 100)
    with pytest.raises(NotAStore) as err:
        open_store(str(junk), default_path=junk)
    assert "không phải là kho dữ liệu của dti" in err.value.message and str(junk) in err.value.message
    other = tmp_path / "other.sqlite"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE contacts (name TEXT)")
    raw.commit()
    raw.close()
    with pytest.raises(NotAStore):
        open_store(str(other), default_path=other)
    raw = sqlite3.connect(other)
    assert [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["contacts"]
    raw.close()


def test_unreachable_postgresql_is_named(tmp_path: Path) -> None:
    url = f"postgresql://postgres@/dti?host={tmp_path}&port=1"  # no server has a socket there
    with pytest.raises(StoreUnavailable) as err:
        open_store(url, default_path=tmp_path / "x.sqlite")
    assert err.value.message.startswith("Không mở được kho dữ liệu postgresql+psycopg://postgres@/dti")
    assert "DTI_DB" in err.value.message


def test_a_store_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "output"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(StoreUnavailable) as err:
        open_store(None, default_path=blocker / "dti.sqlite")
    assert err.value.message.startswith(f"Không mở được kho dữ liệu {blocker / 'dti.sqlite'}: ")
    folder = tmp_path / "a-folder.sqlite"
    folder.mkdir()
    with pytest.raises(StoreUnavailable) as err:
        open_store(str(folder), default_path=folder)
    assert str(folder) in err.value.message
