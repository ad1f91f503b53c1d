"""an erased case or a deleted bottleneck clears every stale cell's rule and decision figures in the same
commit, not only its own cell's rule figures: decision figures hold a copy of the role that decided, and a case
moved to another team or quarter and then erased before a refresh left its law in its former cell. A stale
cell is recomputed before anyone reads it, so clearing it loses nothing.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 06:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STALE = "(team_id, period) IN (SELECT team_id, period FROM aggregate_stale)"


def _period(held_at: str, sqlite: bool) -> str:
    """As in 0014: year * 4 + quarter - 1, 0 without a date."""
    if sqlite:
        return (
            f"COALESCE(CAST(strftime('%Y', {held_at}) AS INTEGER) * 4 "
            f"+ (CAST(strftime('%m', {held_at}) AS INTEGER) - 1) / 3, 0)"
        )
    return (
        f"COALESCE(CAST(EXTRACT(YEAR FROM {held_at}) AS INTEGER) * 4 "
        f"+ (CAST(EXTRACT(MONTH FROM {held_at}) AS INTEGER) - 1) / 3, 0)"
    )


def _cell_of(source: str, row: str, sqlite: bool) -> str:
    if source == "case":
        return f"SELECT {row}.team_id, {_period(f'{row}.held_at', sqlite)}"
    return f'SELECT c.team_id, {_period("c.held_at", sqlite)} FROM "case" c WHERE c.id = {row}.case_id'


def _mark(source: str, row: str, sqlite: bool) -> str:
    insert = "INSERT OR IGNORE INTO" if sqlite else "INSERT INTO"
    conflict = "" if sqlite else " ON CONFLICT DO NOTHING"
    return f"{insert} aggregate_stale (team_id, period) {_cell_of(source, row, sqlite)}{conflict};"


def _forget(source: str, sqlite: bool, every_stale_cell: bool) -> str:
    if every_stale_cell:  # the deleted row's own cell was just marked stale: it is among them
        return f"DELETE FROM aggregate_rule WHERE {STALE}; DELETE FROM aggregate_decision WHERE {STALE};"
    return f"DELETE FROM aggregate_rule WHERE (team_id, period) IN ({_cell_of(source, 'OLD', sqlite)});"


def _install(every_stale_cell: bool) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for source in ("case", "bottleneck"):
        forget = _forget(source, sqlite, every_stale_cell)
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS aggregate_mark_{source}_delete")
            op.execute(
                f'CREATE TRIGGER aggregate_mark_{source}_delete AFTER DELETE ON "{source}" '
                f"BEGIN {_mark(source, 'OLD', sqlite)} {forget} END"
            )
            continue
        op.execute(
            f"CREATE OR REPLACE FUNCTION aggregate_mark_{source}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {_mark(source, 'OLD', sqlite)} END IF; "
            f"IF TG_OP = 'DELETE' THEN {forget} END IF; "
            f"IF TG_OP <> 'DELETE' THEN {_mark(source, 'NEW', sqlite)} END IF; RETURN NULL; END $$"
        )


def upgrade() -> None:
    _install(every_stale_cell=True)


def downgrade() -> None:
    _install(every_stale_cell=False)
