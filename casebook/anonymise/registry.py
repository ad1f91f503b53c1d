"""The pseudonym maps of cases and room sessions, in this process's memory only (never on disk), so the same
person keeps the same placeholder across edits and messages while the server runs. Bounded (least recently
used go first): a map that is dropped or was never here (after a restart, or on another process) starts
afresh from the texts already stored and continues their numbering, so dropping one costs a read, never a
wrong placeholder."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

from sqlmodel import Session

from casebook.anonymise.pseudonyms import Pseudonyms
from casebook.db import database_key

#: What a map belongs to: a case (its texts) or a room session (its messages).
CASE = "case"
SESSION = "session"


class PseudonymRegistry:
    """Bounded twice: by the number of maps, and by the identifiers they hold together (a text of 100 KB of
    distinct names makes a map of about 10 MB, so a count of maps alone did not bound the memory)."""

    def __init__(self, capacity: int = 4096, max_identifiers: int = 200_000):
        self.capacity, self.max_identifiers = capacity, max_identifiers
        self._maps: OrderedDict[tuple[str, str, int], Pseudonyms] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(db_session: Session, scope: str, object_id: int) -> tuple[str, str, int]:
        return database_key(db_session.get_bind()), scope, object_id

    def get(
        self, *, db_session: Session, scope: str, object_id: int, stored_texts: Callable[[], Iterable[str]]
    ) -> Pseudonyms:
        """The live map of this case or session; built from `stored_texts()` when this process holds none."""
        key = self._key(db_session, scope, object_id)
        with self._lock:
            if key in self._maps:
                self._maps.move_to_end(key)
                return self._maps[key]
        built = Pseudonyms.from_texts(stored_texts())
        with self._lock:  # another request may have built it meanwhile: one map per object
            found = self._maps.setdefault(key, built)
            self._trim()
            return found

    def remember(self, *, db_session: Session, scope: str, object_id: int, pseudonyms: Pseudonyms) -> None:
        with self._lock:
            self._maps[self._key(db_session, scope, object_id)] = pseudonyms
            self._trim()

    def forget(self, *, db_session: Session, scope: str, object_id: int) -> None:
        with self._lock:
            self._maps.pop(self._key(db_session, scope, object_id), None)

    def held(self, *, db_session: Session, scope: str) -> set[int]:
        """The ids of this database's cases or sessions whose map this process holds."""
        database = database_key(db_session.get_bind())
        with self._lock:
            return {object_id for (url, kind, object_id) in self._maps if url == database and kind == scope}

    def _trim(self) -> None:
        """Drop the least recently used maps; the one just used stays (its request is using it)."""
        held = sum(m.size for m in self._maps.values())
        while len(self._maps) > 1 and (len(self._maps) > self.capacity or held > self.max_identifiers):
            held -= self._maps.popitem(last=False)[1].size


pseudonym_registry = PseudonymRegistry()
