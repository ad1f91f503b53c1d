"""HTTP route for live anonymisation (the app mounts it under /api/v1 and adds auth)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from casebook import policy
from casebook.anonymise.models import AnonymiseRequest, AnonymiseResponse
from casebook.anonymise.roster import check_roster
from casebook.anonymise.service import anonymise_text, check_text_size

api_router = APIRouter(tags=["anonymise"])


@api_router.post("/anonymise", response_model=AnonymiseResponse)
@policy.rule(policy.Rule.signed_in)
def anonymise(body: AnonymiseRequest, request: Request) -> AnonymiseResponse:
    """Anonymise one text; the roster is used for this request only and never stored.

    A plain ``def``: the work is CPU-bound, so FastAPI runs it in its thread pool.
    """
    check_text_size(body.text, request.app.state.settings.max_text_bytes)
    roster = check_roster(body.roster, field="roster")
    return AnonymiseResponse.from_result(anonymise_text(body.text, roster=roster))
