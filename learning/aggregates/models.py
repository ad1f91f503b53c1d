"""Figures per cell: one team and one quarter in which its cases were discussed (`period` =
year * 4 + quarter - 1 of the case's `held_at`; 0 for a case without a date). A cell's figures are exact
sums over its cases, and cells never share a case, so any choice of teams and quarters adds up cells
(distinct cases per rule included). Derived data: rebuilt from the case records, never edited, no
foreign keys. The texts here (a rule's law) are copies of anonymised bottleneck fields."""

from datetime import date

from sqlmodel import Field, SQLModel

from casebook.db import row_id


class StaleCell(SQLModel, table=True):
    """A cell whose figures no longer match the records: written by the database's triggers (migration
    0014) in the same transaction as the change, removed when the cell is recomputed."""

    __tablename__ = "aggregate_stale"

    team_id: int = Field(primary_key=True)
    period: int = Field(primary_key=True)


class CaseCell(SQLModel, table=True):
    __tablename__ = "aggregate_case"

    id: int = row_id()
    team_id: int = Field(index=True)
    period: int
    cases: int
    plans: int  # cases with a support plan
    plans_with_feedback: int  # of those, cases a provider reported back on


class RuleCell(SQLModel, table=True):
    """One recurring rule (a cluster) in one cell."""

    __tablename__ = "aggregate_rule"

    id: int = row_id()
    team_id: int = Field(index=True)
    period: int
    cluster_id: int = Field(index=True)
    cases: int
    bottlenecks: int
    delay_days: int
    changeable_locally: int  # 1 when one of its bottlenecks is at a level the municipality sets
    law: str = Field(max_length=200)  # the first in sort order, as a name for the rule


class BottleneckCell(SQLModel, table=True):
    __tablename__ = "aggregate_bottleneck"

    id: int = row_id()
    team_id: int = Field(index=True)
    period: int
    level: str = Field(max_length=32)  # "" when not recorded
    status: str = Field(max_length=32)
    bottlenecks: int
    delay_days: int


class DomainCell(SQLModel, table=True):
    __tablename__ = "aggregate_domain"

    id: int = row_id()
    team_id: int = Field(index=True)
    period: int
    domain: str = Field(max_length=64)
    present: int
    addressed: int


class DecisionCell(SQLModel, table=True):
    """Decisions with a request and a decision date, by who decided, mandate and lead time in days."""

    __tablename__ = "aggregate_decision"

    id: int = row_id()
    team_id: int = Field(index=True)
    period: int
    role: str = Field(max_length=64)
    with_mandate: bool
    lead_days: int
    decisions: int


class ActionCell(SQLModel, table=True):
    """Agreed actions; open ones by due date (overdue depends on the day the figures are read)."""

    __tablename__ = "aggregate_action"

    id: int = row_id()
    team_id: int = Field(index=True)
    period: int
    done: bool
    due_date: date | None  # open actions only
    actions: int
