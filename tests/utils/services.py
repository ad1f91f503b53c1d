"""The PostgreSQL and Redis that run beside the tests on these machines. Where one is missing the test
skips with the reason; under CI=true that is a failure instead, so CI can never pass by skipping."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from casebook.db import make_engine, migrate

POSTGRES_URL = os.environ.get(
    "CASEBOOK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("CASEBOOK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


@contextmanager
def private_postgres_schema() -> Iterator[tuple[Engine, str]]:
    """A migrated schema of its own (dropped afterwards); yields (engine, DATABASE_URL for a server)."""
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not available here"
        unavailable(f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}")
    schema = f"casebook_test_{uuid.uuid4().hex[:10]}"
    with admin.begin() as connection:
        connection.execute(text(f'create schema "{schema}"'))
    url = POSTGRES_URL + f"?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        migrate(engine)
        yield engine, url.replace("postgresql+psycopg://", "postgresql://", 1)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'drop schema "{schema}" cascade'))
        admin.dispose()


def require_redis() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001
        unavailable(f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}")
    return REDIS_URL
