"""Write the anonymiser's held-out test set: bench/data/anonymisation_heldout/anonymisation.jsonl.

Usage: python scripts/make_anonymisation_heldout.py [--seed 2026] [--out DIR]
       python scripts/make_anonymisation_heldout.py --split dev   (bench/data/anonymisation_dev, seed 7)

Nothing here is used for training or tuning: its own templates (written once, below), names only
from the origins held out of training (``origins.HELD_OUT_ORIGINS``: Eritrean, Somali, Antillean,
Surinamese Creole/Javanese, Hungarian, Croatian, Swahili, Lithuanian, Azerbaijani, Yoruba, Brazilian),
the half of the Dutch towns training never saw, streets built from those names, another seed, and
much lowercase chat. Same JSONL shape as the shared eval set, so bench/anonymisation.py reads both.

``--split dev`` writes the development set instead: again its own templates, names only from
``origins.DEV_ORIGINS`` (in neither training nor the held-out set), the training half of the towns. The
tagger's thresholds are chosen on it and on the shared set; the held-out set only measures.
Needs faker (dev extra).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from casebook.anonymise.tagger import synth  # noqa: E402
from casebook.anonymise.tagger.origins import DEV_ORIGINS, HELD_OUT_ORIGINS  # noqa: E402

NOTES = (
    "Telefoonnotitie: {tsur} belde om te vragen hoe het met de aanvraag staat.",
    "Op verzoek van {first} is de afspraak verzet naar {day}.",
    "Bij het huisbezoek op {addr} was ook {per} aanwezig.",
    "{per}, de {family} van cliënt, regelt de post.",
    "Graag terugbellen naar {first} op {phone}.",
    "Cliënte {per} heeft drie kinderen onder de tien.",
    "{first} heeft {day} een afspraak bij de {role}.",
    "Het adres van de familie is {addr}, {pc} {place}.",
    "Vanaf {month} woont {first} op {addr} in {place}.",
    "{sur} geeft aan dat het geld op is voor het einde van de maand.",
    "De {role}, {per}, heeft de melding gedaan.",
    "Uitkering wordt gestort op {iban} ten name van {ini}.",
    "Burgerservicenummer: {bsn}.",
    "E-mailadres van {first}: {email}.",
    "Na overleg met {tsur} is besloten de aanvraag voor de {law} aan te houden.",
    "{first} gaat sinds {month} naar de dagbesteding in {town}.",
    "Moeder ({per}) en {family} {first} hebben ruzie over het geld.",
    "{tsur} vertelt dat haar {family} {first} uit huis is gezet.",
    "Er is gebeld met de Belastingdienst over de toeslag van {first}.",
    "Het CIZ heeft in {month} een indicatie voor de Wlz afgegeven.",
    "Afspraken: de {role} neemt contact op met het UWV; {first} levert de loonstroken aan.",
    "Vandaag sprak ik {per} bij het inloopspreekuur in de bibliotheek.",
    "{poss} vader is in {year} overleden.",
    "Post voor cliënt graag naar {addr}, {pc} {place}.",
    "De woningcorporatie wil het huurcontract van {tsur} ontbinden.",
    "Op {day} belde {first} in paniek: de energie wordt afgesloten.",
    "Het Rijk compenseert gemeenten niet voor de hogere kosten van de Jeugdwet.",
    "Verslag van het gesprek op {day} met de {role} en {per}.",
)
CHAT = (
    "net gebeld met {per}, ze komt {day}",
    "{sur} komt niet opdagen, wat nu",
    "kan iemand {first} uitleggen hoe het pgb werkt?",
    "adres: {addr}",
    "ik heb {first} doorverwezen naar de schuldhulp",
    "{first} heeft een nieuwe telefoon: {phone}",
    "weet iemand of {tsur} al een uitkering heeft?",
    "{first} is boos op de gemeente, snap ik wel",
    "jij had toch contact met {per}?",
    "morgen huisbezoek bij {sur} op {addr}, wie gaat mee",
    "de {family} van {first} belt steeds op",
    "stuur het maar naar {email}",
    "{first}: ik zit vast in de file, begin maar zonder mij",
    "dank aan {first} voor het snelle regelen!",
    "iemand ervaring met de wachtlijst van de ggz? {first} wacht al maanden",
    "beschikking voor {per} is eruit",
    "hebben we toestemming van {first} om met school te bellen?",
    "{sur} en {sur} zitten allebei bij dezelfde bewindvoerder",
    "ik neem {first} over, {first} is met verlof",
    "wie doet de notulen vandaag?",
    "het rijk heeft nieuwe regels voor de wmo, weet iemand meer?",
    "maandag geen overleg, studiedag",
)
PROSE = (
    "{sur} ({year}) wijst op de spanning tussen gelijke behandeling en maatwerk.",
    "Uit onderzoek van {sur} en collega's blijkt dat wijkteams verschillen in mandaat.",
    "Net als {sur} ({year}) zien wij dat schulden vaak onderbelicht blijven.",
    "{per}, hoogleraar bestuurskunde, noemt dit de paradox van de decentralisatie.",
    "Het Rijk stelt de kaders, de gemeente voert uit.",
    "In {year} publiceerde {sur} een evaluatie van de Jeugdwet.",
    "Volgens wethouder {sur} is de toegang te ingewikkeld.",
    "De bevindingen van {ini} sluiten aan bij eerder werk.",
)
DEV_NOTES = (
    "Intake met {per}; aangemeld door de huisarts.",
    "{first} woont met twee kinderen op {addr}, {pc} {place}.",
    "{sur} wil geen bemoeienis van de gemeente.",
    "Tijdens het gesprek vertelde {first} dat haar {family} in {town} woont.",
    "De {role}, {tsur}, stuurt het verslag door.",
    "{first} krijgt sinds {month} geen toeslagen meer.",
    "Contact met {per} over de achterstand bij de energieleverancier.",
    "Telefoonnummer van {first}: {phone}.",
    "{poss} broer helpt met de administratie.",
    "Het IBAN van {tsur} is {iban}.",
    "{first} en {first} gaan {day} samen naar de schuldhulp.",
    "Overleg met {role} {per}: de Wmo-aanvraag gaat door.",
)
DEV_CHAT = (
    "{first} vroeg of je nog terugbelt",
    "kan iemand vandaag langs bij {per}?",
    "{sur} is verhuisd, nieuw adres: {addr}",
    "ik zie {first} {day}, wil iemand mee",
    "{first}: dossier staat klaar",
    "weet iemand hoe het met {first} gaat?",
    "{per} wil een nieuwe afspraak",
    "{first} heeft geen geld meer voor boodschappen",
    "de {family} van {first} heeft gebeld, graag terugbellen",
    "heeft {first} al gereageerd op de brief?",
    "niks gehoord van {sur}, ik mail nog een keer",
    "{first} en {sur} zijn er {day} niet",
)
DEV_PROSE = (
    "{sur} ({year}) noemt de wijkteams een spil in het sociaal domein.",
    "Uit het werk van {per} blijkt dat inwoners de weg niet weten.",
    "Volgens {sur} ontbreekt het aan sturing vanuit de gemeente.",
    "Onderzoeker {per} sprak met twintig wijkcoaches.",
    "De Participatiewet en de Wmo vragen om samenwerking, stelt {sur}.",
)
COUNTS = {"note": 150, "chat": 250, "prose": 60}
SENTENCES = {"note": (3, 6), "chat": (1, 2), "prose": (2, 4)}


def heldout_documents(seed: int) -> list[dict]:
    pool = synth.name_pool(HELD_OUT_ORIGINS, seed)
    pool.weights = dict.fromkeys(pool.by_origin, 1.0)  # no Dutch names here: only unseen origins
    towns = synth.dutch_towns()[1::2]
    surnames = [s for _, sur in pool.by_origin.values() for s in sur]
    fillers = synth.default_fillers(random.Random(seed), surnames, towns)
    generator = synth.Generator(pool, fillers, seed)
    return synth.corpus(
        generator, {"note": NOTES, "chat": CHAT, "prose": PROSE}, COUNTS, SENTENCES, "heldout"
    )


def dev_documents(seed: int) -> list[dict]:
    pool = synth.name_pool(DEV_ORIGINS, seed)
    towns = synth.dutch_towns()[0::2]
    surnames = [s for _, sur in pool.by_origin.values() for s in sur]
    fillers = synth.default_fillers(random.Random(seed), surnames, towns)
    generator = synth.Generator(pool, fillers, seed)
    return synth.corpus(
        generator, {"note": DEV_NOTES, "chat": DEV_CHAT, "prose": DEV_PROSE}, COUNTS, SENTENCES, "dev"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("heldout", "dev"), default="heldout")
    parser.add_argument("--seed", type=int, default=None, help="2026 for the held-out set, 7 for the dev set")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    dev = args.split == "dev"
    seed = args.seed if args.seed is not None else (7 if dev else 2026)
    out = args.out or Path(__file__).resolve().parents[1] / f"bench/data/anonymisation_{args.split}"
    docs = dev_documents(seed) if dev else heldout_documents(seed)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "anonymisation.jsonl", "w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"{len(docs)} texts, {sum(len(d['entities']) for d in docs)} entities -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
