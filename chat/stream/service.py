"""The stream of a discussion: every event (a message, an edit, a phase, a bottleneck…) is a `Message` row
numbered by `seq`, in the shape the `message` socket event carries (`event_dict`). Plain functions taking a
Session; those that write only flush: chat/flows.py commits each action once, then the caller broadcasts what
was committed (store first, then broadcast).

A seq is allocated in the database (`UPDATE ... SET last_seq = last_seq + 1 ... RETURNING`) inside the
transaction that stores the event, so it stays strictly increasing and gap-free across processes: a
rolled-back event rolls its number back too, and on PostgreSQL the row lock serialises concurrent writers
until commit."""

import json
import re
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import and_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts.models import Role, User
from casebook.audit import service as audit_service
from casebook.cases import service as case_service
from casebook.cases.domains import UnknownDomain, normalise_domain
from casebook.cases.models import ActionIn, BottleneckIn, Case
from casebook.errors import Forbidden, Invalid, NotFound, TooLarge
from casebook.labels import KIND_LABELS, ROLE_LABELS
from casebook.timeutil import as_utc, utcnow
from chat import methods
from chat.assistant import skills as assistant_skills
from chat.assistant.models import Answer
from chat.discussions import anonymiser as discussion_anonymiser
from chat.discussions import service as discussion_service
from chat.discussions.models import DiscussionSession, SessionStatus
from chat.stream.models import (
    ASSISTANT_NAME,
    ASSISTANT_ROLE,
    CLIENT_ID_PATTERN,
    EDIT_WINDOW_SECONDS,
    MAX_MESSAGE_BYTES,
    AgreementIn,
    BottleneckFlagIn,
    EventKind,
    Message,
    MessageReport,
)

WITHHELD = (
    "Dit antwoord van de assistent noemt casussen die u niet mag inzien; het wordt u daarom niet getoond."
)
CLIENT_ID_RULE = (
    "Ongeldige client_id: gebruik 1 tot 64 tekens uit A-Z, a-z, 0-9, '-' en '_'. Er is niets opgeslagen."
)


def check_client_id(client_id: str | None) -> None:
    """A client_id is echoed to everyone and skips the anonymiser, so it may hold no free text."""
    if client_id is not None and (
        not isinstance(client_id, str) or not re.fullmatch(CLIENT_ID_PATTERN, client_id)
    ):
        raise Invalid(CLIENT_ID_RULE)


def check_message_size(text: str) -> None:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_MESSAGE_BYTES:
        raise TooLarge(
            f"Bericht is te lang: maximaal {MAX_MESSAGE_BYTES // 1024} KB ({MAX_MESSAGE_BYTES} bytes). "
            "Er is niets opgeslagen."
        )


# ---- the stream: event shape, seq, append ------------------------------------------------------


def event_dict(message: Message, author: User | None, target_hidden: bool = False) -> dict:
    """A stored event as the `message` socket event (and the messages API) carry it. A hidden message, and
    every edit of it (`target_hidden`), is served without its text: hidden means hidden in every version."""
    hidden = message.hidden or (target_hidden and message.kind == EventKind.edit)
    return {
        "session_id": message.session_id,
        "seq": message.seq,
        "kind": message.kind,
        "author": author.display_name
        if author
        else ASSISTANT_NAME
        if message.author_role == ASSISTANT_ROLE
        else "",
        "username": author.username if author else "",
        "role": message.author_role,
        "text": "" if hidden else message.text,
        "ts": message.created_at.isoformat(),
        "client_id": message.client_id,
        "target_seq": message.target_seq,
        "data": json.loads(message.data) if message.data and not hidden else {},
        "edited": message.edited_at is not None,
        "hidden": hidden,
    }


def events_after(
    *,
    db_session: Session,
    session_id: int,
    reader: User | None,
    after_seq: int = 0,
    limit: int | None = None,
) -> list[dict]:
    """The stream after `after_seq` (join replay, the messages API, the transcript) as `reader` may read it
    (None: the assistant, reading the room). The target of each event is joined in, so an edit of a hidden
    message is blanked even if it was stored before its target was hidden. An answer of the assistant quotes
    only cases everyone in the room could see when it was asked; one invited later who may not see one of
    them reads that it is withheld (`withhold_unseen`)."""
    target = aliased(Message)
    query = (
        select(Message, User, target.hidden)
        .join(User, col(User.id) == Message.author_id, isouter=True)
        .join(
            target,
            and_(col(target.session_id) == Message.session_id, col(target.seq) == Message.target_seq),
            isouter=True,
        )
        .where(Message.session_id == session_id, Message.seq > after_seq)
        .order_by(col(Message.seq))
    )
    if limit:
        query = query.limit(limit)
    events = [
        event_dict(message, author, bool(target_hidden))
        for message, author, target_hidden in db_session.exec(query)
    ]
    return events if reader is None else withhold_unseen(db_session=db_session, events=events, reader=reader)


