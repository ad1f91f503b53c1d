"""Login, logout and the language switch (HTML)."""

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from casebook import i18n, policy
from casebook.accounts import service as account_service
from casebook.accounts.throttle import LoginThrottle
from casebook.audit import service as audit_service
from casebook.deps import OptionalUser, SessionDep
from casebook.errors import RetryLater
from casebook.templating import templates

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so a crafted link cannot bounce a user elsewhere after login."""
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/cases"
    return target


def login_throttle(request: Request) -> LoginThrottle:
    """The app's one login throttle (create_app puts it in app.state, built from the settings)."""
    return request.app.state.login_throttle


@router.get("/", include_in_schema=False)
@policy.rule(policy.Rule.public)
def home(user: OptionalUser) -> Response:
    return RedirectResponse("/cases" if user else "/login", status_code=303)


@router.get("/login", include_in_schema=False)
@policy.rule(policy.Rule.public)
def login_form(request: Request, next: str | None = None) -> Response:
    return templates.TemplateResponse(request, "accounts/login.html", {"next": _safe_next(next)})


@router.post("/login", include_in_schema=False)
@policy.rule(policy.Rule.public)
def login(
    request: Request,
    db_session: SessionDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    address = request.client.host if request.client else None
    try:
        user = account_service.authenticate(
            db_session=db_session,
            username=username.strip(),
            password=password,
            throttle=login_throttle(request),
            address=address,
        )
    except RetryLater as exc:  # refused before any password was hashed
        response = templates.TemplateResponse(
            request,
            "accounts/login.html",
            {"next": _safe_next(next), "username": username, "error": exc.detail},
            status_code=exc.status_code,
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if user is None:
        audit_service.record(db_session=db_session, actor_id=None, action="login.failed", object_type="user")
        db_session.commit()
        return templates.TemplateResponse(
            request,
            "accounts/login.html",
            {
                "next": _safe_next(next),
                "username": username,
                "error": i18n.gettext("Onjuiste gebruikersnaam of wachtwoord."),
            },
            status_code=401,
        )
    csrf = request.session.get("csrf")
    request.session.clear()  # a fresh session on login: no fixation
    request.session.update({"user_id": user.id, "csrf": csrf})
    audit_service.record(
        db_session=db_session, actor_id=user.id, action="login", object_type="user", object_id=user.id
    )
    db_session.commit()
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False)
@policy.rule(policy.Rule.public)
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{code}", include_in_schema=False)
@policy.rule(policy.Rule.public)
def switch_language(code: str, request: Request) -> Response:
    back = _safe_next(request.headers.get("referer") and urlparse(request.headers["referer"]).path)
    response = RedirectResponse(back, status_code=303)
    if code in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, code, max_age=365 * 24 * 3600, samesite="lax")
    return response
