"""The built-in assistant: composes each skill's answer from the cases retrieved for it and from the room's
own stream, by fixed rules, without a language model. Deterministic: the same question over the same data
gives the same answer. Everything quoted is stored (anonymised) text."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from casebook.accounts.models import User
from casebook.cases.models import LOCALLY_CHANGEABLE, BottleneckKind, BottleneckRead, CaseRead, RuleLevel
from casebook.dutch_numbers import NUMBER_WORDS
from casebook.labels import KIND_LABELS, LEVEL_LABELS, ROLE_LABELS
from chat import methods
from chat.assistant import guidance, language, skills
from chat.assistant.retrieval import Retrieved
from chat.discussions.models import DiscussionSession
from chat.draft import service as draft_service
from chat.stream import service as stream_service
from chat.stream.models import ASSISTANT_ROLE, EventKind

NO_MATCH = (
    "Geen vergelijkbare casus gevonden onder de casussen die {readers} mag inzien. Beschrijf de situatie in "
    "een paar woorden meer (bijvoorbeeld de leefgebieden en de regel die in de weg zit), of zoek zelf "
    "via Zoeken."
)
ASKER = "u"
ROOM = "iedereen in dit overleg"  # a room's answer quotes only what every participant may see
LEAD_CHARS = 240
RECENT_MESSAGES = 12  # what a draft bottleneck is read from when the question itself says too little
DELAY = re.compile(r"(\d{1,4})\s*(dag|dagen|week|weken|maand|maanden)\b")
DAYS_PER = {"dag": 1, "dagen": 1, "week": 7, "weken": 7, "maand": 30, "maanden": 30}
DELAY_NUMBERS = {"een": 1, **NUMBER_WORDS}  # "een" counts here: a unit follows it ("een week")
WORDED_DELAY = re.compile(
    r"\b("
    + "|".join(sorted(DELAY_NUMBERS, key=len, reverse=True))
    + r")\s+(dag|dagen|week|weken|maand|maanden)\b"
)


@dataclass(frozen=True)
class Context:
    """What a question is asked about, already checked for the asker: the case under discussion and the live
    discussion (None when asked outside a case or a room)."""

    case: CaseRead | None = None
    discussion: DiscussionSession | None = None
    method: methods.Method | None = None
    methods_dir: Path | None = None  # where the team's own methods are (settings.data_dir / "methods")
    # Who else reads the answer (a room's participants): it quotes only cases each of them may see too.
    co_readers: tuple[User, ...] = ()


@dataclass
class Composed:
    text: str
    citations: list[int] = field(default_factory=list)
    draft: dict | None = None  # a draft bottleneck for a participant to confirm


def lead(text: str, limit: int = LEAD_CHARS) -> str:
    """The first sentences of `text` up to `limit` characters, cut at a word with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if end >= limit // 2:
        return cut[: end + 1]
    return cut.rsplit(" ", 1)[0] + "…"


def _case_line(number: int, case: CaseRead) -> str:
    return f"{number}. {case.title} (casus {case.external_id}, /cases/{case.id})"


def _bottleneck_phrase(b: BottleneckRead) -> str:
    parts = [KIND_LABELS[b.kind]]
    if b.level:
        parts.append(LEVEL_LABELS[b.level])
    if b.delay_days is not None:
        parts.append(f"{b.delay_days} dagen vertraging")
    rule = f" — {lead(b.rule, 160)}" if b.rule else ""
    return f"{b.law}{rule} ({', '.join(parts)})"


def _feedback_phrase(case: CaseRead) -> str | None:
    if not case.feedback:
        return None
    last = case.feedback[-1]
    worked = (
        ""
        if last.plan_worked is None
        else " (plan werkte: ja)"
        if last.plan_worked
        else " (plan werkte: nee)"
    )
    return f"Terugkoppeling {ROLE_LABELS[last.author_role]}: “{lead(last.text, 200)}”{worked}"


def _agreed(case: CaseRead) -> str | None:
    if case.actions:
        return "; ".join(lead(a.description, 120) for a in case.actions[:3])
    if case.plan_items:
        return "; ".join(lead(item, 120) for item in case.plan_items[:3])
    return lead(case.support_plan, 200) if case.support_plan else None


