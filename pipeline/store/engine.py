"""Where the store lives and how to connect: SQLite files and PostgreSQL URLs.

SQLite connections run in WAL mode with foreign keys on and ``synchronous=FULL``; the driver's
own transaction handling is switched off so that the store emits ``BEGIN`` itself —
``BEGIN IMMEDIATE`` for a run (the write lock), a deferred ``BEGIN`` for reads.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError

from pipeline.base.messages import store as texts
from pipeline.store.errors import StoreUnavailable

BEGIN_OPTION = "dti_begin"  # execution option: "IMMEDIATE" for a write transaction on SQLite
WAIT_OPTION = "dti_lock_wait"  # execution option: seconds a BEGIN IMMEDIATE may wait for the lock
WAL_LIMIT = 64 * 1024 * 1024  # bytes of WAL kept after a checkpoint (a big run's WAL is truncated)


@dataclass(frozen=True)
class Location:
    """A resolved store address: the SQLAlchemy URL, its dialect, and what to show a person."""

    url: URL
    dialect: str  # "sqlite" or "postgresql"
    path: Path | None  # the SQLite file, else None
    shown: str  # the file path, or the URL without its password

    @property
    def sidecar(self) -> Path | None:
        """SQLite only: the file naming the run that holds the store (for the busy message)."""
        return None if self.path is None else self.path.with_name(self.path.name + "-run")


def locate(url: str | None, default_path: Path) -> Location:
    """Resolve ``--db`` / ``DTI_DB``: ``None`` → the SQLite file ``default_path``.

    Accepts a plain file path, ``sqlite:///…``, and ``postgresql://…`` (mapped to psycopg 3,
    ``postgresql+psycopg://``). Anything else raises ``StoreUnavailable`` with a Vietnamese message.
    """
    if url is None or not url.strip():
        return _sqlite(Path(default_path))
    text = url.strip()
    if "://" not in text:
        return _sqlite(Path(text))
    try:
        parsed = make_url(text)
    except ArgumentError as exc:
        raise StoreUnavailable(texts.text("bad_url", url=text)) from exc
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if not parsed.database or parsed.database == ":memory:":
            raise StoreUnavailable(texts.text("bad_url", url=text))
        return _sqlite(Path(parsed.database))
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        parsed = parsed.set(drivername="postgresql+psycopg")
        return Location(parsed, "postgresql", None, unquote(parsed.render_as_string(hide_password=True)))
    raise StoreUnavailable(texts.text("bad_url", url=make_url(text).render_as_string(hide_password=True)))


def _sqlite(path: Path) -> Location:
    path = path.expanduser().absolute()
    return Location(URL.create("sqlite+pysqlite", database=str(path)), "sqlite", path, str(path))


def create_engine(location: Location, lock_wait: float) -> Engine:
    """An engine for ``location``; SQLite files get their folder created and the pragmas set."""
    if location.dialect == "sqlite":
        assert location.path is not None
        try:
            location.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise StoreUnavailable(texts.text("unavailable", store=location.shown, reason=reason)) from exc
        engine = sa.create_engine(location.url, connect_args={"check_same_thread": False})
        _sqlite_events(engine, lock_wait)
        return engine
    return sa.create_engine(
        location.url,
        connect_args={"connect_timeout": 10, "application_name": "dti"},
        pool_pre_ping=True,
    )


def _sqlite_events(engine: Engine, lock_wait: float) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the store emits BEGIN itself
        pragmas = (
            "journal_mode = WAL",
            "foreign_keys = ON",
            "synchronous = FULL",
            f"journal_size_limit = {WAL_LIMIT}",
        )
        for pragma in pragmas:
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        options = conn.get_execution_options()
        mode = "IMMEDIATE" if options.get(BEGIN_OPTION) == "IMMEDIATE" else "DEFERRED"
        wait = float(options.get(WAIT_OPTION, lock_wait))
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute(f"PRAGMA busy_timeout = {max(0, int(wait * 1000))}")
        conn.exec_driver_sql(f"BEGIN {mode}")


def is_busy_error(exc: BaseException) -> bool:
    """True for SQLite's 'database is locked' / 'busy' (another writer holds the store)."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text
