"""Tables and schemas of the case record. Every free-text column holds anonymised text only."""

import re
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, StrictBool, field_validator
from pydantic import Field as PydanticField
from sqlalchemy import Index
from sqlmodel import Field, SQLModel, String, Text

from casebook.accounts.models import Role
from casebook.anonymise import service as anonymise_service
from casebook.cases.domains import normalise_domain
from casebook.db import row_id
from casebook.timeutil import utcnow

#: A case's key (kenmerk) as given on create or import: a code, never text. It is stored as written (a
#: re-import finds the case by it), so besides this shape it may hold no BSN, phone number, name, ...
EXTERNAL_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
#: Who took a decision: a role or a body ("jurist backoffice", "CIZ", "Belastingdienst/Toeslagen"), never a
#: person. Stored as written (not anonymised), so it is checked like a key: this shape, and no identifier.
DECIDED_BY_ROLE_PATTERN = r"^[\w .,'&()/+-]{1,64}$"


def check_external_id(value: str | None) -> str | None:
    """The external_id as given (None when left empty), or ValueError with a Dutch reason."""
    if value is None or value == "":
        return None
    if not re.fullmatch(EXTERNAL_ID_PATTERN, value):
        raise ValueError("moet een code zijn: 1 tot 64 tekens uit A-Z, a-z, 0-9, '-' en '_'")
    return anonymise_service.refuse_identifiers_in_label(value, allowed=anonymise_service.KEY_LABELS)


def check_decided_by_role(value: str) -> str:
    """The role as given, or ValueError with a Dutch reason."""
    if not re.fullmatch(DECIDED_BY_ROLE_PATTERN, value):
        raise ValueError(
            "moet een rol of instantie zijn: 1 tot 64 tekens (letters, cijfers, spatie en . , ' & ( ) / + -)"
        )
    return anonymise_service.refuse_identifiers_in_label(value)


class CaseStatus(StrEnum):
    open = "open"
    closed = "closed"


class BottleneckKind(StrEnum):
    mandaat = "mandaat"
    doorlooptijd = "doorlooptijd"
    schotten_budget = "schotten_budget"
    privacy_gegevensdeling = "privacy_gegevensdeling"
    toegangscriteria = "toegangscriteria"
    administratieve_last = "administratieve_last"
    tegenstrijdige_regels = "tegenstrijdige_regels"


class RuleLevel(StrEnum):
    """Only local ordinances and internal instructions can be changed by the municipality itself."""

    national_law = "national_law"
    local_ordinance = "local_ordinance"
    internal_instruction = "internal_instruction"


#: The levels of rule the municipality can change itself (a local ordinance, an internal work instruction).
LOCALLY_CHANGEABLE = frozenset({RuleLevel.local_ordinance, RuleLevel.internal_instruction})


class BottleneckStatus(StrEnum):
    """The register's status flow (labels in casebook.labels; which moves need a reason:
    casebook.cases.bottlenecks). Open states in order, then the two outcomes."""

    new = "new"  # gesignaleerd
    acknowledged = "acknowledged"  # herkend
    raised_to_policy = "raised_to_policy"  # geagendeerd
    in_progress = "in_progress"  # in behandeling
    resolved = "resolved"  # opgelost (with a resolution)
    not_changeable = "not_changeable"  # niet aanpasbaar (with a reason)


class BottleneckResolution(StrEnum):
    """How a resolved bottleneck was resolved."""

    rule_changed = "rule_changed"  # regel aangepast
    exception = "exception"  # uitzondering
    mandate_granted = "mandate_granted"  # mandaat verleend


