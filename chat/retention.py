"""Retention of room transcripts: a discussion's messages are kept for a configurable number of days after
the discussion ended, then condensed into the casebook entry and deleted. What the room added to the case
(bottlenecks, agreements) already lives on the case; the entry (the discussion's summary) keeps the rest: an
entry nobody published is published as it stands, marked as not reviewed. The discussion row stays, so the
case still shows that the discussion took place.

A discussion has ended when it was closed, or (never closed) when nothing happened in it for the whole
retention period. Everything takes `now`, so tests run it on a clock they control."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func
from sqlmodel import Session, col, or_, select

from casebook.audit import service as audit_service
from chat.discussions.models import DiscussionSession, SessionStatus
from chat.draft import service as draft_service
from chat.stream.models import Message

UNREVIEWED_NOTE = (
    "Automatisch vastgelegd na afloop van de bewaartermijn van het transcript ({days} dagen); "
    "dit verslag is niet nagekeken."
)
MAX_SESSIONS_PER_RUN = 500  # a run stays short; the next run takes the rest


@dataclass
class RetentionResult:
    sessions: int = 0
    messages: int = 0


def due_discussions(*, db_session: Session, now: datetime, days: int) -> list[DiscussionSession]:
    """Discussions whose transcript is past retention and still stored: closed before `now - days`, or never
    closed and without any event since then."""
    cutoff = now - timedelta(days=days)
    last_event = (
        select(Message.session_id, func.max(Message.created_at).label("last_at"))
        .group_by(col(Message.session_id))
        .subquery()
    )
    query = (
        select(DiscussionSession)
        .join(last_event, last_event.c.session_id == DiscussionSession.id, isouter=True)
        .where(
            col(DiscussionSession.transcript_deleted_at).is_(None),
            or_(
                col(DiscussionSession.closed_at) < cutoff,
                (col(DiscussionSession.status) != SessionStatus.closed)
                & (DiscussionSession.created_at < cutoff)
                & or_(last_event.c.last_at.is_(None), last_event.c.last_at < cutoff),
            ),
        )
        .order_by(col(DiscussionSession.id))
        .limit(MAX_SESSIONS_PER_RUN)
    )
    return list(db_session.exec(query))


def condense_and_delete(
    *,
    db_session: Session,
    discussion: DiscussionSession,
    now: datetime,
    days: int,
    methods_dir: Path | None = None,
) -> int:
    """Condense the transcript into the discussion's entry and delete its messages; the number deleted."""
    if not discussion.summary or discussion.status != SessionStatus.closed:
        discussion.summary = draft_service.draft_summary(
            db_session=db_session, discussion=discussion, methods_dir=methods_dir
        )
    if discussion.published_at is None:
        discussion.summary = f"{discussion.summary}\n\n{UNREVIEWED_NOTE.format(days=days)}"
        discussion.published_at = now
    if discussion.status != SessionStatus.closed:
        discussion.status, discussion.closed_at = SessionStatus.closed, now
    deleted = (
        db_session.connection()
        .execute(delete(Message).where(col(Message.session_id) == discussion.id))
        .rowcount
    )
    discussion.transcript_deleted_at = now
    db_session.add(discussion)
    audit_service.record(
        db_session=db_session,
        actor_id=None,
        action="session.transcript_deleted",
        object_type="session",
        object_id=discussion.id,
        detail=f"messages={deleted}",
    )
    db_session.flush()
    return deleted
