"""The draft casebook entry's routes: reading and publishing it (the JSON API, `api_router`, under /api/v1),
and the transcript page where it is reviewed and published (`router`)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from casebook import policy
from casebook.cases import service as case_service
from casebook.deps import CurrentUser, SessionDep
from casebook.errors import Invalid
from casebook.params import IdPath
from casebook.templating import templates
from chat import flows as chat_flows
from chat import methods
from chat.discussions import service as discussion_service
from chat.discussions.models import SessionStatus
from chat.draft import service as draft_service
from chat.draft.models import DraftRead, PublishRequest
from chat.stream import service as stream_service

api_router = APIRouter()
router = APIRouter(include_in_schema=False)


@api_router.get("/sessions/{session_id}/draft", response_model=DraftRead)
@policy.rule(policy.Rule.session_member)
def read_draft(session_id: IdPath, db_session: SessionDep, user: CurrentUser) -> DraftRead:
    discussion = discussion_service.get_or_raise(db_session=db_session, user=user, session_id=session_id)
    return draft_service.draft(db_session=db_session, discussion=discussion)


@api_router.post("/sessions/{session_id}/publish", response_model=DraftRead, responses={409: {}})
@policy.rule(policy.Rule.session_manager)
def publish_draft(
    session_id: IdPath, body: PublishRequest, db_session: SessionDep, user: CurrentUser
) -> DraftRead:
    discussion = discussion_service.get_or_raise(db_session=db_session, user=user, session_id=session_id)
    discussion = chat_flows.publish_entry(
        db_session=db_session, discussion=discussion, user=user, summary=body.summary
    )
    return draft_service.draft(db_session=db_session, discussion=discussion)


# ---- HTML pages ------------------------------------------------------------------------------


@router.get("/sessions/{session_id}/transcript")
@policy.rule(policy.Rule.session_member)
def transcript_page(
    session_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    discussion = discussion_service.get_or_raise(db_session=db_session, user=user, session_id=session_id)
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=discussion.case_id)
    discussion_service.record_view(db_session=db_session, user=user, session_id=discussion.id)
    return templates.TemplateResponse(
        request,
        "chat/transcript.html",
        {
            "user": user,
            "discussion": discussion_service.to_read(
                db_session=db_session,
                discussion=discussion,
                methods_dir=methods.team_dir(request.app.state.settings),
            ),
            "case": case,
            "events": stream_service.events_after(
                db_session=db_session, session_id=discussion.id, reader=user
            ),
            "draft": draft_service.draft(db_session=db_session, discussion=discussion),
            "summary": discussion.summary,
            "can_publish": discussion.status == SessionStatus.closed
            and discussion.published_at is None
            and discussion_service.can_manage(
                db_session=db_session, discussion=discussion, user=user, case=case
            ),
        },
    )


@router.post("/sessions/{session_id}/publish")
@policy.rule(policy.Rule.session_manager)
def publish_from_form(
    session_id: IdPath, db_session: SessionDep, user: CurrentUser, summary: Annotated[str, Form()] = ""
) -> Response:
    discussion = discussion_service.get_or_raise(db_session=db_session, user=user, session_id=session_id)
    if not summary.strip():
        raise Invalid("Het verslag is leeg.")
    chat_flows.publish_entry(db_session=db_session, discussion=discussion, user=user, summary=summary)
    return RedirectResponse(f"/cases/{discussion.case_id}#casusoverleg", status_code=303)
