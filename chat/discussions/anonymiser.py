"""The anonymiser of a discussion: one pseudonym map and roster per session, never stored in the database (with
REDIS_URL the map is kept in Redis as keyed tokens and the roster passes between processes over pub/sub, so
every process masks a session's messages alike). Everything the room stores passes through it (messages,
edits, what the room adds to the case, the published entry)."""

from collections.abc import Sequence

from sqlalchemy import Engine
from sqlmodel import Session, select

from casebook.anonymise import registry
from casebook.anonymise import service as anonymise_service
from casebook.anonymise.models import AnonymisedText
from casebook.anonymise.registry import pseudonym_registry
from casebook.db import database_key, missing_ids
from chat.discussions.models import DiscussionSession
from chat.discussions.rosters import RosterChange, RosterLink, Rosters
from chat.stream.models import Message

rosters = Rosters()
"""The rosters this process holds (and, with REDIS_URL, shares: chat/discussions/rosters.py)."""


def share_rosters(*, redis_url: str, channel: str, bind: Engine, retention_days: int) -> RosterLink:
    """Share this database's rosters with the other processes that serve it through Redis on `channel` (the
    room's), until the link is stopped. A roster's change counter stays in Redis as long as its session's
    transcript may (`retention_days`, and a day)."""
    link = RosterLink(
        rosters, redis_url, channel, database_key(bind), ttl_seconds=(retention_days + 1) * 24 * 3600
    )
    link.start()
    return link


def set_roster(*, db_session: Session, session_id: int, names: Sequence[str]) -> None:
    """Add names to mask in this session (held in memory only, never stored); the session's whole roster stays
    within check_roster's bounds."""
    rosters.add(database_key(db_session.get_bind()), session_id, names, given=_given(db_session, session_id))


def roster_change(*, db_session: Session, session_id: int, names: Sequence[str]) -> RosterChange:
    """Names to add to the session's roster, checked (and with REDIS_URL counted), to apply once the session is
    committed (see Rosters.prepare)."""
    return rosters.prepare(
        database_key(db_session.get_bind()), session_id, names, _given(db_session, session_id)
    )


def roster_of(*, db_session: Session, session_id: int) -> list[str]:
    """The names masked in the session (the facilitator's roster); RosterLost when it was lost."""
    return rosters.names(database_key(db_session.get_bind()), session_id, _given(db_session, session_id))


def _given(db_session: Session, session_id: int) -> bool:
    """Whether the database says names to mask were given for the session (it never holds the names)."""
    discussion = db_session.get(DiscussionSession, session_id)
    return discussion is not None and discussion.roster_given


def forget_session(*, db_session: Session, session_id: int) -> None:
    """Drop the session's roster and pseudonym map (its transcript is gone): here, and with REDIS_URL in Redis
    and every process."""
    rosters.forget(database_key(db_session.get_bind()), session_id)
    pseudonym_registry.forget(db_session=db_session, scope=registry.SESSION, object_id=session_id)


def on_case_deleted(*, db_session: Session, case_id: int, **_) -> None:
    """An erased case takes its room sessions with it, and their names must not outlive it in memory."""
    forget_missing_sessions(db_session=db_session)


def forget_missing_sessions(*, db_session: Session) -> None:
    """Drop every roster and pseudonym map this process holds for a session of this database that no longer
    exists: erased with its case here, through another process or by the command line."""
    database = database_key(db_session.get_bind())
    held = rosters.held(database) | pseudonym_registry.held(db_session=db_session, scope=registry.SESSION)
    for session_id in missing_ids(db_session, DiscussionSession, held):
        forget_session(db_session=db_session, session_id=session_id)


class SessionAnonymiser:
    """A session's anonymiser: the session's roster (read at each call, so names added later count) and its
    pseudonym map, so the same person keeps the same placeholder throughout the stream."""

    def __init__(
        self, database: str, session_id: int, pseudonyms: anonymise_service.Pseudonyms, roster_given: bool
    ) -> None:
        self.database, self.session_id, self.pseudonyms = database, session_id, pseudonyms
        self.roster_given = roster_given

    def __call__(
        self, text: str, where: str = ""
    ) -> str:  # `where` as casebook's anonymisers take it; unused
        return self.read(text).text

    def read(self, text: str) -> AnonymisedText:
        """The anonymised text with what was found where (offsets into `text`), for a reader that releases
        text piece by piece (the assistant's streamed answer) and must not cut inside an identifier."""
        roster = rosters.names(self.database, self.session_id, self.roster_given)
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
    return SessionAnonymiser(
        database_key(db_session.get_bind()), session_id, pseudonyms, _given(db_session, session_id)
    )
