"""The one writer of tags: management's taxonomy (create, rename, nest, merge) and the labels on bottlenecks
and cases. A tag is stored as written (in lower case), never masked, so one that names a person or holds an
identifier is refused. learning/ calls these functions (and checks who may); they only flush."""

import re
from collections.abc import Sequence

from sqlmodel import Session, col, select

from casebook.anonymise import service as anonymise_service
from casebook.cases.models import Bottleneck, BottleneckTag, CaseTag, Tag
from casebook.errors import Invalid, NotFound
from casebook.i18n import N_, gettext

TAG_PATTERN = re.compile(r"^[\w\- ]{1,64}$")
NOTHING_CHANGED = N_("Er is niets opgeslagen.")


def normal_name(name: str) -> str:
    """ "#Mandaat  Backoffice " → "mandaat backoffice"."""
    return " ".join(name.strip().lower().lstrip("#").split())


def checked_name(given: str, *, field: str = "naam") -> str:
    """The normal form of a tag name, or Invalid (Dutch, naming `field`) when it is not a valid label."""
    name = normal_name(given)
    if not TAG_PATTERN.match(name):
        raise Invalid(
            gettext("%(field)s is ongeldig (letters, cijfers, spatie en - , hoogstens 64 tekens).")
            % {"field": field}
            + " "
            + gettext(NOTHING_CHANGED)
        )
    try:
        for reading in dict.fromkeys((" ".join(given.strip().lstrip("#").split()), name)):
            anonymise_service.refuse_identifiers_in_label(reading)
    except ValueError as exc:
        raise Invalid(f"{field} {exc}") from None
    return name


def get_or_create(*, db_session: Session, name: str) -> Tag:
    tag = db_session.exec(select(Tag).where(Tag.name == name)).first()
    if tag is None:
        tag = Tag(name=name)
        db_session.add(tag)
        db_session.flush()
    return tag


def set_bottleneck_tags(*, db_session: Session, bottleneck: Bottleneck, names: Sequence[str]) -> None:
    """The bottleneck's tags become exactly `names` (new ones are created). All names are checked before
    anything is written."""
    wanted = [
        checked_name(given, field=f"tags: label {position}")
        for position, given in enumerate(names, start=1)
        if normal_name(given)
    ]
    for link in db_session.exec(select(BottleneckTag).where(BottleneckTag.bottleneck_id == bottleneck.id)):
        db_session.delete(link)
    db_session.flush()
    for name in sorted(set(wanted)):
        tag = get_or_create(db_session=db_session, name=name)
        db_session.add(BottleneckTag(bottleneck_id=bottleneck.id, tag_id=tag.id))
    db_session.flush()


# ---- the taxonomy (management's) -----------------------------------------------------------------

MAX_TAGS = 5000  # a taxonomy is read whole to walk it; far more labels than any team uses


def get_or_raise(*, db_session: Session, tag_id: int) -> Tag:
    tag = db_session.get(Tag, tag_id)
    if tag is None:
        raise NotFound(gettext("Dit label bestaat niet (meer)."))
    return tag


def all_tags(*, db_session: Session) -> list[Tag]:
    return list(db_session.exec(select(Tag).order_by(Tag.name).limit(MAX_TAGS)))


def descendants(*, db_session: Session, tag_id: int) -> set[int]:
    """The ids of every tag nested (at any depth) under `tag_id`, not the tag itself."""
    children: dict[int | None, list[int]] = {}
    for child_id, parent_id in db_session.exec(select(Tag.id, Tag.parent_id).limit(MAX_TAGS)):
        children.setdefault(parent_id, []).append(child_id)
    found: set[int] = set()
    todo = list(children.get(tag_id, []))
    while todo:
        current = todo.pop()
        if current not in found:  # a cycle cannot be stored, but a walk never trusts that
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def create(*, db_session: Session, name: str, parent_id: int | None = None) -> Tag:
    normal = checked_name(name)
    if db_session.exec(select(Tag).where(Tag.name == normal)).first() is not None:
        raise Invalid(
            gettext("naam: het label '%(name)s' bestaat al.") % {"name": normal}
            + " "
            + gettext(NOTHING_CHANGED)
        )
    if parent_id is not None:
        get_or_raise(db_session=db_session, tag_id=parent_id)
    tag = Tag(name=normal, parent_id=parent_id)
    db_session.add(tag)
    db_session.flush()
    return tag


def rename(*, db_session: Session, tag: Tag, name: str) -> Tag:
    normal = checked_name(name)
    other = db_session.exec(select(Tag).where(Tag.name == normal)).first()
    if other is not None and other.id != tag.id:
        raise Invalid(
            gettext("naam: het label '%(name)s' bestaat al; voeg de twee samen.") % {"name": normal}
            + " "
            + gettext(NOTHING_CHANGED)
        )
    tag.name = normal
    db_session.add(tag)
    db_session.flush()
    return tag


