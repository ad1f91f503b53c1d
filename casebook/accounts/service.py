"""Users, teams, passwords and API tokens. Access rules for cases live here too, because they follow
from who a user is (role + teams), not from the case."""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pwdlib import PasswordHash
from sqlmodel import Session, col, select

from casebook.accounts.models import ApiToken, Role, Team, User, UserTeam
from casebook.accounts.throttle import LoginThrottle
from casebook.anonymise import service as anonymise_service
from casebook.audit import service as audit_service
from casebook.timeutil import as_utc, utcnow

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
        raise AccountError(
            f"Een teamnaam heeft 1 tot {MAX_TEAM_NAME_CHARS} tekens, zonder regeleinden of "
            "stuurtekens. Er is niets opgeslagen."
        )
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


def create_user(
    *,
    db_session: Session,
    username: str,
    password: str,
    role: Role,
    teams: Sequence[str] = (),
    display_name: str | None = None,
) -> User:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben.")
    if get_by_username(db_session=db_session, username=username):
        raise AccountError(f"Gebruiker {username!r} bestaat al.")
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        password_hash=_password_hash.hash(password),
    )
    db_session.add(user)
    db_session.flush()
    for team_name in teams:
        team = get_or_create_team(db_session=db_session, name=team_name)
        db_session.add(UserTeam(user_id=user.id, team_id=team.id))
    db_session.flush()
    return user


def authenticate(
    *,
    db_session: Session,
    username: str,
    password: str,
    throttle: LoginThrottle | None = None,
    address: str | None = None,
) -> User | None:
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


_DUMMY_PASSWORD = "not-a-real-password"
_DUMMY_HASH = _password_hash.hash(_DUMMY_PASSWORD)


def team_ids(*, db_session: Session, user: User) -> set[int]:
    return set(db_session.exec(select(UserTeam.team_id).where(UserTeam.user_id == user.id)))


def team_names(*, db_session: Session, user: User) -> list[str]:
    query = (
        select(Team.name).join(UserTeam, col(UserTeam.team_id) == Team.id).where(UserTeam.user_id == user.id)
    )
    return sorted(db_session.exec(query))


def team_members(*, db_session: Session, team_id: int, role: Role, limit: int = 200) -> list[User]:
    """The active users of a team in one role (bounded), by username."""
    query = (
        select(User)
        .join(UserTeam, col(UserTeam.user_id) == User.id)
        .where(UserTeam.team_id == team_id, User.role == role, User.is_active)
        .order_by(User.username)
        .limit(limit)
    )
    return list(db_session.exec(query))


def oversees_all_teams(*, db_session: Session, user: User) -> bool:
    """Admins, and managers created without a team, oversee every team."""
    if user.role == Role.admin:
        return True
    return user.role == Role.manager and not team_ids(db_session=db_session, user=user)


DEFAULT_TOKEN_LIFETIME = timedelta(days=90)


def create_token(*, db_session: Session, user: User, lifetime: timedelta = DEFAULT_TOKEN_LIFETIME) -> str:
    """Return a new bearer token that works for `lifetime`; only its hash is stored, so it is shown
    exactly once."""
    if lifetime <= timedelta(0):
        raise AccountError("Een token moet minstens even geldig zijn.")
    token = secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=_digest(token), expires_at=utcnow() + lifetime)
    db_session.add(row)
    db_session.flush()
    audit_service.record(
        db_session=db_session,
        actor_id=None,
        action="token.create",
        object_type="token",
        object_id=row.id,
        detail=f"user={user.id}",
    )
    return token


def token_for(*, db_session: Session, token: str, now: datetime | None = None) -> ApiToken | None:
    """The stored row of a current token (not revoked, not expired at `now`), else None."""
    query = select(ApiToken).where(
        ApiToken.token_hash == _digest(token),
        col(ApiToken.revoked_at).is_(None),
        ApiToken.expires_at > (now or utcnow()),
    )
    return db_session.exec(query).first()


def token_is_current(*, db_session: Session, token_id: int, now: datetime | None = None) -> bool:
    """The token with this id is neither revoked nor expired (an open socket re-checks the token it connected
    with). Whether its user is still active is the room's rights check, which then closes all their sockets."""
    row = db_session.get(ApiToken, token_id)
    return row is not None and row.revoked_at is None and as_utc(row.expires_at) > (now or utcnow())


@dataclass(frozen=True)
class TokenListing:
    id: int
    username: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "ingetrokken"
        return "verlopen" if as_utc(self.expires_at) <= now else "geldig"


MAX_LISTED_TOKENS = 10_000


def list_tokens(*, db_session: Session, username: str | None = None) -> list[TokenListing]:
    """Every token (of `username` when given), newest first; the token itself is never known, only its id."""
    query = select(ApiToken, User.username).join(User, col(User.id) == ApiToken.user_id)
    if username is not None:
        query = query.where(User.username == username)
    rows = db_session.exec(query.order_by(col(ApiToken.id).desc()).limit(MAX_LISTED_TOKENS))
    return [
        TokenListing(
            id=row.id,
            username=name,
            created_at=as_utc(row.created_at),
            expires_at=as_utc(row.expires_at),
            revoked_at=as_utc(row.revoked_at) if row.revoked_at else None,
        )
        for row, name in rows
    ]


def revoke_tokens(*, db_session: Session, target: str) -> list[int]:
    """Revoke a token by its id, or every current token of a user by username; the ids revoked. A username
    is tried first (usernames may be digits), then a token id; AccountError when neither exists."""
    user = get_by_username(db_session=db_session, username=target)
    if user is not None:
        query = select(ApiToken).where(ApiToken.user_id == user.id)
    elif target.isdigit() and db_session.get(ApiToken, int(target)) is not None:
        query = select(ApiToken).where(ApiToken.id == int(target))
    else:
        raise AccountError(f"Geen gebruiker of token {target!r} gevonden.")
    now = utcnow()
    revoked = []
    for row in db_session.exec(query.where(col(ApiToken.revoked_at).is_(None))):
        row.revoked_at = now
        db_session.add(row)
        audit_service.record(
            db_session=db_session,
            actor_id=None,
            action="token.revoke",
            object_type="token",
            object_id=row.id,
            detail=f"user={row.user_id}",
        )
        revoked.append(row.id)
    db_session.flush()
    return revoked


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


SYSTEM_USERNAME = "casebook-system"


def system_user(*, db_session: Session) -> User:
    """The actor for command-line work (import, demo): an admin that cannot log in."""
    user = get_by_username(db_session=db_session, username=SYSTEM_USERNAME)
    if user is None:
        user = User(
            username=SYSTEM_USERNAME,
            display_name="Casebook (systeem)",
            role=Role.admin,
            password_hash="!",
            is_active=False,
        )
        db_session.add(user)
        db_session.flush()
    return user
