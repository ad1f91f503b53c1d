"""The LLM backend's answer in the live room, over real Socket.IO connections and a language model server on a
real socket: the answer appears at once as the assistant typing (`message_partial` without text), grows a
sentence at a time as each sentence passes the room's anonymiser, the same for everyone in the room, and the
stored message with the complete answer takes its place; a replay shows only that message."""

import asyncio
import re

import pytest

from casebook.cases import service as case_service
from chat.discussions.models import SessionParticipant
from chat.stream import service as stream_service
from chat.stream.models import ASSISTANT_ROLE
from utils.factories import make_case
from utils.llm_servers import fake_llm_server, stalls, streams

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

QUESTION = "@assistent hebben we eerder een moeder met schulden gezien waarbij de jurist niet tekende?"
CITED_RE = re.compile(r"casus\s*(\d+)", re.IGNORECASE)


@pytest.fixture
def model_server():
    """A scripted chat-completions server; a test sets its `behaviour` before asking."""
    with fake_llm_server(streams(["Geen antwoord."])) as server:
        yield server


@pytest.fixture
def settings(settings, model_server):
    return settings.model_copy(update={"llm_url": model_server.url, "llm_timeout": 2})


@pytest.fixture
def earlier_case(room, db_session):
    """A case of the coach's team like the one under discussion, for the assistant to find and cite (the
    provider in the room is invited to it too: the room's answer quotes only what everyone there may see)."""
    case = make_case(
        db_session,
        room["coach"],
        title="Moeder met schulden; de jurist tekent het Wmo-besluit niet",
        narrative="[CLIENT] is moeder en heeft schulden. De jurist tekende het besluit niet; "
        "de teamleider tekende na escalatie.",
    )
    case_service.invite(db_session=db_session, case=case, user=room["provider"])
    db_session.commit()
    return case


def answers_in_sentences(handler, stop):
    """Three sentences, in pieces that split the roster's name, citing the first case of the prompt."""
    prompt_text = handler.server.requests[-1]["body"]["messages"][-1]["content"]
    first = CITED_RE.search(prompt_text).group(1)
    streams(
        [
            "Kees Hoek",
            "stra kreeg een betalingsregeling ",
            f"[casus {first}]. ",
            "De teamleider tekende ",
            "binnen een week. ",
            "Daarna ging het beter.",
        ],
        pause=0.2,
    )(handler, stop)


def partials(client, question_seq: int) -> list[dict]:
    return [p for p in client.received["message_partial"] if p["target_seq"] == question_seq]


def answers(client) -> list[dict]:
    return [e for _, e in sorted(client.by_seq.items()) if e["role"] == ASSISTANT_ROLE]


def test_the_llm_answer_grows_sentence_by_sentence_for_everyone_and_is_stored_whole(
    client_for, room, model_server, earlier_case
):
    model_server.behaviour = answers_in_sentences
    sid = room["discussion"].id

    async def scenario():
        coach, provider, outsider = client_for("coach"), client_for("provider"), client_for("outsider")
        await coach.enter(sid), await provider.enter(sid)
        refused = await outsider.enter(sid)  # connected, but not invited: the room is closed to them
        asked = await coach.say(sid, QUESTION, "q-1")  # the coach's rights: the provider may not see the case
        await coach.wait_for(lambda: answers(coach), timeout=30)
        await provider.wait_for(lambda: answers(provider), timeout=30)
        late = client_for("provider")  # joins afterwards: the replay holds the answer, not its making
        await late.enter(sid)
        await coach.close(), await provider.close(), await late.close(), await outsider.close()
        return asked, coach, provider, late, (refused, outsider)

    asked, coach, provider, late, (refused, outsider) = asyncio.run(scenario())
    seen = partials(coach, asked["seq"])
    assert seen == partials(provider, asked["seq"])
    assert seen[0]["text"] == "" and seen[0]["author"] == "Assistent" and seen[0]["role"] == ASSISTANT_ROLE
    texts = [p["text"] for p in seen[1:]]
    assert len(texts) == 3  # one release per sentence
    assert all(longer.startswith(shorter) and longer != shorter for shorter, longer in zip(texts, texts[1:]))
    assert not any("Kees" in t or "Hoekstra" in t or "Hoek" in t for t in texts)
    answer = answers(coach)[0]
    assert answer["text"] == texts[-1].strip() and answer["target_seq"] == asked["seq"]
    assert answer["data"]["backend"] == "llm" and f"[casus {earlier_case.id}]" in answer["text"]
    assert [c["case_id"] for c in answer["data"]["citations"]] == [earlier_case.id]
    assert answers(late) == [answer] and late.received["message_partial"] == []
    assert not refused["ok"] and outsider.received["message_partial"] == [] and outsider.by_seq == {}


