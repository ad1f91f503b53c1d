"""The situations of the demo corpus: recurring kinds of cases a sociale wijkteam meets, written as templates.

Each narrative is composed of one opening, one development and one closing paragraph, so cases of one
situation read alike (the similar-case search should find them together) without being copies. `{slot}`
fields are filled per case from `slots`. Persons appear only as placeholders ([CLIENT], [KIND-1], …):
the corpus holds no names, numbers or addresses, real or realistic.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from casebook.accounts.models import Role
from casebook.cases.models import BottleneckKind, RuleLevel


@dataclass(frozen=True)
class DomainTemplate:
    """A ZRM life domain with the score ranges (1-5) before and after support."""

    domain: str
    before: tuple[int, int]
    after: tuple[int, int]
    addressed: float = 1.0  # share of cases whose plan actually works on this domain


@dataclass(frozen=True)
class DecisionTemplate:
    subject: str
    decided_by_role: str
    lead_days: tuple[int, int]  # from request to decision, so lead time shows in the learning views
    with_mandate: bool = False


@dataclass(frozen=True)
class ActionTemplate:
    description: str
    owner_role: Role
    due_days: int  # after the case discussion


@dataclass(frozen=True)
class BottleneckTemplate:
    law: str
    rule: str
    level: RuleLevel
    kind: BottleneckKind
    description: str
    delay_days: tuple[int, int]
    workarounds: tuple[str, ...]  # an empty string means no workaround was found


@dataclass(frozen=True)
class FeedbackTemplate:
    """What a care provider reports back about the plan."""

    text: str
    plan_worked: bool | None


@dataclass(frozen=True)
class Situation:
    code: str
    titles: tuple[str, ...]
    openings: tuple[str, ...]
    developments: tuple[str, ...]
    closings: tuple[str, ...]
    domains: tuple[DomainTemplate, ...]
    support_questions: tuple[str, ...]
    support_plans: tuple[str, ...]
    plan_items: tuple[str, ...]
    decisions: tuple[DecisionTemplate, ...]
    actions: tuple[ActionTemplate, ...]
    outcomes: tuple[str, ...]
    feedback: tuple[FeedbackTemplate, ...] = ()
    bottlenecks: tuple[BottleneckTemplate, ...] = ()  # the first always applies, the others in some cases
    slots: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    case_count: int = 7
    with_partner: bool = False  # a network partner (school, corporation, GP) takes part in the case


COACH, PROVIDER, PARTNER, MANAGER = Role.coach, Role.provider, Role.partner, Role.manager
NATIONAL, LOCAL, INTERNAL = RuleLevel.national_law, RuleLevel.local_ordinance, RuleLevel.internal_instruction

# How the case came to the table: one of these follows the development paragraph of every narrative. They
# name the discussion methods teams use, so the corpus shows them in use.
MEETING_NOTES: tuple[str, ...] = (
    ("De casus is besproken in het multidisciplinaire casusoverleg van het wijkteam. Aan tafel zaten de "
     "wijkcoach, een medewerker van de zorgaanbieder, een netwerkpartner en de teamleider. Eerst is het "
     "verhaal feitelijk verteld, daarna gaf ieder vanuit de eigen rol aan wat er gezien werd en wat in de "
     "weg stond. De vraag was niet wie er fout zat, maar waar de regels in de weg stonden en wat nodig "
     "was om verder te komen."),
    ("Omdat de casus vastliep, is de Doorbraakmethode gebruikt. Eerst is gevraagd waar [CLIENT] zelf "
     "naartoe wil en wat daarvoor als eerste nodig is. Daarna is de regel die blokkeert naast de "
     "bedoeling van de wet gelegd. Het team heeft de kosten van doormodderen vergeleken met de kosten van "
     "doorbreken, en de teamleider is gevraagd om een besluit en om terugkoppeling naar beleid."),
    ("In de intervisie van het team is de casus ingebracht volgens de incidentmethode. De wijkcoach "
     "schetste kort het moment waarop het misging. Collega's stelden eerst alleen informatieve vragen, "
     "zonder advies. Daarna schreef ieder een eigen standpunt op. Pas aan het eind vertelde de wijkcoach "
     "wat er in werkelijkheid gedaan was, en hoe het team daar samen op terugkeek."),
    ("De casus is ingebracht in een moreel beraad, omdat de wijkcoach met een dilemma zat: de regel "
     "volgen en het risico nemen dat het misgaat, of afwijken en daarmee de verantwoording op zich nemen. "
     "Het team heeft beide kanten met hun schade benoemd, de waarden van de betrokkenen op een rij gezet "
     "en gezocht naar een derde weg die recht doet aan [CLIENT] en aan de regels."),
    ("In een gezamenlijk overleg met alle betrokken partijen, inclusief iemand van de backoffice, is de "
     "casus stap voor stap doorgelopen. Voor het eerst hoorde de backoffice hoe een besluit in de "
     "praktijk uitpakt, en hoorde het wijkteam waarom de procedure zo is ingericht. Afgesproken is om de "
     "knelpunten vast te leggen, zodat management ze kan meenemen naar beleid."),
)

SITUATIONS: tuple[Situation, ...] = (
    Situation(
        code="S01",
        titles=(
            "Schulden en huishoudelijke hulp: Wmo-advies wacht op handtekening backoffice",
            "{gezin_kort} met betalingsachterstanden; besluit huishoudelijke hulp ligt bij jurist",
            "Wmo-beschikking blijft hangen op mandaat terwijl schulden oplopen",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) is alleenstaande ouder van {kinderen}. Na een brief van de "
             "deurwaarder meldde [CLIENT] zich bij het wijkteam: er zijn achterstanden bij de "
             "energieleverancier en de zorgverzekeraar, samen ongeveer € {schuld}. Bij het eerste "
             "huisbezoek bleek de post al maanden ongeopend in een la te liggen. [CLIENT] werkt twintig "
             "uur per week in de schoonmaak, maar heeft sinds een hernia veel pijn en valt regelmatig "
             "uit. Het huishouden loopt vast: de wasmand puilt uit, er wordt weinig gekookt en de "
             "administratie is een bron van schaamte geworden."),
            ("Via de huisarts kwam [CLIENT] ({leeftijd}) bij het wijkteam. [HUISARTS] maakte zich zorgen: "
             "[CLIENT] slaapt slecht, piekert over geld en zei op het spreekuur dat het 'met al die "
             "brieven' niet meer gaat. In het gezin wonen {kinderen}. Er blijken schulden van rond de € "
             "{schuld}, onder meer bij de woningcorporatie en een webwinkel. Door een chronische "
             "darmziekte lukt het [CLIENT] nauwelijks om het huishouden bij te houden, laat staan de "
             "papieren."),
        ),
        developments=(
            ("De wijkcoach maakte samen met [CLIENT] een ondersteuningsplan: aanmelding bij "
             "schuldhulpverlening, een budgetcoach en tijdelijk huishoudelijke hulp via de Wmo, zodat er "
             "ruimte komt om de administratie op orde te brengen. Het plan was binnen een week klaar. "
             "Omdat het wijkteam geen mandaat heeft, ging het advies naar de backoffice. Daar lag het "
             "{weken} weken op de stapel voor een handtekening van de jurist. In die tijd kwam er een "
             "tweede aanmaning en werd de energie bijna afgesloten."),
            ("In het casusoverleg was iedereen het snel eens: zonder praktische hulp in huis komt "
             "[CLIENT] niet aan de schulden toe. De wijkcoach schreef een advies voor huishoudelijke hulp "
             "en begeleiding bij de administratie. Formeel is dat advies alleen een voorstel; de "
             "beschikking wordt getekend door een jurist van de backoffice, die de cliënt nooit heeft "
             "gezien. Die vroeg eerst om een aanvullende onderbouwing op een nieuw formulier. Het besluit "
             "kwam pas na {weken} weken."),
        ),
        closings=(
            ("[CLIENT] voelde zich van het kastje naar de muur gestuurd: 'Jullie zeggen dat het goed "
             "komt, maar er gebeurt niets.' De wijkcoach heeft in de tussentijd zelf met de schuldeisers "
             "gebeld om uitstel te regelen. In de teamvergadering kwam de vraag op of wijkcoaches over "
             "eenvoudige voorzieningen zoals huishoudelijke hulp niet zelf mogen beslissen."),
            ("De kinderen merkten de spanning thuis; de oudste verzuimde een paar keer van school. De "
             "school belde het wijkteam, en ook daar moest de wijkcoach uitleggen dat de hulp nog 'in "
             "aanvraag' was. De teamleider wil deze casus inbrengen in het overleg met beleid over "
             "mandaat voor wijkcoaches."),
        ),
        domains=(
            DomainTemplate("financiën", (1, 2), (3, 4)),
            DomainTemplate("instrumentele ADL", (2, 2), (3, 4)),
            DomainTemplate("lichamelijke gezondheid", (2, 3), (2, 3), addressed=0.3),
            DomainTemplate("opvoeding", (3, 3), (3, 4), addressed=0.5),
        ),
        support_questions=(
            "Ik wil overzicht over mijn geld en hulp in huis, zodat ik niet meer bang ben voor de post.",
            "Hoe kom ik van de aanmaningen af en houd ik het huishouden vol met mijn klachten?",
        ),
        support_plans=(
            ("Eerst rust: betalingsregelingen en aanmelding schuldhulpverlening. Tegelijk tijdelijke "
             "huishoudelijke hulp via de Wmo, zodat [CLIENT] energie overhoudt voor de administratie."),
            ("Schulden in kaart brengen met een budgetcoach, huishoudelijke hulp voor zes maanden en "
             "samen met de school kijken hoe de kinderen ontlast worden."),
        ),
        plan_items=(
            "Post samen openen en schulden inventariseren",
            "Aanmelding schuldhulpverlening",
            "Wmo-advies huishoudelijke hulp naar de backoffice",
            "Betalingsregeling energie en zorgverzekeraar",
            "Gesprek met school over verzuim van het oudste kind",
        ),
        decisions=(
            DecisionTemplate("Toekenning huishoudelijke hulp (Wmo), 4 uur per week", "jurist backoffice",
                             (18, 45)),
            DecisionTemplate("Toelating tot schuldhulpverlening", "consulent schuldhulpverlening", (10, 28),
                             with_mandate=True),
        ),
        actions=(
            ActionTemplate("Schuldeisers bellen voor uitstel van betaling", COACH, 7),
            ActionTemplate("Huishoudelijke hulp starten na beschikking", PROVIDER, 40),
            ActionTemplate("Advies huishoudelijke hulp tekenen of terugsturen binnen vijf "
                           "werkdagen", MANAGER, 10),
        ),
        outcomes=(
            ("Huishoudelijke hulp loopt, schulden zijn gestabiliseerd in een minnelijk traject. [CLIENT] "
             "opent de post weer zelf, met wekelijkse steun van de budgetcoach."),
            ("Na de late beschikking kwam de hulp op gang; de afsluiting van energie is op het nippertje "
             "voorkomen. Schuldhulp loopt, het verzuim van het oudste kind is gestopt."),
        ),
        feedback=(
            FeedbackTemplate("Hulp gestart, cliënt heeft weer overzicht in huis. De vertraging bij "
                             "de beschikking heeft wel extra onrust gegeven.", True),
            FeedbackTemplate("Vier uur per week blijkt te weinig; we vragen een herindicatie aan.", False),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Mandaatregeling sociaal domein", "Alleen de jurist van de backoffice mag een "
                    "Wmo-beschikking tekenen; het ondersteuningsplan van de wijkcoach is een advies",
                LOCAL, BottleneckKind.mandaat,
                "Een eenvoudige voorziening wachtte weken op een handtekening terwijl de schulden opliepen.",
                (14, 42),
                ("Wijkcoach regelde zelf uitstel bij schuldeisers tot de beschikking er was.",
                 "Teamleider belde de backoffice om het dossier voorrang te geven.", ""),
            ),
            BottleneckTemplate(
                "Werkinstructie Wmo-aanvragen", "Advies "
                    "moet op het vaste aanvraagformulier "
                    "met volledige onderbouwing per "
                    "leefgebied", INTERNAL, BottleneckKind.administratieve_last,
                "Het plan moest opnieuw worden uitgeschreven op een ander formulier.", (5, 12),
                ("Formulier samen met de backoffice vereenvoudigd voor huishoudelijke hulp.", ""),
            ),
        ),
        slots={
            "leeftijd": ("29", "34", "38", "41", "45"),
            "kinderen": ("twee kinderen van 6 en 11", "drie kinderen tussen 4 en 14", "een zoon van 13",
                         "een dochter van 9 en een zoon van 15"),
            "gezin_kort": ("Alleenstaande ouder", "Gezin met drie kinderen", "Ouder met tiener"),
            "schuld": ("3.800", "5.200", "6.900", "8.400", "11.300"),
            "weken": ("vier", "vijf", "zes", "zeven"),
        },
        with_partner=True,
    ),
    Situation(
        code="S02",
        titles=(
            "Jongere wordt 18: jeugdhulp stopt, Wmo-begeleiding nog niet geregeld",
            "Gat tussen Jeugdwet en Wmo bij {jongere_kort} die meerderjarig wordt",
        ),
        openings=(
            ("[CLIENT] wordt over {weken_tot} weken achttien. Sinds zijn twaalfde krijgt hij ambulante "
             "jeugdhulp vanwege {problematiek}. De begeleider van de jeugdhulpaanbieder helpt hem twee "
             "keer per week met plannen, school en het contact met [MOEDER], met wie het vaak botst. Het "
             "gaat de laatste maanden beter: hij zit weer op de mbo-opleiding en houdt een bijbaan vol. "
             "Iedereen is het erover eens dat de begeleiding na zijn verjaardag door moet lopen."),
            ("[CLIENT] ({leeftijd_nu}) woont in een kamertrainingscentrum en krijgt begeleiding op grond "
             "van de Jeugdwet vanwege {problematiek}. Op de dag dat zij achttien wordt, eindigt de "
             "indicatie. Zij wil zelfstandig gaan wonen en heeft daar volgens de begeleiders ook de "
             "vaardigheden voor, maar niet zonder steun bij geld, post en het volhouden van haar "
             "opleiding. Contact met [VADER] is er nauwelijks; haar netwerk bestaat vooral uit de "
             "groepsleiding."),
        ),
        developments=(
            ("De wijkcoach vroeg drie maanden voor de verjaardag een Wmo-onderzoek aan. De gemeente kon "
             "dat onderzoek volgens de werkinstructie pas starten na de achttiende verjaardag, omdat er "
             "tot die dag een jeugdhulpindicatie loopt en een Wmo-aanvraag 'niet ontvankelijk' zou zijn. "
             "De jeugdhulpaanbieder mocht de begeleiding niet verlengen zonder nieuwe beschikking, en het "
             "verlengen van jeugdhulp tot 21 jaar werd afgewezen omdat de hulp 'niet meer gericht is op "
             "ontwikkeling'."),
            ("In het overleg tussen wijkteam, jeugdhulpaanbieder en Wmo-consulent werd duidelijk dat twee "
             "wetten elkaar niet aansluiten. Onder de Jeugdwet kan verlengde jeugdhulp alleen als de hulp "
             "al liep en nodig blijft; de Wmo vraagt een nieuw onderzoek, een nieuwe aanbieder en een "
             "andere vorm van begeleiding. De vaste begeleider werkt niet voor een Wmo-gecontracteerde "
             "aanbieder. Het nieuwe onderzoek werd ingepland {weken_na} weken na de verjaardag."),
        ),
        closings=(
            ("In de tussenliggende periode viel de begeleiding weg. Binnen een maand liepen er "
             "achterstanden op bij de zorgverzekering en werd de opleiding onregelmatig gevolgd. De "
             "wijkcoach heeft zelf de gaten opgevangen, buiten de eigen caseload om."),
            ("De begeleider heeft een paar weken onbetaald contact gehouden 'omdat je iemand niet zomaar "
             "loslaat'. De teamleider noemt dit een terugkerend knelpunt: elk jaar vallen er jongeren "
             "tussen wal en schip op precies dezelfde datum."),
        ),
        domains=(
            DomainTemplate("werk & opleiding", (2, 3), (3, 4)),
            DomainTemplate("financiën", (2, 3), (2, 4), addressed=0.6),
            DomainTemplate("geestelijke gezondheid", (2, 3), (3, 3)),
            DomainTemplate("huisvesting", (2, 3), (3, 4), addressed=0.5),
            DomainTemplate("sociaal netwerk", (2, 2), (2, 3), addressed=0.4),
        ),
        support_questions=(
            "Ik wil dezelfde begeleider houden als ik achttien word en mijn opleiding afmaken.",
            "Hoe zorgen we dat de steun doorloopt na de achttiende verjaardag?",
        ),
        support_plans=(
            ("Tijdig overdragen van Jeugdwet naar Wmo met één gezamenlijk plan, bij voorkeur met dezelfde "
             "begeleider, en in de tussentijd een overbruggingsafspraak."),
        ),
        plan_items=(
            "Wmo-melding doen zes maanden voor de verjaardag",
            "Overdrachtsgesprek jeugdhulp, Wmo-consulent en jongere",
            "Zorgverzekering, DigiD en toeslagen regelen voor de 18e verjaardag",
            "Overbruggingsbegeleiding afspreken tot het Wmo-besluit",
        ),
        decisions=(
            DecisionTemplate("Verlengde jeugdhulp tot 21 jaar", "jurist backoffice", (20, 40)),
            DecisionTemplate("Wmo-begeleiding individueel, 3 uur per week", "Wmo-consulent", (30, 70)),
        ),
        actions=(
            ActionTemplate("Overdrachtsverslag opstellen", PROVIDER, 14),
            ActionTemplate("Zorgverzekering en toeslagen aanvragen met jongere", COACH, 21),
            ActionTemplate("Werkinstructie 18-/18+ voorleggen aan beleid", MANAGER, 60),
        ),
        outcomes=(
            ("Na {weken_na} weken zonder begeleiding is Wmo-begeleiding gestart bij een andere aanbieder. "
             "De opleiding loopt nog, met extra verzuim in de overgangsperiode."),
            ("Verlengde jeugdhulp werd na bezwaar alsnog toegekend voor zes maanden; daarna een warme "
             "overdracht naar de Wmo."),
        ),
        feedback=(
            FeedbackTemplate("De overdracht is gelukt, maar de jongere moest weer bij nul beginnen "
                             "met een nieuwe begeleider.", None),
            FeedbackTemplate("Doordat de verlenging rond kwam, bleef de opleiding overeind.", True),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Jeugdwet art. 1.1 / Wmo 2015", "Jeugdhulp eindigt op 18 jaar; verlengde jeugdhulp alleen "
                    "bij al lopende hulp, Wmo-onderzoek pas na de verjaardag",
                NATIONAL, BottleneckKind.tegenstrijdige_regels,
                "Twee wetten sluiten niet op elkaar aan; de jongere valt weken zonder begeleiding.", (21, 63),
                ("Wijkcoach overbrugde zelf met wekelijkse gesprekken.",
                 "Aanbieder hield onbetaald contact tot het Wmo-besluit.", ""),
            ),
            BottleneckTemplate(
                "Werkinstructie toegang Wmo", "Wmo-aanvraag vóór 18 jaar geldt als niet-ontvankelijk",
                INTERNAL, BottleneckKind.doorlooptijd,
                "Het onderzoek had eerder kunnen starten; de instructie is strenger dan de wet.", (14, 30),
                ("Beleid heeft toegezegd de instructie te herzien.", ""),
            ),
        ),
        slots={
            "weken_tot": ("zes", "acht", "tien", "twaalf"),
            "leeftijd_nu": ("17", "17,5"),
            "problematiek": ("ADHD en een hechtingsproblematiek", "een licht verstandelijke beperking",
                             "angstklachten na een traumatische jeugd", "autisme en somberheid"),
            "jongere_kort": ("jongen", "meisje", "pleegkind", "jongere met autisme"),
            "weken_na": ("vijf", "zeven", "negen"),
        },
    ),
    Situation(
        code="S03",
        titles=(
            "Huurachterstand en dreigende ontruiming; corporatie en wijkteam mogen niets delen",
            "Ontruiming dreigt bij {gezin_kort}: privacyregels blokkeren vroegsignalering",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) woont met {kinderen} in een huurwoning van de corporatie. Na het "
             "verlies van een vaste baan liep er een huurachterstand op van € {schuld}. De corporatie "
             "stuurde herinneringen en uiteindelijk een dagvaarding. Het wijkteam hoorde er pas van toen "
             "[CLIENT] met de brief van de deurwaarder aan de balie stond: de ontruiming staat over "
             "{weken} weken gepland."),
            ("De buurtbewoners maken zich zorgen over [CLIENT] ({leeftijd}), die sinds een scheiding "
             "alleen woont met {kinderen}. Er ligt een stapel post achter de deur en de gordijnen blijven "
             "dicht. De woonconsulent van de corporatie wist al maanden van een huurachterstand van € "
             "{schuld} en van een lopende procedure, maar meldde dat niet bij het wijkteam."),
        ),
        developments=(
            ("De woonconsulent wilde graag samenwerken, maar mocht volgens de eigen privacy-afspraken "
             "geen gegevens delen zonder schriftelijke toestemming van de huurder. [CLIENT] reageerde "
             "niet op brieven, dus toestemming kwam er niet. Het wijkteam mocht op zijn beurt niet "
             "vertellen dat er al contact was. Beide partijen wachtten op elkaar, terwijl de procedure "
             "doorliep."),
            ("In het casusoverleg zaten de woonconsulent, de wijkcoach en schuldhulpverlening aan tafel, "
             "maar de casus kon alleen anoniem worden besproken. De corporatie had een convenant "
             "vroegsignalering nodig om de achterstand na twee maanden door te geven; dat convenant ligt "
             "al een jaar bij de juristen van gemeente en corporatie. Zonder die afspraak was een "
             "huisbezoek 'op verdenking' niet toegestaan."),
        ),
        closings=(
            ("Pas toen [CLIENT] zelf toestemming tekende, kon de corporatie de ontruiming aanhouden onder "
             "voorwaarde van een betalingsregeling en budgetbeheer. Iedereen in het overleg zei "
             "hetzelfde: drie maanden eerder was dit met een telefoontje op te lossen geweest."),
            ("De wijkcoach merkte op dat de privacyregel bedoeld is om de huurder te beschermen, maar "
             "hier precies het omgekeerde deed. De kosten van een ontruiming, opvang en het opnieuw "
             "huisvesten van het gezin zijn vele malen hoger dan de achterstand."),
        ),
        domains=(
            DomainTemplate("huisvesting", (1, 2), (3, 4)),
            DomainTemplate("financiën", (1, 2), (2, 3)),
            DomainTemplate("werk & opleiding", (2, 3), (2, 3), addressed=0.3),
            DomainTemplate("huiselijke relaties", (2, 3), (3, 3), addressed=0.4),
        ),
        support_questions=(
            "Ik wil in mijn huis blijven wonen met de kinderen.",
            "Hoe voorkomen we dat het gezin op straat komt te staan?",
        ),
        support_plans=(
            ("Ontruiming aanhouden met een betalingsregeling, huur via budgetbeheer laten lopen en "
             "schuldhulpverlening starten. Afspraken met de corporatie vastleggen met toestemming van "
             "[CLIENT]."),
        ),
        plan_items=(
            "Toestemmingsformulier gegevensdeling met corporatie tekenen",
            "Betalingsregeling huurachterstand",
            "Budgetbeheer voor vaste lasten",
            "Aanmelding schuldhulpverlening",
        ),
        decisions=(
            DecisionTemplate("Aanhouden ontruiming onder voorwaarden", "woonconsulent corporatie", (3, 14),
                             with_mandate=True),
            DecisionTemplate("Bijzondere bijstand voor kosten budgetbeheer", "jurist backoffice", (14, 35)),
        ),
        actions=(
            ActionTemplate("Huisbezoek samen met woonconsulent", COACH, 5),
            ActionTemplate("Betalingsregeling vastleggen", PARTNER, 14),
            ActionTemplate("Convenant vroegsignalering agenderen bij directie", MANAGER, 45),
        ),
        outcomes=(
            "Ontruiming afgewend; de huur wordt via budgetbeheer betaald en de achterstand loopt af.",
            ("Ontruiming uitgesteld, maar het gezin moest alsnog tijdelijk naar familie. Er loopt nu een "
             "aanvraag voor een andere woning."),
        ),
        feedback=(
            FeedbackTemplate("Betalingsregeling wordt nagekomen; wij houden maandelijks contact.", True),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "AVG / privacyreglement woningcorporatie", "Geen "
                    "gegevensdeling over huurachterstand "
                    "zonder schriftelijke toestemming van de "
                    "huurder", LOCAL, BottleneckKind.privacy_gegevensdeling,
                "Corporatie en wijkteam wisten beide van de problemen, maar mochten elkaar niet informeren.",
                (30, 90),
                ("Anonieme casusbespreking, daarna huisbezoek samen met woonconsulent.", ""),
            ),
            BottleneckTemplate(
                "Wet gemeentelijke schuldhulpverlening art. 3 (vroegsignalering)", "Signaal "
                    "van verhuurder alleen via een "
                    "convenant met de gemeente", NATIONAL, BottleneckKind.administratieve_last,
                "Het convenant is nog niet getekend, dus vroegsignalering werkt niet.", (60, 120),
                ("",),
            ),
        ),
        slots={
            "leeftijd": ("31", "37", "43", "48", "52"),
            "kinderen": ("twee kinderen", "drie jonge kinderen", "een tienerzoon", "een dochter van 8"),
            "gezin_kort": ("gezin met drie kinderen", "alleenstaande ouder", "ouder met tiener"),
            "schuld": ("2.900", "4.100", "5.600", "7.300"),
            "weken": ("twee", "drie", "vier"),
        },
        with_partner=True,
    ),
    Situation(
        code="S04",
        titles=(
            "Beginnende dementie: te veel zorg voor de Wmo, te weinig voor de Wlz",
            "{oudere_kort} met geheugenproblemen op de grens van Wmo en Wlz",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) woont alleen sinds het overlijden van de partner. De laatste maanden "
             "vergeet [CLIENT] afspraken, laat het gas aanstaan en raakte twee keer de weg kwijt in de "
             "eigen buurt. [DOCHTER] woont op {afstand} afstand en komt in het weekend; door de week is "
             "er niemand. De huisarts stelde de diagnose beginnende alzheimer en vroeg het wijkteam mee "
             "te kijken."),
            ("[CLIENT] ({leeftijd}) en [PARTNER] wonen al veertig jaar in dezelfde flat. [PARTNER] zorgt "
             "voor [CLIENT], die sinds twee jaar vasculaire dementie heeft en 's nachts onrustig is. "
             "[PARTNER] is zelf slechthorend en heeft een slechte heup. [ZOON] woont op {afstand} afstand "
             "en belde het wijkteam omdat [PARTNER] aan de telefoon in tranen uitbarstte."),
        ),
        developments=(
            ("Vanuit de Wmo lopen al huishoudelijke hulp en twee dagdelen dagbesteding. Meer toezicht "
             "lukt niet: de Wmo-consulent vindt dat er sprake is van 'blijvende behoefte aan permanent "
             "toezicht' en verwijst naar de Wlz. Het CIZ wees de Wlz-aanvraag af, omdat [CLIENT] overdag "
             "nog zelf de regie kan voeren en er geen 24-uurszorg in de nabijheid nodig zou zijn. Zo valt "
             "[CLIENT] precies tussen twee loketten."),
            ("De casemanager dementie en de wijkcoach deden samen een Wlz-aanvraag. Na {weken} weken kwam "
             "de afwijzing: nog niet voldoende zorgbehoefte. Een tweede dag dagbesteding via de Wmo werd "
             "aangehouden 'in afwachting van het bezwaar tegen het CIZ-besluit'. De budgetten van Wmo en "
             "Wlz zijn strikt gescheiden, dus niemand wilde de extra dag betalen zolang onduidelijk was "
             "welke wet van toepassing is."),
        ),
        closings=(
            ("In de tussentijd zorgde de familie steeds vaker, tot ze zelf uitgeput raakten. De wijkcoach "
             "vraagt zich af waarom het systeem pas in beweging komt na een crisis, zoals een val of een "
             "ziekenhuisopname."),
            ("Het bezwaar liep nog toen [CLIENT] na een nachtelijke dwaaltocht door de politie werd "
             "thuisgebracht. Daarna ging alles ineens snel. In de nabespreking vroeg de teamleider of een "
             "gezamenlijk potje voor overbrugging niet goedkoper was geweest."),
        ),
        domains=(
            DomainTemplate("geestelijke gezondheid", (2, 2), (2, 3)),
            DomainTemplate("basale ADL", (2, 3), (3, 3)),
            DomainTemplate("instrumentele ADL", (1, 2), (3, 3)),
            DomainTemplate("sociaal netwerk", (2, 3), (3, 4), addressed=0.7),
            DomainTemplate("financiën", (3, 4), (3, 4), addressed=0.2),
        ),
        support_questions=(
            "Veilig thuis blijven wonen zolang het kan, zonder dat de familie overbelast raakt.",
            "Wie zorgt voor toezicht overdag nu de partner het niet meer alleen kan?",
        ),
        support_plans=(
            ("Extra dagbesteding en toezicht via de Wmo als overbrugging, tegelijk bezwaar tegen het "
             "CIZ-besluit en een herindicatie over drie maanden. Mantelzorgondersteuning voor de familie."),
        ),
        plan_items=(
            "Casemanager dementie betrekken",
            "Tweede dag dagbesteding aanvragen",
            "Bezwaar tegen CIZ-besluit ondersteunen",
            "Respijtzorg voor de mantelzorger regelen",
            "Leefcirkels in kaart brengen met de familie",
        ),
        decisions=(
            DecisionTemplate("Wlz-indicatie", "CIZ", (42, 90)),
            DecisionTemplate("Extra dagbesteding Wmo als overbrugging", "teamleider", (7, 30)),
        ),
        actions=(
            ActionTemplate("Bezwaarschrift CIZ opstellen met familie", COACH, 14),
            ActionTemplate("Dagbesteding uitbreiden zodra besluit er is", PROVIDER, 30),
            ActionTemplate("Afspraak met zorgkantoor over overbruggingszorg", MANAGER, 45),
        ),
        outcomes=(
            "Na bezwaar kreeg [CLIENT] een Wlz-indicatie; thuis wonen met Wlz-zorg in natura lukt nu.",
            ("[CLIENT] is na een val opgenomen in een verpleeghuis. De familie is opgelucht, maar vindt "
             "dat het eerder had gekund."),
            "Overbrugging via de Wmo toegekend door de teamleider; de Wlz-herindicatie staat gepland.",
        ),
        feedback=(
            FeedbackTemplate("Extra dagbesteding geeft de mantelzorger lucht; de cliënt is rustiger.", True),
            FeedbackTemplate("Zonder Wlz-indicatie kunnen wij het toezicht niet leveren dat nodig "
                             "is.", False),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Wlz art. 3.2.1 / Wmo 2015 art. 2.3.5", "Geen Wmo bij blijvende behoefte aan permanent "
                    "toezicht; geen Wlz zolang geen 24-uurszorg in de nabijheid nodig is",
                NATIONAL, BottleneckKind.schotten_budget,
                "De cliënt valt tussen twee wetten; de extra zorg wordt door geen van beide "
                "betaald.", (30, 120),
                ("Teamleider gaf overbrugging uit de Wmo buiten de richtlijn.",
                 "Familie betaalde zelf particuliere oppas.", ""),
            ),
        ),
        slots={
            "leeftijd": ("78", "81", "83", "86"),
            "afstand": ("anderhalf uur", "een uur", "twee uur"),
            "oudere_kort": ("Alleenwonende oudere", "Echtpaar", "Weduwe"),
            "weken": ("zes", "acht", "tien"),
        },
    ),
    Situation(
        code="S05",
        titles=(
            "Alleenstaande ouder met terugvordering kinderopvangtoeslag",
            "Terugvordering toeslagen drukt {gezin_kort} onder het bestaansminimum",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) werkt {uren} uur per week als {beroep} en zorgt alleen voor "
             "{kinderen}. Na een inkomenswijziging die te laat is doorgegeven, vordert de Belastingdienst "
             "€ {schuld} aan kinderopvangtoeslag en huurtoeslag terug. Er wordt € {aflossing} per maand "
             "verrekend met de lopende toeslagen, waardoor er na de vaste lasten bijna niets overblijft "
             "voor boodschappen."),
            ("De school van de kinderen meldde dat [KIND-1] zonder ontbijt en lunch komt. In gesprek met "
             "de wijkcoach vertelde [CLIENT] ({leeftijd}) dat er een terugvordering loopt van € {schuld} "
             "aan toeslagen. [CLIENT] werkt {uren} uur als {beroep}; met {kinderen} en de verrekening van "
             "€ {aflossing} per maand is het inkomen te laag geworden om rond te komen."),
        ),
        developments=(
            ("De wijkcoach hielp een verzoek om een persoonlijke betalingsregeling in te dienen. Daarvoor "
             "waren loonstroken, bankafschriften van drie maanden, een overzicht van alle vaste lasten en "
             "een berekening van de beslagvrije voet nodig. Na {weken} weken vroeg de Belastingdienst om "
             "aanvullende stukken. In die periode bleef de verrekening doorlopen."),
            ("Schuldhulpverlening wilde [CLIENT] pas toelaten als de hoogte van de terugvordering "
             "vaststond, maar het bezwaar bij de Belastingdienst liep nog. De gemeente kon bijzondere "
             "bijstand voor de eerste levensbehoeften niet verstrekken zolang het inkomen 'formeel boven "
             "de norm' lag. De wijkcoach schreef in {weken} weken vijf brieven en belde elf keer."),
        ),
        closings=(
            ("[CLIENT] zei in het gesprek: 'Ik heb niets verkeerd gedaan behalve een formulier te laat "
             "invullen, en nu betaal ik het met mijn kinderen.' De wijkcoach legt de casus voor aan het "
             "team met de vraag wanneer de gemeente zelf een noodbudget mag inzetten."),
            ("Uiteindelijk werd de verrekening verlaagd. De kinderen kregen in de tussentijd ontbijt op "
             "school via een lokaal fonds. In het overleg werd benoemd dat de papierwinkel voor een ouder "
             "die al overbelast is onhaalbaar is zonder hulp."),
        ),
        domains=(
            DomainTemplate("financiën", (1, 2), (2, 3)),
            DomainTemplate("opvoeding", (3, 3), (3, 4), addressed=0.5),
            DomainTemplate("werk & opleiding", (3, 4), (3, 4), addressed=0.2),
            DomainTemplate("geestelijke gezondheid", (2, 3), (3, 3), addressed=0.4),
        ),
        support_questions=(
            "Ik wil genoeg overhouden voor eten en vaste lasten, ook als ik de toeslag terugbetaal.",
        ),
        support_plans=(
            ("Persoonlijke betalingsregeling bij de Belastingdienst, tijdelijke voedselhulp en een check "
             "op alle voorzieningen waar het gezin recht op heeft."),
            ("Verrekening laten verlagen tot de beslagvrije voet, bijzondere bijstand aanvragen en "
             "schuldhulpverlening starten zodra het bezwaar is beslist."),
        ),
        plan_items=(
            "Verzoek persoonlijke betalingsregeling indienen",
            "Bezwaar tegen hoogte terugvordering",
            "Aanvraag bijzondere bijstand en kindpakket",
            "Voedselbank als tijdelijke overbrugging",
        ),
        decisions=(
            DecisionTemplate("Persoonlijke betalingsregeling "
                             "toeslagen", "Belastingdienst/Toeslagen", (35, 90)),
            DecisionTemplate("Bijzondere bijstand eerste levensbehoeften", "jurist backoffice", (14, 30)),
        ),
        actions=(
            ActionTemplate("Stukken voor betalingsregeling verzamelen", COACH, 10),
            ActionTemplate("Ontbijt op school regelen via fonds", PARTNER, 7),
            ActionTemplate("Afspraak over noodbudget bij verrekening toeslagen", MANAGER, 60),
        ),
        outcomes=(
            "Verrekening verlaagd naar een draagbaar bedrag; het gezin redt het weer zonder voedselbank.",
            "Bezwaar deels toegekend, resterende schuld in een schuldregeling opgenomen.",
        ),
        feedback=(
            FeedbackTemplate("Kinderen komen weer met ontbijt op school.", True),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Awir art. 26 / Invorderingswet", "Terugvordering wordt direct verrekend met lopende "
                    "toeslagen; betalingsregeling alleen op verzoek met volledige onderbouwing",
                NATIONAL, BottleneckKind.administratieve_last,
                "De ouder moest stapels stukken aanleveren terwijl de verrekening doorliep.", (30, 90),
                ("Wijkcoach stelde het dossier samen en belde de Belastingdienst.", ""),
            ),
            BottleneckTemplate(
                "Participatiewet art. 35 / beleidsregels bijzondere bijstand", "Geen "
                    "bijzondere bijstand als het inkomen formeel "
                    "boven de norm ligt", LOCAL, BottleneckKind.toegangscriteria,
                "Het werkelijk besteedbare inkomen lag onder het bestaansminimum, het formele "
                "niet.", (14, 45),
                ("Lokaal fonds sprong bij.", ""),
            ),
        ),
        slots={
            "leeftijd": ("27", "32", "36", "39"),
            "uren": ("24", "28", "32"),
            "beroep": ("doktersassistent", "verkoopmedewerker", "medewerker in de thuiszorg",
                       "administratief medewerker"),
            "kinderen": ("twee kinderen", "drie kinderen", "een zoon van 5"),
            "gezin_kort": ("alleenstaande ouder", "gezin met twee kinderen", "werkende ouder"),
            "schuld": ("6.400", "9.800", "14.200", "18.700"),
            "aflossing": ("180", "240", "310"),
            "weken": ("vijf", "zes", "negen"),
        },
        with_partner=True,
    ),
    Situation(
        code="S06",
        titles=(
            "Jonge mantelzorger zorgt voor {ouder_kort}; geen steun voor het kind zelf",
            "Kind van {leeftijd} als mantelzorger: hulp voor ouder en kind in gescheiden potjes",
        ),
        openings=(
            ("[KIND-1] ({leeftijd}) zorgt sinds twee jaar grotendeels voor [MOEDER], die {aandoening} "
             "heeft. [KIND-1] doet de boodschappen, kookt, helpt met medicijnen en past op [KIND-2]. Op "
             "school valt op dat [KIND-1] moe is, huiswerk niet af heeft en niet meer meedoet met sport. "
             "De mentor nam contact op met het wijkteam na een gesprek waarin [KIND-1] huilend vertelde "
             "'altijd aan te staan'."),
            ("Bij een Wmo-keukentafelgesprek met [VADER], die {aandoening} heeft, zat [KIND-1] "
             "({leeftijd}) erbij en beantwoordde de meeste vragen. Het bleek dat [KIND-1] na school "
             "direct naar huis gaat om te zorgen, en 's nachts opstaat als [VADER] pijn heeft. Vrienden "
             "komen niet meer over de vloer; [KIND-1] schaamt zich voor de situatie thuis."),
        ),
        developments=(
            ("De Wmo-indicatie voor de ouder gaat uit van 'gebruikelijke zorg' door huisgenoten, ook als "
             "die huisgenoot een kind is. Daardoor werden minder uren huishoudelijke hulp toegekend dan "
             "nodig. Voor [KIND-1] zelf is jeugdhulp mogelijk, maar alleen bij een opvoed- of "
             "opgroeiprobleem; een gesprekgroep voor jonge mantelzorgers valt onder een ander budget en "
             "heeft een wachtlijst."),
            ("De wijkcoach wilde de zorg voor de ouder verhogen, zodat [KIND-1] ontlast wordt, en "
             "tegelijk steun voor [KIND-1] regelen. De Wmo-consulent rekende alleen met de ouder; de "
             "jeugdconsulent alleen met het kind. Er kwamen twee plannen, twee beschikkingen en twee "
             "wachttijden, terwijl het om één gezin gaat."),
        ),
        closings=(
            ("In het casusoverleg zei de mentor: 'Dit kind draagt een volwassen last, en wij geven het "
             "huiswerkuitstel.' Het team wil dat de richtlijn gebruikelijke zorg expliciet uitzondert wat "
             "een minderjarige niet kan dragen."),
            ("Uiteindelijk is de huishoudelijke hulp verhoogd na een tweede gesprek waarin de wijkcoach "
             "de belasting van [KIND-1] zwart op wit zette. [KIND-1] gaat nu eens per twee weken naar een "
             "groep met andere jonge mantelzorgers."),
        ),
        domains=(
            DomainTemplate("huiselijke relaties", (2, 3), (3, 4)),
            DomainTemplate("werk & opleiding", (2, 3), (3, 4), addressed=0.7),
            DomainTemplate("instrumentele ADL", (2, 2), (3, 4)),
            DomainTemplate("sociaal netwerk", (2, 2), (3, 3), addressed=0.6),
            DomainTemplate("financiën", (2, 3), (2, 3), addressed=0.2),
        ),
        support_questions=(
            "Ik wil ook gewoon kind kunnen zijn en mijn school halen.",
            "Hoe krijgt de ouder genoeg zorg, zodat het kind niet alles hoeft te doen?",
        ),
        support_plans=(
            ("Eén gezinsplan: meer huishoudelijke hulp en begeleiding voor de ouder, steun en een "
             "lotgenotengroep voor het kind, afspraken met school."),
        ),
        plan_items=(
            "Herindicatie Wmo zonder gebruikelijke zorg door het kind",
            "Aanmelding groep jonge mantelzorgers",
            "Afspraken met mentor over huiswerk en verzuim",
            "Vrijetijdsactiviteit voor het kind zoeken",
        ),
        decisions=(
            DecisionTemplate("Verhoging huishoudelijke hulp (Wmo)", "Wmo-consulent", (21, 50)),
            DecisionTemplate("Toekenning jeugdhulp: steun jonge mantelzorger", "jeugdconsulent", (14, 40)),
        ),
        actions=(
            ActionTemplate("Gesprek met mentor over ontlasting op school", PARTNER, 10),
            ActionTemplate("Intake groep jonge mantelzorgers", PROVIDER, 30),
            ActionTemplate("Richtlijn gebruikelijke zorg laten toetsen op minderjarigen", MANAGER, 90),
        ),
        outcomes=(
            "Meer hulp in huis; het kind gaat weer naar sport en haalt de overgang.",
            ("Huishoudelijke hulp verhoogd, maar de groep jonge mantelzorgers had een wachtlijst van drie "
             "maanden."),
        ),
        feedback=(
            FeedbackTemplate("Het kind vertelt in de groep voor het eerst openlijk over thuis.", True),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Beleidsregels Wmo: gebruikelijke zorg", "Huisgenoten worden geacht gebruikelijke "
                    "zorg te leveren; de regels maken geen uitzondering voor minderjarigen", LOCAL,
                BottleneckKind.toegangscriteria,
                "De indicatie rekende het kind als zorgverlener mee.", (21, 60),
                ("Wijkcoach liet de belasting van het kind vastleggen in een tweede gesprek.", ""),
            ),
            BottleneckTemplate(
                "Jeugdwet / Wmo 2015: gescheiden budgetten", "Ouder "
                    "en kind krijgen elk een eigen indicatie en "
                    "budget", LOCAL, BottleneckKind.schotten_budget,
                "Eén gezin, twee plannen en twee wachttijden.", (14, 30),
                ("",),
            ),
        ),
        slots={
            "leeftijd": ("12", "14", "15", "16"),
            "aandoening": ("MS", "een ernstige depressie", "de ziekte van Parkinson", "reuma en COPD"),
            "ouder_kort": ("zieke moeder", "zieke vader", "ouder met MS"),
        },
        with_partner=True,
    ),
    Situation(
        code="S07",
        titles=(
            "Thuiszitter van {leeftijd}: leerplicht, school en wijkteam werken langs elkaar heen",
            "Schooluitval bij {jongere_kort}; leerplichtambtenaar dreigt met proces-verbaal",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) zit sinds {maanden} maanden thuis. Na een periode van pesten en "
             "ruzies op school kwam [CLIENT] steeds vaker niet opdagen, en nu helemaal niet meer. "
             "[MOEDER] krijgt [CLIENT] 's ochtends niet uit bed; er wordt tot diep in de nacht gegamed. "
             "De leerplichtambtenaar heeft een proces-verbaal in het vooruitzicht gesteld."),
            ("De mbo-school meldde [CLIENT] ({leeftijd}) als voortijdig schoolverlater. [CLIENT] was al "
             "{maanden} maanden grotendeels afwezig, na een stage die slecht afliep. Thuis is het "
             "onrustig: [VADER] is werkloos en er zijn geldzorgen. [CLIENT] zegt 'niks te willen', maar "
             "vertelde de wijkcoach wel dat hij graag met zijn handen werkt."),
        ),
        developments=(
            ("De school wilde pas een aangepast rooster aanbieden als er een diagnose lag, de jeugd-GGZ "
             "had een wachttijd van {weken} weken en de leerplichtambtenaar moest volgens de instructie "
             "handhaven zolang er geen vrijstelling was. Niemand mocht de gegevens van de anderen inzien: "
             "de school deelde het verzuimdossier niet, de GGZ de intake niet."),
            ("In een gezamenlijk gesprek met school, leerplicht, ouders en wijkcoach bleek dat iedereen "
             "een eigen plan had. De leerplichtambtenaar zag een handhavingszaak, de school een "
             "zorgleerling, het wijkteam een gezin met schulden. Een aangepast traject met werkend leren "
             "kon alleen starten als het samenwerkingsverband het arrangement betaalde, en dat vroeg een "
             "nieuw ontwikkelingsperspectief."),
        ),
        closings=(
            ("De wijkcoach stelde voor om één regisseur aan te wijzen en de handhaving op te schorten "
             "zolang het plan loopt. Dat mocht volgens de werkinstructie leerplicht niet zonder "
             "toestemming van de teamleider leerplicht, die pas na twee weken reageerde."),
            ("Na zes weken kon [CLIENT] starten met twee dagen per week in een werkplaats en één dag "
             "school. De leerplichtambtenaar noemde het achteraf 'het eerste plan waar de jongere zelf ja "
             "tegen zei'."),
        ),
        domains=(
            DomainTemplate("werk & opleiding", (1, 2), (2, 4)),
            DomainTemplate("tijdsbesteding", (1, 2), (3, 3)),
            DomainTemplate("opvoeding", (2, 3), (3, 3), addressed=0.6),
            DomainTemplate("geestelijke gezondheid", (2, 3), (3, 3), addressed=0.5),
            DomainTemplate("financiën", (2, 3), (2, 3), addressed=0.2),
        ),
        support_questions=(
            "Ik wil iets doen waar ik goed in ben, niet terug naar dezelfde klas.",
            "Hoe krijgen we ons kind weer naar school zonder dat het thuis escaleert?",
        ),
        support_plans=(
            ("Eén plan met school, leerplicht en wijkteam: handhaving opschorten, aangepast rooster of "
             "werkend leren, gezinsbegeleiding thuis en zo nodig diagnostiek."),
        ),
        plan_items=(
            "Gezamenlijk overleg school, leerplicht, ouders en wijkcoach",
            "Handhaving opschorten tijdens het plan",
            "Aangepast rooster of traject werkend leren",
            "Gezinsbegeleiding rond dagritme en gamen",
            "Aanmelding jeugd-GGZ voor diagnostiek",
        ),
        decisions=(
            DecisionTemplate("Opschorten handhaving leerplicht", "teamleider leerplicht", (10, 21)),
            DecisionTemplate("Onderwijszorgarrangement via samenwerkingsverband", "samenwerkingsverband",
                             (28, 70)),
        ),
        actions=(
            ActionTemplate("Verzuimgegevens delen met toestemming ouders", PARTNER, 7),
            ActionTemplate("Gezinsbegeleiding starten", PROVIDER, 21),
            ActionTemplate("Afspraak met leerplicht over gezamenlijke regie", MANAGER, 30),
        ),
        outcomes=(
            "De jongere gaat drie dagen per week naar een traject werkend leren; het verzuim is gestopt.",
            "Na een aangepast rooster weer volledig naar school, met wekelijkse begeleiding.",
        ),
        feedback=(
            FeedbackTemplate("Ritme thuis is verbeterd; ouders houden de afspraken over gamen vol.", True),
            FeedbackTemplate("Gezinsbegeleiding is te laat gestart om escalatie te voorkomen.", False),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Leerplichtwet 1969 art. 22 / werkinstructie leerplicht", "Handhaven zolang er geen "
                    "vrijstelling is; opschorten alleen met toestemming teamleider leerplicht",
                INTERNAL, BottleneckKind.mandaat,
                "De leerplichtambtenaar zag het nut van het plan maar mocht zelf niet besluiten.", (10, 21),
                ("Gezamenlijk overleg met teamleider leerplicht erbij.", ""),
            ),
            BottleneckTemplate(
                "AVG / Wet op het voortgezet onderwijs", "School "
                    "deelt verzuimdossier niet zonder "
                    "toestemming", NATIONAL, BottleneckKind.privacy_gegevensdeling,
                "Ieder werkte met een eigen stukje informatie.", (7, 20),
                ("Ouders tekenden toestemming in het gezamenlijke gesprek.",),
            ),
        ),
        slots={
            "leeftijd": ("14", "15", "16", "17"),
            "maanden": ("drie", "vier", "vijf", "zeven"),
            "jongere_kort": ("jongen van 15", "meisje van 14", "mbo-student"),
            "weken": ("tien", "veertien", "achttien"),
        },
        with_partner=True,
    ),
    Situation(
        code="S08",
        titles=(
            "Dakloos na verslaving: opvang geweigerd wegens ontbrekende regiobinding",
            "{client_kort} met alcoholprobleem zonder woning; maatschappelijke opvang stelt toegangseisen",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) slaapt sinds {maanden} maanden afwisselend bij kennissen, in een "
             "schuur en in de auto. Na een relatiebreuk en baanverlies liep het alcoholgebruik uit de "
             "hand. [CLIENT] verloor de huurwoning in een andere gemeente en kwam terug naar deze stad, "
             "waar nog een broer woont. Via de straatverpleegkundige kwam [CLIENT] bij het wijkteam."),
            ("[CLIENT] ({leeftijd}) gebruikt al jaren {middel} en is na een uitzetting dakloos geraakt. "
             "[CLIENT] wil stoppen en heeft zich zelf gemeld bij de verslavingszorg, maar een klinische "
             "opname kan pas als er een stabiele verblijfplaats is. De nachtopvang laat [CLIENT] maximaal "
             "drie nachten toe."),
        ),
        developments=(
            ("De centrale toegang van de maatschappelijke opvang weigerde een plek: [CLIENT] zou de "
             "laatste twee jaar niet in de regio hebben gewoond en moest terug naar de gemeente van "
             "herkomst. Die gemeente verwees weer terug, omdat [CLIENT] daar niet meer staat "
             "ingeschreven. Een briefadres werd geweigerd omdat [CLIENT] geen vaste verblijfplaats kon "
             "aantonen."),
            ("Zonder briefadres kon [CLIENT] geen uitkering aanvragen, zonder uitkering geen "
             "zorgverzekeringspremie betalen en zonder opvangplek niet beginnen aan behandeling. De "
             "wijkcoach regelde een afspraak na de andere, maar elke instantie wees naar een voorwaarde "
             "die bij een andere instantie lag. Het duurde {weken} weken voor er een opvangplek was."),
        ),
        closings=(
            ("De landelijke afspraak is dat opvang toegankelijk is voor iedereen, maar de regionale "
             "toegangscriteria zijn strenger. Het team vraagt management deze casus te gebruiken in het "
             "regionale overleg over landelijke toegankelijkheid."),
            ("In de tussentijd belandde [CLIENT] twee keer op de spoedeisende hulp. De "
             "straatverpleegkundige rekende voor dat de zorgkosten van die maanden hoger waren dan een "
             "jaar begeleid wonen."),
        ),
        domains=(
            DomainTemplate("huisvesting", (1, 1), (2, 3)),
            DomainTemplate("middelengebruik", (1, 2), (2, 3)),
            DomainTemplate("financiën", (1, 2), (2, 3)),
            DomainTemplate("lichamelijke gezondheid", (2, 2), (2, 3), addressed=0.5),
            DomainTemplate("justitie", (3, 4), (3, 4), addressed=0.2),
        ),
        support_questions=(
            "Een dak boven mijn hoofd, zodat ik kan afkicken.",
            "Ik wil opgenomen worden, maar ik heb eerst een plek nodig.",
        ),
        support_plans=(
            ("Briefadres en uitkering regelen, opvangplek in de eigen regio bepleiten, daarna behandeling "
             "in de verslavingszorg en doorstroom naar begeleid wonen."),
        ),
        plan_items=(
            "Briefadres aanvragen",
            "Uitkeringsaanvraag Participatiewet",
            "Plek maatschappelijke opvang bepleiten",
            "Intake verslavingszorg plannen",
            "Zorgverzekering op orde brengen",
        ),
        decisions=(
            DecisionTemplate("Toegang maatschappelijke opvang", "centrale toegang opvang", (14, 60)),
            DecisionTemplate("Briefadres", "afdeling burgerzaken", (7, 28)),
        ),
        actions=(
            ActionTemplate("Bewijs van verblijf in de regio verzamelen", COACH, 7),
            ActionTemplate("Intake klinische behandeling", PROVIDER, 45),
            ActionTemplate("Regiobinding agenderen in regionaal overleg opvang", MANAGER, 60),
        ),
        outcomes=(
            "Na {weken} weken een plek in de opvang; de klinische behandeling is gestart.",
            ("Briefadres en uitkering geregeld; [CLIENT] woont nu in een tussenvoorziening en is drie "
             "maanden abstinent."),
        ),
        feedback=(
            FeedbackTemplate("Behandeling loopt; een vaste woonplek is nu de grootste zorg.", True),
            FeedbackTemplate("Cliënt is voortijdig gestopt met de behandeling.", False),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Wmo 2015 art. 1.2.1 / regionale toegangscriteria maatschappelijke opvang", "Opvang "
                    "alleen bij aantoonbare regiobinding van twee "
                    "jaar", LOCAL, BottleneckKind.toegangscriteria,
                "De regionale eis is strenger dan de landelijke toegankelijkheid; de cliënt werd "
                "heen en weer gestuurd.", (21, 70),
                ("Teamleider maakte een uitzondering na bemiddeling door de wijkcoach.", ""),
            ),
            BottleneckTemplate(
                "Wet BRP art. 2.39 / werkinstructie briefadres", "Briefadres "
                    "alleen bij aantoonbaar verblijf en een "
                    "hoofdbewoner die toestemt", INTERNAL, BottleneckKind.administratieve_last,
                "Zonder briefadres geen uitkering en geen zorgverzekering.", (7, 30),
                ("Briefadres bij de opvangorganisatie.",),
            ),
        ),
        slots={
            "leeftijd": ("33", "41", "47", "54"),
            "maanden": ("twee", "vier", "zes"),
            "middel": ("cocaïne en alcohol", "alcohol", "heroïne en methadon"),
            "client_kort": ("Man", "Vrouw", "Dakloze"),
            "weken": ("vijf", "zeven", "tien"),
        },
    ),
    Situation(
        code="S09",
        titles=(
            "Huiselijk geweld: Veilig Thuis en wijkteam delen informatie te laat",
            "Gezin met huiselijk geweld; onderzoek Veilig Thuis duurt, hulp thuis staat stil",
        ),
        openings=(
            ("De politie deed een zorgmelding bij Veilig Thuis na een ruzie waarbij [PARTNER] [CLIENT] "
             "had geslagen. In het gezin wonen {kinderen}. [CLIENT] ({leeftijd}) wil niet weg bij "
             "[PARTNER], maar wel dat het geweld stopt. Het wijkteam kende het gezin al vanwege "
             "geldzorgen en opvoedvragen."),
            ("Op school vertelde [KIND-1] aan de intern begeleider dat papa en mama 'heel hard ruzie "
             "maken' en dat [KIND-1] zich dan in de kast verstopt. De school meldde bij Veilig Thuis. "
             "[CLIENT] ({leeftijd}) gaf in een gesprek met de wijkcoach toe dat er thuis geweld is, "
             "vooral als [PARTNER] gedronken heeft. Het gezin bestaat verder uit {kinderen}."),
        ),
        developments=(
            ("Veilig Thuis startte een onderzoek, dat volgens de wettelijke termijn tien weken mag duren. "
             "In die periode kreeg de wijkcoach geen informatie over de bevindingen, omdat het onderzoek "
             "nog liep. De wijkcoach wist dus niet of er een veiligheidsplan was en welke afspraken de "
             "ouders hadden gemaakt, terwijl het wijkteam wel wekelijks bij het gezin over de vloer kwam."),
            ("Na de melding werd de casus overgedragen aan Veilig Thuis. Het wijkteam moest de "
             "begeleiding 'on hold' zetten tot de overdracht terug. Het onderzoek duurde {weken} weken, "
             "waarna Veilig Thuis vrijwillige hulp adviseerde via het wijkteam. Toen was het contact met "
             "het gezin verwaterd en moest alles opnieuw worden opgebouwd."),
        ),
        closings=(
            ("De wijkcoach vraagt in het casusoverleg of het mogelijk is om tijdens het onderzoek samen "
             "op te trekken, met één veiligheidsplan en een gezamenlijk huisbezoek. Volgens Veilig Thuis "
             "kan dat alleen met toestemming van beide ouders."),
            ("In de nabespreking bleek dat een gezamenlijk gesprek in week twee veel onzekerheid had "
             "weggenomen. De teamleider wil een vaste werkafspraak maken met Veilig Thuis over parallel "
             "werken."),
        ),
        domains=(
            DomainTemplate("huiselijke relaties", (1, 2), (2, 3)),
            DomainTemplate("opvoeding", (2, 2), (3, 3)),
            DomainTemplate("middelengebruik", (2, 3), (2, 3), addressed=0.5),
            DomainTemplate("financiën", (2, 3), (2, 3), addressed=0.3),
            DomainTemplate("justitie", (2, 3), (3, 4), addressed=0.4),
        ),
        support_questions=(
            "Ik wil dat het thuis veilig is voor mij en de kinderen.",
            "Hoe stopt het geweld zonder dat het gezin uit elkaar valt?",
        ),
        support_plans=(
            ("Veiligheidsplan met beide ouders, hulp voor [PARTNER] bij agressie en alcoholgebruik, steun "
             "voor de kinderen en afspraken met school."),
        ),
        plan_items=(
            "Veiligheidsplan opstellen met Veilig Thuis",
            "Agressieregulatietraining voor [PARTNER]",
            "Kindgesprekken en steun voor de kinderen",
            "Wekelijks contact wijkcoach met het gezin",
        ),
        decisions=(
            DecisionTemplate("Afronding onderzoek en advies vrijwillige hulp", "Veilig Thuis", (42, 84)),
            DecisionTemplate("Toekenning gezinsbegeleiding (Jeugdwet)", "jeugdconsulent", (10, 30)),
        ),
        actions=(
            ActionTemplate("Gezamenlijk huisbezoek met Veilig Thuis", COACH, 14),
            ActionTemplate("Start agressieregulatietraining", PROVIDER, 30),
            ActionTemplate("Werkafspraak parallel werken met Veilig Thuis", MANAGER, 60),
        ),
        outcomes=(
            ("Sinds het veiligheidsplan geen nieuwe incidenten; [PARTNER] volgt de training en is gestopt "
             "met drinken."),
            "Ouders zijn uit elkaar gegaan; de kinderen wonen bij [CLIENT] en er is een omgangsregeling.",
        ),
        feedback=(
            FeedbackTemplate("Training afgerond; [PARTNER] herkent eigen signalen nu eerder.", True),
            FeedbackTemplate("Deelname aan de training was wisselend; er is een nieuw incident "
                             "geweest.", False),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Wmo 2015 art. 4.1.1 (Veilig Thuis) / Meldcode", "Geen informatie over een "
                    "lopend onderzoek aan andere hulpverleners zonder toestemming", NATIONAL,
                BottleneckKind.privacy_gegevensdeling,
                "Het wijkteam werkte blind naast het onderzoek van Veilig Thuis.", (14, 56),
                ("Ouders gaven toestemming voor een gezamenlijk gesprek.", ""),
            ),
            BottleneckTemplate(
                "Werkafspraken Veilig Thuis - wijkteams", "Begeleiding "
                    "door het wijkteam pauzeert tijdens het "
                    "onderzoek", INTERNAL, BottleneckKind.doorlooptijd,
                "Contact met het gezin verwaterde in de wachttijd.", (42, 84),
                ("",),
            ),
        ),
        slots={
            "leeftijd": ("28", "33", "38", "44"),
            "kinderen": ("twee kinderen van 4 en 7", "drie kinderen", "een dochter van 6"),
            "weken": ("acht", "tien", "twaalf"),
        },
        with_partner=True,
    ),
    Situation(
        code="S10",
        titles=(
            "Zelfstandige verliest inkomen; Bbz-aanvraag loopt vast op levensvatbaarheidstoets",
            "{beroep_kort} met omzetverlies wacht maanden op Bbz-besluit",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) heeft al {jaren} jaar een eigen bedrijf als {beroep}. Door {oorzaak} "
             "viel de omzet het afgelopen halfjaar bijna weg. De vaste lasten van bedrijf en gezin lopen "
             "door; er is een achterstand bij de zorgverzekeraar en de hypotheek. [PARTNER] werkt "
             "parttime, maar dat inkomen is niet genoeg."),
            ("[CLIENT] ({leeftijd}) werkt als {beroep} en kwam na een gesprek bij de voedselbank bij het "
             "wijkteam. Sinds {oorzaak} is er nauwelijks inkomen. [CLIENT] wil het bedrijf niet opgeven: "
             "'Ik heb er {jaren} jaar voor gewerkt.' Het gezin heeft {kinderen}."),
        ),
        developments=(
            ("De wijkcoach hielp met een aanvraag Besluit bijstandverlening zelfstandigen (Bbz). Voor "
             "inkomensondersteuning moest eerst een levensvatbaarheidsonderzoek door een extern bureau "
             "worden gedaan. Daarvoor waren jaarcijfers, een ondernemingsplan en een liquiditeitsprognose "
             "nodig. De boekhouding was niet op orde, dus het onderzoek kon pas na {weken} weken "
             "beginnen."),
            ("De Bbz-consulent gaf aan dat een voorschot mogelijk is, maar pas als de aanvraag 'compleet' "
             "is. Het ondernemingsplan moest drie keer worden aangepast. Intussen kwam er een aanmaning "
             "van de Belastingdienst en dreigde de bank met een betalingsachterstandsregistratie. Het "
             "wijkteam heeft geen zicht op de planning van het externe bureau."),
        ),
        closings=(
            ("[CLIENT] zei in het gesprek dat de aanvraag voelde als een examen terwijl het huis in brand "
             "stond. De wijkcoach vraagt of de gemeente het voorschot niet eerder kan verstrekken, op "
             "basis van een eerste inschatting."),
            ("In het casusoverleg bleek dat een ondernemerscoach van de Kamer van Koophandel de "
             "boekhouding in twee gesprekken op orde had kunnen brengen, maar die was niet bekend bij het "
             "team."),
        ),
        domains=(
            DomainTemplate("financiën", (1, 2), (2, 3)),
            DomainTemplate("werk & opleiding", (2, 3), (3, 4)),
            DomainTemplate("geestelijke gezondheid", (2, 3), (3, 3), addressed=0.4),
            DomainTemplate("huiselijke relaties", (3, 3), (3, 4), addressed=0.3),
        ),
        support_questions=(
            "Ik wil mijn bedrijf houden en tegelijk de rekeningen kunnen betalen.",
            "Is mijn bedrijf nog te redden, en zo niet, hoe stop ik zonder schulden?",
        ),
        support_plans=(
            ("Bbz-aanvraag met voorschot, boekhouding op orde met een ondernemerscoach, afspraken met "
             "schuldeisers en een eerlijk gesprek over doorgaan of stoppen."),
        ),
        plan_items=(
            "Bbz-aanvraag met verzoek om voorschot",
            "Ondernemerscoach inschakelen",
            "Betalingsregelingen met zorgverzekeraar en bank",
            "Levensvatbaarheidsonderzoek afronden",
        ),
        decisions=(
            DecisionTemplate("Bbz-voorschot levensonderhoud", "Bbz-consulent", (21, 56)),
            DecisionTemplate("Bbz-besluit na levensvatbaarheidsonderzoek", "jurist backoffice", (42, 98)),
        ),
        actions=(
            ActionTemplate("Boekhouding ordenen met ondernemerscoach", PARTNER, 21),
            ActionTemplate("Schuldeisers informeren over lopende aanvraag", COACH, 7),
            ActionTemplate("Beleid voorschot Bbz laten herzien", MANAGER, 90),
        ),
        outcomes=(
            "Bbz toegekend voor een jaar; het bedrijf draait weer met aangepaste diensten.",
            ("[CLIENT] heeft besloten het bedrijf te beëindigen; Bbz-beëindigingskrediet en begeleiding "
             "naar werk in loondienst."),
        ),
        feedback=(
            FeedbackTemplate("Boekhouding is op orde; de ondernemer heeft weer overzicht.", True),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Besluit bijstandverlening zelfstandigen 2004 art. 2 en 5", "Inkomensondersteuning "
                    "pas na een positief "
                    "levensvatbaarheidsonderzoek", NATIONAL, BottleneckKind.doorlooptijd,
                "Het onderzoek duurde maanden terwijl het gezin geen inkomen had.", (42, 120),
                ("Tijdelijk bijzondere bijstand als overbrugging.", ""),
            ),
            BottleneckTemplate(
                "Werkinstructie Bbz", "Voorschot pas bij een volledige aanvraag", INTERNAL,
                BottleneckKind.administratieve_last,
                "Een voorschot kwam te laat om achterstanden te voorkomen.", (21, 56),
                ("",),
            ),
        ),
        slots={
            "leeftijd": ("38", "44", "51", "57"),
            "jaren": ("acht", "twaalf", "zestien"),
            "beroep": ("schilder", "rijschoolhouder", "kapper", "klusjesman", "fotograaf"),
            "beroep_kort": ("Zelfstandige", "Ondernemer", "Eenmanszaak"),
            "oorzaak": ("een langdurige knieblessure", "het wegvallen van de grootste opdrachtgever",
                        "een lange ziekte"),
            "kinderen": ("twee schoolgaande kinderen", "een zoon van 16", "drie kinderen"),
            "weken": ("vijf", "zeven", "negen"),
        },
        with_partner=True,
    ),
    Situation(
        code="S11",
        titles=(
            "Eenzame oudere na overlijden partner zoekt weer contact",
            "Oudere {oudere_kort} trekt zich terug; netwerk versterken via buurthuis",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) verloor {maanden} maanden geleden [PARTNER]. Sindsdien komt [CLIENT] "
             "nauwelijks de deur uit. [DOCHTER] woont in het buitenland en belt één keer per week. De "
             "huisarts merkte dat [CLIENT] mager werd en zich somber voelde, en vroeg het wijkteam om "
             "langs te gaan."),
            ("Een buurvrouw belde het wijkteam: [CLIENT] ({leeftijd}) zit de hele dag binnen, de "
             "brievenbus puilt uit en de tuin verwildert. Bij het huisbezoek vertelde [CLIENT] dat de "
             "dagen lang zijn sinds het overlijden van [PARTNER], {maanden} maanden geleden. 'Ik wil "
             "niemand tot last zijn.'"),
        ),
        developments=(
            ("De wijkcoach bracht samen met [CLIENT] in kaart wat de dagen vulde vroeger: koersbal, de "
             "kerk, koken voor anderen. Via het buurthuis is er een kookgroep voor ouderen, en een "
             "vrijwilliger van de ouderenbond kan wekelijks langskomen. [CLIENT] wilde eerst niet, maar "
             "ging mee na een kennismaking met de vrijwilliger."),
            ("De wijkcoach zocht samen met [CLIENT] naar kleine stappen: één keer per week samen "
             "boodschappen doen, een wandelgroep in de wijk en contact met een oud-collega. Het buurthuis "
             "organiseert een maaltijd op donderdag. De huisarts volgt de somberheid; er is geen reden "
             "voor verwijzing naar de GGZ."),
        ),
        closings=(
            ("Na twee maanden gaat [CLIENT] zelfstandig naar de kookgroep en heeft een nieuwe vriendin "
             "gemaakt. Er waren geen formele voorzieningen nodig; het netwerk in de wijk deed het werk."),
            ("Het gesprek over rouw bleek belangrijker dan de activiteiten zelf. De wijkcoach sluit de "
             "casus af met een afspraak om over drie maanden nog eens te bellen."),
        ),
        domains=(
            DomainTemplate("sociaal netwerk", (1, 2), (3, 4)),
            DomainTemplate("tijdsbesteding", (2, 2), (3, 4)),
            DomainTemplate("geestelijke gezondheid", (2, 3), (3, 4)),
            DomainTemplate("lichamelijke gezondheid", (3, 3), (3, 4), addressed=0.3),
        ),
        support_questions=(
            "Ik wil weer wat te doen hebben en mensen om me heen.",
        ),
        support_plans=(
            "Via het buurthuis en vrijwilligers het netwerk herstellen; huisarts volgt de stemming.",
        ),
        plan_items=(
            "Kennismaking met vrijwilliger ouderenbond",
            "Kookgroep of maaltijd in het buurthuis",
            "Wandelgroep in de wijk",
            "Evaluatie na drie maanden",
        ),
        decisions=(),
        actions=(
            ActionTemplate("Kennismaking vrijwilliger regelen", COACH, 7),
            ActionTemplate("Meegaan naar eerste bijeenkomst kookgroep", PARTNER, 14),
        ),
        outcomes=(
            "[CLIENT] gaat wekelijks naar het buurthuis en heeft vaste contacten; casus afgesloten.",
            "Minder somber, wekelijks bezoek van een vrijwilliger; evaluatiegesprek gepland.",
        ),
        slots={
            "leeftijd": ("74", "79", "82", "88"),
            "maanden": ("vier", "acht", "tien"),
            "oudere_kort": ("weduwe", "weduwnaar", "alleenstaande"),
        },
        case_count=4,
        with_partner=True,
    ),
    Situation(
        code="S12",
        titles=(
            "Statushouder met DUO-schuld voor inburgering; termijn loopt af",
            "Inburgering en DUO-lening: {gezin_kort} raakt in de knel tussen oud en nieuw stelsel",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) kwam {jaren} jaar geleden als vluchteling naar Nederland en woont met "
             "{kinderen} in een eengezinswoning. [CLIENT] valt nog onder het oude inburgeringsstelsel en "
             "leende bij DUO voor een taalcursus. De taalschool bleek van slechte kwaliteit; het examen "
             "werd twee keer niet gehaald. Nu loopt de inburgeringstermijn af en dreigt een boete."),
            ("[CLIENT] ({leeftijd}) en [PARTNER] zijn {jaren} jaar geleden via gezinshereniging naar "
             "Nederland gekomen met {kinderen}. Er ligt een brief van DUO met een terugvordering van de "
             "lening voor inburgering: € {schuld}. [CLIENT] begrijpt de brief niet goed en is bang dat de "
             "verblijfsvergunning gevaar loopt."),
        ),
        developments=(
            ("Ontheffing of verlenging van de termijn kan alleen als [CLIENT] aantoont 'aantoonbaar "
             "voldoende inspanning' te hebben geleverd. Daarvoor moeten presentielijsten van de "
             "taalschool worden opgevraagd, die inmiddels failliet is. De gemeente heeft onder de nieuwe "
             "wet de regie, maar niet voor inburgeraars uit het oude stelsel. De wijkcoach belde DUO, de "
             "gemeente en de curator."),
            ("De wijkcoach vroeg kwijtschelding van de DUO-schuld aan. De voorwaarde is dat de "
             "inburgering binnen de termijn is afgerond, wat niet lukte door ziekte en de zorg voor een "
             "kind met een beperking. DUO vroeg medische stukken, vertaald en gewaarmerkt. De afhandeling "
             "duurde {weken} weken; ondertussen werd de lening ingehouden op de toeslagen."),
        ),
        closings=(
            ("[CLIENT] wil graag werken, maar besteedt nu de meeste energie aan brieven. In het "
             "casusoverleg werd duidelijk dat de gemeente weinig kan, omdat het om landelijke regels "
             "gaat; wel kan het team een vaste contactpersoon bij DUO regelen."),
            ("De wijkcoach noemt het pijnlijk dat de schuld voortkomt uit een verplichting van de "
             "overheid zelf. Een vrijwilliger van VluchtelingenWerk helpt inmiddels met de brieven."),
        ),
        domains=(
            DomainTemplate("financiën", (2, 2), (2, 3)),
            DomainTemplate("werk & opleiding", (2, 2), (2, 3)),
            DomainTemplate("maatschappelijke participatie", (2, 3), (3, 3)),
            DomainTemplate("sociaal netwerk", (2, 3), (3, 3), addressed=0.4),
            DomainTemplate("opvoeding", (3, 3), (3, 4), addressed=0.3),
        ),
        support_questions=(
            "Ik wil de taal leren en werken zonder een schuld die steeds groter wordt.",
            "Wat betekent de brief van DUO voor ons verblijf, en hoe lossen we het op?",
        ),
        support_plans=(
            ("Ontheffing of verlenging aanvragen, kwijtschelding DUO-schuld onderbouwen, taalles via een "
             "betrouwbare aanbieder en een vrijwilliger voor de administratie."),
        ),
        plan_items=(
            "Verzoek verlenging inburgeringstermijn",
            "Verzoek kwijtschelding DUO-lening",
            "Vrijwilliger voor hulp bij brieven",
            "Taalles en werkervaringsplek zoeken",
        ),
        decisions=(
            DecisionTemplate("Verlenging inburgeringstermijn", "DUO", (42, 120)),
            DecisionTemplate("Kwijtschelding lening inburgering", "DUO", (56, 140)),
        ),
        actions=(
            ActionTemplate("Presentielijsten opvragen bij curator taalschool", COACH, 14),
            ActionTemplate("Vrijwilliger koppelen voor administratie", PARTNER, 21),
            ActionTemplate("Vaste contactpersoon bij DUO afspreken", MANAGER, 45),
        ),
        outcomes=(
            "Termijn verlengd en boete kwijtgescholden; [CLIENT] volgt nu taalles bij een andere aanbieder.",
            "Kwijtschelding afgewezen, betalingsregeling getroffen; bezwaar loopt.",
        ),
        feedback=(
            FeedbackTemplate("Taalles loopt goed; cliënt is gemotiveerd en mist geen les.", True),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Wet inburgering 2013 art. 7 en 31", "Termijn verlengen of schuld kwijtschelden "
                    "alleen bij aantoonbare inspanning, met stukken van de taalschool", NATIONAL,
                BottleneckKind.tegenstrijdige_regels,
                "De verplichting van de overheid leidt tot een schuld die participatie juist belemmert.",
                (42, 140),
                ("Vrijwilliger en wijkcoach reconstrueerden de lessen met verklaringen van docenten.", ""),
            ),
            BottleneckTemplate(
                "Wet inburgering 2021: overgangsrecht", "Gemeentelijke "
                    "regie alleen voor inburgeraars in het "
                    "nieuwe stelsel", NATIONAL, BottleneckKind.toegangscriteria,
                "De gemeente mag deze inburgeraar niet begeleiden.", (0, 30),
                ("",),
            ),
        ),
        slots={
            "leeftijd": ("31", "36", "42", "49"),
            "jaren": ("vier", "vijf", "zeven"),
            "kinderen": ("drie kinderen", "twee kinderen", "vier kinderen"),
            "gezin_kort": ("statushoudersgezin", "alleenstaande statushouder", "gezin na gezinshereniging"),
            "schuld": ("5.000", "7.200", "10.000"),
            "weken": ("acht", "twaalf", "zestien"),
        },
    ),
    Situation(
        code="S13",
        titles=(
            "Na ontslag uit psychiatrische kliniek: wachtlijst ambulante GGZ",
            "{client_kort} terug uit opname; nazorg laat op zich wachten",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) is na {weken_opname} weken opname in een psychiatrische kliniek weer "
             "thuis. De diagnose is {diagnose}. In het ontslagbericht staat dat ambulante behandeling "
             "'aansluitend' moet starten, maar de specialistische GGZ heeft een wachttijd van {weken} "
             "weken. [CLIENT] woont alleen en heeft weinig contact met familie."),
            ("[MOEDER] belde het wijkteam: [CLIENT] ({leeftijd}) is na een opname vanwege {diagnose} "
             "ontslagen en zit sindsdien thuis op de bank. [CLIENT] slaapt slecht, neemt de medicatie "
             "onregelmatig in en heeft een stapel ongeopende post. De FACT-behandelaar van de kliniek mag "
             "niet langer begeleiden, omdat [CLIENT] buiten het werkgebied woont."),
        ),
        developments=(
            ("De wijkcoach ging wekelijks langs om de eerste periode te overbruggen, maar is niet "
             "opgeleid voor behandeling. De huisarts schakelde de POH-GGZ in, die maximaal een paar "
             "gesprekken mag voeren. Begeleiding via de Wmo kon wel, maar het onderzoek daarvoor duurde "
             "zes weken. Het risico op terugval werd door iedereen gezien, maar niemand kon sneller."),
            ("In het multidisciplinaire overleg met huisarts, kliniek en wijkteam bleek dat de kliniek "
             "een warme overdracht had willen doen, maar de gegevens pas mocht delen na toestemming, die "
             "[CLIENT] in de opnameperiode niet had gegeven. De wachtlijst van de ambulante GGZ was "
             "intussen opgelopen tot {weken} weken."),
        ),
        closings=(
            ("Na {weken_terugval} weken thuis was er een crisis, en volgde een tweede opname. De "
             "wijkcoach vraagt in het overleg of de overbrugging niet vanaf de opname geregeld kan "
             "worden, in plaats van erna."),
            ("Uiteindelijk is een ervaringsdeskundige van de herstelacademie ingezet als overbrugging. "
             "[CLIENT] noemt dat achteraf 'de reden dat ik niet teruggevallen ben'."),
        ),
        domains=(
            DomainTemplate("geestelijke gezondheid", (1, 2), (2, 3)),
            DomainTemplate("tijdsbesteding", (1, 2), (2, 3), addressed=0.6),
            DomainTemplate("financiën", (2, 3), (2, 3), addressed=0.4),
            DomainTemplate("sociaal netwerk", (1, 2), (2, 3), addressed=0.5),
            DomainTemplate("huisvesting", (3, 4), (3, 4), addressed=0.2),
        ),
        support_questions=(
            "Ik wil niet terug de kliniek in; ik heb hulp nodig tot de behandeling begint.",
        ),
        support_plans=(
            ("Overbrugging met wekelijkse contacten, POH-GGZ en ervaringsdeskundige; Wmo-begeleiding "
             "aanvragen; signaleringsplan met huisarts en familie."),
        ),
        plan_items=(
            "Signaleringsplan opstellen met [CLIENT] en familie",
            "Wekelijks contact tot start behandeling",
            "Wmo-begeleiding aanvragen",
            "Post en financiën samen ordenen",
        ),
        decisions=(
            DecisionTemplate("Wmo-begeleiding individueel", "Wmo-consulent", (28, 56)),
            DecisionTemplate("Start ambulante specialistische behandeling", "GGZ-instelling", (56, 140)),
        ),
        actions=(
            ActionTemplate("Ervaringsdeskundige koppelen", PROVIDER, 10),
            ActionTemplate("Huisarts informeren over signaleringsplan", COACH, 7),
            ActionTemplate("Afspraak met GGZ over overbrugging na ontslag", MANAGER, 60),
        ),
        outcomes=(
            "Behandeling gestart; [CLIENT] gaat twee dagen naar een herstelwerkplaats.",
            "Na een tweede opname is nazorg direct geregeld; [CLIENT] woont weer thuis met begeleiding.",
        ),
        feedback=(
            FeedbackTemplate("Overbrugging werkte: geen terugval tot de start van de behandeling.", True),
            FeedbackTemplate("Cliënt was al in crisis voordat wij konden starten.", False),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Zorgverzekeringswet / wachttijdnormen GGZ (Treeknormen)", "Geen "
                    "aansluitende behandeling na ontslag bij een "
                    "wachtlijst", NATIONAL, BottleneckKind.doorlooptijd,
                "Het risico op terugval was bekend, maar de wachttijd ging ver boven de norm.", (42, 140),
                ("Wijkcoach en ervaringsdeskundige overbrugden.", ""),
            ),
            BottleneckTemplate(
                "Wet verplichte GGZ / AVG: gegevensdeling bij ontslag", "Overdracht "
                    "aan wijkteam alleen met toestemming "
                    "van de patiënt", NATIONAL, BottleneckKind.privacy_gegevensdeling,
                "De kliniek kon niet warm overdragen.", (7, 21),
                ("Toestemming gevraagd bij het eerste huisbezoek.",),
            ),
        ),
        slots={
            "leeftijd": ("24", "31", "39", "52"),
            "weken_opname": ("zes", "negen", "twaalf"),
            "diagnose": ("een psychose", "een ernstige depressie", "een bipolaire stoornis"),
            "client_kort": ("Jonge vrouw", "Man", "Alleenwonende"),
            "weken": ("twaalf", "zestien", "twintig"),
            "weken_terugval": ("vijf", "zeven", "negen"),
        },
    ),
    Situation(
        code="S14",
        titles=(
            "Man met LVB financieel uitgebuit door 'vrienden'; bewind laat op zich wachten",
            "Financieel misbruik bij {client_kort} met licht verstandelijke beperking",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) heeft een licht verstandelijke beperking en woont zelfstandig met "
             "ambulante begeleiding. De begeleider zag dat [CLIENT] elke maand aan het begin van de maand "
             "al geen geld meer had. Er bleken 'vrienden' te zijn die bij [CLIENT] logeerden, pinpas en "
             "code kenden en leningen op naam van [CLIENT] afsloten. De schuld is opgelopen tot € "
             "{schuld}."),
            ("De woningcorporatie meldde overlast bij het adres van [CLIENT] ({leeftijd}): steeds "
             "wisselende bezoekers, lawaai in de nacht. Bij een huisbezoek vertelde [CLIENT], die een "
             "licht verstandelijke beperking heeft, dat 'een vriend' het geld beheert en dat er telefoons "
             "op naam van [CLIENT] zijn afgesloten. [CLIENT] is bang om nee te zeggen."),
        ),
        developments=(
            ("De wijkcoach wilde direct beschermingsbewind aanvragen, maar de kantonrechter heeft een "
             "doorlooptijd van {weken} weken en [CLIENT] twijfelde of dat wel nodig was. De bank mocht "
             "zonder machtiging niets met de begeleider delen over verdachte transacties. De politie zag "
             "geen strafbaar feit, omdat [CLIENT] 'zelf heeft getekend'."),
            ("Met toestemming van [CLIENT] werd de pinpas geblokkeerd en een nieuwe rekening geopend. "
             "Schuldhulpverlening wilde geen traject starten zolang de schulden 'nog kunnen oplopen' en "
             "er geen bewind is. De LVB-deskundige adviseerde om aangifte te doen, maar de drempel "
             "daarvoor was hoog: [CLIENT] schaamde zich en was bang voor wraak."),
        ),
        closings=(
            ("In het casusoverleg werd benoemd dat het systeem uitgaat van iemand die zijn eigen belangen "
             "kan overzien. Voor mensen met een LVB werkt dat niet: de regels beschermen de uitbuiter "
             "beter dan het slachtoffer."),
            ("Na de aanstelling van de bewindvoerder kwam er rust. De begeleiding werkt nu met [CLIENT] "
             "aan weerbaarheid en aan het verbreken van contact met de betreffende personen."),
        ),
        domains=(
            DomainTemplate("financiën", (1, 1), (2, 3)),
            DomainTemplate("sociaal netwerk", (1, 2), (2, 3)),
            DomainTemplate("justitie", (2, 3), (3, 3), addressed=0.4),
            DomainTemplate("huisvesting", (2, 3), (3, 4), addressed=0.6),
            DomainTemplate("instrumentele ADL", (2, 2), (3, 3)),
        ),
        support_questions=(
            "Ik wil dat mijn geld van mij is en dat die jongens niet meer komen.",
        ),
        support_plans=(
            ("Direct de rekening afschermen, beschermingsbewind aanvragen, aangifte ondersteunen en "
             "weerbaarheidstraining binnen de begeleiding."),
        ),
        plan_items=(
            "Pinpas blokkeren en nieuwe rekening openen",
            "Verzoek beschermingsbewind bij kantonrechter",
            "Aangifte ondersteunen met LVB-deskundige",
            "Weerbaarheidstraining",
            "Afspraken met corporatie over overlast",
        ),
        decisions=(
            DecisionTemplate("Instelling beschermingsbewind", "kantonrechter", (42, 112)),
            DecisionTemplate("Toelating schuldhulpverlening", "consulent schuldhulpverlening", (14, 60)),
        ),
        actions=(
            ActionTemplate("Bank vragen rekening af te schermen", COACH, 3),
            ActionTemplate("Weerbaarheidstraining starten", PROVIDER, 30),
            ActionTemplate("Overlastafspraken vastleggen", PARTNER, 14),
        ),
        outcomes=(
            "Bewind ingesteld; schulden gestabiliseerd. De uitbuiters komen niet meer over de vloer.",
            "Aangifte gedaan; bewind loopt. [CLIENT] woont met meer begeleiding op hetzelfde adres.",
        ),
        feedback=(
            FeedbackTemplate("Cliënt zegt vaker nee; het contact met de groep is verbroken.", True),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Burgerlijk Wetboek boek 1 art. 431 (beschermingsbewind)", "Bewind "
                    "alleen via de kantonrechter, met lange "
                    "doorlooptijd", NATIONAL, BottleneckKind.doorlooptijd,
                "In de wachttijd liepen de schulden verder op.", (42, 112),
                ("Pinpas geblokkeerd en vrijwillig budgetbeheer als tussenstap.", ""),
            ),
            BottleneckTemplate(
                "Beleidsregels schuldhulpverlening", "Geen "
                    "schuldregeling zolang schulden nog kunnen "
                    "oplopen", LOCAL, BottleneckKind.toegangscriteria,
                "Het slachtoffer werd uitgesloten van de hulp die de uitbuiting had kunnen stoppen.",
                (14, 60),
                ("",),
            ),
        ),
        slots={
            "leeftijd": ("23", "27", "34", "46"),
            "schuld": ("4.700", "8.900", "13.400"),
            "client_kort": ("jongvolwassene", "man", "vrouw"),
            "weken": ("acht", "twaalf", "zestien"),
        },
        with_partner=True,
    ),
    Situation(
        code="S15",
        titles=(
            "Jobcoach voor jongere met jeugdhulp: Jeugdwet en Participatiewet betalen niet samen",
            "{jongere_kort} wil werken, maar budgetten voor jeugdhulp en re-integratie zijn gescheiden",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) heeft autisme en krijgt al jaren begeleiding via de Jeugdwet. Na de "
             "praktijkschool wil [CLIENT] graag werken in een magazijn. Er is een werkgever die een "
             "proefplek aanbiedt, mits er een jobcoach meekomt. De vertrouwde begeleider zou dat kunnen "
             "doen, maar werkt voor een jeugdhulpaanbieder."),
            ("[CLIENT] ({leeftijd}) woont in een gezinshuis en volgt een entreeopleiding. De stage in een "
             "keuken loopt goed; de chef wil [CLIENT] na de zomer in dienst nemen met loonkostensubsidie. "
             "Daarvoor is een jobcoach nodig. [CLIENT] heeft veel moeite met nieuwe mensen en wil alleen "
             "verder met de eigen begeleider."),
        ),
        developments=(
            ("De jobcoach moet volgens de gemeente uit het re-integratiebudget van de Participatiewet "
             "komen, en daarvoor zijn alleen gecontracteerde re-integratiebedrijven toegestaan. De "
             "jeugdhulpaanbieder mag de begeleiding op het werk niet declareren, omdat dat 'geen "
             "jeugdhulp' is. De twee budgetten zijn strikt gescheiden, ook al komt het geld uit dezelfde "
             "gemeentekas."),
            ("De wijkcoach legde de vraag voor aan werk en inkomen en aan de jeugdconsulent. Beide vonden "
             "de combinatie logisch, maar geen van beiden kon het betalen zonder de ander. Een "
             "maatwerkoplossing moest langs de beleidsmedewerkers van twee afdelingen. Het duurde {weken} "
             "weken voordat er een besluit lag; intussen twijfelde de werkgever."),
        ),
        closings=(
            ("De werkgever heeft de plek uiteindelijk aan iemand anders gegeven. [CLIENT] was "
             "teleurgesteld en zat weken thuis. Het team wil een ontschot budget voor jongeren tussen 16 "
             "en 27 op de agenda zetten."),
            ("Na tussenkomst van de teamleider is een maatwerkafspraak gemaakt: de begeleider mag drie "
             "maanden als jobcoach werken, betaald uit het jeugdbudget. De afspraak geldt alleen voor "
             "deze jongere."),
        ),
        domains=(
            DomainTemplate("werk & opleiding", (2, 2), (3, 4)),
            DomainTemplate("tijdsbesteding", (2, 3), (3, 4)),
            DomainTemplate("financiën", (2, 3), (3, 3), addressed=0.4),
            DomainTemplate("maatschappelijke participatie", (2, 2), (3, 3), addressed=0.6),
        ),
        support_questions=(
            "Ik wil werken met mijn eigen begeleider erbij.",
        ),
        support_plans=(
            ("Vertrouwde begeleider als jobcoach tijdens de proefplaatsing, daarna overdracht naar een "
             "reguliere jobcoach; loonkostensubsidie aanvragen."),
        ),
        plan_items=(
            "Proefplaatsing bij werkgever",
            "Jobcoaching door vertrouwde begeleider",
            "Aanvraag loonkostensubsidie",
            "Overdracht naar reguliere jobcoach na drie maanden",
        ),
        decisions=(
            DecisionTemplate("Maatwerk: jobcoaching uit jeugdbudget", "teamleider", (14, 63)),
            DecisionTemplate("Loonkostensubsidie", "consulent werk en inkomen", (21, 42), with_mandate=True),
        ),
        actions=(
            ActionTemplate("Werkplekbezoek met werkgever", COACH, 7),
            ActionTemplate("Jobcoaching starten", PROVIDER, 21),
            ActionTemplate("Voorstel ontschot budget 16-27 jaar", MANAGER, 90),
        ),
        outcomes=(
            "[CLIENT] werkt 24 uur per week met loonkostensubsidie; de jobcoaching is afgebouwd.",
            "De werkplek ging verloren; nieuw traject via werk en inkomen loopt.",
        ),
        feedback=(
            FeedbackTemplate("Plaatsing is geslaagd; de werkgever is tevreden.", True),
            FeedbackTemplate("Te lang gewacht op het besluit; de jongere is afgehaakt.", False),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Jeugdwet / Participatiewet art. 7: gescheiden budgetten", "Jobcoaching "
                    "alleen uit het re-integratiebudget via "
                    "gecontracteerde partijen", LOCAL, BottleneckKind.schotten_budget,
                "De begeleider die de jongere vertrouwt mocht niet meegaan naar het werk.", (21, 63),
                ("Teamleider nam een maatwerkbesluit voor één jongere.", ""),
            ),
        ),
        slots={
            "leeftijd": ("17", "18", "19", "20"),
            "jongere_kort": ("Jongere met autisme", "Jongen uit gezinshuis", "Praktijkschoolverlater"),
            "weken": ("vijf", "acht", "negen"),
        },
    ),
    Situation(
        code="S16",
        titles=(
            "Noodbudget pas ingezet als laatste redmiddel",
            "Acute geldnood bij {gezin_kort}: noodbudget vraagt drie handtekeningen",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) belde het wijkteam op vrijdagmiddag: de koelkast is leeg, het gas "
             "wordt maandag afgesloten en de uitkering komt pas over {dagen} dagen. Er wonen {kinderen} "
             "in huis. De wijkcoach kent [CLIENT] al van eerdere begeleiding bij schulden; de afsluiting "
             "is het gevolg van een fout bij de automatische incasso."),
            ("Tijdens een huisbezoek bleek dat [CLIENT] ({leeftijd}) al een week geen geld meer had voor "
             "eten. Door een beslaglegging op het loon bleef er minder over dan de beslagvrije voet. Met "
             "{kinderen} in huis was de situatie acuut. Een bijzondere bijstandsaanvraag zou weken duren."),
        ),
        developments=(
            ("Het wijkteam heeft een noodbudget om in zulke situaties direct te helpen, maar de "
             "werkinstructie vraagt een handtekening van de teamleider, een controle door de financieel "
             "administratief medewerker en een verklaring dat alle voorliggende voorzieningen zijn "
             "geprobeerd. De teamleider was op vrijdagmiddag niet bereikbaar. Het geld kon pas na "
             "{dagen_budget} dagen worden overgemaakt."),
            ("Volgens de regels moet eerst worden geprobeerd of de voedselbank, een kerk of familie kan "
             "helpen. De wijkcoach regelde een voedselpakket, maar de afsluiting ging daarmee niet van "
             "tafel. Het noodbudget werd aangevraagd en goedgekeurd na {dagen_budget} dagen, nadat de "
             "energie al was afgesloten. Heraansluiten kostte extra."),
        ),
        closings=(
            ("In het team wordt het noodbudget 'het potje dat niemand durft te gebruiken' genoemd. "
             "Coaches vinden de verantwoording zwaar en zijn bang voor fouten. Het team vraagt om een "
             "eigen mandaat tot een vast bedrag per casus."),
            ("De teamleider erkende in het overleg dat de procedure bedoeld was voor uitzonderingen, maar "
             "dat het juist vaak om spoed gaat. Er wordt nu een proef gedaan met een mandaat voor "
             "wijkcoaches tot € 500."),
        ),
        domains=(
            DomainTemplate("financiën", (1, 1), (2, 3)),
            DomainTemplate("huisvesting", (2, 3), (3, 3), addressed=0.5),
            DomainTemplate("opvoeding", (3, 3), (3, 3), addressed=0.2),
        ),
        support_questions=(
            "Eten in huis en de energie aanhouden tot de uitkering komt.",
        ),
        support_plans=(
            ("Direct noodbudget voor energie en boodschappen; daarna de oorzaak aanpakken: beslagvrije "
             "voet laten herberekenen en incasso's herstellen."),
        ),
        plan_items=(
            "Noodbudget voor energie en boodschappen",
            "Beslagvrije voet laten herberekenen",
            "Incasso's herstellen met de bank",
            "Doorverwijzing schuldhulpverlening",
        ),
        decisions=(
            DecisionTemplate("Noodbudget € 250 tot € 600", "teamleider", (1, 7)),
        ),
        actions=(
            ActionTemplate("Energieleverancier bellen voor uitstel afsluiting", COACH, 1),
            ActionTemplate("Herberekening beslagvrije voet bij deurwaarder", COACH, 10),
            ActionTemplate("Mandaat noodbudget voor wijkcoaches uitwerken", MANAGER, 60),
        ),
        outcomes=(
            "Afsluiting voorkomen; beslagvrije voet gecorrigeerd.",
            "Energie was twee dagen afgesloten; na het noodbudget heraangesloten. Schuldhulp loopt.",
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Werkinstructie noodbudget wijkteams", "Handtekening "
                    "teamleider, controle administratie en bewijs dat "
                    "voorliggende voorzieningen zijn geprobeerd", INTERNAL, BottleneckKind.mandaat,
                "Het noodbudget kwam te laat om afsluiting te voorkomen.", (1, 7),
                ("Wijkcoach regelde zelf uitstel bij de energieleverancier.",
                 "Voedselpakket via de kerk als overbrugging.", ""),
            ),
        ),
        slots={
            "leeftijd": ("26", "35", "42", "50"),
            "dagen": ("vijf", "zes", "negen"),
            "kinderen": ("twee kinderen", "drie kinderen", "een baby"),
            "gezin_kort": ("gezin met baby", "alleenstaande ouder", "gezin met drie kinderen"),
            "dagen_budget": ("drie", "vier", "zes"),
        },
    ),
    Situation(
        code="S17",
        titles=(
            "Kostendelersnorm: opvang van volwassen kind kost ouder een deel van de uitkering",
            "{huisgenoot_kort} trekt in; bijstand van de hoofdbewoner gaat omlaag",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) leeft van een bijstandsuitkering en woont alleen. Toen [ZOON] "
             "({leeftijd_kind}) na {aanleiding} nergens anders terechtkon, nam [CLIENT] hem in huis. Na "
             "de inschrijving op het adres paste de gemeente de kostendelersnorm toe: de uitkering daalde "
             "met ongeveer € {bedrag} per maand. [ZOON] heeft zelf geen inkomen en kan niets bijdragen."),
            ("[CLIENT] ({leeftijd}) heeft bijstand en vangt [DOCHTER] ({leeftijd_kind}) op, die na "
             "{aanleiding} dakloos dreigde te raken. Sinds [DOCHTER] op het adres staat ingeschreven, "
             "wordt de uitkering van [CLIENT] als kostendeler berekend. Er is € {bedrag} per maand "
             "minder, terwijl [DOCHTER] nog geen eigen uitkering heeft."),
        ),
        developments=(
            ("De wijkcoach hielp het kind met een eigen uitkeringsaanvraag, maar daar ging de wettelijke "
             "zoekperiode van vier weken aan vooraf. [CLIENT] kon de huur niet meer betalen en overwoog "
             "het kind weer op straat te zetten. Afwijken van de kostendelersnorm kan volgens de wet "
             "alleen in zeer uitzonderlijke situaties, en het lokale beleid noemt geen voorbeelden."),
            ("In het casusoverleg zei de consulent werk en inkomen dat de norm 'nu eenmaal landelijk is'. "
             "De wijkcoach wees erop dat de gemeente tegelijk investeert in het voorkomen van dakloosheid "
             "onder jongeren. Een verzoek om tijdelijk maatwerk moest met een uitgebreide onderbouwing "
             "naar de jurist, die er {weken} weken over deed."),
        ),
        closings=(
            ("Het team ziet dit vaker: de norm bestraft juist de ouders die hun kind opvangen. Management "
             "wil weten hoe vaak dit voorkomt om het bij de wethouder te kunnen agenderen."),
            ("De jurist stond uiteindelijk drie maanden afwijking toe. De wijkcoach vraagt of dit niet "
             "standaard kan voor opvang van een kind dat anders dakloos wordt."),
        ),
        domains=(
            DomainTemplate("financiën", (1, 2), (2, 3)),
            DomainTemplate("huisvesting", (2, 3), (3, 3)),
            DomainTemplate("huiselijke relaties", (2, 3), (3, 3), addressed=0.5),
            DomainTemplate("werk & opleiding", (1, 2), (2, 3), addressed=0.4),
        ),
        support_questions=(
            "Ik wil mijn kind onderdak geven zonder zelf in de problemen te komen.",
        ),
        support_plans=(
            ("Tijdelijk afwijken van de kostendelersnorm, het kind helpen met een eigen uitkering en een "
             "perspectief op eigen woonruimte."),
        ),
        plan_items=(
            "Verzoek tijdelijk maatwerk kostendelersnorm",
            "Eigen uitkeringsaanvraag voor het kind",
            "Inschrijving woningzoekende en urgentie onderzoeken",
            "Afspraken thuis over bijdragen en huisregels",
        ),
        decisions=(
            DecisionTemplate("Tijdelijke afwijking kostendelersnorm", "jurist backoffice", (21, 56)),
            DecisionTemplate("Uitkering Participatiewet voor het kind", "consulent werk en inkomen", (28, 56),
                             with_mandate=True),
        ),
        actions=(
            ActionTemplate("Onderbouwing maatwerk opstellen", COACH, 7),
            ActionTemplate("Overzicht van opvangsituaties met kostendelersnorm maken", MANAGER, 60),
        ),
        outcomes=(
            "Drie maanden maatwerk toegekend; het kind heeft inmiddels een eigen uitkering en een kamer.",
            "Verzoek afgewezen; het kind verblijft nu in de jongerenopvang.",
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Participatiewet art. 22a (kostendelersnorm)", "Uitkering "
                    "wordt verlaagd bij een inwonende "
                    "meerderjarige, ook als die niets "
                    "bijdraagt", NATIONAL, BottleneckKind.tegenstrijdige_regels,
                "De norm werkt het voorkomen van dakloosheid tegen.", (21, 56),
                ("Tijdelijk maatwerk op grond van art. 18 lid 1.", ""),
            ),
        ),
        slots={
            "leeftijd": ("49", "53", "58", "61"),
            "leeftijd_kind": ("19", "21", "23", "26"),
            "aanleiding": ("een verbroken relatie", "ontslag uit een jeugdinstelling", "een huisuitzetting"),
            "huisgenoot_kort": ("Volwassen zoon", "Volwassen dochter", "Meerderjarig kind"),
            "bedrag": ("350", "410", "460"),
            "weken": ("vijf", "zes", "acht"),
        },
    ),
    Situation(
        code="S18",
        titles=(
            "Bijstand afgewezen door vermogen in auto of woning; geen geld voor boodschappen",
            "Vermogenstoets blokkeert bijstand voor {client_kort} zonder inkomen",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) verloor na een reorganisatie het werk en heeft geen recht meer op WW. "
             "[CLIENT] woont in een koopwoning met een overwaarde van ongeveer € {vermogen}, maar heeft "
             "geen spaargeld. De bijstandsaanvraag werd afgewezen, omdat het vermogen in de woning boven "
             "de grens ligt. Geld lenen tegen de woning lukt niet zonder inkomen."),
            ("[CLIENT] ({leeftijd}) heeft een bestelbus ter waarde van € {vermogen} van een beëindigd "
             "klusbedrijf. Na de sluiting van het bedrijf is er geen inkomen. De bijstandsaanvraag werd "
             "afgewezen vanwege vermogen: de bus moet eerst worden verkocht. Die staat al maanden te "
             "koop, zonder serieuze bieders."),
        ),
        developments=(
            ("De gemeente kan bijstand verlenen in de vorm van een geldlening met een hypotheek als "
             "zekerheid, maar die regeling kent een lange procedure met taxatie en notaris. Intussen "
             "leefde [CLIENT] van geleend geld van familie. De wijkcoach hielp met de aanvraag, maar de "
             "taxatie werd pas na {weken} weken ingepland."),
            ("De wijkcoach vroeg een voorschot aan, maar dat kon volgens de werkinstructie niet zolang "
             "het vermogen 'direct te gelde te maken' is. [CLIENT] heeft intussen een huurachterstand en "
             "een achterstand bij de zorgverzekering. In het casusoverleg werd besproken dat de regel "
             "bedoeld is om eigen middelen eerst te gebruiken, maar dat die middelen er in werkelijkheid "
             "niet zijn."),
        ),
        closings=(
            ("Uiteindelijk werd bijstand als lening toegekend. [CLIENT] zegt dat de maanden zonder geld "
             "meer schade hebben gedaan dan de lening oplost: er liggen nu schulden die er eerst niet "
             "waren."),
            ("De teamleider wil een werkafspraak: bij vermogen dat niet direct beschikbaar is, een "
             "voorschot en een lening tegelijk. De casus wordt ingebracht bij beleid."),
        ),
        domains=(
            DomainTemplate("financiën", (1, 2), (2, 3)),
            DomainTemplate("werk & opleiding", (1, 2), (2, 3), addressed=0.5),
            DomainTemplate("geestelijke gezondheid", (2, 3), (3, 3), addressed=0.3),
            DomainTemplate("huisvesting", (2, 3), (3, 3), addressed=0.6),
        ),
        support_questions=(
            "Ik heb geld nodig om van te leven tot de bus verkocht is of ik weer werk heb.",
            "Hoe kom ik aan inkomen zonder mijn huis te verliezen?",
        ),
        support_plans=(
            "Bijstand als lening met zekerheid, voorschot in de tussentijd en begeleiding naar werk.",
        ),
        plan_items=(
            "Aanvraag bijstand in de vorm van een geldlening",
            "Verzoek om voorschot",
            "Verkoop van het vermogensbestanddeel begeleiden",
            "Begeleiding naar werk",
        ),
        decisions=(
            DecisionTemplate("Bijstand als geldlening (art. 50 Participatiewet)", "jurist backoffice",
                             (35, 84)),
            DecisionTemplate("Voorschot levensonderhoud", "consulent werk en inkomen", (7, 28)),
        ),
        actions=(
            ActionTemplate("Taxatie en notaris regelen", COACH, 14),
            ActionTemplate("Werkafspraak voorschot bij niet-liquide vermogen", MANAGER, 60),
        ),
        outcomes=(
            "Bijstand als lening toegekend; [CLIENT] heeft na vier maanden weer werk gevonden.",
            "De bus is verkocht; [CLIENT] leeft van het vermogen tot de bijstandsgrens is bereikt.",
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Participatiewet art. 34 (vermogenstoets)", "Geen "
                    "bijstand als het vermogen boven de grens "
                    "ligt, ook als het niet direct beschikbaar "
                    "is", NATIONAL, BottleneckKind.toegangscriteria,
                "Het vermogen bestond op papier, niet in de portemonnee.", (35, 84),
                ("Familie leende geld als overbrugging.", ""),
            ),
            BottleneckTemplate(
                "Werkinstructie voorschotten", "Geen voorschot bij vermogen dat te gelde kan worden gemaakt",
                INTERNAL, BottleneckKind.administratieve_last,
                "Een voorschot had nieuwe schulden voorkomen.", (7, 28),
                ("",),
            ),
        ),
        slots={
            "leeftijd": ("46", "52", "57", "61"),
            "vermogen": ("18.000", "24.000", "41.000", "65.000"),
            "client_kort": ("oud-ondernemer", "alleenstaande", "huiseigenaar"),
            "weken": ("zes", "acht", "elf"),
        },
    ),
    Situation(
        code="S19",
        titles=(
            "Beschermingsbewind: kosten bewindvoering wachten op bijzondere bijstand",
            "{client_kort} onder bewind; bewindvoerder stopt wegens onbetaalde kosten",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) heeft al jaren problematische schulden en staat sinds {maanden} "
             "maanden onder beschermingsbewind. [BEWINDVOERDER] regelt de vaste lasten, maar de kosten "
             "van het bewind worden vergoed via bijzondere bijstand. Die aanvraag ligt al maanden bij de "
             "gemeente, en [BEWINDVOERDER] dreigt het bewind neer te leggen."),
            ("Na een periode van ernstige depressie vroeg [CLIENT] ({leeftijd}) zelf om "
             "beschermingsbewind. De kantonrechter stemde in. Voor de kosten is bijzondere bijstand "
             "aangevraagd, maar de gemeente vraagt eerst een volledig overzicht van inkomsten en uitgaven "
             "van het afgelopen jaar, dat [CLIENT] niet heeft."),
        ),
        developments=(
            ("Sinds een beleidswijziging betaalt de gemeente alleen nog het deel van de kosten dat niet "
             "uit eigen middelen kan. Dat betekent een nieuwe toets per jaar, met nieuwe stukken. De "
             "aanvraag bleef {weken} weken liggen. In die tijd werd de huur niet betaald, omdat de "
             "bewindvoerder zonder zekerheid over betaling de werkzaamheden beperkte."),
            ("De wijkcoach ontdekte dat de gemeente ook een eigen budgetbeheer aanbiedt, goedkoper dan "
             "bewind. Maar overstappen kan alleen als de kantonrechter het bewind opheft, en dat vraagt "
             "een nieuwe procedure. Intussen moest de bijzondere bijstand worden verlengd, met dezelfde "
             "stapel stukken als het jaar ervoor."),
        ),
        closings=(
            ("In het overleg zei de bewindvoerder dat zij een derde van haar tijd kwijt is aan "
             "verantwoording naar de gemeente. Het team wil bespreken of de gemeente de kosten niet "
             "direct aan de bewindvoerder kan betalen."),
            ("Na een gesprek tussen teamleider en afdeling bijzondere bijstand werd de aanvraag met "
             "voorrang afgehandeld. Het team pleit voor een meerjarige toekenning bij blijvende "
             "situaties."),
        ),
        domains=(
            DomainTemplate("financiën", (1, 2), (2, 3)),
            DomainTemplate("huisvesting", (2, 3), (3, 4), addressed=0.5),
            DomainTemplate("geestelijke gezondheid", (2, 3), (3, 3), addressed=0.3),
        ),
        support_questions=(
            "Ik wil dat het bewind doorloopt zodat mijn huur en rekeningen betaald worden.",
        ),
        support_plans=(
            ("Bijzondere bijstand voor bewindkosten met voorrang afhandelen, meerjarige toekenning "
             "bepleiten en op termijn overstap naar gemeentelijk budgetbeheer onderzoeken."),
        ),
        plan_items=(
            "Stukken voor bijzondere bijstand verzamelen met bewindvoerder",
            "Huurachterstand regelen met verhuurder",
            "Meerjarige toekenning aanvragen",
            "Overstap naar gemeentelijk budgetbeheer onderzoeken",
        ),
        decisions=(
            DecisionTemplate("Bijzondere bijstand kosten beschermingsbewind", "jurist backoffice", (42, 100)),
        ),
        actions=(
            ActionTemplate("Stukken aanleveren bij gemeente", PARTNER, 14),
            ActionTemplate("Voorstel directe betaling aan bewindvoerders", MANAGER, 90),
        ),
        outcomes=(
            "Bijzondere bijstand toegekend voor drie jaar; het bewind loopt weer normaal.",
            "Bewind opgeheven en overgestapt naar gemeentelijk budgetbeheer.",
        ),
        feedback=(
            FeedbackTemplate("Kosten nu gedekt; vaste lasten worden weer op tijd betaald.", True),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Beleidsregels bijzondere bijstand: kosten beschermingsbewind", "Jaarlijkse "
                    "toets met volledig overzicht van "
                    "inkomsten en uitgaven", LOCAL, BottleneckKind.administratieve_last,
                "Elk jaar dezelfde stapel stukken voor een situatie die niet verandert.", (42, 100),
                ("Teamleider regelde voorrang bij de afdeling.", ""),
            ),
        ),
        slots={
            "leeftijd": ("37", "45", "59", "66"),
            "maanden": ("zes", "tien", "veertien"),
            "client_kort": ("Alleenstaande", "Oudere", "Cliënt met depressie"),
            "weken": ("tien", "twaalf", "vijftien"),
        },
        with_partner=True,
    ),
    Situation(
        code="S20",
        titles=(
            "Schuldhulp geweigerd wegens fraudeschuld; WSNP buiten bereik",
            "Toegang schuldhulpverlening en WSNP geblokkeerd voor {client_kort}",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) heeft schulden van ongeveer € {schuld} bij {aantal} schuldeisers. Een "
             "deel is een terugvordering van bijstand, omdat [CLIENT] jaren geleden inkomsten uit kleine "
             "klussen niet had gemeld. Schuldhulpverlening weigerde de aanmelding: een fraudevordering is "
             "een weigeringsgrond volgens het gemeentelijk beleid."),
            ("[CLIENT] ({leeftijd}) heeft € {schuld} schuld bij {aantal} schuldeisers en wil een schone "
             "lei. Een minnelijk traject mislukte eerder, omdat [CLIENT] een nieuwe schuld maakte bij een "
             "telefoonabonnement. De WSNP-aanvraag werd afgewezen: in de vijf jaar ervoor was al eens een "
             "traject gestart, en de goede trouw kon niet worden aangetoond."),
        ),
        developments=(
            ("Volgens de Wet gemeentelijke schuldhulpverlening moet de gemeente maatwerk leveren en mag "
             "weigeren niet automatisch. Het lokale beleid kent echter vaste weigeringsgronden, zoals "
             "fraudeschulden en een eerder traject binnen vijf jaar. De wijkcoach vroeg om een "
             "heroverweging, waarna de consulent {weken} weken deed over een besluit."),
            ("De wijkcoach probeerde een stabilisatietraject, zodat er geen nieuwe schulden ontstaan. "
             "Schuldeisers bleven beslag leggen, waardoor [CLIENT] onder de beslagvrije voet terechtkwam. "
             "Zonder toegang tot een regeling blijft [CLIENT] jarenlang in de schulden, met alle gevolgen "
             "voor gezondheid en werk."),
        ),
        closings=(
            ("In het overleg werd benoemd dat de uitsluitingsgrond in het beleid strenger is dan de wet. "
             "Management vraagt om een telling hoe vaak deze weigering voorkomt."),
            ("De heroverweging viel positief uit: [CLIENT] mag een stabilisatietraject volgen met de "
             "afspraak dat na een jaar opnieuw naar toelating wordt gekeken."),
        ),
        domains=(
            DomainTemplate("financiën", (1, 1), (1, 3)),
            DomainTemplate("geestelijke gezondheid", (2, 3), (2, 3), addressed=0.4),
            DomainTemplate("werk & opleiding", (2, 3), (2, 3), addressed=0.3),
            DomainTemplate("justitie", (3, 3), (3, 4), addressed=0.2),
        ),
        support_questions=(
            "Ik wil een regeling zodat ik ooit van mijn schulden af ben.",
        ),
        support_plans=(
            ("Heroverweging toegang schuldhulp, stabilisatie met budgetbeheer en een nieuwe aanvraag na "
             "een jaar zonder nieuwe schulden."),
        ),
        plan_items=(
            "Verzoek heroverweging toelating schuldhulp",
            "Stabilisatietraject met budgetbeheer",
            "Beslagvrije voet laten controleren",
            "Na een jaar opnieuw aanmelden",
        ),
        decisions=(
            DecisionTemplate("Toelating schuldhulpverlening na heroverweging", "teamleider schuldhulp",
                             (14, 45)),
            DecisionTemplate("Toelating WSNP", "rechtbank", (42, 90)),
        ),
        actions=(
            ActionTemplate("Schuldenoverzicht actualiseren", COACH, 14),
            ActionTemplate("Beslagleggers aanschrijven over beslagvrije voet", PARTNER, 21),
            ActionTemplate("Weigeringsgronden beleidsregels laten toetsen aan de wet", MANAGER, 90),
        ),
        outcomes=(
            "Toegelaten tot een stabilisatietraject; geen nieuwe schulden in zes maanden.",
            "Heroverweging afgewezen; budgetbeheer loopt wel.",
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Beleidsregels schuldhulpverlening / Wgs art. 3", "Fraudevorderingen "
                    "en een eerder traject binnen vijf jaar zijn "
                    "weigeringsgronden", LOCAL, BottleneckKind.toegangscriteria,
                "Het lokale beleid sluit mensen uit die de wet niet uitsluit.", (14, 45),
                ("Stabilisatietraject buiten de regeling om.", ""),
            ),
            BottleneckTemplate(
                "Faillissementswet art. 288 (WSNP)", "Geen "
                    "toelating zonder aantoonbare goede trouw "
                    "over vijf jaar", NATIONAL, BottleneckKind.toegangscriteria,
                "De schone lei blijft buiten bereik.", (42, 90),
                ("",),
            ),
        ),
        slots={
            "leeftijd": ("29", "38", "44", "55"),
            "schuld": ("23.000", "31.000", "46.000"),
            "aantal": ("elf", "veertien", "negentien"),
            "client_kort": ("alleenstaande man", "vrouw met schulden", "ex-ondernemer"),
            "weken": ("vier", "zes", "acht"),
        },
        with_partner=True,
    ),
    Situation(
        code="S21",
        titles=(
            "Zzp'er moet Tozo terugbetalen na definitieve vaststelling",
            "Tozo-terugvordering bij {beroep_kort}; bewijsstukken van jaren terug gevraagd",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) werkt als zelfstandig {beroep} en kreeg tijdens de coronaperiode "
             "Tozo-ondersteuning. Bij de definitieve vaststelling bleek het inkomen van [PARTNER] hoger "
             "dan toen ingeschat. De gemeente vordert € {schuld} terug. [CLIENT] heeft inmiddels weer "
             "opdrachten, maar de marges zijn klein."),
            ("[CLIENT] ({leeftijd}) kreeg een brief dat de Tozo-uitkering van jaren geleden definitief "
             "wordt vastgesteld. De gemeente vraagt jaarcijfers, bankafschriften en de aangiften "
             "inkomstenbelasting van die periode. [CLIENT] werkte als {beroep} en heeft veel "
             "administratie niet meer. Zonder stukken volgt een volledige terugvordering van € {schuld}."),
        ),
        developments=(
            ("De wijkcoach hielp [CLIENT] met het verzamelen van stukken en het aanvragen van een "
             "betalingsregeling. De standaardtermijn is 36 maanden; een langere termijn of kwijtschelding "
             "kan alleen na een beslissing van de jurist. De aanvraag lag {weken} weken, terwijl de "
             "eerste aflossing al werd geïnd."),
            ("De boekhouder van toen bleek gestopt; de wijkcoach vond via de Kamer van Koophandel een "
             "vrijwillige ondernemerscoach die de cijfers reconstrueerde. De gemeente accepteerde de "
             "reconstructie niet direct en vroeg aanvullende verklaringen. Het dossier ging {weken} weken "
             "heen en weer."),
        ),
        closings=(
            ("[CLIENT] voelt zich achteraf gestraft voor het aannemen van hulp die de overheid zelf "
             "aanbood. In het casusoverleg vroeg de teamleider of de gemeente de bewijslast kan "
             "verlichten voor kleine bedragen."),
            ("Uiteindelijk werd een betalingsregeling over vijf jaar toegestaan. De wijkcoach merkt op "
             "dat veel zzp'ers in de wijk dezelfde brief krijgen en niet allemaal hulp zoeken."),
        ),
        domains=(
            DomainTemplate("financiën", (2, 2), (2, 3)),
            DomainTemplate("werk & opleiding", (3, 3), (3, 4), addressed=0.4),
            DomainTemplate("geestelijke gezondheid", (2, 3), (3, 3), addressed=0.3),
        ),
        support_questions=(
            "Een betaalbare regeling voor de terugvordering, zodat ik mijn bedrijf kan houden.",
        ),
        support_plans=(
            ("Stukken reconstrueren, betalingsregeling naar draagkracht aanvragen en het bedrijf gezond "
             "houden met een ondernemerscoach."),
        ),
        plan_items=(
            "Bewijsstukken verzamelen of reconstrueren",
            "Verzoek betalingsregeling naar draagkracht",
            "Ondernemerscoach voor de lopende administratie",
        ),
        decisions=(
            DecisionTemplate("Betalingsregeling terugvordering Tozo", "jurist backoffice", (28, 70)),
        ),
        actions=(
            ActionTemplate("Reconstructie van de cijfers met ondernemerscoach", PARTNER, 21),
            ActionTemplate("Aflossing opschorten tot besluit betalingsregeling", MANAGER, 14),
        ),
        outcomes=(
            "Betalingsregeling over vijf jaar; het bedrijf blijft draaien.",
            "Terugvordering na reconstructie gehalveerd; restant in een regeling.",
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Besluit Tozo / Participatiewet art. 58 en 60", "Bij onvoldoende bewijsstukken "
                    "volledige terugvordering; standaard betalingstermijn 36 maanden", NATIONAL,
                BottleneckKind.administratieve_last,
                "Stukken van jaren geleden waren niet meer te krijgen.", (28, 70),
                ("Vrijwillige ondernemerscoach reconstrueerde de cijfers.", ""),
            ),
            BottleneckTemplate(
                "Mandaatregeling invordering", "Afwijken van de standaardtermijn alleen door de jurist",
                LOCAL, BottleneckKind.mandaat,
                "Aflossing liep al terwijl het verzoek nog op een besluit wachtte.", (14, 42),
                ("",),
            ),
        ),
        slots={
            "leeftijd": ("34", "41", "48", "56"),
            "beroep": ("fotograaf", "stukadoor", "schoonheidsspecialist", "muziekdocent", "koerier"),
            "beroep_kort": ("zzp'er", "kleine zelfstandige", "ondernemer"),
            "schuld": ("4.300", "7.900", "12.600"),
            "weken": ("zes", "acht", "tien"),
        },
        with_partner=True,
    ),
    Situation(
        code="S22",
        titles=(
            "Overbelaste mantelzorger: respijtzorg valt tussen Wmo en Zvw",
            "Mantelzorger van {zorgvrager_kort} raakt uitgeput; logeeropvang niet te regelen",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) zorgt al {jaren} jaar voor [PARTNER], die na een hersenbloeding "
             "halfzijdig verlamd is. Er is dagelijks wijkverpleging en één dag dagbesteding. Verder doet "
             "[CLIENT] alles: tillen, wassen, de nachten. [CLIENT] heeft zelf rugklachten en slaapt "
             "slecht; bij de huisarts viel de zin 'ik kan niet meer'."),
            ("[CLIENT] ({leeftijd}) is mantelzorger voor [MOEDER], die {aandoening} heeft en bij [CLIENT] "
             "in huis woont. Naast een baan van {uren} uur is [CLIENT] elke avond en elk weekend bezig "
             "met de zorg. De werkgever signaleerde verzuim en verwees naar het wijkteam."),
        ),
        developments=(
            ("De wijkcoach vroeg logeeropvang aan, zodat [CLIENT] eens per maand een weekend kan "
             "bijkomen. De Wmo-consulent wees naar de zorgverzekeraar, omdat er verpleegkundige zorg "
             "nodig is. De zorgverzekeraar wees terug naar de Wmo, omdat het om ontlasting van de "
             "mantelzorger gaat. Na {weken} weken was er nog geen plek."),
            ("Respijtzorg via een vrijwillige thuisoppas kon wel, maar alleen voor een paar uur per week. "
             "Voor een logeerweekend was een indicatie nodig, die volgens de Wmo-consulent alleen bij "
             "'aantoonbare overbelasting' wordt gegeven. De mantelzorgtoets moest eerst worden afgenomen "
             "en besproken in een teamoverleg van de Wmo-consulenten, dat eens per maand is."),
        ),
        closings=(
            ("In het casusoverleg was de vraag: moet de mantelzorger eerst omvallen voordat er hulp komt? "
             "De teamleider wil met de zorgverzekeraar een afspraak maken over wie logeeropvang betaalt."),
            ("Na een gezamenlijk gesprek met zorgverzekeraar en gemeente is logeeropvang voor zes maanden "
             "toegekend uit de Wmo, als pilot. [CLIENT] zegt weer lucht te krijgen."),
        ),
        domains=(
            DomainTemplate("lichamelijke gezondheid", (2, 3), (3, 3), addressed=0.5),
            DomainTemplate("geestelijke gezondheid", (2, 2), (3, 3)),
            DomainTemplate("sociaal netwerk", (2, 3), (3, 4)),
            DomainTemplate("werk & opleiding", (2, 3), (3, 3), addressed=0.4),
            DomainTemplate("financiën", (3, 4), (3, 4), addressed=0.1),
        ),
        support_questions=(
            "Ik wil voor mijn naaste blijven zorgen, maar ik heb af en toe rust nodig.",
        ),
        support_plans=(
            ("Logeeropvang één weekend per maand, vrijwillige thuisoppas en een mantelzorgconsulent; "
             "afspraken met de werkgever over flexibele uren."),
        ),
        plan_items=(
            "Aanvraag logeeropvang",
            "Vrijwillige thuisoppas",
            "Gesprek met mantelzorgconsulent",
            "Afspraken met werkgever",
        ),
        decisions=(
            DecisionTemplate("Logeeropvang respijtzorg", "Wmo-consulent", (28, 70)),
        ),
        actions=(
            ActionTemplate("Mantelzorgtoets afnemen", COACH, 7),
            ActionTemplate("Start vrijwillige thuisoppas", PROVIDER, 14),
            ActionTemplate("Afspraak zorgverzekeraar over logeeropvang", MANAGER, 60),
        ),
        outcomes=(
            "Logeeropvang loopt; de mantelzorger heeft weer ruimte en verzuimt niet meer.",
            "Zorgvrager is opgenomen in een verpleeghuis nadat de mantelzorger uitviel.",
        ),
        feedback=(
            FeedbackTemplate("Thuisoppas wordt gewaardeerd; de mantelzorger heeft weer een vrije "
                             "middag.", True),
            FeedbackTemplate("Oppas kwam te laat; de mantelzorger was al uitgevallen.", False),
        ),
        bottlenecks=(
            BottleneckTemplate(
                "Wmo 2015 art. 2.3.2 / Zvw: eerstelijnsverblijf", "Logeeropvang "
                    "met verpleging valt onder de Zvw, respijt "
                    "voor de mantelzorger onder de Wmo", NATIONAL, BottleneckKind.schotten_budget,
                "Beide financiers wezen naar elkaar.", (28, 70),
                ("Gezamenlijk gesprek met zorgverzekeraar en gemeente.", ""),
            ),
        ),
        slots={
            "leeftijd": ("58", "63", "71", "76"),
            "jaren": ("drie", "vijf", "zeven"),
            "aandoening": ("dementie", "COPD", "een spierziekte"),
            "uren": ("24", "32", "36"),
            "zorgvrager_kort": ("partner", "moeder", "partner na beroerte"),
            "weken": ("zes", "negen", "twaalf"),
        },
    ),
    Situation(
        code="S23",
        titles=(
            "Ouders in scheiding willen opvoedsteun; samenwerking met school loopt goed",
            "Opvoedvragen na scheiding bij {gezin_kort}",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) en [PARTNER] zijn een half jaar uit elkaar. De kinderen, {kinderen}, "
             "wonen om de week bij de ene en de andere ouder. [KIND-1] is sinds de scheiding boos en "
             "opstandig, vooral bij de wisselmomenten. Beide ouders willen hulp en vroegen zelf een "
             "gesprek aan bij het wijkteam."),
            ("De intern begeleider van de basisschool nam contact op: [KIND-1] is stil en teruggetrokken "
             "sinds de ouders gingen scheiden. [CLIENT] ({leeftijd}) herkende het beeld en wilde graag "
             "meedenken. Het gezin bestaat uit {kinderen}; de ouders hebben onderling redelijk contact."),
        ),
        developments=(
            ("De wijkcoach voerde een paar gesprekken met beide ouders samen en met de kinderen apart. De "
             "ouders maakten afspraken over vaste regels in beide huizen en een overdrachtsschriftje. Via "
             "het wijkteam konden de kinderen meedoen met een groep voor kinderen van gescheiden ouders."),
            ("Samen met de school werd een plan gemaakt: een vast aanspreekpunt voor [KIND-1], een "
             "kindgesprek met de wijkcoach en een ouderavond waar beide ouders welkom zijn. De ouders "
             "volgden een korte cursus over ouderschap na scheiding."),
        ),
        closings=(
            ("Na drie maanden zijn de wisselmomenten rustiger en doet [KIND-1] weer mee in de klas. Er "
             "waren geen formele voorzieningen nodig. De school houdt een oogje in het zeil en belt als "
             "het weer minder gaat."),
            ("De ouders zeggen dat de gesprekken samen het verschil maakten. De casus is afgesloten met "
             "een evaluatie, waarin ook de kinderen hun mening gaven over wat hielp."),
        ),
        domains=(
            DomainTemplate("opvoeding", (2, 3), (3, 4)),
            DomainTemplate("huiselijke relaties", (2, 3), (3, 4)),
            DomainTemplate("financiën", (3, 4), (3, 4), addressed=0.2),
        ),
        support_questions=(
            "Hoe helpen we de kinderen door de scheiding heen?",
        ),
        support_plans=(
            ("Gesprekken met ouders samen, kindgesprekken, groep voor kinderen van gescheiden ouders en "
             "afspraken met school."),
        ),
        plan_items=(
            "Gesprekken met beide ouders",
            "Kindgesprekken",
            "Groep kinderen van gescheiden ouders",
            "Afspraken met school",
        ),
        decisions=(),
        actions=(
            ActionTemplate("Kindgesprekken plannen", COACH, 7),
            ActionTemplate("Vast aanspreekpunt op school", PARTNER, 10),
        ),
        outcomes=(
            "Rust bij de wisselmomenten; kinderen doen weer mee op school. Afgesloten.",
            "Ouders hanteren dezelfde regels; [KIND-1] heeft de groep afgerond.",
        ),
        slots={
            "leeftijd": ("35", "39", "42"),
            "kinderen": ("twee kinderen van 7 en 10", "drie kinderen tussen 5 en 12", "een zoon van 9"),
            "gezin_kort": ("gescheiden ouders", "gezin met drie kinderen", "co-ouders"),
        },
        case_count=4,
        with_partner=True,
    ),
    Situation(
        code="S24",
        titles=(
            "Jongvolwassene zoekt werk na afgebroken opleiding; snelle start via werkgeversservice",
            "{jongere_kort} zonder startkwalificatie vindt leerwerkplek",
        ),
        openings=(
            ("[CLIENT] ({leeftijd}) stopte vorig jaar met een mbo-opleiding en zit sindsdien thuis bij "
             "[MOEDER]. [CLIENT] gamet veel en heeft geen ritme, maar zegt graag te willen werken, het "
             "liefst buiten. Via het jongerenloket kwam [CLIENT] bij de wijkcoach. [MOEDER] maakt zich "
             "zorgen, maar wil [CLIENT] ook niet pushen; eerdere pogingen eindigden steeds in ruzie over "
             "opstaan en afspraken nakomen."),
            ("[CLIENT] ({leeftijd}) kwam zelf binnen bij het inloopspreekuur: 'Ik wil iets gaan doen, "
             "maar ik weet niet wat.' Na een afgebroken opleiding en wat uitzendwerk is [CLIENT] al "
             "maanden zonder werk. Er zijn geen schulden en thuis is het stabiel. [CLIENT] heeft wel veel "
             "twijfel over zichzelf: 'School was niks voor mij, ik ben gewoon niet slim.' Een vriend "
             "werkt in de bouw en is er tevreden."),
        ),
        developments=(
            ("De wijkcoach bracht [CLIENT] in contact met de werkgeversservice, die binnen twee weken een "
             "leerwerkplek vond bij een hoveniersbedrijf. Een vrijwillige maatje helpt met het ritme in "
             "de eerste weken. De werkgever kreeg een korte uitleg over wat [CLIENT] lastig vindt, zodat "
             "het eerste gesprek meteen eerlijk was."),
            ("Na een paar gesprekken over interesses koos [CLIENT] voor de techniek. Een leerbedrijf bood "
             "een BBL-plek aan; de werkgeversservice regelde de aanmelding bij de opleiding. De wijkcoach "
             "ging mee naar het kennismakingsgesprek en hielp met de reiskostenvergoeding."),
        ),
        closings=(
            ("Na drie maanden werkt [CLIENT] vier dagen per week en volgt één dag school. De samenwerking "
             "tussen wijkteam en werkgeversservice liep zonder haperen."),
            "[CLIENT] is enthousiast en heeft een contract voor een jaar. Casus afgesloten na evaluatie.",
        ),
        domains=(
            DomainTemplate("werk & opleiding", (2, 2), (3, 4)),
            DomainTemplate("tijdsbesteding", (2, 2), (3, 4)),
            DomainTemplate("financiën", (3, 3), (3, 4), addressed=0.3),
        ),
        support_questions=(
            "Ik wil werk waarbij ik ook een diploma kan halen.",
        ),
        support_plans=(
            "Leerwerkplek via de werkgeversservice, maatje voor de eerste weken, opleiding in BBL-vorm.",
        ),
        plan_items=(
            "Gesprek over interesses en talenten",
            "Aanmelding werkgeversservice",
            "Leerwerkplek en BBL-opleiding",
            "Maatje voor de start",
        ),
        decisions=(
            DecisionTemplate("Plaatsing op leerwerkplek", "werkgeversservice", (7, 14), with_mandate=True),
        ),
        actions=(
            ActionTemplate("Kennismaking werkgeversservice", COACH, 7),
            ActionTemplate("Eerste werkweek begeleiden", PARTNER, 21),
        ),
        outcomes=(
            "Werkt vier dagen per week en volgt BBL; afgesloten.",
            "Contract voor een jaar; het ritme thuis is verbeterd.",
        ),
        slots={
            "leeftijd": ("18", "19", "21", "22"),
            "jongere_kort": ("Jongere", "Jongvolwassene", "Mbo-uitvaller"),
        },
        case_count=4,
        with_partner=True,
    ),
)
