"""Values stored as written, never anonymised (a case's external_id, the role that took a decision, tag names,
team names) are constrained and refused when they hold an identifier, with a Dutch 422 naming the field; and the
privacy scan covers every string column, these included."""

import json
from collections import defaultdict

import pytest
from sqlalchemy import text
from sqlmodel import select

import casebook.app  # noqa: F401 - every table registered, as in the CLI
from casebook.accounts import service as account_service
from casebook.accounts.models import Role, Team
from casebook.cases import transfer
from casebook.cases.models import Case, Tag
from casebook.privacy import service as privacy_service
from utils.factories import make_case, make_user, token_for

CASE = {
    "title": "Schulden en wachten op Wmo",
    "narrative": "[CLIENT] heeft schulden.",
    "life_domains": ["financiën"],
}
DECISION = {"subject": "Bijzondere bijstand", "decided_by_role": "jurist backoffice"}
BOTTLENECK = {"law": "Wmo 2015", "kind": "mandaat", "delay_days": 38}


@pytest.fixture
def coach_headers(db_session):
    return token_for(db_session, make_user(db_session, "coach"))


# ---- external_id: a code, refused (never changed) when it holds an identifier --------------------------------


@pytest.mark.parametrize(
    ("external_id", "found"),
    [
        ("CB-111222333", "een BSN"),
        ("CB-0612345678", "een telefoonnummer"),
        ("Piet_de_Vries", "een naam"),
        ("Jansen-2023", "een naam"),
        ("1234AB", "een postcode"),
    ],
)
def test_an_external_id_holding_an_identifier_is_refused_naming_the_field(
    client, coach_headers, db_session, external_id, found
):
    response = client.post("/api/v1/cases", headers=coach_headers, json={**CASE, "external_id": external_id})
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail.startswith("external_id: ") and found in detail and "niets opgeslagen" in detail
    assert external_id not in detail  # the identifier is never echoed
    assert db_session.exec(select(Case)).all() == []


@pytest.mark.parametrize("external_id", ["jan@example.nl", "CB 12", "CB/12", "x" * 65, "CB-1\n2"])
def test_an_external_id_is_a_code_of_letters_digits_dash_and_underscore(client, coach_headers, external_id):
    response = client.post("/api/v1/cases", headers=coach_headers, json={**CASE, "external_id": external_id})
    assert response.status_code == 422 and response.json()["detail"].startswith("external_id: ")


def test_an_ordinary_external_id_is_kept_as_given(client, coach_headers):
    for external_id in ("CAS-1", "WT-NOORD-2023-0042", "DEMO-001", "cb_9df7dc4522014773"):
        response = client.post(
            "/api/v1/cases", headers=coach_headers, json={**CASE, "external_id": external_id}
        )
        assert response.status_code == 201, response.text
        assert response.json()["external_id"] == external_id


def test_an_import_line_with_an_identifier_in_its_external_id_is_refused_by_number(db_session):
    user = account_service.system_user(db_session=db_session)
    lines = [
        json.dumps({**CASE, "external_id": "CAS-1", "team": "Wijkteam Noord"}),
        json.dumps({**CASE, "external_id": "CB-111222333", "team": "Wijkteam Noord"}),
    ]
    report = transfer.import_lines(db_session=db_session, user=user, lines=lines)
    assert report.imported == ["CAS-1"]
    assert [error.line for error in report.errors] == [2]
    assert report.errors[0].reason.startswith("external_id: ") and "111222333" not in report.errors[0].reason


# ---- decided_by_role: a role or a body, never a person --------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "found"),
    [
        ("mevrouw Jansen", "naam"),
        ("Jan de Vries (jurist)", "naam"),
        ("jurist 06-12345678", "telefoonnummer"),
    ],
)
def test_a_decision_taken_by_a_named_person_is_refused_naming_the_field(
    client, coach_headers, db_session, role, found
):
    response = client.post(
        "/api/v1/cases",
        headers=coach_headers,
        json={**CASE, "decisions": [DECISION, {**DECISION, "decided_by_role": role}]},
    )
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail.startswith("decisions.1.decided_by_role: ") and found in detail
    assert db_session.exec(select(Case)).all() == []


