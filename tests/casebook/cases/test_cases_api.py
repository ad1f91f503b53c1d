"""The JSON API for cases, as a script or another system would use it."""

from casebook.accounts.models import Role
from casebook.anonymise import registry
from casebook.anonymise.registry import pseudonym_registry
from utils.factories import make_case, make_user, token_for

NARRATIVE = "Mevrouw Fatima El Amrani (BSN 111222333) belde op 06-12345678 over haar schulden."


def test_a_coach_creates_a_case_and_reads_it_back_anonymised(client, db_session):
    coach = make_user(db_session, "coach")
    response = client.post(
        "/api/v1/cases",
        headers=token_for(db_session, coach),
        json={
            "title": "Schulden en wachten op Wmo",
            "narrative": NARRATIVE,
            "life_domains": ["financiën", "dagbesteding"],
            "bottlenecks": [
                {"law": "Wmo 2015", "rule": "handtekening backoffice", "kind": "mandaat", "delay_days": 38}
            ],
            "held_at": "2025-03-12",
        },
    )
    assert response.status_code == 201, response.text
    case = client.get(f"/api/v1/cases/{response.json()['id']}", headers=token_for(db_session, coach)).json()
    assert "111222333" not in case["narrative"]
    assert "06-12345678" not in case["narrative"]
    assert "El Amrani" not in case["narrative"]
    assert [d["domain"] for d in case["life_domains"]] == ["financiën", "tijdsbesteding"]
    assert case["bottlenecks"][0]["law"] == "Wmo 2015"
    assert case["team"] == "Wijkteam Noord"


def test_the_case_list_is_paged_and_filtered_by_domain(client, db_session):
    coach = make_user(db_session, "coach")
    for number in range(5):
        make_case(
            db_session,
            coach,
            title=f"Casus {number}",
            life_domains=["huisvesting"] if number % 2 else ["financiën"],
        )
    headers = token_for(db_session, coach)
    page = client.get("/api/v1/cases?page=1&per_page=2", headers=headers).json()
    assert page["total"] == 5 and len(page["items"]) == 2 and page["per_page"] == 2
    assert {"id", "external_id", "title", "team"} <= set(page["items"][0])
    housing = client.get("/api/v1/cases?domain=huisvesting", headers=headers).json()
    assert housing["total"] == 2


def test_an_unknown_domain_filter_is_refused_naming_the_value(client, db_session):
    headers = token_for(db_session, make_user(db_session, "coach"))
    response = client.get("/api/v1/cases?domain=sterrenkunde", headers=headers)
    assert response.status_code == 422
    assert "sterrenkunde" in response.json()["detail"]


def test_another_teams_case_is_forbidden(client, db_session):
    north = make_user(db_session, "north")
    south = make_user(db_session, "south", teams=("Wijkteam Zuid",))
    case = make_case(db_session, north)
    response = client.get(f"/api/v1/cases/{case.id}", headers=token_for(db_session, south))
    assert response.status_code == 403
    assert response.json()["detail"]


def test_an_unknown_case_is_not_found(client, db_session):
    response = client.get("/api/v1/cases/9999", headers=token_for(db_session, make_user(db_session, "coach")))
    assert response.status_code == 404


def test_a_provider_sees_only_cases_they_were_invited_to(client, db_session):
    from casebook.cases.models import CaseParticipant

    coach = make_user(db_session, "coach")
    provider = make_user(db_session, "provider", Role.provider, teams=())
    invited, _other = (
        make_case(db_session, coach, title="Uitgenodigd"),
        make_case(db_session, coach, title="Ander"),
    )
    db_session.add(CaseParticipant(case_id=invited.id, user_id=provider.id))
    db_session.commit()
    listing = client.get("/api/v1/cases", headers=token_for(db_session, provider)).json()
    assert [item["title"] for item in listing["items"]] == ["Uitgenodigd"]


