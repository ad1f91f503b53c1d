"""Notify users and answer what they have not read yet. Functions that write only flush: the flow of the
action that caused the notification commits it together with that action."""

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

from casebook.accounts.models import User
from casebook.cases.models import Case
from casebook.errors import NotFound
from casebook.i18n import gettext
from casebook.notifications.models import Notification, NotificationKind, NotificationRead
from casebook.timeutil import utcnow

#: What each kind says (Dutch, as the interface speaks).
TEXTS = {NotificationKind.feedback: "Terugkoppeling ontvangen op de casus"}
MAX_LISTED = 50


def notify(
    *, db_session: Session, user_ids: Iterable[int], kind: NotificationKind, case_id: int | None
) -> None:
    for user_id in sorted(set(user_ids)):
        db_session.add(Notification(user_id=user_id, kind=kind, case_id=case_id))
    db_session.flush()


def unread_count(*, db_session: Session, user: User) -> int:
    return db_session.exec(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, col(Notification.read_at).is_(None))
    ).one()


def recent(*, db_session: Session, user: User, limit: int = MAX_LISTED) -> list[NotificationRead]:
    """The user's notifications, unread first, newest first (at most `limit`)."""
    query = (
        select(Notification, Case.title)
        .outerjoin(Case, col(Case.id) == Notification.case_id)
        .where(Notification.user_id == user.id)
        .order_by(
            col(Notification.read_at).is_not(None),
            col(Notification.created_at).desc(),
            col(Notification.id).desc(),
        )
        .limit(limit)
    )
    return [
        NotificationRead(
            id=n.id,
            kind=n.kind,
            case_id=n.case_id,
            case_title=title,
            text=TEXTS[n.kind],
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n, title in db_session.exec(query)
    ]


def mark_read(*, db_session: Session, user: User, notification_id: int | None = None) -> int:
    """Mark one notification (or, with None, all) of `user` read; returns how many changed. Someone else's
    notification is not found."""
    query = select(Notification).where(Notification.user_id == user.id, col(Notification.read_at).is_(None))
    if notification_id is not None:
        found = db_session.get(Notification, notification_id)
        if found is None or found.user_id != user.id:
            raise NotFound(gettext("Deze melding bestaat niet."))
        query = query.where(Notification.id == notification_id)
    changed = 0
    for notification in db_session.exec(query).all():
        notification.read_at = utcnow()
        db_session.add(notification)
        changed += 1
    db_session.flush()
    return changed
