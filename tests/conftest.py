"""Shared fixtures. Heavy things (deduce, the migrated schema) are built once per test session;
every test gets its own database file and data dir, so tests never see each other's data."""

import os
import shutil

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from casebook.anonymise import service as anonymise_service  # noqa: E402
from casebook.app import create_app  # noqa: E402
from casebook.db import make_engine, migrate  # noqa: E402
from casebook.settings import Settings  # noqa: E402
from search import service as search_service  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def models_ready():
    """Load deduce's lookup tables and the embedding model once for the whole run, up front: every app
    start would otherwise load the model in a background thread, racing with whatever a test imports."""
    anonymise_service.warm_up()
    loading = search_service.warm_up(Settings())
    if loading is not None:
        loading.join()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "casebook.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path


@pytest.fixture
def settings(tmp_path, migrated_sqlite_template) -> Settings:
    shutil.copy(migrated_sqlite_template, tmp_path / "casebook.db")
    return Settings(data_dir=tmp_path, secret_key="test-secret", database_url=None)


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
