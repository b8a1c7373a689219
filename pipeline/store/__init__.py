"""The store: every return, value, issue, task row and score of every period, in one database.

SQLite by default (a file beside the outputs, WAL mode), PostgreSQL (psycopg 3) for a shared
store. SQLAlchemy 2 Core with Alembic migrations shipped in the package and run on open. A run
is one locked transaction (``with store.run(...) as run:``). Everything comes in and goes out as
plain Python values and pandas DataFrames; this package imports nothing else of ``pipeline``
but its version.

    store = open_store(os.environ.get("DTI_DB"), default_path=Path("output/dti.sqlite"))
    print(store.note or "")                 # Vietnamese: created, or migrated (and the backup)
    with store.run(locality="TP_THAI_BINH", period="2023-Q4", catalogue_version=cv) as run:
        run.record_file(sha, size=n, name="2023-Q4_VP.xlsx", channel="inbox", received_at=t)
        sub = run.record_submission(unit_code="VP", sha256=sha, file_name="2023-Q4_VP.xlsx",
                                    received_at=t, status="on_time")
        ids = run.record_returns(returns_frame)  # the same for many files and returns at once
        run.add_cells(cells_frame)          # submission_id, sheet, cell, row_key, column_label, raw, value
        run.add_issues(issues_frame)
        run.replace_task_rows(tasks_frame)  # contract §7 tasks.csv columns (+ submission_id)
        run.replace_scores(scores_frame)    # contract §7 scores.csv columns
    store.submissions("2023-Q4", locality="TP_THAI_BINH", latest=True)

Every refusal a person must read is a ``StoreError`` whose ``message`` is Vietnamese
(the message catalogue holds them: ``pipeline.base.messages.store``).
"""

from __future__ import annotations

from pipeline.store.errors import (
    ExportInvalid,
    NotAStore,
    StoreBusy,
    StoreError,
    StoreNotEmpty,
    StoreTooNew,
    StoreUnavailable,
)
from pipeline.store.migrate import head as head_revision
from pipeline.store.reads import FileRecord, LinkRecord, SubmissionRef
from pipeline.store.run import KeptRows, Run
from pipeline.store.schema import TABLE_NAMES
from pipeline.store.store import DEFAULT_LOCK_WAIT, Store, StoreCheck, open_store

__all__ = [
    "DEFAULT_LOCK_WAIT",
    "TABLE_NAMES",
    "ExportInvalid",
    "FileRecord",
    "KeptRows",
    "LinkRecord",
    "NotAStore",
    "Run",
    "Store",
    "StoreBusy",
    "StoreCheck",
    "StoreError",
    "StoreNotEmpty",
    "StoreTooNew",
    "StoreUnavailable",
    "SubmissionRef",
    "head_revision",
    "open_store",
]
