"""Scale-out: two `casebook serve` processes share rooms through Redis (python-socketio's AsyncRedisManager)
and one PostgreSQL database (a private schema, dropped afterwards). A message sent through one process reaches
a client of the other, and the sequence numbers stay gap-free while both processes write at once.
Skipped with a reason where Redis or PostgreSQL is absent; under CI=true that is a failure instead."""

import asyncio
import os
import subprocess
import sys
import time
import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session

from casebook.accounts.models import Role
from casebook.db import make_engine, migrate
from chat import service as chat_service
from chat.models import SessionCreate
from utils.factories import make_case, make_user, token_for

POSTGRES_URL = os.environ.get("CASEBOOK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("CASEBOOK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PER_SENDER = 40


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


@pytest.fixture
def shared_database():
    """A migrated private PostgreSQL schema; yields (engine, DATABASE_URL for the servers)."""
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not available here"
        _unavailable(f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}")
    schema = f"casebook_room_{uuid.uuid4().hex[:10]}"
    with admin.begin() as connection:
        connection.execute(text(f'create schema "{schema}"'))
    url = POSTGRES_URL + f"?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    migrate(engine)
    yield engine, url.replace("postgresql+psycopg://", "postgresql://", 1)
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'drop schema "{schema}" cascade'))
    admin.dispose()


@pytest.fixture
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001
        _unavailable(f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}")
    return REDIS_URL


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(tmp_path, database_url: str, redis_url: str, name: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "HF_HUB_OFFLINE": "1",
           "CASEBOOK_DATA_DIR": str(tmp_path / name), "CASEBOOK_SECRET_KEY": "gedeeld-geheim"}
    log = (tmp_path / f"{name}.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "casebook.cli", "serve", "--port", str(port)], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    log.close()  # the child keeps its own handle
    return process, f"http://127.0.0.1:{port}"


def _wait_until_up(process: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"server did not start (exit code {process.poll()})")


@pytest.fixture
def two_servers(tmp_path, shared_database, redis_url):
    _, database_url = shared_database
    started = [_start(tmp_path, database_url, redis_url, name) for name in ("een", "twee")]
    try:
        for process, url in started:
            _wait_until_up(process, url)
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            process.terminate()
            process.wait(timeout=10)


def test_a_message_sent_through_one_process_reaches_a_client_of_the_other_gap_free(shared_database, two_servers,
                                                                                client_at):
    engine, _ = shared_database
    with Session(engine, expire_on_commit=False) as db_session:
        coach = make_user(db_session, "coach")
        make_user(db_session, "aanbieder", Role.provider, teams=())
        case = make_case(db_session, coach)
        session = chat_service.create_session(db_session=db_session, user=coach, data=SessionCreate(
            case_id=case.id, participants=["aanbieder"]))
        tokens = {user.username: token_for(db_session, user)["Authorization"][7:]
                  for user in chat_service_users(db_session, session.id)}
    first, second = two_servers
    sid = session.id

    async def scenario():
        coach_client = client_at(first, tokens["coach"])
        provider_client = client_at(second, tokens["aanbieder"])
        for client in (coach_client, provider_client):
            await client.connect(sid)
            await client.join(sid)
        probe = await coach_client.say(sid, "Via proces een: hoort proces twee dit?", "probe")
        await provider_client.wait_for(lambda: probe["seq"] in provider_client.by_seq)

        async def send(client, prefix):
            for number in range(PER_SENDER):
                await client.say(sid, f"{prefix} {number}", f"{prefix}-{number}")

        await asyncio.gather(send(coach_client, "een"), send(provider_client, "twee"))
        total = 1 + 2 * PER_SENDER
        for client in (coach_client, provider_client):
            await client.wait_for(lambda: client.contiguous_seq >= total, timeout=30)
        await provider_client.wait_for(lambda: len(provider_client.received["presence"][-1]["participants"]) == 2)
        for client in (coach_client, provider_client):
            await client.close()
        return coach_client, provider_client, total

    coach_client, provider_client, total = asyncio.run(scenario())
    assert provider_client.by_seq[1]["text"] == "Via proces een: hoort proces twee dit?"
    for client in (coach_client, provider_client):
        assert sorted(client.by_seq) == list(range(1, total + 1)) and client.duplicates == 0
    assert {p["username"] for p in provider_client.received["presence"][-1]["participants"]} == {"coach", "aanbieder"}
    with engine.connect() as connection:
        seqs = connection.execute(text("select seq from message where session_id = :s order by seq"), {"s": sid})
        assert [row[0] for row in seqs] == list(range(1, total + 1))


def chat_service_users(db_session, session_id: int):
    from casebook.accounts import service as account_service

    session = chat_service.get(db_session=db_session, session_id=session_id)
    return [account_service.get_by_username(db_session=db_session, username=p.username)
            for p in chat_service.participants(db_session=db_session, session=session)]
