"""Person-name detection.

Four complementary signals, because no single one is enough for case notes:

1. deduce's name annotators (first/surname lookups, initials, titles) - good recall on
   ordinary capitalised names;
2. cue words: titles (mevrouw, de heer, fam.) and roles (zoon, wijkcoach, moeder) followed by
   a capitalised word catch names no lookup list has (Filmon Tekle, Semhar Tesfay);
3. propagation: once a name is found, every other mention of the same name in the text is
   masked too ("Evi" after "mevrouw Evi Brouwer"), with lowercase mentions only when the
   word is not also an ordinary Dutch word (de Wit / wit, Storm / storm);
4. informal chat: lowercase first names ("ilse zegt dat...") from the first-name list.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from casebook.anonymise.engine import DEDUCE_BUDGET_SECONDS
from casebook.anonymise.lexicon import (
    CHAT_STOPWORDS,
    INSTITUTION_TYPES,
    INTERFIXES,
    NEVER_NAMES,
    ROLE_CUES,
    TITLES,
    Lexicon,
)
from casebook.anonymise.spans import Candidate
from casebook.anonymise.tagger.model import get_tagger

P_PERSON_CUE, P_PERSON_DEDUCE, P_PERSON_WEAK = 52, 45, 40

TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*\.?")
#: White space is bounded: from every line end an unbounded run was rescanned to the next letter.
_SENTENCE_START_RE = re.compile(
    r"(?:^|(?<=[^\W\d_]{3})[.!?]\s{1,40}|(?<=\d)[.!?]\s{1,40}|\?\s{1,40}|\n\s{0,40})([^\W\d_])"
)
_ABBREVIATIONS = {
    "geb",
    "ca",
    "bijv",
    "evt",
    "resp",
    "incl",
    "excl",
    "zgn",
    "mevr",
    "fam",
    "tel",
    "nr",
    "enz",
    "etc",
}
#: Words after which a lowercase chat word is read as a name ("moeder van nordin").
_CHAT_NAME_BEFORE = {
    "van",
    "met",
    "bij",
    "aan",
    "voor",
    "door",
    "naar",
    "en",
    "of",
    "zegt",
    "belde",
    "dat",
    "omdat",
    "als",
    "want",
    "bel",
    "bellen",
    "mail",
    "mailen",
    "gebeld",
    "gemaild",
    "gesproken",
    "vraag",
    "vroeg",
}
#: Words after which an unknown capitalised word is read as a name ("gesprek met Semhar").
_NAME_BEFORE = {"met", "van", "voor", "bij", "aan", "door", "en", "zegt", "belde"}
_ORG_ENDINGS = (
    "bank",
    "dienst",
    "werk",
    "zorg",
    "huis",
    "centrum",
    "school",
    "raad",
    "fonds",
    "loket",
    "team",
    "bureau",
    "punt",
    "groep",
    "kantoor",
    "instituut",
    "college",
    "wet",
    "regeling",
    "verband",
    "net",
    "land",
    "stad",
    "dorp",
    "wijk",
    "straat",
    "weg",
    "laan",
    "plein",
    "ing",
    "heid",
    "schap",
    "isch",
)


def _org_compound(low: str) -> bool:
    """A compound ending in an organisation word ("wijkraad", "voedselbank"); the word alone is not one
    ("Raad", "Bank" and "Huis" are surnames too)."""
    return any(low.endswith(ending) and len(low) > len(ending) for ending in _ORG_ENDINGS)


_FIRST_GAP_RE = re.compile(r"\s{0,2}[,:(]?\s{0,2}")
_NAME_GAP_RE = re.compile(r" |\u00a0")
_NOT_ALONE_INTERFIXES = {"in", "op", "uit", "te", "al", "la", "le", "lo", "di", "da", "du"}
_CAPITALISED_INTERFIXES = {
    "De",
    "Den",
    "Der",
    "Van",
    "Ter",
    "Ten",
    "Te",
    "El",
    "Al",
    "Ait",
    "Oude",
    "Ben",
    "Abu",
    "La",
    "Le",
}
#: Name particles that join the parts of one name ("Ben de Groot", "Omar Al Khatib", "Mohamed Ben Ali").
NAME_PARTICLES = INTERFIXES | {
    "ibn",
    "bint",
    "ould",
    "das",
    "della",
    "dei",
    "des",
    "vd",
    "vander",
    "vanden",
    "t",
}
#: After these (lowercase) particles an unknown word is often an organisation ("Jansen van Cordaan"):
#: only a known name continues the person there.
_WEAK_PARTICLES = {"van", "in", "op", "uit", "te", "het", "t"}
#: Gaps inside one name: a space, a hyphen, an apostrophe before 't ("van 't Hof").
_INNER_GAP_RE = re.compile(r"[ \u00a0]|-|[ \u00a0]['’]")
#: Names written with an inner capital: McDonald, MacLeod, DeShawn, LaToya, O'Neill-McCarthy.
_NAME_CAMEL_RE = re.compile(
    r"(?:(?:Mc|Mac|Fitz|De|Di|Da|Du|La|Le|O['’]|D['’])?[^\W\d_][^\W\d_A-Z]+)(?:-(?:Mc|Mac|O['’]|D['’])?[^\W\d_][^\W\d_A-Z]+)*"
)
_INSTITUTION_TYPE_WORDS = frozenset(t.lower() for t in INSTITUTION_TYPES)


class Token(NamedTuple):  # a tuple, not a dataclass: a long text makes tens of thousands of them
    start: int
    end: int  # without a trailing '.'
    text: str
    dot: bool  # followed directly by '.'


def tokenize(text: str) -> list[Token]:
    out = []
    for m in TOKEN_RE.finditer(text):
        word = m.group(0)
        dot = word.endswith(".")
        if dot:
            word = word[:-1]
        out.append(Token(m.start(), m.start() + len(word), word, dot))
    return out


@lru_cache(maxsize=65_536)  # spans are short and repeat: a long text names the same people again and again
def span_tokens(span: str) -> tuple[Token, ...]:
    """The tokens of a short span (a name candidate), remembered: tokenizing is the costly part."""
    return tuple(tokenize(span))


def is_informal(text: str) -> bool:
    """Chat-style text: some sentence starts lowercase (or it addresses someone with @)."""
    stripped = text.lstrip()
    if stripped.startswith("@"):
        return True
    for m in _SENTENCE_START_RE.finditer(text):
        if not m.group(1).islower():
            continue
        before = _text_before(text, m.start(1))
        prev_word = re.search(r"([^\W\d_]+)\.$", before)
        if prev_word and prev_word.group(1).lower() in _ABBREVIATIONS:
            continue
        return True
    return False


#: How far back a word's left context is read: enough for a word and its gap, and a fixed amount, so
#: looking left of every word costs the same in a long text as in a short one.
_LEFT_CONTEXT = 80


def _text_before(text: str, index: int) -> str:
    """The text just left of ``index``, without trailing white space (empty after a long blank gap)."""
    return text[max(0, index - _LEFT_CONTEXT) : index].rstrip()


def _sentence_initial(text: str, start: int) -> bool:
    before = _text_before(text, start)
    return not before or before[-1] in ".!?\n:;\"'‘“(-•*"


def stem(word: str) -> str:
    """Drop a possessive: Anouks -> Anouk, Daan's -> Daan."""
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65_536)  # a pure function of the word; case texts repeat their words
def _is_camel_or_acronym(word: str) -> bool:
    parts = re.split(r"[-'’]", word)
    if word.isupper() and len(word) > 1:
        return True
    return any(any(ch.isupper() for ch in p[1:]) for p in parts if p)


