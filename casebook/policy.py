"""Every access decision in one place: who may see and change which case, who may take part in a case
discussion, who manages bottlenecks, who administers. Views, the API, search, the room's events and the
audit pages ask here; nothing else decides.

Signing in (casebook/deps.py) and the room (`session_refusal`) refuse an inactive account; the rules below
judge the role, teams and invitations of whoever got that far (the command line acts as an inactive admin).

Need-to-know: a team's coaches and managers see its cases; providers and partners only the cases they were
invited to; admins and team-less managers see all. An invitation (CaseParticipant) lets a user see a case,
never change it, and lasts until its `expires_at` (None: until it is withdrawn).

Every route declares its rule with `@policy.rule(Rule.…)` on its endpoint, and `enforce` (an app-wide
dependency) applies it before the request body is even read: a route without a declared rule is refused,
and tests/casebook/test_access_matrix.py fails, so a new endpoint cannot be open by accident. Rules on an
object (a case, a session, a bottleneck) take it from the path; the view then reads it through the same
functions, so the rule holds twice, never in two versions. The room's events are declared in
`SOCKET_EVENTS` and checked by chat on every event (chat.discussions.service.checked calls `session_refusal`)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from fastapi import Request
from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from casebook.accounts import service as account_service
from casebook.accounts.models import Role, User, UserTeam
from casebook.audit import service as audit_service
from casebook.cases.models import Bottleneck, Case, CaseParticipant
from casebook.deps import LoginRequired, OptionalUser, SessionDep
from casebook.errors import Forbidden
from casebook.i18n import gettext
from casebook.timeutil import as_utc, utcnow

TEAM_ROLES = {Role.coach, Role.manager}
EDIT_ROLES = {Role.coach, Role.manager, Role.admin}
MANAGEMENT_ROLES = {Role.manager, Role.admin}
FACILITATOR_ROLES = {Role.coach, Role.manager}


class Rule(StrEnum):
    """What a route or room event requires. Object rules take the object from the path parameter named."""

    public = "public"  # anyone, signed in or not
    signed_in = "signed_in"  # any active user; what they get is limited to what they may see
    case_creator = "case_creator"  # may create cases (coach, manager, admin)
    case_viewer = "case_viewer"  # {case_id}: may see the case
    case_editor = "case_editor"  # {case_id}: may change or erase the case
    session_member = "session_member"  # {session_id}: invited now, and the case in sight
    session_manager = "session_manager"  # {session_id}: its facilitator, or who may change its case
    facilitator = "facilitator"  # room events only the session's facilitator may send
    management = "management"  # managers and admins (what they then see is limited to their cases)
    bottleneck_viewer = "bottleneck_viewer"  # {bottleneck_id}: the bottleneck's case in sight
    bottleneck_manager = (
        "bottleneck_manager"  # {bottleneck_id}: management, and the bottleneck's case in sight
    )
    admin = "admin"  # administrators only


ACCESS_RULE = "__access_rule__"

#: Every Socket.IO event the room handles (chat/realtime.py) and its rule; the matrix fails on an event
#: missing here. Facilitator events also need session membership.
SOCKET_EVENTS: dict[str, Rule] = {
    "connect": Rule.signed_in,
    "disconnect": Rule.public,
    "join": Rule.session_member,
    "message": Rule.session_member,
    "flag_bottleneck": Rule.session_member,
    "edit": Rule.session_member,
    "report": Rule.session_member,
    "agreement": Rule.session_member,
    "domain": Rule.session_member,
    "hand": Rule.session_member,
    "phase": Rule.facilitator,
    "hide": Rule.facilitator,
    "roster": Rule.facilitator,
    "close": Rule.facilitator,
    "assistant": Rule.facilitator,  # switch the room's assistant on or off
}


#: Routes that are not endpoints (files, the OpenAPI document): open to anyone, like Rule.public.
PUBLIC_PATHS = frozenset({"/static", "/docs/assets", "/openapi.json"})


def rule(required: Rule) -> Callable:
    """Declare the rule of a route: put it on the endpoint function (under the router decorator)."""

    def declare(endpoint: Callable) -> Callable:
        setattr(endpoint, ACCESS_RULE, required)
        return endpoint

    return declare


def rule_of(endpoint: Callable | None) -> Rule | None:
    return getattr(endpoint, ACCESS_RULE, None)


# ---- invitations ---------------------------------------------------------------------------------


def invitation_current(expires_at: datetime | None, now: datetime | None = None) -> bool:
    """An invitation (to a case or a session) expiring at `expires_at` (None: never) still stands at `now`
    (default: the current time)."""
    return expires_at is None or as_utc(expires_at) > (now or utcnow())


def invitation_current_sql(
    expires_at: Mapped[datetime | None], now: datetime | None = None
) -> ColumnElement[bool]:
    """`invitation_current` as a SQL condition on an `expires_at` column."""
    return or_(col(expires_at).is_(None), col(expires_at) > (now or utcnow()))


def invited_case_ids(*, user: User):
    """A SELECT of the ids of the cases `user` holds a current invitation to."""
    return select(CaseParticipant.case_id).where(
        CaseParticipant.user_id == user.id, invitation_current_sql(col(CaseParticipant.expires_at))
    )


# ---- cases ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visibility:
    """Which cases a user may see: every case (`all_teams`), or those of `team_ids` and those in `invited`
    (a SELECT of case ids: current invitations)."""

    all_teams: bool
    team_ids: tuple[int, ...] = ()
    invited: Any = None


def visibility(*, db_session: Session, user: User) -> Visibility:
    if account_service.oversees_all_teams(db_session=db_session, user=user):
        return Visibility(all_teams=True)
    teams = account_service.team_ids(db_session=db_session, user=user) if user.role in TEAM_ROLES else set()
    return Visibility(all_teams=False, team_ids=tuple(sorted(teams)), invited=invited_case_ids(user=user))


def visible_filter(*, db_session: Session, user: User):
    """A SQL condition on Case selecting exactly the cases `user` may see (None: no restriction)."""
    seen = visibility(db_session=db_session, user=user)
    if seen.all_teams:
        return None
    conditions = [col(Case.id).in_(seen.invited)]
    if seen.team_ids:
        conditions.append(col(Case.team_id).in_(seen.team_ids))
    return or_(*conditions)


def through_team(*, db_session: Session, user: User, case: Case) -> bool:
    """`user` sees `case` by role and team (not by an invitation)."""
    if account_service.oversees_all_teams(db_session=db_session, user=user):
        return True
    return user.role in TEAM_ROLES and case.team_id in account_service.team_ids(
        db_session=db_session, user=user
    )


def can_view(*, db_session: Session, user: User, case: Case) -> bool:
    if through_team(db_session=db_session, user=user, case=case):
        return True
    participant = db_session.get(CaseParticipant, (case.id, user.id))
    return participant is not None and invitation_current(participant.expires_at)


def readers(*, db_session: Session, case: Case) -> list[User]:
    """Everyone who may read what is written into `case` now: the active coaches and managers of its team and
    the active users invited to it. Who oversees every team is left out, as they see every case anyway. What
    one writes for all of them to read (a draft casebook entry) may quote only cases each of them may see."""
    team = (
        select(User)
        .join(UserTeam, col(UserTeam.user_id) == User.id)
        .where(UserTeam.team_id == case.team_id, col(User.role).in_(TEAM_ROLES), User.is_active)
    )
    invited = (
        select(User)
        .join(CaseParticipant, col(CaseParticipant.user_id) == User.id)
        .where(
            CaseParticipant.case_id == case.id,
            invitation_current_sql(col(CaseParticipant.expires_at)),
            User.is_active,
        )
    )
    found = {u.id: u for query in (team, invited) for u in db_session.exec(query)}
    return list(found.values())


def all_can_view(*, db_session: Session, users: Sequence[User], case: Case) -> bool:
    return all(can_view(db_session=db_session, user=user, case=case) for user in users)


def can_edit(*, db_session: Session, user: User, case: Case) -> bool:
    """Change or delete the case: its own team's coaches and managers, and who oversees all teams. Never
    through an invitation (the creator's own invitation row included)."""
    return user.role in EDIT_ROLES and through_team(db_session=db_session, user=user, case=case)


def can_create_cases(user: User) -> bool:
    return user.role in EDIT_ROLES


def can_create_in_team(*, db_session: Session, user: User, team_id: int) -> bool:
    if not can_create_cases(user):
        return False
    if account_service.oversees_all_teams(db_session=db_session, user=user):
        return True
    return team_id in account_service.team_ids(db_session=db_session, user=user)


# ---- case discussions (the room) ---------------------------------------------------------------------


@dataclass(frozen=True)
class SessionTarget:
    """What the session rules need to know of a session and one user's invitation to it."""

    case: Case
    facilitator_id: int | None
    invited: bool
    invitation_expires_at: datetime | None = None


def session_refusal(*, db_session: Session, user: User | None, target: SessionTarget) -> str | None:
    """Why `user` may not take part in the session now: inactive | not_invited | no_case_access; None: they may."""
    if user is None or not user.is_active:
        return "inactive"
    if not target.invited or not invitation_current(target.invitation_expires_at):
        return "not_invited"
    if not can_view(db_session=db_session, user=user, case=target.case):
        return "no_case_access"
    return None


def is_facilitator(*, facilitator_id: int | None, user: User) -> bool:
    return facilitator_id is not None and facilitator_id == user.id


def can_manage_session(*, db_session: Session, user: User, target: SessionTarget) -> bool:
    """Withdraw invitations, publish the entry: the session's facilitator, or who may change its case."""
    return is_facilitator(facilitator_id=target.facilitator_id, user=user) or can_edit(
        db_session=db_session, user=user, case=target.case
    )


def can_facilitate(user: User) -> bool:
    return user.role in FACILITATOR_ROLES


# ---- management and administration -------------------------------------------------------------------


def can_manage_bottlenecks(user: User) -> bool:
    """Tags, status and level of bottlenecks are management's call: they decide what goes to policy."""
    return user.role in MANAGEMENT_ROLES


def require_management(user: User, *, doing: str) -> None:
    """Only managers and directors (bestuurders); anyone else gets 403 saying what only they do (`doing`:
    Dutch marked with N_, translated here)."""
    if not can_manage_bottlenecks(user):
        raise Forbidden(gettext("Alleen managers en bestuurders %(doing)s.") % {"doing": gettext(doing)})


def is_admin(user: User) -> bool:
    return user.role == Role.admin


def require_admin(*, db_session: Session, user: User) -> None:
    """Only administrators (beheerders); anyone else gets 403, and the refusal is audited."""
    if not is_admin(user):
        _refuse(
            db_session,
            user,
            "admin.access_denied",
            "admin",
            None,
            gettext("Alleen een beheerder mag dit doen."),
        )


# ---- enforcing a route's rule ----------------------------------------------------------------------

#: How to find a session and a user's invitation to it: function(db_session, user, session id) -> SessionTarget,
#: or None when there is no such session. Registered by chat (casebook cannot import chat).
_session_loader: Callable[[Session, User, int], SessionTarget | None] | None = None


def register_session_loader(loader: Callable[[Session, User, int], SessionTarget | None]) -> None:
    """Chat tells the policy how to find a session and a user's invitation to it (casebook cannot import chat)."""
    global _session_loader
    _session_loader = loader


def _refuse(
    db_session: Session, user: User, action: str, object_type: str, object_id: int | None, detail: str
) -> None:
    audit_service.record_refusal(
        db_session=db_session, actor_id=user.id, action=action, object_type=object_type, object_id=object_id
    )
    raise Forbidden(detail)


def _path_id(request: Request, name: str) -> int | None:
    """The id in the path, or None when it is not a number (the route's own validation answers 422)."""
    raw = request.path_params.get(name, "")
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 12 else None


def _require_view(db_session: Session, user: User, case: Case) -> None:
    if not can_view(db_session=db_session, user=user, case=case):
        _refuse(
            db_session,
            user,
            "case.access_denied",
            "case",
            case.id,
            gettext("U heeft geen toegang tot deze casus."),
        )


def _check_case(db_session: Session, user: User, request: Request, edit: bool) -> None:
    case_id = _path_id(request, "case_id")
    case = db_session.get(Case, case_id) if case_id else None
    if case is None:
        return  # no such case: the view answers 404
    _require_view(db_session, user, case)
    if edit and not can_edit(db_session=db_session, user=user, case=case):
        _refuse(
            db_session,
            user,
            "case.access_denied",
            "case",
            case.id,
            gettext("U mag deze casus niet wijzigen."),
        )


def _check_session(db_session: Session, user: User, request: Request, manage: bool) -> None:
    session_id = _path_id(request, "session_id")
    target = _session_loader(db_session, user, session_id) if session_id and _session_loader else None
    if target is None:
        return  # no such session: the view answers 404
    refusal = session_refusal(db_session=db_session, user=user, target=target)
    if refusal is not None:
        _refuse(
            db_session,
            user,
            "session.access_denied",
            "session",
            session_id,
            gettext("U heeft geen toegang (meer) tot dit casusoverleg."),
        )
    if manage and not can_manage_session(db_session=db_session, user=user, target=target):
        _refuse(
            db_session,
            user,
            "session.access_denied",
            "session",
            session_id,
            gettext("Alleen de gespreksleider of een wijkcoach of manager van de casus mag dit."),
        )


def _check_management(
    db_session: Session, user: User, request: Request, bottleneck: bool = False, manage: bool = True
) -> None:
    if manage and not can_manage_bottlenecks(user):
        _refuse(
            db_session,
            user,
            "management.access_denied",
            "bottleneck",
            _path_id(request, "bottleneck_id"),
            gettext("Alleen managers en bestuurders mogen dit."),
        )
    if not bottleneck:
        return
    bottleneck_id = _path_id(request, "bottleneck_id")
    flagged = db_session.get(Bottleneck, bottleneck_id) if bottleneck_id else None
    case = db_session.get(Case, flagged.case_id) if flagged is not None else None
    if case is not None:
        _require_view(db_session, user, case)


_CHECKS: dict[Rule, Callable[[Session, User, Request], Any]] = {
    Rule.signed_in: lambda db, user, request: None,
    Rule.case_creator: lambda db, user, request: (
        None
        if can_create_cases(user)
        else _refuse(
            db,
            user,
            "case.access_denied",
            "case",
            None,
            gettext("Alleen wijkcoaches en managers maken casussen aan."),
        )
    ),
    Rule.case_viewer: lambda db, user, request: _check_case(db, user, request, edit=False),
    Rule.case_editor: lambda db, user, request: _check_case(db, user, request, edit=True),
    Rule.session_member: lambda db, user, request: _check_session(db, user, request, manage=False),
    Rule.session_manager: lambda db, user, request: _check_session(db, user, request, manage=True),
    Rule.management: _check_management,
    Rule.bottleneck_viewer: lambda db, user, request: _check_management(
        db, user, request, bottleneck=True, manage=False
    ),
    Rule.bottleneck_manager: lambda db, user, request: _check_management(db, user, request, bottleneck=True),
    Rule.admin: lambda db, user, request: require_admin(db_session=db, user=user),
}


def enforce(request: Request, db_session: SessionDep, user: OptionalUser) -> None:
    """App-wide dependency: apply the rule the matched route declares, before its body is read. A route
    without a declared rule is refused (fail closed)."""
    required = rule_of(request.scope.get("endpoint"))
    if required is None:
        raise Forbidden(
            gettext(
                "Voor deze route is geen toegangsregel vastgelegd (casebook/policy.py); toegang geweigerd."
            )
        )
    if required == Rule.public:
        return
    if user is None:
        raise LoginRequired(gettext("U bent niet ingelogd."))
    _CHECKS[required](db_session, user, request)
