"""What the language model says, made fit to show while it is still talking.

The model's answer arrives in tokens, and a name can be split over two of them ("Jan" + "ssen"). No
token is shown as it arrives: text is released a sentence (or a line) at a time, and only after the
anonymiser has read it together with what came just before it (so "Dhr." at the end of one sentence
still tells it that "Jansen" at the start of the next is a name). A cut never falls inside something the
anonymiser found; a long run without any sentence end is released up to a few words before its end,
so the last words wait for what follows them. Citations of cases the model was not shown are removed.
Nothing of the original text is kept beyond the little context the next sentence is read with."""

from __future__ import annotations

import re
from collections.abc import Callable

from casebook.anonymise import service as anonymise_service
from casebook.anonymise.lexicon import TITLES
from casebook.anonymise.models import AnonymisedText
from chat.assistant.prompt import drop_unknown_citations

Anonymise = Callable[[str], AnonymisedText]

#: How much already-shown text the next sentence is read with (a title, a first name before a surname).
CONTEXT_CHARS = 200
#: A run without a sentence end longer than this is released up to its last KEEP_WORDS words.
MAX_PENDING_CHARS = 300
KEEP_WORDS = 3

#: The end of a sentence (with closing quotes or brackets) followed by white space, or a line break.
SENTENCE_END_RE = re.compile(r"(?P<word>[^\W\d_]{0,8})[.!?…][\"')\]’”]{0,3}[ \t]+|\n")


class OutputFilter:
    """Feed it the model's pieces; it returns what may be shown now (often ""). ``finish`` returns the rest.
    ``known_ids`` are the cases the model was shown: citations of any other case are dropped.
    ``anonymise`` is the caller's anonymiser (e.g. with the room's roster and numbering); by default a
    fresh one for this answer."""

    def __init__(self, known_ids: set[int], anonymise: Anonymise | None = None) -> None:
        self.known_ids = set(known_ids)
        if anonymise is None:
            pseudonyms = anonymise_service.Pseudonyms()
            anonymise = lambda text: anonymise_service.anonymise_text(text, pseudonyms=pseudonyms)  # noqa: E731
        self._anonymise = anonymise
        self._context = ""  # the original of the last text released, to read the next with
        self._pending = ""  # received, not yet released
        self.text = ""  # everything released so far

    def feed(self, piece: str) -> str:
        """Take the next piece of the answer; return the text that is now safe to show."""
        self._pending += piece
        cut = _last_sentence_end(self._pending)
        if cut is None and len(self._pending) > MAX_PENDING_CHARS:
            cut = _before_last_words(self._pending, KEEP_WORDS)
        return self._release(cut) if cut else ""

    def finish(self) -> str:
        """The answer is complete: return whatever was still held back."""
        return self._release(len(self._pending)) if self._pending else ""

    def _release(self, cut: int) -> str:
        """Anonymise context + pending, then show pending[:cut] — or less, if an identifier found by the
        anonymiser crosses the cut (it is then shown whole with the next release)."""
        window = self._context + self._pending
        start = len(self._context)
        end = start + cut
        found = sorted(self._anonymise(window).entities, key=lambda e: e.start)
        for entity in reversed(found):
            if entity.start < end < entity.end:
                end = max(entity.start, start)
        if end == start and cut < len(self._pending):
            return ""
        parts: list[str] = []
        cursor = start
        for entity in found:
            if entity.end <= start or entity.start >= end:
                continue
            parts.append(window[cursor : max(entity.start, start)])
            parts.append(entity.replacement)
            cursor = entity.end
        parts.append(window[cursor:end])
        shown = drop_unknown_citations("".join(parts), self.known_ids)
        self._context = window[:end][-CONTEXT_CHARS:]
        self._pending = window[end:]
        self.text += shown
        return shown


def _last_sentence_end(text: str) -> int | None:
    """The position just after the last sentence end in ``text`` that is not an abbreviation ("dhr. ")
    or an initial ("J. "), or None."""
    cut = None
    for match in SENTENCE_END_RE.finditer(text):
        word = match["word"]
        if word is not None and (len(word) == 1 or word.lower() in TITLES):
            continue
        cut = match.end()
    return cut


def _before_last_words(text: str, keep: int) -> int | None:
    """The position of the white space before the last ``keep`` words of ``text`` (or one word earlier,
    so as not to part "[casus" from its id), or None."""
    position = len(text.rstrip())
    for _ in range(keep):
        position = _space_before(text, position)
        if position <= 0:
            return None
    if text[:position].lower().endswith("casus"):
        position = _space_before(text, position)
    return position if position > 0 else None


def _space_before(text: str, position: int) -> int:
    return max(text.rfind(" ", 0, position), text.rfind("\t", 0, position))
