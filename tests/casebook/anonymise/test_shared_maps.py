"""Pseudonym maps shared through Redis: several processes that serve one database give a name the same placeholder
whichever of them sees it, and Redis never holds a name. Each `SharedMaps` here stands for one process (its own
client and its own copy of the map); they meet only in the real Redis beside the tests (skipped with the reason
where it is absent; under CI=true that is a failure instead)."""

import random
import threading
import uuid

import pytest
import redis

from casebook import settings as settings_registry
from casebook.anonymise import registry, shared
from casebook.anonymise.pseudonyms import Pseudonyms
from casebook.anonymise.registry import PseudonymRegistry
from casebook.anonymise.service import anonymise_text
from casebook.errors import Busy
from utils.services import require_redis

NAMES = [
    "Anouk de Vries",
    "A. de Vries",
    "Anouk",
    "Karin Mulder",
    "mevrouw Mulder",
    "K. Mulder",
    "Ahmed Rachidi",
]
NAMES += ["Rachidi", "Piet Bakker", "Jan Piet Bakker", "Jan", "Bakker", "de Vries", "Evi", "Evi Jansen"]


@pytest.fixture
def redis_url():
    return require_redis()


@pytest.fixture
def database(redis_url):
    """A database name of its own, so every test has its own maps; they are deleted afterwards."""
    name = f"test-{uuid.uuid4().hex}"
    yield name
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{shared.SharedMaps(redis_url, name, 'geheim').prefix}*"))
    if keys:
        client.delete(*keys)


def person(n: int) -> str:
    """A name of its own for every number (name words hold letters only)."""
    letters = "".join("bcdfghjklm"[int(d)] for d in str(n))
    return f"Ka{letters}a Mu{letters}er"


def process(redis_url: str, database: str, secret: str = "geheim") -> shared.SharedMaps:
    return shared.SharedMaps(redis_url, database, secret)


def fetched(maps: shared.SharedMaps, object_id: int = 1, held: shared.SharedPseudonyms | None = None):
    """What PseudonymRegistry.get does for a request: this process's map (or a new one), caught up."""
    held = held or shared.SharedPseudonyms(maps.log(registry.CASE, object_id))
    held.sync(seed=lambda: Pseudonyms(maps.keys))
    return held


def test_a_name_seen_by_one_process_has_the_same_placeholder_in_the_other(redis_url, database):
    one = process(redis_url, database)
    first = fetched(one)
    assert first.placeholder("PERSON", "Anouk de Vries") == "[PERSOON-1]"
    second = fetched(process(redis_url, database))
    assert second.placeholder("PERSON", "A. de Vries") == "[PERSOON-1]"
    assert second.placeholder("PERSON", "Karin Mulder") == "[PERSOON-2]"
    assert second.placeholder("BSN", "111222333") == "[BSN-1]"
    fetched(one, held=first)  # the next request through the first process
    assert first.placeholders([("PERSON", "Karin"), ("PERSON", "Anouk"), ("BSN", "111 222 333")]) == [
        "[PERSOON-2]",
        "[PERSOON-1]",
        "[BSN-1]",
    ]


def test_any_interleaving_of_two_processes_numbers_as_one_process_alone_would(redis_url, database):
    one, two = process(redis_url, database), process(redis_url, database)
    maps = {one: fetched(one), two: fetched(two)}
    alone = Pseudonyms()
    rng = random.Random(7)
    for _ in range(60):
        names = rng.sample(NAMES, 3)
        which = rng.choice([one, two])
        fetched(which, held=maps[which])
        got = maps[which].placeholders([("PERSON", name) for name in names])
        assert got == alone.placeholders([("PERSON", name) for name in names]), names


def test_a_new_process_reads_the_map_and_continues_the_stored_numbering(redis_url, database):
    first_process = process(redis_url, database)
    first = shared.SharedPseudonyms(first_process.log(registry.CASE, 1))
    first.sync(seed=lambda: Pseudonyms.from_texts(["[PERSOON-4] belde."], first_process.keys))
    assert first.placeholder("PERSON", "Karin Mulder") == "[PERSOON-5]"
    later = fetched(process(redis_url, database))  # its seed would start at 1: the log already exists
    assert later.placeholder("PERSON", "Karin") == "[PERSOON-5]"
    assert later.placeholder("PERSON", "Evi") == "[PERSOON-6]"


def test_the_names_a_text_taught_one_process_are_read_as_names_by_the_other(redis_url, database):
    first = fetched(process(redis_url, database))
    anonymise_text("Gesprek met mevrouw Zwaantje Oudeboom over de huur.", pseudonyms=first)
    second = fetched(process(redis_url, database))
    assert "zwaantje" in second.name_words() and "huur" not in second.name_words()
    assert (
        anonymise_text("Later belde zwaantje nog.", pseudonyms=second).text == "Later belde [PERSOON-1] nog."
    )


def test_redis_holds_tokens_and_numbers_never_a_name(redis_url, database):
    maps = process(redis_url, database)
    held = fetched(maps)
    anonymise_text(
        "Mevrouw Zwaantje Oudeboom (BSN 111222333, zwaantje@voorbeeld.nl) woont aan de Kerkstraat 12.",
        pseudonyms=held,
        roster=["Gerrit Bakker"],
    )
    client = redis.Redis.from_url(redis_url)
    stored = b" ".join(
        key
        + b" "
        + b" ".join(client.lrange(key, 0, -1) if client.type(key) == b"list" else client.zrange(key, 0, -1))
        for key in client.scan_iter(f"{maps.prefix}*")
    ).lower()
    assert b"[persoon" not in stored and len(stored) > 200
    for word in (b"zwaantje", b"oudeboom", b"111222333", b"voorbeeld", b"kerkstraat", b"gerrit", b"bakker"):
        assert word not in stored


