"""Who may do what with tags, and the questions about them. The writes themselves are casebook's tag
service (casebook.cases.tags); these functions check rights and only flush."""

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts.models import User
from casebook.audit import service as audit_service
from casebook.cases import tags as tag_service
from casebook.cases.models import Bottleneck, BottleneckTag, Case, CaseTag, Tag
from casebook.errors import Forbidden, Invalid
from casebook.i18n import N_, gettext
from learning.tags.models import TagNode


def _require_manager(user: User) -> None:
    policy.require_management(user, doing=N_("beheren de labels"))


def tree(*, db_session: Session) -> list[TagNode]:
    """Every label with its parent and how many bottlenecks and cases carry it, parents before children
    (depth first, names in order)."""
    tags = tag_service.all_tags(db_session=db_session)
    counts = {
        model: dict(db_session.exec(select(model.tag_id, func.count()).group_by(col(model.tag_id))).all())
        for model in (BottleneckTag, CaseTag)
    }
    nodes = {
        tag.id: TagNode(
            id=tag.id,
            name=tag.name,
            parent_id=tag.parent_id,
            bottlenecks=counts[BottleneckTag].get(tag.id, 0),
            cases=counts[CaseTag].get(tag.id, 0),
        )
        for tag in tags
    }
    children: dict[int | None, list[TagNode]] = {}
    for node in nodes.values():
        children.setdefault(node.parent_id if node.parent_id in nodes else None, []).append(node)
    ordered: list[TagNode] = []
    todo = list(reversed(children.get(None, [])))
    while todo:
        node = todo.pop()
        ordered.append(node)
        todo.extend(reversed(children.get(node.id, [])))
    return ordered


def depths(nodes: Sequence[TagNode]) -> dict[int, int]:
    """How deep each label hangs (0: at the top), for indenting the tree."""
    parents = {node.id: node.parent_id for node in nodes}
    result: dict[int, int] = {}
    for node in nodes:  # parents come first
        parent = parents[node.id]
        result[node.id] = result[parent] + 1 if parent is not None and parent in result else 0
    return result


def node(*, db_session: Session, tag: Tag) -> TagNode:
    return next(n for n in tree(db_session=db_session) if n.id == tag.id)


def create(*, db_session: Session, user: User, name: str, parent_id: int | None) -> Tag:
    _require_manager(user)
    tag = tag_service.create(db_session=db_session, name=name, parent_id=parent_id)
    _audit(db_session, user, "tag.create", tag.id)
    return tag


def update(*, db_session: Session, user: User, tag_id: int, changes: dict) -> Tag:
    """Rename (`name`) and/or nest (`parent_id`, None: at the top) one label."""
    _require_manager(user)
    tag = tag_service.get_or_raise(db_session=db_session, tag_id=tag_id)
    if "name" in changes and changes["name"] is not None:
        tag_service.rename(db_session=db_session, tag=tag, name=changes["name"])
    if "parent_id" in changes:
        tag_service.nest(db_session=db_session, tag=tag, parent_id=changes["parent_id"])
    _audit(db_session, user, "tag.update", tag.id)
    return tag


def merge(*, db_session: Session, user: User, tag_id: int, into_id: int) -> Tag:
    _require_manager(user)
    source = tag_service.get_or_raise(db_session=db_session, tag_id=tag_id)
    target = tag_service.get_or_raise(db_session=db_session, tag_id=into_id)
    tag_service.merge(db_session=db_session, source=source, target=target)
    _audit(db_session, user, "tag.merge", target.id)
    return target


def retag(
    *,
    db_session: Session,
    user: User,
    bottleneck_ids: Sequence[int],
    add: Sequence[str],
    remove: Sequence[str],
) -> int:
    """Management tags many bottlenecks at once; every one of them must be in sight."""
    _require_manager(user)
    ids = sorted(set(bottleneck_ids))
    query = (
        select(Bottleneck.id)
        .join(Case, col(Case.id) == Bottleneck.case_id)
        .where(col(Bottleneck.id).in_(ids))
    )
    condition = policy.visible_filter(db_session=db_session, user=user)
    visible = set(db_session.exec(query if condition is None else query.where(condition)))
    if visible != set(ids):
        raise Forbidden(
            gettext(
                "Een of meer van deze knelpunten bestaan niet of zijn niet voor u zichtbaar. "
                "Er is niets opgeslagen."
            )
        )
    if not any(name.strip() for name in [*add, *remove]):
        raise Invalid(
            gettext("add: geef een label om toe te voegen of weg te halen. Er is niets opgeslagen.")
        )
    changed = tag_service.retag_bottlenecks(db_session=db_session, bottleneck_ids=ids, add=add, remove=remove)
    _audit(db_session, user, "bottleneck.tags", None, detail=f"{len(ids)} knelpunten")
    return changed


def set_case_tags(*, db_session: Session, user: User, case: Case, names: Sequence[str]) -> list[str]:
    """Who may change the case (its team's coaches, managers) labels it, with labels from the taxonomy;
    only management adds a label that does not exist yet."""
    if not policy.can_edit(db_session=db_session, user=user, case=case):
        raise Forbidden(gettext("Alleen het team van de casus en managers labelen een casus."))
    tag_service.set_case_tags(
        db_session=db_session, case_id=case.id, names=names, may_create=policy.can_manage_bottlenecks(user)
    )
    _audit(db_session, user, "case.tags", case.id, object_type="case")
    return tag_service.case_tag_names(db_session=db_session, case_id=case.id)


def _audit(
    db_session: Session,
    user: User,
    action: str,
    object_id: int | None,
    *,
    object_type: str = "tag",
    detail: str = "",
) -> None:
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
