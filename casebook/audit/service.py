"""Record and read the audit trail. `detail` never carries client text nor a search query: callers pass ids,
field names and counts. Rows are only ever added (no update or delete path here; the database refuses both)."""

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import ColumnElement, String, and_, func, true, type_coerce
from sqlmodel import Session, col, select

from casebook.accounts.models import User
from casebook.audit.models import AuditEvent, AuditFilter, AuditRow

CSV_HEADER = ("id", "tijdstip_utc", "gebruiker", "handeling", "objecttype", "object_id", "details")
CSV_BATCH = 5_000
MAX_ACTIONS_LISTED = 200


def record(
    *,
    db_session: Session,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int | None = None,
    detail: str = "",
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor_id, action=action, object_type=object_type, object_id=object_id, detail=detail[:500]
    )
    db_session.add(event)
    return event


def record_access(
    *,
    db_session: Session,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int | None = None,
    detail: str = "",
) -> None:
    """Record that something was read (viewed, searched, exported) and commit it at once: a read writes
    nothing else, so there is no action of the caller's to wait for."""
    record(
        db_session=db_session,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
    db_session.commit()


def record_refusal(
    *,
    db_session: Session,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int | None = None,
    detail: str = "",
) -> None:
    """Record a refused access and commit it at once: the refusal is raised next, and the caller's
    transaction is rolled back with it. Callers check access before they write anything, so it never commits
    half of an action. (Outside the flows only login/logout and the CLI's user and token commands commit too.)"""
    record_access(
        db_session=db_session,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )


# ---- reading -----------------------------------------------------------------------------------


def _conditions(db_session: Session, filters: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.username:
        actor = db_session.exec(select(User.id).where(User.username == filters.username)).first()
        conditions.append(col(AuditEvent.actor_id) == (actor if actor is not None else -1))
    if filters.action:
        conditions.append(col(AuditEvent.action) == filters.action)
    if filters.since:
        conditions.append(col(AuditEvent.at) >= datetime.combine(filters.since, time.min, UTC))
    if filters.until:
        conditions.append(
            col(AuditEvent.at) < datetime.combine(filters.until + timedelta(days=1), time.min, UTC)
        )
    return conditions


def _rows_query(conditions: list[ColumnElement[bool]], raw_time: bool = False):
    """The events' columns; `raw_time`: the time as the driver gives it, without per-row conversion."""
    at = type_coerce(AuditEvent.at, String) if raw_time else AuditEvent.at
    return (
        select(
            AuditEvent.id,
            at,
            User.username,
            AuditEvent.action,
            AuditEvent.object_type,
            AuditEvent.object_id,
            AuditEvent.detail,
        )
        .join(User, User.id == AuditEvent.actor_id, isouter=True)
        .where(and_(true(), *conditions))
    )


def page(
    *, db_session: Session, filters: AuditFilter, page: int, per_page: int
) -> tuple[list[AuditRow], int]:
    """One page of events, newest first, and how many match in all."""
    conditions = _conditions(db_session, filters)
    total = db_session.exec(
        select(func.count()).select_from(AuditEvent).where(and_(true(), *conditions))
    ).one()
    query = (
        _rows_query(conditions)
        .order_by(col(AuditEvent.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return [AuditRow(*row) for row in db_session.exec(query)], total


def actions(*, db_session: Session) -> list[str]:
    """The actions recorded so far (for the filter), alphabetically."""
    query = select(AuditEvent.action).distinct().order_by(AuditEvent.action).limit(MAX_ACTIONS_LISTED)
    return list(db_session.exec(query))


def csv_chunks(*, db_session: Session, filters: AuditFilter) -> Iterator[str]:
    """The matching events as CSV (header first, oldest first), in chunks of CSV_BATCH rows read by id
    ranges, so any number of events streams in constant memory."""
    conditions = _conditions(db_session, filters)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    after = 0
    while True:
        query = (
            _rows_query([*conditions, col(AuditEvent.id) > after], raw_time=True)
            .order_by(AuditEvent.id)
            .limit(CSV_BATCH)
        )
        rows = db_session.connection().execute(query).all()  # Core rows: a fifth of the ORM's cost per row
        # str(...)[:19]: "YYYY-MM-DD HH:MM:SS" from SQLite's stored text and from PostgreSQL's datetime alike
        writer.writerows(
            (r[0], str(r[1])[:19], r[2] or "", r[3], r[4], "" if r[5] is None else r[5], r[6]) for r in rows
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(rows) < CSV_BATCH:
            return
        after = rows[-1][0]
