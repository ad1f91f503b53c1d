"""The live room over real Socket.IO connections: each test performs what a participant does and checks the
events the others receive, then compares with what is stored (Zulip style: store first, then broadcast)."""

import asyncio
import re

import pytest
import socketio
from sqlmodel import select

from casebook.audit.models import AuditEvent
from casebook.cases.models import Action, Bottleneck
from chat.discussions import service as discussion_service
from chat.discussions.models import SessionStatus
from chat.stream.models import Message

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

#: A word only a Dutch sentence has: error details are written for the people in the room.
DUTCH_WORD = re.compile(
    r"\b(?:de|het|een|is|niet|geen|te|van|mag|kan|bestaat|deze|dit|u|uw|alleen|of|en)\b", re.I
)


def run(coroutine):
    return asyncio.run(coroutine)


def stored(db_session, session_id: int) -> list[Message]:
    db_session.expire_all()
    return list(
        db_session.exec(select(Message).where(Message.session_id == session_id).order_by(Message.seq))
    )


def test_a_message_reaches_everyone_anonymised_with_the_next_seq_and_is_stored_first(
    client_for, room, db_session
):
    sid = room["discussion"].id

    async def scenario():
        coach, provider = client_for("coach"), client_for("provider")
        await coach.connect(sid)
        await provider.connect(sid)
        assert (await coach.join(sid))["ok"] and (await provider.join(sid))["ok"]
        ack = await provider.say(sid, "Kees Hoekstra (BSN 111222333) wacht al zes weken op de Wmo.", "c-1")
        await coach.wait_for(lambda: 1 in coach.by_seq)
        await coach.close(), await provider.close()
        return ack, coach.by_seq[1], coach.received["presence"]

    ack, event, presence = run(scenario())
    assert ack == {"ok": True, "seq": 1, "duplicate": False}
    assert event["author"] == "aanbieder" and event["role"] == "provider" and event["client_id"] == "c-1"
    assert "Kees" not in event["text"] and "111222333" not in event["text"]
    assert "[PERSOON-1]" in event["text"] and "[BSN-1]" in event["text"]
    assert {p["username"] for p in presence[-1]["participants"]} == {"coach", "aanbieder"}
    [message] = stored(db_session, sid)
    assert message.text == event["text"] and message.seq == 1


def test_a_resent_client_id_is_stored_once_and_only_the_sender_hears_it_again(client_for, room, db_session):
    sid = room["discussion"].id

    async def scenario():
        coach, provider = client_for("coach"), client_for("provider")
        for client in (coach, provider):
            await client.enter(sid)
        first = await provider.say(sid, "Zelfde bericht", "dubbel-1")
        again = await provider.say(sid, "Zelfde bericht", "dubbel-1")
        await coach.say(sid, "Daarna", "c-2")
        await coach.wait_for(lambda: 2 in coach.by_seq)
        await provider.wait_for(lambda: 2 in provider.by_seq)
        await coach.close(), await provider.close()
        return first, again, coach, provider

    first, again, coach, provider = run(scenario())
    assert first["seq"] == again["seq"] == 1 and again["duplicate"] is True
    assert [m.seq for m in stored(db_session, sid)] == [1, 2]
    assert coach.duplicates == 0 and len(coach.received["message"]) == 2
    assert provider.duplicates == 1  # the resend is answered to its sender only


