"""Which laws and articles a bottleneck cites, normalised, however a coach typed them: "Participatiewet art.
18", "art 18 PW", "artikel 18 lid 2 van de Participatiewet" and "Pw 18" are all article 18 of the
Participatiewet; "Faillissementswet (WSNP)", "Fw" and "Wsnp" are one law; "Jeugwet" is the Jeugdwet. The
identity of the article is what ties two wordings of one rule together most firmly (their descriptions may
share no word), and a different article of the same law is what sets two rules apart.

Articles keep their whole number (2.3.5, 4:84, 22a) and drop the paragraph (lid, sub, onder). An article is
attached to the law written right before it ("Wmo 2015 art. 2.3.5"), else the one right after it ("art. 18
lid 2 van de Participatiewet"), else to the laws of the bottleneck's law field ("Participatiewet" with the
rule "Kostendelersnorm (artikel 22a)"). Every pattern here is linear, every loop bounded by the text."""

import re
from dataclasses import dataclass
from itertools import islice

from casebook.cases.models import RuleLevel

# Names and abbreviations of the laws the social domain works with, onto one key each. A year after a name
# ("Wmo 2015", "Bbz 2004") is not an article.
LAW_ALIASES = {
    "wet maatschappelijke ondersteuning": "wmo",
    "wmo": "wmo",
    "verordening maatschappelijke ondersteuning": "wmo",
    "participatiewet": "participatiewet",
    "pw": "participatiewet",
    "p wet": "participatiewet",
    "wet werk en bijstand": "participatiewet",
    "wwb": "participatiewet",
    "bijstandswet": "participatiewet",
    "jeugdwet": "jeugdwet",
    "jw": "jeugdwet",
    "wet langdurige zorg": "wlz",
    "wlz": "wlz",
    "zorgverzekeringswet": "zvw",
    "zvw": "zvw",
    "algemene verordening gegevensbescherming": "avg",
    "avg": "avg",
    "wet gemeentelijke schuldhulpverlening": "wgs",
    "wgs": "wgs",
    "wet inburgering": "inburgering",
    "wi": "inburgering",
    "leerplichtwet": "leerplichtwet",
    "wet passend onderwijs": "passend onderwijs",
    "wet brp": "brp",
    "wet basisregistratie personen": "brp",
    "basisregistratie personen": "brp",
    "brp": "brp",
    # The Wsnp is a title of the Faillissementswet: "art. 285 Fw" and "Wsnp art. 285" are one article.
    "faillissementswet": "wsnp",
    "fw": "wsnp",
    "wsnp": "wsnp",
    "wet schuldsanering natuurlijke personen": "wsnp",
    "bbz": "bbz",
    "besluit bijstandverlening zelfstandigen": "bbz",
    "wgbo": "wgbo",
    "wet op de geneeskundige behandelingsovereenkomst": "wgbo",
    "burgerlijk wetboek": "bw",
    "bw": "bw",
    "algemene wet bestuursrecht": "awb",
    "awb": "awb",
    "huisvestingswet": "huisvesting",
    "huisvestingsverordening": "huisvesting",
    "awir": "toeslagen",
    "algemene wet inkomensafhankelijke regelingen": "toeslagen",
    "ioaw": "ioaw",
    "wet kinderopvang": "kinderopvang",
    "algemene ouderdomswet": "aow",
    "aow": "aow",
    "algemene nabestaandenwet": "anw",
    "anw": "anw",
    "werkloosheidswet": "ww",
    "ww": "ww",
    "ziektewet": "ziektewet",
    "zw": "ziektewet",
    "toeslagenwet": "toeslagenwet",
    "wet sociale werkvoorziening": "wsw",
    "wsw": "wsw",
    "ioaz": "ioaz",
    "algemene kinderbijslagwet": "akw",
    "akw": "akw",
    "wet op het kindgebonden budget": "wkb",
    "wkb": "wkb",
    "wet op de huurtoeslag": "huurtoeslag",
    "wet op de zorgtoeslag": "zorgtoeslag",
    "wet kinderopvang en kwaliteitseisen peuterspeelzalen": "kinderopvang",
    "wko": "kinderopvang",
    "algemene wet bijzondere ziektekosten": "awbz",
    "awbz": "awbz",
    "gemeentewet": "gemeentewet",
    "woningwet": "woningwet",
    "vreemdelingenwet": "vreemdelingenwet",
    "wet op de rechtsbijstand": "wrb",
    "wrb": "wrb",
    "wet studiefinanciering": "wsf",
    "wsf": "wsf",
    # Beslagvrije voet: "art. 475d Rv".
    "wetboek van burgerlijke rechtsvordering": "rv",
    "rv": "rv",
    "wet kwaliteit klachten en geschillen zorg": "wkkgz",
    "wkkgz": "wkkgz",
    "wet publieke gezondheid": "wpg",
    "wpg": "wpg",
    "wet structuur uitvoeringsorganisatie werk en inkomen": "suwi",
    "wet suwi": "suwi",
    "suwi": "suwi",
    "wet werk en inkomen naar arbeidsvermogen": "wia",
    "wia": "wia",
    "wajong": "wajong",
    "wet verplichte geestelijke gezondheidszorg": "wvggz",
    "wet verplichte ggz": "wvggz",
    "wvggz": "wvggz",
    "wet zorg en dwang": "wzd",
    "wzd": "wzd",
    "invorderingswet": "invorderingswet",
}
_LONGEST_ALIAS = max(len(alias.split()) for alias in LAW_ALIASES)
# Long one-word names, matched with a typo or a split ("Jeugwet", "Particpatiewet", "Participatie wet") in the
# law field (short there; rule texts are matched exactly, they may be long).
_TYPO_NAMES = tuple(a for a in LAW_ALIASES if " " not in a and len(a) >= 8)
_TYPO_MIN = 7

