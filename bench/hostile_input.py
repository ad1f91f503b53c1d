"""Hostile input: how long the anonymiser takes on texts at the size limit built to be slow, and how
long another user waits meanwhile.

Usage: python bench/hostile_input.py [--bytes 100000] [--out bench/results/hostile_input.json]

Each shape repeats a short unit up to the size limit: dense names, chat-style lowercase names, long
hyphen and dot chains, digit runs, case-number cues, blank lines; one more holds thousands of distinct
names, and one a full room roster (49 names of 34 parts). While one thread anonymises it (as a server worker does), the main thread anonymises a one-line chat message every 50 ms and records how
long each took: the delay another user in a room would notice. Targets (issue 9): every shape under
1 s, another user's delay under 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from casebook.anonymise import service as anonymise_service
from casebook.anonymise.lexicon import get_lexicon

SHAPES = {
    "prose": "Mevrouw Jansen woont aan de Hoofdstraat 12 in Utrecht en heeft schulden bij het UWV. ",
    "one repeated word": "schulden ",
    "dense full names": "Jan Jansen en Piet de Vries ",
    "surnames only": "Jansen ",
    "lowercase chat names": "jan en piet ",
    "hyphen chain": "a-",
    "capitalised hyphen chain": "Aa-",
    "apostrophe chain": "A'",
    "case-number cue": "kenmerk AB-12/",
    "cue then letters": "kenmerk " + "a" * 40 + "# ",
    "dot chain": "A.",
    "digit runs": "1234567 ",
    "public bodies and names": "UWV Jan ",
    "particles": "van de ",
    "blank lines": "\n",
    "e-mail-like": "a@b.",
    "placeholders": "[PERSOON-1] ",
}
OTHER_USER_MESSAGE = "ik bel morgen met jan over de schulden bij de kredietbank"


def _other_user_delays(stop: threading.Event) -> list[float]:
    delays = []
    while not stop.is_set():
        began = time.perf_counter()
        anonymise_service.anonymise_text(OTHER_USER_MESSAGE)
        delays.append(time.perf_counter() - began)
        time.sleep(0.05)
    return delays


def distinct_names(size: int) -> str:
    """Thousands of different people: every name a new entry in the pseudonym map."""
    lexicon = get_lexicon()
    firsts = sorted(n.capitalize() for n in lexicon.first_names if n.isalpha() and not lexicon.is_common_word(n))
    return "".join(f"{name} Jansen " for name in firsts[: size // 8])[:size]


def full_roster(size: int) -> tuple[str, list[str]]:
    """The worst case of roster matching: 49 names of 34 two-letter parts against a text of random words."""
    rng = random.Random(9)

    def word(length: int) -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(length)).capitalize()

    roster = [" ".join(word(2) for _ in range(34))[:100] for _ in range(49)]
    return " ".join(word(rng.randint(5, 9)) for _ in range(size // 5))[:size], roster


def measure(text: str, roster: list[str] | None = None) -> dict:
    took: dict[str, float] = {}

    def hostile() -> None:
        began = time.perf_counter()
        anonymise_service.anonymise_text(text, roster=roster or ())
        took["seconds"] = time.perf_counter() - began

    stop = threading.Event()
    worker = threading.Thread(target=hostile)
    worker.start()
    delays: list[float] = []
    waiter = threading.Thread(target=lambda: delays.extend(_other_user_delays(stop)))
    waiter.start()
    worker.join()
    stop.set()
    waiter.join()
    return {"seconds": took["seconds"], "other_user_max_delay": max(delays, default=0.0),
            "other_user_requests": len(delays)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bytes", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("bench/results/hostile_input.json"))
    args = parser.parse_args()
    anonymise_service.warm_up()
    anonymise_service.anonymise_text(OTHER_USER_MESSAGE)
    results = {}
    print(f"{'shape':26} {'seconds':>8} {'other user max delay':>21} {'their requests':>15}")
    texts = {name: (unit * (args.bytes // len(unit) + 1))[: args.bytes] for name, unit in SHAPES.items()}
    texts["distinct names"] = distinct_names(args.bytes)
    roster_text, roster = full_roster(args.bytes)
    for name, text in [*texts.items(), ("full roster", roster_text)]:
        row = measure(text, roster if name == "full roster" else None)
        results[name] = row
        print(f"{name:26} {row['seconds']:8.3f} {row['other_user_max_delay']:21.3f} {row['other_user_requests']:15d}",
              flush=True)
    worst = max(r["seconds"] for r in results.values())
    worst_delay = max(r["other_user_max_delay"] for r in results.values())
    print(f"worst: {worst:.3f} s per text (target < 1 s); other user's worst delay {worst_delay:.3f} s (target < 0.5 s)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"bytes": args.bytes, "shapes": results, "worst_seconds": worst,
                                    "worst_other_user_delay": worst_delay}, indent=2))


if __name__ == "__main__":
    main()
