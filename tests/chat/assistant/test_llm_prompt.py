"""The prompt the LLM backend sends: Dutch, the cases with their ids so the model can cite them, only
anonymised text, and never longer than the small model's context allows. And the reading of what it
cites: only cases it was shown count, most relevant first."""

from chat.assistant.models import Source
from chat.assistant.prompt import (
    MIN_SOURCE_CHARS,
    PROMPT_CHARS,
    SKILL_INSTRUCTIONS_NL,
    build_messages,
    cited_case_ids,
    drop_unknown_citations,
)

SOURCES = [
    Source(
        case_id=12,
        title="Schulden en dreigende huisuitzetting",
        score=0.61,
        text="Alleenstaande moeder met schulden bij de woningcorporatie. Budgetcoach en betalingsregeling.",
    ),
    Source(
        case_id=4,
        title="Jongere zonder inkomen",
        score=0.83,
        text="Jongere van 19 zonder inkomen; de Participatiewet vroeg vier weken zoektijd.",
    ),
]


def total(messages) -> int:
    return sum(len(m["content"]) for m in messages)


def test_the_prompt_shows_each_case_with_its_id_most_relevant_first_and_then_the_question():
    system, user = build_messages("Wat werkte bij schulden?", SOURCES, "similar")
    assert system["role"] == "system" and user["role"] == "user"
    assert "[casus 12]" in system["content"]  # how to cite
    assert SKILL_INSTRUCTIONS_NL["similar"] in system["content"]
    text = user["content"]
    assert text.index("[casus 4] Jongere zonder inkomen") < text.index("[casus 12] Schulden en dreigende")
    assert "Budgetcoach en betalingsregeling." in text
    assert text.rstrip().endswith("Vraag: Wat werkte bij schulden?")


def test_a_name_or_bsn_in_the_question_never_reaches_the_model():
    messages = build_messages("Wat doen we voor Pieter de Jong, BSN 111222333?", SOURCES, None)
    sent = " ".join(m["content"] for m in messages)
    assert "111222333" not in sent and "Pieter" not in sent
    assert "[BSN-1]" in sent


def test_without_cases_the_model_is_told_there_are_none():
    messages = build_messages("Wat werkte?", [], None)
    assert "geen casussen gevonden" in messages[1]["content"]
    assert "[casus" not in messages[1]["content"]


def test_the_prompt_stays_within_its_budget_whatever_comes_in():
    huge = [
        Source(case_id=i, title="Titel " * 50, text="Lange tekst over schulden. " * 2_000, score=1 - i / 10)
        for i in range(1, 9)
    ]
    messages = build_messages("Wat werkte? " * 900, huge, "bottlenecks")
    assert total(messages) <= PROMPT_CHARS
    shown = [s.case_id for s in huge if f"[casus {s.case_id}]" in messages[1]["content"]]
    assert shown and shown == list(range(1, len(shown) + 1))  # the most relevant ones
    assert messages[1]["content"].count("Lange tekst over schulden.") >= len(shown) * (MIN_SOURCE_CHARS // 30)


def test_a_larger_model_can_be_given_more_room():
    long = [Source(case_id=1, title="t", text="Tekst over werk. " * 1_000, score=0.9)]
    small = build_messages("Vraag", long, None)
    large = build_messages("Vraag", long, None, max_chars=12_000)
    assert total(small) <= PROMPT_CHARS < total(large) <= 12_000


def test_only_cited_cases_that_were_retrieved_count_most_relevant_first():
    answer = "Budgetcoach [casus 12]. Zoektijd (casus 4). Zie ook [Casus 99] en casus 5."
    assert cited_case_ids(answer, SOURCES) == [4, 12]
    assert cited_case_ids("Geen vergelijkbare casus gevonden.", SOURCES) == []


def test_invented_citations_are_taken_out_of_the_text():
    text = "Budgetcoach [casus 12]. Huurtoeslag [casus 99]. In casus 5 lukte het."
    assert (
        drop_unknown_citations(text, {12}) == "Budgetcoach [casus 12]. Huurtoeslag. In een casus lukte het."
    )


def test_a_title_the_case_text_starts_with_is_not_repeated():
    source = Source(
        case_id=9,
        title="Werk en schulden",
        score=0.5,
        text="Titel: Werk en schulden\nSituatie: vader verloor zijn baan en kreeg schulden.",
    )
    user = build_messages("Wat werkte?", [source], None)[1]["content"]
    assert "[casus 9]" in user and user.count("Werk en schulden") == 1
