"""Assistant routes: the JSON API (`api_router`, under /api/v1) and the case page's chat panel (`router`).
In the live room the assistant is asked through Socket.IO (chat/realtime.py)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from casebook import policy
from casebook.anonymise import service as anonymise_service
from casebook.cases import flows as case_flows
from casebook.cases import service as case_service
from casebook.deps import CurrentUser, SessionDep
from casebook.errors import Invalid, RetryLater, TooLarge
from casebook.params import IdPath
from casebook.templating import templates
from chat import methods
from chat.assistant import service as assistant_service
from chat.assistant.models import AssistantReply, AssistantRequest

api_router = APIRouter()
router = APIRouter(include_in_schema=False)


@api_router.post("/assistant", response_model=AssistantReply, responses={429: {}})
@policy.rule(policy.Rule.signed_in)
def ask(
    body: AssistantRequest, request: Request, db_session: SessionDep, user: CurrentUser
) -> AssistantReply:
    """Ask the assistant. It answers from the cases you may see and names them in `citations`, most relevant
    first; "geen vergelijkbare casus gevonden" when none fits. Nothing in the message changes what it may
    read. At most settings.assistant_questions_per_minute per user (429 with Retry-After beyond)."""
    assistant_service.take_question(request.app.state.assistant_limits, user)
    answer = assistant_service.answer(
        db_session=db_session,
        user=user,
        message=body.message,
        settings=request.app.state.settings,
        session_id=body.session_id,
        case_id=body.case_id,
        methods_dir=methods.team_dir(request.app.state.settings),
    )
    return AssistantReply.of(answer)


# ---- the case page's chat panel (htmx) ------------------------------------------------------------
# The conversation lives only in the page (the browser); nothing of it is stored unless the coach saves an
# answer to the case, as a case note (anonymised like every text of the case).


@router.get("/cases/{case_id}/assistant")
@policy.rule(policy.Rule.case_viewer)
def panel(case_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    return templates.TemplateResponse(
        request,
        "chat/_assistant_panel.html",
        {
            "case_id": case.id,
            "notes": case_service.notes(db_session=db_session, case=case),
            "can_save": policy.can_edit(db_session=db_session, user=user, case=case),
        },
    )


@router.post("/cases/{case_id}/assistant")
@policy.rule(policy.Rule.case_viewer)
def ask_in_panel(
    case_id: IdPath,
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    message: Annotated[str, Form()] = "",
) -> Response:
    """One turn of the conversation, appended to the panel; a refused question (empty, too long, too many) is a turn
    with the Dutch reason instead (422, which htmx shows)."""
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    try:
        assistant_service.take_question(request.app.state.assistant_limits, user)
        answer = assistant_service.answer(
            db_session=db_session,
            user=user,
            message=message,
            settings=request.app.state.settings,
            case_id=case.id,
            methods_dir=methods.team_dir(request.app.state.settings),
        )
    except (Invalid, TooLarge, RetryLater) as exc:
        return templates.TemplateResponse(
            request, "chat/_assistant_turn.html", {"error": exc.detail}, status_code=422
        )
    return templates.TemplateResponse(
        request,
        "chat/_assistant_turn.html",
        {
            "case_id": case.id,
            "answer": answer,
            "cited": assistant_service.cited_titles(db_session=db_session, case_ids=answer.citations),
            "can_save": policy.can_edit(db_session=db_session, user=user, case=case),
        },
    )


@router.post("/cases/{case_id}/notes")
@policy.rule(policy.Rule.case_editor)
def save_to_case(
    case_id: IdPath,
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
) -> Response:
    """Save one turn of the conversation to the case as a note (it comes back from the browser, so it is
    anonymised again on the way in)."""
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    anonymise_service.check_text_size(question + answer, request.app.state.settings.max_text_bytes)
    case_flows.add_note(
        db_session=db_session, user=user, case=case, text=f"Vraag aan de assistent: {question}\n{answer}"
    )
    return templates.TemplateResponse(request, "chat/_assistant_saved.html", {})
