"""One function per action on rule cards, committed once (cards are not case text: no case event)."""

from sqlmodel import Session

from casebook.accounts.models import User
from casebook.db import transaction
from learning.cards import service as card_service
from learning.cards.models import RuleCard, RuleCardIn, RuleCardPatch


def create_card(*, db_session: Session, user: User, data: RuleCardIn) -> RuleCard:
    with transaction(db_session):
        return card_service.create(db_session=db_session, user=user, data=data)


def update_card(*, db_session: Session, user: User, card: RuleCard, patch: RuleCardPatch) -> RuleCard:
    with transaction(db_session):
        return card_service.update(db_session=db_session, user=user, card=card, patch=patch)
