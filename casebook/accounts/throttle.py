"""Login throttling: failed logins are counted per account (username, case-folded) and per client address,
and the number of password hashes computed at the same time is bounded.

Every login attempt costs an Argon2 hash (64 MiB, tens of milliseconds of CPU), so an attempt that is going
to be refused anyway is refused *before* hashing. The state lives in memory, in this process: each table is
a capped dict, so a flood of made-up usernames or addresses cannot grow it without bound. The least recently
used entries are forgotten first, but never one whose lock is still in force (nor one with an attempt being
checked): when every entry is locked, a new key is refused instead, so a flood cannot unlock an account.
IPv6 clients are counted per /64 (one subscriber usually has a whole /64 to rotate through). Several server processes each keep their own counts; that multiplies the
allowed attempts by the number of processes, which is still a hard bound.

Rules, for each key (account or address) with its own limit N:
- N failures within `window_seconds` lock the key for `window_seconds`;
- after a lock, one more failure before the key has been quiet for a whole window locks it again, twice
  as long (capped at `max_lockout_seconds`): exponential back-off;
- attempts still being hashed count as failures until they are settled, so N parallel requests cannot
  slip past a limit of N;
- a successful login clears the account's record (not the address's: a valid account must not become a
  way to reset the counter of an address that is guessing other accounts' passwords).
"""

import ipaddress
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from casebook.errors import Busy, RetryLater

MAX_KEY_LENGTH = 256  # usernames are short; a 2 MB "username" must not become a 2 MB dict key
IN_FLIGHT_RETRY_SECONDS = 1

TOO_MANY_ATTEMPTS = "Te veel inlogpogingen. Probeer het over {seconds} seconden opnieuw."
TOO_BUSY = "Het is op dit moment te druk om in te loggen. Probeer het over {seconds} seconden opnieuw."


class TooManyAttempts(RetryLater):
    status_code = 429

    def __init__(self, retry_after: float):
        super().__init__(TOO_MANY_ATTEMPTS, retry_after)


class HashingBusy(Busy):
    def __init__(self, retry_after: float):
        super().__init__(TOO_BUSY, retry_after)


@dataclass
class _Record:
    failures: deque = field(default_factory=deque)  # times of recent failures, oldest first
    in_flight: int = 0
    lockouts: int = 0  # locks since the key was last quiet for a window: the back-off exponent
    locked_until: float = 0.0
    last_failure: float = 0.0


class _Table:
    """Records by key with a limit, capped at `max_entries`: the least recently used record that is neither
    locked nor in flight is forgotten first; if there is none, the new key is not added. Not thread-safe on
    its own: the LoginThrottle's lock guards it."""

    def __init__(self, *, limit: int, max_entries: int):
        self.limit = limit
        self.max_entries = max_entries
        self.records: OrderedDict[str, _Record] = OrderedDict()

    def __len__(self) -> int:
        return len(self.records)

    def get(self, key: str) -> _Record | None:
        record = self.records.get(key)
        if record is not None:
            self.records.move_to_end(key)
        return record

    def get_or_create(self, key: str, now: float) -> _Record | None:
        """The key's record, created if need be; None when the table is full of records that must be kept."""
        record = self.get(key)
        if record is None:
            record = self.records[key] = _Record()
            if not self._evict(now):
                del self.records[key]
                return None
        return record

    def discard(self, key: str) -> None:
        self.records.pop(key, None)

    def soonest_unlock(self, now: float) -> float:
        """Seconds until the first lock in the table ends (when a full table has room again)."""
        ends = [record.locked_until for record in self.records.values() if record.locked_until > now]
        return max(min(ends, default=now + IN_FLIGHT_RETRY_SECONDS) - now, IN_FLIGHT_RETRY_SECONDS)

    def _evict(self, now: float) -> bool:
        """Bring the table back to `max_entries`, oldest first, skipping records that are locked (forgetting
        them would lift the lock) or have attempts in flight (their owner looks them up again to settle).
        False if that is impossible: the newest key (the one just added) must go instead."""
        if len(self.records) <= self.max_entries:
            return True
        for key, record in list(self.records.items())[:-1]:
            if not record.in_flight and record.locked_until <= now:
                del self.records[key]
                if len(self.records) <= self.max_entries:
                    return True
        return False