#: Titles that are abbreviations: only these take a dot ("mevr. Jansen"); after "familie." or
#: "gezin." the dot ends the sentence and the next capitalised word is no name ("...familie. Er loopt").
_ARTICLES = {
    "de",
    "het",
    "een",
    "deze",
    "dit",
    "onze",
    "ons",
    "zijn",
    "haar",
    "hun",
    "mijn",
    "uw",
    "elke",
    "ieder",
    "iedere",
    "geen",
}
_ABBREVIATED_TITLES = {"mevr", "mw", "mvr", "mej", "dhr", "mr", "dr", "drs", "ir", "ing", "prof", "fam", "hr"}


def _is_word_compound(word: str) -> bool:
    """ "V-nummer", "E-mailadres", "X-jes": a hyphenated word with a letter or ordinary lowercase part.

    Names keep their parts capitalised ("Al-Khatib", "Jean-Pierre") or use an interfix ("Jansen-de")."""
    if "-" not in word:
        return False
    parts = word.split("-")
    if len(parts[0]) == 1:
        return True
    return any(p and p[0].islower() and p not in INTERFIXES for p in parts[1:])


def _is_initial(word: str) -> bool:
    return (
        1 <= len(word) <= 2 and word[0].isupper() and word.isalpha() and (len(word) == 1 or word[1].islower())
    )


