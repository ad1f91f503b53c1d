"""Ordinary Dutch words are no names: over-masking destroys what a casebook is for.

Each class of false positive seen in practice, in new sentences, next to the evidence that still
makes a word a name (a title, a role, an initial, a first name plus surname, a capital mid-sentence).
"""

import pytest

from casebook.anonymise.service import anonymise_text, find_identifiers


def spans(text: str, label: str | None = None) -> list[str]:
    return [text[e.start : e.end] for e in find_identifiers(text) if label is None or e.label == label]


def labelled(text: str) -> list[tuple[str, str]]:
    return [(text[e.start : e.end], e.label) for e in find_identifiers(text)]


# -- capitalised sentence starts and headings -----------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Pas na twee maanden kwam de beschikking binnen.",
        "Bank belt terug over de geblokkeerde rekening.",
        "Er staat nog een huurachterstand open bij de corporatie.",
        "In het gesprek met de mentor bleek dat hij vaak te laat komt.",
        "Maatje gevonden voor de wekelijkse wandeling.",
        "Extra uren begeleiding zijn nodig tot de zomer.",
        "Storm en lekkage hebben het dak van de woning beschadigd.",
        "Hoop op een snelle oplossing is er bij moeder niet meer.",
        "Kamer van de dochter is inmiddels opgeknapt.",
        "Winter betekent voor dit gezin hogere energiekosten.",
    ],
)
def test_ordinary_word_at_a_sentence_start_or_in_a_heading_is_no_name(text):
    assert spans(text) == []


def test_ordinary_word_after_a_sentence_ending_in_a_family_word_is_no_name():
    text = "Het eerste huisbezoek was bij de hele familie. Er is veel spanning tussen vader en zoon."
    assert spans(text) == []
    text = "We spraken uitgebreid met het gezin. In de vakantie gaat het meestal beter."
    assert spans(text) == []


def test_lowercase_word_that_is_also_a_surname_survives_mid_sentence():
    text = "De aanvraag kon pas worden ingediend na het gesprek bij de bank."
    assert spans(text) == []


def test_title_still_makes_an_ordinary_word_a_name():
    text = "Mevrouw Pas heeft de stukken pas vandaag ingeleverd."
    assert spans(text, "PERSON") == ["Pas"]


def test_role_word_still_makes_an_ordinary_word_a_name_and_later_mentions_follow():
    text = "Haar zoon Storm is twaalf. Storm gaat na de zomer naar het voortgezet onderwijs."
    assert spans(text, "PERSON") == ["Storm", "Storm"]


def test_initial_still_makes_an_ordinary_word_a_name():
    assert spans("De brief is ondertekend door K. Bank namens de corporatie.", "PERSON") == ["K. Bank"]


def test_family_abbreviation_still_takes_the_next_word_as_name():
    assert spans("Afspraak gemaakt met fam. Kamer voor volgende week.", "PERSON") == ["Kamer"]


def test_first_name_with_surname_still_found_at_a_sentence_start():
    assert spans("Lieke Hofstede belde over de wachtlijst.", "PERSON") == ["Lieke Hofstede"]


def test_capitalised_first_name_mid_sentence_stays_a_name_even_if_also_a_word():
    text = "De bloemen waren 'voor Roos', vertelde vader trots."
    assert spans(text, "PERSON") == ["Roos"]


# -- hyphenated words of the trade -----------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Naam, V-nummer en geboorteland van vader ontbreken nog.",
        "Cliënt: V-nummer volgt na de afspraak bij de IND.",
        "Moeder: E-mailadres is niet bekend.",
    ],
)
def test_hyphenated_compound_with_a_letter_is_no_name(text):
    assert spans(text, "PERSON") == []


def test_hyphenated_double_surname_is_still_a_name():
    assert spans("Gesprek met mevrouw Van Dam-Okafor over de kinderopvang.", "PERSON") == ["Van Dam-Okafor"]


# -- organisations and public bodies ----------------------------------------------------------------
def test_well_known_company_is_an_institution_not_a_person():
    found = labelled("Vader heeft sinds de zomer een vast contract bij Albert Heijn.")
    assert found == [("Albert Heijn", "INSTITUTION_NAME")]


def test_insurer_made_of_ordinary_words_is_not_a_person():
    assert spans("Moeder is via haar werkgever verzekerd bij Zilveren Kruis.", "PERSON") == []


@pytest.mark.parametrize(
    "text",
    [
        "Hij heeft zijn eenmanszaak laten uitschrijven bij de Kamer van Koophandel.",
        "De ondernemerscoach van de Kamer van Koophandel komt langs.",
        "Hij belt zelf de kamer van koophandel over zijn inschrijving.",
        "Studieschuld bij DUO en een uitkering van het UWV lopen door elkaar.",
        "Samen met Veilig Thuis en de Raad voor de Kinderbescherming is een plan gemaakt.",
        "Via het Juridisch Loket is bezwaar gemaakt.",
    ],
)
def test_public_bodies_and_registers_are_never_masked(text):
    assert spans(text) == []


def test_a_law_after_a_care_type_word_is_no_institution():
    assert spans("Tijdelijke dagbesteding Wmo als overbrugging tot de Wlz-indicatie.") == []
    assert spans("Aanvraag jeugdhulp Jeugdwet is nog niet beoordeeld.") == []


def test_a_named_care_provider_is_still_an_institution():
    found = labelled("Hij gaat drie dagen naar dagbesteding De Werkplaats in de wijk.")
    assert found == [("dagbesteding De Werkplaats", "INSTITUTION_NAME")]


def test_public_body_does_not_shield_a_structured_identifier():
    text = "Mail de stukken naar j.devries@uwv.nl of bel 06-12345678."
    assert [label for _, label in labelled(text)] == ["EMAIL", "PHONE"]


def test_anonymised_text_with_ordinary_words_comes_back_unchanged():
    text = "Pas na het overleg met [CLIENT] bleek dat de Kamer van Koophandel de inschrijving had gestopt."
    assert anonymise_text(text).text == text


def test_first_name_that_is_also_an_interfix_is_a_name_after_a_role_word():
    assert spans("Haar zoon Ben gaat na de zomer naar het mbo.", "PERSON") == ["Ben"]
