"""The managers' dashboard page (HTML only; its numbers are in the report's CSV)."""

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from casebook import policy
from casebook.deps import CurrentUser, SessionDep
from casebook.errors import Forbidden, Invalid
from casebook.i18n import gettext
from casebook.templating import templates
from learning.aggregates import flows as aggregate_flows
from learning.dashboard import figures
from learning.dashboard import service as dashboard_service
from learning.quarters import Quarter

router = APIRouter(include_in_schema=False)


def parse_filters(*, db_session, user, team: str, van: str, tot: str) -> dashboard_service.Filters:
    """Team and period from the query string; Invalid (Dutch) for what cannot be read, Forbidden for a team
    the manager does not oversee."""
    team_id = None
    if team.strip():
        if not team.strip().isdigit():
            raise Invalid(gettext("team: kies een team uit de lijst."))
        team_id = int(team)
        if team_id not in dict(dashboard_service.visible_teams(db_session=db_session, user=user)):
            raise Forbidden(gettext("U ziet de cijfers van dit team niet."))
    start = Quarter.parse(van).first_day if van.strip() else None
    end = Quarter.parse(tot).last_day if tot.strip() else None
    if start and end and start > end:
        raise Invalid(gettext("periode: het eerste kwartaal ligt na het laatste."))
    return dashboard_service.Filters(team_id=team_id, start=start, end=end)


def parse_days(value: str) -> int:
    if not value.strip():
        return dashboard_service.DEFAULT_MANDATE_DAYS
    if not value.strip().isdigit() or int(value) > 365:
        raise Invalid(gettext("drempel: geef een aantal dagen van 0 tot en met 365."))
    return int(value)


@router.get("/dashboard")
@policy.rule(policy.Rule.management)
def dashboard_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    team: str = "",
    van: str = "",
    tot: str = "",
    drempel: str = "",
) -> Response:
    error, status = None, 200
    try:
        filters = parse_filters(db_session=db_session, user=user, team=team, van=van, tot=tot)
        days = parse_days(drempel)
    except Invalid as exc:
        error, status = exc.detail, exc.status_code
        filters, days = dashboard_service.Filters(), dashboard_service.DEFAULT_MANDATE_DAYS
    aggregate_flows.bring_up_to_date(db_session=db_session)
    dashboard = dashboard_service.build(db_session=db_session, user=user, filters=filters, mandate_days=days)
    query = urlencode({"team": team, "kwartaal": tot}) if error is None else ""
    return templates.TemplateResponse(
        request,
        "learning/dashboard.html",
        {
            "user": user,
            "d": dashboard,
            "charts": figures.all_charts(dashboard),
            "error": error,
            "van": van if error is None else "",
            "tot": tot if error is None else "",
            "query": query,
        },
        status_code=status,
    )
