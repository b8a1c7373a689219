"""What the run reads back, as DataFrames: the same methods on a ``Store`` and inside a ``Run``.

Inside a run they see the run's own uncommitted writes; on a ``Store`` they see the last commit.
Rows come in a fixed order on every dialect (text compared byte by byte, ``COLLATE "C"`` on
PostgreSQL), so outputs rebuilt from the store are the same from SQLite and PostgreSQL.

Column types in the frames: integers ``Int64``, numbers ``float64``, yes/no ``boolean``,
timestamps ``datetime64[us, UTC]``, dates and text ``object`` (``None`` where empty).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


def ordered(conn: sa.Connection, *columns: sa.ColumnElement[Any]) -> list[sa.ColumnElement[Any]]:
    """ORDER BY terms that sort the same on every dialect (bytewise text, NULLs first)."""
    out: list[sa.ColumnElement[Any]] = []
    for c in columns:
        term: sa.ColumnElement[Any] = c
        if conn.dialect.name == "postgresql" and isinstance(c.type, sa.String):
            term = sa.collate(c, "C")
        out.append(sa.nullsfirst(term))
    return out


def to_frame(rows: Iterable[Sequence[Any]], columns: Sequence[sa.ColumnElement[Any]]) -> pd.DataFrame:
    """Rows as a DataFrame typed after the columns' SQL types."""
    names = [str(c.key) for c in columns]
    data = list(zip(*rows, strict=True)) or [()] * len(columns)
    out: dict[str, Any] = {}
    for name, column, values in zip(names, columns, data, strict=True):
        out[name] = _series(list(values), column.type)
    return pd.DataFrame(out, columns=names)


def _series(values: list[Any], type_: Any) -> pd.Series:
    if isinstance(type_, S.UtcDateTime):
        return pd.Series(pd.to_datetime(values, utc=True), dtype="datetime64[us, UTC]")
    if isinstance(type_, sa.Boolean):
        return pd.Series(values, dtype="boolean")
    if isinstance(type_, sa.Integer):
        return pd.Series(values, dtype="Int64")
    if isinstance(type_, sa.Double | sa.Float):
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    return pd.Series(values, dtype=object)


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


