"""case (team_id, held_at) index, so recomputing one cell of the learning figures reads that team's
quarter only (it read all the team's cases: 340 ms became 120 ms at 200k cases); an erased case or a
deleted bottleneck takes its cell's rule figures (which hold a copy of a law name) with it in the same
commit: the cell is stale anyway and recomputed before anyone reads it

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _period(held_at: str, sqlite: bool) -> str:
    """As in 0014: year * 4 + quarter - 1, 0 without a date."""
    if sqlite:
        return (
            f"COALESCE(CAST(strftime('%Y', {held_at}) AS INTEGER) * 4 "
            f"+ (CAST(strftime('%m', {held_at}) AS INTEGER) - 1) / 3, 0)"
        )
    return f"COALESCE(CAST(EXTRACT(YEAR FROM {held_at}) AS INTEGER) * 4 + (CAST(EXTRACT(MONTH FROM {held_at}) AS INTEGER) - 1) / 3, 0)"


def _cell_of(source: str, row: str, sqlite: bool) -> str:
    """A SELECT of (team_id, period) of the case behind `row` (NEW or OLD) of `source`."""
    if source == "case":
        return f"SELECT {row}.team_id, {_period(f'{row}.held_at', sqlite)}"
    return f'SELECT c.team_id, {_period("c.held_at", sqlite)} FROM "case" c WHERE c.id = {row}.case_id'


def _mark(source: str, row: str, sqlite: bool) -> str:
    insert = "INSERT OR IGNORE INTO" if sqlite else "INSERT INTO"
    return f"{insert} aggregate_stale (team_id, period) {_cell_of(source, row, sqlite)}{'' if sqlite else ' ON CONFLICT DO NOTHING'};"


def _forget(source: str, sqlite: bool) -> str:
    return f"DELETE FROM aggregate_rule WHERE (team_id, period) IN ({_cell_of(source, 'OLD', sqlite)});"


def _install(forget: bool) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for source in ("case", "bottleneck"):
        body = _mark(source, "OLD", sqlite) + (" " + _forget(source, sqlite) if forget else "")
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS aggregate_mark_{source}_delete")
            op.execute(
                f'CREATE TRIGGER aggregate_mark_{source}_delete AFTER DELETE ON "{source}" BEGIN {body} END'
            )
            continue
        op.execute(
            f"CREATE OR REPLACE FUNCTION aggregate_mark_{source}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {_mark(source, 'OLD', sqlite)} END IF; "
            f"IF TG_OP = 'DELETE' THEN {_forget(source, sqlite) if forget else 'NULL;'} END IF; "
            f"IF TG_OP <> 'DELETE' THEN {_mark(source, 'NEW', sqlite)} END IF; RETURN NULL; END $$"
        )


def upgrade() -> None:
    op.create_index("ix_case_team_id_held_at", "case", ["team_id", "held_at"])
    _install(forget=True)


def downgrade() -> None:
    _install(forget=False)
    op.drop_index("ix_case_team_id_held_at", table_name="case")
