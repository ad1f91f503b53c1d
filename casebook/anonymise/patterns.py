"""Pattern detectors for structured identifiers.

Libraries do the checking where one exists (python-stdnum for BSN and IBAN checksums,
phonenumbers for phone numbers); the regular expressions below cover what no library
knows: Dutch postcodes, street + house number, birth dates (only with a birth cue, so
ordinary meeting dates survive), case/dossier numbers with a cue word, licence plates and
named institutions.
"""

from __future__ import annotations

import itertools
import logging
import re

import phonenumbers
from stdnum import iban as std_iban
from stdnum.nl import bsn as std_bsn

from casebook.anonymise.lexicon import (
    BODY_HEADS,
    BODY_HEADS_NEEDING_A_TAIL,
    INSTITUTION_SUFFIXES,
    INSTITUTION_TYPES,
    INTERFIXES,
    NATIONAL_ORGANISATIONS,
    NEVER_NAMES,
    PUBLIC_BODIES,
    Lexicon,
)
from casebook.anonymise.spans import Candidate

logger = logging.getLogger(__name__)

# --- priorities: structured, checksum-backed evidence beats name guesses -------------------
P_EMAIL, P_IBAN, P_BSN, P_ID_STRONG, P_PHONE, P_DOB = 100, 95, 90, 88, 85, 80
P_POSTCODE, P_ADDRESS, P_PLACE, P_ID_WEAK, P_INSTITUTION = 72, 70, 65, 60, 58

#: Put before a long alternation of words (cue words, institution types, public bodies), all starting with a
#: letter: without it every space, digit or line end makes the engine try each word in turn (a 100 KB text of
#: blank lines took 80 ms in INSTITUTION_RE alone); with it, only the start of a word does.
_AT_A_LETTER = r"(?=[^\W\d_])"
_U = "A-ZÀ-ÖØ-ÞĀ-Ž"  # uppercase letters incl. common accented ones
_L = "a-zß-öø-ÿā-ž"
_LETTER = rf"[{_U}{_L}]"
#: The rest of a (possibly hyphenated) capitalised word. Bounded: with an unbounded run a pattern
#: that can start after every apostrophe or hyphen rescans the rest of the word from each of them.
_WORD_REST = rf"{_LETTER}{{0,40}}(?:[-'’]{_LETTER}{{1,40}}){{0,4}}"

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![\w])")

IBAN_RE = re.compile(r"(?<![\w])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){10,30}(?![\w])")
IBAN_NL_SHAPE = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")

BSN_RE = re.compile(r"(?<![\w.,/-])(\d{2,4})([. -]?)(\d{2,3})\2(\d{2,4})(?![\w]|[.,/-]\d)")
BSN_CUE_VALUE_RE = re.compile(
    r"(?i)\b(?:bsn|burgerservicenummer|sofi-?nummer)(?:\s+(?:van|is|nr\.?|nummer)\b[^\n\d]{0,30}?)?[\s:.]*"
    r"(\d(?:[ .-]?\d){7,9})(?!\d)"
)

PHONE_FALLBACK_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\d{2,3}(?:[\s-]*\(0\))?|0)(?:[\s\-./()]{0,3}\d){8,12}(?!\d)"
)

#: Far more numbers than any case text holds; a hostile text of digit runs stops here.
PHONE_MATCHER_MAX_MATCHES = 500

POSTCODE_RE = re.compile(r"(?<![\w-])([1-9]\d{3})(?:\s?([A-Z]{2})|([a-z]{2}))(?![\w])")
_POSTCODE_BAD = {"SA", "SD", "SS"}
PLACE_AFTER_RE = re.compile(
    rf"[ \t]{{1,2}}([{_U}]{_LETTER}+(?:['’-]{_LETTER}+)*(?:[ -](?:aan|op|bij|a/d|den|de)[ -][{_U}]{_LETTER}+)?)"
)

