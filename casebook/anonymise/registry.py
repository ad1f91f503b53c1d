"""The pseudonym maps of cases and room sessions, in memory only (never on disk), so the same person keeps the
same placeholder across edits and messages while the server runs. Bounded (least recently used go first): a map
that is dropped or was never here (after a restart) starts afresh from the texts already stored and continues
their numbering, so dropping one costs a read, never a wrong placeholder.

With REDIS_URL set, several processes serve one database: each map is then also kept in Redis as keyed tokens
(casebook/anonymise/shared.py), every fetch catches up with what the other processes added, and a map dropped
here is read back from there."""

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

import redis
from sqlmodel import Session

from casebook.anonymise.pseudonyms import PROCESS_KEYS, Pseudonyms
from casebook.anonymise.shared import SharedPseudonyms, shared_maps
from casebook.db import database_key

logger = logging.getLogger("casebook.anonymise.registry")

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
        """The live map of this case or session; built from `stored_texts()` when nobody holds one (with a
        shared Redis: caught up with what other processes added)."""
        key = self._key(db_session, scope, object_id)
        with self._lock:
            found = self._maps.get(key)
            if found is not None:
                self._maps.move_to_end(key)
        shared = shared_maps(db_session)
        if shared is None:
            if found is not None:
                return found
            return self._keep(key, Pseudonyms.from_texts(stored_texts()))
        if isinstance(found, SharedPseudonyms):
            found.sync(seed=lambda: Pseudonyms.from_texts(stored_texts(), shared.keys))
            return found
        # None here, or a map remembered before its object was committed (a new case's): that one starts the
        # shared map where there is none yet
        remembered = (
            found if found is not None and found.keys.fingerprint == shared.keys.fingerprint else None
        )
        held = SharedPseudonyms(shared.log(scope, object_id))
        held.sync(seed=lambda: remembered or Pseudonyms.from_texts(stored_texts(), shared.keys))
        return self._keep(key, held)

    def _keep(self, key: tuple[str, str, int], built: Pseudonyms) -> Pseudonyms:
        """Hold `built`, unless another request built a map of the same kind meanwhile: one map per object."""
        with self._lock:
            found = self._maps.get(key)
            if found is None or type(found) is not type(built):
                self._maps[key] = found = built
            self._maps.move_to_end(key)
            self._trim()
            return found

    def new_map(self, *, db_session: Session) -> Pseudonyms:
        """An empty map for an object that has no id yet (a new case), keyed as this database's shared maps are
        (:meth:`get` starts a shared map from it), to be kept with :meth:`remember` once it has one."""
        shared = shared_maps(db_session)
        return Pseudonyms(shared.keys if shared is not None else PROCESS_KEYS)

    def remember(self, *, db_session: Session, scope: str, object_id: int, pseudonyms: Pseudonyms) -> None:
        """Keep the map of an object just written (a new case), in this process. With a shared Redis the next
        :meth:`get` starts the shared map from it, once the object is committed: a map in Redis whose object
        the database does not hold yet would be taken for erased by another process's sweep."""
        with self._lock:
            self._maps[self._key(db_session, scope, object_id)] = pseudonyms
            self._trim()

    def forget(self, *, db_session: Session, scope: str, object_id: int) -> None:
        """Drop the map here and, with a shared Redis, there too (the case or session was erased). Redis out of
        reach is logged, not raised: the map is dropped there by the next sweep, or after its TTL."""
        with self._lock:
            self._maps.pop(self._key(db_session, scope, object_id), None)
        shared = shared_maps(db_session)
        if shared is not None:
            try:
                shared.log(scope, object_id).delete()
            except redis.RedisError as exc:
                logger.warning("shared pseudonym map not deleted yet: %s", type(exc).__name__)

    def held(self, *, db_session: Session, scope: str) -> set[int]:
        """The ids of this database's cases or sessions whose map this process holds (or, with a shared Redis,
        any process keeps there)."""
        database = database_key(db_session.get_bind())
        with self._lock:
            held = {object_id for (url, kind, object_id) in self._maps if url == database and kind == scope}
        shared = shared_maps(db_session)
        if shared is not None:
            try:
                held |= shared.held(scope)
            except redis.RedisError as exc:
                logger.warning("shared pseudonym maps not listed: %s", type(exc).__name__)
        return held

    def _trim(self) -> None:
        """Drop the least recently used maps; the one just used stays (its request is using it)."""
        held = sum(m.size for m in self._maps.values())
        while len(self._maps) > 1 and (len(self._maps) > self.capacity or held > self.max_identifiers):
            held -= self._maps.popitem(last=False)[1].size


pseudonym_registry = PseudonymRegistry()
