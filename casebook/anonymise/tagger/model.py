"""The trained token tagger: a multinomial logistic regression over :mod:`features`, shipped as a
small weight file and loaded once per process.

It labels each token O, PERSON, ADDRESS or PLACE; runs of labelled tokens become candidate spans
for the detector pipeline, below the checksum and cue-backed rules. Words that are never persons
(laws, bodies, roles, titles, months, weekdays) are never part of a person span, whatever the
weights say. ``scripts/train_name_tagger.py`` rebuilds the weight file from seeded synthetic text.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import threading
from collections.abc import Container
from pathlib import Path

from casebook.anonymise.lexicon import NEVER_NAMES, ROLE_CUES, TITLES, get_lexicon
from casebook.anonymise.spans import Candidate
from casebook.anonymise.tagger.features import Featurizer, Tok, Word, tokenize

WEIGHTS_FILE = Path(__file__).with_name("weights.json.gz")
WORLD_NAMES_FILE = Path(__file__).with_name("world_names.txt.gz")
CLASSES = ("O", "PERSON", "ADDRESS", "PLACE")
#: Candidate priorities: above the weak name heuristics, below deduce, cues, patterns and the roster.
P_TAGGED_PERSON, P_TAGGED_ADDRESS, P_TAGGED_PLACE = 44, 69, 64
#: Laws and regulations the teams cite that the shared never-names list lacks, and "het Rijk".
_LAWS = {
    "rijk",
    "tozo",
    "tonk",
    "bbz",
    "ioaw",
    "ioaz",
    "wsnp",
    "wwb",
    "awbz",
    "wvggz",
    "wzd",
    "wkkgz",
    "awb",
    "wet",
    "wtcg",
    "wpg",
    "wgs",
    "wsw",
    "bijstand",
    "toeslagen",
    "zorgtoeslag",
    "huurtoeslag",
    "kinderopvangtoeslag",
}
_NEVER_PERSON = NEVER_NAMES | TITLES | ROLE_CUES | _LAWS
_PARTICLES = {
    "van",
    "de",
    "der",
    "den",
    "ter",
    "ten",
    "te",
    "het",
    "'t",
    "t",
    "in",
    "op",
    "la",
    "le",
    "da",
    "di",
    "du",
    "del",
    "dos",
    "von",
    "el",
    "al",
    "bin",
    "ben",
    "ibn",
    "abu",
    "ait",
}
#: What may separate two tokens of one span: a space or two (a line break ends a span).
_MAX_GAP = 2


def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("nl", wordlist="large")


class Tagger:
    """Scores tokens with the shipped weights; a word's own part of the score is kept per word."""

    def __init__(
        self,
        featurizer: Featurizer,
        weights: dict[str, tuple[float, ...]],
        intercept: tuple[float, ...],
        thresholds: dict[str, float],
    ) -> None:
        self.featurizer = featurizer
        self.weights = weights
        self.intercept = intercept
        self.thresholds = tuple(thresholds.get(c, 1.0) for c in CLASSES)
        #: in chat a lowercase name has little else going for it, and an ordinary word rarely looks like one
        self.chat_thresholds = tuple(thresholds.get(c + "_CHAT", t) for c, t in zip(CLASSES, self.thresholds))
        self._word_scores: dict[str, tuple[float, ...]] = {}

    def _word_score(self, word: str, info: Word) -> tuple[float, ...]:
        hit = self._word_scores.get(word)
        if hit is None:
            hit = self._sum(("bias", *info.feats), self.intercept)
            if len(self._word_scores) < 500_000:  # bounded, as the featurizer's own cache
                self._word_scores[word] = hit
        return hit

    def _sum(self, feats, start: tuple[float, ...]) -> tuple[float, ...]:
        s0, s1, s2, s3 = start
        get = self.weights.get
        for f in feats:
            w = get(f)
            if w is not None:
                s0 += w[0]
                s1 += w[1]
                s2 += w[2]
                s3 += w[3]
        return s0, s1, s2, s3

    def probabilities(self, word: str, info: Word, ctx: list[str]) -> list[float]:
        """The probability of each of :data:`CLASSES` for one token."""
        scores = self._sum(ctx, self._word_score(word, info))
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return [e / total for e in exp]

    def labels(self, text: str, toks: list[Tok], room: Container[str] = frozenset()) -> list[str]:
        """The label of every token: the likeliest class that clears its threshold, else O.

        Not scored (so O) unless an address runs on or the room knows the word: marks and numbers, frequent
        lowercase words no name list holds, in a text written with capitals (no chat) lowercase ordinary or
        frequent words ("na de zomer", "de schone lei"), and a frequent word no name list holds at a sentence
        start ("Aflossing liep ...": the capital says nothing there). Words that are never persons and
        compounds are no person."""
        out: list[str] = []
        prev = "O"
        seq = self.featurizer.prepare(text, toks, room)
        thresholds = self.chat_thresholds if seq.informal else self.thresholds
        for i, tok in enumerate(toks):
            info = seq.words[i]
            label = "O"
            if prev == "ADDRESS" and info.case == "d" and len(tok.text) <= 5:
                label = "ADDRESS"  # the house number of the street word before it
            elif prev == "ADDRESS" or not (
                info.case in "dp"
                or (
                    not seq.rooms[i]
                    and (
                        info.plain
                        or (info.ordinary and info.case == "l" and not seq.informal)
                        or (info.frequent and info.case == "C" and seq.initial(i))
                    )
                )
            ):
                probs = self.probabilities(tok.text, info, seq.context(i))
                best = max(range(1, len(CLASSES)), key=probs.__getitem__)
                if probs[best] >= thresholds[best]:
                    label = CLASSES[best]
                if label == "PERSON" and (
                    info.compound or tok.text.lower().rstrip(".") in _NEVER_PERSON or _word_compound(tok.text)
                ):
                    label = "O"
            out.append(label)
            prev = label
        return out

    def candidates(self, text: str, room: Container[str] = frozenset()) -> list[Candidate]:
        """Person, address and place spans the tagger finds in ``text``."""
        toks = tokenize(text)
        if not toks:
            return []
        return spans(text, toks, self.labels(text, toks, room))


