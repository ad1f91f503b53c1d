"""Management's side of rule bottlenecks: list what the user may see, fill in the register and move them
towards policy (through casebook's bottleneck and tag services). Which rules keep getting in the way is
learning/recurrence."""

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts import service as account_service
from casebook.accounts.models import Team, User
from casebook.audit import service as audit_service
from casebook.cases import bottlenecks as bottleneck_service
from casebook.cases import service as case_service
from casebook.cases import tags as tag_service
from casebook.cases.models import (
    Bottleneck,
    BottleneckKind,
    BottleneckStatus,
    BottleneckTag,
    Case,
    Tag,
)
from casebook.errors import Forbidden, Invalid, NotFound
from casebook.i18n import N_, gettext
from learning.models import (
    BottleneckDetail,
    BottleneckListItem,
    BottleneckPatch,
    StatusChangeRead,
)


def _visible(query, *, db_session: Session, user: User):
    condition = policy.visible_filter(db_session=db_session, user=user)
    return query if condition is None else query.where(condition)


def list_bottlenecks(
    *,
    db_session: Session,
    user: User,
    kind: BottleneckKind | None = None,
    tag: str | None = None,
    status: BottleneckStatus | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[BottleneckListItem], int]:
    query = _visible(
        select(Bottleneck, Case.title, Team.name)
        .join(Case, col(Case.id) == Bottleneck.case_id)
        .join(Team, col(Team.id) == Case.team_id),
        db_session=db_session,
        user=user,
    )
    if kind:
        query = query.where(Bottleneck.kind == kind)
    if status:
        query = query.where(Bottleneck.status == status)
    if tag:  # the label and every label nested under it
        found = db_session.exec(select(Tag).where(Tag.name == tag_service.normal_name(tag))).first()
        ids = {found.id, *tag_service.descendants(db_session=db_session, tag_id=found.id)} if found else set()
        tagged = select(BottleneckTag.bottleneck_id).where(col(BottleneckTag.tag_id).in_(ids))
        query = query.where(col(Bottleneck.id).in_(tagged))
    total = db_session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = list(
        db_session.exec(
            query.order_by(col(Bottleneck.id).desc()).offset((page - 1) * per_page).limit(per_page)
        )
    )
    owners = _display_names(db_session=db_session, user_ids=[b.owner_id for b, _, _ in rows])
    items = [
        BottleneckListItem(
            **case_service.bottleneck_read(db_session=db_session, bottleneck=b).model_dump(),
            case_id=b.case_id,
            case_title=title,
            team=team,
            owner=owners.get(b.owner_id),
        )
        for b, title, team in rows
    ]
    return items, total


def list_item(*, db_session: Session, bottleneck: Bottleneck) -> BottleneckListItem:
    case = db_session.get_one(Case, bottleneck.case_id)
    owner = db_session.get(User, bottleneck.owner_id) if bottleneck.owner_id else None
    return BottleneckListItem(
        **case_service.bottleneck_read(db_session=db_session, bottleneck=bottleneck).model_dump(),
        case_id=case.id,
        case_title=case.title,
        team=case_service.team_name(db_session=db_session, case=case),
        owner=owner.display_name if owner else None,
    )


def get_or_raise(*, db_session: Session, user: User, bottleneck_id: int) -> Bottleneck:
    bottleneck = db_session.get(Bottleneck, bottleneck_id)
    if bottleneck is None:
        raise NotFound(gettext("Dit knelpunt bestaat niet."))
    case_service.get_or_raise(db_session=db_session, user=user, case_id=bottleneck.case_id)
    return bottleneck


MANAGEMENT_FIELDS = {"tags", "status", "resolution", "reason", "owner"}


def update(*, db_session: Session, user: User, bottleneck: Bottleneck, patch: BottleneckPatch) -> Bottleneck:
    """Tags, status and owner are management's call: they decide what goes to policy. The effect, workaround,
    proposal and level may also be filled in by the case's own team. Written through casebook's bottleneck
    and tag services; not committed (learning/flows.py)."""
    given = patch.model_fields_set - {f for f in ("status", "level") if getattr(patch, f) is None}
    case = db_session.get_one(Case, bottleneck.case_id)
    if given & MANAGEMENT_FIELDS:
        policy.require_management(user, doing=N_("labelen knelpunten en bepalen hun status"))
    if given - MANAGEMENT_FIELDS and not policy.can_edit(db_session=db_session, user=user, case=case):
        raise Forbidden(gettext("Alleen het team van de casus en managers vullen een knelpunt aan."))
    if (patch.resolution is not None or patch.reason.strip()) and patch.status is None:
        raise Invalid(
            gettext("status: geef bij een oplossing of reden ook de nieuwe status. Er is niets gewijzigd.")
        )
    anonymise = case_service.case_anonymiser(db_session=db_session, case=case)
    fields = patch.model_dump(include=given - MANAGEMENT_FIELDS)
    if "owner" in given:
        fields["owner_id"] = _owner_id(db_session=db_session, username=patch.owner or "")
    if fields:
        bottleneck_service.update_fields(
            db_session=db_session, user=user, bottleneck=bottleneck, changes=fields, anonymise=anonymise
        )
    if patch.status is not None:
        bottleneck_service.change_status(
            db_session=db_session,
            user=user,
            bottleneck=bottleneck,
            status=patch.status,
            resolution=patch.resolution,
            reason=patch.reason,
            anonymise=anonymise,
        )
    if patch.tags is not None:
        tag_service.set_bottleneck_tags(db_session=db_session, bottleneck=bottleneck, names=patch.tags)
        audit_service.record(
            db_session=db_session,
            actor_id=user.id,
            action="bottleneck.tags",
            object_type="bottleneck",
            object_id=bottleneck.id,
        )
    db_session.flush()
    return bottleneck


def _owner_id(*, db_session: Session, username: str) -> int | None:
    if not username.strip():
        return None
    owner = account_service.get_by_username(db_session=db_session, username=username.strip())
    if owner is None:
        raise Invalid(gettext("owner: deze gebruiker bestaat niet. Er is niets gewijzigd."))
    return owner.id


def possible_owners(*, db_session: Session) -> list[User]:
    """Who can own a bottleneck in the register: the active managers and admins (bounded)."""
    query = (
        select(User)
        .where(col(User.role).in_(policy.MANAGEMENT_ROLES), User.is_active)
        .order_by(User.display_name)
        .limit(500)
    )
    return list(db_session.exec(query))


def detail(*, db_session: Session, bottleneck: Bottleneck) -> BottleneckDetail:
    """The bottleneck with its case, the discussion it was flagged in and its status history."""
    changes = bottleneck_service.history(db_session=db_session, bottleneck_id=bottleneck.id)
    names = _display_names(db_session=db_session, user_ids=[c.changed_by_id for c in changes])
    history = [
        StatusChangeRead(
            from_status=c.from_status,
            to_status=c.to_status,
            resolution=c.resolution,
            reason=c.reason,
            changed_by=names.get(c.changed_by_id) if c.changed_by_id is not None else None,
            changed_at=c.changed_at,
        )
        for c in changes
    ]
    return BottleneckDetail(
        **list_item(db_session=db_session, bottleneck=bottleneck).model_dump(), history=history
    )


def _display_names(*, db_session: Session, user_ids: Sequence[int | None]) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(db_session.exec(select(User.id, User.display_name).where(col(User.id).in_(ids))).all())


def all_tags(*, db_session: Session) -> list[str]:
    return list(db_session.exec(select(Tag.name).order_by(Tag.name)))
