"""Record audit events. `detail` must never carry client text: callers pass ids, field names, counts."""

from sqlmodel import Session

from casebook.audit.models import AuditEvent


def record(*, db_session: Session, actor_id: int | None, action: str, object_type: str,
           object_id: int | None = None, detail: str = "") -> AuditEvent:
    event = AuditEvent(actor_id=actor_id, action=action, object_type=object_type,
                       object_id=object_id, detail=detail[:500])
    db_session.add(event)
    return event


def record_refusal(*, db_session: Session, actor_id: int | None, action: str, object_type: str,
                   object_id: int | None = None, detail: str = "") -> None:
    """Record a refused access and commit it at once: the refusal is raised next, and the caller's
    transaction is rolled back with it. Callers check access before they write anything, so it never commits
    half of an action. (Outside the flows only login/logout and the CLI's user and token commands commit too.)"""
    record(db_session=db_session, actor_id=actor_id, action=action, object_type=object_type, object_id=object_id,
           detail=detail)
    db_session.commit()
