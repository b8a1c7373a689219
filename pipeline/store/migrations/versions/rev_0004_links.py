"""The private links of ``dti serve`` (issue 13): one row per link issued, the token kept only
as its SHA-256, revocable.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("locality", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=True),
        sa.Column("unit_code", sa.String(64), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_links"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_links_run_id_runs"),
        sa.UniqueConstraint("token_sha256", name="uq_links_token_sha256"),
        sa.CheckConstraint("role IN ('unit', 'analyst')", name="ck_links_role"),
    )
    op.create_index("ix_links_locality_period_unit_code", "links", ["locality", "period", "unit_code"])


def downgrade() -> None:
    op.drop_index("ix_links_locality_period_unit_code", table_name="links")
    op.drop_table("links")
