"""Discussions (casusoverleg) on a case: planning one, who takes part and may do what, the invitations and
the case access that comes with them. Plain functions taking a database Session; those that write only flush (the
caller's flow in chat/flows.py commits)."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import and_
from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts import service as account_service
from casebook.accounts.models import User
from casebook.anonymise.roster import check_roster
from casebook.audit import service as audit_service
from casebook.cases import service as case_service
from casebook.cases.models import Case
from casebook.errors import Forbidden, Invalid, NotFound
from casebook.timeutil import as_utc, utcnow
from chat import methods
from chat.discussions.models import (
    DiscussionSession,
    ParticipantRead,
    SessionCreate,
    SessionParticipant,
    SessionRead,
    SessionStatus,
)

INVITATION_DAYS = 30  # default lifetime of an invitation from outside the case's team
MAX_INVITATION_DAYS = 365
AFTER_CLOSE_DAYS = 14  # after closing, invited participants keep reading the transcript and draft this long


class DiscussionClosed(Invalid):
    pass


class NoLongerAllowed(Forbidden):
    """`user` may not take part (any more): the account was deactivated, the invitation was never made, revoked or
    has expired, or the case is out of the user's sight (e.g. moved to another team). A live socket is closed."""

    def __init__(self, detail: str, reason: str):
        super().__init__(detail)
        self.reason = reason  # inactive | not_invited | no_case_access


# ---- planning ---------------------------------------------------------------------------------


def create(
    *, db_session: Session, user: User, data: SessionCreate, methods_dir: Path | None = None
) -> DiscussionSession:
    """Plan a discussion on a case. The creator (coach or manager of the case) is invited and, unless another
    facilitator is named, leads it. Invited users get access to the case so their in-room actions land on it.
    The roster (`data.roster`) is checked here; the flow keeps it (`set_roster`) once the discussion is committed."""
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=data.case_id)
    if not policy.can_edit(db_session=db_session, user=user, case=case):
        raise Forbidden("Alleen een wijkcoach of manager van deze casus kan een casusoverleg plannen.")
    methods.get_or_raise(data.method, methods_dir)
    check_roster(data.roster)
    expires_at = _invitation_expiry(data.invitations_expire_at)
    invited = _resolve_users(db_session=db_session, usernames=data.participants)
    facilitator = (
        _resolve_users(db_session=db_session, usernames=[data.facilitator])[0] if data.facilitator else user
    )
    if not policy.can_facilitate(facilitator):
        raise Invalid("De gespreksleider moet een wijkcoach of manager zijn.")
    discussion = DiscussionSession(case_id=case.id, method=data.method, facilitator_id=facilitator.id)
    db_session.add(discussion)
    db_session.flush()
    for member in {u.id: u for u in [user, facilitator, *invited]}.values():
        # Who sees the case through their team needs no invitation to it; everyone else is invited to the
        # case (read and take part, never edit) for as long as the discussion invitation lasts.
        own_team = policy.through_team(db_session=db_session, user=member, case=case)
        db_session.add(
            SessionParticipant(
                session_id=discussion.id, user_id=member.id, expires_at=None if own_team else expires_at
            )
        )
        if not own_team:
            case_service.invite(db_session=db_session, case=case, user=member, expires_at=expires_at)
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="session.create",
        object_type="session",
        object_id=discussion.id,
        detail=f"case={case.id};participants={len(invited)}",
    )
    db_session.flush()
    return discussion


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


# ---- reading ----------------------------------------------------------------------------------


def get(*, db_session: Session, session_id: int) -> DiscussionSession | None:
    return db_session.get(DiscussionSession, session_id)


def _invited_now(discussion: DiscussionSession):
    """A SELECT of each user invited to `discussion` now, with the invitation's expiry."""
    return (
        select(User, SessionParticipant.expires_at)
        .join(SessionParticipant, col(SessionParticipant.user_id) == User.id)
        .where(
            SessionParticipant.session_id == discussion.id,
            policy.invitation_current_sql(col(SessionParticipant.expires_at)),
        )
    )


def room_readers(*, db_session: Session, discussion: DiscussionSession) -> list[User]:
    """Who reads what is said in the room: the active users invited now. An answer the assistant gives there
    may quote only cases each of them may see, whoever asked."""
    return [user for user, _ in db_session.exec(_invited_now(discussion).where(col(User.is_active)))]


def participants(*, db_session: Session, discussion: DiscussionSession) -> list[ParticipantRead]:
    """Who is invited now (expired invitations left out)."""
    query = _invited_now(discussion).order_by(User.display_name)
    return [
        ParticipantRead(
            username=u.username,
            display_name=u.display_name,
            role=u.role,
            facilitator=u.id == discussion.facilitator_id,
            invitation_expires_at=expires_at,
        )
        for u, expires_at in db_session.exec(query)
    ]


