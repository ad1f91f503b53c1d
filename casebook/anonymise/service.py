"""Public API of the anonymiser.

Every free text that reaches storage goes through :func:`anonymise_text`; the privacy scan
over stored text uses :func:`find_identifiers`. Nothing identifying is kept: the roster lives in
memory, and the :class:`Pseudonyms` map of a case or session holds keyed tokens, never a name.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Collection, Sequence

from casebook.anonymise.detectors import Budget, detect
from casebook.anonymise.engine import get_engine
from casebook.anonymise.lexicon import get_lexicon
from casebook.anonymise.models import DIRECT_IDENTIFIERS, AnonymisedText, Entity
from casebook.anonymise.pseudonyms import Pseudonyms
from casebook.anonymise.tagger.model import get_tagger
from casebook.errors import TooLarge
from casebook.i18n import N_, gettext

__all__ = [
    "Pseudonyms",
    "TextTooLarge",
    "anonymise_text",
    "check_text_size",
    "find_identifiers",
    "identifiers_in_label",
    "refuse_identifiers_in_label",
    "refused_unmasks",
    "warm_up",
]

logger = logging.getLogger(__name__)


class TextTooLarge(TooLarge):
    """Raised by :func:`check_text_size`; the app answers it with HTTP 413 and the Dutch message."""


def check_text_size(text: str, limit: int) -> None:
    """Reject texts over `limit` UTF-8 bytes (the app's CASEBOOK_MAX_TEXT_BYTES): the anonymiser's time
    budget is sized for texts up to the limit."""
    if len(text.encode("utf-8", errors="surrogatepass")) > limit:
        raise TextTooLarge(f"Tekst is te lang: maximaal {limit // 1000} KB ({limit} bytes).")


def warm_up() -> None:
    """Load deduce, the word lists and the tagger once per process (call at app start-up).

    What is loaded stays for the life of the process, so it is moved out of the garbage collector's sight
    (``gc.freeze``): otherwise every full collection walks the word lists and frequency tables again, about
    0.1 s each, and a long text allocates enough to trigger two or three of them. Once per process: a later
    call (a test suite starts many apps) would also pin whatever else is alive then, never collected if it
    ends up in a cycle."""
    get_engine()
    get_lexicon()
    get_tagger()
    if not gc.get_freeze_count():
        gc.freeze()


def find_identifiers(text: str) -> list[Entity]:
    """Identifier spans in ``text`` without replacing anything (placeholders are not identifiers)."""
    if not isinstance(text, str) or not text:
        return []
    return [Entity(c.start, c.end, c.label, "") for c in detect(text)]


#: Labels a key holds by design: a case's external_id or a chat client_id looks like a case number.
KEY_LABELS = frozenset({"ID"})

#: How a refusal names what was found (Dutch, never the value itself).
LABEL_NAMES = {
    "PERSON": N_("een naam"),
    "BSN": N_("een BSN"),
    "ADDRESS": N_("een adres"),
    "POSTCODE": N_("een postcode"),
    "PHONE": N_("een telefoonnummer"),
    "EMAIL": N_("een e-mailadres"),
    "IBAN": N_("een IBAN"),
    "DATE_OF_BIRTH": N_("een geboortedatum"),
    "ID": N_("een dossiernummer"),
    "PLACE": N_("een plaats"),
    "INSTITUTION_NAME": N_("een instelling"),
}

_LABEL_SEPARATORS = re.compile(r"[-_]")


def identifiers_in_label(value: str, *, allowed: Collection[str] = ()) -> list[Entity]:
    """Direct identifiers in a short value that is stored as written and never masked: a key (a case's
    external_id, a chat client_id), the role that took a decision, a tag, a team name. Such a value is
    refused when this finds anything, and the privacy scan applies the same check to what is stored.

    Only :data:`DIRECT_IDENTIFIERS` count (a place or an institution in a team name is no person), minus
    ``allowed`` (:data:`KEY_LABELS` for keys). The value is read as written and with ``-`` and ``_`` read
    as spaces, so a BSN or a name hidden in ``CB-111222333`` or ``Piet_de_Vries`` is found. A span only
    counts when it stands on its own, not glued to letters or digits: codes glue them routinely, and the
    digits inside ``CB-9df7dc4522014773`` are no phone number. Offsets refer to ``value``; spans found in
    both readings may overlap."""
    if not isinstance(value, str) or not value.strip():
        return []
    counted = DIRECT_IDENTIFIERS - frozenset(allowed)
    found: dict[tuple[int, int, str], Entity] = {}
    for reading in dict.fromkeys((value, _LABEL_SEPARATORS.sub(" ", value))):
        for c in detect(reading):
            glued = (c.start > 0 and reading[c.start - 1].isalnum()) or (
                c.end < len(reading) and reading[c.end].isalnum()
            )
            if c.label in counted and not glued:
                found.setdefault((c.start, c.end, c.label), Entity(c.start, c.end, c.label, ""))
    return sorted(found.values(), key=lambda e: (e.start, e.end, e.label))


def refuse_identifiers_in_label(value: str, *, allowed: Collection[str] = ()) -> str:
    """``value`` unchanged, or ValueError with the reason (naming what was found, never the value)
    when :func:`identifiers_in_label` finds a direct identifier in it. Callers prefix the field."""
    found = identifiers_in_label(value, allowed=allowed)
    if found:
        what = ", ".join(dict.fromkeys(gettext(LABEL_NAMES[e.label]) for e in found))
        raise ValueError(
            gettext(
                "mag geen persoonsgegevens bevatten (herkend: %(what)s); dit veld wordt niet "
                "geanonimiseerd. Er is niets opgeslagen."
            )
            % {"what": what}
        )
    return value


#: What a coach may unmask in the human check: judgement calls. Checksum- and pattern-backed
#: identifiers (BSN, IBAN, phone, e-mail, address, postcode, birth date, case number) always stay masked.
UNMASKABLE_LABELS = frozenset({"PERSON", "INSTITUTION_NAME", "PLACE"})


def refused_unmasks(keep: Sequence[str], roster: Sequence[str] = ()) -> dict[str, str]:
    """The words a coach asked to unmask that must stay masked, with the reason.

    Each word is checked again by the detectors on its own: a structured identifier is refused,
    and so is a name the coach listed in the roster."""
    roster_words = {w.casefold() for name in roster for w in name.split()}
    refused: dict[str, str] = {}
    for word in keep:
        labels = {c.label for c in detect(word)} - UNMASKABLE_LABELS
        if labels:
            refused[word] = gettext("blijft gemaskeerd: herkend als %(labels)s") % {
                "labels": ", ".join(sorted(labels))
            }
        elif word.casefold() in roster_words or word.casefold() in {n.casefold() for n in roster}:
            refused[word] = gettext("blijft gemaskeerd: staat in de namenlijst")
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
    coach unmasked in the human check; it only ever unmasks :data:`UNMASKABLE_LABELS` spans. The whole call
    keeps to one CPU budget (see detectors.Budget): a text built to be slow gets the coarse reading sooner.
    """
    budget = Budget()
    if not isinstance(text, str) or not text:
        return AnonymisedText(text="" if not isinstance(text, str) else text, entities=[])
    if pseudonyms is None:
        pseudonyms = Pseudonyms.from_texts([text])
    roster = [r for r in roster if isinstance(r, str) and r.strip()]
    if roster:
        pseudonyms.register_roster(roster)
    spans = detect(text, roster, pseudonyms.name_words(), budget)
    if keep:
        kept = {word.casefold() for word in keep} - set(refused_unmasks(keep, roster))
        spans = [
            c
            for c in spans
            if not (c.label in UNMASKABLE_LABELS and text[c.start : c.end].casefold() in kept)
        ]
    entities: list[Entity] = []
    parts: list[str] = []
    cursor = 0
    replacements = pseudonyms.placeholders([(c.label, text[c.start : c.end]) for c in spans])
    for c, replacement in zip(spans, replacements, strict=True):
        entities.append(Entity(c.start, c.end, c.label, replacement))
        parts.append(text[cursor : c.start])
        parts.append(replacement)
        cursor = c.end
    parts.append(text[cursor:])
    return AnonymisedText(text="".join(parts), entities=entities)
