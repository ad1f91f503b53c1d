"""Shared fixtures. Heavy things (deduce, the migrated schema) are built once per test session;
every test gets its own database (a SQLite file, or with CASEBOOK_TEST_DATABASE_URL a PostgreSQL database)
and data dir, so tests never see each other's data."""

import os

import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# No background reading of each test app's cases by the Dutch model (tests/chat/assistant/test_meaning.py
# starts it itself): a thread per app start would outlive its test's database.
os.environ.setdefault("CASEBOOK_ASSISTANT_WARM_CASES", "0")

from casebook.accounts import service as account_service  # noqa: E402
from casebook.anonymise import service as anonymise_service  # noqa: E402
from casebook.app import create_app  # noqa: E402
from casebook.db import make_engine  # noqa: E402
from casebook.settings import Settings  # noqa: E402
from search import service as search_service  # noqa: E402
from utils.databases import SqliteDatabases, make_databases  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last, in every worker: Playwright's sync API keeps an event loop running in the main
    thread while the session's browser is open, and a later test's asyncio.run would then refuse to start."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session", autouse=True)
def models_ready():
    """Load deduce's lookup tables and the embedding model once for the whole run, up front: every app
    start would otherwise load the model in a background thread, racing with whatever a test imports."""
    anonymise_service.warm_up()
    loading = search_service.warm_up(Settings())
    if loading is not None:
        loading.join()


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing():
    """Argon2id at its lowest cost (one pass over 8 KiB) instead of the recommended settings, which take about
    0.1 s of CPU per hash and per check here: the suite makes and logs in thousands of users, and that was
    about a quarter of its time. The algorithm and every code path stay the same. A hash carries its own
    settings, so the `casebook serve` processes of browser tests check these quickly too, while hashing new
    passwords (and their own dummy hash) at production cost; tests/casebook/accounts/test_passwords.py
    checks that cost in a fresh interpreter."""
    quick = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(account_service, "_password_hash", quick)
        patch.setattr(account_service, "_DUMMY_HASH", quick.hash(account_service._DUMMY_PASSWORD))
        yield


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Where each test's database is made: SQLite files by default, PostgreSQL databases when
    CASEBOOK_TEST_DATABASE_URL is set (tests/utils/databases.py)."""
    made = make_databases(tmp_path_factory.mktemp("template"))
    yield made
    made.close()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory):
    """A migrated SQLite file, whatever CASEBOOK_TEST_DATABASE_URL says (for tests of SQLite itself)."""
    return SqliteDatabases(tmp_path_factory.mktemp("sqlite-template")).template


@pytest.fixture
def settings(tmp_path, databases) -> Settings:
    database_url = databases.new(tmp_path)
    yield Settings(data_dir=tmp_path, secret_key="test-secret", database_url=database_url)
    databases.drop(database_url)


@pytest.fixture
def engine(settings):
    engine = make_engine(settings.sqlalchemy_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
def client(app):
    with TestClient(app) as test_client:
        yield test_client
