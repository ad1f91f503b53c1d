"""Invitations to a session (and the case access that comes with them): an invited user reads and takes part
but never edits or deletes the case; an invitation from outside the case's team expires (30 days by default,
an explicit date, 14 days after closing at the latest) and the facilitator or the case's team can withdraw
it, which also closes the withdrawn user's open room sockets."""

import asyncio
from datetime import timedelta

import httpx
import pytest
from sqlmodel import select

from casebook.accounts.models import Role
from casebook.audit.models import AuditEvent
from casebook.cases import service as case_service
from casebook.cases.models import CaseParticipant
from casebook.timeutil import utcnow
from chat import flows as chat_flows
from chat.discussions import service as discussion_service
from chat.discussions.models import SessionCreate, SessionParticipant
from utils.factories import make_case, make_user, token_for

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def planned(db_session):
    """A case of Wijkteam Noord with a session: its coach leads; a provider and a coach of Wijkteam Zuid invited."""
    coach = make_user(db_session, "coach")
    provider = make_user(db_session, "aanbieder", Role.provider, teams=())
    guest = make_user(db_session, "gast", Role.coach, teams=("Wijkteam Zuid",))
    case = make_case(db_session, coach)
    discussion = chat_flows.plan_discussion(
        db_session=db_session,
        user=coach,
        data=SessionCreate(case_id=case.id, participants=["aanbieder", "gast"]),
    )
    return {
        "case": case,
        "discussion": discussion,
        "coach": coach,
        "provider": provider,
        "guest": guest,
        "headers": {
            name: token_for(db_session, user)
            for name, user in (("coach", coach), ("provider", provider), ("guest", guest))
        },
    }


def _expire(db_session, user, discussion) -> None:
    """What the clock does to an invitation: its time has passed (session and case access alike)."""
    past = utcnow() - timedelta(minutes=1)
    for row in (
        db_session.get(SessionParticipant, (discussion.id, user.id)),
        db_session.get(CaseParticipant, (discussion.case_id, user.id)),
    ):
        row.expires_at = past
        db_session.add(row)
    db_session.commit()


def test_an_invited_coach_of_another_team_reads_the_case_but_cannot_edit_delete_or_plan(client, planned):
    case_id, guest = planned["case"].id, planned["headers"]["guest"]
    assert client.get(f"/api/v1/cases/{case_id}", headers=guest).status_code == 200
    assert (
        client.get(f"/api/v1/sessions/{planned['discussion'].id}/messages", headers=guest).status_code == 200
    )
    edit = client.patch(f"/api/v1/cases/{case_id}", headers=guest, json={"title": "Door een gast gewijzigd"})
    delete = client.delete(f"/api/v1/cases/{case_id}", headers=guest)
    plan = client.post("/api/v1/sessions", headers=guest, json={"case_id": case_id})
    assert (edit.status_code, delete.status_code, plan.status_code) == (403, 403, 403)
    case = client.get(f"/api/v1/cases/{case_id}", headers=planned["headers"]["coach"]).json()
    assert case["title"] == "Schulden en wachten op Wmo-besluit"
    assert (
        client.patch(
            f"/api/v1/cases/{case_id}",
            headers=planned["headers"]["coach"],
            json={"title": "Door de eigen coach gewijzigd"},
        ).status_code
        == 200
    )


def test_invitations_from_outside_the_team_expire_in_thirty_days_and_the_own_team_needs_none(
    planned, db_session
):
    discussion, case = planned["discussion"], planned["case"]
    rows = {
        row.user_id: row
        for row in db_session.exec(
            select(SessionParticipant).where(SessionParticipant.session_id == discussion.id)
        )
    }
    assert rows[planned["coach"].id].expires_at is None
    for user in (planned["provider"], planned["guest"]):
        lasts = rows[user.id].expires_at - utcnow()
        assert timedelta(days=29, hours=23) < lasts <= timedelta(days=30)
        assert db_session.get(CaseParticipant, (case.id, user.id)).expires_at == rows[user.id].expires_at
    read = discussion_service.to_read(db_session=db_session, discussion=discussion)
    expiry = {p.username: p.invitation_expires_at for p in read.participants}
    assert expiry["coach"] is None and expiry["aanbieder"] is not None


def test_an_expired_invitation_opens_neither_the_session_nor_the_case(client, planned, db_session):
    provider, discussion, case_id = planned["headers"]["provider"], planned["discussion"], planned["case"].id
    assert client.get(f"/api/v1/cases/{case_id}", headers=provider).status_code == 200
    _expire(db_session, planned["provider"], discussion)
    assert client.get(f"/api/v1/sessions/{discussion.id}/messages", headers=provider).status_code == 403
    assert client.get(f"/api/v1/cases/{case_id}", headers=provider).status_code == 403
    assert client.get("/api/v1/cases", headers=provider).json()["total"] == 0
    assert discussion_service.list_for_user(db_session=db_session, user=planned["provider"]) == []