_STREET_SUFFIX = (
    "straat|laan|weg|plein|singel|gracht|kade|dijk|pad|steeg|dreef|hof|park|ring|allee|markt|erf|"
    "veld|baan|wal|kamp|brink|haven|oord|burg|hoven|zoom|berg|tuin|donk|horst|stede|poort|akker|"
    "hout|dam|boulevard|promenade|plantsoen|kwartier|zijde|kant|gaarde|hage|werf|weide|hof|es|"
    "straatweg|dijkje|laantje|straatje|esch|broek|meent|molen|vaart|wijk|heuvel|rade|linie"
)
_HOUSE_NO = r"\d{1,5}(?:(?:\s?-\s?|\s)?(?:bis|hs|[IVX]{1,4}\b|\d{1,3}\b|[a-zA-Z]\b)|[a-z]{1,2}\b)?"
ADDRESS_RE = re.compile(
    rf"(?<![\w-])((?:[{_U}]{_WORD_REST}\s{{1,4}}(?:(?:van|de|der|den|het|ter|ten|'t|[{_U}]{_LETTER}{{0,40}})\s{{1,4}}){{0,3}})?"
    rf"[{_U}]{_WORD_REST}(?:{_STREET_SUFFIX}))\s{{1,2}}({_HOUSE_NO})(?![\w-]|[.,]\d)"
)
#: What every address ends in: a street word's last letter, a space or two, a house number. Where a text has
#: none, ADDRESS_RE (costly at every capitalised word: it tries each street suffix) cannot match.
_ADDRESS_END_RE = re.compile(r"[^\W\d_]\s{1,2}\d")
_ADDRESS_LEAD_STOP = {
    "op",
    "in",
    "aan",
    "naar",
    "bij",
    "van",
    "de",
    "het",
    "adres",
    "woont",
    "wonend",
    "te",
    "met",
    "en",
    "is",
    "gezin",
    "mevrouw",
    "meneer",
    "die",
    "zij",
    "hij",
    "zus",
    "ook",
    "nu",
}

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
DATE_VALUE = rf"(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:\d{{4}}|\d{{2}})|\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}})"
DOB_RE = re.compile(
    rf"(?i)\b(?:geboren(?:\s+op)?|geb\.?(?:\s?datum)?|geboortedatum|geb\.datum|d\.o\.b\.?|dob|°)\s*[:(]?\s*({DATE_VALUE})(?!\d)"
)

