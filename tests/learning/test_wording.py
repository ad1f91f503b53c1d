"""However a coach writes a rule's figures and abbreviations, they compare as one."""

from learning.recurrence import wording


def test_number_words_and_digits_name_one_figure():
    assert wording.figures("binnen drie werkdagen") == wording.figures("termijn van 3 dagen") == ["3 dag"]
    assert wording.figures("vier weken zoeken") == wording.figures("zoektermijn 4 weken") == ["4 week"]
    assert wording.figures("Vierwekenzoektermijn tot 27 jaar") == ["4 week", "27 jaar"]


def test_amounts_in_euros_are_one_figure_however_written():
    assert wording.figures("boven €500") == wording.figures("meer dan 500 euro") == ["500 euro"]
    assert wording.figures("€ 1.000 per jaar") == ["1000 euro"]
    assert wording.figures("tarief 21,80 euro") == ["21,80 euro"]


def test_an_article_number_or_a_count_without_unit_is_no_figure():
    assert wording.figures("art. 2.3.5 lid 1 Wmo, onder de 27") == []


def test_words_are_compared_with_digits_and_abbreviations_written_out():
    assert wording.normalised("drie werkdagen") == "3 werkdagen"
    assert wording.normalised("Werkinstructie bijz. bijstand") == "Werkinstructie bijzondere. bijstand"
    assert wording.normalised("afspraak W&I, SMI") == "afspraak werk en inkomen, sociaal-medische indicatie"
    # Not inside another word, and a number word only as a word of its own.
    assert wording.normalised("achterstand, tweede keer, svbx") == "achterstand, tweede keer, svbx"
