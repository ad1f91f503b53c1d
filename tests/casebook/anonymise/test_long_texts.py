"""Long texts are read window by window under one CPU budget per anonymise call: past it a window gets the
coarse reading, and nothing identifying gets through either way. (How long it takes is measured in
bench/hostile_input.py, not asserted here.)"""

import re

import pytest

from casebook.anonymise import detectors
from casebook.anonymise.engine import DEDUCE_WINDOW_NAMES, deduce_windows
from casebook.anonymise.service import anonymise_text

FILLER = "De coach bespreekt de schulden en het werk met de budgetcoach van de gemeente. "


def long_text(*parts: str) -> str:
    """The parts, far apart: more than one reading window between each two."""
    gap = FILLER * (detectors.WINDOW_CHARS // len(FILLER) + 1)
    return gap.join(parts)


def test_a_name_found_in_one_window_is_masked_where_it_is_mentioned_windows_later():
    text = long_text("Gesprek met mevrouw Semhar Tesfay over de huur.", "Later belde Semhar zelf terug.")
    out = anonymise_text(text).text
    assert "Semhar" not in out and "Tesfay" not in out


@pytest.fixture
def no_budget(monkeypatch):
    """Every window gets the coarse reading, as past the budget."""
    monkeypatch.setattr(detectors, "BUDGET_SECONDS", 0.0)


#: The budget as configured (which windows it reaches depends on the machine) and none at all.
BUDGETS = pytest.mark.parametrize("budget", [None, 0.0], ids=["configured budget", "no budget"])


def test_past_the_budget_names_and_numbers_are_still_masked_and_ordinary_words_stay(no_budget):
    text = long_text(
        "Mevrouw Jansen woont aan de Hoofdstraat 12 in Utrecht.",
        "Haar BSN is 111222333 en haar zoon Filmon Tekle belt morgen.",
        "ik sprak ruud gisteren over de Wmo en het UWV.",
    )
    out = anonymise_text(text).text
    for identifier in ("Jansen", "Hoofdstraat 12", "111222333", "Filmon", "Tekle", "ruud"):
        assert identifier not in out
    for word in ("Wmo", "UWV", "schulden", "budgetcoach", "gemeente"):
        assert word in out


@pytest.mark.parametrize("unit", ["Jan Jansen en Piet de Vries ", "Jansen ", "UWV Jan "])
def test_a_flood_of_names_at_the_size_limit_is_fully_masked(unit):
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    out = anonymise_text(text).text
    assert not {"Jan", "Jansen", "Piet", "Vries"} & set(out.split())


def test_thousands_of_different_people_each_get_their_own_placeholder():
    from casebook.anonymise.lexicon import get_lexicon

    lexicon = get_lexicon()
    firsts = sorted(
        n.capitalize()
        for n in lexicon.first_names
        if n.isalpha() and len(n) > 3 and not lexicon.is_common_word(n)
    )[:3000]
    text = "".join(f"Gesprek met mevrouw {name} Jansen. " for name in firsts)
    result = anonymise_text(text)
    assert not {"Jansen", *firsts} & set(result.text.replace(".", " ").split())
    assert len({e.replacement for e in result.entities}) >= len(firsts) // 2


ROSTER = ["Anouk de Vries", "Gerrit Bakker"]


@BUDGETS
def test_a_text_at_the_size_limit_with_names_everywhere_has_every_roster_name_masked_in_every_window(
    monkeypatch, budget
):
    if budget is not None:
        monkeypatch.setattr(detectors, "BUDGET_SECONDS", budget)
    unit = (
        "Gesprek met anouk en Gerrit Bakker. Anouks moeder belde A. de Vries over Anuok; mevrouw de Vries "
        "en gerrit komen met Jan Jansen en Piet de Vries. "
    )
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    out = anonymise_text(text, roster=ROSTER).text
    assert not re.search(r"(?i)anouk|anuok|gerrit|bakker|vries", out)


IDENTIFIERS = {
    "BSN": "111222333",
    "IBAN": "NL91ABNA0417164300",
    "phone": "06-12345678",
    "e-mail": "jan.jansen@example.nl",
    "address": "Hoofdstraat 12",
    "postcode": "1234 AB",
    "birth date": "12-03-1985",
    "case number": "ZK-2024-0173",
}


@BUDGETS
def test_in_a_text_at_the_size_limit_every_pattern_and_checksum_identifier_is_masked_in_every_window(
    monkeypatch, budget
):
    if budget is not None:
        monkeypatch.setattr(detectors, "BUDGET_SECONDS", budget)
    i = IDENTIFIERS
    unit = (
        f"Haar BSN is {i['BSN']} en haar IBAN {i['IBAN']}; bel {i['phone']} of mail {i['e-mail']}. Ze woont "
        f"aan de {i['address']}, {i['postcode']} Utrecht, geboren op {i['birth date']}, kenmerk {i['case number']}. "
        "Jan Jansen en Piet de Vries schreven mee. "
    )
    text = long_text(*[unit] * 3) + (unit * (60_000 // len(unit)))
    out = anonymise_text(text[:100_000]).text
    assert [name for name, value in IDENTIFIERS.items() if value in out] == []


def test_a_text_of_placeholder_like_brackets_at_the_size_limit_keeps_no_identifier(no_budget):
    text = ("[PERSOON-JAN-JANSEN] [BSN-111222333] [PERSOON-2] " * 2500)[:100_000]
    out = anonymise_text(text).text
    assert "JAN-JANSEN" not in out and "111222333" not in out and "[PERSOON-2]" in out


def test_deduce_reads_a_flood_of_names_in_short_runs_and_cuts_a_list_of_names_after_a_comma():
    flood = "Ali " * 2_500
    windows = deduce_windows(flood)
    assert windows[0][0] == 0 and windows[-1][1] == len(flood)
    assert all(end == next_start for (_, end), (next_start, _) in zip(windows, windows[1:]))
    assert (
        max(sum(word[0].isupper() for word in flood[s:e].split()) for s, e in windows) <= DEDUCE_WINDOW_NAMES
    )
    names = (
        "Aanwezig: Jan Jansen, Piet de Vries, Klaas Bakker, Fatima el Amrani, Mohamed Ali, Ruud Smit, "
        "Evi Brouwer, Anouk de Wit, Semhar Tesfay."
    )
    cuts = [end for _, end in deduce_windows(names)][:-1]
    assert cuts and all(names[cut - 1] == "," for cut in cuts)
