"""Consistent placeholders for one case or one live session.

The map from a name to its number is itself identifying, so it holds no name: every word it keeps (name words,
initials, the normalised form of a BSN or an e-mail address) is a keyed token (:class:`WordKeys`), equal for
equal words and meaningless without the key. It changes only by operations on such tokens ("a person with these
name words", "this BSN"), applied in a fixed order by rules that depend on nothing else, so two processes that
apply the same operations in the same order hold the same map (:mod:`casebook.anonymise.shared` keeps that
order in Redis). Stored texts keep only the placeholders, and ``from_texts`` reads those back so new mentions
continue the numbering instead of colliding with old placeholders.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

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
    given: set[str] = field(default_factory=set)  # keyed first names (folded before keying)
    surname: str = ""  # keyed surname (folded, with interfix stripped); "" until one is known
    initials: set[str] = field(default_factory=set)  # keyed initials


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


Token = str
"""A keyed word (:class:`WordKeys`): equal for equal words, and says nothing about the word without the key."""


@dataclass(frozen=True, slots=True)
class SimpleOperation:
    """A BSN, an address, an institution...: its label, and its normalised form keyed."""

    label: str
    value: Token

    def as_json(self) -> list:
        return ["S", self.label, self.value]


@dataclass(frozen=True, slots=True)
class PersonOperation:
    """A person's name as written: first names, their initials, surname and initials written as such, keyed."""

    given: tuple[Token, ...]
    given_initials: tuple[Token, ...]
    surname: Token
    initials: tuple[Token, ...]

    def as_json(self) -> list:
        return ["P", list(self.given), list(self.given_initials), self.surname, list(self.initials)]


Operation = SimpleOperation | PersonOperation
"""What a text taught a map, in tokens only; applied in the same order, the same operations make the same map."""


