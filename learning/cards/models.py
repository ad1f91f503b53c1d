"""The rule card table (learning owns it) and its schemas. Every text on a card is anonymised."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel, String, Text

from casebook.cases.models import RuleLevel
from casebook.db import row_id
from casebook.timeutil import utcnow

MAX_CARD_TEXT = 5000


class RuleCard(SQLModel, table=True):
    """What a rule says, who can change it, and the room it leaves: one card per rule, found by the rule's
    normalised name (`law_key`), so it shows wherever a bottleneck names that rule, however it was typed."""

    __tablename__ = "rule_card"

    id: int = row_id()
    law_key: str = Field(unique=True, index=True, max_length=200)
    law: str = Field(max_length=200)
    says: str = Field(default="", sa_type=Text)
    who_can_change: str = Field(default="", sa_type=Text)
    room_to_deviate: str = Field(default="", sa_type=Text)
    level: RuleLevel | None = Field(default=None, sa_type=String(32))
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_at: datetime = Field(default_factory=utcnow)


class RuleCardFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    says: str = PydanticField(
        default="", max_length=MAX_CARD_TEXT, description="What the rule says, in plain words."
    )
    who_can_change: str = PydanticField(
        default="",
        max_length=MAX_CARD_TEXT,
        description=(
            "Who can change the rule (council, college, the team lead for a work instruction, national legislator)."
        ),
    )
    room_to_deviate: str = PydanticField(
        default="",
        max_length=MAX_CARD_TEXT,
        description=(
            "The room the law already gives: a hardship clause, a maatwerk article, a mandate that can be delegated."
        ),
    )
    level: RuleLevel | None = None


class RuleCardIn(RuleCardFields):
    law: str = PydanticField(min_length=1, max_length=200, description="The rule as bottlenecks name it.")


class RuleCardPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    says: str | None = PydanticField(default=None, max_length=MAX_CARD_TEXT)
    who_can_change: str | None = PydanticField(default=None, max_length=MAX_CARD_TEXT)
    room_to_deviate: str | None = PydanticField(default=None, max_length=MAX_CARD_TEXT)
    level: RuleLevel | None = None


class RuleCardRead(BaseModel):
    id: int
    law: str
    law_key: str
    says: str
    who_can_change: str
    room_to_deviate: str
    level: RuleLevel | None
    updated_at: datetime
