"""Consistent placeholders for one case or one live session.

Held in memory only and never persisted: the map from surface form to number is itself
identifying. Stored texts keep only the placeholders, and ``from_texts`` reads those back
so new mentions continue the numbering instead of colliding with old placeholders.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from casebook.anonymise.lexicon import INTERFIXES, TITLES
from casebook.anonymise.models import PLACEHOLDER_STEMS
from casebook.anonymise.tagger.features import fold

#: Only a placeholder's short count continues the numbering; longer digits are data someone typed.
_NUMBERED_PLACEHOLDER_RE = re.compile(r"\[([A-Z][A-Z_]{0,30})-(\d{1,5})\]")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")


def _possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@dataclass(eq=False)  # compared and hashed by identity: two persons may hold the same names
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
            names.append(fold(_possessive(bare)))
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
        self._index = _PersonIndex()
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
            other._persons = [
                _Person(p.number, set(p.given), p.surname, set(p.initials)) for p in self._persons
            ]
        for person in other._persons:
            other._index.add(person, "", person.given, person.initials)
        return other

    @property
    def size(self) -> int:
        """How many identifiers the map holds: what its memory grows with."""
        return len(self._simple) + len(self._persons)

    def name_words(self) -> frozenset[str]:
        """The (folded) given names and surnames masked so far: later texts of the same case or session
        read these words as names, also when typed in lowercase."""
        with self._lock:
            return frozenset(w for p in self._persons for w in (*p.given, p.surname) if w and w != "?")

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
        return " ".join(fold(surface).split())

    def _person(self, surface: str) -> str:
        given, surname, initials = _split_person(surface)
        stem = PLACEHOLDER_STEMS["PERSON"]
        if not surname:
            surname = fold(surface.strip()) or "?"
        match = self._resolve(given, surname, initials)
        if match is None:
            match = _Person(number=0)
            match.number = int(self._next(stem)[len(stem) + 2 : -1])
            self._persons.append(match)
        surname_before = match.surname
        gained_given: set[str] = set()
        gained_initials: set[str] = set()
        if given:
            gained_given = set(given) - match.given
            gained_initials = {g[0] for g in given} - match.initials
            match.surname = match.surname or surname
        elif initials:
            gained_initials = set(initials) - match.initials
            match.surname = match.surname or surname
        elif not match.surname and not match.given:
            gained_given = {surname}  # single word: could be either, keep as a name word
        match.given |= gained_given
        match.initials |= gained_initials
        self._index.add(match, surname_before, gained_given, gained_initials)
        return f"[{stem}-{match.number}]"

    def _resolve(self, given: tuple[str, ...], surname: str, initials: tuple[str, ...]) -> _Person | None:
        """The earliest person this name can be (None: someone new)."""
        index = self._index
        if given:  # "Anouk de Vries": the same surname with a shared first name, or no first name known
            return _earliest(
                [index.with_surname_given.get((surname, g)) for g in given]
                + [p for p in index.surname_only.get(surname, ()) if not p.given]
            ) or _earliest([p for g in given for p in index.nameless.get(g, ()) if not p.surname])
        if initials:  # "A. de Vries"
            return _earliest(
                [index.with_surname_initial.get((surname, i)) for i in initials]
                + [p for p in index.no_initials.get(surname, ()) if not p.initials]
            )
        # a single word: a known first name or surname
        return _earliest([index.with_given.get(surname), index.with_surname.get(surname)])


def _earliest(persons: list[_Person | None]) -> _Person | None:
    found = [p for p in persons if p is not None]
    return min(found, key=lambda p: p.number) if found else None


@dataclass
class _PersonIndex:
    """The persons of a pseudonym map by the name words they hold, so resolving a name costs the same with
    thousands of persons as with ten (scanning them all made a text of distinct names quadratic).

    Persons only ever gain names, so "the earliest person holding X" can be kept as it grows; the few
    persons that matter for lacking something (no first name, no surname, no initials) are kept in small
    sets and checked again when read."""

    with_surname_given: dict[tuple[str, str], _Person] = field(default_factory=dict)
    with_surname_initial: dict[tuple[str, str], _Person] = field(default_factory=dict)
    with_given: dict[str, _Person] = field(default_factory=dict)
    with_surname: dict[str, _Person] = field(default_factory=dict)
    surname_only: dict[str, set[_Person]] = field(default_factory=dict)  # a surname, no first name
    no_initials: dict[str, set[_Person]] = field(default_factory=dict)  # a surname, no initials
    nameless: dict[str, set[_Person]] = field(default_factory=dict)  # a first name, no surname

    def add(
        self, person: _Person, surname_before: str, gained_given: set[str], gained_initials: set[str]
    ) -> None:
        """Record what ``person`` just gained (a person can gather many first names: only what is new is
        indexed, unless the surname is new, which happens once per person)."""
        surname = person.surname
        new_surname = surname != surname_before
        for g in person.given if new_surname else gained_given:
            _keep_earliest(self.with_given, g, person)
            if surname:
                _keep_earliest(self.with_surname_given, (surname, g), person)
            else:
                self.nameless.setdefault(g, set()).add(person)
        if surname:
            _keep_earliest(self.with_surname, surname, person)
            for i in person.initials if new_surname else gained_initials:
                _keep_earliest(self.with_surname_initial, (surname, i), person)
            if not person.given:
                self.surname_only.setdefault(surname, set()).add(person)
            if not person.initials:
                self.no_initials.setdefault(surname, set()).add(person)


def _keep_earliest(index: dict, key, person: _Person) -> None:
    current = index.get(key)
    if current is None or person.number < current.number:
        index[key] = person
