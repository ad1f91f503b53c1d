"""What the room knows beyond one text: the case's roster and the names already masked in the session.

Both are held in memory only. Their name words (folded: lowercase, no accents, no particles) raise the
tagger's score for the same word typed in lowercase ("kowalczyk komt niet"), where a word alone says
little.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from casebook.anonymise.roster import parse_roster
from casebook.anonymise.tagger.features import fold


def room_words(roster: Sequence[str] = (), session_names: Iterable[str] = ()) -> frozenset[str]:
    """Folded name words of the roster and of the names masked earlier in the session."""
    words = {fold(part) for name in parse_roster(roster) for part in name.parts}
    words |= {fold(w) for w in session_names if isinstance(w, str)}
    return frozenset(w for w in words if len(w) >= 3)
