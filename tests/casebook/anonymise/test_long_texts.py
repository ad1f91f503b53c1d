"""Long texts are read window by window under a deadline: nothing identifying gets through either way."""

import pytest

from casebook.anonymise import detectors
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


def test_past_the_deadline_names_and_numbers_are_still_masked_and_ordinary_words_stay(monkeypatch):
    monkeypatch.setattr(detectors, "FULL_READING_SECONDS", 0.0)  # every window gets the coarse reading
    text = long_text("Mevrouw Jansen woont aan de Hoofdstraat 12 in Utrecht.",
                     "Haar BSN is 111222333 en haar zoon Filmon Tekle belt morgen.",
                     "ik sprak ruud gisteren over de Wmo en het UWV.")
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
    firsts = sorted(n.capitalize() for n in lexicon.first_names
                    if n.isalpha() and len(n) > 3 and not lexicon.is_common_word(n))[:3000]
    text = "".join(f"Gesprek met mevrouw {name} Jansen. " for name in firsts)
    result = anonymise_text(text)
    assert not {"Jansen", *firsts} & set(result.text.replace(".", " ").split())
    assert len({e.replacement for e in result.entities}) >= len(firsts) // 2
