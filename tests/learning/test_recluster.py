"""After the way bottlenecks are compared changes, every bottleneck is placed again (not only new ones),
while what managers merged or split by hand stays as they left it."""

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from casebook.accounts.models import Role
from casebook.settings import settings_for
from learning.recurrence import flows as recurrence_flows
from learning.recurrence import service as recurrence_service
from learning.recurrence.models import BottleneckCluster, BottleneckSignature
from search import multilingual
from utils.factories import make_case, make_user, token_for
from utils.rules import KOSTENDELER, PRIVACY

# One rule (a first talk with debt help within three working days when eviction looms), two wordings.
SCHULD = [
    {
        "law": "Wgs art. 4a",
        "kind": "doorlooptijd",
        "delay_days": 20,
        "rule": "Bij dreigende huisuitzetting binnen drie werkdagen een eerste gesprek",
        "description": "Het gesprek kwam pas na drie weken.",
    },
    {
        "law": "Wet gemeentelijke schuldhulpverlening",
        "kind": "doorlooptijd",
        "delay_days": 15,
        "rule": "Termijn van 3 werkdagen voor het eerste gesprek bij ontruimingsdreiging niet gehaald",
        "description": "De aanmelding bleef liggen.",
    },
]


def _groups(client, headers) -> list[list[int]]:
    response = client.get("/api/v1/bottlenecks/recurring", headers=headers, params={"min_cases": 1})
    assert response.status_code == 200, response.text
    return sorted(sorted(c["bottleneck_ids"]) for c in response.json()["items"])


def _cluster_of(client, headers, bottleneck_id: int) -> dict:
    response = client.get("/api/v1/bottlenecks/recurring", headers=headers, params={"min_cases": 1})
    return next(c for c in response.json()["items"] if bottleneck_id in c["bottleneck_ids"])


def _flagged(client, db_session):
    """Five bottlenecks of three rules, placed as they come in; the manager's token."""
    coach = make_user(db_session, "coach")
    for number, bottleneck in enumerate([*SCHULD, *KOSTENDELER, PRIVACY]):
        make_case(db_session, coach, title=f"Casus {number}", bottlenecks=[bottleneck])
    manager = token_for(db_session, make_user(db_session, "manager", Role.manager))
    groups = _groups(client, manager)
    assert len(groups) == 3
    return manager, groups


def _as_an_old_method_left_them(db_session, *, recipe: str | None = None) -> int:
    """Every bottleneck in one cluster, as a cruder way of comparing might have placed them."""
    first = min(db_session.exec(select(BottleneckSignature.cluster_id)).all())
    values: dict = {"cluster_id": first} | ({"recipe": recipe} if recipe else {})
    db_session.exec(update(BottleneckSignature).values(**values))
    db_session.commit()
    return first


def test_reclustering_places_every_bottleneck_again_as_a_new_one_would_be(client, db_session):
    manager, groups = _flagged(client, db_session)
    lumped = _as_an_old_method_left_them(db_session)
    assert len(_groups(client, manager)) == 1
    done = recurrence_flows.recluster(db_session=db_session)
    assert _groups(client, manager) == groups
    assert done.placed == 5 and done.clusters_before == 1 and done.clusters_after == 3
    # The cluster everyone knew keeps its number.
    assert lumped in db_session.exec(select(BottleneckSignature.cluster_id)).all()
    assert recurrence_flows.recluster(db_session=db_session).moved == 0  # nothing left to improve


def test_a_new_way_of_signing_is_taken_up_in_the_background_not_by_the_next_save(client, db_session):
    manager, groups = _flagged(client, db_session)
    _as_an_old_method_left_them(db_session, recipe="old-recipe")
    make_case(db_session, make_user(db_session, "coach-2"), title="Nog een casus", bottlenecks=[PRIVACY])
    stale = select(BottleneckSignature).where(BottleneckSignature.recipe == "old-recipe")
    assert len(db_session.exec(stale).all()) == 5  # saving a case signed only its own bottleneck

    assert recurrence_flows.renew(db_session=db_session) == 5  # what the housekeeping job does
    newest = max(db_session.exec(select(BottleneckSignature.bottleneck_id)).all())
    privacy_id = next(g[0] for g in groups if len(g) == 1)
    expected = [sorted([*g, newest]) if g == [privacy_id] else g for g in groups]
    assert _groups(client, manager) == sorted(expected)
    assert recurrence_flows.renew(db_session=db_session) == 0  # nothing stale is left


def test_a_restart_between_renewing_and_placing_again_is_finished_by_the_next_round(
    client, db_session, monkeypatch
):
    manager, groups = _flagged(client, db_session)
    _as_an_old_method_left_them(db_session, recipe="old-recipe")

    def interrupted(**_):
        raise RuntimeError("the server stopped")

    with monkeypatch.context() as patched:
        patched.setattr(recurrence_flows.recluster_service, "recluster", interrupted)
        with pytest.raises(RuntimeError):
            recurrence_flows.renew(db_session=db_session)
    assert len(_groups(client, manager)) == 1  # renewed, but still lumped as the old way left them
    assert recurrence_flows.renew(db_session=db_session) == 0  # nothing to sign: only the placing is left
    assert _groups(client, manager) == groups


def test_a_merge_by_a_manager_survives_reclustering(client, db_session):
    manager, groups = _flagged(client, db_session)
    privacy_id = next(g[0] for g in groups if len(g) == 1)
    schuld_ids = next(g for g in groups if privacy_id not in g and len(g) == 2)
    target = _cluster_of(client, manager, schuld_ids[0])["cluster_id"]
    other = _cluster_of(client, manager, privacy_id)["cluster_id"]
    merged = client.post(
        f"/api/v1/bottlenecks/recurring/{target}/merge", headers=manager, json={"cluster_ids": [other]}
    )
    assert merged.status_code == 200, merged.text
    recurrence_flows.recluster(db_session=db_session)
    assert sorted([*schuld_ids, privacy_id]) in _groups(client, manager)
    assert db_session.get_one(BottleneckCluster, other).merged_into_id == target


def test_a_split_by_a_manager_survives_reclustering_and_a_lumped_cluster_elsewhere_is_undone(
    client, db_session
):
    manager, groups = _flagged(client, db_session)
    pair = next(g for g in groups if len(g) == 2)
    cluster_id = _cluster_of(client, manager, pair[0])["cluster_id"]
    split = client.post(
        f"/api/v1/bottlenecks/recurring/{cluster_id}/split",
        headers=manager,
        json={"bottleneck_ids": pair[1:]},
    )
    assert split.status_code == 200, split.text
    others = [g for g in groups if g != pair]
    # The other rules lumped together, as an older way of comparing might have left them.
    lump = _cluster_of(client, manager, others[0][0])["cluster_id"]
    moved = [b for g in others for b in g]
    db_session.exec(
        update(BottleneckSignature)
        .where(col(BottleneckSignature.bottleneck_id).in_(moved))
        .values(cluster_id=lump)
    )
    db_session.commit()
    done = recurrence_flows.recluster(db_session=db_session)
    assert done.kept_clusters == 2
    assert _groups(client, manager) == sorted([[pair[0]], [pair[1]], *others])


def test_another_dutch_reading_model_is_another_way_of_signing(db_session, monkeypatch):
    settings = settings_for(db_session)
    monkeypatch.setattr(recurrence_service, "_recipes", {})
    current = recurrence_service.recipe(settings=settings)
    monkeypatch.setattr(recurrence_service, "_recipes", {})
    monkeypatch.setattr(multilingual, "model_id", lambda: "another model")
    assert recurrence_service.recipe(settings=settings) != current
