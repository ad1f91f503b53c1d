"""The search engine over CaseDocuments: chunk embeddings in faiss, BM25 per case, hybrid ranking.
It knows nothing of the database or of users: the service decides which cases a caller may see and
passes them in as `allowed`: a set of case ids, an Audience (teams + invited cases, matched against the
documents' team ids here), or None (no restriction)."""

import json
import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from search import chunking, explain, ranking
from search import text as text_mod
from search.chunking import MAX_CHUNKS_PER_CASE
from search.embedding import Embedder
from search.lexical import LexicalIndex
from search.models import Audience, CaseDocument, Facets, Filters, SearchHit
from search.vector_index import VectorIndex

logger = logging.getLogger("casebook.search")

META_VERSION = 1
CHUNK_BUDGET = 200  # word pieces per chunk (model limit 256, minus special tokens and slack)
SEMANTIC_POOL = 200  # nearest chunks fetched per query chunk
CANDIDATES = 100  # cases kept per channel before fusion
MODES = ("hybrid", "hybrid-nofeedback", "semantic", "lexical")
FEEDBACK_TERMS = 40  # terms of the best hit used as the feedback query (highest BM25 weight first)
SCOPE_CACHE = 32  # visible sets whose chunk selection is kept (per user and filter combination)

Allowed = set[int] | Audience | None


@dataclass
class _Scope:
    """The cases a query may see (None: all) and, for a restricted query, their chunk ids (for the vector
    index) and a mask over the lexical index's case order."""

    visible: set[int] | None
    chunks: np.ndarray | None = None
    mask: np.ndarray | None = None
    generation: int = 0
    selector: faiss.IDSelector | None = None


