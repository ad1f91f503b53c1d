"""live room: structured stream events, draft casebook entry, message reports

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("discussion_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("published_at", UTCDateTime(), nullable=True))

    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("target_seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("data", sa.Text(), nullable=False, server_default=""))

    op.create_table(
        "message_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("handled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reporter_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("message_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_report_message_id"), ["message_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("message_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_report_message_id"))
    op.drop_table("message_report")

    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_column("data")
        batch_op.drop_column("target_seq")

    with op.batch_alter_table("discussion_session", schema=None) as batch_op:
        batch_op.drop_column("published_at")
        batch_op.drop_column("summary")