# ---- skills that answer from similar cases --------------------------------------------------------


def readers_phrase(context: Context) -> str:
    """Whose rights limited the cases quoted, as the answer says it: the asker's, or the whole room's."""
    return ROOM if context.co_readers else ASKER


def similar(found: list[Retrieved], readers_phrase: str = ASKER) -> Composed:
    """Hebben we dit eerder gezien, en wat werkte? Per case: the situation, the rules in the way, what was
    agreed, the outcome and the provider's feedback."""
    if not found:
        return Composed(NO_MATCH.format(readers=readers_phrase))
    lines = [f"Vergelijkbare casussen die {readers_phrase} mag inzien, de meest vergelijkbare eerst:"]
    for number, item in enumerate(found, start=1):
        case = item.case
        lines += ["", _case_line(number, case), f"   Situatie: {lead(case.narrative)}"]
        if case.bottlenecks:
            lines.append(
                "   Regels in de weg: " + "; ".join(_bottleneck_phrase(b) for b in case.bottlenecks[:3])
            )
        if agreed := _agreed(case):
            lines.append(f"   Afgesproken: {agreed}")
        lines.append(
            f"   Uitkomst: {lead(case.outcome, 200)}" if case.outcome else "   Uitkomst: nog niet vastgelegd."
        )
        if feedback := _feedback_phrase(case):
            lines.append(f"   {feedback}")
    worked = [f.plan_worked for item in found for f in item.case.feedback[-1:] if f.plan_worked is not None]
    if worked:
        lines += [
            "",
            f"Wat werkte: volgens de terugkoppeling werkte het plan in {sum(worked)} van de "
            f"{len(worked)} casussen met terugkoppeling.",
        ]
    return Composed("\n".join(lines), [item.case.id for item in found])


def bottlenecks(found: list[Retrieved], readers_phrase: str = ASKER) -> Composed:
    """Which rules got in the way across similar cases (law, level, kind, delay days), which of them the
    municipality can change itself, and how those cases turned out."""
    if not found:
        return Composed(NO_MATCH.format(readers=readers_phrase))
    groups: dict[tuple[BottleneckKind, str], list[tuple[CaseRead, BottleneckRead]]] = defaultdict(list)
    for item in found:
        for b in item.case.bottlenecks:
            groups[(b.kind, language.fold(b.law))].append((item.case, b))
    lines = [f"Knelpunten in {len(found)} vergelijkbare casussen die {readers_phrase} mag inzien:"]
    if not groups:
        lines.append("- In deze casussen is geen knelpunt vastgelegd.")
    order = sorted(
        groups.items(), key=lambda g: (-len(g[1]), -sum(b.delay_days or 0 for _, b in g[1]), g[0][1])
    )
    for (kind, _), rows in order:
        first = rows[0][1]
        days = [b.delay_days for _, b in rows if b.delay_days is not None]
        delay = f", samen {sum(days)} dagen vertraging" if days else ""
        levels = sorted({LEVEL_LABELS[b.level] for _, b in rows if b.level})
        level = f", {' / '.join(levels)}" if levels else ""
        cases = ", ".join(dict.fromkeys(case.external_id for case, _ in rows))
        lines.append(
            f"- {KIND_LABELS[kind]}: {first.law}{' — ' + lead(first.rule, 140) if first.rule else ''}"
            f"{level}; {len(rows)}×{delay} (casus {cases})"
        )
        workaround = next((b.workaround for _, b in rows if b.workaround), "")
        if workaround:
            lines.append(f"  Omweg: {lead(workaround, 160)}")
    local = sorted({b.law for rows in groups.values() for _, b in rows if b.level in LOCALLY_CHANGEABLE})
    if local:
        lines.append(f"De gemeente kan zelf aanpassen (verordening of werkinstructie): {', '.join(local)}.")
    lines += ["", "Hoe deze casussen afliepen:"]
    for item in found:
        case = item.case
        outcome = lead(case.outcome, 160) if case.outcome else "nog geen uitkomst vastgelegd"
        feedback = _feedback_phrase(case)
        lines.append(f"- {case.title} (/cases/{case.id}): {outcome}{' ' + feedback if feedback else ''}")
    return Composed("\n".join(lines), [item.case.id for item in found])


