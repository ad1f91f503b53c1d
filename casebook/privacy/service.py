"""Run the anonymiser's detectors over everything stored and report any identifier left.

The scan walks the table metadata rather than a fixed list of models, so a table added later is
covered without anyone remembering to add it here: every string column (plain, Text, or sqlmodel's
AutoString, which is a TypeDecorator over String) except enumerations. Columns that hold no client text
by design (credentials, staff accounts, names of things defined in code) are skipped by table and column.
Short values stored as written and never masked (keys, roles, tags, team names) get the check that
refuses them at input (anonymise_service.identifiers_in_label), so input and scan agree."""

import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Enum, String, TypeDecorator, select
from sqlmodel import Session, SQLModel

from casebook.anonymise import service as anonymise_service

#: table.column: never scanned (no client text by design).
NOT_CLIENT_TEXT = frozenset(
    {
        "user.username",
        "user.display_name",
        "user.password_hash",
        "apitoken.token_hash",
        "audit_event.action",
        "audit_event.object_type",
        "discussion_session.method",
        "discussion_session.phase",
        "message.kind",
        "message.author_role",
        "life_domain_entry.domain",
    }
)
#: table.column: stored as written, refused at input when it holds a direct identifier; scanned with that
#: check, allowing these labels (a key may look like a case number; a place in a team name is fine).
LABEL_COLUMNS: dict[str, Collection[str]] = {
    "case.external_id": anonymise_service.KEY_LABELS,
    "message.client_id": anonymise_service.KEY_LABELS,
    "audit_event.detail": anonymise_service.KEY_LABELS,  # field names and ids
    "decision.decided_by_role": frozenset(),
    "tag.name": frozenset(),
    "team.name": frozenset(),
}
#: The same for the keys of an export record (transfer.export_records).
EXPORT_NOT_CLIENT_TEXT = frozenset(
    {
        "status",
        "kind",
        "level",
        "owner_role",
        "author_role",
        "domain",
        "life_domains",
        "created_at",
        "updated_at",
    }
)
EXPORT_LABEL_KEYS: dict[str, Collection[str]] = {
    "external_id": anonymise_service.KEY_LABELS,
    "team": frozenset(),
    "decided_by_role": frozenset(),
    "tags": frozenset(),
}


@dataclass(frozen=True)
class Finding:
    where: str  # "case 12 narrative", "export.jsonl line 3"
    label: str
    start: int
    end: int
    hint: str  # the first character and the length, never the identifier itself

    def describe(self) -> str:
        return f"{self.where}: {self.label} op positie {self.start}-{self.end} ({self.hint})"


def _hint(value: str) -> str:
    return f"'{value[:1]}…', {len(value)} tekens"


def _is_string(column) -> bool:
    column_type = column.type
    if isinstance(column_type, TypeDecorator):  # sqlmodel's AutoString (every str field with a max_length)
        column_type = column_type.impl_instance
    return isinstance(column_type, String) and not isinstance(column_type, Enum)


def _text_columns(table) -> list:
    return [
        column
        for column in table.columns
        if _is_string(column) and f"{table.name}.{column.name}" not in NOT_CLIENT_TEXT
    ]


def scan_text(text: str, where: str) -> list[Finding]:
    return [
        Finding(where, e.label, e.start, e.end, _hint(text[e.start : e.end]))
        for e in anonymise_service.find_identifiers(text)
    ]


def scan_label(text: str, where: str, allowed: Collection[str] = ()) -> list[Finding]:
    return [
        Finding(where, e.label, e.start, e.end, _hint(text[e.start : e.end]))
        for e in anonymise_service.identifiers_in_label(text, allowed=allowed)
    ]


def _scan_value(value: str, where: str, label_rule: Collection[str] | None) -> list[Finding]:
    return scan_text(value, where) if label_rule is None else scan_label(value, where, label_rule)


def scan_database(*, db_session: Session) -> Iterator[Finding]:
    for table in SQLModel.metadata.sorted_tables:
        columns = _text_columns(table)
        if not columns or "id" not in table.columns:
            continue
        rules = [LABEL_COLUMNS.get(f"{table.name}.{column.name}") for column in columns]
        for row in db_session.connection().execute(select(table.c.id, *columns)):
            for column, rule, value in zip(columns, rules, row[1:], strict=True):
                if value:
                    yield from _scan_value(value, f"{table.name} {row[0]} {column.name}", rule)


def scan_export(path: Path) -> Iterator[Finding]:
    """Scan a JSONL export: every string value anywhere in each record."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            for key, value in _strings(json.loads(line)):
                if key not in EXPORT_NOT_CLIENT_TEXT and value:
                    yield from _scan_value(
                        value, f"{path.name} regel {number} {key}", EXPORT_LABEL_KEYS.get(key)
                    )


def _strings(value, key: str = "") -> Iterable[tuple[str, str]]:
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for child_key, child in value.items():
            yield from _strings(child, child_key)
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child, key)
