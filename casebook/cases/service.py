"""All logic around the case record. Every text is anonymised here, before it reaches a table, with one
pseudonym map per case so a person keeps the same placeholder across all fields of that case.

Functions that write only flush: the caller's flow (casebook/cases/flows.py, chat/flows.py) commits the
user's action once and then announces it."""

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar, cast

from sqlalchemy import func
from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts import service as account_service
from casebook.accounts.models import Role, Team, User
from casebook.anonymise import registry
from casebook.anonymise import service as anonymise_service
from casebook.anonymise.registry import pseudonym_registry
from casebook.audit import service as audit_service
from casebook.cases import bottlenecks as bottleneck_service
from casebook.cases.models import (
    Action,
    ActionIn,
    ActionRead,
    Bottleneck,
    BottleneckIn,
    BottleneckRead,
    BottleneckStatusChange,
    BottleneckTag,
    Case,
    CaseIn,
    CaseNote,
    CaseParticipant,
    CaseRead,
    CaseStatus,
    CaseSummary,
    CaseUpdate,
    Decision,
    DecisionRead,
    FeedbackIn,
    FeedbackRead,
    FeedbackScore,
    FeedbackScoreRead,
    LifeDomainEntry,
    LifeDomainIn,
    LifeDomainRead,
    OutcomeFeedback,
    PlanItem,
    Tag,
)
from casebook.db import missing_ids
from casebook.errors import Busy, Forbidden, Invalid, NotFound
from casebook.i18n import gettext
from casebook.notifications import service as notification_service
from casebook.notifications.models import NotificationKind
from casebook.settings import settings_for
from casebook.timeutil import utcnow

logger = logging.getLogger(__name__)
Anonymiser = Callable[..., str]  # (text, where="") -> anonymised text
_CaseInput = TypeVar("_CaseInput", bound=CaseIn | CaseUpdate)
#: Feedback from these roles closes the loop: they carried out the plan.
FEEDBACK_LOOP_ROLES = {Role.provider, Role.partner}


# ---- reading ---------------------------------------------------------------------------------


def get_or_raise(*, db_session: Session, user: User, case_id: int) -> Case:
    case = db_session.get(Case, case_id)
    if case is None:
        raise NotFound(gettext("Deze casus bestaat niet (meer)."))
    if not policy.can_view(db_session=db_session, user=user, case=case):
        audit_service.record_refusal(
            db_session=db_session,
            actor_id=user.id,
            action="case.access_denied",
            object_type="case",
            object_id=case.id,
        )
        raise Forbidden(gettext("U heeft geen toegang tot deze casus."))
    return case


def get_by_external_id(*, db_session: Session, external_id: str) -> Case | None:
    return db_session.exec(select(Case).where(Case.external_id == external_id)).first()


def list_cases(
    *,
    db_session: Session,
    user: User,
    page: int = 1,
    per_page: int = 20,
    team: str | None = None,
    domain: str | None = None,
    status: CaseStatus | None = None,
    has_bottleneck: bool | None = None,
    text: str | None = None,
) -> tuple[list[Case], int]:
    """The cases `user` may see, newest first, filtered and paged; returns (page items, total)."""
    query = select(Case)
    visible = policy.visible_filter(db_session=db_session, user=user)
    if visible is not None:
        query = query.where(visible)
    if team:
        query = query.join(Team, col(Team.id) == Case.team_id).where(Team.name == team)
    if domain:
        query = query.where(
            col(Case.id).in_(select(LifeDomainEntry.case_id).where(LifeDomainEntry.domain == domain))
        )
    if status:
        query = query.where(Case.status == status)
    if has_bottleneck is not None:
        with_bottleneck = col(Case.id).in_(select(Bottleneck.case_id))
        query = query.where(with_bottleneck if has_bottleneck else ~with_bottleneck)
    if text:
        query = query.where(col(Case.title).ilike(f"%{text}%"))
    total = db_session.exec(select(func.count()).select_from(query.subquery())).one()
    ordered = query.order_by(col(Case.held_at).desc().nulls_last(), col(Case.id).desc())
    items = list(db_session.exec(ordered.offset((page - 1) * per_page).limit(per_page)))
    return items, total


