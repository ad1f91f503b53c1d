"""Runs every detector over a text and resolves overlaps into a clean entity list.

Order of trust: checksum-backed and cue-backed patterns first, then institutions, then
person names; later passes only fill what earlier ones left. Placeholders already in the
text are never touched, so stored anonymised text passes through unchanged.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from casebook.anonymise import patterns
from casebook.anonymise.engine import DEDUCE_BUDGET_SECONDS, get_engine, text_windows
from casebook.anonymise.lexicon import ROLE_CUES, get_lexicon
from casebook.anonymise.models import PLACEHOLDER_STEMS
from casebook.anonymise.names import NAME_PARTICLES, P_PERSON_CUE, P_PERSON_WEAK, NameFinder, Token, tokenize
from casebook.anonymise.roster import RosterMatcher, roster_candidates
from casebook.anonymise.spans import Candidate, SpanIndex, bracketed_spans, resolve
from casebook.anonymise.tagger.features import fold
from casebook.anonymise.tagger.model import get_tagger
from casebook.anonymise.tagger.room import Room

logger = logging.getLogger(__name__)

_PATTERN_DETECTORS: tuple[Callable[[str], list[Candidate]], ...] = (
    patterns.find_emails,
    patterns.find_ibans,
    patterns.find_bsns,
    patterns.find_phones,
    patterns.find_dates_of_birth,
    patterns.find_ids,
    patterns.find_institutions,
)
#: What every window is read by first, whatever the budget: phone numbers by the regex alone (the library's full
#: parse per match is what makes a flood of digit runs slow); the careful reading adds the library's.
_FIRST_PASS_DETECTORS = tuple(
    partial(patterns.find_phones, library_matches=0) if fn is patterns.find_phones else fn
    for fn in _PATTERN_DETECTORS
)
#: Labels a public-body mention vetoes: judgement calls, never checksum- or pattern-backed ones.
_VETOED_BY_PUBLIC_BODY = frozenset({"PERSON", "INSTITUTION_NAME", "PLACE"})


_Found = TypeVar("_Found")  # what a detector finds: candidates or spans


def _safe(fn: Callable[..., list[_Found]], *args) -> list[_Found]:
    """One failing detector must not stop the others (the rest still protects the text)."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001
        # Type only: a traceback or message could quote the text being anonymised.
        logger.error("anonymise detector %s failed: %s", getattr(fn, "__name__", fn), type(exc).__name__)
        return []


_PARTICLES_ALT = "|".join(sorted((re.escape(p) for p in NAME_PARTICLES), key=len, reverse=True))
#: What may sit between two parts of one person's name: a space or hyphen, with particles ("Ben | de | Groot").
_PARTICLE_GAP_RE = re.compile(r"[ \u00a0-](?:(?:" + _PARTICLES_ALT + r")[ \u00a0])*", re.IGNORECASE)


