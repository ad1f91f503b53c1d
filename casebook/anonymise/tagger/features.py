"""What the tagger sees of a word: its shape, how common it is in Dutch, what the lists say, and
the words around it.

The features are deliberately about *kinds* of words, not about names: a rare word's identity is
never a feature (only its shape, length, suffix and list hits), so a name from an origin no list
holds looks like the names the tagger was trained on. Ordinary Dutch words (wordfreq Zipf >= 3) and
the cue words of the trade are features by identity: "met", "zegt", "volgens", "mevrouw", "zoon".
The room's names (the case roster, names already masked in the session) are a feature of their own,
so the same word typed in lowercase scores as a name too.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Container
from dataclasses import dataclass

from casebook.anonymise.lexicon import INTERFIXES, NEVER_NAMES, ROLE_CUES, TITLES, Lexicon

#: Words, initials ("J.", "P.J."), numbers and single punctuation marks. Every part is bounded or
#: separated by a fixed character, so matching is linear in the text.
TOKEN_RE = re.compile(
    r"(?:[^\W\d_]\.){1,6}(?![^\W\d_])|[^\W\d_]{1,60}(?:['’-][^\W\d_]{1,60}){0,6}|\d{1,12}|[^\w\s]"
)
#: From this Zipf frequency on, a word is common enough to be a feature by its identity.
IDENTITY_ZIPF = 3.0
#: From this Zipf frequency on, a lowercase word no list holds as a name is taken as an ordinary word.
PLAIN_ZIPF = 4.0
_STREET_SUFFIXES = (
    "straat",
    "laan",
    "weg",
    "plein",
    "singel",
    "gracht",
    "kade",
    "dijk",
    "pad",
    "steeg",
    "dreef",
    "hof",
    "park",
    "ring",
    "markt",
    "erf",
    "veld",
    "kamp",
    "brink",
    "akker",
    "hoeve",
    "weide",
    "baan",
    "wal",
    "haven",
    "dam",
    "burg",
    "oord",
    "zoom",
    "donk",
    "horst",
    "tuin",
    "dreef",
    "allee",
    "boulevard",
    "plantsoen",
)
#: Prefixes a Dutch compound may start with ("aan|zegging", "her|lezen", "weg|getrapt").
_PREFIXES = frozenset(
    {
        "aan",
        "af",
        "bij",
        "door",
        "her",
        "in",
        "mee",
        "na",
        "om",
        "onder",
        "op",
        "over",
        "toe",
        "uit",
        "ver",
        "weg",
        "be",
        "ge",
        "ont",
        "er",
        "terug",
        "voor",
        "tegen",
        "achter",
        "mis",
        "wan",
        "on",
    }
)
#: A three-letter word starts a compound only from this Zipf frequency on ("eet", "web"; not "sim", "mos").
_SHORT_PART_ZIPF = 4.5
_SENTENCE_END = {".", "!", "?", ":", ";", "\n", "(", "•", "-", "*"}
#: Words that join names in a list ("Anna en Raivo", "Kojo, Ama", "Ruud & Els").
_JOINERS = frozenset({"en", "of", ",", "&", "+", "/"})
_NAME_PARTICLES = frozenset(INTERFIXES) | {"van", "der", "den", "ter", "ten", "'t", "t", "ibn", "bin", "bint"}


def fold(word: str) -> str:
    """Lowercase without accents, as the room's name list is kept (Paweł/pawel count as one)."""
    if word.isascii():  # nothing to strip: most words, and a long text folds thousands of names
        return word.lower()
    word = unicodedata.normalize("NFKD", word.lower().replace("ł", "l"))
    return "".join(ch for ch in word if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class Tok:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Tok]:
    return [Tok(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]


def _shape(word: str) -> str:
    out: list[str] = []
    for ch in word[:12]:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out[:5])


def _case(word: str) -> str:
    """C (Capitalised), U (UPPER), l (lower), d (digits), p (punctuation)."""
    first = word[0]
    if first.isdigit():
        return "d"
    if not first.isalpha():
        return "p"
    if word.isupper() and len(word) > 1:
        return "U"
    return "C" if first.isupper() else "l"


def _zipf_bucket(z: float) -> str:
    return "0" if z <= 0 else str(min(7.0, math.floor(z * 2) / 2))


