"""A run: one locked write transaction. Everything it writes commits at the end or not at all.

Obtained from ``Store.run(...)`` as a context manager; it holds the store's lock from the first
line of the ``with`` block to its end (see ``lock.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import sqlalchemy as sa

from pipeline.store import bulk
from pipeline.store import schema as S
from pipeline.store.reads import SUB, Reads, SubmissionRef, streamed_rows
from pipeline.store.returns import NewReturn, check_status, store_files, store_returns

Frames: TypeAlias = pd.DataFrame | Iterable[pd.DataFrame]


def _frames(frames: Frames) -> Iterator[pd.DataFrame]:
    if isinstance(frames, pd.DataFrame):
        yield frames
    else:
        yield from frames


def _digests(rows: Iterable[tuple[Any, ...]], k: int) -> dict[Any, tuple[int, int, int]]:
    """Each key's rows (the key at position ``k``) as a multiset digest: their count and two sums of
    their hashes (order does not count; a row twice counts twice). Two keys' rows differ when
    their digests do: sums of 64-bit hashes that agree by chance have odds of about 2**-128.
    Streaming: no row is kept (a period's stored rows are compared with the new ones this way)."""
    out: dict[Any, list[int]] = {}
    for row in rows:
        d = out.get(row[k])
        if d is None:
            d = out[row[k]] = [0, 0, 0]
        d[0] += 1
        d[1] += hash(row)
        d[2] += hash((row, _SALT))
    return {kv: (n, a, b) for kv, (n, a, b) in out.items()}


def _differing(new: Mapping[Any, Any], old: Mapping[Any, Any]) -> set[Any]:
    """The keys whose digests differ, or that only one side has."""
    return {kv for kv in new.keys() | old.keys() if new.get(kv) != old.get(kv)}


_SALT = "dti-row"  # the second hash of a row: that of (row, _SALT), independent of the first
_KEYS = ("dti-rows-first-1", "dti-rows-second2")  # the two keys of frame_digests' hashes (16 bytes)


def frame_digests(frame: pd.DataFrame, key: str) -> dict[Any, tuple[int, int, int]]:
    """Each key's rows of ``frame`` as a multiset digest (count and two sums of row hashes, as
    :func:`_digests`), with pandas' keyed hashes: the same in every process, so a run can keep
    them for the next one (:class:`KeptRows`). Equal frames give equal digests; a value typed
    otherwise (an integer as a float, say) may differ, which only costs a rewrite."""
    if frame.empty:
        return {}
    sums = []
    codes, keys = pd.factorize(frame[key], use_na_sentinel=False)
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(keys))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    with np.errstate(over="ignore"):
        for hash_key in _KEYS:
            hashed = pd.util.hash_pandas_object(frame, index=False, hash_key=hash_key).to_numpy()
            sums.append(np.add.reduceat(hashed[order], starts))  # uint64: wraps, as a digest may
    return {kv: (int(n), int(a), int(b)) for kv, n, a, b in zip(keys, counts, *sums, strict=True)}


@dataclass(frozen=True)
class KeptRows:
    """A table's rows of one scope (locality and period) as the run ``run_id`` left them, key by
    key, in :func:`frame_digests` of the frame it was given. The next run on the same store
    (``store``: :meth:`Reads.identity`), when no other run has committed since, compares its
    rows with these instead of reading the stored ones back."""

    store: str
    run_id: int
    table: str
    locality: str
    period: str
    columns: tuple[str, ...]  # the frame's columns the table has, in the frame's order
    digests: Mapping[Any, tuple[int, int, int]]