def test_maps_keyed_with_another_secret_are_kept_apart(redis_url, database):
    fetched(process(redis_url, database)).placeholder("PERSON", "Karin Mulder")
    other = fetched(process(redis_url, database, secret="een ander geheim"))
    assert other.placeholder("PERSON", "Ahmed Rachidi") == "[PERSOON-1]"


def test_processes_adding_names_at_once_agree_on_every_number(redis_url, database):
    processes = [process(redis_url, database) for _ in range(2)]
    maps = [fetched(p) for p in processes]
    given: list[list[str]] = [[], []]

    def add(which: int) -> None:
        for n in range(25):
            given[which].append(maps[which].placeholder("PERSON", person(100 * which + n)))

    threads = [threading.Thread(target=add, args=(which,)) for which in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(given[0] + given[1]) == sorted(f"[PERSOON-{n}]" for n in range(1, 51))
    for which, m in enumerate(maps):
        fetched(processes[which], held=m)
    for n in range(25):
        for which in (0, 1):
            name = person(100 * which + n)
            assert (
                maps[0].placeholder("PERSON", name) == maps[1].placeholder("PERSON", name) == given[which][n]
            )


def test_a_long_log_is_replaced_by_the_map_and_numbering_goes_on(redis_url, database, monkeypatch):
    monkeypatch.setattr(shared, "MAX_LOG_ENTRIES", 5)
    one, two = process(redis_url, database), process(redis_url, database)
    first = fetched(one)
    for n in range(12):
        first.placeholder("PERSON", person(n))
    assert one.client.llen(first._log.key) <= 5
    second = fetched(two)
    assert second.placeholder("PERSON", person(3)) == "[PERSOON-4]"
    assert second.placeholder("PERSON", "Iemand Nieuw") == "[PERSOON-13]"


def test_a_map_that_grew_too_large_starts_afresh_without_reusing_a_number(redis_url, database, monkeypatch):
    monkeypatch.setattr(shared, "MAX_LOG_ENTRIES", 5)
    monkeypatch.setattr(shared, "MAX_IDENTIFIERS", 4)
    first = fetched(process(redis_url, database))
    for n in range(12):
        first.placeholder("PERSON", person(n))
    second = fetched(process(redis_url, database))
    assert second.size <= 4
    assert second.placeholder("PERSON", "Iemand Nieuw") == "[PERSOON-13]"


def test_a_map_gone_from_redis_is_started_again_from_the_map_a_process_holds(redis_url, database):
    maps = process(redis_url, database)
    first = fetched(maps)
    first.placeholder("PERSON", "Karin Mulder")
    maps.client.delete(first._log.key)  # expired
    fetched(maps, held=first)
    assert fetched(process(redis_url, database)).placeholder("PERSON", "Karin") == "[PERSOON-1]"


def test_a_malformed_entry_in_redis_never_becomes_a_placeholder(redis_url, database):
    maps = process(redis_url, database)
    first = fetched(maps)
    first.placeholder("PERSON", "Karin Mulder")
    maps.client.rpush(first._log.key, '["S","BSN","<script>alert(1)</script>"]')
    second = fetched(process(redis_url, database))
    assert second.placeholder("PERSON", "Karin") == "[PERSOON-1]"
    assert second.placeholder("BSN", "111222333") == "[BSN-1]"


def test_redis_out_of_reach_refuses_for_now_instead_of_numbering_alone():
    unreachable = shared.SharedMaps("redis://127.0.0.1:1/0", "nergens", "geheim")
    with pytest.raises(Busy) as refused:
        fetched(unreachable)
    assert refused.value.status_code == 503 and refused.value.retry_after >= 1


@pytest.fixture
def shared_database(redis_url, engine, settings):
    """The test's database served with REDIS_URL, as `create_app` registers it."""
    settings_registry.register(engine, settings.model_copy(update={"redis_url": redis_url}))
    yield
    settings_registry.register(engine, settings)


def test_the_registry_of_a_database_served_with_redis_shares_and_erases_its_maps(
    shared_database, db_session, redis_url
):
    here, there = PseudonymRegistry(), PseudonymRegistry()  # two processes
    stored = ["Gesprek met [PERSOON-1] en [PERSOON-2]."]
    new = here.new_map(db_session=db_session)  # a new case's texts, anonymised before it has an id
    assert new.placeholders([("PERSON", "Zwaantje Oudeboom"), ("PERSON", "Karin Mulder")]) == [
        "[PERSOON-1]",
        "[PERSOON-2]",
    ]
    here.remember(db_session=db_session, scope=registry.CASE, object_id=3, pseudonyms=new)
    assert there.held(db_session=db_session, scope=registry.CASE) == set()  # not before the case is committed
    here.get(
        db_session=db_session, scope=registry.CASE, object_id=3, stored_texts=lambda: stored
    )  # committed
    found = there.get(db_session=db_session, scope=registry.CASE, object_id=3, stored_texts=lambda: stored)
    assert found.placeholders([("PERSON", "K. Mulder"), ("PERSON", "Evi")]) == ["[PERSOON-2]", "[PERSOON-3]"]
    assert there.held(db_session=db_session, scope=registry.CASE) == {3}

    here.forget(db_session=db_session, scope=registry.CASE, object_id=3)
    assert there.held(db_session=db_session, scope=registry.CASE) == {3}  # its own copy, until it forgets
    assert here.held(db_session=db_session, scope=registry.CASE) == set()
    again = PseudonymRegistry().get(
        db_session=db_session, scope=registry.CASE, object_id=3, stored_texts=lambda: stored
    )
    assert again.placeholder("PERSON", "Karin Mulder") == "[PERSOON-3]"  # erased: nothing of it is left