def test_a_manager_without_team_oversees_every_team(client, db_session):
    make_case(db_session, make_user(db_session, "north"))
    make_case(db_session, make_user(db_session, "south", teams=("Wijkteam Zuid",)))
    manager = make_user(db_session, "boss", Role.manager, teams=())
    assert client.get("/api/v1/cases", headers=token_for(db_session, manager)).json()["total"] == 2


def test_missing_title_is_a_422_naming_the_field(client, db_session):
    response = client.post(
        "/api/v1/cases",
        headers=token_for(db_session, make_user(db_session, "coach")),
        json={"narrative": "zonder titel"},
    )
    assert response.status_code == 422
    assert "title" in response.json()["detail"]


def test_an_unknown_key_is_a_422_naming_the_key(client, db_session):
    response = client.post(
        "/api/v1/cases",
        headers=token_for(db_session, make_user(db_session, "coach")),
        json={"title": "x", "favourite_colour": "blauw"},
    )
    assert response.status_code == 422
    assert "favourite_colour" in response.json()["detail"]


def test_text_over_100_kb_is_refused_with_413_and_nothing_is_stored(client, db_session):
    coach = make_user(db_session, "coach")
    headers = token_for(db_session, coach)
    response = client.post(
        "/api/v1/cases", headers=headers, json={"title": "Te lang", "narrative": "woord " * 20_000}
    )
    assert response.status_code == 413
    assert "100" in response.json()["detail"]
    assert client.get("/api/v1/cases", headers=headers).json()["total"] == 0


def test_a_huge_request_body_is_refused_with_413(client, db_session):
    headers = token_for(db_session, make_user(db_session, "coach"))
    response = client.post("/api/v1/cases", headers=headers, content=b"x" * 3_000_000)
    assert response.status_code == 413


