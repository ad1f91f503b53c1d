"""Management owns the tag taxonomy: create, rename, nest and merge labels, refused where that would lose a
label into itself or make a cycle; tags many bottlenecks at once from a filtered list; and cases carry
labels from the same taxonomy."""

import pytest

from casebook.accounts.models import Role
from utils.factories import log_in, make_case, make_user, token_for

WMO = {"law": "Werkinstructie Wmo-backoffice", "kind": "mandaat", "delay_days": 38}
JEUGD = {"law": "Jeugdwet art. 2.3", "kind": "toegangscriteria", "delay_days": 10}


@pytest.fixture
def people(client, db_session):
    coach = make_user(db_session, "coach")
    manager = make_user(db_session, "manager", Role.manager)
    return {
        "coach": coach,
        "manager": manager,
        "coach_headers": token_for(db_session, coach),
        "headers": token_for(db_session, manager),
    }


def new_tag(client, people, name, parent_id=None):
    response = client.post(
        "/api/v1/tags", headers=people["headers"], json={"name": name, "parent_id": parent_id}
    )
    assert response.status_code == 201, response.text
    return response.json()


def tree(client, people):
    return {t["name"]: t for t in client.get("/api/v1/tags", headers=people["headers"]).json()}


def test_a_manager_builds_a_nested_taxonomy_and_a_parent_label_finds_its_children(client, db_session, people):
    mandaat = new_tag(client, people, "Mandaat")
    backoffice = new_tag(client, people, "#Backoffice jurist", parent_id=mandaat["id"])
    assert backoffice["name"] == "backoffice jurist" and backoffice["parent_id"] == mandaat["id"]
    make_case(db_session, people["coach"], bottlenecks=[WMO, JEUGD])
    items = client.get("/api/v1/bottlenecks", headers=people["headers"]).json()["items"]
    wmo = next(b for b in items if b["law"] == WMO["law"])
    client.patch(
        f"/api/v1/bottlenecks/{wmo['id']}", headers=people["headers"], json={"tags": ["backoffice jurist"]}
    )
    found = client.get("/api/v1/bottlenecks?tag=mandaat", headers=people["headers"]).json()
    assert [b["id"] for b in found["items"]] == [wmo["id"]]
    assert [t["name"] for t in client.get("/api/v1/tags", headers=people["headers"]).json()] == [
        "mandaat",
        "backoffice jurist",
    ]