class Reads:
    """Read methods shared by ``Store`` (last commit) and ``Run`` (the run's own view)."""

    def _reading(self) -> AbstractContextManager[sa.Connection]:
        raise NotImplementedError

    def _query(self, stmt: sa.Select[Any], columns: Sequence[sa.ColumnElement[Any]]) -> pd.DataFrame:
        with self._reading() as conn:
            return to_frame(conn.execute(stmt).all(), columns)

    def _submission_select(self, conn: sa.Connection) -> sa.Select[Any]:
        joined = S.submissions.join(S.files, FILE.sha256 == SUB.file_sha256)
        return sa.select(*SUBMISSION_COLUMNS).select_from(joined)

    def _submissions(
        self, where: sa.ColumnElement[bool], order: Sequence[sa.ColumnElement[Any]]
    ) -> pd.DataFrame:
        with self._reading() as conn:
            stmt = self._submission_select(conn).where(where).order_by(*ordered(conn, *order))
            frame = to_frame(conn.execute(stmt).all(), SUBMISSION_COLUMNS)
        frame["counting"] = (frame["superseded_by"].isna() & (frame["status"] != "rejected")).astype(bool)
        return frame

    def submissions(self, period: str, *, locality: str, latest: bool = False) -> pd.DataFrame:
        """Every stored return of a period (all versions), or with ``latest`` the newest per unit.

        Columns: the submission's, the file's ``size``, ``channel``, ``sender``, and ``counting``
        (neither superseded nor rejected). Files nobody identified (no ``unit_code``) are all kept.
        """
        where = (SUB.locality == locality) & (SUB.period == period)
        if latest:  # a grouped subquery (hash-joined), not a correlated NOT EXISTS
            top = (
                sa.select(SUB.unit_code, sa.func.max(SUB.version))
                .where((SUB.locality == locality) & (SUB.period == period) & SUB.unit_code.is_not(None))
                .group_by(SUB.unit_code)
            )
            where = where & (SUB.unit_code.is_(None) | sa.tuple_(SUB.unit_code, SUB.version).in_(top))
        return self._submissions(where, (SUB.unit_code, SUB.version, SUB.id))

    def history(self, unit_code: str, *, locality: str) -> pd.DataFrame:
        """A unit's returns across every stored period, oldest period and version first."""
        where = (SUB.locality == locality) & (SUB.unit_code == unit_code)
        return self._submissions(where, (SUB.period, SUB.version, SUB.id))

    def file_submissions(self, sha256: str) -> pd.DataFrame:
        """Every return stored with this content (any unit, period or locality)."""
        return self._submissions(SUB.file_sha256 == sha256, (SUB.locality, SUB.period, SUB.unit_code, SUB.id))

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
        columns = tuple(S.cells.c)
        parts: list[pd.DataFrame] = []
        with self._reading() as conn:
            order = ordered(conn, S.cells.c.submission_id, S.cells.c.sheet, S.cells.c.cell)
            for ids in _id_chunks(submission_ids):
                stmt = sa.select(*columns).where(S.cells.c.submission_id.in_(ids)).order_by(*order)
                parts.append(to_frame(conn.execute(stmt).all(), columns))
        return pd.concat(parts, ignore_index=True) if parts else to_frame([], columns)

    def issues(self, submission_ids: Iterable[int] = (), *, file_sha256s: Iterable[str] = ()) -> pd.DataFrame:
        """The issues of these returns and of these files (those with no return), in stored order."""
        columns = tuple(S.issues.c)
        parts: list[pd.DataFrame] = []
        with self._reading() as conn:
            for ids in _id_chunks(submission_ids):
                stmt = sa.select(*columns).where(S.issues.c.submission_id.in_(ids))
                parts.append(to_frame(conn.execute(stmt).all(), columns))
            shas = sorted(set(file_sha256s))
            for i in range(0, len(shas), ID_CHUNK):
                stmt = sa.select(*columns).where(
                    S.issues.c.file_sha256.in_(shas[i : i + ID_CHUNK]) & S.issues.c.submission_id.is_(None)
                )
                parts.append(to_frame(conn.execute(stmt).all(), columns))
        if not parts:
            return to_frame([], columns)
        frame = pd.concat(parts, ignore_index=True)
        return frame.drop_duplicates("id").sort_values("id", kind="stable").reset_index(drop=True)

    def task_rows(self, periods: str | Sequence[str], *, locality: str) -> pd.DataFrame:
        """The merged task rows of one or more periods, with ``source_period`` (the return's period)."""
        t = S.task_rows.c
        source = SUB.period.label("source_period")
        columns = (*S.task_rows.c, source)
        with self._reading() as conn:
            stmt = (
                sa.select(*columns)
                .select_from(S.task_rows.outerjoin(S.submissions, SUB.id == t.submission_id))
                .where((t.locality == locality) & t.period.in_(_periods(periods)))
                .order_by(*ordered(conn, t.period, t.task_id, t.unit_code))
            )
            return to_frame(conn.execute(stmt).all(), columns)

    def scores(self, periods: str | Sequence[str], *, locality: str) -> pd.DataFrame:
        """The scores of one or more periods, by period, unit and indicator."""
        s = S.scores.c
        columns = tuple(S.scores.c)
        with self._reading() as conn:
            stmt = (
                sa.select(*columns)
                .where((s.locality == locality) & s.period.in_(_periods(periods)))
                .order_by(*ordered(conn, s.period, s.unit_code, s.indicator_id))
            )
            return to_frame(conn.execute(stmt).all(), columns)

    def reminders(self, period: str, *, locality: str) -> pd.DataFrame:
        """The reminders logged for a period, by unit, day and channel."""
        r = S.reminders.c
        columns = tuple(S.reminders.c)
        with self._reading() as conn:
            stmt = (
                sa.select(*columns)
                .where((r.locality == locality) & (r.period == period))
                .order_by(*ordered(conn, r.unit_code, r.sent_on, r.channel, r.id))
            )
            return to_frame(conn.execute(stmt).all(), columns)

    def periods(self, *, locality: str) -> list[str]:
        """The periods the store holds anything for (returns, task rows or scores), sorted."""
        found: set[str] = set()
        with self._reading() as conn:
            for table in (S.submissions, S.task_rows, S.scores):
                stmt = sa.select(table.c.period).where(table.c.locality == locality).distinct()
                found.update(conn.execute(stmt).scalars())
        return sorted(found)

    def runs(self, *, locality: str | None = None) -> pd.DataFrame:
        """The runs that committed, oldest first."""
        columns = tuple(S.runs.c)
        stmt = sa.select(*columns).order_by(S.runs.c.id)
        if locality is not None:
            stmt = stmt.where(S.runs.c.locality == locality)
        return self._query(stmt, columns)


def find_submission(
    conn: sa.Connection, sha256: str, *, locality: str, period: str, unit_code: str | None
) -> SubmissionRef | None:
    unit = SUB.unit_code.is_(None) if unit_code is None else SUB.unit_code == unit_code
    stmt = (
        sa.select(SUB.id, SUB.version, SUB.status, SUB.superseded_by)
        .where((SUB.locality == locality) & (SUB.period == period) & unit & (SUB.file_sha256 == sha256))
        .order_by(SUB.id)
    )
    row = conn.execute(stmt).first()
    if row is None:
        return None
    return SubmissionRef(row.id, row.version, False, row.status, row.superseded_by)