class Case(SQLModel, table=True):
    # A team's cases of one quarter (the learning figures are recomputed per team and quarter).
    __table_args__ = (Index("ix_case_team_id_held_at", "team_id", "held_at"),)

    id: int = row_id()
    external_id: str = Field(unique=True, index=True, max_length=64)
    title: str = Field(max_length=300)
    team_id: int = Field(foreign_key="team.id", index=True)
    status: CaseStatus = Field(default=CaseStatus.open, index=True)
    narrative: str = Field(default="", sa_type=Text)
    support_question: str = Field(default="", sa_type=Text)
    support_plan: str = Field(default="", sa_type=Text)
    outcome: str = Field(default="", sa_type=Text)
    held_at: date | None = Field(default=None, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class CaseParticipant(SQLModel, table=True):
    """Who may see a case beyond its own team: invited providers, partners and coaches (read and take part,
    never edit). `expires_at` None: until withdrawn; else the invitation lapses then (see access)."""

    __tablename__ = "case_participant"

    case_id: int = Field(foreign_key="case.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    expires_at: datetime | None = None


class LifeDomainEntry(SQLModel, table=True):
    __tablename__ = "life_domain_entry"

    id: int = row_id()
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    domain: str = Field(max_length=64, index=True)
    score_before: int | None = Field(default=None, ge=1, le=5)
    score_after: int | None = Field(default=None, ge=1, le=5)
    addressed: bool = False


class PlanItem(SQLModel, table=True):
    __tablename__ = "plan_item"

    id: int = row_id()
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    position: int = 0
    text: str = Field(sa_type=Text)


class Decision(SQLModel, table=True):
    id: int = row_id()
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    subject: str = Field(sa_type=Text)
    decided_by_role: str = Field(max_length=64)
    with_mandate: bool = False
    requested_on: date | None = None
    decided_on: date | None = None


class Action(SQLModel, table=True):
    id: int = row_id()
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    description: str = Field(sa_type=Text)
    owner_role: Role
    due_date: date | None = None
    done: bool = False
    #: The case discussion it was agreed in (None: written on the case form or the API).
    session_id: int | None = Field(
        default=None, foreign_key="discussion_session.id", index=True, ondelete="SET NULL"
    )


class OutcomeFeedback(SQLModel, table=True):
    """Feedback that flows back from provider or partner to the case and its coach."""

    __tablename__ = "outcome_feedback"

    id: int = row_id()
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    author_role: Role
    text: str = Field(sa_type=Text)
    plan_worked: StrictBool | None = None
    what_worked: str = Field(default="", sa_type=Text)
    what_did_not: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)


class CaseNote(SQLModel, table=True):
    """A note kept on a case by who may edit it, e.g. a coach's conversation with the assistant while
    preparing a discussion, saved on purpose (anonymised like every text)."""

    __tablename__ = "case_note"

    id: int = row_id()
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)


class FeedbackScore(SQLModel, table=True):
    """A ZRM score after support, as the provider who carried out the plan sees it."""

    __tablename__ = "feedback_score"

    id: int = row_id()
    feedback_id: int = Field(foreign_key="outcome_feedback.id", index=True, ondelete="CASCADE")
    domain: str = Field(max_length=64)
    score_after: int = Field(ge=1, le=5)


class Bottleneck(SQLModel, table=True):
    """A place where a rule, procedure or mandate got in the way (knelpunt)."""

    id: int = row_id()
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    law: str = Field(max_length=200)
    rule: str = Field(default="", sa_type=Text)
    level: RuleLevel | None = None
    kind: BottleneckKind = Field(index=True)
    description: str = Field(default="", sa_type=Text)
    delay_days: int | None = Field(default=None, ge=0)
    extra_cost: int | None = Field(default=None, ge=0)  # whole euros
    client_harm: str = Field(default="", sa_type=Text)
    workaround: str = Field(default="", sa_type=Text)
    proposal: str = Field(default="", sa_type=Text)
    status: BottleneckStatus = Field(default=BottleneckStatus.new)
    #: Set with status resolved only (stored as text: a new enum type is one more thing to migrate on PostgreSQL).
    resolution: BottleneckResolution | None = Field(default=None, sa_type=String(32))
    #: Who in management carries it towards policy (a user; never a name typed as text).
    owner_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    #: The case discussion it was flagged in (None: the case form, the API or an import).
    session_id: int | None = Field(
        default=None, foreign_key="discussion_session.id", index=True, ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utcnow)


