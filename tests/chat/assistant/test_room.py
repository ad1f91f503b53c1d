"""The assistant in the live room, over real Socket.IO connections: "@assistent ..." is answered with a
message of role `assistant` that everyone sees and that is stored and replayed like any other; the
facilitator can switch it off; two questions at once get two answers, in order."""

import asyncio

import httpx
import pytest

from chat.stream.models import ASSISTANT_ROLE

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def answers(client) -> list[dict]:
    return [e for _, e in sorted(client.by_seq.items()) if e["role"] == ASSISTANT_ROLE]


def test_a_question_in_the_room_is_answered_for_everyone_stored_and_replayed(client_for, room):
    sid = room["discussion"].id

    async def scenario():
        coach, provider = client_for("coach"), client_for("provider")
        await coach.enter(sid), await provider.enter(sid)
        asked = await provider.say(
            sid, "@assistent wat missen we nog? Kees Hoekstra zei niets over werk", "q-1"
        )
        await coach.wait_for(lambda: answers(coach))
        await provider.wait_for(lambda: answers(provider))
        await provider.close()
        late = client_for("provider")  # reconnects later: the answer is replayed like any message
        await late.enter(sid)
        await coach.close(), await late.close()
        return asked, answers(coach)[0], answers(provider)[0], answers(late)

    asked, seen_by_coach, seen_by_provider, replayed = asyncio.run(scenario())
    assert seen_by_coach == seen_by_provider and replayed == [seen_by_coach]
    assert seen_by_coach["target_seq"] == asked["seq"] and seen_by_coach["author"] == "Assistent"
    assert seen_by_coach["data"]["skill"] == "reflect" and seen_by_coach["data"]["backend"] == "builtin"
    assert "financiën" in seen_by_coach["text"] and "Kees" not in seen_by_coach["text"]


def test_two_people_asking_at_once_both_get_their_answer_in_order(client_for, room):
    sid = room["discussion"].id

    async def scenario():
        coach, provider = client_for("coach"), client_for("provider")
        await coach.enter(sid), await provider.enter(sid)
        acks = await asyncio.gather(
            coach.say(sid, "@assistent vat samen waar we staan", "a-1"),
            provider.say(sid, "@assistent tips voor deze fase?", "b-1"),
        )
        await coach.wait_for(lambda: len(answers(coach)) == 2)
        await coach.close(), await provider.close()
        return acks, answers(coach)

    acks, given = asyncio.run(scenario())
    assert [a["target_seq"] for a in given] == sorted(ack["seq"] for ack in acks)
    by_question = {a["target_seq"]: a["data"]["skill"] for a in given}
    assert by_question == {acks[0]["seq"]: "summary", acks[1]["seq"]: "facilitation"}


def test_the_facilitator_switches_the_assistant_off_and_then_it_stays_silent(client_for, room):
    sid = room["discussion"].id

    async def scenario():
        coach, provider = client_for("coach"), client_for("provider")
        await coach.enter(sid), await provider.enter(sid)
        refused = await provider.call("assistant", {"session_id": sid, "enabled": False})
        switched = await coach.call("assistant", {"session_id": sid, "enabled": False})
        await provider.say(sid, "@assistent hebben we dit eerder gezien?", "q-2")
        await provider.wait_for(lambda: provider.received["error"])
        await asyncio.sleep(0.5)
        await coach.close(), await provider.close()
        return refused, switched, provider

    refused, switched, provider = asyncio.run(scenario())
    assert not refused["ok"] and refused["code"] == "forbidden"
    assert switched["ok"] and provider.by_seq[switched["seq"]]["kind"] == "assistant"
    assert answers(provider) == [] and provider.received["error"][-1]["code"] == "assistant_off"
    response = httpx.post(
        f"{provider.url}/api/v1/assistant",
        json={"message": "wat missen we?", "session_id": sid},
        headers={"Authorization": f"Bearer {provider.token}"},
    )
    assert response.status_code == 403 and "staat uit" in response.json()["detail"]


def test_closing_with_the_assistant_on_writes_the_better_draft_entry(client_for, room):
    sid = room["discussion"].id

    async def scenario():
        coach = client_for("coach")
        await coach.enter(sid)
        await coach.say(sid, "De schulden zijn groot en het besluit ligt bij de jurist.", "m-1")
        closed = await coach.call("close", {"session_id": sid})
        await coach.close()
        return closed

    assert asyncio.run(scenario())["ok"]
    draft = httpx.get(
        f"{client_for('coach').url}/api/v1/sessions/{sid}/draft",
        headers={"Authorization": f"Bearer {room['tokens']['coach']}"},
    ).json()
    assert "Situatie: Schulden en wachten op Wmo-besluit" in draft["summary"]
    assert "De schulden zijn groot" in draft["summary"]