# ---- skills that answer from the room and the case under discussion -------------------------------


def _stream(db_session: Session, discussion: DiscussionSession) -> list[dict]:
    return stream_service.events_after(db_session=db_session, session_id=discussion.id, reader=None)


def _spoken(events: list[dict]) -> list[dict]:
    """What the participants said to each other: visible messages, not the assistant's, nor questions to it."""
    return [
        e
        for e in events
        if e["kind"] == EventKind.message
        and not e["hidden"]
        and e["role"] != ASSISTANT_ROLE
        and not skills.addressed(e["text"])
    ]


def discussed_domains(db_session: Session, context: Context) -> set[str]:
    """Life domains the room marked or talked about; outside a room, those addressed on the case."""
    if context.discussion is None:
        return {e.domain for e in context.case.life_domains if e.addressed} if context.case else set()
    events = _stream(db_session, context.discussion)
    marked = {e["data"]["domain"] for e in events if e["kind"] == EventKind.domain and e["data"]}
    words = [w for e in _spoken(events) for w in language.words(e["text"])]
    talked = {
        d.domain
        for d in guidance.get().domains
        if any(language.find(words, cue) is not None for cue in d.words)
    }
    return marked | talked


def open_domains(db_session: Session, context: Context) -> list[str]:
    """Life domains present in the case but not yet discussed, in guidance order (debts and work first)."""
    if context.case is None:
        return []
    present = {e.domain for e in context.case.life_domains}
    done = discussed_domains(db_session, context)
    return [d.domain for d in guidance.get().domains if d.domain in present and d.domain not in done]


def reflect(db_session: Session, context: Context) -> Composed:
    """Reflective questions about life domains of the case not yet discussed, debts and work/income first;
    and a question about those two when the case does not record them at all."""
    if context.case is None:
        return Composed(
            "Voor reflectievragen heb ik een casus nodig: stel de vraag op de casuspagina of in "
            "het casusoverleg."
        )
    guide = guidance.get()
    scores = {e.domain: e.score_before for e in context.case.life_domains}
    remaining = open_domains(db_session, context)
    where = "in dit overleg" if context.discussion else "in deze casus"
    lines = []
    if remaining:
        lines.append(
            f"Leefgebieden die in deze casus spelen maar {where} nog niet besproken zijn "
            "(schulden en werk/inkomen eerst):"
        )
        for domain in remaining:
            score = f" (ZRM {scores[domain]})" if scores.get(domain) else ""
            domain_guide = guide.domain(domain)  # a domain the guidance has no question for is still named
            lines.append(f"- {domain}{score}" + (f": {domain_guide.question}" if domain_guide else ""))
    else:
        lines.append(f"Alle leefgebieden die bij deze casus zijn vastgelegd, zijn {where} besproken.")
    missing = [d for d in guide.always_ask if d not in scores]
    if missing:
        lines += ["", f"Niet vastgelegd bij deze casus: {' en '.join(missing)}. {guide.always_ask_reason}"]
        lines += [f"- {found.question}" for found in map(guide.domain, missing) if found]
    return Composed("\n".join(lines))


def facilitation(db_session: Session, context: Context) -> Composed:
    """The current phase of the room's method, its prompt, questions that help in it, what the room has not
    done yet that this phase asks for, and what comes next."""
    if context.discussion is None or context.method is None:
        names = ", ".join(m.name for m in methods.all_methods(context.methods_dir).values())
        return Composed(
            "Tips per fase horen bij een casusoverleg: stel de vraag in het overleg zelf. "
            f"Beschikbare gespreksmethoden: {names}."
        )
    phases = context.method.phases
    ids = [p.id for p in phases]
    if context.discussion.phase in ids:
        index = ids.index(context.discussion.phase)
        lines = [
            f"Fase {index + 1} van {len(phases)} ({context.method.name}): {phases[index].name}",
            phases[index].prompt,
        ]
    else:
        index = -1
        lines = [
            f"Het overleg is nog niet begonnen. De eerste fase van {context.method.name} is "
            f"'{phases[0].name}': {phases[0].prompt}"
        ]
    step = guidance.get().phase(phases[max(index, 0)].id)
    lines += ["", "Vragen die kunnen helpen:", *[f"- {q}" for q in step.questions]]
    lines += _phase_checks(db_session, context, context.discussion, step.checks)
    if 0 <= index < len(phases) - 1:
        lines += ["", f"Daarna: fase {index + 2}, {phases[index + 1].name}."]
    return Composed("\n".join(lines))


