"""Pseudonym maps that several `casebook serve` processes hold alike (REDIS_URL set), so a name gets the same
placeholder whichever process took the request.

A map is a log in Redis. Its head is a snapshot of the map under a random epoch, every entry after it one
operation that changed the map; both hold keyed tokens and numbers only, never a name (pseudonyms.WordKeys, with
a key derived from the app's secret, so every process must share CASEBOOK_SECRET_KEY; maps of another key are
kept apart). Operations are applied in log order by rules that depend on nothing else, so every process that has
read the log to the same point holds the same map. Fetching a map for a request reads what others appended since
(one round trip); a text whose identifiers the map already knows is answered from it, and one that teaches the
map something appends its operations only if nobody appended meanwhile (a second round trip; else it reads what
was appended and tries again), so the log has one order and no process answers from a map that lacks it.

Bounded: a log past MAX_LOG_ENTRIES is replaced by a snapshot of the map; a map past MAX_IDENTIFIERS starts
afresh, numbering on after every number given (as a map dropped from memory does); a map unused for TTL_SECONDS
leaves Redis, and is started again from the map a process still holds, or from the stored texts' numbering.
Erasure deletes a map at once (PseudonymRegistry.forget); every process also lists the maps of its database in a
sorted set, so the sweeps that forget erased cases and sessions find maps another process made."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import redis
from sqlmodel import Session

from casebook.anonymise.pseudonyms import Pseudonyms, WordKeys, operation_from_json
from casebook.db import database_key
from casebook.errors import Busy
from casebook.settings import settings_for

logger = logging.getLogger("casebook.anonymise.shared")

TTL_SECONDS = 30 * 24 * 3600
MAX_LOG_ENTRIES = 20_000
MAX_IDENTIFIERS = 50_000
#: Appending waits for nobody else to append meanwhile; under contention that is a few tries, never this many.
MAX_ATTEMPTS = 20
_EPOCH_CHARS = 32
UNREACHABLE = (
    "De server kan de pseudoniemen nu niet afstemmen met de andere servers. "
    "Er is niets opgeslagen; probeer het over {seconds} seconden opnieuw."
)

# KEYS: the log, the database's held maps. ARGV: epoch held ('' none), entries applied, ttl ms, max entries,
# object id, now, entries to append. Replies {status, entries?}; entries only when the caller must read them.
_EXCHANGE = """
local n = redis.call('LLEN', KEYS[1])
if n == 0 then return {'missing'} end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
local epoch, applied = ARGV[1], tonumber(ARGV[2])
if epoch == '' or n < applied or string.sub(redis.call('LINDEX', KEYS[1], 0), 1, #epoch) ~= epoch then
  return {'reset', redis.call('LRANGE', KEYS[1], 0, -1)}
end
if n > applied then return {'behind', redis.call('LRANGE', KEYS[1], applied, -1)} end
if #ARGV == 6 then return {'current'} end
if n > 1 and n + #ARGV - 6 > tonumber(ARGV[4]) then return {'full'} end
for i = 7, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
return {'appended'}
"""

# KEYS: the log, the database's held maps. ARGV: epoch expected ('' = only where there is no log), length
# expected, ttl ms, object id, now, the new head, '1' to replace whatever is there.
_START = """
if ARGV[7] ~= '1' then
  local n = redis.call('LLEN', KEYS[1])
  if ARGV[1] == '' then
    if n > 0 then return 0 end
  elseif n ~= tonumber(ARGV[2]) or string.sub(redis.call('LINDEX', KEYS[1], 0), 1, #ARGV[1]) ~= ARGV[1] then
    return 0
  end
end
redis.call('DEL', KEYS[1])
redis.call('RPUSH', KEYS[1], ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
"""


class SharedMaps:
    """The pseudonym maps of one database in one Redis, keyed with one app secret."""

    def __init__(self, redis_url: str, database: str, app_secret: str) -> None:
        self.keys = WordKeys.derived(app_secret)
        self.client = redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
        name = hashlib.sha256(database.encode()).hexdigest()[:16]
        self.prefix = f"casebook:pseudonyms:{name}:{self.keys.fingerprint}"
        self.exchange_script = self.client.register_script(_EXCHANGE)
        self.start_script = self.client.register_script(_START)

    def log(self, scope: str, object_id: int) -> PseudonymLog:
        return PseudonymLog(self, scope, object_id)

    def held(self, scope: str) -> set[int]:
        """The ids of the maps of `scope` in Redis (used within TTL_SECONDS)."""
        held = f"{self.prefix}:{scope}:held"
        pipe = self.client.pipeline()
        pipe.zremrangebyscore(held, "-inf", time.time() - TTL_SECONDS)
        pipe.zrange(held, 0, -1)
        return {int(member) for member in pipe.execute()[1] if member.isdigit()}


class PseudonymLog:
    """One map's log in Redis (see the module's docstring)."""

    def __init__(self, maps: SharedMaps, scope: str, object_id: int) -> None:
        self.maps, self.object_id = maps, object_id
        self.key = f"{maps.prefix}:{scope}:{object_id}"
        self.held = f"{maps.prefix}:{scope}:held"

    def exchange(self, epoch: str, applied: int, entries: Sequence[str]) -> tuple[str, list[str]]:
        """Read what was appended after the first `applied` entries of the log of `epoch`, or append `entries`
        when there is nothing to read. -> (status, entries to read): 'current' or 'appended' (nothing to
        read), 'behind' (read these after yours), 'reset' (the whole log, another epoch: start over from it),
        'missing' (no log), 'full' (compact it first)."""
        reply = self.maps.exchange_script(
            keys=[self.key, self.held],
            args=[epoch, applied, TTL_SECONDS * 1000, MAX_LOG_ENTRIES, self.object_id, time.time(), *entries],
        )
        entries_read = [entry.decode("utf-8", "replace") for entry in reply[1]] if len(reply) > 1 else []
        return reply[0].decode(), entries_read

    def start(self, head: str, *, epoch: str = "", length: int = 0, replace: bool = False) -> bool:
        """Make `head` the whole log: where there is none (`epoch` empty), where it still has `length` entries
        under `epoch`, or in any case (`replace`). True when it did."""
        done = self.maps.start_script(
            keys=[self.key, self.held],
            args=[
                epoch,
                length,
                TTL_SECONDS * 1000,
                self.object_id,
                time.time(),
                head,
                "1" if replace else "0",
            ],
        )
        return bool(done)

    def delete(self) -> None:
        pipe = self.maps.client.pipeline()
        pipe.delete(self.key)
        pipe.zrem(self.held, self.object_id)
        pipe.execute()


@contextlib.contextmanager
def reachable() -> Iterator[None]:
    """Redis failing is the server's fault, not the request's: 503 with Retry-After, and nothing stored."""
    try:
        yield
    except redis.RedisError as exc:
        logger.warning("shared pseudonym maps unreachable: %s", type(exc).__name__)
        raise Busy(UNREACHABLE, retry_after=5) from exc


class SharedPseudonyms(Pseudonyms):
    """A pseudonym map kept the same in every process by its log in Redis (see the module's docstring)."""

    def __init__(self, log: PseudonymLog) -> None:
        super().__init__(log.maps.keys)
        self._log = log
        self._epoch = ""  # the head this map was built from: none yet
        self._applied = 0  # entries of the log applied here, head included

    def sync(self, seed: Callable[[], Pseudonyms]) -> None:
        """Read what other processes added. Where there is no log (never made, unused too long, erased), start
        it from this map, or from `seed()` (the numbering of the stored texts) when this map holds nothing yet."""
        with self._lock, reachable():
            for _ in range(MAX_ATTEMPTS):
                if self._exchange([], seed):
                    return
        raise Busy(UNREACHABLE, retry_after=1)

    def placeholders(self, found: Sequence[tuple[str, str]]) -> list[str]:
        """As Pseudonyms.placeholders; what changes the map is appended to the log first (see the module)."""
        operations = [self.operation(label, surface) for label, surface in found]
        with self._lock, reachable():
            for _ in range(MAX_ATTEMPTS):
                # before the first operation that changes the map, the map answers as it is
                first = next((i for i, op in enumerate(operations) if self._changes(op)), len(operations))
                news = operations[first:]
                if not news or self._exchange(
                    [json.dumps(op.as_json(), separators=(",", ":")) for op in news]
                ):
                    self._applied += len(news)
                    return [self._apply(op) for op in operations]
        raise Busy(UNREACHABLE, retry_after=1)

    def _exchange(self, entries: list[str], seed: Callable[[], Pseudonyms] | None = None) -> bool:
        """Offer `entries` to the log right after what this map has applied (the caller holds the lock). True:
        they are in the log there (with none: this map is as the log is). False: this map has caught up with
        the log instead; look again."""
        status, read = self._log.exchange(self._epoch, self._applied, entries)
        if status in ("current", "appended"):
            return True
        if status == "behind":
            self._replay(read)
        elif status == "reset":
            self._rebuild(read)
        elif status == "missing":
            start = seed().snapshot() if seed is not None and not self._epoch else self._snapshot()
            return self._begin(start) and not entries
        elif status == "full":
            self._begin(self._snapshot(), epoch=self._epoch, length=self._applied)
            return False
        return not entries

    def _replay(self, entries: list[str]) -> None:
        for entry in entries:
            try:
                operation = operation_from_json(json.loads(entry))
            except ValueError:  # not written by us: this map as it stands replaces the log
                logger.error("a shared pseudonym map held a malformed entry; restarted from this process's")
                self._begin(self._snapshot(), replace=True)
                return
            self._apply(operation)
            self._applied += 1

    def _rebuild(self, log: list[str]) -> None:
        head = log[0] if log else ""
        try:
            self._load(json.loads(head[_EPOCH_CHARS:]))
        except ValueError:
            logger.error("a shared pseudonym map had a malformed head; restarted from this process's")
            self._begin(self._snapshot(), replace=True)
            return
        self._epoch, self._applied = head[:_EPOCH_CHARS], 1
        self._replay(log[1:])

    def _begin(
        self, snapshot: dict[str, Any], *, epoch: str = "", length: int = 0, replace: bool = False
    ) -> bool:
        """Start the log anew from `snapshot` (see PseudonymLog.start); this map becomes it when that worked."""
        if len(snapshot["simple"]) + len(snapshot["persons"]) > MAX_IDENTIFIERS:
            snapshot = {"counters": snapshot["counters"], "simple": [], "persons": []}
        new_epoch = secrets.token_hex(_EPOCH_CHARS // 2)
        head = new_epoch + json.dumps(snapshot, separators=(",", ":"))
        if not self._log.start(head, epoch=epoch, length=length, replace=replace):
            return False
        self._load(snapshot)
        self._epoch, self._applied = new_epoch, 1
        return True


_maps: dict[tuple[str, str, str], SharedMaps] = {}
_maps_lock = threading.Lock()


def shared_maps(db_session: Session) -> SharedMaps | None:
    """The shared maps of this session's database; None when its app runs without REDIS_URL (each process
    keeps its own, as one process alone needs)."""
    settings = settings_for(db_session)
    if not settings.redis_url:
        return None
    key = (settings.redis_url, database_key(db_session.get_bind()), settings.session_secret)
    with _maps_lock:
        if key not in _maps:
            _maps[key] = SharedMaps(*key)
        return _maps[key]
