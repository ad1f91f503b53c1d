"""The managers' dashboard as numbers: every figure is one aggregate query (GROUP BY in the database, never
a loop over rows here), limited to the cases the manager may see and to the chosen team and period
(by the date the case was discussed, `held_at`). The report to policy (learning/report) reads the same."""

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Integer, and_, case, cast, distinct, extract, func
from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts import service as account_service
from casebook.accounts.models import Team, User
from casebook.audit.models import AuditEvent
from casebook.cases.domains import ZRM_DOMAINS
from casebook.cases.models import (
    Action,
    Bottleneck,
    Case,
    Decision,
    LifeDomainEntry,
    OutcomeFeedback,
    RuleLevel,
)
from casebook.errors import Forbidden, Invalid
from learning.recurrence.models import BottleneckSignature

TOP_RULES = 10
TREND_RULES = 5
#: Debts and work/income are present in most cases but rarely the focus: the dashboard shows them first.
FIRST_DOMAINS = ("financiën", "werk & opleiding")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
DEFAULT_MANDATE_DAYS = 14
CACHE_SIZE = 64
_cache: OrderedDict[tuple, tuple[tuple, "Dashboard"]] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class Filters:
    team_id: int | None = None
    start: date | None = None   # first day of the first quarter
    end: date | None = None     # last day of the last quarter

    @property
    def period(self) -> bool:
        return self.start is not None or self.end is not None


def quarter_bounds(value: str, *, end: bool) -> date:
    """"2025-Q2" -> 2025-04-01 (start) or 2025-06-30 (end); Invalid with a Dutch reason otherwise."""
    match = QUARTER.match(value.strip())
    if not match:
        raise Invalid("periode: geef een kwartaal als 2025-Q2.")
    year, quarter = int(match.group(1)), int(match.group(2))
    if end:
        following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return following - timedelta(days=1)
    return date(year, 3 * quarter - 2, 1)


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def require_manager(user: User) -> None:
    if not policy.can_manage_bottlenecks(user):
        raise Forbidden("Het dashboard is er voor managers en bestuurders.")


def scoped(query, *, db_session: Session, user: User, filters: Filters):
    """Limit a query that joins Case to what the user may see, the team and the period."""
    condition = policy.visible_filter(db_session=db_session, user=user)
    if condition is not None:
        query = query.where(condition)
    if filters.team_id is not None:
        query = query.where(Case.team_id == filters.team_id)
    if filters.start is not None:
        query = query.where(Case.held_at >= filters.start)
    if filters.end is not None:
        query = query.where(Case.held_at <= filters.end)
    return query


def _year_quarter():
    year = cast(extract("year", Case.held_at), Integer)
    quarter = (cast(extract("month", Case.held_at), Integer) + 2) // 3
    return year, quarter


def _days_between(db_session: Session, later, earlier):
    """Whole days from `earlier` to `later` (two DATE columns), on SQLite and PostgreSQL."""
    if db_session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier


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
    quarters: list[tuple[str, int, int]]                       # label, bottlenecks, delay days
    levels: list[tuple[str, int, int]]                         # level (or ""), bottlenecks, delay days
    statuses: list[tuple[str, int]]
    domains: list[tuple[str, int, int]]                        # domain, cases present, cases addressed
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


def build(*, db_session: Session, user: User, filters: Filters, mandate_days: int = DEFAULT_MANDATE_DAYS,
          today: date | None = None) -> Dashboard:
    """The dashboard for this manager and selection. Aggregating 100k bottlenecks takes seconds, so the
    result is kept (per database, user, team scope, selection and day) until the data changes: every
    change is audited, and new cases, bottlenecks and placements raise their tables' highest id."""
    require_manager(user)
    today = today or date.today()
    key = (str(db_session.get_bind().url), user.id, tuple(sorted(t for t, _ in visible_teams(db_session=db_session,
                                                                                           user=user))),
           filters, mandate_days, today)
    version = data_version(db_session=db_session)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == version:
            _cache.move_to_end(key)
            return cached[1]
    dashboard = _build(db_session=db_session, user=user, filters=filters, mandate_days=mandate_days, today=today)
    with _lock:
        _cache[key] = (version, dashboard)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return dashboard


def data_version(*, db_session: Session) -> tuple:
    """Highest ids of the audit trail, cases, bottlenecks and placements: index look-ups, no scans."""
    tables = (AuditEvent.id, Case.id, Bottleneck.id, BottleneckSignature.bottleneck_id)
    return tuple(db_session.exec(select(*(select(func.max(column)).scalar_subquery() for column in tables))).one())


