"""The faiss index of chunk vectors, with chunk id = case_id * 1000 + chunk number, so all chunks of
a case are one id range (removal by range, case id by integer division).

Exact inner-product search while the index is small; above EXACT_LIMIT chunks an IVF index (it keeps
supporting removal and incremental adds, which HNSW does not). EXACT_LIMIT, nlist and nprobe come from
bench/search_speed.py on this kind of machine (2 cores): see bench/README.md."""

import math
import os
from pathlib import Path

import faiss
import numpy as np

from search.chunking import MAX_CHUNKS_PER_CASE

EXACT_LIMIT = 50_000
# nprobe follows the size: enough lists to scan ~SCAN_TARGET vectors (at least MIN_NPROBE). Measured on
# vectors distributed like real chunk embeddings (bench/search_speed.py ann): recall@10 >= 0.98 needed
# ~5k scanned vectors at both 100k (nlist 1264: nprobe ~64) and 1M (nlist 4000: nprobe ~20).
SCAN_TARGET = 5_000
MIN_NPROBE = 16


def chunk_ids(case_id: int, count: int) -> np.ndarray:
    return np.arange(count, dtype=np.int64) + case_id * MAX_CHUNKS_PER_CASE


def nlist_for(size: int) -> int:
    return max(64, min(16_384, int(4 * math.sqrt(size))))


def nprobe_for(size: int, nlist: int) -> int:
    return max(1, min(nlist, max(MIN_NPROBE, math.ceil(SCAN_TARGET * nlist / max(size, 1)))))


def exact_index(dim: int) -> faiss.Index:
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def ivf_index(
    vectors: np.ndarray, ids: np.ndarray, nlist: int | None = None, nprobe: int | None = None
) -> faiss.Index:
    dim = vectors.shape[1]
    nlist = nlist or nlist_for(len(vectors))
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    sample = (
        vectors
        if len(vectors) <= nlist * 64
        else vectors[np.random.default_rng(0).choice(len(vectors), nlist * 64, replace=False)]
    )
    index.train(sample)
    index.set_direct_map_type(faiss.DirectMap.Hashtable)
    index.add_with_ids(vectors, ids)
    index.nprobe = nprobe or nprobe_for(index.ntotal, nlist)
    return index


class VectorIndex:
    """Chunk vectors of all indexed cases; not thread-safe on its own (the engine holds the lock)."""

    def __init__(self, dim: int, index: faiss.Index | None = None):
        self.dim = dim
        self.index = index if index is not None else exact_index(dim)

    @property
    def size(self) -> int:
        return self.index.ntotal

    @property
    def approximate(self) -> bool:
        return isinstance(self.index, faiss.IndexIVF)

    def add(self, case_id: int, vectors: np.ndarray) -> None:
        self.index.add_with_ids(
            np.ascontiguousarray(vectors, dtype=np.float32), chunk_ids(case_id, len(vectors))
        )
        if not self.approximate and self.size > EXACT_LIMIT:
            self._to_ivf()
        elif self.approximate:
            self.index.nprobe = nprobe_for(self.size, self.index.nlist)

    def remove(self, case_id: int) -> None:
        lo = case_id * MAX_CHUNKS_PER_CASE
        self.index.remove_ids(faiss.IDSelectorRange(lo, lo + MAX_CHUNKS_PER_CASE))

    def vectors_of(self, case_id: int, count: int) -> np.ndarray:
        ids = chunk_ids(case_id, count)
        return (
            np.vstack([self.index.reconstruct(int(i)) for i in ids])
            if count
            else np.zeros((0, self.dim), np.float32)
        )

    @staticmethod
    def selector(allowed_chunks: np.ndarray) -> faiss.IDSelector:
        """A reusable selector of the given chunk ids (building one for ~10k ids costs a few ms)."""
        ids = np.ascontiguousarray(allowed_chunks, dtype=np.int64)
        selector = faiss.IDSelectorBatch(ids)
        selector.referenced_ids = ids  # keep the array alive as long as the selector
        return selector

    def search(
        self,
        queries: np.ndarray,
        n: int,
        allowed_chunks: np.ndarray | None = None,
        selector: faiss.IDSelector | None = None,
    ):
        """(scores, chunk ids) of the `n` nearest chunks per query row; ids -1 pad missing places.
        `allowed_chunks` (or a prebuilt `selector` of them) restricts the search to those chunks."""
        n = max(1, min(n, self.size))
        params = None
        if selector is None and allowed_chunks is not None:
            selector = self.selector(allowed_chunks)
        if selector is not None:
            params = (
                faiss.SearchParametersIVF(sel=selector, nprobe=self.index.nprobe)
                if self.approximate
                else faiss.SearchParameters(sel=selector)
            )
        return self.index.search(np.ascontiguousarray(queries, dtype=np.float32), n, params=params)

    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        if self.approximate:
            invlists = self.index.invlists
            ids: list[np.ndarray] = []
            vectors: list[np.ndarray] = []
            for list_no in range(self.index.nlist):
                size = invlists.list_size(list_no)
                if size:
                    ids.append(faiss.rev_swig_ptr(invlists.get_ids(list_no), size).copy())
                    codes = faiss.rev_swig_ptr(invlists.get_codes(list_no), size * self.dim * 4)
                    vectors.append(np.frombuffer(codes.copy(), dtype=np.float32).reshape(size, self.dim))
            if not ids:
                return np.zeros((0, self.dim), np.float32), np.zeros(0, np.int64)
            return np.vstack(vectors), np.concatenate(ids)
        stored = faiss.vector_to_array(self.index.id_map).astype(np.int64)
        return self.index.index.reconstruct_n(0, len(stored)), stored

    def _to_ivf(self) -> None:
        vectors, ids = self.all_vectors()
        self.index = ivf_index(vectors, ids)

    def save(self, path: Path) -> None:
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        faiss.write_index(self.index, str(partial))
        os.replace(partial, path)

    @classmethod
    def load(cls, path: Path) -> "VectorIndex":
        index = faiss.read_index(str(path))
        if isinstance(index, faiss.IndexIVF):
            index.nprobe = nprobe_for(index.ntotal, index.nlist)
            if index.direct_map.type == faiss.DirectMap.NoMap:
                index.set_direct_map_type(faiss.DirectMap.Hashtable)
        return cls(index.d, index)
