"""a discussion records that its facilitator gave names to mask (never the names): with REDIS_URL a process
whose roster change counter in Redis is gone (a restart without persistence, an eviction) then knows a roster
exists and refuses to anonymise without it, instead of masking less in silence

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 11:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("discussion_session") as batch_op:
        batch_op.add_column(
            sa.Column("roster_given", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("discussion_session") as batch_op:
        batch_op.drop_column("roster_given")
