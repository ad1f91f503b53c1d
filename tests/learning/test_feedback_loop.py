"""The loop from plan to outcome: the provider who carries out the plan reports back (ZRM scores after, what
worked, what did not), the coach is told in the app, and the case shows the loop as closed. Agreed actions
show as open or overdue on the coach's start page."""

from datetime import date, timedelta

import pytest

from casebook.accounts.models import Role
from casebook.cases import service as case_service
from casebook.db import transaction
from chat import flows as chat_flows
from chat.discussions.models import SessionCreate
from chat.stream.models import AgreementIn
from utils.factories import log_in, make_case, make_user, token_for

FEEDBACK = {
    "text": "Begeleiding loopt, de huur is weer op tijd betaald.",
    "plan_worked": True,
    "what_worked": "Vaste afspraak op maandag met de budgetcoach.",
    "what_did_not": "Het wachten op de schuldhulp duurde te lang.",
    "scores_after": [{"domain": "financiën", "score_after": 3}, {"domain": "huisvesting", "score_after": 4}],
}


@pytest.fixture
def loop(client, db_session):
    """A coach's case with a provider invited to carry out the plan."""
    coach = make_user(db_session, "coach")
    provider = make_user(db_session, "aanbieder", Role.provider, teams=())
    case = make_case(db_session, coach, life_domains=["financiën", "huisvesting"])
    with transaction(db_session):
        case_service.invite(db_session=db_session, case=case, user=provider)
    return {"case": case, "coach": token_for(db_session, coach), "provider": token_for(db_session, provider)}


def test_the_provider_reports_back_and_the_coach_is_notified_and_sees_the_loop_closed(client, loop):
    case_id = loop["case"].id
    given = client.post(f"/api/v1/cases/{case_id}/feedback", headers=loop["provider"], json=FEEDBACK)
    assert given.status_code == 201, given.text
    assert given.json()["scores_after"] == FEEDBACK["scores_after"]
    case = client.get(f"/api/v1/cases/{case_id}", headers=loop["coach"]).json()
    assert case["feedback_loop_closed"] is True
    assert case["feedback"][0]["what_did_not"] == FEEDBACK["what_did_not"]

    [notification] = client.get("/api/v1/notifications", headers=loop["coach"]).json()
    assert notification["case_id"] == case_id and notification["read"] is False
    assert client.get("/api/v1/notifications", headers=loop["provider"]).json() == []
    assert (
        client.post(f"/api/v1/notifications/{notification['id']}/read", headers=loop["provider"]).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/notifications/{notification['id']}/read", headers=loop["coach"]).status_code
        == 204
    )
    assert client.get("/api/v1/notifications", headers=loop["coach"]).json()[0]["read"] is True


def test_the_case_page_shows_what_came_back_and_that_the_loop_is_closed(client, loop):
    client.post(f"/api/v1/cases/{loop['case'].id}/feedback", headers=loop["provider"], json=FEEDBACK)
    log_in(client, "coach")
    page = client.get(f"/cases/{loop['case'].id}").text
    assert "De cirkel is rond" in page and "Vaste afspraak op maandag" in page and "Wat niet werkte" in page


def test_feedback_from_the_coach_alone_does_not_close_the_loop(client, loop):
    client.post(
        f"/api/v1/cases/{loop['case'].id}/feedback", headers=loop["coach"], json={"text": "Eigen notitie"}
    )
    assert (
        client.get(f"/api/v1/cases/{loop['case'].id}", headers=loop["coach"]).json()["feedback_loop_closed"]
        is False
    )
    assert client.get("/api/v1/notifications", headers=loop["coach"]).json() == []  # nobody tells themselves


def test_feedback_on_a_case_the_provider_was_not_invited_to_is_refused_and_nothing_is_stored(
    client, db_session, loop
):
    other = make_case(db_session, make_user(db_session, "coach-2"))
    refused = client.post(f"/api/v1/cases/{other.id}/feedback", headers=loop["provider"], json=FEEDBACK)
    assert refused.status_code == 403 and "toegang" in refused.json()["detail"]
    assert client.get(f"/api/v1/cases/{other.id}", headers=loop["coach"]).json()["feedback"] == []
    assert client.get("/api/v1/notifications", headers=loop["coach"]).json() == []


