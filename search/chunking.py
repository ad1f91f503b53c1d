"""Long case texts are split into chunks the model can read whole (its limit is 256 word pieces;
anything past it would be silently cut off). Chunks follow sentence boundaries."""

import re
from collections.abc import Callable

from search.models import CaseDocument

SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
MAX_CHUNKS_PER_CASE = 1000  # chunk ids are case_id * 1000 + chunk number


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s and s.strip()]


def chunk_texts(texts: list[str], count_tokens: Callable[[list[str]], list[int]], budget: int) -> list[str]:
    """Pack sentences (in order) into chunks of at most `budget` tokens; a sentence longer than the
    budget is cut into word windows."""
    pieces = [s for text in texts for s in sentences(text)]
    if not pieces:
        return []
    pieces = [
        part for piece, n in zip(pieces, count_tokens(pieces)) for part in _split_long(piece, n, budget)
    ]
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for piece, n in zip(pieces, count_tokens(pieces)):
        if current and used + n > budget:
            chunks.append(" ".join(current))
            current, used = [], 0
        current.append(piece)
        used += n
    if current:
        chunks.append(" ".join(current))
    return chunks[:MAX_CHUNKS_PER_CASE]


def _split_long(piece: str, tokens: int, budget: int) -> list[str]:
    if tokens <= budget:
        return [piece]
    words = piece.split()
    # Dutch in an English word-piece vocabulary runs ~2 pieces per word; stay safely inside the budget.
    step = max(8, int(len(words) * budget / tokens * 0.9))
    return [" ".join(words[i : i + step]) for i in range(0, len(words), step)]


def case_chunks(doc: CaseDocument, count_tokens: Callable[[list[str]], list[int]], budget: int) -> list[str]:
    return chunk_texts([text for _, text in doc.fields()], count_tokens, budget)
