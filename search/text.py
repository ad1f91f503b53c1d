"""Dutch word handling shared by the lexical index and the hit explanations: one tokeniser, so the
terms highlighted in a snippet are exactly the terms that matched."""

import importlib.metadata
import re
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH

WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
# Placeholders such as [CLIENT] or [KIND-1] are in every anonymised text: they say nothing about a case.
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9-]*\]")
STOPWORDS = frozenset(STOPWORDS_DUTCH) | {"wel", "via", "ca", "bijv", "etc", "mevrouw", "meneer", "dhr", "mw"}

# Snowball's classic Dutch stemmer. Snowball 3's "dutch" (Kraaij-Pohlmann) strips ge- and be-ge- and keeps
# -den plurals apart, which in case notes reads gezin as zin, begeleiding as beleid, gemeente as mening,
# gezondheid as zon and schulden as another word than schuld (measured in bench/README.md, "Stemming").
STEMMER = "dutch_porter"
_stemmer = Stemmer.Stemmer(STEMMER)
# Names how index terms are made, for whoever keeps terms beyond a process (learning's bottleneck signatures
# hash them): the algorithm and the Snowball release that implements it.
TERMS_RECIPE = f"snowball-{STEMMER}-{importlib.metadata.version('PyStemmer')}"
# stem -> the spellings (lower case, accents kept, hyphen/apostrophe parts) it was made from in indexed
# texts: lets a snippet find the words of a matched stem with one regex pass instead of stemming every word.
SURFACES: dict[str, set[str]] = {}
_PARTS = re.compile(r"[-']")


def fold(word: str) -> str:
    """Lower-case and strip accents (financiën → financien): coaches type without them."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for every non-placeholder word in `text`."""
    text = PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)
    return [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text)]


def _indexed_parts(word: str) -> list[str]:
    """The spellings of one word that become terms: stopwords and one-letter words left out; a hyphenated
    word counts as its parts as well (wmo-aanvraag → wmo-aanvraag, wmo, aanvraag)."""
    parts = word.replace("'", "-").split("-")
    spellings = [word] if len(parts) == 1 else [word.replace("'", ""), *parts]
    return [part for part in spellings if len(part) > 1 and part not in STOPWORDS]


def spelled_terms(text: str) -> list[tuple[str, str]]:
    """(spelling, term) for every term of `text`, in order: the folded spelling each stem was made from,
    for a caller that weighs terms by the words behind them."""
    return [(part, stem(part)) for _, _, word in words(text) for part in _indexed_parts(word)]


def terms(text: str, record: bool = False) -> list[str]:
    """The stemmed index terms of `text` (see `_indexed_parts`). `record`: remember the spellings behind
    each stem (SURFACES), for texts that are indexed."""
    out: list[str] = []
    for start, end, word in words(text):
        before = len(out)
        out += [stem(part) for part in _indexed_parts(word)]
        if record and len(out) > before:
            raw = [p for p in _PARTS.split(text[start:end].lower()) if p]
            for term in out[before:]:
                SURFACES.setdefault(term, set()).update(raw)
    return out


def forget(stems: set[str]) -> None:
    """Forget the spellings behind stems no indexed text holds any more (an erased case's own words), and
    the stemming cache that saw them. A snippet for a stem without spellings falls back to stemming every
    word, so this never changes a search answer."""
    if not stems:
        return
    for term in stems:
        SURFACES.pop(term, None)
    stem.cache_clear()
