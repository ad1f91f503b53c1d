"""The JSON API keeps its own contract: schemathesis generates requests from /openapi.json for every
/api/v1 operation (valid and invalid input, random ids and the ids of real demo cases) and checks each
answer: no server error, only documented status codes, bodies and headers as documented.

In-process (ASGI transport, no server), as a manager who oversees every team, on a database with a slice
of the demo corpus, a discussion session and bottlenecks. Derandomized: the same cases on every run.
"""

import time
from collections import Counter, defaultdict

import hypothesis.strategies as st
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks
from schemathesis.errors import FailureGroup
from schemathesis.python import asgi
from sqlmodel import Session

from casebook.accounts.models import Role
from casebook.app import API_PREFIX, create_app
from casebook.cases import service as case_service
from casebook.db import make_engine
from casebook.demo.generator import generate_cases
from chat.discussions import service as discussion_service
from chat.discussions.models import SessionCreate
from utils.factories import make_user, token_for

MIN_CASES = 2000
DEMO_CASES = 9
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.negative_data_rejection,
]
# Per operation and generation mode; operations whose input space is small end early on their own.
EXAMPLES = {GenerationMode.POSITIVE: 75, GenerationMode.NEGATIVE: 45}
# Positive cases that create cases run the anonymiser and the embedding model on every text: fewer of those.
CASES = f"{API_PREFIX}/cases"
SLOW_OPERATIONS = {
    ("POST", CASES): 40,
    ("PATCH", f"{CASES}/{{case_id}}"): 40,
    ("POST", f"{API_PREFIX}/bottlenecks"): 40,
    ("POST", f"{API_PREFIX}/assistant"): 40,
}


@pytest.fixture
def demo_api(settings):
    """The app with demo-like data: (app, manager's auth headers, {path parameter: existing ids})."""
    engine = make_engine(settings.sqlalchemy_url)
    with Session(engine, expire_on_commit=False) as db_session:
        coaches = {
            team: make_user(db_session, f"coach-{team.split()[-1].lower()}", Role.coach, (team,))
            for team in ("Wijkteam Noord", "Wijkteam Centrum", "Wijkteam Zuid")
        }
        make_user(db_session, "zorgaanbieder", Role.provider, ())
        manager = make_user(db_session, "bestuurder", Role.manager, ())
        demo = generate_cases()[:DEMO_CASES]
        cases = [
            case_service.create(db_session=db_session, user=coaches[d.case.team], data=d.case) for d in demo
        ]
        discussion = discussion_service.create(
            db_session=db_session,
            user=coaches[demo[0].case.team],
            data=SessionCreate(case_id=cases[0].id, participants=["bestuurder", "zorgaanbieder"]),
        )
        ids = {
            "case_id": [c.id for c in cases],
            "session_id": [discussion.id],
            "bottleneck_id": [
                b.id for c in cases for b in case_service.to_read(db_session=db_session, case=c).bottlenecks
            ],
        }
        headers = token_for(db_session, manager)
    engine.dispose()
    # Besides random input, input as a person would send it, so the success paths are checked as well:
    # new demo cases to post and searches that find something.
    ids[("POST", CASES)] = [
        {"body": d.case.model_dump(mode="json", exclude={"external_id"})}
        for d in generate_cases()[DEMO_CASES : DEMO_CASES + 3]
    ]
    ids[("GET", f"{API_PREFIX}/search")] = [{"query": {"q": q}} for q in ("schulden", "woning", "mantelzorg")]
    ids[("POST", f"{API_PREFIX}/assistant")] = [
        {"body": {"message": "hebben we schulden en een huurachterstand eerder gezien?"}},
        {"body": {"message": "wat hebben we nog niet besproken?", "case_id": cases[0].id}},
        {"body": {"message": "@assistent vat samen waar we staan", "session_id": discussion.id}},
    ]
    app = create_app(settings)
    yield app, headers, ids
    asgi.shutdown_lifespans()  # the schema loader started the app's lifespan; end it with the test


def test_every_api_operation_keeps_its_documented_contract(demo_api):
    app, headers, ids = demo_api
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    # DELETE last: it removes the demo cases the other operations are aimed at.
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()), key=lambda op: op.method == "delete"
    )
    assert {op.path for op in operations} >= {CASES, f"{CASES}/{{case_id}}"}
    statuses: dict[str, Counter] = defaultdict(Counter)
    failures: dict[str, set[str]] = defaultdict(set)
    started = time.monotonic()

    for operation in operations:
        for mode, examples in EXAMPLES.items():
            if mode is GenerationMode.POSITIVE:
                examples = SLOW_OPERATIONS.get((operation.method.upper(), operation.path), examples)
            _run(operation, _strategy(operation, mode, ids), examples, headers, statuses, failures)

    total = sum(sum(counts.values()) for counts in statuses.values())
    print(
        f"\nschemathesis: {total} cases over {len(operations)} operations in {time.monotonic() - started:.1f} s"
    )
    for label, counts in statuses.items():
        print(f"  {label}: {dict(sorted(counts.items()))}")
    assert not failures, "\n".join(
        f"{label}: {' | '.join(sorted(found))}" for label, found in failures.items()
    )
    assert total >= MIN_CASES


