"""Rule cards: find the card of a rule however a bottleneck typed it, and let management write them. Texts
are anonymised before they are stored; functions that write only flush (learning/cards/flows.py commits)."""

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts.models import User
from casebook.anonymise import service as anonymise_service
from casebook.audit import service as audit_service
from casebook.errors import Invalid, NotFound
from casebook.i18n import N_, gettext
from casebook.settings import settings_for
from casebook.timeutil import utcnow
from learning.cards.models import RuleCard, RuleCardIn, RuleCardPatch
from learning.recurrence import citation

TEXT_FIELDS = ("says", "who_can_change", "room_to_deviate")
MAX_CARDS = 2000  # listed on one page; far more rules than a municipality's bottlenecks name


def rule_key(law: str) -> str:
    """The card's key: the laws and articles the rule names, normalised as recurrence reads them, so
    "Participatiewet art. 34 (vermogenstoets)" and "participatiewet  art 34 vermogenstoets" share a card."""
    return " ".join(citation.law_keys(law))[:200]


def get_or_raise(*, db_session: Session, card_id: int) -> RuleCard:
    card = db_session.get(RuleCard, card_id)
    if card is None:
        raise NotFound(gettext("Deze regelkaart bestaat niet."))
    return card


def for_law(*, db_session: Session, law: str) -> RuleCard | None:
    key = rule_key(law)
    return db_session.exec(select(RuleCard).where(RuleCard.law_key == key)).first() if key else None


def for_laws(*, db_session: Session, laws: Iterable[str]) -> dict[str, RuleCard]:
    """The cards of these rules, by rule as given (rules without a card are left out)."""
    keys = {law: rule_key(law) for law in laws}
    cards = {
        card.law_key: card
        for card in db_session.exec(select(RuleCard).where(col(RuleCard.law_key).in_(set(keys.values()))))
    }
    return {law: cards[key] for law, key in keys.items() if key in cards}


def all_cards(*, db_session: Session) -> list[RuleCard]:
    return list(db_session.exec(select(RuleCard).order_by(RuleCard.law_key).limit(MAX_CARDS)))


def _require_manager(user: User) -> None:
    policy.require_management(user, doing=N_("schrijven regelkaarten"))


def create(*, db_session: Session, user: User, data: RuleCardIn) -> RuleCard:
    _require_manager(user)
    law = _anonymised(db_session, data.law)
    if for_law(db_session=db_session, law=law) is not None:
        raise Invalid(
            gettext("law: voor deze regel bestaat al een regelkaart; pas die aan. Er is niets opgeslagen.")
        )
    if not rule_key(law):
        raise Invalid(gettext("law: noem de wet of regel. Er is niets opgeslagen."))
    texts: dict[str, Any] = {field: _anonymised(db_session, getattr(data, field)) for field in TEXT_FIELDS}
    card = RuleCard(law=law, law_key=rule_key(law), level=data.level, updated_by_id=user.id, **texts)
    db_session.add(card)
    db_session.flush()
    _audit(db_session, user, "rule_card.create", card.id)
    return card


def update(*, db_session: Session, user: User, card: RuleCard, patch: RuleCardPatch) -> RuleCard:
    _require_manager(user)
    for field, value in patch.model_dump(exclude_unset=True).items():
        setattr(card, field, _anonymised(db_session, value) if field in TEXT_FIELDS else value)
    card.updated_by_id, card.updated_at = user.id, utcnow()
    db_session.add(card)
    _audit(db_session, user, "rule_card.update", card.id)
    db_session.flush()
    return card


def _anonymised(db_session: Session, text: str | None) -> str:
    """Card text is about a rule, not a person; any identifier typed in it is masked all the same."""
    if not text:
        return ""
    anonymise_service.check_text_size(text, settings_for(db_session).max_text_bytes)
    return anonymise_service.anonymise_text(text).text


def _audit(db_session: Session, user: User, action: str, card_id: int | None) -> None:
    audit_service.record(
        db_session=db_session, actor_id=user.id, action=action, object_type="rule_card", object_id=card_id
    )
