"""Sessions through the JSON API, the HTML pages and the service: planning, reading the stream, closing with a
draft casebook entry, publishing it onto the case, and gap-free numbering under concurrent writers."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session, select

from casebook.accounts.models import Role
from casebook.cases import service as case_service
from chat import flows as chat_flows
from chat import methods
from chat.discussions import service as discussion_service
from chat.discussions.models import SessionCreate, SessionStatus
from chat.draft import service as draft_service
from chat.stream.models import AgreementIn, BottleneckFlagIn, Message
from utils.factories import log_in, make_case, make_user, token_for


def test_a_coach_plans_a_session_through_the_api_and_reads_its_messages(client, db_session):
    coach = make_user(db_session, "coach")
    make_user(db_session, "aanbieder", Role.provider, teams=())
    case = make_case(db_session, coach)
    headers = token_for(db_session, coach)
    response = client.post(
        "/api/v1/sessions",
        headers=headers,
        json={
            "case_id": case.id,
            "participants": ["aanbieder"],
            "method": "incidentmethode",
            "roster": ["Kees Hoekstra"],
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "planned" and body["method"] == "incidentmethode"
    assert {(p["username"], p["facilitator"]) for p in body["participants"]} == {
        ("coach", True),
        ("aanbieder", False),
    }
    discussion = discussion_service.get(db_session=db_session, session_id=body["id"])
    for number in range(3):
        chat_flows.post_message(
            db_session=db_session,
            discussion=discussion,
            user=coach,
            text=f"Bericht {number} over Kees Hoekstra",
            client_id=f"c{number}",
        )
    messages = client.get(f"/api/v1/sessions/{body['id']}/messages?after_seq=1", headers=headers).json()
    assert [m["seq"] for m in messages] == [2, 3]
    assert all(
        "Kees" not in m["text"] and "[PERSOON-1]" in m["text"] for m in messages
    )  # roster, memory only


def test_the_api_refuses_unknown_methods_participants_and_uninvited_readers(client, db_session):
    coach = make_user(db_session, "coach")
    outsider = make_user(db_session, "ander", Role.coach, teams=("Wijkteam Zuid",))
    case = make_case(db_session, coach)
    headers = token_for(db_session, coach)
    unknown_method = client.post(
        "/api/v1/sessions", headers=headers, json={"case_id": case.id, "method": "praatje"}
    )
    unknown_user = client.post(
        "/api/v1/sessions", headers=headers, json={"case_id": case.id, "participants": ["nie"]}
    )
    assert unknown_method.status_code == 422 and "gespreksmethode" in unknown_method.json()["detail"]
    assert unknown_user.status_code == 422 and "'nie'" in unknown_user.json()["detail"]
    created = client.post("/api/v1/sessions", headers=headers, json={"case_id": case.id}).json()
    other = token_for(db_session, outsider)
    assert client.get(f"/api/v1/sessions/{created['id']}/messages", headers=other).status_code == 403
    assert client.post("/api/v1/sessions", headers=other, json={"case_id": case.id}).status_code == 403
    assert client.get("/api/v1/sessions/999/messages", headers=headers).status_code == 404


def test_an_invited_provider_gets_access_to_the_case(client, db_session):
    coach = make_user(db_session, "coach")
    provider = make_user(db_session, "aanbieder", Role.provider, teams=())
    case = make_case(db_session, coach)
    chat_flows.plan_discussion(
        db_session=db_session, user=coach, data=SessionCreate(case_id=case.id, participants=["aanbieder"])
    )
    assert client.get(f"/api/v1/cases/{case.id}", headers=token_for(db_session, provider)).status_code == 200


def test_the_case_page_card_plans_a_session_and_opens_the_room(client, db_session):
    coach = make_user(db_session, "coach")
    make_user(db_session, "aanbieder", Role.provider, teams=())
    case = make_case(db_session, coach)
    csrf = log_in(client, "coach")
    card = client.get(f"/cases/{case.id}/sessions")
    assert card.status_code == 200 and "Casusoverleg plannen" in card.text
    assert all(m.name in card.text for m in methods.all_methods().values())
    response = client.post(
        f"/cases/{case.id}/sessions",
        data={"csrf_token": csrf, "method": "moreel_beraad", "participants": "aanbieder", "roster": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303
    room = client.get(response.headers["location"])
    assert room.status_code == 200 and "socket.io-4.8.4.min.js" in room.text and "Naar deze fase" in room.text
    assert "Het dilemma" in room.text  # the method's phases, from its data file
    assert "Open" in client.get("/sessions").text


def test_every_method_file_has_phases_with_a_prompt():
    catalogue = methods.all_methods()
    assert {"multi_actor", "incidentmethode", "moreel_beraad"} <= set(catalogue)
    multi = [p.name for p in catalogue["multi_actor"].phases]
    assert multi[0].startswith("Opening") and "Afspraken" in multi and multi[-1].startswith("Reflectie")
    assert all(p.prompt for m in catalogue.values() for p in m.phases)


def test_a_team_adds_its_own_method_as_a_file(tmp_path):
    (tmp_path / "kort.json").write_text(
        '{"id": "kort", "name": "Kort overleg", "phases": '
        '[{"id": "een", "name": "Eén", "prompt": "Wat is er nodig?"}]}'
    )
    assert methods.get("kort", tmp_path).phases[0].prompt == "Wat is er nodig?"
    assert "multi_actor" in methods.all_methods(tmp_path)


def test_closing_writes_a_draft_that_the_coach_publishes_onto_the_case(client, db_session):
    coach = make_user(db_session, "coach")
    provider = make_user(db_session, "aanbieder", Role.provider, teams=())
    case = make_case(db_session, coach, life_domains=["financiën", "huisvesting"])
    discussion = chat_flows.plan_discussion(
        db_session=db_session, user=coach, data=SessionCreate(case_id=case.id, participants=["aanbieder"])
    )
    chat_flows.change_phase(db_session=db_session, discussion=discussion, user=coach, phase="knelpunten")
    chat_flows.post_message(
        db_session=db_session,
        discussion=discussion,
        user=provider,
        text="De vermogenstoets hield de bijstand zes weken tegen.",
    )
    chat_flows.flag_bottleneck(
        db_session=db_session,
        discussion=discussion,
        user=provider,
        data=BottleneckFlagIn(
            session_id=discussion.id,
            law="Participatiewet art. 34",
            kind="toegangscriteria",
            description="zes weken",
        ),
    )
    chat_flows.record_agreement(
        db_session=db_session,
        discussion=discussion,
        user=coach,
        data=AgreementIn(session_id=discussion.id, description="Noodfonds aanvragen", owner_role="coach"),
    )
    chat_flows.mark_domain(db_session=db_session, discussion=discussion, user=coach, domain="financiën")
    chat_flows.mark_domain(db_session=db_session, discussion=discussion, user=coach, domain="werk")
    chat_flows.close_discussion(db_session=db_session, discussion=discussion, user=coach)

    assert discussion.status == SessionStatus.closed
    draft = draft_service.draft(db_session=db_session, discussion=discussion)
    assert draft.domains == ["financiën", "werk & opleiding"] and not draft.published
    assert "Participatiewet art. 34" in draft.summary and "Noodfonds aanvragen" in draft.summary
    assert "vermogenstoets" in draft.summary  # the key contribution of the phase
    with pytest.raises(discussion_service.DiscussionClosed):
        chat_flows.post_message(db_session=db_session, discussion=discussion, user=coach, text="Nog iets")

    csrf = log_in(client, "coach")
    page = client.get(f"/sessions/{discussion.id}/transcript")
    assert "Concept-verslag" in page.text and "Publiceren op de casus" in page.text
    response = client.post(
        f"/sessions/{discussion.id}/publish",
        data={"csrf_token": csrf, "summary": "Afgesproken met Jan de Vries: noodfonds."},
        follow_redirects=False,
    )
    assert response.status_code == 303
    db_session.expire_all()
    read = case_service.to_read(
        db_session=db_session,
        case=case_service.get_or_raise(db_session=db_session, user=coach, case_id=case.id),
    )
    assert {d.domain: d.addressed for d in read.life_domains} == {
        "financiën": True,
        "huisvesting": False,
        "werk & opleiding": True,
    }
    published = discussion_service.published_for_case(db_session=db_session, case=case)
    assert published and "Jan de Vries" not in published[0].summary and "noodfonds" in published[0].summary
    assert "Verslag casusoverleg" in client.get(f"/cases/{case.id}/sessions").text


def test_seqs_stay_gap_free_with_many_concurrent_writers(engine, db_session):
    coach = make_user(db_session, "coach")
    case = make_case(db_session, coach)
    discussion = chat_flows.plan_discussion(
        db_session=db_session, user=coach, data=SessionCreate(case_id=case.id)
    )

    def write(number: int) -> int:
        with Session(engine, expire_on_commit=False) as own:
            event, _ = chat_flows.post_message(
                db_session=own,
                discussion=discussion,
                user=coach,
                text=f"bericht {number}",
                client_id=f"c{number % 30}",
            )
            return event["seq"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(60)))
    seqs = list(
        db_session.exec(select(Message.seq).where(Message.session_id == discussion.id).order_by(Message.seq))
    )
    assert seqs == list(range(1, 31))  # 30 distinct client ids, each stored once, numbered without gaps
