"""Reading free Dutch as coaches type it: folded words, and cue words recognised despite typos and longer
word forms ("knelpnten" and "knelpunten" both match the cue "knelpunt"). Deterministic, and bounded: a
message is read up to MAX_WORDS words of at most MAX_WORD_CHARS characters each."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

WORD = re.compile(r"[^\W_]+")
SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# Placeholders ([CLIENT], [PERSOON-1]) stand in every anonymised text and say nothing about the question.
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9-]*\]")
# Words that carry no topic: left out when a question's topic is counted ("hebben we dit eerder ...").
STOPWORDS = frozenset(
    """
aan al alle alles als andere ben bij dan dat de deze die dit doe doen door dus een eens en er ff
even geen had heb hebben heeft het hier hij hoe hun ik in is ja je jij jullie kan kun kunnen kunt
maar me meer met mij mijn moet moeten mogen na naar nee niet niets nog nu of om onder ons onze ook
op over te tegen toch toe tot u uit van veel voor waar wanneer want waren was wat we welk welke
wie wij wil willen word worden wordt zal ze zei zich zij zijn zo zou zouden iets iemand graag
alsjeblieft aub svp assistent
""".split()
)
MAX_WORDS = 400
MAX_WORD_CHARS = 40
# How common a word is in ordinary Dutch, on wordfreq's Zipf scale: 3 is once per million words
# ("kostendelersnorm", "mandaat" and rarer), 7 the commonest words ("de", "een").
RARE_ZIPF = 3.0
COMMON_ZIPF = 7.0


def fold(text: str) -> str:
    """Lower case without accents (financiën → financien): coaches type without them."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))


def words(text: str, limit: int = MAX_WORDS) -> list[str]:
    """The folded words of `text` (at most `limit`), digits included, punctuation dropped."""
    found = []
    for match in WORD.finditer(PLACEHOLDER.sub(" ", text)):
        found.append(fold(match.group())[:MAX_WORD_CHARS])
        if len(found) >= limit:
            break
    return found


@dataclass(frozen=True)
class Sentence:
    words: list[str]  # folded, as `words` reads them
    asks: bool  # it ends in a question mark


def sentences(text: str, limit: int = MAX_WORDS) -> list[Sentence]:
    """The sentences of `text` (ended by . ! ? or a new line) that hold words, with their words: at most
    `limit` words in all, as `words` reads them."""
    found: list[Sentence] = []
    left = limit
    for match in SENTENCE.finditer(text):
        if left <= 0:
            break
        if sentence_words := words(match.group(), left):
            found.append(Sentence(sentence_words, match.group().rstrip().endswith("?")))
            left -= len(sentence_words)
    return found


def content_words(words_: Iterable[str]) -> list[str]:
    """The words that say what a question is about: no stopwords, no single letters or bare numbers."""
    return [w for w in words_ if len(w) > 1 and w not in STOPWORDS and not w.isdigit()]


def allowed_typos(cue: str) -> int:
    """Short cues must be typed right; longer ones may hold one typo, long ones two."""
    return 0 if len(cue) <= 4 else 1 if len(cue) <= 7 else 2


def prefix_distance(word: str, cue: str) -> int:
    """The fewest edits (insert, delete, substitute, swap two neighbours) that turn some prefix of `word`
    into `cue`, so longer forms of a cue cost nothing ("samenvatten" matches "samenvat" at 0). Dynamic
    programming over at most 40 x 40 characters."""
    before: list[int] = []
    previous = list(range(len(word) + 1))  # row i: distances of cue[:i] to each prefix word[:j]
    for i, c in enumerate(cue, start=1):
        current = [i] + [0] * len(word)
        for j, w in enumerate(word, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (c != w))
            if i > 1 and j > 1 and c == word[j - 2] and cue[i - 2] == w:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return min(previous)


@lru_cache(maxsize=65_536)
def matches(word: str, cue: str) -> bool:
    """`word` (folded) is the cue word, a longer form of it, or either with the typos `allowed_typos` allows.
    Cues of up to three letters match only exactly ("wat" is not "water"), and a typo in the first letter
    is not guessed at (it would make every cue match too much)."""
    if word == cue:
        return True
    if len(cue) <= 3:
        return False
    if word.startswith(cue):
        return True
    typos = allowed_typos(cue)
    if typos == 0 or len(word) < len(cue) - typos or word[0] != cue[0]:
        return False
    return prefix_distance(word[: len(cue) + typos], cue) <= typos


def find(words_: Iterable[str], cue: str) -> int | None:
    """Index of the first word matching `cue`, or None."""
    for index, word in enumerate(words_):
        if matches(word, cue):
            return index
    return None


@lru_cache(maxsize=65_536)
def topic_weight(word: str) -> float:
    """How much `word` (folded) can say about what a question is about, 0..1, by how common it is in ordinary
    Dutch: fully for words as rare as RARE_ZIPF or rarer (and words wordfreq does not know), falling in
    step with the Zipf value to nothing at COMMON_ZIPF. Filler of chatty questions ("eigenlijk",
    "misschien", "volgens": Zipf 5.5-5.7) counts for about a third, a content word such as "schulden"
    (Zipf 4.2) for two thirds, "leerplicht" (Zipf 3.0) fully."""
    zipf = zipf_frequency(word, "nl")
    return min(1.0, max(0.0, (COMMON_ZIPF - zipf) / (COMMON_ZIPF - RARE_ZIPF)))
