"""The situations of the demo corpus as data: recurring kinds of cases a sociale wijkteam meets, one YAML file
per situation in `situations/`, validated on load.

Each narrative is composed of one opening, one development and one meeting note (`meeting_notes.yaml`, shared
by all situations) and one closing paragraph, so cases of one situation read alike (the similar-case search
should find them together) without being copies. `{slot}` fields in titles, paragraphs, support questions and
plans, plan items, outcomes, feedback, bottleneck descriptions and workarounds are filled per case from
`slots`. Persons appear only as placeholders ([CLIENT], [KIND-1], …): the corpus holds no names, numbers or
addresses, real or realistic.

How a team adds a situation: copy a file in `situations/` to the next free number
(`25_<what_it_is_about>.yaml`, with `code: S25`), rewrite its texts and run `casebook demo`. Files are read in
the order of their number and the generator draws from one seeded random stream, so a new situation goes at
the end: its cases are numbered after the existing ones (DEMO-160 onwards) and every existing demo case stays
exactly as it was, so `casebook demo` on a database that already holds the demo adds just the new cases.
Editing, inserting or renumbering a file changes existing cases (a database keeps its old versions, cases are
known by external id); `tests/casebook/test_demo_situations.py` pins the built-in corpus so that this never
happens by accident. A file with an unknown or missing key, a wrong type, a `{slot}` without values, an
unknown life domain or an empty list where the generator must choose is refused on load with the file and the
key in the message.
"""

import re
import string
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from casebook.accounts.models import Role
from casebook.cases.domains import normalise_domain
from casebook.cases.models import BottleneckKind, RuleLevel, check_decided_by_role

DEMO_DIR = Path(__file__).resolve().parent
SITUATIONS_DIR = DEMO_DIR / "situations"
MEETING_NOTES_FILE = DEMO_DIR / "meeting_notes.yaml"
# The number decides the order, so the seeded corpus does not depend on how a file system lists a folder.
SITUATION_FILE_NAME = re.compile(r"(?P<number>\d+)_[a-z0-9_]+\.yaml")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _ordered(value: tuple[int, int]) -> tuple[int, int]:
    if value[0] > value[1]:
        raise ValueError(f"lower bound {value[0]} above upper bound {value[1]}")
    return value


Text = Annotated[str, Field(min_length=1)]
Texts = Annotated[tuple[Text, ...], Field(min_length=1)]  # the generator picks one, so at least one
Score = Annotated[int, Field(ge=1, le=5)]  # ZRM score
Days = Annotated[int, Field(ge=0)]
ScoreRange = Annotated[tuple[Score, Score], AfterValidator(_ordered)]
DaysRange = Annotated[tuple[Days, Days], AfterValidator(_ordered)]


class Template(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DomainTemplate(Template):
    """A ZRM life domain with the score ranges (1-5) before and after support."""

    domain: Annotated[str, AfterValidator(normalise_domain)]
    before: ScoreRange
    after: ScoreRange
    addressed: float = Field(default=1.0, ge=0, le=1)  # share of cases whose plan works on this domain


class DecisionTemplate(Template):
    subject: Text
    decided_by_role: Annotated[str, AfterValidator(check_decided_by_role)]
    lead_days: DaysRange  # from request to decision, so lead time shows in the learning views
    with_mandate: bool = False


class ActionTemplate(Template):
    description: Text
    owner_role: Role
    due_days: Days  # after the case discussion


class BottleneckTemplate(Template):
    law: Text
    rule: str
    level: RuleLevel
    kind: BottleneckKind
    description: str
    delay_days: DaysRange
    workarounds: Annotated[tuple[str, ...], Field(min_length=1)]  # "" means no workaround was found


class FeedbackTemplate(Template):
    """What a care provider reports back about the plan; `plan_worked: null` when they cannot tell yet."""

    text: Text
    plan_worked: bool | None


class Situation(Template):
    code: Annotated[str, Field(pattern=r"^S\d+$")]
    case_count: int = Field(default=7, ge=1)
    with_partner: bool = False  # a network partner (school, corporation, GP) takes part in the case
    titles: Texts
    openings: Texts
    developments: Texts
    closings: Texts
    domains: tuple[DomainTemplate, ...]
    support_questions: Texts
    support_plans: Texts
    plan_items: tuple[Text, ...]
    decisions: tuple[DecisionTemplate, ...]
    actions: tuple[ActionTemplate, ...]
    outcomes: Texts
    feedback: tuple[FeedbackTemplate, ...] = ()
    bottlenecks: tuple[BottleneckTemplate, ...] = ()  # the first always applies, the others in some cases
    slots: Mapping[str, Texts] = {}

    @model_validator(mode="after")
    def _every_slot_has_values(self) -> "Situation":
        for text in self.filled_texts():
            try:
                names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
            except ValueError as exc:
                raise ValueError(f"{exc} in {text[:60]!r}") from None
            if missing := sorted(names - self.slots.keys()):
                raise ValueError(f"slot {{{missing[0]}}} has no values under slots (in {text[:60]!r})")
        return self

    def filled_texts(self) -> Iterator[str]:
        """Every template text whose `{slot}` fields the generator fills."""
        yield from (
            *self.titles,
            *self.openings,
            *self.developments,
            *self.closings,
            *self.support_questions,
            *self.support_plans,
            *self.plan_items,
            *self.outcomes,
        )
        yield from (feedback.text for feedback in self.feedback)
        for bottleneck in self.bottlenecks:
            yield bottleneck.description
            yield from bottleneck.workarounds


TemplateT = TypeVar("TemplateT", bound=Template)


class MeetingNotes(Template):
    """How a case came to the table: one note follows the development paragraph of every narrative."""

    meeting_notes: Texts


class SituationFileError(ValueError):
    """A situation file that cannot be used; the message names the file, the key and the problem."""


def parse_situation(path: Path) -> Situation:
    return _parse(path, Situation)


@lru_cache(maxsize=4)
def load_situations(folder: Path = SITUATIONS_DIR) -> tuple[Situation, ...]:
    """Every situation in `folder`, in the order of the files' numbers; codes and numbers are unique."""
    numbered: dict[int, Path] = {}
    for path in folder.glob("*.yaml"):
        match = SITUATION_FILE_NAME.fullmatch(path.name)
        if match is None:
            raise SituationFileError(f"{path.name}: name a situation file NN_<slug>.yaml (25_buurthuis.yaml)")
        if (number := int(match["number"])) in numbered:
            raise SituationFileError(f"{path.name}: number {number} is taken by {numbered[number].name}")
        numbered[number] = path
    situations = tuple(parse_situation(numbered[number]) for number in sorted(numbered))
    codes: dict[str, Path] = {}
    for number, situation in zip(sorted(numbered), situations, strict=True):
        if situation.code in codes:
            raise SituationFileError(
                f"{numbered[number].name}: code {situation.code} is taken by {codes[situation.code].name}"
            )
        codes[situation.code] = numbered[number]
    return situations


@lru_cache(maxsize=1)
def load_meeting_notes(path: Path = MEETING_NOTES_FILE) -> tuple[str, ...]:
    return _parse(path, MeetingNotes).meeting_notes


def _parse(path: Path, model: type[TemplateT]) -> TemplateT:
    try:
        raw = yaml.load(path.read_text("utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise SituationFileError(f"{path.name}: not valid YAML ({exc})") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc'])) or '(file)'}: {error['msg']}" for error in exc.errors()
        )
        raise SituationFileError(f"{path.name}: {problems}") from None
