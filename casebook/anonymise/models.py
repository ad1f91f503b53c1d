"""Data shapes of the anonymiser: internal results and the HTTP schemas.

Offsets always point into the ORIGINAL text, so callers can highlight what was masked
without keeping a copy of the identifying text around.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, Field

#: A roster is matched (fuzzily) against every word of a text, so it is bounded; see roster.check_roster.
MAX_ROSTER_NAMES = 50
MAX_ROSTER_NAME_CHARS = 100

LABELS: tuple[str, ...] = (
    "PERSON",
    "BSN",
    "ADDRESS",
    "POSTCODE",
    "PLACE",
    "PHONE",
    "EMAIL",
    "IBAN",
    "DATE_OF_BIRTH",
    "ID",
    "INSTITUTION_NAME",
)

#: Dutch placeholder stem per label, e.g. PERSON -> "[PERSOON-1]".
PLACEHOLDER_STEMS: dict[str, str] = {
    "PERSON": "PERSOON",
    "BSN": "BSN",
    "ADDRESS": "ADRES",
    "POSTCODE": "POSTCODE",
    "PLACE": "PLAATS",
    "PHONE": "TELEFOON",
    "EMAIL": "EMAIL",
    "IBAN": "IBAN",
    "DATE_OF_BIRTH": "GEBOORTEDATUM",
    "ID": "NUMMER",
    "INSTITUTION_NAME": "INSTELLING",
}

#: Labels that identify a person on their own (quasi-identifiers are PLACE, INSTITUTION_NAME).
DIRECT_IDENTIFIERS: frozenset[str] = frozenset(
    {"PERSON", "BSN", "ADDRESS", "POSTCODE", "PHONE", "EMAIL", "IBAN", "DATE_OF_BIRTH", "ID"}
)


@dataclass(frozen=True, slots=True)
class Entity:
    """One masked span: ``text[start:end]`` of the original text became ``replacement``."""

    start: int
    end: int
    label: str
    replacement: str = ""


@dataclass(slots=True)
class AnonymisedText:
    """The anonymised text plus what was replaced (offsets into the original)."""

    text: str
    entities: list[Entity] = field(default_factory=list)


class AnonymiseRequest(BaseModel):
    """Body of ``POST /api/v1/anonymise``; the roster lives in memory for this request only."""

    text: str
    roster: list[str] = Field(
        default_factory=list,
        description=(
            f"Names to mask; held in memory for this request only, never stored. At most {MAX_ROSTER_NAMES} names "
            f"of at most {MAX_ROSTER_NAME_CHARS} characters each (else 422)."
        ),
    )


class EntityOut(BaseModel):
    start: int
    end: int
    label: str
    replacement: str


class AnonymiseResponse(BaseModel):
    """Same shape as :class:`AnonymisedText`."""

    text: str
    entities: list[EntityOut] = Field(default_factory=list)

    @classmethod
    def from_result(cls, result: AnonymisedText) -> AnonymiseResponse:
        return cls(
            text=result.text,
            entities=[
                EntityOut(start=e.start, end=e.end, label=e.label, replacement=e.replacement)
                for e in result.entities
            ],
        )