def _strategy(operation, mode: GenerationMode, ids: dict):
    """Random input; for an operation on one resource also aimed at resources that exist; plus fixed input."""
    strategies = [operation.as_strategy(generation_mode=mode)]
    for parameter in operation.path_parameters:
        strategies += [
            operation.as_strategy(generation_mode=mode, path_parameters={parameter.name: value})
            for value in ids.get(parameter.name, [])
        ]
    if mode is GenerationMode.POSITIVE:
        strategies += [
            operation.as_strategy(**fixed)
            for fixed in ids.get((operation.method.upper(), operation.path), [])
        ]
    return st.one_of(*strategies)


def _run(
    operation,
    strategy,
    examples: int,
    headers: dict[str, str],
    statuses: dict[str, Counter],
    failures: dict[str, set[str]],
) -> None:
    label = f"{operation.method.upper()} {operation.path}"

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=strategy)
    def check(case):
        response = case.call(headers=headers)
        statuses[label][response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:  # collected, so one run reports every kind of violation at once
            failures[label].update(
                f"{failure.title} (HTTP {response.status_code}: {response.text[:120]}; "
                f"{case.as_curl_command(headers={})[:240]})"
                for failure in group.exceptions
            )

    try:
        check()
    except Unsatisfiable:  # no invalid input exists for an operation without parameters
        pass


# ---- the error model, quickly and by name -----------------------------------------------------------


def test_the_openapi_document_has_one_error_schema_and_every_status_of_each_operation(client):
    document = client.get("/openapi.json").json()
    assert (
        "HTTPValidationError" not in str(document)
        and "ValidationError" not in document["components"]["schemas"]
    )
    assert document["components"]["schemas"]["ErrorResponse"]["properties"]["detail"]["type"] == "string"
    for path, operations in document["paths"].items():
        assert path.startswith(API_PREFIX)
        for method, operation in operations.items():
            responses = operation["responses"]
            errors = {int(code) for code in responses if int(code) >= 400}
            assert 401 in errors, (method, path)
            if any(p["in"] == "path" for p in operation.get("parameters", [])):
                assert {403, 404, 422} <= errors, (method, path)
            if "requestBody" in operation:
                assert {400, 413, 422} <= errors, (method, path)
            for code in errors:
                schema = responses[str(code)]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path, code)


def test_ids_beyond_what_the_database_holds_are_refused_as_input_not_a_server_error(client, db_session):
    headers = token_for(db_session, make_user(db_session, "coach"))
    huge = "99999999999999999999999"
    for response in (
        client.get(f"/api/v1/cases/{huge}", headers=headers),
        client.get(f"/api/v1/cases/{2**63}/similar", headers=headers),
        client.get(f"/api/v1/sessions/1/messages?after_seq={huge}", headers=headers),
        client.get(f"/api/v1/cases?page={huge}", headers=headers),
        client.post("/api/v1/bottlenecks", headers=headers, json={"case_id": int(huge), "law": "Wmo"}),
        client.post("/api/v1/sessions", headers=headers, json={"case_id": int(huge)}),
    ):
        assert response.status_code == 422, response.request.url
        assert isinstance(response.json()["detail"], str)
    assert client.get(f"/cases/{huge}", headers=headers).status_code == 422  # the HTML page too
    # The largest id an INTEGER column holds on PostgreSQL (32 bits) is well-formed; one more is not, on
    # SQLite (64 bits) as well, so the API is the same on both databases.
    assert client.get(f"/api/v1/cases/{2**31 - 1}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/cases/{2**31}", headers=headers).status_code == 422
    assert client.get(f"/api/v1/sessions/1/messages?after_seq={2**31}", headers=headers).status_code == 422


def test_a_number_the_database_cannot_hold_is_a_422_even_where_no_type_bounds_it(
    client, db_session, monkeypatch
):
    headers = token_for(db_session, make_user(db_session, "coach"))

    def overflow(**_):
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(case_service, "get_or_raise", overflow)
    response = client.get("/api/v1/cases/1", headers=headers)
    assert response.status_code == 422 and isinstance(response.json()["detail"], str)


def test_a_body_that_is_not_text_at_all_is_a_400_in_dutch(client, db_session):
    headers = token_for(db_session, make_user(db_session, "coach"))
    response = client.post(
        "/api/v1/anonymise",
        headers={**headers, "Content-Type": "application/json"},
        content=b"\x80\x81 not utf-8",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "De inhoud van het verzoek is geen leesbare JSON of formulierdata."}