def test_patch_changes_only_the_given_fields_and_anonymises_them(client, db_session):
    coach = make_user(db_session, "coach")
    case = make_case(db_session, coach, support_question="Hulp bij schulden")
    headers = token_for(db_session, coach)
    response = client.patch(
        f"/api/v1/cases/{case.id}",
        headers=headers,
        json={"outcome": "Jan Jansen is doorverwezen.", "status": "closed"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["support_question"] == "Hulp bij schulden"
    assert body["status"] == "closed"
    assert "Jansen" not in body["outcome"]


def test_deleting_a_case_removes_it(client, db_session):
    coach = make_user(db_session, "coach")
    case = make_case(db_session, coach)
    headers = token_for(db_session, coach)
    assert client.delete(f"/api/v1/cases/{case.id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/cases/{case.id}", headers=headers).status_code == 404


def test_a_partner_may_read_but_not_change_an_invited_case(client, db_session):
    from casebook.cases.models import CaseParticipant

    coach = make_user(db_session, "coach")
    partner = make_user(db_session, "partner", Role.partner, teams=())
    case = make_case(db_session, coach)
    db_session.add(CaseParticipant(case_id=case.id, user_id=partner.id))
    db_session.commit()
    headers = token_for(db_session, partner)
    assert client.get(f"/api/v1/cases/{case.id}", headers=headers).status_code == 200
    assert (
        client.patch(f"/api/v1/cases/{case.id}", headers=headers, json={"title": "Anders"}).status_code == 403
    )


def test_provider_feedback_returns_to_the_case(client, db_session):
    from casebook.cases.models import CaseParticipant

    coach = make_user(db_session, "coach")
    provider = make_user(db_session, "provider", Role.provider, teams=())
    case = make_case(db_session, coach)
    db_session.add(CaseParticipant(case_id=case.id, user_id=provider.id))
    db_session.commit()
    response = client.post(
        f"/api/v1/cases/{case.id}/feedback",
        headers=token_for(db_session, provider),
        json={"text": "Het budgetplan werkt, geen nieuwe achterstanden.", "plan_worked": True},
    )
    assert response.status_code == 201
    case_json = client.get(f"/api/v1/cases/{case.id}", headers=token_for(db_session, coach)).json()
    assert case_json["feedback"][0]["author_role"] == "provider"
    assert case_json["feedback"][0]["plan_worked"] is True


def test_the_api_needs_a_token_or_a_session(client):
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_wrong_token_is_refused(client):
    assert client.get("/api/v1/cases", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_the_anonymise_endpoint_returns_the_contract_json(client, db_session):
    headers = token_for(db_session, make_user(db_session, "coach"))
    text = "Bel Jan de Vries op 06-12345678."
    body = client.post("/api/v1/anonymise", headers=headers, json={"text": text}).json()
    assert set(body) >= {"text", "entities"}
    assert "06-12345678" not in body["text"]
    phone = next(e for e in body["entities"] if e["label"] == "PHONE")
    assert text[phone["start"] : phone["end"]] == "06-12345678"
    assert phone["replacement"] in body["text"]


def test_openapi_docs_are_served(client):
    assert client.get("/docs").status_code == 200
    assert "/api/v1/cases" in client.get("/openapi.json").json()["paths"]


def test_the_same_person_keeps_the_same_placeholder_across_edits_of_a_case(client, db_session):
    coach = make_user(db_session, "coach")
    headers = token_for(db_session, coach)
    created = client.post(
        "/api/v1/cases",
        headers=headers,
        json={
            "title": "Schulden",
            "narrative": "Mevrouw Petra Hoogland en haar buurman Kees Mulder kwamen langs.",
        },
    ).json()
    assert created["narrative"] == "Mevrouw [PERSOON-1] en haar buurman [PERSOON-2] kwamen langs."
    patched = client.patch(
        f"/api/v1/cases/{created['id']}",
        headers=headers,
        json={"outcome": "Kees Mulder helpt nu mevrouw Hoogland met de post."},
    ).json()
    assert patched["outcome"] == "[PERSOON-2] helpt nu mevrouw [PERSOON-1] met de post."


def test_after_a_restart_new_names_never_reuse_a_number_taken_in_any_stored_text(client, db_session):
    """The map is in memory only; rebuilt from every stored text of the case, the law of a bottleneck too."""
    headers = token_for(db_session, make_user(db_session, "coach"))
    created = client.post(
        "/api/v1/cases",
        headers=headers,
        json={
            "title": "Schulden",
            "narrative": "Huurachterstand.",
            "bottlenecks": [
                {"law": "Wmo 2015, besluit van Karin Mulder", "kind": "mandaat", "description": "Wachten."}
            ],
        },
    ).json()
    assert created["bottlenecks"][0]["law"] == "Wmo 2015, besluit van [PERSOON-1]"
    pseudonym_registry.forget(
        db_session=db_session, scope=registry.CASE, object_id=created["id"]
    )  # a restart
    patched = client.patch(
        f"/api/v1/cases/{created['id']}", headers=headers, json={"outcome": "Petra Hoogland nam het over."}
    ).json()
    assert patched["outcome"] == "[PERSOON-2] nam het over."


def test_the_roster_of_a_case_save_is_capped_like_the_rooms(client, db_session):
    headers = token_for(db_session, make_user(db_session, "coach"))
    body = {
        "title": "Schulden",
        "narrative": "Naam3 belde.",
        "roster": [f"Naam{n} Bakker" for n in range(51)],
    }
    response = client.post("/api/v1/cases", headers=headers, json=body)
    assert response.status_code == 422 and response.json()["detail"].startswith(
        "roster: De namenlijst is te lang"
    )
    response = client.post("/api/v1/cases", headers=headers, json={**body, "roster": body["roster"][:50]})
    assert response.status_code == 201 and "Naam3" not in response.json()["narrative"]
    case_id = response.json()["id"]
    response = client.patch(f"/api/v1/cases/{case_id}", headers=headers, json={"roster": ["x" * 101]})
    assert response.status_code == 422 and response.json()["detail"].startswith("roster: ")
