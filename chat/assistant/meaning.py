"""How close a question is in meaning to each of the cases search found for it, read by the model that
reads Dutch (search.multilingual, multilingual-e5-small): the question as a query, each case as a passage
of its title, its support question and the rules that got in the way, the part of a case that says what it
is about in few words (not the plan, the actions or the outcome, which any case may share). Search's own ranking reads words and
the English embedding model; this one sees that a husband who "zwerft rond" and gets "geen indicatie voor
langdurige zorg" is the case of a man with dementia who "dwaalt" and was refused the Wlz, so the assistant
can prefer the case that is about the question and need not answer "no" to a question in other words than
the cases'.

Cost: the model reads about 0.5 ms of CPU per character on these 2 shared cores (a question 15-80 ms, a
case's ~280 characters ~0.15 s). Vectors are kept per text in memory (search.multilingual), so a case is
read once per process, the first time it is among a question's hits: the first answers over a cold
casebook would pay for up to twenty cases each (~2 s; see bench/README.md, "The assistant"), so at start
the most recently changed cases are read in the background (`warm_up`)."""

import logging
import threading
from collections.abc import Sequence

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from casebook.cases.models import Bottleneck, Case
from search import multilingual

WARM_BATCH = 16  # cases read from the database at a time while warming up
logger = logging.getLogger("casebook.assistant")


def closeness(*, db_session: Session, topic: str, case_ids: Sequence[int]) -> dict[int, float]:
    """The cosine of `topic` (as a question) and each case of `case_ids` (as a passage); only the cases
    found are given. The caller has checked that the asker may see them."""
    texts = passages(db_session=db_session, case_ids=case_ids)
    if not texts or not topic.strip():
        return {}
    ids = list(texts)
    question = multilingual.queries([topic])[0]
    cosines = multilingual.passages([texts[i] for i in ids]) @ question
    return {case_id: float(cosine) for case_id, cosine in zip(ids, cosines, strict=True)}


def passages(*, db_session: Session, case_ids: Sequence[int]) -> dict[int, str]:
    """What of each case is compared with a question: its title, its support question and per bottleneck
    the law, the rule and what happened (as stored: anonymised). Not the narrative: it tells the same
    situation at five times the length, and the model's time grows with the text (a first answer over a cold
    casebook took 4.5-9 s with it, and cited no better on our dev sets)."""
    cases = db_session.exec(select(Case).where(col(Case.id).in_(case_ids))).all()
    bottlenecks = db_session.exec(
        select(Bottleneck).where(col(Bottleneck.case_id).in_(case_ids)).order_by(col(Bottleneck.id))
    ).all()
    rules: dict[int, list[str]] = {}
    for b in bottlenecks:
        rules.setdefault(b.case_id, []).append(
            f"{b.law} — {b.rule}" + (f". {b.description}" if b.description else "")
        )
    return {c.id: "\n".join(filter(None, [c.title, c.support_question, *rules.get(c.id, [])])) for c in cases}


def warm_up(engine: Engine, *, cases: int) -> threading.Thread | None:
    """Read the `cases` most recently changed cases (their passages), most recent first, in a background
    daemon thread, so the first questions after a start find them read: ~0.1-0.15 s of one core a case, in
    every process (2,000 cases: 3-5 minutes). The model is held for a few texts at a time
    (multilingual.ENCODE_BATCH), so a question meanwhile waits for those at most. None when `cases` is 0."""
    if cases <= 0:
        return None
    thread = threading.Thread(
        target=_warm, args=(engine, cases), name="casebook-meaning-warm-up", daemon=True
    )
    thread.start()
    return thread


def _warm(engine: Engine, cases: int) -> None:
    try:
        with Session(engine) as db_session:
            ids = list(db_session.exec(select(Case.id).order_by(col(Case.updated_at).desc()).limit(cases)))
        for start in range(0, len(ids), WARM_BATCH):
            # A short read per batch: no transaction stays open while the model reads (on PostgreSQL it would
            # hold its locks and stall a migration of another process for minutes).
            with Session(engine) as db_session:
                texts = passages(db_session=db_session, case_ids=ids[start : start + WARM_BATCH])
            multilingual.passages(
                [texts[case_id] for case_id in ids[start : start + WARM_BATCH] if case_id in texts]
            )
    except Exception:  # noqa: BLE001 - only a head start: a question reads what it needs itself
        logger.warning("reading the cases with the Dutch model at start failed", exc_info=True)