def test_join_with_last_seq_replays_everything_after_it_including_edits_and_hides(
    client_for, room, db_session
):
    sid = room["discussion"].id

    async def scenario():
        coach, provider = client_for("coach"), client_for("provider")
        for client in (coach, provider):
            await client.enter(sid)
        await provider.say(sid, "Eerste versie", "p-1")
        await coach.say(sid, "Iets ongepasts", "c-1")
        assert (await provider.call("edit", {"session_id": sid, "seq": 1, "text": "Tweede versie"}))["ok"]
        assert (await provider.call("report", {"session_id": sid, "seq": 2}))["ok"]
        await coach.wait_for(lambda: coach.received["report"])
        assert (await coach.call("hide", {"session_id": sid, "seq": 2}))["ok"]
        late = client_for("provider")
        await late.connect()
        ack = await late.join(sid, last_seq=1)
        await late.wait_for(lambda: late.contiguous_seq == 0 and max(late.by_seq, default=0) >= 4)
        full = client_for("provider")
        await full.connect()
        await full.join(sid, last_seq=0)
        await full.wait_for(lambda: full.contiguous_seq >= 4)
        for client in (coach, provider, late, full):
            await client.close()
        return ack, late, full, coach

    ack, late, full, coach = run(scenario())
    assert ack["ok"] and ack["replayed"] == 3
    assert sorted(late.by_seq) == [2, 3, 4]
    assert [full.by_seq[s]["kind"] for s in (1, 2, 3, 4)] == ["message", "message", "edit", "hide"]
    assert full.by_seq[1]["text"] == "Tweede versie" and full.by_seq[1]["edited"] is True
    assert full.by_seq[2]["hidden"] is True and full.by_seq[2]["text"] == ""
    assert coach.received["report"][0]["seq"] == 2 and coach.received["report"][0]["reporter"] == "aanbieder"
    hidden = stored(db_session, sid)[1]
    assert hidden.hidden and hidden.text == "Iets ongepasts"  # hidden, not deleted
    actions = db_session.exec(
        select(AuditEvent.action, AuditEvent.actor_id).where(AuditEvent.object_type == "message")
    ).all()
    assert ("message.hide", room["coach"].id) in actions and (
        "message.report",
        room["provider"].id,
    ) in actions


@pytest.mark.parametrize(
    "event, payload, code",
    [
        ("message", {"session_id": "{sid}", "text": "x" * 9000, "client_id": "groot"}, "too_large"),
        ("message", {"session_id": 9999, "text": "Hallo"}, "not_joined"),
        ("join", {"session_id": 9999, "last_seq": 0}, "not_found"),
        ("message", "geen object", "invalid"),
        ("message", {"session_id": "{sid}", "tekst": "typfout"}, "invalid"),
        ("phase", {"session_id": "{sid}", "phase": "opening"}, "forbidden"),
        ("flag_bottleneck", {"session_id": "{sid}", "law": "Wmo", "kind": "onbekend"}, "invalid"),
        ("edit", {"session_id": "{sid}", "seq": 1, "text": "niet van mij"}, "not_found"),
    ],
)
def test_bad_input_gets_a_dutch_error_stores_nothing_and_keeps_the_connection(
    client_for, room, db_session, event, payload, code
):
    sid = room["discussion"].id
    if isinstance(payload, dict):
        payload = {key: sid if value == "{sid}" else value for key, value in payload.items()}

    async def scenario():
        provider = client_for("provider")
        await provider.connect()
        await provider.join(sid)
        refused = await provider.call(event, payload)
        await provider.wait_for(lambda: provider.received["error"])
        still_up = await provider.say(sid, "Nog steeds verbonden", "daarna")
        await provider.close()
        return refused, provider.received["error"][0], still_up

    refused, error, still_up = run(scenario())
    assert refused["ok"] is False and error["code"] == code == refused["code"]
    assert DUTCH_WORD.search(error["detail"]), error["detail"]  # a Dutch sentence, not a code or English
    assert still_up["ok"] and still_up["seq"] == 1  # nothing else was stored, no seq was spent
    assert [m.text for m in stored(db_session, sid)] == ["Nog steeds verbonden"]


def test_an_uninvited_user_is_refused_at_connect_and_at_join_and_it_is_audited(client_for, room, db_session):
    sid = room["discussion"].id

    async def scenario():
        at_connect = client_for("outsider")
        with pytest.raises(socketio.exceptions.ConnectionError):
            await at_connect.connect(sid)
        at_join = client_for("outsider")
        await at_join.connect()
        answer = await at_join.join(sid)
        blocked = await at_join.say(sid, "Mag ik meedoen?")
        await at_join.close()
        return at_connect.received["connect_error"], answer, blocked

    refused, answer, blocked = run(scenario())
    assert refused[0]["data"]["code"] == "not_invited" and "niet uitgenodigd" in refused[0]["message"]
    assert answer["code"] == "not_invited" and "niet uitgenodigd" in answer["detail"]
    assert blocked["code"] == "not_joined"
    denied = db_session.exec(select(AuditEvent).where(AuditEvent.action == "session.access_denied")).all()
    assert len(denied) == 2 and {e.actor_id for e in denied} == {room["outsider"].id}
    assert stored(db_session, sid) == []


