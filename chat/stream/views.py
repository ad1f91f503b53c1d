"""The stream's JSON API (under /api/v1): a discussion's events after a seq, as the `message` socket event
carries them (the live stream runs over Socket.IO, chat/realtime.py)."""

from typing import Annotated

from fastapi import APIRouter, Query

from casebook import policy
from casebook.deps import CurrentUser, SessionDep
from casebook.params import IdPath, SeqQuery
from chat.discussions import service as discussion_service
from chat.stream import service as stream_service

api_router = APIRouter()


@api_router.get("/sessions/{session_id}/messages")
@policy.rule(policy.Rule.session_member)
def read_messages(
    session_id: IdPath,
    db_session: SessionDep,
    user: CurrentUser,
    after_seq: SeqQuery = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> list[dict]:
    """The session's events after `after_seq`, in seq order, shaped like the `message` socket event."""
    discussion_service.get_or_raise(db_session=db_session, user=user, session_id=session_id)
    discussion_service.record_view(db_session=db_session, user=user, session_id=session_id)
    return stream_service.events_after(
        db_session=db_session, session_id=session_id, reader=user, after_seq=after_seq, limit=limit
    )
