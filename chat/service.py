"""All logic of the live room. Plain functions taking a Session. Functions that write only flush: the socket
handlers and the HTTP views call chat/flows.py, which commits each action once, then announces it, and the
caller broadcasts what was committed (store first, then broadcast).

The stream of a session is a table of events (`Message` rows) numbered by `seq`. A seq is allocated in the
database (`UPDATE ... SET last_seq = last_seq + 1 ... RETURNING`) inside the transaction that stores the
event, so it stays strictly increasing and gap-free across processes: a rolled-back event rolls its number
back too, and on PostgreSQL the row lock serialises concurrent writers until commit."""

import json
import re
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import and_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts import service as account_service
from casebook.accounts.models import ROLE_LABELS_NL, User
from casebook.anonymise import registry
from casebook.anonymise import service as anonymise_service
from casebook.anonymise.models import AnonymisedText
from casebook.anonymise.registry import pseudonym_registry
from casebook.anonymise.roster import check_roster
from casebook.audit import service as audit_service
from casebook.cases import service as case_service
from casebook.cases.domains import UnknownDomain, normalise_domain
from casebook.cases.labels import KIND_LABELS
from casebook.cases.models import ActionIn, BottleneckIn, Case, CaseUpdate, LifeDomainIn
from casebook.db import database_key, missing_ids
from casebook.errors import CasebookError, Forbidden, Invalid, NotFound, TooLarge
from casebook.timeutil import as_utc, utcnow
from chat import methods
from chat.assistant import skills as assistant_skills
from chat.models import (
    ASSISTANT_NAME,
    ASSISTANT_ROLE,
    CLIENT_ID_PATTERN,
    EDIT_WINDOW_SECONDS,
    MAX_MESSAGE_BYTES,
    MAX_ROSTER_NAMES,
    AgreementIn,
    BottleneckFlagIn,
    DiscussionSession,
    DraftRead,
    EventKind,
    Message,
    MessageReport,
    ParticipantRead,
    SessionCreate,
    SessionParticipant,
    SessionRead,
    SessionStatus,
)

INVITATION_DAYS = 30  # default lifetime of an invitation from outside the case's team
MAX_INVITATION_DAYS = 365
AFTER_CLOSE_DAYS = 14  # after closing, invited participants keep reading the transcript and draft this long


def error_code(exc: CasebookError) -> str:
    """The stable `code` of an `error` event for a domain error."""
    return {NotFound: "not_found", Forbidden: "forbidden", TooLarge: "too_large"}.get(type(exc), "invalid")


class SessionClosed(Invalid):
    pass


# ---- anonymisation: one pseudonym map and roster per session, in memory only -------------------

# Keyed by (database, session id): one process may serve several databases (tests, tools). A roster is
# never dropped to save memory (its names would go unmasked): it leaves with its session (closed past
# retention, or erased with its case). The pseudonym maps live in the shared registry.
_rosters: dict[tuple[str, int], list[str]] = {}
_roster_lock = threading.Lock()


def _roster_key(db_session: Session, session_id: int) -> tuple[str, int]:
    return database_key(db_session.get_bind()), session_id


def set_roster(*, db_session: Session, session_id: int, names: Sequence[str]) -> None:
    """Add names to mask in this session (kept in this process's memory only, never stored); the session's
    whole roster stays within check_roster's bounds."""
    names = check_roster(names)
    key = _roster_key(db_session, session_id)
    with _roster_lock:
        merged = sorted(set(_rosters.get(key, [])) | set(names))
        if len(merged) > MAX_ROSTER_NAMES:
            raise Invalid(
                f"De namenlijst van dit casusoverleg zou {len(merged)} namen tellen; maximaal "
                f"{MAX_ROSTER_NAMES}. Er is niets toegevoegd."
            )
        _rosters[key] = merged


def roster_of(*, db_session: Session, session_id: int) -> list[str]:
    """The names this process masks in the session (the facilitator's roster)."""
    with _roster_lock:
        return list(_rosters.get(_roster_key(db_session, session_id), ()))


def forget_session(*, db_session: Session, session_id: int) -> None:
    """Drop the session's roster and pseudonym map from memory (its transcript is gone)."""
    with _roster_lock:
        _rosters.pop(_roster_key(db_session, session_id), None)
    pseudonym_registry.forget(db_session=db_session, scope=registry.SESSION, object_id=session_id)


