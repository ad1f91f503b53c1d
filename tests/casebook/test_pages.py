"""The HTML pages as a coach in a meeting would use them."""

from casebook.accounts.models import Role
from utils.factories import PASSWORD, csrf_of, log_in, make_case, make_user


def test_a_visitor_is_sent_to_the_login_page(client):
    response = client.get("/cases", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_a_wrong_password_shows_a_dutch_message(client, db_session):
    make_user(db_session, "coach")
    csrf = csrf_of(client)
    response = client.post("/login", data={"username": "coach", "password": "fout", "csrf_token": csrf})
    assert response.status_code == 401
    assert "Onjuiste gebruikersnaam of wachtwoord" in response.text


def test_login_without_csrf_token_is_refused(client, db_session):
    make_user(db_session, "coach")
    client.get("/login")
    response = client.post("/login", data={"username": "coach", "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.text


def test_a_coach_sees_the_cases_of_their_team_only(client, db_session):
    coach = make_user(db_session, "coach")
    make_case(db_session, coach, title="Huurachterstand en ontruiming")
    make_case(db_session, make_user(db_session, "south", teams=("Wijkteam Zuid",)), title="Zuidelijke casus")
    log_in(client, "coach")
    page = client.get("/cases")
    assert "Huurachterstand en ontruiming" in page.text
    assert "Zuidelijke casus" not in page.text


def test_filters_narrow_the_list_and_htmx_gets_only_the_rows(client, db_session):
    coach = make_user(db_session, "coach")
    make_case(db_session, coach, title="Woonprobleem", life_domains=["huisvesting"])
    make_case(db_session, coach, title="Geldprobleem", life_domains=["financiën"])
    log_in(client, "coach")
    rows = client.get("/cases?domain=huisvesting", headers={"HX-Request": "true"})
    assert "Woonprobleem" in rows.text and "Geldprobleem" not in rows.text
    assert "<html" not in rows.text


def test_an_empty_list_explains_itself(client, db_session):
    make_user(db_session, "coach")
    log_in(client, "coach")
    assert "Geen casussen gevonden" in client.get("/cases").text


def test_the_case_page_shows_the_whole_record(client, db_session):
    coach = make_user(db_session, "coach")
    case = make_case(
        db_session,
        coach,
        support_question="Rust in de financiën",
        life_domains=[{"domain": "financiën", "score_before": 1, "score_after": 3, "addressed": True}],
        decisions=[
            {
                "subject": "Wmo-begeleiding",
                "decided_by_role": "jurist backoffice",
                "requested_on": "2025-01-06",
                "decided_on": "2025-02-13",
            }
        ],
        actions=[{"description": "Aanmelden schuldhulp", "owner_role": "coach", "due_date": "2025-02-01"}],
        bottlenecks=[
            {
                "law": "Participatiewet art. 34",
                "kind": "toegangscriteria",
                "delay_days": 21,
                "level": "national_law",
                "workaround": "noodbudget",
            }
        ],
    )
    log_in(client, "coach")
    page = client.get(f"/cases/{case.id}").text
    for expected in (
        "Rust in de financiën",
        "Wmo-begeleiding",
        "38 dagen",
        "Aanmelden schuldhulp",
        "Participatiewet art. 34",
        "landelijke wet",
        "noodbudget",
        "21",
    ):
        assert expected in page


def test_creating_a_case_shows_the_human_check_before_anything_is_saved(client, db_session):
    make_user(db_session, "coach")
    csrf = log_in(client, "coach")
    form = {
        "csrf_token": csrf,
        "title": "Schulden",
        "team": "Wijkteam Noord",
        "narrative": "Mevrouw Anouk de Vries, BSN 111222333, heeft schulden.",
        "ld-0-on": "on",
        "ld-0-before": "2",
    }
    review = client.post("/cases/new", data=form)
    assert review.status_code == 200
    assert '<mark class="masked" title="BSN" data-label="BSN">[BSN-1]</mark>' in review.text
    assert '<mark class="masked" title="PERSON" data-label="PERSON">[PERSOON-1]</mark>' in review.text
    assert client.get("/api/v1/cases", headers={"X-CSRF-Token": csrf}).json()["total"] == 0

    saved = client.post("/cases/new", data={**form, "step": "save"})
    assert saved.status_code == 200  # followed the redirect to the case page
    assert "111222333" not in saved.text and "Anouk" not in saved.text
    assert "[BSN-1]" in saved.text and "financiën" in saved.text


def test_the_coach_can_unmask_a_name_that_may_be_shown_but_never_a_bsn(client, db_session):
    make_user(db_session, "coach")
    csrf = log_in(client, "coach")
    form = {
        "csrf_token": csrf,
        "title": "Overleg met de wethouder",
        "team": "Wijkteam Noord",
        "narrative": "De wethouder Pieter de Graaf sprak met mevrouw Jansen, BSN 111222333.",
    }
    review = client.post("/cases/new", data=form)
    assert 'name="keep" value="Pieter de Graaf"' in review.text
    refused = client.post("/cases/new", data={**form, "keep": ["111222333"], "step": "save"})
    assert refused.status_code == 422
    assert "blijft gemaskeerd" in refused.text
    saved = client.post("/cases/new", data={**form, "keep": ["Pieter de Graaf"], "step": "save"})
    assert "wethouder Pieter de Graaf sprak" in saved.text
    assert "Jansen" not in saved.text and "111222333" not in saved.text


def test_the_coach_can_mask_an_extra_word_in_the_human_check(client, db_session):
    make_user(db_session, "coach")
    csrf = log_in(client, "coach")
    form = {
        "csrf_token": csrf,
        "title": "Buurtconflict",
        "team": "Wijkteam Noord",
        "narrative": "De buurman Krelis klaagt al maanden over geluid.",
        "roster": "Krelis",
        "step": "save",
    }
    saved = client.post("/cases/new", data=form)
    assert "Krelis" not in saved.text


def test_an_invalid_form_names_the_field_in_dutch_and_keeps_the_input(client, db_session):
    make_user(db_session, "coach")
    csrf = log_in(client, "coach")
    response = client.post(
        "/cases/new",
        data={
            "csrf_token": csrf,
            "title": "",
            "team": "Wijkteam Noord",
            "narrative": "Mijn lange verhaal",
            "held_at": "gisteren",
        },
    )
    assert response.status_code == 422
    assert "is verplicht" in response.text or "mag niet leeg zijn" in response.text
    assert "geen geldige datum" in response.text
    assert "Mijn lange verhaal" in response.text


def test_the_form_validates_a_field_as_the_user_types(client, db_session):
    make_user(db_session, "coach")
    csrf = log_in(client, "coach")
    response = client.post(
        "/cases/validate",
        headers={"HX-Request": "true", "HX-Trigger-Name": "held_at", "X-CSRF-Token": csrf},
        data={"title": "x", "team": "Wijkteam Noord", "held_at": "31-31-2025"},
    )
    assert 'id="err-held_at"' in response.text
    assert "geen geldige datum" in response.text


def test_editing_keeps_earlier_placeholders_stable(client, db_session):
    coach = make_user(db_session, "coach")
    case = make_case(db_session, coach, narrative="[CLIENT] woont met [KIND-1] in een te kleine woning.")
    csrf = log_in(client, "coach")
    form = client.get(f"/cases/{case.id}/edit").text
    assert "[CLIENT] woont met [KIND-1]" in form
    response = client.post(
        f"/cases/{case.id}/edit",
        data={
            "csrf_token": csrf,
            "title": "Te kleine woning",
            "narrative": "[CLIENT] woont met [KIND-1] in een te kleine woning.",
            "step": "save",
        },
    )
    assert response.status_code == 200
    assert "[CLIENT] woont met [KIND-1]" in response.text


def test_outcome_feedback_is_added_with_htmx(client, db_session):
    coach = make_user(db_session, "coach")
    case = make_case(db_session, coach)
    csrf = log_in(client, "coach")
    response = client.post(
        f"/cases/{case.id}/feedback",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
        data={"text": "Plan werkte goed", "plan_worked": "ja"},
    )
    assert response.status_code == 200
    assert "Plan werkte goed" in response.text


def test_another_teams_case_page_says_no_access_in_dutch(client, db_session):
    case = make_case(db_session, make_user(db_session, "south", teams=("Wijkteam Zuid",)))
    make_user(db_session, "coach")
    log_in(client, "coach")
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 403
    assert "Geen toegang" in response.text


def test_an_unknown_page_is_a_dutch_404(client, db_session):
    make_user(db_session, "coach")
    log_in(client, "coach")
    response = client.get("/cases/424242")
    assert response.status_code == 404
    assert "bestaat niet" in response.text


def test_the_interface_switches_to_english(client, db_session):
    make_user(db_session, "coach")
    log_in(client, "coach")
    client.get("/lang/en")
    assert "New case" in client.get("/cases").text
    client.get("/lang/nl")
    assert "Nieuwe casus" in client.get("/cases").text


def test_a_partner_cannot_create_cases(client, db_session):
    make_user(db_session, "partner", Role.partner)
    csrf = log_in(client, "partner")
    response = client.post("/cases/new", data={"csrf_token": csrf, "title": "x", "team": "Wijkteam Noord"})
    assert response.status_code == 403


def test_logging_out_ends_the_session(client, db_session):
    make_user(db_session, "coach")
    csrf = log_in(client, "coach")
    client.post("/logout", data={"csrf_token": csrf})
    assert client.get("/cases", follow_redirects=False).status_code == 303


def test_htmx_and_styles_are_served_locally(client):
    assert client.get("/static/js/htmx-2.0.11.min.js").status_code == 200
    assert client.get("/static/css/casebook.css").status_code == 200


def test_api_changes_from_the_browser_session_need_the_csrf_header(client, db_session):
    make_user(db_session, "coach")
    csrf = log_in(client, "coach")
    assert client.post("/api/v1/cases", json={"title": "Zonder token"}).status_code == 403
    assert (
        client.post("/api/v1/cases", json={"title": "Met token"}, headers={"X-CSRF-Token": csrf}).status_code
        == 201
    )


def test_a_roster_over_the_cap_is_shown_at_the_roster_field_and_nothing_is_saved(client, db_session):
    from sqlmodel import select

    from casebook.cases.models import Case

    make_user(db_session, "coach")
    csrf = log_in(client, "coach")
    form = {
        "csrf_token": csrf,
        "title": "Schulden",
        "team": "Wijkteam Noord",
        "narrative": "Kees belde.",
        "roster": "\n".join(f"Naam{n} Bakker" for n in range(51)),
        "step": "save",
    }
    response = client.post("/cases/new", data=form)
    assert response.status_code == 422
    assert 'id="err-roster"' in response.text and "maximaal 50 namen" in response.text
    assert db_session.exec(select(Case)).all() == []
