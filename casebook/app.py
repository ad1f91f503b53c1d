"""The application factory: wires settings, database, routers, error pages and static files."""

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from sqlmodel import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from casebook import api_docs, events, policy
from casebook import openapi as api_schema
from casebook import settings as settings_registry
from casebook.accounts import views as account_views
from casebook.accounts.credentials import SESSION_COOKIE, SESSION_MAX_AGE
from casebook.accounts.throttle import LoginThrottle
from casebook.anonymise import service as anonymise_service
from casebook.anonymise import views as anonymise_views
from casebook.audit import views as audit_views
from casebook.body_limit import BodyLimitMiddleware
from casebook.cases import service as case_service
from casebook.cases import views as case_views
from casebook.db import make_engine, migrate
from casebook.deps import required_user, verify_csrf
from casebook.errors import CasebookError, RetryLater
from casebook.event_relay import RedisEventRelay
from casebook.housekeeping import Housekeeping
from casebook.i18n import N_, LanguageMiddleware, gettext
from casebook.security_headers import SecurityHeadersMiddleware
from casebook.settings import Settings, get_settings
from casebook.templating import templates
from casebook.timeutil import utcnow
from casebook.validation import describe_validation_errors
from chat import flows as chat_flows
from chat import methods as chat_methods
from chat import realtime as chat_realtime
from chat import sockets as chat_sockets
from chat.assistant import meaning
from chat.assistant import service as assistant_service
from chat.assistant import views as assistant_views
from chat.discussions import anonymiser as discussion_anonymiser
from chat.discussions import views as discussion_views
from chat.draft import views as draft_views
from chat.stream import views as stream_views
from learning import views as learning_views
from learning.aggregates import flows as aggregate_flows
from learning.dashboard import views as dashboard_views
from learning.recurrence import flows as recurrence_flows
from learning.recurrence import service as recurrence_service
from learning.recurrence import views as recurrence_views
from learning.report import views as report_views
from search import service as search_service
from search import views as search_views

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
API_PREFIX = "/api/v1"
logger = logging.getLogger("casebook")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings.sqlalchemy_url)
    settings_registry.register(engine, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        migrate(engine)
        anonymise_service.warm_up()
        # The database is the source of truth: a missing or stale search index is rebuilt from it here.
        with Session(engine) as db_session:
            search_service.start(settings=settings, db_session=db_session)
        search_service.warm_up(settings)  # background: the first case save must not load the model
        events.subscribe(events.CASE_SAVED, search_service.on_case_saved)
        events.subscribe(events.CASE_DELETED, search_service.on_case_deleted)
        events.subscribe(events.CASE_DELETED, case_service.on_case_deleted)
        events.subscribe(events.CASE_DELETED, discussion_anonymiser.on_case_deleted)
        recurrence_service.warm_up(settings, engine)  # background, like the search model's warm-up
        meaning.warm_up(engine, cases=settings.assistant_warm_cases)  # background: the cases' Dutch reading
        events.subscribe(events.CASE_SAVED, recurrence_flows.on_case_saved)
        # Last, so a change is announced to other processes after this one has handled it; rosters, which
        # are never stored, reach the other processes the same way.
        relay, roster_link = None, None
        if settings.redis_url:
            channel = chat_sockets.channel_for(settings)
            relay = RedisEventRelay(settings.redis_url, channel, engine)
            relay.start()
            roster_link = discussion_anonymiser.share_rosters(
                redis_url=settings.redis_url,
                channel=channel,
                bind=engine,
                retention_days=settings.transcript_retention_days,
            )
        housekeeping = Housekeeping(
            _housekeeping_jobs(engine, settings), interval=settings.housekeeping_seconds
        )
        housekeeping.start()
        yield
        housekeeping.stop()
        if relay is not None and roster_link is not None:
            roster_link.stop()
            relay.stop()
        search_service.close_index(bind=engine)
        engine.dispose()

    app = FastAPI(
        title="Casebook",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(verify_csrf), Depends(policy.enforce)],
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.login_throttle = LoginThrottle.from_settings(settings)
    app.state.assistant_limits = assistant_service.question_limits(settings)

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret,
        session_cookie=SESSION_COOKIE,
        same_site="lax",
        https_only=settings.secure_cookies,
        max_age=SESSION_MAX_AGE,
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    api = [Depends(required_user)]
    app.include_router(case_views.api_router, prefix=API_PREFIX, dependencies=api, tags=["cases"])
    app.include_router(anonymise_views.api_router, prefix=API_PREFIX, dependencies=api, tags=["anonymise"])
    app.include_router(search_views.api_router, prefix=API_PREFIX, dependencies=api, tags=["search"])
    app.include_router(discussion_views.api_router, prefix=API_PREFIX, dependencies=api, tags=["sessions"])
    app.include_router(stream_views.api_router, prefix=API_PREFIX, dependencies=api, tags=["sessions"])
    app.include_router(draft_views.api_router, prefix=API_PREFIX, dependencies=api, tags=["sessions"])
    app.include_router(recurrence_views.api_router, prefix=API_PREFIX, dependencies=api, tags=["bottlenecks"])
    app.include_router(assistant_views.api_router, prefix=API_PREFIX, dependencies=api, tags=["assistant"])
    app.include_router(learning_views.api_router, prefix=API_PREFIX, dependencies=api, tags=["bottlenecks"])
    app.include_router(account_views.router)
    app.include_router(audit_views.router)
    app.include_router(search_views.router)
    app.include_router(discussion_views.router)
    app.include_router(draft_views.router)
    app.include_router(recurrence_views.router)
    app.include_router(dashboard_views.router)
    app.include_router(report_views.router)
    app.include_router(assistant_views.router)
    app.include_router(learning_views.router)
    app.include_router(case_views.router)

    api_docs.install(app)  # Swagger UI from local files, not a CDN
    api_schema.install(app, API_PREFIX)  # the one error schema and every status each operation returns

    _install_error_handlers(app)
    # Around the error handlers, so error pages are in the reader's language too; the API answers in Dutch.
    app.add_middleware(LanguageMiddleware, default=settings.default_language, dutch_prefixes=(API_PREFIX,))
    # Outermost, so error pages, 413s and 500s get the headers too.
    app.add_middleware(SecurityHeadersMiddleware, cacheable_prefixes=("/static/", f"{api_docs.ASSETS}/"))
    return app


def _housekeeping_jobs(engine, settings: Settings) -> list:
    def transcript_retention():
        with Session(engine) as db_session:
            chat_flows.apply_retention(
                db_session=db_session,
                now=utcnow(),
                days=settings.transcript_retention_days,
                methods_dir=chat_methods.team_dir(settings),
            )

    def erased_cases_out_of_index_and_memory():  # erased by the command line or another process
        with Session(engine) as db_session:
            search_service.drop_missing(db_session=db_session)
            case_service.forget_missing_cases(db_session=db_session)
            discussion_anonymiser.forget_missing_sessions(db_session=db_session)

    def learning_figures():  # the cells a change marked, so the next dashboard view finds them ready
        with Session(engine) as db_session:
            aggregate_flows.refresh(db_session=db_session)

    def stale_signatures_renewed():  # after a new way of signing bottlenecks; long, so it runs last
        with Session(engine) as db_session:
            recurrence_flows.renew(db_session=db_session, settings=settings)

    return [
        transcript_retention,
        erased_cases_out_of_index_and_memory,
        learning_figures,
        stale_signatures_renewed,
    ]


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _error_response(request: Request, status_code: int, detail: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status_code)
    if status_code == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return templates.TemplateResponse(
        request, "error.html", {"status_code": status_code, "detail": detail}, status_code=status_code
    )


# The framework's own English error texts, in Dutch like every other error.
_FRAMEWORK_DETAILS = {
    "There was an error parsing the body": N_(
        "De inhoud van het verzoek is geen leesbare JSON of formulierdata."
    ),
    "Method Not Allowed": N_("Deze handeling is hier niet toegestaan."),
}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CasebookError)
    async def domain_error(request: Request, exc: CasebookError) -> Response:
        response = _error_response(request, exc.status_code, exc.detail)
        if isinstance(exc, RetryLater):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else gettext("Er ging iets mis.")
        if exc.status_code == 404 and not isinstance(exc.detail, str) or exc.detail == "Not Found":
            detail = gettext("Deze pagina bestaat niet.")
        if detail in _FRAMEWORK_DETAILS:
            detail = gettext(_FRAMEWORK_DETAILS[detail])
        return _error_response(request, exc.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail = describe_validation_errors(exc.errors())
        return _error_response(request, 422, detail)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        """A value the database cannot hold (say an id beyond 64 bits that no bounded type caught): bad input,
        not a server fault. casebook.params bounds ids up front; this is the safety net behind it."""
        return _error_response(
            request, 422, gettext("Een waarde in het verzoek past niet (bijvoorbeeld een te groot getal).")
        )

    @app.middleware("http")
    async def unexpected_error(request: Request, call_next) -> Response:
        """Answer 500 without a stack trace, and log only the type and place: an exception message or
        traceback may quote the text being processed, which must never reach a log."""
        try:
            return await call_next(request)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            logger.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
            return _error_response(
                request, 500, gettext("Er ging iets mis aan onze kant. Probeer het later opnieuw.")
            )


def create_asgi_app(settings: Settings | None = None):
    """What `casebook serve` runs: the web app and the live rooms (Socket.IO) on one port."""
    return chat_realtime.wrap(create_app(settings))