def on_case_deleted(*, db_session: Session, case_id: int, **_) -> None:
    """An erased case takes its room sessions with it, and their names must not outlive it in memory."""
    forget_missing_sessions(db_session=db_session)


def forget_missing_sessions(*, db_session: Session) -> None:
    """Drop every roster and pseudonym map this process holds for a session of this database that no longer
    exists: erased with its case here, through another process or by the command line."""
    database = database_key(db_session.get_bind())
    with _roster_lock:
        held = {session_id for (url, session_id) in _rosters if url == database}
    held |= pseudonym_registry.held(db_session=db_session, scope=registry.SESSION)
    for session_id in missing_ids(db_session, DiscussionSession, held):
        forget_session(db_session=db_session, session_id=session_id)


class SessionAnonymiser:
    """A session's anonymiser: the session's roster (read at each call, so names added later count) and its
    pseudonym map, so the same person keeps the same placeholder throughout the stream."""

    def __init__(self, key: tuple[str, int], pseudonyms: anonymise_service.Pseudonyms) -> None:
        self.key, self.pseudonyms = key, pseudonyms

    def __call__(
        self, text: str, where: str = ""
    ) -> str:  # `where` as casebook's anonymisers take it; unused
        return self.read(text).text

    def read(self, text: str) -> AnonymisedText:
        """The anonymised text with what was found where (offsets into `text`), for a reader that releases
        text piece by piece (the assistant's streamed answer) and must not cut inside an identifier."""
        with _roster_lock:
            roster = _rosters.get(self.key, ())
        return anonymise_service.anonymise_text(text, roster=roster, pseudonyms=self.pseudonyms)


def anonymiser(*, db_session: Session, session_id: int) -> SessionAnonymiser:
    """The session's anonymiser; its numbering continues after the placeholders already in the stream."""
    pseudonyms = pseudonym_registry.get(
        db_session=db_session,
        scope=registry.SESSION,
        object_id=session_id,
        stored_texts=lambda: list(
            db_session.exec(select(Message.text).where(Message.session_id == session_id))
        ),
    )
    return SessionAnonymiser(_roster_key(db_session, session_id), pseudonyms)


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


# ---- sessions ----------------------------------------------------------------------------------


def method_or_raise(method_id: str, extra_dir: Path | None = None) -> methods.Method:
    method = methods.get(method_id, extra_dir)
    if method is None:
        known = ", ".join(sorted(methods.all_methods(extra_dir)))
        raise Invalid(f"Onbekende gespreksmethode {method_id!r}. Kies uit: {known}.")
    return method


def create_session(
    *, db_session: Session, user: User, data: SessionCreate, methods_dir: Path | None = None
) -> DiscussionSession:
    """Plan a session on a case. The creator (coach or manager of the case) is invited and, unless another
    facilitator is named, leads it. Invited users get access to the case so their in-room actions land on it.
    The roster (`data.roster`) is checked here; the flow keeps it (`set_roster`) once the session is committed."""
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=data.case_id)
    if not policy.can_edit(db_session=db_session, user=user, case=case):
        raise Forbidden("Alleen een wijkcoach of manager van deze casus kan een casusoverleg plannen.")
    method_or_raise(data.method, methods_dir)
    check_roster(data.roster)
    expires_at = _invitation_expiry(data.invitations_expire_at)
    invited = _resolve_users(db_session=db_session, usernames=data.participants)
    facilitator = (
        _resolve_users(db_session=db_session, usernames=[data.facilitator])[0] if data.facilitator else user
    )
    if not policy.can_facilitate(facilitator):
        raise Invalid("De gespreksleider moet een wijkcoach of manager zijn.")
    session = DiscussionSession(case_id=case.id, method=data.method, facilitator_id=facilitator.id)
    db_session.add(session)
    db_session.flush()
    for member in {u.id: u for u in [user, facilitator, *invited]}.values():
        # Who sees the case through their team needs no invitation to it; everyone else is invited to the
        # case (read and take part, never edit) for as long as the session invitation lasts.
        own_team = policy.through_team(db_session=db_session, user=member, case=case)
        db_session.add(
            SessionParticipant(
                session_id=session.id, user_id=member.id, expires_at=None if own_team else expires_at
            )
        )
        if not own_team:
            case_service.invite(db_session=db_session, case=case, user=member, expires_at=expires_at)
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="session.create",
        object_type="session",
        object_id=session.id,
        detail=f"case={case.id};participants={len(invited)}",
    )
    db_session.flush()
    return session


