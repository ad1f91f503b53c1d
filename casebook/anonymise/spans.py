"""Candidate spans and overlap resolution shared by all detectors."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

#: Placeholders written by this anonymiser or by hand: [PERSOON-3], [CLIENT], [KIND-1] ...
PLACEHOLDER_RE = re.compile(r"\[[A-Z][A-Z_]*(?:-[A-Z]+)*(?:-\d+)?\]")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A detector's proposal; ``priority`` decides overlaps (higher wins, then longer)."""

    start: int
    end: int
    label: str
    priority: int


class SpanIndex:
    """Spans (merged where they overlap) that answer "which one overlaps [start, end)?" by bisection:
    checking every candidate against every span made long texts quadratic."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            if merged and s < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        self.spans = merged
        self._ends = [e for _, e in merged]

    def __bool__(self) -> bool:
        return bool(self.spans)

    def overlapping(self, start: int, end: int) -> tuple[int, int] | None:
        i = bisect_right(self._ends, start)
        if i < len(self.spans) and self.spans[i][0] < end:
            return self.spans[i]
        return None


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in PLACEHOLDER_RE.finditer(text)]


def resolve(cands: list[Candidate], blocked: list[tuple[int, int]], length: int) -> list[Candidate]:
    """Pick non-overlapping candidates, never touching placeholders; sorted by start."""
    taken = bytearray(length + 1)
    for s, e in blocked:
        taken[s:e] = b"\x01" * (e - s)
    chosen: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if not (0 <= c.start < c.end <= length):
            continue
        if any(taken[c.start : c.end]):
            continue
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen
