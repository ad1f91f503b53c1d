"""Who may see and change which case. Need-to-know: a team's coaches and managers see its cases;
providers and partners only the cases they were invited to; admins and team-less managers see all."""

from sqlalchemy import or_
from sqlmodel import Session, select

from casebook.accounts import service as account_service
from casebook.accounts.models import Role, User
from casebook.cases.models import Case, CaseParticipant

TEAM_ROLES = {Role.coach, Role.manager}
EDIT_ROLES = {Role.coach, Role.manager, Role.admin}


def visible_filter(*, db_session: Session, user: User):
    """A SQL condition on Case selecting exactly the cases `user` may see (None: no restriction)."""
    if account_service.oversees_all_teams(db_session=db_session, user=user):
        return None
    invited = select(CaseParticipant.case_id).where(CaseParticipant.user_id == user.id)
    conditions = [Case.id.in_(invited)]
    if user.role in TEAM_ROLES:
        teams = account_service.team_ids(db_session=db_session, user=user)
        if teams:
            conditions.append(Case.team_id.in_(teams))
    return or_(*conditions)


def can_view(*, db_session: Session, user: User, case: Case) -> bool:
    if account_service.oversees_all_teams(db_session=db_session, user=user):
        return True
    if user.role in TEAM_ROLES and case.team_id in account_service.team_ids(db_session=db_session, user=user):
        return True
    return db_session.get(CaseParticipant, (case.id, user.id)) is not None


def can_edit(*, db_session: Session, user: User, case: Case) -> bool:
    return user.role in EDIT_ROLES and can_view(db_session=db_session, user=user, case=case)


def can_create_in_team(*, db_session: Session, user: User, team_id: int) -> bool:
    if user.role not in EDIT_ROLES:
        return False
    if account_service.oversees_all_teams(db_session=db_session, user=user):
        return True
    return team_id in account_service.team_ids(db_session=db_session, user=user)
