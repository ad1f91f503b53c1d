"""The retrieval-augmented prompt of the LLM backend, and the reading of the citations in its answer.

The model sees only anonymised text: the retrieved cases (stored texts, anonymised when they were
written) and the question, which is anonymised here again whatever the caller did. Each case is shown
with its id as ``[casus 12]`` and the model is asked to cite that way. The prompt is bounded
(:data:`PROMPT_CHARS` by default) so that it fits a small model's context and its first token comes
quickly. What the model cites is trusted only where it names a case it was shown: it may invent ids."""

from __future__ import annotations

import re
from collections.abc import Sequence

from casebook.anonymise import service as anonymise_service
from chat.assistant.models import Source

#: The whole prompt in characters, about 490 tokens (Dutch takes ~2.5 characters a token with the small
#: model): the instructions, the question and two or three cases. What bounds it is not the context (2,048
#: tokens) but the time to the first token: the server reads every new prompt token before it writes one, at
#: ~130 tokens per CPU second on the 2-core reference machine (bench/assistant_llm.py; the instructions, the
#: same each time, the server keeps from the last prompt). A server with a larger model or more cores can be
#: given more (CASEBOOK_LLM_PROMPT_CHARS, ``max_chars``).
PROMPT_CHARS = 1_200
#: The question as sent; a longer one is cut off (the retrieval already used all of it).
QUESTION_CHARS = 300
#: A case is shown with at least this much of its text, or not at all.
MIN_SOURCE_CHARS = 200
#: At most this many cases, most relevant first.
MAX_SOURCES = 5

SYSTEM_NL = (
    "Je bent de assistent van een sociaal wijkteam. Je antwoordt in het Nederlands, kort en concreet, "
    "alleen met wat in de casussen van het team staat. Zet achter elke bewering de casus waar die vandaan "
    "komt, precies zo: [casus 12]. Noem geen casus die niet in de lijst staat en verzin geen namen, "
    "nummers of feiten. Staat het antwoord niet in de casussen, zeg dan: geen vergelijkbare casus gevonden."
)

#: What each skill asks of the model, on top of the system prompt: the skills of chat/assistant/skills.yaml
#: that answer from retrieved cases (the others are answered by the built-in assistant).
SKILL_INSTRUCTIONS_NL = {
    "similar": "Noem de vergelijkbare casussen: wat de situatie was, wat werkte en wat de uitkomst was.",
    "bottlenecks": "Noem welke regels in de weg zaten (wet, niveau, soort, dagen vertraging) en wat de "
    "uitkomst was.",
}

#: ``[casus 12]``, ``(Casus 12)`` or a bare ``casus 12``: the id is group ``id``; brackets are optional so
#: a model that forgets them is still read. Linear: every quantifier is followed by a different class.
CITATION_RE = re.compile(
    r"(?P<open>[\[(][ \t]*)?\bcasus[ \t]+(?:nr\.?[ \t]*)?(?P<id>\d{1,9})\b(?P<close>[ \t]*[\])])?",
    re.IGNORECASE,
)


def build_messages(
    question: str, sources: Sequence[Source], skill: str | None = None, *, max_chars: int = PROMPT_CHARS
) -> list[dict[str, str]]:
    """Chat messages for an OpenAI-compatible server: the instructions, then the cases (most relevant
    first, as many as fit with at least MIN_SOURCE_CHARS each) and the question. ``question`` is
    anonymised here again; ``sources`` must already be anonymised (stored case texts are).
    The messages together hold at most ``max_chars`` characters."""
    system = SYSTEM_NL
    if skill in SKILL_INSTRUCTIONS_NL:
        system += " " + SKILL_INSTRUCTIONS_NL[skill]
    asked = "Vraag: " + _anonymised(question, QUESTION_CHARS)
    room = max_chars - len(system) - len(asked) - len("Casussen:\n\n")
    cases = _case_blocks(sources, room)
    user = (
        ("Casussen:\n" + "\n\n".join(cases) if cases else "Er zijn geen casussen gevonden.") + "\n\n" + asked
    )
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": user[: max_chars - len(system)]},
    ]


def _case_blocks(sources: Sequence[Source], room: int) -> list[str]:
    """One block per case, ``[casus 12] title`` then its text (the title only once, where the text starts
    with it already), the room shared evenly among them."""
    ranked = sorted(sources, key=lambda s: -s.score)[:MAX_SOURCES]
    while ranked and room // len(ranked) < MIN_SOURCE_CHARS:
        ranked.pop()
    blocks = []
    for source in ranked:
        share = room // len(ranked) - 2  # the blank line between blocks
        title = " ".join(source.title.split())
        text = source.text.strip()
        heading = f"[casus {source.case_id}]"
        if (
            title not in text[: len(title) + 20]
        ):  # the title gets what the text's minimum leaves, half at most
            heading = f"{heading} {_clip(title, min(share // 2, share - MIN_SOURCE_CHARS - len(heading) - 2))}".rstrip()
        blocks.append(heading + "\n" + _clip(text, share - len(heading) - 1))
    return blocks


def _anonymised(text: str, limit: int) -> str:
    """``text`` anonymised and cut to ``limit`` characters. Only twice the limit is read, cut at a word
    boundary first: the caller anonymised the whole text already, this pass is the guard."""
    return _clip(anonymise_service.anonymise_text(_clip(text, 2 * limit)).text, limit)


def _clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary where there is one, marked by '…'."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ""
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def cited_case_ids(answer: str, sources: Sequence[Source]) -> list[int]:
    """The cases the answer cites that were among ``sources``, most relevant (highest score) first.
    Ids the model made up, or of cases it was not shown, are left out."""
    cited = {int(m["id"]) for m in CITATION_RE.finditer(answer)}
    return [s.case_id for s in sorted(sources, key=lambda s: -s.score) if s.case_id in cited]


def drop_unknown_citations(text: str, known_ids: set[int]) -> str:
    """``text`` without citations of cases outside ``known_ids``: a bracketed one goes (with the spaces
    before it), a bare "casus 99" becomes "een casus", so the reader never follows an invented id."""
    parts: list[str] = []
    last = 0
    for match in CITATION_RE.finditer(text):
        if int(match["id"]) in known_ids:
            continue
        before = text[last : match.start()]
        if match["open"] and match["close"]:
            parts.append(before.rstrip(" \t"))
        else:
            parts.append(before + (match["open"] or "") + "een casus" + (match["close"] or ""))
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)
