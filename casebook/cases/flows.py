"""One function per user action on a case, for the views (and the import, the demo, tests) to call. The
service writes and only flushes; here the action is committed once, and only then announced
(events.CASE_SAVED / CASE_DELETED, which search follows), so nobody hears of a change that was rolled back.
Actions that start in the live room are committed and announced by chat/flows.py."""

from collections.abc import Sequence

from sqlmodel import Session

from casebook import events
from casebook.accounts.models import User
from casebook.cases import service as case_service
from casebook.cases.models import (
    Action,
    Bottleneck,
    BottleneckIn,
    Case,
    CaseIn,
    CaseNote,
    CaseUpdate,
    FeedbackIn,
    OutcomeFeedback,
)
from casebook.db import scrub_deleted, transaction


def create_case(
    *, db_session: Session, user: User, data: CaseIn, roster: Sequence[str] = (), keep: Sequence[str] = ()
) -> Case:
    with transaction(db_session):
        case = case_service.create(db_session=db_session, user=user, data=data, roster=roster, keep=keep)
    case_service.share_pseudonyms(db_session=db_session, case=case)
    events.publish(events.CASE_SAVED, db_session=db_session, case_id=case.id)
    return case


def update_case(
    *,
    db_session: Session,
    user: User,
    case: Case,
    data: CaseUpdate,
    roster: Sequence[str] = (),
    keep: Sequence[str] = (),
) -> Case:
    about = (case.title, case.support_question)
    with transaction(db_session):
        case_service.update(db_session=db_session, user=user, case=case, data=data, roster=roster, keep=keep)
    events.publish(
        events.CASE_SAVED,
        db_session=db_session,
        case_id=case.id,
        about_changed=(case.title, case.support_question) != about,
    )
    return case


def delete_case(*, db_session: Session, user: User, case: Case) -> None:
    """Erase the case: its record and everything hanging off it (life domains, plan, decisions, actions,
    feedback, bottlenecks, invitations, room sessions with their messages) leave the database in one
    commit, and the database files keep no earlier copy (db.scrub_deleted); then CASE_DELETED tells search
    to drop it from both indexes, and this and every other process to forget its names. The audit trail
    keeps only that case #id was erased, by whom and when."""
    case_id = case.id
    with transaction(db_session):
        case_service.delete(db_session=db_session, user=user, case=case)
    scrub_deleted(db_session.get_bind().engine)
    events.publish(events.CASE_DELETED, db_session=db_session, case_id=case_id)


def give_feedback(*, db_session: Session, user: User, case: Case, data: FeedbackIn) -> OutcomeFeedback:
    """Outcome feedback on the case; its text is searchable as soon as this returns."""
    with transaction(db_session):
        feedback = case_service.add_feedback(db_session=db_session, user=user, case=case, data=data)
    events.publish(events.CASE_SAVED, db_session=db_session, case_id=case.id)
    return feedback


def add_note(*, db_session: Session, user: User, case: Case, text: str) -> CaseNote:
    """A note kept on the case (not searchable: nothing to announce)."""
    with transaction(db_session):
        return case_service.add_note(db_session=db_session, user=user, case=case, text=text)


def set_action_done(*, db_session: Session, user: User, action: Action, done: bool = True) -> Action:
    with transaction(db_session):
        case_service.set_action_done(db_session=db_session, user=user, action=action, done=done)
    events.publish(events.CASE_SAVED, db_session=db_session, case_id=action.case_id)
    return action


def add_bottleneck(*, db_session: Session, user: User, case: Case, data: BottleneckIn) -> Bottleneck:
    with transaction(db_session):
        bottleneck = case_service.add_bottleneck(db_session=db_session, user=user, case=case, data=data)
    events.publish(events.CASE_SAVED, db_session=db_session, case_id=case.id)
    return bottleneck
