"""The audit trail an administrator reads and exports: who viewed, changed, exported or searched what, and
when; never case text or a search query; and nothing can change or remove an event once written."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import select

from casebook.accounts.models import Role
from casebook.audit import service as audit_service
from casebook.audit.models import AuditEvent, AuditFilter
from casebook.timeutil import utcnow
from utils.factories import log_in, make_case, make_user, token_for

SECRET_WORD = "zeppelinhangar"  # in the case text and in the search query


@pytest.fixture
def people(client, db_session):
    admin = make_user(db_session, "beheerder", Role.admin, teams=())
    coach = make_user(db_session, "coach")
    case = make_case(
        db_session,
        coach,
        title=f"Wachten bij de {SECRET_WORD}",
        narrative=f"[CLIENT] woont naast de {SECRET_WORD}.",
    )
    return {"admin": admin, "coach": coach, "case": case, "coach_token": token_for(db_session, coach)}


def events(db_session, action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    db_session.expire_all()
    return list(db_session.exec(query))


def assert_no_content(db_session) -> None:
    for event in events(db_session):
        assert SECRET_WORD not in f"{event.action} {event.object_type} {event.detail}".lower()


def test_reading_a_case_is_recorded_with_who_what_and_when(client, people, db_session):
    before = utcnow() - timedelta(seconds=1)
    case_id = people["case"].id
    assert client.get(f"/api/v1/cases/{case_id}", headers=people["coach_token"]).status_code == 200
    log_in(client, "coach")
    assert client.get(f"/cases/{case_id}").status_code == 200
    viewed = events(db_session, "case.view")
    assert [(e.actor_id, e.object_type, e.object_id) for e in viewed] == [
        (people["coach"].id, "case", case_id)
    ] * 2
    assert all(e.at.replace(tzinfo=None) >= before.replace(tzinfo=None) for e in viewed)
    assert_no_content(db_session)


def test_a_change_is_recorded_with_the_fields_changed_but_not_their_text(client, people, db_session):
    response = client.patch(
        f"/api/v1/cases/{people['case'].id}",
        headers=people["coach_token"],
        json={"outcome": f"Verhuisd, weg van de {SECRET_WORD}."},
    )
    assert response.status_code == 200
    [changed] = events(db_session, "case.update")
    assert changed.actor_id == people["coach"].id and "outcome" in changed.detail
    assert_no_content(db_session)


def test_a_search_is_recorded_with_its_result_count_never_its_query(client, people, db_session):
    response = client.get("/api/v1/search", params={"q": SECRET_WORD}, headers=people["coach_token"])
    assert response.status_code == 200 and response.json()["hits"]
    [searched] = events(db_session, "search")
    assert (
        searched.actor_id == people["coach"].id
        and searched.detail == f"results={len(response.json()['hits'])}"
    )
    assert_no_content(db_session)


def test_an_export_from_the_command_line_is_recorded(people, db_session, settings, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from casebook import cli

    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
    result = CliRunner().invoke(cli.app, ["export", str(tmp_path / "export.jsonl")])
    assert result.exit_code == 0, result.output
    [exported] = events(db_session, "cases.export")
    assert exported.detail == "cases=1"


def test_the_database_refuses_to_change_or_delete_an_audit_event(people, engine):
    for statement in ("UPDATE audit_event SET detail = 'weg'", "DELETE FROM audit_event"):
        with engine.connect() as connection, pytest.raises(DatabaseError, match="append-only"):
            connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_event WHERE detail = 'weg'")).scalar() == 0


def test_the_audit_module_offers_no_way_to_change_or_remove_an_event():
    public = {
        name
        for name in dir(audit_service)
        if not name.startswith("_") and callable(getattr(audit_service, name))
    }
    assert not {
        name for name in public if any(word in name for word in ("update", "delete", "remove", "purge"))
    }


def test_only_an_administrator_reads_the_audit_page_and_a_refusal_is_recorded(client, people, db_session):
    log_in(client, "coach")
    assert client.get("/beheer/audit").status_code == 403
    assert client.get("/beheer/audit.csv").status_code == 403
    assert [e.actor_id for e in events(db_session, "admin.access_denied")] == [people["coach"].id] * 2
    assert client.get("/beheer/audit", headers=people["coach_token"]).status_code == 403


def test_the_audit_page_filters_by_user_action_and_period_and_pages(client, people, db_session):
    for _ in range(60):
        audit_service.record(
            db_session=db_session,
            actor_id=people["coach"].id,
            action="case.view",
            object_type="case",
            object_id=people["case"].id,
        )
    db_session.commit()
    log_in(client, "beheerder")
    page = client.get("/beheer/audit", params={"username": "coach", "action": "case.view"})
    assert page.status_code == 200 and "Auditlogboek" in page.text
    assert "(60)" in page.text and "Pagina 1 van 2" in page.text
    assert (
        client.get(
            "/beheer/audit", params={"username": "coach", "action": "case.view", "page": 2}
        ).status_code
        == 200
    )
    today = utcnow().date()
    assert (
        "(60)"
        in client.get(
            "/beheer/audit",
            params={"action": "case.view", "since": today.isoformat(), "until": today.isoformat()},
        ).text
    )
    future = (today + timedelta(days=1)).isoformat()
    assert "Geen gebeurtenissen gevonden" in client.get("/beheer/audit", params={"since": future}).text
    assert "(0)" in client.get("/beheer/audit", params={"username": "beheerder", "action": "case.view"}).text
    bad = client.get("/beheer/audit", params={"since": "gisteren"})
    assert bad.status_code == 422 and "ongeldige datum" in bad.text


def test_the_export_is_a_csv_of_the_same_selection(client, people, db_session):
    assert client.get(f"/api/v1/cases/{people['case'].id}", headers=people["coach_token"]).status_code == 200
    log_in(client, "beheerder")
    response = client.get("/beheer/audit.csv", params={"username": "coach", "action": "case.view"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 1 and rows[0]["handeling"] == "case.view"
    assert rows[0]["gebruiker"] == "coach" and rows[0]["object_id"] == str(people["case"].id)
    everything = list(csv.DictReader(io.StringIO(client.get("/beheer/audit.csv").text)))
    assert {"case.create", "case.view", "audit.export"} <= {row["handeling"] for row in everything}
    assert_no_content(db_session)


def test_the_export_streams_any_number_of_events_in_batches(people, db_session):
    db_session.connection().execute(
        AuditEvent.__table__.insert(),
        [
            {
                "at": utcnow(),
                "actor_id": people["coach"].id,
                "action": "case.view",
                "object_type": "case",
                "object_id": people["case"].id,
                "detail": "",
            }
            for _ in range(audit_service.CSV_BATCH + 10)
        ],
    )
    db_session.commit()
    chunks = list(audit_service.csv_chunks(db_session=db_session, filters=AuditFilter(action="case.view")))
    assert len(chunks) == 2
    assert sum(chunk.count("\n") for chunk in chunks) == audit_service.CSV_BATCH + 10 + 1  # + the header
