"""Turn the situation templates (`situations/*.yaml`, see `casebook.demo.models`) into case inputs. Pure and
seeded: the same seed always yields the same corpus, so a demo database, a screenshot and a test all show the
same cases."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product
from pathlib import Path

from casebook.accounts.models import Role
from casebook.cases.models import (
    ActionIn,
    BottleneckIn,
    CaseIn,
    CaseStatus,
    DecisionIn,
    FeedbackIn,
    LifeDomainIn,
)
from casebook.demo import models as demo_models
from casebook.demo.models import Situation

TEAMS: tuple[str, ...] = ("Wijkteam Noord", "Wijkteam Centrum", "Wijkteam Zuid")
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2026, 10, 31)
# Cases discussed after this day are still running; older ones are mostly closed.
RECENT = date(2026, 6, 1)


@dataclass(frozen=True)
class DemoCase:
    """One case input plus who else takes part in it, which the loader turns into participants."""

    situation: str
    case: CaseIn
    feedback: FeedbackIn | None
    invite_provider: bool
    invite_partner: bool

    def texts(self) -> list[str]:
        """Every free text of this case, as the anonymiser will see it."""
        case = self.case
        texts = [case.title, case.narrative, case.support_question, case.support_plan, case.outcome]
        texts += case.plan_items
        texts += [d.subject for d in case.decisions] + [a.description for a in case.actions]
        texts += [t for b in case.bottlenecks for t in (b.law, b.rule, b.description, b.workaround)]
        return texts + ([self.feedback.text] if self.feedback else [])


def generate_cases(seed: int = 2026, *, situations_dir: Path = demo_models.SITUATIONS_DIR) -> list[DemoCase]:
    """The demo corpus, numbered DEMO-001 onwards, always the same for the same seed and situation files."""
    rng = random.Random(seed)
    meeting_notes = demo_models.load_meeting_notes()
    cases: list[DemoCase] = []
    for situation in demo_models.load_situations(situations_dir):
        for opening, development, closing in _narrative_choices(situation, rng):
            paragraphs = (
                situation.openings[opening],
                situation.developments[development],
                rng.choice(meeting_notes),
                situation.closings[closing],
            )
            cases.append(_demo_case(situation, paragraphs, f"DEMO-{len(cases) + 1:03d}", rng))
    return cases


def _narrative_choices(situation: Situation, rng: random.Random) -> list[tuple[int, int, int]]:
    """Distinct paragraph combinations for as long as they last, so no two cases tell the same story."""
    combinations = list(
        product(
            range(len(situation.openings)), range(len(situation.developments)), range(len(situation.closings))
        )
    )
    chosen = rng.sample(combinations, min(situation.case_count, len(combinations)))
    return chosen + [rng.choice(combinations) for _ in range(situation.case_count - len(chosen))]


def _demo_case(
    situation: Situation, paragraphs: tuple[str, ...], external_id: str, rng: random.Random
) -> DemoCase:
    slots = {name: rng.choice(values) for name, values in situation.slots.items()}

    def fill(text: str) -> str:
        return text.format_map(slots)

    held_at = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    closed = held_at < RECENT and rng.random() < 0.8
    case = CaseIn(
        external_id=external_id,
        title=fill(rng.choice(situation.titles)),
        team=rng.choice(TEAMS),
        status=CaseStatus.closed if closed else CaseStatus.open,
        narrative="\n\n".join(fill(paragraph) for paragraph in paragraphs),
        life_domains=_life_domains(situation, closed, rng),
        support_question=fill(rng.choice(situation.support_questions)),
        support_plan=fill(rng.choice(situation.support_plans)),
        plan_items=[fill(item) for item in _some_in_order(situation.plan_items, rng)],
        decisions=_decisions(situation, held_at, closed, rng),
        actions=_actions(situation, held_at, closed, rng),
        outcome=fill(rng.choice(situation.outcomes)) if closed else "",
        bottlenecks=_bottlenecks(situation, fill, rng),
        held_at=held_at,
    )
    feedback = None
    if situation.feedback and rng.random() < (0.6 if closed else 0.15):
        template = rng.choice(situation.feedback)
        feedback = FeedbackIn(text=fill(template.text), plan_worked=template.plan_worked)
    provider_acts = any(action.owner_role == Role.provider for action in situation.actions)
    return DemoCase(
        situation=situation.code,
        case=case,
        feedback=feedback,
        invite_provider=feedback is not None or (provider_acts and rng.random() < 0.4),
        invite_partner=situation.with_partner and rng.random() < 0.6,
    )


def _life_domains(situation: Situation, closed: bool, rng: random.Random) -> list[LifeDomainIn]:
    """Scores after support exist only for closed cases; a domain the plan left alone keeps its score."""
    entries = []
    for template in situation.domains:
        before = rng.randint(*template.before)
        addressed = rng.random() < template.addressed
        after = max(before, rng.randint(*template.after)) if addressed else before
        entries.append(
            LifeDomainIn(
                domain=template.domain,
                score_before=before,
                score_after=after if closed else None,
                addressed=addressed,
            )
        )
    return entries


def _some_in_order(items: tuple[str, ...], rng: random.Random) -> list[str]:
    """All plan items but one (keeping at least three), in their order, so plans of a situation differ."""
    if len(items) <= 3:
        return list(items)
    keep = sorted(rng.sample(range(len(items)), len(items) - 1))
    return [items[index] for index in keep]


def _decisions(situation: Situation, held_at: date, closed: bool, rng: random.Random) -> list[DecisionIn]:
    """An open case may still wait for a decision: then `decided_on` stays empty and the wait shows."""
    decisions = []
    for template in situation.decisions:
        requested = held_at + timedelta(days=rng.randint(0, 7))
        decided = requested + timedelta(days=rng.randint(*template.lead_days))
        waiting = not closed and rng.random() < 0.4
        decisions.append(
            DecisionIn(
                subject=template.subject,
                decided_by_role=template.decided_by_role,
                with_mandate=template.with_mandate,
                requested_on=requested,
                decided_on=None if waiting else decided,
            )
        )
    return decisions


def _actions(situation: Situation, held_at: date, closed: bool, rng: random.Random) -> list[ActionIn]:
    return [
        ActionIn(
            description=template.description,
            owner_role=template.owner_role,
            due_date=held_at + timedelta(days=template.due_days + rng.randint(0, 5)),
            done=closed or rng.random() < 0.4,
        )
        for template in situation.actions
    ]


def _bottlenecks(situation: Situation, fill: Callable[[str], str], rng: random.Random) -> list[BottleneckIn]:
    """The situation's main bottleneck always applies; the others only in some of its cases."""
    chosen = [*situation.bottlenecks[:1], *(t for t in situation.bottlenecks[1:] if rng.random() < 0.5)]
    return [
        BottleneckIn(
            law=template.law,
            rule=template.rule,
            kind=template.kind,
            level=template.level,
            description=fill(template.description),
            delay_days=rng.randint(*template.delay_days),
            workaround=fill(rng.choice(template.workarounds)),
        )
        for template in chosen
    ]
