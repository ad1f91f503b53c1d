"""Search reads Dutch as coaches write it: a plural finds the singular and back, and a word is never matched
with another word that only looks alike once its prefix is gone (gezin is not zin, begeleiding is not beleid,
gemeente is not mening). What a coach sees: which cases a search finds on a word, and which words of a case
are shown as the match (`why.matched_terms`, the words marked in the snippet)."""

import pytest

from search import service as search_service
from utils.factories import make_case, make_user, token_for

CASES = {
    "one_debt": {
        "title": "Betalingsregeling voor een schuld bij de zorgverzekeraar",
        "narrative": "[CLIENT] heeft een schuld bij de zorgverzekeraar. De betalingsregeling loopt, maar een "
        "aanmaning van het incassobureau bracht haar in paniek.",
        "life_domains": ["financiën"],
    },
    "many_debts": {
        "title": "Alleenstaande vader met schulden bij energieleverancier en verhuurder",
        "narrative": "[CLIENT] heeft schulden bij de energieleverancier en de verhuurder en opent zijn post niet "
        "meer.",
        "life_domains": ["financiën"],
    },
    "family": {
        "title": "Gezin met vijf kinderen in een te kleine huurwoning",
        "narrative": "Het gezin van [CLIENT] woont met vijf kinderen in een tweekamerwoning. Het gezin staat al "
        "drie jaar op de wachtlijst van de corporatie.",
        "life_domains": ["huisvesting"],
    },
    "no_motivation": {
        "title": "Jongere van zestien heeft nergens meer zin in",
        "narrative": "[CLIENT] blijft in bed liggen en heeft geen zin om naar school te gaan. Hij wil met "
        "niemand praten.",
        "life_domains": ["geestelijke gezondheid"],
    },
    "support": {
        "title": "Begeleiding bij het huishouden na een heupoperatie",
        "narrative": "[CLIENT] kan na de operatie het huishouden niet aan. De begeleiding uit de Wmo start pas "
        "over zes weken.",
        "life_domains": ["lichamelijke gezondheid"],
    },
    "policy": {
        "title": "Signaal aan het beleid: de wachttijd voor schuldhulp is te lang",
        "narrative": "Het wijkteam legde de wachttijd van drie maanden voor als signaal voor het beleid. De "
        "wethouder vroeg om informatie over de cijfers.",
        "life_domains": ["financiën"],
    },
    "municipality": {
        "title": "Gemeente weigert bijzondere bijstand voor een wasmachine",
        "narrative": "De gemeente wijst de aanvraag af omdat [CLIENT] had kunnen sparen. De jurist van de "
        "gemeente tekent het besluit.",
        "life_domains": ["financiën"],
    },
    "child_view": {
        "title": "De mening van het kind telt niet mee bij de omgangsregeling",
        "narrative": "[KIND-1] wil haar vader niet zien. Haar mening komt in het verslag van de rechtbank niet "
        "terug.",
        "life_domains": ["huiselijke relaties"],
    },
}


@pytest.fixture
def coach(db_session):
    return make_user(db_session, "coach")


@pytest.fixture
def corpus(client, db_session, coach) -> dict[str, int]:
    return {name: make_case(db_session, coach, **fields).id for name, fields in CASES.items()}


def matched_words(client, headers, query: str) -> dict[int, set[str]]:
    """Per case found, the words of the case shown as matching `query` (cases matched on no word left out)."""
    response = client.get("/api/v1/search", params={"q": query}, headers=headers)
    assert response.status_code == 200, response.text
    return {
        h["case_id"]: set(h["why"]["matched_terms"])
        for h in response.json()["hits"]
        if h["why"]["matched_terms"]
    }


@pytest.mark.parametrize(
    ("query", "word_in_other_case"),
    [("schulden", "schuld"), ("schuld", "schulden")],
)
def test_a_search_for_debts_finds_the_case_that_says_debt_in_the_singular_or_the_plural(
    client, db_session, coach, corpus, query, word_in_other_case
):
    found = matched_words(client, token_for(db_session, coach), query)
    one, many = found.get(corpus["one_debt"], set()), found.get(corpus["many_debts"], set())
    assert "schuld" in one
    assert "schulden" in many
    assert word_in_other_case in one | many


@pytest.mark.parametrize(
    ("query", "meant", "look_alike", "other_word"),
    [
        ("zin", "no_motivation", "family", "gezin"),
        ("gezin", "family", "no_motivation", "zin"),
        ("beleid", "policy", "support", "begeleiding"),
        ("begeleiding", "support", "policy", "beleid"),
        ("mening", "child_view", "municipality", "gemeente"),
    ],
)
def test_a_word_is_not_matched_with_a_word_that_only_looks_alike_without_its_prefix(
    client, db_session, coach, corpus, query, meant, look_alike, other_word
):
    found = matched_words(client, token_for(db_session, coach), query)
    assert corpus[meant] in found
    assert other_word not in found.get(corpus[look_alike], set())
    assert corpus[look_alike] not in found


def test_a_typo_is_read_as_the_word_but_a_longer_word_holding_a_known_one_is_not(client, db_session, corpus):
    """What the assistant weighs before it cites anything (search.service.word_matches): which cases hold each
    word of a question. "schuldne" is "schulden" typed fast; "informatieavond" (an evening for residents) is
    not a misspelt "informatie", so a question about one finds no case that holds it."""
    matches = search_service.word_matches(
        db_session=db_session, query="schuldne informatieavond", case_ids=list(corpus.values())
    )
    held = {m.word: m.case_ids for m in matches}
    assert held["schuldne"] == {corpus["one_debt"], corpus["many_debts"]}
    assert held["informatieavond"] == frozenset()
