"""Matching the names on a case roster (held in memory only) in every form they appear.

A roster name "Anouk de Vries" is matched as the full name, first name, surname (with or
without its interfix), initials ("A. de Vries"), possessive ("Anouks"), lowercase, and with
small typos (rapidfuzz). A lowercase mention that is also an ordinary Dutch word ("bakker"
mid-sentence) is left alone: it is far more likely the word than the name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from casebook.anonymise.lexicon import INTERFIXES, Lexicon
from casebook.anonymise.models import MAX_ROSTER_NAME_CHARS, MAX_ROSTER_NAMES
from casebook.anonymise.names import Token, stem, tokenize
from casebook.anonymise.spans import Candidate
from casebook.errors import Invalid

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
        raise Invalid(f"{prefix}De namenlijst moet een lijst met namen zijn.")
    cleaned = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    if len(cleaned) > MAX_ROSTER_NAMES or any(len(name) > MAX_ROSTER_NAME_CHARS for name in cleaned):
        raise Invalid(f"{prefix}De namenlijst is te lang: maximaal {MAX_ROSTER_NAMES} namen van elk maximaal "
                      f"{MAX_ROSTER_NAME_CHARS} tekens. Er is niets opgeslagen.")
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


def _matches(word: str, targets: list[str]) -> bool:
    low = stem(word).lower()
    if low in targets or (low.endswith("s") and low[:-1] in targets):
        return True
    if len(low) >= _FUZZY_MIN_LEN:
        return process.extractOne(low, targets, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF) is not None
    return False


def roster_candidates(text: str, tokens: list[Token], roster: Sequence[str], lexicon: Lexicon) -> list[Candidate]:
    names = parse_roster(roster)
    if not names:
        return []
    targets = sorted({p for n in names for p in n.parts})
    initials = {p[0].upper() for p in targets}
    out: list[Candidate] = []
    for idx, tok in enumerate(tokens):
        word = tok.text
        if len(word) < 2:
            continue
        if not _matches(word, targets):
            continue
        if word.islower() and lexicon.is_dutch_word(stem(word)):
            continue  # "bij de bakker": the word, not mevrouw Bakker
        start = tok.start
        # take preceding interfixes and initials along: "A. de Vries"
        k = idx - 1
        while k >= 0:
            prev = tokens[k]
            gap = text[prev.end : tokens[k + 1].start]
            if prev.text.lower() in INTERFIXES and gap == " " and not prev.dot or len(prev.text) == 1 and prev.text in initials and prev.dot and gap in {". ", "."}:
                start = prev.start
            else:
                break
            k -= 1
        out.append(Candidate(start, tok.end, "PERSON", P_ROSTER))
    return out
