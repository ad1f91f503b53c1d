"""What the built-in assistant knows beyond the cases (guidance.yaml, validated on load): reflective
questions per life domain, facilitation questions per phase, and the words a draft bottleneck is read from."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from casebook.cases.domains import UnknownDomain, normalise_domain
from casebook.cases.models import BottleneckKind, RuleLevel
from chat.assistant import language

GUIDANCE_FILE = Path(__file__).resolve().parent / "guidance.yaml"
PHASE_CHECKS = frozenset({"bottleneck", "agreement", "domains"})


@dataclass(frozen=True)
class DomainGuide:
    domain: str
    question: str
    words: tuple[str, ...]  # folded cue words: the room talked about this domain


@dataclass(frozen=True)
class PhaseGuide:
    questions: tuple[str, ...]
    checks: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LawCue:
    law: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Guidance:
    domains: tuple[DomainGuide, ...]  # in the order they are asked about
    always_ask: tuple[str, ...]
    always_ask_reason: str
    general_questions: tuple[str, ...]
    phases: dict[str, PhaseGuide]
    laws: tuple[LawCue, ...]
    levels: dict[RuleLevel, tuple[str, ...]]
    kinds: dict[BottleneckKind, tuple[str, ...]]

    def domain(self, name: str) -> DomainGuide | None:
        return next((d for d in self.domains if d.domain == name), None)

    def phase(self, phase_id: str) -> PhaseGuide:
        return self.phases.get(phase_id) or PhaseGuide(questions=self.general_questions)


class GuidanceFileError(ValueError):
    """guidance.yaml cannot be used; the message names the problem."""


def _folded(values) -> tuple[str, ...]:
    return tuple(language.fold(str(v)) for v in values)


def _text(value) -> str:
    return " ".join(str(value).split())


@lru_cache(maxsize=1)
def get() -> Guidance:
    raw = yaml.safe_load(GUIDANCE_FILE.read_text("utf-8"))
    try:
        guidance = Guidance(
            domains=tuple(
                DomainGuide(
                    domain=normalise_domain(d["domain"]),
                    question=_text(d["question"]),
                    words=_folded(d["words"]),
                )
                for d in raw["domains"]
            ),
            always_ask=tuple(normalise_domain(d) for d in raw["always_ask"]),
            always_ask_reason=_text(raw["always_ask_reason"]),
            general_questions=tuple(_text(q) for q in raw["general_questions"]),
            phases={
                str(pid): PhaseGuide(
                    questions=tuple(_text(q) for q in p["questions"]), checks=frozenset(p.get("checks", ()))
                )
                for pid, p in raw["phases"].items()
            },
            laws=tuple(LawCue(law=_text(c["law"]), words=_folded(c["words"])) for c in raw["laws"]),
            levels={RuleLevel(level): _folded(words) for level, words in raw["levels"].items()},
            kinds={BottleneckKind(kind): _folded(words) for kind, words in raw["kinds"].items()},
        )
    except (KeyError, TypeError, ValueError, UnknownDomain) as exc:
        raise GuidanceFileError(f"{GUIDANCE_FILE.name}: ontbrekend of ongeldig veld ({exc})") from exc
    unknown = {c for p in guidance.phases.values() for c in p.checks} - PHASE_CHECKS
    if unknown:
        raise GuidanceFileError(f"{GUIDANCE_FILE.name}: onbekende controle(s) {sorted(unknown)}")
    return guidance
