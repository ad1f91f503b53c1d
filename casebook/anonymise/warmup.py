"""Build deduce's lookup tables once at setup: ``python -m casebook.anonymise.warmup``.

The first build takes ~100 s; afterwards a slim cache makes ``warm_up()`` fast. Prints
the time each step took so setup logs show whether the cache was hit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from casebook.anonymise.engine import _slim_cache_file, build_tables, slim_cache_dir

    if not _slim_cache_file(slim_cache_dir()).exists():
        seconds = build_tables()
        print(f"deduce-tabellen opgebouwd in {seconds:.1f} s")
    else:
        print("deduce-tabellen stonden al klaar")
    # measure what a fresh server process pays
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from casebook.anonymise.service import warm_up; warm_up()"],
        check=True,
    )
    print(f"warm-up in een nieuw proces: {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
