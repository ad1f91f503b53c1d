"""The notifications table and its schema. A notification holds no text of its own: what it says is
rendered from its kind and the case it points to, so nothing about a client is copied into it."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel
from sqlmodel import Field, SQLModel, String

from casebook.db import row_id
from casebook.timeutil import utcnow


class NotificationKind(StrEnum):
    feedback = "feedback"  # a provider or partner reported back on how the plan worked


class Notification(SQLModel, table=True):
    id: int = row_id()
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    kind: NotificationKind = Field(sa_type=String(32))
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None


class NotificationRead(BaseModel):
    id: int
    kind: NotificationKind
    case_id: int | None
    case_title: str | None
    text: str
    created_at: datetime
    read: bool