def withhold_unseen(*, db_session: Session, events: list[dict], reader: User) -> list[dict]:
    """`events` with every assistant answer that cites a case `reader` may not see replaced by a notice."""
    seen: dict[int, bool] = {}

    def may_see(case_id: int) -> bool:
        if case_id not in seen:
            case = db_session.get(Case, case_id)
            seen[case_id] = case is not None and policy.can_view(
                db_session=db_session, user=reader, case=case
            )
        return seen[case_id]

    return [
        {**event, "text": WITHHELD, "data": {**event["data"], "citations": [], "draft": None}}
        if event["role"] == ASSISTANT_ROLE
        and not all(may_see(c["case_id"]) for c in event["data"].get("citations", []))
        else event
        for event in events
    ]


def visible_events(
    *, db_session: Session, session_id: int, kinds: Sequence[EventKind], participants_only: bool = False
) -> list[Message]:
    """The stream's events of these kinds that are not hidden, in seq order (`participants_only`: the
    assistant's left out), for what is read from the room (the draft entry)."""
    query = select(Message).where(
        Message.session_id == session_id,
        col(Message.hidden).is_(False),
        col(Message.kind).in_(kinds),
    )
    if participants_only:
        query = query.where(Message.author_role != ASSISTANT_ROLE)
    return list(db_session.exec(query.order_by(col(Message.seq))))


def _allocate_seq(db_session: Session, session_id: int, allow_closed: bool = False) -> int:
    statement = (
        update(DiscussionSession)
        .where(col(DiscussionSession.id) == session_id)
        .values(last_seq=DiscussionSession.last_seq + 1)
        .returning(col(DiscussionSession.last_seq))
    )
    if not allow_closed:
        statement = statement.where(col(DiscussionSession.status) != SessionStatus.closed)
    seq = db_session.connection().execute(statement).scalar_one_or_none()
    if seq is None:
        raise discussion_service.DiscussionClosed("Dit casusoverleg is gesloten; er kan niets meer bij.")
    return seq


def _by_client_id(db_session: Session, session_id: int, client_id: str | None) -> Message | None:
    if not client_id:
        return None
    return db_session.exec(
        select(Message).where(Message.session_id == session_id, Message.client_id == client_id)
    ).first()


def _resent(db_session: Session, session_id: int, client_id: str | None, user: User) -> dict | None:
    """The event of what a resent client_id already stored (nothing is stored twice), or None."""
    existing = _by_client_id(db_session, session_id, client_id)
    return event_dict(existing, _author(db_session, existing, user)) if existing is not None else None


def append(
    *,
    db_session: Session,
    session_id: int,
    user: User | None,
    kind: EventKind,
    text: str = "",
    data: dict | None = None,
    client_id: str | None = None,
    target_seq: int | None = None,
) -> tuple[Message, bool]:
    """Add one event with the next seq to the caller's transaction (flushed, not committed). Returns (event,
    created); an event whose client_id was seen before is not stored again: the stored one is returned with
    created=False. `user` None: the assistant's (role ASSISTANT_ROLE, no author). When that is found out only now (the same client_id twice at once, from two tabs or two
    processes), the caller's whole transaction is rolled back: a repeated action leaves nothing behind."""
    existing = _by_client_id(db_session, session_id, client_id)
    if existing is not None:
        return existing, False
    message = Message(
        session_id=session_id,
        seq=_allocate_seq(db_session, session_id, kind == EventKind.status),
        author_id=user.id if user else None,
        author_role=user.role.value if user else ASSISTANT_ROLE,
        kind=kind.value,
        text=text,
        client_id=client_id,
        target_seq=target_seq,
        data=json.dumps(data, ensure_ascii=False, default=str) if data else "",
    )
    db_session.add(message)
    try:
        db_session.flush()
    except IntegrityError:
        db_session.rollback()  # the loser keeps the winner's event
        existing = _by_client_id(db_session, session_id, client_id)
        if existing is None:
            raise
        return existing, False
    return message, True


# ---- messages: post, edit, hide, report -------------------------------------------------------


