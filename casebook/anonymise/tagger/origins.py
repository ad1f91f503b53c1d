"""Names by origin, for generating training and test text (never read at run time).

Faker's locales give names from many countries; the people district teams serve also come from
places Faker has no (Latin-script) locale for, so those origins get a hand-written seed list of
common given names and surnames, romanised as they appear in Dutch registers. Origins are split
into the ones the tagger is trained on and the ones held out for testing: a whole origin is either
seen in training or not at all, so the test shows whether context carries to names nobody listed.
"""

from __future__ import annotations

import re

#: origin -> (given names, surnames)
SEED_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "moroccan": (
        ("Mohammed", "Fatima", "Nordin", "Said", "Karim", "Khadija", "Naima", "Samira", "Yassine", "Bilal",
         "Hamza", "Achraf", "Soufiane", "Zakaria", "Ilham", "Loubna", "Hafsa", "Mustafa", "Rachid", "Hanane",
         "Youssef", "Imane", "Nadia", "Abdelkader", "Driss", "Souad", "Zineb", "Ayoub", "Mounir", "Latifa"),
        ("El Amrani", "Bouzid", "Ouali", "Ait Taleb", "Benali", "El Idrissi", "Boukhari", "Ouchan", "Azzouzi",
         "El Khattabi", "Bensaid", "Amrani", "Tahiri", "Ziani", "Belhaj", "El Ouardi", "Aouragh", "Chaara",
         "Lamrani", "Haddouchi", "Bakkali", "El Hamdaoui", "Achahbar", "Boujemaa", "Mokhtari"),
    ),
    "syrian": (
        ("Rania", "Khaled", "Yasmin", "Nour", "Tarek", "Ahmad", "Mahmoud", "Hussein", "Lina", "Rami", "Ghada",
         "Bashar", "Dima", "Fadi", "Hala", "Jamal", "Lama", "Majd", "Rasha", "Samer", "Wael", "Zaid", "Maysa",
         "Omar", "Reem", "Alaa", "Hiba", "Firas", "Rawan", "Ammar"),
        ("Haddad", "Al-Khatib", "Kassab", "Darwish", "Mansour", "Sabbagh", "Zein", "Al-Hamwi", "Hamdan",
         "Al-Masri", "Khoury", "Najjar", "Saleh", "Shami", "Al-Ahmad", "Aswad", "Halabi", "Jaber", "Kurdi",
         "Tarabishi", "Al-Ali", "Hourani", "Mardini", "Qassem", "Dabbagh"),
    ),
    "surinamese_hindustani": (
        ("Anita", "Sunita", "Rakesh", "Vikash", "Shanti", "Ravi", "Priya", "Sanjay", "Kavita", "Anil", "Reshma",
         "Dinesh", "Nirmala", "Suresh", "Radjesh", "Sharmila", "Ashwin", "Indra", "Kiran", "Navin"),
        ("Ramdin", "Mahabier", "Soekhoe", "Jagroep", "Ramsaran", "Bhagwandin", "Ganpat", "Kalloe", "Sital",
         "Ramlal", "Soebhag", "Mathoera", "Baldewsingh", "Girdhari", "Chotkan", "Raghoenath", "Sewdien",
         "Jhinkoe", "Mangroe", "Bissessar"),
    ),
    "afghan": (
        ("Ahmad", "Farid", "Mariam", "Zahra", "Hamid", "Sediqa", "Wahid", "Parwana", "Najib", "Shabnam",
         "Mohammad", "Fereshta", "Jawad", "Latifa", "Rahim", "Nasrin", "Habib", "Soraya", "Karim", "Mina"),
        ("Ahmadzai", "Popal", "Rahimi", "Karimi", "Hakimi", "Noori", "Sultani", "Azizi", "Stanikzai", "Safi",
         "Wardak", "Amiri", "Hashimi", "Mohammadi", "Naziri", "Sharifi", "Haidari", "Jalali", "Rezai", "Yusufzai"),
    ),
    # --- held out: never in training ---------------------------------------------------------
    "eritrean": (
        ("Filmon", "Semhar", "Yonas", "Mehari", "Selam", "Luwam", "Senait", "Biniam", "Habtom", "Rahwa",
         "Ftsum", "Saba", "Tesfalem", "Merhawi", "Yordanos", "Kibrom", "Helen", "Aklilu", "Mebrahtu", "Winta",
         "Daniel", "Feven", "Samuel", "Eden", "Robel", "Abrehet", "Tekie", "Hagos", "Sara", "Temesghen"),
        ("Tekle", "Tesfay", "Kidane", "Haile", "Ghebremariam", "Berhane", "Tsegay", "Medhanie", "Yohannes",
         "Ghebreyesus", "Andemariam", "Woldu", "Habte", "Mehreteab", "Asmerom", "Gebremedhin", "Okbazghi",
         "Tewelde", "Zerai", "Negash", "Abraha", "Mesfun", "Weldemichael", "Teklehaimanot", "Hailemariam"),
    ),
    "somali": (
        ("Abdi", "Abdullahi", "Hodan", "Faadumo", "Hawa", "Ayaan", "Deeqa", "Sahra", "Ilhan", "Liban", "Guled",
         "Mahad", "Ismail", "Xasan", "Cali", "Nasra", "Hibo", "Sagal", "Bashir", "Yusuf", "Khadar", "Asha",
         "Ubah", "Warsame", "Qamar", "Idil", "Abdirahman", "Ifrah", "Shukri", "Hamdi"),
        ("Warsame", "Farah", "Jama", "Hirsi", "Osman", "Nuur", "Abdi", "Egal", "Samatar", "Aden", "Dualeh",
         "Mohamud", "Guleed", "Ahmed", "Elmi", "Omar", "Yusuf", "Abdille", "Cabdi", "Xuseen", "Mahamed", "Duale",
         "Ismaaciil", "Ibrahim", "Jimcaale"),
    ),
    "antillean": (
        ("Jurgen", "Shurendy", "Giovanni", "Rudsel", "Churandy", "Jair", "Ashanti", "Shaquille", "Gregory",
         "Rignald", "Sharina", "Jeandra", "Dwayne", "Quincy", "Naomi", "Kimberly", "Jhonny", "Rushaina",
         "Denzel", "Gilmar", "Shanaira", "Eldrick", "Jomaira", "Kenrick", "Sulaika"),
        ("Martina", "Isenia", "Rosaria", "Janga", "Cijntje", "Maduro", "Leito", "Cova", "Girigorie", "Zimmerman",
         "Doran", "Anthony", "Wiels", "Pieternella", "Sulvaran", "Lourens", "Bernabela", "Winklaar", "Mercera",
         "Eisden", "Wawoe", "Statia", "Kook", "Rojer", "Cicilia"),
    ),
    "surinamese_creole_javanese": (
        ("Marvin", "Romeo", "Glenn", "Sheila", "Rinia", "Ingrid", "Lucien", "Sandra", "Winston", "Ratna",
         "Sarmi", "Soeparman", "Wagiman", "Tini", "Soerinah", "Roy", "Iwan", "Natascha", "Edgar", "Hedwig"),
        ("Pinas", "Sedney", "Lieveld", "Kartodikromo", "Pawiro", "Soemodihardjo", "Djoemadi", "Sarmo",
         "Tjon A Fong", "Amatdjais", "Zebeda", "Kasanwiryo", "Ommen", "Vreden", "Kromodimedjo", "Brunings",
         "Fraenk", "Tjin", "Resodikromo", "Wongsodikromo"),
    ),
}

#: Faker locales whose names are written in Latin script.
FAKER_LOCALES = (
    "nl_NL", "nl_BE", "pl_PL", "tr_TR", "de_DE", "fr_FR", "en_GB", "it_IT", "es_ES", "pt_PT", "ro_RO",
    "cs_CZ", "id_ID", "fi_FI", "sv_SE", "hu_HU", "hr_HR", "sw", "lt_LT", "az_AZ", "yo_NG", "pt_BR",
    "sk_SK", "sl_SI",
    # more origins for training: the more kinds of names the tagger sees, the less it leans on any one
    "da_DK", "no_NO", "is_IS", "en_IE", "en_US", "en_IN", "en_PK", "en_TH", "zu_ZA", "de_AT", "fr_CA", "es_MX",
    "es_AR", "es_CO", "uz_UZ", "fr_DZ",
    # development origins (below)
    "et_EE", "tw_GH", "es_CL", "fr_CH",
)
#: Faker locales in Cyrillic script, read through :func:`romanise` as Dutch registers write them.
CYRILLIC_LOCALES = ("ru_RU", "uk_UA", "bg_BG")

#: Origins the tagger never sees in training (whole origins, so the test measures generalisation).
#: Locales that share most of their names with one of these stay out of training too (en_NG, ha_NG and
#: ig_NG with yo_NG; en_KE with sw and the Somali list).
HELD_OUT_ORIGINS = frozenset({
    "eritrean", "somali", "antillean", "surinamese_creole_javanese",
    "hu_HU", "hr_HR", "sw", "lt_LT", "az_AZ", "yo_NG", "pt_BR",
})
#: Origins neither trained on nor in the held-out set: the development set the thresholds are chosen on.
DEV_ORIGINS = frozenset({"et_EE", "tw_GH", "es_CL", "fr_CH"})
TRAIN_ORIGINS = frozenset(set(SEED_NAMES) | set(FAKER_LOCALES) | set(CYRILLIC_LOCALES)) - HELD_OUT_ORIGINS - DEV_ORIGINS

_CYRILLIC = dict(zip(
    "абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "g", "d", "e", "ie", "e", "zh", "z", "i", "i", "i", "i", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia"],
))
_UKRAINIAN = {"г": "h", "и": "y"}


def romanise(name: str, locale: str) -> str:
    """A Cyrillic name in Latin letters, as passports write it (Шевченко -> Shevchenko, Олена -> Olena)."""
    table = dict(_CYRILLIC, **_UKRAINIAN) if locale == "uk_UA" else _CYRILLIC
    out = "".join(table.get(ch.lower(), ch) for ch in name)
    return re.sub(r"(?<![^\W\d_])[^\W\d_]", lambda m: m.group().upper(), out)


def world_names(origins: frozenset[str] = TRAIN_ORIGINS) -> list[str]:
    """Every given name and surname Faker and the seed lists hold for ``origins``, folded, sorted: the
    tagger's list of names from many countries (a feature, not a rule; shipped as world_names.txt.gz)."""
    import importlib

    from casebook.anonymise.tagger.features import fold

    names: set[str] = set()
    for origin in origins:
        if origin in SEED_NAMES:
            names.update(w for n in SEED_NAMES[origin][0] + SEED_NAMES[origin][1] for w in n.split())
            continue
        provider = importlib.import_module(f"faker.providers.person.{origin}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "last_names"):
            for n in getattr(provider, attr, ()):
                names.update((romanise(str(n), origin) if origin in CYRILLIC_LOCALES else str(n)).split())
    return sorted({fold(n) for n in names if n.isalpha() and len(n) >= 3 and not n.islower()})
