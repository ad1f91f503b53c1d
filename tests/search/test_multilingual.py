"""The Dutch-reading sentence model: the same rule in other Dutch words is nearer than another rule of the
same law, and a text asked for twice gives the same vector without being read again."""

import numpy as np

from search import multilingual


def test_the_same_rule_in_other_dutch_words_is_nearer_than_another_rule_of_that_law():
    rule, reworded, other = multilingual.passages(
        [
            "Participatiewet: jongeren onder de 27 moeten eerst vier weken zelf werk zoeken",
            "PW: zoektermijn van een maand voor aanvragers jonger dan 27 jaar",
            "Participatiewet: de kostendelersnorm verlaagt de uitkering als een volwassen kind thuis woont",
        ]
    )
    assert rule @ reworded > rule @ other
    assert np.allclose(np.linalg.norm([rule, reworded, other], axis=1), 1.0, atol=1e-3)


def test_a_question_finds_the_case_that_answers_it_in_other_words():
    question = multilingual.queries(["cliënt met geldzorgen en een deurwaarder aan de deur"])[0]
    debts, dementia = multilingual.passages(
        [
            "Mevrouw heeft schulden bij de energieleverancier; er is beslag gelegd op haar loon.",
            "Meneer heeft alzheimer en dwaalt 's nachts; zijn vrouw is overbelast.",
        ]
    )
    assert question @ debts > question @ dementia


def test_a_text_is_read_once_and_its_vector_kept(monkeypatch):
    first = multilingual.passages(["Alleen de jurist mag het Wmo-besluit tekenen."])
    monkeypatch.setattr(multilingual, "_model", lambda: (_ for _ in ()).throw(AssertionError("read again")))
    again = multilingual.passages(["Alleen de jurist mag het Wmo-besluit tekenen."])
    assert np.array_equal(first, again)
    assert multilingual.passages([]).shape == (0, multilingual.DIM)


def test_text_that_grows_when_normalised_is_read_without_harm():
    """One character normalises to eighteen (U+FDFA): given raw, it overran the engine's buffer and took
    the process down; any text a user writes into a case reaches this model."""
    grown = multilingual.passages(["Moeder met schulden " + "\ufdfa" * 200, "\ufdfa" * 10])
    assert grown.shape == (2, multilingual.DIM) and np.isfinite(grown).all()
    assert len(multilingual.readable("\ufdfa" * 1000)) == multilingual.MAX_CHARS


def test_a_caller_with_many_texts_lets_others_use_the_model_between_every_few(monkeypatch):
    held: list[int] = []
    real = multilingual._model().encode

    def encode(texts, **kwargs):
        held.append(len(texts))
        return real(texts, **kwargs)

    monkeypatch.setattr(multilingual._model(), "encode", encode)
    texts = [f"Casus {n}: wachten op een besluit over begeleiding, week {n}" for n in range(7)]
    together = multilingual.passages(texts)
    assert held and max(held) <= multilingual.ENCODE_BATCH and sum(held) == len(texts)
    assert np.allclose(together, np.vstack([multilingual.passages([t]) for t in texts]))
