"""What the run reads back, as DataFrames: the same methods on a ``Store`` and inside a ``Run``.

Inside a run they see the run's own uncommitted writes; on a ``Store`` they see the last commit
(one snapshot per call). Rows are fetched straight from the driver, typed column by column, and
sorted in pandas by code point, which is byte order for UTF-8: the same order on every dialect,
so outputs rebuilt from the store are the same from SQLite and PostgreSQL.

Column types in the frames: integers ``Int64``, numbers ``float64``, yes/no ``boolean``,
timestamps ``datetime64[us, UTC]``, dates and text ``object`` (``None`` where empty).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from pipeline.store import schema as S

ID_CHUNK = 900


@dataclass(frozen=True)
class FileRecord:
    """A stored file: its content hash, size, first name, channel, first receipt, sender."""

    sha256: str
    size: int
    first_name: str
    channel: str
    received_at: datetime
    sender: str | None
    run_id: int


@dataclass(frozen=True)
class SubmissionRef:
    """A stored return: its id and version, whether this call created it, where it stands."""

    id: int
    version: int
    created: bool
    status: str
    superseded_by: int | None

    @property
    def counting(self) -> bool:
        """Neither superseded nor rejected: the return the period's report takes (as the
        ``counting`` column of :meth:`Reads.submissions`)."""
        return self.superseded_by is None and self.status != "rejected"


@dataclass(frozen=True)
class UnitReturn(SubmissionRef):
    """One of a unit's stored returns of a period, as its own page lists them."""

    received_at: datetime
    errors: int
    warnings: int
    channel: str


def ordered(conn: sa.Connection, *columns: sa.ColumnElement[Any]) -> list[sa.ColumnElement[Any]]:
    """ORDER BY terms that sort the same on every dialect (bytewise text, NULLs first)."""
    out: list[sa.ColumnElement[Any]] = []
    for c in columns:
        term: sa.ColumnElement[Any] = c
        if conn.dialect.name == "postgresql" and isinstance(c.type, sa.String):
            term = sa.collate(c, "C")
        out.append(sa.nullsfirst(term))
    return out


def raw_rows(conn: sa.Connection, stmt: sa.Select[Any]) -> list[tuple[Any, ...]]:
    """The statement's rows straight from the driver, without SQLAlchemy's per-value processing
    (the frame is typed column by column instead). Parameters must be text or integers."""
    with _cursor(conn, stmt) as cursor:
        return list(cursor.fetchall())


def streamed_rows(conn: sa.Connection, stmt: sa.Select[Any], size: int = 10_000) -> Iterator[tuple[Any, ...]]:
    """:func:`raw_rows` a few thousand at a time, for a caller that looks at each row once and
    keeps none (the rows of a whole period are never all Python objects at once)."""
    with _cursor(conn, stmt) as cursor:
        while batch := cursor.fetchmany(size):
            yield from batch


@contextmanager
def _cursor(conn: sa.Connection, stmt: sa.Select[Any]) -> Iterator[Any]:
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    args: Any = tuple(params[k] for k in compiled.positiontup or ()) if compiled.positional else params
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), args)
        yield cursor
    finally:
        cursor.close()


def fetch(
    conn: sa.Connection,
    stmt: sa.Select[Any],
    columns: Sequence[sa.ColumnElement[Any]],
    order: Sequence[str] = (),
) -> pd.DataFrame:
    """The rows of ``stmt`` (selecting ``columns``) as a typed frame, sorted by ``order``.

    Sorting happens here, not in SQL: Python compares text by code point, which is SQLite's
    and PostgreSQL's ``C`` byte order for UTF-8, so every dialect gives the same order.
    """
    frame = to_frame(raw_rows(conn, stmt), columns, conn.dialect.name)
    if order and len(frame) > 1:
        frame = frame.sort_values(list(order), na_position="first", kind="stable", ignore_index=True)
    return frame


def to_frame(
    rows: Sequence[Sequence[Any]], columns: Sequence[sa.ColumnElement[Any]], dialect: str
) -> pd.DataFrame:
    """Driver rows as a DataFrame typed after the columns' SQL types."""
    names = [str(c.key) for c in columns]
    table = np.empty((len(rows), len(names)), dtype=object)  # one C loop, not a Python transpose
    if rows:
        table[:] = rows
    out = {
        n: _series(table[:, i], c.type, dialect) for i, (n, c) in enumerate(zip(names, columns, strict=True))
    }
    return pd.DataFrame(out, columns=names)


