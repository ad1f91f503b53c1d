"""One function per management action on bottlenecks, for the views to call: the service writes and only
flushes, the action is committed here once. Tags, status and level are not part of a case's searchable
text, so no case event follows."""

from sqlmodel import Session

from casebook.accounts.models import User
from casebook.cases.models import Bottleneck
from casebook.db import transaction
from learning import service as learning_service
from learning.models import BottleneckPatch


def update_bottleneck(
    *, db_session: Session, user: User, bottleneck: Bottleneck, patch: BottleneckPatch
) -> Bottleneck:
    with transaction(db_session):
        return learning_service.update(db_session=db_session, user=user, bottleneck=bottleneck, patch=patch)