# cue word, then up to a few words ("bij de Kredietbank is"), then the number itself
_ID_CUES_STRONG = (
    r"dossier-?(?:nummer|nr\.?)|zaak-?(?:nummer|nr\.?)|cli[eë]nt-?(?:nummer|nr\.?)|klant-?(?:nummer|nr\.?)|"
    r"beschikkings-?(?:nummer|nr\.?)|besluit-?(?:nummer|nr\.?)|huurders?-?(?:nummer|nr\.?)|relatie-?(?:nummer|nr\.?)|"
    r"contract-?(?:nummer|nr\.?)|polis-?(?:nummer|nr\.?)|registratie-?(?:nummer|nr\.?)|referentie-?(?:nummer|nr\.?)|"
    r"kenmerk|ons kenmerk|uw kenmerk|v-?nummer|vreemdelingennummer|paspoort(?:-?nummer|nr\.?)?|"
    r"identiteitskaart(?:-?nummer)?|id-?kaart(?:-?nummer)?|id-?bewijs|rijbewijs(?:-?nummer)?|documentnummer|"
    r"kenteken|huurovereenkomst|overeenkomst|cliëntnr|aanvraagnummer|zaaknr|dossiernr|"
    r"personeelsnummer|studentnummer|leerlingnummer|verzekerdennummer|agb-?code|big-?nummer"
)
#: Longest code part and most parts of a case number: bounds that keep every match attempt short.
_CODE_PART, _CODE_PARTS, _CODE_MAX = 40, 8, 100
ID_CUE_RE = re.compile(
    rf"(?i)\b{_AT_A_LETTER}(?:{_ID_CUES_STRONG})\b\s*[:(]?\s*(?:(?:nummer|nr\.?|is|was|luidt)\s*:?\s*|"
    rf"(?:(?!\.\s)[^\n.;:!?\d]){{0,45}}?\b(?:is|luidt|:)\s*)?[(]?"
    # The value: code parts joined by one separator each. Each part is a maximal run, so there is one
    # way to split a value into parts (an optional separator made that exponential in the length).
    rf"((?=[A-Za-z0-9/.-]{{0,{_CODE_MAX}}}\d)[A-Za-z0-9]{{1,{_CODE_PART}}}"
    rf"(?:[-/.][A-Za-z0-9]{{1,{_CODE_PART}}}){{0,{_CODE_PARTS}}})(?![A-Za-z0-9])(?=$|[\s),;:!?]|\.(?:\s|$))"
)
ID_CODE_RE = re.compile(
    # The lookaheads look no further than the longest code, so each start costs a bounded amount of work.
    rf"(?<![\w/-])(?=[A-Z0-9/.-]{{0,{_CODE_MAX}}}?\d[A-Z0-9/.-]{{0,{_CODE_MAX}}}?\d"
    rf"[A-Z0-9/.-]{{0,{_CODE_MAX}}}?\d)(?=[A-Z0-9/.-]{{0,{_CODE_MAX}}}?[A-Z])"
    rf"[A-Z0-9]{{1,{_CODE_PART}}}(?:[-/.][A-Z0-9]{{1,{_CODE_PART}}}){{1,{_CODE_PARTS}}}(?![\w/-])"
)
ID_MIXED_RE = re.compile(
    r"(?<![\w/-])(?=[A-Z0-9]*\d[A-Z0-9]*\d[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{7,}(?![\w/-])"
)
ID_DIGITS_RE = re.compile(
    r"(?<![\w/.,-])\d{2,}(?:[-/]\d{2,})+(?![\w/]|[.,-]\d)|(?<![\w/.,-])\d{7,}(?![\w/]|[.,]\d)"
)
PLATE_RE = re.compile(
    r"(?<![\w-])(?:[A-Z]{1,3}|\d{1,3})-(?:[A-Z]{2,3}|\d{2,3})-(?:[A-Z]{1,3}|\d{1,3})(?![\w-])"
)
PLATE_CUE_RE = re.compile(r"(?i)\bkenteken\b[\s:]*([A-Z0-9]{1,3}-?[A-Z0-9]{2,3}-?[A-Z0-9]{1,3})(?![\w-])")

_INST_TYPES = "|".join(sorted((re.escape(t) for t in INSTITUTION_TYPES), key=len, reverse=True))
_NAME_WORD = rf"(?:[{_U}][{_L}{_U}'’&.-]{{0,40}}|'t|De|Het|de|het|van|der|den|voor|en|&)"
INSTITUTION_RE = re.compile(
    rf"(?<![\w-]){_AT_A_LETTER}(?:(?i:{_INST_TYPES})|[{_U}]{_LETTER}{{0,40}}(?i:school|college|praktijk|centrum|zorg|bedrijf|"
    rf"stichting|boerderij|opvang|bureau|bank|groep|coöperatie))"
    rf"((?:\s{{1,4}}{_NAME_WORD}){{1,5}})"
)
INSTITUTION_SUFFIX_RE = re.compile(
    rf"(?<![\w-])((?:[{_U}]{_WORD_REST}\s{{1,4}}){{1,4}})(?:{'|'.join(re.escape(s) for s in INSTITUTION_SUFFIXES)})(?![\w])"
)


def _phrase_re(phrases: tuple[str, ...], *, ignore_case: bool) -> re.Pattern[str]:
    alts = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(
        rf"(?<![\w@.-]){_AT_A_LETTER}(?:{alts})(?![\w@-]|\.\w)", re.IGNORECASE if ignore_case else 0
    )


#: Multi-word bodies in any casing ("kamer van koophandel"); acronyms only as written ("DUO", not "duo").
PUBLIC_BODY_RE = _phrase_re(tuple(p for p in PUBLIC_BODIES if " " in p or not p.isupper()), ignore_case=True)
PUBLIC_ACRONYM_RE = _phrase_re(
    tuple(p for p in PUBLIC_BODIES if " " not in p and p.isupper()), ignore_case=False
)
NATIONAL_ORG_RE = _phrase_re(NATIONAL_ORGANISATIONS, ignore_case=False)
_NOT_A_PROPER_NAME = NEVER_NAMES | {p.casefold() for p in PUBLIC_BODIES}

