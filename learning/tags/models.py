"""Schemas of the tag taxonomy and of tagging (the tables are casebook's: casebook.cases.models)."""

from pydantic import BaseModel, ConfigDict, Field

from casebook.params import IdField


class TagNode(BaseModel):
    """One label of the taxonomy with what carries it."""

    id: int
    name: str
    parent_id: int | None
    bottlenecks: int
    cases: int


class TagCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    parent_id: IdField | None = None


class TagUpdate(BaseModel):
    """Rename and/or nest a label; `parent_id` null puts it at the top."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    parent_id: IdField | None = None


class TagMerge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    into_id: IdField = Field(
        description="The label that takes over this one's bottlenecks, cases and sub-labels."
    )


class BulkTagging(BaseModel):
    """Labels added to and taken off many bottlenecks at once (at most 500)."""

    model_config = ConfigDict(extra="forbid")

    bottleneck_ids: list[IdField] = Field(min_length=1, max_length=500)
    add: list[str] = Field(default=[], max_length=20)
    remove: list[str] = Field(default=[], max_length=20)


class BulkTaggingResult(BaseModel):
    bottleneck_ids: list[int]
    changed: int = Field(description="Labels put on or taken off, counted per bottleneck.")


class CaseTags(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tags: list[str] = Field(max_length=20)
