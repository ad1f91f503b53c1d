"""The assistant in the live room, over real Socket.IO connections: "@assistent ..." is answered with a
message of role `assistant` that everyone sees and that is stored and replayed like any other; the
facilitator can switch it off; two questions at once get two answers, in order."""

import asyncio
from datetime import timedelta

import httpx
import pytest

from casebook.cases import service as case_service
from casebook.timeutil import utcnow
from chat.stream import service as stream_service
from chat.stream.models import ASSISTANT_ROLE
from utils.factories import make_case

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


TWIN = {
    "title": "Schulden en een Wmo-besluit dat op de handtekening van de jurist wacht",
    "narrative": "[CLIENT] heeft schulden; het Wmo-besluit wacht weken op de handtekening van de jurist.",
}  # another case of the coach's team, like the one under discussion
TWIN_QUESTION = (
    "@assistent hebben we eerder gezien dat een Wmo-besluit weken op de handtekening van de jurist wacht?"
)


def closing_draft(client_for, room, said: str | None = None) -> str:
    """The coach closes the room (after saying `said`); the draft casebook entry written then."""
    sid = room["discussion"].id

    async def scenario():
        coach = client_for("coach")
        await coach.enter(sid)
        if said:
            await coach.say(sid, said, "m-1")
        closed = await coach.call("close", {"session_id": sid})
        await coach.close()
        return closed

    assert asyncio.run(scenario())["ok"]
    return httpx.get(
        f"{client_for('coach').url}/api/v1/sessions/{sid}/draft",
        headers={"Authorization": f"Bearer {room['tokens']['coach']}"},
    ).json()["summary"]


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
    summary = closing_draft(
        client_for, room, said="De schulden zijn groot en het besluit ligt bij de jurist."
    )
    assert "Situatie: Schulden en wachten op Wmo-besluit" in summary
    assert "De schulden zijn groot" in summary


def test_an_answer_in_the_room_quotes_only_cases_everyone_in_the_room_may_see(client_for, room, db_session):
    """The coach may see every case of the team, the invited provider only this one: the room's answer,
    which the provider reads too, cites no other case, until the provider is invited to it. Asked beside
    the room (the API answers only the asker), the coach's own rights count."""
    sid = room["discussion"].id
    twin = make_case(db_session, room["coach"], **TWIN)

    async def ask(client_id: str) -> dict:
        coach, provider = client_for("coach"), client_for("provider")
        await coach.enter(sid), await provider.enter(sid)
        asked = await coach.say(sid, TWIN_QUESTION, client_id)
        await provider.wait_for(lambda: any(a["target_seq"] == asked["seq"] for a in answers(provider)))
        await coach.close(), await provider.close()
        return next(a for a in answers(provider) if a["target_seq"] == asked["seq"])

    before = asyncio.run(ask("q-before"))
    alone = httpx.post(
        f"{client_for('coach').url}/api/v1/assistant",
        json={"message": TWIN_QUESTION, "session_id": sid},
        headers={"Authorization": f"Bearer {room['tokens']['coach']}"},
    ).json()
    case_service.invite(db_session=db_session, case=twin, user=room["provider"])
    db_session.commit()
    after = asyncio.run(ask("q-after"))

    assert before["data"]["citations"] == [] and "iedereen in dit overleg" in before["text"]
    assert twin.title not in before["text"]
    assert alone["citations"] == [twin.id]
    assert [c["case_id"] for c in after["data"]["citations"]] == [twin.id]


@pytest.mark.parametrize("provider_sees_twin", [False, True])
def test_the_closing_draft_compares_only_with_cases_everyone_who_reads_the_case_may_see(
    client_for, room, db_session, provider_sees_twin
):
    """The draft becomes part of the case, which the invited provider reads too."""
    twin = make_case(
        db_session,
        room["coach"],
        title="Schulden; Wmo-besluit wacht op de handtekening van de jurist",
        narrative="[CLIENT] heeft schulden en wacht op een Wmo-besluit.",
    )
    if provider_sees_twin:
        case_service.invite(db_session=db_session, case=twin, user=room["provider"])
        db_session.commit()
    assert (twin.title in closing_draft(client_for, room)) is provider_sees_twin


def test_whoever_may_no_longer_see_a_cited_case_reads_that_the_answer_is_withheld(
    client_for, room, db_session
):
    """The provider could see the cited case when the question was asked; after that invitation ends, the
    replay, the messages API and the transcript withhold the answer from the provider, not from the coach."""
    sid = room["discussion"].id
    twin = make_case(db_session, room["coach"], **TWIN)
    case_service.invite(
        db_session=db_session, case=twin, user=room["provider"], expires_at=utcnow() + timedelta(days=1)
    )
    db_session.commit()

    async def ask():
        coach = client_for("coach")
        await coach.enter(sid)
        await coach.say(sid, TWIN_QUESTION, "q-1")
        await coach.wait_for(lambda: answers(coach))
        await coach.close()
        return answers(coach)[0]

    async def replay(name: str) -> dict:
        client = client_for(name)
        await client.enter(sid)
        await client.close()
        return answers(client)[0]

    answered = asyncio.run(ask())
    case_service.limit_invitation(db_session=db_session, case=twin, user=room["provider"], until=None)
    db_session.commit()
    url = client_for("coach").url

    def messages(name: str) -> dict:
        response = httpx.get(
            f"{url}/api/v1/sessions/{sid}/messages",
            headers={"Authorization": f"Bearer {room['tokens'][name]}"},
        )
        return next(e for e in response.json() if e["role"] == ASSISTANT_ROLE)

    assert [c["case_id"] for c in answered["data"]["citations"]] == [twin.id]
    for seen_by_provider in (asyncio.run(replay("provider")), messages("provider")):
        assert seen_by_provider["text"] == stream_service.WITHHELD
        assert seen_by_provider["data"]["citations"] == [] and twin.title not in str(seen_by_provider)
    assert asyncio.run(replay("coach")) == answered == messages("coach")
