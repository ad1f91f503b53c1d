"""Tag routes: the taxonomy (managers), tagging many bottlenecks at once, and tags on a case. JSON under
/api/v1 (`api_router`) and the pages (`router`); both are mounted through learning.views."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from casebook import policy
from casebook.cases import service as case_service
from casebook.cases import tags as tag_service
from casebook.deps import CurrentUser, SessionDep
from casebook.errors import Invalid
from casebook.i18n import gettext
from casebook.params import IdPath
from casebook.templating import templates
from learning.tags import flows as tag_flows
from learning.tags import service as tagging
from learning.tags.models import (
    BulkTagging,
    BulkTaggingResult,
    CaseTags,
    TagCreate,
    TagMerge,
    TagNode,
    TagUpdate,
)

api_router = APIRouter()
router = APIRouter(include_in_schema=False)


# ---- JSON API ----------------------------------------------------------------------------------------


@api_router.get("/tags", response_model=list[TagNode])
@policy.rule(policy.Rule.signed_in)
def list_tags(db_session: SessionDep, user: CurrentUser) -> list[TagNode]:
    """The taxonomy, parents before their sub-labels."""
    return tagging.tree(db_session=db_session)


@api_router.post("/tags", status_code=201, response_model=TagNode)
@policy.rule(policy.Rule.management)
def create_tag(body: TagCreate, db_session: SessionDep, user: CurrentUser) -> TagNode:
    tag = tag_flows.create_tag(db_session=db_session, user=user, name=body.name, parent_id=body.parent_id)
    return tagging.node(db_session=db_session, tag=tag)


@api_router.patch("/tags/{tag_id}", response_model=TagNode)
@policy.rule(policy.Rule.management)
def update_tag(tag_id: IdPath, body: TagUpdate, db_session: SessionDep, user: CurrentUser) -> TagNode:
    """Rename and/or nest (parent_id null: at the top). Nesting under itself or under one of its own sub-labels
    is refused (422): that would make a cycle."""
    tag = tag_flows.update_tag(
        db_session=db_session, user=user, tag_id=tag_id, changes=body.model_dump(exclude_unset=True)
    )
    return tagging.node(db_session=db_session, tag=tag)


@api_router.post("/tags/{tag_id}/merge", response_model=TagNode)
@policy.rule(policy.Rule.management)
def merge_tag(tag_id: IdPath, body: TagMerge, db_session: SessionDep, user: CurrentUser) -> TagNode:
    """Fold this label into `into_id`, which keeps its bottlenecks, cases and sub-labels. Into itself or into
    one of its own sub-labels: 422."""
    tag = tag_flows.merge_tags(db_session=db_session, user=user, tag_id=tag_id, into_id=body.into_id)
    return tagging.node(db_session=db_session, tag=tag)


@api_router.post("/bottlenecks/tagging", response_model=BulkTaggingResult)
@policy.rule(policy.Rule.management)
def tag_many_bottlenecks(body: BulkTagging, db_session: SessionDep, user: CurrentUser) -> BulkTaggingResult:
    """Add and remove labels on many bottlenecks at once (managers; every bottleneck must be in sight)."""
    changed = tag_flows.retag_bottlenecks(
        db_session=db_session, user=user, bottleneck_ids=body.bottleneck_ids, add=body.add, remove=body.remove
    )
    return BulkTaggingResult(bottleneck_ids=sorted(set(body.bottleneck_ids)), changed=changed)


@api_router.put("/cases/{case_id}/tags", response_model=list[str])
@policy.rule(policy.Rule.case_editor)
def set_case_tags(case_id: IdPath, body: CaseTags, db_session: SessionDep, user: CurrentUser) -> list[str]:
    """The case's labels become exactly these (existing labels; only managers add new ones)."""
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    return tag_flows.set_case_tags(db_session=db_session, user=user, case=case, names=body.tags)


# ---- pages -------------------------------------------------------------------------------------------


