"""recurrence: signature vectors in their own table, so counting and grouping placements reads little

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 02:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bottleneck_vector",
        sa.Column("bottleneck_id", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["bottleneck_id"], ["bottleneck.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("bottleneck_id"),
    )
    op.execute(
        "INSERT INTO bottleneck_vector (bottleneck_id, vector) SELECT bottleneck_id, vector FROM bottleneck_signature"
    )
    with op.batch_alter_table("bottleneck_signature", schema=None) as batch_op:
        batch_op.drop_column("vector")


def downgrade() -> None:
    # Signatures without their vector are stale: the app renews them (same cluster) on next use.
    with op.batch_alter_table("bottleneck_signature", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("vector", sa.LargeBinary(), nullable=False, server_default=sa.text("''"))
        )
    op.execute("UPDATE bottleneck_signature SET recipe = ''")
    op.drop_table("bottleneck_vector")