def test_merging_moves_bottlenecks_cases_and_sub_labels_and_removes_the_label(client, db_session, people):
    mandaat, budget = new_tag(client, people, "mandaat"), new_tag(client, people, "bevoegdheid")
    child = new_tag(client, people, "handtekening", parent_id=budget["id"])
    case = make_case(db_session, people["coach"], bottlenecks=[WMO])
    bottleneck_id = client.get("/api/v1/bottlenecks", headers=people["headers"]).json()["items"][0]["id"]
    client.patch(
        f"/api/v1/bottlenecks/{bottleneck_id}", headers=people["headers"], json={"tags": ["bevoegdheid"]}
    )
    assert (
        client.put(
            f"/api/v1/cases/{case.id}/tags",
            headers=people["headers"],
            json={"tags": ["bevoegdheid", "mandaat"]},
        ).status_code
        == 200
    )
    merged = client.post(
        f"/api/v1/tags/{budget['id']}/merge", headers=people["headers"], json={"into_id": mandaat["id"]}
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["bottlenecks"] == 1 and merged.json()["cases"] == 1
    labels = tree(client, people)
    assert "bevoegdheid" not in labels and labels["handtekening"]["parent_id"] == mandaat["id"]
    assert client.get(f"/api/v1/bottlenecks/{bottleneck_id}", headers=people["headers"]).json()["tags"] == [
        "mandaat"
    ]
    assert child["id"] == labels["handtekening"]["id"]


def test_merging_into_itself_or_its_own_sub_label_is_refused_in_dutch_and_nothing_changes(client, people):
    parent = new_tag(client, people, "mandaat")
    child = new_tag(client, people, "backoffice", parent_id=parent["id"])
    grandchild = new_tag(client, people, "handtekening", parent_id=child["id"])
    itself = client.post(
        f"/api/v1/tags/{parent['id']}/merge", headers=people["headers"], json={"into_id": parent["id"]}
    )
    assert itself.status_code == 422 and "niet in zichzelf" in itself.json()["detail"]
    below = client.post(
        f"/api/v1/tags/{parent['id']}/merge", headers=people["headers"], json={"into_id": grandchild["id"]}
    )
    assert below.status_code == 422 and "eigen onderlabel" in below.json()["detail"]
    assert "niets" in below.json()["detail"]
    assert set(tree(client, people)) == {"mandaat", "backoffice", "handtekening"}


def test_nesting_that_would_make_a_cycle_is_refused(client, people):
    parent = new_tag(client, people, "mandaat")
    child = new_tag(client, people, "backoffice", parent_id=parent["id"])
    under_itself = client.patch(
        f"/api/v1/tags/{parent['id']}", headers=people["headers"], json={"parent_id": parent["id"]}
    )
    assert under_itself.status_code == 422 and "onder zichzelf" in under_itself.json()["detail"]
    cycle = client.patch(
        f"/api/v1/tags/{parent['id']}", headers=people["headers"], json={"parent_id": child["id"]}
    )
    assert cycle.status_code == 422 and "kring" in cycle.json()["detail"]
    assert tree(client, people)["mandaat"]["parent_id"] is None
    moved = client.patch(
        f"/api/v1/tags/{child['id']}",
        headers=people["headers"],
        json={"parent_id": None, "name": "Back-office"},
    )
    assert moved.status_code == 200 and moved.json() == {
        **moved.json(),
        "name": "back-office",
        "parent_id": None,
    }


def test_renaming_onto_an_existing_label_is_refused_pointing_to_merge(client, people):
    new_tag(client, people, "mandaat")
    other = new_tag(client, people, "bevoegdheid")
    response = client.patch(
        f"/api/v1/tags/{other['id']}", headers=people["headers"], json={"name": "Mandaat"}
    )
    assert response.status_code == 422 and "samen" in response.json()["detail"]


def test_only_management_owns_the_taxonomy(client, people):
    tag = new_tag(client, people, "mandaat")
    coach = people["coach_headers"]
    assert client.post("/api/v1/tags", headers=coach, json={"name": "x"}).status_code == 403
    assert client.patch(f"/api/v1/tags/{tag['id']}", headers=coach, json={"name": "y"}).status_code == 403
    assert (
        client.post(f"/api/v1/tags/{tag['id']}/merge", headers=coach, json={"into_id": tag["id"]}).status_code
        == 403
    )
    log_in(client, "coach")
    assert client.get("/labels").status_code == 403


def test_a_manager_tags_many_bottlenecks_at_once_and_takes_a_label_off(client, db_session, people):
    for _ in range(3):
        make_case(db_session, people["coach"], bottlenecks=[WMO])
    ids = [b["id"] for b in client.get("/api/v1/bottlenecks", headers=people["headers"]).json()["items"]]
    response = client.post(
        "/api/v1/bottlenecks/tagging",
        headers=people["headers"],
        json={"bottleneck_ids": ids[:2], "add": ["mandaat", "wmo"]},
    )
    assert response.status_code == 200 and response.json()["changed"] == 4
    client.post(
        "/api/v1/bottlenecks/tagging",
        headers=people["headers"],
        json={"bottleneck_ids": ids, "add": ["backoffice"], "remove": ["wmo"]},
    )
    tags = {
        b["id"]: b["tags"]
        for b in client.get("/api/v1/bottlenecks", headers=people["headers"]).json()["items"]
    }
    assert [tags[i] for i in ids] == [["backoffice", "mandaat"], ["backoffice", "mandaat"], ["backoffice"]]


def test_tagging_many_is_refused_whole_for_a_coach_or_a_bottleneck_out_of_sight(client, db_session, people):
    make_case(db_session, people["coach"], bottlenecks=[WMO])
    make_case(db_session, make_user(db_session, "zuid", teams=("Wijkteam Zuid",)), bottlenecks=[JEUGD])
    own = client.get("/api/v1/bottlenecks", headers=people["headers"]).json()["items"][0]["id"]
    assert (
        client.post(
            "/api/v1/bottlenecks/tagging",
            headers=people["coach_headers"],
            json={"bottleneck_ids": [own], "add": ["x"]},
        ).status_code
        == 403
    )
    other = own + 1
    refused = client.post(
        "/api/v1/bottlenecks/tagging",
        headers=people["headers"],
        json={"bottleneck_ids": [own, other], "add": ["mandaat"]},
    )
    assert refused.status_code == 403 and "niets opgeslagen" in refused.json()["detail"]
    assert client.get(f"/api/v1/bottlenecks/{own}", headers=people["headers"]).json()["tags"] == []


def test_the_register_page_tags_everything_the_filter_finds(client, db_session, people):
    make_case(db_session, people["coach"], bottlenecks=[WMO, JEUGD])
    make_case(db_session, people["coach"], bottlenecks=[WMO])
    csrf = log_in(client, "manager")
    page = client.post(
        "/knelpunten/labels",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
        data={"scope": "filter", "kind": "mandaat", "tag": "", "status": "", "add": "backoffice"},
    )
    assert page.status_code == 200 and "2 knelpunten bijgewerkt" in page.text
    tagged = client.get("/api/v1/bottlenecks?tag=backoffice").json()
    assert tagged["total"] == 2 and {b["kind"] for b in tagged["items"]} == {"mandaat"}
    ticked = client.post(
        "/knelpunten/labels", headers={"HX-Request": "true", "X-CSRF-Token": csrf}, data={"add": "wmo"}
    )
    assert ticked.status_code == 422 and "Vink eerst" in ticked.text


def test_cases_carry_labels_from_the_taxonomy(client, db_session, people):
    new_tag(client, people, "schulden")
    case = make_case(db_session, people["coach"])
    coach = people["coach_headers"]
    assert client.put(f"/api/v1/cases/{case.id}/tags", headers=coach, json={"tags": ["Schulden"]}).json() == [
        "schulden"
    ]
    unknown = client.put(
        f"/api/v1/cases/{case.id}/tags", headers=coach, json={"tags": ["schulden", "nieuw label"]}
    )
    assert unknown.status_code == 422 and unknown.json()["detail"].startswith("tags: label 2 bestaat niet")
    provider = make_user(db_session, "aanbieder", Role.provider, teams=())
    assert (
        client.put(
            f"/api/v1/cases/{case.id}/tags",
            headers=token_for(db_session, provider),
            json={"tags": ["schulden"]},
        ).status_code
        == 403
    )
    log_in(client, "coach")
    panel = client.get(f"/cases/{case.id}/labels")
    assert "#schulden" in panel.text and 'name="tags"' in panel.text
