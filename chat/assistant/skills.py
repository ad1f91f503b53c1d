"""The assistant's skills as data (skills.yaml, validated on load) and recognising which one a question asks
for, in free Dutch with typos. Deterministic: the same question always picks the same skill."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from chat.assistant import language

SKILLS_FILE = Path(__file__).resolve().parent / "skills.yaml"
DEFAULT_SKILL = "similar"
# The ids the assistant implements (chat.assistant.compose); skills.yaml must describe exactly these.
SKILL_IDS = frozenset(
    {"similar", "bottlenecks", "facilitation", "reflect", "summary", "draft_bottleneck", "draft_entry"}
)
# How the room addresses the assistant; a question may start with it ("@assistent, hebben we ...").
ADDRESS = "@assistent"
RECOGNITION_WORDS = 60  # a skill is asked for near the start; the rest of a long question is topic only
SITUATION_WORDS = 8  # content words in a message's telling sentences that make it describe a situation


@dataclass(frozen=True)
class Skill:
    id: str
    name: str
    description: str
    cues: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Recognised:
    """The skill a question asks for, and the question's words that are about the case rather than about a
    skill (every matching cue's words left out): what retrieval searches with."""

    skill: Skill
    topic: str


class SkillFileError(ValueError):
    """skills.yaml cannot be used; the message names the problem."""


@lru_cache(maxsize=1)
def all_skills() -> dict[str, Skill]:
    """The skills in skills.yaml, in their order (which breaks ties)."""
    raw = yaml.safe_load(SKILLS_FILE.read_text("utf-8"))
    try:
        skills = [
            Skill(
                id=str(s["id"]),
                name=str(s["name"]),
                description=" ".join(str(s["description"]).split()),
                cues=tuple(tuple(language.fold(str(w)) for w in cue) for cue in s["cues"]),
            )
            for s in raw["skills"]
        ]
    except (KeyError, TypeError) as exc:
        raise SkillFileError(f"{SKILLS_FILE.name}: ontbrekend of ongeldig veld ({exc})") from exc
    found = {s.id for s in skills}
    if found != SKILL_IDS or len(skills) != len(found):
        raise SkillFileError(
            f"{SKILLS_FILE.name}: beschrijft {sorted(found)}, verwacht precies {sorted(SKILL_IDS)}"
        )
    if any(not cue for s in skills for cue in s.cues):
        raise SkillFileError(f"{SKILLS_FILE.name}: een lege cue")
    return {s.id: s for s in skills}


def strip_address(text: str) -> str:
    """The question without the room's "@assistent" in front (and a comma or colon after it)."""
    return split_address(text)[1]


def split_address(text: str) -> tuple[str, str]:
    """("@assistent ", the question) for a message addressed to the assistant, else ("", the text). The
    anonymiser reads only the question: it would take the address for a name."""
    stripped = text.strip()
    if language.fold(stripped[: len(ADDRESS)]) != ADDRESS:
        return "", text
    return ADDRESS + " ", stripped[len(ADDRESS) :].lstrip(" ,:;-")


def addressed(text: str) -> bool:
    """A room message is a question to the assistant when it starts with "@assistent"."""
    return language.fold(text.lstrip()[: len(ADDRESS)]) == ADDRESS


def recognise(question: str) -> Recognised:
    """The skill `question` asks for; the default (similar cases) when no cue matches, or when the only cue
    is one word amid a description (`_describes`)."""
    skills = all_skills()
    sentences = language.sentences(strip_address(question))
    words = [w for sentence in sentences for w in sentence.words]
    best, best_score = skills[DEFAULT_SKILL], 0
    best_at: list[int] = []
    cue_words: set[int] = set()
    for skill in skills.values():
        score, at = 0, []
        for cue in skill.cues:
            found = [language.find(words[:RECOGNITION_WORDS], word) for word in cue]
            positions = [p for p in found if p is not None]
            if len(positions) == len(cue):
                score += len(cue)
                at += positions
                # Only cue words typed as such leave the topic: "gezin" is a near miss of "gezien" but a topic.
                cue_words.update(p for p, word in zip(positions, cue) if words[p].startswith(word))
        if score > best_score:
            best, best_score, best_at = skill, score, at
    if best_score == 1 and _describes(sentences, best_at[0]):
        best = skills[DEFAULT_SKILL]
        cue_words.discard(best_at[0])
    topic = " ".join(w for i, w in enumerate(words) if i not in cue_words)
    return Recognised(skill=best, topic=topic)


def _describes(sentences: list[language.Sentence], position: int) -> bool:
    """Whether the word at `position` (of all the sentences' words) belongs to a description of a situation
    rather than to a request: a request is phrased in the last sentence or in a question, while a word in
    another sentence of a message that describes at length ("we zitten in de fase dat ...", "ze is de
    afspraak weer vergeten") is part of the situation. Read this way only for a lone cue word: a skill
    named in two words ("vat samen", "welke vragen") is asked for wherever it stands."""
    start, telling, inside = 0, [], False
    for index, sentence in enumerate(sentences):
        end = start + len(sentence.words)
        if index < len(sentences) - 1 and not sentence.asks:
            telling += sentence.words
            inside = inside or start <= position < end
        start = end
    return inside and len(language.content_words(telling)) >= SITUATION_WORDS
