"""The bottleneck register: every bottleneck carries its effect, proposal, owner and a status whose every move
is kept (who, when, why). Moves that need a reason or a resolution are refused without one, in Dutch, and
then nothing has changed."""

import pytest

from casebook.accounts.models import Role
from chat import flows as chat_flows
from chat.discussions.models import SessionCreate
from chat.stream.models import BottleneckFlagIn
from utils.factories import log_in, make_case, make_user, token_for

HANDTEKENING = {
    "law": "Werkinstructie Wmo-backoffice",
    "kind": "mandaat",
    "level": "internal_instruction",
    "delay_days": 38,
    "description": "Plan wacht op handtekening van de jurist.",
}


@pytest.fixture
def register(client, db_session):
    """A coach's case with one bottleneck; the manager's and the coach's API headers."""
    coach = make_user(db_session, "coach")
    manager = make_user(db_session, "manager", Role.manager)
    case = make_case(db_session, coach, bottlenecks=[HANDTEKENING])
    manager_headers, coach_headers = token_for(db_session, manager), token_for(db_session, coach)
    bottleneck_id = client.get("/api/v1/bottlenecks", headers=manager_headers).json()["items"][0]["id"]
    return {"case": case, "id": bottleneck_id, "manager": manager_headers, "coach": coach_headers}


def move(client, register, **body):
    return client.patch(f"/api/v1/bottlenecks/{register['id']}", headers=register["manager"], json=body)


def detail(client, register):
    return client.get(f"/api/v1/bottlenecks/{register['id']}", headers=register["manager"]).json()


def test_each_status_move_is_kept_with_who_and_when_from_signalling_to_resolved(client, register):
    for status in ("acknowledged", "raised_to_policy", "in_progress"):
        assert move(client, register, status=status).status_code == 200
    resolved = move(client, register, status="resolved", resolution="mandate_granted")
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved" and resolved.json()["resolution"] == "mandate_granted"

    history = detail(client, register)["history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "new"),
        ("new", "acknowledged"),
        ("acknowledged", "raised_to_policy"),
        ("raised_to_policy", "in_progress"),
        ("in_progress", "resolved"),
    ]
    assert history[0]["changed_by"] == "coach" and {h["changed_by"] for h in history[1:]} == {"manager"}
    assert history[-1]["resolution"] == "mandate_granted"
    assert [h["changed_at"] for h in history] == sorted(h["changed_at"] for h in history)