def team_name(*, db_session: Session, case: Case) -> str:
    return db_session.get_one(Team, case.team_id).name


def summaries(*, db_session: Session, cases: Sequence[Case]) -> list[CaseSummary]:
    ids = [case.id for case in cases]
    domains: dict[int, list[str]] = {case_id: [] for case_id in ids}
    for case_id, domain in db_session.exec(
        select(LifeDomainEntry.case_id, LifeDomainEntry.domain).where(col(LifeDomainEntry.case_id).in_(ids))
    ):
        domains[case_id].append(domain)
    counts = dict(
        db_session.exec(
            select(Bottleneck.case_id, func.count())
            .where(col(Bottleneck.case_id).in_(ids))
            .group_by(col(Bottleneck.case_id))
        ).all()
    )
    teams = {team.id: team.name for team in db_session.exec(select(Team))}
    return [
        CaseSummary(
            id=case.id,
            external_id=case.external_id,
            title=case.title,
            team=teams[case.team_id],
            status=case.status,
            held_at=case.held_at,
            life_domains=domains[case.id],
            bottleneck_count=counts.get(case.id, 0),
        )
        for case in cases
    ]


def to_read(*, db_session: Session, case: Case) -> CaseRead:
    def rows(model, order=None):
        query = (
            select(model).where(model.case_id == case.id).order_by(order if order is not None else model.id)
        )
        return list(db_session.exec(query))

    feedback = feedback_reads(db_session=db_session, feedback=rows(OutcomeFeedback))
    return CaseRead(
        id=case.id,
        external_id=case.external_id,
        title=case.title,
        team=team_name(db_session=db_session, case=case),
        status=case.status,
        narrative=case.narrative,
        life_domains=[LifeDomainRead.model_validate(e, from_attributes=True) for e in rows(LifeDomainEntry)],
        support_question=case.support_question,
        support_plan=case.support_plan,
        plan_items=[item.text for item in rows(PlanItem, PlanItem.position)],
        decisions=[DecisionRead.model_validate(d, from_attributes=True) for d in rows(Decision)],
        actions=[ActionRead.model_validate(a, from_attributes=True) for a in rows(Action)],
        outcome=case.outcome,
        feedback=feedback,
        feedback_loop_closed=any(f.author_role in FEEDBACK_LOOP_ROLES for f in feedback),
        bottlenecks=[bottleneck_read(db_session=db_session, bottleneck=b) for b in rows(Bottleneck)],
        held_at=case.held_at,
        created_at=case.created_at,
        updated_at=case.updated_at,
    )


def feedback_reads(*, db_session: Session, feedback: Sequence[OutcomeFeedback]) -> list[FeedbackRead]:
    """The feedback as read, each with its ZRM scores after (one query for all)."""
    scores: dict[int, list[FeedbackScoreRead]] = {f.id: [] for f in feedback}
    for score in db_session.exec(
        select(FeedbackScore)
        .where(col(FeedbackScore.feedback_id).in_(list(scores)))
        .order_by(col(FeedbackScore.id))
    ):
        scores[score.feedback_id].append(
            FeedbackScoreRead(domain=score.domain, score_after=score.score_after)
        )
    return [
        FeedbackRead.model_validate(f, from_attributes=True).model_copy(update={"scores_after": scores[f.id]})
        for f in feedback
    ]


def bottleneck_read(*, db_session: Session, bottleneck: Bottleneck) -> BottleneckRead:
    tags = db_session.exec(
        select(Tag.name)
        .join(BottleneckTag, col(BottleneckTag.tag_id) == Tag.id)
        .where(BottleneckTag.bottleneck_id == bottleneck.id)
        .order_by(Tag.name)
    )
    read = BottleneckRead.model_validate(bottleneck, from_attributes=True)  # text columns back to their enums
    return read.model_copy(update={"tags": list(tags)})


