"""Learning from practice: recurrence quality and the speed of recurrence and the dashboard at scale.

    python bench/learning.py EVAL_DIR [quality|speed|all] [--sets eval,dev,dev3,dev4,heldout]
                             [--heldout PATH ...] [--bottlenecks 100000] [--cases 200000] [--repeats 5]
                             [--suggestions 40] [--out F]

quality: pairwise precision and recall of the recurrence clusters (the product's signatures and placement,
in file order) on the shared eval set (bottlenecks of cases with the same `situation` belong together;
each distractor's stand alone), on our dev set `bench/dev/bottlenecks.jsonl` (18 rules worded three ways
each, laws abbreviated, misspelt or cited by article only, kinds sometimes differing, plus 16 distractors
citing the same laws, often another article of one: what the weights were calibrated on, with the eval
set), on a third tuning set `bench/dev3/bottlenecks.jsonl` (14 rules x 3 wordings as coaches of
different teams would flag them, the law written another way each time, plus 14 hard distractors: another
article of one law or another rule on the same topic; tuned on like dev), on our own held-out set `bench/heldout/bottlenecks.jsonl` (16 rules worded three ways each, plus 12
hard distractors naming the same laws; written before calibration, never tuned on: leave it out with
--sets eval,dev,dev3,dev4 while calibrating), on `bench/dev4/bottlenecks.jsonl` (16 rules x 3 wordings + 16
hard distractors, written by a helper that saw neither the code nor the dev set; held out until stop 19,
tuned on since), and on any other file of that form (--heldout PATH, named after its folder). For a corpus
in the eval's form (cases with `situation`, such as bench/corpus_dev or the blind bench/corpus_heldout),
pass it as EVAL_DIR: its cases' bottlenecks are the "eval" set. Baseline: grouping by the exact law text and kind, as before. The
threshold sweep shows how much room the calibration has.

speed: generates cases and bottlenecks straight into a temporary SQLite database with bulk inserts
(bench/learning_data.py; the triggers mark every cell stale), recomputes all the figures per team and
quarter once (what the housekeeping job does after a bulk load, timed apart), warms up as the app's start
does (models, recipe, clusters in memory), then times the dashboard, GET /api/v1/bottlenecks/recurring and
the flag suggestion (a new rule and description each time: both sentence models read it anew) through the real app (TestClient, bearer tokens), as a
manager who oversees every team and as a team manager; then a new bottleneck through the API and the
dashboard right after it (its cell recomputed in that view), and after a status change. Cold = the first
call in the process; p50/p95 over the repeats after it; CPU = this process's CPU time (the app runs in it).
The load average before and after goes into the JSON: the machine may be shared.
"""

import argparse
import itertools
import json
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HELDOUT = ROOT / "bench" / "heldout" / "bottlenecks.jsonl"
DEV = ROOT / "bench" / "dev" / "bottlenecks.jsonl"
DEV3 = ROOT / "bench" / "dev3" / "bottlenecks.jsonl"
DEV4 = ROOT / "bench" / "dev4" / "bottlenecks.jsonl"
SETS = ("eval", "dev", "dev3", "dev4", "heldout")
RESULTS = ROOT / "bench" / "results"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def eval_bottlenecks(eval_dir: Path) -> list[dict]:
    """The bottlenecks of a corpus in the eval's form, each with what its case is about (as the product
    reads a case: recurrence_service.case_context)."""
    from learning.recurrence import service as recurrence_service

    rows = []
    for case in read_jsonl(eval_dir / "cases.jsonl"):
        context = recurrence_service.case_context(
            title=case.get("title", ""), support_question=case.get("support_question", "")
        )
        for number, b in enumerate(case.get("bottlenecks") or []):
            gold = case["situation"] if case["situation"] != "D" else f"D:{case['external_id']}:{number}"
            rows.append({**b, "gold": gold, "context": context})
    return rows


def grouped_bottlenecks(path: Path) -> list[dict]:
    """Bottlenecks of our own sets: one per line, `group` the rule it is about (a distractor's is unique).
    They have no case: their signatures have no case part."""
    return [{**b, "gold": b["group"]} for b in read_jsonl(path)]


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