def _build(*, db_session: Session, user: User, filters: Filters, mandate_days: int, today: date) -> Dashboard:
    scope = {"db_session": db_session, "user": user, "filters": filters}
    totals = db_session.exec(scoped(select(func.count(Case.id)), **scope)).one()
    bottlenecks, delay = db_session.exec(scoped(_bottleneck_join(
        func.count(Bottleneck.id), func.coalesce(func.sum(Bottleneck.delay_days), 0),
        case_join=_needs_case(**scope)), **scope)).one()
    top_by_delay = _top_rules(order="delay", **scope)
    mandated, decisions = _decisions(mandate_days=mandate_days, **scope)
    plans, with_feedback = _feedback(**scope)
    actions, done, overdue = _actions(today=today, **scope)
    return Dashboard(
        filters=filters, cases=totals, bottlenecks=bottlenecks, delay_days=int(delay),
        top_by_cases=_top_rules(order="cases", **scope), top_by_delay=top_by_delay,
        quarters=_quarters(**scope), levels=_levels(**scope), statuses=_statuses(**scope),
        domains=_domains(**scope), rule_trends=_rule_trends(rules=top_by_delay[:TREND_RULES], **scope),
        mandate_days=mandate_days, mandated_lead_days=mandated, decisions=decisions, plans=plans,
        plans_with_feedback=with_feedback, actions=actions, actions_done=done, actions_overdue=overdue,
        teams=visible_teams(db_session=db_session, user=user))


def visible_teams(*, db_session: Session, user: User) -> list[tuple[int, str]]:
    query = select(Team.id, Team.name).order_by(Team.name)
    if not account_service.oversees_all_teams(db_session=db_session, user=user):
        query = query.where(col(Team.id).in_(account_service.team_ids(db_session=db_session, user=user)))
    return [(team_id, name) for team_id, name in db_session.exec(query)]


def _needs_case(*, db_session: Session, user: User, filters: Filters) -> bool:
    """Whether `scoped` will put a condition on Case: without one, a count over 100k rows skips the join."""
    return (filters.team_id is not None or filters.period
            or policy.visible_filter(db_session=db_session, user=user) is not None)


def _rows_of(model, *columns, case_join: bool = True):
    query = select(*columns).select_from(model)
    return query.join(Case, Case.id == model.case_id) if case_join else query


def _bottleneck_join(*columns, case_join: bool = True):
    return _rows_of(Bottleneck, *columns, case_join=case_join)


def _top_rules(*, order: str, db_session: Session, user: User, filters: Filters) -> list[RuleFigure]:
    cases = func.count(distinct(Bottleneck.case_id))
    delay = func.coalesce(func.sum(Bottleneck.delay_days), 0)
    local = func.max(case((col(Bottleneck.level).in_([RuleLevel.local_ordinance.name,
                                                     RuleLevel.internal_instruction.name]), 1), else_=0))
    join = _needs_case(db_session=db_session, user=user, filters=filters)
    query = scoped(_bottleneck_join(BottleneckSignature.cluster_id, func.min(Bottleneck.law), cases,
                                     func.count(Bottleneck.id), delay, local, case_join=join)
                    .join(BottleneckSignature, BottleneckSignature.bottleneck_id == Bottleneck.id),
                    db_session=db_session, user=user, filters=filters)
    ranking = (cases.desc(), delay.desc()) if order == "cases" else (delay.desc(), cases.desc())
    query = query.group_by(BottleneckSignature.cluster_id).order_by(*ranking, BottleneckSignature.cluster_id)
    return [RuleFigure(cluster, law, n_cases, n, int(days), bool(is_local))
            for cluster, law, n_cases, n, days, is_local in db_session.exec(query.limit(TOP_RULES))]


def _quarters(*, db_session: Session, user: User, filters: Filters) -> list[tuple[str, int, int]]:
    year, quarter = _year_quarter()
    query = scoped(_bottleneck_join(year, quarter, func.count(Bottleneck.id),
                                     func.coalesce(func.sum(Bottleneck.delay_days), 0))
                    .where(col(Case.held_at).is_not(None)), db_session=db_session, user=user, filters=filters)
    rows = db_session.exec(query.group_by(year, quarter).order_by(year, quarter))
    return [(quarter_label(y, q), n, int(days)) for y, q, n, days in rows]


def _levels(*, db_session: Session, user: User, filters: Filters) -> list[tuple[str, int, int]]:
    join = _needs_case(db_session=db_session, user=user, filters=filters)
    query = scoped(_bottleneck_join(Bottleneck.level, func.count(Bottleneck.id),
                                     func.coalesce(func.sum(Bottleneck.delay_days), 0), case_join=join),
                    db_session=db_session, user=user, filters=filters).group_by(Bottleneck.level)
    found = {(level.value if hasattr(level, "value") else level) or "": (n, int(days))
             for level, n, days in db_session.exec(query)}
    order = [level.value for level in RuleLevel] + [""]
    return [(level, *found[level]) for level in order if level in found]


def _statuses(*, db_session: Session, user: User, filters: Filters) -> list[tuple[str, int]]:
    join = _needs_case(db_session=db_session, user=user, filters=filters)
    query = scoped(_bottleneck_join(Bottleneck.status, func.count(Bottleneck.id), case_join=join),
                    db_session=db_session, user=user, filters=filters).group_by(Bottleneck.status)
    found = {(s.value if hasattr(s, "value") else s): n for s, n in db_session.exec(query)}
    return sorted(found.items(), key=lambda item: (-item[1], item[0]))


