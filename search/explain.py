"""Why a case matched: shared life domains and bottleneck kinds, and a snippet of its text with the
matching words in <mark>. Everything else in the snippet is HTML-escaped."""

from markupsafe import Markup, escape

from search import text as text_mod
from search.models import CaseDocument, Reason

SNIPPET_CHARS = 240


def matched_stems(query_stems: set[str], doc_terms: list[str]) -> set[str]:
    return query_stems & set(doc_terms)


def snippet(doc: CaseDocument, stems: set[str], width: int = SNIPPET_CHARS) -> tuple[str, str]:
    """(plain text, html) of the window of the case's text with the most matching words."""
    body = " ".join(t for name, t in doc.fields() if name not in ("title", "life_domains")) or doc.title
    words = text_mod.words(body)
    hits = [(start, end) for start, end, word in words if _stem_of(word) & stems]
    start = _best_window(hits, width) if hits else 0
    start = _word_start(body, start)
    end = min(len(body), start + width)
    end = _word_end(body, end)
    plain = ("…" if start else "") + body[start:end].strip() + ("…" if end < len(body) else "")
    marks = [(s - start, e - start) for s, e in hits if s >= start and e <= end]
    return plain, highlight(body[start:end], marks, lead="…" if start else "", tail="…" if end < len(body) else "")


def highlight(text: str, spans: list[tuple[int, int]], lead: str = "", tail: str = "") -> str:
    parts, last = [escape(lead)], 0
    for s, e in spans:
        parts += [escape(text[last:s]), Markup("<mark>"), escape(text[s:e]), Markup("</mark>")]
        last = e
    parts += [escape(text[last:]), escape(tail)]
    return str(Markup("").join(parts)).strip()


def reason(source: CaseDocument | None, doc: CaseDocument, stems: set[str], filters_domain: str | None = None) -> Reason:
    if source is not None:
        domains = [d for d in doc.life_domains if d in source.life_domains]
        kinds = sorted(set(doc.bottleneck_kinds) & set(source.bottleneck_kinds))
    else:
        domains = [filters_domain] if filters_domain else []
        kinds = []
    words = {}
    for _, _, word in text_mod.words(" ".join(t for _, t in doc.fields())):
        if _stem_of(word) & stems and len(words) < 8:
            words.setdefault(_stem_of_one(word), word)
    return Reason(shared_domains=domains, shared_kinds=kinds, matched_terms=list(words.values()))


def _stem_of_one(word: str) -> str:
    return text_mod.stem(word)


def _stem_of(word: str) -> set[str]:
    parts = [word, *word.split("-")] if "-" in word else [word]
    return {text_mod.stem(p) for p in parts if p not in text_mod.STOPWORDS and len(p) > 1}


def _best_window(hits: list[tuple[int, int]], width: int) -> int:
    best_start, best_count, j = hits[0][0], 0, 0
    for i, (start, _) in enumerate(hits):
        while hits[j][0] < start - width // 3:
            j += 1
        count = sum(1 for s, e in hits[j:] if s >= start - width // 3 and e <= start + 2 * width // 3)
        if count > best_count:
            best_start, best_count = max(0, start - width // 3), count
    return best_start


def _word_start(text: str, index: int) -> int:
    while 0 < index < len(text) and not text[index - 1].isspace():
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    while index < len(text) and not text[index].isspace():
        index += 1
    return index
