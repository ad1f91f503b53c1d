"""What goes into the quarterly management report: the dashboard of one quarter (and team), the rules that
cost the most with the workarounds and proposals recorded for them. Anonymised by construction: it holds
counts, law names, team names and the already anonymised texts of bottlenecks, never a case's title, key,
narrative or a person."""

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from casebook.accounts.models import Team, User
from casebook.cases.models import Bottleneck, Case
from casebook.errors import Invalid
from casebook.i18n import gettext
from learning.dashboard import figures
from learning.dashboard import service as dashboard_service
from learning.dashboard.charts import Chart
from learning.dashboard.service import Dashboard, Filters, RuleFigure
from learning.quarters import Quarter
from learning.recurrence.models import BottleneckSignature

PROPOSALS_PER_RULE = 3


@dataclass
class RuleSection:
    rule: RuleFigure
    proposals: list[str] = field(default_factory=list)


@dataclass
class Report:
    quarter: str
    team: str
    dashboard: Dashboard
    charts: list[Chart]
    rules: list[RuleSection]


def quarterly(*, db_session: Session, user: User, quarter: str, team_id: int | None = None) -> Report:
    """The report of `quarter` ("2025-Q2"); Invalid with a Dutch message when it holds no case."""
    period = Quarter.parse(quarter)
    filters = Filters(team_id=team_id, start=period.first_day, end=period.last_day)
    dashboard = dashboard_service.build(db_session=db_session, user=user, filters=filters)
    team = db_session.get_one(Team, team_id).name if team_id else gettext("alle teams")
    if dashboard.empty:
        raise Invalid(
            gettext(
                "Er zijn geen casussen besproken in %(quarter)s (%(team)s): er is niets te rapporteren. "
                "Kies een ander kwartaal."
            )
            % {"quarter": quarter, "team": team}
        )
    rules = [
        RuleSection(
            rule, _proposals(db_session=db_session, user=user, filters=filters, cluster_id=rule.cluster_id)
        )
        for rule in dashboard.top_by_delay
    ]
    return Report(
        quarter=quarter, team=team, dashboard=dashboard, charts=figures.all_charts(dashboard), rules=rules
    )


def _proposals(*, db_session: Session, user: User, filters: Filters, cluster_id: int) -> list[str]:
    """The workarounds recorded most often for this rule in the selection (anonymised when stored)."""
    query = dashboard_service.scoped(
        select(Bottleneck.workaround, func.count(col(Bottleneck.id)))
        .select_from(Bottleneck)
        .join(Case, col(Case.id) == Bottleneck.case_id)
        .join(BottleneckSignature, col(BottleneckSignature.bottleneck_id) == Bottleneck.id)
        .where(BottleneckSignature.cluster_id == cluster_id, col(Bottleneck.workaround) != ""),
        db_session=db_session,
        user=user,
        filters=filters,
    )
    query = query.group_by(Bottleneck.workaround).order_by(
        func.count(col(Bottleneck.id)).desc(), Bottleneck.workaround
    )
    return [text for text, _ in db_session.exec(query.limit(PROPOSALS_PER_RULE))]
