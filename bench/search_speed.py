"""Search speed. Four parts (see bench/README.md for the commands and the figures):

- `ann`: the approximate index against exact search at scale (1M chunks): recall@10 and single-thread
  p50/p99 for the product's IVF (through search.vector_index) over an nprobe sweep, and HNSW. The
  vectors are sampled around real embeddings of the demo corpus (see `realistic`).
- `api`: hybrid search end to end through `casebook serve` and HTTP on a ~100k-chunk data dir.
- `embedding`: chunks/s, torch vs the product's ONNX backend, alternating rounds: 256-token chunks and
  the demo corpus' real chunks.
- `embedding-recipes`: the experiment behind the ONNX recipe (fusion, QInt8/QUInt8, per channel/tensor,
  weight-only 8-bit, batch size).
- `synthetic`: in-process figures per corpus size: exact/IVF/HNSW, BM25 (Zipf term lists), hybrid.

    python bench/search_speed.py {ann,api,embedding,embedding-recipes,synthetic} [options]
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


def timed(fn, queries) -> tuple[np.ndarray, list]:
    lat, out = [], []
    for q in queries:
        t = time.perf_counter()
        out.append(fn(q))
        lat.append((time.perf_counter() - t) * 1000)
    return np.array(lat), out


def pct(lat: np.ndarray) -> dict:
    return {
        "p50_ms": round(float(np.percentile(lat, 50)), 3),
        "p99_ms": round(float(np.percentile(lat, 99)), 3),
    }


def index_bytes(index) -> int:
    return int(faiss.serialize_index(index).nbytes)


def recall(approx: list, exact: list) -> float:
    return float(np.mean([len(set(a[a >= 0]) & set(e)) / len(e) for a, e in zip(approx, exact)]))


def semantic_bench(n: int, n_queries: int, rng, hnsw_max: int) -> tuple[dict, dict]:
    anchors = demo_anchor_vectors()
    data = realistic(n, rng, anchors)
    queries = realistic(n_queries, rng, anchors)
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
        rows[f"ivf{nlist} nprobe={nprobe}"] = {
            "build_s": ivf_build,
            "bytes": index_bytes(ivf),
            **pct(lat),
            "recall_at_10": round(recall(got, exact), 4),
        }
    for ef in (32, 64, 128) if hnsw is not None else ():
        hnsw.hnsw.efSearch = ef
        lat, got = timed(lambda q: hnsw.search(q[None], 10)[1][0], queries)
        rows[f"hnsw32 ef={ef}"] = {
            "build_s": hnsw_build,
            "bytes": index_bytes(hnsw),
            **pct(lat),
            "recall_at_10": round(recall(got, exact), 4),
        }
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
    texts = [
        "moeder schulden zoon spijbelt besluit wacht op handtekening jurist",
        "jongere wordt 18 jeugdhulp stopt",
        "mantelzorger overbelast logeeropvang wmo of zvw",
    ]

    def query(i):
        vector = embed([texts[i % len(texts)]]) if embed else built["queries"][i][None]
        scores, ids = index.search(np.ascontiguousarray(vector, dtype=np.float32), 200)
        semantic = {int(c): float(s) for c, s in zip(ids[0] // 1000, scores[0]) if c >= 0}
        lexical = {int(c): float(100 - r) for r, c in enumerate(lexical_query(lexical_queries[i]))}
        return ranking.hybrid(semantic, lexical)

    lat, _ = timed(query, range(n_queries))
    return {"hybrid (embed + " + ("ivf" if index is ivf else "exact") + " + bm25 + rrf)": {**pct(lat)}}


def _chunks_256(tokenizer, n_chunks: int) -> list[str]:
    """n_chunks texts of exactly 256 word pieces each with [CLS] and [SEP] (Dutch case-note words)."""
    words = [
        "de",
        "wijkcoach",
        "bespreekt",
        "met",
        "het",
        "gezin",
        "de",
        "schulden",
        "en",
        "de",
        "aanvraag",
        "voor",
        "begeleiding",
        "bij",
        "de",
        "gemeente",
        "omdat",
        "het",
        "besluit",
        "al",
        "weken",
        "op",
        "een",
        "handtekening",
        "van",
        "de",
        "jurist",
        "wacht",
        "en",
        "de",
        "leerplichtambtenaar",
        "belt",
    ]
    rng = np.random.default_rng(1)
    chunks = []
    for _ in range(n_chunks):
        text = " ".join(rng.choice(words, 150))
        ids = tokenizer(text, truncation=True, max_length=254, add_special_tokens=False)["input_ids"]
        chunks.append(tokenizer.decode(ids))
    return chunks


def _demo_chunks(count_tokens) -> list[str]:
    """The demo corpus' real chunks (product chunking, 12-200 word pieces, median ~180), shuffled."""
    import random

    from casebook.demo.generator import generate_cases
    from search import chunking
    from search.engine import CHUNK_BUDGET

    chunks = []
    for demo in generate_cases():
        c = demo.case
        fields = [
            f
            for f in [
                c.title,
                c.narrative,
                c.support_question,
                c.support_plan,
                c.outcome,
                *c.plan_items,
                *(b.description for b in c.bottlenecks),
            ]
            if f
        ]
        chunks += chunking.chunk_texts(fields, count_tokens, CHUNK_BUDGET)
    random.Random(5).shuffle(chunks)
    return chunks


