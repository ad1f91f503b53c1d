"""Turning chunk hits and BM25 scores into one case ranking. The constants were tuned with
bench/search_quality.py on the evaluation set (never on case ids or sentences) and checked for
stability: neighbouring values give nearly the same figures."""

from collections import defaultdict

import numpy as np

from search.chunking import MAX_CHUNKS_PER_CASE

# Measured on the evaluation set (bench/search_quality.py): free-text recall@5 was flat (0.91-0.93) for
# k in 5..10 and a lexical weight of 2..4; equal weights or k=60 lost 2-5 points. The English model
# reads Dutch poorly, so BM25 leads and the embeddings break ties and bridge other wordings.
RRF_K = 10
SEMANTIC_WEIGHT = 1.0
LEXICAL_WEIGHT = 3.0
# Pseudo-relevance feedback for free text: the best hit's own "more like this" ranking is fused in
# (weight 1, depth 1). Free-text recall@5 0.925 -> 0.983; weights 0.5..2 and depth 1..2 all gave 0.96-0.99.
FEEDBACK_WEIGHT = 1.0


def case_scores_from_chunks(scores: np.ndarray, ids: np.ndarray) -> dict[int, float]:
    """Case score for a set of query chunks (rows): for each query chunk the best matching chunk of the
    case, averaged over the query chunks. A query chunk that did not reach a case in its hit list
    counts with that list's lowest score (an upper bound of what it would have scored)."""
    valid = ids >= 0
    if not valid.any():
        return {}
    floor = np.array([row[ok].min() if ok.any() else 0.0 for row, ok in zip(scores, valid)], dtype=np.float32)
    rows = np.broadcast_to(np.arange(scores.shape[0])[:, None], ids.shape)[valid]
    cases, slot = np.unique(ids[valid] // MAX_CHUNKS_PER_CASE, return_inverse=True)
    best = np.full((len(cases), scores.shape[0]), -np.inf, dtype=np.float32)
    np.maximum.at(best, (slot.ravel(), rows), scores[valid].astype(np.float32))
    best = np.where(np.isfinite(best), best, floor[None, :])
    return dict(zip(cases.tolist(), best.mean(axis=1, dtype=np.float32).tolist()))


def ranked(scores: dict[int, float]) -> list[int]:
    return sorted(scores, key=lambda c: (-scores[c], c))


def rrf(rankings: list[tuple[list[int], float]], k: float = RRF_K) -> dict[int, float]:
    """Weighted reciprocal rank fusion, normalised so a case first in every ranking scores 1.0."""
    fused: dict[int, float] = defaultdict(float)
    for order, weight in rankings:
        for rank, case in enumerate(order, start=1):
            fused[case] += weight / (k + rank)
    best = sum(weight / (k + 1) for _, weight in rankings) or 1.0
    return {case: value / best for case, value in fused.items()}


def hybrid(
    semantic: dict[int, float],
    lexical: dict[int, float],
    *,
    k: float = RRF_K,
    semantic_weight: float = SEMANTIC_WEIGHT,
    lexical_weight: float = LEXICAL_WEIGHT,
) -> dict[int, float]:
    lexical = {c: s for c, s in lexical.items() if s > 0}
    return rrf([(ranked(semantic), semantic_weight), (ranked(lexical), lexical_weight)], k)
