"""Bounded types for ids and paging in the HTTP API, in one place.

Every id is a 64-bit database integer: a larger number can never name a row, and handing it to the
database driver fails with an overflow (a 500) instead of a clean answer. So ids are validated as
1..2^63-1 (422 outside that range, 404 for a well-formed id that does not exist), and paging is bounded
so that the offset it implies fits as well.
"""

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ID = 2**63 - 1
MAX_PAGE = 1_000_000  # with per_page <= 100 the offset stays far below MAX_ID

#: A resource id in the URL path, e.g. /cases/{case_id}.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
#: A resource id inside a request body (pydantic model field).
IdField = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A 1-based page number in the query string.
PageQuery = Annotated[int, Query(ge=1, le=MAX_PAGE)]
#: A sequence number to read after (0: from the start).
SeqQuery = Annotated[int, Query(ge=0, le=MAX_ID)]
