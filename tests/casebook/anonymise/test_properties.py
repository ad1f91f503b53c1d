"""Property tests: the anonymiser never raises and always returns sane offsets."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.anonymise.models import PLACEHOLDER_STEMS
from casebook.anonymise.service import anonymise_text, find_identifiers

FRAGMENTS = [
    "mevrouw Jansen",
    "BSN 111222333",
    "bsn 1112.22.333",
    "06-12345678",
    "Kerkstraat 12",
    "1234 AB Zwolle",
    "NL91ABNA0417164300",
    "geboren op 3 maart 1971",
    "[PERSOON-2]",
    "[CLIENT]",
    "@femke",
    "Wmo 2015",
    "dossiernummer WT-2025-0042",
    "jan@example.nl",
    "😀",
    "שלום",
    "مرحبا",
    "\u202e",
    "\x00",
    "\u200b",
    "\n",
    " ",
    "de heer",
    "A.",
    ".",
    "-",
    "(",
    ")",
    "é",
    "ß",
    "İ",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=30).map(" ".join),
)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts, st.lists(st.sampled_from(["Anouk de Vries", "jan", "", "Ä", "😀 😀"]), max_size=3))
def test_anonymise_never_raises_and_offsets_are_valid(text, roster):
    out = anonymise_text(text, roster=roster)
    assert isinstance(out.text, str)
    previous_end = 0
    for e in out.entities:
        assert 0 <= e.start < e.end <= len(text)
        assert e.start >= previous_end  # sorted and non-overlapping
        previous_end = e.end
        assert re.fullmatch(r"\[[A-Z]+-\d+\]", e.replacement)


@SETTINGS
@given(texts)
def test_detected_bsn_digits_never_survive_in_the_output(text):
    out = anonymise_text(text)
    for e in out.entities:
        if e.label == "BSN":
            digits = "".join(ch for ch in text[e.start : e.end] if ch.isdigit())
            assert digits not in re.sub(r"\D", "", out.text) or digits in re.sub(
                r"\D", "", text.replace(text[e.start : e.end], "")
            )


@SETTINGS
@given(texts)
def test_output_is_the_original_with_spans_replaced(text):
    out = anonymise_text(text)
    rebuilt, cursor = [], 0
    for e in out.entities:
        rebuilt += [text[cursor : e.start], e.replacement]
        cursor = e.end
    rebuilt.append(text[cursor:])
    assert "".join(rebuilt) == out.text


#: The placeholders the product writes ("[PERSOON-2]") and the role ones coaches type ("[CLIENT]"). Other
#: capitals in brackets may be a name written that way ("[BO]", "[JAN-JANSEN]") and are read like any name.
_STEMS = "|".join(sorted({*PLACEHOLDER_STEMS.values(), "CLIENT"}))
PLACEHOLDER = re.compile(rf"\[(?:{_STEMS})(?:-\d+)?\]")


@SETTINGS
@given(texts)
def test_placeholders_are_never_remasked(text):
    for e in find_identifiers(text):
        assert not PLACEHOLDER.search(text[e.start : e.end])
