"""Run the anonymiser's detectors over everything stored and report any identifier left.

The scan walks the table metadata rather than a fixed list of models, so a table added later is
covered without anyone remembering to add it here. Columns that are identifiers *by design*
(usernames, hashes, external ids, enumerations) are skipped by name."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Enum, String, select
from sqlmodel import Session, SQLModel

from casebook.anonymise import service as anonymise_service

NOT_CLIENT_TEXT = {
    "password_hash", "token_hash", "username", "display_name", "external_id", "client_id", "name",
    "action", "object_type", "method", "phase", "author_role", "owner_role", "detail",
}


@dataclass(frozen=True)
class Finding:
    where: str   # "case 12 narrative", "export.jsonl line 3"
    label: str
    start: int
    end: int
    hint: str    # the first character and the length, never the identifier itself

    def describe(self) -> str:
        return f"{self.where}: {self.label} op positie {self.start}-{self.end} ({self.hint})"


def _hint(value: str) -> str:
    return f"'{value[:1]}…', {len(value)} tekens"


def _text_columns(table) -> list:
    return [column for column in table.columns
            if isinstance(column.type, String) and not isinstance(column.type, Enum)
            and column.name not in NOT_CLIENT_TEXT]


def scan_text(text: str, where: str) -> list[Finding]:
    return [Finding(where, e.label, e.start, e.end, _hint(text[e.start:e.end]))
            for e in anonymise_service.find_identifiers(text)]


def scan_database(*, db_session: Session) -> Iterator[Finding]:
    for table in SQLModel.metadata.sorted_tables:
        columns = _text_columns(table)
        if not columns or "id" not in table.columns:
            continue
        for row in db_session.connection().execute(select(table.c.id, *columns)):
            for column, value in zip(columns, row[1:], strict=True):
                if value:
                    yield from scan_text(value, f"{table.name} {row[0]} {column.name}")


def scan_export(path: Path) -> Iterator[Finding]:
    """Scan a JSONL export: every string value anywhere in each record."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            for key, value in _strings(json.loads(line)):
                if key not in NOT_CLIENT_TEXT:
                    yield from scan_text(value, f"{path.name} regel {number} {key}")


def _strings(value, key: str = "") -> Iterable[tuple[str, str]]:
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for child_key, child in value.items():
            yield from _strings(child, child_key)
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child, key)
