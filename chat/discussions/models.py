"""Discussions (casusoverleg) on a case and the invitations to them. The roster and the pseudonym map of a
discussion are never stored in the database (chat/discussions/anonymiser.py)."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel, Text

from casebook.accounts.models import Role
from casebook.anonymise.models import MAX_ROSTER_NAME_CHARS, MAX_ROSTER_NAMES  # one rule: roster.check_roster
from casebook.cases.models import StrictModel
from casebook.db import row_id
from casebook.params import IdField
from casebook.timeutil import utcnow


class SessionStatus(StrEnum):
    planned = "planned"
    live = "live"
    closed = "closed"


class DiscussionSession(SQLModel, table=True):
    __tablename__ = "discussion_session"

    id: int = row_id()
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    method: str = Field(default="multi_actor", max_length=64)
    phase: str = Field(default="", max_length=64)
    status: SessionStatus = Field(default=SessionStatus.planned)
    facilitator_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    last_seq: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None
    summary: str = Field(default="", sa_type=Text)  # the draft casebook entry, anonymised
    published_at: datetime | None = None
    assistant_enabled: bool = True  # the facilitator may switch the assistant off for this discussion
    roster_given: bool = False  # names to mask were given (never stored): without them nothing is anonymised
    # When retention deleted the transcript (the messages), after condensing it into the summary.
    transcript_deleted_at: datetime | None = None


class SessionParticipant(SQLModel, table=True):
    """An invitation to a discussion. `expires_at` None for who sees the case through their own team; for
    everyone else (providers, partners, coaches of another team) the invitation lapses then."""

    __tablename__ = "session_participant"

    session_id: int = Field(foreign_key="discussion_session.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    expires_at: datetime | None = None


# ---- schemas (API) ----------------------------------------------------------------------------


class SessionCreate(StrictModel):
    case_id: IdField
    participants: list[str] = []
    method: str = "multi_actor"
    facilitator: str | None = None
    invitations_expire_at: datetime | None = PydanticField(
        default=None,
        description=(
            "When the invitations of participants from outside the case's team lapse (at most a year ahead); "
            "default 30 days from now. Closing the session shortens them to 14 days after closing."
        ),
    )
    roster: list[str] = PydanticField(
        default=[],
        description=(
            f"Names to mask; held in memory only, never stored. At most {MAX_ROSTER_NAMES} names of at most "
            f"{MAX_ROSTER_NAME_CHARS} characters each (else 422)."
        ),
    )


class ParticipantRead(BaseModel):
    username: str
    display_name: str
    role: Role
    facilitator: bool = False
    invitation_expires_at: datetime | None = None


class SessionRead(BaseModel):
    id: int
    case_id: int
    method: str
    method_name: str
    phase: str
    status: SessionStatus
    participants: list[ParticipantRead]
    last_seq: int
    created_at: datetime
    closed_at: datetime | None
    published_at: datetime | None
    assistant_enabled: bool = True
    transcript_deleted_at: datetime | None = None