def stored_texts(*, db_session: Session, case: Case) -> list[str]:
    """Every anonymised text of a case, so new pseudonyms continue its numbering."""
    read = to_read(db_session=db_session, case=case)
    texts = [
        read.title,
        read.narrative,
        read.support_question,
        read.support_plan,
        read.outcome,
        *read.plan_items,
    ]
    texts += [d.subject for d in read.decisions] + [a.description for a in read.actions]
    texts += [t for f in read.feedback for t in (f.text, f.what_worked, f.what_did_not)]
    texts += [
        t
        for b in read.bottlenecks
        for t in (b.law, b.rule, b.description, b.client_harm, b.workaround, b.proposal)
    ]
    texts += list(
        db_session.exec(
            select(BottleneckStatusChange.reason)
            .join(Bottleneck, col(Bottleneck.id) == BottleneckStatusChange.bottleneck_id)
            .where(Bottleneck.case_id == case.id)
        )
    )
    texts += db_session.exec(select(CaseNote.text).where(CaseNote.case_id == case.id)).all()
    return texts


# ---- anonymisation of input ------------------------------------------------------------------

CASE_TEXT_FIELDS = ("title", "narrative", "support_question", "support_plan", "outcome")


@dataclass
class ReviewedText:
    """One anonymised text for the human check: where it sits and what was masked in it."""

    where: str
    original: str
    result: anonymise_service.AnonymisedText

    def segments(self) -> list[tuple[str, anonymise_service.Entity | None]]:
        """The anonymised text as (piece, entity-or-None) pairs, for highlighting."""
        pieces: list[tuple[str, anonymise_service.Entity | None]] = []
        cursor = 0
        for entity in self.result.entities:
            pieces.append((self.original[cursor : entity.start], None))
            pieces.append((entity.replacement, entity))
            cursor = entity.end
        pieces.append((self.original[cursor:], None))
        return [(text, entity) for text, entity in pieces if text]


class CaseAnonymiser:
    """Anonymises every text of one save with the case's pseudonym map, and remembers what it masked
    so the human check shows exactly what will be stored."""

    def __init__(
        self,
        *,
        max_text_bytes: int,
        pseudonyms: anonymise_service.Pseudonyms | None = None,
        roster: Sequence[str] = (),
        keep: Sequence[str] = (),
    ):
        self.max_text_bytes = max_text_bytes
        self.pseudonyms = pseudonyms or anonymise_service.Pseudonyms()
        self.roster, self.keep = list(roster), list(keep)
        self.reviewed: list[ReviewedText] = []

    def __call__(self, text: str, where: str = "") -> str:
        anonymise_service.check_text_size(text, self.max_text_bytes)
        result = anonymise_service.anonymise_text(
            text, roster=self.roster, pseudonyms=self.pseudonyms, keep=self.keep
        )
        if text.strip():
            self.reviewed.append(ReviewedText(where, text, result))
        return result.text


def on_case_deleted(*, db_session: Session, case_id: int, **_) -> None:
    """The names of an erased case leave memory with it (its pseudonym map holds them)."""
    pseudonym_registry.forget(db_session=db_session, scope=registry.CASE, object_id=case_id)


def forget_missing_cases(*, db_session: Session) -> None:
    """Forget the pseudonym maps of cases erased without this process hearing of it (the command line, or
    another server without a shared Redis)."""
    held = pseudonym_registry.held(db_session=db_session, scope=registry.CASE)
    for case_id in missing_ids(db_session, Case, held):
        pseudonym_registry.forget(db_session=db_session, scope=registry.CASE, object_id=case_id)


def share_pseudonyms(*, db_session: Session, case: Case) -> None:
    """With a shared Redis, hand the map of a case just created to the other processes, once the case is
    committed. Redis out of reach is logged, not raised (the case is saved): the next use of the case here
    shares the map then, or, when another process is first, the numbering starts after the stored texts'."""
    try:
        case_pseudonyms(db_session=db_session, case=case)
    except Busy:
        logger.warning("pseudonym map of a new case not shared yet")


def case_pseudonyms(*, db_session: Session, case: Case) -> anonymise_service.Pseudonyms:
    """The case's live pseudonym map (memory only): the same person keeps the same placeholder across edits."""
    return pseudonym_registry.get(
        db_session=db_session,
        scope=registry.CASE,
        object_id=case.id,
        stored_texts=lambda: stored_texts(db_session=db_session, case=case),
    )


