"""Tables and schemas of recurrence. A cluster is a rule that keeps getting in the way; each bottleneck
has one signature (what it is about, as a vector) and belongs to one cluster. Only vectors and ids are
stored here: the texts stay in the bottleneck table, anonymised."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import LargeBinary
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from casebook.cases.models import BottleneckKind, RuleLevel
from casebook.db import row_id
from casebook.params import IdField
from casebook.timeutil import utcnow

MAX_IDS = 1000


class BottleneckCluster(SQLModel, table=True):
    """One recurring rule. A cluster merged into another keeps its row (`merged_into_id`), so a reference
    such as "#12" still leads somewhere."""

    __tablename__ = "bottleneck_cluster"

    id: int = row_id()
    merged_into_id: int | None = SQLField(
        default=None, foreign_key="bottleneck_cluster.id", ondelete="SET NULL"
    )
    created_at: datetime = SQLField(default_factory=utcnow)
    updated_at: datetime = SQLField(default_factory=utcnow)


class BottleneckSignature(SQLModel, table=True):
    """A bottleneck's place: its cluster, and the `recipe` its vector was made with (a different model or
    weighting makes it stale). `placed_by_hand`: a manager merged or split it there. Kept narrow, so the
    counts and groupings over 100k bottlenecks read little; the vector lives in BottleneckVector."""

    __tablename__ = "bottleneck_signature"

    bottleneck_id: int = SQLField(foreign_key="bottleneck.id", primary_key=True, ondelete="CASCADE")
    cluster_id: int = SQLField(foreign_key="bottleneck_cluster.id", index=True)
    recipe: str = SQLField(max_length=16, index=True)
    placed_by_hand: bool = False


class RecurrenceState(SQLModel, table=True):
    """One row: the recipe every bottleneck was last placed again with (flows.renew, `recluster`). Renewing
    signatures and placing every bottleneck again are two steps; a restart between them is finished later."""

    __tablename__ = "recurrence_state"

    id: int = SQLField(default=1, primary_key=True)
    reclustered_recipe: str = SQLField(max_length=16)


class BottleneckVector(SQLModel, table=True):
    """A bottleneck's signature vector (float16, unit length, see signature.py)."""

    __tablename__ = "bottleneck_vector"

    bottleneck_id: int = SQLField(foreign_key="bottleneck.id", primary_key=True, ondelete="CASCADE")
    vector: bytes = SQLField(sa_type=LargeBinary)


class RecurringBottleneck(BaseModel):
    """One rule that got in the way in several cases (a cluster, as far as the asker may see it): what
    management should take to policy."""

    cluster_id: int
    law: str
    kind: BottleneckKind
    levels: list[RuleLevel]
    changeable_locally: bool
    cases: int
    count: int
    teams: list[str]
    total_delay_days: int
    median_delay_days: float | None
    bottleneck_ids: list[int]
    case_ids: list[int]
    tags: list[str]
    example: str


class RecurringPage(BaseModel):
    """One page of recurring rules, most cases first; `total`: how many there are in all."""

    items: list[RecurringBottleneck]
    total: int
    page: int
    per_page: int


class ClusterSuggestion(BaseModel):
    """ "Lijkt op #12 (7 casussen)": an existing cluster a bottleneck being flagged resembles."""

    cluster_id: int
    law: str
    cases: int
    similarity: float


class ClusterMerge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cluster_ids: list[IdField] = Field(
        min_length=1,
        max_length=100,
        description=(
            "Clusters whose bottlenecks (those you may see) move into this one. Their bottlenecks keep every "
            "link to cases, sessions and tags; the emptied clusters point to this one."
        ),
    )


class ClusterSplit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bottleneck_ids: list[IdField] = Field(
        min_length=1,
        max_length=MAX_IDS,
        description=("Bottlenecks of this cluster that form a new cluster of their own."),
    )