class LoginThrottle:
    def __init__(
        self,
        *,
        max_failures_per_account: int = 5,
        max_failures_per_address: int = 20,
        window_seconds: float = 300,
        max_concurrent_hashes: int = 2,
        hash_wait_seconds: float = 2.0,
        max_lockout_seconds: float = 3600,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        if min(max_failures_per_account, max_failures_per_address, max_concurrent_hashes) < 1:
            raise ValueError("login limits must be at least 1")
        self.window_seconds = float(window_seconds)
        self.max_lockout_seconds = max(float(max_lockout_seconds), self.window_seconds)
        self.hash_wait_seconds = hash_wait_seconds
        self.clock = clock
        self.accounts = _Table(limit=max_failures_per_account, max_entries=max_entries)
        self.addresses = _Table(limit=max_failures_per_address, max_entries=max_entries)
        self._lock = threading.Lock()
        self._hash_slots = threading.BoundedSemaphore(max_concurrent_hashes)

    @classmethod
    def from_settings(cls, settings, **overrides) -> "LoginThrottle":
        options = {
            "max_failures_per_account": settings.login_max_failures_per_account,
            "max_failures_per_address": settings.login_max_failures_per_address,
            "window_seconds": settings.login_window_seconds,
            "max_concurrent_hashes": settings.max_concurrent_password_hashes,
        }
        return cls(**(options | overrides))

    # ---- the public protocol -------------------------------------------------------------------

    @contextmanager
    def attempt(self, *, username: str, address: str | None) -> Iterator["Attempt"]:
        """Admit one login attempt or raise TooManyAttempts (429) / HashingBusy (503), both before any hash
        is computed. Inside the block the caller holds one of the bounded hash slots; it reports the
        outcome with `attempt.succeeded()` or `attempt.failed()` (an attempt left unsettled, e.g. by an
        exception, counts as neither)."""
        keys = (_account_key(username), _address_key(address))
        self._admit(*keys)
        outcome = Attempt()
        try:
            with self._hash_slot():
                yield outcome
        finally:
            self._settle(*keys, outcome.result)

    # ---- internals -----------------------------------------------------------------------------

    def _admit(self, account: str, address: str) -> None:
        with self._lock:
            now = self.clock()
            wait = self._wait(
                now,
                self.accounts.get(account),
                self.accounts.limit,
                self.addresses.get(address),
                self.addresses.limit,
            )
            if wait is not None:
                raise TooManyAttempts(wait)
            # Records are created only for admitted attempts, so refused requests with made-up usernames
            # cannot push real locks out of the capped tables.
            by_account, by_address = (
                self.accounts.get_or_create(account, now),
                self.addresses.get_or_create(address, now),
            )
            if (
                by_account is None or by_address is None
            ):  # a table is full of locks: refuse rather than forget one
                raise TooManyAttempts(
                    max(self.accounts.soonest_unlock(now), self.addresses.soonest_unlock(now))
                )
            by_account.in_flight += 1
            by_address.in_flight += 1

    def _settle(self, account: str, address: str, result: bool | None) -> None:
        with self._lock:
            now = self.clock()
            for table, key in ((self.accounts, account), (self.addresses, address)):
                record = table.get(key)
                if record is None:
                    continue
                record.in_flight = max(0, record.in_flight - 1)
                if result is False:
                    self._fail(now, record, table.limit)
            if result is True:
                self.accounts.discard(account)

    @contextmanager
    def _hash_slot(self) -> Iterator[None]:
        if not self._hash_slots.acquire(timeout=self.hash_wait_seconds):
            raise HashingBusy(max(1.0, self.hash_wait_seconds))
        try:
            yield
        finally:
            self._hash_slots.release()

    def _wait(self, now: float, *records_and_limits) -> float | None:
        waits = []
        for record, limit in zip(records_and_limits[::2], records_and_limits[1::2], strict=True):
            if record is None:
                continue
            self._forget_old(now, record)
            if record.locked_until > now:
                waits.append(record.locked_until - now)
            elif len(record.failures) + record.in_flight >= self._threshold(record, limit):
                waits.append(IN_FLIGHT_RETRY_SECONDS)  # the slots left are taken by attempts being checked
        return max(waits) if waits else None

    def _fail(self, now: float, record: _Record, limit: int) -> None:
        self._forget_old(now, record)
        record.failures.append(now)
        record.last_failure = now
        if len(record.failures) >= self._threshold(record, limit):
            record.lockouts += 1
            lock = min(self.window_seconds * 2 ** (record.lockouts - 1), self.max_lockout_seconds)
            record.locked_until = max(record.locked_until, now + lock)
            record.failures.clear()

    def _forget_old(self, now: float, record: _Record) -> None:
        while record.failures and record.failures[0] <= now - self.window_seconds:
            record.failures.popleft()
        quiet_since = max(record.locked_until, record.last_failure)
        if record.lockouts and now - quiet_since >= self.window_seconds:
            record.lockouts = 0  # a whole quiet window after the last lock: forgiven, back to N tries

    @staticmethod
    def _threshold(record: _Record, limit: int) -> int:
        return 1 if record.lockouts else limit


class Attempt:
    def __init__(self):
        self.result: bool | None = None

    def succeeded(self) -> None:
        self.result = True

    def failed(self) -> None:
        self.result = False


def _account_key(username: str) -> str:
    return username.strip().casefold()[:MAX_KEY_LENGTH]


def _address_key(address: str | None) -> str:
    """The client address; an IPv6 address by its /64 network (an IPv4-mapped one as the IPv4 address)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return (address or "unknown")[:MAX_KEY_LENGTH]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