def _phase_checks(
    db_session: Session, context: Context, discussion: DiscussionSession, checks: frozenset[str]
) -> list[str]:
    current = draft_service.draft(db_session=db_session, discussion=discussion)
    notes = []
    if "bottleneck" in checks and not current.bottlenecks:
        notes.append(
            "Er is in dit overleg nog geen knelpunt vastgelegd. Leg elk knelpunt vast met "
            "'Knelpunt melden' (of vraag: @assistent maak een knelpunt)."
        )
    if "agreement" in checks and not current.agreements:
        notes.append("Er is nog geen afspraak vastgelegd (wie doet wat, vóór wanneer).")
    if "domains" in checks and (remaining := open_domains(db_session, context)):
        notes.append(f"Nog niet besproken leefgebieden van deze casus: {', '.join(remaining)}.")
    return ["", "Let op:", *[f"- {n}" for n in notes]] if notes else []


def summary(db_session: Session, context: Context) -> Composed:
    """The discussion so far: per phase its main contribution, the bottlenecks, agreements and domains recorded,
    and the domains still open. Outside a room: the case in brief."""
    if context.discussion is None:
        return (
            _case_summary(context.case)
            if context.case
            else Composed("Voor een samenvatting heb ik een casus of een casusoverleg nodig.")
        )
    current = draft_service.draft(db_session=db_session, discussion=context.discussion)
    spoken = _spoken(_stream(db_session, context.discussion))
    lines = [f"Samenvatting tot nu toe ({len(spoken)} bijdragen):"]
    contributions = draft_service.key_contributions(db_session=db_session, session_id=context.discussion.id)
    lines += [f"- {phase}: {lead(text, 200)}" for phase, text in contributions] or ["- Nog geen bijdragen."]
    if current.bottlenecks:
        lines.append(
            "Knelpunten: "
            + "; ".join(f"{b['law']} ({KIND_LABELS[BottleneckKind(b['kind'])]})" for b in current.bottlenecks)
        )
    if current.agreements:
        lines.append("Afspraken: " + "; ".join(a["description"] for a in current.agreements))
    if current.domains:
        lines.append(f"Besproken leefgebieden: {', '.join(current.domains)}.")
    if remaining := open_domains(db_session, context):
        lines.append(f"Nog niet besproken: {', '.join(remaining)}.")
    return Composed("\n".join(lines))


def _case_summary(case: CaseRead) -> Composed:
    lines = [f"{case.title} (casus {case.external_id})", f"Situatie: {lead(case.narrative, 400)}"]
    if case.support_question:
        lines.append(f"Hulpvraag: {lead(case.support_question, 200)}")
    if case.life_domains:
        lines.append(
            "Leefgebieden: "
            + ", ".join(f"{e.domain}{' (aangepakt)' if e.addressed else ''}" for e in case.life_domains)
        )
    if case.bottlenecks:
        lines.append("Knelpunten: " + "; ".join(_bottleneck_phrase(b) for b in case.bottlenecks))
    if agreed := _agreed(case):
        lines.append(f"Afgesproken: {agreed}")
    lines.append(f"Uitkomst: {lead(case.outcome, 200)}" if case.outcome else "Uitkomst: nog niet vastgelegd.")
    return Composed("\n".join(lines))


# ---- drafts ---------------------------------------------------------------------------------------