class NameFinder:
    """Used for one text; holds the lexicon, the optional deduce engine and what it learnt of the text's spans."""

    def __init__(self, lexicon: Lexicon, engine=None, deduce_seconds: float = DEDUCE_BUDGET_SECONDS) -> None:
        self.lex = lexicon
        self.engine = engine
        self.deduce_seconds = deduce_seconds
        self._evidence: dict[str, tuple[bool | None, list[str]]] = {}
        self._word_kinds: dict[str, str | None] = {}

    # -- word tests ---------------------------------------------------------------------
    def capitalised_name(self, word: str, *, strict: bool) -> bool:
        """A capitalised word that can be a name; ``strict`` also rejects ordinary words."""
        if not word or not word[0].isupper() or word.lower() in NEVER_NAMES:
            return False
        if _is_camel_or_acronym(word) or _is_word_compound(word) or self.lex.is_stop_word(word):
            return False
        return not (strict and self.lex.is_common_word(word) and not self.lex.is_known_name(word))

    def _first_name_only(self, word: str) -> bool:
        low = stem(word).lower()
        return low in self.lex.first_names and low not in self.lex.surnames

    def lowercase_name(self, word: str) -> bool:
        """A lowercase word that is a name and not also an ordinary Dutch word."""
        low = word.lower()
        if not word.islower() or len(word) < 3 or low in CHAT_STOPWORDS:
            return False
        if self.lex.is_common_word(low) or low in INTERFIXES:
            return False
        return self.lex.is_known_name(stem(low)) or self.lex.is_known_name(low)

    # -- cue-based ----------------------------------------------------------------------
    def _parse_name(
        self, text: str, tokens: list[Token], i: int, prev_end: int, *, allow_lower: bool, strict: bool
    ) -> tuple[int, int] | None:
        start = end = None
        names = 0
        j = i
        while j < len(tokens) and names < 4:
            tok = tokens[j]
            gap = text[prev_end : tok.start]
            if start is None:
                if not _FIRST_GAP_RE.fullmatch(gap):
                    break
            elif not _NAME_GAP_RE.fullmatch(gap) and not (gap == "" and text[prev_end - 1 : prev_end] == "."):
                break
            word = tok.text
            if _is_initial(word) and tok.dot and names == 0:
                start = tok.start if start is None else start
                end = prev_end = tok.end + 1
                j += 1
                continue
            nxt = tokens[j + 1] if j + 1 < len(tokens) else None
            if (
                strict
                and start is None
                and word == "van"
                and nxt is not None
                and self._first_name_only(nxt.text)
            ):
                prev_end = tok.end  # "vader van Yara": Yara's father, the "van" is no part of the name
                j += 1
                continue
            if (
                (word in INTERFIXES or word in _CAPITALISED_INTERFIXES)
                and word not in _NOT_ALONE_INTERFIXES
                and nxt is not None
                and not tok.dot
                and (nxt.text[:1].isupper() or nxt.text in INTERFIXES)
            ):  # "zoon Ben komt": a name
                start = tok.start if start is None else start
                prev_end = tok.end
                j += 1
                continue
            if names and word.lower() in _INSTITUTION_TYPE_WORDS:
                break
            if names and word.lower() in self.lex.places and not self.lex.is_known_name(word):
                break  # "familie Jansen Hengelo": the town is no part of the name  # "mevrouw Bakker Thuiszorg": the care organisation, not her name
            if strict and names == 0 and word.lower() in self.lex.places and not self.lex.is_known_name(word):
                break
            if self.capitalised_name(word, strict=strict and names == 0) or (
                allow_lower and names == 0 and self.lowercase_name(word)
            ):
                start = tok.start if start is None else start
                end = prev_end = tok.end
                names += 1
                j += 1
                continue
            break
        if names == 0 or start is None or end is None:
            return None
        return start, end

    def cue_names(self, text: str, tokens: list[Token], informal: bool) -> list[tuple[int, int]]:
        spans = []
        for i, tok in enumerate(tokens[:-1]):
            low = tok.text.lower()
            if low in TITLES:
                if tok.dot and low not in _ABBREVIATED_TITLES:
                    continue  # "...naar familie. Er loopt": the dot ends the sentence
                prev_end = tok.end + (1 if tok.dot else 0)
                span = self._parse_name(text, tokens, i + 1, prev_end, allow_lower=informal, strict=False)
            elif low in ROLE_CUES:
                if tok.dot and low not in {"t.n.v", "tnv"}:
                    continue
                prev_end = tok.end + (1 if tok.dot else 0)
                span = self._parse_name(text, tokens, i + 1, prev_end, allow_lower=informal, strict=True)
            else:
                continue
            if span:
                spans.append(span)
        # "@femke": whoever is addressed is a person
        for m in re.finditer(r"(?<!\w)@([^\W\d_]{2,})(?![\w@.])", text):
            spans.append((m.start(1), m.end(1)))
        return spans

    # -- deduce -------------------------------------------------------------------------
    def deduce_names(self, text: str, tokens: list[Token]) -> list[tuple[int, int]]:
        if self.engine is None:
            return []
        spans, read_until = self.engine.person_spans(text, self.deduce_seconds)
        out = self._known_names_after(tokens, read_until)
        for start, end in spans:
            # titles stay outside the span: "mevrouw [El Amrani]"; so does an ordinary word that
            # starts the sentence ("Volgens [Henk Jan Mulder]", "Via [Sanne Visser]")
            base = start
            for tok in span_tokens(text[base:end]):
                low = tok.text.lower()
                if (
                    low in TITLES
                    or (low == "de" and text.startswith(" heer", base + tok.end))
                    or self._ordinary_sentence_start(text, base + tok.start, tok)
                ):
                    start = base + tok.end + (1 if tok.dot else 0)
                    while start < end and text[start].isspace():
                        start += 1
                else:
                    break
            # ... and a town or domain word at its end ("[Yusuf Demir] Oldenzaal")
            inner = list(span_tokens(text[start:end]))
            while len(inner) > 1 and (
                inner[-1].text.lower() in NEVER_NAMES
                or (inner[-1].text.lower() in self.lex.places and not self.lex.is_known_name(inner[-1].text))
            ):
                inner.pop()
                end = start + inner[-1].end + (1 if inner[-1].dot and _is_initial(inner[-1].text) else 0)
            words = [t.text for t in span_tokens(text[start:end])]
            if not words or all(w.lower() in NEVER_NAMES or w.lower() in TITLES for w in words):
                continue
            if all(w.islower() for w in words):
                continue
            out.append((start, end))
        return out

    def _known_names_after(self, tokens: list[Token], offset: int) -> list[tuple[int, int]]:
        """Where deduce ran out of time: every capitalised word that is a known first name or surname
        (deduce's own lists), without its context rules. Cruder, but nothing is left unread."""
        first = bisect_left(tokens, offset, key=lambda t: t.start)
        return [
            (t.start, t.end)
            for t in tokens[first:]
            if t.text[:1].isupper() and self.lex.is_known_name(t.text)
        ]

    def _ordinary_sentence_start(self, text: str, pos: int, tok: Token) -> bool:
        """An ordinary word (no name, no particle) starting a sentence: "Volgens", "Via", "Overdracht"."""
        low = tok.text.lower()
        if low in INTERFIXES or low in NAME_PARTICLES or not _sentence_initial(text, pos):
            return False
        if low in ROLE_CUES or low in NEVER_NAMES or self.lex.is_stop_word(low):
            return True
        return (
            self.lex.is_common_word(low) and not self.lex.is_known_name(low)
        ) or get_tagger().featurizer.dutch_word(low)

    # -- heuristics -----------------------------------------------------------------------
    def chat_names(self, text: str, tokens: list[Token]) -> list[tuple[int, int]]:
        """Lowercase first names in chat, only in name-like positions.

        The first-name list contains many ordinary words, so position decides: at the start
        of a sentence, after "van/met/bij/..." or "(", or right before "?", "," or ")".
        """
        out = []
        for i, t in enumerate(tokens):
            if not self.lowercase_name(t.text):
                continue
            before = _text_before(text, t.start)
            prev = tokens[i - 1].text.lower() if i > 0 else ""
            after = text[t.end : t.end + 1]
            if (
                _sentence_initial(text, t.start)
                or before.endswith("(")
                or (prev in _CHAT_NAME_BEFORE and before.endswith(tokens[i - 1].text))
                or after in {"?", ",", ")", ":"}
            ):
                out.append((t.start, t.end))
        return out

    def unknown_capitalised_names(self, text: str, tokens: list[Token]) -> list[tuple[int, int]]:
        """Capitalised words mid-sentence that are known names, or unknown words after "met/van".

        Names of people new to the Netherlands are in no Dutch list; in name position
        ("gesprek met Semhar") an otherwise unknown capitalised word is most likely a name.
        """
        out = []
        for i, t in enumerate(tokens):
            kind = self._capitalised_kind(t.text)
            if kind is None or _sentence_initial(text, t.start):
                continue
            if kind == "known":
                out.append((t.start, t.end))
                continue
            w = t.text
            prev = tokens[i - 1].text.lower() if i > 0 else ""
            if prev in _NAME_BEFORE and text[tokens[i - 1].end : t.start] == " " and "-" not in w:
                out.append((t.start, t.end))
        return out

    def _capitalised_kind(self, word: str) -> str | None:
        """ "known" (a listed name), "unknown" (could be a name nobody listed) or None (no name), per word:
        remembered for this text, which repeats its words."""
        if word not in self._word_kinds:
            low = word.lower()
            if (
                not self.capitalised_name(word, strict=True)
                or low in self.lex.places
                or low in INTERFIXES
                or _org_compound(low)
            ):
                self._word_kinds[word] = None
            else:
                self._word_kinds[word] = "known" if self.lex.is_known_name(word) else "unknown"
        return self._word_kinds[word]

    def possessive_names(self, tokens: list[Token]) -> list[tuple[int, int]]:
        out = []
        for t in tokens:
            w = t.text
            if len(w) > 3 and w.endswith("s") and w[0].isupper() and not self.lex.is_dutch_word(w):
                base = w[:-1]
                if base.lower() in self.lex.first_names and self.capitalised_name(base, strict=True):
                    out.append((t.start, t.end))
        return out

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Candidate]:
        tokens = tokenize(text) if tokens is None else tokens
        informal = is_informal(text)
        cands = [Candidate(s, e, "PERSON", P_PERSON_CUE) for s, e in self.cue_names(text, tokens, informal)]
        cands += [Candidate(s, e, "PERSON", P_PERSON_DEDUCE) for s, e in self.deduce_names(text, tokens)]
        cands += [Candidate(s, e, "PERSON", P_PERSON_WEAK) for s, e in self.possessive_names(tokens)]
        cands += [
            Candidate(s, e, "PERSON", P_PERSON_WEAK - 2)
            for s, e in self.unknown_capitalised_names(text, tokens)
        ]
        if informal:
            cands += [Candidate(s, e, "PERSON", P_PERSON_WEAK) for s, e in self.chat_names(text, tokens)]
        return [
            c for c in cands if c.priority >= P_PERSON_CUE or self.has_name_evidence(text, c.start, c.end)
        ]

    def has_name_evidence(self, text: str, start: int, end: int) -> bool:
        """Whether a span found without a cue word can be a name on its own.

        Lookups and position alone are weak: "Pas aan het eind", "Bank vragen...", "Maatje voor de
        start", "Zilveren Kruis". A span made only of ordinary Dutch words is no name unless it has
        an initial ("J. Bakker"); a title or role before it is the cue detector's job (higher priority).
        """
        verdict, words = self._span_evidence(text[start:end])
        if verdict is not None:
            return verdict
        # Only ordinary words. At a sentence start (or in a heading) the capital says nothing: no name.
        # Mid-sentence the capital is evidence ("'voor Roos', zei hij"), unless an article precedes
        # ("de Kamer", "het Maatje") or a word is no name at all ("Zilveren Kruis").
        if _sentence_initial(text, start):
            return False
        before = re.search(r"([^\W\d_]+)\s+$", text[max(0, start - 20) : start])
        if before and before.group(1).lower() in _ARTICLES:
            return False
        return all(self.lex.is_known_name(w) for w in words)

    def _span_evidence(self, span: str) -> tuple[bool | None, list[str]]:
        """What the words of a span say on their own (None: only ordinary words, position decides).
        Remembered per span text for this finder: a long text repeats its names."""
        if span not in self._evidence:
            toks = span_tokens(span)
            words = [stem(t.text) for t in toks if t.text.lower() not in INTERFIXES]
            if any(_is_initial(t.text) and t.dot for t in toks):
                verdict = True
            elif not words or any(self.lex.is_stop_word(w) or _is_word_compound(w) for w in words):
                verdict = False
            elif not all(self.lex.is_common_word(w) or get_tagger().featurizer.dutch_word(w) for w in words):
                verdict = True
            else:
                verdict = None
            self._evidence[span] = (verdict, words)
        return self._evidence[span]

    # -- span completion ------------------------------------------------------------------
    def _name_part(self, text: str, tok: Token, *, after_particle: bool = False) -> bool:
        """A capitalised word that can continue a name found next to it ("Ben [de Groot]", "Omar [Al Khatib]").

        Known first names and surnames qualify, and unknown words that are no ordinary Dutch word;
        never titles, roles, law or public-body words, institution types or towns, nor a function
        word at a sentence start ("Wil [Jansen] bellen?"). After a particle an ordinary or function
        word is a surname too ("Anne van 't Zand", "Joost ter Haar")."""
        word = stem(tok.text)
        if not word[:1].isupper():
            return False
        low = word.lower()
        if low in NEVER_NAMES or low in TITLES or low in ROLE_CUES or low in _INSTITUTION_TYPE_WORDS:
            return False
        if _is_word_compound(word) or (_is_camel_or_acronym(word) and not _NAME_CAMEL_RE.fullmatch(word)):
            return False
        known = self.lex.is_known_name(word)
        if low in self.lex.stop_words and (
            _sentence_initial(text, tok.start) or not (low in self.lex.first_names or after_particle)
        ):
            return False
        if low in self.lex.places and not (known or after_particle):  # "van Zwolle", "van 't Zand"
            return False
        if known or after_particle:  # "van 't Zand", "de Wit": a surname after a particle
            return True
        # "Programmamanager [Els Wijnberg]": a Dutch word no list holds as a name stays outside
        return (
            not self.lex.is_common_word(word)
            and not _org_compound(low)
            and not get_tagger().featurizer.dutch_word(low)
        )

    def complete(
        self, text: str, tokens: list[Token], chosen: list[Candidate], occupied: bytearray
    ) -> list[Candidate]:
        """Grow every person span over directly adjacent name material, so no part of a name leaks.

        "Gesprek met Ben [de Groot]" -> "[Ben de Groot]"; "[Omar] Al Khatib" -> "[Omar Al Khatib]";
        initials and particles between name parts come along ("W.J. de [Vries]"). A particle is only
        taken when a name part follows (or, leftwards, precedes) it: "moeder van [Yara]" stays.
        ``occupied`` marks characters no person span may take (other entities, placeholders,
        public bodies, companies)."""
        if not tokens or not any(c.label == "PERSON" for c in chosen):
            return chosen
        starts = [t.start for t in tokens]
        out = []
        for c in chosen:
            if c.label != "PERSON":
                out.append(c)
                continue
            start, end = c.start, c.end
            # a span that starts or ends inside a word takes the whole word ("O'[Connor-Brennan]")
            inner = bisect_right(starts, start) - 1
            if (
                inner >= 0
                and tokens[inner].start < start < tokens[inner].end
                and not any(occupied[tokens[inner].start : start])
            ):
                start = tokens[inner].start
            inner = bisect_left(starts, end) - 1
            if (
                inner >= 0
                and tokens[inner].start < end < tokens[inner].end
                and not any(occupied[end : tokens[inner].end])
            ):
                end = tokens[inner].end
            first = bisect_left(starts, start)
            last = bisect_left(starts, end) - 1
            if first > last:
                out.append(c)
                continue
            occupied[start:end] = b"\x01" * (end - start)
            start, end = (
                self._grow_left(text, tokens, first, start, occupied),
                self._grow_right(text, tokens, last, end, occupied),
            )
            if (start, end) != (c.start, c.end):
                occupied[start:end] = b"\x01" * (end - start)
                c = Candidate(start, end, "PERSON", c.priority)
            out.append(c)
        return out

    def _grow_right(self, text: str, tokens: list[Token], last: int, end: int, occupied: bytearray) -> int:
        # a span ending on particles ("[Pieter van 't] Zand") continues as if they were pending
        particles: list[str] = []
        k = last
        while k >= 0 and tokens[k].text.lower() in NAME_PARTICLES and not tokens[k].text[:1].isupper():
            particles.insert(0, tokens[k].text.lower())
            k -= 1
        cursor = end
        for k in range(last + 1, len(tokens)):  # by index: slicing copied the rest of a long text's tokens
            tok = tokens[k]
            if any(occupied[cursor : tok.end]) or not _INNER_GAP_RE.fullmatch(text[cursor : tok.start]):
                break
            low = tok.text.lower()
            if (
                low in NAME_PARTICLES
                and not tok.dot
                and not (particles and low == "t" and particles[-1] == "t")
            ):
                particles.append(low)
                cursor = tok.end
                continue
            # after a lone "van" an unknown word is often an organisation ("Jansen van Cordaan"), and
            # after "in", "uit", "op" a place ("Jansen uit Den Haag"): there only a known name follows;
            # after "de", "ter", "van 't", "Al" a surname follows, even one that is an ordinary word
            weak = bool(particles) and (particles[0] in _WEAK_PARTICLES - {"van"} or particles == ["van"])
            if weak and not self.lex.is_known_name(stem(tok.text)):
                break
            if not self._name_part(text, tok, after_particle=bool(particles) and not weak):
                break
            end = cursor = tok.end
            particles = []
        return end

    def _grow_left(self, text: str, tokens: list[Token], first: int, start: int, occupied: bytearray) -> int:
        cursor = start
        for k in range(first - 1, -1, -1):
            tok = tokens[k]
            gap = text[tok.end + (1 if tok.dot else 0) : cursor]
            if any(occupied[tok.start : cursor]):
                break
            if tok.dot and _is_initial(tok.text) and gap in {"", " "}:  # "W.J. [de Vries]"
                start = cursor = tok.start
                continue
            if tok.dot or not _INNER_GAP_RE.fullmatch(gap):
                break
            low = tok.text.lower()
            if self._name_part(text, tok):
                start = cursor = tok.start
                continue
            if low not in NAME_PARTICLES:
                break
            if (
                start == cursor
                and tok.text[0].isupper()
                and low not in _NOT_ALONE_INTERFIXES | {"van", "het", "t"}
            ):
                # "Al [Khatib]", "El [Idrissi]", "De [Groot]": a capitalised particle right before a name
                start = tok.start
            cursor = tok.start  # a lowercase particle only comes along with a name part before it
        return start

    # -- propagation --------------------------------------------------------------------
    def name_forms(self, text: str, spans: Iterable[tuple[int, int]]) -> set[str]:
        forms: set[str] = set()
        for s, e in spans:
            for tok in span_tokens(text[s:e]):
                w = stem(tok.text)
                if len(w) < 2 or (tok.dot and len(w) <= 2) or w.lower() in INTERFIXES or w.lower() in TITLES:
                    continue
                forms.add(w)
                if w.endswith("s") and w[:-1].lower() in self.lex.first_names:
                    forms.add(w[:-1])
        return forms

    def propagate(self, text: str, tokens: list[Token], forms: set[str]) -> list[Candidate]:
        """Every further mention of an already found name, in any casing that is safe."""
        if not forms:
            return []
        lower_forms = {f.lower() for f in forms}
        dutch = get_tagger().featurizer.dutch_word
        out = []
        for idx, tok in enumerate(tokens):
            w = tok.text
            base = stem(w)
            hit = False
            if w[0].isupper():
                hit = base in forms or (base.endswith("s") and base[:-1] in forms)
            elif w.islower() and (base in lower_forms or (base.endswith("s") and base[:-1] in lower_forms)):
                # "Tekorten" in a headline is no reason to mask every "tekorten" below it
                hit = not self.lex.is_common_word(base) and base not in CHAT_STOPWORDS and not dutch(base)
            if not hit:
                continue
            start = tok.start
            # "familie de Wit" -> "Meneer [de Wit]": take lowercase interfixes along
            k = idx - 1
            while (
                k >= 0
                and tokens[k].text in INTERFIXES
                and tokens[k].text.islower()
                and w[0].isupper()
                and text[tokens[k].end : tokens[k + 1].start] == " "
            ):
                start = tokens[k].start
                k -= 1
            out.append(Candidate(start, tok.end, "PERSON", P_PERSON_WEAK))
        return out
