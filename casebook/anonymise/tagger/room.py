"""What the room knows beyond one text: the case's roster and the names already masked in the session.

Both are held in memory only (the names masked so far as keyed tokens: Pseudonyms.name_words). Their name words
(folded: lowercase, no accents, no particles) raise the tagger's score for the same word typed in lowercase
("kowalczyk komt niet"), where a word alone says little.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from casebook.anonymise.roster import parse_roster
from casebook.anonymise.tagger.features import fold


class Room:
    """The name words of the roster and of the names masked earlier in the session: ``fold(word) in room``.
    Words under three letters never count. Held for one text: what it remembers is bounded by the text."""

    def __init__(self, roster: Sequence[str] = (), session_names: Container[str] = frozenset()) -> None:
        words = (fold(part) for name in parse_roster(roster) for part in name.parts)
        self.roster_words = frozenset(w for w in words if len(w) >= 3)
        self.session_names = session_names
        self._verdicts: dict[
            str, bool
        ] = {}  # a long text repeats its words; the session's are keyed each time

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or len(word) < 3:
            return False
        if word not in self._verdicts:
            self._verdicts[word] = word in self.roster_words or word in self.session_names
        return self._verdicts[word]

    def __bool__(self) -> bool:
        return bool(self.roster_words) or bool(self.session_names)
