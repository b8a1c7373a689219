"""Opening a store (creating or migrating it), runs, and the check behind ``dti store check``."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from pipeline import __version__
from pipeline.base.messages import store as texts
from pipeline.store import bulk, exchange, lock, migrate
from pipeline.store import schema as S
from pipeline.store.engine import Location, create_engine, locate
from pipeline.store.errors import NotAStore, StoreTooNew, StoreUnavailable
from pipeline.store.reads import Reads
from pipeline.store.run import Run

DEFAULT_LOCK_WAIT = 30.0  # seconds a second run waits for the first before it gives up


@dataclass(frozen=True)
class StoreCheck:
    """What ``dti store check`` prints: where, which schema revision, how many rows."""

    location: str
    dialect: str
    revision: str | None
    head: str
    counts: dict[str, int] = field(default_factory=dict)
    integrity: str | None = None  # SQLite's quick_check ("ok"), None on PostgreSQL
    dangling: dict[str, int] = field(default_factory=dict)  # "cells.submission_id" → rows naming nothing

    @property
    def up_to_date(self) -> bool:
        return self.revision == self.head

    def lines(self) -> list[str]:
        """The check in Vietnamese, one line per fact."""
        c = texts.CHECK_LINES
        out = [
            c["store"].format(
                store=self.location, dialect=texts.DIALECT_LABELS.get(self.dialect, self.dialect)
            )
        ]
        if self.revision is None:
            out.append(str(c["empty"]))
        else:
            out.append(c["revision"].format(revision=self.revision, head=self.head))
            out.append(str(c["up_to_date"]) if self.up_to_date else str(c["behind"]))
        if self.integrity is not None:
            ok = self.integrity == "ok"
            out.append(str(c["integrity_ok"]) if ok else c["integrity_bad"].format(detail=self.integrity))
        broken = {k: v for k, v in self.dangling.items() if v}
        if self.revision is not None:
            out.append(str(c["references_ok"]) if not broken else str(c["references_bad"]))
        for key, count in broken.items():
            table, column = key.split(".")
            label = texts.TABLE_LABELS.get(table, table)
            out.append(c["dangling"].format(label=label, column=column, count=texts.number(count)))
        for name, count in self.counts.items():
            out.append(c["count"].format(label=texts.TABLE_LABELS.get(name, name), count=texts.number(count)))
        return out


class Store(Reads):
    """A dti store: reads on the last commit, ``run()`` for writes, ``export``/``import_``, ``check``."""

    def __init__(
        self, engine: Engine, location: Location, *, lock_wait: float, note: str | None, backup: Path | None
    ) -> None:
        self.engine = engine
        self.location = location
        self.lock_wait = lock_wait
        self.note = note  # Vietnamese: the store was created or migrated on open (else None)
        self.backup = backup  # SQLite: the copy made before migrating
        self.bulk_method = bulk.default_method(location.dialect)

    @property
    def dialect(self) -> str:
        return self.location.dialect

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            conn.begin()  # one snapshot for every query of a read (a deferred BEGIN on SQLite)
            yield conn

    @contextmanager
    def run(
        self,
        *,
        locality: str,
        period: str | None = None,
        command: str = "report",
        catalogue_version: str | None = None,
        lock_wait: float | None = None,
    ) -> Iterator[Run]:
        """One run as one transaction, holding the store's lock; commits when the block ends.

        A second run waits up to ``lock_wait`` seconds (default: the store's), then raises
        ``StoreBusy``. An exception (or the process dying) leaves the store as it was.
        """
        wait = self.lock_wait if lock_wait is None else lock_wait
        with _opening(self.location):
            conn, started = lock.acquire(self.engine, self.location, wait)
        try:
            _refuse_unknown(conn, self.location)
            result = conn.execute(
                S.runs.insert().values(
                    started_at=started,
                    finished_at=None,
                    command=command,
                    tool_version=__version__,
                    catalogue_version=catalogue_version or None,
                    locality=locality,
                    period=period,
                    status="running",
                )
            )
            run = Run(
                conn,
                run_id=_new_id(result),
                started_at=started,
                locality=locality,
                period=period,
                bulk_method=self.bulk_method,
            )
            yield run
            conn.execute(
                S.runs.update()
                .where(S.runs.c.id == run.id)
                .values(finished_at=datetime.now(UTC), status=run.status)
            )
            conn.commit()
        except BaseException:
            _rollback(conn)
            raise
        finally:
            lock.release(self.location, conn, started)
            conn.close()

    def check(self) -> StoreCheck:
        """Schema revision, head revision, rows per table, dialect (and SQLite's quick_check)."""
        with self.engine.connect() as conn:
            revision = migrate.current(conn)
            counts = {
                t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
                for t in S.TABLES
            }
            integrity = None
            if self.dialect == "sqlite":
                integrity = "; ".join(str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check").all())
            dangling = {f"{t}.{c}": _dangling(conn, t, c, ref) for (t, c), ref in S.REFERENCES.items()}
        return StoreCheck(
            self.location.shown, self.dialect, revision, migrate.head(), counts, integrity, dangling
        )

    def export(self, folder: Path) -> dict[str, Any]:
        """Write one CSV per table and ``manifest.json`` into ``folder`` (new or empty); the manifest."""
        return exchange.export(self.engine, folder)

    def import_(self, folder: Path) -> dict[str, int]:
        """Load an export into this store, which must be empty; rows per table."""
        with _opening(self.location):
            conn, started = lock.acquire(self.engine, self.location, self.lock_wait)
        try:
            counts = exchange.import_(conn, Path(folder), self.location.shown)
            conn.commit()
            return counts
        except BaseException:
            _rollback(conn)
            raise
        finally:
            lock.release(self.location, conn, started)
            conn.close()


def _dangling(conn: sa.Connection, table: str, column: str, ref: tuple[str, str]) -> int:
    """Rows of a long table whose reference names no row (they have no FOREIGN KEY)."""
    source = S.metadata.tables[table].c[column]
    target = S.metadata.tables[ref[0]].c[ref[1]]
    exists = sa.exists().where(target == source)
    stmt = sa.select(sa.func.count()).select_from(source.table).where(source.is_not(None) & ~exists)
    return int(conn.execute(stmt).scalar_one())


def _new_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _rollback(conn: sa.Connection) -> None:
    with suppress(DBAPIError):  # the connection is gone: the server rolls the transaction back itself
        conn.rollback()


def open_store(url: str | None, *, default_path: Path, lock_wait: float = DEFAULT_LOCK_WAIT) -> Store:
    """Open the store named by ``--db`` / ``DTI_DB`` (``None``: the SQLite file ``default_path``).

    A new store is created at the head revision; an older one is migrated forward (a SQLite
    file is first copied to ``<file>.bak-<revision>``); one written by a newer dti raises
    ``StoreTooNew``. Every refusal is a ``StoreError`` with a Vietnamese message.
    """
    location = locate(url, default_path)
    engine = create_engine(location, lock_wait)
    try:
        note, backup = _prepare(engine, location, lock_wait)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, location, lock_wait=lock_wait, note=note, backup=backup)


def _prepare(engine: Engine, location: Location, wait: float) -> tuple[str | None, Path | None]:
    head = migrate.head()
    with _opening(location):
        with engine.connect() as conn:
            current = _refuse_unknown(conn, location)
        if current == head:
            return None, None
        conn, started = lock.acquire(engine, location, wait)
    try:
        current = _refuse_unknown(conn, location)  # again, under the lock: another run may have migrated
        if current == head:
            _rollback(conn)
            return None, None
        backup = None
        if current is not None and location.path is not None:
            backup = backup_sqlite(location.path, current)
        migrate.upgrade(conn)
        conn.commit()
    except BaseException:
        _rollback(conn)
        raise
    finally:
        lock.release(location, conn, started)
        conn.close()
    if current is None:
        return texts.text("created", store=location.shown, revision=head), None
    extra = "" if backup is None else texts.text("migrated_backup", path=backup)
    return texts.text("migrated", store=location.shown, old=current, new=head, backup=extra), backup


@contextmanager
def _opening(location: Location) -> Iterator[None]:
    """Turn driver errors met while opening into the store's Vietnamese errors."""
    try:
        yield
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        broken = "not a database" in reason or "malformed" in reason
        if location.dialect == "sqlite" and isinstance(exc.orig, sqlite3.DatabaseError) and broken:
            raise NotAStore(texts.text("not_a_store", store=location.shown)) from exc
        raise StoreUnavailable(texts.text("unavailable", store=location.shown, reason=reason)) from exc


def _refuse_unknown(conn: sa.Connection, location: Location) -> str | None:
    """The store's revision; refuses a store of a newer dti, and a database that is no store."""
    current = migrate.current(conn)
    if current is None:
        others = [t for t in sa.inspect(conn).get_table_names() if t != migrate.VERSION_TABLE]
        if others:
            raise NotAStore(texts.text("not_a_store", store=location.shown))
        return None
    if not migrate.is_known(current):
        head = migrate.head()
        writer = _last_writer(conn)
        extra = "" if writer is None else texts.text("too_new_writer", tool_version=writer)
        message = texts.text(
            "too_new",
            store=location.shown,
            revision=current,
            writer=extra,
            tool_version=__version__,
            head=head,
        )
        raise StoreTooNew(message, current, head)
    return current


def _last_writer(conn: sa.Connection) -> str | None:
    try:
        with conn.begin_nested():
            value = conn.execute(sa.text("SELECT tool_version FROM runs ORDER BY id DESC LIMIT 1")).scalar()
    except DBAPIError:
        return None
    return str(value) if value is not None else None


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy the SQLite store (a consistent snapshot, WAL included) to ``<file>.bak-<revision>``.

    Written to a temporary file and renamed into place; an existing backup is never overwritten
    (the next free ``.bak-<revision>.<n>`` is used).
    """
    target = path.with_name(f"{path.name}.bak-{revision}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.bak-{revision}.{n}")
    tmp = path.with_name(f".{target.name}.{os.getpid()}.tmp")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target
