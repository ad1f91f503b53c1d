"""Append-only audit trail: who did what to which object, without the content itself. Nothing in the code
updates or deletes a row, and the database refuses it too (triggers, migration 0012)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from casebook.db import row_id
from casebook.timeutil import utcnow


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int = row_id()
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL", index=True)
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(max_length=32)
    object_id: int | None = None
    detail: str = Field(default="", max_length=500)


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show or export: by actor's username, action, and period (whole days, UTC, inclusive)."""

    username: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str | None  # None: the command line / the system
    action: str
    object_type: str
    object_id: int | None
    detail: str
