"""Bodies of the social domain stay visible: they identify nobody, and prose about district teams names them.

Councils, institutes, inspectorates and platforms are bodies by their head word ("…raad", "…instituut",
"Kenniscentrum …"), also when nobody listed them; the national ones any reader of the field knows are listed.
A body never hides a person: not one standing next to it, not one whose name ends like a body.
"""

import pytest

from casebook.anonymise.service import anonymise_text, find_identifiers


def labelled(text: str) -> list[tuple[str, str]]:
    return [(text[e.start : e.end], e.label) for e in find_identifiers(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Movisie stelt dat wijkteams te veel tijd kwijt zijn aan registratie.",
        "Divosa en de VNG schreven samen een brief aan de Tweede Kamer.",
        "Vilans en Pharos ontwikkelden de handreiking, het Trimbos-instituut toetste hem.",
        "Het Sociaal en Cultureel Planbureau ziet dat de Wmo-aanvragen stijgen.",
        "Het Nederlands Jeugdinstituut en het Zorginstituut Nederland adviseren anders.",
        "De Nationale ombudsman en de Kinderombudsman kregen klachten over de jeugdhulp.",
    ],
)
def test_national_bodies_and_knowledge_institutes_of_the_social_domain_are_never_masked(text):
    assert labelled(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Volgens de Adviesraad Sociaal Domein moet de gemeente beter luisteren.",
        "De Participatieraad en de Cliëntenraad Wmo kregen het beleidsplan te laat.",
        "Het Kenniscentrum Sociaal Domein en het Platform Sociaal Domein organiseren een avond.",
        "Het Verwey-Jonker Instituut en de Rekenkamer Utrecht onderzochten de toegang.",
        "De Raad van State oordeelde anders over de eigen bijdrage.",
    ],
)
def test_a_head_word_makes_a_body_also_of_a_name_nobody_listed(text):
    assert labelled(text) == []


def test_a_person_next_to_a_body_is_still_masked():
    text = "Volgens de Adviesraad Sociaal Domein gaat het mis, zegt voorzitter Kees Hoogland."
    assert labelled(text) == [("Kees Hoogland", "PERSON")]
    text = "Divosa-voorzitter Erik Dannenberg reageerde op de brief van Movisie."
    assert labelled(text) == [("Erik Dannenberg", "PERSON")]


def test_a_body_never_takes_in_a_name_nobody_listed():
    text = "Bij de Cliëntenraad Abebe Tesfaye gesproken over de wachtlijst."
    assert ("Abebe Tesfaye", "PERSON") in labelled(text)


@pytest.mark.parametrize(
    "text, name",
    [
        ("Koenraad belde gisteren over de huurachterstand.", "Koenraad"),
        ("Mevrouw Hoogenraad komt morgen naar het spreekuur.", "Hoogenraad"),
    ],
)
def test_a_name_that_ends_like_a_body_is_still_a_name(text, name):
    assert labelled(text) == [(name, "PERSON")]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Mevrouw Raad komt morgen naar het spreekuur.", "Raad"),
        ("Ik sprak met Jan de Raad over de schulden.", "Jan de Raad"),
        ("Meneer Bank belde over de huurachterstand.", "Bank"),
    ],
)
def test_a_surname_that_is_the_word_for_a_body_is_still_a_name(text, name):
    assert labelled(text) == [(name, "PERSON")]


def test_a_christian_primary_school_called_cbs_is_still_an_institution():
    text = "CBS De Regenboog belde over de zoon."
    assert labelled(text) == [("CBS De Regenboog", "INSTITUTION_NAME")]


def test_a_foundation_is_an_organisation_not_a_person():
    assert labelled("Hij doet vrijwilligerswerk bij Stichting De Hoop.") == [
        ("Stichting De Hoop", "INSTITUTION_NAME")
    ]


def test_the_municipal_executive_is_a_body_not_a_school():
    text = "Het College van B&W en het college van burgemeester en wethouders besloten anders."
    assert labelled(text) == []


def test_an_abbreviation_a_text_gives_a_body_stays_visible_wherever_it_recurs():
    text = (
        "De Adviesraad Sociaal Domein Meppel (ASDM) bood het jaarverslag aan wethouder Henk ten Hulscher aan. "
        "Hij is blij met de inzet van de ASDM."
    )
    assert labelled(text) == [("Henk ten Hulscher", "PERSON")]


@pytest.mark.parametrize(
    "text, roster",
    [
        ("Mevrouw Jansen-Raad belde over de huur.", []),
        ("Vader El Amrani-Raad belde over de huur.", ["El Amrani-Raad"]),
        ("Voorzitter Cliëntenraad TESFAYE belde over de huur.", ["Abebe Tesfaye"]),
        ("Participatieraad DE VRIES schreef over de huur.", ["de Vries"]),
        ("Raad van Dijk belde over de huur.", ["Fatima Raad"]),
        ("Meneer Goedraad belde over de huur.", []),
        ("Jansen-Ombudsman belde over de huur.", []),
        ("Gesprek met Anja de Vries-Raad. Later belde Vries-Raad weer over de huur.", []),
    ],
)
def test_words_that_look_like_a_body_never_unmask_a_person_named_by_title_roster_or_name(text, roster):
    """A double surname ending in a head word, a surname in capitals after a council, a roster name: persons."""
    masked = anonymise_text(text, roster=roster).text
    assert "huur" in masked and not any(
        w in masked for w in ("Raad", "Jansen", "TESFAYE", "VRIES", "Goedraad")
    )
