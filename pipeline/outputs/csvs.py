"""The CSV files for machines (contract §7): UTF-8, one header row, every value verbatim.

Every file starts with a ``locality`` column (``locality.yaml``'s ``code``): the province
receives files from several localities, whose unit codes may collide.

A unit that types ``=HYPERLINK(…)`` in a result cell gets exactly that text here: the CSV files
keep the data other programs read; the workbooks are the copy for people.
"""

from __future__ import annotations

import csv
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.base.atomic import atomic_path
from pipeline.outputs.province.data import ReportData, missing, nfc
from pipeline.scoring.history import HISTORY_COLUMNS
from pipeline.scoring.scores import SUMMARY_COLUMNS

# contract §7: file → (ReportData attribute, columns in order); each file starts with LOCALITY
LOCALITY = "locality"
CSV_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "submissions.csv": (
        "submissions",
        (
            "period",
            "unit_code",
            "status",
            "received_at",
            "deadline",
            "file",
            "sha256",
            "errors",
            "warnings",
            "tasks_assigned",
            "tasks_reported",
            # version 2, the store: the return's version for its unit and period, how it came
            "version",
            "channel",
        ),
    ),
    "scores.csv": (
        "scores",
        ("period", "unit_code", "indicator_id", "self_score", "score", "max_score", "has_evidence"),
    ),
    "summary.csv": (
        "summary",
        tuple(SUMMARY_COLUMNS),
    ),
    "tasks.csv": (
        "tasks",
        (
            "period",
            "task_id",
            "unit_code",
            "role",
            "status",
            "result_value",
            "has_evidence",
            "overdue",
            # the unit's own words, verbatim, and the evidence read (contract §7, version 2)
            "result_text",
            "evidence",
            "evidence_doc",
            "evidence_date",
            "evidence_url",
            "difficulties",
            "task_text",
        ),
    ),
    "issues.csv": (
        "issues",
        ("period", "unit_code", "file", "sheet", "cell", "field", "value", "severity", "code", "message"),
    ),
    # every stored period up to this one, long form (contract §7, version 2: the store)
    "history.csv": ("history_rows", tuple(HISTORY_COLUMNS)),
}
CSV_DATE_ONLY = frozenset({"deadline"})  # written as YYYY-MM-DD even when given as a timestamp
# written empty when the frame lacks them ("period": data.period.id); the columns of version 2
# (contract §7) are optional so that report data built without them still writes
CSV_OPTIONAL = frozenset(
    {"sha256", "tasks_assigned", "tasks_reported", "result_text", "evidence", "evidence_doc", "evidence_date"}
    | {"evidence_url", "difficulties", "task_text", "version", "channel"}
)


def csv_columns(name: str) -> tuple[str, ...]:
    """The columns of a CSV file as written: ``locality`` first."""
    return (LOCALITY, *CSV_FILES[name][1])


def csv_value(value: Any, date_only: bool = False) -> str:
    """One value as CSV text: blank for missing, true/false, 10 not 10.0, ISO dates."""
    if missing(value):
        return ""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        x = float(value)
        if not math.isfinite(x):
            return ""
        return str(int(x)) if x.is_integer() and abs(x) < 2**53 else repr(x)
    if isinstance(value, pd.Timestamp | datetime):
        return value.strftime("%Y-%m-%d" if date_only else "%Y-%m-%dT%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return nfc(str(value))


# pandas.api.types.infer_dtype kinds whose values cannot be equal across Python types
ONE_KIND = frozenset({"string", "floating", "integer", "boolean", "empty"})


def _csv_column(data: ReportData, attr: str, frame: pd.DataFrame, column: str) -> list[str]:
    if column == LOCALITY:
        return [data.locality.code] * len(frame)
    if column not in frame.columns:
        if column == "period":
            return [data.period.id] * len(frame)
        if column in CSV_OPTIONAL:
            return [""] * len(frame)
        raise ValueError(f"report data '{attr}' has no column '{column}' (needed for contract §7 CSV files)")
    date_only = column in CSV_DATE_ONLY
    series = frame[column]
    if pd.api.types.infer_dtype(series, skipna=True) in ONE_KIND:
        # values of one kind (no True beside 1, no 1 beside 1.0): each distinct one formatted once
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        texts = np.array([csv_value(v, date_only) for v in uniques] + [""], dtype=object)
        return texts[codes].tolist()  # code -1 (missing) takes the last: ""
    missing = series.isna().tolist()
    seen: dict[tuple[type, Any], str] = {}  # most columns repeat a few values: format each once
    out = []
    for value, gone in zip(series.tolist(), missing, strict=True):
        if gone:
            out.append("")
            continue
        key = (type(value), value)
        text = seen.get(key)
        if text is None:
            text = seen[key] = csv_value(value, date_only)
        out.append(text)
    return out


def write_csvs(data: ReportData, folder: Path) -> list[Path]:
    """Write ``submissions``, ``scores``, ``summary``, ``tasks``, ``issues`` and ``history.csv``
    into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (attr, _columns) in CSV_FILES.items():
        columns = csv_columns(name)
        frame: pd.DataFrame = getattr(data, attr)
        values = [_csv_column(data, attr, frame, c) for c in columns]
        path = folder / name
        with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(zip(*values, strict=True))
        written.append(path)
    return written