def case_anonymiser(
    *, db_session: Session, case: Case, roster: Sequence[str] = (), keep: Sequence[str] = ()
) -> CaseAnonymiser:
    """The anonymiser for one more text on an existing case: same person, same placeholder."""
    return CaseAnonymiser(
        max_text_bytes=settings_for(db_session).max_text_bytes,
        pseudonyms=case_pseudonyms(db_session=db_session, case=case),
        roster=roster,
        keep=keep,
    )


def anonymise_input(data: _CaseInput, anonymise: Anonymiser) -> _CaseInput:
    """A copy of `data` with every free text anonymised, always in the same order (so numbering of
    placeholders in a preview equals what is stored). Fields left out (None) stay left out."""
    changes: dict = {
        f: anonymise(getattr(data, f), f) for f in CASE_TEXT_FIELDS if getattr(data, f) is not None
    }
    if data.plan_items is not None:
        changes["plan_items"] = [
            anonymise(t, f"plan_items.{i}") for i, t in enumerate(data.plan_items) if t.strip()
        ]
    if data.decisions is not None:
        changes["decisions"] = [
            d.model_copy(update={"subject": anonymise(d.subject, f"decisions.{i}.subject")})
            for i, d in enumerate(data.decisions)
        ]
    if data.actions is not None:
        changes["actions"] = [
            a.model_copy(update={"description": anonymise(a.description, f"actions.{i}.description")})
            for i, a in enumerate(data.actions)
        ]
    if data.bottlenecks is not None:
        changes["bottlenecks"] = [
            bottleneck_service.anonymised(b, anonymise, f"bottlenecks.{i}")
            for i, b in enumerate(data.bottlenecks)
        ]
    return cast(_CaseInput, data.model_copy(update=changes))


def review(
    *,
    db_session: Session,
    user: User,
    data: CaseIn | CaseUpdate,
    case: Case | None = None,
    roster: Sequence[str] = (),
    keep: Sequence[str] = (),
) -> list[ReviewedText]:
    """The human check before saving: every text as it would be stored, with its masked spans.
    Nothing is written."""
    if case is None:
        # may this user create here at all? (a new case is always a CaseIn)
        resolve_team(db_session=db_session, user=user, team=data.team if isinstance(data, CaseIn) else None)
    elif not policy.can_edit(db_session=db_session, user=user, case=case):
        raise Forbidden(gettext("U mag deze casus niet wijzigen."))
    pseudonyms = case_pseudonyms(db_session=db_session, case=case).copy() if case else None
    anonymiser = CaseAnonymiser(
        max_text_bytes=settings_for(db_session).max_text_bytes,
        pseudonyms=pseudonyms,
        roster=roster,
        keep=keep,
    )
    anonymise_input(data, anonymiser)
    return anonymiser.reviewed


# ---- writing ---------------------------------------------------------------------------------


def resolve_team(*, db_session: Session, user: User, team: str | None) -> Team:
    """The team a new case belongs to: the named one, or the user's only team."""
    if team:
        found = account_service.get_team_by_name(db_session=db_session, name=team)
        if found is None and account_service.oversees_all_teams(db_session=db_session, user=user):
            try:
                found = account_service.get_or_create_team(db_session=db_session, name=team)
            except account_service.AccountError as exc:
                raise Invalid(f"team: {exc}") from None
    else:
        own = account_service.team_names(db_session=db_session, user=user)
        if len(own) != 1:
            raise Invalid(gettext("Kies het team waar deze casus bij hoort."))
        team = own[0]
        found = account_service.get_team_by_name(db_session=db_session, name=team)
    if found is None:
        raise Invalid(gettext("Onbekend team: %(team)r.") % {"team": team})
    if not policy.can_create_in_team(db_session=db_session, user=user, team_id=found.id):
        raise Forbidden(gettext("U mag geen casussen aanmaken voor dit team."))
    return found