#: Tokens read per text: citations stand near the start of what a coach writes.
MAX_TOKENS = 2_000
_TOKEN = re.compile(r"\d{1,6}(?:[.:]\d{1,4}){0,4}[a-z]?\b|[^\W\d_]+|[^\w\s]")
_NUMBER = re.compile(r"\d{1,3}(?:[.:]\d{1,4}){0,4}[a-z]?")
_YEAR = re.compile(r"(?:19|20)\d\d")
_ARTICLE_WORDS = frozenset({"art", "artikel", "artikelen", "artt", "§"})
_ORDINALS = frozenset({"eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste"})
# What may stand between an article and its law: "art. 18, tweede lid, onder b, van de Participatiewet".
_FILLER = frozenset({"lid", "leden", "sub", "onder", "van", "de", "het", "der", "jo", ",", ".", "(", ")"})
_LIST_WORDS = frozenset({"en", "of", ",", "/", "&"})
# What may follow a bare number after a law name for it to be an article ("Fw 288 lid 1", "Awb 4:84"), not
# an amount ("Wmo 6 weken").
_AFTER_BARE = frozenset({"lid", "sub", "onder", "en", ",", ";", ")", "/", "."})
_NOT_NAME_WORDS = frozenset({"lid", "leden", "onder", "sub", "oud", "jo", "stelsel", "gemeente"})
_NOT_NAME_WORDS |= _ORDINALS | {"gemeentelijk", "gemeentelijke", "van", "de", "het", "der", "en", "of"}
_FORWARD_GAP = 8
_BACKWARD_GAP = 2

# Words of a law field that say the rule is the municipality's own (only those it can change itself).
_LEVEL_ENDINGS = {
    RuleLevel.local_ordinance: ("verordening", "beleidsregel", "beleidsregels", "regeling"),
    RuleLevel.internal_instruction: ("instructie", "werkafspraak", "werkafspraken", "intern", "interne"),
}


@dataclass(frozen=True)
class Citation:
    """laws: the laws the law field names, in order; articles: (law, article) pairs cited anywhere in the
    bottleneck ("" for an article whose law is unknown); name: the other words of the law field
    ("vermogenstoets", "werkinstructie", "bijzondere", "bijstand")."""

    laws: tuple[str, ...]
    articles: tuple[tuple[str, str], ...]
    name: tuple[str, ...]