def quality(eval_dir: Path, sets: tuple[str, ...] = SETS, files: dict[str, Path] | None = None) -> dict:
    """Pairwise figures of each set in `sets` (by name) and of each grouped file in `files` (name -> path)."""
    from casebook.settings import Settings
    from learning.recurrence import clustering, signature
    from learning.recurrence import service as recurrence_service

    settings = Settings()
    report = {
        "threshold": recurrence_service.THRESHOLD,
        "rule_threshold": recurrence_service.RULE_THRESHOLD,
        "weights": vars(recurrence_service.WEIGHTS),
        "sets": {},
    }
    sources = {
        "eval": lambda: eval_bottlenecks(eval_dir),
        "dev": lambda: grouped_bottlenecks(DEV),
        "dev3": lambda: grouped_bottlenecks(DEV3),
        "dev4": lambda: grouped_bottlenecks(DEV4),
        "heldout": lambda: grouped_bottlenecks(HELDOUT),
    }
    for name, path in (files or {}).items():
        sources[name] = lambda path=path: grouped_bottlenecks(path)
    sets = (*sets, *(files or {}))
    deltas = (-0.06, -0.045, -0.03, -0.015, 0, 0.015, 0.03, 0.045, 0.06)
    for name in sets:
        rows = sources[name]()
        drafts = [
            signature.Draft(
                r["law"],
                r.get("rule", ""),
                r.get("description", ""),
                r["kind"],
                r.get("level"),
                case_context=r.get("context", ""),
            )
            for r in rows
        ]
        vectors = recurrence_service.sign(drafts, settings=settings)
        # With their cases (a corpus in the eval's form) or without (our grouped sets): its own threshold.
        threshold = recurrence_service.threshold_for(drafts[0])
        queries = signature.as_query(vectors)
        gold = [r["gold"] for r in rows]
        p, r = pairwise(clustering.assign(vectors, queries, threshold), gold)
        bp, br = pairwise([exact_law(row) for row in rows], gold)
        sweep = {
            f"{d:+.3f}": pairwise(clustering.assign(vectors, queries, threshold + d), gold) for d in deltas
        }
        report["sets"][name] = {
            "threshold": threshold,
            "bottlenecks": len(rows),
            "rules": len({g for g in gold if not g.startswith("D")}),
            "precision": round(p, 3),
            "recall": round(r, 3),
            "exact_law_precision": round(bp, 3),
            "exact_law_recall": round(br, 3),
            "sweep": {t: [round(a, 3), round(b, 3)] for t, (a, b) in sweep.items()},
        }
    print(f"{'set':8} {'n':>4} {'P':>6} {'R':>6} {'exact-law P':>12} {'exact-law R':>12}")
    for name, s in report["sets"].items():
        print(
            f"{name:8} {s['bottlenecks']:>4} {s['precision']:>6} {s['recall']:>6} "
            f"{s['exact_law_precision']:>12} {s['exact_law_recall']:>12}"
        )
    print("threshold sweep (P, R), each set around its own threshold:")
    print("  " + "  ".join(f"{name} at {s['threshold']}" for name, s in report["sets"].items()))
    for d in next(iter(report["sets"].values()))["sweep"]:
        print(f"  {d}: " + "  ".join(f"{name} {s['sweep'][d]}" for name, s in report["sets"].items()))
    return report


def _timed(call, repeats: int) -> dict:
    """First call (cold) and the spread of `repeats` more, in milliseconds of wall time and of this process's
    CPU time (the app runs in this process: TestClient); every answer must be a success."""
    walls, cpus = [], []
    for _ in range(repeats + 1):
        start, cpu = time.perf_counter(), time.process_time()
        response = call()
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.is_success, (response.status_code, response.text[:300])
    cold = {"cold_ms": round(walls[0], 1), "cold_cpu_ms": round(cpus[0], 1)}
    if not repeats:
        return cold
    rest, rest_cpu = sorted(walls[1:]), sorted(cpus[1:])
    return {
        **cold,
        "p50_ms": round(_pct(rest, 50), 1),
        "p95_ms": round(_pct(rest, 95), 1),
        "p50_cpu_ms": round(_pct(rest_cpu, 50), 1),
    }


def _pct(values: list[float], pct: int) -> float:
    return values[min(len(values) - 1, round(pct / 100 * (len(values) - 1)))]


def _once(call) -> dict:
    start, cpu = time.perf_counter(), time.process_time()
    call()
    return {
        "cold_ms": round((time.perf_counter() - start) * 1000, 1),
        "cold_cpu_ms": round((time.process_time() - cpu) * 1000, 1),
    }


