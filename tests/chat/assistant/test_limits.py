"""Each question reads the casebook and the Dutch model: one user gets a budget of questions (a burst, then
settings.assistant_questions_per_minute), shared by the API, the case panel and the room, so a stream of
questions cannot hold the assistant for everyone else."""

import asyncio

import pytest
from fastapi.testclient import TestClient

from casebook.app import create_app
from chat.stream.models import ASSISTANT_ROLE
from utils.factories import log_in, make_case, make_user, token_for

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"assistant_questions_per_minute": 1, "assistant_question_burst": 2})


def test_past_the_burst_a_question_is_refused_with_the_time_to_wait_and_others_still_ask(
    settings, db_session
):
    with TestClient(create_app(settings)) as client:
        coach, other = make_user(db_session, "coach"), make_user(db_session, "collega")
        case = make_case(db_session, coach)
        headers = token_for(db_session, coach)
        asked = [
            client.post(
                "/api/v1/assistant", json={"message": "wat missen we?", "case_id": case.id}, headers=headers
            )
            for _ in range(3)
        ]
        csrf = log_in(client, "coach")
        in_panel = client.post(
            f"/cases/{case.id}/assistant", data={"message": "wat missen we?", "csrf_token": csrf}
        )
        another = client.post(
            "/api/v1/assistant",
            json={"message": "tips voor deze fase?"},
            headers=token_for(db_session, other),
        )
    assert [r.status_code for r in asked] == [200, 200, 429]
    assert asked[2].headers["Retry-After"] == "60" and "te veel vragen" in asked[2].json()["detail"]
    assert in_panel.status_code == 422 and "te veel vragen" in in_panel.text  # a turn the panel shows
    assert another.status_code == 200


def test_in_the_room_the_message_stands_but_the_assistant_says_to_wait(settings, client_for, room):
    sid = room["discussion"].id

    async def scenario():
        coach = client_for("coach")
        await coach.enter(sid)
        acks = [await coach.say(sid, f"@assistent vat samen ({n})", f"q-{n}") for n in range(3)]
        await coach.wait_for(lambda: coach.received["error"])
        await coach.wait_for(
            lambda: len([e for e in coach.by_seq.values() if e["role"] == ASSISTANT_ROLE]) == 2
        )
        await coach.close()
        return acks, coach

    acks, coach = asyncio.run(scenario())
    assert all("seq" in ack for ack in acks)  # every question is stored as a message
    assert coach.received["error"][-1]["code"] == "rate_limited"
    answered = sorted(e["target_seq"] for e in coach.by_seq.values() if e["role"] == ASSISTANT_ROLE)
    assert answered == [acks[0]["seq"], acks[1]["seq"]]
