"""Similar-case retrieval quality on an evaluation set (cases.jsonl + queries.jsonl, see
shared/eval/README.md): recall@5 and MRR@10 for more-like-this and free-text queries, for the
lexical, semantic and hybrid modes of the product's engine and for a plain BM25 baseline over all
case fields. The gold `situation` field is dropped on reading and never used.

The questions of the assistant's dev set (bench/assistant_dev.jsonl: chatty, long, short and misspelt
questions about the eval's situations, written to tune on) are ranked as free text too, in a column of their
own (its off-topic questions, with no relevant case, are left out): the eval's own free-text queries are
short and nearly all answered right, so a change in how words are read shows there first. The assistant's
held-out questions are never used here.

    python bench/search_quality.py ../shared/eval [--dev F] [--out results.json] [--backend torch|onnx-int8]
"""

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bm25s
import Stemmer

from search import text as text_mod
from search.embedding import get_embedder
from search.engine import MODES, SearchEngine
from search.models import CaseDocument

DEV = Path(__file__).resolve().parent / "assistant_dev.jsonl"
QUERY_TYPES = ("more_like_this", "free_text", "dev_free_text")
FIELDS = ("title", "narrative", "support_question", "support_plan", "outcome")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def to_document(number: int, record: dict) -> CaseDocument:
    record = {k: v for k, v in record.items() if k != "situation"}  # gold label: never indexed
    bottlenecks = record.get("bottlenecks") or []
    held = record.get("held_at")
    return CaseDocument(
        case_id=number,
        external_id=record["external_id"],
        title=record["title"],
        team=record.get("team", ""),
        narrative=record.get("narrative", ""),
        support_question=record.get("support_question", ""),
        support_plan=record.get("support_plan", ""),
        outcome=record.get("outcome", ""),
        life_domains=list(record.get("life_domains") or []),
        bottleneck_kinds=[b.get("kind", "") for b in bottlenecks],
        bottleneck_texts=[
            t
            for b in bottlenecks
            for t in (b.get("law", ""), b.get("rule", ""), b.get("description", ""))
            if t
        ],
        held_at=date.fromisoformat(held) if held else None,
    )


def baseline_text(record: dict) -> str:
    """All case fields as one text, as a plain BM25 baseline would index them."""
    parts = [record.get(f, "") for f in FIELDS] + list(record.get("life_domains") or [])
    for b in record.get("bottlenecks") or []:
        parts += [b.get("law", ""), b.get("rule", ""), b.get("kind", ""), b.get("description", "")]
    return " ".join(p for p in parts if p)


class Baseline:
    def __init__(self, records: list[dict]):
        self.stemmer = Stemmer.Stemmer(text_mod.STEMMER)  # the product's stemmer: the rest is what differs
        self.retriever = bm25s.BM25()
        self.retriever.index(
            bm25s.tokenize(
                [baseline_text(r) for r in records], stopwords="nl", stemmer=self.stemmer, show_progress=False
            ),
            show_progress=False,
        )

    def scores(self, text: str) -> dict[int, float]:
        tokens = bm25s.tokenize(
            [text], stopwords="nl", stemmer=self.stemmer, return_ids=False, show_progress=False
        )[0]
        scores = self.retriever.get_scores(tokens) if tokens else []
        return {i + 1: float(s) for i, s in enumerate(scores)}


def metrics(ranking: list[int], relevant: set[int]) -> tuple[float, float, float]:
    """recall@5, MRR@10 (the eval's metrics) and recall@3 (the assistant cites the first three)."""
    recall = len(set(ranking[:5]) & relevant) / len(relevant)
    mrr = next((1 / rank for rank, c in enumerate(ranking[:10], start=1) if c in relevant), 0.0)
    return recall, mrr, len(set(ranking[:3]) & relevant) / len(relevant)


def order(scores: dict[int, float], exclude: int | None) -> list[int]:
    return [c for c in sorted(scores, key=lambda c: (-scores[c], c)) if c != exclude]