def _word_compound(word: str) -> bool:
    """ "POH-GGZ", "jeugd-GGZ", "mbo-opleiding", "Wlz-aanvraag", "zzp'er": a hyphenated word with an acronym, a
    law or an ordinary lowercase part. Names keep their parts capitalised ("Al-Khatib", "Jansen-de Vries")."""
    if re.search(r"['’](?:er|ers|tje|tjes)$", word):
        return True  # "zzp'er", "WhatsApp'je"
    parts = word.split("-")
    if len(parts) < 2:
        return False
    return (
        any(
            p.isupper()
            and len(p) > 1
            or p.lower() in _NEVER_PERSON
            or (p[:1].islower() and p not in _PARTICLES)
            for p in parts
        )
        and not word.islower()
    )


def _loose_particle(word: str) -> bool:
    """A lowercase particle at the edge of a person span belongs to the sentence ("moeder [van] Yara"); a
    capitalised one is a name ("Ben", "Van Vliet stelt")."""
    return word.islower() and word in _PARTICLES


def _after_address(toks: list[Tok], labels: list[str], i: int) -> bool:
    """Whether token ``i`` follows an address or a postcode ("..., 7523 ZT [Kolhorn]", "12 in [Baexem]")."""
    k = i - 1
    while k >= 0 and toks[k].text.lower() in {",", "in", "te"} and i - k <= 3:
        k -= 1
    if k < 0:
        return False
    if labels[k] == "ADDRESS":
        return True
    word = toks[k].text
    if (
        len(word) == 2
        and word.isupper()
        and k > 0
        and toks[k - 1].text.isdigit()
        and len(toks[k - 1].text) == 4
    ):
        return True  # a postcode
    return word.isdigit() and len(word) == 4


def spans(text: str, toks: list[Tok], labels: list[str]) -> list[Candidate]:
    """Runs of equally labelled tokens, joined over short gaps, as candidates.

    A person span neither starts nor ends on a lowercase particle ("moeder van [Yara]") and holds a letter;
    an address needs a house number and a street word; a place follows an address or a postcode."""
    out: list[Candidate] = []
    i, n = 0, len(toks)
    while i < n:
        label = labels[i]
        if label == "O":
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and labels[j + 1] == label
            and len(text[toks[j].end : toks[j + 1].start]) <= _MAX_GAP
            and "\n" not in text[toks[j].end : toks[j + 1].start]
        ):
            j += 1
        run = toks[i : j + 1]
        first = i
        i = j + 1
        if label == "PERSON":
            while run and (_loose_particle(run[0].text) or not run[0].text[0].isalpha()):
                run = run[1:]
            while run and (_loose_particle(run[-1].text) or not run[-1].text[0].isalpha()):
                run = run[:-1]
            if run:
                out.append(Candidate(run[0].start, run[-1].end, "PERSON", P_TAGGED_PERSON))
        elif label == "ADDRESS":
            if any(t.text[0].isdigit() for t in run) and any(
                t.text[0].isalpha() and t.text.lower() not in _PARTICLES for t in run
            ):  # "jongen van 17": no street
                while not run[-1].text[0].isalnum():
                    run = run[:-1]
                out.append(Candidate(run[0].start, run[-1].end, "ADDRESS", P_TAGGED_ADDRESS))
        elif label == "PLACE" and run[0].text[0].isalpha() and _after_address(toks, labels, first):
            out.append(Candidate(run[0].start, run[-1].end, "PLACE", P_TAGGED_PLACE))
    return out


def load(path: Path = WEIGHTS_FILE) -> Tagger:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    if tuple(data["classes"]) != CLASSES:
        raise ValueError(f"tagger weights for classes {data['classes']}, expected {CLASSES}")
    weights = {f: tuple(w) for f, w in data["weights"].items()}
    featurizer = Featurizer(get_lexicon(), _frequencies(), read_world_names(), data["trigrams"])
    return Tagger(featurizer, weights, tuple(data["intercept"]), data["thresholds"])


def read_world_names(path: Path = WORLD_NAMES_FILE) -> frozenset[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


_lock = threading.Lock()
_tagger: Tagger | None = None


def get_tagger() -> Tagger:
    """The process-wide tagger, loaded on first use."""
    global _tagger
    if _tagger is None:
        with _lock:
            if _tagger is None:
                _tagger = load()
    return _tagger