_HEADS = "|".join(sorted(BODY_HEADS, key=len, reverse=True))
#: A capitalised word that ends in a body's head word: the head alone ("Instituut") or a compound ("Adviesraad",
#: "Trimbos-instituut"); group 1 is what comes before the head. Each word start tries at most 41 head positions.
BODY_HEAD_RE = re.compile(
    rf"(?<![\w'’-])(?=[{_U}])({_LETTER}[{_U}{_L}'’-]{{0,40}}?)??(?i:{_HEADS})(?![\w'’-])"
)
#: One more word of a body's name after its head ("Adviesraad| Sociaal| Domein| Wijk| bij Duurstede",
#: "Raad| van State"): capitalised, after a space and at most two small words.
_BODY_TAIL_RE = re.compile(
    rf"[ \t]{{1,2}}((?:(?:van|voor|de|het|der|den|'t)[ \t]{{1,2}}){{0,2}})"
    rf"([{_U}][{_U}{_L}0-9'’&-]{{0,40}})(?![\w'’-])"
)
#: One more word of a body's name before its head ("Sociaal en Cultureel| Planbureau", "Verwey-Jonker| Instituut"):
#: matched at the end of the text before it.
_BODY_LEAD_RE = re.compile(
    rf"(?<![\w'’-])([{_U}][{_U}{_L}'’-]{{0,40}})[ \t]{{1,2}}(?:(?:en|&)[ \t]{{1,2}})?\Z"
)
#: Words a body's name may add before or after its head, at most.
_BODY_NAME_WORDS = 4
#: The abbreviation a text gives a body right after its name: "Adviesraad Sociaal Domein Meppel (ASDM)".
_BODY_ABBREVIATION_RE = re.compile(rf"[ \t]{{0,2}}\(([{_U}][{_U}{_L}]{{1,9}})\)")
#: Abbreviations of bodies one text introduces, at most: each one is looked for in the whole text.
_BODY_ABBREVIATIONS = 20
_DATE_ONLY_RE = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})$|^(?:19|20)\d{2}$")
_ABBREVIATIONS = {"Gebr", "St", "Sint", "Jr", "Sr", "Fa", "Co", "Mr", "Dr", "Ir"}
_GENERIC_INST_WORDS = {"de", "het", "van", "der", "den", "voor", "en", "&", "'t"}


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def find_emails(text: str) -> list[Candidate]:
    return [Candidate(m.start(), m.end(), "EMAIL", P_EMAIL) for m in EMAIL_RE.finditer(text)]


def find_ibans(text: str) -> list[Candidate]:
    """IBANs compact, grouped or lowercase; the longest checksum-valid prefix wins."""
    out = []
    for m in IBAN_RE.finditer(text):
        raw = m.group(0)
        # candidate ends: after each alnum char, longest first
        ends = [i + 1 for i, ch in enumerate(raw) if ch.isalnum()]
        checksum_holds = _iban_checksum_holds(raw.replace(" ", "").upper())
        for end in reversed(ends):
            compact = raw[:end].replace(" ", "").upper()
            if len(compact) < 15:
                break
            if (checksum_holds[len(compact)] and std_iban.is_valid(compact)) or (
                len(compact) == 18 and IBAN_NL_SHAPE.fullmatch(compact)
            ):
                out.append(Candidate(m.start(), m.start() + end, "IBAN", P_IBAN))
                break
    return out


def _iban_checksum_holds(compact: str) -> list[bool]:
    """Per prefix length of ``compact``: whether its IBAN checksum (ISO 7064 mod 97-10 over the rest followed by
    the first four characters) holds, all in one pass. It is the first thing a valid IBAN needs, and a text of
    IBAN-like runs would otherwise cost a full validation per prefix (a 100 KB flood of "NL12 " took 0.7 s)."""
    head = "".join(str(int(ch, 36)) for ch in compact[:4])
    head_value, head_shift = int(head), 10 ** len(head)
    holds = [False] * (len(compact) + 1)
    rest = 0
    for length, ch in enumerate(compact[4:], start=5):
        digits = str(int(ch, 36))
        rest = (rest * 10 ** len(digits) + int(digits)) % 97
        holds[length] = (rest * head_shift + head_value) % 97 == 1
    return holds


