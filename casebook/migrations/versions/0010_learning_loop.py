"""learning loop: tag taxonomy (nesting) and tags on cases, rule cards, outcome feedback in full (what
worked, what did not, ZRM scores after) and in-app notifications

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tag", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_tag_parent_id_tag", "tag", ["parent_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index(batch_op.f("ix_tag_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "case_tag",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "tag_id"),
    )
    with op.batch_alter_table("case_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_tag_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "rule_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("law_key", AutoString(length=200), nullable=False),
        sa.Column("law", AutoString(length=200), nullable=False),
        sa.Column("says", sa.Text(), nullable=False),
        sa.Column("who_can_change", sa.Text(), nullable=False),
        sa.Column("room_to_deviate", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rule_card", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rule_card_law_key"), ["law_key"], unique=True)

    with op.batch_alter_table("outcome_feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("what_worked", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("what_did_not", sa.Text(), nullable=False, server_default=""))

    op.create_table(
        "feedback_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("domain", AutoString(length=64), nullable=False),
        sa.Column("score_after", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["feedback_id"], ["outcome_feedback.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feedback_score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_score_feedback_id"), ["feedback_id"], unique=False)

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_user_id"))
        batch_op.drop_index(batch_op.f("ix_notification_case_id"))
    op.drop_table("notification")

    with op.batch_alter_table("feedback_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_score_feedback_id"))
    op.drop_table("feedback_score")

    with op.batch_alter_table("outcome_feedback", schema=None) as batch_op:
        batch_op.drop_column("what_did_not")
        batch_op.drop_column("what_worked")

    with op.batch_alter_table("rule_card", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rule_card_law_key"))
    op.drop_table("rule_card")

    with op.batch_alter_table("case_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_tag_tag_id"))
    op.drop_table("case_tag")

    with op.batch_alter_table("tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tag_parent_id"))
        batch_op.drop_constraint("fk_tag_parent_id_tag", type_="foreignkey")
        batch_op.drop_column("parent_id")