def test_a_connection_without_login_is_refused_and_the_session_cookie_is_accepted(
    new_client, cookie_for, room
):
    sid = room["discussion"].id
    cookie = cookie_for("coach")

    async def scenario():
        anonymous = new_client()
        with pytest.raises(socketio.exceptions.ConnectionError):
            await anonymous.connect()
        forged = new_client(cookie="eyJ1c2VyX2lkIjogMX0=.bad.signature")
        with pytest.raises(socketio.exceptions.ConnectionError):
            await forged.connect()
        browser = new_client(cookie=cookie)
        await browser.connect(sid)
        ack = await browser.join(sid)
        await browser.close()
        return ack, anonymous.received["connect_error"], forged.received["connect_error"]

    ack, anonymous_refusal, forged_refusal = run(scenario())
    assert ack["ok"]
    for refusal in (anonymous_refusal, forged_refusal):  # refused for the login, not by some other failure
        assert refusal[0]["data"]["code"] == "unauthorized" and "niet ingelogd" in refusal[0]["message"]


def test_the_facilitator_moves_phases_with_a_prompt_and_the_session_goes_live(client_for, room, db_session):
    sid = room["discussion"].id

    async def scenario():
        coach, provider = client_for("coach"), client_for("provider")
        for client in (coach, provider):
            await client.enter(sid)
        assert (await coach.call("phase", {"session_id": sid, "phase": "knelpunten"}))["ok"]
        await provider.wait_for(lambda: provider.received["phase"])
        late = client_for("provider")
        await late.connect()
        await late.join(sid, last_seq=1)
        await late.wait_for(lambda: late.received["phase"])
        unknown = await coach.call("phase", {"session_id": sid, "phase": "bestaat-niet"})
        for client in (coach, provider, late):
            await client.close()
        return provider, late, unknown

    provider, late, unknown = run(scenario())
    phase = provider.received["phase"][0]
    assert phase["phase"] == "knelpunten" and "regel" in phase["prompt"]
    assert provider.by_seq[1]["kind"] == "phase"
    assert late.received["phase"][0]["phase"] == "knelpunten"  # a latecomer sees the current phase
    assert unknown["code"] == "invalid"
    db_session.expire_all()
    assert discussion_service.get(db_session=db_session, session_id=sid).status == SessionStatus.live


def test_in_room_actions_land_on_the_case_and_in_the_stream(client_for, room, db_session):
    sid, case_id = room["discussion"].id, room["case"].id

    async def scenario():
        provider = client_for("provider")
        await provider.connect()
        await provider.join(sid)
        flagged = await provider.call(
            "flag_bottleneck",
            {
                "session_id": sid,
                "law": "Participatiewet art. 34",
                "rule": "vermogenstoets",
                "kind": "toegangscriteria",
                "level": "national_law",
                "description": "Kees Hoekstra kreeg geen bijstand door spaargeld",
                "delay_days": 21,
                "workaround": "noodfonds",
                "client_id": "k-1",
            },
        )
        agreed = await provider.call(
            "agreement",
            {
                "session_id": sid,
                "description": "Budgetcoach inzetten",
                "owner_role": "provider",
                "due_date": "2026-12-15",
            },
        )
        domain = await provider.call("domain", {"session_id": sid, "domain": "schulden"})
        hand = await provider.call("hand", {"session_id": sid, "raised": True})
        await provider.wait_for(lambda: provider.contiguous_seq >= 4)
        await provider.close()
        return flagged, agreed, domain, hand, provider

    flagged, agreed, domain, hand, provider = run(scenario())
    assert all(answer["ok"] for answer in (flagged, agreed, domain, hand))
    assert [provider.by_seq[s]["kind"] for s in (1, 2, 3, 4)] == ["bottleneck", "agreement", "domain", "hand"]
    bottleneck = db_session.get(Bottleneck, flagged["bottleneck_id"])
    assert (
        bottleneck.case_id == case_id
        and bottleneck.delay_days == 21
        and bottleneck.kind == "toegangscriteria"
    )
    assert "Kees" not in bottleneck.description and "[PERSOON-1]" in bottleneck.description
    assert provider.by_seq[1]["data"]["description"] == bottleneck.description
    action = db_session.get(Action, agreed["action_id"])
    assert (
        action.case_id == case_id and action.owner_role == "provider" and str(action.due_date) == "2026-12-15"
    )
    assert provider.by_seq[3]["data"] == {"domain": "financiën"}
