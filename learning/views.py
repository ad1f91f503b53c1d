"""Bottleneck routes: JSON API (`api_router`, under /api/v1) and the management page (`router`)."""


from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from casebook.cases import flows as case_flows
from casebook.cases import service as case_service
from casebook.cases.models import BottleneckIn, BottleneckKind, BottleneckRead, BottleneckStatus, RuleLevel
from casebook.deps import CurrentUser, SessionDep
from casebook.errors import Invalid
from casebook.params import IdPath, PageQuery, PerPageQuery
from casebook.templating import templates
from casebook.validation import describe_validation_errors
from learning import flows as learning_flows
from learning import service as learning_service
from learning.models import BottleneckCreate, BottleneckPage, BottleneckPatch
from learning.recurrence import flows as recurrence_flows
from learning.recurrence import service as recurrence_service

api_router = APIRouter()
router = APIRouter(include_in_schema=False)


@api_router.get("/bottlenecks", response_model=BottleneckPage)
def list_bottlenecks(db_session: SessionDep, user: CurrentUser, kind: BottleneckKind | None = None,
                     tag: str | None = None, page: PageQuery = 1,
                     per_page: PerPageQuery = 50) -> BottleneckPage:
    items, total = learning_service.list_bottlenecks(db_session=db_session, user=user, kind=kind, tag=tag,
                                                     page=page, per_page=per_page)
    return BottleneckPage(items=items, total=total, page=page, per_page=per_page)


@api_router.post("/bottlenecks", status_code=201, response_model=BottleneckRead)
def create_bottleneck(body: BottleneckCreate, db_session: SessionDep, user: CurrentUser) -> BottleneckRead:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=body.case_id)
    data = BottleneckIn.model_validate(body.model_dump(exclude={"case_id"}))
    bottleneck = case_flows.add_bottleneck(db_session=db_session, user=user, case=case, data=data)
    return case_service.bottleneck_read(db_session=db_session, bottleneck=bottleneck)


@api_router.patch("/bottlenecks/{bottleneck_id}", response_model=BottleneckRead)
def update_bottleneck(bottleneck_id: IdPath, body: BottleneckPatch, db_session: SessionDep,
                      user: CurrentUser) -> BottleneckRead:
    bottleneck = learning_service.get_or_raise(db_session=db_session, user=user, bottleneck_id=bottleneck_id)
    bottleneck = learning_flows.update_bottleneck(db_session=db_session, user=user, bottleneck=bottleneck, patch=body)
    return case_service.bottleneck_read(db_session=db_session, bottleneck=bottleneck)


@router.get("/knelpunten")
def bottlenecks_page(request: Request, db_session: SessionDep, user: CurrentUser, kind: str | None = None,
                     tag: str | None = None) -> Response:
    kind_filter = BottleneckKind(kind) if kind in BottleneckKind.__members__ else None
    recurrence_flows.bring_in_step(db_session=db_session)
    items, total = learning_service.list_bottlenecks(db_session=db_session, user=user, kind=kind_filter,
                                                     tag=tag or None, per_page=100)
    return templates.TemplateResponse(request, "learning/bottlenecks.html", {
        "user": user, "items": items, "total": total, "kind": kind or "", "tag": tag or "",
        "recurring": recurrence_service.recurring(db_session=db_session, user=user, limit=50),
        "clusters": recurrence_service.clusters_of(db_session=db_session, user=user, bottleneck_ids=[b.id for b in items]),
        "tags": learning_service.all_tags(db_session=db_session),
        "can_manage": user.role in learning_service.MANAGEMENT_ROLES,
        "statuses": list(BottleneckStatus), "levels": list(RuleLevel),
    })


@router.post("/knelpunten/{bottleneck_id}")
async def update_bottleneck_from_form(bottleneck_id: IdPath, request: Request, db_session: SessionDep,
                                      user: CurrentUser) -> Response:
    """htmx: management sets tags, status and level on one bottleneck; answers with the updated row."""
    form = await request.form()
    bottleneck = learning_service.get_or_raise(db_session=db_session, user=user, bottleneck_id=bottleneck_id)
    try:  # the form is parsed here, not by FastAPI: its refusals are a 422 in Dutch like any other
        patch = BottleneckPatch(tags=str(form.get("tags", "")).split(","),
                                status=form.get("status") or None, level=form.get("level") or None)
    except ValidationError as exc:
        raise Invalid(describe_validation_errors(exc.errors(include_url=False))) from None
    learning_flows.update_bottleneck(db_session=db_session, user=user, bottleneck=bottleneck, patch=patch)
    item = learning_service.list_item(db_session=db_session, bottleneck=bottleneck)
    return templates.TemplateResponse(request, "learning/_bottleneck_row.html", {
        "b": item, "can_manage": True, "statuses": list(BottleneckStatus), "levels": list(RuleLevel), "saved": True})