class SearchEngine:
    def __init__(self, embedder: Embedder, directory: Path | None = None):
        self.embedder = embedder
        self.directory = directory
        self.vectors = VectorIndex(embedder.dim)
        self.lexical = LexicalIndex()
        self.docs: dict[int, CaseDocument] = {}
        self.meta: dict[int, dict] = {}  # case_id -> {"fp": fingerprint, "chunks": n}
        self.lock = threading.RLock()
        self._generation = 0  # bumped by every change: cached scopes of an older generation are stale
        self._scopes: dict[object, _Scope] = {}

    # ---- persistence ----------------------------------------------------------------------------

    def _paths(self) -> tuple[Path, Path] | None:
        """(vectors, metadata) files; None for an index kept in memory only."""
        if self.directory is None:
            return None
        return self.directory / "search.faiss", self.directory / "search.meta.json"

    def load(self) -> bool:
        """Read the persisted vectors; False (and an empty index) when missing, unreadable or made
        with another model."""
        paths = self._paths()
        if paths is None or not all(path.exists() for path in paths):
            return False
        index_path, meta_path = paths
        try:
            meta = json.loads(meta_path.read_text())
            if meta.get("version") != META_VERSION or meta.get("model") != self.embedder.model_id:
                return False
            vectors = VectorIndex.load(index_path)
        except (OSError, ValueError, RuntimeError) as exc:
            logger.warning("search index unreadable (%s): rebuilding", type(exc).__name__)
            return False
        expected = sum(entry["chunks"] for entry in meta["cases"].values())
        if vectors.size != expected:
            return False
        self.vectors = vectors
        self.meta = {int(case_id): entry for case_id, entry in meta["cases"].items()}
        return True

    def save(self) -> None:
        paths = self._paths()
        if paths is None:
            return
        index_path, meta_path = paths
        with self.lock:
            index_path.parent.mkdir(parents=True, exist_ok=True)
            self.vectors.save(index_path)
            payload = {
                "version": META_VERSION,
                "model": self.embedder.model_id,
                "cases": {str(c): e for c, e in self.meta.items()},
            }
            partial = meta_path.with_name(f"{meta_path.name}.{os.getpid()}.partial")
            partial.write_text(json.dumps(payload))
            os.replace(partial, meta_path)

    # ---- keeping the index in step with the database ---------------------------------------------

    def sync(self, docs: Iterable[CaseDocument], progress=None) -> dict[str, int]:
        """Make the index hold exactly `docs`: drop cases no longer there, embed new and changed ones.
        `progress(iterable, total)` wraps the embedding loop (a progress bar)."""
        by_case = {doc.case_id: doc for doc in docs}
        with self.lock:
            gone = [c for c in self.meta if c not in by_case]
            for case_id in gone:
                self._remove(case_id)
            stale = [d for c, d in by_case.items() if self.meta.get(c, {}).get("fp") != d.fingerprint()]
            self.docs = dict(by_case)
            self.lexical = LexicalIndex()
            self._generation += 1
            for doc in by_case.values():
                self.lexical.upsert(doc)
        items = progress(stale, len(stale)) if progress and stale else stale
        for doc in items:
            self.upsert(doc, save=False)
        if gone or stale:
            self.save()
        return {"cases": len(by_case), "embedded": len(stale), "removed": len(gone)}

    def upsert(self, doc: CaseDocument, save: bool = True) -> None:
        chunks = chunking.case_chunks(doc, self.embedder.count_tokens, CHUNK_BUDGET) or [doc.title]
        vectors = self.embedder.encode(chunks)
        with self.lock:
            self._remove(doc.case_id)
            self.vectors.add(doc.case_id, vectors)
            self._generation += 1
            self.meta[doc.case_id] = {"fp": doc.fingerprint(), "chunks": len(chunks)}
            self.docs[doc.case_id] = doc
            self.lexical.upsert(doc)
            if save:
                self.save()

    def remove(self, case_id: int, save: bool = True) -> None:
        with self.lock:
            self._remove(case_id)
            self.docs.pop(case_id, None)
            gone = self.lexical.remove(case_id)
            text_mod.forget(gone)
            if gone:
                explain.forget()
            if save:
                self.save()

    def _remove(self, case_id: int) -> None:
        self._generation += 1
        if case_id in self.meta:
            self.vectors.remove(case_id)
            del self.meta[case_id]

    # ---- ranking -------------------------------------------------------------------------------------

    def _visible(self, allowed: Allowed, filters: Filters | None) -> set[int] | None:
        if allowed is None and (filters is None or not filters.active()):
            return None
        pool: Iterable[int]
        if allowed is None:
            pool = self.docs.keys()
        elif isinstance(allowed, Audience):
            pool = [c for c, doc in self.docs.items() if allowed.sees(c, doc.team_id)]
        else:
            pool = (c for c in allowed if c in self.docs)
        return {c for c in pool if filters is None or filters.accepts(self.docs[c])}

    def _scope(self, allowed: Allowed, filters: Filters | None) -> _Scope:
        """What a query may see, with the arrays both channels need (made once per query: a free-text
        query ranks twice). The last few are kept, invalidated by any change to the index, so a user's
        repeated queries reuse them: keyed by the Audience and filters when given one (a few team ids
        and invitations, so a repeated query computes no visible set at all), else by the visible set
        itself. A permission change is a different key either way."""
        key: object
        if isinstance(allowed, Audience):
            key = (allowed, filters.key() if filters is not None and filters.active() else None)
            with self.lock:
                cached = self._scopes.get(key)
                if cached is not None and cached.generation == self._generation:
                    return cached
        elif allowed is None and (filters is None or not filters.active()):
            return _Scope(None)
        else:
            key = None
        with self.lock:
            generation = self._generation
            visible = self._visible(allowed, filters)
            if visible is None:
                return _Scope(None)
            key = key if key is not None else frozenset(visible)
            cached = self._scopes.get(key)
            if cached is not None and cached.generation == generation:
                return cached
            cases = np.fromiter((c for c in visible if c in self.meta), dtype=np.int64)
            counts = np.fromiter(
                (self.meta[c]["chunks"] for c in cases.tolist()), dtype=np.int64, count=len(cases)
            )
            offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
                np.cumsum(counts) - counts, counts
            )
            chunks = np.repeat(cases * MAX_CHUNKS_PER_CASE, counts) + offsets
            scope = _Scope(
                visible, chunks, self.lexical.mask(visible), generation, VectorIndex.selector(chunks)
            )
            self._scopes.pop(key, None)
            if len(self._scopes) >= SCOPE_CACHE:
                self._scopes.pop(next(iter(self._scopes)))
            self._scopes[key] = scope
            return scope

    def _semantic(self, queries: np.ndarray, scope: _Scope, exclude: int | None) -> dict[int, float]:
        with self.lock:
            if self.vectors.size == 0 or len(queries) == 0:
                return {}
            if scope.visible is not None and not scope.visible:
                return {}
            scores, ids = self.vectors.search(queries, SEMANTIC_POOL, scope.chunks, scope.selector)
        found = ranking.case_scores_from_chunks(scores, ids)
        if exclude is not None:
            found.pop(exclude, None)
        top = ranking.ranked(found)[:CANDIDATES]
        return {c: found[c] for c in top if c in self.docs}

    def _lexical(self, terms: list[str], scope: _Scope, exclude: int | None) -> dict[int, float]:
        with self.lock:
            case_ids, scores = self.lexical.scores(terms)
            mask = (
                scope.mask
                if scope.visible is None or (scope.mask is not None and len(scope.mask) == len(case_ids))
                else self.lexical.mask(scope.visible)
            )
        if mask is not None:
            scores = np.where(mask, scores, 0)
        order = (
            np.argpartition(-scores, CANDIDATES)[: CANDIDATES + 1]
            if len(scores) > CANDIDATES + 1
            else np.arange(len(scores))
        )
        order = order[np.argsort(-scores[order], kind="stable")]
        return {int(case_ids[i]): float(scores[i]) for i in order if scores[i] > 0 and case_ids[i] != exclude}

    def rank(
        self,
        *,
        vectors: np.ndarray,
        terms: list[str],
        mode: str = "hybrid",
        allowed: Allowed = None,
        filters: Filters | None = None,
        exclude: int | None = None,
        scope: _Scope | None = None,
    ) -> dict[int, float]:
        """Case scores (higher is better) for a query given as embedded chunks and index terms."""
        scope = scope or self._scope(allowed, filters)
        semantic = self._semantic(vectors, scope, exclude) if mode != "lexical" else {}
        lexical = self._lexical(terms, scope, exclude) if mode != "semantic" else {}
        if mode == "semantic":
            return semantic
        if mode == "lexical":
            top = max(lexical.values(), default=1.0) or 1.0
            return {c: s / top for c, s in lexical.items()}
        return ranking.hybrid(semantic, lexical)

    def query_text(
        self, query: str, mode: str = "hybrid", allowed: Allowed = None, filters: Filters | None = None
    ) -> dict[int, float]:
        """Free-text query. In hybrid mode the best hit's own similar cases are fused in (pseudo-relevance
        feedback), within the same visibility and filters."""
        base_mode = "hybrid" if mode == "hybrid-nofeedback" else mode
        scope = self._scope(allowed, filters)
        scores = self.rank(
            vectors=self.embedder.encode([query]), terms=text_mod.terms(query), mode=base_mode, scope=scope
        )
        if mode != "hybrid" or not scores:
            return scores
        order = ranking.ranked(scores)
        related = self._feedback(order[0], scope)
        return ranking.rrf([(order, 1.0), ([order[0], *ranking.ranked(related)], ranking.FEEDBACK_WEIGHT)])

    def _feedback(self, case_id: int, scope: _Scope) -> dict[int, float]:
        """The feedback query of the best hit: a short "more like this" (one vector, the normalised mean
        of its chunks, and its FEEDBACK_TERMS terms of highest BM25 weight), as measured in
        bench/search_speed.py: the full case as query cost ~10 ms at 100k chunks for the same quality."""
        with self.lock:
            entry = self.meta.get(case_id)
            vectors = (
                self.vectors.vectors_of(case_id, entry["chunks"])
                if entry
                else np.zeros((0, self.embedder.dim))
            )
            terms = self.lexical.top_terms(case_id, FEEDBACK_TERMS)
        if len(vectors):
            mean = vectors.mean(axis=0, dtype=np.float32)
            vectors = (mean / max(float(np.linalg.norm(mean)), 1e-12))[None, :]
        return self.rank(vectors=vectors, terms=terms, exclude=case_id, scope=scope)

    def query_case(self, case_id: int, mode: str = "hybrid", **kwargs) -> dict[int, float]:
        """More like this: the case's own chunks and all its terms are the query."""
        with self.lock:
            entry = self.meta.get(case_id)
            vectors = (
                self.vectors.vectors_of(case_id, entry["chunks"])
                if entry
                else np.zeros((0, self.embedder.dim))
            )
            terms = self.lexical.terms_of(case_id)
        mode = "hybrid" if mode == "hybrid-nofeedback" else mode
        return self.rank(vectors=vectors, terms=terms, exclude=case_id, mode=mode, **kwargs)

    # ---- hits -------------------------------------------------------------------------------------

    def hits(
        self,
        scores: dict[int, float],
        k: int,
        *,
        query_terms: list[str],
        source: CaseDocument | None = None,
        filters: Filters | None = None,
    ) -> list[SearchHit]:
        stems = set(query_terms)
        out = []
        with self.lock:
            for case_id in ranking.ranked(scores)[:k]:
                hit = self._hit(case_id, scores[case_id], stems, source, filters)
                if hit is not None:
                    out.append(hit)
        return out

    def _hit(
        self,
        case_id: int,
        score: float,
        stems: set[str],
        source: CaseDocument | None,
        filters: Filters | None,
    ) -> SearchHit | None:
        doc = self.docs.get(case_id)
        if doc is None:
            return None
        matched = explain.matched_stems(stems, self.lexical.terms_of(case_id))
        if source is not None:  # more like this: the words these two share that few other cases have
            matched = self.lexical.distinctive(matched)
        plain, html = explain.snippet(doc, matched)
        return SearchHit(
            case_id=case_id,
            external_id=doc.external_id,
            score=round(float(score), 4),
            title=doc.title,
            snippet=plain,
            snippet_html=html,
            team=doc.team,
            held_at=doc.held_at,
            life_domains=doc.life_domains,
            bottleneck_kinds=sorted(set(doc.bottleneck_kinds)),
            why=explain.reason(source, doc, matched, filters.domain if filters else None),
        )

    def facets(self, case_ids: Iterable[int]) -> Facets:
        facets = Facets()
        for case_id in case_ids:
            doc = self.docs.get(case_id)
            if doc is None:
                continue
            for domain in doc.life_domains:
                facets.domain[domain] = facets.domain.get(domain, 0) + 1
            for kind in set(doc.bottleneck_kinds):
                facets.kind[kind] = facets.kind.get(kind, 0) + 1
            facets.team[doc.team] = facets.team.get(doc.team, 0) + 1
            known = "ja" if doc.outcome_known else "nee"
            facets.outcome_known[known] = facets.outcome_known.get(known, 0) + 1
        return facets