def list_for_case(*, db_session: Session, user: User, case: Case) -> list[DiscussionSession]:
    """The discussions on a case that `user` takes part in, newest first."""
    query = (
        select(DiscussionSession)
        .join(SessionParticipant, col(SessionParticipant.session_id) == DiscussionSession.id)
        .where(
            DiscussionSession.case_id == case.id,
            SessionParticipant.user_id == user.id,
            policy.invitation_current_sql(col(SessionParticipant.expires_at)),
        )
        .order_by(col(DiscussionSession.id).desc())
    )
    return list(db_session.exec(query))


def list_for_user(
    *, db_session: Session, user: User, limit: int = 100
) -> list[tuple[DiscussionSession, Case]]:
    """The discussions `user` was invited to, with their case, open ones first, newest first."""
    query = (
        select(DiscussionSession, Case)
        .join(Case, col(Case.id) == DiscussionSession.case_id)
        .join(SessionParticipant, col(SessionParticipant.session_id) == DiscussionSession.id)
        .where(
            SessionParticipant.user_id == user.id,
            policy.invitation_current_sql(col(SessionParticipant.expires_at)),
        )
        .order_by(col(DiscussionSession.status) == SessionStatus.closed, col(DiscussionSession.id).desc())
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
    *, db_session: Session, discussion: DiscussionSession, methods_dir: Path | None = None
) -> SessionRead:
    method = methods.get(discussion.method, methods_dir)
    return SessionRead(
        id=discussion.id,
        case_id=discussion.case_id,
        method=discussion.method,
        method_name=method.name if method else discussion.method,
        phase=discussion.phase,
        status=discussion.status,
        participants=participants(db_session=db_session, discussion=discussion),
        last_seq=discussion.last_seq,
        created_at=discussion.created_at,
        closed_at=discussion.closed_at,
        published_at=discussion.published_at,
        assistant_enabled=discussion.assistant_enabled,
        transcript_deleted_at=discussion.transcript_deleted_at,
    )


def record_view(*, db_session: Session, user: User, session_id: int) -> None:
    """Who read the discussion (its room, stream or transcript) is in the audit trail."""
    audit_service.record_access(
        db_session=db_session,
        actor_id=user.id,
        action="session.view",
        object_type="session",
        object_id=session_id,
    )


# ---- access -----------------------------------------------------------------------------------


