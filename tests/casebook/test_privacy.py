"""The ground rule: no un-anonymised client text is written to the database or to a log."""

import logging

from sqlalchemy import inspect, text

from utils.factories import log_in, make_user, token_for

IDENTIFYING = ("Fatima El Amrani", "111222333", "06-12345678", "Dorpsstraat 12", "NL91ABNA0417164300")
NARRATIVE = (
    "Mevrouw Fatima El Amrani (BSN 111222333, tel. 06-12345678) woont aan de Dorpsstraat 12 "
    "in Almelo; rekening NL91ABNA0417164300."
)


def _everything_stored(engine) -> str:
    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        return "\n".join(
            str(row) for table in tables for row in connection.execute(text(f'select * from "{table}"'))
        )


def test_nothing_identifying_reaches_the_database_or_the_logs(client, db_session, engine, caplog):
    caplog.set_level(logging.DEBUG)
    coach = make_user(db_session, "coach")
    headers = token_for(db_session, coach)
    created = client.post(
        "/api/v1/cases",
        headers=headers,
        json={
            "title": "Schulden",
            "narrative": NARRATIVE,
            "outcome": NARRATIVE,
            "plan_items": [NARRATIVE],
            "bottlenecks": [
                {"law": "Wmo 2015", "kind": "mandaat", "description": NARRATIVE, "workaround": NARRATIVE}
            ],
            "actions": [{"description": NARRATIVE, "owner_role": "coach"}],
            "decisions": [{"subject": NARRATIVE, "decided_by_role": "jurist"}],
        },
    )
    assert created.status_code == 201
    case_id = created.json()["id"]
    client.post(f"/api/v1/cases/{case_id}/feedback", headers=headers, json={"text": NARRATIVE})
    client.patch(f"/api/v1/cases/{case_id}", headers=headers, json={"support_plan": NARRATIVE})
    csrf = log_in(client, "coach")
    client.post(
        "/cases/new",
        data={
            "csrf_token": csrf,
            "title": "x",
            "team": "Wijkteam Noord",
            "narrative": NARRATIVE,
            "step": "save",
        },
    )
    client.post("/api/v1/cases", headers=headers, json={"title": NARRATIVE, "held_at": "geen datum"})  # a 422

    stored = _everything_stored(engine)
    for identifier in IDENTIFYING:
        assert identifier not in stored
        assert identifier not in caplog.text


def test_loading_the_anonymiser_does_not_turn_on_debug_logging_to_stdout():
    import subprocess
    import sys

    code = (
        "import logging; from casebook.anonymise import service as s; s.warm_up(); "
        "root = logging.getLogger(); print(root.level, len(root.handlers))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    ).stdout.split()
    assert out[-2:] == [str(logging.WARNING), "0"]
