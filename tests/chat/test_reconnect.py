"""A laptop that drops off the Wi-Fi loses nothing: clients dropped and reconnected mid-stream (and a server
restart) end with every event exactly once, in order; a message resent after a lost ack is stored once."""

import asyncio
import random

import pytest
from sqlmodel import select

from chat.stream.models import Message

TOTAL = 120


@pytest.fixture
def settings(settings):
    """These clients send as fast as acks come back and reconnect often: the per-user room limits (tested in
    test_hardening) are lifted here."""
    return settings.model_copy(update={"room_events_per_second": 0, "room_max_connections_per_user": 0})


async def _rejoin(client, session_id: int) -> None:
    await client.connect()
    await client.join(session_id, last_seq=client.contiguous_seq)


async def _drop_and_return(client, session_id: int, pause: float) -> None:
    await client.close()
    await asyncio.sleep(pause)
    client.new_socket()
    await _rejoin(client, session_id)


async def _sender(client, session_id: int, drops: set[int]) -> None:
    """Send TOTAL messages; at some of them, drop the connection right after sending (so the ack is lost)
    and resend the same client_id after reconnecting, as room.js does with its outbox."""
    for number in range(TOTAL):
        payload = {"session_id": session_id, "text": f"bericht {number}", "client_id": f"zender-{number}"}
        if number in drops:
            await client.sio.emit("message", payload)
            await client.close()
            client.new_socket()
            await _rejoin(client, session_id)
        await client.call("message", payload)
        await asyncio.sleep(0.004)


def test_clients_dropped_and_reconnected_mid_stream_lose_and_duplicate_nothing(client_for, room, db_session):
    sid = room["discussion"].id
    rng = random.Random(5)

    async def scenario():
        sender = client_for("coach")
        listeners = [client_for("provider") for _ in range(4)]
        for client in (sender, *listeners):
            await client.enter(sid)

        async def flaky(listener) -> None:
            for _ in range(3):
                await asyncio.sleep(rng.uniform(0.05, 0.4))
                await _drop_and_return(listener, sid, rng.uniform(0.01, 0.2))

        await asyncio.gather(
            _sender(sender, sid, drops={30, 77}), *(flaky(listener) for listener in listeners)
        )
        for listener in listeners:
            await listener.wait_for(lambda listener=listener: listener.contiguous_seq >= TOTAL, timeout=20)
        for client in (sender, *listeners):
            await client.close()
        return listeners

    listeners = run(scenario())
    for listener in listeners:
        assert sorted(listener.by_seq) == list(range(1, TOTAL + 1))
        assert listener.duplicates == 0
        assert [listener.by_seq[s]["text"] for s in range(1, TOTAL + 1)] == [
            f"bericht {n}" for n in range(TOTAL)
        ]
    db_session.expire_all()
    stored = db_session.exec(
        select(Message.seq, Message.client_id).where(Message.session_id == sid).order_by(Message.seq)
    ).all()
    assert [seq for seq, _ in stored] == list(range(1, TOTAL + 1))
    assert len({client_id for _, client_id in stored}) == TOTAL


def test_after_a_server_restart_clients_reconnect_and_catch_up_from_their_last_seq(
    start_server, token_client, room
):
    sid = room["discussion"].id

    async def scenario():
        server = start_server()
        coach, provider = token_client(server.url, "coach"), token_client(server.url, "provider")
        for client in (coach, provider):
            await client.enter(sid)
        for number in range(5):
            await coach.say(sid, f"voor {number}", f"voor-{number}")
        await provider.wait_for(lambda: provider.contiguous_seq == 5)
        await asyncio.to_thread(server.stop)
        server = await asyncio.to_thread(start_server, server.port)
        coach.new_socket()
        await coach.connect()
        await coach.join(sid, last_seq=5)
        for number in range(5):  # said while the provider's laptop was still reconnecting
            await coach.say(sid, f"na {number}", f"na-{number}")
        provider.new_socket()
        await _rejoin(provider, sid)
        await provider.wait_for(lambda: provider.contiguous_seq == 10)
        await coach.close(), await provider.close()
        return provider

    provider = run(scenario())
    assert sorted(provider.by_seq) == list(range(1, 11)) and provider.duplicates == 0
    assert provider.by_seq[10]["text"] == "na 4"


def run(coroutine):
    return asyncio.run(coroutine)
