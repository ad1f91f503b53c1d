"""Rosters shared between processes through Redis: names given through one process mask in every other, also
in one that starts later or missed the announcement; a roster no process holds any more is refused, never
silently dropped; and Redis keeps no name. Each `Rosters` with its `RosterLink` stands for one process; they
meet only in the real Redis beside the tests (skipped with the reason where it is absent; under CI=true that is
a failure instead)."""

import threading
import time
import uuid

import pytest
import redis
from sqlmodel import select

from casebook.accounts.models import Role
from casebook.db import database_key
from casebook.errors import Busy, Invalid
from chat import flows as chat_flows
from chat.discussions import anonymiser as discussion_anonymiser
from chat.discussions import rosters as shared_rosters
from chat.discussions.models import DiscussionSession, SessionCreate
from chat.discussions.rosters import RosterLink, RosterLost, Rosters
from utils.factories import make_case, make_user
from utils.services import require_redis

DATABASE = "postgresql://gedeeld"
SESSION = 7


@pytest.fixture
def channel():
    """A channel (and counter prefix) of its own; its counters are deleted afterwards."""
    redis_url = require_redis()
    name = f"casebook-test-{uuid.uuid4().hex[:12]}"
    yield redis_url, name
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{name}*"):
        client.delete(key)


@pytest.fixture
def start_process(channel):
    """Start a process's rosters, linked to the shared Redis; every one is stopped afterwards."""
    redis_url, name = channel
    links: list[RosterLink] = []

    def start() -> Rosters:
        rosters = Rosters()
        link = RosterLink(rosters, redis_url, name, DATABASE, ttl_seconds=3600)
        link.start()
        links.append(link)
        return rosters

    yield start
    for link in links:
        link.stop()


