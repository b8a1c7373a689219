"""The reminders log (issue 13: none repeats the same day) and who sent a file (e-mail intake).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("files", sa.Column("sender", sa.Text, nullable=True))
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("locality", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("sent_on", sa.Date, nullable=False),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_reminders_run_id_runs"),
        sa.UniqueConstraint(
            "locality",
            "period",
            "unit_code",
            "channel",
            "sent_on",
            name="uq_reminders_locality_period_unit_code_channel_sent_on",
        ),
    )


def downgrade() -> None:
    op.drop_table("reminders")
    with op.batch_alter_table("files") as batch:
        batch.drop_column("sender")
