"""Schemas of the start page's lists."""

from datetime import date

from pydantic import BaseModel, Field

from casebook.accounts.models import Role


class OpenAction(BaseModel):
    """An agreed action not done yet, on a case the user works on."""

    id: int
    case_id: int
    case_title: str
    description: str
    owner_role: Role
    due_date: date | None
    overdue: bool = Field(description="The due date has passed.")
    session_id: int | None = Field(description="The case discussion it was agreed in, if any.")
