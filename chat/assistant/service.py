"""The assistant's one interface, for the API, the room and the case page: `answer` a question in the
context it is asked in (a case, a live discussion, or neither).

Order of work, which is what the privacy rules rest on: the question is size-checked and anonymised first
(nothing else sees the original), the context is checked against the asker's rights, the skill is
recognised, cases are retrieved with the asker's own visibility (chat.assistant.retrieval), one backend
composes the answer, and the answer passes the anonymiser before anyone sees it. The LLM backend answers
only when the settings name a server, and only for the skills that answer from retrieved cases; it talks
HTTP with httpx (a core dependency), so it is always there, and when the server fails the built-in
assistant answers, with a notice saying so. The LLM's answer can be shown while it is written (the room
streams it): each piece shown has passed the anonymiser already."""

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts.models import User
from casebook.anonymise import service as anonymise_service
from casebook.cases import service as case_service
from casebook.cases.models import Case
from casebook.errors import Forbidden, Invalid, RetryLater
from casebook.settings import Settings
from chat import methods
from chat.assistant import builtin, llm, llm_backend, prompt, retrieval, skills
from chat.assistant.budget import QuestionBudget, SharedQuestionBudget
from chat.assistant.builtin import Context
from chat.assistant.models import Answer
from chat.assistant.output_filter import Anonymise
from chat.discussions import anonymiser as discussion_anonymiser
from chat.discussions import service as discussion_service
from chat.discussions.models import DiscussionSession
from chat.limits import UserLimits
from chat.sockets import channel_for
from chat.stream import service as stream_service

EMPTY = "Stel een vraag: het bericht is leeg."
TOO_MANY = "U stelt de assistent te veel vragen tegelijk. Wacht even ({seconds} s) en vraag het opnieuw."
SWITCHED_OFF = "De assistent staat uit in dit casusoverleg (de gespreksleider kan hem aanzetten)."
LLM_FAILED = (
    "De taalmodel-server gaf geen (bruikbaar) antwoord op tijd; de ingebouwde assistent heeft geantwoord."
)
LLM_SKILLS = frozenset({"similar", "bottlenecks"})  # the skills that answer from retrieved cases
RETRIEVING_SKILLS = LLM_SKILLS | {"draft_entry"}


def question_limits(settings: Settings) -> QuestionBudget:
    """The per-user budget of questions (settings.assistant_questions_per_minute, with bursts), shared by the
    room, the case panel and the API: in Redis when the app is scaled out (every process together), else in
    this process."""
    rate, burst = settings.assistant_questions_per_minute / 60, settings.assistant_question_burst
    if settings.redis_url and rate:
        return SharedQuestionBudget(settings.redis_url, channel_for(settings), rate=rate, burst=burst)
    return UserLimits(max_connections=0, rate=rate, burst=burst)


def take_question(budget: QuestionBudget, user: User) -> None:
    """Count one question of `user`; 429 (RetryLater) when their budget is spent."""
    wait = budget.take(user.id)
    if wait is not None:
        raise RetryLater(TOO_MANY, wait)


def answer(
    *,
    db_session: Session,
    user: User,
    message: str,
    settings: Settings,
    session_id: int | None = None,
    case_id: int | None = None,
    methods_dir: Path | None = None,
) -> Answer:
    """Answer `message` (raw, as typed) for `user`, about the discussion (`session_id`) or case given (checked: 403/404), with
    the cases `user` may see. Empty: 422; over the room's message limit: 413."""
    stream_service.check_message_size(message)
    if not skills.strip_address(message).strip():
        raise Invalid(EMPTY)
    context = context_for(
        db_session=db_session, user=user, session_id=session_id, case_id=case_id, methods_dir=methods_dir
    )
    read = None
    anonymise: Callable[[str], str]
    if context.discussion is not None:
        anonymise = discussion_anonymiser.anonymiser(db_session=db_session, session_id=context.discussion.id)
        read = anonymise.read
    elif context.case is not None:
        anonymise = case_service.case_anonymiser(
            db_session=db_session, case=db_session.get_one(Case, context.case.id)
        )
    else:
        anonymise = _anonymise
    return answer_anonymised(
        db_session=db_session,
        user=user,
        question=anonymise(skills.strip_address(message)),
        context=context,
        settings=settings,
        anonymise=anonymise,
        read=read,
    )


def _anonymise(text: str, where: str = "") -> str:
    return anonymise_service.anonymise_text(text).text


def context_for(
    *,
    db_session: Session,
    user: User,
    session_id: int | None = None,
    case_id: int | None = None,
    methods_dir: Path | None = None,
) -> Context:
    """The case and discussion a question is about, if `user` may see them (else 403/404, as everywhere)."""
    discussion = None
    if session_id is not None:
        discussion = discussion_service.get_or_raise(db_session=db_session, user=user, session_id=session_id)
        if not discussion.assistant_enabled:
            raise Forbidden(SWITCHED_OFF)
        if case_id is not None and case_id != discussion.case_id:
            raise Invalid("case_id hoort niet bij dit casusoverleg: laat één van beide weg.")
        case_id = discussion.case_id
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id) if case_id else None
    return Context(
        case=case_service.to_read(db_session=db_session, case=case) if case else None,
        discussion=discussion,
        method=methods.get(discussion.method, methods_dir) if discussion else None,
        methods_dir=methods_dir,
    )


