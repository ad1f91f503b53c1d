"""A person span must cover the whole name: a first name or a surname part left next to the
placeholder ("Gesprek met Ben [PERSOON-1]", "[PERSOON-1] Al Khatib belde") is a privacy leak.

Each sentence holds one full name (written out in ``name``); the anonymised text must contain
no capitalised part of it, and the full name must sit in exactly one entity (one placeholder).
"""

import re

import pytest

from casebook.anonymise.service import anonymise_text

# (sentence, the full name as written in it)
WHOLE_NAMES = [
    # first name that is also a particle / ordinary word, then interfix + surname
    ("Gisteren sprak ik met Ben van den Heuvel over zijn schulden.", "Ben van den Heuvel"),
    ("Volgende week komt Ben de Jager langs voor de aanvraag.", "Ben de Jager"),
    # Arabic particles with an unknown surname, at the sentence start and mid-sentence
    ("Karim Al Masri belde vanochtend over de huurachterstand.", "Karim Al Masri"),
    ("De buurvrouw, Fatima Ben Youssef, belde over de overlast.", "Fatima Ben Youssef"),
    ("Vandaag kwam Mahmoud Abu Shanab zonder tolk op het spreekuur.", "Mahmoud Abu Shanab"),
    ("Marie-Claire El Mansouri start volgende week met dagbesteding.", "Marie-Claire El Mansouri"),
    # three-part names, diacritics
    ("Op het spreekuur kwam Elif Nur Aydın met haar dochter.", "Elif Nur Aydın"),
    ("Tran Thi Hoa spreekt nog weinig Nederlands.", "Tran Thi Hoa"),
    ("Gesprek gevoerd met Ahmed Yusuf Warsame over werk.", "Ahmed Yusuf Warsame"),
    ("Ana Sofía Rodríguez Méndez woont sinds de zomer bij haar zus.", "Ana Sofía Rodríguez Méndez"),
    # double and hyphenated first names, Dutch interfixes
    ("De afspraak met Jan-Pieter van der Meulen is verzet.", "Jan-Pieter van der Meulen"),
    ("Volgens Henk Jan Mulder is de schuld afgelost.", "Henk Jan Mulder"),
    ("Mevrouw Lieke ter Haar belde over de indicatie.", "Lieke ter Haar"),
    ("Kun je Pieter van 't Zand morgen bellen?", "Pieter van 't Zand"),
    # initials, double surname
    (
        "Brief verstuurd aan mevr. C.M. van den Bosch-Kuipers over de beschikking.",
        "C.M. van den Bosch-Kuipers",
    ),
    # apostrophes and inner capitals
    ("Contact opgenomen met Liam O'Sullivan over de school.", "Liam O'Sullivan"),
    ("Ik sprak met Sinead O'Connor-Walsh over haar zoon.", "Sinead O'Connor-Walsh"),
    ("Afspraak met Rohan D'Costa over de schuldregeling.", "Rohan D'Costa"),
    ("Zijn vriendin Kayla MacAllister belde terug.", "Kayla MacAllister"),
]


def _name_parts(name: str) -> list[str]:
    """The capitalised parts of a name that would identify someone if left visible."""
    return [p for p in re.split(r"[\s.\-]+", name) if len(p) > 1 and p[0].isupper()]


def _visible(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w']){re.escape(word)}(?![\w'])", text) is not None


@pytest.mark.parametrize(("sentence", "name"), WHOLE_NAMES, ids=[n for _, n in WHOLE_NAMES])
def test_no_part_of_the_name_survives(sentence, name):
    out = anonymise_text(sentence)
    leaked = [p for p in _name_parts(name) if _visible(p, out.text)]
    assert leaked == [], f"{leaked} visible in {out.text!r}"


@pytest.mark.parametrize(("sentence", "name"), WHOLE_NAMES, ids=[n for _, n in WHOLE_NAMES])
def test_the_whole_name_is_one_placeholder(sentence, name):
    out = anonymise_text(sentence)
    start = sentence.index(name)
    end = start + len(name)
    covering = [e for e in out.entities if e.start < end and start < e.end]
    assert len(covering) == 1, [(sentence[e.start : e.end], e.replacement) for e in covering]
    e = covering[0]
    assert e.label == "PERSON"
    assert e.start <= start and e.end >= end
    # the span grows over the name only, not over the words around it
    assert e.start >= start - 1 and e.end <= end + 1, sentence[e.start : e.end]
    assert out.text.count("[PERSOON-") == 1


