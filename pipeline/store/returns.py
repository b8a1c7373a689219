"""Files and returns, one or ten thousand at a time: content, versions, which return counts.

The rules (one implementation for ``Run.record_submission`` and ``Run.record_returns``):

* a file is stored once per content (sha256); its first name, channel and receipt are kept;
* a return is one per (locality, period, unit, sha256): the same file again is the same return;
* a new content from the same unit and period is version n+1 (a file nobody identified, with
  no unit, is numbered among the unidentified files of the period);
* among a unit's returns of a period that are not ``rejected``, the one received last (then the
  highest version) counts; every other one is ``superseded`` with ``superseded_by`` pointing at it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from pipeline.store import bulk
from pipeline.store import schema as S
from pipeline.store.reads import SubmissionRef

SUB = S.submissions.c
IN_CHUNK = 900
FEW_UNITS = 50  # up to this many units in a call, their rows are selected by unit (an index)


@dataclass(frozen=True)
class NewReturn:
    """A return to record (its file already stored, or stored in the same call)."""

    period: str
    unit_code: str | None
    sha256: str
    file_name: str
    received_at: datetime
    status: str
    errors: int = 0
    warnings: int = 0


def check_status(status: str) -> None:
    if status not in S.SUBMISSION_STATUSES:
        raise ValueError(f"status must be one of {S.SUBMISSION_STATUSES}, got {status!r}")


def check_channel(channel: str) -> None:
    if channel not in S.CHANNELS:
        raise ValueError(f"channel must be one of {S.CHANNELS}, got {channel!r}")


def utc(moment: datetime) -> datetime:
    """An aware UTC moment (a naive one is the machine's local time, as the store takes it)."""
    return moment.astimezone(UTC)


def _in_chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = sorted(set(values))
    for i in range(0, len(items), IN_CHUNK):
        yield items[i : i + IN_CHUNK]


def store_files(
    conn: sa.Connection, run_id: int, files: Sequence[dict[str, Any]], method: str = "executemany"
) -> list[bool]:
    """Store the files whose content is new; per given file, whether it was new."""
    known: set[str] = set()
    for chunk in _in_chunks(f["sha256"] for f in files):
        known.update(conn.execute(sa.select(S.files.c.sha256).where(S.files.c.sha256.in_(chunk))).scalars())
    new: list[dict[str, Any]] = []
    out: list[bool] = []
    for f in files:
        check_channel(f["channel"])
        if f["sha256"] in known:
            out.append(False)
            continue
        known.add(f["sha256"])
        sender = f.get("sender")
        if not isinstance(sender, str):  # None, or NaN from a frame
            sender = None
        new.append(
            {
                "sha256": f["sha256"],
                "size": int(f["size"]),
                "first_name": f["name"],
                "channel": f["channel"],
                "received_at": f["received_at"],
                "sender": None if sender is None or sender == "" else sender,
                "run_id": run_id,
            }
        )
        out.append(True)
    bulk.insert_dicts(conn, S.files, new, method)
    return out


@dataclass
class _Row:
    id: int
    version: int
    received_at: datetime
    status: str
    superseded_by: int | None


def store_returns(
    conn: sa.Connection, locality: str, run_id: int, items: Sequence[NewReturn], method: str = "executemany"
) -> list[SubmissionRef]:
    """Record ``items`` in order; per item its stored return (``created`` when this call made it)."""
    for item in items:
        check_status(item.status)
    periods = sorted({i.period for i in items})
    groups: dict[tuple[str, str | None], list[_Row]] = defaultdict(list)
    by_content: dict[tuple[str, str | None, str], _Row] = {}
    wanted = {(i.period, i.unit_code) for i in items}
    stmt = sa.select(
        SUB.id,
        SUB.period,
        SUB.unit_code,
        SUB.version,
        SUB.file_sha256,
        SUB.received_at,
        SUB.status,
        SUB.superseded_by,
    ).where((SUB.locality == locality) & SUB.period.in_(periods))
    units = {u for _p, u in wanted}
    if len(units) <= FEW_UNITS:  # an upload, say: that unit's returns, not the period's thousands
        named = sorted(u for u in units if u is not None)
        by_unit = SUB.unit_code.in_(named) if named else sa.false()
        stmt = stmt.where(by_unit | SUB.unit_code.is_(None) if None in units else by_unit)
    for r in conn.execute(stmt):
        if (r.period, r.unit_code) not in wanted:
            continue
        row = _Row(r.id, r.version, utc(r.received_at), r.status, r.superseded_by)
        groups[(r.period, r.unit_code)].append(row)
        by_content.setdefault((r.period, r.unit_code, r.file_sha256), row)

    top = {key: max((r.version for r in rows), default=0) for key, rows in groups.items()}
    fresh: list[tuple[NewReturn, int]] = []  # (item, version) to insert, in order
    planned: dict[tuple[str, str | None, str], int] = {}
    for item in items:
        content = (item.period, item.unit_code, item.sha256)
        if content in by_content or content in planned:
            continue
        key = (item.period, item.unit_code)
        top[key] = top.get(key, 0) + 1
        planned[content] = top[key]
        fresh.append((item, top[key]))

    if fresh:
        before = conn.execute(sa.select(sa.func.coalesce(sa.func.max(SUB.id), 0))).scalar_one()
        bulk.insert_dicts(
            conn,
            S.submissions,
            [
                {
                    "locality": locality,
                    "period": item.period,
                    "unit_code": item.unit_code,
                    "version": version,
                    "file_sha256": item.sha256,
                    "file_name": item.file_name,
                    "status": item.status,
                    "superseded_by": None,
                    "received_at": item.received_at,
                    "errors": int(item.errors),
                    "warnings": int(item.warnings),
                    "run_id": run_id,
                }
                for item, version in fresh
            ],
            method,
        )
        ids = {
            (r.period, r.unit_code, r.version): r.id
            for r in conn.execute(
                sa.select(SUB.id, SUB.period, SUB.unit_code, SUB.version).where(
                    (SUB.id > before) & (SUB.locality == locality)
                )
            )
        }
        settle: set[tuple[str, str | None]] = set()
        for item, version in fresh:
            row = _Row(
                ids[(item.period, item.unit_code, version)], version, utc(item.received_at), item.status, None
            )
            key = (item.period, item.unit_code)
            groups[key].append(row)
            by_content[(item.period, item.unit_code, item.sha256)] = row
            if item.status != "rejected" and item.unit_code is not None:
                settle.add(key)
        _settle(conn, [groups[k] for k in sorted(settle, key=str)])

    out: list[SubmissionRef] = []
    seen: set[tuple[str, str | None, str]] = set()
    for item in items:
        content = (item.period, item.unit_code, item.sha256)
        row = by_content[content]
        created = content in planned and content not in seen  # a duplicate within the call: not created
        seen.add(content)
        out.append(SubmissionRef(row.id, row.version, created, row.status, row.superseded_by))
    return out


def _settle(conn: sa.Connection, groups: Iterable[list[_Row]]) -> None:
    """Point every non-rejected return of each group at the one that counts."""
    changes: list[dict[str, Any]] = []
    for rows in groups:
        live = [r for r in rows if r.status != "rejected"]
        if not live:
            continue
        counting = max(live, key=lambda r: (r.received_at, r.version))
        for r in live:
            if r is counting:
                continue
            if r.superseded_by != counting.id or r.status != "superseded":
                r.superseded_by, r.status = counting.id, "superseded"
                changes.append({"b_id": r.id, "b_to": counting.id})
    if changes:
        conn.execute(
            S.submissions.update()
            .where(SUB.id == sa.bindparam("b_id"))
            .values(status="superseded", superseded_by=sa.bindparam("b_to")),
            changes,
        )
