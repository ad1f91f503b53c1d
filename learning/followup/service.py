"""What a coach should follow up: open and overdue agreed actions on the cases they work on."""

from datetime import date

from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts.models import User
from casebook.cases.models import Action, Case
from learning.followup.models import OpenAction

MAX_ACTIONS = 50


def open_actions(
    *, db_session: Session, user: User, today: date, limit: int = MAX_ACTIONS
) -> list[OpenAction]:
    """Actions not done on the cases `user` may see (their team's, those they were invited to; all for who
    oversees all teams): by due date, so the overdue come first, those without a date last; at most `limit`."""
    query = (
        select(Action, Case.title)
        .join(Case, col(Case.id) == Action.case_id)
        .where(col(Action.done).is_(False))
    )
    condition = policy.visible_filter(db_session=db_session, user=user)
    if condition is not None:
        query = query.where(condition)
    query = query.order_by(col(Action.due_date).asc().nulls_last(), col(Action.id)).limit(limit)
    return [
        OpenAction(
            id=a.id,
            case_id=a.case_id,
            case_title=title,
            description=a.description,
            owner_role=a.owner_role,
            due_date=a.due_date,
            session_id=a.session_id,
            overdue=a.due_date is not None and a.due_date < today,
        )
        for a, title in db_session.exec(query)
    ]
