"""Benchmark the anonymiser on gold data: entity-level precision/recall and throughput.

Usage: python bench/anonymisation.py ../shared/eval [--heldout bench/data/anonymisation_heldout]
       [--dev bench/data/anonymisation_dev] [--out bench/results/anonymisation.json]

Three sets, reported side by side: EVAL_DIR (the shared set, used for development), the dev set the
tagger's thresholds are chosen on (its own templates and name origins) and the held-out set that
nothing was tuned on (scripts/make_anonymisation_heldout.py: other templates, name origins held out
of the tagger's training, another seed, lowercase chat).

Matching follows the eval README: a predicted and a gold span match when their character
intervals overlap. Reported: any-identifier (labels ignored), typed (label must agree),
per label, and recall on the direct identifiers. Throughput is words/s on one core (the process is
pinned to one CPU where the OS allows) after warm-up, in CPU time of the process (what the anonymiser
costs, whatever else the machine runs) and in wall time, with the load average it was measured
under; warm-up is the time to load deduce in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from casebook.anonymise.models import DIRECT_IDENTIFIERS, LABELS


def _overlap(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def score(records: list[dict], predictions: list[list[dict]]) -> dict:
    """Micro-averaged overlap precision/recall, any-identifier, typed and per label."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(key: str, field: str, n: int = 1) -> None:
        counts[key][field] += n

    misses, false_pos = [], []
    for rec, pred in zip(records, predictions):
        gold = rec["entities"]
        for g in gold:
            any_hit = any(_overlap(p, g) for p in pred)
            typed_hit = any(_overlap(p, g) and p["label"] == g["label"] for p in pred)
            add("any", "gold")
            add("any", "gold_found", any_hit)
            add("typed", "gold")
            add("typed", "gold_found", typed_hit)
            add(g["label"], "gold")
            add(g["label"], "gold_found", typed_hit)
            add(g["label"], "gold_found_any", any_hit)
            if g["label"] in DIRECT_IDENTIFIERS:
                add("direct", "gold")
                add("direct", "gold_found", any_hit)
            if not any_hit:
                misses.append({"id": rec["id"], "label": g["label"], "text": g["text"]})
        for p in pred:
            any_hit = any(_overlap(p, g) for g in gold)
            typed_hit = any(_overlap(p, g) and p["label"] == g["label"] for g in gold)
            add("any", "pred")
            add("any", "pred_ok", any_hit)
            add("typed", "pred")
            add("typed", "pred_ok", typed_hit)
            add(p["label"], "pred")
            add(p["label"], "pred_ok", typed_hit)
            if not any_hit:
                false_pos.append(
                    {"id": rec["id"], "label": p["label"], "text": rec["text"][p["start"] : p["end"]]}
                )

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    table = {}
    for key in ["any", "typed", "direct", *LABELS]:
        c = counts.get(key, {})
        table[key] = {
            "precision": ratio(c.get("pred_ok", 0), c.get("pred", 0)),
            "recall": ratio(c.get("gold_found", 0), c.get("gold", 0)),
            "recall_any_label": ratio(c.get("gold_found_any", 0), c.get("gold", 0))
            if key in LABELS
            else None,
            "gold": c.get("gold", 0),
            "predicted": None if key == "direct" else c.get("pred", 0),
        }
    return {"metrics": table, "misses": misses, "false_positives": false_pos}


def _print_table(title: str, result: dict) -> None:
    print(f"\n{title}: {result['texts']} texts, {result['words']} words")
    print(f"{'label':<18}{'precision':>10}{'recall':>10}{'gold':>7}{'pred':>7}")
    for key, m in result["metrics"].items():
        if not m["gold"] and not m["predicted"]:
            continue
        p = "-" if m["precision"] is None else f"{m['precision']:.3f}"
        r = "-" if m["recall"] is None else f"{m['recall']:.3f}"
        n_pred = "-" if m["predicted"] is None else m["predicted"]
        print(f"{key:<18}{p:>10}{r:>10}{m['gold']:>7}{n_pred:>7}")


def evaluate(records: list[dict]) -> dict:
    """Scores of the product's anonymiser on ``records`` (texts with gold spans)."""
    from casebook.anonymise.service import anonymise_text

    predictions = [
        [{"start": e.start, "end": e.end, "label": e.label} for e in anonymise_text(r["text"]).entities]
        for r in records
    ]
    result = score(records, predictions)
    for fmt in sorted({r.get("format", "") for r in records}):
        subset = [(r, p) for r, p in zip(records, predictions) if r.get("format", "") == fmt]
        sub = score([r for r, _ in subset], [p for _, p in subset])["metrics"]
        result.setdefault("by_format", {})[fmt] = {k: sub[k] for k in ("any", "direct", "PERSON")}
    result["texts"] = len(records)
    result["words"] = sum(len(r["text"].split()) for r in records)
    return result


def _read(eval_dir: Path) -> list[dict]:
    with open(eval_dir / "anonymisation.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def measure_warm_up() -> float:
    """Seconds to warm up in a fresh interpreter (what a server start pays)."""
    code = (
        "import time; t=time.perf_counter();"
        "from casebook.anonymise.service import warm_up; warm_up();"
        "print(time.perf_counter()-t)"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument(
        "--heldout", type=Path, default=Path(__file__).resolve().parent / "data/anonymisation_heldout"
    )
    parser.add_argument(
        "--dev", type=Path, default=Path(__file__).resolve().parent / "data/anonymisation_dev"
    )
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the texts for throughput")
    parser.add_argument("--verbose", action="store_true", help="list misses and false positives")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the figure claims

    records = _read(args.eval_dir)
    warm = measure_warm_up()
    from casebook.anonymise.service import find_identifiers, warm_up

    warm_up()
    result = evaluate(records)
    for key, path in (("dev", args.dev), ("heldout", args.heldout)):
        if (path / "anonymisation.jsonl").exists():
            result[key] = evaluate(_read(path))

    words = sum(len(r["text"].split()) for r in records)
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(args.rounds):
        for r in records:
            find_identifiers(r["text"])
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    result["throughput_words_per_s"] = round(words * args.rounds / elapsed)
    result["throughput_words_per_cpu_s"] = round(words * args.rounds / cpu)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    result["warm_up_seconds"] = round(warm, 3)

    _print_table(f"shared set (development) {args.eval_dir}", result)
    if "dev" in result:
        _print_table(f"dev set (thresholds chosen on it) {args.dev}", result["dev"])
    if "heldout" in result:
        _print_table(f"held-out set (never tuned on) {args.heldout}", result["heldout"])
    for name, res in (("shared", result), ("dev", result.get("dev")), ("held-out", result.get("heldout"))):
        for fmt, m in (res or {}).get("by_format", {}).items():
            print(
                f"{name:<9} {fmt:<5} direct recall {m['direct']['recall']}  any precision {m['any']['precision']}  "
                f"PERSON recall {m['PERSON']['recall']}"
            )
    print(
        f"throughput: {result['throughput_words_per_cpu_s']} words per CPU second, {result['throughput_words_per_s']} "
        f"words/s wall (1 core, after warm-up; load average {result['load_average']})"
    )
    print(f"warm-up:    {result['warm_up_seconds']} s (fresh process)")
    if args.verbose:
        for res in (result, result.get("dev") or {}, result.get("heldout") or {}):
            for m in res.get("misses", []):
                print("MISS", m)
            for f in res.get("false_positives", []):
                print("FP  ", f)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
