"""Why a case matched: shared life domains and bottleneck kinds, and a snippet of its text with the
matching words in <mark>. Everything else in the snippet is HTML-escaped."""

import re
from functools import lru_cache

from markupsafe import Markup, escape

from search import text as text_mod
from search.models import CaseDocument, Reason

SNIPPET_CHARS = 240


def matched_stems(query_stems: set[str], doc_terms: list[str]) -> set[str]:
    return query_stems & set(doc_terms)


def snippet(doc: CaseDocument, stems: set[str], width: int = SNIPPET_CHARS) -> tuple[str, str]:
    """(plain text, html) of the window of the case's text with the most matching words."""
    body = " ".join(t for name, t in doc.fields() if name not in ("title", "life_domains")) or doc.title
    hits = [(start, end) for start, end, _ in matching_words(body, stems)]
    start = _best_window(hits, width) if hits else 0
    start = _word_start(body, start)
    end = min(len(body), start + width)
    end = _word_end(body, end)
    plain = ("…" if start else "") + body[start:end].strip() + ("…" if end < len(body) else "")
    marks = [(s - start, e - start) for s, e in hits if s >= start and e <= end]
    return plain, highlight(
        body[start:end], marks, lead="…" if start else "", tail="…" if end < len(body) else ""
    )


def highlight(text: str, spans: list[tuple[int, int]], lead: str = "", tail: str = "") -> str:
    parts, last = [escape(lead)], 0
    for s, e in spans:
        parts += [escape(text[last:s]), Markup("<mark>"), escape(text[s:e]), Markup("</mark>")]
        last = e
    parts += [escape(text[last:]), escape(tail)]
    return str(Markup("").join(parts)).strip()


def reason(
    source: CaseDocument | None, doc: CaseDocument, stems: set[str], filters_domain: str | None = None
) -> Reason:
    if source is not None:
        domains = [d for d in doc.life_domains if d in source.life_domains]
        kinds = sorted(set(doc.bottleneck_kinds) & set(source.bottleneck_kinds))
    else:
        domains = [filters_domain] if filters_domain else []
        kinds = []
    words: dict[str, str] = {}
    for _, _, word in iter_matching_words(" ".join(t for _, t in doc.fields()), stems):
        words.setdefault(_stem_of_one(word), word)
        if len(words) >= 8:
            break
    return Reason(shared_domains=domains, shared_kinds=kinds, matched_terms=list(words.values()))


def matching_words(text: str, stems: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, folded word) of every word in `text` whose stem (or a hyphen part's) is in `stems`;
    the same as filtering text.words(text) word by word, but the text is scanned once by a regex for
    the spellings those stems were indexed from (text.SURFACES), and only those places are stemmed."""
    return list(iter_matching_words(text, stems))


def iter_matching_words(text: str, stems: set[str]):
    if not stems:
        return
    forms = [text_mod.SURFACES.get(s) for s in stems]
    known = [group for group in forms if group]
    if len(known) < len(forms):  # a stem whose spellings are unknown here: check every word
        yield from (w for w in text_mod.words(text) if _stem_of(w[2]) & stems)
        return
    text = text_mod.PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)
    lowered = text.lower()
    same_length = len(lowered) == len(text)
    pattern = _surface_pattern(frozenset(f for group in known for f in group), not same_length)
    last = -1
    for hit in pattern.finditer(lowered if same_length else text):
        start = hit.start()
        if start < last:
            continue  # inside a word already seen: no need to walk back to its start again
        while start > 0 and (
            _WORDCHAR.match(text, start - 1)
            or (text[start - 1] in "-'" and start > 1 and _WORDCHAR.match(text, start - 2))
        ):
            start -= 1
        if start <= last:
            continue  # another part of a word already seen
        word = text_mod.WORD.match(text, start)
        assert word is not None  # start is a word's first character by construction
        last = word.end()
        folded = text_mod.fold(word.group())
        if _stem_of(folded) & stems:
            yield word.start(), word.end(), folded


_WORDCHAR = re.compile(r"[^\W_]")


@lru_cache(maxsize=512)
def _surface_pattern(forms: frozenset[str], ignore_case: bool) -> re.Pattern:
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE if ignore_case else 0)


def _stem_of_one(word: str) -> str:
    return text_mod.stem(word)


@lru_cache(maxsize=100_000)
def _stem_of(word: str) -> frozenset[str]:
    parts = [word, *word.split("-")] if "-" in word else [word]
    return frozenset(text_mod.stem(p) for p in parts if p not in text_mod.STOPWORDS and len(p) > 1)


def forget() -> None:
    """Drop the cached words and spellings: an erased case's words leave memory with it (text.forget)."""
    _stem_of.cache_clear()
    _surface_pattern.cache_clear()


def _best_window(hits: list[tuple[int, int]], width: int) -> int:
    """Start of the window (a third before a hit, two thirds after) holding the most hits.

    Hits are sorted and do not overlap, so both window edges only move forward: one pass over the
    hits (a case with thousands of matching words must not stall search)."""
    before, after = width // 3, 2 * width // 3
    best_start, best_count, first, last = hits[0][0], 0, 0, 0
    for start, _ in hits:
        while hits[first][0] < start - before:
            first += 1
        while last < len(hits) and hits[last][1] <= start + after:
            last += 1
        if last - first > best_count:
            best_start, best_count = max(0, start - before), last - first
    return best_start


def _word_start(text: str, index: int) -> int:
    while 0 < index < len(text) and not text[index - 1].isspace():
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    while index < len(text) and not text[index].isspace():
        index += 1
    return index