@router.get("/labels")
@policy.rule(policy.Rule.management)
def taxonomy_page(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    return _taxonomy(request, db_session, user)


def _taxonomy(request: Request, db_session, user, error: str | None = None) -> Response:
    nodes = tagging.tree(db_session=db_session)
    return templates.TemplateResponse(
        request,
        "learning/tags.html",
        {
            "user": user,
            "nodes": nodes,
            "depths": tagging.depths(nodes),
            "error": error,
        },
        status_code=422 if error else 200,
    )


@router.post("/labels")
@policy.rule(policy.Rule.management)
async def create_tag_from_form(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    form = await request.form()
    return _taxonomy_action(
        request,
        db_session,
        user,
        lambda: tag_flows.create_tag(
            db_session=db_session,
            user=user,
            name=str(form.get("name", "")),
            parent_id=_tag_id(form.get("parent_id")),
        ),
    )


@router.post("/labels/{tag_id}")
@policy.rule(policy.Rule.management)
async def update_tag_from_form(
    tag_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    form = await request.form()
    changes: dict[str, int | str | None] = {"parent_id": _tag_id(form.get("parent_id"))}
    if str(form.get("name", "")).strip():
        changes["name"] = str(form.get("name"))
    return _taxonomy_action(
        request,
        db_session,
        user,
        lambda: tag_flows.update_tag(db_session=db_session, user=user, tag_id=tag_id, changes=changes),
    )


@router.post("/labels/{tag_id}/samenvoegen")
@policy.rule(policy.Rule.management)
async def merge_tag_from_form(
    tag_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    form = await request.form()
    into = _tag_id(form.get("into_id"))
    if into is None:
        return _taxonomy(
            request, db_session, user, error=gettext("into: kies het label om mee samen te voegen.")
        )
    return _taxonomy_action(
        request,
        db_session,
        user,
        lambda: tag_flows.merge_tags(db_session=db_session, user=user, tag_id=tag_id, into_id=into),
    )


def _taxonomy_action(request: Request, db_session, user, action) -> Response:
    try:
        action()
    except Invalid as exc:
        return _taxonomy(request, db_session, user, error=exc.detail)
    return RedirectResponse("/labels", status_code=303)


def _tag_id(value) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise Invalid(gettext("Kies een label uit de lijst."))
    return int(text)


@router.get("/cases/{case_id}/labels")
@policy.rule(policy.Rule.case_viewer)
def case_tags_panel(case_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    """htmx panel on the case page: the case's labels and, for its team, the form to change them."""
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    return _case_tags(request, db_session, user, case)


@router.post("/cases/{case_id}/labels")
@policy.rule(policy.Rule.case_editor)
async def set_case_tags_from_form(
    case_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    form = await request.form()
    names = [name for name in str(form.get("tags", "")).split(",") if name.strip()]
    try:
        if len(names) > 20:
            raise Invalid(gettext("tags: hoogstens 20 labels per casus. Er is niets opgeslagen."))
        tag_flows.set_case_tags(db_session=db_session, user=user, case=case, names=names)
    except Invalid as exc:
        return _case_tags(request, db_session, user, case, error=exc.detail, typed=str(form.get("tags", "")))
    if not request.headers.get("hx-request"):
        return RedirectResponse(f"/cases/{case.id}", status_code=303)
    return _case_tags(request, db_session, user, case, saved=True)


def _case_tags(
    request: Request,
    db_session,
    user,
    case,
    error: str | None = None,
    typed: str | None = None,
    saved: bool = False,
) -> Response:
    return templates.TemplateResponse(
        request,
        "learning/_case_tags.html",
        {
            "case_id": case.id,
            "tags": tag_service.case_tag_names(db_session=db_session, case_id=case.id),
            "known": [node.name for node in tagging.tree(db_session=db_session)],
            "error": error,
            "typed": typed,
            "saved": saved,
            "can_edit": policy.can_edit(db_session=db_session, user=user, case=case),
        },
        status_code=422 if error else 200,
    )
