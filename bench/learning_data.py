"""Generated learning data at scale for bench/learning.py: cases, life domains, decisions, actions,
feedback and bottlenecks written straight into a migrated SQLite database with bulk inserts (bench only;
the product writes through its services). Bottleneck texts come from the demo situations' rules with
varied wording; their signatures are made by the product (real embeddings of each distinct text, placed
by the product's clustering) and shared by the bottlenecks that use that text."""

import random
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import insert
from sqlmodel import Session, select

from casebook.accounts import service as account_service
from casebook.accounts.models import Role, Team
from casebook.cases.domains import ZRM_DOMAINS
from casebook.cases.models import Action, Bottleneck, Case, Decision, LifeDomainEntry, OutcomeFeedback
from casebook.demo.models import load_situations
from learning.recurrence import clustering, signature
from learning.recurrence import service as recurrence_service
from learning.recurrence.models import BottleneckCluster, BottleneckSignature, BottleneckVector

TEAMS = ("Wijkteam Noord", "Wijkteam Centrum", "Wijkteam Zuid", "Wijkteam Oost")
FIRST_DAY, DAYS = date(2023, 1, 1), 4 * 365
CHUNK = 5000
OPENERS = ("", "Opnieuw: ", "In deze casus: ", "Ook hier: ", "Zoals eerder: ")
EFFECTS = (
    "",
    " Het gezin wachtte weken.",
    " De wijkcoach moest overbruggen.",
    " Schulden liepen op.",
    " Hulp startte later dan nodig.",
    " Cliënt haakte bijna af.",
)
ROLES = ("jurist backoffice", "Wmo-consulent", "teamleider", "CIZ", "consulent schuldhulpverlening")


def _bulk(db_session: Session, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db_session.exec(insert(model.__table__), params=rows[start : start + CHUNK])


def _templates(rng: random.Random) -> list[dict]:
    """Rules from the demo situations, each in a handful of wordings."""
    rules = [b for situation in load_situations() for b in situation.bottlenecks]
    out = []
    for b in rules:
        for opener in OPENERS:
            out.append(
                {
                    "law": b.law,
                    "rule": b.rule,
                    "kind": b.kind.value if hasattr(b.kind, "value") else b.kind,
                    "level": b.level.value if b.level else None,
                    "description": opener + b.description + rng.choice(EFFECTS),
                }
            )
    return out


def generate(*, db_session: Session, settings, cases: int, bottlenecks: int, seed: int = 13) -> dict:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    manager = account_service.create_user(
        db_session=db_session, username="bestuurder", password="bench-pass-1234", role=Role.manager, teams=[]
    )
    team_manager = account_service.create_user(
        db_session=db_session,
        username="manager-noord",
        password="bench-pass-1234",
        role=Role.manager,
        teams=[TEAMS[0]],
    )
    for team in TEAMS[1:]:
        account_service.create_user(
            db_session=db_session,
            username=f"coach-{team.split()[-1].lower()}",
            password="bench-pass-1234",
            role=Role.coach,
            teams=[team],
        )
    db_session.commit()
    tokens = {
        "overseer": account_service.create_token(db_session=db_session, user=manager),
        "team_manager": account_service.create_token(db_session=db_session, user=team_manager),
    }
    db_session.commit()
    team_ids = [t.id for t in db_session.exec(select(Team).order_by(Team.id))]

    held = [FIRST_DAY + timedelta(days=rng.randrange(DAYS)) for _ in range(cases)]
    _bulk(
        db_session,
        Case,
        [
            {
                "id": i + 1,
                "external_id": f"GEN-{i + 1}",
                "title": f"Casus {i + 1}",
                "team_id": team_ids[i % len(team_ids)],
                "status": "open",
                "narrative": "",
                "support_question": "",
                "support_plan": "Plan." if i % 3 else "",
                "outcome": "",
                "held_at": held[i],
                "created_at": now,
                "updated_at": now,
            }
            for i in range(cases)
        ],
    )
    domains = []
    for i in range(cases):
        chosen = {"financiën"} if rng.random() < 0.85 else set()
        chosen |= set(rng.sample(ZRM_DOMAINS, rng.randint(1, 3)))
        for domain in chosen:
            addressed = rng.random() < (0.2 if domain in ("financiën", "werk & opleiding") else 0.6)
            domains.append({"case_id": i + 1, "domain": domain, "addressed": addressed})
    _bulk(db_session, LifeDomainEntry, domains)
    decisions, actions, feedback = [], [], []
    for i in range(0, cases, 2):
        requested = held[i]
        mandate = rng.random() < 0.25
        decisions.append(
            {
                "case_id": i + 1,
                "subject": "Besluit",
                "decided_by_role": rng.choice(ROLES),
                "with_mandate": mandate,
                "requested_on": requested,
                "decided_on": requested
                + timedelta(days=rng.randint(1, 5) if mandate else rng.randint(10, 90)),
            }
        )
        actions.append(
            {
                "case_id": i + 1,
                "description": "Afspraak",
                "owner_role": "coach",
                "due_date": requested + timedelta(days=14),
                "done": rng.random() < 0.6,
            }
        )
        if i % 3 and rng.random() < 0.3:
            feedback.append(
                {
                    "case_id": i + 1,
                    "author_role": "provider",
                    "text": "Plan werkte.",
                    "plan_worked": True,
                    "created_at": now,
                }
            )
    _bulk(db_session, Decision, decisions)
    _bulk(db_session, Action, actions)
    _bulk(db_session, OutcomeFeedback, feedback)

    templates = _templates(rng)
    vectors = recurrence_service.sign(
        [signature.Draft(t["law"], t["rule"], t["description"], t["kind"], t["level"]) for t in templates],
        settings=settings,
    )
    labels = clustering.assign(vectors, signature.as_query(vectors), recurrence_service.THRESHOLD)
    _bulk(
        db_session,
        BottleneckCluster,
        [{"id": label + 1, "created_at": now, "updated_at": now} for label in sorted(set(labels))],
    )
    recipe = recurrence_service.recipe(settings=settings)
    blobs = [v.astype(np.float16).tobytes() for v in vectors]
    rows, signatures, kept = [], [], []
    for b in range(bottlenecks):
        t = rng.randrange(len(templates))
        rows.append(
            {
                "id": b + 1,
                "case_id": rng.randrange(cases) + 1,
                **templates[t],
                "status": "new",
                "delay_days": rng.randint(0, 120),
                "workaround": "",
                "created_at": now,
            }
        )
        signatures.append(
            {"bottleneck_id": b + 1, "cluster_id": labels[t] + 1, "recipe": recipe, "placed_by_hand": False}
        )
        kept.append({"bottleneck_id": b + 1, "vector": blobs[t]})
    _bulk(db_session, Bottleneck, rows)
    _bulk(db_session, BottleneckSignature, signatures)
    _bulk(db_session, BottleneckVector, kept)
    db_session.commit()
    return {
        "tokens": tokens,
        "templates": len(templates),
        "clusters": len(set(labels)),
        "domains": len(domains),
        "decisions": len(decisions),
    }
