"""Search routes: the JSON API (`api_router`, under /api/v1) and the HTML pages (`router`)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from casebook import policy
from casebook.accounts import service as account_service
from casebook.audit import service as audit_service
from casebook.deps import CurrentUser, SessionDep
from casebook.errors import Invalid
from casebook.i18n import gettext
from casebook.params import IdPath
from casebook.templating import templates
from search import service as search_service
from search.models import DEFAULT_K, Filters, SearchHit, SearchResult

api_router = APIRouter()
router = APIRouter(include_in_schema=False)

MODES = {"hybrid", "semantic", "lexical"}


class SimilarResult(BaseModel):
    case_id: int
    k: int
    hits: list[SearchHit]


def _filters(db_session, domain, kind, team, held_from, held_to, outcome) -> Filters:
    return search_service.parse_filters(
        db_session=db_session,
        domain=domain,
        kind=kind,
        team=team,
        held_from=held_from,
        held_to=held_to,
        outcome=outcome,
    )


# ---- JSON API --------------------------------------------------------------------------------


@api_router.get("/search", response_model=SearchResult)
@policy.rule(policy.Rule.signed_in)
def search_cases(
    db_session: SessionDep,
    user: CurrentUser,
    q: str = "",
    k: Annotated[int, Query(ge=1, description="aantal resultaten; boven 100 wordt 100")] = DEFAULT_K,
    domain: str | None = None,
    kind: str | None = None,
    team: str | None = None,
    held_from: Annotated[str | None, Query(alias="from")] = None,
    held_to: Annotated[str | None, Query(alias="to")] = None,
    outcome: Annotated[str | None, Query(description="uitkomst bekend: ja|nee")] = None,
    mode: str = "hybrid",
) -> SearchResult:
    if mode not in MODES:
        raise Invalid(
            gettext("mode: onbekende zoekwijze %(mode)r (hybrid, semantic of lexical).") % {"mode": mode}
        )
    filters = _filters(db_session, domain, kind, team, held_from, held_to, outcome)
    result = search_service.search(db_session=db_session, user=user, query=q, k=k, filters=filters, mode=mode)
    _audit_search(db_session, user, len(result.hits))
    return result


@api_router.get("/cases/{case_id}/similar", response_model=SimilarResult)
@policy.rule(policy.Rule.case_viewer)
def similar_cases(
    case_id: IdPath, db_session: SessionDep, user: CurrentUser, k: Annotated[int, Query(ge=1)] = DEFAULT_K
) -> SimilarResult:
    hits = search_service.similar(db_session=db_session, user=user, case_id=case_id, k=k)
    _audit_similar(db_session, user, case_id, len(hits))
    return SimilarResult(case_id=case_id, k=search_service.clamp_k(k), hits=hits)


# ---- HTML pages ------------------------------------------------------------------------------


@router.get("/search")
@policy.rule(policy.Rule.signed_in)
def search_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    q: str = "",
    domain: str = "",
    kind: str = "",
    team: str = "",
    held_from: Annotated[str, Query(alias="from")] = "",
    held_to: Annotated[str, Query(alias="to")] = "",
    outcome: str = "",
) -> Response:
    values = {
        "q": q,
        "domain": domain,
        "kind": kind,
        "team": team,
        "from": held_from,
        "to": held_to,
        "outcome": outcome,
    }
    result, error = None, None
    try:
        filters = _filters(
            db_session,
            domain or None,
            kind or None,
            team or None,
            held_from or None,
            held_to or None,
            outcome or None,
        )
        if q.strip():
            result = search_service.search(db_session=db_session, user=user, query=q, k=20, filters=filters)
            _audit_search(db_session, user, len(result.hits))
    except Invalid as exc:
        error = exc.detail
    context = {
        "user": user,
        "values": values,
        "result": result,
        "error": error,
        "teams": _visible_teams(db_session, user),
    }
    template = "search/_results.html" if request.headers.get("hx-request") else "search/search.html"
    return templates.TemplateResponse(request, template, context, status_code=422 if error else 200)


@router.get("/cases/{case_id}/similar")
@policy.rule(policy.Rule.case_viewer)
def similar_panel(case_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    hits = search_service.similar(db_session=db_session, user=user, case_id=case_id, k=5)
    _audit_similar(db_session, user, case_id, len(hits))
    return templates.TemplateResponse(request, "search/_similar.html", {"hits": hits, "case_id": case_id})


def _audit_search(db_session, user, results: int) -> None:
    """That a search happened and how many cases it showed; never the query itself."""
    audit_service.record_access(
        db_session=db_session,
        actor_id=user.id,
        action="search",
        object_type="search",
        detail=f"results={results}",
    )


def _audit_similar(db_session, user, case_id: int, results: int) -> None:
    audit_service.record_access(
        db_session=db_session,
        actor_id=user.id,
        action="case.similar",
        object_type="case",
        object_id=case_id,
        detail=f"results={results}",
    )


def _visible_teams(db_session, user) -> list[str]:
    if account_service.oversees_all_teams(db_session=db_session, user=user):
        return [team.name for team in account_service.list_teams(db_session=db_session)]
    return account_service.team_names(db_session=db_session, user=user)
