"""What a bottleneck is about, as one vector: its meaning twice (a sentence embedding of law, rule and
effect by the search index's English model, and one of law and rule by a model that reads Dutch,
search.multilingual), the letter grams of its words (stemmed, number words as digits and abbreviations in
full: wording.py), the laws and articles it cites (citation.py: "art 18 PW" and "Participatiewet artikel 18
lid 2" are one article), the article identity on its own, its kind and its level, the case it was flagged in
(the Dutch-reading model's embedding of the case's title and support question), the figures its rule names
("3 werkdagen", "€500"), the units of those figures, and the laws it cites articles of. Each part is a unit
vector (or zero, when the bottleneck has nothing for it) scaled by the square root of its weight. The whole
words had a part of their own until the Dutch-reading model came: calibrated with it, their weight went to
zero (the grams and the model carry what they said).

The case part comes on top of the rule's parts (whose weights add up to 1): coaches word one rule in many
ways, and two rules of one law read alike, but the cases where the same rule got in the way share their
situation (a family that cannot take in a son, a youth turning 18), while a neighbouring rule of the same law
(the housing urgency after a divorce, the way out of sheltered housing) comes up in other situations. A
draft without its case (the suggestion API asked without `case_id`) has no case part: it is compared by its
rule alone, against the threshold calibrated for the rule alone (service.threshold_for): the model's cosines
of two unrelated cases, even with the common direction taken out, are about 0.2-0.3, of like ones 0.5-0.7,
so every signature with a case part comes closer to any other with one.

The law part holds each law and each cited article as keys, so it grades: the same article 1, the same law
with an article on one side only 0.7, the same law with different articles 0.5. The article part adds the
identity of the article alone: two wordings of one rule often share nothing else. The conflict part (the
laws whose articles are cited) counts against a match when compared through as_query: two different
articles of one law are two rules. The units part does the same for figures: two rules that both name a term
in weeks, one of two weeks and one of six, are two rules (the same term wins it back in the figures part).

Compared through as_query, the inner product of a newcomer with a signature is the weighted sum of the
parts' cosines (the conflict part's subtracted), and with a cluster's mean it is the newcomer's average
similarity to the cluster's members."""

import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from casebook.cases.models import BottleneckKind, RuleLevel
from learning.recurrence import citation, wording

GRAM = 4
GRAM_DIM = 512
LAW_DIM = 128
ARTICLE_DIM = 128
FIGURE_DIM = 64
UNIT_DIM = 32
CONFLICT_DIM = 64
KINDS = tuple(BottleneckKind)
LEVELS = tuple(RuleLevel)


@dataclass(frozen=True)
class Draft:
    """The fields of a bottleneck that say what it is about (level None: not given)."""

    law: str
    rule: str
    description: str
    kind: str
    level: str | None = None
    case_context: str = ""  # what its case is about (service.case_context): empty when not known


@dataclass(frozen=True)
class Weights:
    """Share of each part in the similarity: the rule's parts add up to 1, the case's (`situation`) comes on
    top. The order is the order of the parts in a signature: units and conflict last (as_query)."""

    meaning: float
    dutch: float
    grams: float
    law: float
    article: float
    kind: float
    level: float
    situation: float
    figures: float
    units: float  # the last two: as_query turns them around
    conflict: float

    def __post_init__(self):
        if abs(sum(vars(self).values()) - self.situation - 1) > 1e-6:
            raise ValueError("the weights of the rule's parts must add up to 1")


def meaning_text(draft: Draft) -> str:
    """The text whose sentence embedding stands for a bottleneck's meaning."""
    return ". ".join(part.strip() for part in (draft.law, draft.rule, draft.description) if part.strip())


def rule_text(draft: Draft) -> str:
    """The text whose Dutch-reading embedding stands for the rule a bottleneck is about: law and rule, not the
    description, which tells mostly what the rule did to the client (another article of the same law, with the
    same missed appointment and the same cut, is another rule)."""
    return ": ".join(part.strip() for part in (draft.law, draft.rule) if part.strip())


