"""Management's side of rule bottlenecks: list what the user may see, tag and move them towards policy.
Which rules keep getting in the way is learning/recurrence."""

import re
from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from casebook.accounts.models import Role, Team, User
from casebook.anonymise import service as anonymise_service
from casebook.audit import service as audit_service
from casebook.cases import access
from casebook.cases import service as case_service
from casebook.cases.models import Bottleneck, BottleneckKind, BottleneckTag, Case, Tag
from casebook.errors import Forbidden, Invalid, NotFound
from learning.models import BottleneckListItem, BottleneckPatch

MANAGEMENT_ROLES = {Role.manager, Role.admin}
TAG_PATTERN = re.compile(r"^[\w\- ]{1,64}$")


def _visible(query, *, db_session: Session, user: User):
    condition = access.visible_filter(db_session=db_session, user=user)
    return query if condition is None else query.where(condition)


def list_bottlenecks(*, db_session: Session, user: User, kind: BottleneckKind | None = None,
                     tag: str | None = None, page: int = 1, per_page: int = 50) -> tuple[list[BottleneckListItem], int]:
    query = _visible(select(Bottleneck, Case.title, Team.name).join(Case, Case.id == Bottleneck.case_id)
                     .join(Team, Team.id == Case.team_id), db_session=db_session, user=user)
    if kind:
        query = query.where(Bottleneck.kind == kind)
    if tag:
        tagged = select(BottleneckTag.bottleneck_id).join(Tag, Tag.id == BottleneckTag.tag_id).where(Tag.name == tag)
        query = query.where(col(Bottleneck.id).in_(tagged))
    total = db_session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = db_session.exec(query.order_by(col(Bottleneck.id).desc()).offset((page - 1) * per_page).limit(per_page))
    items = [BottleneckListItem(**case_service.bottleneck_read(db_session=db_session, bottleneck=b).model_dump(),
                                case_id=b.case_id, case_title=title, team=team) for b, title, team in rows]
    return items, total


def list_item(*, db_session: Session, bottleneck: Bottleneck) -> BottleneckListItem:
    case = db_session.get(Case, bottleneck.case_id)
    return BottleneckListItem(**case_service.bottleneck_read(db_session=db_session, bottleneck=bottleneck).model_dump(),
                              case_id=case.id, case_title=case.title,
                              team=case_service.team_name(db_session=db_session, case=case))


def get_or_raise(*, db_session: Session, user: User, bottleneck_id: int) -> Bottleneck:
    bottleneck = db_session.get(Bottleneck, bottleneck_id)
    if bottleneck is None:
        raise NotFound("Dit knelpunt bestaat niet.")
    case_service.get_or_raise(db_session=db_session, user=user, case_id=bottleneck.case_id)
    return bottleneck


def update(*, db_session: Session, user: User, bottleneck: Bottleneck, patch: BottleneckPatch) -> Bottleneck:
    """Tags, status and level are management's call: they decide what goes to policy. Not committed
    (learning/flows.py)."""
    if user.role not in MANAGEMENT_ROLES:
        raise Forbidden("Alleen managers en bestuurders labelen knelpunten.")
    if patch.status is not None:
        bottleneck.status = patch.status
    if patch.level is not None:
        bottleneck.level = patch.level
    if patch.tags is not None:
        _set_tags(db_session=db_session, bottleneck=bottleneck, names=patch.tags)
    db_session.add(bottleneck)
    audit_service.record(db_session=db_session, actor_id=user.id, action="bottleneck.update",
                         object_type="bottleneck", object_id=bottleneck.id,
                         detail=",".join(sorted(patch.model_dump(exclude_unset=True))))
    db_session.flush()
    return bottleneck


def _set_tags(*, db_session: Session, bottleneck: Bottleneck, names: Sequence[str]) -> None:
    wanted = {_normal_tag(name) for name in names if name.strip()}
    for position, given in enumerate(names, start=1):
        name = _normal_tag(given)
        if not name:
            continue
        if not TAG_PATTERN.match(name):
            raise Invalid(f"tags: label {position} is ongeldig (letters, cijfers, spatie en - , hoogstens 64 tekens). "
                          "Er is niets opgeslagen.")
        try:  # a tag is stored as written (in lower case), never masked: one that names a person is refused
            for reading in dict.fromkeys((" ".join(given.strip().lstrip("#").split()), name)):
                anonymise_service.refuse_identifiers_in_label(reading)
        except ValueError as exc:
            raise Invalid(f"tags: label {position} {exc}") from None
    for link in db_session.exec(select(BottleneckTag).where(BottleneckTag.bottleneck_id == bottleneck.id)):
        db_session.delete(link)
    db_session.flush()
    for name in sorted(wanted):
        tag = db_session.exec(select(Tag).where(Tag.name == name)).first()
        if tag is None:
            tag = Tag(name=name)
            db_session.add(tag)
            db_session.flush()
        db_session.add(BottleneckTag(bottleneck_id=bottleneck.id, tag_id=tag.id))
    db_session.flush()


def _normal_tag(name: str) -> str:
    return " ".join(name.strip().lower().lstrip("#").split())


def all_tags(*, db_session: Session) -> list[str]:
    return list(db_session.exec(select(Tag.name).order_by(Tag.name)))


def _tag_names(*, db_session: Session, bottleneck_ids: list[int]) -> list[str]:
    """The tags on any of these bottlenecks, in one query."""
    query = (select(Tag.name).join(BottleneckTag, BottleneckTag.tag_id == Tag.id)
             .where(col(BottleneckTag.bottleneck_id).in_(bottleneck_ids)).distinct())
    return sorted(db_session.exec(query))
