"""Record audit events. `detail` must never carry client text: callers pass ids, field names, counts."""

from sqlmodel import Session

from casebook.audit.models import AuditEvent


def record(*, db_session: Session, actor_id: int | None, action: str, object_type: str,
           object_id: int | None = None, detail: str = "") -> AuditEvent:
    event = AuditEvent(actor_id=actor_id, action=action, object_type=object_type,
                       object_id=object_id, detail=detail[:500])
    db_session.add(event)
    return event
