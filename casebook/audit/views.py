"""The audit trail for administrators (HTML): read it filtered by user, action and period, page by page, and
export the same selection as CSV. Both are audited themselves."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import Session

from casebook import policy
from casebook.audit import service as audit_service
from casebook.audit.models import AuditFilter
from casebook.deps import CurrentUser, SessionDep
from casebook.errors import Invalid
from casebook.i18n import gettext
from casebook.params import PageQuery
from casebook.templating import templates

router = APIRouter(include_in_schema=False)
PER_PAGE = 50


def _filters(username: str | None, action: str | None, since: str | None, until: str | None) -> AuditFilter:
    return AuditFilter(
        username=(username or "").strip() or None,
        action=(action or "").strip() or None,
        since=_date(since, "vanaf"),
        until=_date(until, "tot en met"),
    )


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(
            gettext("%(field)s: ongeldige datum %(value)r (JJJJ-MM-DD).")
            % {"field": name, "value": value[:20]}
        ) from None


def _described(filters: AuditFilter) -> str:
    """The filter as audit detail: usernames, action names and dates only (no free text is ever filtered on)."""
    parts = {
        "gebruiker": filters.username,
        "handeling": filters.action,
        "vanaf": filters.since,
        "tot": filters.until,
    }
    return ",".join(f"{k}={v}" for k, v in parts.items() if v)


@router.get("/beheer/audit")
@policy.rule(policy.Rule.admin)
def audit_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    page: PageQuery = 1,
    username: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Response:
    filters = _filters(username, action, since, until)
    rows, total = audit_service.page(db_session=db_session, filters=filters, page=page, per_page=PER_PAGE)
    audit_service.record_access(
        db_session=db_session,
        actor_id=user.id,
        action="audit.view",
        object_type="audit",
        detail=_described(filters),
    )
    return templates.TemplateResponse(
        request,
        "casebook/audit.html",
        {
            "user": user,
            "rows": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PER_PAGE)),
            "filters": filters,
            "actions": audit_service.actions(db_session=db_session),
            "query": {
                "username": filters.username or "",
                "action": filters.action or "",
                "since": since or "",
                "until": until or "",
            },
        },
    )


@router.get("/beheer/audit.csv")
@policy.rule(policy.Rule.admin)
def audit_export(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    username: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Response:
    filters = _filters(username, action, since, until)
    audit_service.record_access(
        db_session=db_session,
        actor_id=user.id,
        action="audit.export",
        object_type="audit",
        detail=_described(filters),
    )
    engine = request.app.state.engine

    def chunks():
        with Session(engine) as streaming:  # its own session: the request's closes before the body is sent
            yield from audit_service.csv_chunks(db_session=streaming, filters=filters)

    filename = f"audit-{date.today().isoformat()}.csv"
    return StreamingResponse(
        chunks(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