def test_two_coordinated_persons_each_fully_masked():
    out = anonymise_text("Sofie en Bram Hendriks komen samen op gesprek.")
    for part in ("Sofie", "Bram", "Hendriks"):
        assert not _visible(part, out.text), out.text
    assert " en " in out.text  # "en" joins two people: never merged into one name


def test_name_found_in_parts_is_merged_into_one_placeholder():
    out = anonymise_text("Overleg met Daan Bos en met Yusuf Al Farsi en Ben ter Horst.")
    for part in ("Daan", "Bos", "Yusuf", "Al", "Farsi", "Ben", "Horst"):
        assert not _visible(part, out.text), out.text
    assert out.text.count("[PERSOON-") == 3, out.text


def test_the_same_name_later_in_the_text_is_masked_whole_too():
    out = anonymise_text("Gesprek met Karim Al Masri. Daarna belde Karim Al Masri nog een keer.")
    assert "Masri" not in out.text and "Karim" not in out.text
    assert out.text.count("[PERSOON-1]") == 2, out.text


# -- precision: what follows or precedes a name but is no part of it ---------------------------


@pytest.mark.parametrize(
    ("sentence", "must_survive"),
    [
        ("Overleg met mevrouw Jansen en Wmo-consulent over de Wmo.", ["en Wmo-consulent", "de Wmo"]),
        ("Gesprek met Pietersen en Wmo gepland.", ["en Wmo"]),
        ("Afspraak met mevrouw Smulders Thuiszorg over de uren.", ["Thuiszorg over"]),
        ("De moeder van Yasmin belde vanmiddag.", ["De moeder van ["]),
        ("Overleg met meneer Pietersen van de gemeente over de aanvraag.", ["van de gemeente"]),
        ("Overleg met Pietersen van Humanitas over de thuisadministratie.", ["van Humanitas"]),
        ("Huisbezoek bij Jansen gedaan, daarna overleg met de GGD.", ["Huisbezoek bij [", "de GGD"]),
        ("Mevrouw Jansen Maandag weer gebeld.", ["Maandag weer"]),
    ],
)
def test_surrounding_words_are_not_swallowed(sentence, must_survive):
    out = anonymise_text(sentence)
    assert "[PERSOON-1]" in out.text
    for fragment in must_survive:
        assert fragment in out.text, out.text


@pytest.mark.parametrize(
    "text",
    [
        "Gesprek met [JAN-JANSEN] over de schulden.",
        "Volgens [FATIMA] klopt het.",
        "[DE-VRIES] belde gisteren.",
    ],
)
def test_a_name_typed_as_a_placeholder_is_masked_as_a_person(text):
    result = anonymise_text(text)
    assert [e.label for e in result.entities] == ["PERSON"]
    assert "[PERSOON-1]" in result.text


def test_role_placeholders_stay_as_written():
    text = "[CLIENT] en [KIND-1] spraken met [MOEDER], [VADER], [NEEF], [BEWINDVOERDER] en [PERSOON-3]."
    assert anonymise_text(text).text == text


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Zie [BSN-111222333] in het dossier.", "BSN"),
        ("Bel [TELEFOON-0612345678] morgen.", "PHONE"),
        ("Gesprek met [PERSOON-JAN-JANSEN] gehad.", "PERSON"),
        ("Gesprek met [MOEDER-FATIMA-EL-AMRANI] gehad.", "PERSON"),
    ],
)
def test_an_identifier_dressed_as_a_placeholder_is_masked_whole(text, label):
    result = anonymise_text(text)
    assert [e.label for e in result.entities] == [label]
    assert "111222333" not in result.text and "0612345678" not in result.text
    assert "JANSEN" not in result.text and "FATIMA" not in result.text


def test_digits_typed_in_a_placeholder_do_not_continue_the_numbering():
    result = anonymise_text("Eerder stond er [TELEFOON-0612345678]; nu bel 06-87654321.")
    assert "612345" not in result.text and "[TELEFOON-1]" in result.text
