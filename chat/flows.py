"""One function per user action in a case discussion, for the socket handlers (chat/realtime.py) and the HTTP
views to call. The service writes and only flushes; here each action is committed once, and only then is
the change announced: a case changed by the room is told to casebook's subscribers (search) with
events.CASE_SAVED, and the caller broadcasts the returned event to the room. Nobody hears of a change that
was rolled back."""

from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from casebook import events
from casebook.accounts.models import User
from casebook.db import scrub_deleted, transaction
from chat import retention
from chat.assistant import service as assistant_service
from chat.assistant.models import Answer
from chat.discussions import anonymiser as discussion_anonymiser
from chat.discussions import service as discussion_service
from chat.discussions.models import DiscussionSession, SessionCreate
from chat.draft import service as draft_service
from chat.stream import service as stream_service
from chat.stream.models import AgreementIn, BottleneckFlagIn


def _case_saved(db_session: Session, discussion: DiscussionSession) -> None:
    events.publish(events.CASE_SAVED, db_session=db_session, case_id=discussion.case_id)


# ---- planning, publishing, invitations (HTTP) ----------------------------------------------------


def plan_discussion(
    *, db_session: Session, user: User, data: SessionCreate, methods_dir: Path | None = None
) -> DiscussionSession:
    with transaction(db_session):
        discussion = discussion_service.create(
            db_session=db_session, user=user, data=data, methods_dir=methods_dir
        )
        # The names to mask (never stored) are counted before the commit, so no discussion exists whose names
        # could not reach the other processes (Redis out of reach); they are held once it is committed.
        roster = discussion_anonymiser.roster_change(
            db_session=db_session, session_id=discussion.id, names=data.roster
        )
        discussion.roster_given = bool(roster.names)  # that names were given, never which
        db_session.add(discussion)
    roster.apply()
    return discussion


def publish_entry(
    *, db_session: Session, discussion: DiscussionSession, user: User, summary: str | None = None
) -> DiscussionSession:
    """Publish the reviewed casebook entry and mark the domains discussed on the case, in one commit."""
    with transaction(db_session):
        draft_service.publish(db_session=db_session, discussion=discussion, user=user, summary=summary)
        case_changed = draft_service.mark_domains_addressed(
            db_session=db_session, discussion=discussion, user=user
        )
    if case_changed:
        _case_saved(db_session, discussion)
    return discussion


def revoke_participant(*, db_session: Session, session_id: int, user: User, username: str) -> User:
    """Returns the withdrawn user; the caller closes their sockets (after the commit)."""
    with transaction(db_session):
        return discussion_service.revoke_participant(
            db_session=db_session, session_id=session_id, user=user, username=username
        )


def add_roster_names(
    *, db_session: Session, discussion: DiscussionSession, user: User, names: list[str]
) -> None:
    """The facilitator adds names to mask; never stored: held in memory, and with REDIS_URL passed to the other
    server processes over pub/sub (chat/discussions/rosters.py)."""
    discussion_service.require_facilitator(
        discussion=discussion, user=user, doing="namen voor het maskeren opgeven"
    )
    with transaction(db_session):
        change = discussion_anonymiser.roster_change(
            db_session=db_session, session_id=discussion.id, names=names
        )
        discussion.roster_given = discussion.roster_given or bool(
            change.names
        )  # that names were given, never which
        db_session.add(discussion)
    change.apply()


# ---- the stream (socket events); each returns the event to broadcast ----------------------------


def post_message(
    *, db_session: Session, discussion: DiscussionSession, user: User, text: str, client_id: str | None = None
) -> tuple[dict, bool]:
    with transaction(db_session):
        return stream_service.post_message(
            db_session=db_session, session_id=discussion.id, user=user, text=text, client_id=client_id
        )


def edit_message(
    *, db_session: Session, discussion: DiscussionSession, user: User, seq: int, text: str
) -> dict:
    with transaction(db_session):
        return stream_service.edit_message(
            db_session=db_session, session_id=discussion.id, user=user, seq=seq, text=text
        )


def hide_message(*, db_session: Session, discussion: DiscussionSession, user: User, seq: int) -> dict:
    with transaction(db_session):
        return stream_service.hide_message(db_session=db_session, discussion=discussion, user=user, seq=seq)


def report_message(*, db_session: Session, discussion: DiscussionSession, user: User, seq: int) -> dict:
    """Returns what the facilitator is told (no stream event)."""
    with transaction(db_session):
        return stream_service.report_message(
            db_session=db_session, session_id=discussion.id, user=user, seq=seq
        )


