"""Finding the cases an answer may quote: only through the search service, with the asker's own visibility
(search limits to the teams and invitations of the user, re-checks each hit in the database), and each
cited case read once more through casebook's access rule before anything of it is quoted. Nothing in the
question can widen this: the user, not the text, decides what is searched.

Honesty: a free-text question is answered from cases only when at least one of the top hits really covers
it (search.service.coverage, the share of the question's rare words the case holds). The threshold was
calibrated on the shared evaluation set (bench/assistant.py): every one of its 40 free-text queries has a
top-3 hit covering at least 0.45 of it, while questions about things the casebook does not hold
("fietsenstalling bij het station is kapot", "recept voor appeltaart") stay at 0.35 or below."""

from dataclasses import dataclass

from sqlmodel import Session

from casebook import policy
from casebook.accounts.models import User
from casebook.cases import service as case_service
from casebook.cases.models import Case, CaseRead
from chat.assistant import language
from chat.assistant.models import Source
from search import service as search_service

MIN_COVERAGE = 0.37
MAX_CITED = 3
MIN_TOPIC_WORDS = 2  # fewer words than this about the case itself: search by the case under discussion


@dataclass(frozen=True)
class Retrieved:
    """One case an answer may quote: the Source (what any backend sees) and the whole anonymised record."""

    source: Source
    case: CaseRead


def has_topic(topic: str) -> bool:
    return len(language.content_words(topic.split())) >= MIN_TOPIC_WORDS


def similar_cases(
    *, db_session: Session, user: User, topic: str, context_case_id: int | None = None, limit: int = MAX_CITED
) -> list[Retrieved]:
    """The cases most like the question (its `topic`), or, when the question says too little, most like the
    case under discussion; the case under discussion itself is never cited. Most relevant first; empty when
    nothing fits."""
    if has_topic(topic):
        # One more than cited: the case under discussion may be among the hits.
        hits = search_service.search(db_session=db_session, user=user, query=topic, k=limit + 1).hits
        hits = [h for h in hits if h.case_id != context_case_id][:limit]
        fit = search_service.coverage(db_session=db_session, query=topic, case_ids=[h.case_id for h in hits])
        if max(fit.values(), default=0.0) < MIN_COVERAGE:
            return []
    elif context_case_id is not None:
        hits = search_service.similar(db_session=db_session, user=user, case_id=context_case_id, k=limit)
        # More like this always finds something; quote only what shares a life domain, a kind of
        # bottleneck or distinctive words with the case, and say which (`why`).
        hits = [h for h in hits if h.why.shared_domains or h.why.shared_kinds or h.why.matched_terms]
    else:
        return []
    return [
        found for hit in hits if (found := _readable(db_session, user, hit.case_id, hit.score)) is not None
    ]


def _readable(db_session: Session, user: User, case_id: int, score: float) -> Retrieved | None:
    """The case as quotable text, if `user` may still see it (the database is asked once more)."""
    case = db_session.get(Case, case_id)
    if case is None or not policy.can_view(db_session=db_session, user=user, case=case):
        return None
    read = case_service.to_read(db_session=db_session, case=case)
    return Retrieved(
        source=Source(case_id=read.id, title=read.title, text=quotable_text(read), score=score), case=read
    )


def quotable_text(case: CaseRead) -> str:
    """What a backend may quote from a case: its situation, the rules that got in the way, what was agreed,
    the outcome and the provider's feedback, as labelled lines (all anonymised when stored)."""
    lines = [f"Titel: {case.title}", f"Situatie: {case.narrative}"]
    if case.support_question:
        lines.append(f"Hulpvraag: {case.support_question}")
    if case.life_domains:
        lines.append("Leefgebieden: " + ", ".join(e.domain for e in case.life_domains))
    for b in case.bottlenecks:
        delay = f", {b.delay_days} dagen vertraging" if b.delay_days is not None else ""
        level = f", {b.level.value}" if b.level else ""
        lines.append(f"Knelpunt: {b.law} — {b.rule} ({b.kind.value}{level}{delay}). {b.description}".strip())
        if b.workaround:
            lines.append(f"Omweg: {b.workaround}")
    if case.support_plan:
        lines.append(f"Plan: {case.support_plan}")
    lines += [f"Afspraak: {a.description}" for a in case.actions]
    if case.outcome:
        lines.append(f"Uitkomst: {case.outcome}")
    lines += [f"Terugkoppeling: {f.text}" for f in case.feedback]
    return "\n".join(lines)
