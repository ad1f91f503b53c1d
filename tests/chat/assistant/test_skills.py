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
