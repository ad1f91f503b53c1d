"""Who is signing in: one answer for HTTP requests and the room's sockets alike. A bearer token (scripts, the
API) comes first; without one, the browser's signed session cookie. A token that is given but revoked or
expired signs in nobody, even with a valid cookie next to it, so revoking a token always takes effect."""

import json
from base64 import b64decode
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie

import itsdangerous
from sqlmodel import Session

from casebook.accounts import service as account_service
from casebook.accounts.models import User

#: The session cookie's name and lifetime, as the app's SessionMiddleware writes it and the socket reads it.
SESSION_COOKIE = "casebook_session"
SESSION_MAX_AGE = 12 * 3600


@dataclass(frozen=True)
class SignedIn:
    user: User
    token_id: int | None  # None: signed in with the session cookie


def user_from_credentials(
    *, db_session: Session, bearer_token: str | None, session_user_id: int | None
) -> SignedIn | None:
    """The active user behind a bearer token, or (without a token) behind the session's user id; else None."""
    if bearer_token is not None:  # given, even empty: never the cookie instead
        row = account_service.token_for(db_session=db_session, token=bearer_token)
        user = account_service.get(db_session=db_session, user_id=row.user_id) if row else None
        return SignedIn(user, row.id) if row and user is not None and user.is_active else None
    user = account_service.get(db_session=db_session, user_id=session_user_id) if session_user_id else None
    return SignedIn(user, None) if user is not None and user.is_active else None


def session_user_id_from_cookie(cookie_header: str, secret: str) -> int | None:
    """The user id in the signed session cookie of a raw Cookie header, read as Starlette's SessionMiddleware
    writes it (the socket's handshake passes no middleware); None when absent, tampered with or expired."""
    cookie = SimpleCookie()
    try:
        cookie.load(cookie_header)
        raw = cookie[SESSION_COOKIE].value.encode()
        data = itsdangerous.TimestampSigner(secret).unsign(raw, max_age=SESSION_MAX_AGE)
        user_id = json.loads(b64decode(data)).get("user_id")
    except (KeyError, ValueError, CookieError, itsdangerous.BadSignature, AttributeError):
        return None
    return user_id if isinstance(user_id, int) else None