def eventually(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_names_given_through_one_process_are_masked_by_the_other(start_process):
    first, second = start_process(), start_process()
    first.add(DATABASE, SESSION, ["Zwaantje Oudeboom", "Gerrit Bakker"])
    assert second.names(DATABASE, SESSION) == ["Gerrit Bakker", "Zwaantje Oudeboom"]
    second.add(DATABASE, SESSION, ["Evi Jansen"])
    assert first.names(DATABASE, SESSION) == ["Evi Jansen", "Gerrit Bakker", "Zwaantje Oudeboom"]
    assert second.names(DATABASE, SESSION + 1) == []  # a session without a roster


def test_a_process_started_after_the_names_were_given_asks_the_others(start_process):
    first = start_process()
    first.add(DATABASE, SESSION, ["Zwaantje Oudeboom"])
    later = start_process()
    assert later.names(DATABASE, SESSION) == ["Zwaantje Oudeboom"]


def test_a_process_that_missed_an_announcement_catches_up_before_it_anonymises(start_process, channel):
    first, second = start_process(), start_process()
    first.add(DATABASE, SESSION, ["Zwaantje Oudeboom"])
    assert second.names(DATABASE, SESSION) == ["Zwaantje Oudeboom"]
    second.drop(DATABASE, SESSION)  # as if the announcement of the roster had never arrived
    assert second.names(DATABASE, SESSION) == ["Zwaantje Oudeboom"]


def test_a_roster_no_process_holds_any_more_is_refused_until_it_is_given_again(start_process, monkeypatch):
    monkeypatch.setattr(shared_rosters, "ROSTER_WAIT_SECONDS", 0.3)
    gone = start_process()
    gone.add(DATABASE, SESSION, ["Zwaantje Oudeboom"])
    gone.drop(DATABASE, SESSION)  # the only process that held it restarted
    restarted = start_process()
    with pytest.raises(RosterLost) as refused:
        restarted.names(DATABASE, SESSION)
    assert "opnieuw" in refused.value.detail and refused.value.status_code == 422
    restarted.add(DATABASE, SESSION, ["Zwaantje Oudeboom", "Gerrit Bakker"])
    assert restarted.names(DATABASE, SESSION) == ["Gerrit Bakker", "Zwaantje Oudeboom"]
    assert start_process().names(DATABASE, SESSION) == ["Gerrit Bakker", "Zwaantje Oudeboom"]


def test_a_roster_whose_counter_redis_lost_is_refused_where_it_is_not_held_never_silently_dropped(
    start_process, channel, monkeypatch
):
    """Redis restarted without persistence (or evicted the counter): the database still says names were given,
    so a process without them refuses, while one that holds them still masks with them."""
    monkeypatch.setattr(shared_rosters, "ROSTER_WAIT_SECONDS", 0.3)
    redis_url, name = channel
    holder = start_process()
    holder.add(DATABASE, SESSION, ["Engel"])
    redis.Redis.from_url(redis_url).delete(f"{name}:roster-changes:{SESSION}")
    assert holder.names(DATABASE, SESSION, given=True) == ["Engel"]
    holder.drop(DATABASE, SESSION)  # the process that held it restarted too
    with pytest.raises(RosterLost):
        start_process().names(DATABASE, SESSION, given=True)


def test_names_given_through_both_processes_at_once_are_all_masked_by_both(start_process, monkeypatch):
    first, second = start_process(), start_process()
    first.add(DATABASE, SESSION, ["Zwaantje Oudeboom"])
    assert eventually(lambda: second.state(DATABASE, SESSION) is not None)
    both_ready = threading.Barrier(2, timeout=5)
    count_change = RosterLink.count_change

    def count_at_once(link, session_id):  # both have checked the roster before either counts its change
        both_ready.wait()
        return count_change(link, session_id)

    monkeypatch.setattr(RosterLink, "count_change", count_at_once)
    adding = [
        threading.Thread(target=first.add, args=(DATABASE, SESSION, ["Gerrit Bakker"])),
        threading.Thread(target=second.add, args=(DATABASE, SESSION, ["Evi Jansen"])),
    ]
    for thread in adding:
        thread.start()
    for thread in adding:
        thread.join()
    everyone = ["Evi Jansen", "Gerrit Bakker", "Zwaantje Oudeboom"]
    assert first.names(DATABASE, SESSION) == second.names(DATABASE, SESSION) == everyone
    assert start_process().names(DATABASE, SESSION) == everyone


def test_the_roster_stays_within_its_bound_across_processes(start_process):
    first, second = start_process(), start_process()
    first.add(DATABASE, SESSION, [f"Naam{chr(97 + n // 26)}{chr(97 + n % 26)} Achternaam" for n in range(30)])
    with pytest.raises(Invalid, match="maximaal 50"):
        second.add(
            DATABASE, SESSION, [f"Ander{chr(97 + n // 26)}{chr(97 + n % 26)} Persoon" for n in range(30)]
        )
    assert len(first.names(DATABASE, SESSION)) == len(second.names(DATABASE, SESSION)) == 30


def test_a_forgotten_roster_leaves_every_process(start_process):
    first, second = start_process(), start_process()
    first.add(DATABASE, SESSION, ["Zwaantje Oudeboom"])
    assert second.names(DATABASE, SESSION) == ["Zwaantje Oudeboom"]
    first.forget(DATABASE, SESSION)
    assert eventually(lambda: second.held(DATABASE) == set())
    assert second.names(DATABASE, SESSION) == []


def test_redis_keeps_numbers_of_changes_never_a_name(start_process, channel):
    redis_url, name = channel
    first, second = start_process(), start_process()
    first.add(DATABASE, SESSION, ["Zwaantje Oudeboom"])
    second.add(DATABASE, SESSION, ["Gerrit Bakker"])
    client = redis.Redis.from_url(redis_url)
    kept = {key: client.get(key) for key in client.scan_iter(f"{name}*")}
    assert kept == {f"{name}:roster-changes:{SESSION}".encode(): b"2"}
    assert 0 < client.ttl(f"{name}:roster-changes:{SESSION}") <= 3600


def test_a_session_whose_names_cannot_reach_the_other_processes_is_not_planned(db_session, engine):
    coach = make_user(db_session, "coach")
    case = make_case(db_session, coach)
    unreachable = RosterLink(
        discussion_anonymiser.rosters, "redis://127.0.0.1:1/0", "casebook-nergens", database_key(engine), 60
    )
    discussion_anonymiser.rosters.link(
        unreachable
    )  # as an app serving with REDIS_URL links it, Redis now down
    try:
        with pytest.raises(Busy) as refused:
            chat_flows.plan_discussion(
                db_session=db_session,
                user=coach,
                data=SessionCreate(case_id=case.id, participants=[], roster=["Zwaantje Oudeboom"]),
            )
    finally:
        discussion_anonymiser.rosters.unlink(unreachable)
    assert refused.value.status_code == 503
    assert db_session.exec(select(DiscussionSession)).all() == []


def test_names_of_a_discussion_being_planned_are_held_once_it_is_committed(start_process):
    first, second = start_process(), start_process()
    change = first.prepare(DATABASE, SESSION, ["Zwaantje Oudeboom"])  # inside the planning's transaction
    # no process holds them yet, so no sweep can take them for the names of an erased discussion
    assert first.held(DATABASE) == second.held(DATABASE) == set()
    change.apply()  # committed
    assert second.names(DATABASE, SESSION) == ["Zwaantje Oudeboom"]


def test_the_database_records_that_names_were_given_never_which(db_session):
    coach = make_user(db_session, "coach", Role.coach)
    case = make_case(db_session, coach)
    with_names = chat_flows.plan_discussion(
        db_session=db_session,
        user=coach,
        data=SessionCreate(case_id=case.id, participants=[], roster=["Zwaantje Oudeboom"]),
    )
    without = chat_flows.plan_discussion(
        db_session=db_session, user=coach, data=SessionCreate(case_id=case.id, participants=[])
    )
    assert (with_names.roster_given, without.roster_given) == (True, False)
    chat_flows.add_roster_names(
        db_session=db_session, discussion=without, user=coach, names=["Gerrit Bakker"]
    )
    db_session.expire_all()
    assert db_session.get(DiscussionSession, without.id).roster_given
    stored = " ".join(
        str(v) for row in db_session.exec(select(DiscussionSession)) for v in row.model_dump().values()
    )
    assert "Oudeboom" not in stored and "Bakker" not in stored