def test_a_decided_by_role_is_a_short_role_not_free_text(client, coach_headers):
    for role in ("jurist: zie mail", "jurist\nbackoffice", "x" * 65):
        response = client.post(
            "/api/v1/cases",
            headers=coach_headers,
            json={**CASE, "decisions": [{**DECISION, "decided_by_role": role}]},
        )
        assert response.status_code == 422 and "decisions.0.decided_by_role" in response.json()["detail"]


def test_the_roles_of_the_demo_are_accepted(client, coach_headers):
    from casebook.demo import models as demo_models

    roles = sorted(
        {
            decision.decided_by_role
            for situation in demo_models.load_situations()
            for decision in situation.decisions
        }
    )
    response = client.post(
        "/api/v1/cases",
        headers=coach_headers,
        json={**CASE, "decisions": [{**DECISION, "decided_by_role": role} for role in roles]},
    )
    assert response.status_code == 201, response.text
    assert [d["decided_by_role"] for d in response.json()["decisions"]] == roles


def test_a_decision_role_stored_before_the_rule_still_reads(client, db_session):
    coach = make_user(db_session, "coach")
    case = make_case(db_session, coach, decisions=[DECISION])
    db_session.connection().execute(text("update decision set decided_by_role = 'jurist: oud'"))
    db_session.commit()
    response = client.get(f"/api/v1/cases/{case.id}", headers=token_for(db_session, coach))
    assert response.status_code == 200 and response.json()["decisions"][0]["decided_by_role"] == "jurist: oud"


# ---- tags and team names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "found"), [("Jan Jansen", "naam"), ("bsn 111222333", "BSN"), ("#Piet de Vries", "naam")]
)
def test_a_tag_holding_an_identifier_is_refused_and_nothing_changes(client, db_session, tag, found):
    coach = make_user(db_session, "coach")
    manager = make_user(db_session, "manager", Role.manager)
    make_case(db_session, coach, bottlenecks=[BOTTLENECK])
    headers = token_for(db_session, manager)
    bottleneck = client.get("/api/v1/bottlenecks", headers=headers).json()["items"][0]
    assert (
        client.patch(
            f"/api/v1/bottlenecks/{bottleneck['id']}", headers=headers, json={"tags": ["wmo"]}
        ).status_code
        == 200
    )
    response = client.patch(
        f"/api/v1/bottlenecks/{bottleneck['id']}", headers=headers, json={"tags": ["mandaat", tag]}
    )
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert (
        detail.startswith("tags: label 2 ")
        and found in detail
        and tag.lstrip("#").lower() not in detail.lower()
    )
    db_session.expire_all()
    assert list(db_session.exec(select(Tag.name))) == ["wmo"]
    assert client.get("/api/v1/bottlenecks", headers=headers).json()["items"][0]["tags"] == ["wmo"]


def test_a_manager_cannot_create_a_team_named_after_a_person(client, db_session):
    manager = make_user(db_session, "bestuurder", Role.manager, teams=())  # oversees (and may add) teams
    headers = token_for(db_session, manager)
    response = client.post("/api/v1/cases", headers=headers, json={**CASE, "team": "Team Jan Jansen"})
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith("team: ") and "naam" in response.json()["detail"]
    assert (
        client.post("/api/v1/cases", headers=headers, json={**CASE, "team": "Wijkteam Oost"}).status_code
        == 201
    )
    db_session.expire_all()
    assert sorted(db_session.exec(select(Team.name))) == ["Wijkteam Oost"]


