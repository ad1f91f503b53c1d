"""Case routes: the JSON API (`api_router`, mounted under /api/v1) and the HTML pages (`router`)."""

from typing import cast

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import Field, ValidationError

from casebook import policy
from casebook.accounts import service as account_service
from casebook.anonymise import service as anonymise_service
from casebook.anonymise.roster import MAX_ROSTER_NAME_CHARS, MAX_ROSTER_NAMES, check_roster
from casebook.audit import service as audit_service
from casebook.cases import flows as case_flows
from casebook.cases import forms
from casebook.cases import service as case_service
from casebook.cases.domains import UnknownDomain, normalise_domain
from casebook.cases.models import (
    Case,
    CaseIn,
    CasePage,
    CaseRead,
    CaseStatus,
    CaseUpdate,
    FeedbackIn,
    FeedbackRead,
)
from casebook.deps import CurrentUser, SessionDep
from casebook.errors import Invalid
from casebook.i18n import gettext
from casebook.params import IdPath, PageQuery, PerPageQuery
from casebook.templating import templates
from casebook.validation import describe_validation_errors

api_router = APIRouter()
router = APIRouter(include_in_schema=False)


ROSTER_DESCRIPTION = (
    f"Names to mask; used for this request only, never stored. At most {MAX_ROSTER_NAMES} names "
    f"of at most {MAX_ROSTER_NAME_CHARS} characters each (else 422)."
)


class CaseCreateRequest(CaseIn):
    roster: list[str] = Field(default=[], description=ROSTER_DESCRIPTION)


class CaseUpdateRequest(CaseUpdate):
    roster: list[str] = Field(default=[], description=ROSTER_DESCRIPTION)


def _audit_view(db_session, user, case: Case) -> None:
    audit_service.record_access(
        db_session=db_session, actor_id=user.id, action="case.view", object_type="case", object_id=case.id
    )


def _domain_filter(domain: str | None) -> str | None:
    if not domain:
        return None
    try:
        return normalise_domain(domain)
    except UnknownDomain as exc:
        raise Invalid(gettext("domain: onbekend leefgebied %(domain)r.") % {"domain": exc.value}) from exc


# ---- JSON API --------------------------------------------------------------------------------


@api_router.post("/cases", status_code=201, response_model=CaseRead)
@policy.rule(policy.Rule.case_creator)
def create_case(body: CaseCreateRequest, db_session: SessionDep, user: CurrentUser) -> CaseRead:
    roster = check_roster(body.roster, field="roster")
    data = CaseIn.model_validate(body.model_dump(exclude={"roster"}))
    case = case_flows.create_case(db_session=db_session, user=user, data=data, roster=roster)
    return case_service.to_read(db_session=db_session, case=case)


@api_router.get("/cases", response_model=CasePage)
@policy.rule(policy.Rule.signed_in)
def list_cases(
    db_session: SessionDep,
    user: CurrentUser,
    page: PageQuery = 1,
    per_page: PerPageQuery = 20,
    team: str | None = None,
    domain: str | None = None,
    status: CaseStatus | None = None,
    has_bottleneck: bool | None = None,
) -> CasePage:
    items, total = case_service.list_cases(
        db_session=db_session,
        user=user,
        page=page,
        per_page=per_page,
        team=team,
        domain=_domain_filter(domain),
        status=status,
        has_bottleneck=has_bottleneck,
    )
    return CasePage(
        items=case_service.summaries(db_session=db_session, cases=items),
        total=total,
        page=page,
        per_page=per_page,
    )


@api_router.get("/cases/{case_id}", response_model=CaseRead)
@policy.rule(policy.Rule.case_viewer)
def read_case(case_id: IdPath, db_session: SessionDep, user: CurrentUser) -> CaseRead:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    _audit_view(db_session, user, case)
    return case_service.to_read(db_session=db_session, case=case)


@api_router.patch("/cases/{case_id}", response_model=CaseRead)
@policy.rule(policy.Rule.case_editor)
def update_case(
    case_id: IdPath, body: CaseUpdateRequest, db_session: SessionDep, user: CurrentUser
) -> CaseRead:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    roster = check_roster(body.roster, field="roster")
    data = CaseUpdate.model_validate(body.model_dump(exclude={"roster"}, exclude_unset=True))
    case = case_flows.update_case(db_session=db_session, user=user, case=case, data=data, roster=roster)
    return case_service.to_read(db_session=db_session, case=case)


@api_router.delete("/cases/{case_id}", status_code=204)
@policy.rule(policy.Rule.case_editor)
def delete_case(case_id: IdPath, db_session: SessionDep, user: CurrentUser) -> Response:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    case_flows.delete_case(db_session=db_session, user=user, case=case)
    return Response(status_code=204)


