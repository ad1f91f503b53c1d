"""Bottleneck routes: JSON API (`api_router`, under /api/v1) and the management page (`router`)."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from casebook import policy
from casebook.cases import flows as case_flows
from casebook.cases import service as case_service
from casebook.cases import tags as tag_service
from casebook.cases.models import (
    BottleneckIn,
    BottleneckKind,
    BottleneckRead,
    BottleneckResolution,
    BottleneckStatus,
    RuleLevel,
)
from casebook.deps import CurrentUser, SessionDep
from casebook.errors import Invalid
from casebook.i18n import gettext, ngettext
from casebook.params import IdPath, PageQuery, PerPageQuery
from casebook.templating import templates
from casebook.validation import describe_validation_errors
from learning import flows as learning_flows
from learning import forms
from learning import service as learning_service
from learning.aggregates import flows as aggregate_flows
from learning.cards import service as card_service
from learning.cards import views as card_views
from learning.followup import views as followup_views
from learning.models import (
    BottleneckCreate,
    BottleneckDetail,
    BottleneckPage,
    BottleneckPatch,
)
from learning.recurrence import service as recurrence_service
from learning.tags import flows as tag_flows
from learning.tags import views as tag_views

api_router = APIRouter()
router = APIRouter(include_in_schema=False)
api_router.include_router(tag_views.api_router)  # before the /bottlenecks/{id} routes below
api_router.include_router(card_views.api_router)
api_router.include_router(followup_views.api_router)
router.include_router(tag_views.router)
router.include_router(card_views.router)
router.include_router(followup_views.router)


@api_router.get("/bottlenecks", response_model=BottleneckPage)
@policy.rule(policy.Rule.signed_in)
def list_bottlenecks(
    db_session: SessionDep,
    user: CurrentUser,
    kind: BottleneckKind | None = None,
    tag: str | None = None,
    status: BottleneckStatus | None = None,
    page: PageQuery = 1,
    per_page: PerPageQuery = 50,
) -> BottleneckPage:
    items, total = learning_service.list_bottlenecks(
        db_session=db_session, user=user, kind=kind, tag=tag, status=status, page=page, per_page=per_page
    )
    return BottleneckPage(items=items, total=total, page=page, per_page=per_page)


@api_router.post("/bottlenecks", status_code=201, response_model=BottleneckRead)
@policy.rule(policy.Rule.signed_in)
def create_bottleneck(body: BottleneckCreate, db_session: SessionDep, user: CurrentUser) -> BottleneckRead:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=body.case_id)
    data = BottleneckIn.model_validate(body.model_dump(exclude={"case_id"}))
    bottleneck = case_flows.add_bottleneck(db_session=db_session, user=user, case=case, data=data)
    return case_service.bottleneck_read(db_session=db_session, bottleneck=bottleneck)


@api_router.get("/bottlenecks/{bottleneck_id}", response_model=BottleneckDetail)
@policy.rule(policy.Rule.bottleneck_viewer)
def read_bottleneck(bottleneck_id: IdPath, db_session: SessionDep, user: CurrentUser) -> BottleneckDetail:
    """One bottleneck in the register, with its case, discussion and status history."""
    bottleneck = learning_service.get_or_raise(db_session=db_session, user=user, bottleneck_id=bottleneck_id)
    return learning_service.detail(db_session=db_session, bottleneck=bottleneck)


@api_router.patch("/bottlenecks/{bottleneck_id}", response_model=BottleneckRead)
@policy.rule(policy.Rule.bottleneck_viewer)
def update_bottleneck(
    bottleneck_id: IdPath, body: BottleneckPatch, db_session: SessionDep, user: CurrentUser
) -> BottleneckRead:
    """Tags, status (resolved needs a resolution; not_changeable and every move back need a reason) and owner:
    managers only. Effect, workaround, proposal and level: also the case's own team. A refused change: 422
    in Dutch, nothing changed."""
    bottleneck = learning_service.get_or_raise(db_session=db_session, user=user, bottleneck_id=bottleneck_id)
    bottleneck = learning_flows.update_bottleneck(
        db_session=db_session, user=user, bottleneck=bottleneck, patch=body
    )
    return case_service.bottleneck_read(db_session=db_session, bottleneck=bottleneck)


def _row_context(user, **extra) -> dict:
    return {
        "user": user,
        "can_manage": policy.can_manage_bottlenecks(user),
        "statuses": list(BottleneckStatus),
        "levels": list(RuleLevel),
        "resolutions": list(BottleneckResolution),
        **extra,
    }


@router.get("/knelpunten")
@policy.rule(policy.Rule.signed_in)
def bottlenecks_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    kind: str | None = None,
    tag: str | None = None,
    status: str | None = None,
) -> Response:
    return _bottlenecks_page(
        request, db_session, user, {"kind": kind or "", "tag": tag or "", "status": status or ""}
    )


def _filtered(db_session, user, filters: dict, per_page: int = 100):
    return learning_service.list_bottlenecks(
        db_session=db_session,
        user=user,
        per_page=per_page,
        tag=filters["tag"] or None,
        kind=BottleneckKind(filters["kind"]) if filters["kind"] in BottleneckKind.__members__ else None,
        status=BottleneckStatus(filters["status"])
        if filters["status"] in BottleneckStatus.__members__
        else None,
    )


def _bottlenecks_page(
    request: Request, db_session, user, filters: dict, *, notice: str | None = None, error: str | None = None
) -> Response:
    aggregate_flows.bring_up_to_date(db_session=db_session)
    items, total = _filtered(db_session, user, filters)
    return templates.TemplateResponse(
        request,
        "learning/bottlenecks.html",
        _row_context(
            user,
            items=items,
            total=total,
            **filters,
            notice=notice,
            bulk_error=error,
            cards=card_service.for_laws(db_session=db_session, laws={b.law for b in items}),
            recurring=recurrence_service.recurring(db_session=db_session, user=user, per_page=50)[0],
            clusters=recurrence_service.clusters_of(
                db_session=db_session, user=user, bottleneck_ids=[b.id for b in items]
            ),
            tags=learning_service.all_tags(db_session=db_session),
        ),
        status_code=422 if error else 200,
    )


@router.post("/knelpunten/labels")
@policy.rule(policy.Rule.management)
async def tag_many_from_form(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    """Management labels the ticked bottlenecks, or every bottleneck the current filter finds (at most
    MAX_BULK), at once; answers with the page (htmx swaps the list)."""
    form = await request.form()
    filters = {key: str(form.get(key, "")) for key in ("kind", "tag", "status")}
    if form.get("scope") == "filter":
        items, _ = _filtered(db_session, user, filters, per_page=tag_service.MAX_BULK)
        ids = [item.id for item in items]
    else:
        given = [str(value) for value in form.getlist("ids")]
        ids = [int(value) for value in given if value.isdigit() and len(value) < 10]
    add = [name for name in str(form.get("add", "")).split(",") if name.strip()]
    remove = [name for name in str(form.get("remove", "")).split(",") if name.strip()]
    try:
        if not ids:
            raise Invalid(
                gettext("Vink eerst de knelpunten aan die een label krijgen. Er is niets opgeslagen.")
            )
        if len(add) > 20 or len(remove) > 20:
            raise Invalid(gettext("add: hoogstens 20 labels tegelijk. Er is niets opgeslagen."))
        tag_flows.retag_bottlenecks(
            db_session=db_session, user=user, bottleneck_ids=ids, add=add, remove=remove
        )
    except Invalid as exc:
        return _bottlenecks_page(request, db_session, user, filters, error=exc.detail)
    return _bottlenecks_page(
        request,
        db_session,
        user,
        filters,
        notice=ngettext("%(num)s knelpunt bijgewerkt.", "%(num)s knelpunten bijgewerkt.", len(ids))
        % {"num": len(ids)},
    )


@router.get("/knelpunten/{bottleneck_id}")
@policy.rule(policy.Rule.bottleneck_viewer)
def bottleneck_page(
    bottleneck_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    """One bottleneck in the register: everything about it, its history, and (for managers) the status form."""
    bottleneck = learning_service.get_or_raise(db_session=db_session, user=user, bottleneck_id=bottleneck_id)
    return _bottleneck_page(request, db_session, user, bottleneck)


def _bottleneck_page(
    request: Request, db_session, user, bottleneck, error: str | None = None, values: dict | None = None
) -> Response:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=bottleneck.case_id)
    return templates.TemplateResponse(
        request,
        "learning/bottleneck_detail.html",
        _row_context(
            user,
            b=learning_service.detail(db_session=db_session, bottleneck=bottleneck),
            can_edit=policy.can_edit(db_session=db_session, user=user, case=case),
            owners=learning_service.possible_owners(db_session=db_session),
            error=error,
            values=values or {},
            card=card_service.for_law(db_session=db_session, law=bottleneck.law),
        ),
        status_code=422 if error else 200,
    )


@router.post("/knelpunten/{bottleneck_id}/register")
@policy.rule(policy.Rule.bottleneck_viewer)
async def update_register_from_form(
    bottleneck_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    """The register form on the bottleneck's page: status with resolution or reason, owner, effect and
    proposal. A refusal shows the page again with the Dutch reason and what was typed; nothing is changed."""
    form = await request.form()
    bottleneck = learning_service.get_or_raise(db_session=db_session, user=user, bottleneck_id=bottleneck_id)
    values = {key: str(value) for key, value in form.items() if key != "csrf_token"}
    try:
        patch = BottleneckPatch.model_validate(
            forms.register_patch(values, manager=policy.can_manage_bottlenecks(user))
        )
        learning_flows.update_bottleneck(db_session=db_session, user=user, bottleneck=bottleneck, patch=patch)
    except ValidationError as exc:
        error = describe_validation_errors(exc.errors(include_url=False))
        return _bottleneck_page(request, db_session, user, bottleneck, error=error, values=values)
    except Invalid as exc:
        return _bottleneck_page(request, db_session, user, bottleneck, error=exc.detail, values=values)
    return RedirectResponse(f"/knelpunten/{bottleneck.id}", status_code=303)


@router.post("/knelpunten/{bottleneck_id}")
@policy.rule(policy.Rule.bottleneck_manager)
async def update_bottleneck_from_form(
    bottleneck_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    """htmx: management sets tags, status and level on one bottleneck; answers with the updated row, or with
    the row as stored and the Dutch reason (422) when the change is refused."""
    form = await request.form()
    bottleneck = learning_service.get_or_raise(db_session=db_session, user=user, bottleneck_id=bottleneck_id)
    error = None
    try:  # the form is parsed here, not by FastAPI: its refusals are a 422 in Dutch like any other
        patch = BottleneckPatch.model_validate(
            {
                "tags": str(form.get("tags", "")).split(","),
                "status": str(form.get("status", "")) or None,
                "level": str(form.get("level", "")) or None,
                "resolution": str(form.get("resolution", "")) or None,
                "reason": str(form.get("reason", "")),
            }
        )
        learning_flows.update_bottleneck(db_session=db_session, user=user, bottleneck=bottleneck, patch=patch)
    except ValidationError as exc:
        error = describe_validation_errors(exc.errors(include_url=False))
    except Invalid as exc:
        error = exc.detail
    item = learning_service.list_item(db_session=db_session, bottleneck=bottleneck)
    return templates.TemplateResponse(
        request,
        "learning/_bottleneck_row.html",
        _row_context(
            user,
            b=item,
            saved=error is None,
            error=error,
            cards=card_service.for_laws(db_session=db_session, laws=[item.law]),
        ),
        status_code=422 if error else 200,
    )