def test_the_command_line_refuses_a_team_named_after_a_person(settings, db_session):
    import os
    import subprocess
    import sys

    env = {**os.environ, "CASEBOOK_DATA_DIR": str(settings.data_dir), "HF_HUB_OFFLINE": "1"}
    env.pop("DATABASE_URL", None)
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "casebook.cli",
            "user",
            "create",
            "coach-x",
            "--role",
            "coach",
            "--team",
            "Team 06-12345678",
        ],
        check=False,
        input="geheim-wachtwoord\ngeheim-wachtwoord\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert "teamnaam" in result.stderr.lower() and "telefoonnummer" in result.stderr
    assert list(db_session.exec(select(Team))) == []
    assert account_service.get_by_username(db_session=db_session, username="coach-x") is None


# ---- the privacy scan covers every string column -----------------------------------------------------------

PLANTED = {  # (table, column): an identifier written around the anonymiser and every check, straight in SQL
    ("case", "external_id"): ("CB-111222333", "BSN"),
    ("case", "title"): ("Jan Jansen belt terug", "PERSON"),
    ("bottleneck", "law"): ("Wmo, bel 06-12345678", "PHONE"),
    ("decision", "decided_by_role"): ("mevrouw Jansen", "PERSON"),
    ("tag", "name"): ("bsn 111222333", "BSN"),
    ("team", "name"): ("Team Jan Jansen", "PERSON"),
    ("message", "client_id"): ("c-0612345678", "PHONE"),
}


def test_an_identifier_planted_in_any_of_these_columns_is_reported(db_session):
    from chat.discussions.models import DiscussionSession
    from chat.stream.models import Message

    coach = make_user(db_session, "coach")
    case = make_case(db_session, coach, decisions=[DECISION], bottlenecks=[BOTTLENECK])
    discussion = DiscussionSession(case_id=case.id)
    db_session.add(discussion)
    db_session.flush()
    db_session.add(
        Message(session_id=discussion.id, seq=1, author_role="coach", text="Goedemorgen", client_id="c-1")
    )
    db_session.add(Tag(name="wmo"))
    db_session.commit()
    assert list(privacy_service.scan_database(db_session=db_session)) == []

    for (table, column), (value, _) in PLANTED.items():
        db_session.connection().execute(text(f'update "{table}" set {column} = :value'), {"value": value})
    db_session.commit()
    findings = list(privacy_service.scan_database(db_session=db_session))
    labels = defaultdict(set)
    for finding in findings:
        table, _, column = finding.where.split()
        labels[(table, column)].add(finding.label)
        assert "111222333" not in finding.describe() and "12345678" not in finding.describe()
    assert set(labels) == set(PLANTED)
    for where, (_, label) in PLANTED.items():
        assert label in labels[where], where


def test_keys_that_look_like_case_numbers_and_places_in_team_names_are_no_finding(db_session):
    coach = make_user(db_session, "coach", teams=("Wijkteam Utrecht-Oost",))
    make_case(db_session, coach, external_id="WT-2023-0042", decisions=[DECISION])
    assert list(privacy_service.scan_database(db_session=db_session)) == []


def test_an_export_is_scanned_in_these_fields_too(tmp_path):
    export = tmp_path / "export.jsonl"
    export.write_text(
        json.dumps(
            {
                "external_id": "Piet_de_Vries",
                "team": "Team 06-12345678",
                "title": "Schulden",
                "decisions": [{"subject": "Bijstand", "decided_by_role": "mevrouw Jansen"}],
                "bottlenecks": [{"law": "Wmo", "tags": ["wmo", "bsn 111222333"]}],
            }
        )
        + "\n"
    )
    found = sorted({(f.where, f.label) for f in privacy_service.scan_export(export)})
    assert found == [
        ("export.jsonl regel 1 decided_by_role", "PERSON"),
        ("export.jsonl regel 1 external_id", "PERSON"),
        ("export.jsonl regel 1 tags", "BSN"),
        ("export.jsonl regel 1 team", "PHONE"),
    ]
