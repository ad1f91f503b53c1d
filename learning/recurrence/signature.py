"""What a bottleneck is about, as one unit vector: its meaning (sentence embedding of law, rule and
effect), its words (stemmed, hashed), the law it names (normalised: "Wet maatschappelijke ondersteuning
2015", "WMO" and "Wmo-verordening" are one law) and its kind. Each part is a unit vector scaled by the
square root of its weight, so the inner product of two signatures is the weighted sum of the four
cosines, and the mean of a cluster's signatures gives its average similarity to a newcomer."""

import re
import zlib
from dataclasses import dataclass

import numpy as np

from casebook.cases.models import BottleneckKind

LEXICAL_DIM = 512
LAW_DIM = 64
KINDS = tuple(BottleneckKind)

# Names and abbreviations of the laws the social domain works with, onto one key each. Year suffixes and
# article numbers are handled apart (_YEAR, _ARTICLE).
LAW_ALIASES = {
    "wet maatschappelijke ondersteuning": "wmo",
    "wmo": "wmo",
    "verordening maatschappelijke ondersteuning": "wmo",
    "participatiewet": "participatiewet",
    "pw": "participatiewet",
    "wet werk en bijstand": "participatiewet",
    "wwb": "participatiewet",
    "jeugdwet": "jeugdwet",
    "wet langdurige zorg": "wlz",
    "wlz": "wlz",
    "zorgverzekeringswet": "zvw",
    "zvw": "zvw",
    "algemene verordening gegevensbescherming": "avg",
    "avg": "avg",
    "wet gemeentelijke schuldhulpverlening": "wgs",
    "wgs": "wgs",
    "wet inburgering": "inburgering",
    "wi": "inburgering",
    "leerplichtwet": "leerplichtwet",
    "wet passend onderwijs": "passend onderwijs",
    "wet brp": "brp",
    "basisregistratie personen": "brp",
    "brp": "brp",
    "faillissementswet": "wsnp",
    "wsnp": "wsnp",
    "wet schuldsanering natuurlijke personen": "wsnp",
    "bbz": "bbz",
    "besluit bijstandverlening zelfstandigen": "bbz",
    "wgbo": "wgbo",
    "wet op de geneeskundige behandelingsovereenkomst": "wgbo",
    "algemene wet bestuursrecht": "awb",
    "awb": "awb",
    "huisvestingswet": "huisvesting",
    "huisvestingsverordening": "huisvesting",
    "awir": "toeslagen",
    "algemene wet inkomensafhankelijke regelingen": "toeslagen",
    "ioaw": "ioaw",
    "wet kinderopvang": "kinderopvang",
}
_ALIAS_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, LAW_ALIASES), key=len, reverse=True)) + r")\b"
)
_ARTICLE = re.compile(r"\b(?:art(?:ikel)?\.?)\s*(\d{1,3}[a-z]?)\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WORD = re.compile(r"[^\W\d_]{3,40}")
_LAW_STOPWORDS = frozenset(
    {"lid", "onder", "oud", "stelsel", "gemeente", "gemeentelijk", "gemeentelijke", "sub"}
)


@dataclass(frozen=True)
class Weights:
    """Share of each part in the similarity; they add up to 1."""

    meaning: float
    words: float
    law: float
    kind: float

    def __post_init__(self):
        if abs(self.meaning + self.words + self.law + self.kind - 1) > 1e-6:
            raise ValueError("weights must add up to 1")


def law_keys(law: str) -> list[str]:
    """The laws and articles a law field names, normalised: "Participatiewet art. 34 (vermogenstoets)" ->
    ["participatiewet", "art 34", "vermogenstoets"]; "Wmo 2015 / Zvw" -> ["wmo", "zvw"]."""
    text = _YEAR.sub(" ", law.casefold().replace("-", " "))
    keys = [f"art {m.group(1)}" for m in _ARTICLE.finditer(text)]
    text = _ARTICLE.sub(" ", text)
    keys += [LAW_ALIASES[m.group(1)] for m in _ALIAS_PATTERN.finditer(text)]
    text = _ALIAS_PATTERN.sub(" ", text)
    keys += [w for w in _WORD.findall(text) if w not in _LAW_STOPWORDS]
    return list(dict.fromkeys(keys))


def meaning_text(*, law: str, rule: str, description: str) -> str:
    """The text whose sentence embedding stands for a bottleneck's meaning."""
    return ". ".join(part.strip() for part in (law, rule, description) if part.strip())


def _hashed(tokens: list[str], dim: int, sublinear: bool = True) -> np.ndarray:
    vector = np.zeros(dim, dtype=np.float32)
    for token in tokens:
        vector[zlib.crc32(token.encode()) % dim] += 1.0
    if sublinear:
        vector = np.log1p(vector)
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def build(*, meaning: np.ndarray, words: list[str], law: str, kind: str, weights: Weights) -> np.ndarray:
    """One bottleneck's signature (unit length) from its sentence embedding, its stemmed words, law and kind."""
    kind_part = np.zeros(len(KINDS), dtype=np.float32)
    kind_part[KINDS.index(BottleneckKind(kind))] = 1.0
    parts = [
        (meaning, weights.meaning),
        (_hashed(words, LEXICAL_DIM), weights.words),
        (_hashed(law_keys(law), LAW_DIM, sublinear=False), weights.law),
        (kind_part, weights.kind),
    ]
    vector = np.concatenate([part.astype(np.float32) * np.sqrt(weight) for part, weight in parts])
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector
