"""Assistant routes: the JSON API (`api_router`, under /api/v1) and the case page's chat panel (`router`).
In the live room the assistant is asked through Socket.IO (chat/realtime.py)."""

from fastapi import APIRouter, Request

from casebook.deps import CurrentUser, SessionDep
from chat.assistant import service as assistant_service
from chat.assistant.models import AssistantReply, AssistantRequest

api_router = APIRouter()
router = APIRouter(include_in_schema=False)


def _methods_dir(request: Request):
    return request.app.state.settings.data_dir / "methods"


@api_router.post("/assistant", response_model=AssistantReply)
def ask(body: AssistantRequest, request: Request, db_session: SessionDep, user: CurrentUser) -> AssistantReply:
    """Ask the assistant. It answers from the cases you may see and names them in `citations`, most relevant
    first; "geen vergelijkbare casus gevonden" when none fits. Nothing in the message changes what it may
    read."""
    answer = assistant_service.answer(db_session=db_session, user=user, message=body.message,
                                      settings=request.app.state.settings, session_id=body.session_id,
                                      case_id=body.case_id, methods_dir=_methods_dir(request))
    return AssistantReply.of(answer)
