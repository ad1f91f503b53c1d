"""Per-user limits of the live room, in this process's memory: at most `max_connections` sockets per user at
once, and a token bucket per user for events (`rate` per second, bursts up to `burst`). A limit of 0 is no
limit. Memory stays bounded: a user's entry exists while they have a socket here, and a bucket outlives the
last socket only until it has refilled (so disconnecting and reconnecting does not buy a fresh burst)."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

PRUNE_EVERY_SECONDS = 60.0


@dataclass
class _Bucket:
    tokens: float
    stamp: float


@dataclass
class UserLimits:
    max_connections: int = 5
    rate: float = 10.0
    burst: int = 20
    clock: Callable[[], float] = time.monotonic
    _sockets: dict[int, set[str]] = field(default_factory=dict)
    _buckets: dict[int, _Bucket] = field(default_factory=dict)
    _pruned_at: float = 0.0
    # The API's routes and the room's worker threads take from one budget at once: the arithmetic is guarded.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def connect(self, user_id: int, sid: str) -> bool:
        """Count a new socket of `user_id`; False (and nothing counted) when the user is at the limit."""
        sockets = self._sockets.setdefault(user_id, set())
        if self.max_connections and len(sockets) >= self.max_connections and sid not in sockets:
            return False
        sockets.add(sid)
        return True

    def disconnect(self, user_id: int, sid: str) -> None:
        sockets = self._sockets.get(user_id)
        if sockets is not None:
            sockets.discard(sid)
            if not sockets:
                del self._sockets[user_id]
        self._prune()

    def connections(self, user_id: int) -> int:
        return len(self._sockets.get(user_id, ()))

    def take(self, user_id: int) -> float | None:
        """Take one token from the user's bucket: None when taken, else the seconds until the next one (the
        event is to be dropped)."""
        if not self.rate:
            return None
        with self._lock:
            now = self.clock()
            bucket = self._buckets.get(user_id)
            if bucket is None:
                bucket = self._buckets[user_id] = _Bucket(tokens=float(self.burst), stamp=now)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            if bucket.tokens < 1.0:
                return (1.0 - bucket.tokens) / self.rate
            bucket.tokens -= 1.0
            return None

    def tracked_users(self) -> int:
        return len(self._sockets.keys() | self._buckets.keys())

    def _prune(self) -> None:
        """Forget the buckets of users without a socket here once they are full again (at most once a minute)."""
        now = self.clock()
        if now - self._pruned_at < PRUNE_EVERY_SECONDS:
            return
        self._pruned_at = now
        full_after = self.burst / self.rate if self.rate else 0.0
        with self._lock:
            for user_id in [
                u for u, b in self._buckets.items() if u not in self._sockets and now - b.stamp >= full_after
            ]:
                del self._buckets[user_id]