@api_router.post("/cases/{case_id}/feedback", status_code=201, response_model=FeedbackRead)
@policy.rule(policy.Rule.case_viewer)
def give_feedback(
    case_id: IdPath, body: FeedbackIn, db_session: SessionDep, user: CurrentUser
) -> FeedbackRead:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    feedback = case_flows.give_feedback(db_session=db_session, user=user, case=case, data=body)
    return case_service.feedback_reads(db_session=db_session, feedback=[feedback])[0]


# ---- HTML pages ------------------------------------------------------------------------------

PER_PAGE = 20


@router.get("/cases")
@policy.rule(policy.Rule.signed_in)
def case_list_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    page: PageQuery = 1,
    team: str | None = None,
    domain: str | None = None,
    status: str | None = None,
    bottleneck: str | None = None,
    q: str | None = None,
) -> Response:
    filters = {
        "team": team or "",
        "domain": domain or "",
        "status": status or "",
        "bottleneck": bottleneck or "",
        "q": q or "",
    }
    items, total = case_service.list_cases(
        db_session=db_session,
        user=user,
        page=max(page, 1),
        per_page=PER_PAGE,
        team=team or None,
        domain=_domain_filter(domain),
        status=CaseStatus(status) if status and status in CaseStatus.__members__ else None,
        has_bottleneck={"ja": True, "nee": False}.get(bottleneck or ""),
        text=q or None,
    )
    context = {
        "user": user,
        "cases": case_service.summaries(db_session=db_session, cases=items),
        "total": total,
        "page": max(page, 1),
        "pages": max(1, -(-total // PER_PAGE)),
        "filters": filters,
        "teams": _visible_teams(db_session, user),
        "can_create": policy.can_create_cases(user),
    }
    template = "casebook/_case_rows.html" if request.headers.get("hx-request") else "casebook/case_list.html"
    return templates.TemplateResponse(request, template, context)


def _visible_teams(db_session, user) -> list[str]:
    if account_service.oversees_all_teams(db_session=db_session, user=user):
        return [team.name for team in account_service.list_teams(db_session=db_session)]
    return account_service.team_names(db_session=db_session, user=user)


@router.get("/cases/new")
@policy.rule(policy.Rule.case_creator)
def new_case_page(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    return _render_form(request, db_session, user, values={}, errors={})


@router.post("/cases/new")
@policy.rule(policy.Rule.case_creator)
async def create_case_from_form(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    return await _submit_case_form(request, db_session, user, case=None)


@router.post("/cases/validate")
@policy.rule(policy.Rule.signed_in)
async def validate_field(request: Request, user: CurrentUser) -> Response:
    """htmx: validate the whole form as the user types; answer with the message for one field."""
    values = _form_values(await request.form())
    field = request.headers.get("hx-trigger-name") or request.query_params.get("field", "")
    _, errors = forms.validate(values, creating="team" in values)
    return templates.TemplateResponse(
        request, "casebook/_field_error.html", {"field": field, "error": errors.get(field)}
    )


@router.get("/cases/{case_id}")
@policy.rule(policy.Rule.case_viewer)
def case_page(case_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    _audit_view(db_session, user, case)
    return templates.TemplateResponse(
        request,
        "casebook/case_detail.html",
        {
            "user": user,
            "case": case_service.to_read(db_session=db_session, case=case),
            "can_edit": policy.can_edit(db_session=db_session, user=user, case=case),
        },
    )


@router.get("/cases/{case_id}/edit")
@policy.rule(policy.Rule.case_editor)
def edit_case_page(case_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    values = forms.values_from_case(case_service.to_read(db_session=db_session, case=case))
    return _render_form(request, db_session, user, values=values, errors={}, case_id=case.id)


@router.post("/cases/{case_id}/edit")
@policy.rule(policy.Rule.case_editor)
async def update_case_from_form(
    case_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    return await _submit_case_form(request, db_session, user, case=case)


async def _submit_case_form(request: Request, db_session, user, *, case: Case | None) -> Response:
    """The form is saved in two steps: first the human check shows every text as it will be stored,
    with each masked span highlighted; the coach may unmask a false positive or mask an extra word,
    and only then saves (step=save)."""
    form = await request.form()
    values = _form_values(form)
    keep = [word for word in form.getlist("keep") if isinstance(word, str)]
    case_id = case.id if case else None
    data, errors = forms.validate(values, creating=case is None)
    try:
        roster = check_roster(forms.roster_of(values))
    except Invalid as exc:
        data, errors = None, {**errors, "roster": exc.detail}
    if data is None or values.get("step") == "edit":
        return _render_form(
            request,
            db_session,
            user,
            values=values,
            errors=errors,
            case_id=case_id,
            status_code=422 if errors else 200,
        )
    refused = anonymise_service.refused_unmasks(keep, roster)
    if values.get("step") == "save" and not refused:
        if case is None:  # the form reads a new case as CaseIn, an edit as CaseUpdate
            case = case_flows.create_case(
                db_session=db_session, user=user, data=cast(CaseIn, data), roster=roster, keep=keep
            )
        else:
            case_flows.update_case(
                db_session=db_session,
                user=user,
                case=case,
                data=cast(CaseUpdate, data),
                roster=roster,
                keep=keep,
            )
        return RedirectResponse(f"/cases/{case.id}", status_code=303)
    reviewed = case_service.review(
        db_session=db_session, user=user, data=data, case=case, roster=roster, keep=keep
    )
    return templates.TemplateResponse(
        request,
        "casebook/case_review.html",
        {
            "user": user,
            "values": values,
            "reviewed": reviewed,
            "keep": set(keep),
            "refused": refused,
            "case_id": case_id,
            "masked": _masked_words(reviewed, keep),
            "unmaskable": anonymise_service.UNMASKABLE_LABELS,
            "field_label": forms.field_label,
        },
        status_code=422 if refused else 200,
    )


def _masked_words(reviewed, keep: list[str]) -> list[tuple[str, str, str]]:
    """Distinct masked surfaces as (original, placeholder, label), plus words already unmasked."""
    seen: dict[str, tuple[str, str, str]] = {}
    for item in reviewed:
        for entity in item.result.entities:
            word = item.original[entity.start : entity.end]
            seen.setdefault(word.casefold(), (word, entity.replacement, entity.label))
    for word in keep:
        seen.setdefault(word.casefold(), (word, "", ""))
    return sorted(seen.values(), key=lambda item: item[1] or "~")


@router.post("/cases/{case_id}/delete")
@policy.rule(policy.Rule.case_editor)
def delete_case_from_form(case_id: IdPath, db_session: SessionDep, user: CurrentUser) -> Response:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    case_flows.delete_case(db_session=db_session, user=user, case=case)
    return RedirectResponse("/cases", status_code=303)


@router.post("/cases/{case_id}/feedback")
@policy.rule(policy.Rule.case_viewer)
async def feedback_from_form(
    case_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    values = _form_values(await request.form())
    error = None
    if values.get("text", "").strip():
        try:
            case_flows.give_feedback(db_session=db_session, user=user, case=case, data=_feedback_of(values))
        except ValidationError as exc:
            error = describe_validation_errors(exc.errors(include_url=False))
        except Invalid as exc:
            error = exc.detail
    else:
        error = gettext("Schrijf eerst wat uw terugkoppeling is.")
    if not request.headers.get("hx-request"):
        return RedirectResponse(f"/cases/{case.id}#terugkoppeling", status_code=303)
    read = case_service.to_read(db_session=db_session, case=case)
    return templates.TemplateResponse(
        request,
        "casebook/_feedback.html",
        {"case": read, "error": error, "values": values if error else {}},
        status_code=422 if error else 200,
    )


def _feedback_of(values: dict[str, str]) -> FeedbackIn:
    """The feedback form: text, what worked and what did not, whether the plan worked, a ZRM score after
    per life domain of the case (fields `score-<domain>`)."""
    scores = [
        {"domain": key.removeprefix("score-"), "score_after": value}
        for key, value in values.items()
        if key.startswith("score-") and value
    ]
    return FeedbackIn.model_validate(
        {
            "text": values["text"],
            "plan_worked": {"ja": True, "nee": False}.get(values.get("plan_worked", "")),
            "what_worked": values.get("what_worked", ""),
            "what_did_not": values.get("what_did_not", ""),
            "scores_after": scores,
        }
    )


def _form_values(form) -> dict[str, str]:
    return {
        key: value
        for key, value in form.items()
        if isinstance(value, str) and key not in ("csrf_token", "keep")
    }


def _render_form(
    request: Request,
    db_session,
    user,
    *,
    values: dict,
    errors: dict,
    case_id: int | None = None,
    status_code: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request,
        "casebook/case_form.html",
        {
            "user": user,
            "values": values,
            "errors": errors,
            "case_id": case_id,
            "teams": _visible_teams(db_session, user),
            "row_counts": {g: forms.row_count(values, g) for g in forms.ROWS},
        },
        status_code=status_code,
    )
