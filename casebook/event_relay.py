"""Case events across processes. With REDIS_URL set, several `casebook serve` processes share one database
but each keeps its own search index in memory: a case saved or deleted through one process is announced on
Redis, and every other process publishes it again locally, so its index re-reads the case from the shared
database within moments instead of after a restart. Only event names and case ids travel, never text.

An event missed while Redis was unreachable is caught up at the next start, when the index is checked
against the database."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable

import redis
from sqlalchemy.engine import Engine
from sqlmodel import Session

from casebook import events

logger = logging.getLogger("casebook.event_relay")

RELAYED_EVENTS = (events.CASE_SAVED, events.CASE_DELETED)
#: An announcement is a few dozen bytes; anything longer on the channel is not ours.
MAX_MESSAGE_BYTES = 512
_RECONNECT_SECONDS = 1.0


class RedisChannel:
    """One Redis pub/sub channel between the processes of one database: a thread of its own hands every message
    another process published on it to `receive` (reconnecting after a second when Redis drops; what was
    published meanwhile is missed, so users of a channel say how they catch up). Each message carries the
    sending process's `origin`, so a process skips its own; one longer than `max_bytes` is not ours."""

    def __init__(
        self, redis_url: str, channel: str, receive: Callable[[dict], None], *, max_bytes: int, name: str
    ) -> None:
        self.channel, self.receive, self.max_bytes = channel, receive, max_bytes
        self.origin = uuid.uuid4().hex
        self.client = redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
        self._stopped = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._listen, name=name, daemon=True)

    def start(self, ready_timeout: float = 5.0) -> None:
        self._thread.start()
        self._listening.wait(ready_timeout)  # messages published before the subscription would be missed

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)
        self.client.close()

    def publish(self, message: dict) -> int:
        """Send `message` (JSON-ready) to the other processes; -> how many listeners received it (this one too)."""
        return self.client.publish(self.channel, json.dumps({**message, "origin": self.origin}))

    def _listen(self) -> None:
        while not self._stopped.is_set():
            try:
                pubsub = self.client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                self._listening.set()
                while not self._stopped.is_set():
                    message = pubsub.get_message(timeout=0.5)
                    if message is not None:
                        self._hand_on(message.get("data"))
                pubsub.close()
            except redis.RedisError as exc:
                logger.warning("messages from other processes paused: %s", type(exc).__name__)
                self._stopped.wait(_RECONNECT_SECONDS)

    def _hand_on(self, data: object) -> None:
        if not isinstance(data, bytes) or len(data) > self.max_bytes:
            return
        try:
            message = json.loads(data)
        except ValueError:
            return
        if isinstance(message, dict) and message.get("origin") != self.origin:
            try:
                self.receive(message)
            except Exception as exc:  # noqa: BLE001 - one bad message must not stop the listener for good
                # Type only: a message may carry a roster's names.
                logger.error("message from another process not handled: %s", type(exc).__name__)


class RedisEventRelay:
    """Forwards this process's case events to Redis and replays other processes' events here."""

    def __init__(self, redis_url: str, channel: str, engine: Engine) -> None:
        self.engine = engine
        self._channel = RedisChannel(
            redis_url,
            f"{channel}-case-events",
            self._replay,
            max_bytes=MAX_MESSAGE_BYTES,
            name="casebook-event-relay",
        )

    def start(self, ready_timeout: float = 5.0) -> None:
        events.subscribe(events.CASE_SAVED, self.forward_saved)
        events.subscribe(events.CASE_DELETED, self.forward_deleted)
        self._channel.start(ready_timeout)

    def stop(self) -> None:
        events.unsubscribe(events.CASE_SAVED, self.forward_saved)
        events.unsubscribe(events.CASE_DELETED, self.forward_deleted)
        self._channel.stop()

    def forward_saved(self, *, case_id: int, relayed: bool = False, **_) -> None:
        self._announce(events.CASE_SAVED, case_id, relayed)

    def forward_deleted(self, *, case_id: int, relayed: bool = False, **_) -> None:
        self._announce(events.CASE_DELETED, case_id, relayed)

    def _announce(self, event: str, case_id: int, relayed: bool) -> None:
        """Tell the other processes about a change made here (not one they told us about)."""
        if not relayed:
            self._channel.publish({"event": event, "case_id": case_id})

    def _replay(self, announcement: dict) -> None:
        event, case_id = announcement.get("event"), announcement.get("case_id")
        if event not in RELAYED_EVENTS or type(case_id) is not int:
            return
        with Session(self.engine) as db_session:
            events.publish(event, db_session=db_session, case_id=case_id, relayed=True)
