"""The rosters of discussions: names a facilitator gives to mask in a session. Held in memory only and never
stored: not in the database and not in Redis, where names only pass through pub/sub, which keeps nothing.

With REDIS_URL several processes serve one database, and a message may reach any of them. Every change to a
roster is then numbered by a counter in Redis (one number per session, nothing else) and the changed roster
published to every process, which merges it: a roster only grows. A process that finds the counter past the
changes it holds (it started later, or missed a publication while Redis was away) asks the others and waits for
their rosters, up to ROSTER_WAIT_SECONDS. If none of them holds what it lacks (they all restarted since), the
roster is lost, and the process refuses to anonymise with less (RosterLost) instead of masking less in silence,
until the facilitator gives the names again."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import redis

from casebook.anonymise.models import MAX_ROSTER_NAMES
from casebook.anonymise.roster import check_roster
from casebook.errors import Busy, Invalid
from casebook.event_relay import RedisChannel

logger = logging.getLogger("chat.discussions.rosters")

ROSTER_WAIT_SECONDS = 2.0
#: A roster of MAX_ROSTER_NAMES names of MAX_ROSTER_NAME_CHARS characters, with its change numbers, fits.
MAX_MESSAGE_BYTES = 32_000
MAX_CHANGES_HELD = 1_000
UNREACHABLE = (
    "De namenlijst van dit casusoverleg kan nu niet met de andere servers worden afgestemd (Redis is niet "
    "bereikbaar). Er is niets verstuurd of opgeslagen; probeer het over {seconds} seconden opnieuw."
)


class RosterLost(Invalid):
    """A roster was given, but no process holds all of it any more (they restarted since)."""

    def __init__(self) -> None:
        super().__init__(
            "De namenlijst van dit casusoverleg is op de server niet meer (volledig) bekend, bijvoorbeeld na een "
            "herstart. Er is niets verstuurd of opgeslagen. De gespreksleider geeft de namen opnieuw op; daarna "
            "kan het gesprek verder."
        )


@dataclass
class _Roster:
    """A session's names, and which of the roster's numbered changes they hold: every one up to `floor`, and
    those in `above` (a change announced before an earlier one arrived)."""

    names: set[str] = field(default_factory=set)
    floor: int = 0
    above: set[int] = field(default_factory=set)

    def count(self, floor: int, changes: Sequence[int] = ()) -> None:
        self.floor = max(self.floor, floor)
        self.above = {c for c in (*self.above, *changes) if c > self.floor}
        while self.floor + 1 in self.above:
            self.floor += 1
            self.above.discard(self.floor)

    def state(self, session_id: int) -> dict:
        return {
            "kind": "roster",
            "session": session_id,
            "names": sorted(self.names),
            "floor": self.floor,
            "above": sorted(self.above),
        }


@dataclass(frozen=True)
class RosterChange:
    """Names to add to one session's roster, checked and (with a link) counted in Redis, but held and announced
    only by :meth:`apply`: a discussion being planned applies it once committed, so no process holds (or sweeps
    away as erased) the names of a discussion the database does not hold yet."""

    rosters: Rosters
    database: str
    session_id: int
    names: frozenset[str]
    change: int  # its number in Redis; 0: nothing to count (no link, or nothing new)
    lost: bool  # the roster was lost: this change starts it over

    def apply(self) -> None:
        self.rosters._apply(self)


class Rosters:
    """The rosters this process holds, by (database, session id): one process may serve several databases
    (tests, tools). A roster is never dropped to save memory (its names would go unmasked): it leaves with its
    session (past retention, or erased with its case). A database served with REDIS_URL has a RosterLink."""

    def __init__(self) -> None:
        self._held: dict[tuple[str, int], _Roster] = {}
        self._changed = threading.Condition()
        self._links: dict[str, RosterLink] = {}

    def add(self, database: str, session_id: int, names: Sequence[str], given: bool = False) -> None:
        """Add names to mask in the session now (see :meth:`prepare`)."""
        self.prepare(database, session_id, names, given).apply()

    def prepare(
        self, database: str, session_id: int, names: Sequence[str], given: bool = False
    ) -> RosterChange:
        """Names to add to the session's roster (checked: check_roster), the whole roster within
        MAX_ROSTER_NAMES, else Invalid and nothing changes; with a link the change is counted in Redis here
        (Busy when it is out of reach). Held, and announced to every process, by RosterChange.apply."""
        names = check_roster(names)
        link = self._links.get(database) if names else None  # no names: nothing to count or announce
        lost = link is not None and not self._caught_up(link, session_id, given)
        with self._changed:
            roster = self._held.get((database, session_id))
            held = roster.names if roster else set()
            merged = held | set(names)
            if len(merged) > MAX_ROSTER_NAMES:
                raise Invalid(
                    f"De namenlijst van dit casusoverleg zou {len(merged)} namen tellen; maximaal "
                    f"{MAX_ROSTER_NAMES}. Er is niets toegevoegd."
                )
        counted = link is not None and (lost or merged != held)
        change = link.count_change(session_id) if link is not None and counted else 0
        return RosterChange(self, database, session_id, frozenset(names), change, lost)

    def _apply(self, change: RosterChange) -> None:
        key = (change.database, change.session_id)
        if not change.names:
            return
        with self._changed:
            roster = self._held.setdefault(key, _Roster())
            roster.names |= change.names
            if change.change:
                # given again after it was lost, the roster starts over from what the facilitator gives now
                roster.count(change.change if change.lost else 0, [change.change])
            state = roster.state(change.session_id)
            self._changed.notify_all()
        link = self._links.get(change.database)
        if change.change and link is not None:
            try:
                link.publish(state)
            except Busy:
                # the counter tells the others they lack this change: they ask, and this process answers
                logger.warning("roster change not announced; other processes will ask for it")

    def names(self, database: str, session_id: int, given: bool = False) -> list[str]:
        """The session's whole roster, as every process holds it; RosterLost when it was lost. `given`: the
        database says names were given, so a change counter missing from Redis means lost, not none."""
        link = self._links.get(database)
        if link is not None and not self._caught_up(link, session_id, given):
            raise RosterLost()
        with self._changed:
            roster = self._held.get((database, session_id))
            return sorted(roster.names) if roster else []

    def forget(self, database: str, session_id: int) -> None:
        """Drop the session's roster here and, with a link, in every process."""
        with self._changed:
            self._held.pop((database, session_id), None)
        link = self._links.get(database)
        if link is not None:
            link.forget(session_id)

    def held(self, database: str) -> set[int]:
        with self._changed:
            return {session_id for (url, session_id) in self._held if url == database}

    def _caught_up(self, link: RosterLink, session_id: int, given: bool = False) -> bool:
        """Whether this process holds every change to the roster, asking the others for what it lacks."""
        changes = max(link.changes(session_id), 1 if given else 0)
        key = (link.database, session_id)
        with self._changed:
            if self._holds(key, changes):
                return True
        link.ask(session_id)
        deadline = time.monotonic() + ROSTER_WAIT_SECONDS
        with self._changed:
            return self._changed.wait_for(
                lambda: self._holds(key, changes), timeout=max(0.0, deadline - time.monotonic())
            )

    def _holds(self, key: tuple[str, int], changes: int) -> bool:
        roster = self._held.get(key)
        return changes == 0 or (roster is not None and roster.floor >= changes)

    # ---- what the link hears ---------------------------------------------------------------------

    def merge(self, database: str, session_id: int, names: list[str], floor: int, above: list[int]) -> None:
        with self._changed:
            roster = self._held.setdefault((database, session_id), _Roster())
            roster.names |= set(names)
            roster.count(floor, above)
            self._changed.notify_all()

    def state(self, database: str, session_id: int) -> dict | None:
        with self._changed:
            roster = self._held.get((database, session_id))
            return roster.state(session_id) if roster else None

    def drop(self, database: str, session_id: int) -> None:
        with self._changed:
            self._held.pop((database, session_id), None)

    def link(self, link: RosterLink) -> None:
        self._links[link.database] = link

    def unlink(self, link: RosterLink) -> None:
        if self._links.get(link.database) is link:
            del self._links[link.database]