@dataclass(frozen=True, slots=True)
class Word:
    """A word on its own: its features, how its neighbours see it, its case, whether a name list
    holds it, and whether it is a plain frequent lowercase word (never scored, see ``model``)."""

    feats: tuple[str, ...]
    desc: str
    case: str
    known: bool
    plain: bool
    zipf: str = "0"  # the Zipf bucket
    ordinary: bool = (
        False  # an ordinary or frequent Dutch word (also when it is a name too: storm, zomer, lei)
    )
    compound: bool = False  # made of ordinary Dutch words, and in no name list
    frequent: bool = (
        False  # a frequent word (Zipf >= 3) in no Dutch name list (nor, unless a Dutch word, another)
    )
    first_name: bool = False  # in the first-name list
    surname: bool = False  # in the surname list
    named: bool = False  # in a name list: the Dutch ones or the names of many countries


class Featurizer:
    """Turns a token sequence into feature strings; per-word parts are computed once per process."""

    def __init__(
        self,
        lexicon: Lexicon,
        frequencies: dict[str, float],
        world_names: Collection[str] = (),
        trigrams: dict[str, float] | None = None,
    ) -> None:
        self.lex = lexicon
        self.freq = frequencies
        #: folded given names and surnames of many countries (see origins.world_names)
        self.world = frozenset(world_names)
        #: per letter trigram: log(P(trigram | names) / P(trigram | Dutch words)), see :func:`trigram_ratios`
        self.trigrams = trigrams or {}
        self._static: dict[str, Word] = {}
        self._cues = frozenset(TITLES | ROLE_CUES | NEVER_NAMES | _NAME_PARTICLES)

    def zipf(self, low: str) -> float:
        f = self.freq.get(low)
        return math.log10(f) + 9 if f else 0.0

    def compound(self, low: str, depth: int = 2, *, first: bool = True) -> bool:
        """A word made of ordinary Dutch words ("telefoon|notitie", "gezin|s|begeleiding",
        "vrije|tijd|s|activiteit", "aan|zegging"): Dutch writes new words this way, and a name no list holds
        rarely is one. Parts are real words, not fragments: a compound starts with a prefix or a word of three
        letters or more and ends on a word of four or more (two-letter pieces split any name: "so|yin|ka")."""
        for i in range(2, len(low) - 3):
            head, tail = low[:i], low[i:]
            if self._part(head, first) and (
                self.zipf(tail) >= IDENTITY_ZIPF
                or (depth > 0 and len(tail) >= 5 and self.compound(tail, depth - 1, first=False))
            ):
                return True
        return False

    def _part(self, head: str, first: bool) -> bool:
        """A word that can start a compound, with its linking s or e ("gezins", "mantelzorg"); a three-letter
        word only when it is very common ("eet|patroon"), a shorter one only as a prefix ("her|lezen")."""
        if first and head in _PREFIXES:
            return True
        zipf = self.zipf
        if len(head) < 3 or (len(head) == 3 and zipf(head) < _SHORT_PART_ZIPF):
            return False
        return zipf(head) >= IDENTITY_ZIPF or (
            head[-1] in "se" and len(head) > 4 and zipf(head[:-1]) >= IDENTITY_ZIPF
        )

    def name_likeness(self, low: str) -> str:
        """How much more a word's letters look like a name than like a Dutch word, as a bucket: the mean of
        its trigrams' log ratios ("raivo", "omolabake" high; "bemoeienis", "dossiernr" low). Spelling carries
        to names of origins no list holds, where the word's identity says nothing."""
        padded = f"^{fold(low)}$"
        grams = [self.trigrams.get(padded[i : i + 3], 0.0) for i in range(len(padded) - 2)]
        score = sum(grams) / len(grams)
        return str(max(-3.0, min(3.0, math.floor(score * 2) / 2)))

    def word(self, word: str) -> Word:
        """What the tagger sees of ``word`` on its own (computed once per word and process)."""
        hit = self._static.get(word)
        if hit is not None:
            return hit
        low = word.lower()
        case = _case(word)
        if case in "dp":
            desc = ("D4" if len(word) == 4 else "D") if case == "d" else word
            result = Word(("sh=" + desc,), desc, case, False, False)
        else:
            result = self._alpha_word(word, low, case)
        if len(self._static) < 500_000:  # bounded: a hostile text of unique words stays within memory
            self._static[word] = result
        return result

    def _alpha_word(self, word: str, low: str, case: str) -> Word:
        z = self.zipf(low)
        zb = _zipf_bucket(z)
        lex = self.lex
        known = low in lex.first_names or low in lex.surnames
        world = not known and fold(low) in self.world
        ident = z >= IDENTITY_ZIPF or low in self._cues
        f = [
            "sh=" + _shape(word),
            "z=" + zb,
            "cz=" + case + zb,
            "w=" + (low if ident else "?"),
            "len=" + str(min(len(word), 10)),
        ]
        if len(low) >= 4 and not ident:
            f += ["s3=" + low[-3:], "s2=" + low[-2:], "p2=" + low[:2]]
            if self.trigrams:
                f.append("nl=" + self.name_likeness(low) + "|" + case)
            if self._dutch_head(low):
                f.append("dutch-head|" + case)
        if low in lex.first_names:
            f.append("fn|" + case)
        if low in lex.surnames:
            f.append("sn|" + case)
        if low in lex.places:
            f.append("place|" + case)
        if world:
            f.append("world|" + case)
        if lex.is_common_word(low):
            f.append("common|" + case)
        if low in lex.stop_words:
            f.append("stop")
        if low in NEVER_NAMES:
            f.append("never")
        if low in TITLES:
            f.append("title")
        if low in ROLE_CUES:
            f.append("role")
        if low in _NAME_PARTICLES:
            f.append("particle|" + case)
        parts = low.split("-")
        street = any(p.endswith(_STREET_SUFFIXES) for p in parts)
        if street:
            f.append("street|" + case)
        if len(parts) > 1:
            f.append("hyphen|" + case)
            if any(self.zipf(p) >= IDENTITY_ZIPF or p in NEVER_NAMES or p in lex.places for p in parts):
                f.append("hyphen-word|" + case)
        if "'" in word or "’" in word:
            f.append("apos")
        if len(word) <= 2 and word.endswith(".") or word.count(".") > 1:
            f.append("initials")
        compound = (
            not ident and not known and not world and len(low) >= 7 and "-" not in low and self.compound(low)
        )
        if compound:
            f.append("compound|" + case)
        desc = ("w:" + low) if ident else ("street:" if street else "r:") + case
        # a frequent lowercase word that no Dutch list holds as a name is never one, unless the room knows it
        # (the names of many countries hold Dutch words: "mager", "lei")
        plain = case == "l" and z >= PLAIN_ZIPF and not known and low not in _NAME_PARTICLES
        # a frequent capitalised word at a sentence start is no name unless a list holds it ("Mendoza")
        frequent = ident and not known and (not world or lex.is_common_word(low) or lex.is_dutch_word(low))
        ordinary = lex.is_common_word(low) or z >= IDENTITY_ZIPF
        return Word(
            tuple(f),
            desc,
            case,
            known,
            plain,
            zb,
            ordinary,
            compound,
            frequent,
            low in lex.first_names,
            low in lex.surnames,
            known or world,
        )

    def dutch_word(self, word: str) -> bool:
        """A word of Dutch that no name list holds: frequent in Dutch, or a compound of Dutch words
        ("tekorten", "programmamanager", "adviesraad")."""
        low = word.lower()
        info = self.word(low)
        return not info.named and (self.zipf(low) >= IDENTITY_ZIPF or info.compound)

    def _dutch_head(self, low: str) -> bool:
        """Whether a rare word starts with a frequent Dutch word of six letters or more ("dossier|nr",
        "afspraken|lijst"): names seldom do."""
        return any(self.zipf(low[:i]) >= 3.5 for i in range(6, len(low) - 1))

    def prepare(self, text: str, toks: list[Tok], room: Container[str] = frozenset()) -> Reading:
        """The words of ``toks`` on their own, and which of them the room knows."""
        rooms = [
            bool(room)
            and len(t.text) >= 3
            and fold(t.text) in room
            and not (t.text.islower() and self.lex.is_dutch_word(t.text))
            for t in toks
        ]
        return Reading(text, toks, [self.word(t.text) for t in toks], rooms, _is_informal(text, toks))

    def flat(self, text: str, toks: list[Tok], room: Container[str] = frozenset()) -> list[list[str]]:
        """Every feature of every token as one list (for training)."""
        seq = self.prepare(text, toks, room)
        return [["bias", *seq.words[i].feats, *seq.context(i)] for i in range(len(toks))]