def post_message(
    *, db_session: Session, session_id: int, user: User, text: str, client_id: str | None = None
) -> tuple[dict, bool]:
    """Anonymise and store a chat message; returns (event, created)."""
    check_client_id(client_id)
    check_message_size(text)
    if not text.strip():
        raise Invalid("Een leeg bericht wordt niet verstuurd.")
    resent = _resent(db_session, session_id, client_id, user)
    if resent is not None:
        return resent, False
    address, question = assistant_skills.split_address(text)  # "@assistent" is no name to mask
    clean = address + discussion_anonymiser.anonymiser(db_session=db_session, session_id=session_id)(question)
    message, created = append(
        db_session=db_session,
        session_id=session_id,
        user=user,
        kind=EventKind.message,
        text=clean,
        client_id=client_id,
    )
    return event_dict(message, _author(db_session, message, user)), created


def _author(db_session: Session, message: Message, fallback: User) -> User | None:
    if message.author_id == fallback.id:
        return fallback
    return db_session.get(User, message.author_id) if message.author_id else None


def _target_or_raise(db_session: Session, session_id: int, seq: int) -> Message:
    target = db_session.exec(
        select(Message).where(Message.session_id == session_id, Message.seq == seq)
    ).first()
    if target is None or target.kind != EventKind.message:
        raise NotFound(f"Bericht {seq} bestaat niet in dit casusoverleg.")
    return target


def edit_message(*, db_session: Session, session_id: int, user: User, seq: int, text: str) -> dict:
    """Edit one's own message within the edit window; the edit is an event of its own, visible to all."""
    check_message_size(text)
    target = _target_or_raise(db_session, session_id, seq)
    if target.author_id != user.id:
        raise Forbidden("U kunt alleen uw eigen berichten bewerken.")
    if target.hidden:
        raise Invalid("Een verborgen bericht kan niet meer worden bewerkt.")
    if utcnow() - as_utc(target.created_at) > timedelta(seconds=EDIT_WINDOW_SECONDS):
        raise Invalid(
            f"Een bericht kan alleen in de eerste {EDIT_WINDOW_SECONDS // 60} minuten worden bewerkt."
        )
    clean = discussion_anonymiser.anonymiser(db_session=db_session, session_id=session_id)(text)
    event, _ = append(
        db_session=db_session,
        session_id=session_id,
        user=user,
        kind=EventKind.edit,
        text=clean,
        target_seq=seq,
    )
    target.text, target.edited_at = clean, utcnow()
    db_session.add(target)
    db_session.flush()
    return event_dict(event, user)


def hide_message(*, db_session: Session, discussion: DiscussionSession, user: User, seq: int) -> dict:
    """The facilitator hides a message: kept in the database, no longer shown; the audit keeps who did it."""
    discussion_service.require_facilitator(discussion=discussion, user=user, doing="berichten verbergen")
    target = _target_or_raise(db_session, discussion.id, seq)
    if target.hidden:
        raise Invalid("Dit bericht is al verborgen.")
    event, _ = append(
        db_session=db_session, session_id=discussion.id, user=user, kind=EventKind.hide, target_seq=seq
    )
    target.hidden = True
    db_session.add(target)
    for edit in db_session.exec(
        select(Message).where(
            Message.session_id == discussion.id, Message.target_seq == seq, Message.kind == EventKind.edit
        )
    ):
        edit.hidden = True  # the edits carried the message's text too: hidden with it
        db_session.add(edit)
    for report in db_session.exec(select(MessageReport).where(MessageReport.message_id == target.id)):
        report.handled = True
        db_session.add(report)
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="message.hide",
        object_type="message",
        object_id=target.id,
        detail=f"session={discussion.id};seq={seq}",
    )
    db_session.flush()
    return event_dict(event, user)


def report_message(*, db_session: Session, session_id: int, user: User, seq: int) -> dict:
    """Report a message to the facilitator; returns what the facilitator is told (no stream event)."""
    target = _target_or_raise(db_session, session_id, seq)
    db_session.add(MessageReport(message_id=target.id, reporter_id=user.id))
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="message.report",
        object_type="message",
        object_id=target.id,
        detail=f"session={session_id};seq={seq}",
    )
    db_session.flush()
    return {"session_id": session_id, "seq": seq, "reporter": user.display_name, "role": user.role.value}


