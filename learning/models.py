"""Schemas of the learning views. The bottleneck and tag tables belong to the case record
(casebook.cases.models); this package adds the management side: tagging, status, recurrence."""

from pydantic import BaseModel, ConfigDict, Field

from casebook.cases.models import BottleneckIn, BottleneckRead, BottleneckStatus, RuleLevel
from casebook.params import IdField


class BottleneckCreate(BottleneckIn):
    case_id: IdField


class BottleneckListItem(BottleneckRead):
    case_id: int
    case_title: str
    team: str


class BottleneckPage(BaseModel):
    items: list[BottleneckListItem]
    total: int
    page: int
    per_page: int


class BottleneckPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tags: list[str] | None = Field(default=None, max_length=20)
    status: BottleneckStatus | None = None
    level: RuleLevel | None = None
