"""A recurring rule gets one card: what it says, who can change it and the room the law already gives. Managers
write it; everyone sees it wherever the rule is flagged, however the rule was typed."""

import pytest

from casebook.accounts.models import Role
from utils.factories import log_in, make_case, make_user, token_for

VERMOGENSTOETS = {
    "law": "Participatiewet art. 34 (vermogenstoets)",
    "kind": "toegangscriteria",
    "delay_days": 20,
}
CARD = {
    "law": "Participatiewet art. 34 (vermogenstoets)",
    "level": "national_law",
    "says": "Vermogen boven de grens sluit bijstand uit.",
    "who_can_change": "De landelijke wetgever.",
    "room_to_deviate": "Art. 18 lid 1: afstemming op de omstandigheden (maatwerk); de hardheidsclausule.",
}


@pytest.fixture
def people(client, db_session):
    coach = make_user(db_session, "coach")
    manager = make_user(db_session, "manager", Role.manager)
    return {
        "coach": coach,
        "coach_headers": token_for(db_session, coach),
        "headers": token_for(db_session, manager),
    }


def test_a_manager_writes_a_card_and_it_is_found_however_the_rule_is_typed(client, people):
    created = client.post("/api/v1/rule-cards", headers=people["headers"], json=CARD)
    assert created.status_code == 201, created.text
    found = client.get(
        "/api/v1/rule-cards/lookup",
        headers=people["coach_headers"],
        params={"law": "participatiewet  art 34 vermogenstoets"},
    )
    assert found.status_code == 200 and found.json()["room_to_deviate"].startswith("Art. 18 lid 1")
    missing = client.get(
        "/api/v1/rule-cards/lookup", headers=people["coach_headers"], params={"law": "Jeugdwet"}
    )
    assert missing.status_code == 404 and "nog geen regelkaart" in missing.json()["detail"]
    twice = client.post(
        "/api/v1/rule-cards",
        headers=people["headers"],
        json={**CARD, "law": "participatiewet art 34 vermogenstoets"},
    )
    assert twice.status_code == 422 and "bestaat al" in twice.json()["detail"]


def test_only_managers_write_cards(client, people):
    assert client.post("/api/v1/rule-cards", headers=people["coach_headers"], json=CARD).status_code == 403
    card = client.post("/api/v1/rule-cards", headers=people["headers"], json=CARD).json()
    refused = client.patch(
        f"/api/v1/rule-cards/{card['id']}", headers=people["coach_headers"], json={"says": "x"}
    )
    assert refused.status_code == 403
    changed = client.patch(
        f"/api/v1/rule-cards/{card['id']}",
        headers=people["headers"],
        json={"who_can_change": "de landelijke wetgever"},
    )
    assert changed.status_code == 200 and changed.json()["who_can_change"] == "de landelijke wetgever"
    assert changed.json()["says"] == CARD["says"]


def test_card_text_goes_through_the_anonymiser(client, people):
    card = client.post(
        "/api/v1/rule-cards",
        headers=people["headers"],
        json={**CARD, "who_can_change": "Vraag het Piet de Vries via 06-12345678 of piet@example.nl"},
    ).json()
    assert "06-12345678" not in card["who_can_change"] and "piet@example.nl" not in card["who_can_change"]
    assert "Piet de Vries" not in card["who_can_change"]


def test_the_card_is_shown_in_the_register_on_the_case_page_and_in_the_room_form(client, db_session, people):
    client.post("/api/v1/rule-cards", headers=people["headers"], json=CARD)
    case = make_case(
        db_session,
        people["coach"],
        bottlenecks=[{**VERMOGENSTOETS, "law": "participatiewet art. 34 (vermogenstoets)"}],
    )
    log_in(client, "coach")
    bottleneck_id = client.get("/api/v1/bottlenecks").json()["items"][0]["id"]
    assert "Ruimte om af te wijken" in client.get(f"/knelpunten/{bottleneck_id}").text
    assert "Regelkaart" in client.get("/knelpunten").text
    panel = client.get(f"/cases/{case.id}/regelkaarten")
    assert panel.status_code == 200 and "Art. 18 lid 1" in panel.text
    assert f'hx-get="/cases/{case.id}/regelkaarten"' in client.get(f"/cases/{case.id}").text
    room_hint = client.get("/regelkaarten/zoek", params={"law": "Participatiewet art 34 (vermogenstoets)"})
    assert "hardheidsclausule" in room_hint.text
    assert client.get("/regelkaarten/zoek", params={"law": "Jeugdwet"}).text.strip() == ""


def test_the_case_panel_of_another_teams_case_is_refused(client, db_session, people):
    other = make_case(
        db_session, make_user(db_session, "zuid", teams=("Wijkteam Zuid",)), bottlenecks=[VERMOGENSTOETS]
    )
    log_in(client, "coach")
    assert client.get(f"/cases/{other.id}/regelkaarten").status_code == 403


def test_the_cards_page_offers_recurring_rules_without_a_card_and_refuses_an_empty_rule(
    client, db_session, people
):
    make_case(db_session, people["coach"], bottlenecks=[VERMOGENSTOETS])
    make_case(db_session, people["coach"], bottlenecks=[VERMOGENSTOETS])
    make_user(db_session, "manager-2", Role.manager)
    csrf = log_in(client, "manager-2")
    page = client.get("/regelkaarten")
    assert "Terugkerende regels zonder kaart" in page.text and "vermogenstoets" in page.text
    refused = client.post("/regelkaarten", data={"csrf_token": csrf, "law": "", "says": "Iets"})
    assert refused.status_code == 422 and 'role="alert"' in refused.text and "Iets" in refused.text
    made = client.post("/regelkaarten", data={"csrf_token": csrf, **CARD}, follow_redirects=False)
    assert made.status_code == 303
    assert "Terugkerende regels zonder kaart" not in client.get("/regelkaarten").text


def test_a_card_is_found_when_the_article_is_written_out_with_its_paragraph_or_the_law_abbreviated(
    client, people
):
    client.post("/api/v1/rule-cards", headers=people["headers"], json=CARD)
    for law in ("artikel 34 lid 1 van de Participatiewet (vermogenstoets)", "art. 34 Pw (vermogenstoets)"):
        found = client.get("/api/v1/rule-cards/lookup", headers=people["coach_headers"], params={"law": law})
        assert found.status_code == 200, (law, found.text)
