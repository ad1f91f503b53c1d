"""Search decides who sees which case from the user's teams and invitations (search.service.audience)
matched against the index's own record of each case's team, instead of selecting every visible case id
with casebook.policy.visible_filter. The two must select exactly the same cases."""

import pytest
from sqlmodel import select

from casebook.accounts.models import Role
from casebook.cases.models import Case, CaseParticipant
from search import service
from search.embedding import get_embedder
from search.engine import SearchEngine
from search.models import Audience, Filters
from utils.factories import make_case, make_user

NORTH, SOUTH, EAST = "Wijkteam Noord", "Wijkteam Zuid", "Wijkteam Oost"


@pytest.fixture
def world(db_session):
    """Three teams, cases in each, and users of every role with and without teams and invitations."""
    admin = make_user(db_session, "admin", Role.admin, teams=())
    users = {
        "admin": admin,
        "manager-all": make_user(db_session, "manager-all", Role.manager, teams=()),
        "manager-south": make_user(db_session, "manager-south", Role.manager, teams=(SOUTH,)),
        "coach-north": make_user(db_session, "coach-north", Role.coach, teams=(NORTH,)),
        "coach-north-south": make_user(db_session, "coach-north-south", Role.coach, teams=(NORTH, SOUTH)),
        "coach-no-team": make_user(db_session, "coach-no-team", Role.coach, teams=()),
        # a provider who is a member of a team still sees only the cases they were invited to
        "provider-in-north": make_user(db_session, "provider-in-north", Role.provider, teams=(NORTH,)),
        "partner": make_user(db_session, "partner", Role.partner, teams=()),
        "partner-uninvited": make_user(db_session, "partner-uninvited", Role.partner, teams=()),
    }
    cases = {}
    for team in (NORTH, SOUTH, EAST):
        for n in range(3):
            cases[team, n] = make_case(
                db_session,
                admin,
                team=team,
                title=f"Schulden en wachten {team} {n}",
                narrative=f"[CLIENT] heeft schulden; het besluit ligt bij de jurist ({team}).",
            )
    # a coach's own case in their team (its creator is a participant too)
    cases["own"] = make_case(
        db_session,
        users["coach-north"],
        title="Schulden, eigen casus",
        narrative="[CLIENT] heeft schulden bij de verhuurder.",
    )
    invitations = [
        ("coach-north", (EAST, 0)),
        ("coach-north", (NORTH, 1)),  # the second: also by team
        ("coach-no-team", (SOUTH, 2)),
        ("manager-south", (EAST, 1)),
        ("provider-in-north", (EAST, 2)),
        ("provider-in-north", (SOUTH, 0)),
        ("partner", (NORTH, 0)),
        ("manager-all", (EAST, 0)),
    ]
    for username, case in invitations:
        db_session.add(CaseParticipant(case_id=cases[case].id, user_id=users[username].id))
    db_session.commit()
    return users, cases


@pytest.fixture
def indexed(db_session, world):
    engine = SearchEngine(get_embedder())
    engine.sync(service.documents(db_session=db_session))
    return engine


def test_the_audience_selects_exactly_the_cases_visible_filter_selects(db_session, world, indexed):
    users, cases = world
    everything = set(db_session.exec(select(Case.id)))
    assert set(indexed.docs) == everything
    seen = {}
    for name, user in users.items():
        by_sql = service.allowed_case_ids(db_session=db_session, user=user)  # policy.visible_filter
        audience = service.audience(db_session=db_session, user=user)
        if by_sql is None:
            assert audience is None, name
            continue
        assert isinstance(audience, Audience), name
        assert indexed._visible(audience, None) == by_sql, name
        filters = Filters(team=NORTH)
        assert indexed._visible(audience, filters) == indexed._visible(by_sql, filters), name
        seen[name] = by_sql
        # and the same ranking, score for score
        for mode in ("hybrid", "lexical"):
            assert indexed.query_text("schulden jurist", mode=mode, allowed=audience) == indexed.query_text(
                "schulden jurist", mode=mode, allowed=by_sql
            ), (name, mode)
    # the mix covers what it should: all-seeing users, team members, invitations only, nothing at all
    assert set(users) - set(seen) == {"admin", "manager-all"}
    team = {c.id for key, c in cases.items() if key != "own" and key[0] == NORTH} | {cases["own"].id}
    assert seen["coach-north"] == team | {cases[EAST, 0].id}
    assert seen["provider-in-north"] == {cases[EAST, 2].id, cases[SOUTH, 0].id}
    assert seen["coach-no-team"] == {cases[SOUTH, 2].id}
    assert seen["partner-uninvited"] == set()


@pytest.mark.parametrize(
    "readers",
    [
        ("coach-north", "provider-in-north"),
        ("coach-north", "coach-north-south"),
        ("coach-north-south", "manager-south", "coach-no-team"),
        ("admin", "partner"),
        ("manager-all", "admin"),
        ("coach-north", "partner-uninvited"),
    ],
)
def test_what_several_read_together_is_exactly_what_each_of_them_may_see(db_session, world, indexed, readers):
    """A room's answer is read by all in it: the shared audience selects the cases every one of them sees."""
    users, _ = world
    everything = set(db_session.exec(select(Case.id)))
    each = [service.allowed_case_ids(db_session=db_session, user=users[name]) for name in readers]
    each = [everything if seen is None else seen for seen in each]  # None: no restriction
    shared = service.shared_audience(db_session=db_session, users=[users[name] for name in readers])
    expected = set.intersection(*each)
    assert (indexed._visible(shared, None) if shared is not None else everything) == expected


def test_a_case_moved_to_another_team_behind_the_index_is_not_returned(db_session, world, indexed, settings):
    """The index's record of a case's team can be stale (another process moved it): every hit is
    checked against the database, by its team there, as it is for existence."""
    users, cases = world
    service.open_index(settings=settings, db_session=db_session, progress=False)
    coach = users["coach-north"]
    moved, deleted = cases[NORTH, 0], cases[NORTH, 2]
    before = {
        h.case_id
        for h in service.search(db_session=db_session, user=coach, query="schulden jurist", k=100).hits
    }
    assert {moved.id, deleted.id} <= before
    db_session.get(Case, moved.id).team_id = db_session.get(Case, cases[SOUTH, 0].id).team_id
    db_session.delete(db_session.get(Case, deleted.id))
    db_session.commit()  # straight into the database: no case events, the index does not know
    result = service.search(db_session=db_session, user=coach, query="schulden jurist", k=100)
    after = {h.case_id for h in result.hits}
    assert moved.id not in after and deleted.id not in after
    assert after == before - {moved.id, deleted.id}
    assert sum(result.facets.team.values()) == len(after)