def _series(values: np.ndarray, type_: Any, dialect: str) -> pd.Series:
    raw = pd.Series(values, dtype=object, copy=False)
    if isinstance(type_, S.UtcDateTime):  # SQLite: naive UTC text; PostgreSQL: aware datetimes
        return pd.to_datetime(raw, utc=True, format="ISO8601").astype("datetime64[us, UTC]")
    if isinstance(type_, sa.Date):
        if dialect == "sqlite":
            return pd.Series([None if v is None else date.fromisoformat(v) for v in values], dtype=object)
        return raw
    if isinstance(type_, sa.Boolean):
        return raw.astype("boolean")
    if isinstance(type_, sa.Integer):
        return raw.astype("Int64")
    if isinstance(type_, sa.Double | sa.Float):
        return raw.astype("float64")
    return raw


def _periods(periods: str | Sequence[str]) -> list[str]:
    return [periods] if isinstance(periods, str) else list(periods)


def _id_chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    unique = sorted({int(i) for i in ids})
    for i in range(0, len(unique), ID_CHUNK):
        yield unique[i : i + ID_CHUNK]


SUB = S.submissions.c
FILE = S.files.c
SUBMISSION_COLUMNS: tuple[sa.ColumnElement[Any], ...] = (
    SUB.id,
    SUB.locality,
    SUB.period,
    SUB.unit_code,
    SUB.version,
    SUB.status,
    SUB.superseded_by,
    SUB.received_at,
    SUB.errors,
    SUB.warnings,
    SUB.file_sha256,
    SUB.file_name,
    FILE.size,
    FILE.channel,
    FILE.sender,
    SUB.run_id,
)
# the columns of a UnitReturn (all its fields but ``created``), picked by name
_UNIT_RETURN_COLUMNS = tuple(
    c for c in SUBMISSION_COLUMNS if c.key in {f.name for f in fields(UnitReturn)} - {"created"}
)


@dataclass(frozen=True)
class LinkRecord:
    """A private link of ``dti serve``: whose (a unit's of a period, or the analyst's), whether
    revoked. The token itself is never stored, only its SHA-256."""

    id: int
    locality: str
    period: str | None
    unit_code: str | None
    role: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _link(row: Any) -> LinkRecord:
    m = row._mapping
    return LinkRecord(
        int(m["id"]), m["locality"], m["period"], m["unit_code"], m["role"], m["created_at"], m["revoked_at"]
    )