def _alternate(fns: dict, reference: str, rounds: int, n: int) -> dict:
    """Run every fn once (warm-up), then `rounds` rounds of all fns in turn; medians, cosine to `reference`."""
    rates = {name: [] for name in fns}
    vectors = {name: fn() for name, fn in fns.items()}
    for _ in range(rounds):
        for name, fn in fns.items():
            t = time.perf_counter()
            vectors[name] = fn()
            rates[name].append(n / (time.perf_counter() - t))
    base = float(np.median(rates[reference]))
    out = {}
    for name in fns:
        v = vectors[name] / np.linalg.norm(vectors[name], axis=1, keepdims=True)
        cosine = (v * vectors[reference]).sum(1)
        rate = float(np.median(rates[name]))
        out[name] = {
            "chunks_per_s": round(rate, 1),
            "speedup_vs_torch": round(rate / base, 2),
            "rounds": [round(r, 1) for r in rates[name]],
            "min_cosine_to_torch": round(float(cosine.min()), 4),
            "mean_cosine_to_torch": round(float(cosine.mean()), 4),
        }
    return out


def embedding_bench(rounds: int = 5, n_chunks: int = 48) -> dict:
    """chunks/s, torch fp32 (sentence-transformers) against the product's ONNX backend, measured in
    alternating rounds in the same process (so load from other work on the machine hits both alike);
    medians over the rounds, and cosine of every vector to full precision. Two inputs: 256-token
    chunks (the issue's figure) and the demo corpus' real, varied-length chunks."""
    from search.embedding import default_model_path, get_embedder

    base = get_embedder(backend="torch")
    onnx = get_embedder(backend="onnx-int8")
    label = f"{onnx.backend}:{onnx.recipe}" if onnx.recipe else onnx.backend
    results = {}
    for name, chunks in (
        ("256-token chunks", _chunks_256(base.tokenizer, n_chunks)),
        ("demo corpus chunks", _demo_chunks(base.count_tokens)),
    ):
        rows = _alternate(
            {"torch": lambda c=chunks: base.encode(c), label: lambda c=chunks: onnx.encode(c)},
            "torch",
            rounds if name.startswith("256") else max(1, rounds // 2),
            len(chunks),
        )
        results[f"{name} ({len(chunks)})"] = rows
    try:
        from model2vec.distill import distill

        chunks = _chunks_256(base.tokenizer, n_chunks)
        static = distill(model_name=default_model_path(), pca_dims=256)
        static.encode(chunks[:4])
        t = time.perf_counter()
        static.encode(chunks)
        results["model2vec (distilled from the same model), 256-token chunks"] = {
            "chunks_per_s": round(len(chunks) / (time.perf_counter() - t), 1),
            "note": "different vector space: cosine to torch not comparable",
        }
    except Exception as exc:  # noqa: BLE001 - optional, measured when installed
        results["model2vec"] = {"skipped": type(exc).__name__}
    return results


def embedding_recipes_bench(rounds: int, n_chunks: int, batches: list[int], work: Path) -> dict:
    """The experiment behind the product's ONNX recipe: export (SDPA as sentence-transformers loads the
    model, or eager attention) x onnxruntime BERT fusion x dynamic quantisation (QInt8/QUInt8 weights,
    per channel/per tensor) x batch size, plus 8-bit block-wise weight-only quantisation (MatMulNBits),
    each an onnxruntime session (ORT_ENABLE_ALL, 2 intra-op threads) fed length-sorted batches, in
    alternating rounds with torch on 256-token chunks. Models are written under `work` once."""
    import logging

    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    from onnxruntime.transformers import optimizer
    from sentence_transformers import SentenceTransformer

    from search.embedding import _onnx_encoder, default_model_path, export_fp32, get_embedder

    logging.getLogger().setLevel(
        logging.WARNING
    )  # matmul_nbits_quantizer sets the root logger to INFO on import
    base = get_embedder(backend="torch")
    chunks = _chunks_256(base.tokenizer, n_chunks)
    model = SentenceTransformer(default_model_path(), device="cpu", local_files_only=True)
    transformer = model[0].auto_model.eval()
    config = transformer.config
    work.mkdir(parents=True, exist_ok=True)

    def export(attention: str) -> Path:
        out = work / f"{attention}.fp32.onnx"
        if not out.exists():
            export_fp32(model, out, attention=attention)
        return out

    fusion = {}

    def fuse(source: Path) -> Path:
        out = source.with_name(source.name.replace(".fp32", ".fused"))
        optimised = optimizer.optimize_model(
            str(source),
            model_type="bert",
            num_heads=config.num_attention_heads,
            hidden_size=config.hidden_size,
            opt_level=0,
        )
        fusion[out.name] = {k: v for k, v in optimised.get_fused_operator_statistics().items() if v}
        if not out.exists():
            optimised.save_model_to_file(str(out))
        return out

    def dynamic(source: Path, weight: str, per_channel: bool) -> Path:
        out = source.with_name(
            source.name.replace(".onnx", f".{weight}{'-pc' if per_channel else '-pt'}.onnx")
        )
        if not out.exists():
            quantize_dynamic(
                str(source),
                str(out),
                weight_type=getattr(QuantType, weight),
                per_channel=per_channel,
                extra_options={"DefaultTensorType": 1},
            )
        return out

    def nbits(source: Path, block: int) -> Path:
        out = source.with_name(source.name.replace(".onnx", f".nbits8-b{block}.onnx"))
        if not out.exists():
            quantizer = MatMulNBitsQuantizer(
                onnx.load(str(source)), bits=8, block_size=block, is_symmetric=True, accuracy_level=4
            )
            quantizer.process()
            quantizer.model.save_model_to_file(str(out))
        return out

    sdpa, eager = export("sdpa"), export("eager")
    transformer.set_attn_implementation("sdpa")
    sdpa_fused, eager_fused = fuse(sdpa), fuse(eager)
    models = {"fp32 (sdpa export)": sdpa, "fp32 fused (eager export)": eager_fused}
    for label, source in (("plain", sdpa), ("fused sdpa", sdpa_fused), ("fused eager", eager_fused)):
        for weight in ("QInt8", "QUInt8"):
            for per_channel in (True, False):
                if label == "fused sdpa" and not per_channel:
                    continue
                models[f"{label} {weight} {'per-channel' if per_channel else 'per-tensor'}"] = dynamic(
                    source, weight, per_channel
                )
    models["fused eager 8-bit weight-only b32"] = nbits(eager_fused, 32)
    models["fused eager 8-bit weight-only b128"] = nbits(eager_fused, 128)

    import search.embedding as embedding_module

    fns = {"torch": lambda: base.encode(chunks)}
    saved = embedding_module.BATCH_SIZE
    for label, path in models.items():
        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        for batch in (
            batches
            if label.startswith(("plain QInt8 per-channel", "fused eager QInt8 per-channel"))
            else [16]
        ):
            encode = _onnx_encoder(session, base.tokenizer, base.max_tokens)

            def run(encode=encode, batch=batch):
                embedding_module.BATCH_SIZE = batch
                try:
                    return encode(chunks)
                finally:
                    embedding_module.BATCH_SIZE = saved

            fns[f"{label}, batch {batch}"] = run
    rows = _alternate(fns, "torch", rounds, len(chunks))
    return {"fusion": fusion, "rows": rows}


# ---- realistic synthetic chunk vectors ------------------------------------------------------------

ANCHORS = Path(__file__).resolve().parent / "results" / "demo_vectors.npy"


def demo_anchor_vectors() -> np.ndarray:
    """Real embeddings (the product's embedder) of the demo corpus: its chunks and its sentences.
    Cached under bench/results/ (about 40 s to make)."""
    if ANCHORS.exists():
        return np.load(ANCHORS)
    from casebook.demo.generator import generate_cases
    from search import chunking
    from search.embedding import get_embedder

    embedder = get_embedder()
    chunks, sentences = [], set()
    for demo in generate_cases():
        c = demo.case
        fields = [
            f
            for f in [
                c.title,
                c.narrative,
                c.support_question,
                c.support_plan,
                c.outcome,
                *c.plan_items,
                *(b.description for b in c.bottlenecks),
            ]
            if f
        ]
        chunks += chunking.chunk_texts(fields, embedder.count_tokens, 200)
        for f in fields:
            sentences.update(s for s in chunking.sentences(f) if len(s) > 20)
    vectors = embedder.encode(chunks + sorted(sentences))
    ANCHORS.parent.mkdir(parents=True, exist_ok=True)
    np.save(ANCHORS, vectors)
    return vectors


def realistic(
    n: int, rng: np.random.Generator, anchors: np.ndarray, spread: float = 1.0, k: int = 10
) -> np.ndarray:
    """Vectors distributed like real chunk embeddings: a point between a real demo embedding and one of
    its 10 nearest real neighbours, plus Gaussian noise with the real embeddings' own covariance (so the
    noise lies in the directions real texts vary in, not uniformly over 384 dimensions), normalised.
    spread=1.0 gives a median nearest-neighbour cosine of ~0.73 at 100k and ~0.76 at 1M, below the
    0.85 the 1.7k real demo vectors already have among themselves: a conservative (harder) set."""
    sims = anchors @ anchors.T
    np.fill_diagonal(sims, -1)
    neighbours = np.argsort(-sims, axis=1)[:, :k]
    eigval, eigvec = np.linalg.eigh(np.cov((anchors - anchors.mean(0)).T))
    shape = (eigvec * np.sqrt(np.maximum(eigval, 0))).T.astype(np.float32)
    out = np.empty((n, anchors.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        i = rng.integers(0, len(anchors), m)
        j = neighbours[i, rng.integers(0, k, m)]
        lam = rng.random((m, 1), dtype=np.float32)
        x = (1 - lam) * anchors[i] + lam * anchors[j]
        x += spread * (rng.standard_normal((m, anchors.shape[1]), dtype=np.float32) @ shape)
        out[start : start + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


# ---- end to end through the API -------------------------------------------------------------------


def _synthetic_cases(n_chunks: int, rng: np.random.Generator, count_tokens):
    """Cases made of the demo corpus' texts: each mixes the paragraphs of three demo cases (sentences
    shuffled within a paragraph, ~10% dropped), so no two are equal, until the chunks reach `n_chunks`."""
    import random

    from casebook.demo.generator import generate_cases
    from search import chunking
    from search.engine import CHUNK_BUDGET

    demo = [d.case for d in generate_cases()]
    pick = random.Random(7)
    cases, total = [], 0
    while total < n_chunks:
        parts = pick.sample(demo, 3)
        paragraphs = [
            p for c in parts for p in [*c.narrative.split("\n\n"), c.support_plan, *c.plan_items] if p
        ]
        pick.shuffle(paragraphs)
        varied = []
        for p in paragraphs:
            sentences = chunking.sentences(p)
            pick.shuffle(sentences)
            varied.append(" ".join(s for s in sentences if pick.random() > 0.1) or p)
        main = parts[0]
        case = {
            "title": f"{main.title} ({len(cases) + 1})",
            "narrative": "\n\n".join(varied),
            "support_question": main.support_question,
            "support_plan": parts[1].support_plan,
            "outcome": main.outcome,
            "held_at": main.held_at,
            "team": main.team,
            "domains": list(dict.fromkeys(d.domain for c in parts[:2] for d in c.life_domains)),
            "bottlenecks": [b for c in parts[:2] for b in c.bottlenecks],
        }
        fields = [
            case["title"],
            case["narrative"],
            case["support_question"],
            case["support_plan"],
            case["outcome"],
            *(b.description for b in case["bottlenecks"]),
        ]
        case["chunks"] = len(chunking.chunk_texts([f for f in fields if f], count_tokens, CHUNK_BUDGET))
        total += case["chunks"]
        cases.append(case)
    return cases


def build_api_data(data_dir: Path, n_chunks: int, spread: float) -> dict:
    """A data dir holding ~n_chunks chunks: cases written straight into the database (bench only), two
    users with tokens, and the search index files the app loads at start. Chunk texts are real product
    chunking of the case texts; chunk vectors come from `realistic` (embedding 100k chunks would take
    ~40 min on 2 cores; the query is embedded for real at query time)."""
    from sqlmodel import Session

    from casebook.accounts import service as account_service
    from casebook.accounts.models import Role
    from casebook.cases.models import Bottleneck, Case, LifeDomainEntry
    from casebook.db import make_engine, migrate
    from casebook.settings import Settings
    from search import chunking
    from search import service as search_service
    from search.embedding import get_embedder
    from search.engine import CHUNK_BUDGET, SearchEngine
    from search.vector_index import EXACT_LIMIT, VectorIndex, chunk_ids, exact_index, ivf_index

    t0 = time.perf_counter()
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=data_dir)
    db = make_engine(settings.sqlalchemy_url)
    migrate(db)
    embedder = get_embedder()
    rng = np.random.default_rng(11)
    cases = _synthetic_cases(n_chunks, rng, embedder.count_tokens)
    tokens = {}
    with Session(db) as s:
        teams = {
            name: account_service.get_or_create_team(db_session=s, name=name).id
            for name in sorted({c["team"] for c in cases})
        }
        for username, role, team in (
            ("bench-manager", Role.manager, []),
            ("bench-coach", Role.coach, [min(teams)]),
        ):
            user = account_service.create_user(
                db_session=s, username=username, password="bench-password-1", role=role, teams=team
            )
            tokens[username] = account_service.create_token(db_session=s, user=user)
        s.commit()
        s.add_all(
            [
                Case(
                    id=number,
                    external_id=f"SYN-{number:06d}",
                    title=c["title"],
                    team_id=teams[c["team"]],
                    narrative=c["narrative"],
                    support_question=c["support_question"],
                    support_plan=c["support_plan"],
                    outcome=c["outcome"],
                    held_at=c["held_at"],
                )
                for number, c in enumerate(cases, start=1)
            ]
        )
        s.commit()
        for number, c in enumerate(cases, start=1):
            s.add_all([LifeDomainEntry(case_id=number, domain=d) for d in c["domains"]])
            s.add_all(
                [
                    Bottleneck(
                        case_id=number,
                        law=b.law,
                        rule=b.rule,
                        kind=b.kind,
                        description=b.description,
                        delay_days=b.delay_days,
                    )
                    for b in c["bottlenecks"]
                ]
            )
            if number % 2000 == 0:
                s.commit()
        s.commit()
        docs = search_service.documents(db_session=s)
    t_db = time.perf_counter() - t0
    counts = [len(chunking.case_chunks(d, embedder.count_tokens, CHUNK_BUDGET) or [d.title]) for d in docs]
    vectors = realistic(sum(counts), rng, demo_anchor_vectors(), spread)
    ids = np.concatenate([chunk_ids(d.case_id, n) for d, n in zip(docs, counts)])
    engine = SearchEngine(embedder, data_dir / "search")
    if len(ids) > EXACT_LIMIT:
        engine.vectors = VectorIndex(embedder.dim, ivf_index(vectors, ids))
    else:
        engine.vectors = VectorIndex(embedder.dim, exact_index(embedder.dim))
        engine.vectors.index.add_with_ids(vectors, ids)
    engine.meta = {d.case_id: {"fp": d.fingerprint(), "chunks": n} for d, n in zip(docs, counts)}
    engine.save()
    info = {
        "cases": len(docs),
        "chunks": len(ids),
        "db_s": round(t_db, 1),
        "total_build_s": round(time.perf_counter() - t0, 1),
        "tokens": tokens,
    }
    (data_dir / "bench.json").write_text(json.dumps(info))
    return info


def _queries(n: int, seed: int = 3) -> list[str]:
    """Varied free-text queries: 3-8 consecutive words of demo sentences, some with a typo, plus the
    informal queries of the evaluation set when present."""
    import random

    from casebook.demo.generator import generate_cases
    from search import chunking

    pick = random.Random(seed)
    sentences = [
        s for d in generate_cases() for s in chunking.sentences(d.case.narrative) if len(s.split()) > 8
    ]
    out = []
    eval_file = Path(__file__).resolve().parents[2] / "shared" / "eval" / "queries.jsonl"
    if eval_file.exists():
        out += [q["query"] for q in map(json.loads, eval_file.read_text().splitlines()) if q.get("query")]
    while len(out) < n:
        words = pick.choice(sentences).split()
        start = pick.randrange(0, len(words) - 3)
        query = [w.strip(".,;:()").lower() for w in words[start : start + pick.randint(3, 8)]]
        if pick.random() < 0.3:
            i = pick.randrange(len(query))
            w = query[i]
            if len(w) > 4:
                j = pick.randrange(len(w) - 1)
                query[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        out.append(" ".join(query))
    pick.shuffle(out)
    return out[:n]


def _relabel_vectors(data_dir: Path) -> None:
    """The data dir's chunk vectors are synthetic (`realistic`), not made by any embedder: label them with
    the current embedder's model id, so a changed embedding recipe does not make the app re-embed 100k
    chunks at start."""
    from search.embedding import get_embedder

    meta_file = data_dir / "search" / "search.meta.json"
    meta = json.loads(meta_file.read_text())
    model_id = get_embedder().model_id
    if meta.get("model") != model_id:
        meta["model"] = model_id
        meta_file.write_text(json.dumps(meta))


def api_bench(data_dir: Path, n_chunks: int, n_queries: int, warmup: int, spread: float, port: int) -> dict:
    import subprocess

    import httpx

    info_file = data_dir / "bench.json"
    info = (
        json.loads(info_file.read_text())
        if info_file.exists()
        else build_api_data(data_dir, n_chunks, spread)
    )
    _relabel_vectors(data_dir)
    print(f"data dir {data_dir}: {info['cases']:,} cases, {info['chunks']:,} chunks")
    env = {**os.environ, "CASEBOOK_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    exe = Path(sys.executable).with_name("casebook")
    t = time.perf_counter()
    server = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    report = {"cases": info["cases"], "chunks": info["chunks"], "queries": n_queries, "warmup": warmup}
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=120) as client:
            while True:
                try:
                    if client.get("/login").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.perf_counter() - t > 600:
                    raise RuntimeError("server did not start")
                time.sleep(0.5)
            report["startup_s"] = round(time.perf_counter() - t, 1)
            queries = _queries(n_queries + warmup)
            for user, token in info["tokens"].items():
                headers = {"Authorization": f"Bearer {token}"}
                lat, sizes = [], []
                for i, q in enumerate(queries):
                    start = time.perf_counter()
                    response = client.get("/api/v1/search", params={"q": q, "k": 10}, headers=headers)
                    elapsed = (time.perf_counter() - start) * 1000
                    response.raise_for_status()
                    if i >= warmup:
                        lat.append(elapsed)
                        sizes.append(len(response.json()["hits"]))
                lat = np.array(lat)
                report[user] = {
                    **pct(lat),
                    "mean_ms": round(float(lat.mean()), 2),
                    "max_ms": round(float(lat.max()), 1),
                    "mean_hits": round(float(np.mean(sizes)), 1),
                }
    finally:
        server.terminate()
        server.wait(timeout=30)
    return report


# ---- approximate index at scale, on realistic vectors ---------------------------------------------


def _passes(fn, queries, repeats: int) -> tuple[np.ndarray, list]:
    """Latencies of `repeats` passes over the queries (so a burst of other load on the shared machine
    moves one pass, not the figure), and the results of the first pass."""
    lat, first = [], None
    for _ in range(repeats):
        one, out = timed(fn, queries)
        lat.append(one)
        first = out if first is None else first
    return np.concatenate(lat), first


def ann_bench(
    n: int,
    n_queries: int,
    repeats: int,
    spread: float,
    hnsw_ms: list[int],
    ef_values: list[int],
    nprobes: list[int],
) -> dict:
    from search import vector_index

    rng = np.random.default_rng(n)
    anchors = demo_anchor_vectors()
    t = time.perf_counter()
    data = realistic(n, rng, anchors, spread)
    queries = realistic(n_queries, rng, anchors, spread)
    rows = {"_data": {"spread": spread, "generate_s": round(time.perf_counter() - t, 1)}}
    flat = faiss.IndexFlatIP(DIM)
    flat.add(data)
    faiss.omp_set_num_threads(2)
    truth_scores, truth = flat.search(queries, 11)  # batched (BLAS): the ground truth
    rows["_data"]["nn_cosine_median"] = round(float(np.median(truth_scores[:, 0])), 3)
    truth = truth[:, :10]
    faiss.omp_set_num_threads(1)
    lat, _ = timed(
        lambda q: flat.search(q[None], 10)[1][0], queries[: min(n_queries, 50 if n >= 500_000 else 200)]
    )
    rows["exact (flat IP)"] = {"build_s": 0.0, "bytes": data.nbytes, **pct(lat), "recall_at_10": 1.0}
    ids = np.arange(n, dtype=np.int64)
    # The product's own IVF (search/vector_index.py: nlist 4·√N, trained on a sample, ids kept), queried
    # through VectorIndex.search: what the app does.
    faiss.omp_set_num_threads(2)
    t = time.perf_counter()
    product = vector_index.VectorIndex(DIM, vector_index.ivf_index(data, ids))
    ivf_build = round(time.perf_counter() - t, 1)
    faiss.omp_set_num_threads(1)
    ivf = product.index
    size = index_bytes(ivf) if n <= 100_000 else data.nbytes + ivf.nlist * DIM * 4 + n * 8
    for nprobe in nprobes:
        ivf.nprobe = nprobe
        lat, got = _passes(lambda q: product.search(q[None], 10)[1][0], queries, repeats)
        rows[f"ivf{ivf.nlist} nprobe={nprobe}"] = {
            "build_s": ivf_build,
            "bytes": size,
            **pct(lat),
            "recall_at_10": round(recall(got, truth), 4),
        }
    ivf.nprobe = vector_index.nprobe_for(n, ivf.nlist)
    lat, got = _passes(lambda q: product.search(q[None], 10)[1][0], queries, repeats)
    rows[f"product default (ivf nprobe={ivf.nprobe})"] = {
        "build_s": ivf_build,
        "bytes": size,
        **pct(lat),
        "recall_at_10": round(recall(got, truth), 4),
    }
    ivf.reset()
    for m in hnsw_ms:
        faiss.omp_set_num_threads(2)
        t = time.perf_counter()
        hnsw = faiss.IndexHNSWFlat(DIM, m, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 40
        hnsw.add(data)
        build = round(time.perf_counter() - t, 1)
        faiss.omp_set_num_threads(1)
        for ef in ef_values:
            hnsw.hnsw.efSearch = ef
            lat, got = _passes(lambda q, index=hnsw: index.search(q[None], 10)[1][0], queries, repeats)
            rows[f"hnsw M={m} efC=40 ef={ef}"] = {
                "build_s": build,
                "bytes": data.nbytes + n * m * 2 * 4 * 1.1,
                **pct(lat),
                "recall_at_10": round(recall(got, truth), 4),
            }
        hnsw.reset()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="part")
    syn = sub.add_parser("synthetic", help="in-process: exact/IVF/HNSW, BM25, hybrid per corpus size")
    syn.add_argument("--sizes", default="10000,100000")
    syn.add_argument("--queries", type=int, default=200)
    syn.add_argument("--hnsw-max", type=int, default=100_000, help="largest size to also build HNSW for")
    ann = sub.add_parser("ann", help="approximate index vs exact at scale (realistic vectors)")
    ann.add_argument("--sizes", default="1000000")
    ann.add_argument("--queries", type=int, default=200)
    ann.add_argument("--repeats", type=int, default=3)
    ann.add_argument("--spread", type=float, default=1.0)
    ann.add_argument("--nprobe", default="8,16,24,32,48,64")
    ann.add_argument("--hnsw-m", default="16,32", help="HNSW M values ('' for none)")
    ann.add_argument("--ef", default="32,48,64,96")
    api = sub.add_parser("api", help="hybrid search end to end through `casebook serve` + HTTP")
    api.add_argument("--chunks", type=int, default=100_000)
    api.add_argument("--queries", type=int, default=300)
    api.add_argument("--warmup", type=int, default=30)
    api.add_argument("--spread", type=float, default=1.0)
    api.add_argument("--port", type=int, default=8765)
    api.add_argument("--data-dir", type=Path, default=None, help="default bench/results/api-<chunks>")
    emb = sub.add_parser("embedding", help="embedding throughput per backend, alternating rounds")
    emb.add_argument("--rounds", type=int, default=5)
    emb.add_argument("--chunks", type=int, default=48)
    rec = sub.add_parser("embedding-recipes", help="ONNX export/fusion/quantisation/batch-size experiment")
    rec.add_argument("--rounds", type=int, default=3)
    rec.add_argument("--chunks", type=int, default=48)
    rec.add_argument("--batches", default="8,16,32")
    rec.add_argument(
        "--work", type=Path, default=Path(__file__).resolve().parent / "results" / "onnx-recipes"
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    part = args.part or "synthetic"
    faiss.omp_set_num_threads(1)
    report = {"part": part, "threads_for_queries": 1}
    if part == "embedding":
        report["embedding"] = embedding_bench(args.rounds, args.chunks)
        print_embedding(report["embedding"])
    elif part == "embedding-recipes":
        report["recipes"] = embedding_recipes_bench(
            args.rounds, args.chunks, [int(b) for b in args.batches.split(",")], args.work
        )
        print(f"fusion: {report['recipes']['fusion']}")
        print_embedding(report["recipes"]["rows"])
    elif part == "ann":
        report["sizes"] = {}
        for n in [int(x) for x in args.sizes.split(",")]:
            rows = ann_bench(
                n,
                args.queries,
                args.repeats,
                args.spread,
                [int(m) for m in args.hnsw_m.split(",") if m],
                [int(e) for e in args.ef.split(",")],
                [int(p) for p in args.nprobe.split(",")],
            )
            report["sizes"][n] = rows
            print(f"  data: {rows['_data']}")
            print_size(n, rows)
    elif part == "api":
        data_dir = args.data_dir or Path(__file__).resolve().parent / "results" / f"api-{args.chunks}"
        report["api"] = api_bench(data_dir, args.chunks, args.queries, args.warmup, args.spread, args.port)
        print_api(report["api"])
    else:
        from search.embedding import get_embedder

        embed = get_embedder().encode
        report["sizes"] = {}
        for n in [int(s) for s in args.sizes.split(",")]:
            rng = np.random.default_rng(n)
            semantic, built = semantic_bench(n, args.queries, rng, args.hnsw_max)
            lexical, lexical_query, lexical_queries = lexical_bench(n, args.queries, rng)
            hybrid = hybrid_bench(built, lexical_query, lexical_queries, embed, args.queries)
            report["sizes"][n] = {**semantic, **lexical, **hybrid}
            report["sizes"][n]["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print_size(n, report["sizes"][n])
            del built
    out = args.out or Path(__file__).resolve().parent / "results" / f"search_speed_{part}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"written: {out}")


def print_api(report: dict) -> None:
    print(
        f"\nGET /api/v1/search end to end (HTTP, `casebook serve`), {report['cases']:,} cases / "
        f"{report['chunks']:,} chunks, {report['queries']} queries after {report['warmup']} warm-up; "
        f"startup {report.get('startup_s')} s"
    )
    print(f"  {'user':<16}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'max ms':>9}{'hits':>6}")
    for user, row in report.items():
        if isinstance(row, dict):
            print(
                f"  {user:<16}{row['p50_ms']:>9}{row['p99_ms']:>9}{row['mean_ms']:>9}{row['max_ms']:>9}"
                f"{row['mean_hits']:>6}"
            )


def print_embedding(rows: dict, indent: str = "  ") -> None:
    for name, row in rows.items():
        if isinstance(row, dict) and all(isinstance(v, dict) for v in row.values()):
            print(f"{indent}{name}")
            print_embedding(row, indent + "  ")
        elif "chunks_per_s" in row and "min_cosine_to_torch" in row:
            print(
                f"{indent}{name:<52}{row['chunks_per_s']:>8}/s  x{row['speedup_vs_torch']:<5} "
                f"cos min {row['min_cosine_to_torch']:.4f} mean {row['mean_cosine_to_torch']:.4f}"
            )
        else:
            print(f"{indent}{name:<52}{row}")


def print_size(n: int, rows: dict) -> None:
    print(
        f"\n{n:,} chunks (peak RSS {rows.get('peak_rss_mb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)} MB)"
    )
    print(f"  {'index':<48}{'build s':>9}{'MB':>9}{'p50 ms':>9}{'p99 ms':>9}{'R@10':>8}")
    for name, row in rows.items():
        if isinstance(row, dict) and not name.startswith("_"):
            mb = f"{row['bytes'] / 2**20:.0f}" if "bytes" in row else ""
            print(
                f"  {name:<48}{row.get('build_s', ''):>9}{mb:>9}{row['p50_ms']:>9}{row['p99_ms']:>9}"
                f"{row.get('recall_at_10', ''):>8}"
            )


if __name__ == "__main__":
    main()
