"""What the language model streams is shown only after the anonymiser has read it: a sentence at a time,
read together with what came before, so a name or a number split over tokens is masked all the same,
and a cited case the model was not shown never reaches the reader."""

import pytest

from chat.assistant.output_filter import MAX_PENDING_CHARS, OutputFilter


def shown(pieces, known_ids=frozenset({3, 7})) -> tuple[list[str], str]:
    """What a reader sees after each piece, and the whole answer."""
    output = OutputFilter(set(known_ids))
    seen = [output.feed(piece) for piece in pieces]
    seen.append(output.finish())
    assert "".join(seen) == output.text
    return seen, output.text


def test_nothing_is_shown_before_the_sentence_is_complete_then_the_sentence_at_once():
    seen, text = shown(["Een budget", "coach hielp", " snel [casus 3].", " Daarna", " volgde werk."])
    assert seen[:2] == ["", ""]
    assert seen[2] == ""  # the sentence end is only certain once white space follows
    assert seen[3] == "Een budgetcoach hielp snel [casus 3]. "
    assert text == "Een budgetcoach hielp snel [casus 3]. Daarna volgde werk."


def test_a_name_split_over_tokens_is_masked():
    seen, text = shown(["Mevrouw Jan", "ssen bel", "de de woningcorporatie", ". Het", " hielp."])
    assert "Janssen" not in text and "Jan" not in text.replace("[", "")
    assert "[PERSOON-1]" in text
    assert not any("Jan" in piece for piece in seen)


def test_a_title_ending_one_sentence_still_marks_the_name_starting_the_next():
    _, text = shown(["Het gesprek was met dhr.", " Bakker", " uit de wijk. Hij", " werkt nu."])
    assert "Bakker" not in text


def test_a_bsn_and_a_phone_number_split_over_tokens_are_masked():
    _, text = shown(["Haar BSN is 1112", "22333 en haar nummer is 06-123", "45678. Verder niets."])
    assert "111222333" not in text and "1112" not in text
    assert "12345678" not in text and "45678" not in text
    assert "[BSN-1]" in text


@pytest.mark.parametrize("at", range(1, len("Zij sprak met Fatima El Amrani over de schulden. Goed.") - 1, 3))
def test_wherever_the_stream_is_split_the_name_never_shows(at):
    answer = "Zij sprak met Fatima El Amrani over de schulden. Goed."
    _, text = shown([answer[:at], answer[at:]])
    assert "Fatima" not in text and "Amrani" not in text


def test_an_answer_fed_one_character_at_a_time_is_masked_like_one_fed_whole():
    answer = "De moeder, mevrouw De Vries, belde op 06-12345678. Zoon Ahmed ging weer naar school.\nKlaar."
    _, by_character = shown(list(answer))
    _, whole = shown([answer])
    assert by_character == whole
    for identifier in ("Vries", "12345678", "Ahmed"):
        assert identifier not in by_character


def test_citations_of_cases_the_model_was_not_shown_are_removed():
    _, text = shown(
        ["Schulden eerst [casus 3]. Een budgetcoach hielp [casus 99]. ", "Zie ook casus 12 en (casus 7)."]
    )
    assert text == "Schulden eerst [casus 3]. Een budgetcoach hielp. Zie ook een casus en (casus 7)."


def test_a_long_answer_without_sentence_ends_is_shown_before_it_ends_minus_its_last_words():
    words = ["woord"] * (MAX_PENDING_CHARS // 5)
    output = OutputFilter(set())
    released = "".join(output.feed(word + " ") for word in words)
    assert released, "a long run is not held back until the end"
    assert len(released.split()) <= len(words) - 3
    assert output.text + output.finish() == " ".join(words) + " "


def test_initials_and_titles_do_not_end_a_sentence():
    output = OutputFilter(set())
    assert output.feed("Het advies kwam van J. ") == ""
    assert output.feed("de Boer en dhr. ") == ""
    text = output.feed("Smit. Klaar") + output.finish()
    assert "Boer" not in text and "Smit" not in text
