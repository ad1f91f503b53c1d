"""The one writer of a rule bottleneck's record: adding it to a case (from the form, the API, an import or the
live room), its register fields (effect, proposal, owner) and its status with history. learning/ and chat/
call these functions; nobody else writes the bottleneck table or its status history. Functions only flush.

The status flow (Dutch labels in casebook.labels):

    gesignaleerd → herkend → geagendeerd → in behandeling → opgelost | niet aanpasbaar

- Forward through the open states (new, acknowledged, raised_to_policy, in_progress) is free, skipping
  steps included: a manager may put a bottleneck straight on the agenda.
- Opgelost (resolved) needs a resolution: regel aangepast, uitzondering or mandaat verleend.
- Niet aanpasbaar (not_changeable) needs a reason: why the rule cannot be changed.
- Every move back (to an earlier open state, or out of an outcome, reopening it) needs a reason.
- Setting the status it already has changes nothing and writes no history.
A refused move raises Invalid with a Dutch message and changes nothing. Every move, and the signalling
itself, leaves a BottleneckStatusChange row: who, when, from where to where, and why.
"""

from collections.abc import Callable, Sequence

from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts.models import User
from casebook.audit import service as audit_service
from casebook.cases.models import (
    Bottleneck,
    BottleneckIn,
    BottleneckResolution,
    BottleneckStatus,
    BottleneckStatusChange,
)
from casebook.errors import Invalid
from casebook.i18n import N_, gettext
from casebook.labels import BOTTLENECK_STATUS_LABELS, RESOLUTION_LABELS

Anonymiser = Callable[..., str]  # (text, where="") -> anonymised text

OPEN_FLOW = (
    BottleneckStatus.new,
    BottleneckStatus.acknowledged,
    BottleneckStatus.raised_to_policy,
    BottleneckStatus.in_progress,
)
OUTCOMES = (BottleneckStatus.resolved, BottleneckStatus.not_changeable)
TEXT_FIELDS = ("law", "rule", "description", "client_harm", "workaround", "proposal")
#: Fields of BottleneckIn the case form does not show; a case save leaves them alone unless given.
REGISTER_EXTRAS = {"extra_cost", "client_harm", "proposal"}
NOTHING_CHANGED = N_("Er is niets gewijzigd.")


def _rank(status: BottleneckStatus) -> int:
    return OPEN_FLOW.index(status) if status in OPEN_FLOW else len(OPEN_FLOW)


def transition_refusal(
    current: BottleneckStatus, target: BottleneckStatus, resolution: BottleneckResolution | None, reason: str
) -> str | None:
    """Why moving from `current` to `target` (with this resolution and reason) is not allowed, in the
    reader's language; None when it is."""
    label = gettext(BOTTLENECK_STATUS_LABELS[target])
    if resolution is not None and target != BottleneckStatus.resolved:
        return gettext(
            "resolution: een oplossing hoort alleen bij de status '%(resolved)s', niet bij '%(status)s'."
        ) % {"resolved": gettext(BOTTLENECK_STATUS_LABELS[BottleneckStatus.resolved]), "status": label}
    if target == current:
        return None  # nothing moves (a corrected resolution is checked by change_status)
    if target == BottleneckStatus.resolved and resolution is None:
        return gettext(
            "resolution: kies hoe het knelpunt is opgelost (regel aangepast, uitzondering of mandaat "
            "verleend)."
        )
    if target == BottleneckStatus.not_changeable and not reason.strip():
        return gettext("reason: geef de reden waarom de regel niet aan te passen is.")
    if _rank(target) < _rank(current) or (current in OUTCOMES and target != current):
        if not reason.strip():
            return gettext("reason: terugzetten van '%(from)s' naar '%(to)s' kan alleen met een reden.") % {
                "from": gettext(BOTTLENECK_STATUS_LABELS[current]),
                "to": label,
            }
    return None


def change_status(
    *,
    db_session: Session,
    user: User,
    bottleneck: Bottleneck,
    status: BottleneckStatus,
    resolution: BottleneckResolution | None = None,
    reason: str = "",
    anonymise: Anonymiser,
) -> bool:
    """Move `bottleneck` to `status` under the rules above; the reason is anonymised with the case's map.
    Returns whether anything changed. Raises Invalid (nothing changed) when the move is not allowed."""
    refusal = transition_refusal(bottleneck.status, status, resolution, reason)
    if refusal:
        raise Invalid(f"{refusal} {gettext(NOTHING_CHANGED)}")
    if status == bottleneck.status:
        if status != BottleneckStatus.resolved or resolution in (None, bottleneck.resolution):
            return False
        if not reason.strip():  # a different resolution of a resolved bottleneck is a correction: say why
            raise Invalid(
                gettext("reason: geef een reden om de oplossing te wijzigen (was '%(resolution)s').")
                % {
                    "resolution": gettext(RESOLUTION_LABELS[bottleneck.resolution])
                    if bottleneck.resolution
                    else "-"
                }
                + " "
                + gettext(NOTHING_CHANGED)
            )
    stored_reason = anonymise(reason.strip(), "reason") if reason.strip() else ""
    db_session.add(
        BottleneckStatusChange(
            bottleneck_id=bottleneck.id,
            from_status=bottleneck.status,
            to_status=status,
            resolution=resolution,
            reason=stored_reason,
            changed_by_id=user.id,
        )
    )
    bottleneck.status = status
    bottleneck.resolution = resolution if status == BottleneckStatus.resolved else None
    db_session.add(bottleneck)
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="bottleneck.status",
        object_type="bottleneck",
        object_id=bottleneck.id,
        detail=status.value,
    )
    db_session.flush()
    return True


