"""Property test of the JSONL importer: whatever a line holds (any JSON, any keys, types and nesting, huge
numbers, lone surrogates, very long strings, or no JSON at all), importing never raises, a line lands whole
or leaves nothing behind, and every refused line is reported by its number with a reason in Dutch."""

import json
import re
from collections import defaultdict
from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import select

from casebook import events
from casebook.accounts import service as account_service
from casebook.accounts.models import Team
from casebook.audit.models import AuditEvent
from casebook.cases import transfer
from casebook.cases.domains import ZRM_DOMAINS
from casebook.cases.models import (
    Action,
    Bottleneck,
    Case,
    CaseParticipant,
    Decision,
    LifeDomainEntry,
    PlanItem,
)

ANY_CHARACTER = st.one_of(st.characters(), st.characters(categories=["Cs"]))  # lone surrogates too
KEYS = [
    "external_id",
    "title",
    "team",
    "status",
    "narrative",
    "life_domains",
    "life_domain_scores",
    "support_question",
    "support_plan",
    "plan_items",
    "decisions",
    "actions",
    "outcome",
    "bottlenecks",
    "held_at",
    "id",
    "created_at",
    "feedback",
]
ROW_KEYS = [
    "subject",
    "decided_by_role",
    "with_mandate",
    "requested_on",
    "decided_on",
    "description",
    "owner_role",
    "due_date",
    "done",
    "law",
    "rule",
    "kind",
    "level",
    "delay_days",
    "workaround",
    "id",
    "tags",
    "status",
    "domain",
    "score_before",
    "score_after",
    "addressed",
]
GOOD = {
    "external_id": "CAS-1",
    "title": "Huurachterstand",
    "team": "Wijkteam Noord",
    "narrative": "[CLIENT] heeft een huurachterstand. Mevrouw Jansen belde op 06-12345678.",
    "life_domains": ["huisvesting", "financiën"],
    "plan_items": ["Betalingsregeling", ""],
    "decisions": [
        {
            "subject": "Bijzondere bijstand",
            "decided_by_role": "jurist backoffice",
            "requested_on": "2025-01-02",
            "decided_on": "2025-02-03",
        }
    ],
    "actions": [{"description": "Bel de corporatie", "owner_role": "coach", "due_date": "2025-03-01"}],
    "bottlenecks": [{"law": "Wet gegevensuitwisseling", "kind": "privacy_gegevensdeling", "delay_days": 40}],
    "held_at": "2025-05-01",
}
# Every stored trace a line can leave.
TABLES = (Case, Decision, Action, Bottleneck, PlanItem, LifeDomainEntry, CaseParticipant, AuditEvent, Team)
ENGLISH = re.compile(
    r"Input should|should (be|have)|Field required|Extra inputs|Value error|Expecting|"
    r"Unterminated|Invalid|Exceeds|codec|can't|Unable to|object has|not supported|Traceback"
)

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(ANY_CHARACTER, max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "2025-05-01",
            "2025-13-45",
            "open",
            "closed",
            "coach",
            "mandaat",
            "national_law",
            "huisvesting",
            "financiën",
            "Wijkteam Noord",
            "Jan Jansen",
            "111222333",
            "[PERSOON-1]",
        ]
    ),
    st.sampled_from(["a", "Jan ", "x y ", "06-12345678 "]).flatmap(
        lambda unit: st.integers(1, 6000).map(lambda n: unit * n)
    ),  # long strings, cheaply
)
json_values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(ROW_KEYS + KEYS), st.text(ANY_CHARACTER, max_size=8)),
            children,
            max_size=5,
        ),
    ),
    max_leaves=20,
)


prose = st.one_of(  # what a coach might write, with identifiers, placeholders and odd characters mixed in
    st.text(st.characters(), max_size=120),
    st.lists(
        st.sampled_from(
            [
                "Mevrouw Jansen",
                "belde",
                "BSN 111222333",
                "06-12345678",
                "[CLIENT]",
                "[PERSOON-1]",
                "Kerkstraat 12",
                "de Wmo",
                "\x00",
                "😀",
                "\n",
                "ß",
                "(",
                "]",
                "[JAN-JANSEN]",
            ]
        ),
        max_size=12,
    ).map(" ".join),
)
dates = st.dates().map(date.isoformat)


@st.composite
def valid_like(draw) -> dict:
    """A record of the right shape with arbitrary content: most of these land (and must land whole)."""
    unique_id = st.uuids().map(lambda uuid: f"CB-{uuid.hex[:16]}")
    return {
        "external_id": draw(st.one_of(st.none(), unique_id)),
        "title": draw(st.text(st.characters(), min_size=1, max_size=300)),
        "team": draw(st.sampled_from(["Wijkteam Noord", "Wijkteam Zuid", "Team Oost"])),
        "narrative": draw(prose),
        "support_question": draw(prose),
        "outcome": draw(prose),
        "life_domains": draw(st.lists(st.sampled_from(ZRM_DOMAINS), max_size=4)),
        "plan_items": draw(st.lists(prose, max_size=3)),
        "decisions": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "subject": prose.filter(str.strip),
                        "decided_by_role": st.sampled_from(["jurist backoffice", "CIZ"]),
                    },
                    optional={"requested_on": dates, "decided_on": dates, "with_mandate": st.booleans()},
                ),
                max_size=3,
            )
        ),
        "actions": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "description": prose.filter(str.strip),
                        "owner_role": st.sampled_from(["coach", "provider"]),
                    }
                ),
                max_size=3,
            )
        ),
        "bottlenecks": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "law": st.text(st.characters(), min_size=1, max_size=200).filter(str.strip),
                        "kind": st.sampled_from(["mandaat", "doorlooptijd"]),
                    },
                    optional={"delay_days": st.integers(0, 3650), "description": prose},
                ),
                max_size=3,
            )
        ),
        "held_at": draw(st.one_of(st.none(), dates)),
    }


