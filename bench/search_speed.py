"""Search speed on synthetic corpora (clustered 384-dim unit vectors standing in for chunk embeddings,
Zipf-distributed term lists standing in for chunk texts): index build time and size, single-query
p50/p99 on one thread for semantic (exact, IVF, HNSW), lexical (BM25) and hybrid (query embedding +
ANN + BM25 + fusion), recall@10 of the approximate indexes against exact search, and embedding
throughput per backend for 256-token chunks.

    python bench/search_speed.py [--sizes 10000,100000,1000000] [--queries 200] [--skip-embedding]
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bm25s
import faiss
import numpy as np

from search import ranking
from search.vector_index import nlist_for

DIM = 384
VOCAB = 50_000
TERMS_PER_CHUNK = 60


def clustered(n: int, rng: np.random.Generator, centers: np.ndarray) -> np.ndarray:
    labels = rng.integers(0, len(centers), n)
    x = centers[labels] + rng.standard_normal((n, DIM), dtype=np.float32) * 0.09
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def timed(fn, queries) -> tuple[np.ndarray, list]:
    lat, out = [], []
    for q in queries:
        t = time.perf_counter()
        out.append(fn(q))
        lat.append((time.perf_counter() - t) * 1000)
    return np.array(lat), out


def pct(lat: np.ndarray) -> dict:
    return {"p50_ms": round(float(np.percentile(lat, 50)), 3), "p99_ms": round(float(np.percentile(lat, 99)), 3)}


def index_bytes(index) -> int:
    return int(faiss.serialize_index(index).nbytes)


def recall(approx: list, exact: list) -> float:
    return float(np.mean([len(set(a[a >= 0]) & set(e)) / len(e) for a, e in zip(approx, exact)]))


def semantic_bench(n: int, n_queries: int, rng, hnsw_max: int) -> tuple[dict, dict]:
    centers = rng.standard_normal((max(100, n // 200), DIM), dtype=np.float32) * (1 / np.sqrt(DIM))
    data = clustered(n, rng, centers)
    queries = clustered(n_queries, rng, centers)
    rows, built = {}, {}
    t = time.perf_counter()
    flat = faiss.IndexFlatIP(DIM)
    flat.add(data)
    rows["exact"] = {"build_s": round(time.perf_counter() - t, 2), "bytes": index_bytes(flat)}
    n_exact = n_queries if n <= 100_000 else min(n_queries, 60)
    lat, exact = timed(lambda q: flat.search(q[None], 10)[1][0], queries[:n_exact])
    rows["exact"].update(pct(lat), recall_at_10=1.0)
    if n_exact < n_queries:
        exact += [flat.search(q[None], 10)[1][0] for q in queries[n_exact:]]
    faiss.omp_set_num_threads(2)  # builds may use both cores; queries are measured on one
    t = time.perf_counter()
    nlist = nlist_for(n)
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(DIM), DIM, nlist, faiss.METRIC_INNER_PRODUCT)
    ivf.train(data[rng.choice(n, min(n, nlist * 64), replace=False)])
    ivf.add(data)
    ivf_build = round(time.perf_counter() - t, 2)
    hnsw = None
    if n <= hnsw_max:  # HNSW builds ~15x slower than IVF here: bounded so a run stays within minutes
        t = time.perf_counter()
        hnsw = faiss.IndexHNSWFlat(DIM, 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 64
        hnsw.add(data)
        hnsw_build = round(time.perf_counter() - t, 2)
    faiss.omp_set_num_threads(1)
    for nprobe in (8, 16, 24, 32, 64):
        ivf.nprobe = nprobe
        lat, got = timed(lambda q: ivf.search(q[None], 10)[1][0], queries)
        rows[f"ivf{nlist} nprobe={nprobe}"] = {"build_s": ivf_build, "bytes": index_bytes(ivf), **pct(lat),
                                               "recall_at_10": round(recall(got, exact), 4)}
    for ef in (32, 64, 128) if hnsw is not None else ():
        hnsw.hnsw.efSearch = ef
        lat, got = timed(lambda q: hnsw.search(q[None], 10)[1][0], queries)
        rows[f"hnsw32 ef={ef}"] = {"build_s": hnsw_build, "bytes": index_bytes(hnsw), **pct(lat),
                                   "recall_at_10": round(recall(got, exact), 4)}
    ivf.nprobe = 24
    built.update(ivf=ivf, flat=flat, queries=queries)
    return rows, built


def lexical_bench(n: int, n_queries: int, rng) -> tuple[dict, bm25s.BM25, list]:
    zipf = np.minimum(rng.zipf(1.15, n * TERMS_PER_CHUNK), VOCAB) - 1
    ids = zipf.reshape(n, TERMS_PER_CHUNK).tolist()
    vocab = {f"t{i}": i for i in range(VOCAB)}
    t = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index((ids, vocab), show_progress=False)
    build = round(time.perf_counter() - t, 2)
    size = sum(v.nbytes for v in retriever.scores.values() if hasattr(v, "nbytes"))
    known = sorted({i for row in ids[:2000] for i in row})
    queries = [list(rng.choice(known, 6)) for _ in range(n_queries)]

    def query(q):
        scores = retriever.get_scores_from_ids(q)
        top = np.argpartition(-scores, 100)[:100]
        return top[np.argsort(-scores[top])]

    lat, _ = timed(query, queries)
    return {"bm25": {"build_s": build, "bytes": int(size), **pct(lat)}}, query, queries


def hybrid_bench(built: dict, lexical_query, lexical_queries, embed, n_queries: int) -> dict:
    ivf, flat = built["ivf"], built["flat"]
    index = ivf if flat.ntotal > 50_000 else flat
    texts = ["moeder schulden zoon spijbelt besluit wacht op handtekening jurist",
             "jongere wordt 18 jeugdhulp stopt", "mantelzorger overbelast logeeropvang wmo of zvw"]

    def query(i):
        vector = embed([texts[i % len(texts)]]) if embed else built["queries"][i][None]
        scores, ids = index.search(np.ascontiguousarray(vector, dtype=np.float32), 200)
        semantic = {int(c): float(s) for c, s in zip(ids[0] // 1000, scores[0]) if c >= 0}
        lexical = {int(c): float(100 - r) for r, c in enumerate(lexical_query(lexical_queries[i]))}
        return ranking.hybrid(semantic, lexical)

    lat, _ = timed(query, range(n_queries))
    return {"hybrid (embed + " + ("ivf" if index is ivf else "exact") + " + bm25 + rrf)": {**pct(lat)}}


def embedding_bench() -> dict:
    from search.embedding import default_model_path, get_embedder

    words = ["de", "wijkcoach", "bespreekt", "met", "het", "gezin", "de", "schulden", "en", "de", "aanvraag", "voor", "begeleiding", "bij", "de", "gemeente", "omdat", "het", "besluit", "al", "weken", "op", "een", "handtekening", "van", "de", "jurist", "wacht", "en", "de", "leerplichtambtenaar", "belt"]
    rng = np.random.default_rng(1)
    base = get_embedder(backend="torch")
    chunks = []
    for _ in range(48):  # ~256 word pieces each
        text = " ".join(rng.choice(words, 150))
        ids = base.tokenizer(text, truncation=True, max_length=254, add_special_tokens=False)["input_ids"]
        chunks.append(base.tokenizer.decode(ids))
    results, reference = {}, None
    for backend in ("torch", "onnx-int8"):
        embedder = get_embedder(backend=backend)
        embedder.encode(chunks[:4])
        t = time.perf_counter()
        vectors = embedder.encode(chunks)
        rate = len(chunks) / (time.perf_counter() - t)
        reference = vectors if reference is None else reference
        cosine = (vectors * reference).sum(1)
        results[embedder.backend] = {"chunks_per_s": round(rate, 1), "min_cosine_to_torch": round(float(cosine.min()), 4),
                                     "mean_cosine_to_torch": round(float(cosine.mean()), 4)}
    try:
        from model2vec.distill import distill

        static = distill(model_name=default_model_path(), pca_dims=256)
        static.encode(chunks[:4])
        t = time.perf_counter()
        static.encode(chunks)
        results["model2vec (distilled from the same model)"] = {
            "chunks_per_s": round(len(chunks) / (time.perf_counter() - t), 1),
            "note": "different vector space: cosine to torch not comparable"}
    except Exception as exc:  # noqa: BLE001 - optional, measured when installed
        results["model2vec"] = {"skipped": type(exc).__name__}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-embedding", action="store_true")
    parser.add_argument("--hnsw-max", type=int, default=100_000, help="largest size to also build HNSW for")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    faiss.omp_set_num_threads(1)
    report = {"threads_for_queries": 1, "sizes": {}}
    embed = None
    if not args.skip_embedding:
        report["embedding"] = embedding_bench()
        print_embedding(report["embedding"])
        from search.embedding import get_embedder

        embed = get_embedder().encode
    for n in [int(s) for s in args.sizes.split(",")]:
        rng = np.random.default_rng(n)
        semantic, built = semantic_bench(n, args.queries, rng, args.hnsw_max)
        lexical, lexical_query, lexical_queries = lexical_bench(n, args.queries, rng)
        hybrid = hybrid_bench(built, lexical_query, lexical_queries, embed, args.queries)
        report["sizes"][n] = {**semantic, **lexical, **hybrid}
        report["sizes"][n]["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print_size(n, report["sizes"][n])
        del built
    out = args.out or Path(__file__).resolve().parent / "results" / "search_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"written: {out}")


def print_embedding(rows: dict) -> None:
    print("embedding throughput, 256-token chunks")
    for name, row in rows.items():
        print(f"  {name:<45} {row}")


def print_size(n: int, rows: dict) -> None:
    print(f"\n{n:,} chunks (peak RSS {rows['peak_rss_mb']} MB)")
    print(f"  {'index':<48}{'build s':>9}{'MB':>9}{'p50 ms':>9}{'p99 ms':>9}{'R@10':>8}")
    for name, row in rows.items():
        if isinstance(row, dict):
            mb = f"{row['bytes'] / 2**20:.0f}" if "bytes" in row else ""
            print(f"  {name:<48}{row.get('build_s', ''):>9}{mb:>9}{row['p50_ms']:>9}{row['p99_ms']:>9}"
                  f"{row.get('recall_at_10', ''):>8}")


if __name__ == "__main__":
    main()
