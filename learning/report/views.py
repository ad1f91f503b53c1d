"""The quarterly management report: as a page, and as PDF and CSV downloads (managers only)."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from casebook import policy
from casebook.deps import CurrentUser, SessionDep
from casebook.templating import templates
from learning.aggregates import flows as aggregate_flows
from learning.dashboard.views import parse_filters
from learning.quarters import Quarter
from learning.report import formats
from learning.report import service as report_service

router = APIRouter(include_in_schema=False)


def _report(db_session, user, kwartaal: str, team: str) -> report_service.Report:
    quarter = kwartaal.strip() or Quarter.of(date.today()).previous().label
    team_id = parse_filters(db_session=db_session, user=user, team=team, van="", tot="").team_id
    aggregate_flows.bring_up_to_date(db_session=db_session)
    return report_service.quarterly(db_session=db_session, user=user, quarter=quarter, team_id=team_id)


def _filename(report: report_service.Report, extension: str) -> str:
    return f"managementrapportage-{report.quarter}.{extension}"


@router.get("/dashboard/rapportage")
@policy.rule(policy.Rule.management)
def report_page(
    request: Request, db_session: SessionDep, user: CurrentUser, kwartaal: str = "", team: str = ""
) -> Response:
    report = _report(db_session, user, kwartaal, team)
    return templates.TemplateResponse(
        request,
        "learning/report.html",
        {"user": user, "r": report, "figures": formats.key_figures(report), "team_param": team},
    )


@router.get("/dashboard/rapportage.csv")
@policy.rule(policy.Rule.management)
def report_csv(db_session: SessionDep, user: CurrentUser, kwartaal: str = "", team: str = "") -> Response:
    report = _report(db_session, user, kwartaal, team)
    return Response(
        formats.to_csv(report).encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(report, "csv")}"'},
    )


@router.get("/dashboard/rapportage.pdf")
@policy.rule(policy.Rule.management)
def report_pdf(db_session: SessionDep, user: CurrentUser, kwartaal: str = "", team: str = "") -> Response:
    report = _report(db_session, user, kwartaal, team)
    return Response(
        formats.to_pdf(report),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_filename(report, "pdf")}"'},
    )