def find_bsns(text: str) -> list[Candidate]:
    """9-digit numbers passing the 11-proef, plus any number right after a BSN cue (safety)."""
    out = []
    for m in BSN_RE.finditer(text):
        digits = _digits(m.group(0))
        if len(digits) == 9 and std_bsn.is_valid(digits):
            out.append(Candidate(m.start(), m.end(), "BSN", P_BSN))
    for m in BSN_CUE_VALUE_RE.finditer(text):
        if 8 <= len(_digits(m.group(1))) <= 10:
            out.append(Candidate(m.start(1), m.end(1), "BSN", P_BSN + 1))
    return out


def find_phones(text: str, library_matches: int = PHONE_MATCHER_MAX_MATCHES) -> list[Candidate]:
    out = []
    try:
        # Each match costs the library a full parse: a text of thousands of digit runs stops after
        # ``library_matches``, and the regex fallback below still finds Dutch and international numbers.
        matcher = phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.POSSIBLE)
        for match in itertools.islice(matcher, library_matches):
            if len(_digits(match.raw_string)) >= 9:
                out.append(Candidate(match.start, match.end, "PHONE", P_PHONE))
    except Exception:
        logger.exception("phonenumbers matcher failed; using the regex fallback only")
    for m in PHONE_FALLBACK_RE.finditer(text):
        raw = m.group(0).rstrip(" -./(")
        n = len(_digits(raw))
        intl = raw.startswith(("+", "00"))
        if (not intl and n == 10) or (intl and 9 <= n <= 14):
            out.append(Candidate(m.start(), m.start() + len(raw), "PHONE", P_PHONE - 1))
    return out


def find_postcodes_and_places(text: str, lexicon: Lexicon | None) -> list[Candidate]:
    out = []
    for m in POSTCODE_RE.finditer(text):
        letters = m.group(2) or m.group(3)
        if letters.upper() in _POSTCODE_BAD:
            continue
        out.append(Candidate(m.start(), m.end(), "POSTCODE", P_POSTCODE))
        place = PLACE_AFTER_RE.match(text, m.end())
        if place and place.group(1).lower() not in {"de", "het", "een"}:
            out.append(Candidate(place.start(1), place.end(1), "PLACE", P_PLACE))
    return out


def find_addresses(text: str, lexicon: Lexicon | None) -> list[Candidate]:
    """Street + house number (with additions); a town right after it is part of the address."""
    out: list[Candidate] = []
    if not _ADDRESS_END_RE.search(text):
        return out
    for m in ADDRESS_RE.finditer(text):
        start = m.start(1)
        street = m.group(1)
        # drop leading words that only introduce the address ("Op de Hofstraat 3")
        words = street.split()
        while len(words) > 1 and words[0].lower() in _ADDRESS_LEAD_STOP:
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        end = m.end(2)
        out.append(Candidate(start, end, "ADDRESS", P_ADDRESS))
        tail = re.match(
            rf"(?:,\s*|\s+(?:in|te)\s+)([{_U}]{_LETTER}+(?:[-'’]{_LETTER}+)*)", text[end : end + 60]
        )
        if tail:
            place = tail.group(1)
            if lexicon is None or place.lower() in lexicon.places:
                out.append(Candidate(end + tail.start(1), end + tail.end(1), "PLACE", P_PLACE))
    return out


def find_dates_of_birth(text: str) -> list[Candidate]:
    return [Candidate(m.start(1), m.end(1), "DATE_OF_BIRTH", P_DOB) for m in DOB_RE.finditer(text)]


