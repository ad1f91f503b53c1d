"""Who may see and change which case. Need-to-know: a team's coaches and managers see its cases;
providers and partners only the cases they were invited to; admins and team-less managers see all.
An invitation (CaseParticipant) lets a user see a case, never change it, and lasts until its
`expires_at` (None: until it is withdrawn): an invited coach of another team reads and takes part, but
editing and deleting stay with the case's own team (and those who oversee all teams)."""

from datetime import datetime

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from casebook.accounts import service as account_service
from casebook.accounts.models import Role, User
from casebook.cases.models import Case, CaseParticipant
from casebook.timeutil import as_utc, utcnow

TEAM_ROLES = {Role.coach, Role.manager}
EDIT_ROLES = {Role.coach, Role.manager, Role.admin}


def invitation_current(expires_at: datetime | None, now: datetime | None = None) -> bool:
    """An invitation (to a case or a session) expiring at `expires_at` (None: never) still stands at `now`
    (default: the current time)."""
    return expires_at is None or as_utc(expires_at) > (now or utcnow())


def invitation_current_sql(expires_at: ColumnElement, now: datetime | None = None) -> ColumnElement[bool]:
    """`invitation_current` as a SQL condition on an `expires_at` column."""
    return or_(col(expires_at).is_(None), col(expires_at) > (now or utcnow()))


def invited_case_ids(*, user: User):
    """A SELECT of the ids of the cases `user` holds a current invitation to."""
    return select(CaseParticipant.case_id).where(
        CaseParticipant.user_id == user.id, invitation_current_sql(CaseParticipant.expires_at))


def visible_filter(*, db_session: Session, user: User):
    """A SQL condition on Case selecting exactly the cases `user` may see (None: no restriction)."""
    if account_service.oversees_all_teams(db_session=db_session, user=user):
        return None
    conditions = [Case.id.in_(invited_case_ids(user=user))]
    if user.role in TEAM_ROLES:
        teams = account_service.team_ids(db_session=db_session, user=user)
        if teams:
            conditions.append(Case.team_id.in_(teams))
    return or_(*conditions)


def through_team(*, db_session: Session, user: User, case: Case) -> bool:
    """`user` sees `case` by role and team (not by an invitation)."""
    if account_service.oversees_all_teams(db_session=db_session, user=user):
        return True
    return user.role in TEAM_ROLES and case.team_id in account_service.team_ids(db_session=db_session, user=user)


def can_view(*, db_session: Session, user: User, case: Case) -> bool:
    if through_team(db_session=db_session, user=user, case=case):
        return True
    participant = db_session.get(CaseParticipant, (case.id, user.id))
    return participant is not None and invitation_current(participant.expires_at)


def can_edit(*, db_session: Session, user: User, case: Case) -> bool:
    """Change or delete the case: its own team's coaches and managers, and who oversees all teams. Never
    through an invitation (the creator's own invitation row included)."""
    return user.role in EDIT_ROLES and through_team(db_session=db_session, user=user, case=case)


def can_create_in_team(*, db_session: Session, user: User, team_id: int) -> bool:
    if user.role not in EDIT_ROLES:
        return False
    if account_service.oversees_all_teams(db_session=db_session, user=user):
        return True
    return team_id in account_service.team_ids(db_session=db_session, user=user)
