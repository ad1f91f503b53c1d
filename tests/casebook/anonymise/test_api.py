"""POST /api/v1/anonymise: body and response shape, and the size limit."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from casebook.anonymise.service import TextTooLarge, check_text_size
from casebook.app import create_app
from utils.factories import make_user, token_for

LIMIT = 100_000


@pytest.fixture
def headers(db_session):
    return token_for(db_session, make_user(db_session, "coach"))


def test_anonymise_endpoint_returns_text_and_entities(client, headers):
    resp = client.post(
        "/api/v1/anonymise", headers=headers, json={"text": "Bel mevrouw Karin Mulder op 06-12345678."}
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["text"] == "Bel mevrouw [PERSOON-1] op [TELEFOON-1]."
    assert body["entities"][0] == {"start": 12, "end": 24, "label": "PERSON", "replacement": "[PERSOON-1]"}


def test_anonymise_endpoint_uses_the_roster(client, headers):
    resp = client.post(
        "/api/v1/anonymise", headers=headers, json={"text": "kees belt morgen", "roster": ["Kees Wolters"]}
    )
    assert resp.json()["text"] == "[PERSOON-1] belt morgen"


def test_text_over_100_kb_is_refused_with_413_in_dutch(client, headers):
    resp = client.post("/api/v1/anonymise", headers=headers, json={"text": "a" * (LIMIT + 1)})
    assert resp.status_code == 413
    assert resp.json()["detail"] == "Tekst is te lang: maximaal 100 KB (100000 bytes)."


def test_anonymising_needs_a_logged_in_user(client):
    assert client.post("/api/v1/anonymise", json={"text": "Jan"}).status_code == 401


def test_size_limit_counts_utf8_bytes_not_characters():
    check_text_size("é" * (LIMIT // 2), LIMIT)
    with pytest.raises(TextTooLarge):
        check_text_size("é" * (LIMIT // 2 + 1), LIMIT)


def test_the_limit_the_app_was_created_with_holds_for_every_text_not_the_environments(settings, monkeypatch):
    """create_app(settings) is the one source: a case text deep in the case service is held to it too."""
    monkeypatch.setenv("CASEBOOK_MAX_TEXT_BYTES", "1000000")
    small = settings.model_copy(update={"max_text_bytes": 2_000})
    with TestClient(create_app(small)) as client, Session(client.app.state.engine) as db_session:
        headers = token_for(db_session, make_user(db_session, "coach"))
        assert (
            client.post("/api/v1/anonymise", headers=headers, json={"text": "a" * 2_001}).status_code == 413
        )
        case = {"external_id": "K-1", "title": "Schulden", "narrative": "Huurachterstand. " * 200}
        response = client.post("/api/v1/cases", headers=headers, json=case)
        assert response.status_code == 413
        assert response.json()["detail"] == "Tekst is te lang: maximaal 2 KB (2000 bytes)."
        assert client.get("/api/v1/cases", headers=headers).json()["total"] == 0


def test_the_roster_is_capped_like_the_rooms_with_a_422_naming_the_field(client, headers):
    from casebook.anonymise.roster import MAX_ROSTER_NAME_CHARS, MAX_ROSTER_NAMES
    from chat.discussions.models import MAX_ROSTER_NAMES as ROOM_MAX_ROSTER_NAMES

    assert (MAX_ROSTER_NAMES, MAX_ROSTER_NAME_CHARS) == (
        50,
        100,
    ) and ROOM_MAX_ROSTER_NAMES is MAX_ROSTER_NAMES
    too_many = [f"Naam{n} Achternaam" for n in range(51)]
    for roster in (too_many, ["Kees " + "x" * 100]):
        resp = client.post("/api/v1/anonymise", headers=headers, json={"text": "Kees belt", "roster": roster})
        assert resp.status_code == 422, resp.text
        assert resp.json()["detail"].startswith("roster: De namenlijst is te lang: maximaal 50 namen")
    full = [f"Naam{n} Achternaam" for n in range(50)] + [
        "Naam1 Achternaam",
        "  ",
    ]  # repeats and blanks not counted
    resp = client.post("/api/v1/anonymise", headers=headers, json={"text": "Naam7 belt", "roster": full})
    assert resp.status_code == 200 and "Naam" not in resp.json()["text"]
