"""One function per action on tags, committed once. Tags are not part of a case's searchable text, so no
case event follows."""

from collections.abc import Sequence

from sqlmodel import Session

from casebook.accounts.models import User
from casebook.cases.models import Case, Tag
from casebook.db import transaction
from learning.tags import service as tagging


def create_tag(*, db_session: Session, user: User, name: str, parent_id: int | None) -> Tag:
    with transaction(db_session):
        return tagging.create(db_session=db_session, user=user, name=name, parent_id=parent_id)


def update_tag(*, db_session: Session, user: User, tag_id: int, changes: dict) -> Tag:
    with transaction(db_session):
        return tagging.update(db_session=db_session, user=user, tag_id=tag_id, changes=changes)


def merge_tags(*, db_session: Session, user: User, tag_id: int, into_id: int) -> Tag:
    with transaction(db_session):
        return tagging.merge(db_session=db_session, user=user, tag_id=tag_id, into_id=into_id)


def retag_bottlenecks(
    *,
    db_session: Session,
    user: User,
    bottleneck_ids: Sequence[int],
    add: Sequence[str],
    remove: Sequence[str],
) -> int:
    with transaction(db_session):
        return tagging.retag(
            db_session=db_session, user=user, bottleneck_ids=bottleneck_ids, add=add, remove=remove
        )


def set_case_tags(*, db_session: Session, user: User, case: Case, names: Sequence[str]) -> list[str]:
    with transaction(db_session):
        return tagging.set_case_tags(db_session=db_session, user=user, case=case, names=names)
