"""Roster names in every form, and consistent placeholder numbering."""

import pytest

from casebook.anonymise.service import Pseudonyms, anonymise_text, find_identifiers

ROSTER = ["Anouk de Vries", "Gerrit Bakker"]


def masked(text: str, roster=ROSTER) -> list[str]:
    return [text[e.start : e.end] for e in anonymise_text(text, roster=roster).entities]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("anouk komt morgen", "anouk"),
        ("Anouks moeder belde", "Anouks"),
        ("A. de Vries tekende het plan", "A. de Vries"),
        ("Gesprek met Anouk.", "Anouk"),
        ("Brief aan mevrouw de Vries.", "de Vries"),
        ("Afspraak met Anuok om tien uur.", "Anuok"),
        ("Gesprek met Gerrit Bakker", "Gerrit Bakker"),
    ],
)
def test_roster_name_is_masked_in_every_form(text, expected):
    assert expected in masked(text)


def test_roster_surname_that_is_an_ordinary_word_survives_as_a_word():
    assert masked("Hij haalt brood bij de bakker.") == []


def test_same_person_gets_the_same_number_across_forms():
    out = anonymise_text("Anouk de Vries belde. Later sprak ik Anouk en A. de Vries opnieuw.", roster=ROSTER)
    assert {e.replacement for e in out.entities} == {"[PERSOON-1]"}


def test_different_people_get_different_numbers():
    out = anonymise_text("Mevrouw Karin Mulder en meneer Ahmed Rachidi kwamen samen.")
    assert [e.replacement for e in out.entities] == ["[PERSOON-1]", "[PERSOON-2]"]


def test_numbering_is_consistent_across_texts_of_one_case():
    pseudonyms = Pseudonyms()
    first = anonymise_text("Gesprek met mevrouw Karin Mulder.", pseudonyms=pseudonyms)
    second = anonymise_text("Karin belde terug, bereikbaar op 06-12345678.", pseudonyms=pseudonyms)
    assert first.entities[0].replacement == second.entities[0].replacement == "[PERSOON-1]"
    assert "[TELEFOON-1]" in second.text


def test_numbering_continues_after_placeholders_in_stored_texts():
    pseudonyms = Pseudonyms.from_texts(["[PERSOON-3] en [PERSOON-1] spraken af.", "bsn [BSN-2]"])
    out = anonymise_text("Gesprek met mevrouw Karin Mulder, BSN 111222333.", pseudonyms=pseudonyms)
    assert [e.replacement for e in out.entities] == ["[PERSOON-4]", "[BSN-3]"]


def test_a_map_read_back_with_its_counters_missing_never_gives_a_held_number_again():
    """A map comes back from Redis as a snapshot; one whose counters were lost or tampered with must not hand a
    new person or number the placeholder someone else already has."""
    pseudonyms = Pseudonyms()
    anonymise_text("Mevrouw Anouk de Vries, BSN 111222333.", pseudonyms=pseudonyms)
    snapshot = pseudonyms.snapshot()
    snapshot["counters"] = {}
    restored = Pseudonyms.restore(snapshot, pseudonyms.keys)
    out = anonymise_text("Anouk de Vries en meneer Piet Jansen, BSN 123456782.", pseudonyms=restored)
    assert [e.replacement for e in out.entities] == ["[PERSOON-1]", "[PERSOON-2]", "[BSN-2]"]


def test_text_with_placeholders_continues_numbering_without_a_pseudonyms_object():
    out = anonymise_text("[PERSOON-1] sprak met mevrouw Karin Mulder.")
    assert out.text == "[PERSOON-1] sprak met mevrouw [PERSOON-2]."


@pytest.mark.parametrize(
    "stored",
    [
        "[CLIENT] woont met [KIND-1] en [PARTNER] aan [ADRES-1], [POSTCODE-1] [PLAATS-1].",
        "Gesprek met mevrouw [PERSOON-1], BSN [BSN-1], bereikbaar op [TELEFOON-1].",
        "[MANTELZORGER] en [DOCHTER] spraken met de wijkcoach over de Wmo 2015.",
    ],
)
def test_already_anonymised_text_passes_through_unchanged(stored):
    assert anonymise_text(stored).text == stored
    assert find_identifiers(stored) == []


def test_anonymising_twice_changes_nothing_the_second_time():
    once = anonymise_text("Mevrouw Karin Mulder, Kerkstraat 12, 1234 AB Zwolle, tel 06-12345678.").text
    assert anonymise_text(once).text == once


def test_offsets_point_into_the_original_text():
    text = "Meneer Piet Hein woont op Kerkstraat 12."
    for e in anonymise_text(text).entities:
        assert text[e.start : e.end] in {"Piet Hein", "Kerkstraat 12"}


def test_empty_text_gives_empty_result():
    out = anonymise_text("")
    assert out.text == "" and out.entities == []