def evaluate(eval_dir: Path, backend: str | None = None, dev: Path | None = DEV) -> dict:
    records = read_jsonl(eval_dir / "cases.jsonl")
    queries = read_jsonl(eval_dir / "queries.jsonl")
    if dev is not None:
        queries += [{**q, "type": "dev_free_text"} for q in read_jsonl(dev) if q["relevant_external_ids"]]
    number = {r["external_id"]: i for i, r in enumerate(records, start=1)}
    embedder = get_embedder(backend=backend)
    engine = SearchEngine(embedder)
    started = time.perf_counter()
    engine.sync([to_document(number[r["external_id"]], r) for r in records])
    build_s = time.perf_counter() - started
    baseline = Baseline(records)
    systems = {**{mode: mode for mode in MODES}, "bm25_baseline": None}
    types = [t for t in QUERY_TYPES if any(q["type"] == t for q in queries)]
    sums = {s: {t: [0.0, 0.0, 0, 0.0] for t in types} for s in systems}
    per_query: dict[str, dict[str, list[float]]] = {s: {} for s in systems}  # to compare two runs
    for query in queries:
        relevant = {number[e] for e in query["relevant_external_ids"]}
        source = number.get(query.get("from_external_id"))
        for system, mode in systems.items():
            if mode is None:
                text = baseline_text(records[source - 1]) if source else query["query"]
                scores = baseline.scores(text)
            elif source:
                scores = engine.query_case(source, mode=mode)
            else:
                scores = engine.query_text(query["query"], mode=mode)
            recall, mrr, recall3 = metrics(order(scores, source), relevant)
            entry = sums[system][query["type"]]
            entry[0] += recall
            entry[1] += mrr
            entry[2] += 1
            entry[3] += recall3
            per_query[system][query["query_id"]] = [round(recall, 3), round(mrr, 3), round(recall3, 3)]
    results = {}
    for system, by_type in sums.items():
        row = {}
        for qtype, (recall, mrr, n, recall3) in by_type.items():
            row[qtype] = {"recall@5": recall / n, "mrr@10": mrr / n, "recall@3": recall3 / n, "queries": n}
        # Overall: the eval's own queries, as its README defines it (the dev questions have their column).
        own = [v for t, v in by_type.items() if t != "dev_free_text"]
        n_all = sum(v[2] for v in own)
        row["overall"] = {
            "recall@5": sum(v[0] for v in own) / n_all,
            "mrr@10": sum(v[1] for v in own) / n_all,
            "recall@3": sum(v[3] for v in own) / n_all,
            "queries": n_all,
        }
        results[system] = row
    return {
        "eval_dir": str(eval_dir),
        "cases": len(records),
        "queries": len(queries),
        "embedder": embedder.model_id,
        "index_build_s": round(build_s, 2),
        "results": results,
        "per_query": per_query,
    }


def print_table(report: dict) -> None:
    print(f"{report['cases']} cases, {report['queries']} queries, embedder {report['embedder']}")
    columns = {"more_like_this": "MLT", "free_text": "FT", "overall": "all", "dev_free_text": "dev"}
    shown = [t for t in columns if t in next(iter(report["results"].values()))]
    metrics = {"recall@5": "R@5", "mrr@10": "MRR", "recall@3": "R@3"}
    print(f"{'system':<18}" + "".join(f"{columns[t] + ' ' + m:>9}" for t in shown for m in metrics.values()))
    for system, row in report["results"].items():
        cells = [row[t][m] for t in shown for m in metrics]
        print(f"{system:<18}" + "".join(f"{c:>9.3f}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--dev", type=Path, default=DEV, help="dev questions ranked as free text too")
    parser.add_argument("--no-dev", dest="dev", action="store_const", const=None, help="the eval set only")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--backend", default=None, help="embedding backend: torch | onnx-int8 (default: auto)"
    )
    args = parser.parse_args()
    report = evaluate(args.eval_dir, args.backend, args.dev)
    print_table(report)
    out = args.out or Path(__file__).resolve().parent / "results" / "search_quality.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"written: {out}")


if __name__ == "__main__":
    main()
