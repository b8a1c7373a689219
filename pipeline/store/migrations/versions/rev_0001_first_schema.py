"""The first schema: runs, files, submissions, cells, issues, task_rows, scores.

The long tables (cells, issues, task_rows, scores) reference returns, files and runs without a
FOREIGN KEY (see pipeline/store/schema.py for why).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("command", sa.String(32), nullable=False),
        sa.Column("tool_version", sa.String(32), nullable=False),
        sa.Column("catalogue_version", sa.String(64), nullable=True),
        sa.Column("locality", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_table(
        "files",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("first_name", sa.Text, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_files"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_files_run_id_runs"),
        sa.CheckConstraint("channel IN ('inbox', 'upload', 'email')", name="ck_files_channel"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("locality", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("superseded_by", sa.Integer, nullable=True),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.ForeignKeyConstraint(["file_sha256"], ["files.sha256"], name="fk_submissions_file_sha256_files"),
        sa.ForeignKeyConstraint(
            ["superseded_by"], ["submissions.id"], name="fk_submissions_superseded_by_submissions"
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_submissions_run_id_runs"),
        sa.UniqueConstraint(
            "locality",
            "period",
            "unit_code",
            "version",
            name="uq_submissions_locality_period_unit_code_version",
        ),
        sa.UniqueConstraint(
            "locality",
            "period",
            "unit_code",
            "file_sha256",
            name="uq_submissions_locality_period_unit_code_file_sha256",
        ),
        sa.CheckConstraint(
            "status IN ('received', 'on_time', 'late', 'rejected', 'superseded')",
            name="ck_submissions_status",
        ),
    )
    op.create_index("ix_submissions_locality_unit_code", "submissions", ["locality", "unit_code"])
    op.create_index("ix_submissions_file_sha256", "submissions", ["file_sha256"])
    op.create_table(
        "cells",
        sa.Column("submission_id", sa.Integer, nullable=False),
        sa.Column("sheet", sa.Text, nullable=False),
        sa.Column("cell", sa.String(16), nullable=False),
        sa.Column("row_key", sa.Text, nullable=True),
        sa.Column("column_label", sa.Text, nullable=True),
        sa.Column("raw", sa.Text, nullable=True),
        sa.Column("value", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("submission_id", "sheet", "cell", name="pk_cells"),
    )
    op.create_table(
        "issues",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("submission_id", sa.Integer, nullable=True),
        sa.Column("file_sha256", sa.String(64), nullable=True),
        sa.Column("sheet", sa.Text, nullable=True),
        sa.Column("cell", sa.Text, nullable=True),
        sa.Column("field", sa.Text, nullable=True),
        sa.Column("value", sa.Text, nullable=True),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_issues"),
        sa.CheckConstraint("severity IN ('error', 'warning')", name="ck_issues_severity"),
        sa.CheckConstraint("submission_id IS NOT NULL OR file_sha256 IS NOT NULL", name="ck_issues_subject"),
    )
    op.create_index("ix_issues_submission_id", "issues", ["submission_id"])
    op.create_index("ix_issues_file_sha256", "issues", ["file_sha256"])
    op.create_table(
        "task_rows",
        sa.Column("locality", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("task_id", sa.String(64), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
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
        sa.PrimaryKeyConstraint("locality", "period", "task_id", "unit_code", name="pk_task_rows"),
    )
    op.create_index("ix_task_rows_locality_unit_code", "task_rows", ["locality", "unit_code"])
    op.create_table(
        "scores",
        sa.Column("locality", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("indicator_id", sa.String(32), nullable=False),
        sa.Column("self_score", sa.Double, nullable=True),
        sa.Column("score", sa.Double, nullable=False),
        sa.Column("max_score", sa.Double, nullable=False),
        sa.Column("has_evidence", sa.Boolean, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("locality", "period", "unit_code", "indicator_id", name="pk_scores"),
    )
    op.create_index("ix_scores_locality_unit_code", "scores", ["locality", "unit_code"])


def downgrade() -> None:
    for name in ("scores", "task_rows", "issues", "cells", "submissions", "files", "runs"):
        op.drop_table(name)
