"""Scale-out, names: two `casebook serve` processes on one PostgreSQL database (a private schema, dropped
afterwards) and one Redis. Whichever process takes a text, a person gets the same placeholder, in a case and in
the room; names a facilitator gives to mask through one process mask messages sent through the other, also
through a process started after they were given. (That a case edited through one process is found with its new
text through the other: tests/search/test_two_processes_one_truth.py.) Skipped with a reason where Redis or
PostgreSQL is absent; under CI=true that is a failure instead."""

import asyncio
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from casebook.accounts.models import Role
from utils.factories import make_user, token_for
from utils.servers import serve_process, two_serve_processes
from utils.services import private_postgres_schema, require_redis


@dataclass
class ScaledOut:
    engine: Engine
    environment: dict[str, str]
    first: str
    second: str
    coach: dict[str, str]  # the coach's authorisation header
    provider_token: str
    logs: Path


@pytest.fixture(scope="module")
def scaled_out(tmp_path_factory):
    """One pair of servers for the whole module (starting one takes a while); each test plans its own case."""
    redis_url = require_redis()
    logs = tmp_path_factory.mktemp("scaleout-names")
    with private_postgres_schema() as (engine, database_url):
        with Session(engine, expire_on_commit=False) as db_session:
            coach = token_for(db_session, make_user(db_session, "coach"))
            provider = token_for(db_session, make_user(db_session, "aanbieder", Role.provider, teams=()))
        environment = {"CASEBOOK_ROOM_EVENTS_PER_SECOND": "0"}
        with two_serve_processes(logs, database_url, redis_url, **environment) as (first, second):
            shared = {
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "CASEBOOK_SECRET_KEY": "gedeeld-geheim",
            }
            yield ScaledOut(
                engine, {**shared, **environment}, first, second, coach, provider["Authorization"][7:], logs
            )


def api(url: str, method: str, path: str, headers: dict, **json) -> dict:
    response = httpx.request(method, f"{url}/api/v1{path}", headers=headers, json=json or None, timeout=60)
    assert response.is_success, response.text
    return response.json()


def plan_session(scaled: ScaledOut, through: str, roster: list[str] = ()) -> int:
    case = api(
        through,
        "POST",
        "/cases",
        scaled.coach,
        title="Overleg",
        narrative="[CLIENT] wacht.",
        life_domains=["financiën"],
    )
    return api(
        through,
        "POST",
        "/sessions",
        scaled.coach,
        case_id=case["id"],
        participants=["aanbieder"],
        roster=list(roster),
    )["id"]


def say(client_at, engine: Engine, url: str, token: str, session_id: int, *texts: str) -> list[str]:
    """Send `texts` into the room through the server at `url`; -> how each was stored (and shown to all)."""

    async def scenario() -> list[int]:
        client = client_at(url, token)
        await client.connect(session_id)
        await client.join(session_id)
        acks = [await client.say(session_id, text) for text in texts]
        await client.close()
        return [ack["seq"] for ack in acks]

    seqs = asyncio.run(scenario())
    with engine.connect() as connection:
        stored = connection.execute(
            text("select seq, text from message where session_id = :s"), {"s": session_id}
        ).all()
    by_seq = dict(stored)
    return [by_seq[seq] for seq in seqs]


def test_a_name_in_a_case_has_the_same_placeholder_through_either_process(scaled_out):
    first, second, coach = scaled_out.first, scaled_out.second, scaled_out.coach
    case = api(
        first,
        "POST",
        "/cases",
        coach,
        title="Huurachterstand",
        narrative="Gesprek met mevrouw Zwaantje Oudeboom over de huur.",
        life_domains=["financiën"],
    )
    assert case["narrative"] == "Gesprek met mevrouw [PERSOON-1] over de huur."
    edited = api(
        second,
        "PATCH",
        f"/cases/{case['id']}",
        coach,
        support_question="Mevrouw Karin Mulder en mevrouw Oudeboom willen samen een plan.",
    )
    assert edited["support_question"] == "Mevrouw [PERSOON-2] en mevrouw [PERSOON-1] willen samen een plan."
    again = api(first, "PATCH", f"/cases/{case['id']}", coach, outcome="Karin Mulder belde: het plan loopt.")
    assert again["outcome"] == "[PERSOON-2] belde: het plan loopt."


def test_a_name_in_the_room_has_the_same_placeholder_through_either_process(scaled_out, client_at):
    session_id = plan_session(scaled_out, scaled_out.first)
    coach_token = scaled_out.coach["Authorization"][7:]
    assert say(
        client_at, scaled_out.engine, scaled_out.first, coach_token, session_id, "Mevrouw Karin Mulder belde."
    ) == ["Mevrouw [PERSOON-1] belde."]
    assert say(
        client_at,
        scaled_out.engine,
        scaled_out.second,
        scaled_out.provider_token,
        session_id,
        "Karin komt ook, met Evi Jansen.",
    ) == ["[PERSOON-1] komt ook, met [PERSOON-2]."]
    assert say(
        client_at, scaled_out.engine, scaled_out.first, coach_token, session_id, "Evi Jansen heeft gebeld."
    ) == ["[PERSOON-2] heeft gebeld."]


def test_names_given_through_one_process_mask_messages_sent_through_the_other(scaled_out, client_at):
    session_id = plan_session(scaled_out, scaled_out.first, roster=["Zwaantje Oudeboom"])
    assert say(
        client_at,
        scaled_out.engine,
        scaled_out.second,
        scaled_out.provider_token,
        session_id,
        "oudeboom belde gisteren nog",
    ) == ["[PERSOON-1] belde gisteren nog"]


def test_a_process_started_after_the_names_were_given_masks_with_them(scaled_out, client_at):
    session_id = plan_session(scaled_out, scaled_out.second, roster=["Zwaantje Oudeboom"])
    with serve_process(
        scaled_out.logs / "later.log",
        CASEBOOK_DATA_DIR=str(scaled_out.logs / "later"),
        **scaled_out.environment,
    ) as later:
        stored = say(
            client_at,
            scaled_out.engine,
            later,
            scaled_out.provider_token,
            session_id,
            "oudeboom belde gisteren nog",
            "Karin Mulder en zwaantje komen allebei.",
        )
    assert stored == ["[PERSOON-1] belde gisteren nog", "[PERSOON-2] en [PERSOON-1] komen allebei."]
