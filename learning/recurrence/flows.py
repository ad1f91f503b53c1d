"""One function per recurrence action, committed once here. Placing new bottlenecks follows the case
events (like the search index): it is derived from what was already committed and changes no case."""

from sqlmodel import Session

from casebook.accounts.models import User
from casebook.db import transaction
from casebook.settings import Settings, settings_for
from learning.recurrence import recluster as recluster_service
from learning.recurrence import service as recurrence_service

MAX_ROUNDS = 10_000  # SIGN_BATCH each: far beyond any database this runs on


def bring_in_step(*, db_session: Session, settings: Settings | None = None) -> int:
    """Sign and place every new bottleneck (one without a signature), oldest first, in committed batches;
    returns how many were placed. Signatures of another recipe are left to `renew`, in the background: a
    request that saves a case must not pay for re-signing the whole register."""
    return _sign_all(db_session=db_session, settings=settings or settings_for(db_session), stale=False)


def renew(*, db_session: Session, settings: Settings | None = None) -> int:
    """Renew the signatures of another recipe (the way they are made changed), in committed batches, then
    place every bottleneck again (`recluster`), so the old ones benefit too; returns how many were signed.
    The housekeeping job runs this after start: re-signing costs 16-30 ms a bottleneck (most of an hour at
    100k), and meanwhile the clusters hold the bottlenecks signed the new way. Placing again is recorded with
    its recipe, so a restart after the signatures were renewed but before that still leads to it."""
    settings = settings or settings_for(db_session)
    stale = recurrence_service.has_stale(db_session=db_session, settings=settings)
    if not stale and not recurrence_service.awaits_recluster(db_session=db_session, settings=settings):
        return 0
    signed = _sign_all(db_session=db_session, settings=settings, stale=True)
    _recluster(db_session=db_session, settings=settings)
    return signed


def recluster(*, db_session: Session, settings: Settings | None = None) -> recluster_service.Reclustered:
    """Bring every signature in step, then place every bottleneck again, keeping what managers decided."""
    settings = settings or settings_for(db_session)
    _sign_all(db_session=db_session, settings=settings, stale=True)
    return _recluster(db_session=db_session, settings=settings)


def _recluster(*, db_session: Session, settings: Settings) -> recluster_service.Reclustered:
    try:
        with transaction(db_session):
            done = recluster_service.recluster(db_session=db_session, settings=settings)
            recurrence_service.record_recluster(db_session=db_session, settings=settings)
    finally:
        recurrence_service.forget_memory(db_session=db_session)
    return done


def _sign_all(*, db_session: Session, settings: Settings, stale: bool) -> int:
    placed = 0
    for _ in range(MAX_ROUNDS):
        ids = recurrence_service.unsigned_ids(db_session=db_session, settings=settings, stale=stale)
        if not ids:
            break
        _place(db_session=db_session, settings=settings, bottleneck_ids=ids)
        placed += len(ids)
    return placed


def _place(*, db_session: Session, settings: Settings, bottleneck_ids: list[int]) -> None:
    """Place (or sign again) these bottlenecks and commit; the clusters in memory follow the outcome."""
    try:
        with transaction(db_session):
            recurrence_service.place(db_session=db_session, settings=settings, bottleneck_ids=bottleneck_ids)
    except BaseException:
        recurrence_service.forget_memory(db_session=db_session)
        raise
    recurrence_service.settled(db_session=db_session)


def on_case_saved(
    *, db_session: Session, case_id: int | None = None, about_changed: bool = False, **_
) -> None:
    """A case was saved: place its new bottlenecks; when its title or support question changed (which their
    signatures read), sign the others again in their clusters, in the process that saved it. Other processes
    keep the old vectors in their clusters' sums until their clusters are next rebuilt."""
    settings = settings_for(db_session)
    signed = (
        recurrence_service.signed_ids(db_session=db_session, settings=settings, case_id=case_id)
        if about_changed and case_id is not None
        else []
    )  # before the new ones are placed: they need no second signing
    bring_in_step(db_session=db_session, settings=settings)
    if signed:
        _place(db_session=db_session, settings=settings, bottleneck_ids=signed)


def merge(*, db_session: Session, user: User, cluster_id: int, other_ids: list[int]) -> int:
    with transaction(db_session):
        return recurrence_service.merge(
            db_session=db_session, user=user, cluster_id=cluster_id, other_ids=other_ids
        )


def split(*, db_session: Session, user: User, cluster_id: int, bottleneck_ids: list[int]) -> int:
    with transaction(db_session):
        return recurrence_service.split(
            db_session=db_session, user=user, cluster_id=cluster_id, bottleneck_ids=bottleneck_ids
        )
