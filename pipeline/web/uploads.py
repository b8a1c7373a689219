"""An upload, from the request's body to the store and the unit's feedback.

1. :func:`receive` copies the file part to a temporary file, counting and hashing as it goes,
   and stops at the size cap (the server and Flask cap the whole body before that, while it
   streams); the client's file name is never used as a path.
2. :func:`accept` places the file by its content hash, runs the guard and the reader in a capped
   worker (:mod:`.worker`), exactly as for an inbox file, validates it, and stores it with the
   server's clock as its received time (channel ``upload``). A file whose content names another
   unit is refused and not stored. A return the unit's content names (or none) is kept under
   ``<inbox>/<period>/web/`` so a later ``dti report`` of the period finds it again (the store
   keeps its first received time; the same content is the same return).
3. The feedback is planned as a run plans it (:func:`pipeline.outputs.feedback.plan_feedback`):
   the issues on the page are the rows of the feedback file's first sheet, and the feedback
   workbook is written beside them (``<out>/.web/<period>/<unit>/<submission>/``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import pandas as pd

from pipeline.base.codes import Severity
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.intake.guard.sniff import SPREADSHEET_EXTENSIONS
from pipeline.outputs.feedback import filled_from, plan_feedback, write_feedback
from pipeline.runner.records import store_returns
from pipeline.store import Store
from pipeline.web.worker import GuardPool

CHUNK = 256 * 1024
DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024
STATE = ".web"  # under the outputs' folder: incoming files, refused files, each upload's feedback


class TooLarge(Exception):
    """The file is over the cap."""


@dataclass(frozen=True)
class Site:
    """What the pages work on: the catalogue, the store, the folders, the caps, the guard's pool."""

    cat: Catalogue
    store: Store
    inbox_root: Path  # <inbox>/<period>/ as `dti report --inbox` takes it
    out: Path  # the outputs' folder, as `dti report --out`
    db: str | None
    pool: GuardPool
    max_upload: int = DEFAULT_MAX_UPLOAD

    @property
    def locality(self) -> str:
        return self.cat.locality.code

    def state(self, *parts: str) -> Path:
        return self.out.joinpath(STATE, *parts)


@dataclass(frozen=True)
class Received:
    path: Path
    sha256: str
    size: int
    suffix: str  # .xlsx, .xls, ... from the client's name when it is a spreadsheet's; else ""
    at: datetime  # the server's clock, UTC


@dataclass(frozen=True)
class Row:
    """One issue as the page shows it: the feedback sheet's columns."""

    sheet: str
    cell: str
    field: str
    value: str
    severity: str
    message: str


@dataclass(frozen=True)
class Outcome:
    submission_id: int | None  # None: refused before the store (another unit's file)
    created: bool
    other_unit: bool = False