def nest(*, db_session: Session, tag: Tag, parent_id: int | None) -> Tag:
    """Put `tag` under `parent_id` (None: at the top). Refused when that would make a cycle."""
    if parent_id == tag.id:
        raise Invalid(
            gettext("parent: een label kan niet onder zichzelf hangen.") + " " + gettext(NOTHING_CHANGED)
        )
    if parent_id is not None:
        parent = get_or_raise(db_session=db_session, tag_id=parent_id)
        if parent.id in descendants(db_session=db_session, tag_id=tag.id):
            raise Invalid(
                gettext("parent: '%(parent)s' hangt al onder '%(tag)s'; dat zou een kring maken.")
                % {"parent": parent.name, "tag": tag.name}
                + " "
                + gettext(NOTHING_CHANGED)
            )
    tag.parent_id = parent_id
    db_session.add(tag)
    db_session.flush()
    return tag


def merge(*, db_session: Session, source: Tag, target: Tag) -> Tag:
    """Fold `source` into `target`: its bottlenecks and cases carry `target` instead, its sub-labels move
    under `target`, and `source` is gone. Refused into itself or into one of its own sub-labels."""
    if source.id == target.id:
        raise Invalid(
            gettext("into: een label kan niet in zichzelf worden samengevoegd.")
            + " "
            + gettext(NOTHING_CHANGED)
        )
    if target.id in descendants(db_session=db_session, tag_id=source.id):
        raise Invalid(
            gettext(
                "into: '%(target)s' hangt onder '%(source)s'; een label kan niet in een eigen "
                "onderlabel worden samengevoegd."
            )
            % {"target": target.name, "source": source.name}
            + " "
            + gettext(NOTHING_CHANGED)
        )
    for link_model, owner in ((BottleneckTag, "bottleneck_id"), (CaseTag, "case_id")):
        already = set(
            db_session.exec(select(getattr(link_model, owner)).where(link_model.tag_id == target.id))
        )
        for link in db_session.exec(select(link_model).where(link_model.tag_id == source.id)).all():
            if getattr(link, owner) not in already:
                db_session.add(link_model(**{owner: getattr(link, owner)}, tag_id=target.id))
            db_session.delete(link)
    for child in db_session.exec(select(Tag).where(Tag.parent_id == source.id)).all():
        child.parent_id = target.id
        db_session.add(child)
    db_session.flush()
    db_session.delete(source)
    db_session.flush()
    return target


# ---- tagging many at once, and cases ----------------------------------------------------------------

MAX_BULK = 500  # bottlenecks tagged in one go (the register shows at most 100 per page)


def retag_bottlenecks(
    *, db_session: Session, bottleneck_ids: Sequence[int], add: Sequence[str] = (), remove: Sequence[str] = ()
) -> int:
    """Add the labels `add` to (creating them) and take `remove` off every bottleneck in `bottleneck_ids`,
    leaving their other labels alone. All names are checked first. Returns how many links changed."""
    adding = sorted(
        {checked_name(n, field=f"add: label {i}") for i, n in enumerate(add, start=1) if normal_name(n)}
    )
    removing = {normal_name(n) for n in remove if normal_name(n)}
    ids = sorted(set(bottleneck_ids))
    changed = 0
    if removing:
        gone = select(Tag.id).where(col(Tag.name).in_(removing))
        for link in db_session.exec(
            select(BottleneckTag).where(
                col(BottleneckTag.bottleneck_id).in_(ids), col(BottleneckTag.tag_id).in_(gone)
            )
        ).all():
            db_session.delete(link)
            changed += 1
    for name in adding:
        tag = get_or_create(db_session=db_session, name=name)
        present = set(
            db_session.exec(
                select(BottleneckTag.bottleneck_id).where(
                    BottleneckTag.tag_id == tag.id, col(BottleneckTag.bottleneck_id).in_(ids)
                )
            )
        )
        for bottleneck_id in ids:
            if bottleneck_id not in present:
                db_session.add(BottleneckTag(bottleneck_id=bottleneck_id, tag_id=tag.id))
                changed += 1
    db_session.flush()
    return changed


def set_case_tags(*, db_session: Session, case_id: int, names: Sequence[str], may_create: bool) -> None:
    """The case's labels become exactly `names`. Labels come from management's taxonomy: only someone who
    `may_create` (a manager) adds a label that does not exist yet."""
    tags = []
    for position, given in enumerate(names, start=1):
        if not normal_name(given):
            continue
        name = checked_name(given, field=f"tags: label {position}")
        tag = db_session.exec(select(Tag).where(Tag.name == name)).first()
        if tag is None and not may_create:
            raise Invalid(
                gettext("tags: label %(position)s bestaat niet; labels maakt een manager aan.")
                % {"position": position}
                + " "
                + gettext(NOTHING_CHANGED)
            )
        tags.append(tag or get_or_create(db_session=db_session, name=name))
    for link in db_session.exec(select(CaseTag).where(CaseTag.case_id == case_id)).all():
        db_session.delete(link)
    db_session.flush()
    for tag_id in sorted({tag.id for tag in tags}):
        db_session.add(CaseTag(case_id=case_id, tag_id=tag_id))
    db_session.flush()


def case_tag_names(*, db_session: Session, case_id: int) -> list[str]:
    return list(
        db_session.exec(
            select(Tag.name)
            .join(CaseTag, col(CaseTag.tag_id) == Tag.id)
            .where(CaseTag.case_id == case_id)
            .order_by(Tag.name)
        )
    )
