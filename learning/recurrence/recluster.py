"""Placing every bottleneck again after the way signatures are made changed. A renewed signature keeps its
cluster (service.place), so without this only bottlenecks flagged after a change would benefit from it.

What managers decided stays: a cluster a manager merged others into, split, or made by a split, and the
cluster of every bottleneck placed by hand, are kept whole, members and all (the audit log names the
clusters of merges and splits, `placed_by_hand` the bottlenecks moved). Every other bottleneck is placed
again, oldest first, exactly as a new one would be: it joins the kept or re-formed cluster it resembles
most, else starts one. A re-formed cluster keeps the id of the cluster its first member came from when it
can, so the numbers people know stay where the grouping did not change; a cluster left empty points to
the one most of its members went to, as a merged cluster does. The service only flushes; flows.py commits."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from casebook.audit.models import AuditEvent
from casebook.settings import Settings
from casebook.timeutil import utcnow
from learning.recurrence import service as recurrence_service
from learning.recurrence import signature
from learning.recurrence.clustering import ClusterSet
from learning.recurrence.models import BottleneckCluster, BottleneckSignature, BottleneckVector

MANAGER_ACTIONS = ("bottleneck_cluster.merge", "bottleneck_cluster.split")
UPDATE_BATCH = 1000  # placements moved per statement (bound parameters stay well under SQLite's limit)
MAX_DECISIONS = 100_000  # merges and splits read from the audit log: far beyond what managers do by hand


@dataclass(frozen=True)
class Reclustered:
    """What a rebuild did: bottlenecks placed again, those of them that moved, clusters kept as managers
    left them, and clusters before and after."""

    placed: int
    moved: int
    kept_clusters: int
    clusters_before: int
    clusters_after: int


def _decided_clusters(db_session: Session) -> set[int]:
    """Clusters a manager merged into, split, or made by a split, as they are now (merges followed)."""
    events = db_session.exec(
        select(AuditEvent.object_id, AuditEvent.detail)
        .where(col(AuditEvent.action).in_(MANAGER_ACTIONS), col(AuditEvent.object_id).is_not(None))
        .order_by(col(AuditEvent.id).desc())  # past MAX_DECISIONS, the oldest decisions give way
        .limit(MAX_DECISIONS)
    ).all()
    named = {object_id for object_id, _ in events if object_id is not None}
    # A split's detail is the id of the cluster it made (a merge's are the clusters it emptied).
    named |= {int(detail) for _, detail in events if detail.isdigit()}
    return {
        current
        for cluster_id in named
        if (current := recurrence_service.current_cluster_id(db_session=db_session, cluster_id=cluster_id))
    }


def recluster(*, db_session: Session, settings: Settings) -> Reclustered:
    """Place every bottleneck not kept by a manager's decision again (see the module). Every signature must
    be of the current recipe (flows.recluster brings them in step first). Not committed."""
    current = recurrence_service.recipe(settings=settings)
    rows = db_session.exec(
        select(
            BottleneckSignature.bottleneck_id,
            BottleneckSignature.cluster_id,
            BottleneckSignature.placed_by_hand,
            BottleneckVector.vector,
        )
        .join(BottleneckVector, col(BottleneckVector.bottleneck_id) == BottleneckSignature.bottleneck_id)
        .where(BottleneckSignature.recipe == current)
        .order_by(col(BottleneckSignature.bottleneck_id))
    ).all()
    before = {bottleneck_id: cluster_id for bottleneck_id, cluster_id, _, _ in rows}
    kept = _decided_clusters(db_session) | {cluster_id for _, cluster_id, by_hand, _ in rows if by_hand}
    vectors = recurrence_service.stacked([r[3] for r in rows])
    clusters = ClusterSet(vectors.shape[1])
    for (_, cluster_id, _, _), vector in zip(rows, vectors, strict=True):
        if cluster_id in kept:
            clusters.add(cluster_id, vector)
    after: dict[int, int] = {}
    placed = 0
    for (bottleneck_id, old, _, _), vector in zip(rows, vectors, strict=True):
        if old in kept:
            continue
        target = clusters.nearest(signature.as_query(vector), recurrence_service.THRESHOLD)
        if target is None:
            target = old if old not in clusters.row else recurrence_service.new_cluster(db_session=db_session)
        clusters.add(target, vector)
        after[bottleneck_id] = target
        placed += 1
    moved = {b: c for b, c in after.items() if c != before[b]}
    _write(db_session=db_session, moved=moved, before=before, live=set(clusters.row))
    return Reclustered(
        placed=placed,
        moved=len(moved),
        kept_clusters=len(kept & set(before.values())),
        clusters_before=len(set(before.values())),
        clusters_after=len(clusters.row),
    )


def _write(*, db_session: Session, moved: dict[int, int], before: dict[int, int], live: set[int]) -> None:
    """Move the placements that changed (one statement per target cluster), point each emptied cluster to
    where most of its members went, and touch every cluster involved (the in-memory clusters of every
    process notice it and rebuild)."""
    if not moved:
        return
    by_target: dict[int, list[int]] = {}
    for bottleneck_id, target in moved.items():
        by_target.setdefault(target, []).append(bottleneck_id)
    for target, ids in by_target.items():
        for start in range(0, len(ids), UPDATE_BATCH):
            db_session.exec(
                update(BottleneckSignature)
                .where(col(BottleneckSignature.bottleneck_id).in_(ids[start : start + UPDATE_BATCH]))
                .values(cluster_id=target)
            )
    destinations: dict[int, Counter[int]] = {}
    for bottleneck_id, target in moved.items():
        destinations.setdefault(before[bottleneck_id], Counter())[target] += 1
    now = utcnow()
    for cluster_id in set(destinations) | set(by_target):
        cluster = db_session.get_one(BottleneckCluster, cluster_id)
        if cluster_id not in live:
            cluster.merged_into_id = destinations[cluster_id].most_common(1)[0][0]
        else:
            cluster.merged_into_id = None
        cluster.updated_at = now
        db_session.add(cluster)
    db_session.flush()
    recurrence_service.forget_memory(db_session=db_session)
