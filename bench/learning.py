"""Learning from practice: recurrence quality and the speed of recurrence and the dashboard at scale.

    python bench/learning.py EVAL_DIR quality [--out F]

quality: pairwise precision and recall of the recurrence clusters (the product's signatures and placement,
in file order) on the shared eval set (bottlenecks of cases with the same `situation` belong together;
each distractor's stand alone) and on our own held-out set `bench/heldout/bottlenecks.jsonl`
(16 rules worded three ways each, laws spelled differently, kinds sometimes differing, plus 12 hard
distractors naming the same laws; written before calibration, never tuned on). Baseline: grouping by the
exact law text and kind, as before. The threshold sweep shows how much room the calibration has.
"""

import argparse
import itertools
import json
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HELDOUT = ROOT / "bench" / "heldout" / "bottlenecks.jsonl"
RESULTS = ROOT / "bench" / "results"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def eval_bottlenecks(eval_dir: Path) -> list[dict]:
    rows = []
    for case in read_jsonl(eval_dir / "cases.jsonl"):
        for number, b in enumerate(case.get("bottlenecks") or []):
            gold = case["situation"] if case["situation"] != "D" else f"D:{case['external_id']}:{number}"
            rows.append({**b, "gold": gold})
    return rows


def heldout_bottlenecks() -> list[dict]:
    return [{**b, "gold": b["group"]} for b in read_jsonl(HELDOUT)]


def pairwise(labels: list, gold: list) -> tuple[float, float]:
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(labels)), 2):
        same, truly = labels[i] == labels[j], gold[i] == gold[j]
        tp += same and truly
        fp += same and not truly
        fn += truly and not same
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def exact_law(row: dict) -> tuple[str, str]:
    return " ".join(re.sub(r"[.,;:()]", " ", row["law"].casefold()).split()), row["kind"]


def quality(eval_dir: Path) -> dict:
    from casebook.settings import Settings
    from learning.recurrence import clustering
    from learning.recurrence import service as recurrence_service

    settings = Settings()
    report = {"threshold": recurrence_service.THRESHOLD, "weights": vars(recurrence_service.WEIGHTS), "sets": {}}
    for name, rows in (("eval", eval_bottlenecks(eval_dir)), ("heldout", heldout_bottlenecks())):
        vectors = recurrence_service.sign([(r["law"], r.get("rule", ""), r.get("description", ""), r["kind"])
                                           for r in rows], settings=settings)
        gold = [r["gold"] for r in rows]
        p, r = pairwise(clustering.assign(vectors, recurrence_service.THRESHOLD), gold)
        bp, br = pairwise([exact_law(row) for row in rows], gold)
        sweep = {f"{t:.3f}": pairwise(clustering.assign(vectors, t), gold) for t in
                 [recurrence_service.THRESHOLD + d for d in (-0.1, -0.075, -0.05, -0.025, 0, 0.025, 0.05, 0.075, 0.1)]}
        report["sets"][name] = {"bottlenecks": len(rows), "rules": len({g for g in gold if not g.startswith("D")}),
                                "precision": round(p, 3), "recall": round(r, 3),
                                "exact_law_precision": round(bp, 3), "exact_law_recall": round(br, 3),
                                "sweep": {t: [round(a, 3), round(b, 3)] for t, (a, b) in sweep.items()}}
    print(f"{'set':8} {'n':>4} {'P':>6} {'R':>6} {'exact-law P':>12} {'exact-law R':>12}")
    for name, s in report["sets"].items():
        print(f"{name:8} {s['bottlenecks']:>4} {s['precision']:>6} {s['recall']:>6} "
              f"{s['exact_law_precision']:>12} {s['exact_law_recall']:>12}")
    print("threshold sweep (P, R):")
    for t in report["sets"]["eval"]["sweep"]:
        print(f"  {t}: eval {report['sets']['eval']['sweep'][t]}  heldout {report['sets']['heldout']['sweep'][t]}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("part", choices=("quality",), nargs="?", default="quality")
    parser.add_argument("--out", type=Path, default=RESULTS / "learning.json")
    args = parser.parse_args()
    results = {"quality": quality(args.eval_dir)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
