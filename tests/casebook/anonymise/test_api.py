"""POST /api/v1/anonymise: body and response shape, and the size limit."""

import pytest

from casebook.anonymise.service import TextTooLarge, check_text_size
from utils.factories import make_user, token_for

LIMIT = 100_000


@pytest.fixture
def headers(db_session):
    return token_for(db_session, make_user(db_session, "coach"))


def test_anonymise_endpoint_returns_text_and_entities(client, headers):
    resp = client.post("/api/v1/anonymise", headers=headers, json={"text": "Bel mevrouw Karin Mulder op 06-12345678."})
    assert resp.status_code == 200
    body = resp.json()
    assert body["text"] == "Bel mevrouw [PERSOON-1] op [TELEFOON-1]."
    assert body["entities"][0] == {"start": 12, "end": 24, "label": "PERSON", "replacement": "[PERSOON-1]"}


def test_anonymise_endpoint_uses_the_roster(client, headers):
    resp = client.post("/api/v1/anonymise", headers=headers, json={"text": "kees belt morgen", "roster": ["Kees Wolters"]})
    assert resp.json()["text"] == "[PERSOON-1] belt morgen"


def test_text_over_100_kb_is_refused_with_413_in_dutch(client, headers):
    resp = client.post("/api/v1/anonymise", headers=headers, json={"text": "a" * (LIMIT + 1)})
    assert resp.status_code == 413
    assert resp.json()["detail"] == "Tekst is te lang: maximaal 100 KB (100000 bytes)."


def test_anonymising_needs_a_logged_in_user(client):
    assert client.post("/api/v1/anonymise", json={"text": "Jan"}).status_code == 401


def test_size_limit_counts_utf8_bytes_not_characters():
    check_text_size("é" * (LIMIT // 2))
    with pytest.raises(TextTooLarge):
        check_text_size("é" * (LIMIT // 2 + 1))