class BottleneckStatusChange(SQLModel, table=True):
    """One step in a bottleneck's status history: who moved it from where to where, when, and why. The
    first row of each bottleneck (from_status None) is its signalling."""

    __tablename__ = "bottleneck_status_change"

    id: int = row_id()
    bottleneck_id: int = Field(foreign_key="bottleneck.id", index=True, ondelete="CASCADE")
    from_status: BottleneckStatus | None = Field(default=None, sa_type=String(32))
    to_status: BottleneckStatus = Field(sa_type=String(32))
    resolution: BottleneckResolution | None = Field(default=None, sa_type=String(32))
    reason: str = Field(default="", sa_type=Text)  # anonymised
    changed_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    changed_at: datetime = Field(default_factory=utcnow, index=True)


class Tag(SQLModel, table=True):
    """A label in management's taxonomy; `parent_id` nests it under a broader one (never in a cycle)."""

    id: int = row_id()
    name: str = Field(unique=True, index=True, max_length=64)
    parent_id: int | None = Field(default=None, foreign_key="tag.id", index=True, ondelete="SET NULL")


class BottleneckTag(SQLModel, table=True):
    __tablename__ = "bottleneck_tag"

    bottleneck_id: int = Field(foreign_key="bottleneck.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


class CaseTag(SQLModel, table=True):
    __tablename__ = "case_tag"

    case_id: int = Field(foreign_key="case.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE", index=True)


# ---- schemas (API and JSONL) ------------------------------------------------------------------


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LifeDomainIn(StrictModel):
    domain: str
    score_before: int | None = Field(default=None, ge=1, le=5)
    score_after: int | None = Field(default=None, ge=1, le=5)
    addressed: bool = False

    @field_validator("domain")
    @classmethod
    def _known_domain(cls, value: str) -> str:
        return normalise_domain(value)


class BottleneckIn(StrictModel):
    law: str = Field(min_length=1, max_length=200)
    rule: str = ""
    kind: BottleneckKind
    level: RuleLevel | None = None
    description: str = ""
    delay_days: int | None = Field(default=None, ge=0, le=3650)
    extra_cost: int | None = PydanticField(
        default=None, ge=0, le=100_000_000, strict=True, description="Extra cost in whole euros."
    )
    client_harm: str = PydanticField(default="", description="What the client suffered from it.")
    workaround: str = ""
    proposal: str = PydanticField(default="", description="What should change in the rule or procedure.")


class DecisionBase(StrictModel):
    subject: str = Field(min_length=1)
    decided_by_role: str = PydanticField(
        min_length=1,
        max_length=64,
        description=(
            "The role or body that decided (e.g. 'jurist backoffice', 'CIZ'), never a person: stored as written, "
            "so a name, BSN, phone number, ... in it is refused (422). Letters, digits, space and . , ' & ( ) / + -"
        ),
    )
    with_mandate: bool = False
    requested_on: date | None = None
    decided_on: date | None = None


class DecisionIn(DecisionBase):
    _role = field_validator("decided_by_role")(lambda value: check_decided_by_role(value))


class ActionIn(StrictModel):
    description: str = Field(min_length=1)
    owner_role: Role
    due_date: date | None = None
    done: bool = False


def _domains_as_objects(value):
    """Life domains may be given by name alone: ["financiën"] means [{"domain": "financiën"}]."""
    if isinstance(value, list):
        return [{"domain": item} if isinstance(item, str) else item for item in value]
    return value


class CaseIn(StrictModel):
    """A case as it arrives from a form, the API or a JSONL line. `life_domains` takes plain names
    (the JSONL schema) or objects with scores."""

    external_id: str | None = PydanticField(
        default=None,
        max_length=64,
        description=(
            "The case's key (kenmerk), generated when left out. Stored as written and used on re-import, so a code "
            "that holds a BSN, phone number, e-mail address or name is refused (422). 1-64 characters from A-Z, "
            "a-z, 0-9, '-' and '_'; empty: generated."
        ),
    )
    title: str = Field(min_length=1, max_length=300)
    team: str | None = None
    status: CaseStatus = CaseStatus.open
    narrative: str = ""
    life_domains: list[LifeDomainIn] = []
    support_question: str = ""
    support_plan: str = ""
    plan_items: list[str] = []
    decisions: list[DecisionIn] = []
    actions: list[ActionIn] = []
    outcome: str = ""
    bottlenecks: list[BottleneckIn] = []
    held_at: date | None = None

    _external_id = field_validator("external_id")(lambda value: check_external_id(value))

    _domains_as_objects = field_validator("life_domains", mode="before")(_domains_as_objects)


class CaseUpdate(StrictModel):
    """Partial update: only the fields present are changed; lists replace the stored list."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    status: CaseStatus | None = None
    narrative: str | None = None
    life_domains: list[LifeDomainIn] | None = None
    support_question: str | None = None
    support_plan: str | None = None
    plan_items: list[str] | None = None
    decisions: list[DecisionIn] | None = None
    actions: list[ActionIn] | None = None
    outcome: str | None = None
    bottlenecks: list[BottleneckIn] | None = None
    held_at: date | None = None

    _domains_as_objects = field_validator("life_domains", mode="before")(_domains_as_objects)


class FeedbackScoreIn(StrictModel):
    domain: str
    score_after: int = Field(ge=1, le=5)

    _known_domain = field_validator("domain")(lambda value: normalise_domain(value))


class FeedbackIn(StrictModel):
    text: str = Field(min_length=1)
    plan_worked: StrictBool | None = None
    what_worked: str = ""
    what_did_not: str = ""
    scores_after: list[FeedbackScoreIn] = PydanticField(
        default=[],
        max_length=14,
        description=("ZRM scores (1-5) after support, per life domain; one score per domain."),
    )


class LifeDomainRead(BaseModel):
    domain: str
    score_before: int | None
    score_after: int | None
    addressed: bool


class BottleneckRead(BaseModel):
    id: int
    law: str
    rule: str
    kind: BottleneckKind
    level: RuleLevel | None
    description: str
    delay_days: int | None
    extra_cost: int | None
    client_harm: str
    workaround: str
    proposal: str
    status: BottleneckStatus
    resolution: BottleneckResolution | None
    owner_id: int | None
    session_id: int | None
    tags: list[str] = []


class DecisionRead(DecisionBase):
    """As stored: not validated again (a role stored before today's rules still reads)."""

    model_config = ConfigDict(extra="ignore")
    id: int


class ActionRead(ActionIn):
    model_config = ConfigDict(extra="ignore")
    id: int
    session_id: int | None = None


class FeedbackScoreRead(BaseModel):
    domain: str
    score_after: int


class FeedbackRead(BaseModel):
    id: int
    author_role: Role
    text: str
    plan_worked: bool | None
    what_worked: str = ""
    what_did_not: str = ""
    scores_after: list[FeedbackScoreRead] = []
    created_at: datetime


class CaseSummary(BaseModel):
    id: int
    external_id: str
    title: str
    team: str
    status: CaseStatus
    held_at: date | None
    life_domains: list[str]
    bottleneck_count: int


class CaseRead(BaseModel):
    id: int
    external_id: str
    title: str
    team: str
    status: CaseStatus
    narrative: str
    life_domains: list[LifeDomainRead]
    support_question: str
    support_plan: str
    plan_items: list[str]
    decisions: list[DecisionRead]
    actions: list[ActionRead]
    outcome: str
    feedback: list[FeedbackRead]
    feedback_loop_closed: bool = PydanticField(
        default=False, description=("A provider or partner who carried out the plan has reported back on it.")
    )
    bottlenecks: list[BottleneckRead]
    held_at: date | None
    created_at: datetime
    updated_at: datetime


class CasePage(BaseModel):
    items: list[CaseSummary]
    total: int
    page: int
    per_page: int