def open_reports(*, db_session: Session, session_id: int) -> list[dict]:
    query = (
        select(Message.seq, User.display_name, User.role)
        .join(MessageReport, col(MessageReport.message_id) == Message.id)
        .join(User, col(User.id) == MessageReport.reporter_id, isouter=True)
        .where(Message.session_id == session_id, col(MessageReport.handled).is_(False))
        .order_by(col(Message.seq))
    )
    return [
        {
            "session_id": session_id,
            "seq": seq,
            "reporter": name or "",
            "role": Role(role).value if role else "",
        }
        for seq, name, role in db_session.exec(query)
    ]


# ---- the room's other events: phase, bottleneck, agreement, domain, hand, assistant, close -------


def change_phase(
    *,
    db_session: Session,
    discussion: DiscussionSession,
    user: User,
    phase: str,
    methods_dir: Path | None = None,
) -> dict:
    """The facilitator moves the discussion to a phase of its method; a planned discussion goes live."""
    discussion_service.require_facilitator(discussion=discussion, user=user, doing="de fase wijzigen")
    step = methods.get_or_raise(discussion.method, methods_dir).phase(phase)
    if step is None:
        raise Invalid(f"Onbekende fase {phase!r} voor deze gespreksmethode.")
    event, _ = append(
        db_session=db_session,
        session_id=discussion.id,
        user=user,
        kind=EventKind.phase,
        text=step.name,
        data={"phase": step.id, "name": step.name, "prompt": step.prompt},
    )
    discussion.phase = step.id
    if discussion.status == SessionStatus.planned:
        discussion.status = SessionStatus.live
    db_session.add(discussion)
    db_session.flush()
    return event_dict(event, user)


def flag_bottleneck(
    *, db_session: Session, discussion: DiscussionSession, user: User, data: BottleneckFlagIn
) -> tuple[dict, bool]:
    """Record a rule bottleneck on the case (through the case service) and in the stream; returns (event,
    created), created=False for a resent client_id (nothing stored again)."""
    resent = _resent(db_session, discussion.id, data.client_id, user)
    if resent is not None:
        return resent, False
    discussion_service.require_open(discussion)
    try:
        fields = BottleneckIn.model_validate(data.model_dump(exclude={"session_id", "client_id"}))
    except ValidationError as exc:
        raise Invalid(_dutch_fields(exc, "Het knelpunt")) from exc
    _check_texts(fields.law, fields.rule, fields.description, fields.workaround)
    case = db_session.get_one(Case, discussion.case_id)
    bottleneck = case_service.add_bottleneck(
        db_session=db_session,
        user=user,
        case=case,
        data=fields,
        anonymise=discussion_anonymiser.anonymiser(db_session=db_session, session_id=discussion.id),
        session_id=discussion.id,
    )
    stored = {
        "bottleneck_id": bottleneck.id,
        "law": bottleneck.law,
        "rule": bottleneck.rule,
        "kind": bottleneck.kind.value,
        "level": bottleneck.level.value if bottleneck.level else None,
        "description": bottleneck.description,
        "delay_days": bottleneck.delay_days,
        "workaround": bottleneck.workaround,
    }
    text = f"Knelpunt: {bottleneck.law} ({KIND_LABELS[bottleneck.kind]})"
    return _record(db_session, discussion, user, EventKind.bottleneck, text, stored, data.client_id)


def record_agreement(
    *, db_session: Session, discussion: DiscussionSession, user: User, data: AgreementIn
) -> tuple[dict, bool]:
    """Record an agreement (action, owner role, due date) on the case and in the stream; returns (event,
    created), created=False for a resent client_id (nothing stored again)."""
    resent = _resent(db_session, discussion.id, data.client_id, user)
    if resent is not None:
        return resent, False
    discussion_service.require_open(discussion)
    _check_texts(data.description)
    case = db_session.get_one(Case, discussion.case_id)
    action = case_service.add_action(
        db_session=db_session,
        user=user,
        case=case,
        data=ActionIn(description=data.description, owner_role=data.owner_role, due_date=data.due_date),
        anonymise=discussion_anonymiser.anonymiser(db_session=db_session, session_id=discussion.id),
        session_id=discussion.id,
    )
    stored = {
        "action_id": action.id,
        "description": action.description,
        "owner_role": action.owner_role.value,
        "due_date": action.due_date,
    }
    text = f"Afspraak: {action.description} (eigenaar: {ROLE_LABELS[action.owner_role]})"
    return _record(db_session, discussion, user, EventKind.agreement, text, stored, data.client_id)


def _record(
    db_session: Session,
    discussion: DiscussionSession,
    user: User,
    kind: EventKind,
    text: str,
    stored: dict,
    client_id: str | None,
) -> tuple[dict, bool]:
    """Append what the room recorded on the case (a bottleneck, an agreement) to the stream: (event, created)."""
    event, created = append(
        db_session=db_session,
        session_id=discussion.id,
        user=user,
        kind=kind,
        text=text,
        data=stored,
        client_id=client_id,
    )
    return event_dict(event, _author(db_session, event, user)), created


