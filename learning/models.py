"""Schemas of the learning views. The bottleneck and tag tables belong to the case record
(casebook.cases.models); this package adds the management side: tagging, status, recurrence."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from casebook.cases.models import (
    BottleneckIn,
    BottleneckRead,
    BottleneckResolution,
    BottleneckStatus,
    RuleLevel,
)
from casebook.params import IdField

#: A reason for a status move, anonymised before it is stored.
MAX_REASON_CHARS = 2000


class BottleneckCreate(BottleneckIn):
    case_id: IdField


class BottleneckListItem(BottleneckRead):
    case_id: int
    case_title: str
    team: str
    owner: str | None = Field(default=None, description="Display name of the manager who carries it.")


class StatusChangeRead(BaseModel):
    """One step of a bottleneck's status history."""

    from_status: BottleneckStatus | None
    to_status: BottleneckStatus
    resolution: BottleneckResolution | None
    reason: str
    changed_by: str | None = Field(description="Display name of who made the change (None: unknown).")
    changed_at: datetime


class BottleneckDetail(BottleneckListItem):
    """A bottleneck in the register: its case, the case discussion it was flagged in, and its history."""

    history: list[StatusChangeRead]


class BottleneckPage(BaseModel):
    items: list[BottleneckListItem]
    total: int
    page: int
    per_page: int


class BottleneckPatch(BaseModel):
    """Changes to one bottleneck in the register. Tags, status (with resolution or reason) and owner are
    management's call; the effect, workaround, proposal and level may also be filled in by the case's
    own team. Status and level left out or null: unchanged."""

    model_config = ConfigDict(extra="forbid")

    tags: list[str] | None = Field(default=None, max_length=20)
    status: BottleneckStatus | None = None
    resolution: BottleneckResolution | None = Field(
        default=None, description="Required with status resolved."
    )
    reason: str = Field(
        default="",
        max_length=MAX_REASON_CHARS,
        description=(
            "Required with status not_changeable and for every move back; anonymised before it is stored."
        ),
    )
    owner: str | None = Field(
        default=None,
        max_length=64,
        description=("Username of the manager who carries it towards policy; empty string: nobody."),
    )
    level: RuleLevel | None = None
    delay_days: int | None = Field(default=None, ge=0, le=3650, strict=True)
    extra_cost: int | None = Field(default=None, ge=0, le=100_000_000, strict=True)
    client_harm: str | None = None
    workaround: str | None = None
    proposal: str | None = None
