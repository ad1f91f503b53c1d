"""A real server process and a real Chromium (Debian's, driven by Playwright) for browser tests."""

import os
from pathlib import Path

import pytest
from sqlmodel import Session

from casebook.db import make_engine, migrate
from utils.databases import sqlalchemy_url
from utils.servers import serve_process

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def server_data_dir(tmp_path) -> Path:
    return tmp_path / "server-data"


@pytest.fixture
def server_database_url(server_data_dir, databases):
    """The server's database: SQLite in its data dir (None), or a PostgreSQL database of its own."""
    database_url = databases.new(server_data_dir)
    yield database_url
    databases.drop(database_url)


@pytest.fixture
def server_db(server_data_dir, server_database_url):
    """A migrated database for the server, so tests can create users and cases before it starts."""
    engine = make_engine(sqlalchemy_url(server_database_url, server_data_dir))
    migrate(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def server_env() -> dict[str, str]:
    """More environment for the server process (e.g. CASEBOOK_LLM_URL); a test module overrides it."""
    return {}


_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test (pytest's documented recipe), so the fixtures' teardown knows
    whether the test failed."""
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


def _test_failed(request) -> bool:
    call = request.node.stash.get(_reports, {}).get("call")
    return call is not None and call.failed


@pytest.fixture
def server(request, server_data_dir, server_database_url, server_db, tmp_path, server_env):
    """A `casebook serve` process for the test; when the test fails, the tail of its log is printed (pytest
    shows it under the failure), so a failure on CI says what the server saw."""
    env = {"DATABASE_URL": server_database_url} if server_database_url else {}
    log_path = tmp_path / "server.log"
    with serve_process(log_path, CASEBOOK_DATA_DIR=str(server_data_dir), **env, **server_env) as url:
        yield url
    if _test_failed(request):
        print("---- the server's log, last 60 lines ----")
        print("\n".join(log_path.read_text(errors="replace").splitlines()[-60:]))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is required under CI=true (make setup installs it)")
        pytest.skip(f"{CHROMIUM} not installed (run make setup)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(request, browser):
    """Open a page in a fresh browser context (its own cookies: another person); closed after the test.
    Every test also checks that the Content-Security-Policy refused nothing the pages need. When the test
    fails, what each page showed is printed (pytest shows it under the failure)."""
    contexts = []
    csp_violations: list[str] = []

    def open_page():
        context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on(
            "console",
            lambda message: (
                csp_violations.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        return page

    yield open_page
    failed = _test_failed(request)
    for context in contexts:
        try:
            for shown in context.pages if failed else ():
                print(f"---- {shown.url} showed ----")
                try:
                    print(shown.locator("body").inner_text(timeout=2_000)[-3000:])
                except Exception as exc:  # noqa: BLE001 - a crashed page or an open dialog: say so, add no error
                    print(f"(could not read the page: {type(exc).__name__})")
        finally:
            context.close()
    assert not csp_violations, csp_violations


@pytest.fixture
def page(new_page):
    return new_page()
