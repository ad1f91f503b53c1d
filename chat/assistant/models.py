"""What the assistant works with: the retrieved cases it may quote, and the answer it gives."""

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField

from casebook.params import IdField

Backend = Literal["builtin", "llm"]


@dataclass(frozen=True)
class Source:
    """One retrieved case, already anonymised and visible to the asker, ready to quote. `score` is the
    search service's relevance (higher is better); `text` is what a backend may quote from the case."""

    case_id: int
    title: str
    text: str
    score: float


@dataclass
class Answer:
    """An answer as shown to the asker: `citations` are case ids, most relevant first; `notice` tells the
    asker something about how the answer came about (e.g. the LLM server was down, so the built-in
    assistant answered). `skill` is what the question asked for (chat/assistant/skills.yaml); `draft` holds
    the fields of a draft bottleneck for a participant to confirm (skill draft_bottleneck)."""

    text: str
    citations: list[int]
    backend: Backend
    notice: str | None = None
    skill: str = "similar"
    draft: dict | None = None
    question: str = ""  # the question as the assistant read it: anonymised


# ---- API schemas ---------------------------------------------------------------------------------


class AssistantRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = PydanticField(
        description=(
            "De vraag, in gewone taal (mag met '@assistent' beginnen). Wordt geanonimiseerd voordat iets anders "
            "hem ziet; leeg: 422, groter dan 8 KB: 413."
        )
    )
    session_id: IdField | None = PydanticField(
        default=None,
        description=(
            "Vraag binnen dit casusoverleg (u moet deelnemer zijn; de casus is die van het overleg)."
        ),
    )
    case_id: IdField | None = PydanticField(
        default=None, description="Vraag over deze casus (u moet hem mogen zien)."
    )


class AssistantReply(BaseModel):
    answer: str = PydanticField(description="Het antwoord, geanonimiseerd.")
    citations: list[int] = PydanticField(
        description="Ids van de gebruikte casussen, meest relevant eerst; alleen casussen die u mag inzien."
    )
    backend: Backend
    notice: str | None = PydanticField(
        default=None, description="Bijvoorbeeld: het taalmodel antwoordde niet, de ingebouwde assistent wel."
    )
    skill: str = PydanticField(
        description="Wat de vraag vroeg: similar, bottlenecks, facilitation, reflect, "
        "summary, draft_bottleneck of draft_entry."
    )
    draft: dict | None = PydanticField(
        default=None,
        description=(
            "Bij draft_bottleneck: de velden van het concept-knelpunt (law, rule, kind, level, description, "
            "delay_days, workaround), om te bevestigen en als knelpunt te melden."
        ),
    )

    @classmethod
    def of(cls, answer: Answer) -> "AssistantReply":
        return cls(
            answer=answer.text,
            citations=answer.citations,
            backend=answer.backend,
            notice=answer.notice,
            skill=answer.skill,
            draft=answer.draft,
        )