def test_two_scores_for_one_domain_are_refused_in_dutch(client, loop):
    twice = {
        **FEEDBACK,
        "scores_after": [
            {"domain": "financiën", "score_after": 3},
            {"domain": "Financiën", "score_after": 4},
        ],
    }
    refused = client.post(f"/api/v1/cases/{loop['case'].id}/feedback", headers=loop["provider"], json=twice)
    assert refused.status_code == 422 and refused.json()["detail"].startswith(
        "scores_after: geef per leefgebied één"
    )
    assert client.get(f"/api/v1/cases/{loop['case'].id}", headers=loop["coach"]).json()["feedback"] == []


def test_the_start_page_shows_the_badge_and_marks_notifications_read(client, loop):
    client.post(f"/api/v1/cases/{loop['case'].id}/feedback", headers=loop["provider"], json=FEEDBACK)
    csrf = log_in(client, "coach")
    start = client.get("/start").text
    assert 'aria-label="1 ongelezen"' in start and "Terugkoppeling ontvangen" in start
    listed = client.post("/meldingen/gelezen", headers={"HX-Request": "true", "X-CSRF-Token": csrf})
    assert listed.status_code == 200 and "ongelezen" not in listed.text


def test_agreed_actions_show_as_open_or_overdue_on_the_start_page_until_done(client, db_session, loop):
    today = date.today()
    client.patch(
        f"/api/v1/cases/{loop['case'].id}",
        headers=loop["coach"],
        json={
            "actions": [
                {
                    "description": "Schuldhulp aanmelden",
                    "owner_role": "coach",
                    "due_date": str(today - timedelta(days=3)),
                },
                {
                    "description": "Huisbezoek plannen",
                    "owner_role": "provider",
                    "due_date": str(today + timedelta(days=7)),
                },
                {"description": "Rapport sturen", "owner_role": "coach", "done": True},
            ]
        },
    )
    actions = client.get("/api/v1/actions/open", headers=loop["coach"]).json()
    assert [(a["description"], a["overdue"]) for a in actions] == [
        ("Schuldhulp aanmelden", True),
        ("Huisbezoek plannen", False),
    ]
    csrf = log_in(client, "coach")
    page = client.get("/start").text
    assert "1 te laat" in page and "Schuldhulp aanmelden" in page and "Rapport sturen" not in page
    done = client.post(
        f"/afspraken/{actions[0]['id']}/gedaan", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    assert [a["description"] for a in client.get("/api/v1/actions/open", headers=loop["coach"]).json()] == [
        "Huisbezoek plannen"
    ]


def test_a_provider_cannot_tick_off_the_teams_actions(client, db_session, loop):
    client.patch(
        f"/api/v1/cases/{loop['case'].id}",
        headers=loop["coach"],
        json={"actions": [{"description": "Schuldhulp aanmelden", "owner_role": "coach"}]},
    )
    action_id = client.get("/api/v1/actions/open", headers=loop["coach"]).json()[0]["id"]
    csrf = log_in(client, "aanbieder")
    assert client.post(f"/afspraken/{action_id}/gedaan", data={"csrf_token": csrf}).status_code == 403


def test_an_action_agreed_in_a_case_discussion_is_shown_as_such_and_keeps_that_link_through_an_edit(
    client, db_session, loop
):
    coach = make_user(db_session, "coach-2")
    discussion = chat_flows.plan_discussion(
        db_session=db_session, user=coach, data=SessionCreate(case_id=loop["case"].id, participants=[])
    )
    chat_flows.record_agreement(
        db_session=db_session,
        discussion=discussion,
        user=coach,
        data=AgreementIn(
            session_id=discussion.id,
            description="Budgetcoach inschakelen",
            owner_role="coach",
            client_id="a-1",
        ),
    )
    [action] = client.get("/api/v1/actions/open", headers=loop["coach"]).json()
    assert action["session_id"] == discussion.id
    client.patch(
        f"/api/v1/cases/{loop['case'].id}",
        headers=loop["coach"],
        json={
            "actions": [
                {"description": "Budgetcoach inschakelen", "owner_role": "coach"},
                {"description": "Huisbezoek", "owner_role": "coach"},
            ]
        },
    )
    linked = {
        a["description"]: a["session_id"]
        for a in client.get("/api/v1/actions/open", headers=loop["coach"]).json()
    }
    assert linked == {"Budgetcoach inschakelen": discussion.id, "Huisbezoek": None}
    log_in(client, "coach")
    assert "afgesproken in casusoverleg" in client.get("/start").text
