"""Teams and users. A user belongs to zero or more teams; what they may see follows from role + teams."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from casebook.db import row_id
from casebook.timeutil import utcnow


class Role(StrEnum):
    coach = "coach"
    provider = "provider"
    partner = "partner"
    manager = "manager"
    admin = "admin"


class Team(SQLModel, table=True):
    id: int = row_id()
    name: str = Field(unique=True, index=True, max_length=120)


class UserTeam(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")


class User(SQLModel, table=True):
    id: int = row_id()
    username: str = Field(unique=True, index=True, max_length=64)
    display_name: str = Field(max_length=120)
    role: Role
    password_hash: str
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    """Only a SHA-256 of the token is kept, so a copied database yields no usable tokens. A token works
    until `expires_at` and stops for good once `revoked_at` is set; the row stays, so `casebook token list`
    can show when a token was given and ended."""

    id: int = row_id()
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(unique=True, index=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