def _domains(*, db_session: Session, user: User, filters: Filters) -> list[tuple[str, int, int]]:
    addressed = func.sum(case((col(LifeDomainEntry.addressed).is_(True), 1), else_=0))
    join = _needs_case(db_session=db_session, user=user, filters=filters)
    query = scoped(_rows_of(LifeDomainEntry, LifeDomainEntry.domain, func.count(LifeDomainEntry.id), addressed,
                            case_join=join),
                    db_session=db_session, user=user, filters=filters).group_by(LifeDomainEntry.domain)
    found = {domain: (n, int(done or 0)) for domain, n, done in db_session.exec(query)}
    order = list(FIRST_DOMAINS) + sorted((d for d in found if d not in FIRST_DOMAINS),
                                         key=lambda d: (ZRM_DOMAINS.index(d) if d in ZRM_DOMAINS else 99, d))
    return [(domain, *found[domain]) for domain in order if domain in found]


def _rule_trends(*, rules: list[RuleFigure], db_session: Session, user: User,
                 filters: Filters) -> list[tuple[RuleFigure, list[tuple[str, int]]]]:
    if not rules:
        return []
    year, quarter = _year_quarter()
    query = scoped(_bottleneck_join(BottleneckSignature.cluster_id, year, quarter,
                                     func.coalesce(func.sum(Bottleneck.delay_days), 0))
                    .join(BottleneckSignature, BottleneckSignature.bottleneck_id == Bottleneck.id)
                    .where(col(BottleneckSignature.cluster_id).in_([r.cluster_id for r in rules]),
                           col(Case.held_at).is_not(None)),
                    db_session=db_session, user=user, filters=filters)
    per_rule: dict[int, list[tuple[str, int]]] = {r.cluster_id: [] for r in rules}
    for cluster, y, q, days in db_session.exec(query.group_by(BottleneckSignature.cluster_id, year, quarter)
                                               .order_by(year, quarter)):
        per_rule[cluster].append((quarter_label(y, q), int(days)))
    return [(rule, per_rule[rule.cluster_id]) for rule in rules]


def _decisions(*, mandate_days: int, db_session: Session, user: User,
               filters: Filters) -> tuple[float | None, list[DecisionFigure]]:
    """Lead times of decisions taken without mandate, per deciding role, against the lead time of decisions
    taken with mandate (measured): if coaches held the mandate, those decisions would take as long as the
    mandated ones. `mandate_days`: the service norm whose exceedances are counted before and after."""
    lead = _days_between(db_session, Decision.decided_on, Decision.requested_on)
    scope = {"db_session": db_session, "user": user, "filters": filters}

    def decisions(*columns, mandate: bool):
        return scoped(select(*columns).select_from(Decision).join(Case, Case.id == Decision.case_id)
                       .where(col(Decision.decided_on).is_not(None), col(Decision.requested_on).is_not(None),
                              Decision.with_mandate == mandate), **scope)

    mandated = db_session.exec(decisions(func.avg(lead), mandate=True)).one()
    mandated = mandated[0] if isinstance(mandated, tuple) else mandated
    over = func.sum(case((lead > mandate_days, 1), else_=0))
    query = decisions(Decision.decided_by_role, func.count(Decision.id), func.sum(lead), over, mandate=False)
    after_lead = float(mandated) if mandated is not None else 0.0
    figures = []
    for role, n, days, exceeded in db_session.exec(query.group_by(Decision.decided_by_role)
                                                   .order_by(func.sum(lead).desc()).limit(20)):
        days = int(days or 0)
        figures.append(DecisionFigure(role, n, days, int(exceeded or 0), max(0, round(days - n * after_lead)),
                                      n if after_lead > mandate_days else 0))
    return (round(float(mandated), 1) if mandated is not None else None), figures


def _feedback(*, db_session: Session, user: User, filters: Filters) -> tuple[int, int]:
    """Cases with a support plan, and how many of them heard back (outcome feedback)."""
    has_feedback = col(Case.id).in_(select(OutcomeFeedback.case_id))
    query = scoped(select(func.count(Case.id), func.sum(case((has_feedback, 1), else_=0)))
                    .where(Case.support_plan != ""), db_session=db_session, user=user, filters=filters)
    plans, answered = db_session.exec(query).one()
    return plans, int(answered or 0)


def _actions(*, today: date, db_session: Session, user: User, filters: Filters) -> tuple[int, int, int]:
    overdue = func.sum(case((and_(col(Action.done).is_(False), col(Action.due_date) < today), 1), else_=0))
    query = scoped(select(func.count(Action.id), func.sum(case((col(Action.done).is_(True), 1), else_=0)), overdue)
                    .select_from(Action).join(Case, Case.id == Action.case_id),
                    db_session=db_session, user=user, filters=filters)
    total, done, late = db_session.exec(query).one()
    return total, int(done or 0), int(late or 0)
