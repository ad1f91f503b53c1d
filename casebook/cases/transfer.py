"""Import and export of cases as JSON Lines (schema in ARCHITECTURE.md). Each import line is its own
transaction: a line either lands whole or not at all, and the report says per line what failed and why."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from casebook.accounts.models import User
from casebook.cases import flows as case_flows
from casebook.cases import service as case_service
from casebook.cases.models import Case, CaseIn
from casebook.errors import CasebookError
from casebook.validation import describe_validation_errors

# Keys the product itself writes on export; accepted (and ignored or merged) on re-import.
EXPORT_ONLY_KEYS = {"id", "created_at", "updated_at", "feedback", "life_domain_scores"}
EXPORT_ONLY_ROW_KEYS = {"id", "tags", "status", "resolution", "owner_id", "session_id"}


@dataclass
class LineError:
    line: int
    reason: str


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def parse_line(raw: bytes | str) -> CaseIn:
    """One JSONL line into a CaseIn; raises ValueError with a Dutch reason (unknown keys are named)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"geen geldige UTF-8 (byte {exc.start})") from exc
    try:
        record = json.loads(raw)
        # A "\\ud800" escape decodes to a lone surrogate, which no database takes: refuse it here, by line.
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except json.JSONDecodeError as exc:
        raise ValueError(f"geen geldige JSON ({_json_reason(exc.msg)}, kolom {exc.colno})") from None
    except RecursionError:
        raise ValueError("geen geldige JSON (te diep genest)") from None
    except UnicodeEncodeError:
        raise ValueError("bevat een ongeldig teken (een losse UTF-16-surrogaat, zoals \\ud800)") from None
    except ValueError:  # an integer of more digits than Python converts (sys.get_int_max_str_digits)
        raise ValueError("geen geldige JSON (een getal met te veel cijfers)") from None
    if not isinstance(record, dict):
        raise ValueError("een regel moet één JSON-object zijn")
    scores = record.get("life_domain_scores")
    record = {k: v for k, v in record.items() if k not in EXPORT_ONLY_KEYS}
    if scores:
        record["life_domains"] = scores
    for key in ("bottlenecks", "decisions", "actions"):
        if isinstance(record.get(key), list):
            record[key] = [
                {k: v for k, v in row.items() if k not in EXPORT_ONLY_ROW_KEYS}
                if isinstance(row, dict)
                else row
                for row in record[key]
            ]
    try:
        return CaseIn.model_validate(record)
    except ValidationError as exc:
        raise ValueError(describe_validation_errors(exc.errors())) from exc


_JSON_REASONS = (  # the json module's messages, in Dutch (the reason reaches the user)
    ("Expecting value", "waarde verwacht"),
    ("Expecting property name", "veldnaam tussen dubbele aanhalingstekens verwacht"),
    ("Expecting ':'", "':' verwacht"),
    ("Expecting ','", "',' verwacht"),
    ("Unterminated string", "tekst zonder afsluitend aanhalingsteken"),
    ("Invalid control character", "stuurteken in een tekst"),
    ("Invalid \\uXXXX escape", "ongeldige \\u-code"),
    ("Invalid \\escape", "ongeldige \\-code"),
    ("Extra data", "meer dan één JSON-waarde op de regel"),
)


def _json_reason(message: str) -> str:
    return next(
        (dutch for english, dutch in _JSON_REASONS if message.startswith(english)), "ongeldige opbouw"
    )


def import_lines(*, db_session: Session, user: User, lines: Iterable[bytes | str]) -> ImportReport:
    report = ImportReport()
    for number, raw in enumerate(lines, start=1):
        if not (raw.strip() if raw else raw):
            continue
        try:  # the flow rolls a failed line back whole
            case = case_flows.create_case(db_session=db_session, user=user, data=parse_line(raw))
            report.imported.append(case.external_id)
        except (ValueError, CasebookError) as exc:
            report.errors.append(LineError(number, getattr(exc, "detail", None) or str(exc)))
        except SQLAlchemyError as exc:  # e.g. an anonymised text over its column's length on PostgreSQL
            report.errors.append(LineError(number, f"kon niet worden opgeslagen ({type(exc).__name__})"))
    return report


def export_records(*, db_session: Session) -> Iterator[dict]:
    for case in db_session.exec(select(Case).order_by(col(Case.id))):
        read = case_service.to_read(db_session=db_session, case=case)
        yield {
            "id": read.id,
            "external_id": read.external_id,
            "title": read.title,
            "team": read.team,
            "status": read.status,
            "narrative": read.narrative,
            "life_domains": [e.domain for e in read.life_domains],
            "life_domain_scores": [e.model_dump() for e in read.life_domains],
            "support_question": read.support_question,
            "support_plan": read.support_plan,
            "plan_items": read.plan_items,
            "decisions": [d.model_dump(mode="json") for d in read.decisions],
            "actions": [a.model_dump(mode="json") for a in read.actions],
            "outcome": read.outcome,
            "feedback": [f.model_dump(mode="json") for f in read.feedback],
            "bottlenecks": [b.model_dump(mode="json") for b in read.bottlenecks],
            "held_at": read.held_at.isoformat() if read.held_at else None,
        }
