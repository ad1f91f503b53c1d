"""Loading deduce once, fast.

deduce ships an 83 MB pickle of lookup tries (streets, institutions, ...) that takes 6+ s
to unpickle. We only use its *name* annotators, so after the first full build we save a
slim cache holding just the name-related lookup structures; later processes load that in
well under a second. Everything is cached at module level: one load per process.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


def _import_deduce_quietly() -> None:
    """Import deduce without its side effect: on import it calls
    ``logging.basicConfig(stream=sys.stdout, level=logging.DEBUG)``, which would send every library's
    debug output (possibly quoting text) to stdout. The root logger is put back as it was."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    import deduce  # noqa: F401

    root.setLevel(level)
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)


_import_deduce_quietly()

#: Lookup structures the name annotators (and our own lexicon) need.
_NAME_STRUCTS = (
    "first_name",
    "surname",
    "whitelist",
    "common_word",
    "stop_word",
    "prefix",
    "interfix",
    "initial",
    "interfix_surname",
    "eponymous_disease",
    "medical_term",
)
#: Name annotators we skip: patient_name needs per-document metadata we never have.
_SKIPPED_ANNOTATORS = {"patient_name"}

#: Characters deduce sees at once: a few sentences, small enough that a flood of names stays cheap.
DEDUCE_WINDOW_CHARS = 250
#: Capitalised words deduce sees at once: its context rules take time that grows with the square of the names
#: standing together (62 one-syllable names in 250 characters took 0.15 s, 16 take 0.01 s), so a window
#: denser than any prose is cut further, after a comma, full stop or line end where there is one.
DEDUCE_WINDOW_NAMES = 16
_WORD_RE = re.compile(r"[^\W\d_]+")
#: CPU time deduce may spend on one text: ordinary case texts up to the size limit need a fraction of it.
DEDUCE_BUDGET_SECONDS = 0.3


def text_windows(text: str, size: int) -> list[tuple[int, int]]:
    """(start, end) windows of at most ``size`` characters covering ``text``, each ending at the last
    line end, else sentence end, else space in its second half (a hard cut only in an unbroken run)."""
    windows, start = [], 0
    while len(text) - start > size:
        limit = start + size
        cut = max(
            text.rfind("\n", start + size // 2, limit), text.rfind(". ", start + size // 2, limit - 1) + 1
        )
        if cut <= start:
            cut = text.rfind(" ", start + size // 2, limit)
        if cut <= start:
            cut = limit
        windows.append((start, cut))
        start = cut
    windows.append((start, len(text)))
    return windows


def deduce_windows(text: str) -> list[tuple[int, int]]:
    """The windows deduce reads: :func:`text_windows` of DEDUCE_WINDOW_CHARS, each cut further before every
    DEDUCE_WINDOW_NAMES + 1st capitalised word (or after the last separator before it, if that is past the
    middle of the run)."""
    windows = []
    for start, end in text_windows(text, DEDUCE_WINDOW_CHARS):
        capitals = [m.start() for m in _WORD_RE.finditer(text, start, end) if text[m.start()].isupper()]
        while len(capitals) > DEDUCE_WINDOW_NAMES:
            limit = capitals[DEDUCE_WINDOW_NAMES]
            middle = capitals[DEDUCE_WINDOW_NAMES // 2]
            separator = max(text.rfind(sep, middle, limit) for sep in (", ", ". ", "; ", "\n"))
            cut = separator + 1 if separator > middle else limit
            windows.append((start, cut))
            start = cut
            capitals = [c for c in capitals if c >= cut]
        windows.append((start, end))
    return windows


_lock = threading.Lock()
_engine: DeduceEngine | None = None


@dataclass
class DeduceEngine:
    """A loaded deduce instance restricted to its name annotators."""

    deduce: Any
    enabled: frozenset[str]
    load_seconds: float

    def person_spans(
        self, text: str, budget_seconds: float = DEDUCE_BUDGET_SECONDS
    ) -> tuple[list[tuple[int, int]], int]:
        """Character spans deduce tags as persons (``persoon``), and the offset up to which it read.

        deduce's context annotators grow annotations recursively, in time that grows with the square of
        the names in a stretch of text: it sees one bounded window at a time (ending at a line or sentence
        end where possible, so a name is not cut in two), and stops starting windows once
        ``budget_seconds`` are spent, so a hostile text cannot hold a worker; the caller covers the rest."""
        spans: list[tuple[int, int]] = []
        deadline = time.thread_time() + budget_seconds  # CPU time: see detectors.Budget
        for start, end in deduce_windows(text):
            if time.thread_time() > deadline:
                return spans, start
            doc = self.deduce.deidentify(text[start:end], enabled=set(self.enabled))
            spans += sorted(
                (start + a.start_char, start + a.end_char)
                for a in doc.annotations
                if a.tag.startswith("persoon")
            )
        return spans, len(text)

    def lookup_items(self, name: str) -> set[str]:
        return set(self.deduce.lookup_structs[name].items())


def _deduce_package_dir() -> Path:
    import deduce

    return Path(deduce.__file__).parent


def slim_cache_dir() -> Path:
    """Where the slim cache lives: next to deduce's own cache unless overridden."""
    override = os.environ.get("CASEBOOK_DEDUCE_CACHE")
    if override:
        return Path(override)
    return _deduce_package_dir() / "data" / "lookup" / "casebook_names"


def _names_config() -> dict:
    with open(_deduce_package_dir() / "base_config.json", encoding="utf-8") as fh:
        config = json.load(fh)
    config["annotators"] = {
        name: spec
        for name, spec in config["annotators"].items()
        if spec.get("group") == "names" and name not in _SKIPPED_ANNOTATORS
    }
    return config


def _write_slim_cache(full_deduce: Any, target: Path) -> None:
    import deduce
    import docdeid as dd
    from deduce.lookup_structs import cache_lookup_structs

    slim = dd.ds.DsCollection()
    for name in _NAME_STRUCTS:
        slim[name] = full_deduce.lookup_structs[name]
    cache_lookup_structs(slim, cache_path=target, deduce_version=deduce.__version__)


def _slim_cache_file(target: Path) -> Path:
    return target / "cache" / "lookup_structs.pickle"


def build_tables() -> float:
    """Build deduce's full lookup tables (slow, ~100 s first time) and our slim cache.

    Returns the seconds taken. Safe to run repeatedly.
    """
    from deduce import Deduce

    start = time.perf_counter()
    full = Deduce()
    target = slim_cache_dir()
    try:
        _write_slim_cache(full, target)
    except OSError:  # read-only site-packages: fall back to the user's cache folder
        fallback = Path.home() / ".cache" / "casebook" / "deduce_names"
        os.environ["CASEBOOK_DEDUCE_CACHE"] = str(fallback)
        _write_slim_cache(full, fallback)
    return time.perf_counter() - start


def _load() -> DeduceEngine:
    from deduce import Deduce

    start = time.perf_counter()
    target = slim_cache_dir()
    if not _slim_cache_file(target).exists():
        logger.info("deduce slim cache missing, building lookup tables (one-off, slow)")
        build_tables()
        target = slim_cache_dir()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # unpickling millions of small objects: the GC only slows it down
    try:
        engine = Deduce(load_base_config=False, config=_names_config(), cache_path=target)
    finally:
        if gc_was_enabled:
            gc.enable()
    enabled = frozenset({"names", *engine.processors["names"].get_names()})
    return DeduceEngine(engine, enabled, time.perf_counter() - start)


def get_engine() -> DeduceEngine:
    """The process-wide deduce engine, loaded on first use."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = _load()
    return _engine
