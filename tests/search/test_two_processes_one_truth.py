"""Scale-out: two `casebook serve` processes on one PostgreSQL database and one Redis each keep a search index
of their own. A case created, edited or deleted through one process is found as it now is through the other
within seconds, not after a restart. Skipped with a reason where Redis or PostgreSQL is absent; under CI=true
that is a failure instead."""

import time

import httpx
import pytest
from sqlmodel import Session

from utils.factories import make_user, token_for
from utils.servers import two_serve_processes
from utils.services import private_postgres_schema, require_redis

CASE = {
    "title": "Wachten op een besluit",
    "narrative": "[CLIENT] heeft een huurachterstand.",
    "life_domains": ["financiën"],
}


@pytest.fixture
def servers_and_token(tmp_path):
    redis_url = require_redis()
    with private_postgres_schema() as (engine, database_url):
        with Session(engine) as db_session:
            token = token_for(db_session, make_user(db_session, "coach"))
        with two_serve_processes(tmp_path, database_url, redis_url) as servers:
            yield servers, token


def found_through(url: str, headers: dict, query: str) -> list[int]:
    response = httpx.get(
        f"{url}/api/v1/search", params={"q": query, "mode": "lexical"}, headers=headers, timeout=30
    )
    response.raise_for_status()
    return [hit["case_id"] for hit in response.json()["hits"]]


def eventually(condition, seconds: float = 30.0) -> bool:
    """True once `condition` holds; generous, as a loaded CI machine may take its time (correctness, not speed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_a_case_changed_through_one_process_is_found_as_it_is_now_through_the_other(servers_and_token):
    (first, second), headers = servers_and_token
    created = httpx.post(f"{first}/api/v1/cases", json=CASE, headers=headers, timeout=60)
    assert created.status_code == 201, created.text
    case_id = created.json()["id"]
    assert eventually(lambda: case_id in found_through(second, headers, "huurachterstand"))

    edited = httpx.patch(
        f"{first}/api/v1/cases/{case_id}",
        headers=headers,
        timeout=60,
        json={"narrative": "[CLIENT] wacht al maanden op een traplift."},
    )
    assert edited.status_code == 200, edited.text
    assert eventually(lambda: case_id in found_through(second, headers, "traplift"))
    assert case_id not in found_through(second, headers, "huurachterstand")

    assert httpx.delete(f"{first}/api/v1/cases/{case_id}", headers=headers, timeout=60).status_code == 204
    assert eventually(lambda: case_id not in found_through(second, headers, "traplift"))