@dataclass(slots=True)
class Reading:
    """A tokenised text as the tagger reads it; context features are built only for tokens it scores."""

    text: str
    toks: list[Tok]
    words: list[Word]
    rooms: list[bool]
    informal: bool

    def initial(self, i: int) -> bool:
        """Whether token ``i`` starts a sentence, a line or the text."""
        return (
            i == 0
            or self.toks[i - 1].text in _SENTENCE_END
            or "\n" in self.text[self.toks[i - 1].end : self.toks[i].start]
        )

    def context(self, i: int) -> list[str]:
        words, toks, rooms, n = self.words, self.toks, self.rooms, len(self.toks)
        case = words[i].case
        p1 = words[i - 1].desc if i > 0 else "<s>"
        p2 = words[i - 2].desc if i > 1 else "<s>"
        n1 = words[i + 1].desc if i + 1 < n else "</s>"
        n2 = words[i + 2].desc if i + 2 < n else "</s>"
        if i > 0 and "\n" in self.text[toks[i - 1].end : toks[i].start]:
            p1 = "<nl>"
        # a rare word and a frequent one in the same place differ: "[Kojo] woont" against "Mevrouw woont"
        kind = ("f" if words[i].desc.startswith("w:") else "r") + case
        f = [
            "p1=" + p1,
            "p2=" + p2,
            "n1=" + n1,
            "n2=" + n2,
            "p1c=" + p1 + "|" + case,
            "n1c=" + n1 + "|" + case,
            "p12=" + p2 + "|" + p1,
            "p1k=" + p1 + "|" + kind,
            "n1k=" + n1 + "|" + kind,
        ]
        if self.initial(i):
            f += [
                "si|" + case,
                "siz|" + case + words[i].zipf,
                ("sik-inf|" if self.informal else "sik|") + kind,
            ]
        if i == 0:
            f.append("first|" + case)
        f.append(("inf|" if self.informal else "formal|") + case)
        if i > 0 and words[i - 1].known:
            f.append("p1known|" + case)
            if (
                words[i - 1].first_name
                and words[i].surname
                and self.text[toks[i - 1].end : toks[i].start] == " "
            ):
                f.append("first>surname|" + case)  # "ruud smit", "jan bakker"
        if i + 1 < n and words[i + 1].known:
            f.append("n1known|" + case)
        # next to a listed name, across "en", a comma or a hyphen: "viktoria en [garrido]", "[raivo], anna"
        if i > 1 and words[i - 2].named and toks[i - 1].text in _JOINERS:
            f.append("p2named|" + case)
        if i + 2 < n and words[i + 2].named and toks[i + 1].text in _JOINERS:
            f.append("n2named|" + case)
        if i > 0 and words[i - 1].named:
            f.append("p1named|" + case)
        if i + 1 < n and words[i + 1].named:
            f.append("n1named|" + case)
        if rooms[i]:
            f += ["room", "room|" + case]
        if i > 0 and rooms[i - 1]:
            f.append("p1room")
        if i + 1 < n and rooms[i + 1]:
            f.append("n1room")
        return f