def _invitation_expiry(requested: datetime | None) -> datetime:
    now = utcnow()
    if requested is None:
        return now + timedelta(days=INVITATION_DAYS)
    requested = as_utc(requested)
    if not now < requested <= now + timedelta(days=MAX_INVITATION_DAYS):
        raise Invalid(f"Een uitnodiging verloopt in de toekomst en binnen {MAX_INVITATION_DAYS} dagen.")
    return requested


def _resolve_users(*, db_session: Session, usernames: Sequence[str]) -> list[User]:
    users = []
    for username in usernames:
        found = account_service.get_by_username(db_session=db_session, username=username.strip())
        if found is None or not found.is_active:
            raise Invalid(f"Onbekende deelnemer: {username!r}.")
        users.append(found)
    return users


def get(*, db_session: Session, session_id: int) -> DiscussionSession | None:
    return db_session.get(DiscussionSession, session_id)


class NoLongerAllowed(Forbidden):
    """`user` may not take part (any more): the account was deactivated, the invitation was never made, revoked or
    has expired, or the case is out of the user's sight (e.g. moved to another team). A live socket is closed."""

    def __init__(self, detail: str, reason: str):
        super().__init__(detail)
        self.reason = reason  # inactive | not_invited | no_case_access


def _load_for(db_session: Session, user_id: int, session_id: int):
    """(session, case, user, participation) in one query; user and participation None when absent."""
    query = (
        select(DiscussionSession, Case, User, SessionParticipant)
        .join(Case, Case.id == DiscussionSession.case_id)
        .join(User, User.id == user_id, isouter=True)
        .join(
            SessionParticipant,
            and_(
                SessionParticipant.session_id == DiscussionSession.id, SessionParticipant.user_id == user_id
            ),
            isouter=True,
        )
        .where(DiscussionSession.id == session_id)
    )
    return db_session.exec(query).first()


REFUSALS = {
    "inactive": "Uw account is niet (meer) actief.",
    "not_invited": "U bent niet uitgenodigd voor dit casusoverleg (of uw uitnodiging is ingetrokken of verlopen).",
    "no_case_access": "U heeft geen toegang (meer) tot de casus van dit casusoverleg.",
}


def policy_target(
    session: DiscussionSession, case: Case, participation: SessionParticipant | None
) -> policy.SessionTarget:
    return policy.SessionTarget(
        case=case,
        facilitator_id=session.facilitator_id,
        invited=participation is not None,
        invitation_expires_at=participation.expires_at if participation else None,
    )


def refusal_for(
    db_session: Session, user: User | None, participation: SessionParticipant | None, case: Case
) -> NoLongerAllowed | None:
    """Why `user` may not take part now (None: they may), as policy.session_refusal decides; `checked` and the
    room's sweep both ask this."""
    target = policy.SessionTarget(
        case=case,
        facilitator_id=None,
        invited=participation is not None,
        invitation_expires_at=participation.expires_at if participation else None,
    )
    reason = policy.session_refusal(db_session=db_session, user=user, target=target)
    return NoLongerAllowed(REFUSALS[reason], reason) if reason else None


def _load_target(db_session: Session, user: User, session_id: int) -> policy.SessionTarget | None:
    row = _load_for(db_session, user.id, session_id)
    return policy_target(row[0], row[1], row[3]) if row else None


policy.register_session_loader(_load_target)


def checked(*, db_session: Session, user_id: int, session_id: int) -> tuple[DiscussionSession, User]:
    """The session and the user's current row, if the user may take part now: active account, an invitation
    that stands, and the case in sight. The room calls this before every event, so rights lost after
    connecting end at the next event; a refusal raises NoLongerAllowed and is written to the audit trail."""
    row = _load_for(db_session, user_id, session_id)
    if row is None:
        raise NotFound("Dit casusoverleg bestaat niet (meer).")
    session, case, user, participation = row
    refusal = refusal_for(db_session, user, participation, case)
    if refusal is not None:
        audit_service.record_refusal(
            db_session=db_session,
            actor_id=user.id if user else None,
            action="session.access_denied",
            object_type="session",
            object_id=session_id,
            detail=f"reason={refusal.reason}",
        )
        raise refusal
    return session, user


def get_or_raise(*, db_session: Session, user: User, session_id: int) -> DiscussionSession:
    """The session, if `user` may take part in it (see `checked`); a refusal is written to the audit trail."""
    return checked(db_session=db_session, user_id=user.id, session_id=session_id)[0]


def is_facilitator(*, session: DiscussionSession, user: User) -> bool:
    return policy.is_facilitator(facilitator_id=session.facilitator_id, user=user)


