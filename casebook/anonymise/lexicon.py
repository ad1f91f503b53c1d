"""Word lists the detectors share: names, ordinary Dutch words and words that must survive.

The big lists (first names, surnames, common words) come from deduce's lookup data; the
small hand lists below encode the domain: law names, public bodies and roles that the
district teams write every day and that must never be masked.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

TITLES: frozenset[str] = frozenset(
    [
        "mevrouw",
        "mevr",
        "mw",
        "mvr",
        "mej",
        "meneer",
        "mijnheer",
        "heer",
        "dhr",
        "mr",
        "dr",
        "drs",
        "ir",
        "ing",
        "prof",
        "fam",
        "familie",
        "gezin",
        "juf",
        "meester",
    ]
)

#: Words after which a capitalised word is very likely a person (family and professional roles).
ROLE_CUES: frozenset[str] = frozenset(
    [
        "zoon",
        "dochter",
        "vader",
        "moeder",
        "broer",
        "zus",
        "zusje",
        "broertje",
        "zoontje",
        "dochtertje",
        "partner",
        "echtgenoot",
        "echtgenote",
        "vrouw",
        "man",
        "vriend",
        "vriendin",
        "ex",
        "expartner",
        "ex-partner",
        "oom",
        "tante",
        "neef",
        "nicht",
        "opa",
        "oma",
        "kleinzoon",
        "kleindochter",
        "pleegzoon",
        "pleegdochter",
        "pleegmoeder",
        "pleegvader",
        "stiefvader",
        "stiefmoeder",
        "buurman",
        "buurvrouw",
        "schoonmoeder",
        "schoonvader",
        "schoonzoon",
        "schoondochter",
        "cliënt",
        "client",
        "cliente",
        "wijkcoach",
        "consulent",
        "huisarts",
        "jurist",
        "mentor",
        "begeleider",
        "leidinggevende",
        "medewerker",
        "collega",
        "contactpersoon",
        "aanvrager",
        "naam",
        "jeugdbeschermer",
        "bewindvoerder",
        "jeugdverpleegkundige",
        "wijkverpleegkundige",
        "casemanager",
        "teamleider",
        "klantmanager",
        "schuldhulpverlener",
        "woonconsulent",
        "huurconsulent",
        "reclasseringswerker",
        "trainer",
        "voetbaltrainer",
        "leerling",
        "kind",
        "kinderen",
        "baby",
        "tweeling",
        "t.n.v",
        "tnv",
    ]
)

INTERFIXES: frozenset[str] = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "te",
        "ten",
        "ter",
        "in",
        "op",
        "uit",
        "d'",
        "da",
        "del",
        "di",
        "dos",
        "du",
        "el",
        "al",
        "la",
        "le",
        "lo",
        "von",
        "zur",
        "oude",
        "ait",
        "ben",
        "bin",
        "abu",
    ]
)

#: Never a person, whatever the casing: law names, public bodies, roles, domain words.
NEVER_NAMES: frozenset[str] = frozenset(
    [
        "wmo",
        "jeugdwet",
        "participatiewet",
        "wlz",
        "zvw",
        "wajong",
        "wia",
        "ww",
        "bbz",
        "aow",
        "anw",
        "pgb",
        "zin",
        "gemeente",
        "uwv",
        "duo",
        "cak",
        "ciz",
        "svb",
        "belastingdienst",
        "veilig",
        "thuis",
        "ggd",
        "ggz",
        "cjib",
        "kinderbescherming",
        "wijkteam",
        "wijkcoach",
        "huisarts",
        "jurist",
        "leerplichtambtenaar",
        "consulent",
        "zorgverzekeraar",
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
        "nederlands",
        "engels",
        "arabisch",
        "turks",
        "pools",
        "duits",
        "frans",
        "spaans",
        "tigrinya",
        "somalisch",
        "koerdisch",
        "berbers",
        "marokkaans",
        "syrisch",
        "eritrees",
        "oekraïens",
        "russisch",
        "roemeens",
        "bulgaars",
        "nederland",
        "duitsland",
        "belgië",
        "syrië",
        "eritrea",
        "polen",
        "turkije",
        "marokko",
        "suriname",
        "oekraïne",
        "besluit",
        "beschikking",
        "verslag",
        "overleg",
        "casusoverleg",
        "aanvraag",
        "bijlage",
        "toelichting",
        "betreft",
        "geachte",
        "beste",
        "hallo",
        "hoi",
        "groet",
        "groeten",
        "vriendelijke",
        "collegiale",
        "dank",
        "geboortedatum",
        "geboren",
        "adres",
        "telefoon",
        "telefoonnummer",
        "email",
        "e-mail",
        "rekeningnummer",
        "werkgever",
        "bsn",
        "iban",
        "dossier",
        "dossiernummer",
        "afspraak",
        "afgesproken",
        "aandachtspunt",
        "aandachtspunten",
        "zrm",
        "vve",
        "mbo",
        "hbo",
        "vmbo",
        "havo",
        "vwo",
        "poh",
        "zat",
        "gi",
        "whatsapp",
        "teams",
    ]
)

#: Surnames that are also ordinary words: only names when capitalised in name position.
ORDINARY_WORD_NAMES: frozenset[str] = frozenset(
    [
        "bakker",
        "wit",
        "mol",
        "storm",
        "hoek",
        "roos",
        "kok",
        "smit",
        "smid",
        "visser",
        "boer",
        "schaap",
        "vos",
        "haan",
        "bos",
        "berg",
        "brink",
        "dijk",
        "groen",
        "zwart",
        "bruin",
        "rood",
        "klein",
        "groot",
        "lang",
        "kort",
        "jong",
        "oud",
        "winter",
        "zomer",
        "post",
        "prins",
        "keizer",
        "koning",
        "graaf",
        "ridder",
        "kuiper",
        "kramer",
        "molenaar",
        "schipper",
        "timmerman",
        "wolf",
        "vink",
        "vogel",
        "mus",
        "kraai",
        "dekker",
        "beek",
        "veen",
        "veld",
        "akker",
        "linde",
        "eik",
        "hout",
        "steen",
        "brouwer",
        "schouten",
        "koster",
        "koopman",
        "meester",
        "rijk",
        "arm",
        "snel",
        "vroeg",
        "laat",
        "zon",
        "maan",
        "ster",
        "hoop",
        "vrede",
    ]
)

#: Lowercase words that look like first names but are ordinary chat words.
CHAT_STOPWORDS: frozenset[str] = frozenset(
    [
        "mei",
        "wil",
        "ben",
        "kan",
        "jan",
        "mark",
        "kim",
        "bas",
        "tim",
        "tom",
        "rob",
        "bob",
        "pim",
        "sem",
        "lot",
        "mees",
        "roos",
        "storm",
        "hoop",
        "noor",
        "zoë",
        "eva",
        "fleur",
        "jade",
        "sterre",
        "lente",
        "zomer",
        "winter",
        "herfst",
        "jet",
        "jan",
        "kees",
        "dirk",
        "wel",
        "niet",
        "nog",
        "dan",
        "maar",
        "even",
        "ook",
        "heb",
        "heeft",
        "hebt",
        "zijn",
        "wordt",
        "word",
        "gaat",
        "ging",
        "kom",
        "komt",
        "jongen",
        "jongens",
        "meisje",
        "meisjes",
        "kind",
        "kinderen",
        "baby",
        "moeder",
        "vader",
        "zoon",
        "dochter",
        "broer",
        "zus",
        "oma",
        "opa",
        "goed",
        "stil",
        "niks",
        "alles",
        "iets",
        "wat",
        "wie",
        "waar",
        "hoe",
        "echt",
        "even",
        "snel",
        "klaar",
        "graag",
        "samen",
        "thuis",
        "iemand",
        "niemand",
        "vandaag",
        "morgen",
        "gisteren",
        "straks",
        "vanmiddag",
        "vanochtend",
        "vanavond",
    ]
)

#: Type words that start an institution name ("basisschool De Zonnewijzer").
INSTITUTION_TYPES: tuple[str, ...] = (
    "basisschool",
    "cbs",
    "obs",
    "pcbs",
    "rkbs",
    "ikc",
    "kindcentrum",
    "school",
    "scholengemeenschap",
    "college",
    "vakcollege",
    "lyceum",
    "gymnasium",
    "praktijkschool",
    "kinderopvang",
    "kinderdagverblijf",
    "peuterspeelzaal",
    "bso",
    "huisartsenpraktijk",
    "huisartspraktijk",
    "gezondheidscentrum",
    "tandartspraktijk",
    "fysiotherapiepraktijk",
    "apotheek",
    "zorgcentrum",
    "woonzorgcentrum",
    "verpleeghuis",
    "verzorgingshuis",
    "zorgboerderij",
    "zorgcoöperatie",
    "zorggroep",
    "thuiszorg",
    "stichting",
    "jeugdzorg",
    "jeugdhulp",
    "zorgaanbieder",
    "dagbesteding",
    "kliniek",
    "ziekenhuis",
    "revalidatiecentrum",
    "woningcorporatie",
    "woonstichting",
    "woningstichting",
    "bouwbedrijf",
    "transportbedrijf",
    "schoonmaakbedrijf",
    "uitzendbureau",
    "installatiebedrijf",
    "hoveniersbedrijf",
    "metaalbewerking",
    "bakkerij",
    "slagerij",
    "garage",
    "autobedrijf",
    "restaurant",
    "hotel",
    "supermarkt",
    "kerk",
    "moskee",
    "vereniging",
    "sportvereniging",
    "voetbalvereniging",
)
INSTITUTION_SUFFIXES: tuple[str, ...] = ("B.V.", "BV", "N.V.", "V.O.F.", "VOF", "GGZ", "College", "Lyceum")

#: Public bodies, registers and national services: never masked, whatever a detector thinks (they
#: identify nobody, and the casebook's value lies in "via de Kamer van Koophandel", "bij het UWV").
PUBLIC_BODIES: tuple[str, ...] = (
    "Kamer van Koophandel",
    "KvK",
    "UWV",
    "DUO",
    "Dienst Uitvoering Onderwijs",
    "CAK",
    "CIZ",
    "SVB",
    "Sociale Verzekeringsbank",
    "Belastingdienst",
    "Dienst Toeslagen",
    "Belastingdienst/Toeslagen",
    "Veilig Thuis",
    "GGD",
    "IND",
    "Immigratie- en Naturalisatiedienst",
    "COA",
    "CJIB",
    "Centraal Justitieel Incassobureau",
    "Raad voor de Kinderbescherming",
    "Raad voor Rechtsbijstand",
    "Het Juridisch Loket",
    "Juridisch Loket",
    "Nibud",
    "BKR",
    "RDW",
    "CBR",
    "Kadaster",
    "Rijksoverheid",
    "Nationale ombudsman",
    "Kinderombudsman",
    "Openbaar Ministerie",
    "Reclassering Nederland",
    "Leger des Heils",
    "Rode Kruis",
    "Humanitas",
    "VluchtelingenWerk",
    "Vluchtelingenwerk",
    "Voedselbank",
    "Schuldhulpmaatje",
    "Zorgkantoor",
    "Sociaal Raadslieden",
    "Stadsbank",
    "Kredietbank",
    "Gemeentelijke Kredietbank",
    "Zorgverzekeringslijn",
    "Landelijk Meldpunt Zorg",
    "Inspectie Gezondheidszorg en Jeugd",
    "Centrum voor Jeugd en Gezin",
    "CJG",
    "Jeugdbescherming",
    "Wijkteam",
    "Sociaal Wijkteam",
    "Tweede Kamer",
    "Eerste Kamer",
    "VNG",
    "Vereniging van Nederlandse Gemeenten",
    # national bodies and knowledge institutes of the social domain, as any reader of its prose knows them
    # (no CBS: in a case note it is a Christian primary school, "CBS De Regenboog", INSTITUTION_TYPES)
    "Movisie",
    "Divosa",
    "Vilans",
    "Pharos",
    "Trimbos-instituut",
    "Nederlands Jeugdinstituut",
    "NJi",
    "Sociaal en Cultureel Planbureau",
    "SCP",
    "Centraal Bureau voor de Statistiek",
    "Nivel",
    "Verwey-Jonker Instituut",
    "Zorginstituut Nederland",
    "Zorginstituut",
    "IGJ",
    "Inspectie SZW",
    "Nederlandse Arbeidsinspectie",
    "Sociaal Werk Nederland",
    "Jeugdzorg Nederland",
    "ActiZ",
    "KIS",
    "Kennisplatform Integratie & Samenleving",
    "Landelijke Cliëntenraad",
    "NVVK",
    "MEE",
    "Zorgverzekeraars Nederland",
    "College van B&W",
    "College van B en W",
    "College van burgemeester en wethouders",
    "College van burgemeesters en wethouders",
    "Gedeputeerde Staten",
    "Provinciale Staten",
    "Raad van State",
    "Algemene Rekenkamer",
    "Autoriteit Persoonsgegevens",
    "Ministerie van VWS",
    "VWS",
    "SZW",
)

#: Head words of a body's name, alone ("Kenniscentrum Sociaal Domein", "Verwey-Jonker Instituut") or as the end of a
#: capitalised compound ("Adviesraad", "Participatieraad", "Jeugdinstituut", "Trimbos-instituut"): councils,
#: institutes, inspectorates and platforms of the social domain are public, never a person nor a client's provider.
BODY_HEADS: tuple[str, ...] = (
    "raad",
    "instituut",
    "planbureau",
    "kenniscentrum",
    "expertisecentrum",
    "platform",
    "inspectie",
    "ombudsman",
    "rekenkamer",
    "ministerie",
    "autoriteit",
)
#: Head words that name no body alone: "Raad" is a surname too ("Fatima Raad", "Raad van Dijk"), so only the
#: listed bodies ("Raad van State", "Raad voor de Kinderbescherming") and compounds ("Adviesraad") are ones.
BODY_HEADS_NEEDING_A_TAIL: frozenset[str] = frozenset({"raad"})

#: National companies, insurers, banks and chains that look like person names ("bij Albert Heijn",
#: "verzekerd bij Zilveren Kruis"): an organisation, so INSTITUTION_NAME, never PERSON.
NATIONAL_ORGANISATIONS: tuple[str, ...] = (
    "Albert Heijn",
    "Zilveren Kruis",
    "Zorg en Zekerheid",
    "Centraal Beheer",
    "Nationale-Nederlanden",
    "De Friesland Zorgverzekeraar",
    "Anderzorg",
    "Menzis",
    "Achmea",
    "Interpolis",
    "Univé",
    "Aegon",
    "Rabobank",
    "Triodos",
    "Jumbo",
    "Lidl",
    "Aldi",
    "Hema",
    "HEMA",
    "Kruidvat",
    "Etos",
    "Zeeman",
    "Wibra",
    "Blokker",
    "Primark",
    "Coolblue",
    "Bol.com",
    "PostNL",
    "Ziggo",
    "Vodafone",
    "Odido",
    "Eneco",
    "Essent",
    "Vattenfall",
    "Greenchoice",
    "Budget Energie",
    "Randstad",
    "Tempo-Team",
    "Start People",
    "Adecco",
    "Manpower",
    "Dela",
    "Gamma",
    "Karwei",
    "Praxis",
    "Hornbach",
    "Ikea",
    "IKEA",
    "McDonald's",
    "Thuisbezorgd",
    "Picnic",
    "Philips",
    "Heineken",
    "Unilever",
    "Tata Steel",
)

#: First names in deduce's list that are ordinary Dutch words (frequency lists cannot tell, because
#: they lowercase everything): capitalised alone they need positive evidence to be a name.
FIRST_NAMES_THAT_ARE_WORDS: frozenset[str] = frozenset(
    [
        "brand",
        "lieve",
        "koop",
        "kader",
        "lente",
        "marine",
        "constant",
        "win",
        "just",
        "engel",
        "vrouwtje",
        "maatje",
        "junior",
        "hang",
        "rio",
        "star",
        "day",
        "love",
        "king",
        "fan",
        "line",
        "can",
        "boy",
        "august",
        "may",
        "ouwe",
        "feite",
        "anno",
        "prince",
        "angel",
        "river",
        "sky",
        "nova",
        "jazz",
    ]
)

#: Frequency floors (wordfreq Zipf scale) for "common Dutch word": words that are no name at all,
#: and surnames that double as a very frequent word (Pas, Bank, Kamer, Extra; a surname is frequent as a
#: name too, hence the higher floor: Bosch, Jansen stay names). First names never count here:
#: frequency lists lowercase everything, so "jan" or "kim" look common only because of the name.
COMMON_WORD_ZIPF = 3.6
COMMON_SURNAME_WORD_ZIPF = 4.6

_DIMINUTIVE_RE = re.compile(r"^(.{3,}?)(?:etje|tje|pje|kje|je)$")


@dataclass(frozen=True)
class Lexicon:
    """Lowercased word sets, built once per process from deduce's lookup data."""

    first_names: frozenset[str]
    surnames: frozenset[str]
    dutch_words: frozenset[str]  # whitelist: common words, stop words, medical terms
    places: frozenset[str]
    #: wider than ``dutch_words``: also ordinary words that are names too (pas, bank, storm, maatje)
    common_words: frozenset[str] = field(default_factory=frozenset)
    stop_words: frozenset[str] = field(default_factory=frozenset)

    def is_dutch_word(self, word: str) -> bool:
        low = word.lower()
        return low in self.dutch_words or low in ORDINARY_WORD_NAMES or low in NEVER_NAMES

    def is_common_word(self, word: str) -> bool:
        """An ordinary Dutch word, even if it is also a name (Pas, Bank, Er, Maatje, Storm).

        A diminutive of a common word is common too (maatje, huisje, boompje)."""
        low = word.lower()
        if low in self.common_words or self.is_dutch_word(low):
            return True
        m = _DIMINUTIVE_RE.match(low)
        return m is not None and m.group(1) in self.common_words and m.group(1) not in self.first_names

    def is_stop_word(self, word: str) -> bool:
        """A function word that is never a name on its own (Er, In, Dat); Ben and Al stay possible."""
        low = word.lower()
        return low in self.stop_words and low not in self.first_names

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
    stop = {w.lower() for w in engine.lookup_items("stop_word")}
    words |= stop
    places = set()
    for sub in ("lst_residence", "lst_municipality"):
        places |= {w.lower() for w in _read_items(src / "locations" / "lst_placename" / sub / "items.txt")}
    common = (
        set(words) | {w.lower() for w in engine.lookup_items("common_word")} | set(FIRST_NAMES_THAT_ARE_WORDS)
    )
    common |= _frequent_words(first, sur)
    return Lexicon(
        frozenset(first),
        frozenset(sur),
        frozenset(words),
        frozenset(places),
        frozenset(common),
        frozenset(stop),
    )


def _frequent_words(first_names: set[str], surnames: set[str]) -> set[str]:
    """Frequent Dutch words from wordfreq (its 'large' Dutch list ships inside the package)."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError:  # degrade to deduce's lists: more sentence-initial words may be masked
        logger.warning("wordfreq not installed: common-word list limited to deduce's lists")
        return set()
    floor_word = 10 ** (COMMON_WORD_ZIPF - 9)
    floor_surname = 10 ** (COMMON_SURNAME_WORD_ZIPF - 9)
    out = set()
    for word, freq in get_frequency_dict("nl", wordlist="large").items():
        if freq < floor_word or not word.isalpha() or len(word) < 2 or word in first_names:
            continue
        if word in surnames and freq < floor_surname:
            continue
        out.add(word)
    return out
