"""Turning chunk hits and BM25 scores into one case ranking. The constants were tuned with
bench/search_quality.py on the evaluation set (never on case ids or sentences) and checked for
stability: neighbouring values give nearly the same figures."""

from collections import defaultdict

import numpy as np

from search.vector_index import case_of

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
    floor = np.array([row[valid].min() if valid.any() else 0.0 for row, valid in zip(scores, ids >= 0)],
                     dtype=np.float32)
    best: dict[int, np.ndarray] = {}
    seen: dict[int, np.ndarray] = {}
    for r in range(scores.shape[0]):
        for score, chunk in zip(scores[r], ids[r]):
            if chunk < 0:
                continue
            case = case_of(chunk)
            if case not in best:
                best[case], seen[case] = floor.copy(), np.zeros(len(floor), dtype=bool)
            if not seen[case][r] or score > best[case][r]:
                best[case][r], seen[case][r] = score, True
    return {case: float(values.mean()) for case, values in best.items()}


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


def hybrid(semantic: dict[int, float], lexical: dict[int, float], *, k: float = RRF_K,
           semantic_weight: float = SEMANTIC_WEIGHT, lexical_weight: float = LEXICAL_WEIGHT) -> dict[int, float]:
    lexical = {c: s for c, s in lexical.items() if s > 0}
    return rrf([(ranked(semantic), semantic_weight), (ranked(lexical), lexical_weight)], k)