def safe_suffix(client_name: str | None) -> str:
    """The extension of the client's file name when it is a spreadsheet's: all that is kept of it."""
    name = (client_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    suffix = Path(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z]{3,4}", suffix) and suffix in SPREADSHEET_EXTENSIONS else ""


def receive(stream: IO[bytes], folder: Path, limit: int, client_name: str | None) -> Received:
    """Copy ``stream`` to a new file in ``folder``, hashing it; ``TooLarge`` past ``limit`` bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge
                digest.update(chunk)
                fh.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Received(path, digest.hexdigest(), size, safe_suffix(client_name), datetime.now(UTC))


_placing = threading.Lock()


def _place(site: Site, unit: str, period: Period, got: Received) -> tuple[Path, Path]:
    """Move the received file to its place in the period's inbox; (file, inbox)."""
    inbox = site.inbox_root / period.id
    target = inbox / "web" / f"{period.id}_{unit}_{got.sha256[:16]}{got.suffix or '.bin'}"
    target.parent.mkdir(parents=True, exist_ok=True)
    with _placing:
        if target.exists():
            got.path.unlink(missing_ok=True)
        else:
            os.replace(got.path, target)
    stamp = got.at.timestamp()
    os.utime(target, (stamp, stamp))  # a later `dti report` reads the same received time
    return target, inbox


def status_of(cat: Catalogue, period: Period, counting: bool, rejected: bool, received: datetime) -> str:
    """A stored return's status as the period's report gives it."""
    if rejected:
        return "rejected"
    if not counting:
        return "superseded"
    day = pd.Timestamp(received).tz_convert(datetime.now().astimezone().tzinfo).date()
    return "late" if day > cat.deadline(period) else "on_time"


def accept(site: Site, unit: str, period: Period, got: Received) -> Outcome:
    """Guard, read, validate and store an uploaded file of ``unit``; write its feedback."""
    cat = site.cat
    known = site.store.find_submission(got.sha256, locality=site.locality, period=period.id, unit_code=unit)
    if known is not None:
        got.path.unlink(missing_ok=True)
        return Outcome(known.id, created=False)
    path, inbox = _place(site, unit, period, got)
    checked = site.pool.check(period.id, path, inbox)  # guarded, read and validated in a worker
    [prepared] = checked.prepared
    named = prepared.unit or next((i.unit_code for i in prepared.issues if i.unit_code), None)
    if named is not None and named != unit:
        path.unlink(missing_ok=True)
        return Outcome(None, created=False, other_unit=True)
    if named is None:  # nothing in it names a unit: not a return the inbox would know whose it is
        refused = site.state("refused", path.name)
        refused.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, refused)
    file = prepared.file
    when = pd.Timestamp(got.at)
    with site.store.run(
        locality=site.locality, period=period.id, command="upload", catalogue_version=cat.version
    ) as run:
        ids = store_returns(run, cat, checked, {file: when}, channel="upload", sender_units={file: unit})
        sub_id = ids[file]
        errors = sum(i.severity == Severity.ERROR for i in checked.issues)
        warnings = len(checked.issues) - errors
        stored = run.submission(sub_id)
        assert stored is not None  # store_returns has just recorded it, in this transaction
        rejected = file not in checked.accepted
        status = status_of(cat, period, stored.counting, rejected, got.at)
        run.update_submission(sub_id, status=status, errors=errors, warnings=warnings)
    plans = plan_feedback(period, [prepared], {file: unit}, {file: status}, {file: when}, checked.issues)
    folder = result_folder(site, period, unit, sub_id)
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    if plans:
        plan = plans[0]
        filled = filled_from(cat, period, plan.typed, unit, plan.issues)
        rows = [Row(r.sheet, r.cell, r.field, r.value, str(r.severity), r.message) for r in filled.feedback]
        write_feedback(cat, period, plan, folder)
    (folder / "issues.json").write_text(
        json.dumps([asdict(r) for r in rows], ensure_ascii=False), encoding="utf-8"
    )
    return Outcome(sub_id, created=True)


def result_folder(site: Site, period: Period, unit: str, submission_id: int) -> Path:
    return site.state(period.id, unit, str(int(submission_id)))


def feedback_file(site: Site, period: Period, unit: str, submission_id: int) -> Path | None:
    path = result_folder(site, period, unit, submission_id) / f"{unit}.xlsx"
    return path if path.is_file() else None


def rows_of(site: Site, period: Period, unit: str, submission_id: int) -> list[Row]:
    """The issues of one stored return as its feedback lists them (the stored issues for a return
    that came another way)."""
    path = result_folder(site, period, unit, submission_id) / "issues.json"
    if path.is_file():
        return [Row(**r) for r in json.loads(path.read_text(encoding="utf-8"))]
    found = site.store.issues([submission_id])
    return [
        Row(_text(s), _text(c), _text(f), _text(v), str(sev), str(m))
        for s, c, f, v, sev, m in zip(
            found["sheet"],
            found["cell"],
            found["field"],
            found["value"],
            found["severity"],
            found["message"],
            strict=True,
        )
    ]


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def days_left(deadline: date, today: date) -> int:
    return (deadline - today).days
