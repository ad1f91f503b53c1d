"""Word lists the detectors share: names, ordinary Dutch words and words that must survive.

The big lists (first names, surnames, common words) come from deduce's lookup data; the
small hand lists below encode the domain: law names, public bodies and roles that the
district teams write every day and that must never be masked.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

TITLES: frozenset[str] = frozenset(
    ["mevrouw", "mevr", "mw", "mvr", "mej", "meneer", "mijnheer", "heer", "dhr", "mr", "dr", "drs", "ir", "ing", "prof", "fam", "familie", "gezin", "juf", "meester"]
)

#: Words after which a capitalised word is very likely a person (family and professional roles).
ROLE_CUES: frozenset[str] = frozenset(
    ["zoon", "dochter", "vader", "moeder", "broer", "zus", "zusje", "broertje", "zoontje", "dochtertje", "partner", "echtgenoot", "echtgenote", "vrouw", "man", "vriend", "vriendin", "ex", "expartner", "ex-partner", "oom", "tante", "neef", "nicht", "opa", "oma", "kleinzoon", "kleindochter", "pleegzoon", "pleegdochter", "pleegmoeder", "pleegvader", "stiefvader", "stiefmoeder", "buurman", "buurvrouw", "schoonmoeder", "schoonvader", "schoonzoon", "schoondochter", "cliënt", "client", "cliente", "wijkcoach", "consulent", "huisarts", "jurist", "mentor", "begeleider", "leidinggevende", "medewerker", "collega", "contactpersoon", "aanvrager", "naam", "jeugdbeschermer", "bewindvoerder", "jeugdverpleegkundige", "wijkverpleegkundige", "casemanager", "teamleider", "klantmanager", "schuldhulpverlener", "woonconsulent", "huurconsulent", "reclasseringswerker", "trainer", "voetbaltrainer", "leerling", "kind", "kinderen", "baby", "tweeling", "t.n.v", "tnv"]
)

INTERFIXES: frozenset[str] = frozenset(
    ["van", "de", "der", "den", "het", "'t", "te", "ten", "ter", "in", "op", "uit", "d'", "da", "del", "di", "dos", "du", "el", "al", "la", "le", "lo", "von", "zur", "oude", "ait", "ben", "bin", "abu"]
)

#: Never a person, whatever the casing: law names, public bodies, roles, domain words.
NEVER_NAMES: frozenset[str] = frozenset(
    ["wmo", "jeugdwet", "participatiewet", "wlz", "zvw", "wajong", "wia", "ww", "bbz", "aow", "anw", "pgb", "zin", "gemeente", "uwv", "duo", "cak", "ciz", "svb", "belastingdienst", "veilig", "thuis", "ggd", "ggz", "cjib", "raad", "kinderbescherming", "wijkteam", "wijkcoach", "huisarts", "jurist", "leerplichtambtenaar", "consulent", "zorgverzekeraar", "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "nederlands", "engels", "arabisch", "turks", "pools", "duits", "frans", "spaans", "tigrinya", "somalisch", "koerdisch", "berbers", "marokkaans", "syrisch", "eritrees", "oekraïens", "russisch", "roemeens", "bulgaars", "nederland", "duitsland", "belgië", "syrië", "eritrea", "polen", "turkije", "marokko", "suriname", "oekraïne", "besluit", "beschikking", "verslag", "overleg", "casusoverleg", "aanvraag", "bijlage", "toelichting", "betreft", "geachte", "beste", "hallo", "hoi", "groet", "groeten", "vriendelijke", "collegiale", "dank", "geboortedatum", "geboren", "adres", "telefoon", "telefoonnummer", "email", "e-mail", "rekeningnummer", "werkgever", "bsn", "iban", "dossier", "dossiernummer", "afspraak", "afgesproken", "aandachtspunt", "aandachtspunten", "zrm", "vve", "mbo", "hbo", "vmbo", "havo", "vwo", "poh", "zat", "gi", "whatsapp", "teams"]
)

#: Surnames that are also ordinary words: only names when capitalised in name position.
ORDINARY_WORD_NAMES: frozenset[str] = frozenset(
    ["bakker", "wit", "mol", "storm", "hoek", "roos", "kok", "smit", "smid", "visser", "boer", "schaap", "vos", "haan", "bos", "berg", "brink", "dijk", "groen", "zwart", "bruin", "rood", "klein", "groot", "lang", "kort", "jong", "oud", "winter", "zomer", "post", "prins", "keizer", "koning", "graaf", "ridder", "kuiper", "kramer", "molenaar", "schipper", "timmerman", "wolf", "vink", "vogel", "mus", "kraai", "dekker", "beek", "veen", "veld", "akker", "linde", "eik", "hout", "steen", "brouwer", "schouten", "koster", "koopman", "meester", "rijk", "arm", "snel", "vroeg", "laat", "zon", "maan", "ster", "hoop", "vrede"]
)

#: Lowercase words that look like first names but are ordinary chat words.
CHAT_STOPWORDS: frozenset[str] = frozenset(
    ["mei", "wil", "ben", "kan", "jan", "mark", "kim", "bas", "tim", "tom", "rob", "bob", "pim", "sem", "lot", "mees", "roos", "storm", "hoop", "noor", "zoë", "eva", "fleur", "jade", "sterre", "lente", "zomer", "winter", "herfst", "jet", "jan", "kees", "dirk", "wel", "niet", "nog", "dan", "maar", "even", "ook", "heb", "heeft", "hebt", "zijn", "wordt", "word", "gaat", "ging", "kom", "komt", "jongen", "jongens", "meisje", "meisjes", "kind", "kinderen", "baby", "moeder", "vader", "zoon", "dochter", "broer", "zus", "oma", "opa", "goed", "stil", "niks", "alles", "iets", "wat", "wie", "waar", "hoe", "echt", "even", "snel", "klaar", "graag", "samen", "thuis", "iemand", "niemand", "vandaag", "morgen", "gisteren", "straks", "vanmiddag", "vanochtend", "vanavond"]
)

#: Type words that start an institution name ("basisschool De Zonnewijzer").
INSTITUTION_TYPES: tuple[str, ...] = (
    "basisschool", "cbs", "obs", "pcbs", "rkbs", "ikc", "kindcentrum", "school", "scholengemeenschap",
    "college", "vakcollege", "lyceum", "gymnasium", "praktijkschool", "kinderopvang", "kinderdagverblijf",
    "peuterspeelzaal", "bso", "huisartsenpraktijk", "huisartspraktijk", "gezondheidscentrum",
    "tandartspraktijk", "fysiotherapiepraktijk", "apotheek", "zorgcentrum", "woonzorgcentrum",
    "verpleeghuis", "verzorgingshuis", "zorgboerderij", "zorgcoöperatie", "zorggroep", "thuiszorg",
    "stichting", "jeugdzorg", "jeugdhulp", "zorgaanbieder", "dagbesteding", "kliniek", "ziekenhuis",
    "revalidatiecentrum", "woningcorporatie", "woonstichting", "woningstichting", "bouwbedrijf",
    "transportbedrijf", "schoonmaakbedrijf", "uitzendbureau", "installatiebedrijf", "hoveniersbedrijf",
    "metaalbewerking", "bakkerij", "slagerij", "garage", "autobedrijf", "restaurant", "hotel",
    "supermarkt", "kerk", "moskee", "vereniging", "sportvereniging", "voetbalvereniging",
)
INSTITUTION_SUFFIXES: tuple[str, ...] = ("B.V.", "BV", "N.V.", "V.O.F.", "VOF", "GGZ", "College", "Lyceum")


@dataclass(frozen=True)
class Lexicon:
    """Lowercased word sets, built once per process from deduce's lookup data."""

    first_names: frozenset[str]
    surnames: frozenset[str]
    dutch_words: frozenset[str]  # whitelist: common words, stop words, medical terms
    places: frozenset[str]

    def is_dutch_word(self, word: str) -> bool:
        low = word.lower()
        return low in self.dutch_words or low in ORDINARY_WORD_NAMES or low in NEVER_NAMES

    def is_known_name(self, word: str) -> bool:
        low = word.lower()
        return low in self.first_names or low in self.surnames


def _read_items(path: Path) -> set[str]:
    try:
        return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    except OSError:
        return set()


@functools.lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    """Build the lexicon from the loaded deduce engine (cheap once deduce is loaded)."""
    from casebook.anonymise.engine import _deduce_package_dir, get_engine

    engine = get_engine()
    src = _deduce_package_dir() / "data" / "lookup" / "src"
    first = {w.lower() for w in _read_items(src / "names" / "lst_first_name" / "items.txt")}
    first -= {w.lower() for w in _read_items(src / "names" / "lst_first_name" / "exceptions.txt")}
    sur = {w.lower() for w in _read_items(src / "names" / "lst_surname" / "items.txt")}
    words = {w.lower() for w in engine.lookup_items("whitelist")}
    words |= {w.lower() for w in engine.lookup_items("stop_word")}
    places = set()
    for sub in ("lst_residence", "lst_municipality"):
        places |= {w.lower() for w in _read_items(src / "locations" / "lst_placename" / sub / "items.txt")}
    return Lexicon(frozenset(first), frozenset(sur), frozenset(words), frozenset(places))
