"""Access taken away reaches sockets that never send anything: a withdrawn invitation closes the user's member
room in every process (python-socketio forwards `close_room` through Redis), and the room's periodic sweep
takes out sockets whose user was deactivated, whose invitation expired or who lost sight of the case."""

import asyncio
from datetime import timedelta

import httpx
import pytest

from casebook.app import create_asgi_app
from casebook.cases.models import CaseParticipant
from casebook.timeutil import utcnow
from chat.discussions.models import SessionParticipant
from utils.servers import ThreadedServer
from utils.services import require_redis

from .conftest import RoomClient

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


async def _gone(client: RoomClient, timeout: float = 5.0) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while client.sio.connected and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)
    return not client.sio.connected


async def _coach_says_and_provider_hears(coach: RoomClient, provider: RoomClient, sid: int, seq: int) -> bool:
    await coach.say(sid, f"Bericht {seq}", f"c-{seq}")
    await coach.wait_for(lambda: seq in coach.by_seq)
    await asyncio.sleep(0.3)
    return seq in provider.by_seq


@pytest.fixture
def two_processes(settings):
    """Two servers over one database that share rooms through Redis, as two `casebook serve` processes do."""
    shared = settings.model_copy(update={"redis_url": require_redis()})
    servers = [ThreadedServer(create_asgi_app(shared)).start() for _ in range(2)]
    yield servers
    for server in servers:
        server.stop()


def test_a_withdrawal_on_one_process_ends_a_passive_socket_on_the_other(two_processes, room):
    one, two = two_processes
    sid = room["discussion"].id

    async def scenario():
        coach = RoomClient(one.url, token=room["tokens"]["coach"])
        provider = RoomClient(two.url, token=room["tokens"]["provider"])
        for client in (coach, provider):
            await client.enter(sid)
        heard_before = await _coach_says_and_provider_hears(coach, provider, sid, 1)
        async with httpx.AsyncClient(base_url=one.url) as http:
            response = await http.delete(
                f"/api/v1/sessions/{sid}/participants/aanbieder",
                headers={"Authorization": f"Bearer {room['tokens']['coach']}"},
            )
        heard_after = await _coach_says_and_provider_hears(coach, provider, sid, 2)
        gone = await _gone(provider)
        await coach.close()
        return response.status_code, heard_before, heard_after, gone, provider

    status, heard_before, heard_after, gone, provider = asyncio.run(scenario())
    assert status == 204 and heard_before
    assert not heard_after and gone
    assert provider.received["error"][-1]["code"] == "access_revoked"


def _sweep(server: ThreadedServer) -> int:
    room = server.server.config.app.room
    return asyncio.run_coroutine_threadsafe(room.sweep(), room.loop).result(timeout=10)


def _deactivate(db_session, room) -> None:
    room["provider"].is_active = False
    db_session.add(room["provider"])
    db_session.commit()


def _expire(db_session, room) -> None:
    past = utcnow() - timedelta(minutes=1)
    discussion = room["discussion"]
    for row in (
        db_session.get(SessionParticipant, (discussion.id, room["provider"].id)),
        db_session.get(CaseParticipant, (discussion.case_id, room["provider"].id)),
    ):
        row.expires_at = past
        db_session.add(row)
    db_session.commit()


@pytest.mark.parametrize("lose_access", [_deactivate, _expire], ids=["deactivated", "invitation-expired"])
def test_the_sweep_ends_a_passive_socket_whose_user_lost_access(live_server, room, db_session, lose_access):
    sid = room["discussion"].id

    async def scenario():
        coach = RoomClient(live_server.url, token=room["tokens"]["coach"])
        provider = RoomClient(live_server.url, token=room["tokens"]["provider"])
        for client in (coach, provider):
            await client.enter(sid)
        kept = await asyncio.to_thread(_sweep, live_server)  # nobody lost anything yet
        heard_before = await _coach_says_and_provider_hears(coach, provider, sid, 1)
        lose_access(db_session, room)
        swept = await asyncio.to_thread(_sweep, live_server)
        heard_after = await _coach_says_and_provider_hears(coach, provider, sid, 2)
        gone = await _gone(provider)
        still_there = coach.sio.connected
        await coach.close()
        return kept, heard_before, swept, heard_after, gone, still_there, provider

    kept, heard_before, swept, heard_after, gone, still_there, provider = asyncio.run(scenario())
    assert kept == 0 and heard_before
    assert swept == 1 and not heard_after and gone and still_there
    assert provider.received["error"][-1]["code"] == "access_revoked"
