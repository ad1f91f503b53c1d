"""bottleneck register: effect, proposal, owner, resolution, session links and the status history

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # SQLite stores the enum as text without a check
        op.execute("ALTER TYPE bottleneckstatus ADD VALUE IF NOT EXISTS 'in_progress'")
        op.execute("ALTER TYPE bottleneckstatus ADD VALUE IF NOT EXISTS 'not_changeable'")

    with op.batch_alter_table("bottleneck", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extra_cost", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("client_harm", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("proposal", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("resolution", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("session_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_bottleneck_owner_id_user", "user", ["owner_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            "fk_bottleneck_session_id_discussion_session",
            "discussion_session",
            ["session_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_bottleneck_session_id"), ["session_id"], unique=False)

    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_action_session_id_discussion_session",
            "discussion_session",
            ["session_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_action_session_id"), ["session_id"], unique=False)

    op.create_table(
        "bottleneck_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bottleneck_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("resolution", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["bottleneck_id"], ["bottleneck.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["changed_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bottleneck_status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bottleneck_status_change_bottleneck_id"), ["bottleneck_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_bottleneck_status_change_changed_at"), ["changed_at"], unique=False
        )

    # Every bottleneck already there was signalled when it was created (by whom is not known).
    op.execute(
        "INSERT INTO bottleneck_status_change (bottleneck_id, from_status, to_status, reason, changed_at) "
        "SELECT id, NULL, CAST(status AS VARCHAR(32)), '', created_at FROM bottleneck"
    )


def downgrade() -> None:
    with op.batch_alter_table("bottleneck_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bottleneck_status_change_changed_at"))
        batch_op.drop_index(batch_op.f("ix_bottleneck_status_change_bottleneck_id"))
    op.drop_table("bottleneck_status_change")

    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_session_id"))
        batch_op.drop_constraint("fk_action_session_id_discussion_session", type_="foreignkey")
        batch_op.drop_column("session_id")

    # The two new statuses stay in PostgreSQL's enum type (a value cannot be dropped from it); rows holding
    # them go back to the nearest old status.
    op.execute("UPDATE bottleneck SET status = 'raised_to_policy' WHERE status IN ('in_progress')")
    op.execute("UPDATE bottleneck SET status = 'resolved' WHERE status IN ('not_changeable')")
    with op.batch_alter_table("bottleneck", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bottleneck_session_id"))
        batch_op.drop_constraint("fk_bottleneck_session_id_discussion_session", type_="foreignkey")
        batch_op.drop_constraint("fk_bottleneck_owner_id_user", type_="foreignkey")
        batch_op.drop_column("session_id")
        batch_op.drop_column("owner_id")
        batch_op.drop_column("resolution")
        batch_op.drop_column("proposal")
        batch_op.drop_column("client_harm")
        batch_op.drop_column("extra_cost")