def can_manage(*, db_session: Session, session: DiscussionSession, user: User, case: Case) -> bool:
    """`user` may manage `session` (withdraw invitations, publish the entry): policy.can_manage_session."""
    return policy.can_manage_session(
        db_session=db_session, user=user, target=policy_target(session, case, None)
    )


def require_facilitator(*, session: DiscussionSession, user: User, doing: str) -> None:
    if not is_facilitator(session=session, user=user):
        raise Forbidden(f"Alleen de gespreksleider mag {doing}.")


def participants(*, db_session: Session, session: DiscussionSession) -> list[ParticipantRead]:
    """Who is invited now (expired invitations left out)."""
    query = (
        select(User, SessionParticipant.expires_at)
        .join(SessionParticipant, SessionParticipant.user_id == User.id)
        .where(
            SessionParticipant.session_id == session.id,
            policy.invitation_current_sql(SessionParticipant.expires_at),
        )
        .order_by(User.display_name)
    )
    return [
        ParticipantRead(
            username=u.username,
            display_name=u.display_name,
            role=u.role,
            facilitator=u.id == session.facilitator_id,
            invitation_expires_at=expires_at,
        )
        for u, expires_at in db_session.exec(query)
    ]


def list_for_case(*, db_session: Session, user: User, case: Case) -> list[DiscussionSession]:
    """The sessions on a case that `user` takes part in, newest first."""
    query = (
        select(DiscussionSession)
        .join(SessionParticipant, SessionParticipant.session_id == DiscussionSession.id)
        .where(
            DiscussionSession.case_id == case.id,
            SessionParticipant.user_id == user.id,
            policy.invitation_current_sql(SessionParticipant.expires_at),
        )
        .order_by(col(DiscussionSession.id).desc())
    )
    return list(db_session.exec(query))


def list_for_user(
    *, db_session: Session, user: User, limit: int = 100
) -> list[tuple[DiscussionSession, Case]]:
    """The sessions `user` was invited to, with their case, open ones first, newest first."""
    query = (
        select(DiscussionSession, Case)
        .join(Case, Case.id == DiscussionSession.case_id)
        .join(SessionParticipant, SessionParticipant.session_id == DiscussionSession.id)
        .where(
            SessionParticipant.user_id == user.id,
            policy.invitation_current_sql(SessionParticipant.expires_at),
        )
        .order_by(DiscussionSession.status == SessionStatus.closed, col(DiscussionSession.id).desc())
        .limit(limit)
    )
    return list(db_session.exec(query))


def published_for_case(*, db_session: Session, case: Case) -> list[DiscussionSession]:
    query = (
        select(DiscussionSession)
        .where(DiscussionSession.case_id == case.id, col(DiscussionSession.published_at).is_not(None))
        .order_by(col(DiscussionSession.published_at).desc())
    )
    return list(db_session.exec(query))


def to_read(
    *, db_session: Session, session: DiscussionSession, methods_dir: Path | None = None
) -> SessionRead:
    method = methods.get(session.method, methods_dir)
    return SessionRead(
        id=session.id,
        case_id=session.case_id,
        method=session.method,
        method_name=method.name if method else session.method,
        phase=session.phase,
        status=session.status,
        participants=participants(db_session=db_session, session=session),
        last_seq=session.last_seq,
        created_at=session.created_at,
        closed_at=session.closed_at,
        published_at=session.published_at,
        assistant_enabled=session.assistant_enabled,
        transcript_deleted_at=session.transcript_deleted_at,
    )


# ---- the stream --------------------------------------------------------------------------------


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
    *, db_session: Session, session_id: int, after_seq: int = 0, limit: int | None = None
) -> list[dict]:
    """The stream after `after_seq` (join replay, the messages API, the transcript). The target of each event
    is joined in, so an edit of a hidden message is blanked even if it was stored before its target was hidden."""
    target = aliased(Message)
    query = (
        select(Message, User, target.hidden)
        .join(User, User.id == Message.author_id, isouter=True)
        .join(
            target,
            and_(target.session_id == Message.session_id, target.seq == Message.target_seq),
            isouter=True,
        )
        .where(Message.session_id == session_id, Message.seq > after_seq)
        .order_by(Message.seq)
    )
    if limit:
        query = query.limit(limit)
    return [
        event_dict(message, author, bool(target_hidden))
        for message, author, target_hidden in db_session.exec(query)
    ]


