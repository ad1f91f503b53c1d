"""recurrence remembers the recipe every bottleneck was last placed again with: renewing the signatures and
placing every bottleneck again are two steps (learning/recurrence/flows.renew), and a restart between them
must not leave the old placement in place for good

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 16:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recurrence_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reclustered_recipe", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("recurrence_state")
