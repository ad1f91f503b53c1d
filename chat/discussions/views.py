"""Discussion routes: planning one and its invitations (the JSON API, `api_router`, under /api/v1), the list
of one's discussions, a case's discussions card and the room page (`router`). What happens in the room runs
over Socket.IO (chat/realtime.py); the stream is served by chat/stream/views.py, the entry by chat/draft/."""

from functools import partial
from pathlib import Path
from typing import Annotated

import anyio
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from casebook import policy
from casebook.cases import service as case_service
from casebook.deps import CurrentUser, SessionDep
from casebook.params import IdPath
from casebook.templating import templates
from chat import flows as chat_flows
from chat import methods
from chat.discussions import service as discussion_service
from chat.discussions.models import SessionCreate, SessionRead, SessionStatus
from chat.stream.models import EDIT_WINDOW_SECONDS

api_router = APIRouter()
router = APIRouter(include_in_schema=False)


def _methods_dir(request: Request) -> Path:
    return methods.team_dir(request.app.state.settings)


# ---- JSON API --------------------------------------------------------------------------------


@api_router.post("/sessions", status_code=201, response_model=SessionRead)
@policy.rule(policy.Rule.case_creator)
def create_session(
    body: SessionCreate, request: Request, db_session: SessionDep, user: CurrentUser
) -> SessionRead:
    discussion = chat_flows.plan_discussion(
        db_session=db_session, user=user, data=body, methods_dir=_methods_dir(request)
    )
    return discussion_service.to_read(
        db_session=db_session, discussion=discussion, methods_dir=_methods_dir(request)
    )


@api_router.get("/sessions/{session_id}", response_model=SessionRead)
@policy.rule(policy.Rule.session_member)
def read_session(
    session_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> SessionRead:
    discussion = discussion_service.get_or_raise(db_session=db_session, user=user, session_id=session_id)
    return discussion_service.to_read(
        db_session=db_session, discussion=discussion, methods_dir=_methods_dir(request)
    )


@api_router.delete("/sessions/{session_id}/participants/{username}", status_code=204)
@policy.rule(policy.Rule.session_manager)
def revoke_participant(
    session_id: IdPath, username: str, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    """Withdraw a participant's invitation (facilitator, or a coach or manager of the case's own team): the
    session and the time-limited case access that came with it end now, and their open room sockets close."""
    revoked = chat_flows.revoke_participant(
        db_session=db_session, session_id=session_id, user=user, username=username
    )
    room = getattr(request.app.state, "room", None)
    if room is not None:  # the room shares this app's event loop; this handler runs in a worker thread
        anyio.from_thread.run(
            partial(
                room.kick,
                revoked.id,
                session_id,
                detail="Uw uitnodiging voor dit casusoverleg is ingetrokken.",
            )
        )
    return Response(status_code=204)


@api_router.get("/methods")
@policy.rule(policy.Rule.signed_in)
def list_methods(request: Request, user: CurrentUser) -> list[dict]:
    return [method.as_dict() for method in methods.all_methods(_methods_dir(request)).values()]


# ---- HTML pages ------------------------------------------------------------------------------


# ---- HTML pages ------------------------------------------------------------------------------


@router.get("/sessions")
@policy.rule(policy.Rule.signed_in)
def my_sessions_page(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    return templates.TemplateResponse(
        request,
        "chat/sessions.html",
        {
            "user": user,
            "rows": discussion_service.list_for_user(db_session=db_session, user=user),
            "methods": methods.all_methods(_methods_dir(request)),
        },
    )


@router.get("/cases/{case_id}/sessions")
@policy.rule(policy.Rule.case_viewer)
def sessions_card(case_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    """htmx partial for the case page: the discussions on this case, published entries, and a planning form."""
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    return templates.TemplateResponse(
        request,
        "chat/_sessions_card.html",
        {
            "user": user,
            "case_id": case.id,
            "discussions": discussion_service.list_for_case(db_session=db_session, user=user, case=case),
            "published": discussion_service.published_for_case(db_session=db_session, case=case),
            "methods": methods.all_methods(_methods_dir(request)),
            "can_plan": policy.can_edit(db_session=db_session, user=user, case=case),
        },
    )


@router.post("/cases/{case_id}/sessions")
@policy.rule(policy.Rule.case_editor)
def plan_session(
    case_id: IdPath,
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    method: Annotated[str, Form()] = methods.DEFAULT_METHOD,
    participants: Annotated[str, Form()] = "",
    roster: Annotated[str, Form()] = "",
) -> Response:
    data = SessionCreate(
        case_id=case_id, method=method, participants=_split(participants, ","), roster=_split(roster, "\n")
    )
    discussion = chat_flows.plan_discussion(
        db_session=db_session, user=user, data=data, methods_dir=_methods_dir(request)
    )
    return RedirectResponse(f"/sessions/{discussion.id}", status_code=303)


def _split(value: str, separator: str) -> list[str]:
    return [part.strip() for part in value.replace(";", separator).split(separator) if part.strip()]


@router.get("/sessions/{session_id}")
@policy.rule(policy.Rule.session_member)
def room_page(session_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    discussion = discussion_service.get_or_raise(db_session=db_session, user=user, session_id=session_id)
    if discussion.status == SessionStatus.closed:
        return RedirectResponse(f"/sessions/{session_id}/transcript", status_code=303)
    read = discussion_service.to_read(
        db_session=db_session, discussion=discussion, methods_dir=_methods_dir(request)
    )
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=discussion.case_id)
    discussion_service.record_view(db_session=db_session, user=user, session_id=discussion.id)
    return templates.TemplateResponse(
        request,
        "chat/room.html",
        {
            "user": user,
            "discussion": read,
            "case": case,
            "method": methods.get(discussion.method, _methods_dir(request)),
            "is_facilitator": discussion_service.is_facilitator(discussion=discussion, user=user),
            "edit_window": EDIT_WINDOW_SECONDS,
        },
    )
