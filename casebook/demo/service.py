"""Load the demo corpus into a database, so a first run shows teams, people and real-looking cases.

Cases go through the ordinary case service, so every demo text passes the anonymiser like any other case.
Loading is idempotent: teams, users and cases are recognised by name, username and external id, and
whatever exists already is left as it is.
"""

from dataclasses import dataclass, field

from sqlmodel import Session

from casebook import events
from casebook.accounts import service as account_service
from casebook.accounts.models import Role, User
from casebook.cases import service as case_service
from casebook.db import transaction
from casebook.demo.generator import TEAMS, DemoCase, generate_cases

# Demo only: printed by `casebook demo` so anyone can log in to try the product.
DEMO_PASSWORD = "casebook-demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    teams: tuple[str, ...]
    password: str = DEMO_PASSWORD


def _team_logins() -> list[DemoLogin]:
    logins = []
    for team in TEAMS:
        short = team.removeprefix("Wijkteam ").lower()
        logins += [
            DemoLogin(f"coach-{short}-1", Role.coach, (team,)),
            DemoLogin(f"coach-{short}-2", Role.coach, (team,)),
            DemoLogin(f"manager-{short}", Role.manager, (team,)),
        ]
    return logins


# A manager without a team oversees every team.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    *_team_logins(),
    DemoLogin("bestuurder", Role.manager, ()),
    DemoLogin("zorgaanbieder", Role.provider, ()),
    DemoLogin("netwerkpartner", Role.partner, ()),
    DemoLogin("beheerder", Role.admin, ()),
)


@dataclass
class DemoResult:
    """What one run created (zero everywhere on a second run) and the logins to print."""

    teams_created: int = 0
    users_created: int = 0
    cases_created: int = 0
    feedback_created: int = 0
    participants_added: int = 0
    logins: list[DemoLogin] = field(default_factory=lambda: list(DEMO_LOGINS))


def load_demo(*, db_session: Session, seed: int = 2026) -> DemoResult:
    """Create whatever of the demo is missing; each case is written by a coach of its team, round robin."""
    result = DemoResult()
    with transaction(db_session):  # teams and people first, then one transaction per case
        for team in TEAMS:
            if account_service.get_team_by_name(db_session=db_session, name=team) is None:
                account_service.get_or_create_team(db_session=db_session, name=team)
                result.teams_created += 1
        users = {
            login.username: _get_or_create_user(db_session=db_session, login=login, result=result)
            for login in DEMO_LOGINS
        }
    coaches = {
        team: [
            users[login.username]
            for login in DEMO_LOGINS
            if login.role == Role.coach and login.teams == (team,)
        ]
        for team in TEAMS
    }
    for number, demo_case in enumerate(generate_cases(seed)):
        external_id, case_team = demo_case.case.external_id, demo_case.case.team
        if external_id is None or case_team is None:
            raise ValueError("every demo case names its external id and its team")
        if case_service.get_by_external_id(db_session=db_session, external_id=external_id):
            continue
        team_coaches = coaches[case_team]
        _load_case(
            db_session=db_session,
            demo_case=demo_case,
            coach=team_coaches[number % len(team_coaches)],
            provider=users["zorgaanbieder"],
            partner=users["netwerkpartner"],
            result=result,
        )
    return result


def _get_or_create_user(*, db_session: Session, login: DemoLogin, result: DemoResult) -> User:
    user = account_service.get_by_username(db_session=db_session, username=login.username)
    if user is None:
        user = account_service.create_user(
            db_session=db_session,
            username=login.username,
            password=login.password,
            role=login.role,
            teams=list(login.teams),
        )
        result.users_created += 1
    return user


def _load_case(
    *,
    db_session: Session,
    demo_case: DemoCase,
    coach: User,
    provider: User,
    partner: User,
    result: DemoResult,
) -> None:
    """Create the case as its coach, invite provider and partner, then let the provider report back: one
    commit per case, announced once it is committed."""
    invited = [provider] if demo_case.invite_provider else []
    invited += [partner] if demo_case.invite_partner else []
    with transaction(db_session):
        case = case_service.create(db_session=db_session, user=coach, data=demo_case.case)
        for user in invited:
            case_service.invite(db_session=db_session, case=case, user=user)
        if demo_case.feedback is not None:
            case_service.add_feedback(
                db_session=db_session, user=provider, case=case, data=demo_case.feedback
            )
    events.publish(events.CASE_SAVED, db_session=db_session, case_id=case.id)
    result.cases_created += 1
    result.participants_added += len(invited)
    result.feedback_created += 1 if demo_case.feedback is not None else 0