def mark_domain(*, db_session: Session, session_id: int, user: User, domain: str) -> dict:
    try:
        name = normalise_domain(domain)
    except UnknownDomain as exc:
        raise Invalid(f"Onbekend leefgebied {exc.value!r}.") from exc
    event, _ = append(
        db_session=db_session,
        session_id=session_id,
        user=user,
        kind=EventKind.domain,
        text=f"Leefgebied besproken: {name}",
        data={"domain": name},
    )
    return event_dict(event, user)


def raise_hand(*, db_session: Session, session_id: int, user: User, raised: bool = True) -> dict:
    text = "steekt een hand op" if raised else "laat de hand zakken"
    event, _ = append(
        db_session=db_session,
        session_id=session_id,
        user=user,
        kind=EventKind.hand,
        text=text,
        data={"raised": raised},
    )
    return event_dict(event, user)


def _check_texts(*texts: str) -> None:
    for text in texts:
        check_message_size(text)


def _dutch_fields(exc: ValidationError, subject: str) -> str:
    fields = sorted({str(error["loc"][0]) for error in exc.errors() if error.get("loc")})
    return f"{subject} is niet compleet of ongeldig: controleer {', '.join(fields) or 'de velden'}."


def switch_assistant(
    *, db_session: Session, discussion: DiscussionSession, user: User, enabled: bool
) -> dict:
    """The facilitator switches the assistant on or off for this discussion; the room hears it as an event."""
    discussion_service.require_facilitator(
        discussion=discussion, user=user, doing="de assistent aan- of uitzetten"
    )
    discussion.assistant_enabled = enabled
    db_session.add(discussion)
    event, _ = append(
        db_session=db_session,
        session_id=discussion.id,
        user=user,
        kind=EventKind.assistant,
        text="De assistent staat aan." if enabled else "De assistent staat uit.",
        data={"enabled": enabled},
    )
    return event_dict(event, user)


def post_assistant_answer(
    *, db_session: Session, session_id: int, answer: Answer, titles: dict[int, str], question_seq: int
) -> dict | None:
    """Store the assistant's answer to the message `question_seq` as a message of role ASSISTANT_ROLE (text
    already anonymised), with what the room shows beside it (skill, backend, notice, the cited cases with
    their `titles`, a draft bottleneck); None when the discussion was closed or the assistant switched off
    meanwhile."""
    discussion = discussion_service.get(db_session=db_session, session_id=session_id)
    if discussion is None or not discussion.assistant_enabled or discussion.status == SessionStatus.closed:
        return None
    check_message_size(answer.text)
    data = {
        "skill": answer.skill,
        "backend": answer.backend,
        "notice": answer.notice,
        "citations": [{"case_id": c, "title": titles.get(c, "")} for c in answer.citations],
        "draft": answer.draft,
    }
    event, _ = append(
        db_session=db_session,
        session_id=session_id,
        user=None,
        kind=EventKind.message,
        text=answer.text,
        data=data,
        target_seq=question_seq,
    )
    return event_dict(event, None)


def close(
    *,
    db_session: Session,
    discussion: DiscussionSession,
    user: User,
    write_draft: Callable[[], str],
) -> dict:
    """Close the session: nothing can be added any more, and `write_draft` writes the draft casebook entry for
    review (chat/flows.py chooses the room's own draft or the assistant's)."""
    discussion_service.require_facilitator(discussion=discussion, user=user, doing="het overleg sluiten")
    if discussion.status == SessionStatus.closed:
        raise discussion_service.DiscussionClosed("Dit casusoverleg is al gesloten.")
    summary = write_draft()
    event, _ = append(
        db_session=db_session,
        session_id=discussion.id,
        user=user,
        kind=EventKind.status,
        text="Het casusoverleg is gesloten.",
        data={"status": "closed"},
    )
    discussion.status, discussion.closed_at, discussion.summary = SessionStatus.closed, utcnow(), summary
    db_session.add(discussion)
    discussion_service.shorten_invitations(
        db_session=db_session,
        discussion=discussion,
        until=discussion.closed_at + timedelta(days=discussion_service.AFTER_CLOSE_DAYS),
    )
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="session.close",
        object_type="session",
        object_id=discussion.id,
    )
    db_session.flush()
    return event_dict(event, user)