def discussion_context(
    *, db_session: Session, user: User, discussion: DiscussionSession, methods_dir: Path | None = None
) -> Context:
    """The context of a question asked in the room, for a participant the room has just checked: everyone in
    the room reads the answer."""
    case = case_service.get_or_raise(db_session=db_session, user=user, case_id=discussion.case_id)
    return Context(
        case=case_service.to_read(db_session=db_session, case=case),
        discussion=discussion,
        method=methods.get(discussion.method, methods_dir),
        methods_dir=methods_dir,
        co_readers=tuple(discussion_service.room_readers(db_session=db_session, discussion=discussion)),
    )


def answer_anonymised(
    *,
    db_session: Session,
    user: User,
    question: str,
    context: Context,
    settings: Settings,
    anonymise=_anonymise,
    read: Anonymise | None = None,
    show: Callable[[str], None] | None = None,
) -> Answer:
    """Answer a question that is already anonymised (the room stores it first) in a checked context; the
    answer passes `anonymise` (the room's or the case's anonymiser) before it is returned.

    The LLM backend's answer is released a sentence at a time through `read` (`anonymise` telling what it
    found where, e.g. discussion_anonymiser.SessionAnonymiser.read: the room's roster and numbering; None: a fresh
    anonymiser continuing the prompt's numbering), and `show` is called with the answer as released so far
    each time it grows. When the server fails, even after `show` was called, the built-in answer follows."""
    recognised = skills.recognise(question)
    skill = recognised.skill.id
    found = []
    if skill in RETRIEVING_SKILLS:
        topic = recognised.topic if skill != "draft_entry" else ""
        found = retrieval.similar_cases(
            db_session=db_session,
            user=user,
            topic=topic,
            context_case_id=context.case.id if context.case else None,
            co_readers=context.co_readers,
        )
    notice = None
    if skill in LLM_SKILLS and found and settings.llm_url:
        try:
            result = _answer_with_llm(question, found, skill, settings.llm_url, settings, read, show)
            return replace(result, text=anonymise(result.text), skill=skill, question=question)
        except llm.LLMUnavailable:
            notice = LLM_FAILED
    composed = _builtin(db_session, context, skill, recognised.topic, question, found)
    return Answer(
        text=anonymise(composed.text),
        citations=composed.citations,
        backend="builtin",
        notice=notice,
        skill=skill,
        draft=composed.draft,
        question=question,
    )


def cited_titles(*, db_session: Session, case_ids: list[int]) -> dict[int, str]:
    """The (anonymised) titles of cases an answer cited, for links beside it."""
    if not case_ids:
        return {}
    return dict(db_session.exec(select(Case.id, Case.title).where(col(Case.id).in_(case_ids))).all())


def closing_draft(
    *, db_session: Session, user: User, discussion: DiscussionSession, methods_dir: Path | None = None
) -> str:
    """The draft casebook entry written when `user` (the facilitator) closes `discussion`: the built-in
    assistant's, anonymised with the discussion's anonymiser. It becomes part of the case, so the cases it
    compares with are those everyone who may read the case may see (the room's participants among them)."""
    context = discussion_context(
        db_session=db_session, user=user, discussion=discussion, methods_dir=methods_dir
    )
    found = retrieval.similar_cases(
        db_session=db_session,
        user=user,
        topic="",
        context_case_id=discussion.case_id,
        co_readers=policy.readers(db_session=db_session, case=db_session.get_one(Case, discussion.case_id)),
    )
    text = builtin.draft_entry(db_session, context, found).text
    return discussion_anonymiser.anonymiser(db_session=db_session, session_id=discussion.id)(text)


def _builtin(
    db_session: Session,
    context: Context,
    skill: str,
    topic: str,
    question: str,
    found: list[retrieval.Retrieved],
) -> builtin.Composed:
    if skill == "similar":
        return builtin.similar(found, builtin.readers_phrase(context))
    if skill == "bottlenecks":
        return builtin.bottlenecks(found, builtin.readers_phrase(context))
    if skill == "draft_entry":
        return builtin.draft_entry(db_session, context, found)
    if skill == "draft_bottleneck":
        return builtin.draft_bottleneck(db_session, context, topic, question)
    return {"facilitation": builtin.facilitation, "reflect": builtin.reflect, "summary": builtin.summary}[
        skill
    ](db_session, context)


def _answer_with_llm(
    question: str,
    found: list[retrieval.Retrieved],
    skill: str,
    llm_url: str,
    settings: Settings,
    read: Anonymise | None,
    show: Callable[[str], None] | None,
) -> Answer:
    """The seam to the LLM backend: its answer from the retrieved cases (ranked), citing them. Raises
    llm.LLMUnavailable when the server is down, slow or talks garbage."""
    client = llm.LLMClient(
        llm_url, settings.llm_model or None, settings.llm_timeout, max_tokens=settings.llm_max_tokens
    )
    return llm_backend.answer(
        client,
        question,
        [item.source for item in found],
        skill,
        anonymise=read,
        show=show,
        prompt_chars=settings.llm_prompt_chars or prompt.PROMPT_CHARS,
    )