def find_ids(text: str) -> list[Candidate]:
    """Case/dossier/client numbers after a cue word, licence plates and code-like tokens."""
    out = []
    for m in ID_CUE_RE.finditer(text):
        value = m.group(1).rstrip(".")
        if len(value) < 4 or _DATE_ONLY_RE.match(value):
            continue
        out.append(Candidate(m.start(1), m.start(1) + len(value), "ID", P_ID_STRONG))
    for m in PLATE_RE.finditer(text):
        groups = m.group(0).split("-")
        alnum = "".join(groups)
        if len(alnum) == 6 and any(c.isdigit() for c in alnum) and any(c.isalpha() for c in alnum):
            out.append(Candidate(m.start(), m.end(), "ID", P_ID_STRONG))
    for m in PLATE_CUE_RE.finditer(text):
        out.append(Candidate(m.start(1), m.end(1), "ID", P_ID_STRONG))
    for rx in (ID_CODE_RE, ID_MIXED_RE):
        for m in rx.finditer(text):
            if not _DATE_ONLY_RE.match(m.group(0)):
                out.append(Candidate(m.start(), m.end(), "ID", P_ID_WEAK))
    for m in ID_DIGITS_RE.finditer(text):
        value = m.group(0)
        if _DATE_ONLY_RE.match(value) or len(_digits(value)) < 7:
            continue
        out.append(Candidate(m.start(), m.end(), "ID", P_ID_WEAK))
    return out


def find_institutions(text: str) -> list[Candidate]:
    """A type word followed by a proper name ("basisschool De Zonnewijzer"), or "X B.V."."""
    out = []
    for m in INSTITUTION_RE.finditer(text):
        tail = m.group(1)
        words = tail.split()
        # trim trailing connector words and keep at least one capitalised proper word
        while words and (words[-1] in _GENERIC_INST_WORDS or not words[-1][:1].isupper()):
            words.pop()
        # a law or public body after the type word is no name ("dagbesteding Wmo", "jeugdhulp UWV")
        proper = [
            w
            for w in words
            if w[:1].isupper()
            and w not in {"De", "Het"}
            and w.strip(".,").casefold() not in _NOT_A_PROPER_NAME
        ]
        if not proper:
            continue
        # the name part must not just be a capitalised sentence start of the next sentence
        end = m.start(1)
        for w in words:
            end = text.index(w, end) + len(w)
        if text[m.start(1) : end].count(".") and not re.search(r"[A-Z]\.[A-Z]\.", text[m.start(1) : end]):
            for dot in re.finditer(r"(\w+)\. ", text[m.start(1) : end]):
                if dot.group(1) not in _ABBREVIATIONS:
                    end = m.start(1) + dot.start(1) + len(dot.group(1))
                    break
        if end <= m.start(1):
            continue
        while end > m.start(1) and text[end - 1] in " ,.":
            end -= 1
        if text[m.start(1) : end].strip() in {"De", "Het"}:
            continue
        out.append(Candidate(m.start(), end, "INSTITUTION_NAME", P_INSTITUTION))
    for m in INSTITUTION_SUFFIX_RE.finditer(text):
        out.append(Candidate(m.start(), m.end(), "INSTITUTION_NAME", P_INSTITUTION))
    return out


def public_body_spans(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Public bodies and registers (Kamer van Koophandel, UWV, DUO, Movisie), and any name a body's head word
    makes one (Adviesraad Sociaal Domein, Verwey-Jonker Instituut): never masked as a name."""
    spans = [m.span() for rx in (PUBLIC_BODY_RE, PUBLIC_ACRONYM_RE) for m in rx.finditer(text)]
    body_words: dict[str, bool] = {}  # per word: a long text repeats its words
    last_end = 0
    for m in BODY_HEAD_RE.finditer(text):
        span = _body_name(text, m, lexicon, body_words, last_end)
        if span:
            spans.append(span)
            last_end = span[1]
    return spans + _abbreviation_spans(text, spans)


def _abbreviation_spans(text: str, bodies: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every mention of an abbreviation a text gives a body: "(ASDM)" after its name, "de ASDM" later on."""
    short: set[str] = set()
    for _, end in bodies:
        m = _BODY_ABBREVIATION_RE.match(text, end)
        if m and any(ch.isupper() for ch in m.group(1)[1:]):  # "(ASDM)", "(NJi)"; not "(Meppel)"
            short.add(m.group(1))
            if len(short) == _BODY_ABBREVIATIONS:
                break
    if not short:
        return []
    alternation = "|".join(re.escape(w) for w in sorted(short, key=len, reverse=True))
    return [m.span() for m in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text)]


