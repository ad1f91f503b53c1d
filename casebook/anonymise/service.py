"""Public API of the anonymiser.

Every free text that reaches storage goes through :func:`anonymise_text`; the privacy scan
over stored text uses :func:`find_identifiers`. Nothing identifying is kept: the roster and
the :class:`Pseudonyms` map live in memory for one case or session only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from casebook.anonymise.detectors import detect
from casebook.anonymise.engine import get_engine
from casebook.anonymise.lexicon import get_lexicon
from casebook.anonymise.models import AnonymisedText, Entity
from casebook.anonymise.pseudonyms import Pseudonyms
from casebook.errors import TooLarge
from casebook.settings import get_settings

__all__ = [
    "Pseudonyms",
    "TextTooLarge",
    "anonymise_text",
    "check_text_size",
    "find_identifiers",
    "refused_unmasks",
    "warm_up",
]

logger = logging.getLogger(__name__)



class TextTooLarge(TooLarge):
    """Raised by :func:`check_text_size`; the app answers it with HTTP 413 and the Dutch message."""


def check_text_size(text: str) -> None:
    """Reject texts over the configured limit (CASEBOOK_MAX_TEXT_BYTES) in UTF-8 bytes."""
    limit = get_settings().max_text_bytes
    if len(text.encode("utf-8", errors="surrogatepass")) > limit:
        raise TextTooLarge(f"Tekst is te lang: maximaal {limit // 1000} KB ({limit} bytes).")


def warm_up() -> None:
    """Load deduce and the word lists once per process (call at app start-up)."""
    get_engine()
    get_lexicon()


def find_identifiers(text: str) -> list[Entity]:
    """Identifier spans in ``text`` without replacing anything (placeholders are not identifiers)."""
    if not isinstance(text, str) or not text:
        return []
    return [Entity(c.start, c.end, c.label, "") for c in detect(text)]


#: What a coach may unmask in the human check: judgement calls. Checksum- and pattern-backed
#: identifiers (BSN, IBAN, phone, e-mail, address, postcode, birth date, case number) always stay masked.
UNMASKABLE_LABELS = frozenset({"PERSON", "INSTITUTION_NAME", "PLACE"})


def refused_unmasks(keep: Sequence[str], roster: Sequence[str] = ()) -> dict[str, str]:
    """The words a coach asked to unmask that must stay masked, with the Dutch reason.

    Each word is checked again by the detectors on its own: a structured identifier is refused,
    and so is a name the coach listed in the roster."""
    roster_words = {w.casefold() for name in roster for w in name.split()}
    refused: dict[str, str] = {}
    for word in keep:
        labels = {c.label for c in detect(word)} - UNMASKABLE_LABELS
        if labels:
            refused[word] = f"blijft gemaskeerd: herkend als {', '.join(sorted(labels))}"
        elif word.casefold() in roster_words or word.casefold() in {n.casefold() for n in roster}:
            refused[word] = "blijft gemaskeerd: staat in de namenlijst"
    return refused


def anonymise_text(
    text: str,
    *,
    roster: Sequence[str] = (),
    pseudonyms: Pseudonyms | None = None,
    keep: Sequence[str] = (),
) -> AnonymisedText:
    """Replace identifiers by numbered Dutch placeholders; offsets refer to the input text.

    Pass the case's :class:`Pseudonyms` to keep numbering consistent across texts; without
    one, numbering starts after any placeholders already present in ``text``. ``keep`` holds words a
    coach unmasked in the human check; it only ever unmasks :data:`UNMASKABLE_LABELS` spans.
    """
    if not isinstance(text, str) or not text:
        return AnonymisedText(text="" if not isinstance(text, str) else text, entities=[])
    if pseudonyms is None:
        pseudonyms = Pseudonyms.from_texts([text])
    roster = [r for r in roster if isinstance(r, str) and r.strip()]
    if roster:
        pseudonyms.register_roster(roster)
    spans = detect(text, roster)
    if keep:
        kept = {word.casefold() for word in keep} - set(refused_unmasks(keep, roster))
        spans = [c for c in spans if not (c.label in UNMASKABLE_LABELS and text[c.start:c.end].casefold() in kept)]
    entities: list[Entity] = []
    parts: list[str] = []
    cursor = 0
    for c in spans:
        replacement = pseudonyms.placeholder(c.label, text[c.start : c.end])
        entities.append(Entity(c.start, c.end, c.label, replacement))
        parts.append(text[cursor : c.start])
        parts.append(replacement)
        cursor = c.end
    parts.append(text[cursor:])
    return AnonymisedText(text="".join(parts), entities=entities)
