"""In-process notifications sent after a commit, so packages built on casebook (search, learning, chat)
can react to changes without casebook importing them. Handlers run synchronously in the caller and
must not raise: a failing handler is logged (type only) and never undoes the committed change."""

import logging
from collections import defaultdict
from collections.abc import Callable

logger = logging.getLogger("casebook.events")

# payload: db_session, case_id (and relayed=True: another process made it; about_changed=True: its title or
# support question changed, which learning's recurrence signatures read)
CASE_SAVED = "case.saved"
CASE_DELETED = "case.deleted"  # payload: db_session, case_id (and relayed=True: another process made it)

_handlers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def subscribe(event: str, handler: Callable[..., None]) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def unsubscribe(event: str, handler: Callable[..., None]) -> None:
    if handler in _handlers[event]:
        _handlers[event].remove(handler)


def publish(event: str, **payload) -> None:
    for handler in list(_handlers[event]):
        try:
            handler(**payload)
        except Exception as exc:  # noqa: BLE001 - a subscriber must never break the write that happened
            logger.error(
                "event handler %s failed on %s: %s",
                getattr(handler, "__name__", handler),
                event,
                type(exc).__name__,
            )
