"""transcript retention: discussion_session.transcript_deleted_at (the messages were condensed and deleted)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("discussion_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("transcript_deleted_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("discussion_session", schema=None) as batch_op:
        batch_op.drop_column("transcript_deleted_at")
