"""A small casebook over two teams for the assistant's tests, built through the service layer while the app
runs (so it is indexed as users would have it)."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from casebook.accounts.models import Role
from casebook.app import create_app
from casebook.settings import Settings
from utils.factories import make_case, make_user, token_for
from utils.llm_servers import llama_server

CASES = {
    "debts": (
        "Wijkteam Noord",
        {
            "title": "Moeder met schulden, zoon spijbelt, Wmo-besluit ligt bij jurist",
            "narrative": "[CLIENT] is alleenstaand en heeft grote schulden bij de energieleverancier en de verhuurder. "
            "Haar zoon verzuimt al weken van school. De aanvraag voor begeleiding uit de Wmo is klaar, "
            "maar het besluit ligt al zes weken bij de jurist voor een handtekening.",
            "life_domains": ["financiën", "opvoeding", "werk & opleiding"],
            "bottlenecks": [
                {
                    "law": "Wmo 2015",
                    "rule": "Alleen de jurist mag het besluit tekenen",
                    "kind": "mandaat",
                    "level": "internal_instruction",
                    "delay_days": 42,
                    "workaround": "Teamleider tekent",
                }
            ],
            "actions": [{"description": "Schuldhulp aanmelden", "owner_role": "coach"}],
            "outcome": "Na escalatie tekende de teamleider binnen een week.",
            "held_at": "2024-03-12",
        },
    ),
    "arrears": (
        "Wijkteam Noord",
        {
            "title": "Betalingsachterstanden en schoolverzuim; indicatiebesluit wacht op handtekening",
            "narrative": "[CLIENT] heeft betalingsachterstanden bij de zorgverzekeraar. Haar dochter verzuimt "
            "structureel. Het indicatiebesluit is inhoudelijk rond, maar niemand in het wijkteam heeft "
            "mandaat om te tekenen; de jurist is met vakantie.",
            "life_domains": ["financiën", "opvoeding"],
            "bottlenecks": [
                {
                    "law": "Wmo 2015",
                    "rule": "Mandaatbesluit: tekenen door jurist",
                    "kind": "mandaat",
                    "delay_days": 21,
                }
            ],
            "held_at": "2023-10-02",
        },
    ),
    "dementia": (
        "Wijkteam Noord",
        {
            "title": "Man met dementie tussen Wlz en Wmo; echtgenote overbelast",
            "narrative": "[CLIENT] heeft alzheimer en dwaalt 's nachts. Het CIZ wijst een Wlz-indicatie af omdat er "
            "geen permanent toezicht nodig zou zijn; de gemeente wil de Wmo-uren niet verder ophogen.",
            "life_domains": ["lichamelijke gezondheid", "huiselijke relaties"],
            "bottlenecks": [
                {
                    "law": "Wet langdurige zorg",
                    "rule": "Toegang alleen bij permanent toezicht",
                    "kind": "toegangscriteria",
                }
            ],
            "held_at": "2024-01-20",
        },
    ),
    "housing_south": (
        "Wijkteam Zuid",
        {
            "title": "Huurachterstand, woningcorporatie mag niets delen, ontruiming dreigt",
            "narrative": "Het gezin van [CLIENT] heeft een huurachterstand van vier maanden. De woningcorporatie kent "
            "de situatie, maar mag zonder toestemming niets met het wijkteam delen vanwege de AVG.",
            "life_domains": ["huisvesting", "financiën"],
            "bottlenecks": [
                {
                    "law": "AVG",
                    "rule": "Geen gegevensdeling zonder toestemming",
                    "kind": "privacy_gegevensdeling",
                }
            ],
            "held_at": "2022-06-01",
        },
    ),
}


@pytest.fixture(scope="module")
def casebook(databases, tmp_path_factory):
    """One app over the casebook above for a whole test module (its tests only read): building it costs
    seconds (anonymising and indexing each case). Coaches of Noord and Zuid with a bearer token each."""
    data_dir = tmp_path_factory.mktemp("assistant")
    database_url = databases.new(data_dir)
    # One coach asks every question of a module here: no per-user budget (test_limits.py tests it).
    settings = Settings(
        data_dir=data_dir,
        secret_key="test-secret",
        database_url=database_url,
        assistant_questions_per_minute=0,
    )
    with (
        TestClient(create_app(settings)) as client,
        Session(client.app.state.engine, expire_on_commit=False) as db_session,
    ):
        noord = make_user(db_session, "coach-noord", Role.coach)
        zuid = make_user(db_session, "coach-zuid", Role.coach, teams=("Wijkteam Zuid",))
        owners = {"Wijkteam Noord": noord, "Wijkteam Zuid": zuid}
        ids = {
            name: make_case(db_session, owners[t], team=t, **fields).id for name, (t, fields) in CASES.items()
        }
        yield {
            "client": client,
            "cases": ids,
            "noord": token_for(db_session, noord),
            "zuid": token_for(db_session, zuid),
        }
    databases.drop(database_url)


@pytest.fixture
def ask(casebook):
    """POST /api/v1/assistant as a coach (`as_` "noord" or "zuid"); returns the response."""

    def post(message, as_="noord", **fields):
        return casebook["client"].post(
            "/api/v1/assistant", json={"message": message, **fields}, headers=casebook[as_]
        )

    return post


@pytest.fixture(scope="session")
def local_model_url(tmp_path_factory):
    """llama-cpp-python's server with the small shipped model, started once per run (tests using it share
    the xdist group "llama_server"); skipped with the reason where it is not installed."""
    with llama_server(tmp_path_factory.mktemp("llama") / "server.log") as url:
        yield url
