"""Request dependencies: database session, the signed-in user (session cookie or bearer token), CSRF."""

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from casebook.accounts.credentials import user_from_credentials
from casebook.accounts.models import User
from casebook.errors import CasebookError, Forbidden
from casebook.i18n import gettext

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class LoginRequired(CasebookError):
    status_code = 401


def get_db(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]


def optional_user(request: Request, db_session: SessionDep) -> User | None:
    """Bearer token first (scripts), then the session cookie (browsers); a bad token is refused outright."""
    header = request.headers.get("authorization", "")
    bearer = header[7:].strip() if header.lower().startswith("bearer ") else None
    signed_in = user_from_credentials(
        db_session=db_session, bearer_token=bearer, session_user_id=request.session.get("user_id")
    )
    if bearer is not None and signed_in is None:
        request.state.auth = None
        raise LoginRequired(gettext("Ongeldig, verlopen of ingetrokken token."))
    request.state.auth = None if signed_in is None else "cookie" if signed_in.token_id is None else "token"
    return signed_in.user if signed_in else None


def required_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise LoginRequired(gettext("U bent niet ingelogd."))
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(required_user)]


def csrf_token(request: Request) -> str:
    """The per-browser-session CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Every state-changing request made with a session cookie must carry the session's CSRF token,
    as the X-CSRF-Token header (htmx, fetch) or the csrf_token form field. Bearer-token calls are exempt
    (a browser never adds that header on its own), and so are API calls without a session (they get 401).
    HTML forms are checked even before login, so nobody can be logged in to someone else's account."""
    if request.method not in UNSAFE_METHODS:
        return
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return
    if request.url.path.startswith("/api/") and "user_id" not in request.session:
        return  # no session to ride on: the API answers 401 itself
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        field = (await request.form()).get("csrf_token")
        sent = field if isinstance(field, str) else None
    expected = request.session.get("csrf")
    if not expected or not sent or not secrets.compare_digest(str(sent), expected):
        raise Forbidden(
            gettext(
                "Het formulier is verlopen of ongeldig (CSRF). Laad de pagina opnieuw en probeer het nog eens."
            )
        )
