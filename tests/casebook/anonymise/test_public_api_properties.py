"""Properties of the anonymiser's public functions (`anonymise_text`, `find_identifiers`) on any text that can
reach them, lone surrogates included (a JSON body or JSONL line may carry "\\ud800"): they never raise, their
entities are valid, sorted and non-overlapping, and the output is the input with each span replaced. That
anonymising the output again changes nothing does not hold yet: that test is a strict xfail with the minimal
examples hypothesis found.

deduce is loaded once for the run by the session fixture `models_ready` (tests/conftest.py)."""

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from casebook.anonymise.service import anonymise_text, find_identifiers

# Any code point, lone surrogates (category Cs) included: hypothesis's default alphabet leaves them out.
ANY_CHARACTER = st.one_of(st.characters(), st.characters(categories=["Cs"]))
FRAGMENTS = [
    "mevrouw Jansen",
    "Jan de Vries",
    "Anouk",
    "de heer Bakker",
    "BSN 111222333",
    "06-12345678",
    "+31 6 12345678",
    "Kerkstraat 12",
    "1234 AB Zwolle",
    "NL91ABNA0417164300",
    "geboren op 3 maart 1971",
    "jan@example.nl",
    "dossiernummer WT-2025-0042",
    "[PERSOON-1]",
    "[PERSOON-12]",
    "[JAN-JANSEN]",
    "[CLIENT]",
    "[BSN-1]",
    "[",
    "]",
    "[]",
    "[[",
    "]]",
    "[PERSOON-",
    "-1]",
    "\x00",
    "\ud800",
    "\udfff",
    "\u200b",
    "\u202e",
    "\n",
    " ",
    "\t",
    "😀",
    "é",
    "ß",
    "İ",
    "ﬁ",
    "Ａ",
    "A.",
    ".",
    "-",
    "(",
    ")",
    ",",
    "'",
    "@",
    "#",
    "0",
    "9",
    "Wmo 2015",
]
texts = st.one_of(
    st.text(ANY_CHARACTER, max_size=200),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(ANY_CHARACTER, max_size=8)), max_size=25).map(
        "".join
    ),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(ANY_CHARACTER, max_size=8)), max_size=25).map(
        " ".join
    ),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PLACEHOLDER = re.compile(r"\[[A-Z]+-\d+\]")


def assert_valid_entities(text: str, entities) -> None:
    previous_end = 0
    for entity in entities:
        assert 0 <= entity.start < entity.end <= len(text), entity
        assert entity.start >= previous_end, "entities overlap or are out of order"
        previous_end = entity.end


@SETTINGS
@given(texts)
@example("Jan\ud800Jansen belde")
@example("[JAN-JANSEN] en [PERSOON-1] en \x00 mevrouw Jansen")
def test_find_identifiers_never_raises_and_its_spans_are_valid(text):
    entities = find_identifiers(text)
    assert_valid_entities(text, entities)
    for entity in entities:
        assert entity.label and entity.replacement == ""


@SETTINGS
@given(texts)
@example("Jan\ud800Jansen belde")
@example("[JAN-JANSEN] en [PERSOON-1] en \x00 mevrouw Jansen")
def test_anonymise_text_returns_the_input_with_exactly_its_entities_replaced(text):
    result = anonymise_text(text)
    assert_valid_entities(text, result.entities)
    rebuilt, cursor = [], 0
    for entity in result.entities:
        assert PLACEHOLDER.fullmatch(entity.replacement), entity
        rebuilt += [text[cursor : entity.start], entity.replacement]
        cursor = entity.end
    rebuilt.append(text[cursor:])
    assert result.text == "".join(rebuilt)


# Known to fail (issue 9): a placeholder put where a word was glued to its neighbours gives those neighbours a
# word boundary, and a second pass masks what the first could not see. Minimal examples found by hypothesis:
#   "0Ai1000AA"        -> "0[PERSOON-1]1000AA"   -> "0[PERSOON-1][POSTCODE-1]"
#   "0000000Ai"        -> "0000000[PERSOON-1]"   -> "[NUMMER-1][PERSOON-1]"
#   "000000000A000000" -> "[TELEFOON-1]A000000"  -> "[TELEFOON-1][NUMMER-1]"
#   "@AB A@AA"         -> "@[PERSOON-1]@AA"      -> "@[PERSOON-1]@[PERSOON-2]"
# So stored text can hold what the privacy scan (find_identifiers on stored text) then reports. Strict: once the
# detectors reach a fixed point this xpasses, and the marker must go.
@pytest.mark.xfail(strict=True, reason="anonymise_text is not idempotent yet: see the examples above")
@SETTINGS
@given(texts)
@example("0Ai1000AA")
@example("0000000Ai")
@example("000000000A000000")
@example("@AB A@AA")
def test_anonymising_the_output_again_changes_nothing(text):
    once = anonymise_text(text).text
    again = anonymise_text(once)
    assert again.text == once, f"not idempotent: {text!r} -> {once!r} -> {again.text!r}"
    assert again.entities == []