class WordKeys:
    """Keys the words of a pseudonym map: HMAC-SHA256 with a secret key, cut to 12 bytes (96 bits: the words
    one map can hold never collide), as base64. A map of this process alone is keyed with a random key of the
    process (:data:`PROCESS_KEYS`); maps several processes share with a key derived from the app's secret."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    @classmethod
    def derived(cls, app_secret: str) -> WordKeys:
        """The key for shared maps: every process with the same app secret derives the same one."""
        return cls(hmac.digest(app_secret.encode(), b"casebook pseudonym map words", "sha256"))

    def __call__(self, word: str) -> Token:
        digest = hmac.digest(self._secret, word.encode("utf-8", "surrogatepass"), "sha256")
        return base64.b64encode(digest[:12]).decode("ascii")

    @property
    def fingerprint(self) -> str:
        """Names the key without revealing it (maps keyed differently must never be mixed)."""
        return self("\x00fingerprint").replace("/", "_")[:8]


PROCESS_KEYS = WordKeys(secrets.token_bytes(32))


@dataclass(frozen=True)
class KeyedWords:
    """Name words held as tokens: ``word in words`` keys the (folded) word and looks the token up."""

    keys: WordKeys
    tokens: frozenset[Token]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.keys(word) in self.tokens

    def __bool__(self) -> bool:
        return bool(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)


class Pseudonyms:
    """Surface form -> numbered Dutch placeholder, consistent within one case/session."""

    def __init__(self, keys: WordKeys = PROCESS_KEYS) -> None:
        self.keys = keys
        self._counters: dict[str, int] = {}
        self._simple: dict[tuple[str, Token], int] = {}
        self._persons: list[_Person] = []
        self._index = _PersonIndex()
        self._lock = threading.Lock()
        self._unknown = keys("?")  # the surname of a name that has no words (never a name word)

    @classmethod
    def from_texts(cls, texts: Iterable[str], keys: WordKeys = PROCESS_KEYS) -> Pseudonyms:
        """Continue numbering after the placeholders already present in stored texts."""
        pseudonyms = cls(keys)
        for text in texts:
            if not isinstance(text, str):
                continue
            for m in _NUMBERED_PLACEHOLDER_RE.finditer(text):
                stem, number = m.group(1), int(m.group(2))
                if pseudonyms._counters.get(stem, 0) < number:
                    pseudonyms._counters[stem] = number
        return pseudonyms

    def snapshot(self) -> dict[str, Any]:
        """The whole map as JSON-ready data (tokens and numbers only): what :meth:`restore` rebuilds it from."""
        with self._lock:
            return self._snapshot()

    def _snapshot(self) -> dict[str, Any]:
        return {
            "counters": dict(self._counters),
            "simple": [[label, token, number] for (label, token), number in self._simple.items()],
            "persons": [[p.number, sorted(p.given), p.surname, sorted(p.initials)] for p in self._persons],
        }

    @classmethod
    def restore(cls, snapshot: dict[str, Any], keys: WordKeys = PROCESS_KEYS) -> Pseudonyms:
        """The map a :meth:`snapshot` was taken of (ValueError when ``snapshot`` is not one)."""
        pseudonyms = cls(keys)
        pseudonyms._load(snapshot)
        return pseudonyms

    def _load(self, snapshot: dict[str, Any]) -> None:
        """Replace this map's content by ``snapshot``'s, checked field by field: a snapshot may come from outside
        this process, and a placeholder is rebuilt from its label and number, never taken as written."""
        try:
            counters = {_name(s): _number(n) for s, n in snapshot["counters"].items()}
            simple = {(_name(label), _token(t)): _number(n) for label, t, n in snapshot["simple"]}
            persons = [
                _Person(
                    _number(n), {_token(g) for g in given}, _token(s) if s else "", {_token(i) for i in ini}
                )
                for n, given, s, ini in snapshot["persons"]
            ]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError("not a pseudonym map snapshot") from exc
        # A counter never stands below a number already given: else a corrupt snapshot would hand the next
        # identifier a number another one holds.
        given = [(PLACEHOLDER_STEMS.get(label, "NUMMER"), n) for (label, _), n in simple.items()]
        given += [(PLACEHOLDER_STEMS["PERSON"], person.number) for person in persons]
        for stem, number in given:
            counters[stem] = max(counters.get(stem, 0), number)
        self._counters, self._simple, self._persons = counters, simple, persons
        self._index = _PersonIndex()
        for person in persons:
            self._index.add(person, "", person.given, person.initials)

    def copy(self) -> Pseudonyms:
        """An independent copy in this process, for a preview that must not change the live map."""
        return Pseudonyms.restore(self.snapshot(), self.keys)

    @property
    def size(self) -> int:
        """How many identifiers the map holds: what its memory grows with."""
        return len(self._simple) + len(self._persons)

    def name_words(self) -> KeyedWords:
        """The given names and surnames masked so far (``fold(word) in name_words``): later texts of the same
        case or session read these words as names, also when typed in lowercase."""
        with self._lock:
            tokens = {w for p in self._persons for w in (*p.given, p.surname)}
        return KeyedWords(self.keys, frozenset(tokens - {"", self._unknown}))

    def register_roster(self, roster: Iterable[str]) -> None:
        """Give roster names their numbers first, so every short form resolves to them."""
        self.placeholders([("PERSON", name) for name in roster if isinstance(name, str) and name.strip()])

    def placeholder(self, label: str, surface: str) -> str:
        return self.placeholders([(label, surface)])[0]

    def placeholders(self, found: Sequence[tuple[str, str]]) -> list[str]:
        """The placeholder of each (label, text as written), in order: one text's identifiers at a time."""
        operations = [self.operation(label, surface) for label, surface in found]
        with self._lock:
            return [self._apply(op) for op in operations]

    def operation(self, label: str, surface: str) -> Operation:
        """What ``surface`` is to this map, in tokens: the same for every process holding the same keys."""
        if label != "PERSON":
            return SimpleOperation(label, self.keys(self._normalise(label, surface)))
        given, surname, initials = _split_person(surface)
        if not surname:
            surname = fold(surface.strip()) or "?"
        key = self.keys
        return PersonOperation(
            tuple(key(g) for g in given),
            tuple(key(g[0]) for g in given),
            key(surname),
            tuple(key(i) for i in initials),
        )

    @staticmethod
    def _normalise(label: str, surface: str) -> str:
        if label in {"BSN", "IBAN", "PHONE", "ID", "POSTCODE"}:
            return "".join(ch for ch in surface.lower() if ch.isalnum()).replace("+31", "0")
        return " ".join(fold(surface).split())

    def _next(self, stem: str) -> int:
        self._counters[stem] = self._counters.get(stem, 0) + 1
        return self._counters[stem]

    def _apply(self, op: Operation) -> str:
        """Apply one operation (the caller holds the lock) and return its placeholder."""
        if isinstance(op, SimpleOperation):
            stem = PLACEHOLDER_STEMS.get(op.label, "NUMMER")
            if (op.label, op.value) not in self._simple:
                self._simple[(op.label, op.value)] = self._next(stem)
            return f"[{stem}-{self._simple[(op.label, op.value)]}]"
        stem = PLACEHOLDER_STEMS["PERSON"]
        match, gained_given, gained_initials, surname = self._plan(op)
        if match is None:
            match = _Person(number=self._next(stem))
            self._persons.append(match)
        surname_before, match.surname = match.surname, surname
        match.given |= gained_given
        match.initials |= gained_initials
        self._index.add(match, surname_before, gained_given, gained_initials)
        return f"[{stem}-{match.number}]"

    def _changes(self, op: Operation) -> bool:
        """Whether applying ``op`` would change the map (the caller holds the lock); one that does not can be
        answered from the map as it is."""
        if isinstance(op, SimpleOperation):
            return (op.label, op.value) not in self._simple
        match, gained_given, gained_initials, surname = self._plan(op)
        return match is None or bool(gained_given or gained_initials) or surname != match.surname

    def _plan(self, op: PersonOperation) -> tuple[_Person | None, set[Token], set[Token], Token]:
        """-> (the person ``op`` names, None for someone new; the first names and initials they gain; the
        surname they have after it)."""
        given, surname, initials = op.given, op.surname, op.initials
        match = self._resolve(given, surname, initials)
        held_given, held_initials = (match.given, match.initials) if match else (set(), set())
        held_surname = match.surname if match else ""
        if given:
            gained_initials = set(op.given_initials) - held_initials
            return match, set(given) - held_given, gained_initials, held_surname or surname
        if initials:
            return match, set(), set(initials) - held_initials, held_surname or surname
        if not held_surname and not held_given:  # a single word: could be either, keep as a name word
            return match, {surname}, set(), held_surname
        return match, set(), set(), held_surname

    def _resolve(
        self, given: tuple[Token, ...], surname: Token, initials: tuple[Token, ...]
    ) -> _Person | None:
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