def test_a_server_failing_mid_answer_leaves_the_room_the_built_in_answer_with_a_notice(
    client_for, room, model_server, earlier_case
):
    model_server.behaviour = stalls(30, after=["Een eerste zin. ", "En dan"])
    sid = room["discussion"].id

    async def scenario():
        coach = client_for("coach")
        await coach.enter(sid)
        asked = await coach.say(sid, QUESTION, "q-2")
        await coach.wait_for(lambda: answers(coach), timeout=30)
        await coach.close()
        return asked, coach

    asked, coach = asyncio.run(scenario())
    assert [p["text"] for p in partials(coach, asked["seq"])] == ["", "Een eerste zin. "]
    answer = answers(coach)[0]
    assert answer["data"]["backend"] == "builtin" and answer["data"]["notice"]
    assert "Een eerste zin" not in answer["text"]


def test_a_question_that_gets_no_answer_ends_its_typing(client_for, room):
    sid = room["discussion"].id

    async def scenario():
        coach, provider = client_for("coach"), client_for("provider")
        await coach.enter(sid), await provider.enter(sid)
        await coach.call("assistant", {"session_id": sid, "enabled": False})
        asked = await provider.say(sid, QUESTION, "q-3")
        await coach.wait_for(lambda: any(p["done"] for p in partials(coach, asked["seq"])))
        await coach.close(), await provider.close()
        return asked, coach

    asked, coach = asyncio.run(scenario())
    assert [p["done"] for p in partials(coach, asked["seq"])] == [False, True]
    assert answers(coach) == []


def test_who_is_invited_while_the_answer_is_written_sees_it_typing_and_then_withheld(
    client_for, room, model_server, earlier_case, db_session
):
    """The answer is worked out for who was in the room when it was asked (the coach and the provider, who may
    both see the case it cites); a partner invited meanwhile does not get its text."""
    model_server.behaviour = answers_in_sentences
    sid = room["discussion"].id

    def invite_outsider() -> None:
        db_session.add(SessionParticipant(session_id=sid, user_id=room["outsider"].id))
        case_service.invite(db_session=db_session, case=room["case"], user=room["outsider"])
        db_session.commit()

    async def scenario():
        coach, provider, outsider = client_for("coach"), client_for("provider"), client_for("outsider")
        await coach.enter(sid), await provider.enter(sid)
        asked = await coach.say(sid, QUESTION, "q-3")
        await coach.wait_for(lambda: any(p["text"] for p in partials(coach, asked["seq"])), timeout=30)
        invite_outsider()
        await outsider.enter(sid)
        await outsider.wait_for(lambda: answers(outsider), timeout=30)
        await coach.wait_for(lambda: answers(coach), timeout=30)
        await coach.close(), await provider.close(), await outsider.close()
        return asked, coach, outsider

    asked, coach, outsider = asyncio.run(scenario())
    assert [c["case_id"] for c in answers(coach)[0]["data"]["citations"]] == [earlier_case.id]
    assert {p["text"] for p in partials(outsider, asked["seq"])} == {""}
    withheld = answers(outsider)[0]
    assert withheld["text"] == stream_service.WITHHELD and withheld["data"]["citations"] == []


def test_a_question_whose_asker_lost_their_rights_before_its_turn_gets_no_answer_and_the_log_says_why(
    client_for, room, model_server, earlier_case, db_session, caplog
):
    """The provider asks while the assistant still answers the coach; their invitation is withdrawn before
    their turn. Their question gets no answer (nobody would be allowed to read it for them), the server's log
    says so by the error's type, and nothing of either question reaches the log."""
    model_server.behaviour = answers_in_sentences
    sid = room["discussion"].id
    provider_question = "@assistent welke knelpunten zagen we bij Kees Hoekstra zijn schuldhulp?"

    def withdraw_invitation() -> None:
        participation = db_session.get(SessionParticipant, (sid, room["provider"].id))
        db_session.delete(participation)
        db_session.commit()

    async def scenario():
        coach, provider = client_for("coach"), client_for("provider")
        await coach.enter(sid), await provider.enter(sid)
        first = await coach.say(sid, QUESTION, "q-1")
        await coach.wait_for(lambda: any(p["text"] for p in partials(coach, first["seq"])), timeout=30)
        second = await provider.say(sid, provider_question, "q-2")
        withdraw_invitation()
        await coach.wait_for(lambda: any(p["done"] for p in partials(coach, second["seq"])), timeout=30)
        await coach.wait_for(lambda: answers(coach), timeout=30)
        await coach.close(), await provider.close()
        return first, coach

    with caplog.at_level("WARNING", logger="casebook.chat"):
        first, coach = asyncio.run(scenario())
    assert [answer["target_seq"] for answer in answers(coach)] == [first["seq"]]
    assert "assistant answer not given: NoLongerAllowed" in caplog.text
    assert "Kees" not in caplog.text and "schuld" not in caplog.text and "moeder" not in caplog.text
