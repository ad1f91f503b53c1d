"""What the assistant works with: the retrieved cases it may quote, and the answer it gives."""

from dataclasses import dataclass
from typing import Literal

Backend = Literal["builtin", "llm"]


@dataclass(frozen=True)
class Source:
    """One retrieved case, already anonymised and visible to the asker, ready to quote. `score` is the
    search service's relevance (higher is better); `text` is what a backend may quote from the case."""

    case_id: int
    title: str
    text: str
    score: float


@dataclass
class Answer:
    """An answer as shown to the asker: `citations` are case ids, most relevant first; `notice` tells the
    asker something about how the answer came about (e.g. the LLM server was down, so the built-in
    assistant answered)."""

    text: str
    citations: list[int]
    backend: Backend
    notice: str | None = None
