"""Erasing a case leaves no trace of it: not in any table (every string column is searched for the case's
own words), not in the database files, not in either search index (vector and lexical, in memory and on
disk), not in an export, and so not in anything the assistant retrieves through search. Only the audit
trail keeps that case #id was erased, by whom and when."""

import json
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import String, TypeDecorator, select
from sqlmodel import SQLModel
from typer.testing import CliRunner

from casebook import cli, events
from casebook import settings as settings_registry
from casebook.accounts.models import Role, User
from casebook.anonymise import registry, shared
from casebook.anonymise.registry import pseudonym_registry
from casebook.audit.models import AuditEvent
from casebook.cases import flows as case_flows
from casebook.cases import service as case_service
from casebook.cases import transfer
from casebook.cases.models import BottleneckIn, FeedbackIn
from casebook.db import transaction
from chat import flows as chat_flows
from chat.discussions import anonymiser as discussion_anonymiser
from chat.discussions.models import DiscussionSession, SessionCreate
from chat.stream.models import BottleneckFlagIn
from search import service as search_service
from search import text as text_mod
from search.vector_index import MAX_CHUNKS_PER_CASE
from utils.factories import make_case, make_user, token_for
from utils.services import require_redis

# Words that occur only in the erased case, one per place a case's text can live.
WORDS = {
    "title": "zeppelinhangar",
    "narrative": "kwartelkoning",
    "support_question": "paardenbloemthee",
    "support_plan": "wolkenkrabbertuin",
    "plan_item": "sneeuwuilenbad",
    "decision": "klompenmakerij",
    "action": "vlindertuinbank",
    "outcome": "lantaarnvisser",
    "bottleneck": "kabouterreglement",
    "feedback": "heggenschaarclub",
    "message": "molenwiekenfeest",
    "room_bottleneck": "dijkgraafstempel",
}

ROSTER_NAME = "Ermias Tesfamariam"  # the facilitator's roster lives in the server's memory only


def erased_case(db_session, coach, provider):
    """A case carrying one distinctive word in every kind of text, with feedback and a room session."""
    w = WORDS
    case = make_case(
        db_session,
        coach,
        title=f"Wachten op de {w['title']}",
        narrative=f"[CLIENT] praat over de {w['narrative']}.",
        support_question=f"Hulp bij de {w['support_question']}",
        support_plan=f"Samen naar de {w['support_plan']}",
        plan_items=[f"Bezoek aan het {w['plan_item']}"],
        decisions=[{"subject": f"Besluit over de {w['decision']}", "decided_by_role": "jurist backoffice"}],
        actions=[{"description": f"Regel de {w['action']}", "owner_role": "coach"}],
        outcome=f"Het werkte via de {w['outcome']}",
        bottlenecks=[
            BottleneckIn(
                law="Participatiewet", kind="mandaat", description=f"Het {w['bottleneck']}", rule="art. 34"
            ).model_dump()
        ],
    )
    case_flows.give_feedback(
        db_session=db_session,
        user=coach,
        case=case,
        data=FeedbackIn(text=f"Contact via de {w['feedback']}", plan_worked=True),
    )
    discussion = chat_flows.plan_discussion(
        db_session=db_session,
        user=coach,
        data=SessionCreate(case_id=case.id, participants=[provider.username], roster=[ROSTER_NAME]),
    )
    chat_flows.post_message(
        db_session=db_session, discussion=discussion, user=coach, text=f"Denk aan het {w['message']}"
    )
    chat_flows.flag_bottleneck(
        db_session=db_session,
        discussion=discussion,
        user=coach,
        data=BottleneckFlagIn(
            session_id=discussion.id,
            law="Wmo 2015",
            rule="",
            kind="doorlooptijd",
            description=f"De {w['room_bottleneck']}",
            client_id="b-1",
        ),
    )
    return case


@pytest.fixture
def world(client, db_session):
    admin = make_user(db_session, "beheerder", Role.admin, teams=())
    coach = make_user(db_session, "coach")
    provider = make_user(db_session, "aanbieder", Role.provider, teams=())
    kept = make_case(
        db_session,
        coach,
        title="Schulden en een aanmaning",
        narrative="[CLIENT] heeft schulden bij de energieleverancier.",
    )
    case = erased_case(db_session, coach, provider)
    return {
        "case": case,
        "kept": kept,
        "admin": token_for(db_session, admin),
        "coach": coach,
        "provider": token_for(db_session, provider),
        "coach_token": token_for(db_session, coach),
    }


def hits_for(client, headers, word: str) -> list[int]:
    response = client.get("/api/v1/search", params={"q": word, "k": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return [hit["case_id"] for hit in response.json()["hits"]]


def string_values(db_session) -> list[tuple[str, str]]:
    """(table.column, value) of every non-empty string value in every table of the schema."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        columns = [
            c
            for c in table.columns
            if isinstance(c.type.impl_instance if isinstance(c.type, TypeDecorator) else c.type, String)
        ]
        for column in columns:
            for (value,) in db_session.connection().execute(select(column)):
                if value:
                    found.append((f"{table.name}.{column.name}", value))
    return found


def traces_in_tables(db_session) -> list[str]:
    return [
        f"{where}: {word}"
        for where, value in string_values(db_session)
        for word in WORDS.values()
        if word in value.lower()
    ]


def test_before_erasure_every_word_is_stored_and_found(client, world, db_session):
    """The check below would find each word: every one is in the tables and found by search."""
    assert {trace.rsplit(": ", 1)[1] for trace in traces_in_tables(db_session)} == set(WORDS.values())
    for word in WORDS.values():
        assert world["case"].id in hits_for(client, world["admin"], word), word


def test_an_erased_case_leaves_no_trace_in_any_table(client, world, db_session):
    case_id = world["case"].id
    assert client.delete(f"/api/v1/cases/{case_id}", headers=world["admin"]).status_code == 204
    db_session.expire_all()
    assert traces_in_tables(db_session) == []
    for table in SQLModel.metadata.sorted_tables:
        if "case_id" in table.columns:
            rows = db_session.connection().execute(select(table).where(table.c.case_id == case_id)).all()
            assert rows == [], table.name
    assert client.get(f"/api/v1/cases/{world['kept'].id}", headers=world["admin"]).status_code == 200


def test_an_erased_case_cannot_be_read_back_from_the_database_files(client, world, settings):
    if settings.database_url:
        pytest.skip("the raw files are checked on SQLite; PostgreSQL is vacuumed (SECURITY.md)")
    assert client.delete(f"/api/v1/cases/{world['case'].id}", headers=world["admin"]).status_code == 204
    files = [p for p in settings.data_dir.glob("casebook.db*") if p.is_file()]
    raw = b"".join(p.read_bytes() for p in files)
    assert raw, files
    assert [w for w in WORDS.values() if w.encode() in raw] == []


def test_an_erased_case_is_gone_from_both_search_indexes(client, world, db_session, settings):
    case_id = world["case"].id
    hits_for(client, world["admin"], "schulden")  # the index is open and holds the case
    engine = search_service.engine_for(db_session)
    assert case_id in engine.docs
    assert client.delete(f"/api/v1/cases/{case_id}", headers=world["admin"]).status_code == 204

    for word in WORDS.values():
        assert case_id not in hits_for(client, world["admin"], word), word
    # lexical: no document, no term, no remembered spelling of the case's own words
    stems = {text_mod.stem(word) for word in WORDS.values()}
    assert case_id not in engine.docs and engine.lexical.terms_of(case_id) == []
    assert not stems & set(engine.lexical.expand(sorted(stems)))
    assert not stems & set(text_mod.SURFACES)
    # vector: no chunk of the case in memory, nor in the index file written to the data folder
    assert case_id not in engine.meta
    ids = set(engine.vectors.all_vectors()[1].tolist())
    assert not any(case_id * MAX_CHUNKS_PER_CASE <= i < (case_id + 1) * MAX_CHUNKS_PER_CASE for i in ids)
    saved = json.loads(Path(settings.data_dir / "search" / "search.meta.json").read_text())
    assert str(case_id) not in saved["cases"] and str(world["kept"].id) in saved["cases"]
    similar = client.get(f"/api/v1/cases/{world['kept'].id}/similar", headers=world["admin"]).json()
    assert case_id not in [hit["case_id"] for hit in similar["hits"]]


def test_an_erased_case_is_in_no_later_export(client, world, db_session):
    assert client.delete(f"/api/v1/cases/{world['case'].id}", headers=world["admin"]).status_code == 204
    exported = json.dumps(list(transfer.export_records(db_session=db_session)), ensure_ascii=False).lower()
    assert "energieleverancier" in exported
    assert [w for w in WORDS.values() if w in exported] == []


def test_the_audit_trail_keeps_only_who_erased_which_case_id(client, world, db_session):
    case_id = world["case"].id
    assert client.delete(f"/api/v1/cases/{case_id}", headers=world["admin"]).status_code == 204
    erased = db_session.exec(select(AuditEvent).where(AuditEvent.action == "case.delete")).all()
    assert [(e[0].object_type, e[0].object_id) for e in erased] == [("case", case_id)]
    assert world["case"].external_id not in erased[0][0].detail


def test_an_invited_provider_cannot_erase_a_case(client, world):
    response = client.delete(f"/api/v1/cases/{world['case'].id}", headers=world["provider"])
    assert response.status_code == 403
    assert world["case"].id in hits_for(client, world["admin"], WORDS["narrative"])


def test_the_command_line_erases_a_case_and_its_index_entry(world, db_session, settings, monkeypatch):
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
    case_id, external_id = world["case"].id, world["case"].external_id
    search_service.open_index(settings=settings, db_session=db_session, progress=False)
    result = CliRunner().invoke(cli.app, ["case", "erase", external_id, "--yes"])
    assert result.exit_code == 0, result.output
    db_session.expire_all()
    assert traces_in_tables(db_session) == []
    saved = json.loads(Path(settings.data_dir / "search" / "search.meta.json").read_text())
    assert str(case_id) not in saved["cases"]
    assert CliRunner().invoke(cli.app, ["case", "erase", "999999", "--yes"]).exit_code == 1


def test_the_assistant_no_longer_finds_or_quotes_an_erased_case(client, world):
    question = {"message": f"wachten op de {WORDS['title']}, {WORDS['narrative']}"}
    before = client.post("/api/v1/assistant", headers=world["admin"], json=question)
    assert before.status_code == 200, before.text
    assert world["case"].id in before.json()["citations"]  # it did find the case while it existed
    case_id = world["case"].id
    assert client.delete(f"/api/v1/cases/{case_id}", headers=world["admin"]).status_code == 204
    after = client.post("/api/v1/assistant", headers=world["admin"], json=question)
    assert after.status_code == 200, after.text
    assert case_id not in after.json()["citations"]
    assert [w for w in WORDS.values() if w in after.json()["answer"].lower()] == []


def room_sessions(db_session, case_id: int) -> list[int]:
    return list(
        db_session.exec(select(DiscussionSession.id).where(DiscussionSession.case_id == case_id)).scalars()
    )


def test_an_erased_case_takes_its_names_out_of_memory(client, world, db_session):
    case_id = world["case"].id
    sessions = room_sessions(db_session, case_id)
    assert [discussion_anonymiser.roster_of(db_session=db_session, session_id=s) for s in sessions] == [
        [ROSTER_NAME]
    ]
    assert case_id in pseudonym_registry.held(db_session=db_session, scope=registry.CASE)
    assert set(sessions) <= pseudonym_registry.held(db_session=db_session, scope=registry.SESSION)
    assert client.delete(f"/api/v1/cases/{case_id}", headers=world["admin"]).status_code == 204
    assert [discussion_anonymiser.roster_of(db_session=db_session, session_id=s) for s in sessions] == [[]]
    assert case_id not in pseudonym_registry.held(db_session=db_session, scope=registry.CASE)
    assert not set(sessions) & pseudonym_registry.held(db_session=db_session, scope=registry.SESSION)


def test_a_case_erased_by_another_process_leaves_memory_at_the_housekeeping_sweep(world, db_session):
    """No event reached this process (the command line, or another server without Redis): the sweep that
    also drops erased cases from the index forgets the roster."""
    case = world["case"]
    sessions = room_sessions(db_session, case.id)
    admin = db_session.exec(select(User).where(User.username == "beheerder")).scalars().one()
    with transaction(db_session):
        case_service.delete(db_session=db_session, user=admin, case=case)  # the write, without its event
    assert [discussion_anonymiser.roster_of(db_session=db_session, session_id=s) for s in sessions] == [
        [ROSTER_NAME]
    ]
    discussion_anonymiser.forget_missing_sessions(db_session=db_session)
    case_service.forget_missing_cases(db_session=db_session)
    assert [discussion_anonymiser.roster_of(db_session=db_session, session_id=s) for s in sessions] == [[]]
    assert case.id not in pseudonym_registry.held(db_session=db_session, scope=registry.CASE)


@pytest.fixture
def maps_in_redis(client, engine, settings, monkeypatch):
    """The test's database served with REDIS_URL, as by several processes: its pseudonym maps live in Redis."""
    redis_url = require_redis()
    settings_registry.register(engine, settings.model_copy(update={"redis_url": redis_url}))
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("CASEBOOK_SECRET_KEY", settings.secret_key)
    yield
    settings_registry.register(engine, settings)


def test_the_command_line_erases_the_pseudonym_maps_servers_share_in_redis(
    maps_in_redis, world, db_session, settings, monkeypatch
):
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
    case_id, sessions = world["case"].id, room_sessions(db_session, world["case"].id)
    maps = shared.shared_maps(db_session)
    assert case_id in maps.held(registry.CASE) and set(sessions) <= maps.held(registry.SESSION)
    kept = world["kept"].id
    monkeypatch.setattr(events, "_handlers", defaultdict(list))  # a process of its own: nobody follows events
    result = CliRunner().invoke(cli.app, ["case", "erase", str(case_id), "--yes"])
    assert result.exit_code == 0, result.output
    assert kept in maps.held(registry.CASE)
    assert case_id not in maps.held(registry.CASE) and not set(sessions) & maps.held(registry.SESSION)
    logs = [maps.log(registry.CASE, case_id).key] + [maps.log(registry.SESSION, s).key for s in sessions]
    assert maps.client.exists(*logs) == 0


def test_an_erased_case_takes_its_pseudonym_maps_out_of_redis(maps_in_redis, client, world, db_session):
    case_id, sessions = world["case"].id, room_sessions(db_session, world["case"].id)
    maps = shared.shared_maps(db_session)
    assert client.delete(f"/api/v1/cases/{case_id}", headers=world["admin"]).status_code == 204
    assert case_id not in maps.held(registry.CASE) and not set(sessions) & maps.held(registry.SESSION)
    assert maps.client.exists(maps.log(registry.CASE, case_id).key) == 0
