"""The store's tables at the head revision, in SQLAlchemy Core.

The migrations in ``migrations/versions/`` build exactly these tables (a test compares them);
a new revision changes both. Long form throughout: one row per value, per issue, per task row.
Text that a unit typed is ``Text``; codes are bounded ``String``. Every timestamp is stored in
UTC (``UtcDateTime``) and read back as an aware UTC ``datetime``.

Foreign keys hold the record tables together (files, submissions, reminders → runs, files,
submissions). The long tables (``cells``, ``issues``, ``task_rows``, ``scores``: up to millions
of rows a run) name their return, file and run by value, without a FOREIGN KEY: on PostgreSQL
the per-row checks doubled the time of a bulk COPY (200,000 cells: 2.4 s with, 1.1 s without).
The writer checks every reference of a bulk write instead (one query per thousand distinct
ids, ``Run._check_refs``), and ``Store.check()`` counts rows whose reference is missing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

CHANNELS = ("inbox", "upload", "email")
SUBMISSION_STATUSES = ("received", "on_time", "late", "rejected", "superseded")
SEVERITIES = ("error", "warning")
LINK_ROLES = ("unit", "analyst")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp kept in UTC: aware on PostgreSQL (timestamptz), naive UTC text on SQLite.

    A naive ``datetime`` given to the store is taken as the machine's local time.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite rows written outside SQLAlchemy
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


CODE = 64  # unit codes, task ids, localities
metadata = sa.MetaData(naming_convention=NAMING)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", UtcDateTime, nullable=False),
    sa.Column("finished_at", UtcDateTime, nullable=True),
    sa.Column("command", sa.String(32), nullable=False),
    sa.Column("tool_version", sa.String(32), nullable=False),
    sa.Column("catalogue_version", sa.String(CODE), nullable=True),
    sa.Column("locality", sa.String(CODE), nullable=False),
    sa.Column("period", sa.String(16), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
)

files = sa.Table(
    "files",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("first_name", sa.Text, nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("sender", sa.Text, nullable=True),  # revision 0002
    sa.CheckConstraint(_in("channel", CHANNELS), name="channel"),
)

submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("locality", sa.String(CODE), nullable=False),
    sa.Column("period", sa.String(16), nullable=False),
    sa.Column("unit_code", sa.String(CODE), nullable=True),  # empty for a file nobody could identify
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("file_sha256", sa.String(64), sa.ForeignKey("files.sha256"), nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("superseded_by", sa.Integer, sa.ForeignKey("submissions.id"), nullable=True),
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Column("errors", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.UniqueConstraint("locality", "period", "unit_code", "version"),
    sa.UniqueConstraint("locality", "period", "unit_code", "file_sha256"),
    sa.CheckConstraint(_in("status", SUBMISSION_STATUSES), name="status"),
    sa.Index(None, "locality", "unit_code"),
    sa.Index(None, "file_sha256"),
)

cells = sa.Table(
    "cells",
    metadata,
    sa.Column("submission_id", sa.Integer, primary_key=True),
    sa.Column("sheet", sa.Text, primary_key=True),
    sa.Column("cell", sa.String(16), primary_key=True),
    sa.Column("row_key", sa.Text, nullable=True),
    sa.Column("column_label", sa.Text, nullable=True),
    sa.Column("raw", sa.Text, nullable=True),
    sa.Column("value", sa.Text, nullable=True),
)

issues = sa.Table(
    "issues",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, nullable=False),
    sa.Column("submission_id", sa.Integer, nullable=True),
    sa.Column("file_sha256", sa.String(64), nullable=True),
    sa.Column("sheet", sa.Text, nullable=True),
    sa.Column("cell", sa.Text, nullable=True),
    sa.Column("field", sa.Text, nullable=True),
    sa.Column("value", sa.Text, nullable=True),
    sa.Column("severity", sa.String(8), nullable=False),
    sa.Column("code", sa.String(CODE), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.CheckConstraint(_in("severity", SEVERITIES), name="severity"),
    sa.CheckConstraint("submission_id IS NOT NULL OR file_sha256 IS NOT NULL", name="subject"),
    sa.Index(None, "submission_id"),
    sa.Index(None, "file_sha256"),
)

task_rows = sa.Table(
    "task_rows",
    metadata,
    sa.Column("locality", sa.String(CODE), primary_key=True),
    sa.Column("period", sa.String(16), primary_key=True),
    sa.Column("task_id", sa.String(CODE), primary_key=True),
    sa.Column("unit_code", sa.String(CODE), primary_key=True),
    sa.Column("role", sa.String(16), nullable=True),
    sa.Column("status", sa.String(16), nullable=True),
    sa.Column("result_value", sa.Double, nullable=True),
    sa.Column("has_evidence", sa.Boolean, nullable=True),
    sa.Column("overdue", sa.Boolean, nullable=True),
    sa.Column("result_text", sa.Text, nullable=True),
    sa.Column("evidence", sa.Text, nullable=True),
    sa.Column("evidence_doc", sa.Text, nullable=True),
    sa.Column("evidence_date", sa.Text, nullable=True),
    sa.Column("evidence_url", sa.Text, nullable=True),
    sa.Column("difficulties", sa.Text, nullable=True),
    sa.Column("submission_id", sa.Integer, nullable=True),
    sa.Column("run_id", sa.Integer, nullable=False),
    sa.Column("unproven", sa.Boolean, nullable=True),  # revision 0003: done without proof
    sa.Index(None, "locality", "unit_code"),
)

scores = sa.Table(
    "scores",
    metadata,
    sa.Column("locality", sa.String(CODE), primary_key=True),
    sa.Column("period", sa.String(16), primary_key=True),
    sa.Column("unit_code", sa.String(CODE), primary_key=True),
    sa.Column("indicator_id", sa.String(32), primary_key=True),
    sa.Column("self_score", sa.Double, nullable=True),
    sa.Column("score", sa.Double, nullable=False),
    sa.Column("max_score", sa.Double, nullable=False),
    sa.Column("has_evidence", sa.Boolean, nullable=False),
    sa.Column("run_id", sa.Integer, nullable=False),
    sa.Index(None, "locality", "unit_code"),
)

reminders = sa.Table(  # revision 0002 (issue 13: each reminder logged so none repeats the same day)
    "reminders",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("locality", sa.String(CODE), nullable=False),
    sa.Column("period", sa.String(16), nullable=False),
    sa.Column("unit_code", sa.String(CODE), nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("sent_on", sa.Date, nullable=False),
    sa.Column("kind", sa.String(16), nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.UniqueConstraint("locality", "period", "unit_code", "channel", "sent_on"),
)

links = sa.Table(  # revision 0004 (issue 13: the private links of dti serve; only the token's hash)
    "links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("locality", sa.String(CODE), nullable=False),
    sa.Column("period", sa.String(16), nullable=True),  # an analyst's link may name none
    sa.Column("unit_code", sa.String(CODE), nullable=True),  # None: the analyst's link
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("token_sha256", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.UniqueConstraint("token_sha256"),
    sa.CheckConstraint(_in("role", LINK_ROLES), name="role"),
    sa.Index(None, "locality", "period", "unit_code"),
)

# the long tables' references, checked by the writer and by Store.check(): (table, column) → (table, column)
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("cells", "submission_id"): ("submissions", "id"),
    ("issues", "submission_id"): ("submissions", "id"),
    ("issues", "file_sha256"): ("files", "sha256"),
    ("issues", "run_id"): ("runs", "id"),
    ("task_rows", "submission_id"): ("submissions", "id"),
    ("task_rows", "run_id"): ("runs", "id"),
    ("scores", "run_id"): ("runs", "id"),
}

# in the order rows can be inserted (foreign keys first); export and import follow it
TABLES: tuple[sa.Table, ...] = (runs, files, submissions, cells, issues, task_rows, scores, reminders, links)
TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)

# the columns a caller gives for task rows and scores: contract §7 tasks.csv / scores.csv
TASK_ROW_COLUMNS: tuple[str, ...] = (
    "task_id",
    "unit_code",
    "role",
    "status",
    "result_value",
    "has_evidence",
    "overdue",
    "result_text",
    "evidence",
    "evidence_doc",
    "evidence_date",
    "evidence_url",
    "difficulties",
)
SCORE_COLUMNS: tuple[str, ...] = (
    "unit_code",
    "indicator_id",
    "self_score",
    "score",
    "max_score",
    "has_evidence",
)
CELL_COLUMNS: tuple[str, ...] = ("submission_id", "sheet", "cell", "row_key", "column_label", "raw", "value")
ISSUE_COLUMNS: tuple[str, ...] = (
    "submission_id",
    "file_sha256",
    "sheet",
    "cell",
    "field",
    "value",
    "severity",
    "code",
    "message",
)