def test_setting_the_status_it_already_has_writes_no_history(client, register):
    assert move(client, register, status="new").status_code == 200
    assert len(detail(client, register)["history"]) == 1


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"status": "resolved"}, "resolution", "regel aangepast, uitzondering of mandaat verleend"),
        ({"status": "not_changeable"}, "reason", "niet aan te passen"),
        (
            {"status": "in_progress", "resolution": "exception"},
            "resolution",
            "alleen bij de status 'opgelost'",
        ),
        ({"reason": "zomaar"}, "status", "ook de nieuwe status"),
    ],
)
def test_a_move_without_what_it_needs_is_refused_in_dutch_and_nothing_changes(
    client, register, body, field, words
):
    refused = move(client, register, tags=["wmo"], proposal="Mandaat bij de wijkcoach", **body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"].startswith(f"{field}: ") and words in refused.json()["detail"]
    assert "niets gewijzigd" in refused.json()["detail"]
    after = detail(client, register)
    assert after["status"] == "new" and after["tags"] == [] and after["proposal"] == ""
    assert len(after["history"]) == 1


def test_a_rule_that_cannot_be_changed_keeps_its_reason_anonymised(client, register):
    response = move(
        client,
        register,
        status="not_changeable",
        reason="Landelijke wet; navraag bij Jan de Vries, 06-12345678, bevestigt het.",
    )
    assert response.status_code == 200, response.text
    reason = detail(client, register)["history"][-1]["reason"]
    assert (
        reason.startswith("Landelijke wet") and "06-12345678" not in reason and "Jan de Vries" not in reason
    )


def test_moving_back_needs_a_reason_and_reopening_is_kept(client, register):
    assert move(client, register, status="raised_to_policy").status_code == 200
    back = move(client, register, status="acknowledged")
    assert back.status_code == 422 and "terugzetten van 'geagendeerd' naar 'herkend'" in back.json()["detail"]
    assert move(client, register, status="resolved", resolution="exception").status_code == 200
    reopen = move(client, register, status="in_progress")
    assert reopen.status_code == 422 and detail(client, register)["status"] == "resolved"
    assert (
        move(client, register, status="in_progress", reason="De uitzondering gold maar één keer.").status_code
        == 200
    )
    after = detail(client, register)
    assert after["status"] == "in_progress" and after["resolution"] is None
    assert after["history"][-1]["reason"] == "De uitzondering gold maar één keer."


def test_management_sets_the_owner_and_a_coach_may_not(client, db_session, register):
    assert move(client, register, owner="manager").json()["owner_id"] is not None
    assert detail(client, register)["owner"] == "manager"
    assert move(client, register, owner="coach").status_code == 422  # an owner is a manager
    coach_try = client.patch(
        f"/api/v1/bottlenecks/{register['id']}", headers=register["coach"], json={"owner": "manager"}
    )
    assert coach_try.status_code == 403
    assert (
        client.patch(
            f"/api/v1/bottlenecks/{register['id']}",
            headers=register["coach"],
            json={"status": "resolved", "resolution": "exception"},
        ).status_code
        == 403
    )


def test_the_case_team_fills_in_the_effect_and_the_proposal(client, db_session, register):
    response = client.patch(
        f"/api/v1/bottlenecks/{register['id']}",
        headers=register["coach"],
        json={
            "extra_cost": 1250,
            "client_harm": "Twee maanden zonder bed.",
            "proposal": "Mandaat tot 1500 euro bij de coach",
        },
    )
    assert response.status_code == 200, response.text
    body = detail(client, register)
    assert (body["extra_cost"], body["client_harm"]) == (1250, "Twee maanden zonder bed.")
    other = make_user(db_session, "zuid", teams=("Wijkteam Zuid",))
    outsider = client.patch(
        f"/api/v1/bottlenecks/{register['id']}", headers=token_for(db_session, other), json={"proposal": "x"}
    )
    assert outsider.status_code == 403
    assert (
        client.get(f"/api/v1/bottlenecks/{register['id']}", headers=token_for(db_session, other)).status_code
        == 403
    )


def test_editing_the_case_keeps_the_bottleneck_its_status_history_and_tags(client, register):
    assert (
        move(
            client, register, status="acknowledged", tags=["mandaat"], proposal="Mandaat lager leggen"
        ).status_code
        == 200
    )
    edited = client.patch(
        f"/api/v1/cases/{register['case'].id}",
        headers=register["coach"],
        json={
            "bottlenecks": [
                {**HANDTEKENING, "description": "Plan wacht drie weken op de jurist."},
                {"law": "Jeugdwet art. 2.3", "kind": "toegangscriteria"},
            ]
        },
    )
    assert edited.status_code == 200, edited.text
    kept, added = edited.json()["bottlenecks"]
    assert kept["id"] == register["id"] and kept["status"] == "acknowledged" and kept["tags"] == ["mandaat"]
    assert (
        kept["description"] == "Plan wacht drie weken op de jurist."
        and kept["proposal"] == "Mandaat lager leggen"
    )
    assert len(detail(client, register)["history"]) == 2
    assert added["status"] == "new"


def test_a_bottleneck_flagged_in_a_case_discussion_links_to_it(client, db_session, register):
    coach = make_user(db_session, "coach-2")
    discussion = chat_flows.plan_discussion(
        db_session=db_session, user=coach, data=SessionCreate(case_id=register["case"].id, participants=[])
    )
    chat_flows.flag_bottleneck(
        db_session=db_session,
        discussion=discussion,
        user=coach,
        data=BottleneckFlagIn(
            session_id=discussion.id, law="Participatiewet art. 35", kind="schotten_budget", client_id="f-1"
        ),
    )
    flagged = client.get("/api/v1/bottlenecks?kind=schotten_budget", headers=register["manager"]).json()[
        "items"
    ][0]
    assert flagged["session_id"] == discussion.id and flagged["case_id"] == register["case"].id


def test_the_register_page_refuses_a_move_in_dutch_and_keeps_what_was_typed(client, db_session, register):
    csrf = log_in(client, "manager")
    page = client.get(f"/knelpunten/{register['id']}")
    assert page.status_code == 200 and "Geschiedenis" in page.text and "gesignaleerd" in page.text
    refused = client.post(
        f"/knelpunten/{register['id']}/register",
        data={
            "csrf_token": csrf,
            "status": "not_changeable",
            "reason": "",
            "proposal": "Mandaat lager leggen",
        },
    )
    assert refused.status_code == 422
    assert "geef de reden waarom de regel niet aan te passen is" in refused.text
    assert "Mandaat lager leggen" in refused.text  # what was typed is still there
    assert detail(client, register)["proposal"] == ""
    saved = client.post(
        f"/knelpunten/{register['id']}/register",
        follow_redirects=False,
        data={
            "csrf_token": csrf,
            "status": "not_changeable",
            "reason": "Landelijke wet.",
            "proposal": "Lobby via de VNG",
        },
    )
    assert saved.status_code == 303
    page = client.get(f"/knelpunten/{register['id']}")
    assert (
        "niet aanpasbaar" in page.text and "Landelijke wet." in page.text and "Lobby via de VNG" in page.text
    )


def test_the_list_row_shows_a_refused_move_in_dutch_with_the_stored_status(client, register):
    csrf = log_in(client, "manager")
    row = client.post(
        f"/knelpunten/{register['id']}",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
        data={"tags": "wmo", "status": "resolved"},
    )
    assert (
        row.status_code == 422
        and 'role="alert"' in row.text
        and "kies hoe het knelpunt is opgelost" in row.text
    )
    assert 'value="new" selected' in row.text and 'value="wmo"' not in row.text
    assert client.get("/knelpunten?status=resolved").text.count('id="bottleneck-') == 0
