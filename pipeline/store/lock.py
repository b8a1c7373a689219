"""One writer at a time: the run lock on SQLite and PostgreSQL.

* SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock for the whole run (the busy
  timeout is the wait). The holder writes a small sidecar file ``<store>-run`` naming when it
  started, so that a waiting run can say so; the lock itself is SQLite's, released by the
  operating system when the holder dies.
* PostgreSQL: a transaction-level advisory lock (``pg_try_advisory_xact_lock``) polled until the
  wait is over; it is released at commit, rollback, or when the holder's session ends. The
  holder puts its start time in ``application_name``, which the waiting run reads from
  ``pg_stat_activity``.

Readers never take the lock: WAL (SQLite) and MVCC (PostgreSQL) give them the last commit.
"""

from __future__ import annotations

import json
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from pipeline.base.messages import store as texts
from pipeline.store.engine import BEGIN_OPTION, WAIT_OPTION, Location, is_busy_error
from pipeline.store.errors import StoreBusy

PG_LOCK = (0x44544931, 1)  # ("DTI1", 1): the advisory lock of every write to the store
APP_PREFIX = "dti run since "
POLL = 0.1


def acquire(engine: Engine, location: Location, wait: float) -> tuple[sa.Connection, datetime]:
    """A connection inside a write transaction that holds the store's lock, and when it got it.

    Raises ``StoreBusy`` (Vietnamese message) when another writer keeps the lock past ``wait``.
    """
    if location.dialect == "sqlite":
        return _acquire_sqlite(engine, location, wait)
    return _acquire_pg(engine, wait)


def release(location: Location, conn: sa.Connection, started: datetime) -> None:
    """Forget the sidecar (SQLite) if it is still ours; the lock goes with the transaction."""
    if location.sidecar is None:
        return
    try:
        info = json.loads(location.sidecar.read_text(encoding="utf-8"))
        if info.get("pid") == os.getpid() and info.get("started_at") == started.isoformat():
            location.sidecar.unlink()
    except (OSError, ValueError):
        pass


def _acquire_sqlite(engine: Engine, location: Location, wait: float) -> tuple[sa.Connection, datetime]:
    t0 = time.monotonic()
    conn = engine.connect().execution_options(**{BEGIN_OPTION: "IMMEDIATE", WAIT_OPTION: wait})
    try:
        conn.begin()
    except OperationalError as exc:
        conn.close()
        if is_busy_error(exc):
            raise _busy(_sidecar_started(location.sidecar), time.monotonic() - t0, wait) from exc
        raise
    started = datetime.now(UTC)
    if location.sidecar is not None:
        _write_sidecar(location.sidecar, started)
    return conn, started


def _acquire_pg(engine: Engine, wait: float) -> tuple[sa.Connection, datetime]:
    t0 = time.monotonic()
    conn = engine.connect()
    try:
        conn.begin()
        while True:
            got = conn.execute(sa.select(sa.func.pg_try_advisory_xact_lock(*PG_LOCK))).scalar()
            if got:
                break
            waited = time.monotonic() - t0
            if waited >= wait:
                holder = _pg_holder_started(conn)
                raise _busy(holder, waited, wait)
            time.sleep(min(POLL, max(0.0, wait - waited)))
        started = datetime.now(UTC)
        conn.execute(
            sa.select(sa.func.set_config("application_name", APP_PREFIX + started.isoformat(), True))
        )
        return conn, started
    except BaseException:
        conn.rollback()
        conn.close()
        raise


def _pg_holder_started(conn: sa.Connection) -> datetime | None:
    row = conn.execute(
        sa.text(
            "SELECT a.application_name, a.xact_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :k1 AND l.objid = :k2 "
            "AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "LIMIT 1"
        ),
        {"k1": PG_LOCK[0], "k2": PG_LOCK[1]},
    ).first()
    if row is None:
        return None
    name, xact_start = row
    if isinstance(name, str) and name.startswith(APP_PREFIX):
        try:
            return datetime.fromisoformat(name[len(APP_PREFIX) :])
        except ValueError:
            pass
    return xact_start if isinstance(xact_start, datetime) else None


def _write_sidecar(path: Path, started: datetime) -> None:
    info = {"started_at": started.isoformat(), "pid": os.getpid(), "host": socket.gethostname()}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def _sidecar_started(path: Path | None) -> datetime | None:
    if path is None:
        return None
    try:
        return datetime.fromisoformat(json.loads(path.read_text(encoding="utf-8"))["started_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _busy(started: datetime | None, waited: float, wait: float) -> StoreBusy:
    shown = texts.seconds(max(wait, 0.0))
    if started is None:
        return StoreBusy(texts.text("busy_unknown_start", waited=shown), waited)
    return StoreBusy(texts.text("busy", started_at=format_time(started), waited=shown), waited)


def format_time(moment: datetime) -> str:
    """A moment as the machine's local time, in ``texts.TIME_FORMAT``."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return local.strftime(texts.TIME_FORMAT)
