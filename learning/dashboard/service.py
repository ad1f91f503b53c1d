"""The managers' dashboard as numbers, read from the figures per team and quarter (learning/aggregates):
every figure adds up cells in one small aggregate query, limited to the teams the manager oversees and
to the chosen team and period (by the date the case was discussed, `held_at`). The report to policy
(learning/report) reads the same."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts import service as account_service
from casebook.accounts.models import Team, User
from casebook.cases.domains import ZRM_DOMAINS
from casebook.cases.models import Case, RuleLevel
from casebook.i18n import N_
from learning.aggregates import service as aggregate_service
from learning.aggregates.models import (
    ActionCell,
    BottleneckCell,
    CaseCell,
    DecisionCell,
    DomainCell,
    RuleCell,
)
from learning.quarters import Quarter

TOP_RULES = 10
TREND_RULES = 5
#: Debts and work/income are present in most cases but rarely the focus: the dashboard shows them first.
FIRST_DOMAINS = ("financiën", "werk & opleiding")
DEFAULT_MANDATE_DAYS = 14


@dataclass(frozen=True)
class Filters:
    team_id: int | None = None
    start: date | None = None  # first day of the first quarter
    end: date | None = None  # last day of the last quarter


def _require_manager(user: User) -> None:
    policy.require_management(user, doing=N_("zien het dashboard en de rapportage"))


@dataclass
class RuleFigure:
    cluster_id: int
    law: str
    cases: int
    bottlenecks: int
    delay_days: int
    changeable_locally: bool


@dataclass
class DecisionFigure:
    """Decisions one role took without mandate: what a coach mandate would change."""

    role: str
    decisions: int
    lead_days: int
    over_threshold: int
    days_saved: int
    over_threshold_after: int


@dataclass
class Dashboard:
    filters: Filters
    cases: int
    bottlenecks: int
    delay_days: int
    top_by_cases: list[RuleFigure]
    top_by_delay: list[RuleFigure]
    quarters: list[tuple[str, int, int]]  # label, bottlenecks, delay days
    levels: list[tuple[str, int, int]]  # level (or ""), bottlenecks, delay days
    statuses: list[tuple[str, int]]
    domains: list[tuple[str, int, int]]  # domain, cases present, cases addressed
    rule_trends: list[tuple[RuleFigure, list[tuple[str, int]]]]  # top rules by delay, delay per quarter
    mandate_days: int
    mandated_lead_days: float | None
    decisions: list[DecisionFigure]
    plans: int
    plans_with_feedback: int
    actions: int
    actions_done: int
    actions_overdue: int
    teams: list[tuple[int, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.cases == 0


def build(
    *,
    db_session: Session,
    user: User,
    filters: Filters,
    mandate_days: int = DEFAULT_MANDATE_DAYS,
    today: date | None = None,
) -> Dashboard:
    """The dashboard for this manager and selection, read from the figures per team and quarter
    (learning/aggregates): a few hundred rows, whatever the number of bottlenecks. Call after
    aggregate_flows.bring_up_to_date, or the latest changes are missing."""
    _require_manager(user)
    today = today or date.today()
    teams = visible_teams(db_session=db_session, user=user)
    all_teams = account_service.oversees_all_teams(db_session=db_session, user=user)
    cells = Cells(
        teams=None if all_teams else tuple(t for t, _ in teams),
        team_id=filters.team_id,
        first=Quarter.of(filters.start).period if filters.start else None,
        last=Quarter.of(filters.end).period if filters.end else None,
    )
    cases, plans, with_feedback = _case_totals(db_session=db_session, cells=cells)
    bottlenecks, delay = db_session.exec(
        cells.over(
            select(
                func.coalesce(func.sum(BottleneckCell.bottlenecks), 0),
                func.coalesce(func.sum(BottleneckCell.delay_days), 0),
            ),
            BottleneckCell,
        )
    ).one()
    top_by_delay = _top_rules(db_session=db_session, cells=cells, order="delay")
    mandated, decisions = _decisions(db_session=db_session, cells=cells, mandate_days=mandate_days)
    actions, done, overdue = _actions(db_session=db_session, cells=cells, today=today)
    return Dashboard(
        filters=filters,
        cases=cases,
        bottlenecks=int(bottlenecks),
        delay_days=int(delay),
        top_by_cases=_top_rules(db_session=db_session, cells=cells, order="cases"),
        top_by_delay=top_by_delay,
        quarters=_quarters(db_session=db_session, cells=cells),
        levels=_levels(db_session=db_session, cells=cells),
        statuses=_statuses(db_session=db_session, cells=cells),
        domains=_domains(db_session=db_session, cells=cells),
        rule_trends=_rule_trends(db_session=db_session, cells=cells, rules=top_by_delay[:TREND_RULES]),
        mandate_days=mandate_days,
        mandated_lead_days=mandated,
        decisions=decisions,
        plans=plans,
        plans_with_feedback=with_feedback,
        actions=actions,
        actions_done=done,
        actions_overdue=overdue,
        teams=teams,
    )


def visible_teams(*, db_session: Session, user: User) -> list[tuple[int, str]]:
    """The teams whose figures the manager sees (and may choose from): all, or the teams they belong to."""
    query = select(Team.id, Team.name).order_by(Team.name)
    if not account_service.oversees_all_teams(db_session=db_session, user=user):
        query = query.where(col(Team.id).in_(account_service.team_ids(db_session=db_session, user=user)))
    return [(team_id, name) for team_id, name in db_session.exec(query)]


@dataclass(frozen=True)
class Cells:
    """The cells a selection adds up: the manager's teams (None: every team), the chosen team and the
    chosen quarters (a period filter leaves out cases without a date, as a date range does)."""

    teams: tuple[int, ...] | None
    team_id: int | None
    first: int | None
    last: int | None

    def over(self, query, model, *, dated: bool = False):
        if self.teams is not None:
            query = query.where(col(model.team_id).in_(self.teams))
        if self.team_id is not None:
            query = query.where(model.team_id == self.team_id)
        if dated or self.first is not None or self.last is not None:
            query = query.where(model.period != aggregate_service.UNDATED)
        if self.first is not None:
            query = query.where(model.period >= self.first)
        if self.last is not None:
            query = query.where(model.period <= self.last)
        return query


def _case_totals(*, db_session: Session, cells: Cells) -> tuple[int, int, int]:
    row = db_session.exec(
        cells.over(
            select(
                func.sum(CaseCell.cases), func.sum(CaseCell.plans), func.sum(CaseCell.plans_with_feedback)
            ),
            CaseCell,
        )
    ).one()
    first, second, third = (int(value or 0) for value in row)
    return first, second, third


def _top_rules(*, db_session: Session, cells: Cells, order: str) -> list[RuleFigure]:
    cases, delay = func.sum(RuleCell.cases), func.sum(RuleCell.delay_days)
    ranking = (cases.desc(), delay.desc()) if order == "cases" else (delay.desc(), cases.desc())
    query = cells.over(
        select(
            RuleCell.cluster_id,
            func.min(RuleCell.law),
            cases,
            func.sum(RuleCell.bottlenecks),
            delay,
            func.max(RuleCell.changeable_locally),
        ),
        RuleCell,
    )
    query = query.group_by(RuleCell.cluster_id).order_by(*ranking, RuleCell.cluster_id).limit(TOP_RULES)
    return [
        RuleFigure(cluster, law, int(n_cases), int(n), int(days), bool(is_local))
        for cluster, law, n_cases, n, days, is_local in db_session.exec(query)
    ]


def _quarters(*, db_session: Session, cells: Cells) -> list[tuple[str, int, int]]:
    query = cells.over(
        select(
            BottleneckCell.period, func.sum(BottleneckCell.bottlenecks), func.sum(BottleneckCell.delay_days)
        ),
        BottleneckCell,
        dated=True,
    )
    rows = db_session.exec(query.group_by(BottleneckCell.period).order_by(BottleneckCell.period))
    return [(Quarter.from_period(value).label, int(n), int(days)) for value, n, days in rows]


def _levels(*, db_session: Session, cells: Cells) -> list[tuple[str, int, int]]:
    query = cells.over(
        select(
            BottleneckCell.level, func.sum(BottleneckCell.bottlenecks), func.sum(BottleneckCell.delay_days)
        ),
        BottleneckCell,
    ).group_by(BottleneckCell.level)
    found = {level: (int(n), int(days)) for level, n, days in db_session.exec(query)}
    order = [level.value for level in RuleLevel] + [""]
    return [(level, *found[level]) for level in order if level in found]


def _statuses(*, db_session: Session, cells: Cells) -> list[tuple[str, int]]:
    query = cells.over(
        select(BottleneckCell.status, func.sum(BottleneckCell.bottlenecks)), BottleneckCell
    ).group_by(BottleneckCell.status)
    found = {status: int(n) for status, n in db_session.exec(query)}
    return sorted(found.items(), key=lambda item: (-item[1], item[0]))


def _domains(*, db_session: Session, cells: Cells) -> list[tuple[str, int, int]]:
    query = cells.over(
        select(DomainCell.domain, func.sum(DomainCell.present), func.sum(DomainCell.addressed)), DomainCell
    ).group_by(DomainCell.domain)
    found = {domain: (int(n), int(done)) for domain, n, done in db_session.exec(query)}
    order = list(FIRST_DOMAINS) + sorted(
        (d for d in found if d not in FIRST_DOMAINS),
        key=lambda d: (ZRM_DOMAINS.index(d) if d in ZRM_DOMAINS else 99, d),
    )
    return [(domain, *found[domain]) for domain in order if domain in found]


def _rule_trends(
    *, db_session: Session, cells: Cells, rules: list[RuleFigure]
) -> list[tuple[RuleFigure, list[tuple[str, int]]]]:
    if not rules:
        return []
    query = cells.over(
        select(RuleCell.cluster_id, RuleCell.period, func.sum(RuleCell.delay_days)), RuleCell, dated=True
    )
    query = query.where(col(RuleCell.cluster_id).in_([r.cluster_id for r in rules]))
    per_rule: dict[int, list[tuple[str, int]]] = {r.cluster_id: [] for r in rules}
    for cluster, value, days in db_session.exec(
        query.group_by(RuleCell.cluster_id, RuleCell.period).order_by(RuleCell.period)
    ):
        per_rule[cluster].append((Quarter.from_period(value).label, int(days)))
    return [(rule, per_rule[rule.cluster_id]) for rule in rules]


def _decisions(
    *, db_session: Session, cells: Cells, mandate_days: int
) -> tuple[float | None, list[DecisionFigure]]:
    """Lead times of decisions taken without mandate, per deciding role, against the lead time of decisions
    taken with mandate (measured): if coaches held the mandate, those decisions would take as long as the
    mandated ones. `mandate_days`: the service norm whose exceedances are counted before and after."""
    n, days = func.sum(DecisionCell.decisions), func.sum(DecisionCell.lead_days * DecisionCell.decisions)
    mandated_n, mandated_days = db_session.exec(
        cells.over(select(n, days), DecisionCell).where(col(DecisionCell.with_mandate).is_(True))
    ).one()
    mandated = mandated_days / mandated_n if mandated_n else None
    over = func.sum(case((col(DecisionCell.lead_days) > mandate_days, DecisionCell.decisions), else_=0))
    query = (
        cells.over(select(DecisionCell.role, n, days, over), DecisionCell)
        .where(col(DecisionCell.with_mandate).is_(False))
        .group_by(DecisionCell.role)
        .order_by(days.desc(), DecisionCell.role)
        .limit(20)
    )
    after_lead = float(mandated) if mandated is not None else 0.0
    figures = []
    for role, count, lead, exceeded in db_session.exec(query):
        count, lead = int(count), int(lead or 0)
        figures.append(
            DecisionFigure(
                role,
                count,
                lead,
                int(exceeded or 0),
                max(0, round(lead - count * after_lead)),
                count if after_lead > mandate_days else 0,
            )
        )
    return (round(float(mandated), 1) if mandated is not None else None), figures


def _actions(*, db_session: Session, cells: Cells, today: date) -> tuple[int, int, int]:
    overdue = case(
        (and_(col(ActionCell.done).is_(False), col(ActionCell.due_date) < today), ActionCell.actions), else_=0
    )
    done = case((col(ActionCell.done).is_(True), ActionCell.actions), else_=0)
    row = db_session.exec(
        cells.over(select(func.sum(ActionCell.actions), func.sum(done), func.sum(overdue)), ActionCell)
    ).one()
    first, second, third = (int(value or 0) for value in row)
    return first, second, third


def scoped(query, *, db_session: Session, user: User, filters: Filters):
    """Limit a query that joins Case to the cases the dashboard counts for this manager: their teams (or
    every team), the chosen team and the period."""
    if not account_service.oversees_all_teams(db_session=db_session, user=user):
        query = query.where(col(Case.team_id).in_(account_service.team_ids(db_session=db_session, user=user)))
    if filters.team_id is not None:
        query = query.where(Case.team_id == filters.team_id)
    if filters.start is not None:
        query = query.where(col(Case.held_at) >= filters.start)
    if filters.end is not None:
        query = query.where(col(Case.held_at) <= filters.end)
    return query