def _scalar(value: Any) -> Any:
    """A frame value as plain Python: NaN, NA and NaT become None."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    return value


def _moment(value: Any) -> datetime:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if not isinstance(value, datetime):
        raise TypeError(f"received_at must be a datetime, got {type(value).__name__}")
    return value


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
        self.kept: dict[str, KeptRows] = {}  # table → its rows as this run left them (replace_*)

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
        file = {"sha256": sha256, "size": size, "name": name, "channel": channel, "received_at": received_at}
        return store_files(self._conn, self.id, [{**file, "sender": sender}], self.bulk_method)[0]

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
        unit = _scalar(unit_code)  # NaN from a frame is no unit
        moment = _moment(received_at)
        item = NewReturn(self._period(period), unit, sha256, file_name, moment, status, errors, warnings)
        return store_returns(self._conn, self.locality, self.id, [item], self.bulk_method)[0]

    def record_returns(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``record_file`` and ``record_submission`` for many returns at once, in the frame's order.

        Columns: ``sha256, size, file_name, channel, received_at, unit_code, status``, optional
        ``sender, errors, warnings, period``. Returns, on the frame's index: ``submission_id,
        version, created, status, superseded_by, new_file``.
        """
        missing = {"sha256", "size", "file_name", "channel", "received_at", "unit_code", "status"} - set(
            frame.columns
        )
        if missing:
            raise ValueError(f"record_returns: the frame has no column(s) {sorted(missing)}")
        records = [{k: _scalar(v) for k, v in r.items()} for r in frame.to_dict("records")]
        files = [
            {
                "sha256": r["sha256"],
                "size": r["size"],
                "name": r["file_name"],
                "channel": r["channel"],
                "received_at": _moment(r["received_at"]),
                "sender": r.get("sender"),
            }
            for r in records
        ]
        new_file = store_files(self._conn, self.id, files, self.bulk_method)
        items = [
            NewReturn(
                self._period(r.get("period")),
                r["unit_code"],
                r["sha256"],
                r["file_name"],
                _moment(r["received_at"]),
                r["status"],
                int(r.get("errors") or 0),
                int(r.get("warnings") or 0),
            )
            for r in records
        ]
        refs = store_returns(self._conn, self.locality, self.id, items, self.bulk_method)
        out = pd.DataFrame(
            {
                "submission_id": pd.array([r.id for r in refs], dtype="Int64"),
                "version": pd.array([r.version for r in refs], dtype="Int64"),
                "created": [r.created for r in refs],
                "status": pd.Series([r.status for r in refs], dtype=object),
                "superseded_by": pd.array([r.superseded_by for r in refs], dtype="Int64"),
                "new_file": new_file,
            }
        )
        out.index = frame.index
        return out

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
            check_status(status)
            values["status"] = status
        if errors is not None:
            values["errors"] = int(errors)
        if warnings is not None:
            values["warnings"] = int(warnings)
        if values:
            self._conn.execute(S.submissions.update().where(SUB.id == int(submission_id)).values(**values))

    def update_submissions(self, frame: pd.DataFrame) -> int:
        """Set many stored returns' ``status``, ``errors`` and ``warnings`` at once (columns ``id``,
        ``status``, ``errors``, ``warnings``): one statement executed for every row."""
        if frame.empty:
            return 0
        for status in set(frame["status"]):
            check_status(str(status))
        rows = [
            {"sid": int(i), "status": str(st), "errors": int(e), "warnings": int(w)}
            for i, st, e, w in zip(
                frame["id"], frame["status"], frame["errors"], frame["warnings"], strict=True
            )
        ]
        statement = (
            S.submissions.update()
            .where(SUB.id == sa.bindparam("sid"))
            .values(
                status=sa.bindparam("status"),
                errors=sa.bindparam("errors"),
                warnings=sa.bindparam("warnings"),
            )
        )
        self._conn.execute(statement, rows)
        return len(rows)

    # --- bulk rows ------------------------------------------------------------------------------

    def _bulk(
        self,
        table: sa.Table,
        frames: Frames,
        fixed: dict[str, Any] | None = None,
        replace: sa.ColumnElement[bool] | None = None,
    ) -> int:
        """Insert the frames' rows (after deleting ``replace``'s rows): all of it, or on an error
        none of it — a savepoint, so that the run can go on without half a write."""
        count = 0
        with self._conn.begin_nested():
            if replace is not None:
                self._conn.execute(table.delete().where(replace))
            for frame in _frames(frames):
                if frame.empty:
                    continue
                names, rows = bulk.frame_rows(frame, table, fixed)
                self._check_refs(table, names, rows, fixed or {})
                count += bulk.insert(self._conn, table, names, rows, self.bulk_method)
        return count

    def _trusts(self, kept: KeptRows, now: KeptRows) -> bool:
        """Whether ``kept`` is what the store holds in the scope of ``now`` (what this run leaves):
        left by the last run that committed on this very store, for the same scope and columns."""
        same = (kept.store, kept.table, kept.locality, kept.period, kept.columns)
        if same != (now.store, now.table, now.locality, now.period, now.columns):
            return False
        r = S.runs.c
        last = self._conn.execute(sa.select(sa.func.max(r.id)).where(r.id != self.id)).scalar()
        return last == kept.run_id

    def _replace_changed(
        self,
        table: sa.Table,
        frames: Frames,
        fixed: dict[str, Any],
        scope: sa.ColumnElement[bool],
        key: str,
        kept: KeptRows | None = None,
    ) -> int:
        """Replace ``scope``'s rows key by key (``unit_code``, say), only for the keys whose rows
        differ from those stored: a re-run that changes one unit's rows rewrites that unit's only.
        The rows left keep the run that wrote them. Returns the number of rows the scope now holds.

        The stored rows are read back and compared, unless ``kept`` (the last run's
        :attr:`kept`) says what they are; the rows this run leaves are kept in :attr:`kept`."""
        parts = [f for f in _frames(frames) if not f.empty]
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0] if parts else None
        names_in = [
            c.name for c in table.columns if frame is not None and c.name in frame and c.name not in fixed
        ]
        mine = frame_digests(frame[names_in], key) if frame is not None else {}
        kept_now = KeptRows(
            self.identity(), self.id, table.name, fixed["locality"], fixed["period"], tuple(names_in), mine
        )
        if frame is None:  # nothing left for the scope: every stored row goes
            self.kept[table.name] = kept_now
            return self._bulk(table, [], fixed, scope)
        if kept is not None and self._trusts(kept, kept_now):
            differ = _differing(mine, kept.digests)
            names, rows = bulk.frame_rows(frame[frame[key].isin(differ)], table, fixed)
        else:
            names, rows = bulk.frame_rows(frame, table, fixed)
            compared = [n for n in names if n != "run_id"]  # the key is a required column: among them
            pick = itemgetter(*[names.index(n) for n in compared])  # C loops, not a generator per row
            k = compared.index(key)
            stored = streamed_rows(self._conn, sa.select(*(table.c[n] for n in compared)).where(scope))
            new, old = _digests(map(pick, rows), k), _digests(map(tuple, stored), k)
            differ = _differing(new, old)
        changed = sorted(differ, key=lambda v: (v is None, str(v)))
        at_key = names.index(key)
        with self._conn.begin_nested():
            for i in range(0, len(changed), 900):
                chunk = changed[i : i + 900]
                self._conn.execute(table.delete().where(scope & table.c[key].in_(chunk)))
            by_key: dict[Any, list[tuple[Any, ...]]] = {kv: [] for kv in changed}
            for row in rows:
                if row[at_key] in by_key:
                    by_key[row[at_key]].append(row)
            written = [row for kv in changed for row in by_key[kv]]
            if written:
                self._check_refs(table, names, written, fixed)
                bulk.insert(self._conn, table, names, written, self.bulk_method)
        self.kept[table.name] = kept_now
        return len(frame)

    def _check_refs(
        self, table: sa.Table, names: list[str], rows: list[tuple[Any, ...]], fixed: dict[str, Any]
    ) -> None:
        """Every return, file or run a bulk row names must exist (the long tables have no FOREIGN KEY)."""
        for (name, column), (target_table, target_column) in S.REFERENCES.items():
            if name != table.name or column not in names or column in fixed:
                continue
            i = names.index(column)
            wanted = {row[i] for row in rows if row[i] is not None}
            target = S.metadata.tables[target_table].c[target_column]
            found: set[Any] = set()
            ordered_ids = sorted(wanted)
            for k in range(0, len(ordered_ids), 900):
                chunk = ordered_ids[k : k + 900]
                found.update(self._conn.execute(sa.select(target).where(target.in_(chunk))).scalars())
            missing = sorted(wanted - found)
            if missing:
                raise ValueError(
                    f"{table.name}.{column}: no {target_table} with {target_column} {missing[:5]}"
                )

    def add_cells(self, frames: Frames) -> int:
        """Store values in long form: ``submission_id, sheet, cell`` (A1) and optional ``row_key``
        (task id / field id / label), ``column_label``, ``raw`` (as typed), ``value`` (normalised,
        as text). One value per cell of a return's sheet. A frame or an iterable of frames."""
        return self._bulk(S.cells, frames)

    def add_issues(self, frames: Frames) -> int:
        """Store issues: ``severity``, ``code``, ``message`` and ``submission_id`` or ``file_sha256``,
        with optional ``sheet``, ``cell``, ``field``, ``value``. Tagged with this run."""
        return self._bulk(S.issues, frames, {"run_id": self.id})

    def replace_task_rows(
        self, frames: Frames, *, period: str | None = None, kept: KeptRows | None = None
    ) -> int:
        """Replace the period's merged task rows (columns of contract §7 ``tasks.csv``, optional
        ``submission_id``: the return each row came from). ``kept``: the last run's
        ``kept["task_rows"]``, if the caller kept it (it is checked before it is believed)."""
        period = self._period(period)
        t = S.task_rows.c
        fixed = {"locality": self.locality, "period": period, "run_id": self.id}
        scope = (t.locality == self.locality) & (t.period == period)
        return self._replace_changed(S.task_rows, frames, fixed, scope, "unit_code", kept)

    def replace_scores(self, frames: Frames, *, period: str | None = None) -> int:
        """Replace the period's scores (columns of contract §7 ``scores.csv``)."""
        period = self._period(period)
        s = S.scores.c
        fixed = {"locality": self.locality, "period": period, "run_id": self.id}
        scope = (s.locality == self.locality) & (s.period == period)
        return self._replace_changed(S.scores, frames, fixed, scope, "unit_code")

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

    # --- the private links of dti serve ---------------------------------------------------------

    def add_link(self, *, token_sha256: str, role: str, unit_code: str | None, period: str | None) -> int:
        """Record a new link (only its token's hash); its id."""
        if role not in S.LINK_ROLES:
            raise ValueError(f"unknown link role {role!r}")
        result = self._conn.execute(
            S.links.insert().values(
                locality=self.locality,
                period=period,
                unit_code=unit_code,
                role=role,
                token_sha256=token_sha256,
                created_at=datetime.now(UTC),
                revoked_at=None,
                run_id=self.id,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def revoke_links(self, *, role: str, unit_code: str | None = None, period: str | None = None) -> int:
        """Revoke the active links of a role (of one unit, of one period when given); how many."""
        c = S.links.c
        where = (c.locality == self.locality) & (c.role == role) & c.revoked_at.is_(None)
        if unit_code is not None:
            where = where & (c.unit_code == unit_code)
        if period is not None:
            where = where & (c.period == period)
        result = self._conn.execute(S.links.update().where(where).values(revoked_at=datetime.now(UTC)))
        return int(result.rowcount or 0)
