"""The draft casebook entry of a closed discussion, as reviewed and published onto the case."""

from pydantic import BaseModel

from casebook.cases.models import StrictModel


class DraftRead(BaseModel):
    session_id: int
    summary: str
    domains: list[str]
    bottlenecks: list[dict]
    agreements: list[dict]
    published: bool


class PublishRequest(StrictModel):
    summary: str | None = None