def _allocate_seq(db_session: Session, session_id: int, allow_closed: bool = False) -> int:
    statement = (
        update(DiscussionSession)
        .where(DiscussionSession.id == session_id)
        .values(last_seq=DiscussionSession.last_seq + 1)
        .returning(DiscussionSession.last_seq)
    )
    if not allow_closed:
        statement = statement.where(DiscussionSession.status != SessionStatus.closed)
    seq = db_session.connection().execute(statement).scalar_one_or_none()
    if seq is None:
        raise SessionClosed("Dit casusoverleg is gesloten; er kan niets meer bij.")
    return seq


def _by_client_id(db_session: Session, session_id: int, client_id: str | None) -> Message | None:
    if not client_id:
        return None
    return db_session.exec(
        select(Message).where(Message.session_id == session_id, Message.client_id == client_id)
    ).first()


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


def post_message(
    *, db_session: Session, session_id: int, user: User, text: str, client_id: str | None = None
) -> tuple[dict, bool]:
    """Anonymise and store a chat message; returns (event, created)."""
    check_client_id(client_id)
    check_message_size(text)
    if not text.strip():
        raise Invalid("Een leeg bericht wordt niet verstuurd.")
    existing = _by_client_id(db_session, session_id, client_id)
    if existing is not None:
        return event_dict(existing, _author(db_session, existing, user)), False
    address, question = assistant_skills.split_address(text)  # "@assistent" is no name to mask
    clean = address + anonymiser(db_session=db_session, session_id=session_id)(question)
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
    clean = anonymiser(db_session=db_session, session_id=session_id)(text)
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


