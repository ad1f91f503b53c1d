"""The stream of a discussion: its events (`Message` rows, numbered by `seq`), reports of messages, and
what clients send over the socket. Every text column holds anonymised text only."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field as PydanticField
from pydantic import StringConstraints
from sqlmodel import Field, SQLModel, Text, UniqueConstraint

from casebook.accounts.models import Role
from casebook.cases.models import StrictModel
from casebook.db import row_id
from casebook.timeutil import utcnow

MAX_MESSAGE_BYTES = 8 * 1024
EDIT_WINDOW_SECONDS = 5 * 60
# A client's own id for an event (dedup of resends). It is echoed to every participant and never anonymised,
# so it may carry no text: 1-64 characters from a restricted set (a UUID fits).
CLIENT_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
ClientId = Annotated[str, StringConstraints(pattern=CLIENT_ID_PATTERN, min_length=1, max_length=64)]
# The assistant's messages in the stream: no author, this role, shown under this name (chat/assistant).
ASSISTANT_ROLE = "assistant"
ASSISTANT_NAME = "Assistent"


class EventKind(StrEnum):
    """What a row of the stream records. All of them carry a seq and are replayed on `join`."""

    message = "message"
    edit = "edit"  # target_seq's text was edited; text is the new text
    hide = "hide"  # target_seq was hidden by the facilitator
    phase = "phase"  # the facilitator moved to a phase; data: {phase, prompt}
    bottleneck = "bottleneck"  # a rule bottleneck was flagged; data: the structured fields
    agreement = "agreement"  # an agreement was recorded; data: {description, owner_role, due_date}
    domain = "domain"  # a life domain was marked as discussed; data: {domain}
    hand = "hand"  # a hand went up (or down); data: {raised}
    status = "status"  # the discussion went live or closed; data: {status}
    assistant = "assistant"  # the facilitator switched the assistant on or off; data: {enabled}


class Message(SQLModel, table=True):
    """One event of a discussion's stream, numbered by `seq` (per discussion, strictly increasing, no gaps)."""

    __table_args__ = (
        UniqueConstraint("session_id", "seq"),
        UniqueConstraint("session_id", "client_id"),
    )

    id: int = row_id()
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
    target_seq: int | None = None
    data: str = Field(default="", sa_type=Text)  # JSON with the structured fields of the event, anonymised


class MessageReport(SQLModel, table=True):
    """A participant reported a message to the facilitator (who may hide it)."""

    __tablename__ = "message_report"

    id: int = row_id()
    message_id: int = Field(foreign_key="message.id", index=True, ondelete="CASCADE")
    reporter_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    handled: bool = False


# Socket payloads (client -> server). Unknown keys are refused, so a typo never passes silently.


class SocketPayload(StrictModel):
    session_id: int


class JoinIn(SocketPayload):
    last_seq: int = PydanticField(default=0, ge=0)


class MessageIn(SocketPayload):
    text: str = PydanticField(min_length=1)
    client_id: ClientId | None = None


class EditIn(SocketPayload):
    seq: int = PydanticField(ge=1)
    text: str = PydanticField(min_length=1)


class TargetIn(SocketPayload):
    seq: int = PydanticField(ge=1)


class PhaseIn(SocketPayload):
    phase: str = PydanticField(min_length=1, max_length=64)


class BottleneckFlagIn(SocketPayload):
    law: str = PydanticField(min_length=1, max_length=200)
    rule: str = ""
    kind: str
    level: str | None = None
    description: str = ""
    delay_days: int | None = PydanticField(default=None, ge=0, le=3650)
    workaround: str = ""
    client_id: ClientId | None = None


class AgreementIn(SocketPayload):
    description: str = PydanticField(min_length=1)
    owner_role: Role
    due_date: date | None = None
    client_id: ClientId | None = None


class DomainIn(SocketPayload):
    domain: str = PydanticField(min_length=1, max_length=64)


class HandIn(SocketPayload):
    raised: bool = True


class RosterIn(SocketPayload):
    names: list[str] = []


class AssistantSwitchIn(SocketPayload):
    enabled: bool
