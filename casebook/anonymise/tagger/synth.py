"""Synthetic Dutch case text with gold spans, for training the tagger and for testing it honestly.

A template is Dutch text with slots (``{per}``, ``{sur}``, ``{addr}``, ...). Rendering fills each slot
from seeded random pools and records the span of every identifier, in the JSONL shape of the shared
eval set (``{"id", "format", "text", "entities": [{"start", "end", "label", "text"}]}``). The same
engine renders the training templates below and the held-out templates of
``scripts/make_anonymisation_heldout.py``; the pools (names per origin, streets, towns) are built from
Faker and the seed lists of :mod:`origins`, split by origin. Faker is needed only here, never at run
time.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from casebook.anonymise.tagger.origins import CYRILLIC_LOCALES, FAKER_LOCALES, SEED_NAMES, romanise

_SLOT_RE = re.compile(r"\{([a-z_]{1,20})\}")
_LATIN_NAME_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-žȘșȚț' -]{2,40}")
#: Dutch surnames that are ordinary words too: in lowercase chat only the context tells them apart.
WORD_SURNAMES = (
    "Bakker",
    "Smit",
    "Visser",
    "de Wit",
    "Mol",
    "Storm",
    "de Boer",
    "Kok",
    "Schipper",
    "Kramer",
    "Koster",
    "Dekker",
    "Brouwer",
    "Prins",
    "Koning",
    "de Graaf",
    "Vos",
    "Bos",
    "de Haan",
    "Groen",
    "de Jong",
    "Klein",
    "de Groot",
    "Kuiper",
    "Molenaar",
    "Timmerman",
    "Wolf",
    "Vink",
    "Vogel",
    "van Dijk",
    "Hoek",
    "Roos",
    "Winter",
    "Post",
    "Keizer",
    "Schouten",
    "Koopman",
    "van der Veen",
    "Zwart",
    "de Bruin",
    "Visscher",
)
_PARTICLES = ("van", "de", "van der", "van den", "van de", "de la", "ter", "ten", "van 't", "in 't", "op de")


@dataclass
class NamePool:
    """Given names and surnames of the origins one split may use, weighted by origin."""

    by_origin: dict[str, tuple[list[str], list[str]]]
    weights: dict[str, float]

    def origin(self, rng: random.Random) -> str:
        names = list(self.weights)
        return rng.choices(names, weights=[self.weights[n] for n in names])[0]


def _faker_names(locale: str, seed: int, count: int) -> tuple[list[str], list[str]]:
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(seed)
    first, last = set(), set()
    spell = (lambda n: romanise(n, locale)) if locale in CYRILLIC_LOCALES else str
    for _ in range(count * 3):
        first.add(spell(fake.first_name()))
        last.add(spell(fake.last_name()))
    keep = [n for n in sorted(first) if _LATIN_NAME_RE.fullmatch(n)][:count]
    keep_last = [n for n in sorted(last) if _LATIN_NAME_RE.fullmatch(n)][:count]
    return keep, keep_last


def name_pool(origins: Sequence[str] | frozenset[str], seed: int, per_locale: int = 250) -> NamePool:
    """Names of ``origins`` (Faker locales and seed lists). Dutch names are the most frequent, as in the
    registers of a Dutch municipality; every other origin is equally likely."""
    by_origin: dict[str, tuple[list[str], list[str]]] = {}
    for origin in sorted(origins):
        if origin in SEED_NAMES:
            seed_given, seed_surnames = SEED_NAMES[origin]
            by_origin[origin] = (list(seed_given), list(seed_surnames))
        elif origin in FAKER_LOCALES or origin in CYRILLIC_LOCALES:
            given, surnames = _faker_names(origin, seed, per_locale)
            if given and surnames:
                by_origin[origin] = (given, surnames)
    dutch = [o for o in by_origin if o.startswith("nl_")]
    # two in five people Dutch, the rest spread evenly over the other origins
    dutch_weight = max(1.0, (len(by_origin) - len(dutch)) * 0.4 / 0.6 / max(1, len(dutch)))
    weights = {o: (dutch_weight if o in dutch else 1.0) for o in by_origin}
    return NamePool(by_origin, weights)


@dataclass
class Person:
    first: str
    surname: str  # with its particle, lowercase: "van Vliet"
    female: bool


@dataclass
class Fillers:
    """Non-identifying words that fill the templates (they must survive) and address parts."""

    streets: list[str]
    towns: list[str]
    words: dict[str, list[str]] = field(default_factory=dict)


_STREET_BASES = (
    "Kerk",
    "School",
    "Dorps",
    "Molen",
    "Linden",
    "Eiken",
    "Beuken",
    "Rozen",
    "Esdoorn",
    "Hazel",
    "Merel",
    "Spechten",
    "Markt",
    "Haven",
    "Stations",
    "Wilhelmina",
    "Juliana",
    "Oranje",
    "Prinses Irene",
    "Nassau",
    "Vondel",
    "Rembrandt",
    "Bilderdijk",
    "Tulpen",
    "Seringen",
    "Kastanje",
    "Berken",
    "Wilgen",
    "Vlier",
    "Zuider",
    "Noorder",
    "Ooster",
    "Wester",
    "Hoog",
    "Laag",
    "Brug",
    "Sluis",
    "Veld",
    "Akker",
    "Bleek",
)
_STREET_SUFFIXES = (
    "straat",
    "laan",
    "weg",
    "plein",
    "singel",
    "gracht",
    "kade",
    "dijk",
    "pad",
    "steeg",
    "dreef",
    "hof",
    "park",
    "ring",
    "markt",
    "erf",
    "veld",
    "kamp",
    "brink",
    "akker",
    "es",
    "hoeve",
    "wijk",
    "weide",
)
_DIRECTIONS = ("Noord", "Zuid", "Oost", "West", "Midden")


def make_street(rng: random.Random, surnames: Sequence[str]) -> str:
    """A Dutch street name: a base or surname with a suffix, sometimes a title, an article or a
    hyphenated direction ("Marktweg-Noord", "Burgemeester de Withstraat", "Van Heemstralaan")."""
    kind = rng.random()
    suffix = rng.choice(_STREET_SUFFIXES)
    if kind < 0.45:
        street = rng.choice(_STREET_BASES).replace(" ", "") + suffix
    elif kind < 0.65:
        street = rng.choice(surnames).replace(" ", "") + suffix
    elif kind < 0.75:
        street = f"{rng.choice(('Burgemeester', 'Dokter', 'Pastoor', 'Meester', 'Generaal'))} {rng.choice(surnames)}{suffix}"
    elif kind < 0.85:
        street = f"Van {rng.choice(surnames).split()[-1]}{suffix}"
    else:
        street = f"{rng.choice(('Oude', 'Nieuwe', 'Lange', 'Korte', 'Grote', 'Kleine'))} {rng.choice(_STREET_BASES)}{suffix}"
    if rng.random() < 0.15:
        street += "-" + rng.choice(_DIRECTIONS)
    return street


def house_number(rng: random.Random) -> str:
    n = str(rng.choice((rng.randint(1, 40), rng.randint(1, 250))))
    extra = rng.random()
    if extra < 0.6:
        return n
    return n + rng.choice(("a", "b", "bis", "-II", "-2", " A", " B", "-hs", "-1", " II", "c"))


def postcode(rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
    return f"{rng.randint(1000, 9999)}{rng.choice((' ', ' ', ''))}{letters}"


def bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1)))
        last = total % 11
        if last < 10 and digits[0] != 0:
            value = "".join(map(str, digits + [last]))
            style = rng.random()
            if style < 0.7:
                return value
            return (
                f"{value[:4]}.{value[4:6]}.{value[6:]}"
                if style < 0.85
                else f"{value[:3]} {value[3:6]} {value[6:]}"
            )


def iban(rng: random.Random) -> str:
    bank = rng.choice(("ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "BUNQ", "KNAB"))
    account = "".join(str(rng.randint(0, 9)) for _ in range(10))
    numeric = "".join(str(ord(c) - 55) if c.isalpha() else c for c in bank + account + "NL00")
    check = 98 - int(numeric) % 97
    value = f"NL{check:02d}{bank}{account}"
    if rng.random() < 0.5:
        value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return value.lower() if rng.random() < 0.1 else value


def phone(rng: random.Random) -> str:
    mobile = "".join(str(rng.randint(0, 9)) for _ in range(8))
    return rng.choice(
        (
            f"06-{mobile}",
            f"06 {mobile[:4]} {mobile[4:]}",
            f"06{mobile}",
            f"+31 6 {mobile[:2]} {mobile[2:4]} {mobile[4:6]} {mobile[6:]}",
            f"0{rng.randint(10, 599)}-{mobile[:6]}",
            f"+31 (0)6 {mobile}",
        )
    )


def email(rng: random.Random, person: Person) -> str:
    local = f"{person.first}.{person.surname.split()[-1]}".lower().replace(" ", "")
    local = re.sub(r"[^a-z.]", "", local) or "info"
    return f"{local}{rng.choice(('', '12', '88', '1990'))}@{rng.choice(('gmail.com', 'hotmail.com', 'outlook.com', 'ziggo.nl', 'kpnmail.nl'))}"


@dataclass
class Doc:
    """One text under construction: pieces of text and the spans of the identifiers in it."""

    chat: bool = False
    lower_names: bool = False
    lower_all: bool = False
    parts: list[str] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    length: int = 0

    def add(self, piece: str, label: str | None = None) -> None:
        if not piece:
            return
        if label is not None:
            self.entities.append(
                {"start": self.length, "end": self.length + len(piece), "label": label, "text": piece}
            )
        self.parts.append(piece)
        self.length += len(piece)

    def at_sentence_start(self) -> bool:
        text = "".join(self.parts[-3:]).rstrip(" ")
        return not text or text[-1] in ".!?\n:"

    def text(self) -> str:
        return "".join(self.parts)


class Generator:
    """Renders templates into texts with gold spans; all randomness from one seeded ``random.Random``."""

    def __init__(self, pool: NamePool, fillers: Fillers, seed: int) -> None:
        self.pool = pool
        self.fillers = fillers
        self.rng = random.Random(seed)

    # -- people ----------------------------------------------------------------------------
    def new_person(self) -> Person:
        rng = self.rng
        origin = self.pool.origin(rng)
        given, surnames = self.pool.by_origin[origin]
        surname = rng.choice(surnames)
        if origin.startswith("nl_") and rng.random() < 0.2:
            surname = rng.choice(WORD_SURNAMES)
        if origin.startswith("nl_") and rng.random() < 0.25 and " " not in surname:
            surname = f"{rng.choice(_PARTICLES)} {surname}"
        return Person(rng.choice(given), surname, rng.random() < 0.55)

    def person(self, doc: Doc) -> Person:
        if doc.persons and self.rng.random() < 0.45:
            return self.rng.choice(doc.persons)
        p = self.new_person()
        doc.persons.append(p)
        return p

    def _surname(self, p: Person, doc: Doc, *, after_title: bool) -> str:
        s = p.surname
        if s[:1].islower() and not after_title and doc.at_sentence_start():
            s = s[0].upper() + s[1:]  # "Van Vliet stelt dat ..."
        return s

    # -- slots -----------------------------------------------------------------------------
    def _name(self, doc: Doc, surface: str) -> None:
        if doc.lower_names or doc.lower_all:
            surface = surface.lower()
        doc.add(surface, "PERSON")

    def slot(self, doc: Doc, kind: str) -> None:
        rng = self.rng
        words = self.fillers.words
        if kind in {"per", "first", "sur", "tsur", "ini", "poss"}:
            p = self.person(doc)
            if kind == "per":
                self._name(doc, f"{p.first} {p.surname}")
            elif kind == "first":
                self._name(doc, p.first)
            elif kind == "sur":
                self._name(doc, self._surname(p, doc, after_title=False))
            elif kind == "tsur":
                title = rng.choice(("mevrouw", "mevr.", "mw.") if p.female else ("meneer", "de heer", "dhr."))
                if rng.random() < 0.15:
                    title = rng.choice(("fam.", "familie", "gezin"))
                if doc.at_sentence_start():
                    title = title[0].upper() + title[1:]
                doc.add(title + " ")
                self._name(doc, self._surname(p, doc, after_title=True))
            elif kind == "ini":
                initials = "".join(
                    f"{c}."
                    for c in [p.first[0].upper()]
                    + ([rng.choice("ABCDEHJKLMPRSTW")] if rng.random() < 0.3 else [])
                )
                self._name(doc, f"{initials} {p.surname}")
            else:
                self._name(doc, p.first + ("'s" if p.first[-1] in "aeiousxz" else "s"))
            return
        if kind == "addr":
            street = rng.choice(self.fillers.streets)
            value = f"{street} {house_number(rng)}"
            lower = doc.lower_all or (doc.lower_names and rng.random() < 0.5) or rng.random() < 0.05
            doc.add(value.lower() if lower else value, "ADDRESS")
        elif kind == "place":
            town = rng.choice(self.fillers.towns)
            doc.add(town.lower() if doc.lower_all else town, "PLACE")
        elif kind == "pc":
            doc.add(postcode(rng), "POSTCODE")
        elif kind == "bsn":
            doc.add(bsn(rng), "BSN")
        elif kind == "iban":
            doc.add(iban(rng), "IBAN")
        elif kind == "phone":
            doc.add(phone(rng), "PHONE")
        elif kind == "email":
            doc.add(email(rng, self.person(doc)), "EMAIL")
        elif kind == "town":  # a town outside an address: no identifier
            doc.add(rng.choice(self.fillers.towns))
        elif kind == "year":
            doc.add(str(rng.randint(1995, 2024)))
        elif kind == "age":
            doc.add(str(rng.randint(2, 17)))
        elif kind == "num":
            doc.add(str(rng.randint(2, 12)))
        elif kind in words:
            value = rng.choice(words[kind])
            if doc.at_sentence_start() and not doc.lower_all:
                value = value[0].upper() + value[1:]
            doc.add(value)
        else:
            raise KeyError(f"unknown slot {{{kind}}}")

    # -- documents -------------------------------------------------------------------------
    def render(self, templates: Sequence[str], doc: Doc) -> None:
        for i, template in enumerate(templates):
            if i:
                doc.add(self._separator(doc))
            pos = 0
            for m in _SLOT_RE.finditer(template):
                literal = template[pos : m.start()]
                doc.add(literal.lower() if doc.lower_all else literal)
                self.slot(doc, m.group(1))
                pos = m.end()
            doc.add(template[pos:].lower() if doc.lower_all else template[pos:])

    def _separator(self, doc: Doc) -> str:
        """Between two sentences: a space or a line break; chat often drops the full stop."""
        if doc.chat and doc.parts and doc.parts[-1][-1:].isalnum():
            return self.rng.choice((". ", ", ", " ", "\n", " - "))
        return " " if self.rng.random() < 0.85 else "\n"

    def document(self, doc_id: str, fmt: str, templates: Sequence[str], sentences: tuple[int, int]) -> dict:
        rng = self.rng
        doc = Doc()
        if fmt == "chat":
            doc.chat = True
            doc.lower_names = rng.random() < 0.6
            doc.lower_all = doc.lower_names and rng.random() < 0.5
        chosen = rng.sample(list(templates), k=min(len(templates), rng.randint(*sentences)))
        self.render(chosen, doc)
        text = doc.text()
        if doc.lower_all:
            text = text.lower()
        return {
            "id": doc_id,
            "format": fmt,
            "text": text,
            "entities": [dict(e, text=text[e["start"] : e["end"]]) for e in doc.entities],
        }


def default_fillers(
    rng: random.Random, surnames: Sequence[str], towns: Sequence[str], n_streets: int = 600
) -> Fillers:
    """Streets made from ``surnames`` and the bases above; filler words every template may use."""
    streets = sorted({make_street(rng, surnames) for _ in range(n_streets)})
    return Fillers(streets=streets, towns=list(towns), words=dict(FILLER_WORDS))


#: Words of the trade that fill templates and must survive anonymisation.
FILLER_WORDS: dict[str, list[str]] = {
    "role": [
        "wijkcoach",
        "jurist",
        "huisarts",
        "leerplichtambtenaar",
        "consulent",
        "schuldhulpverlener",
        "jeugdverpleegkundige",
        "klantmanager",
        "bewindvoerder",
        "teamleider",
        "woonconsulent",
        "casemanager",
    ],
    "law": ["Wmo", "Wmo 2015", "Jeugdwet", "Participatiewet", "Wlz", "Zvw", "Wet schuldsanering", "Awb"],
    "body": [
        "UWV",
        "DUO",
        "CAK",
        "CIZ",
        "SVB",
        "Belastingdienst",
        "Veilig Thuis",
        "GGD",
        "gemeente",
        "het Rijk",
        "de Kredietbank",
        "het Juridisch Loket",
        "Raad voor de Kinderbescherming",
        "het CJIB",
        "de IND",
    ],
    "day": [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
        "morgen",
        "vanmiddag",
    ],
    "month": [
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
    ],
    "domain": [
        "financiën",
        "huisvesting",
        "dagbesteding",
        "opvoeding",
        "geestelijke gezondheid",
        "sociaal netwerk",
        "middelengebruik",
        "werk en opleiding",
    ],
    "family": [
        "zoon",
        "dochter",
        "broer",
        "zus",
        "moeder",
        "vader",
        "oom",
        "tante",
        "neef",
        "nicht",
        "buurvrouw",
        "buurman",
        "ex-partner",
        "partner",
        "oma",
        "opa",
        "vriendin",
    ],
}


def dutch_towns() -> list[str]:
    """Dutch place names (Faker's nl_NL list), sorted: callers split them by index."""
    from faker.providers.address.nl_NL import Provider

    return sorted(set(Provider.cities))


def corpus(
    generator: Generator,
    templates: dict[str, Sequence[str]],
    counts: dict[str, int],
    sentences: dict[str, tuple[int, int]],
    prefix: str,
) -> list[dict]:
    """``counts[fmt]`` documents per format, each a few sentences drawn from ``templates[fmt]``."""
    docs = []
    for fmt, count in counts.items():
        kind = "chat" if fmt == "chat" else "note"
        for i in range(count):
            docs.append(generator.document(f"{prefix}-{fmt}-{i:05d}", kind, templates[fmt], sentences[fmt]))
    return docs