def hide_message(*, db_session: Session, session: DiscussionSession, user: User, seq: int) -> dict:
    """The facilitator hides a message: kept in the database, no longer shown; the audit keeps who did it."""
    require_facilitator(session=session, user=user, doing="berichten verbergen")
    target = _target_or_raise(db_session, session.id, seq)
    if target.hidden:
        raise Invalid("Dit bericht is al verborgen.")
    event, _ = append(
        db_session=db_session, session_id=session.id, user=user, kind=EventKind.hide, target_seq=seq
    )
    target.hidden = True
    db_session.add(target)
    for edit in db_session.exec(
        select(Message).where(
            Message.session_id == session.id, Message.target_seq == seq, Message.kind == EventKind.edit
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
        detail=f"session={session.id};seq={seq}",
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
        .join(MessageReport, MessageReport.message_id == Message.id)
        .join(User, User.id == MessageReport.reporter_id, isouter=True)
        .where(Message.session_id == session_id, col(MessageReport.handled).is_(False))
        .order_by(Message.seq)
    )
    return [
        {"session_id": session_id, "seq": seq, "reporter": name or "", "role": role.value if role else ""}
        for seq, name, role in db_session.exec(query)
    ]


def change_phase(
    *,
    db_session: Session,
    session: DiscussionSession,
    user: User,
    phase: str,
    methods_dir: Path | None = None,
) -> dict:
    """The facilitator moves the session to a phase of its method; a planned session goes live."""
    require_facilitator(session=session, user=user, doing="de fase wijzigen")
    step = method_or_raise(session.method, methods_dir).phase(phase)
    if step is None:
        raise Invalid(f"Onbekende fase {phase!r} voor deze gespreksmethode.")
    event, _ = append(
        db_session=db_session,
        session_id=session.id,
        user=user,
        kind=EventKind.phase,
        text=step.name,
        data={"phase": step.id, "name": step.name, "prompt": step.prompt},
    )
    session.phase = step.id
    if session.status == SessionStatus.planned:
        session.status = SessionStatus.live
    db_session.add(session)
    db_session.flush()
    return event_dict(event, user)


def require_open(session: DiscussionSession) -> None:
    if session.status == SessionStatus.closed:
        raise SessionClosed("Dit casusoverleg is gesloten; er kan niets meer bij.")


def flag_bottleneck(
    *, db_session: Session, session: DiscussionSession, user: User, data: BottleneckFlagIn
) -> tuple[dict, bool]:
    """Record a rule bottleneck on the case (through the case service) and in the stream; returns (event,
    created), created=False for a resent client_id (nothing stored again)."""
    existing = _by_client_id(db_session, session.id, data.client_id)
    if existing is not None:
        return event_dict(existing, _author(db_session, existing, user)), False
    require_open(session)
    try:
        fields = BottleneckIn.model_validate(data.model_dump(exclude={"session_id", "client_id"}))
    except ValidationError as exc:
        raise Invalid(_dutch_fields(exc, "Het knelpunt")) from exc
    _check_texts(fields.law, fields.rule, fields.description, fields.workaround)
    case = db_session.get(Case, session.case_id)
    bottleneck = case_service.add_bottleneck(
        db_session=db_session,
        user=user,
        case=case,
        data=fields,
        anonymise=anonymiser(db_session=db_session, session_id=session.id),
        session_id=session.id,
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
    event, created = append(
        db_session=db_session,
        session_id=session.id,
        user=user,
        kind=EventKind.bottleneck,
        text=text,
        data=stored,
        client_id=data.client_id,
    )
    return event_dict(event, _author(db_session, event, user)), created


def record_agreement(
    *, db_session: Session, session: DiscussionSession, user: User, data: AgreementIn
) -> tuple[dict, bool]:
    """Record an agreement (action, owner role, due date) on the case and in the stream; returns (event,
    created), created=False for a resent client_id (nothing stored again)."""
    existing = _by_client_id(db_session, session.id, data.client_id)
    if existing is not None:
        return event_dict(existing, _author(db_session, existing, user)), False
    require_open(session)
    _check_texts(data.description)
    case = db_session.get(Case, session.case_id)
    action = case_service.add_action(
        db_session=db_session,
        user=user,
        case=case,
        data=ActionIn(description=data.description, owner_role=data.owner_role, due_date=data.due_date),
        anonymise=anonymiser(db_session=db_session, session_id=session.id),
        session_id=session.id,
    )
    stored = {
        "action_id": action.id,
        "description": action.description,
        "owner_role": action.owner_role.value,
        "due_date": action.due_date,
    }
    text = f"Afspraak: {action.description} (eigenaar: {ROLE_LABELS_NL[action.owner_role]})"
    event, created = append(
        db_session=db_session,
        session_id=session.id,
        user=user,
        kind=EventKind.agreement,
        text=text,
        data=stored,
        client_id=data.client_id,
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


def switch_assistant(*, db_session: Session, session: DiscussionSession, user: User, enabled: bool) -> dict:
    """The facilitator switches the assistant on or off for this session; the room hears it as an event."""
    require_facilitator(session=session, user=user, doing="de assistent aan- of uitzetten")
    session.assistant_enabled = enabled
    db_session.add(session)
    event, _ = append(
        db_session=db_session,
        session_id=session.id,
        user=user,
        kind=EventKind.assistant,
        text="De assistent staat aan." if enabled else "De assistent staat uit.",
        data={"enabled": enabled},
    )
    return event_dict(event, user)


def post_assistant_answer(
    *, db_session: Session, session_id: int, text: str, data: dict, question_seq: int
) -> dict | None:
    """Store the assistant's answer to the message `question_seq` as a message of role ASSISTANT_ROLE (text
    already anonymised); None when the session was closed or the assistant switched off meanwhile."""
    session = get(db_session=db_session, session_id=session_id)
    if session is None or not session.assistant_enabled or session.status == SessionStatus.closed:
        return None
    check_message_size(text)
    event, _ = append(
        db_session=db_session,
        session_id=session_id,
        user=None,
        kind=EventKind.message,
        text=text,
        data=data,
        target_seq=question_seq,
    )
    return event_dict(event, None)


# ---- closing and the draft casebook entry -----------------------------------------------------


def close_session(
    *,
    db_session: Session,
    session: DiscussionSession,
    user: User,
    methods_dir: Path | None = None,
    write_draft: Callable[[], str] | None = None,
) -> dict:
    """Close the session: nothing can be added any more and a draft casebook entry is written for review:
    by `write_draft` when given (the assistant's, see chat/flows.py), else `draft_summary`."""
    require_facilitator(session=session, user=user, doing="het overleg sluiten")
    if session.status == SessionStatus.closed:
        raise SessionClosed("Dit casusoverleg is al gesloten.")
    summary = (
        write_draft()
        if write_draft
        else draft_summary(db_session=db_session, session=session, methods_dir=methods_dir)
    )
    event, _ = append(
        db_session=db_session,
        session_id=session.id,
        user=user,
        kind=EventKind.status,
        text="Het casusoverleg is gesloten.",
        data={"status": "closed"},
    )
    session.status, session.closed_at, session.summary = SessionStatus.closed, utcnow(), summary
    db_session.add(session)
    _shorten_invitations(db_session, session, until=session.closed_at + timedelta(days=AFTER_CLOSE_DAYS))
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="session.close",
        object_type="session",
        object_id=session.id,
    )
    db_session.flush()
    return event_dict(event, user)


def _shorten_invitations(db_session: Session, session: DiscussionSession, until: datetime) -> None:
    """Time-limited invitations to `session` end at `until` at the latest (and so does the case access that
    came with them)."""
    case = db_session.get(Case, session.case_id)
    for participation in db_session.exec(
        select(SessionParticipant).where(
            SessionParticipant.session_id == session.id, col(SessionParticipant.expires_at).is_not(None)
        )
    ):
        if as_utc(participation.expires_at) > until:
            participation.expires_at = until
            db_session.add(participation)
            db_session.flush()
            _sync_case_invitation(db_session, case, participation.user_id)


def _sync_case_invitation(db_session: Session, case: Case, user_id: int) -> None:
    """A time-limited invitation to the case lasts as long as the user's longest current session invitation
    on it, and ends with the last one."""
    lasting = db_session.exec(
        select(SessionParticipant.expires_at)
        .join(DiscussionSession, DiscussionSession.id == SessionParticipant.session_id)
        .where(
            DiscussionSession.case_id == case.id,
            SessionParticipant.user_id == user_id,
            policy.invitation_current_sql(SessionParticipant.expires_at),
        )
    ).all()
    if any(expires_at is None for expires_at in lasting):
        return
    user = db_session.get(User, user_id)
    case_service.limit_invitation(
        db_session=db_session, case=case, user=user, until=max((as_utc(e) for e in lasting), default=None)
    )


def revoke_participant(*, db_session: Session, session_id: int, user: User, username: str) -> User:
    """Withdraw `username`'s invitation to the session (and the time-limited case access that came with it).
    The facilitator or a coach or manager of the case's own team may; the facilitator cannot be withdrawn.
    Returns the withdrawn user, whose open sockets the caller closes."""
    session = get(db_session=db_session, session_id=session_id)
    if session is None:
        raise NotFound("Dit casusoverleg bestaat niet (meer).")
    case = db_session.get(Case, session.case_id)
    if not can_manage(db_session=db_session, session=session, user=user, case=case):
        raise Forbidden(
            "Alleen de gespreksleider of een wijkcoach of manager van de casus mag een uitnodiging intrekken."
        )
    target = account_service.get_by_username(db_session=db_session, username=username.strip())
    participation = db_session.get(SessionParticipant, (session.id, target.id)) if target else None
    if participation is None:
        raise NotFound("Deze deelnemer is niet uitgenodigd voor dit casusoverleg.")
    if target.id == session.facilitator_id:
        raise Invalid(
            "De gespreksleider kan niet worden uitgeschreven; wijs eerst een andere gespreksleider aan."
        )
    db_session.delete(participation)
    db_session.flush()
    _sync_case_invitation(db_session, case, target.id)
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="session.revoke",
        object_type="session",
        object_id=session.id,
        detail=f"user={target.id}",
    )
    db_session.flush()
    return target


def _events_of(db_session: Session, session_id: int, kind: EventKind) -> list[Message]:
    query = select(Message).where(
        Message.session_id == session_id, Message.kind == kind, col(Message.hidden).is_(False)
    )
    return list(db_session.exec(query.order_by(Message.seq)))


def draft(*, db_session: Session, session: DiscussionSession) -> DraftRead:
    domains = list(
        dict.fromkeys(
            json.loads(m.data)["domain"] for m in _events_of(db_session, session.id, EventKind.domain)
        )
    )
    return DraftRead(
        session_id=session.id,
        summary=session.summary,
        domains=domains,
        bottlenecks=[json.loads(m.data) for m in _events_of(db_session, session.id, EventKind.bottleneck)],
        agreements=[json.loads(m.data) for m in _events_of(db_session, session.id, EventKind.agreement)],
        published=session.published_at is not None,
    )


def draft_summary(*, db_session: Session, session: DiscussionSession, methods_dir: Path | None = None) -> str:
    """An extractive draft built from the (already anonymised) stream: phases, domains, bottlenecks,
    agreements and the longest contribution per phase. The coach edits it before publishing."""
    method = methods.get(session.method, methods_dir)
    current = draft(db_session=db_session, session=session)
    roles = sorted({ROLE_LABELS_NL[p.role] for p in participants(db_session=db_session, session=session)})
    lines = [
        f"Casusoverleg van {utcnow():%d-%m-%Y} volgens {method.name if method else session.method}.",
        f"Deelnemers: {', '.join(roles)}.",
    ]
    for phase_name, text in key_contributions(db_session=db_session, session_id=session.id):
        lines.append(f"- {phase_name}: {text}")
    if current.domains:
        lines.append(f"Besproken leefgebieden: {', '.join(current.domains)}.")
    for b in current.bottlenecks:
        lines.append(
            f"Knelpunt: {b['law']} ({KIND_LABELS.get(b['kind'], b['kind'])}){': ' + b['description'] if b['description'] else ''}"
        )
    for a in current.agreements:
        due = f", vóór {a['due_date']}" if a.get("due_date") else ""
        lines.append(
            f"Afspraak: {a['description']} (eigenaar: {ROLE_LABELS_NL.get(a['owner_role'], a['owner_role'])}{due})"
        )
    return "\n".join(lines)


def key_contributions(*, db_session: Session, session_id: int) -> list[tuple[str, str]]:
    """(phase name, the longest participant's message in it) per phase, in order; the assistant's own
    messages are no contributions."""
    stream = db_session.exec(
        select(Message)
        .where(
            Message.session_id == session_id,
            col(Message.hidden).is_(False),
            col(Message.kind).in_([EventKind.phase, EventKind.message]),
            Message.author_role != ASSISTANT_ROLE,
        )
        .order_by(Message.seq)
    )
    longest: dict[str, str] = {}
    phase = "Voor de eerste fase"
    for message in stream:
        if message.kind == EventKind.phase:
            phase = message.text
        elif len(message.text) > len(longest.get(phase, "")):
            longest[phase] = " ".join(message.text.split())[:400]
    return list(longest.items())


class AlreadyPublished(CasebookError):
    """A published casebook entry is final: publishing again conflicts with it (409)."""

    status_code = 409


def _already_published(session: DiscussionSession) -> str:
    when = f" op {as_utc(session.published_at):%d-%m-%Y}" if session.published_at else ""
    return (
        f"Dit verslag is al gepubliceerd{when} en kan niet meer worden overschreven. Er is niets gewijzigd."
    )


def publish(
    *, db_session: Session, session: DiscussionSession, user: User, summary: str | None = None
) -> DiscussionSession:
    """The coach publishes the reviewed entry onto the case: the summary is kept with the session (shown on
    the case). The flow then marks the life domains discussed as addressed (`mark_domains_addressed`)."""
    case = db_session.get(Case, session.case_id)
    if session.status != SessionStatus.closed:
        raise Invalid("Sluit het casusoverleg eerst; daarna kunt u het verslag publiceren.")
    if not can_manage(db_session=db_session, session=session, user=user, case=case):
        raise Forbidden("Alleen de gespreksleider of een wijkcoach van de casus mag het verslag publiceren.")
    if session.published_at is not None:
        raise AlreadyPublished(_already_published(session))
    text = session.summary
    if summary is not None:
        _check_texts(summary)
        text = anonymiser(db_session=db_session, session_id=session.id)(summary)
    # Only the first publication writes (checked in the UPDATE itself, so two at once cannot both win).
    written = (
        db_session.connection()
        .execute(
            update(DiscussionSession)
            .where(DiscussionSession.id == session.id, col(DiscussionSession.published_at).is_(None))
            .values(summary=text, published_at=utcnow())
        )
        .rowcount
    )
    db_session.refresh(session)  # what is stored now (the UPDATE went around the session object)
    if written != 1:
        raise AlreadyPublished(_already_published(session))
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="session.publish",
        object_type="session",
        object_id=session.id,
    )
    db_session.flush()
    return session


def mark_domains_addressed(*, db_session: Session, session: DiscussionSession, user: User) -> bool:
    """Mark the life domains discussed in the session as addressed on its case, if `user` may edit the case.
    Returns whether the case changed."""
    domains = draft(db_session=db_session, session=session).domains
    case = db_session.get(Case, session.case_id)
    if not domains or not policy.can_edit(db_session=db_session, user=user, case=case):
        return False
    read = case_service.to_read(db_session=db_session, case=case)
    entries = {e.domain: LifeDomainIn(**e.model_dump()) for e in read.life_domains}
    for domain in domains:
        entry = entries.get(domain) or LifeDomainIn(domain=domain)
        entries[domain] = entry.model_copy(update={"addressed": True})
    case_service.update(
        db_session=db_session, user=user, case=case, data=CaseUpdate(life_domains=list(entries.values()))
    )
    return True
