"""Rule card routes: JSON under /api/v1 (`api_router`) and the pages and panels (`router`), mounted through
learning.views. Everyone signed in reads cards (a coach needs them in the next case); managers write them."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from casebook import policy
from casebook.cases import service as case_service
from casebook.deps import CurrentUser, SessionDep
from casebook.errors import Invalid, NotFound
from casebook.i18n import gettext
from casebook.params import IdPath
from casebook.templating import templates
from casebook.validation import describe_validation_errors
from learning.aggregates import flows as aggregate_flows
from learning.cards import flows as card_flows
from learning.cards import service as card_service
from learning.cards.models import RuleCardIn, RuleCardPatch, RuleCardRead
from learning.recurrence import service as recurrence_service

api_router = APIRouter()
router = APIRouter(include_in_schema=False)
LawQuery = Annotated[str, Query(min_length=1, max_length=200)]


# ---- JSON API ----------------------------------------------------------------------------------------


@api_router.get("/rule-cards", response_model=list[RuleCardRead])
@policy.rule(policy.Rule.signed_in)
def list_cards(db_session: SessionDep, user: CurrentUser) -> list[RuleCardRead]:
    return [
        RuleCardRead.model_validate(c, from_attributes=True)
        for c in card_service.all_cards(db_session=db_session)
    ]


@api_router.get("/rule-cards/lookup", response_model=RuleCardRead, responses={404: {}})
@policy.rule(policy.Rule.signed_in)
def lookup_card(law: LawQuery, db_session: SessionDep, user: CurrentUser) -> RuleCardRead:
    """The card of the rule a bottleneck names, however it is written ("participatiewet  art 34" finds
    "Participatiewet art. 34"); 404 when the rule has no card yet."""
    card = card_service.for_law(db_session=db_session, law=law)
    if card is None:
        raise NotFound(gettext("Voor deze regel is nog geen regelkaart."))
    return RuleCardRead.model_validate(card, from_attributes=True)


@api_router.post("/rule-cards", status_code=201, response_model=RuleCardRead)
@policy.rule(policy.Rule.management)
def create_card(body: RuleCardIn, db_session: SessionDep, user: CurrentUser) -> RuleCardRead:
    card = card_flows.create_card(db_session=db_session, user=user, data=body)
    return RuleCardRead.model_validate(card, from_attributes=True)


@api_router.patch("/rule-cards/{card_id}", response_model=RuleCardRead)
@policy.rule(policy.Rule.management)
def update_card(
    card_id: IdPath, body: RuleCardPatch, db_session: SessionDep, user: CurrentUser
) -> RuleCardRead:
    card = card_service.get_or_raise(db_session=db_session, card_id=card_id)
    card = card_flows.update_card(db_session=db_session, user=user, card=card, patch=body)
    return RuleCardRead.model_validate(card, from_attributes=True)


# ---- pages and panels ------------------------------------------------------------------------------------


@router.get("/regelkaarten")
@policy.rule(policy.Rule.signed_in)
def cards_page(
    request: Request, db_session: SessionDep, user: CurrentUser, law: str | None = None
) -> Response:
    return _cards_page(request, db_session, user, values={"law": (law or "")[:200]})


def _cards_page(request: Request, db_session, user, *, values: dict, error: str | None = None) -> Response:
    cards = card_service.all_cards(db_session=db_session)
    carded = {card.law_key for card in cards}
    aggregate_flows.bring_up_to_date(db_session=db_session)
    missing = [
        r
        for r in recurrence_service.recurring(db_session=db_session, user=user, per_page=50)[0]
        if card_service.rule_key(r.law) not in carded
    ]
    return templates.TemplateResponse(
        request,
        "learning/rule_cards.html",
        {
            "user": user,
            "cards": cards,
            "missing": missing,
            "values": values,
            "error": error,
            "can_manage": policy.can_manage_bottlenecks(user),
        },
        status_code=422 if error else 200,
    )


@router.post("/regelkaarten")
@policy.rule(policy.Rule.management)
async def create_card_from_form(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    values = _form_values(await request.form())
    try:
        card = card_flows.create_card(
            db_session=db_session,
            user=user,
            data=RuleCardIn.model_validate({**values, "level": values.get("level") or None}),
        )
    except ValidationError as exc:
        return _cards_page(
            request,
            db_session,
            user,
            values=values,
            error=describe_validation_errors(exc.errors(include_url=False)),
        )
    except Invalid as exc:
        return _cards_page(request, db_session, user, values=values, error=exc.detail)
    return RedirectResponse(f"/regelkaarten/{card.id}", status_code=303)


@router.get("/regelkaarten/zoek")
@policy.rule(policy.Rule.signed_in)
def card_for_law_panel(
    request: Request, db_session: SessionDep, user: CurrentUser, law: str = ""
) -> Response:
    """htmx: the card of the rule typed in a flag form (the room's), or nothing when it has none."""
    card = card_service.for_law(db_session=db_session, law=law[:200]) if law.strip() else None
    return templates.TemplateResponse(request, "learning/_rule_card.html", {"card": card, "compact": True})


@router.get("/regelkaarten/{card_id}")
@policy.rule(policy.Rule.signed_in)
def card_page(card_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    card = card_service.get_or_raise(db_session=db_session, card_id=card_id)
    return _card_page(request, user, card)


def _card_page(
    request: Request, user, card, *, values: dict | None = None, error: str | None = None
) -> Response:
    return templates.TemplateResponse(
        request,
        "learning/rule_card.html",
        {
            "user": user,
            "card": card,
            "values": values or {},
            "error": error,
            "can_manage": policy.can_manage_bottlenecks(user),
        },
        status_code=422 if error else 200,
    )


@router.post("/regelkaarten/{card_id}")
@policy.rule(policy.Rule.management)
async def update_card_from_form(
    card_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    card = card_service.get_or_raise(db_session=db_session, card_id=card_id)
    values = _form_values(await request.form())
    try:
        patch = RuleCardPatch.model_validate(
            {key: values.get(key, "") for key in card_service.TEXT_FIELDS}
            | {"level": values.get("level") or None}
        )
        card_flows.update_card(db_session=db_session, user=user, card=card, patch=patch)
    except ValidationError as exc:
        return _card_page(
            request,
            user,
            card,
            values=values,
            error=describe_validation_errors(exc.errors(include_url=False)),
        )
    return RedirectResponse(f"/regelkaarten/{card.id}", status_code=303)


@router.get("/cases/{case_id}/regelkaarten")
@policy.rule(policy.Rule.case_viewer)
def case_cards_panel(
    case_id: IdPath, request: Request, db_session: SessionDep, user: CurrentUser
) -> Response:
    """htmx panel on the case page: the cards of the rules its bottlenecks name."""
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    laws = [b.law for b in case_service.to_read(db_session=db_session, case=case).bottlenecks]
    cards = {card.id: card for card in card_service.for_laws(db_session=db_session, laws=laws).values()}
    return templates.TemplateResponse(
        request, "learning/_case_rule_cards.html", {"cards": list(cards.values())}
    )


def _form_values(form) -> dict[str, str]:
    return {key: str(value) for key, value in form.items() if key != "csrf_token" and isinstance(value, str)}
