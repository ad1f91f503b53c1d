"""The anonymiser of a discussion: one pseudonym map and roster per session, in memory only. Everything the
room stores passes through it (messages, edits, what the room adds to the case, the published entry)."""

import threading
from collections.abc import Sequence

from sqlmodel import Session, select

from casebook.anonymise import registry
from casebook.anonymise import service as anonymise_service
from casebook.anonymise.models import MAX_ROSTER_NAMES, AnonymisedText
from casebook.anonymise.registry import pseudonym_registry
from casebook.anonymise.roster import check_roster
from casebook.db import database_key, missing_ids
from casebook.errors import Invalid
from chat.discussions.models import DiscussionSession
from chat.stream.models import Message

# Keyed by (database, session id): one process may serve several databases (tests, tools). A roster is
# never dropped to save memory (its names would go unmasked): it leaves with its session (closed past
# retention, or erased with its case). The pseudonym maps live in the shared registry.
_rosters: dict[tuple[str, int], list[str]] = {}
_roster_lock = threading.Lock()


def _roster_key(db_session: Session, session_id: int) -> tuple[str, int]:
    return database_key(db_session.get_bind()), session_id


def set_roster(*, db_session: Session, session_id: int, names: Sequence[str]) -> None:
    """Add names to mask in this session (kept in this process's memory only, never stored); the session's
    whole roster stays within check_roster's bounds."""
    names = check_roster(names)
    key = _roster_key(db_session, session_id)
    with _roster_lock:
        merged = sorted(set(_rosters.get(key, [])) | set(names))
        if len(merged) > MAX_ROSTER_NAMES:
            raise Invalid(
                f"De namenlijst van dit casusoverleg zou {len(merged)} namen tellen; maximaal "
                f"{MAX_ROSTER_NAMES}. Er is niets toegevoegd."
            )
        _rosters[key] = merged


def roster_of(*, db_session: Session, session_id: int) -> list[str]:
    """The names this process masks in the session (the facilitator's roster)."""
    with _roster_lock:
        return list(_rosters.get(_roster_key(db_session, session_id), ()))


def forget_session(*, db_session: Session, session_id: int) -> None:
    """Drop the session's roster and pseudonym map from memory (its transcript is gone)."""
    with _roster_lock:
        _rosters.pop(_roster_key(db_session, session_id), None)
    pseudonym_registry.forget(db_session=db_session, scope=registry.SESSION, object_id=session_id)


def on_case_deleted(*, db_session: Session, case_id: int, **_) -> None:
    """An erased case takes its room sessions with it, and their names must not outlive it in memory."""
    forget_missing_sessions(db_session=db_session)


def forget_missing_sessions(*, db_session: Session) -> None:
    """Drop every roster and pseudonym map this process holds for a session of this database that no longer
    exists: erased with its case here, through another process or by the command line."""
    database = database_key(db_session.get_bind())
    with _roster_lock:
        held = {session_id for (url, session_id) in _rosters if url == database}
    held |= pseudonym_registry.held(db_session=db_session, scope=registry.SESSION)
    for session_id in missing_ids(db_session, DiscussionSession, held):
        forget_session(db_session=db_session, session_id=session_id)


class SessionAnonymiser:
    """A session's anonymiser: the session's roster (read at each call, so names added later count) and its
    pseudonym map, so the same person keeps the same placeholder throughout the stream."""

    def __init__(self, key: tuple[str, int], pseudonyms: anonymise_service.Pseudonyms) -> None:
        self.key, self.pseudonyms = key, pseudonyms

    def __call__(
        self, text: str, where: str = ""
    ) -> str:  # `where` as casebook's anonymisers take it; unused
        return self.read(text).text

    def read(self, text: str) -> AnonymisedText:
        """The anonymised text with what was found where (offsets into `text`), for a reader that releases
        text piece by piece (the assistant's streamed answer) and must not cut inside an identifier."""
        with _roster_lock:
            roster = _rosters.get(self.key, ())
        return anonymise_service.anonymise_text(text, roster=roster, pseudonyms=self.pseudonyms)


def anonymiser(*, db_session: Session, session_id: int) -> SessionAnonymiser:
    """The session's anonymiser; its numbering continues after the placeholders already in the stream."""
    pseudonyms = pseudonym_registry.get(
        db_session=db_session,
        scope=registry.SESSION,
        object_id=session_id,
        stored_texts=lambda: list(
            db_session.exec(select(Message.text).where(Message.session_id == session_id))
        ),
    )
    return SessionAnonymiser(_roster_key(db_session, session_id), pseudonyms)
