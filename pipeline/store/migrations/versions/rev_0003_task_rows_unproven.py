"""A merged task row keeps whether it was done without proof (the history's completion by pillar
counts a task done only with its evidence and figure, as the period's own report does).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("task_rows", sa.Column("unproven", sa.Boolean, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("task_rows") as batch:
        batch.drop_column("unproven")
