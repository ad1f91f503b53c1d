"""The LLM backend: the retrieved cases and the question in a prompt, the server's streamed answer through
the output filter, and the answer with the cases it cites. Falling back to the built-in assistant when
the server fails is the caller's choice (chat.assistant.service): this module only raises LLMUnavailable."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from casebook.anonymise import service as anonymise_service
from chat.assistant import prompt
from chat.assistant.llm import LLMClient
from chat.assistant.models import Answer, Source
from chat.assistant.output_filter import Anonymise, OutputFilter


class LLMStream:
    """One answer of the LLM backend. Iterating yields the answer's text as it may be shown (anonymised,
    a sentence at a time) and raises :class:`chat.assistant.llm.LLMUnavailable` when the server fails,
    possibly after some text; :meth:`answer` then gives the whole answer with its citations.

    ``anonymise`` is the anonymiser the answer passes before anyone sees it (the room's, with its roster
    and numbering); by default one whose numbering continues after the placeholders in the prompt."""

    def __init__(
        self,
        client: LLMClient,
        question: str,
        sources: Sequence[Source],
        skill: str | None = None,
        *,
        anonymise: Anonymise | None = None,
        prompt_chars: int = prompt.PROMPT_CHARS,
    ) -> None:
        self.client = client
        self.sources = list(sources)
        self.messages = prompt.build_messages(question, self.sources, skill, max_chars=prompt_chars)
        if anonymise is None:
            pseudonyms = anonymise_service.Pseudonyms.from_texts(m["content"] for m in self.messages)
            anonymise = lambda text: anonymise_service.anonymise_text(text, pseudonyms=pseudonyms)  # noqa: E731
        # The prompt may not have had room for every source: only the cases it shows (in the last message,
        # after the instructions' example) may be cited.
        shown = {int(match["id"]) for match in prompt.CITATION_RE.finditer(self.messages[-1]["content"])}
        self.filter = OutputFilter({s.case_id for s in self.sources} & shown, anonymise)

    def __iter__(self) -> Iterator[str]:
        for piece in self.client.stream_chat(self.messages):
            released = self.filter.feed(piece)
            if released:
                yield released
        rest = self.filter.finish()
        if rest:
            yield rest

    @property
    def shown(self) -> str:
        """The answer as released so far (everything iteration has yielded)."""
        return self.filter.text

    def answer(self) -> Answer:
        """The answer as shown. Its citations are the shown cases it cites, most relevant first; an answer
        that cites none was still written from the cases it was shown, so those are its citations."""
        text = self.filter.text.strip()
        cited = prompt.cited_case_ids(text, self.sources) or [
            s.case_id
            for s in sorted(self.sources, key=lambda s: -s.score)
            if s.case_id in self.filter.known_ids
        ]
        return Answer(text=text, citations=cited, backend="llm")


def answer(
    client: LLMClient,
    question: str,
    sources: Sequence[Source],
    skill: str | None = None,
    *,
    anonymise: Anonymise | None = None,
    prompt_chars: int = prompt.PROMPT_CHARS,
    show: Callable[[str], None] | None = None,
) -> Answer:
    """The whole answer; ``show``, if given, is called with the answer as released so far each time it grows
    (the room streams it). Raises LLMUnavailable like :class:`LLMStream`."""
    stream = LLMStream(client, question, sources, skill, anonymise=anonymise, prompt_chars=prompt_chars)
    for _ in stream:
        if show is not None:
            show(stream.shown)
    return stream.answer()
