"""The per-user budget of questions to the assistant when the app is scaled out: one token bucket per user in
Redis, shared by every process (a user who spreads questions over processes gets the budget once, not once
per process). The bucket is worked out in one Lua script, atomically and on Redis's clock, so processes
neither race nor disagree about the time. Where Redis cannot be reached the process counts on its own
(the budget of one process, as without Redis) rather than refusing or answering everyone without limit, and
asks Redis again only after a pause, so an outage costs a question no wait beyond the first."""

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

import redis

from chat.limits import UserLimits

logger = logging.getLogger("casebook.assistant")

# KEYS[1]: the user's bucket; ARGV: rate (tokens a second), burst, seconds to keep an idle bucket.
# Returns {1, "0"} when a token was taken, else {0, seconds until one will be there}.
_TAKE = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(held[1]) or burst
local stamp = tonumber(held[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.9f', tokens), 'stamp', string.format('%.6f', now))
redis.call('EXPIRE', KEYS[1], ARGV[3])
if taken == 1 then
  return {1, '0'}
end
return {0, string.format('%.6f', (1 - tokens) / rate)}
"""
TIMEOUT_SECONDS = 0.5  # a question waits at most this for Redis before this process counts on its own
RETRY_AFTER_SECONDS = 10.0  # after a failure, Redis is asked again only this much later
MAX_KEEP_SECONDS = 30 * 24 * 3600  # an idle bucket is forgotten after at most this (EXPIRE's range holds it)


class QuestionBudget(Protocol):
    """A per-user budget of questions: chat.limits.UserLimits in one process, SharedQuestionBudget over many."""

    def take(self, user_id: int) -> float | None: ...


class SharedQuestionBudget:
    """`rate` questions a second per user with bursts of `burst`, over every process using `redis_url` and
    `prefix` (the processes of one database)."""

    def __init__(
        self,
        redis_url: str,
        prefix: str,
        *,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.prefix = f"{prefix}:assistant-questions"
        # An idle bucket is full again by then, so forgetting it gives nobody a burst early.
        self.keep_seconds = min(math.ceil(burst / rate) + 1, MAX_KEEP_SECONDS)
        self._redis = redis.Redis.from_url(
            redis_url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
        )
        self._take = self._redis.register_script(_TAKE)
        self._local = UserLimits(max_connections=0, rate=rate, burst=burst)
        self._lock = threading.Lock()
        self._failed_at: float | None = None  # when Redis last failed, while it is being left alone

    def take(self, user_id: int) -> float | None:
        """Take one question from the user's budget: None when taken, else the seconds until one can be."""
        if self._resting():
            return self._local.take(user_id)
        try:
            taken, wait = self._take(
                keys=[f"{self.prefix}:{user_id}"], args=[self.rate, self.burst, self.keep_seconds]
            )
        except redis.RedisError as exc:
            with self._lock:
                first = self._failed_at is None
                self._failed_at = self.clock()
            if first:
                logger.warning(
                    "question budget in Redis unavailable, counted in this process: %s", type(exc).__name__
                )
            return self._local.take(user_id)
        with self._lock:
            self._failed_at = None
        return None if int(taken) else max(float(wait), 0.0)

    def _resting(self) -> bool:
        """Whether Redis failed less than RETRY_AFTER_SECONDS ago (it is then not asked)."""
        with self._lock:
            return self._failed_at is not None and self.clock() - self._failed_at < RETRY_AFTER_SECONDS
