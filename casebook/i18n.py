"""Dutch is the source language of the interface; English is a translation table on top of it.
Untranslated strings fall back to Dutch, so a missing entry never breaks a page."""

from fastapi import Request

LANGUAGES = ("nl", "en")

ENGLISH = {
    "Casussen": "Cases",
    "Nieuwe casus": "New case",
    "Inloggen": "Log in",
    "Uitloggen": "Log out",
    "Gebruikersnaam": "Username",
    "Wachtwoord": "Password",
    "Onjuiste gebruikersnaam of wachtwoord.": "Wrong username or password.",
    "Team": "Team",
    "Alle teams": "All teams",
    "Leefgebied": "Life domain",
    "Alle leefgebieden": "All life domains",
    "Status": "Status",
    "Alle": "All",
    "Lopend": "Open",
    "Afgerond": "Closed",
    "Knelpunt": "Bottleneck",
    "Met knelpunt": "With bottleneck",
    "Zonder knelpunt": "Without bottleneck",
    "Filteren": "Filter",
    "Zoeken in titels": "Search titles",
    "Vorige": "Previous",
    "Volgende": "Next",
    "Pagina": "Page",
    "van": "of",
    "Geen casussen gevonden.": "No cases found.",
    "Situatie": "Situation",
    "Leefgebieden": "Life domains",
    "Score voor": "Score before",
    "Score na": "Score after",
    "Aangepakt": "Addressed",
    "Ondersteuningsvraag": "Support question",
    "Ondersteuningsplan": "Support plan",
    "Besluiten": "Decisions",
    "Afspraken": "Actions",
    "Uitkomst": "Outcome",
    "Terugkoppeling": "Feedback",
    "Knelpunten": "Rule bottlenecks",
    "Bewerken": "Edit",
    "Opslaan": "Save",
    "Annuleren": "Cancel",
    "Verwijderen": "Delete",
    "Titel": "Title",
    "Datum overleg": "Meeting date",
    "Terugkoppeling geven": "Give feedback",
    "Werkte het plan?": "Did the plan work?",
    "Ja": "Yes",
    "Nee": "No",
    "Onbekend": "Unknown",
    "Versturen": "Send",
    "ja": "yes",
    "nee": "no",
    "met mandaat": "with mandate",
    "zonder mandaat": "without mandate",
    "eigenaar": "owner",
    "vóór": "before",
    "gedaan": "done",
    "open": "open",
    "dagen vertraging": "days of delay",
    "Omweg": "Workaround",
    "Nog geen terugkoppeling.": "No feedback yet.",
    "Pagina niet gevonden": "Page not found",
    "Geen toegang": "No access",
    "Er ging iets mis": "Something went wrong",
    "Terug naar de casussen": "Back to the cases",
    "Alle tekst wordt geanonimiseerd voordat het wordt opgeslagen.": "All text is anonymised before it is stored.",
    "Ingelogd als": "Logged in as",
    "Zoeken": "Search",
    "Casusoverleg": "Case discussion",
    "Controleren en opslaan": "Check and save",
    "Start": "Start",
    "De cirkel is rond": "The loop is closed",
    "cirkel rond": "loop closed",
    "wie het plan uitvoerde, koppelde terug": "whoever carried out the plan reported back",
    "Wat werkte": "What worked",
    "Wat niet werkte": "What did not work",
    "ZRM na": "ZRM after",
    "ZRM-score na (1 acute problemen – 5 volledig zelfredzaam)": "ZRM score after (1 acute problems – 5 fully self-sufficient)",
    "extra kosten": "extra cost",
    "Schade voor de cliënt": "Harm to the client",
    "Voorstel": "Proposal",
}


def language_of(request: Request) -> str:
    lang = request.cookies.get("lang")
    if lang in LANGUAGES:
        return lang
    return request.app.state.settings.default_language


def translate(text: str, lang: str) -> str:
    return ENGLISH.get(text, text) if lang == "en" else text
