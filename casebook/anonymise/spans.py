"""Candidate spans and overlap resolution shared by all detectors."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

#: Anything written like a placeholder: upper case in square brackets.
BRACKETED_RE = re.compile(r"\[[A-Z][A-Z0-9_-]{0,80}\]")
#: The shape of a placeholder written by this anonymiser or by hand: [PERSOON-3], [CLIENT], [EX-PARTNER],
#: [KIND-1]: words of letters and at most a short number. Digits beyond that are data, not a count.
PLACEHOLDER_SHAPE_RE = re.compile(r"\[[A-Z][A-Z_]{0,30}(?:-[A-Z]{1,30}){0,2}(?:-\d{1,5})?\]")


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


def bracketed_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, placeholder-shaped) of every upper-case bracketed word in ``text``."""
    return [
        (m.start(), m.end(), PLACEHOLDER_SHAPE_RE.fullmatch(m.group()) is not None)
        for m in BRACKETED_RE.finditer(text)
    ]


def resolve(cands: list[Candidate], blocked: list[tuple[int, int]], length: int) -> list[Candidate]:
    """Pick non-overlapping candidates, never touching placeholders; sorted by start."""
    taken = bytearray(length + 1)
    for s, e in blocked:
        taken[s:e] = b"\x01" * (e - s)
    chosen: list[Candidate] = []
    # set(): detectors often propose the same span; find(): a C-level scan instead of any() over a slice
    for c in sorted(set(cands), key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if not (0 <= c.start < c.end <= length):
            continue
        if taken.find(1, c.start, c.end) != -1:
            continue
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen
