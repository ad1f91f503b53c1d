"""A law and article are one rule however a coach cites them: abbreviations, the paragraph (lid), the order of
law and article, a typo in the law's name. Numbers that are no article (a year, an amount of weeks) stay out."""

import pytest

from casebook.cases.models import RuleLevel
from learning.recurrence import citation


@pytest.mark.parametrize(
    "law",
    [
        "Participatiewet art. 18",
        "art 18 PW",
        "artikel 18 lid 2 van de Participatiewet",
        "Pw 18 lid 1",
        "Particpatiewet artikel 18, tweede lid",
        "WWB art. 18",
    ],
)
def test_one_article_of_a_law_is_read_the_same_however_it_is_cited(law):
    assert citation.cite(law=law).articles == (("participatiewet", "18"),)


@pytest.mark.parametrize(
    ("law", "articles"),
    [
        ("Wmo 2015 art. 2.3.5 lid 1", (("wmo", "2.3.5"),)),
        ("art. 7.3.4 Jw / art. 7:465 BW", (("jeugdwet", "7.3.4"), ("bw", "7:465"))),
        ("WSNP (art 285 Fw)", (("wsnp", "285"),)),
        ("Algemene wet bestuursrecht artikel 6:7 en 6:11", (("awb", "6:7"), ("awb", "6:11"))),
        ("Besluit bijstandverlening zelfstandigen 2004 art. 2 en 5", (("bbz", "2"), ("bbz", "5"))),
    ],
)
def test_articles_keep_their_whole_number_and_the_law_they_stand_next_to(law, articles):
    assert citation.cite(law=law).articles == articles


def test_a_year_or_an_amount_after_a_law_is_no_article():
    assert citation.cite(law="Wmo 2015").articles == ()
    assert citation.cite(law="Wmo", rule="Onderzoek binnen Wmo 6 weken na de melding").articles == ()


def test_an_article_in_the_rule_belongs_to_the_law_the_law_field_names():
    cited = citation.cite(law="Participatiewet", rule="Kostendelersnorm (artikel 22a): lagere uitkering")
    assert cited.laws == ("participatiewet",) and cited.articles == (("participatiewet", "22a"),)


def test_abbreviations_and_misspellings_name_one_law():
    for law in ("Jeugdwet", "Jeugwet", "JW"):
        assert citation.cite(law=law).laws == ("jeugdwet",)
    for law in ("Faillissementswet (WSNP)", "Fw", "Wsnp"):
        assert citation.cite(law=law).laws == ("wsnp",)
    for law in ("WMO 2015", "Wet maatschappelijke ondersteuning"):
        assert citation.cite(law=law).laws == ("wmo",)
    for law in ("Wetboek van Burgerlijke Rechtsvordering", "Rv"):
        assert citation.cite(law=law).laws == ("rv",)
    for law in ("Wet op het kindgebonden budget", "WKB"):
        assert citation.cite(law=law).laws == ("wkb",)


def test_the_social_domains_other_laws_are_laws_whose_articles_belong_to_them():
    assert citation.cite(law="", rule="beslagvrije voet volgens art. 475d Rv").articles == (("rv", "475d"),)
    assert citation.law_keys("Ziektewet art. 29") == citation.law_keys("art 29 ZW") == ["ziektewet art 29"]


def test_the_level_is_read_from_the_law_field_when_nobody_gave_it():
    assert citation.levels("Participatiewet art. 18") == {RuleLevel.national_law}
    assert citation.levels("Afstemmingsverordening Participatiewet") == {RuleLevel.local_ordinance}
    assert citation.levels("Werkinstructie bijzondere bijstand") == {RuleLevel.internal_instruction}
    assert citation.levels("Mandaatregeling sociaal domein") == {RuleLevel.local_ordinance}
