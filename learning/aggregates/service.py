"""Keeping the cells (learning/aggregates/models.py) in step with the case records, and the per-rule figures
the recurring list and the flag suggestion read from them.

Every insert, update or delete of a case, its bottlenecks, their placements in clusters, life domains,
decisions, actions or feedback marks the case's cell stale in the same transaction (database triggers,
migration 0014, so bulk inserts, other processes and the command line are covered alike). `refresh`
recomputes the marked cells from the records: a handful after a change (milliseconds), all of them at once
after a bulk load or the migration. Reading a page marks nothing. The service only flushes;
learning/aggregates/flows.py commits."""

from dataclasses import dataclass

from sqlalchemy import Integer, String, and_, case, cast, delete, distinct, extract, func, insert, null, or_
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import Select

from casebook import policy
from casebook.accounts.models import User
from casebook.cases.models import (
    LOCALLY_CHANGEABLE,
    Action,
    Bottleneck,
    Case,
    Decision,
    LifeDomainEntry,
    OutcomeFeedback,
)
from learning.aggregates.models import (
    ActionCell,
    BottleneckCell,
    CaseCell,
    DecisionCell,
    DomainCell,
    RuleCell,
    StaleCell,
)
from learning.quarters import Quarter
from learning.recurrence.models import BottleneckSignature

UNDATED = 0
#: More stale cells than this (a bulk load, the first run after the migration) are recomputed all at once.
MAX_CELLS_ONE_BY_ONE = 32
CELL_TABLES = (CaseCell, RuleCell, BottleneckCell, DomainCell, DecisionCell, ActionCell)


