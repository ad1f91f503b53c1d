"""The draft casebook entry of a discussion: what the room decided (domains, bottlenecks, agreements, read
from the stream), the extractive summary written when it closes, and publishing the reviewed entry onto the
case. Plain functions taking a database Session; those that write only flush (chat/flows.py commits)."""

import json
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, col

from casebook import policy
from casebook.accounts.models import User
from casebook.audit import service as audit_service
from casebook.cases import service as case_service
from casebook.cases.models import Case, CaseUpdate, LifeDomainIn
from casebook.errors import CasebookError, Forbidden, Invalid
from casebook.labels import KIND_LABELS, ROLE_LABELS
from casebook.timeutil import as_utc, utcnow
from chat import methods
from chat.discussions import anonymiser as discussion_anonymiser
from chat.discussions import service as discussion_service
from chat.discussions.models import DiscussionSession, SessionStatus
from chat.draft.models import DraftRead
from chat.stream import service as stream_service
from chat.stream.models import EventKind


def _data_of(db_session: Session, session_id: int, kind: EventKind) -> list[dict]:
    """The structured fields of the stream's visible events of `kind`, in order."""
    events = stream_service.visible_events(db_session=db_session, session_id=session_id, kinds=[kind])
    return [json.loads(event.data) for event in events]


def draft(*, db_session: Session, discussion: DiscussionSession) -> DraftRead:
    domains = list(
        dict.fromkeys(data["domain"] for data in _data_of(db_session, discussion.id, EventKind.domain))
    )
    return DraftRead(
        session_id=discussion.id,
        summary=discussion.summary,
        domains=domains,
        bottlenecks=_data_of(db_session, discussion.id, EventKind.bottleneck),
        agreements=_data_of(db_session, discussion.id, EventKind.agreement),
        published=discussion.published_at is not None,
    )


def draft_summary(
    *, db_session: Session, discussion: DiscussionSession, methods_dir: Path | None = None
) -> str:
    """An extractive draft built from the (already anonymised) stream: phases, domains, bottlenecks,
    agreements and the longest contribution per phase. The coach edits it before publishing."""
    method = methods.get(discussion.method, methods_dir)
    current = draft(db_session=db_session, discussion=discussion)
    roles = sorted(
        {
            ROLE_LABELS[p.role]
            for p in discussion_service.participants(db_session=db_session, discussion=discussion)
        }
    )
    lines = [
        f"Casusoverleg van {utcnow():%d-%m-%Y} volgens {method.name if method else discussion.method}.",
        f"Deelnemers: {', '.join(roles)}.",
    ]
    for phase_name, text in key_contributions(db_session=db_session, session_id=discussion.id):
        lines.append(f"- {phase_name}: {text}")
    if current.domains:
        lines.append(f"Besproken leefgebieden: {', '.join(current.domains)}.")
    for b in current.bottlenecks:
        lines.append(
            f"Knelpunt: {b['law']} ({KIND_LABELS.get(b['kind'], b['kind'])}){': ' + b['description'] if b['description'] else ''}"
        )
    for a in current.agreements:
        due = f", vóór {a['due_date']}" if a.get("due_date") else ""
        lines.append(
            f"Afspraak: {a['description']} (eigenaar: {ROLE_LABELS.get(a['owner_role'], a['owner_role'])}{due})"
        )
    return "\n".join(lines)


def key_contributions(*, db_session: Session, session_id: int) -> list[tuple[str, str]]:
    """(phase name, the longest participant's message in it) per phase, in order; the assistant's own
    messages are no contributions."""
    stream = stream_service.visible_events(
        db_session=db_session,
        session_id=session_id,
        kinds=[EventKind.phase, EventKind.message],
        participants_only=True,
    )
    longest: dict[str, str] = {}
    phase = "Voor de eerste fase"
    for message in stream:
        if message.kind == EventKind.phase:
            phase = message.text
        elif len(message.text) > len(longest.get(phase, "")):
            longest[phase] = " ".join(message.text.split())[:400]
    return list(longest.items())


class AlreadyPublished(CasebookError):
    """A published casebook entry is final: publishing again conflicts with it (409)."""

    status_code = 409


def _already_published(discussion: DiscussionSession) -> str:
    when = f" op {as_utc(discussion.published_at):%d-%m-%Y}" if discussion.published_at else ""
    return (
        f"Dit verslag is al gepubliceerd{when} en kan niet meer worden overschreven. Er is niets gewijzigd."
    )


def publish(
    *, db_session: Session, discussion: DiscussionSession, user: User, summary: str | None = None
) -> DiscussionSession:
    """The coach publishes the reviewed entry onto the case: the summary is kept with the discussion (shown on
    the case). The flow then marks the life domains discussed as addressed (`mark_domains_addressed`)."""
    case = db_session.get_one(Case, discussion.case_id)
    if discussion.status != SessionStatus.closed:
        raise Invalid("Sluit het casusoverleg eerst; daarna kunt u het verslag publiceren.")
    if not discussion_service.can_manage(db_session=db_session, discussion=discussion, user=user, case=case):
        raise Forbidden("Alleen de gespreksleider of een wijkcoach van de casus mag het verslag publiceren.")
    if discussion.published_at is not None:
        raise AlreadyPublished(_already_published(discussion))
    text = discussion.summary
    if summary is not None:
        stream_service.check_message_size(summary)
        text = discussion_anonymiser.anonymiser(db_session=db_session, session_id=discussion.id)(summary)
    # Only the first publication writes (checked in the UPDATE itself, so two at once cannot both win).
    written = (
        db_session.connection()
        .execute(
            update(DiscussionSession)
            .where(col(DiscussionSession.id) == discussion.id, col(DiscussionSession.published_at).is_(None))
            .values(summary=text, published_at=utcnow())
        )
        .rowcount
    )
    db_session.refresh(discussion)  # what is stored now (the UPDATE went around the loaded object)
    if written != 1:
        raise AlreadyPublished(_already_published(discussion))
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="session.publish",
        object_type="session",
        object_id=discussion.id,
    )
    db_session.flush()
    return discussion


def mark_domains_addressed(*, db_session: Session, discussion: DiscussionSession, user: User) -> bool:
    """Mark the life domains the discussion covered as addressed on its case, if `user` may edit the case.
    Returns whether the case changed."""
    domains = draft(db_session=db_session, discussion=discussion).domains
    case = db_session.get_one(Case, discussion.case_id)
    if not domains or not policy.can_edit(db_session=db_session, user=user, case=case):
        return False
    read = case_service.to_read(db_session=db_session, case=case)
    entries = {e.domain: LifeDomainIn(**e.model_dump()) for e in read.life_domains}
    for domain in domains:
        entry = entries.get(domain) or LifeDomainIn(domain=domain)
        entries[domain] = entry.model_copy(update={"addressed": True})
    case_service.update(
        db_session=db_session, user=user, case=case, data=CaseUpdate(life_domains=list(entries.values()))
    )
    return True
