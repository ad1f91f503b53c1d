"""Scale-out: two `casebook serve` processes share rooms through Redis (python-socketio's AsyncRedisManager)
and one PostgreSQL database (a private schema, dropped afterwards). A message sent through one process reaches
a client of the other, and the sequence numbers stay gap-free while both processes write at once.
Skipped with a reason where Redis or PostgreSQL is absent; under CI=true that is a failure instead."""

import asyncio

import pytest
from sqlalchemy import text
from sqlmodel import Session

from casebook.accounts.models import Role
from chat import flows as chat_flows
from chat.discussions import service as discussion_service
from chat.discussions.models import SessionCreate
from utils.factories import make_case, make_user, token_for
from utils.servers import two_serve_processes
from utils.services import private_postgres_schema, require_redis

PER_SENDER = 40


@pytest.fixture
def shared_database():
    with private_postgres_schema() as database:
        yield database


@pytest.fixture
def redis_url():
    return require_redis()


@pytest.fixture
def two_servers(tmp_path, shared_database, redis_url):
    _, database_url = shared_database
    # two senders as fast as acks come back (the limits have their own tests: test_hardening)
    with two_serve_processes(
        tmp_path, database_url, redis_url, CASEBOOK_ROOM_EVENTS_PER_SECOND="0"
    ) as servers:
        yield list(servers)


def test_a_message_sent_through_one_process_reaches_a_client_of_the_other_gap_free(
    shared_database, two_servers, client_at
):
    engine, _ = shared_database
    with Session(engine, expire_on_commit=False) as db_session:
        coach = make_user(db_session, "coach")
        make_user(db_session, "aanbieder", Role.provider, teams=())
        case = make_case(db_session, coach)
        discussion = chat_flows.plan_discussion(
            db_session=db_session, user=coach, data=SessionCreate(case_id=case.id, participants=["aanbieder"])
        )
        tokens = {
            user.username: token_for(db_session, user)["Authorization"][7:]
            for user in participant_users(db_session, discussion.id)
        }
    first, second = two_servers
    sid = discussion.id

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
            await client.wait_for(lambda client=client: client.contiguous_seq >= total, timeout=30)
        await provider_client.wait_for(
            lambda: len(provider_client.received["presence"][-1]["participants"]) == 2
        )
        together = provider_client.received["presence"][
            -1
        ]  # before either leaves (the coach may leave first)
        for client in (coach_client, provider_client):
            await client.close()
        return coach_client, provider_client, total, together

    coach_client, provider_client, total, together = asyncio.run(scenario())
    assert provider_client.by_seq[1]["text"] == "Via proces een: hoort proces twee dit?"
    for client in (coach_client, provider_client):
        assert sorted(client.by_seq) == list(range(1, total + 1)) and client.duplicates == 0
    assert {p["username"] for p in together["participants"]} == {
        "coach",
        "aanbieder",
    }
    with engine.connect() as connection:
        seqs = connection.execute(
            text("select seq from message where session_id = :s order by seq"), {"s": sid}
        )
        assert [row[0] for row in seqs] == list(range(1, total + 1))


def participant_users(db_session, session_id: int):
    from casebook.accounts import service as account_service

    discussion = discussion_service.get(db_session=db_session, session_id=session_id)
    return [
        account_service.get_by_username(db_session=db_session, username=p.username)
        for p in discussion_service.participants(db_session=db_session, discussion=discussion)
    ]
