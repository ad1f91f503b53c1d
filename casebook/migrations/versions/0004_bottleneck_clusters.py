"""recurrence by meaning: bottleneck clusters and signatures (merge and split by hand)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bottleneck_cluster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["merged_into_id"], ["bottleneck_cluster.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "bottleneck_signature",
        sa.Column("bottleneck_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("recipe", AutoString(length=16), nullable=False),
        sa.Column("placed_by_hand", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["bottleneck_id"], ["bottleneck.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["bottleneck_cluster.id"],
        ),
        sa.PrimaryKeyConstraint("bottleneck_id"),
    )
    with op.batch_alter_table("bottleneck_signature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bottleneck_signature_cluster_id"), ["cluster_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bottleneck_signature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bottleneck_signature_cluster_id"))
    op.drop_table("bottleneck_signature")
    op.drop_table("bottleneck_cluster")