def test_an_explicit_expiry_is_kept_and_one_in_the_past_or_beyond_a_year_is_refused(
    client, planned, db_session
):
    headers, case_id = planned["headers"]["coach"], planned["case"].id
    for when in (utcnow() - timedelta(hours=1), utcnow() + timedelta(days=400)):
        refused = client.post(
            "/api/v1/sessions",
            headers=headers,
            json={
                "case_id": case_id,
                "participants": ["aanbieder"],
                "invitations_expire_at": when.isoformat(),
            },
        )
        assert refused.status_code == 422 and "uitnodiging" in refused.json()["detail"].lower()
    when = utcnow() + timedelta(days=3)
    made = client.post(
        "/api/v1/sessions",
        headers=headers,
        json={"case_id": case_id, "participants": ["aanbieder"], "invitations_expire_at": when.isoformat()},
    )
    assert made.status_code == 201
    provider = next(p for p in made.json()["participants"] if p["username"] == "aanbieder")
    stored = db_session.get(SessionParticipant, (made.json()["id"], planned["provider"].id)).expires_at
    assert provider["invitation_expires_at"] and abs((stored - when).total_seconds()) < 1
    # the case invitation from the first session (30 days) is not shortened by a later, shorter one
    assert db_session.get(
        CaseParticipant, (case_id, planned["provider"].id)
    ).expires_at - utcnow() > timedelta(days=29)


def test_closing_a_session_ends_outside_invitations_fourteen_days_later(planned, db_session):
    discussion, provider = planned["discussion"], planned["provider"]
    chat_flows.close_discussion(db_session=db_session, discussion=discussion, user=planned["coach"])
    db_session.expire_all()
    closed_at = discussion_service.get(db_session=db_session, session_id=discussion.id).closed_at
    participation = db_session.get(SessionParticipant, (discussion.id, provider.id))
    assert participation.expires_at == closed_at + timedelta(days=14)
    assert (
        db_session.get(CaseParticipant, (discussion.case_id, provider.id)).expires_at
        == participation.expires_at
    )
    assert db_session.get(SessionParticipant, (discussion.id, planned["coach"].id)).expires_at is None


def test_the_facilitator_withdraws_an_invitation_and_the_withdrawn_user_loses_session_and_case(
    client, planned, db_session
):
    discussion, case_id = planned["discussion"], planned["case"].id
    headers = planned["headers"]
    url = f"/api/v1/sessions/{discussion.id}/participants"
    assert (
        client.delete(f"{url}/coach", headers=headers["guest"]).status_code == 403
    )  # guests cannot withdraw
    assert (
        client.delete(f"{url}/coach", headers=headers["coach"]).status_code == 422
    )  # nor the facilitator go
    assert client.delete(f"{url}/niemand", headers=headers["coach"]).status_code == 404
    assert client.delete(f"{url}/aanbieder", headers=headers["coach"]).status_code == 204
    assert client.delete(f"{url}/aanbieder", headers=headers["coach"]).status_code == 404
    assert (
        client.get(f"/api/v1/sessions/{discussion.id}/messages", headers=headers["provider"]).status_code
        == 403
    )
    assert client.get(f"/api/v1/cases/{case_id}", headers=headers["provider"]).status_code == 403
    assert "aanbieder" not in {
        p["username"]
        for p in client.get(f"/api/v1/sessions/{discussion.id}", headers=headers["coach"]).json()[
            "participants"
        ]
    }
    revoked = db_session.exec(select(AuditEvent).where(AuditEvent.action == "session.revoke")).all()
    assert [(e.actor_id, e.detail) for e in revoked] == [
        (planned["coach"].id, f"user={planned['provider'].id}")
    ]


def test_withdrawing_one_session_keeps_case_access_from_another_and_an_open_ended_invitation(
    planned, db_session
):
    case, provider, guest, coach = planned["case"], planned["provider"], planned["guest"], planned["coach"]
    later = chat_flows.plan_discussion(
        db_session=db_session,
        user=coach,
        data=SessionCreate(
            case_id=case.id, participants=["aanbieder"], invitations_expire_at=utcnow() + timedelta(days=5)
        ),
    )
    chat_flows.revoke_participant(
        db_session=db_session, session_id=planned["discussion"].id, user=coach, username="aanbieder"
    )
    remaining = db_session.get(CaseParticipant, (case.id, provider.id))
    assert (
        remaining is not None
        and remaining.expires_at == db_session.get(SessionParticipant, (later.id, provider.id)).expires_at
    )  # as long as the session that remains
    other_case = make_case(db_session, coach, title="Andere casus")
    case_service.invite(db_session=db_session, case=other_case, user=guest)  # open-ended, not from a session
    db_session.commit()
    discussion = chat_flows.plan_discussion(
        db_session=db_session, user=coach, data=SessionCreate(case_id=other_case.id, participants=["gast"])
    )
    chat_flows.revoke_participant(
        db_session=db_session, session_id=discussion.id, user=coach, username="gast"
    )
    assert db_session.get(CaseParticipant, (other_case.id, guest.id)).expires_at is None


def test_a_withdrawn_participant_is_disconnected_from_the_room_at_once(
    live_server, new_client, room, db_session
):
    sid = room["discussion"].id

    async def scenario():
        provider, coach = (
            new_client(token=room["tokens"]["provider"]),
            new_client(token=room["tokens"]["coach"]),
        )
        for client in (provider, coach):
            await client.enter(sid)
        async with httpx.AsyncClient(base_url=live_server.url) as http:
            response = await http.delete(
                f"/api/v1/sessions/{sid}/participants/aanbieder",
                headers={"Authorization": f"Bearer {room['tokens']['coach']}"},
            )
        deadline = asyncio.get_running_loop().time() + 5
        while provider.sio.connected and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        await coach.say(sid, "Alleen voor wie nog is uitgenodigd", "c-1")
        await coach.wait_for(lambda: 1 in coach.by_seq)
        await coach.close()
        return response.status_code, provider

    status, provider = asyncio.run(scenario())
    assert status == 204 and not provider.sio.connected
    assert provider.received["error"][-1]["code"] == "access_revoked"
    assert 1 not in provider.by_seq
