"""Management tags the rules that got in the way, and sees which ones keep coming back."""

from casebook.accounts.models import Role
from utils.factories import make_case, make_user, token_for

VERMOGENSTOETS = {
    "law": "Participatiewet art. 34 (vermogenstoets)",
    "kind": "toegangscriteria",
    "level": "national_law",
    "delay_days": 20,
    "description": "Spaargeld van een kind telt mee.",
}
HANDTEKENING = {
    "law": "Werkinstructie Wmo-backoffice",
    "kind": "mandaat",
    "level": "internal_instruction",
    "delay_days": 38,
    "description": "Plan wacht op handtekening van de jurist.",
}


def test_a_rule_that_got_in_the_way_in_several_cases_is_recurring(client, db_session):
    coach = make_user(db_session, "coach")
    make_case(db_session, coach, bottlenecks=[HANDTEKENING])
    make_case(
        db_session,
        coach,
        bottlenecks=[{**HANDTEKENING, "law": "werkinstructie  Wmo-backoffice.", "delay_days": 20}],
    )
    make_case(db_session, coach, bottlenecks=[VERMOGENSTOETS])
    recurring = client.get("/api/v1/bottlenecks/recurring", headers=token_for(db_session, coach)).json()[
        "items"
    ]
    assert len(recurring) == 1
    assert recurring[0]["cases"] == 2 and recurring[0]["total_delay_days"] == 58
    assert recurring[0]["median_delay_days"] == 29
    assert recurring[0]["changeable_locally"] is True


def test_a_manager_tags_a_bottleneck_and_moves_it_to_policy(client, db_session):
    coach = make_user(db_session, "coach")
    manager = make_user(db_session, "manager", Role.manager)
    make_case(db_session, coach, bottlenecks=[HANDTEKENING])
    headers = token_for(db_session, manager)
    bottleneck = client.get("/api/v1/bottlenecks", headers=headers).json()["items"][0]
    response = client.patch(
        f"/api/v1/bottlenecks/{bottleneck['id']}",
        headers=headers,
        json={"tags": ["#Mandaat backoffice", "wmo"], "status": "raised_to_policy"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["tags"] == ["mandaat backoffice", "wmo"]
    assert response.json()["status"] == "raised_to_policy"
    tagged = client.get("/api/v1/bottlenecks?tag=wmo", headers=headers).json()
    assert tagged["total"] == 1


def test_a_coach_may_flag_but_not_tag_a_bottleneck(client, db_session):
    coach = make_user(db_session, "coach")
    case = make_case(db_session, coach)
    headers = token_for(db_session, coach)
    created = client.post("/api/v1/bottlenecks", headers=headers, json={"case_id": case.id, **VERMOGENSTOETS})
    assert created.status_code == 201
    response = client.patch(
        f"/api/v1/bottlenecks/{created.json()['id']}", headers=headers, json={"tags": ["x"]}
    )
    assert response.status_code == 403


def test_bottlenecks_of_another_team_stay_out_of_sight(client, db_session):
    make_case(
        db_session, make_user(db_session, "south", teams=("Wijkteam Zuid",)), bottlenecks=[HANDTEKENING]
    )
    headers = token_for(db_session, make_user(db_session, "manager", Role.manager))
    assert client.get("/api/v1/bottlenecks", headers=headers).json()["total"] == 0
    assert client.get("/api/v1/bottlenecks/recurring?min_cases=1", headers=headers).json()["items"] == []


def test_an_unknown_status_is_refused_naming_the_field(client, db_session):
    coach = make_user(db_session, "coach")
    make_case(db_session, coach, bottlenecks=[HANDTEKENING])
    headers = token_for(db_session, make_user(db_session, "manager", Role.manager))
    bottleneck_id = client.get("/api/v1/bottlenecks", headers=headers).json()["items"][0]["id"]
    response = client.patch(
        f"/api/v1/bottlenecks/{bottleneck_id}", headers=headers, json={"status": "vergeten"}
    )
    assert response.status_code == 422 and "status" in response.json()["detail"]


def test_the_management_page_tags_with_htmx(client, db_session):
    from utils.factories import log_in

    coach = make_user(db_session, "coach")
    make_case(db_session, coach, bottlenecks=[HANDTEKENING])
    make_user(db_session, "manager", Role.manager)
    csrf = log_in(client, "manager")
    page = client.get("/knelpunten")
    assert "Werkinstructie Wmo-backoffice" in page.text
    bottleneck_id = client.get("/api/v1/bottlenecks").json()["items"][0]["id"]
    row = client.post(
        f"/knelpunten/{bottleneck_id}",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
        data={"tags": "mandaat, backoffice", "status": "acknowledged", "level": "internal_instruction"},
    )
    assert row.status_code == 200
    assert 'value="backoffice, mandaat"' in row.text and "bewaard" in row.text


def test_a_recurring_rule_carries_the_tags_of_all_its_bottlenecks(client, db_session):
    coach = make_user(db_session, "coach")
    make_case(db_session, coach, bottlenecks=[HANDTEKENING])
    make_case(db_session, coach, bottlenecks=[HANDTEKENING])
    headers = token_for(db_session, make_user(db_session, "manager", Role.manager))
    first, second = client.get("/api/v1/bottlenecks", headers=headers).json()["items"]
    client.patch(f"/api/v1/bottlenecks/{first['id']}", headers=headers, json={"tags": ["mandaat", "wmo"]})
    client.patch(f"/api/v1/bottlenecks/{second['id']}", headers=headers, json={"tags": ["wmo"]})
    [recurring] = client.get("/api/v1/bottlenecks/recurring", headers=headers).json()["items"]
    assert recurring["tags"] == ["mandaat", "wmo"]


def test_more_than_twenty_tags_are_refused_with_a_dutch_422_on_the_page_and_in_the_api(client, db_session):
    from utils.factories import log_in

    coach = make_user(db_session, "coach")
    make_case(db_session, coach, bottlenecks=[HANDTEKENING])
    make_user(db_session, "manager", Role.manager)
    csrf = log_in(client, "manager")
    bottleneck_id = client.get("/api/v1/bottlenecks").json()["items"][0]["id"]
    tags = [f"label-{number}" for number in range(21)]
    row = client.post(
        f"/knelpunten/{bottleneck_id}",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
        data={"tags": ", ".join(tags), "status": "acknowledged"},
    )
    assert row.status_code == 422 and "tags: bevat te veel onderdelen" in row.text
    api = client.patch(
        f"/api/v1/bottlenecks/{bottleneck_id}", headers={"X-CSRF-Token": csrf}, json={"tags": tags}
    )
    assert api.status_code == 422 and "tags" in api.json()["detail"]
    unknown = client.post(
        f"/knelpunten/{bottleneck_id}",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
        data={"tags": "wmo", "status": "vergeten"},
    )
    assert unknown.status_code == 422 and "status" in unknown.text
    assert client.get("/api/v1/bottlenecks").json()["items"][0]["tags"] == []
