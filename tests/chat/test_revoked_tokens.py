"""The live room honours the end of an API token: a revoked or expired token cannot connect, and a socket
that connected with a token that is revoked afterwards is refused and cut off at its next event."""

import asyncio
from datetime import timedelta

import pytest
import socketio
from sqlmodel import select

from casebook.accounts import service as account_service
from casebook.accounts.models import ApiToken
from casebook.timeutil import utcnow


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_revoked_token_cannot_connect_to_the_room(client_for, room, db_session):
    account_service.revoke_tokens(db_session=db_session, target="aanbieder")
    db_session.commit()

    async def scenario():
        client = client_for("provider")
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect()
        return client.received["connect_error"][0]

    assert run(scenario())["data"]["code"] == "unauthorized"


def test_an_expired_token_cannot_connect_to_the_room(client_for, room, db_session):
    for row in db_session.exec(select(ApiToken).where(ApiToken.user_id == room["provider"].id)):
        row.expires_at = utcnow() - timedelta(minutes=1)
        db_session.add(row)
    db_session.commit()

    async def scenario():
        client = client_for("provider")
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect()

    run(scenario())


def test_a_token_revoked_while_connected_is_refused_at_the_next_event(client_for, room, db_session):
    sid = room["discussion"].id

    async def scenario():
        client = client_for("provider")
        await client.enter(sid)
        before = await client.say(sid, "Wij kunnen volgende week starten.")
        account_service.revoke_tokens(db_session=db_session, target="aanbieder")
        db_session.commit()
        after = await client.say(sid, "Nog een bericht na het intrekken.")
        await client.wait_for(lambda: not client.sio.connected, timeout=5)
        return before, after

    before, after = run(scenario())
    assert before["ok"] and not after["ok"] and after["code"] == "token_revoked"
