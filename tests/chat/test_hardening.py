"""The room under a hostile or departed participant (issue 9, medium items): what is hidden stays hidden in
every version, a client_id carries no text, rights are re-checked on every event, the session API follows
case visibility, a published entry is final, rosters are bounded, and nobody floods the room."""

import asyncio

import httpx
import pytest
from sqlmodel import select

from chat import service as chat_service
from chat.models import EventKind, Message

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def run(coroutine):
    return asyncio.run(coroutine)


def stored(db_session, session_id: int) -> list[Message]:
    db_session.expire_all()
    return list(db_session.exec(select(Message).where(Message.session_id == session_id).order_by(Message.seq)))


# ---- hidden means hidden, edits included --------------------------------------------------------

def test_a_hidden_message_is_served_without_the_text_of_its_edits_in_replay_and_history(
        client_for, room, live_server, db_session):
    sid = room["session"].id

    async def scenario():
        coach, provider = client_for("coach"), client_for("provider")
        for client in (coach, provider):
            await client.enter(sid)
        await provider.say(sid, "Eerste versie met iets ongepasts", "p-1")
        assert (await provider.call("edit", {"session_id": sid, "seq": 1, "text": "Tweede ongepaste versie"}))["ok"]
        assert (await coach.call("hide", {"session_id": sid, "seq": 1}))["ok"]
        late = client_for("provider")
        await late.connect()
        await late.join(sid, last_seq=0)
        await late.wait_for(lambda: late.contiguous_seq >= 3)
        for client in (coach, provider, late):
            await client.close()
        return late

    late = run(scenario())
    history = httpx.get(f"{live_server.url}/api/v1/sessions/{sid}/messages",
                        headers={"Authorization": f"Bearer {room['tokens']['provider']}"}).json()
    for events in ([late.by_seq[seq] for seq in sorted(late.by_seq)], history):
        assert [e["kind"] for e in events] == ["message", "edit", "hide"]
        assert all("ongepast" not in e["text"] for e in events)
        assert events[0]["hidden"] and events[1]["hidden"] and events[1]["text"] == ""
    rows = stored(db_session, sid)
    assert rows[0].hidden and rows[1].hidden  # kept (audit), never served


def test_an_edit_stored_before_its_message_was_hidden_is_blanked_on_reading_too(room, db_session):
    """Streams written before this fix have edit rows that were never marked hidden: reading still blanks them."""
    session, provider, coach = room["session"], room["provider"], room["coach"]
    chat_service.post_message(db_session=db_session, session_id=session.id, user=provider, text="Origineel", client_id="a")
    chat_service.edit_message(db_session=db_session, session_id=session.id, user=provider, seq=1, text="Bewerkt geheim")
    chat_service.hide_message(db_session=db_session, session=session, user=coach, seq=1)
    edit = db_session.exec(select(Message).where(Message.session_id == session.id,
                                                 Message.kind == EventKind.edit)).one()
    edit.hidden = False  # as an older version stored it
    db_session.add(edit)
    db_session.commit()
    events = chat_service.events_after(db_session=db_session, session_id=session.id)
    assert [e["text"] for e in events] == ["", "", ""] and all(e["hidden"] for e in events[:2])


# ---- client_id ------------------------------------------------------------------------------------

@pytest.mark.parametrize("client_id", ["Kees Hoekstra 111222333", "<script>x</script>", "x" * 65, "é-1", "a/b"])
def test_a_client_id_with_free_text_is_refused_with_an_error_and_never_echoed(client_for, room, db_session, client_id):
    sid = room["session"].id

    async def scenario():
        coach, provider = client_for("coach"), client_for("provider")
        for client in (coach, provider):
            await client.enter(sid)
        refused = await provider.say(sid, "Hallo", client_id)
        flagged = await provider.call("flag_bottleneck", {"session_id": sid, "law": "Wmo", "kind": "toegangscriteria",
                                                          "client_id": client_id})
        fine = await provider.say(sid, "Hallo", "0f8c2a1e-5b7d-4c1e-9a3b-2d4e6f8a0b1c")
        await coach.wait_for(lambda: 1 in coach.by_seq)
        for client in (coach, provider):
            await client.close()
        return refused, flagged, fine, provider, coach

    refused, flagged, fine, provider, coach = run(scenario())
    for answer in (refused, flagged):
        assert answer["ok"] is False and answer["code"] == "invalid" and "client_id" in answer["detail"]
    assert provider.received["error"][0] == {"code": "invalid", "detail": refused["detail"]}
    everything = repr(provider.received) + repr(coach.received)
    assert client_id not in everything
    assert fine["ok"] and fine["seq"] == 1 and [m.client_id for m in stored(db_session, sid)] == [
        "0f8c2a1e-5b7d-4c1e-9a3b-2d4e6f8a0b1c"]


def test_the_service_refuses_a_client_id_with_free_text_from_any_caller(room, db_session):
    with pytest.raises(chat_service.Invalid, match="client_id"):
        chat_service.post_message(db_session=db_session, session_id=room["session"].id, user=room["coach"],
                                  text="Hallo", client_id="Jan Jansen")
    assert stored(db_session, room["session"].id) == []