def _body_name(
    text: str, m: re.Match[str], lexicon: Lexicon, body_words: dict[str, bool], after: int
) -> tuple[int, int] | None:
    """The whole name of a body around a head word (not reaching back before ``after``, where the last one ended),
    or None where the word names no body.

    A compound is a body when it is no person's name and starts with a Dutch word ("Advies|raad", "Kinder|
    ombudsman"; not "Koenraad", "Hoogenraad"); a head alone needs a name around it ("Kenniscentrum Sociaal
    Domein"). "Raad" alone is a surname too: only the listed bodies ("Raad van State") make it one."""
    prefix, head = m.group(1) or "", m.group(0)[len(m.group(1) or "") :].lower()
    if prefix and not _compound_body(m.group(0), prefix, lexicon):
        return None
    if head in BODY_HEADS_NEEDING_A_TAIL and not prefix:
        return None
    start, end = m.span()
    tail = _BODY_TAIL_RE.match(text, end)
    for _ in range(_BODY_NAME_WORDS):
        if not tail or not _body_word(tail.group(2), lexicon, body_words):
            break
        end = tail.end()
        tail = _BODY_TAIL_RE.match(text, end)
    for _ in range(_BODY_NAME_WORDS):
        lead = _BODY_LEAD_RE.search(text, max(after, start - 60), start)
        if not lead or not _body_word(lead.group(1), lexicon, body_words):
            break
        start = lead.start()
    return (start, end) if prefix or (start, end) != m.span() else None


def _compound_body(word: str, prefix: str, lexicon: Lexicon) -> bool:
    if lexicon.is_known_name(word) or len(prefix) < 3:
        return False
    if prefix.endswith("-"):  # "Wmo-raad", "GGD-platform"; never a double surname ("Jansen-Raad")
        return _is_acronym(prefix[:-1]) or _is_dutch_word(prefix[:-1].lower(), lexicon)
    low = prefix.lower()
    # with its linking letters: "gezin|s|raad", "kinder(en)|ombudsman", "ouderen|raad"
    return any(lexicon.is_common_word(w) for w in (low, low[:-1], low + "en") if len(w) >= 3)


def _body_word(word: str, lexicon: Lexicon, seen: dict[str, bool]) -> bool:
    if word not in seen:
        seen[word] = _is_body_word(word, lexicon)
    return seen[word]


def _is_body_word(word: str, lexicon: Lexicon) -> bool:
    """A word a body's name may hold around its head: an acronym, a place or a Dutch word that is no listed name
    ("Sociaal", "Domein", "SZW", "Utrecht"). A word in no list may be a name nobody listed, so it ends the name:
    a body never takes in a person ("de Cliëntenraad Abebe Tesfaye")."""
    low = word.lower()
    if (
        low in lexicon.places
        or _is_acronym(word)
        and not lexicon.is_known_name(low)
        and low not in INTERFIXES
    ):
        return True
    return _is_dutch_word(low, lexicon) and not lexicon.is_stop_word(low)


def _is_acronym(word: str) -> bool:
    """ "SZW", "GGD", "Wmo": short; a surname in capitals ("TESFAYE", as files write them) is none."""
    return 1 < len(word) <= 5 and (word.isupper() or word.lower() in NEVER_NAMES)


def _is_dutch_word(low: str, lexicon: Lexicon) -> bool:
    return lexicon.is_common_word(low) and not lexicon.is_known_name(low)


def national_organisation_spans(text: str) -> list[tuple[int, int]]:
    """Well-known companies, insurers and chains that look like person names ("Albert Heijn")."""
    return [m.span() for m in NATIONAL_ORG_RE.finditer(text)]