def draft_bottleneck(db_session: Session, context: Context, topic: str, question: str) -> Composed:
    """A draft rule bottleneck read from the question (when it describes one) or else from the room's latest
    messages: law, level, kind, delay days and effect. A participant checks it and flags it as usual."""
    if len(language.content_words(topic.split())) >= 4 or context.discussion is None:
        text = question
    else:
        spoken = _spoken(_stream(db_session, context.discussion))[-RECENT_MESSAGES:]
        text = "\n".join(e["text"] for e in spoken)
    if not language.content_words(language.words(text)):
        return Composed(
            "Beschrijf het knelpunt in een paar zinnen (welke regel, wat was het gevolg), dan maak "
            "ik er een concept van."
        )
    draft = read_bottleneck(text)
    lines = [
        "Concept-knelpunt (controleer het en leg het vast met 'Knelpunt vastleggen'):",
        f"- Wet of regel: {draft['law'] or '(niet herkend; vul aan)'}",
        f"- Soort: {KIND_LABELS[BottleneckKind(draft['kind'])]}",
        f"- Niveau: {LEVEL_LABELS[RuleLevel(draft['level'])] if draft['level'] else 'onbekend'}",
        f"- Dagen vertraging: {draft['delay_days'] if draft['delay_days'] is not None else 'onbekend'}",
        f"- Effect: {draft['description'] or '(vul aan)'}",
    ]
    return Composed("\n".join(lines), draft=draft)


def read_bottleneck(text: str) -> dict:
    """The fields of a bottleneck as far as `text` names them (BottleneckFlagIn's names)."""
    guide = guidance.get()
    words = language.words(text)
    law = next(
        (cue.law for cue in guide.laws if all(language.find(words, w) is not None for w in cue.words)), ""
    )
    level = next(
        (
            lvl.value
            for lvl, cues in guide.levels.items()
            if any(language.find(words, c) is not None for c in cues)
        ),
        None,
    )
    if level is None and law:
        level = RuleLevel.national_law.value
    kinds = {
        kind: sum(language.find(words, c) is not None for c in cues) for kind, cues in guide.kinds.items()
    }
    kind = max(kinds, key=lambda k: (kinds[k], -list(guide.kinds).index(k)))
    cues = guide.kinds[kind]
    sentences = [s.strip() for s in language.SENTENCE.findall(text) if s.strip()]
    telling = [s for s in sentences if any(language.find(language.words(s), c) is not None for c in cues)]
    return {
        "law": law,
        "rule": "",
        "kind": kind.value,
        "level": level,
        "delay_days": _delay_days(text),
        "description": lead(" ".join(telling or sentences[:1]), 300),
        "workaround": "",
    }


def _delay_days(text: str) -> int | None:
    lowered = text.lower()
    found = [int(m.group(1)) * DAYS_PER[m.group(2)] for m in DELAY.finditer(lowered)]
    found += [DELAY_NUMBERS[m.group(1)] * DAYS_PER[m.group(2)] for m in WORDED_DELAY.finditer(lowered)]
    return min(max(found), 3650) if found else None


def draft_entry(db_session: Session, context: Context, found: list[Retrieved]) -> Composed:
    """A better draft casebook entry for a discussion: the room's own draft (phases, domains, bottlenecks,
    agreements), with the situation in front and, after it, the domains left undiscussed and similar cases
    to compare with."""
    if context.discussion is None:
        return Composed(
            "Een concept-verslag hoort bij een casusoverleg: vraag het in het overleg, of sluit het "
            "overleg (dan schrijf ik het concept)."
        )
    base = draft_service.draft_summary(
        db_session=db_session, discussion=context.discussion, methods_dir=context.methods_dir
    ).split("\n")
    lines = base[:2]
    if context.case:
        lines.append(f"Situatie: {context.case.title}. {lead(context.case.narrative, 300)}")
    lines += base[2:]
    if remaining := open_domains(db_session, context):
        lines.append(f"Nog niet besproken leefgebieden: {', '.join(remaining)}.")
    if found:
        lines.append("Ter vergelijking (vergelijkbare casussen):")
        for item in found:
            outcome = lead(item.case.outcome, 160) if item.case.outcome else "uitkomst nog niet vastgelegd"
            lines.append(f"- {item.case.title} (casus {item.case.external_id}): {outcome}")
    return Composed("\n".join(lines), [item.case.id for item in found])