def change_phase(
    *,
    db_session: Session,
    discussion: DiscussionSession,
    user: User,
    phase: str,
    methods_dir: Path | None = None,
) -> dict:
    with transaction(db_session):
        return stream_service.change_phase(
            db_session=db_session, discussion=discussion, user=user, phase=phase, methods_dir=methods_dir
        )


def flag_bottleneck(
    *, db_session: Session, discussion: DiscussionSession, user: User, data: BottleneckFlagIn
) -> dict:
    return _land_on_case(
        stream_service.flag_bottleneck, db_session=db_session, discussion=discussion, user=user, data=data
    )


def record_agreement(
    *, db_session: Session, discussion: DiscussionSession, user: User, data: AgreementIn
) -> dict:
    """The agreement lands on the case as an action."""
    return _land_on_case(
        stream_service.record_agreement, db_session=db_session, discussion=discussion, user=user, data=data
    )


def _land_on_case(store, *, db_session: Session, discussion: DiscussionSession, user: User, data) -> dict:
    """What the room adds to the case lands there and in the stream in one commit; search hears of it after
    that (only when something was stored: a resent client_id is not)."""
    with transaction(db_session):
        event, created = store(db_session=db_session, discussion=discussion, user=user, data=data)
    if created:
        _case_saved(db_session, discussion)
    return event


def mark_domain(*, db_session: Session, discussion: DiscussionSession, user: User, domain: str) -> dict:
    with transaction(db_session):
        return stream_service.mark_domain(
            db_session=db_session, session_id=discussion.id, user=user, domain=domain
        )


def raise_hand(
    *, db_session: Session, discussion: DiscussionSession, user: User, raised: bool = True
) -> dict:
    with transaction(db_session):
        return stream_service.raise_hand(
            db_session=db_session, session_id=discussion.id, user=user, raised=raised
        )


def close_discussion(
    *, db_session: Session, discussion: DiscussionSession, user: User, methods_dir: Path | None = None
) -> dict:
    """Close the discussion; with the assistant on, the draft casebook entry is the assistant's (the room's
    own draft plus the situation, the domains left undiscussed and similar cases to compare with)."""

    def write_draft() -> str:
        if discussion.assistant_enabled:
            return assistant_service.closing_draft(
                db_session=db_session, user=user, discussion=discussion, methods_dir=methods_dir
            )
        return draft_service.draft_summary(
            db_session=db_session, discussion=discussion, methods_dir=methods_dir
        )

    with transaction(db_session):
        return stream_service.close(
            db_session=db_session, discussion=discussion, user=user, write_draft=write_draft
        )


def switch_assistant(
    *, db_session: Session, discussion: DiscussionSession, user: User, enabled: bool
) -> dict:
    with transaction(db_session):
        return stream_service.switch_assistant(
            db_session=db_session, discussion=discussion, user=user, enabled=enabled
        )


def post_assistant_answer(
    *, db_session: Session, session_id: int, answer: Answer, titles: dict[int, str], question_seq: int
) -> dict | None:
    """The assistant's answer lands in the stream; None when the discussion closed or the assistant was switched
    off while it was thinking."""
    with transaction(db_session):
        return stream_service.post_assistant_answer(
            db_session=db_session,
            session_id=session_id,
            answer=answer,
            titles=titles,
            question_seq=question_seq,
        )


def refusals(
    *, db_session: Session, pairs: set[tuple[int, int]]
) -> dict[tuple[int, int], discussion_service.NoLongerAllowed]:
    """The room's sweep: which (session_id, user_id) pairs are refused now; the refusals are audited."""
    with transaction(db_session):
        return discussion_service.refusals(db_session=db_session, pairs=pairs)


# ---- retention ---------------------------------------------------------------------------------


def apply_retention(
    *, db_session: Session, now: datetime, days: int, methods_dir: Path | None = None
) -> retention.RetentionResult:
    """Condense and delete every transcript past retention, one commit per discussion (a failure leaves the
    others done); then the database files keep no copy of the deleted messages, and the discussions' rosters
    and pseudonym maps leave memory."""
    result = retention.RetentionResult()
    for discussion in retention.due_discussions(db_session=db_session, now=now, days=days):
        with transaction(db_session):
            result.messages += retention.condense_and_delete(
                db_session=db_session, discussion=discussion, now=now, days=days, methods_dir=methods_dir
            )
        discussion_anonymiser.forget_session(db_session=db_session, session_id=discussion.id)
        result.sessions += 1
    if result.sessions:
        scrub_deleted(db_session.get_bind().engine)
    return result