class Reads:
    """Read methods shared by ``Store`` (last commit) and ``Run`` (the run's own view)."""

    def _reading(self) -> AbstractContextManager[sa.Connection]:
        raise NotImplementedError

    def _fetch(
        self, stmt: sa.Select[Any], columns: Sequence[sa.ColumnElement[Any]], order: Sequence[str] = ()
    ) -> pd.DataFrame:
        with self._reading() as conn:
            return fetch(conn, stmt, columns, order)

    def identity(self) -> str:
        """What tells this store from another: its first run (id and start, to the microsecond).
        A copy or an import of a store is the same store; one created again is another."""
        r = S.runs.c
        with self._reading() as conn:
            first = conn.execute(sa.select(r.id, r.started_at).order_by(r.id).limit(1)).first()
        return "" if first is None else f"{first.id}|{first.started_at.isoformat()}"

    def _chunked(
        self,
        columns: Sequence[sa.ColumnElement[Any]],
        wheres: Iterable[sa.ColumnElement[bool]],
        order: Sequence[str],
    ) -> pd.DataFrame:
        """One query per chunk of ids (``wheres``), concatenated, then sorted once."""
        with self._reading() as conn:
            parts = [fetch(conn, sa.select(*columns).where(w), columns) for w in wheres]
            empty = to_frame([], columns, conn.dialect.name)
        frame = pd.concat(parts, ignore_index=True) if parts else empty
        if len(frame) > 1:
            frame = frame.sort_values(list(order), na_position="first", kind="stable", ignore_index=True)
        return frame

    def _submissions(self, where: sa.ColumnElement[bool], order: Sequence[str]) -> pd.DataFrame:
        joined = S.submissions.join(S.files, FILE.sha256 == SUB.file_sha256)
        stmt = sa.select(*SUBMISSION_COLUMNS).select_from(joined).where(where)
        frame = self._fetch(stmt, SUBMISSION_COLUMNS, order)
        frame["counting"] = (frame["superseded_by"].isna() & (frame["status"] != "rejected")).astype(bool)
        return frame

    def submissions(
        self, period: str, *, locality: str, latest: bool = False, unit_code: str | None = None
    ) -> pd.DataFrame:
        """Every stored return of a period (all versions), or with ``latest`` the newest per unit;
        with ``unit_code``, only that unit's.

        Columns: the submission's, the file's ``size``, ``channel``, ``sender``, and ``counting``
        (neither superseded nor rejected). Files nobody identified (no ``unit_code``) are all kept.
        Sorted by unit (unidentified first), version.
        """
        where = (SUB.locality == locality) & (SUB.period == period)
        if unit_code is not None:
            where = where & (SUB.unit_code == unit_code)
        if latest:  # a grouped subquery (hash-joined), not a correlated NOT EXISTS
            top = (
                sa.select(SUB.unit_code, sa.func.max(SUB.version))
                .where((SUB.locality == locality) & (SUB.period == period) & SUB.unit_code.is_not(None))
                .group_by(SUB.unit_code)
            )
            where = where & (SUB.unit_code.is_(None) | sa.tuple_(SUB.unit_code, SUB.version).in_(top))
        return self._submissions(where, ("unit_code", "version", "id"))

    def unit_returns(self, period: str, *, locality: str, unit_code: str) -> list[UnitReturn]:
        """A unit's stored returns of a period, by version: what :meth:`submissions` gives for
        one unit, as plain records (one small query, no frame: a page reads it on every upload)."""
        joined = S.submissions.join(S.files, FILE.sha256 == SUB.file_sha256)
        mine = (SUB.locality == locality) & (SUB.period == period) & (SUB.unit_code == unit_code)
        stmt = sa.select(*_UNIT_RETURN_COLUMNS).select_from(joined).where(mine)
        with self._reading() as conn:
            rows = conn.execute(stmt).all()
        out = [UnitReturn(created=False, **r._asdict()) for r in rows]
        return sorted(out, key=lambda r: (r.version, r.id))

    def submission(self, submission_id: int) -> SubmissionRef | None:
        """One stored return by its id, or ``None``."""
        with self._reading() as conn:
            return _first_ref(conn, SUB.id == submission_id)

    def history(self, unit_code: str, *, locality: str) -> pd.DataFrame:
        """A unit's returns across every stored period, by period and version."""
        where = (SUB.locality == locality) & (SUB.unit_code == unit_code)
        return self._submissions(where, ("period", "version", "id"))

    def file_submissions(self, sha256: str) -> pd.DataFrame:
        """Every return stored with this content (any unit, period or locality)."""
        return self._submissions(SUB.file_sha256 == sha256, ("locality", "period", "unit_code", "id"))

    def files(self, sha256s: Iterable[str]) -> pd.DataFrame:
        """The stored files among these content hashes (one query per thousand): which are known."""
        shas = sorted(set(sha256s))
        wheres = (FILE.sha256.in_(shas[i : i + ID_CHUNK]) for i in range(0, len(shas), ID_CHUNK))
        return self._chunked(tuple(S.files.c), wheres, ("sha256",))

    def find_file(self, sha256: str) -> FileRecord | None:
        """The stored file with this content hash, or ``None``."""
        with self._reading() as conn:
            row = conn.execute(sa.select(S.files).where(FILE.sha256 == sha256)).first()
        if row is None:
            return None
        m = row._mapping
        return FileRecord(
            m["sha256"], m["size"], m["first_name"], m["channel"], m["received_at"], m["sender"], m["run_id"]
        )

    def find_submission(
        self, sha256: str, *, locality: str, period: str, unit_code: str | None
    ) -> SubmissionRef | None:
        """The return already stored for this unit, period and content, or ``None``."""
        with self._reading() as conn:
            return find_submission(conn, sha256, locality=locality, period=period, unit_code=unit_code)

    def cells(self, submission_ids: Iterable[int]) -> pd.DataFrame:
        """Every stored value of these returns, by return, sheet and cell."""
        c = S.cells.c
        wheres = (c.submission_id.in_(ids) for ids in _id_chunks(submission_ids))
        return self._chunked(tuple(S.cells.c), wheres, ("submission_id", "sheet", "cell"))

    def issues(self, submission_ids: Iterable[int] = (), *, file_sha256s: Iterable[str] = ()) -> pd.DataFrame:
        """The issues of these returns and of these files (those with no return), in stored order."""
        i = S.issues.c
        shas = sorted(set(file_sha256s))
        wheres: list[sa.ColumnElement[bool]] = [
            i.submission_id.in_(ids) for ids in _id_chunks(submission_ids)
        ]
        wheres += [
            i.file_sha256.in_(shas[k : k + ID_CHUNK]) & i.submission_id.is_(None)
            for k in range(0, len(shas), ID_CHUNK)
        ]
        return self._chunked(tuple(S.issues.c), wheres, ("id",))

    def task_rows(self, periods: str | Sequence[str], *, locality: str) -> pd.DataFrame:
        """The merged task rows of one or more periods, by period, task and unit, with
        ``source_period``: the period of the return each row came from (a quarter's month)."""
        t = S.task_rows.c
        columns = tuple(S.task_rows.c)
        stmt = sa.select(*columns).where((t.locality == locality) & t.period.in_(_periods(periods)))
        frame = self._fetch(stmt, columns, ("period", "task_id", "unit_code"))
        ids = frame["submission_id"].dropna().astype(int).unique().tolist()
        source: dict[int, str] = {}
        with self._reading() as conn:
            for chunk in _id_chunks(ids):
                source.update(
                    (int(r[0]), str(r[1]))
                    for r in raw_rows(conn, sa.select(SUB.id, SUB.period).where(SUB.id.in_(chunk)))
                )
        mapped = frame["submission_id"].map(source).astype(object)
        frame["source_period"] = mapped.where(mapped.notna(), None)
        return frame

    def task_counts(self, periods: str | Sequence[str], *, locality: str) -> pd.DataFrame:
        """Of the merged task rows, only what the history counts: how many units' rows
        (``rows``) have each ``period, task_id, status, unproven``, counted by the database (a
        period of 10,000 communes is 440,000 rows, and a few hundred counts)."""
        t = S.task_rows.c
        n = sa.func.count().label("rows")
        keys = (t.period, t.task_id, t.status, t.unproven)
        stmt = (
            sa.select(*keys, n)
            .where((t.locality == locality) & t.period.in_(_periods(periods)))
            .group_by(*keys)
        )
        return self._fetch(stmt, (*keys, n), ("period", "task_id", "status", "unproven"))

    def scores(self, periods: str | Sequence[str], *, locality: str) -> pd.DataFrame:
        """The scores of one or more periods, by period, unit and indicator."""
        s = S.scores.c
        stmt = sa.select(*S.scores.c).where((s.locality == locality) & s.period.in_(_periods(periods)))
        return self._fetch(stmt, tuple(S.scores.c), ("period", "unit_code", "indicator_id"))

    def reminders(self, period: str, *, locality: str) -> pd.DataFrame:
        """The reminders logged for a period, by unit, day, channel."""
        r = S.reminders.c
        stmt = sa.select(*S.reminders.c).where((r.locality == locality) & (r.period == period))
        return self._fetch(stmt, tuple(S.reminders.c), ("unit_code", "sent_on", "channel", "id"))

    def periods(self, *, locality: str) -> list[str]:
        """The periods the store holds anything for (returns, task rows or scores), sorted."""
        found: set[str] = set()
        with self._reading() as conn:
            for table in (S.submissions, S.task_rows, S.scores):
                stmt = sa.select(table.c.period).where(table.c.locality == locality).distinct()
                found.update(conn.execute(stmt).scalars())
        return sorted(found)

    def find_link(self, *, token_sha256: str | None = None, link_id: int | None = None) -> LinkRecord | None:
        """The link with this token hash (or this id), revoked or not; ``None`` when none."""
        c = S.links.c
        where = c.token_sha256 == token_sha256 if token_sha256 is not None else c.id == link_id
        with self._reading() as conn:
            row = conn.execute(sa.select(S.links).where(where)).first()
        return None if row is None else _link(row)

    def links(self, *, locality: str, period: str | None = None) -> list[LinkRecord]:
        """The links of a locality (of one period, and the analyst's), oldest first."""
        c = S.links.c
        where = c.locality == locality
        if period is not None:
            where = where & ((c.period == period) | (c.role == "analyst"))
        with self._reading() as conn:
            rows = conn.execute(sa.select(S.links).where(where).order_by(c.id)).all()
        return [_link(r) for r in rows]

    def runs(self, *, locality: str | None = None) -> pd.DataFrame:
        """The runs that committed, oldest first."""
        stmt = sa.select(*S.runs.c)
        if locality is not None:
            stmt = stmt.where(S.runs.c.locality == locality)
        return self._fetch(stmt, tuple(S.runs.c), ("id",))


def find_submission(
    conn: sa.Connection, sha256: str, *, locality: str, period: str, unit_code: str | None
) -> SubmissionRef | None:
    unit = SUB.unit_code.is_(None) if unit_code is None else SUB.unit_code == unit_code
    where = (SUB.locality == locality) & (SUB.period == period) & unit & (SUB.file_sha256 == sha256)
    return _first_ref(conn, where)


def _first_ref(conn: sa.Connection, where: sa.ColumnElement[bool]) -> SubmissionRef | None:
    """The first stored return (by id) that ``where`` picks, or ``None``."""
    stmt = sa.select(SUB.id, SUB.version, SUB.status, SUB.superseded_by).where(where).order_by(SUB.id)
    row = conn.execute(stmt).first()
    return None if row is None else SubmissionRef(row.id, row.version, False, row.status, row.superseded_by)
