"""A run's returns in the store's long form (a period read back from it: :mod:`.period`).

Going in (:func:`store_returns`): every file of the run is recorded (the same file again is the
same return; a changed file from the same unit and period is version n+1), and for each new
return its values — as typed and as validated — and its issues.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.catalogue import Catalogue
from pipeline.rules import Checked, Prepared
from pipeline.store import Run

# The columns of a task row, each from one column of the Nhiệm vụ sheet (validated values).
TASK_LABELS = {
    V.TASK_STATUS: "status_label",
    V.TASK_RESULT_VALUE: "result_value",
    V.TASK_RESULT: "result",
    V.TASK_EVIDENCE: "evidence",
    V.TASK_PROBLEMS: "problems",
}
# returns whose cells are gathered and written, or read back and turned into values, together: a
# period's cells are never all in memory at once
RETURNS_AT_ONCE = 1000
SHEETS = {"info": V.SHEET_INFO, "tasks": V.SHEET_TASKS, "indicators": V.SHEET_INDICATORS}
# a period's, not a file's: computed when it is built (several returns of a unit; the checks
# across periods, pipeline.rules.history)
NOT_STORED = frozenset(
    {Code.DUPLICATE_RETURN, Code.DONE_THEN_NOT_STARTED, Code.CUMULATIVE_DECREASED, Code.VALUES_COPIED}
)


def as_text(value: Any) -> str | None:
    """A value as the store keeps it: text, numbers in their shortest exact form, ISO dates."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def local(moment: Any) -> pd.Timestamp | None:
    """A stored (UTC) time as this machine's local time without a zone, as the run received it."""
    if moment is None or pd.isna(moment):
        return None
    ts = pd.Timestamp(moment)
    return ts.tz_convert(datetime.now().astimezone().tzinfo).tz_localize(None) if ts.tzinfo else ts


def _unit_of(p: Prepared, checked: Checked, senders: Mapping[str, str] | None = None) -> str | None:
    found = checked.accepted.get(p.file) or next((i.unit_code for i in p.issues if i.unit_code), None)
    return found or (senders or {}).get(p.file)


def store_returns(
    run: Run,
    cat: Catalogue,
    checked: Checked,
    received: Mapping[str, pd.Timestamp],
    channel: str = "inbox",
    senders: Mapping[str, str] | None = None,
    channels: Mapping[str, str] | None = None,
    sender_units: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Record every file of the run and, for the returns new to the store, their values and
    issues; file name → submission id. ``channels``: file → its channel where it is not
    ``channel`` (an e-mail attachment's ``email``); ``senders``: file → who sent it;
    ``sender_units``: file → the unit that sent it, for the files whose content names none (an
    upload through a unit's own page)."""
    prepared = checked.prepared
    if not prepared:
        return {}
    frame = pd.DataFrame(
        {
            "sha256": [p.source.sha256 for p in prepared],
            "size": [p.source.size for p in prepared],
            "file_name": [p.file for p in prepared],
            "channel": [(channels or {}).get(p.file, channel) for p in prepared],
            "received_at": [received[p.file].to_pydatetime() for p in prepared],
            "unit_code": [_unit_of(p, checked, sender_units) for p in prepared],
            "status": ["received" if p.file in checked.accepted else "rejected" for p in prepared],
            "sender": [(senders or {}).get(p.file) for p in prepared],
        }
    )
    # versions follow the order in which the unit's returns were received, not their names
    frame = frame.sort_values(["received_at", "file_name"], kind="stable")
    refs = run.record_returns(frame)
    ids = {str(f): int(i) for f, i in zip(frame["file_name"], refs["submission_id"], strict=True)}
    new = {str(f) for f, created in zip(frame["file_name"], refs["created"], strict=True) if created}
    in_order = [p.file for p in prepared if p.file in new]
    chunks = (set(in_order[k : k + RETURNS_AT_ONCE]) for k in range(0, len(in_order), RETURNS_AT_ONCE))
    run.add_cells(_cells(checked, ids, chunk) for chunk in chunks)  # built as they are written
    run.add_issues(_issues(checked, ids, new))
    return ids


def _validated(checked: Checked, files: set[str]) -> dict[tuple[str, str, str, str], Any]:
    """(file, part, row key, column label) → the value after validation (None where an error),
    for these files."""
    out: dict[tuple[str, str, str, str], Any] = {}
    t = checked.tasks
    t = t[t["file"].isin(files)] if not t.empty else t
    i = checked.indicators
    i = i[i["file"].isin(files)] if not i.empty else i
    # columns as lists: a text column's own iterator is a Python generator, 30 times slower
    if not t.empty:
        row_files, row_tasks = t["file"].tolist(), t["task_id"].tolist()
        for label, column in TASK_LABELS.items():
            values = t[column]
            if column == "evidence" and "has_evidence" in t:  # a placeholder is no evidence
                values = values.where(t["has_evidence"].fillna(False).astype(bool), None)
            for file, task, value in zip(row_files, row_tasks, values.tolist(), strict=True):
                out[(file, "tasks", task, label)] = value
        if "added" in t:  # a row the unit added keeps its text
            texts, added_rows = t["text"].tolist(), t["added"].tolist()
            for file, task, text, added in zip(row_files, row_tasks, texts, added_rows, strict=True):
                if added is True:
                    out[(file, "tasks", task, V.TASK_TEXT)] = text
    if not i.empty:
        proven = i["has_evidence"] if "has_evidence" in i else i["evidence"].notna()
        for file, fid, value, evidence, ok in zip(
            i["file"].tolist(),
            i["field_id"].tolist(),
            i["value"].tolist(),
            i["evidence"].tolist(),
            proven.tolist(),
            strict=True,
        ):
            out[(file, "indicators", fid, V.IND_VALUE)] = value
            out[(file, "indicators", fid, V.IND_EVIDENCE)] = evidence if ok else None
    return out


def _cells(checked: Checked, ids: Mapping[str, int], new: set[str]) -> pd.DataFrame:
    validated = _validated(checked, new)  # only the returns new to the store are written
    rows = []
    for p in checked.prepared:
        if p.file not in new:
            continue
        for part, key, label, typed, cell in p.typed:
            if not cell:
                continue
            value = typed if part == "info" else validated.get((p.file, part, key, label))
            rows.append((ids[p.file], SHEETS[part], cell, key, label, as_text(typed), as_text(value)))
    return pd.DataFrame(
        rows, columns=["submission_id", "sheet", "cell", "row_key", "column_label", "raw", "value"]
    )


def _issues(checked: Checked, ids: Mapping[str, int], new: set[str]) -> pd.DataFrame:
    rows = [
        (ids[i.file], i.sheet, i.cell, i.field, i.value, str(i.severity), str(i.code), i.message)
        for i in checked.issues
        if i.file in new and i.code not in NOT_STORED
    ]
    return pd.DataFrame(
        rows, columns=["submission_id", "sheet", "cell", "field", "value", "severity", "code", "message"]
    )
