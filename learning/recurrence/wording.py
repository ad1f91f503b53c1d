"""How coaches write a rule, made comparable. The figures a rule names, however a coach wrote them: "drie werkdagen", "3 werkdagen" and "binnen drie
dagen" are one term of 3 days, "vier weken" and "4 weken" one of 4 weeks, "€500" and "500 euro" one
amount. Two wordings of one rule often share little else than its term or its amount, and a stemmed "4"
or "vier" says nothing on its own (one-letter words are no index terms; number words are spelt out or
not at random).

The abbreviations of the social domain stand for their words ("bijz. bijstand" is "bijzondere bijstand",
"SMI" a "sociaal-medische indicatie"): one coach writes the one, the next the other.

`normalised` writes number words as digits and abbreviations in full before the words of a bottleneck are
compared; `figures` reads the (number, unit) pairs of a text as keys. Every pattern here is linear."""

import re
from itertools import islice

from casebook.dutch_numbers import NUMBER_WORDS

# Units onto one key each: a working day and a day are one term in how coaches write ("binnen drie dagen"
# for "drie werkdagen"); "€" and "euro" one currency.
UNITS = {
    "dag": "dag",
    "dagen": "dag",
    "werkdag": "dag",
    "werkdagen": "dag",
    "week": "week",
    "weken": "week",
    "maand": "maand",
    "maanden": "maand",
    "jaar": "jaar",
    "jaren": "jaar",
    "uur": "uur",
    "uren": "uur",
    "euro": "euro",
    "eur": "euro",
    "€": "euro",
    "procent": "procent",
    "%": "procent",
}
_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
# A number word glued to a unit and more ("vierwekenzoektermijn", "zeswekentermijn"): the figure split off.
_GLUED = re.compile(
    r"\b("
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")(dagen|weken|maanden|jaar)(?=[^\W\d_])",
    re.IGNORECASE,
)
# An amount: "500", "1.000", "21,80" (thousands dots dropped, the decimal comma kept).
_AMOUNT = r"\d{1,9}(?:\.\d{3}){0,3}(?:,\d{1,2})?"
_FIGURE = re.compile(
    rf"(€)\s?({_AMOUNT})|({_AMOUNT})\s?(%|[^\W\d_]+)",
    re.IGNORECASE,
)
# Abbreviations (whole words, any case) and what they stand for. Not the laws' own (citation.py reads those)
# and none that is also a Dutch word.
ABBREVIATIONS = {
    "bijz": "bijzondere",
    "smi": "sociaal-medische indicatie",
    "w&i": "werk en inkomen",
    "lvb": "licht verstandelijke beperking",
    "aio": "aanvullende inkomensvoorziening ouderen",
    "svb": "sociale verzekeringsbank",
    "ciz": "centrum indicatiestelling zorg",
    "pgb": "persoonsgebonden budget",
    "shv": "schuldhulpverlening",
    "bsn": "burgerservicenummer",
    "vog": "verklaring omtrent het gedrag",
    "wsp": "werkgeversservicepunt",
}
_ABBREVIATION = re.compile(
    r"(?<![\w&])("
    + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w&])",
    re.IGNORECASE,
)
#: Figures read per text: a rule names a few.
MAX_FIGURES = 50


def digits(text: str) -> str:
    """`text` with number words written as digits ("drie werkdagen" -> "3 werkdagen"), a number word glued
    to a unit split off ("vierwekenzoektermijn" -> "4 weken zoektermijn")."""
    text = _GLUED.sub(lambda m: f"{NUMBER_WORDS[m[1].lower()]} {m[2]} ", text)
    return _NUMBER_WORD.sub(lambda m: str(NUMBER_WORDS[m[1].lower()]), text)


def normalised(text: str) -> str:
    """`text` with its abbreviations in full and its number words as digits (see `digits`)."""
    return digits(_ABBREVIATION.sub(lambda m: ABBREVIATIONS[m[1].lower()], text))


def figures(text: str) -> list[str]:
    """The (number, unit) pairs `text` names, as keys: "3 dag", "4 week", "500 euro", in order."""
    found = []
    for match in islice(_FIGURE.finditer(digits(text)), MAX_FIGURES):
        if match[1]:
            amount, unit = match[2], "euro"
        else:
            amount, unit = match[3], UNITS.get(match[4].lower(), "")
        if unit:
            found.append(f"{amount.replace('.', '')} {unit}")
    return found