def _load_for(db_session: Session, user_id: int, session_id: int):
    """(discussion, case, user, participation) in one query; user and participation None when absent."""
    query = (
        select(DiscussionSession, Case, User, SessionParticipant)
        .join(Case, col(Case.id) == DiscussionSession.case_id)
        .join(User, col(User.id) == user_id, isouter=True)
        .join(
            SessionParticipant,
            and_(
                col(SessionParticipant.session_id) == DiscussionSession.id,
                col(SessionParticipant.user_id) == user_id,
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
    discussion: DiscussionSession, case: Case, participation: SessionParticipant | None
) -> policy.SessionTarget:
    return policy.SessionTarget(
        case=case,
        facilitator_id=discussion.facilitator_id,
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
    """The discussion and the user's current row, if the user may take part now: active account, an invitation
    that stands, and the case in sight. The room calls this before every event, so rights lost after
    connecting end at the next event; a refusal raises NoLongerAllowed and is written to the audit trail."""
    row = _load_for(db_session, user_id, session_id)
    if row is None:
        raise NotFound("Dit casusoverleg bestaat niet (meer).")
    discussion, case, user, participation = row
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
    return discussion, user


def get_or_raise(*, db_session: Session, user: User, session_id: int) -> DiscussionSession:
    """The discussion, if `user` may take part in it (see `checked`); a refusal is written to the audit trail."""
    return checked(db_session=db_session, user_id=user.id, session_id=session_id)[0]


def refusals(*, db_session: Session, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], NoLongerAllowed]:
    """Of the (session_id, user_id) pairs, those refused now, with why (the room's sweep asks this for every
    socket it holds, in one query); each refusal is audited as `checked` audits one."""
    session_ids, user_ids = {s for s, _ in pairs}, {u for _, u in pairs}
    query = (
        select(DiscussionSession, Case, User, SessionParticipant)
        .join(Case, col(Case.id) == DiscussionSession.case_id)
        .join(User, col(User.id).in_(user_ids))
        .join(
            SessionParticipant,
            and_(
                col(SessionParticipant.session_id) == DiscussionSession.id,
                col(SessionParticipant.user_id) == User.id,
            ),
            isouter=True,
        )
        .where(col(DiscussionSession.id).in_(session_ids))
    )
    found = {
        (discussion.id, user.id): (case, user, participation)
        for discussion, case, user, participation in db_session.exec(query)
        if (discussion.id, user.id) in pairs
    }
    refused = {}
    for pair in pairs:
        case, user, participation = found.get(pair, (None, None, None))  # absent: user or discussion deleted
        refusal = (
            refusal_for(db_session, user, participation, case)
            if case is not None
            else NoLongerAllowed("U heeft geen toegang (meer) tot dit casusoverleg.", "not_invited")
        )
        if refusal is not None:
            refused[pair] = refusal
    for (session_id, user_id), refusal in refused.items():
        audit_service.record(
            db_session=db_session,
            actor_id=user_id,
            action="session.access_denied",
            object_type="session",
            object_id=session_id,
            detail=f"reason={refusal.reason}",
        )
    db_session.flush()
    return refused


def is_facilitator(*, discussion: DiscussionSession, user: User) -> bool:
    return policy.is_facilitator(facilitator_id=discussion.facilitator_id, user=user)


def can_manage(*, db_session: Session, discussion: DiscussionSession, user: User, case: Case) -> bool:
    """`user` may manage `session` (withdraw invitations, publish the entry): policy.can_manage_session."""
    return policy.can_manage_session(
        db_session=db_session, user=user, target=policy_target(discussion, case, None)
    )


def require_facilitator(*, discussion: DiscussionSession, user: User, doing: str) -> None:
    if not is_facilitator(discussion=discussion, user=user):
        raise Forbidden(f"Alleen de gespreksleider mag {doing}.")


def require_open(discussion: DiscussionSession) -> None:
    if discussion.status == SessionStatus.closed:
        raise DiscussionClosed("Dit casusoverleg is gesloten; er kan niets meer bij.")


# ---- invitations ------------------------------------------------------------------------------


def shorten_invitations(*, db_session: Session, discussion: DiscussionSession, until: datetime) -> None:
    """Time-limited invitations to `session` end at `until` at the latest (and so does the case access that
    came with them)."""
    case = db_session.get_one(Case, discussion.case_id)
    for participation in db_session.exec(
        select(SessionParticipant).where(
            SessionParticipant.session_id == discussion.id, col(SessionParticipant.expires_at).is_not(None)
        )
    ):
        if participation.expires_at is not None and as_utc(participation.expires_at) > until:
            participation.expires_at = until
            db_session.add(participation)
            db_session.flush()
            _sync_case_invitation(db_session, case, participation.user_id)


def _sync_case_invitation(db_session: Session, case: Case, user_id: int) -> None:
    """A time-limited invitation to the case lasts as long as the user's longest current discussion invitation
    on it, and ends with the last one."""
    lasting = db_session.exec(
        select(SessionParticipant.expires_at)
        .join(DiscussionSession, col(DiscussionSession.id) == SessionParticipant.session_id)
        .where(
            DiscussionSession.case_id == case.id,
            SessionParticipant.user_id == user_id,
            policy.invitation_current_sql(col(SessionParticipant.expires_at)),
        )
    ).all()
    if any(expires_at is None for expires_at in lasting):
        return
    user = db_session.get_one(User, user_id)
    case_service.limit_invitation(
        db_session=db_session,
        case=case,
        user=user,
        until=max((as_utc(e) for e in lasting if e is not None), default=None),
    )


def revoke_participant(*, db_session: Session, session_id: int, user: User, username: str) -> User:
    """Withdraw `username`'s invitation to the discussion (and the time-limited case access that came with it).
    The facilitator or a coach or manager of the case's own team may; the facilitator cannot be withdrawn.
    Returns the withdrawn user, whose open sockets the caller closes."""
    discussion = get(db_session=db_session, session_id=session_id)
    if discussion is None:
        raise NotFound("Dit casusoverleg bestaat niet (meer).")
    case = db_session.get_one(Case, discussion.case_id)
    if not can_manage(db_session=db_session, discussion=discussion, user=user, case=case):
        raise Forbidden(
            "Alleen de gespreksleider of een wijkcoach of manager van de casus mag een uitnodiging intrekken."
        )
    target = account_service.get_by_username(db_session=db_session, username=username.strip())
    participation = db_session.get(SessionParticipant, (discussion.id, target.id)) if target else None
    if target is None or participation is None:
        raise NotFound("Deze deelnemer is niet uitgenodigd voor dit casusoverleg.")
    if target.id == discussion.facilitator_id:
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
        object_id=discussion.id,
        detail=f"user={target.id}",
    )
    db_session.flush()
    return target
