"""The privacy scan finds identifiers that slipped into storage, and stays quiet on clean data."""

import json

from sqlalchemy import text

import casebook.app  # noqa: F401 - every table registered, as in the CLI
from casebook.privacy import service as privacy_service
from utils.factories import make_case, make_user


def test_clean_stored_cases_give_no_findings(db_session):
    coach = make_user(db_session, "coach")
    make_case(
        db_session, coach, narrative="Mevrouw Jansen (BSN 111222333) belde over de Wmo 2015 en de Jeugdwet."
    )
    assert list(privacy_service.scan_database(db_session=db_session)) == []


def test_an_identifier_written_around_the_anonymiser_is_reported_with_where_it_is(db_session):
    coach = make_user(db_session, "coach")
    case = make_case(db_session, coach)
    db_session.connection().execute(
        text('update "case" set outcome = :outcome where id = :id'),
        {"outcome": "Bel haar op 06-12345678", "id": case.id},
    )
    findings = list(privacy_service.scan_database(db_session=db_session))
    assert [(f.where, f.label) for f in findings] == [(f"case {case.id} outcome", "PHONE")]
    assert "12345678" not in findings[0].describe()


def test_an_export_file_is_scanned_too(tmp_path):
    export = tmp_path / "export.jsonl"
    export.write_text(json.dumps({"external_id": "CAS-1", "narrative": "IBAN NL91ABNA0417164300"}) + "\n")
    findings = list(privacy_service.scan_export(export))
    assert [f.label for f in findings] == ["IBAN"]