_NAME_RE = re.compile(r"[A-Z][A-Z_]{0,30}")
_TOKEN_RE = re.compile(r"[A-Za-z0-9+/]{16}")


def _name(value: object) -> str:
    """A label or a placeholder's stem: capitals, as the detectors and the placeholders write them."""
    if isinstance(value, str) and _NAME_RE.fullmatch(value):
        return value
    raise ValueError("label")


def _token(value: object) -> Token:
    if isinstance(value, str) and _TOKEN_RE.fullmatch(value):
        return value
    raise ValueError("token")


def _number(value: object) -> int:
    if type(value) is int and 0 < value < 1_000_000_000:
        return value
    raise ValueError("number")


def operation_from_json(value: object) -> Operation:
    """An operation read back from its JSON (Operation.as_json), checked field by field; ValueError otherwise."""
    if isinstance(value, list) and len(value) == 3 and value[0] == "S":
        return SimpleOperation(_name(value[1]), _token(value[2]))
    if isinstance(value, list) and len(value) == 5 and value[0] == "P":
        _, given, given_initials, surname, initials = value
        if all(isinstance(v, list) for v in (given, given_initials, initials)) and len(given) == len(
            given_initials
        ):
            return PersonOperation(
                tuple(_token(g) for g in given),
                tuple(_token(i) for i in given_initials),
                _token(surname),
                tuple(_token(i) for i in initials),
            )
    raise ValueError("not a pseudonym map operation")


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
