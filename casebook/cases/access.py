"""Who may see and change which case. Need-to-know: a team's coaches and managers see its cases;
providers and partners only the cases they were invited to; admins and team-less managers see all.
An invitation (CaseParticipant) lets a user see a case, never change it, and lasts until its
`expires_at` (None: until it is withdrawn): an invited coach of another team reads and takes part, but
editing and deleting stay with the case's own team (and those who oversee all teams)."""

from sqlalchemy import or_
from sqlmodel import Session, col, select

from casebook.accounts import service as account_service
from casebook.accounts.models import Role, User
from casebook.cases.models import Case, CaseParticipant
from casebook.timeutil import utcnow

TEAM_ROLES = {Role.coach, Role.manager}
EDIT_ROLES = {Role.coach, Role.manager, Role.admin}


def invitation_current(participant: CaseParticipant | None) -> bool:
    """The invitation exists and has not expired."""
    if participant is None or participant.expires_at is None:
        return participant is not None
    expires = participant.expires_at
    return (expires if expires.tzinfo else expires.replace(tzinfo=utcnow().tzinfo)) > utcnow()


def invited_case_ids(*, user: User):
    """A SELECT of the ids of the cases `user` holds a current invitation to."""
    return select(CaseParticipant.case_id).where(
        CaseParticipant.user_id == user.id,
        or_(col(CaseParticipant.expires_at).is_(None), col(CaseParticipant.expires_at) > utcnow()))


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
    return invitation_current(db_session.get(CaseParticipant, (case.id, user.id)))


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
