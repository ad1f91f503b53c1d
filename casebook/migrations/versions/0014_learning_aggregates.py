"""learning figures per team and quarter (aggregate_* tables), kept in step by triggers that mark the cell of
every changed case record in aggregate_stale; every existing cell starts stale

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _cell() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
    ]


FIGURES: dict[str, list[sa.Column]] = {
    "aggregate_case": [
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("plans", sa.Integer(), nullable=False),
        sa.Column("plans_with_feedback", sa.Integer(), nullable=False),
    ],
    "aggregate_rule": [
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("bottlenecks", sa.Integer(), nullable=False),
        sa.Column("delay_days", sa.Integer(), nullable=False),
        sa.Column("changeable_locally", sa.Integer(), nullable=False),
        sa.Column("law", AutoString(length=200), nullable=False),
    ],
    "aggregate_bottleneck": [
        sa.Column("level", AutoString(length=32), nullable=False),
        sa.Column("status", AutoString(length=32), nullable=False),
        sa.Column("bottlenecks", sa.Integer(), nullable=False),
        sa.Column("delay_days", sa.Integer(), nullable=False),
    ],
    "aggregate_domain": [
        sa.Column("domain", AutoString(length=64), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("addressed", sa.Integer(), nullable=False),
    ],
    "aggregate_decision": [
        sa.Column("role", AutoString(length=64), nullable=False),
        sa.Column("with_mandate", sa.Boolean(), nullable=False),
        sa.Column("lead_days", sa.Integer(), nullable=False),
        sa.Column("decisions", sa.Integer(), nullable=False),
    ],
    "aggregate_action": [
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("actions", sa.Integer(), nullable=False),
    ],
}
#: Tables whose rows hang off a case by `case_id`.
RECORDS = ("bottleneck", "life_domain_entry", "decision", "action", "outcome_feedback")


def _period(held_at: str, sqlite: bool) -> str:
    """learning.aggregates.service.period in SQL: year * 4 + quarter - 1, 0 without a date."""
    if sqlite:
        return (
            f"COALESCE(CAST(strftime('%Y', {held_at}) AS INTEGER) * 4 "
            f"+ (CAST(strftime('%m', {held_at}) AS INTEGER) - 1) / 3, 0)"
        )
    return f"COALESCE(CAST(EXTRACT(YEAR FROM {held_at}) AS INTEGER) * 4 + (CAST(EXTRACT(MONTH FROM {held_at}) AS INTEGER) - 1) / 3, 0)"


def _mark(row: str, source: str, sqlite: bool) -> str:
    """The INSERT that marks the cell of the case behind `row` (NEW or OLD) of a `source` table."""
    insert = "INSERT OR IGNORE INTO" if sqlite else "INSERT INTO"
    tail = "" if sqlite else " ON CONFLICT DO NOTHING"
    if source == "case":
        select = f"SELECT {row}.team_id, {_period(f'{row}.held_at', sqlite)}"
    elif source == "bottleneck_signature":
        select = (
            f'SELECT c.team_id, {_period("c.held_at", sqlite)} FROM "case" c JOIN bottleneck b ON b.case_id = c.id '
            f"WHERE b.id = {row}.bottleneck_id"
        )
    else:
        select = f'SELECT c.team_id, {_period("c.held_at", sqlite)} FROM "case" c WHERE c.id = {row}.case_id'
    return f"{insert} aggregate_stale (team_id, period) {select}{tail};"


def _sources() -> list[str]:
    return ["case", *RECORDS, "bottleneck_signature"]


def upgrade() -> None:
    op.create_table(
        "aggregate_stale",
        sa.Column("team_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("period", sa.Integer(), nullable=False, autoincrement=False),
        sa.PrimaryKeyConstraint("team_id", "period"),
    )
    for table, columns in FIGURES.items():
        op.create_table(table, *_cell(), *columns, sa.PrimaryKeyConstraint("id"))
        op.create_index(f"ix_{table}_team_id", table, ["team_id"])
    op.create_index("ix_aggregate_rule_cluster_id", "aggregate_rule", ["cluster_id"])
    sqlite = op.get_bind().dialect.name == "sqlite"
    for source in _sources():
        if sqlite:
            for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
                body = " ".join(_mark(row, source, sqlite) for row in rows)
                op.execute(
                    f'CREATE TRIGGER aggregate_mark_{source}_{event.lower()} AFTER {event} ON "{source}" '
                    f"BEGIN {body} END"
                )
            continue
        op.execute(
            f"CREATE FUNCTION aggregate_mark_{source}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {_mark('OLD', source, sqlite)} END IF; "
            f"IF TG_OP <> 'DELETE' THEN {_mark('NEW', source, sqlite)} END IF; RETURN NULL; END $$"
        )
        op.execute(
            f'CREATE TRIGGER aggregate_mark AFTER INSERT OR UPDATE OR DELETE ON "{source}" '
            f"FOR EACH ROW EXECUTE FUNCTION aggregate_mark_{source}()"
        )
    op.execute(
        f"INSERT INTO aggregate_stale (team_id, period) SELECT DISTINCT team_id, {_period('held_at', sqlite)} "
        'FROM "case"'
    )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for source in _sources():
        if sqlite:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS aggregate_mark_{source}_{event}")
        else:
            op.execute(f'DROP TRIGGER IF EXISTS aggregate_mark ON "{source}"')
            op.execute(f"DROP FUNCTION IF EXISTS aggregate_mark_{source}()")
    for table in FIGURES:
        op.drop_table(table)
    op.drop_table("aggregate_stale")