def _merge_adjacent_persons(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """ "Anouk" + "de Vries", "Ben" + "Groot" in "Ben de Groot" found separately become one person span."""
    out: list[Candidate] = []
    for c in chosen:
        if out and out[-1].label == "PERSON" and c.label == "PERSON":
            gap = text[out[-1].end : c.start]
            if _PARTICLE_GAP_RE.fullmatch(gap):
                prev = out.pop()
                out.append(Candidate(prev.start, c.end, "PERSON", max(prev.priority, c.priority)))
                continue
        out.append(c)
    return out


def _complete_persons(
    finder: NameFinder, text: str, tokens, chosen: list[Candidate], no_go: list[tuple[int, int]]
) -> list[Candidate]:
    """Person spans grown over adjacent name parts; never into other entities or ``no_go`` spans."""
    occupied = bytearray(len(text) + 1)
    for s, e in no_go:
        occupied[s:e] = b"\x01" * (e - s)
    for c in chosen:
        occupied[c.start : c.end] = b"\x01" * (c.end - c.start)
    return finder.complete(text, tokens, chosen, occupied)


#: Bracketed texts that are not placeholders are read by the detectors one by one, up to this many per
#: text; a hostile text of thousands of them gets the rest masked outright.
MAX_BRACKETS_READ = 200
#: A bracketed identifier is masked whole, above whatever a detector finds inside it.
P_BRACKETED = 200


def _placeholders(text: str, lexicon) -> tuple[list[tuple[int, int]], list[Candidate]]:
    """Placeholders already in the text are left as they are; anything else written like one is read.

    Someone who types "[JAN-JANSEN]", "[PERSOON-JAN-JANSEN]" or "[BSN-111222333]" has written the
    identifier, not masked it: a bracket is only a placeholder when it has a placeholder's shape (words,
    at most a short number) and no word in it is a name. Other brackets are read by the detectors with
    hyphens as spaces, and masked whole when they hold an identifier."""
    kept, found = [], []
    read = 0
    for start, end, shaped in bracketed_spans(text):
        words = [w for w in text[start + 1 : end - 1].replace("_", "-").split("-") if w.isalpha()]
        if shaped and not _spells_a_name(words, lexicon):
            kept.append((start, end))
            continue
        read += 1
        label = (
            _bracket_label(text[start + 1 : end - 1], words, lexicon) if read <= MAX_BRACKETS_READ else "ID"
        )
        if label:
            found.append(Candidate(start, end, label, P_BRACKETED))
        else:
            kept.append((start, end))
    return kept, found


def _spells_a_name(words: list[str], lexicon) -> bool:
    """Whether a bracketed word is a name: a known first name or surname that is no placeholder word,
    role or ordinary Dutch word ([FATIMA] yes; [CLIENT], [MOEDER], [NEEF], [PERSOON] no)."""
    return any(
        w.lower() not in NAME_PARTICLES
        and lexicon.is_known_name(w)
        and not (
            w in PLACEHOLDER_STEMS.values() or w.lower() in ROLE_CUES or lexicon.is_common_word(w.lower())
        )
        for w in words
    )


def _bracket_label(inner: str, words: list[str], lexicon) -> str | None:
    """The label of the identifier a bracketed text holds, if any."""
    if _spells_a_name(words, lexicon):
        return "PERSON"
    spaced = inner.replace("-", " ").replace("_", " ")
    labels = [c.label for fn in _PATTERN_DETECTORS for c in _safe(fn, spaced)]
    return labels[0] if labels else None


def _drop_public_bodies(cands: list[Candidate], bodies: SpanIndex) -> list[Candidate]:
    """ "de Kamer van Koophandel", "bij het UWV": a name guess overlapping a public body goes. A person named
    by a title or role ("mevrouw Jansen-Raad") or on the roster stays, whatever body the words seem to form:
    a body's name is read from its words, a person there is evidence."""
    if not bodies:
        return cands
    return [
        c
        for c in cands
        if c.label not in _VETOED_BY_PUBLIC_BODY
        or (c.label == "PERSON" and c.priority >= P_PERSON_CUE)
        or not bodies.overlapping(c.start, c.end)
    ]


def _organisations_not_persons(cands: list[Candidate], orgs: SpanIndex) -> list[Candidate]:
    """ "werkt bij Albert Heijn": where a name guess hits a known company it is the company,
    masked as INSTITUTION_NAME (never as a person). A company nobody flagged stays as written."""
    if not orgs:
        return cands
    out, relabelled = [], set()
    for c in cands:
        hit = orgs.overlapping(c.start, c.end) if c.label == "PERSON" else None
        if hit is None:
            out.append(c)
        else:
            relabelled.add(hit)
    return out + [Candidate(s, e, "INSTITUTION_NAME", patterns.P_INSTITUTION) for s, e in sorted(relabelled)]


#: Texts longer than this are read window by window (cut at line or sentence ends), so the budget can hold.
WINDOW_CHARS = 10_000
#: CPU seconds of the calling thread one anonymise call may take, every stage included (issue 9: any text up to
#: the size limit in under 1 s; the margin is for hostile shapes nobody tried). Ordinary texts need a fraction.
BUDGET_SECONDS = 0.6
#: What the stages after the careful reading cost per character at most, measured on the slowest shapes of
#: bench/hostile_input.py: the coarse reading of names in a window no careful reading reached (its patterns are
#: read before), and the finishing of the whole text (names carried across windows, placeholders). The careful
#: reading of a window only starts while the budget holds what it costs (besides deduce, which keeps to the
#: time it is given) and these for the rest of the text.
COARSE_SECONDS_PER_CHAR = 1e-6
FINISHING_SECONDS_PER_CHAR = 2.5e-6
CAREFUL_SECONDS_PER_CHAR = 1e-5


class Budget:
    """The CPU time one anonymise call may still spend, shared by every stage of it.

    CPU time of the calling thread (``time.thread_time``), not wall time: it is what other users wait for
    through the GIL, and a busy machine must not change what gets masked. Nothing is skipped when it runs
    out: the careful reading of names gives way to the coarse one, which masks more, never less."""

    def __init__(self) -> None:
        self.deadline = time.thread_time() + BUDGET_SECONDS

    def left(self) -> float:
        return self.deadline - time.thread_time()


def _tagged(text: str, finder: NameFinder, room: Container[str]) -> list[Candidate]:
    """The tagger's spans; a person among them needs the evidence every guess without a cue word needs, and
    one written in lower case only in ordinary Dutch words ("woord", "bakker") is only a person when the room
    knows the name."""
    return [c for c in get_tagger().candidates(text, room) if _plausible(c, text, finder, room)]


def _plausible(c: Candidate, text: str, finder: NameFinder, room: Container[str]) -> bool:
    span = text[c.start : c.end]
    if c.label == "ADDRESS":
        return any(ch.isspace() for ch in span)  # a street and a house number, not one code ("CB-E8D0B099")
    if c.label == "PERSON":
        return finder.has_name_evidence(text, c.start, c.end) and not _ordinary_lowercase(span, finder, room)
    return True


def _ordinary_lowercase(span: str, finder: NameFinder, room: Container[str]) -> bool:
    words = span.split()
    return span.islower() and all(finder.lex.is_common_word(w) and fold(w) not in room for w in words)


def detect(
    text: str,
    roster: Sequence[str] = (),
    session_names: Container[str] = frozenset(),
    budget: Budget | None = None,
) -> list[Candidate]:
    """All identifier spans in ``text`` (sorted, non-overlapping, placeholders excluded).

    ``session_names``: name words masked earlier in the same case or session (see Pseudonyms.name_words).
    ``budget``: the calling anonymise call's (a new one of :data:`BUDGET_SECONDS` if not given).

    The text is read window by window in three passes. First what every reading masks, whatever the time:
    placeholders, patterns and checksums, public bodies (linear, and done before anything optional so the
    budget knows what is left). Then names: the careful reading of a window while the budget still holds it
    and what must follow, else the coarse one. Last, names found in one window are masked in every other."""
    if not text:
        return []
    budget = budget or Budget()
    lexicon = get_lexicon()
    matcher, room = RosterMatcher(roster), Room(roster, session_names)
    bounds = text_windows(text, WINDOW_CHARS)
    windows = [_read_patterns(text[start:end], lexicon) for start, end in bounds]
    found: list[Candidate] = []
    for (start, end), window in zip(bounds, windows):
        spare = (
            budget.left()
            - FINISHING_SECONDS_PER_CHAR * len(text)
            - COARSE_SECONDS_PER_CHAR * (len(text) - end)
        )
        deduce_seconds = spare - CAREFUL_SECONDS_PER_CHAR * (end - start)
        spans = (
            _read_carefully(window, matcher, room, deduce_seconds)
            if deduce_seconds > 0
            else _read_coarsely(window, matcher)
        )
        found += [Candidate(start + c.start, start + c.end, c.label, c.priority) for c in spans]
    return found if len(bounds) == 1 else _propagate_across_windows(text, found)


def _propagate_across_windows(text: str, found: list[Candidate]) -> list[Candidate]:
    """A name found in one window is masked wherever else it is mentioned ("Evi" three pages later)."""
    finder = NameFinder(get_lexicon())
    first_mentions = {text[c.start : c.end]: (c.start, c.end) for c in found if c.label == "PERSON"}
    forms = finder.name_forms(text, first_mentions.values())
    if not forms:
        return found
    taken = bytearray(len(text) + 1)
    for c in found:
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    # a word that touches a masked span cannot be masked again: past the budget that is most words, so they
    # are left out before the name forms are looked up
    free = [t for t in tokenize(text) if taken.find(1, t.start, t.end) == -1]
    more = [c for c in _safe(finder.propagate, text, free, forms) if taken.find(1, c.start, c.end) == -1]
    return sorted(found + more, key=lambda c: c.start)


@dataclass(slots=True)
class _Window:
    """What every reading of one window starts from: placeholders kept, the spans of bracketed identifiers
    and of every pattern (phone numbers by the regex), public bodies, companies, and the words."""

    text: str
    blocked: list[tuple[int, int]]
    structured: list[Candidate]
    bodies: SpanIndex
    orgs: SpanIndex
    tokens: list[Token]


def _read_patterns(text: str, lexicon) -> _Window:
    """The first pass over a window, done whatever the budget: linear, and the floor every reading keeps."""
    blocked, cands = _placeholders(text, lexicon)
    for fn in _FIRST_PASS_DETECTORS:
        cands += _safe(fn, text)
    cands += _safe(patterns.find_postcodes_and_places, text, lexicon)
    cands += _safe(patterns.find_addresses, text, lexicon)
    return _Window(
        text,
        blocked,
        cands,
        SpanIndex(_safe(patterns.public_body_spans, text, lexicon)),
        SpanIndex(_safe(patterns.national_organisation_spans, text)),
        tokenize(text),
    )


def _read_coarsely(window: _Window, roster: RosterMatcher) -> list[Candidate]:
    """The reading past the budget: every pattern, checksum and roster name as always, and every word
    that could be a name (capitalised and no ordinary word, or a listed name in lower case) masked without
    the context rules. It masks more than the careful reading, never less."""
    text, tokens = window.text, window.tokens
    lexicon = get_lexicon()
    finder = NameFinder(lexicon)
    cands = list(window.structured)
    could_be_a_name: dict[str, bool] = {}  # per word: a long text repeats its words
    for t in tokens:
        if t.text not in could_be_a_name:
            could_be_a_name[t.text] = len(t.text) > 1 and (
                finder.capitalised_name(t.text, strict=True) or finder.lowercase_name(t.text)
            )
        if could_be_a_name[t.text]:
            cands.append(Candidate(t.start, t.end, "PERSON", P_PERSON_WEAK))
    if roster:
        cands += _safe(roster_candidates, text, tokens, roster, lexicon)
    return resolve(
        _organisations_not_persons(_drop_public_bodies(cands, window.bodies), window.orgs),
        window.blocked,
        len(text),
    )


def _read_carefully(
    window: _Window, roster: RosterMatcher, room: Container[str], deduce_seconds: float
) -> list[Candidate]:
    """The careful reading of one text or window: phone numbers by the library too, names by deduce (for at
    most ``deduce_seconds``), the cue words, the tagger and the roster, grown to whole names and carried to
    every mention in the window."""
    text, tokens, bodies, orgs, blocked = (
        window.text,
        window.tokens,
        window.bodies,
        window.orgs,
        window.blocked,
    )
    lexicon = get_lexicon()
    finder = NameFinder(lexicon, get_engine(), deduce_seconds=min(deduce_seconds, DEDUCE_BUDGET_SECONDS))
    cands = list(window.structured)
    cands += _safe(patterns.find_phones, text)
    cands += _safe(finder.find, text, tokens)
    cands += _safe(_tagged, text, finder, room)
    if roster:
        cands += _safe(roster_candidates, text, tokens, roster, lexicon)
    cands = _organisations_not_persons(_drop_public_bodies(cands, bodies), orgs)

    no_go = blocked + bodies.spans + orgs.spans
    first = resolve(cands, blocked, len(text))
    if not any(c.label == "PERSON" for c in first):
        return first
    first = _safe_complete(finder, text, tokens, first, no_go)
    forms = finder.name_forms(text, [(c.start, c.end) for c in first if c.label == "PERSON"])
    cands = [c for c in first]
    cands += _organisations_not_persons(
        _drop_public_bodies(_safe(finder.propagate, text, tokens, forms), bodies), orgs
    )
    first = _safe_complete(finder, text, tokens, resolve(cands, blocked, len(text)), no_go)
    return _merge_adjacent_persons(text, first)


def _safe_complete(
    finder: NameFinder, text: str, tokens, chosen: list[Candidate], no_go: list[tuple[int, int]]
) -> list[Candidate]:
    """Completion is an extra: if it fails, the spans found so far still protect the text."""
    try:
        return _complete_persons(finder, text, tokens, chosen, no_go)
    except Exception as exc:  # noqa: BLE001
        logger.error("anonymise span completion failed: %s", type(exc).__name__)
        return chosen
