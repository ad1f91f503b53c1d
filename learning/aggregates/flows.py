"""Bringing the learning figures up to date before they are read: new bottlenecks placed in their clusters
(which marks their cells), then the stale cells recomputed, each step committed."""

from sqlmodel import Session

from casebook.db import transaction
from learning.aggregates import service as aggregate_service
from learning.recurrence import flows as recurrence_flows


def refresh(*, db_session: Session) -> int:
    """Recompute the stale cells; returns how many (0 when nothing changed: nothing is written)."""
    with transaction(db_session):
        return aggregate_service.refresh(db_session=db_session)


def bring_up_to_date(*, db_session: Session) -> int:
    """What a page of figures calls first: place unplaced bottlenecks, then `refresh`."""
    recurrence_flows.bring_in_step(db_session=db_session)
    return refresh(db_session=db_session)
