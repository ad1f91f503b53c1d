"""Bounded types for ids and paging in the HTTP API, in one place.

Every id (and seq) is an INTEGER column: 64 bits on SQLite but 32 bits on PostgreSQL, whose driver binds
the value as an integer and fails with "out of range" on anything larger. A larger number can never name a
row on either database, so ids are validated as 1..2^31-1, the same on both (422 outside that range, 404
for a well-formed id that does not exist), and paging is bounded so that the offset it implies fits as well.
"""

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER (serial); SQLite would hold 2^63-1
MAX_PAGE = 1_000_000  # with per_page <= MAX_PER_PAGE the offset stays far below MAX_ID
MAX_PER_PAGE = 100

#: A resource id in the URL path, e.g. /cases/{case_id}.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
#: A resource id inside a request body (pydantic model field).
IdField = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A 1-based page number in the query string.
PageQuery = Annotated[int, Query(ge=1, le=MAX_PAGE)]
#: Items per page in the query string.
PerPageQuery = Annotated[int, Query(ge=1, le=MAX_PER_PAGE)]
#: A sequence number to read after (0: from the start).
SeqQuery = Annotated[int, Query(ge=0, le=MAX_ID)]
