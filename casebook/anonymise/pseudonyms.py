"""Consistent placeholders for one case or one live session.

Held in memory only and never persisted: the map from surface form to number is itself
identifying. Stored texts keep only the placeholders, and ``from_texts`` reads those back
so new mentions continue the numbering instead of colliding with old placeholders.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from casebook.anonymise.lexicon import INTERFIXES, TITLES
from casebook.anonymise.models import PLACEHOLDER_STEMS

#: Only a placeholder's short count continues the numbering; longer digits are data someone typed.
_NUMBERED_PLACEHOLDER_RE = re.compile(r"\[([A-Z][A-Z_]{0,30})-(\d{1,5})\]")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")


def _fold(s: str) -> str:
    """Lowercase without accents: Paweł/pawel, Doğan/Dogan count as the same form."""
    s = unicodedata.normalize("NFKD", s.lower().replace("ł", "l"))
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def _possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@dataclass
class _Person:
    number: int
    given: set[str] = field(default_factory=set)  # folded first names
    surname: str = ""  # folded surname (with interfix stripped)
    initials: set[str] = field(default_factory=set)


@lru_cache(maxsize=16_384)  # a pure function of the name as written; texts repeat their names
def _split_person(surface: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """-> (given names, surname, initials) of a name as written."""
    words = [w for w in _WORD_RE.findall(surface)]
    initials: list[str] = []
    names: list[str] = []
    for w in words:
        bare = w.rstrip(".")
        if bare.lower() in TITLES:
            continue
        if w.endswith(".") and len(bare) <= 2 and bare[:1].isupper():
            initials.append(bare[0].lower())
        elif bare.lower() in INTERFIXES:
            continue
        else:
            names.append(_fold(_possessive(bare)))
    if not names:
        return (), "", tuple(initials)
    if len(names) == 1:
        return (), names[0], tuple(initials)
    return tuple(names[:-1]), names[-1], tuple(initials)


class Pseudonyms:
    """Surface form -> numbered Dutch placeholder, consistent within one case/session."""

    def __init__(self) -> None:
        self._counters: dict[str, int] = {}
        self._simple: dict[tuple[str, str], str] = {}
        self._persons: list[_Person] = []
        self._lock = threading.Lock()

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Pseudonyms:
        """Continue numbering after the placeholders already present in stored texts."""
        pseudonyms = cls()
        for text in texts:
            if not isinstance(text, str):
                continue
            for m in _NUMBERED_PLACEHOLDER_RE.finditer(text):
                stem, number = m.group(1), int(m.group(2))
                if pseudonyms._counters.get(stem, 0) < number:
                    pseudonyms._counters[stem] = number
        return pseudonyms

    def copy(self) -> Pseudonyms:
        """An independent copy, for a preview that must not change the live map."""
        other = Pseudonyms()
        with self._lock:
            other._counters = dict(self._counters)
            other._simple = dict(self._simple)
            other._persons = [_Person(p.number, set(p.given), p.surname, set(p.initials)) for p in self._persons]
        return other

    def _next(self, stem: str) -> str:
        self._counters[stem] = self._counters.get(stem, 0) + 1
        return f"[{stem}-{self._counters[stem]}]"

    def register_roster(self, roster: Iterable[str]) -> None:
        """Give roster names their numbers first, so every short form resolves to them."""
        for name in roster:
            if isinstance(name, str) and name.strip():
                self.placeholder("PERSON", name)

    def placeholder(self, label: str, surface: str) -> str:
        stem = PLACEHOLDER_STEMS.get(label, "NUMMER")
        with self._lock:
            if label == "PERSON":
                return self._person(surface)
            key = (label, self._normalise(label, surface))
            if key not in self._simple:
                self._simple[key] = self._next(stem)
            return self._simple[key]

    @staticmethod
    def _normalise(label: str, surface: str) -> str:
        if label in {"BSN", "IBAN", "PHONE", "ID", "POSTCODE"}:
            return "".join(ch for ch in surface.lower() if ch.isalnum()).replace("+31", "0")
        return " ".join(_fold(surface).split())

    def _person(self, surface: str) -> str:
        given, surname, initials = _split_person(surface)
        stem = PLACEHOLDER_STEMS["PERSON"]
        if not surname:
            surname = _fold(surface.strip()) or "?"
        match = self._resolve(given, surname, initials)
        if match is None:
            match = _Person(number=0)
            match.number = int(self._next(stem)[len(stem) + 2 : -1])
            self._persons.append(match)
        if given:
            match.given.update(given)
            match.surname = match.surname or surname
            match.initials.update(g[0] for g in given)
        elif initials:
            match.surname = match.surname or surname
            match.initials.update(initials)
        elif not match.surname and not match.given:
            match.given.add(surname)  # single word: could be either, keep as a name word
        return f"[{stem}-{match.number}]"

    def _resolve(self, given: tuple[str, ...], surname: str, initials: tuple[str, ...]) -> _Person | None:
        if given:  # "Anouk de Vries"
            for p in self._persons:
                if p.surname == surname and (not p.given or p.given & set(given)):
                    return p
            for p in self._persons:  # earlier seen as first name only
                if not p.surname and p.given & set(given):
                    return p
            return None
        if initials:  # "A. de Vries"
            for p in self._persons:
                if p.surname == surname and (not p.initials or p.initials & set(initials)):
                    return p
            return None
        # a single word: a known first name or surname
        for p in self._persons:
            if surname in p.given or p.surname == surname:
                return p
        return None