def create(
    *, db_session: Session, user: User, data: CaseIn, roster: Sequence[str] = (), keep: Sequence[str] = ()
) -> Case:
    team = resolve_team(db_session=db_session, user=user, team=data.team)
    external_id = data.external_id or f"CB-{uuid.uuid4().hex[:8].upper()}"
    if get_by_external_id(db_session=db_session, external_id=external_id):
        raise Invalid(gettext("Er bestaat al een casus met kenmerk %(key)r.") % {"key": external_id})
    anonymiser = CaseAnonymiser(
        max_text_bytes=settings_for(db_session).max_text_bytes,
        pseudonyms=pseudonym_registry.new_map(db_session=db_session),
        roster=roster,
        keep=keep,
    )
    data = anonymise_input(data, anonymiser)
    case = Case(
        external_id=external_id,
        team_id=team.id,
        created_by_id=user.id,
        **data.model_dump(include={"status", "held_at", *CASE_TEXT_FIELDS}),
    )
    db_session.add(case)
    db_session.flush()
    pseudonym_registry.remember(
        db_session=db_session, scope=registry.CASE, object_id=case.id, pseudonyms=anonymiser.pseudonyms
    )
    db_session.add(CaseParticipant(case_id=case.id, user_id=user.id))
    _replace_children(db_session=db_session, user=user, case=case, data=data)
    audit_service.record(
        db_session=db_session, actor_id=user.id, action="case.create", object_type="case", object_id=case.id
    )
    db_session.flush()
    return case


def update(
    *,
    db_session: Session,
    user: User,
    case: Case,
    data: CaseUpdate,
    roster: Sequence[str] = (),
    keep: Sequence[str] = (),
) -> Case:
    if not policy.can_edit(db_session=db_session, user=user, case=case):
        raise Forbidden(gettext("U mag deze casus niet wijzigen."))
    data = anonymise_input(data, case_anonymiser(db_session=db_session, case=case, roster=roster, keep=keep))
    changes = data.model_dump(exclude_unset=True)
    for field in (*CASE_TEXT_FIELDS, "status", "held_at"):
        if field in changes and (changes[field] is not None or field == "held_at"):
            setattr(case, field, changes[field])
    _replace_children(db_session=db_session, user=user, case=case, data=data)
    case.updated_at = utcnow()
    db_session.add(case)
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="case.update",
        object_type="case",
        object_id=case.id,
        detail=",".join(sorted(changes)),
    )
    db_session.flush()
    return case


def delete(*, db_session: Session, user: User, case: Case) -> None:
    """Delete the case with its whole record (the database cascades to every row that hangs off it). Once
    that is committed, the caller scrubs the files and forgets its pseudonym map (flows.delete_case)."""
    if not policy.can_edit(db_session=db_session, user=user, case=case):
        raise Forbidden(gettext("U mag deze casus niet verwijderen."))
    audit_service.record(
        db_session=db_session, actor_id=user.id, action="case.delete", object_type="case", object_id=case.id
    )
    db_session.delete(case)
    db_session.flush()


def add_feedback(*, db_session: Session, user: User, case: Case, data: FeedbackIn) -> OutcomeFeedback:
    """Who may see the case (the provider invited to carry out the plan, its team) reports back how the plan
    worked: what worked, what did not, ZRM scores after. The case's coach is notified in the app. Someone
    without sight of the case (a provider not, or no longer, invited) is refused."""
    if not policy.can_view(db_session=db_session, user=user, case=case):
        raise Forbidden(gettext("U kunt alleen terugkoppelen op een casus waarvoor u bent uitgenodigd."))
    domains = [score.domain for score in data.scores_after]
    if len(domains) != len(set(domains)):
        raise Invalid(gettext("scores_after: geef per leefgebied één score. Er is niets opgeslagen."))
    anonymise = case_anonymiser(db_session=db_session, case=case)
    feedback = OutcomeFeedback(
        case_id=case.id,
        author_id=user.id,
        author_role=user.role,
        text=anonymise(data.text, "text"),
        plan_worked=data.plan_worked,
        what_worked=anonymise(data.what_worked, "what_worked"),
        what_did_not=anonymise(data.what_did_not, "what_did_not"),
    )
    db_session.add(feedback)
    db_session.flush()
    for score in data.scores_after:
        db_session.add(
            FeedbackScore(feedback_id=feedback.id, domain=score.domain, score_after=score.score_after)
        )
    notification_service.notify(
        db_session=db_session,
        kind=NotificationKind.feedback,
        case_id=case.id,
        user_ids=[c.id for c in coaches_of(db_session=db_session, case=case) if c.id != user.id],
    )
    audit_service.record(
        db_session=db_session, actor_id=user.id, action="case.feedback", object_type="case", object_id=case.id
    )
    db_session.flush()
    return feedback