@st.composite
def case_like(draw) -> dict:
    """A mostly valid record with some keys replaced, removed or added; rows mutated the same way."""
    record = json.loads(json.dumps(GOOD))
    unique_id = st.uuids().map(lambda uuid: f"CB-{uuid.hex[:16]}")
    record["external_id"] = draw(
        st.one_of(st.none(), unique_id, unique_id, st.from_regex(r"\ACAS-[0-9]{1,2}\Z"), leaves)
    )
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=3)):
        record[key] = draw(json_values)
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=2)):
        record.pop(key, None)
    for group in ("decisions", "actions", "bottlenecks"):
        if draw(st.booleans()) and isinstance(record.get(group), list) and record[group]:
            row = dict(record[group][0]) if isinstance(record[group][0], dict) else {}
            row[draw(st.sampled_from(ROW_KEYS))] = draw(json_values)
            record[group].append(row)
    if draw(st.booleans()):
        record[draw(st.text(ANY_CHARACTER, max_size=8))] = draw(json_values)
    return record


def as_line(value, ensure_ascii: bool) -> str:
    return json.dumps(value, ensure_ascii=ensure_ascii)


lines = st.one_of(
    st.builds(as_line, valid_like(), st.booleans()),
    st.builds(as_line, valid_like(), st.booleans()),
    st.builds(as_line, case_like(), st.booleans()),
    st.builds(as_line, json_values, st.booleans()),
    st.text(ANY_CHARACTER, max_size=80),
    st.binary(max_size=80),
    st.sampled_from(
        [
            "",
            "   ",
            "{",
            "}",
            "[]",
            "null",
            "NaN",
            '{"title": NaN}',
            '{"title": "\\ud800"}',
            "[" * 100_000 + "]" * 100_000,
            '{"title": "x", "id": ' + "9" * 5000 + "}",
            json.dumps({**GOOD, "narrative": "a" * 100_001}),
            json.dumps({**GOOD, "external_id": "CB-111222333"}),
            json.dumps({**GOOD, "external_id": None, "team": "Jan Jansen"}),
        ]
    ),
)


def _counts(db_session) -> dict[str, int]:
    return {
        model.__name__: db_session.exec(select(func.count()).select_from(model)).one() for model in TABLES
    }


def _rows(db_session, model, case_id: int) -> int:
    return db_session.exec(select(func.count()).select_from(model).where(model.case_id == case_id)).one()


def test_any_line_lands_whole_or_is_refused_by_number_in_dutch(db_session, monkeypatch):
    monkeypatch.setattr(events, "_handlers", defaultdict(list))  # no search index to keep up to date here
    user = account_service.system_user(db_session=db_session)
    db_session.commit()

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(lines, min_size=1, max_size=3))
    @example([json.dumps(GOOD), "{niet json", json.dumps(GOOD)])
    @example(
        ["[" * 100_000 + "]" * 100_000, '{"title": "x", "id": ' + "9" * 5000 + "}", '{"title": "\\ud800"}']
    )
    def check(batch):
        teams_before = set(db_session.exec(select(Team.name)))
        before = _counts(db_session)
        report = transfer.import_lines(db_session=db_session, user=user, lines=batch)  # never raises

        numbered = [n for n, raw in enumerate(batch, start=1) if raw and raw.strip()]
        refused = [error.line for error in report.errors]
        assert refused == sorted(set(refused)) and set(refused) <= set(numbered), (
            "each refusal names its line"
        )
        assert len(report.imported) + len(refused) == len(numbered)
        for error in report.errors:
            assert error.reason.strip() and not ENGLISH.search(error.reason), error.reason

        # What landed is whole: the case with every row its line asked for; nothing from a refused line.
        accepted = [raw for n, raw in enumerate(batch, start=1) if n in numbered and n not in refused]
        expected = defaultdict(int)
        new_teams = set()
        for raw, external_id in zip(accepted, report.imported, strict=True):
            data = transfer.parse_line(raw)
            case = db_session.exec(select(Case).where(Case.external_id == external_id)).one()
            rows = {
                Decision: len(data.decisions),
                Action: len(data.actions),
                Bottleneck: len(data.bottlenecks),
                PlanItem: sum(1 for item in data.plan_items if item.strip()),
                LifeDomainEntry: len({entry.domain for entry in data.life_domains}),
                CaseParticipant: 1,
            }
            for model, count in rows.items():
                assert _rows(db_session, model, case.id) == count, (model.__name__, raw[:200])
                expected[model.__name__] += count
            expected["Case"] += 1
            expected["AuditEvent"] += 1
            new_teams |= {data.team} - teams_before if data.team else set()
        expected["Team"] = len(new_teams)
        after = _counts(db_session)
        assert {name: after[name] - before[name] for name in after} == {
            name: expected[name] for name in after
        }

    check()
