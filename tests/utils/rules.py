"""Wordings of one rule as different coaches flag it, shared by the recurrence tests."""

# The cost-sharing norm, two wordings.
KOSTENDELER = [
    {
        "law": "Participatiewet art. 22a",
        "kind": "tegenstrijdige_regels",
        "delay_days": 42,
        "rule": "Kostendelersnorm verlaagt de uitkering bij een inwonende meerderjarige",
        "description": "Moeder kon haar zoon niet opvangen zonder zelf minder bijstand te krijgen.",
    },
    {
        "law": "Participatiewet",
        "kind": "tegenstrijdige_regels",
        "delay_days": 28,
        "rule": "Kostendelersnorm (artikel 22a): lagere uitkering bij inwonend meerderjarig kind",
        "description": "Opvang bij familie werd financieel onmogelijk door de kostendelersnorm.",
    },
]
# Sharing data with the housing corporation, one wording.
PRIVACY = {
    "law": "AVG",
    "kind": "privacy_gegevensdeling",
    "delay_days": 21,
    "rule": "Geen grondslag om gegevens te delen met de woningcorporatie zonder toestemming",
    "description": "De corporatie hoorde te laat van de hulpverlening.",
}
