"""recurrence: index on the signature recipe, so "is every bottleneck placed?" is two index counts

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 02:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bottleneck_signature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bottleneck_signature_recipe"), ["recipe"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bottleneck_signature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bottleneck_signature_recipe"))