def add_note(*, db_session: Session, user: User, case: Case, text: str) -> CaseNote:
    """Keep a note on the case (e.g. a conversation with the assistant the coach chose to save): who may edit
    the case may; the text is anonymised with the case's pseudonyms like every other text of it."""
    if not policy.can_edit(db_session=db_session, user=user, case=case):
        raise Forbidden(
            gettext("Alleen een wijkcoach of manager van deze casus kan iets bij de casus bewaren.")
        )
    if not text.strip():
        raise Invalid(gettext("Er is niets om te bewaren."))
    note = CaseNote(
        case_id=case.id, author_id=user.id, text=case_anonymiser(db_session=db_session, case=case)(text)
    )
    db_session.add(note)
    audit_service.record(
        db_session=db_session, actor_id=user.id, action="case.note", object_type="case", object_id=case.id
    )
    db_session.flush()
    return note


def notes(*, db_session: Session, case: Case, limit: int = 50) -> list[CaseNote]:
    """The case's notes, newest first (at most `limit`)."""
    query = select(CaseNote).where(CaseNote.case_id == case.id).order_by(col(CaseNote.id).desc()).limit(limit)
    return list(db_session.exec(query))


def coaches_of(*, db_session: Session, case: Case) -> list[User]:
    """Who hears back about a case: the coach who made it, while they still work in its team; otherwise the
    active coaches of its team."""
    creator = db_session.get(User, case.created_by_id) if case.created_by_id else None
    if (
        creator is not None
        and creator.is_active
        and policy.through_team(db_session=db_session, user=creator, case=case)
    ):
        return [creator]
    return account_service.team_members(db_session=db_session, team_id=case.team_id, role=Role.coach)


def invite(*, db_session: Session, case: Case, user: User, expires_at: datetime | None = None) -> None:
    """Give `user` need-to-know access to `case` (read and take part, never edit), until `expires_at`
    (None: until withdrawn), e.g. invited to its case discussion. A standing invitation is only ever
    lengthened here. Nothing for who sees the case through their team."""
    if policy.through_team(db_session=db_session, user=user, case=case):
        return
    found = db_session.get(CaseParticipant, (case.id, user.id))
    if found is None:
        db_session.add(CaseParticipant(case_id=case.id, user_id=user.id, expires_at=expires_at))
    elif found.expires_at is not None and (expires_at is None or expires_at > found.expires_at):
        found.expires_at = expires_at
        db_session.add(found)


def limit_invitation(*, db_session: Session, case: Case, user: User, until: datetime | None) -> None:
    """Shorten or withdraw a time-limited invitation to `case` (one given with an `expires_at`): it now lasts
    `until`, or ends now when `until` is None. An open-ended invitation (given without expiry) is left
    alone."""
    found = db_session.get(CaseParticipant, (case.id, user.id))
    if found is None or found.expires_at is None:
        return
    if until is None:
        db_session.delete(found)
    else:
        found.expires_at = until
        db_session.add(found)


def add_bottleneck(
    *,
    db_session: Session,
    user: User,
    case: Case,
    data: BottleneckIn,
    anonymise: Anonymiser | None = None,
    session_id: int | None = None,
) -> Bottleneck:
    """Record one more rule bottleneck on a case (from a form, the API or the live room: `session_id`)."""
    if not policy.can_view(db_session=db_session, user=user, case=case):
        raise Forbidden(gettext("U heeft geen toegang tot deze casus."))
    anonymise = anonymise or case_anonymiser(db_session=db_session, case=case)
    bottleneck = bottleneck_service.add(
        db_session=db_session,
        user=user,
        case_id=case.id,
        data=bottleneck_service.anonymised(data, anonymise),
        session_id=session_id,
    )
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="bottleneck.create",
        object_type="case",
        object_id=case.id,
    )
    db_session.flush()
    return bottleneck