def trigram_ratios(names: Collection[str], words: Collection[str], min_count: int = 3) -> dict[str, float]:
    """log(P(trigram | names) / P(trigram | Dutch words)) per letter trigram of the padded, folded words
    (types, not tokens), add-one smoothed; trigrams rare in both lists are left out (ratio 0)."""

    def counts(items: Collection[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in items:
            padded = f"^{fold(item)}$"
            for i in range(len(padded) - 2):
                out[padded[i : i + 3]] = out.get(padded[i : i + 3], 0) + 1
        return out

    in_names, in_words = counts(names), counts(words)
    total_names, total_words = sum(in_names.values()), sum(in_words.values())
    vocab = len(set(in_names) | set(in_words))
    ratios = {}
    for gram in set(in_names) | set(in_words):
        a, b = in_names.get(gram, 0), in_words.get(gram, 0)
        if a + b >= min_count:
            ratios[gram] = round(
                math.log((a + 1) / (total_names + vocab)) - math.log((b + 1) / (total_words + vocab)), 1
            )
    return ratios


def _is_informal(text: str, toks: list[Tok]) -> bool:
    """Chat-style: a sentence that starts in lowercase (or a message that starts with @)."""
    if text.lstrip().startswith("@"):
        return True
    prev: Tok | None = None
    for t in toks[:400]:
        if t.text[0].islower() and (prev is None or (prev.text in {".", "!", "?"} and prev.end < t.start)):
            return True  # (a full stop right before a letter is an e-mail address or a web address)
        prev = t
    return False
