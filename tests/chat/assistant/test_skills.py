"""Which skill a question asks for, as coaches type it: free Dutch, typos, "@assistent" in front."""

import pytest

from chat.assistant import skills


@pytest.mark.parametrize(
    ("question", "skill"),
    [
        ("@assistent hebben we dit eerder gezien, wat werkte?", "similar"),
        ("moeder met schulden, jurist tekent niet", "similar"),
        ("welke regels zaten in de weg bij jongeren die 18 worden", "bottlenecks"),
        ("welke knelpnten speelden er en hoe liep het af?", "bottlenecks"),
        ("tips voor deze fase?", "facilitation"),
        ("wat is de volgende stap in het gesprek", "facilitation"),
        ("wat is er nog niet besprooken?", "reflect"),
        ("wat missen we?", "reflect"),
        ("vat samen waar we staan", "summary"),
        ("samnevatting aub", "summary"),
        ("@Assistent: maak een knelpnt van dit", "draft_bottleneck"),
        ("schrijf een concept casusverslag", "draft_entry"),
    ],
)
def test_the_skill_a_question_asks_for_is_recognised_despite_typos(question, skill):
    assert skills.recognise(question).skill.id == skill


@pytest.mark.parametrize(
    ("question", "word"),
    [
        (
            "We zitten in de fase dat de jurist het besluit moet tekenen, maar moeder heeft inmiddels zoveel "
            "schulden dat de deurwaarder langskomt. Hoe gingen anderen hiermee om?",
            "fase",
        ),
        (
            "Moeder is haar afspraak bij de schuldhulpverlening weer vergeten en de energieleverancier dreigt nu "
            "met afsluiting van gas en licht. Wat nu?",
            "vergeten",
        ),
        (
            "De zoon heeft een overzicht van alle brieven van de deurwaarder gemaakt, want moeder opent haar post "
            "niet meer sinds de scheiding. De huur is drie maanden achter. Wat kunnen we doen?",
            "overzicht",
        ),
    ],
)
def test_one_ordinary_cue_word_in_a_description_of_a_situation_asks_for_similar_cases(question, word):
    recognised = skills.recognise(question)
    assert recognised.skill.id == "similar"
    assert word in recognised.topic.split()  # part of the situation, searched with the rest


@pytest.mark.parametrize(
    ("question", "skill"),
    [
        ("Vat samen. Dank je!", "summary"),
        ("We zitten vast. Welke fase is dit eigenlijk?", "facilitation"),
        (
            "Moeder heeft schulden bij de verhuurder en de energieleverancier, haar zoon spijbelt al weken en het "
            "besluit ligt bij de jurist. Welke knelpunten kwamen jullie tegen?",
            "bottlenecks",
        ),
    ],
)
def test_one_cue_word_in_a_short_message_in_its_last_sentence_or_in_a_question_still_asks_for_its_skill(
    question, skill
):
    assert skills.recognise(question).skill.id == skill


def test_a_question_about_a_situation_keeps_its_topic_words_for_the_search():
    recognised = skills.recognise(
        "@assistent hebben we eerder gezien: zzp'er met schulden, bijstand afgewezen?"
    )
    assert recognised.skill.id == "similar"
    assert "schulden" in recognised.topic and "bijstand" in recognised.topic
    assert "gezien" not in recognised.topic and "assistent" not in recognised.topic


def test_only_a_message_that_starts_with_the_address_is_a_question_in_the_room():
    assert skills.addressed("@assistent wat werkte?")
    assert skills.addressed("  @ASSISTENT, vat samen")
    assert not skills.addressed("ik vraag het straks aan @assistent")
