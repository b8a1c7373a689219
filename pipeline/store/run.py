"""A run: one locked write transaction. Everything it writes commits at the end or not at all.

Obtained from ``Store.run(...)`` as a context manager; it holds the store's lock from the first
line of the ``with`` block to its end (see ``lock.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TypeAlias

import pandas as pd
import sqlalchemy as sa

from pipeline.store import bulk
from pipeline.store import schema as S
from pipeline.store.reads import SUB, Reads, SubmissionRef, find_submission

Frames: TypeAlias = pd.DataFrame | Iterable[pd.DataFrame]


def _frames(frames: Frames) -> Iterator[pd.DataFrame]:
    if isinstance(frames, pd.DataFrame):
        yield frames
    else:
        yield from frames


def _none_if_empty(value: str | None) -> str | None:
    return None if value is None or value == "" else value


class Run(Reads):
    """The writes of one run, and the reads it needs, on its own locked connection.

    ``status`` (default ``"ok"``) is written with ``finished_at`` when the run commits.
    """

    def __init__(
        self,
        conn: sa.Connection,
        *,
        run_id: int,
        started_at: datetime,
        locality: str,
        period: str | None,
        bulk_method: str,
    ) -> None:
        self._conn = conn
        self.id = run_id
        self.started_at = started_at
        self.locality = locality
        self.period = period
        self.status = "ok"
        self.bulk_method = bulk_method

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        yield self._conn

    def _period(self, period: str | None) -> str:
        chosen = period or self.period
        if not chosen:
            raise ValueError("no period given, and the run has none")
        return chosen

    # --- files and returns -----------------------------------------------------------------

    def record_file(
        self,
        sha256: str,
        *,
        size: int,
        name: str,
        channel: str,
        received_at: datetime,
        sender: str | None = None,
    ) -> bool:
        """Store a received file by content; ``False`` when that content was already stored."""
        if channel not in S.CHANNELS:
            raise ValueError(f"channel must be one of {S.CHANNELS}, got {channel!r}")
        exists = self._conn.execute(sa.select(S.files.c.sha256).where(S.files.c.sha256 == sha256)).first()
        if exists is not None:
            return False
        self._conn.execute(
            S.files.insert().values(
                sha256=sha256,
                size=int(size),
                first_name=name,
                channel=channel,
                received_at=received_at,
                sender=_none_if_empty(sender),
                run_id=self.id,
            )
        )
        return True

    def record_submission(
        self,
        *,
        unit_code: str | None,
        sha256: str,
        file_name: str,
        received_at: datetime,
        status: str = "received",
        errors: int = 0,
        warnings: int = 0,
        period: str | None = None,
    ) -> SubmissionRef:
        """Record a return of ``unit_code`` (``None``: not identified) for the period.

        Idempotent on (locality, period, unit, sha256): the same file again returns the stored
        submission (``created=False``) and changes nothing. A changed file is version n+1. Among
        a unit's returns of the period that are not rejected, the one received last (then the
        highest version) counts; every other one gets ``status='superseded'`` and
        ``superseded_by`` the one that counts. The file must have been stored (``record_file``).
        """
        if status not in S.SUBMISSION_STATUSES:
            raise ValueError(f"status must be one of {S.SUBMISSION_STATUSES}, got {status!r}")
        period = self._period(period)
        found = find_submission(
            self._conn, sha256, locality=self.locality, period=period, unit_code=unit_code
        )
        if found is not None:
            return found
        unit = SUB.unit_code.is_(None) if unit_code is None else SUB.unit_code == unit_code
        same = (SUB.locality == self.locality) & (SUB.period == period) & unit
        top = self._conn.execute(sa.select(sa.func.max(SUB.version)).where(same)).scalar()
        version = int(top or 0) + 1
        result = self._conn.execute(
            S.submissions.insert().values(
                locality=self.locality,
                period=period,
                unit_code=unit_code,
                version=version,
                file_sha256=sha256,
                file_name=file_name,
                status=status,
                superseded_by=None,
                received_at=received_at,
                errors=int(errors),
                warnings=int(warnings),
                run_id=self.id,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        new_id = int(key[0])
        if status != "rejected" and unit_code is not None:
            self._settle(same)
        row = self._conn.execute(sa.select(SUB.status, SUB.superseded_by).where(SUB.id == new_id)).one()
        return SubmissionRef(new_id, version, True, row.status, row.superseded_by)

    def _settle(self, same: sa.ColumnElement[bool]) -> None:
        """Point every non-rejected return of a unit and period at the one that counts."""
        rows = self._conn.execute(
            sa.select(SUB.id, SUB.received_at, SUB.version, SUB.superseded_by)
            .where(same & (SUB.status != "rejected"))
            .order_by(SUB.received_at.desc(), SUB.version.desc())
        ).all()
        if not rows:
            return
        counting = rows[0].id
        for row in rows[1:]:
            if row.superseded_by != counting:
                self._conn.execute(
                    S.submissions.update()
                    .where(SUB.id == row.id)
                    .values(status="superseded", superseded_by=counting)
                )

    def update_submission(
        self,
        submission_id: int,
        *,
        status: str | None = None,
        errors: int | None = None,
        warnings: int | None = None,
    ) -> None:
        """Set a stored return's status and issue counts (after validation, say)."""
        values: dict[str, Any] = {}
        if status is not None:
            if status not in S.SUBMISSION_STATUSES:
                raise ValueError(f"status must be one of {S.SUBMISSION_STATUSES}, got {status!r}")
            values["status"] = status
        if errors is not None:
            values["errors"] = int(errors)
        if warnings is not None:
            values["warnings"] = int(warnings)
        if values:
            self._conn.execute(S.submissions.update().where(SUB.id == int(submission_id)).values(**values))

    # --- bulk rows ------------------------------------------------------------------------------

    def _bulk(self, table: sa.Table, frames: Frames, fixed: dict[str, Any] | None = None) -> int:
        count = 0
        for frame in _frames(frames):
            if frame.empty:
                continue
            names, rows = bulk.frame_rows(frame, table, fixed)
            count += bulk.insert(self._conn, table, names, rows, self.bulk_method)
        return count

    def add_cells(self, frames: Frames) -> int:
        """Store values in long form: ``submission_id, sheet, cell`` (A1) and optional ``row_key``
        (task id / field id / label), ``column_label``, ``raw`` (as typed), ``value`` (normalised,
        as text). One value per cell of a return's sheet. A frame or an iterable of frames."""
        return self._bulk(S.cells, frames)

    def add_issues(self, frames: Frames) -> int:
        """Store issues: ``severity``, ``code``, ``message`` and ``submission_id`` or ``file_sha256``,
        with optional ``sheet``, ``cell``, ``field``, ``value``. Tagged with this run."""
        return self._bulk(S.issues, frames, {"run_id": self.id})

    def replace_task_rows(self, frames: Frames, *, period: str | None = None) -> int:
        """Replace the period's merged task rows (columns of contract §7 ``tasks.csv``, optional
        ``submission_id``: the return each row came from)."""
        period = self._period(period)
        t = S.task_rows.c
        self._conn.execute(S.task_rows.delete().where((t.locality == self.locality) & (t.period == period)))
        fixed = {"locality": self.locality, "period": period, "run_id": self.id}
        return self._bulk(S.task_rows, frames, fixed)

    def replace_scores(self, frames: Frames, *, period: str | None = None) -> int:
        """Replace the period's scores (columns of contract §7 ``scores.csv``)."""
        period = self._period(period)
        s = S.scores.c
        self._conn.execute(S.scores.delete().where((s.locality == self.locality) & (s.period == period)))
        fixed = {"locality": self.locality, "period": period, "run_id": self.id}
        return self._bulk(S.scores, frames, fixed)

    def log_reminder(
        self,
        *,
        unit_code: str,
        channel: str,
        sent_on: date,
        kind: str | None = None,
        note: str | None = None,
        period: str | None = None,
    ) -> bool:
        """Log a reminder sent to a unit; ``False`` when one went by that channel that day."""
        period = self._period(period)
        r = S.reminders.c
        same = (
            (r.locality == self.locality)
            & (r.period == period)
            & (r.unit_code == unit_code)
            & (r.channel == channel)
            & (r.sent_on == sent_on)
        )
        if self._conn.execute(sa.select(r.id).where(same)).first() is not None:
            return False
        self._conn.execute(
            S.reminders.insert().values(
                locality=self.locality,
                period=period,
                unit_code=unit_code,
                channel=channel,
                sent_on=sent_on,
                kind=_none_if_empty(kind),
                note=_none_if_empty(note),
                run_id=self.id,
            )
        )
        return True