def _period_sql(held_at):
    year, month = cast(extract("year", held_at), Integer), cast(extract("month", held_at), Integer)
    return func.coalesce(year * 4 + (month - 1) // 3, UNDATED)


def _case_in_cell(team_id: int, value: int):
    if value == UNDATED:
        return and_(col(Case.team_id) == team_id, col(Case.held_at).is_(None))
    quarter = Quarter.from_period(value)
    first, last = quarter.first_day, quarter.last_day
    return and_(col(Case.team_id) == team_id, col(Case.held_at) >= first, col(Case.held_at) <= last)


def _model_in_cells(model, cells: list[tuple[int, int]]):
    return or_(*(and_(model.team_id == team_id, model.period == value) for team_id, value in cells))


# ---- keeping the cells in step ---------------------------------------------------------------------


def stale_cells(*, db_session: Session) -> list[tuple[int, int]]:
    return [
        (team_id, value) for team_id, value in db_session.exec(select(StaleCell.team_id, StaleCell.period))
    ]


def refresh(*, db_session: Session) -> int:
    """Recompute every stale cell from the records; returns how many there were (0: nothing written).
    Not committed."""
    marked = stale_cells(db_session=db_session)
    if not marked:
        return 0
    every = len(marked) > MAX_CELLS_ONE_BY_ONE
    # The marks go first: that takes SQLite's write lock (PostgreSQL: the rows) before any record is read,
    # so a change committed meanwhile is either read below or leaves a new mark for the next round.
    db_session.exec(delete(StaleCell).where(*([] if every else [_model_in_cells(StaleCell, marked)])))
    for model in CELL_TABLES:
        db_session.exec(delete(model).where(*([] if every else [_model_in_cells(model, marked)])))
    cases = None if every else or_(*(_case_in_cell(team_id, value) for team_id, value in marked))
    for table, columns, query in _cell_queries(cases, sqlite=db_session.get_bind().dialect.name == "sqlite"):
        db_session.exec(insert(table).from_select(columns, query))
    db_session.flush()
    return len(marked)


def _cell_queries(condition, *, sqlite: bool) -> list[tuple[type[SQLModel], list[str], Select]]:
    """(table, columns, SELECT) per cell table, over the cases meeting `condition` (None: every case)."""
    cases: Select = select(
        col(Case.id).label("case_id"),
        col(Case.team_id).label("team_id"),
        _period_sql(Case.held_at).label("period"),
        (col(Case.support_plan) != "").label("planned"),
    )
    cell = (cases if condition is None else cases.where(condition)).subquery("cell")
    key = (cell.c.team_id, cell.c.period)

    def over(model, *columns):
        return select(*key, *columns).select_from(model).join(cell, cell.c.case_id == model.case_id)

    has_feedback = cell.c.case_id.in_(select(OutcomeFeedback.case_id))
    delay = func.coalesce(func.sum(Bottleneck.delay_days), 0)
    lead = _days_between(Decision.decided_on, Decision.requested_on, sqlite=sqlite)
    open_due = case((col(Action.done).is_(True), null()), else_=Action.due_date)
    return [
        (
            CaseCell,
            ["team_id", "period", "cases", "plans", "plans_with_feedback"],
            select(
                *key,
                func.count(),
                func.sum(case((cell.c.planned, 1), else_=0)),
                func.sum(case((and_(cell.c.planned, has_feedback), 1), else_=0)),
            ).group_by(*key),
        ),
        (
            RuleCell,
            [
                "team_id",
                "period",
                "cluster_id",
                "cases",
                "bottlenecks",
                "delay_days",
                "changeable_locally",
                "law",
            ],
            over(
                Bottleneck,
                BottleneckSignature.cluster_id,
                func.count(distinct(col(Bottleneck.case_id))),
                func.count(col(Bottleneck.id)),
                delay,
                func.max(case((col(Bottleneck.level).in_(sorted(LOCALLY_CHANGEABLE)), 1), else_=0)),
                func.min(Bottleneck.law),
            )
            .join(BottleneckSignature, BottleneckSignature.bottleneck_id == Bottleneck.id)
            .group_by(*key, BottleneckSignature.cluster_id),
        ),
        (
            BottleneckCell,
            ["team_id", "period", "level", "status", "bottlenecks", "delay_days"],
            over(
                Bottleneck,
                func.coalesce(cast(Bottleneck.level, String), ""),
                cast(Bottleneck.status, String),
                func.count(col(Bottleneck.id)),
                delay,
            ).group_by(*key, Bottleneck.level, Bottleneck.status),
        ),
        (
            DomainCell,
            ["team_id", "period", "domain", "present", "addressed"],
            over(
                LifeDomainEntry,
                LifeDomainEntry.domain,
                func.count(col(LifeDomainEntry.id)),
                func.sum(case((col(LifeDomainEntry.addressed).is_(True), 1), else_=0)),
            ).group_by(*key, LifeDomainEntry.domain),
        ),
        (
            DecisionCell,
            ["team_id", "period", "role", "with_mandate", "lead_days", "decisions"],
            over(
                Decision, Decision.decided_by_role, Decision.with_mandate, lead, func.count(col(Decision.id))
            )
            .where(col(Decision.decided_on).is_not(None), col(Decision.requested_on).is_not(None))
            .group_by(*key, Decision.decided_by_role, Decision.with_mandate, lead),
        ),
        (
            ActionCell,
            ["team_id", "period", "done", "due_date", "actions"],
            over(Action, Action.done, open_due, func.count(col(Action.id))).group_by(
                *key, Action.done, open_due
            ),
        ),
    ]


def _days_between(later, earlier, *, sqlite: bool):
    """Whole days from `earlier` to `later` (two DATE columns), on SQLite and PostgreSQL alike."""
    return cast(func.julianday(later) - func.julianday(earlier), Integer) if sqlite else later - earlier


# ---- per-rule figures as far as a user may see them ---------------------------------------------------


@dataclass
class RuleFigures:
    cases: int
    bottlenecks: int
    delay_days: int
    law: str


def rule_figures(
    *, db_session: Session, user: User, cluster_ids: list[int] | None = None
) -> dict[int, RuleFigures]:
    """Cluster id -> its figures over the cases `user` may see: the cells of the teams they see, plus
    (counted from the records: few) the cases of other teams they hold an invitation to. Exact, because a
    case lies in one cell only. Call after `refresh`."""
    seen = policy.visibility(db_session=db_session, user=user)
    figures: dict[int, RuleFigures] = {}
    if seen.all_teams or seen.team_ids:
        stored = select(
            RuleCell.cluster_id,
            func.sum(RuleCell.cases),
            func.sum(RuleCell.bottlenecks),
            func.sum(RuleCell.delay_days),
            func.min(RuleCell.law),
        ).group_by(RuleCell.cluster_id)
        if not seen.all_teams:
            stored = stored.where(col(RuleCell.team_id).in_(seen.team_ids))
        if cluster_ids is not None:
            stored = stored.where(col(RuleCell.cluster_id).in_(cluster_ids))
        figures = {row[0]: RuleFigures(*row[1:]) for row in db_session.exec(stored)}
    if seen.all_teams:
        return figures
    invited = (
        select(
            BottleneckSignature.cluster_id,
            func.count(distinct(col(Bottleneck.case_id))),
            func.count(col(Bottleneck.id)),
            func.coalesce(func.sum(Bottleneck.delay_days), 0),
            func.min(Bottleneck.law),
        )
        .select_from(Bottleneck)
        .join(Case, Case.id == Bottleneck.case_id)
        .join(BottleneckSignature, BottleneckSignature.bottleneck_id == Bottleneck.id)
        .where(col(Case.id).in_(seen.invited), col(Case.team_id).not_in(seen.team_ids))
        .group_by(BottleneckSignature.cluster_id)
    )
    if cluster_ids is not None:
        invited = invited.where(col(BottleneckSignature.cluster_id).in_(cluster_ids))
    for cluster_id, cases, bottlenecks, delay, law in db_session.exec(invited):
        known = figures.get(cluster_id)
        figures[cluster_id] = (
            RuleFigures(cases, bottlenecks, delay, law)
            if known is None
            else RuleFigures(
                known.cases + cases,
                known.bottlenecks + bottlenecks,
                known.delay_days + delay,
                min(known.law, law),
            )
        )
    return figures
