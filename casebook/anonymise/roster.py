"""Matching the names on a case roster (held in memory only) in every form they appear.

A roster name "Anouk de Vries" is matched as the full name, first name, surname (with or
without its interfix), initials ("A. de Vries"), possessive ("Anouks"), lowercase, and with
small typos (rapidfuzz). A lowercase mention that is also an ordinary Dutch word ("bakker"
mid-sentence) is left alone: it is far more likely the word than the name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from casebook.anonymise.lexicon import INTERFIXES, Lexicon
from casebook.anonymise.models import MAX_ROSTER_NAME_CHARS, MAX_ROSTER_NAMES
from casebook.anonymise.names import Token, stem, tokenize
from casebook.anonymise.spans import Candidate
from casebook.errors import Invalid
from casebook.i18n import gettext

P_ROSTER = 56
_FUZZY_MIN_LEN = 5
_FUZZY_CUTOFF = 80.0


@dataclass(frozen=True)
class RosterName:
    full: str
    parts: tuple[str, ...]  # lowercased name words without interfixes


def check_roster(names: Sequence[str], *, field: str = "") -> list[str]:
    """The roster's names, stripped and without repeats, if within bounds: every name is matched against every
    word of every text (fuzzily), so a roster holds at most MAX_ROSTER_NAMES names of MAX_ROSTER_NAME_CHARS
    characters. Else Invalid (422) with the Dutch reason, prefixed with `field` when given. The one rule for
    every roster: the room and its session API, POST /api/v1/anonymise and the case API."""
    prefix = f"{field}: " if field else ""
    if not isinstance(names, (list, tuple)) or not all(isinstance(name, str) for name in names):
        raise Invalid(prefix + gettext("De namenlijst moet een lijst met namen zijn."))
    cleaned = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    if len(cleaned) > MAX_ROSTER_NAMES or any(len(name) > MAX_ROSTER_NAME_CHARS for name in cleaned):
        raise Invalid(
            prefix
            + gettext(
                "De namenlijst is te lang: maximaal %(names)s namen van elk maximaal %(chars)s tekens. "
                "Er is niets opgeslagen."
            )
            % {"names": MAX_ROSTER_NAMES, "chars": MAX_ROSTER_NAME_CHARS}
        )
    return cleaned


def parse_roster(roster: Sequence[str]) -> list[RosterName]:
    out = []
    for name in roster:
        if not isinstance(name, str) or not name.strip():
            continue
        parts = tuple(
            t.text.lower() for t in tokenize(name) if t.text.lower() not in INTERFIXES and len(t.text) > 1
        )
        if parts:
            out.append(RosterName(name.strip(), parts))
    return out


class RosterMatcher:
    """A roster ready to be matched against the words of one text: parsed once, each distinct word of the text
    judged once (a long text repeats its words), and the typos of a window's new words sought in one batch
    (rapidfuzz compares many words at once) among the parts whose length can reach the cutoff. Held for one
    text only, so what it remembers is bounded by the text."""

    def __init__(self, roster: Sequence[str]) -> None:
        self.targets = frozenset(p for n in parse_roster(roster) for p in n.parts)
        self.initials = frozenset(p[0].upper() for p in self.targets)
        self._by_length: dict[int, list[str]] = {}
        for part in sorted(self.targets):
            self._by_length.setdefault(len(part), []).append(part)
        self._reach: dict[int, list[str]] = {}
        self._verdicts: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.targets)

    def judge(self, words: Iterable[str]) -> None:
        """Decide at once for every word not judged yet: a window's words in one go."""
        fuzzy: dict[int, dict[str, list[str]]] = {}  # length -> lowered word -> the words as written
        for word in dict.fromkeys(words):
            if word in self._verdicts:
                continue
            low = stem(word).lower()
            exact = self._exact(low)
            if exact or len(low) < _FUZZY_MIN_LEN or not self._within_reach(len(low)):
                self._verdicts[word] = exact
            else:
                fuzzy.setdefault(len(low), {}).setdefault(low, []).append(word)
        for length, lows in fuzzy.items():
            scores = process.cdist(
                list(lows),
                self._within_reach(length),
                scorer=fuzz.ratio,
                score_cutoff=_FUZZY_CUTOFF,
                workers=1,
            )
            for written, hit in zip(lows.values(), scores.max(axis=1) >= _FUZZY_CUTOFF):
                self._verdicts.update(dict.fromkeys(written, bool(hit)))

    def matches(self, word: str) -> bool:
        """Whether ``word`` is one of the roster's name parts, possessive ("Anouks") or with a small typo."""
        if word not in self._verdicts:
            self.judge((word,))
        return self._verdicts[word]

    def _exact(self, low: str) -> bool:
        return low in self.targets or (low.endswith("s") and low[:-1] in self.targets)

    def _within_reach(self, length: int) -> list[str]:
        """The parts whose length allows a ratio at the cutoff: fuzz.ratio is at most 200·min/(a+b) for lengths a, b."""
        if length not in self._reach:
            self._reach[length] = [
                part
                for size, parts in self._by_length.items()
                if 200 * min(size, length) / (size + length) >= _FUZZY_CUTOFF
                for part in parts
            ]
        return self._reach[length]


def roster_candidates(
    text: str, tokens: list[Token], roster: RosterMatcher, lexicon: Lexicon
) -> list[Candidate]:
    if not roster:
        return []
    initials = roster.initials
    roster.judge(tok.text for tok in tokens if len(tok.text) >= 2)
    out: list[Candidate] = []
    for idx, tok in enumerate(tokens):
        word = tok.text
        if len(word) < 2:
            continue
        if not roster.matches(word):
            continue
        if word.islower() and lexicon.is_dutch_word(stem(word)):
            continue  # "bij de bakker": the word, not mevrouw Bakker
        start = tok.start
        # take preceding interfixes and initials along: "A. de Vries"
        k = idx - 1
        while k >= 0:
            prev = tokens[k]
            gap = text[prev.end : tokens[k + 1].start]
            if (
                prev.text.lower() in INTERFIXES
                and gap == " "
                and not prev.dot
                or len(prev.text) == 1
                and prev.text in initials
                and prev.dot
                and gap in {". ", "."}
            ):
                start = prev.start
            else:
                break
            k -= 1
        out.append(Candidate(start, tok.end, "PERSON", P_ROSTER))
    return out
