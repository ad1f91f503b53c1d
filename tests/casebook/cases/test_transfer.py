"""Import and export of cases as JSON Lines."""

import json

from casebook.accounts import service as account_service
from casebook.cases import transfer
from utils.factories import make_case, make_user

GOOD = {
    "external_id": "CAS-1",
    "title": "Huurachterstand",
    "team": "Wijkteam Noord",
    "narrative": "[CLIENT] heeft een huurachterstand van drie maanden.",
    "life_domains": ["huisvesting", "verslaving"],
    "support_question": "Behoud van de woning",
    "support_plan": "Betalingsregeling",
    "outcome": "",
    "bottlenecks": [
        {
            "law": "Wet gegevensuitwisseling",
            "rule": "geen signaal zonder toestemming",
            "kind": "privacy_gegevensdeling",
            "description": "signaal te laat",
            "delay_days": 40,
        }
    ],
    "held_at": "2025-05-01",
}


def _import(db_session, lines):
    user = account_service.system_user(db_session=db_session)
    return transfer.import_lines(db_session=db_session, user=user, lines=lines)


def test_a_broken_line_is_reported_with_its_number_and_the_others_import(db_session):
    lines = [
        json.dumps(GOOD),
        "{not json",
        json.dumps({**GOOD, "external_id": "CAS-2", "hobby": "vissen"}),
        json.dumps({**GOOD, "external_id": "CAS-3", "life_domains": ["ruimtevaart"]}),
        json.dumps({**GOOD, "external_id": "CAS-4"}),
    ]
    report = _import(db_session, lines)
    assert report.imported == ["CAS-1", "CAS-4"]
    reasons = {error.line: error.reason for error in report.errors}
    assert set(reasons) == {2, 3, 4}
    assert "JSON" in reasons[2]
    assert "hobby" in reasons[3]
    assert "ruimtevaart" in reasons[4]


def test_a_line_that_fails_halfway_leaves_nothing_behind(db_session):
    from sqlmodel import select

    from casebook.cases.models import Bottleneck, Case

    bad_bottleneck = {
        **GOOD,
        "bottlenecks": [{"law": "Wmo", "kind": "mandaat"}, {"law": "x", "kind": "onzin"}],
    }
    report = _import(db_session, [json.dumps(bad_bottleneck)])
    assert len(report.errors) == 1
    assert db_session.exec(select(Case)).all() == []
    assert db_session.exec(select(Bottleneck)).all() == []


def test_invalid_utf8_is_refused_with_the_reason(db_session):
    report = _import(db_session, [b'{"title": "caf\xe9"}'])
    assert "UTF-8" in report.errors[0].reason


def test_importing_the_same_case_twice_does_not_duplicate_it(db_session):
    _import(db_session, [json.dumps(GOOD)])
    report = _import(db_session, [json.dumps(GOOD)])
    assert report.imported == [] and "bestaat al" in report.errors[0].reason


def test_import_anonymises_every_text_field(db_session):
    record = {**GOOD, "narrative": "Pieter Bakker (BSN 111222333) woont aan de Dorpsstraat 12."}
    _import(db_session, [json.dumps(record)])
    exported = next(transfer.export_records(db_session=db_session))
    assert "111222333" not in exported["narrative"] and "Dorpsstraat 12" not in exported["narrative"]


def test_an_export_can_be_imported_again_elsewhere(db_session, tmp_path):
    coach = make_user(db_session, "coach")
    make_case(
        db_session,
        coach,
        external_id="CB-EXP",
        life_domains=[{"domain": "financiën", "score_before": 2}],
        bottlenecks=[{"law": "Wmo 2015", "kind": "mandaat"}],
        actions=[{"description": "bellen", "owner_role": "coach"}],
    )
    lines = [json.dumps(record, default=str) for record in transfer.export_records(db_session=db_session)]
    from casebook.cases import flows as case_flows
    from casebook.cases import service as case_service

    case_flows.delete_case(
        db_session=db_session,
        user=coach,
        case=case_service.get_by_external_id(db_session=db_session, external_id="CB-EXP"),
    )
    report = _import(db_session, lines)
    assert report.imported == ["CB-EXP"], report.errors
    again = next(transfer.export_records(db_session=db_session))
    assert again["life_domain_scores"][0]["score_before"] == 2
    assert again["bottlenecks"][0]["law"] == "Wmo 2015"