class RosterLink:
    """One database's rosters between processes: the change counters in Redis (numbers only, kept
    `ttl_seconds` after their session was last used) and a pub/sub channel for the names."""

    def __init__(
        self, rosters: Rosters, redis_url: str, channel: str, database: str, ttl_seconds: int
    ) -> None:
        self.rosters, self.database, self.ttl_seconds = rosters, database, ttl_seconds
        self.prefix = f"{channel}:roster-changes"
        self._channel = RedisChannel(
            redis_url,
            f"{channel}-rosters",
            self._receive,
            max_bytes=MAX_MESSAGE_BYTES,
            name="casebook-rosters",
        )

    def start(self) -> None:
        self._channel.start()
        self.rosters.link(self)

    def stop(self) -> None:
        self.rosters.unlink(self)
        self._channel.stop()

    def changes(self, session_id: int) -> int:
        """How many changes the session's roster has had (0: none, or none within the TTL)."""
        try:
            found = self._channel.client.getex(f"{self.prefix}:{session_id}", ex=self.ttl_seconds)
        except redis.RedisError as exc:
            raise Busy(UNREACHABLE, retry_after=5) from exc
        return int(found) if found and found.isdigit() else 0

    def count_change(self, session_id: int) -> int:
        try:
            pipe = self._channel.client.pipeline()
            pipe.incr(f"{self.prefix}:{session_id}")
            pipe.expire(f"{self.prefix}:{session_id}", self.ttl_seconds)
            return int(pipe.execute()[0])
        except redis.RedisError as exc:
            raise Busy(UNREACHABLE, retry_after=5) from exc

    def publish(self, state: dict) -> None:
        try:
            self._channel.publish(state)
        except redis.RedisError as exc:
            raise Busy(UNREACHABLE, retry_after=5) from exc

    def ask(self, session_id: int) -> None:
        self.publish({"kind": "ask", "session": session_id})

    def forget(self, session_id: int) -> None:
        """Best effort: Redis out of reach leaves the counter to its TTL and the others' copies to their sweep."""
        try:
            self._channel.client.delete(f"{self.prefix}:{session_id}")
            self._channel.publish({"kind": "forget", "session": session_id})
        except redis.RedisError:
            pass

    def _receive(self, message: dict) -> None:
        kind, session_id = message.get("kind"), message.get("session")
        if type(session_id) is not int or session_id < 1:
            return
        if kind == "ask":
            state = self.rosters.state(self.database, session_id)
            if state is not None:
                with contextlib.suppress(Busy):  # Redis dropped: the asker refuses rather than mask less
                    self.publish(state)
        elif kind == "forget":
            self.rosters.drop(self.database, session_id)
        elif kind == "roster":
            names, floor, above = message.get("names"), message.get("floor"), message.get("above")
            if not (isinstance(above, list) and len(above) <= MAX_CHANGES_HELD):
                return
            if type(floor) is not int or not all(type(c) is int for c in above):
                return
            try:
                names = check_roster(names if isinstance(names, list) else [])
            except Invalid:
                return
            self.rosters.merge(self.database, session_id, names, floor, above)
