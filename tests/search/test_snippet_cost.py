"""A snippet is built in time proportional to the case's text, whatever that text holds: one stored
case full of one repeated word must not stall search (snippets are built under the search lock)."""

import time

from search import explain
from search import text as text_mod
from search.models import CaseDocument


def _case_with(narrative: str) -> CaseDocument:
    text_mod.terms(narrative, record=True)  # as the index does, so the fast path is taken
    return CaseDocument(case_id=1, external_id="C-1", title="Schulden", narrative=narrative)


def test_the_snippet_window_is_the_one_with_the_most_matching_words():
    doc = _case_with(
        "Eerst iets anders. " * 30 + "schulden en nog meer schulden bij schuldhulp. " + "Rust. " * 40
    )
    plain, html = explain.snippet(doc, {text_mod.stem("schulden")})
    assert plain.count("schulden") == 2
    assert html.count("<mark>") == 2


def test_a_case_that_repeats_one_matching_word_100_kb_long_gets_its_snippet_quickly():
    doc = _case_with("schulden " * 11_000)
    began = time.perf_counter()
    plain, html = explain.snippet(doc, {text_mod.stem("schulden")})
    # Linear work takes milliseconds; the quadratic window search this replaces took minutes.
    assert time.perf_counter() - began < 2.0
    assert "<mark>schulden</mark>" in html


def test_a_hyphenated_chain_of_matching_words_gets_its_snippet_quickly():
    doc = _case_with("schuld-" * 14_000 + "schuld")
    began = time.perf_counter()
    explain.snippet(doc, {text_mod.stem("schuld")})
    assert time.perf_counter() - began < 2.0