def _tokens(text: str) -> list[str]:
    """The words and numbers of `text`, at most MAX_TOKENS: a citation stands near the start of what a coach
    writes, and a 100 KB text must not cost more than a short one."""
    found = _TOKEN.finditer(text.casefold().replace("-", " "))
    return [match.group() for match in islice(found, MAX_TOKENS)]


def _close(word: str, name: str) -> bool:
    """One edit apart (a letter left out, added, changed or two swapped): "jeugwet", "particpatiewet"."""
    if abs(len(word) - len(name)) > 1 or word == name:
        return word == name
    start = 0
    while start < min(len(word), len(name)) and word[start] == name[start]:
        start += 1
    end = 0
    while end < min(len(word), len(name)) - start and word[-1 - end] == name[-1 - end]:
        end += 1
    middle_word, middle_name = word[start : len(word) - end], name[start : len(name) - end]
    if len(middle_word) <= 1 and len(middle_name) <= 1:
        return True
    return len(middle_word) == len(middle_name) == 2 and middle_word == middle_name[::-1]


def _repaired(tokens: list[str]) -> list[str]:
    """A law field's tokens with a misspelt or split long law name written as it should be."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        joined = tokens[i] + tokens[i + 1] if i + 1 < len(tokens) else ""
        if joined in LAW_ALIASES and tokens[i] not in LAW_ALIASES:
            out.append(joined)
            i += 2
            continue
        word = tokens[i]
        if len(word) >= _TYPO_MIN and word not in LAW_ALIASES:
            word = next((name for name in _TYPO_NAMES if _close(word, name)), word)
        out.append(word)
        i += 1
    return out


def _laws_at(tokens: list[str]) -> dict[int, tuple[int, str]]:
    """Start index -> (end index, law key) of every law name in `tokens`, longest name first."""
    found: dict[int, tuple[int, str]] = {}
    i = 0
    while i < len(tokens):
        for size in range(min(_LONGEST_ALIAS, len(tokens) - i), 0, -1):
            key = LAW_ALIASES.get(" ".join(tokens[i : i + size]))
            if key is not None:
                found[i] = (i + size, key)
                i += size
                break
        else:
            i += 1
    return found


def _is_article_number(token: str) -> bool:
    return _NUMBER.fullmatch(token) is not None and _YEAR.fullmatch(token) is None


def _skip_years(tokens: list[str], end: int) -> int:
    while end < len(tokens) and _YEAR.fullmatch(tokens[end]):
        end += 1
    return end


def _article_spans(tokens: list[str], laws: dict[int, tuple[int, str]]) -> list[tuple[int, int, list[str]]]:
    """(first token, token after, article numbers) of every article mention: "art. 7 en 31", "artikel 2.3.5",
    and a bare number right after a law name ("Fw 288 lid 1")."""
    spans = []
    i = 0
    while i < len(tokens):
        start = i
        if tokens[i] in _ARTICLE_WORDS:
            i += 1 + (i + 1 < len(tokens) and tokens[i + 1] == ".")
        elif i in laws:
            i = _skip_years(tokens, laws[i][0])
            after = tokens[i + 1] if i + 1 < len(tokens) else ","
            if not (i < len(tokens) and _is_article_number(tokens[i]) and after in _AFTER_BARE):
                continue
            start = i
        else:
            i += 1
            continue
        numbers: list[str] = []
        while i < len(tokens) and _is_article_number(tokens[i]) and len(numbers) < 5:
            numbers.append(tokens[i])
            i += 1
            if i + 1 < len(tokens) and tokens[i] in _LIST_WORDS and _is_article_number(tokens[i + 1]):
                i += 1
        if numbers:
            spans.append((start, i, numbers))
        i = max(i, start + 1)
    return spans


def _law_ends(laws: dict[int, tuple[int, str]]) -> dict[int, str]:
    """Where each law mention ends -> its law, made once per text (per article mention it was quadratic)."""
    return {law_end: key for law_end, key in laws.values()}


def _law_of(
    tokens: list[str], laws: dict[int, tuple[int, str]], ends: dict[int, str], start: int, end: int
) -> str | None:
    """The law an article mention at tokens[start:end] belongs to: the one right before it ("Wmo 2015 art.
    2.3.5", "Participatiewet (art. 22a)"), else the one shortly after it ("art. 18 lid 2 van de PW")."""
    back = start
    for _ in range(_BACKWARD_GAP + 1):
        if back in ends:
            return ends[back]
        if back == 0 or not (tokens[back - 1] in {"(", ",", ":"} or _YEAR.fullmatch(tokens[back - 1])):
            break
        back -= 1
    ahead = end
    for _ in range(_FORWARD_GAP + 1):
        if ahead in laws:
            return laws[ahead][1]
        if ahead >= len(tokens):
            return None
        token = tokens[ahead]
        if not (token in _FILLER or token in _ORDINALS or _NUMBER.fullmatch(token) or len(token) == 1):
            return None
        ahead += 1
    return None


def _citations(tokens: list[str], default_laws: tuple[str, ...]) -> list[tuple[str, str]]:
    """The (law, article) pairs cited in `tokens`; an article without a law of its own belongs to each of
    `default_laws` (or to an unknown law)."""
    laws = _laws_at(tokens)
    ends = _law_ends(laws)
    articles = []
    for start, end, numbers in _article_spans(tokens, laws):
        law = _law_of(tokens, laws, ends, start, end)
        owners = (law,) if law else default_laws or ("",)
        articles += [(owner, number) for owner in owners for number in numbers]
    return articles


def cite(*, law: str, rule: str = "", description: str = "") -> Citation:
    """The laws and articles a bottleneck cites: its law field first, then articles in its rule and
    description (an article there without a law of its own belongs to the law field's laws)."""
    tokens = _repaired(_tokens(law))
    laws = _laws_at(tokens)
    named = tuple(dict.fromkeys(key for _, key in laws.values()))
    articles = []
    taken = {i for start, (end, _) in laws.items() for i in range(start, end)}
    ends = _law_ends(laws)
    for start, end, numbers in _article_spans(tokens, laws):
        owner = _law_of(tokens, laws, ends, start, end) or (named[0] if len(named) == 1 else "")
        articles += [(owner, number) for number in numbers]
        taken.update(range(start, end))
    for text in (rule, description):
        if text:
            articles += _citations(_tokens(text), named)
    name = [
        t
        for i, t in enumerate(tokens)
        if i not in taken
        and len(t) >= 3
        and t.isalpha()
        and t not in _NOT_NAME_WORDS
        and t not in _ARTICLE_WORDS
    ]
    return Citation(named, tuple(dict.fromkeys(articles)), tuple(dict.fromkeys(name)))


def law_keys(law: str) -> list[str]:
    """A law field's rule, normalised: each law by its articles when it names any, else by itself, then the
    other words. "Participatiewet art. 34 (vermogenstoets)" and "art 34 PW vermogenstoets" ->
    ["participatiewet art 34", "vermogenstoets"]; "Wmo 2015 / Zvw" -> ["wmo", "zvw"]."""
    found = cite(law=law)
    cited = {owner for owner, _ in found.articles}
    keys = [f"{owner} art {number}".strip() for owner, number in found.articles]
    keys += [key for key in found.laws if key not in cited]
    return list(dict.fromkeys(keys + list(found.name)))


def levels(law: str) -> set[RuleLevel]:
    """The levels a law field names: the municipality's own ordinance or policy rule ("Mandaatregeling",
    "Afstemmingsverordening", "Beleidsregels Wmo"), its internal work instruction, or else, when it names a
    law, national law."""
    tokens = _tokens(law)
    found = {
        level
        for level, endings in _LEVEL_ENDINGS.items()
        for token in tokens
        if token.endswith(endings) and token not in LAW_ALIASES
    }
    if not found and _laws_at(_repaired(tokens)):
        found.add(RuleLevel.national_law)
    return found