def add_action(
    *,
    db_session: Session,
    user: User,
    case: Case,
    data: ActionIn,
    anonymise: Anonymiser | None = None,
    session_id: int | None = None,
) -> Action:
    """Record one more agreement (action with owner role and due date) on a case, agreed in the case
    discussion `session_id` when given."""
    if not policy.can_view(db_session=db_session, user=user, case=case):
        raise Forbidden(gettext("U heeft geen toegang tot deze casus."))
    anonymise = anonymise or case_anonymiser(db_session=db_session, case=case)
    action = Action(
        case_id=case.id,
        session_id=session_id,
        **data.model_dump(exclude={"description"}),
        description=anonymise(data.description, "action"),
    )
    db_session.add(action)
    audit_service.record(
        db_session=db_session, actor_id=user.id, action="action.create", object_type="case", object_id=case.id
    )
    db_session.flush()
    return action


def get_action_or_raise(*, db_session: Session, user: User, action_id: int) -> Action:
    action = db_session.get(Action, action_id)
    if action is None:
        raise NotFound(gettext("Deze afspraak bestaat niet (meer)."))
    get_or_raise(db_session=db_session, user=user, case_id=action.case_id)
    return action


def set_action_done(*, db_session: Session, user: User, action: Action, done: bool = True) -> Action:
    """Tick an agreed action off (or open it again): the case's own team does that."""
    if not policy.can_edit(db_session=db_session, user=user, case=db_session.get_one(Case, action.case_id)):
        raise Forbidden(gettext("Alleen het team van de casus werkt de afspraken bij."))
    action.done = done
    db_session.add(action)
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="action.done" if done else "action.reopen",
        object_type="case",
        object_id=action.case_id,
    )
    db_session.flush()
    return action


def _replace_children(*, db_session: Session, user: User, case: Case, data: CaseIn | CaseUpdate) -> None:
    """Lists in the (already anonymised) input replace the stored lists; a list left out stays as it is."""
    if data.life_domains is not None:
        _delete_rows(db_session, LifeDomainEntry, case.id)
        for entry in _unique_domains(data.life_domains):
            db_session.add(LifeDomainEntry(case_id=case.id, **entry.model_dump()))
    if data.plan_items is not None:
        _delete_rows(db_session, PlanItem, case.id)
        for position, text in enumerate(data.plan_items):
            db_session.add(PlanItem(case_id=case.id, position=position, text=text))
    if data.decisions is not None:
        _delete_rows(db_session, Decision, case.id)
        for row in data.decisions:
            db_session.add(Decision(case_id=case.id, **row.model_dump()))
    if data.actions is not None:  # an action agreed in a case discussion keeps that link through an edit
        agreed_in = {
            a.description: a.session_id
            for a in db_session.exec(
                select(Action).where(Action.case_id == case.id, col(Action.session_id).is_not(None))
            )
        }
        _delete_rows(db_session, Action, case.id)
        for action in data.actions:
            db_session.add(
                Action(case_id=case.id, session_id=agreed_in.get(action.description), **action.model_dump())
            )
    if data.bottlenecks is not None:  # kept by identity: a bottleneck has a status history and tags
        bottleneck_service.replace_on_case(
            db_session=db_session, user=user, case_id=case.id, rows=data.bottlenecks
        )
    db_session.flush()


def _unique_domains(entries: list[LifeDomainIn]) -> list[LifeDomainIn]:
    seen: dict[str, LifeDomainIn] = {}
    for entry in entries:
        seen.setdefault(entry.domain, entry)
    return list(seen.values())


def _delete_rows(db_session: Session, model, case_id: int) -> None:
    for row in db_session.exec(select(model).where(model.case_id == case_id)):
        db_session.delete(row)
    db_session.flush()