def history(*, db_session: Session, bottleneck_id: int) -> list[BottleneckStatusChange]:
    """The status history of one bottleneck, oldest first (bounded by the moves people made)."""
    query = (
        select(BottleneckStatusChange)
        .where(BottleneckStatusChange.bottleneck_id == bottleneck_id)
        .order_by(col(BottleneckStatusChange.changed_at), col(BottleneckStatusChange.id))
    )
    return list(db_session.exec(query))


# ---- the bottleneck's own fields ----------------------------------------------------------------


def anonymised(data: BottleneckIn, anonymise: Anonymiser, where: str = "bottleneck") -> BottleneckIn:
    """A copy of `data` with every free text anonymised (fields left at their default stay as they are)."""
    return data.model_copy(
        update={
            f: anonymise(getattr(data, f), f"{where}.{f}")
            for f in TEXT_FIELDS
            if f in data.model_fields_set or getattr(data, f)
        }
    )


def add(
    *, db_session: Session, user: User, case_id: int, data: BottleneckIn, session_id: int | None = None
) -> Bottleneck:
    """A new bottleneck from already anonymised `data`, signalled by `user` (the first history row)."""
    bottleneck = Bottleneck(case_id=case_id, session_id=session_id, **data.model_dump())
    db_session.add(bottleneck)
    db_session.flush()
    _signalled(db_session=db_session, user=user, bottleneck=bottleneck)
    return bottleneck


def _signalled(*, db_session: Session, user: User, bottleneck: Bottleneck) -> None:
    db_session.add(
        BottleneckStatusChange(
            bottleneck_id=bottleneck.id, from_status=None, to_status=bottleneck.status, changed_by_id=user.id
        )
    )


def replace_on_case(*, db_session: Session, user: User, case_id: int, rows: Sequence[BottleneckIn]) -> None:
    """The case's bottlenecks become `rows` (already anonymised), as the case form and the API's list
        semantics say, while a bottleneck that is still there keeps its id, status, history, tags and register
        fields: a row is matched to a stored one with the same law and kind, otherwise to the next unmatched
        stored one in order; stored ones left unmatched are deleted. The register's extras (cost, harm, proposal: not on the case
    form) stay as stored unless the row gives them."""
    stored = list(
        db_session.exec(select(Bottleneck).where(Bottleneck.case_id == case_id).order_by(col(Bottleneck.id)))
    )
    matches: list[Bottleneck | None] = []
    free = list(stored)
    for row in rows:
        same = next((b for b in free if b.law == row.law and b.kind == row.kind), None)
        if same is not None:
            free.remove(same)
        matches.append(same)
    for index, match in enumerate(matches):
        if match is None and free:
            matches[index] = free.pop(0)
    for unmatched in free:
        db_session.delete(unmatched)
    db_session.flush()
    for row, kept in zip(rows, matches, strict=True):
        if kept is None:
            add(db_session=db_session, user=user, case_id=case_id, data=row)
            continue
        given = row.model_fields_set | (set(BottleneckIn.model_fields) - REGISTER_EXTRAS)
        for field, value in row.model_dump(include=given).items():
            setattr(kept, field, value)
        db_session.add(kept)
    db_session.flush()


def update_fields(
    *, db_session: Session, user: User, bottleneck: Bottleneck, changes: dict, anonymise: Anonymiser
) -> None:
    """Set register fields (effect, workaround, proposal, level, owner_id) from `changes`; texts are
    anonymised here. The owner must be a manager (or admin)."""
    if "owner_id" in changes and changes["owner_id"] is not None:
        owner = db_session.get(User, changes["owner_id"])
        if owner is None or not owner.is_active or not policy.can_manage_bottlenecks(owner):
            raise Invalid(
                gettext("owner: de eigenaar moet een actieve manager of bestuurder zijn.")
                + " "
                + gettext(NOTHING_CHANGED)
            )
    for field, value in changes.items():
        if field in TEXT_FIELDS:  # a text left out (None) is an empty text
            value = anonymise(value, field) if value else ""
        setattr(bottleneck, field, value)
    db_session.add(bottleneck)
    audit_service.record(
        db_session=db_session,
        actor_id=user.id,
        action="bottleneck.update",
        object_type="bottleneck",
        object_id=bottleneck.id,
        detail=",".join(sorted(changes)),
    )
    db_session.flush()
