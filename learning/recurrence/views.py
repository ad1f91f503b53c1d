"""Recurrence routes: the JSON API under /api/v1 (`api_router`) and the htmx pieces of the room's flag
form and the knelpunten page (`router`). Mounted before learning.views, so /bottlenecks/recurring is
never read as a bottleneck id."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from casebook import policy
from casebook.accounts.models import User
from casebook.cases import service as case_service
from casebook.cases.models import BottleneckKind, Case, RuleLevel
from casebook.deps import CurrentUser, SessionDep
from casebook.errors import Invalid
from casebook.params import MAX_ID, IdPath, PageQuery, PerPageQuery
from casebook.templating import templates
from casebook.validation import describe_validation_errors
from learning.aggregates import flows as aggregate_flows
from learning.recurrence import flows as recurrence_flows
from learning.recurrence import service as recurrence_service
from learning.recurrence.models import (
    ClusterMerge,
    ClusterSplit,
    ClusterSuggestion,
    RecurringBottleneck,
    RecurringPage,
)

api_router = APIRouter()
router = APIRouter(include_in_schema=False)

MAX_DRAFT_CHARS = 4000  # a draft compared while typing: the fields as the flag form sends them
DraftText = Annotated[str, Query(max_length=MAX_DRAFT_CHARS)]


@api_router.get("/bottlenecks/recurring", response_model=RecurringPage)
@policy.rule(policy.Rule.signed_in)
def recurring_bottlenecks(
    db_session: SessionDep,
    user: CurrentUser,
    min_cases: Annotated[int, Query(ge=1, le=1000)] = 2,
    page: PageQuery = 1,
    per_page: PerPageQuery = 20,
) -> RecurringPage:
    """Clusters of bottlenecks about the same rule (however worded) in at least `min_cases` cases you may
    see, most cases first, one page at a time (`total`: clusters in all): their bottleneck and case ids,
    counts, delay days and teams."""
    aggregate_flows.bring_up_to_date(db_session=db_session)
    items, total = recurrence_service.recurring(
        db_session=db_session, user=user, min_cases=min_cases, page=page, per_page=per_page
    )
    return RecurringPage(items=items, total=total, page=page, per_page=per_page)


@api_router.get(
    "/bottlenecks/recurring/similar", response_model=list[ClusterSuggestion], responses={403: {}, 404: {}}
)
@policy.rule(policy.Rule.signed_in)
def similar_clusters(
    db_session: SessionDep,
    user: CurrentUser,
    law: Annotated[str, Query(min_length=1, max_length=200)],
    kind: BottleneckKind,
    rule: DraftText = "",
    description: DraftText = "",
    level: RuleLevel | None = None,
    case_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> list[ClusterSuggestion]:
    """Clusters a bottleneck being flagged resembles (nothing is stored), most similar first, with their
    similarity to one decimal. `case_id`: the case it is flagged in (one you may see), whose situation counts
    too: bottlenecks of one rule come up in like situations. Without it the rule alone is compared."""
    case_context = _case_context(db_session=db_session, user=user, case_id=case_id)
    aggregate_flows.refresh(db_session=db_session)
    return recurrence_service.suggest(
        db_session=db_session,
        user=user,
        law=law,
        rule=rule,
        kind=kind,
        description=description,
        level=level,
        case_context=case_context,
    )


def _case_context(*, db_session: Session, user: User, case_id: int | None) -> str:
    """What the case a bottleneck is flagged in is about, read only through the case's access rule (404 or
    403 for a case the user may not see)."""
    if case_id is None:
        return ""
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    return recurrence_service.case_context(title=case.title, support_question=case.support_question)


@api_router.post("/bottlenecks/recurring/{cluster_id}/merge", response_model=RecurringBottleneck)
@policy.rule(policy.Rule.management)
def merge_clusters(
    cluster_id: IdPath, body: ClusterMerge, db_session: SessionDep, user: CurrentUser
) -> RecurringBottleneck:
    """Managers: move the bottlenecks of other clusters into this one (links to cases stay)."""
    target = recurrence_flows.merge(
        db_session=db_session, user=user, cluster_id=cluster_id, other_ids=body.cluster_ids
    )
    return _summary(db_session, user, target)


@api_router.post("/bottlenecks/recurring/{cluster_id}/split", response_model=list[RecurringBottleneck])
@policy.rule(policy.Rule.management)
def split_cluster(
    cluster_id: IdPath, body: ClusterSplit, db_session: SessionDep, user: CurrentUser
) -> list[RecurringBottleneck]:
    """Managers: take these bottlenecks out into a new cluster; answers [this cluster, the new one]."""
    new = recurrence_flows.split(
        db_session=db_session, user=user, cluster_id=cluster_id, bottleneck_ids=body.bottleneck_ids
    )
    return [_summary(db_session, user, cluster_id), _summary(db_session, user, new)]


def _summary(db_session, user, cluster_id: int) -> RecurringBottleneck:
    aggregate_flows.refresh(db_session=db_session)
    items, _ = recurrence_service.recurring(
        db_session=db_session, user=user, min_cases=1, cluster_ids=[cluster_id]
    )
    return items[0]


@router.get("/knelpunten/lijkt-op")
@policy.rule(policy.Rule.signed_in)
def suggestion_fragment(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    law: str = "",
    kind: str = "",
    rule: str = "",
    description: str = "",
    level: str = "",
    case_id: str = "",
) -> Response:
    """htmx, while flagging: "lijkt op #12 (7 casussen)". A draft without law or kind, or longer than a
    flag form allows, gets an empty fragment: there is nothing to compare yet. A level the form left
    "onbekend" (or one it does not know) is read from the law as typed. The room sends its case
    (`case_id`); a case id that is not a number or not a case the user may see is left out."""
    law, rule, description = law.strip(), rule.strip(), description.strip()
    suggestions = []
    if (
        law
        and len(law) <= 200
        and kind in BottleneckKind.__members__
        and max(len(rule), len(description)) <= MAX_DRAFT_CHARS
    ):
        aggregate_flows.refresh(db_session=db_session)
        suggestions = recurrence_service.suggest(
            db_session=db_session,
            user=user,
            law=law,
            rule=rule,
            kind=kind,
            description=description,
            level=level if level in RuleLevel.__members__ else None,
            case_context=_fragment_context(db_session=db_session, user=user, case_id=case_id),
        )
    return templates.TemplateResponse(request, "learning/_suggestion.html", {"suggestions": suggestions})


def _fragment_context(*, db_session: Session, user: User, case_id: str) -> str:
    """What the room's case is about, for its flag form: "" for an id that is not a number, not a case, or
    not one the user may see (now: an invitation may have run out while the room was open). Nothing is
    refused or logged as a refusal: the form is asked while someone types, and the draft's own words count
    still."""
    if not (case_id.isascii() and case_id.isdigit() and len(case_id) <= 10 and 1 <= int(case_id) <= MAX_ID):
        return ""
    case = db_session.get(Case, int(case_id))
    if case is None or not policy.can_view(db_session=db_session, user=user, case=case):
        return ""
    return recurrence_service.case_context(title=case.title, support_question=case.support_question)


@router.post("/knelpunten/clusters/{cluster_id}/samenvoegen")
@policy.rule(policy.Rule.management)
async def merge_from_form(
    cluster_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    form = await request.form()
    try:
        body = ClusterMerge.model_validate(
            {
                "cluster_ids": [
                    value
                    for value in str(form.get("cluster_ids", "")).replace("#", " ").replace(",", " ").split()
                ][:100]
            }
        )
    except ValidationError as exc:
        raise Invalid(describe_validation_errors(exc.errors(include_url=False))) from None
    target = recurrence_flows.merge(
        db_session=db_session, user=user, cluster_id=cluster_id, other_ids=body.cluster_ids
    )
    return RedirectResponse(f"/knelpunten#cluster-{target}", status_code=303)


@router.post("/knelpunten/clusters/{cluster_id}/splitsen")
@policy.rule(policy.Rule.management)
async def split_from_form(
    cluster_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    form = await request.form()
    try:
        body = ClusterSplit.model_validate({"bottleneck_ids": form.getlist("bottleneck_ids")[:1000]})
    except ValidationError as exc:
        raise Invalid(describe_validation_errors(exc.errors(include_url=False))) from None
    new = recurrence_flows.split(
        db_session=db_session, user=user, cluster_id=cluster_id, bottleneck_ids=body.bottleneck_ids
    )
    return RedirectResponse(f"/knelpunten#cluster-{new}", status_code=303)
