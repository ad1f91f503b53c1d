"""Users, teams, passwords and API tokens. Access rules for cases live here too, because they follow
from who a user is (role + teams), not from the case."""

import hashlib
import secrets

from pwdlib import PasswordHash
from sqlmodel import Session, select

from casebook.accounts.models import ApiToken, Role, Team, User, UserTeam
from casebook.accounts.throttle import LoginThrottle
from casebook.anonymise import service as anonymise_service

_password_hash = PasswordHash.recommended()
MIN_PASSWORD_LENGTH = 8


class AccountError(ValueError):
    """A request about accounts that cannot be honoured; the message is Dutch and shown to the user."""


MAX_TEAM_NAME_CHARS = 120


def check_team_name(name: str) -> str:
    """A new team's name, stripped, or AccountError with the Dutch reason. Team names are shown to everyone
    and stored as written (never anonymised): a name, BSN, phone number, ... in one is refused."""
    name = name.strip()
    if not name or len(name) > MAX_TEAM_NAME_CHARS or not name.isprintable():
        raise AccountError(f"Een teamnaam heeft 1 tot {MAX_TEAM_NAME_CHARS} tekens, zonder regeleinden of "
                           "stuurtekens. Er is niets opgeslagen.")
    try:
        return anonymise_service.refuse_identifiers_in_label(name)
    except ValueError as exc:
        raise AccountError(f"Een teamnaam {exc}") from None


def get_or_create_team(*, db_session: Session, name: str) -> Team:
    """The team of this name; a new one is created when the name passes check_team_name (else AccountError)."""
    name = name.strip()
    team = db_session.exec(select(Team).where(Team.name == name)).first()
    if team is None:
        team = Team(name=check_team_name(name))
        db_session.add(team)
        db_session.flush()
    return team


def get_team_by_name(*, db_session: Session, name: str) -> Team | None:
    return db_session.exec(select(Team).where(Team.name == name.strip())).first()


def list_teams(*, db_session: Session) -> list[Team]:
    return list(db_session.exec(select(Team).order_by(Team.name)))


def get_by_username(*, db_session: Session, username: str) -> User | None:
    return db_session.exec(select(User).where(User.username == username)).first()


def get(*, db_session: Session, user_id: int) -> User | None:
    return db_session.get(User, user_id)


def create_user(*, db_session: Session, username: str, password: str, role: Role,
                teams: list[str] = (), display_name: str | None = None) -> User:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben.")
    if get_by_username(db_session=db_session, username=username):
        raise AccountError(f"Gebruiker {username!r} bestaat al.")
    user = User(username=username, display_name=display_name or username, role=role,
                password_hash=_password_hash.hash(password))
    db_session.add(user)
    db_session.flush()
    for team_name in teams:
        team = get_or_create_team(db_session=db_session, name=team_name)
        db_session.add(UserTeam(user_id=user.id, team_id=team.id))
    db_session.flush()
    return user


def authenticate(*, db_session: Session, username: str, password: str,
                 throttle: LoginThrottle | None = None, address: str | None = None) -> User | None:
    """The user for this username and password, or None. With a `throttle` (every login from the network),
    an attempt over the per-account or per-address limit raises TooManyAttempts (429) and one that finds
    no free hash slot raises HashingBusy (503), both before any password is hashed."""
    if throttle is None:
        return _check_password(db_session=db_session, username=username, password=password)
    with throttle.attempt(username=username, address=address) as attempt:
        user = _check_password(db_session=db_session, username=username, password=password)
        if user is None:
            attempt.failed()
        else:
            attempt.succeeded()
    return user


def _check_password(*, db_session: Session, username: str, password: str) -> User | None:
    user = get_by_username(db_session=db_session, username=username)
    if user is None or not user.is_active:
        # Hash anyway so a missing user costs as much time as a wrong password.
        _password_hash.verify(password, _DUMMY_HASH)
        return None
    if not _password_hash.verify(password, user.password_hash):
        return None
    return user


_DUMMY_HASH = _password_hash.hash("not-a-real-password")


def team_ids(*, db_session: Session, user: User) -> set[int]:
    return set(db_session.exec(select(UserTeam.team_id).where(UserTeam.user_id == user.id)))


def team_names(*, db_session: Session, user: User) -> list[str]:
    query = select(Team.name).join(UserTeam, UserTeam.team_id == Team.id).where(UserTeam.user_id == user.id)
    return sorted(db_session.exec(query))


def team_members(*, db_session: Session, team_id: int, role: Role, limit: int = 200) -> list[User]:
    """The active users of a team in one role (bounded), by username."""
    query = (select(User).join(UserTeam, UserTeam.user_id == User.id)
             .where(UserTeam.team_id == team_id, User.role == role, User.is_active).order_by(User.username).limit(limit))
    return list(db_session.exec(query))


def oversees_all_teams(*, db_session: Session, user: User) -> bool:
    """Admins, and managers created without a team, oversee every team."""
    if user.role == Role.admin:
        return True
    return user.role == Role.manager and not team_ids(db_session=db_session, user=user)


def create_token(*, db_session: Session, user: User) -> str:
    """Return a new bearer token; only its hash is stored, so it is shown exactly once."""
    token = secrets.token_urlsafe(32)
    db_session.add(ApiToken(user_id=user.id, token_hash=_digest(token)))
    db_session.flush()
    return token


def user_for_token(*, db_session: Session, token: str) -> User | None:
    query = select(User).join(ApiToken, ApiToken.user_id == User.id).where(ApiToken.token_hash == _digest(token))
    user = db_session.exec(query).first()
    return user if user and user.is_active else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


SYSTEM_USERNAME = "casebook-system"


def system_user(*, db_session: Session) -> User:
    """The actor for command-line work (import, demo): an admin that cannot log in."""
    user = get_by_username(db_session=db_session, username=SYSTEM_USERNAME)
    if user is None:
        user = User(username=SYSTEM_USERNAME, display_name="Casebook (systeem)", role=Role.admin,
                    password_hash="!", is_active=False)
        db_session.add(user)
        db_session.flush()
    return user
