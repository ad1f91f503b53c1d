"""What the room adds to a case (a bottleneck, an agreement) is found by search as soon as the room has
acknowledged it: stored, committed, announced, then broadcast."""

import asyncio

import httpx
import pytest

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

WORD = "kringloopwinkel"  # in no case until the room adds it


def found(base_url: str, token: str, query: str) -> list[int]:
    response = httpx.get(
        f"{base_url}/api/v1/search",
        params={"q": query},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return [h["case_id"] for h in response.json()["hits"] if query in h["why"]["matched_terms"]]


def test_an_agreement_made_in_the_room_is_found_at_once(live_server, client_for, room):
    sid, case_id, token = room["discussion"].id, room["case"].id, room["tokens"]["coach"]
    assert found(live_server.url, token, WORD) == []

    assert found(live_server.url, token, WORD) == []  # the word is new to the case

    async def scenario():
        coach = client_for("coach")
        await coach.enter(sid)
        agreed = await coach.call(
            "agreement",
            {
                "session_id": sid,
                "description": f"Meubels via de {WORD} regelen",
                "owner_role": "coach",
                "client_id": "a-1",
            },
        )
        await coach.close()
        return agreed

    assert run(scenario())["ok"]
    assert found(live_server.url, token, WORD) == [case_id]


def test_a_bottleneck_flagged_in_the_room_is_found_at_once(live_server, client_for, room):
    sid, case_id, token = room["discussion"].id, room["case"].id, room["tokens"]["coach"]

    async def scenario():
        coach = client_for("coach")
        await coach.enter(sid)
        flagged = await coach.call(
            "flag_bottleneck",
            {
                "session_id": sid,
                "law": "Participatiewet",
                "rule": "Geen bijzondere bijstand voor meubels",
                "kind": "toegangscriteria",
                "description": "Alleen tweedehands via de kringloopwinkel",
                "client_id": "k-1",
            },
        )
        await coach.close()
        return flagged

    assert run(scenario())["ok"]
    assert found(live_server.url, token, WORD) == [case_id]


def run(coroutine):
    return asyncio.run(coroutine)
