"""Pseudonym maps in memory are bounded; a map that was dropped continues the numbering of what is stored."""

from casebook.anonymise import registry
from casebook.anonymise.registry import PseudonymRegistry


def test_the_same_case_gets_the_same_map_and_another_case_its_own(db_session):
    maps = PseudonymRegistry()
    first = maps.get(db_session=db_session, scope=registry.CASE, object_id=1, stored_texts=list)
    assert maps.get(db_session=db_session, scope=registry.CASE, object_id=1, stored_texts=list) is first
    assert (
        maps.get(db_session=db_session, scope=registry.SESSION, object_id=1, stored_texts=list) is not first
    )


def test_the_least_recently_used_map_is_dropped_and_rebuilt_from_the_stored_texts(db_session):
    maps = PseudonymRegistry(capacity=2)
    stored = {1: ["[PERSOON-1] belde met [PERSOON-2]."], 2: [], 3: []}
    for case_id in (1, 2, 3):
        maps.get(
            db_session=db_session,
            scope=registry.CASE,
            object_id=case_id,
            stored_texts=lambda c=case_id: stored[c],
        )
    assert maps.held(db_session=db_session, scope=registry.CASE) == {2, 3}
    rebuilt = maps.get(
        db_session=db_session, scope=registry.CASE, object_id=1, stored_texts=lambda: stored[1]
    )
    assert rebuilt.placeholder("PERSON", "Karin Mulder") == "[PERSOON-3]"  # never a number already in use


def test_maps_holding_too_many_identifiers_together_are_dropped_least_recently_used_first(db_session):
    maps = PseudonymRegistry(max_identifiers=3)
    first = maps.get(db_session=db_session, scope=registry.CASE, object_id=1, stored_texts=list)
    for name in ("Karin Mulder", "Kees Bakker", "Petra Hoogland"):
        first.placeholder("PERSON", name)
    second = maps.get(db_session=db_session, scope=registry.CASE, object_id=2, stored_texts=list)
    second.placeholder("PERSON", "Anouk de Vries")
    maps.remember(db_session=db_session, scope=registry.CASE, object_id=2, pseudonyms=second)
    assert maps.held(db_session=db_session, scope=registry.CASE) == {2}
