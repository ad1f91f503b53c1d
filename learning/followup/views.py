"""The start page (notifications with their badge, open and overdue actions) and its JSON API; mounted
through learning.views."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from casebook import policy
from casebook.cases import flows as case_flows
from casebook.cases import service as case_service
from casebook.deps import CurrentUser, SessionDep
from casebook.notifications import flows as notification_flows
from casebook.notifications import service as notification_service
from casebook.notifications.models import NotificationRead
from casebook.params import IdPath
from casebook.templating import templates
from casebook.timeutil import utcnow
from learning.followup import service as followup_service
from learning.followup.models import OpenAction

api_router = APIRouter()
router = APIRouter(include_in_schema=False)


# ---- JSON API ----------------------------------------------------------------------------------------


@api_router.get("/notifications", response_model=list[NotificationRead])
@policy.rule(policy.Rule.signed_in)
def list_notifications(db_session: SessionDep, user: CurrentUser) -> list[NotificationRead]:
    """The signed-in user's own notifications, unread first (at most 50)."""
    return notification_service.recent(db_session=db_session, user=user)


@api_router.post("/notifications/{notification_id}/read", status_code=204)
@policy.rule(policy.Rule.signed_in)
def mark_notification_read(notification_id: IdPath, db_session: SessionDep, user: CurrentUser) -> Response:
    """Another user's notification is not found (404)."""
    notification_flows.mark_read(db_session=db_session, user=user, notification_id=notification_id)
    return Response(status_code=204)


@api_router.get("/actions/open", response_model=list[OpenAction])
@policy.rule(policy.Rule.signed_in)
def list_open_actions(db_session: SessionDep, user: CurrentUser) -> list[OpenAction]:
    """Agreed actions not done yet on the cases the user may see, overdue first (at most 50)."""
    return followup_service.open_actions(db_session=db_session, user=user, today=utcnow().date())


# ---- pages -------------------------------------------------------------------------------------------


@router.get("/start")
@policy.rule(policy.Rule.signed_in)
def start_page(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    actions = followup_service.open_actions(db_session=db_session, user=user, today=utcnow().date())
    return templates.TemplateResponse(
        request,
        "learning/start.html",
        {
            "user": user,
            "actions": actions,
            "overdue": sum(a.overdue for a in actions),
            **_notifications(db_session, user),
        },
    )


def _notifications(db_session, user) -> dict:
    return {
        "notifications": notification_service.recent(db_session=db_session, user=user),
        "unread": notification_service.unread_count(db_session=db_session, user=user),
    }


@router.post("/meldingen/{notification_id}/gelezen")
@policy.rule(policy.Rule.signed_in)
def mark_read_from_page(
    notification_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    notification_flows.mark_read(db_session=db_session, user=user, notification_id=notification_id)
    return _notifications_answer(request, db_session, user)


@router.post("/meldingen/gelezen")
@policy.rule(policy.Rule.signed_in)
def mark_all_read_from_page(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    notification_flows.mark_read(db_session=db_session, user=user)
    return _notifications_answer(request, db_session, user)


def _notifications_answer(request: Request, db_session, user) -> Response:
    if not request.headers.get("hx-request"):
        return RedirectResponse("/start", status_code=303)
    return templates.TemplateResponse(
        request, "learning/_notifications.html", _notifications(db_session, user)
    )


@router.post("/afspraken/{action_id}/gedaan")
@policy.rule(policy.Rule.signed_in)
def action_done_from_page(action_id: IdPath, db_session: SessionDep, user: CurrentUser) -> Response:
    action = case_service.get_action_or_raise(db_session=db_session, user=user, action_id=action_id)
    case_flows.set_action_done(db_session=db_session, user=user, action=action)
    return RedirectResponse("/start", status_code=303)
