"""Names and named institutions; generic words of the trade survive."""

import pytest

from casebook.anonymise.service import anonymise_text, find_identifiers


def spans(text: str, label: str | None = None) -> list[str]:
    return [text[e.start : e.end] for e in find_identifiers(text) if label is None or e.label == label]


def test_title_stays_outside_the_person_span():
    assert spans("Gesprek met mevrouw Fatima Bensaid over de schulden.", "PERSON") == ["Fatima Bensaid"]


def test_initials_with_surname_are_one_person():
    assert spans("De verwijzing is getekend door dr. P.J. Hoogeveen.", "PERSON") == ["P.J. Hoogeveen"]


def test_name_unknown_to_any_list_is_found_after_a_role_word():
    text = "Haar broer Tesfalem Ghebremariam tolkt bij de gesprekken."
    assert spans(text, "PERSON") == ["Tesfalem Ghebremariam"]


def test_later_mentions_of_a_found_name_are_masked_too():
    text = "Meneer Joris Dijkhuizen belde. Joris wil een nieuwe afspraak; Dijkhuizen is erg ongerust."
    assert spans(text, "PERSON") == ["Joris Dijkhuizen", "Joris", "Dijkhuizen"]


def test_surname_that_is_an_ordinary_word_is_masked_only_as_a_name():
    text = "Mevrouw Bakker haalt elke dag brood bij de bakker om de hoek."
    assert spans(text) == ["Bakker"]


def test_storm_as_weather_survives_but_storm_as_name_does_not():
    text = "Geachte heer Storm, na de storm van vorige week is het dak beschadigd."
    assert spans(text) == ["Storm"]


def test_family_reference_masks_only_the_name():
    assert spans("Huisbezoek bij fam. Verhoeven gepland.", "PERSON") == ["Verhoeven"]


def test_lowercase_first_name_in_chat_is_masked():
    assert "lieke" in spans("lieke zegt dat de moeder van bram vandaag belt")


def test_addressed_colleague_in_chat_is_masked():
    assert spans("@marloes kun jij het overnemen?", "PERSON") == ["marloes"]


def test_possessive_first_name_is_masked_with_its_s():
    assert spans("Sarahs vader belde net.", "PERSON") == ["Sarahs"]


@pytest.mark.parametrize(
    "institution",
    [
        "basisschool De Regenboog",
        "huisartsenpraktijk Van Dam",
        "Zorgboerderij Het Kompas",
        "Bouwbedrijf Jansen B.V.",
        "Stichting Nieuw Begin",
    ],
)
def test_named_institution_includes_its_type_word(institution):
    text = f"Contact opgenomen met {institution} over de situatie."
    assert spans(text, "INSTITUTION_NAME") == [institution]


@pytest.mark.parametrize(
    "text",
    [
        "De wijkcoach bespreekt met de huisarts en de jurist of de Wmo 2015 ruimte biedt.",
        "De leerplichtambtenaar en Veilig Thuis zijn betrokken; de GGD doet een woningonderzoek.",
        "Er is contact met het UWV, DUO, het CAK, het CIZ, de SVB en de Belastingdienst.",
        "Aanvraag via de Jeugdwet, Participatiewet of Wlz; de gemeente beslist binnen 8 weken.",
        "De schuld is € 4.260 en meneer is 52 jaar. Op 9 april volgt een gesprek over financiën.",
        "Life domains: huisvesting, financiën, sociaal netwerk en geestelijke gezondheid.",
    ],
)
def test_laws_roles_public_bodies_amounts_ages_and_meeting_dates_survive(text):
    assert find_identifiers(text) == []


def test_law_names_survive():
    out = anonymise_text("Dit valt onder de Wmo 2015 en niet onder de Jeugdwet.")
    assert out.entities == []
