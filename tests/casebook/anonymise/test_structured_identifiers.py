"""Structured identifiers: numbers with checksums or cue words are always masked."""

import pytest

from casebook.anonymise.service import anonymise_text, find_identifiers


def labels_of(text: str) -> dict[str, str]:
    return {text[e.start : e.end]: e.label for e in find_identifiers(text)}


@pytest.mark.parametrize("bsn", ["111222333", "1112.22.333", "111.222.333", "111 222 333"])
def test_bsn_in_any_notation_is_masked(bsn):
    text = f"Het burgerservicenummer van meneer is {bsn} volgens de aanvraag."
    assert labels_of(text).get(bsn) == "BSN"


def test_bsn_written_with_dots_is_masked():
    out = anonymise_text("Cliënt heeft BSN 1112.22.333 opgegeven.")
    assert "1112.22.333" not in out.text
    assert "[BSN-1]" in out.text


def test_bsn_failing_the_11_proef_is_masked_after_a_bsn_cue():
    text = "bsn is 123456789, graag controleren"
    assert labels_of(text).get("123456789") == "BSN"


def test_nine_digit_number_without_checksum_or_cue_is_not_a_bsn():
    assert "BSN" not in labels_of("Er staan 123456789 punten op de kaart.").values()


@pytest.mark.parametrize(
    "iban",
    ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "nl91 abna 0417 1643 00", "DE89370400440532013000"],
)
def test_iban_compact_grouped_or_lowercase_is_masked(iban):
    text = f"Overmaken naar {iban} t.n.v. de bewindvoerder."
    assert labels_of(text).get(iban) == "IBAN"


@pytest.mark.parametrize(
    "phone",
    [
        "06-12345678",
        "0612345678",
        "06 12 34 56 78",
        "+31 6 1234 5678",
        "+31 (0)6 1234 5678",
        "020-7654321",
        "0546 12 34 56",
        "053 - 480 11 22",
        "+32 470 12 34 56",
    ],
)
def test_phone_numbers_in_any_format_are_masked(phone):
    text = f"Zij is bereikbaar op {phone} na de middag."
    assert labels_of(text).get(phone) == "PHONE"


@pytest.mark.parametrize("email", ["p.jansen@example.nl", "wijkteam.noord@gemeente-voorbeeld.nl"])
def test_email_addresses_are_masked(email):
    assert labels_of(f"Mail naar {email} graag.").get(email) == "EMAIL"


@pytest.mark.parametrize(
    "address",
    [
        "Kerkstraat 12",
        "Dorpsweg 3bis",
        "Beukenlaan 22-II",
        "Stationsplein 14 A",
        "Vondelstraat 201-c",
        "Prins Hendrikstraat 8a",
    ],
)
def test_street_with_house_number_and_additions_is_an_address(address):
    text = f"Het gezin woont aan de {address}, 1234 AB Voorbeeldstad."
    found = labels_of(text)
    assert found.get(address) == "ADDRESS"
    assert found.get("1234 AB") == "POSTCODE"
    assert found.get("Voorbeeldstad") == "PLACE"


def test_town_after_an_address_with_in_is_a_place():
    assert labels_of("Zij woont op Berkenweg 4 in Zwolle sinds mei.").get("Zwolle") == "PLACE"


def test_town_outside_an_address_is_not_masked():
    assert find_identifiers("Haar ouders wonen in Utrecht en komen eens per maand.") == []


@pytest.mark.parametrize(
    "sentence, date",
    [
        ("Mevrouw, geboren op 3 maart 1971, woont alleen.", "3 maart 1971"),
        ("Meneer (geb. 12-04-1950) belde.", "12-04-1950"),
        ("Geboortedatum: 01-01-2001", "01-01-2001"),
    ],
)
def test_date_of_birth_with_a_birth_cue_is_masked_without_the_cue(sentence, date):
    assert labels_of(sentence).get(date) == "DATE_OF_BIRTH"


def test_meeting_dates_survive():
    text = "Op 9 april is het casusoverleg, daarna volgt een evaluatie op 12-05-2025."
    assert find_identifiers(text) == []


@pytest.mark.parametrize(
    "sentence, number",
    [
        ("Het dossiernummer is WT-2025-0042.", "WT-2025-0042"),
        ("cliëntnummer 8812345 staat in het systeem", "8812345"),
        ("Het zaaknummer bij de rechtbank is 2025/118-77.", "2025/118-77"),
        ("Haar paspoort (nummer NX12K45P9) is verlopen.", "NX12K45P9"),
        ("Hij rijdt in een auto met kenteken 12-ABC-3.", "12-ABC-3"),
        ("V-nummer 1234567890 is bekend bij de IND.", "1234567890"),
    ],
)
def test_case_and_document_numbers_with_a_cue_are_ids(sentence, number):
    assert labels_of(sentence).get(number) == "ID"


def test_licence_plate_without_cue_is_masked():
    assert labels_of("De bus XZ-123-B staat voor de deur.").get("XZ-123-B") == "ID"
