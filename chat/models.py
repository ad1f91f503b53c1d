"""Discussion sessions (casusoverleg) and their messages. Message text is anonymised before it is stored."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel, Text, UniqueConstraint

from casebook.timeutil import utcnow


class SessionStatus(StrEnum):
    planned = "planned"
    live = "live"
    closed = "closed"


class DiscussionSession(SQLModel, table=True):
    __tablename__ = "discussion_session"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    method: str = Field(default="multi_actor", max_length=64)
    phase: str = Field(default="", max_length=64)
    status: SessionStatus = Field(default=SessionStatus.planned)
    facilitator_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    last_seq: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None


class SessionParticipant(SQLModel, table=True):
    __tablename__ = "session_participant"

    session_id: int = Field(foreign_key="discussion_session.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")


class Message(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("session_id", "seq"),
        UniqueConstraint("session_id", "client_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="discussion_session.id", index=True, ondelete="CASCADE")
    seq: int
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    author_role: str = Field(max_length=32)
    kind: str = Field(default="message", max_length=32)
    text: str = Field(sa_type=Text)
    client_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    edited_at: datetime | None = None
    hidden: bool = False