def speed(*, cases: int, bottlenecks: int, repeats: int, suggestions: int) -> dict:
    import tempfile

    from fastapi.testclient import TestClient
    from learning_data import generate
    from sqlmodel import Session

    from casebook import events
    from casebook.app import create_app
    from casebook.db import make_engine, migrate
    from casebook.settings import Settings
    from learning.aggregates import flows as aggregate_flows
    from learning.recurrence import flows as recurrence_flows
    from learning.recurrence import service as recurrence_service

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), secret_key="bench")
        engine = make_engine(settings.sqlalchemy_url)
        migrate(engine)
        started = time.perf_counter()
        with Session(engine) as db_session:
            made = generate(db_session=db_session, settings=settings, cases=cases, bottlenecks=bottlenecks)
        generated = time.perf_counter() - started
        results = {}
        with Session(engine) as db_session:  # the housekeeping job's work after a bulk load: every cell
            results["figures per team and quarter, all cells (after the bulk load)"] = _once(
                lambda: aggregate_flows.refresh(db_session=db_session)
            )
        # No lifespan: the search index of 200k generated cases is not what is measured here; the warm-ups
        # the lifespan starts in the background are done here, before timing.
        app = create_app(settings)
        recurrence_service.warm_up(settings, engine).join()
        client = TestClient(app)
        overseer = {"Authorization": f"Bearer {made['tokens']['overseer']}"}
        team = {"Authorization": f"Bearer {made['tokens']['team_manager']}"}
        drafts = iter(range(10**6))

        def suggestion():  # a new rule and description every time: neither model answers from its cache
            number = next(drafts)
            draft = {
                "case_id": "1",  # as the room's flag form sends its case (read once, then from the cache)
                "law": "Wmo 2015",
                "kind": "mandaat",
                "rule": f"Beschikking alleen door de gemandateerde jurist (regeling {number})",
                "description": f"Het advies wachtte {number} dagen op een handtekening.",
            }
            return client.get("/knelpunten/lijkt-op", params=draft, headers=overseer)

        results |= {
            "dashboard, all teams": _timed(lambda: client.get("/dashboard", headers=overseer), repeats),
            "dashboard, one team, 4 quarters": _timed(
                lambda: client.get("/dashboard?team=1&van=2025-Q1&tot=2025-Q4", headers=overseer), repeats
            ),
            "dashboard, team manager": _timed(lambda: client.get("/dashboard", headers=team), repeats),
            "recurring API (page of 20), all teams": _timed(
                lambda: client.get("/api/v1/bottlenecks/recurring?per_page=20", headers=overseer), repeats
            ),
            "recurring API (page of 20), team manager": _timed(
                lambda: client.get("/api/v1/bottlenecks/recurring?per_page=20", headers=team), repeats
            ),
            "recurring API (page of 5), all teams": _timed(
                lambda: client.get("/api/v1/bottlenecks/recurring?per_page=5", headers=overseer), repeats
            ),
            "suggestion while flagging": _timed(suggestion, suggestions),
        }
        events.subscribe(
            events.CASE_SAVED, recurrence_flows.on_case_saved
        )  # as the app's start does: placed on save
        results["new bottleneck through the API"] = _timed(
            lambda: client.post(
                "/api/v1/bottlenecks", headers=overseer, json={**NEW_BOTTLENECK, "case_id": 1}
            ),
            0,
        )
        results["dashboard after that change"] = _timed(lambda: client.get("/dashboard", headers=overseer), 0)
        first = client.get("/api/v1/bottlenecks?per_page=1", headers=overseer).json()["items"][0]["id"]
        client.patch(f"/api/v1/bottlenecks/{first}", headers=overseer, json={"status": "acknowledged"})
        results["dashboard after a status change"] = _timed(
            lambda: client.get("/dashboard", headers=overseer), 0
        )
        engine.dispose()
    print(
        f"generated {cases} cases, {bottlenecks} bottlenecks ({made['templates']} distinct texts in "
        f"{made['clusters']} clusters), {made['domains']} domain entries, {made['decisions']} decisions "
        f"in {generated:.0f} s"
    )
    print(f"{'what':62} {'cold ms':>8} {'cpu':>7} {'p50 ms':>7} {'p95 ms':>7} {'p50 cpu':>7}")
    for what, r in results.items():
        print(
            f"{what:62} {r['cold_ms']:>8} {r['cold_cpu_ms']:>7} {r.get('p50_ms', ''):>7} {r.get('p95_ms', ''):>7} "
            f"{r.get('p50_cpu_ms', ''):>7}"
        )
    return {
        "cases": cases,
        "bottlenecks": bottlenecks,
        **{k: v for k, v in made.items() if k != "tokens"},
        "generate_s": round(generated, 1),
        "timings": results,
    }


NEW_BOTTLENECK = {
    "law": "Participatiewet art. 22a",
    "kind": "tegenstrijdige_regels",
    "delay_days": 30,
    "rule": "Kostendelersnorm bij inwonend kind",
    "description": "Minder bijstand.",
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("part", choices=("quality", "speed", "all"), nargs="?", default="all")
    parser.add_argument("--bottlenecks", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--suggestions", type=int, default=40, help="suggestions timed after the first")
    parser.add_argument(
        "--sets", default=",".join(SETS), help="quality: comma-separated sets of " + ", ".join(SETS)
    )
    parser.add_argument(
        "--heldout",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="quality: another set of grouped bottlenecks (one per line, `group` the rule), named after its folder",
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "learning.json")
    args = parser.parse_args()
    results = {"load_average_before": os.getloadavg()}
    if args.part in ("quality", "all"):
        sets = tuple(name for name in args.sets.split(",") if name)
        if unknown := set(sets) - set(SETS):
            parser.error(f"--sets: unknown set {sorted(unknown)[0]}")
        files = {path.resolve().parent.name: path for path in args.heldout}
        if clash := set(files) & set(sets):
            parser.error(f"--heldout: set {sorted(clash)[0]} is also in --sets")
        results["quality"] = quality(args.eval_dir, sets, files)
    if args.part in ("speed", "all"):
        results["speed"] = speed(
            cases=args.cases, bottlenecks=args.bottlenecks, repeats=args.repeats, suggestions=args.suggestions
        )
    results["load_average_after"] = os.getloadavg()
    print(f"load average before {results['load_average_before']}, after {results['load_average_after']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
