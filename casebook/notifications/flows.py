"""One function per user action on notifications, committed once."""

from sqlmodel import Session

from casebook.accounts.models import User
from casebook.db import transaction
from casebook.notifications import service as notification_service


def mark_read(*, db_session: Session, user: User, notification_id: int | None = None) -> int:
    with transaction(db_session):
        return notification_service.mark_read(
            db_session=db_session, user=user, notification_id=notification_id
        )
