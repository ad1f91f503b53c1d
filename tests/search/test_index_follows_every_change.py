"""Whatever a user adds to a case is found by search at once, whichever way it was added: the case form, the
outcome feedback (API or case page) or the room (see tests/chat/test_room_changes_are_found.py)."""

from utils.factories import log_in, make_case, make_user, token_for

WORD = "kringloopwinkel"  # in no case until a user adds it


def found(client, headers, query: str) -> list[dict]:
    response = client.get("/api/v1/search", params={"q": query}, headers=headers)
    assert response.status_code == 200, response.text
    return [h for h in response.json()["hits"] if query in h["why"]["matched_terms"]]


def two_cases(db_session, coach):
    debts = make_case(db_session, coach, title="Schulden en een aanmaning van de verhuurder")
    other = make_case(
        db_session,
        coach,
        title="Eenzaamheid na verhuizing",
        narrative="[CLIENT] kent niemand.",
        life_domains=["sociaal netwerk"],
    )
    return debts, other


def test_outcome_feedback_given_through_the_api_is_found_at_once(client, db_session):
    coach = make_user(db_session, "coach")
    debts, _ = two_cases(db_session, coach)
    headers = token_for(db_session, coach)
    assert found(client, headers, WORD) == []
    response = client.post(
        f"/api/v1/cases/{debts.id}/feedback",
        headers=headers,
        json={"text": f"Meubels kwamen via de {WORD}; het plan werkte.", "plan_worked": True},
    )
    assert response.status_code == 201, response.text
    assert [h["case_id"] for h in found(client, headers, WORD)] == [debts.id]


def test_outcome_feedback_given_on_the_case_page_is_found_at_once(client, db_session):
    coach = make_user(db_session, "coach")
    _, other = two_cases(db_session, coach)
    csrf = log_in(client, "coach")
    response = client.post(
        f"/cases/{other.id}/feedback",
        headers={"X-CSRF-Token": csrf},
        data={"text": f"Vrijwilligerswerk bij de {WORD} gaf contact.", "plan_worked": "ja"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert [h["case_id"] for h in found(client, token_for(db_session, coach), WORD)] == [other.id]