def _hashed(tokens: Iterable[str], dim: int) -> np.ndarray:
    """Words as a unit vector: each distinct word on one position with a sign of its own (log-damped
    count), so two words that share a position add noise around zero instead of a false match."""
    vector = np.zeros(dim, dtype=np.float32)
    for token, count in Counter(tokens).items():
        code = zlib.crc32(token.encode())
        vector[code % dim] += np.log1p(count) * (1.0 if code & 0x80000000 else -1.0)
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def _grams(words: list[str]) -> list[str]:
    """The letter 4-grams of stemmed words (with their ends marked): Dutch glues words together, so
    "vierwekenzoektermijn" shares most of its grams with "zoektermijn" and "4 weken", and a typo costs a
    few grams instead of the word."""
    grams = []
    for word in words:
        marked = f"<{word}>"
        grams += [marked[i : i + GRAM] for i in range(max(1, len(marked) - GRAM + 1))]
    return grams


@lru_cache(maxsize=4096)
def _key_vector(key: str, dim: int) -> np.ndarray:
    rng = np.random.default_rng(zlib.crc32(key.encode()))
    return (rng.integers(0, 2, dim) * 2 - 1).astype(np.float32) / np.sqrt(dim)


def _keyed(keys: Iterable[str], dim: int) -> np.ndarray:
    """Keys (laws, articles) as a unit vector: each distinct key a fixed random direction, so the cosine of
    two sets is their share of keys in common, give or take 1/sqrt(dim) (a hashed position would make two
    different articles one in every `dim`-th pair)."""
    vector = sum((_key_vector(key, dim) for key in dict.fromkeys(keys)), np.zeros(dim, dtype=np.float32))
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def _levels(draft: Draft) -> np.ndarray:
    """The level given, else the levels the law field names (citation.levels), as a unit vector."""
    named = {RuleLevel(draft.level)} if draft.level else citation.levels(draft.law)
    vector = np.array([level in named for level in LEVELS], dtype=np.float32)
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def parts(
    draft: Draft, *, meaning: np.ndarray, dutch: np.ndarray, situation: np.ndarray, words: list[str]
) -> dict[str, np.ndarray]:
    """The unit vectors a signature is made of, by the name of their weight."""
    cited = citation.cite(law=draft.law, rule=draft.rule, description=draft.description)
    articles = [f"{law} art {number}".strip() for law, number in cited.articles]
    kind = np.zeros(len(KINDS), dtype=np.float32)
    kind[KINDS.index(BottleneckKind(draft.kind))] = 1.0
    # The figures of what the rule says, not of the description (there they are mostly the delay itself).
    figures = wording.figures(f"{draft.law} {draft.rule}")
    return {
        "meaning": meaning.astype(np.float32),
        "dutch": dutch.astype(np.float32),
        "grams": _hashed(_grams(words), GRAM_DIM),
        "law": _keyed([*cited.laws, *articles, *cited.name], LAW_DIM),
        "article": _keyed(articles, ARTICLE_DIM),
        "kind": kind,
        "level": _levels(draft),
        "situation": situation.astype(np.float32),
        "figures": _keyed(figures, FIGURE_DIM),
        "units": _keyed([figure.split()[-1] for figure in figures], UNIT_DIM),
        "conflict": _keyed([law or "?" for law, _ in cited.articles], CONFLICT_DIM),
    }


def build(
    draft: Draft,
    *,
    meaning: np.ndarray,
    dutch: np.ndarray,
    situation: np.ndarray,
    words: list[str],
    weights: Weights,
) -> np.ndarray:
    """One bottleneck's signature from its fields, its three sentence embeddings (`situation`: its case's, a
    zero vector when not known) and its stemmed words."""
    made = parts(draft, meaning=meaning, dutch=dutch, situation=situation, words=words)
    # Not scaled back to unit length: a part a bottleneck lacks (no article cited) must count as no match,
    # not lend its weight to the others.
    return np.concatenate([made[name] * np.sqrt(weight) for name, weight in vars(weights).items()])


def as_query(signatures: np.ndarray) -> np.ndarray:
    """The form in which a newcomer is compared with stored signatures: its units and conflict parts turned
    around, so two bottlenecks citing articles of one law lose the conflict part's weight (the same article
    wins it back in the article part, weighted more), and two naming a term in one unit lose the units
    part's (the same term wins it back in the figures part): different articles of one law and different
    terms are different rules, however alike the rest reads. Stored signatures (and cluster sums) stay as
    built."""
    query = np.array(signatures, dtype=np.float32, copy=True)
    query[..., -(UNIT_DIM + CONFLICT_DIM) :] *= -1
    return query
