"""Similar-case search as the rest of the product uses it: one engine per database, opened (and
brought in step with the database) when the app or a CLI command starts, kept in step afterwards by
the case events. Every answer is limited to the cases the asking user may see."""

import logging
import sys
import threading
from collections.abc import Sequence
from datetime import date

import numpy as np
from sqlalchemy import func
from sqlmodel import Session, col, select

from casebook import policy
from casebook.accounts import service as account_service
from casebook.accounts.models import Team, User
from casebook.cases import service as case_service
from casebook.cases.domains import UnknownDomain, normalise_domain
from casebook.cases.models import (
    Action,
    Bottleneck,
    BottleneckKind,
    Case,
    Decision,
    LifeDomainEntry,
    OutcomeFeedback,
    PlanItem,
)
from casebook.db import database_key
from casebook.errors import Invalid
from casebook.i18n import gettext
from casebook.settings import Settings, settings_for
from search import ranking
from search import text as text_mod
from search.embedding import Embedder, get_embedder, is_loaded, tokenized
from search.engine import SearchEngine
from search.models import (
    DEFAULT_K,
    MAX_K,
    Audience,
    CaseDocument,
    Filters,
    SearchHit,
    SearchResult,
    WordMatch,
)

logger = logging.getLogger("casebook.search")

_engines: dict[str, SearchEngine] = {}
_pending: dict[str, Settings] = {}  # databases whose index opens on first use (empty at start)
_lock = threading.Lock()
_open_lock = threading.Lock()
_warm_ups: dict[str | None, threading.Thread] = {}  # embedding model -> the thread loading it
FACET_POOL = 100


# ---- documents from the database ---------------------------------------------------------------


def documents(*, db_session: Session, case_ids: list[int] | None = None) -> list[CaseDocument]:
    """The search documents of the given cases (all cases when None), read in bulk."""
    query = select(Case)
    if case_ids is not None:
        query = query.where(col(Case.id).in_(case_ids))
    cases = list(db_session.exec(query.order_by(col(Case.id))))
    ids = [c.id for c in cases]
    if not ids:
        return []
    teams = {t.id: t.name for t in db_session.exec(select(Team))}

    def rows(model, *columns):
        query = select(model.case_id, *columns).order_by(model.case_id, model.id)
        if case_ids is not None:
            query = query.where(col(model.case_id).in_(ids))
        grouped: dict[int, list] = {}
        for row in db_session.exec(query):
            grouped.setdefault(row[0], []).append(row[1:])
        return grouped

    domains = rows(LifeDomainEntry, LifeDomainEntry.domain)
    bottlenecks = rows(
        Bottleneck,
        Bottleneck.kind,
        Bottleneck.law,
        Bottleneck.rule,
        Bottleneck.description,
        Bottleneck.workaround,
    )
    extras = [
        rows(PlanItem, PlanItem.text),
        rows(Decision, Decision.subject),
        rows(Action, Action.description),
        rows(OutcomeFeedback, OutcomeFeedback.text),
    ]
    return [
        CaseDocument(
            case_id=c.id,
            external_id=c.external_id,
            title=c.title,
            team=teams.get(c.team_id, ""),
            team_id=c.team_id,
            narrative=c.narrative,
            support_question=c.support_question,
            support_plan=c.support_plan,
            outcome=c.outcome,
            held_at=c.held_at,
            extra=[r[0] for group in extras for r in group.get(c.id, []) if r[0]],
            life_domains=[r[0] for r in domains.get(c.id, [])],
            bottleneck_kinds=[
                str(r[0].value if hasattr(r[0], "value") else r[0]) for r in bottlenecks.get(c.id, [])
            ],
            bottleneck_texts=[t for r in bottlenecks.get(c.id, []) for t in r[1:] if t],
        )
        for c in cases
    ]


# ---- the engine per database --------------------------------------------------------------------


def _progress(items, total):
    from tqdm import tqdm

    return tqdm(
        items, total=total, desc="Zoekindex bijwerken", unit="casus", file=sys.stderr, disable=total < 5
    )


def open_index(*, settings: Settings, db_session: Session, progress: bool = True) -> SearchEngine:
    """Open the persisted index of this database (under settings.data_dir), rebuild what is missing or
    stale from the database, and register it for the case events and for searches."""
    embedder = _embedder(settings)
    directory = settings.data_dir / "search"
    engine = SearchEngine(embedder, directory)
    if not engine.load():
        directory.mkdir(parents=True, exist_ok=True)
    engine.sync(documents(db_session=db_session), progress=_progress if progress else None)
    with _lock:
        _engines[database_key(db_session.get_bind())] = engine
    return engine


def has_index(settings: Settings) -> bool:
    """An index of this data dir has been written."""
    return (settings.data_dir / "search" / "search.meta.json").exists()


def start(*, settings: Settings, db_session: Session) -> None:
    """At app start: open the index now when there is anything to index (rebuilding what is stale),
    else on first use, so an empty instance starts without loading the model."""
    if has_index(settings) or count_cases(db_session=db_session) > 0:
        open_index(settings=settings, db_session=db_session)
    else:
        with _lock:
            _pending[database_key(db_session.get_bind())] = settings


def warm_up(settings: Settings) -> threading.Thread | None:
    """Load the embedding model in a background daemon thread, once per process and model, so the first
    case save or search on an instance that opened no index at start does not load it inside the
    request (5-20 s under load). A request that needs the model meanwhile waits for this load (the
    embedder cache is locked) instead of starting a second one. None when the model is already loaded."""
    model = str(settings.embed_model) if settings.embed_model else None
    with _lock:
        thread = _warm_ups.get(model)
        if thread is None:
            if is_loaded(model, settings.embed_backend):
                return None
            thread = threading.Thread(
                target=_warm_up, args=(settings,), name="casebook-search-warm-up", daemon=True
            )
            _warm_ups[model] = thread
            thread.start()
        return thread


def _warm_up(settings: Settings) -> None:
    try:
        _embedder(settings).encode(["warm"])  # the first run of an onnxruntime session is the slowest
    except Exception:  # a failed warm-up is retried (and reported) by the first real use
        logger.warning("search model warm-up failed", exc_info=True)


def close_index(*, bind) -> None:
    with _lock:
        _pending.pop(database_key(bind), None)
        engine = _engines.pop(database_key(bind), None)
    if engine is not None:
        engine.save()


def reindex(*, settings: Settings, db_session: Session) -> dict[str, int]:
    """Rebuild the index from scratch (the CLI's `reindex`)."""
    directory = settings.data_dir / "search"
    for path in directory.glob("search.*"):
        path.unlink()
    engine = open_index(settings=settings, db_session=db_session)
    return {"cases": len(engine.docs), "chunks": engine.vectors.size}


def engine_for(db_session: Session) -> SearchEngine | None:
    """The open engine of this session's database; one registered to open on first use is opened now."""
    key = database_key(db_session.get_bind())
    engine = _engines.get(key)
    if engine is None and key in _pending:
        # One opening at a time, and the index stays pending until it is open: a search that comes in while
        # a case save opens it (or a change relayed from another process) waits for it instead of finding
        # neither an open index nor a pending one.
        with _open_lock:
            engine = _engines.get(key)
            settings = _pending.get(key)
            if engine is None and settings is not None:
                engine = open_index(settings=settings, db_session=db_session, progress=False)
                with _lock:
                    _pending.pop(key, None)
    return engine


def _require_engine(db_session: Session) -> SearchEngine:
    engine = engine_for(db_session)
    if engine is None:  # a caller outside the app (script, test) that did not open the index
        engine = open_index(settings=settings_for(db_session), db_session=db_session, progress=False)
    return engine


# ---- case events ------------------------------------------------------------------------------


def on_case_saved(*, db_session: Session, case_id: int, **_) -> None:
    engine = engine_for(db_session)
    if engine is None:
        return  # no index open for this database: it is brought in step when it is opened
    docs = documents(db_session=db_session, case_ids=[case_id])
    if docs:
        engine.upsert(docs[0])
    else:
        engine.remove(case_id)


def on_case_deleted(*, db_session: Session, case_id: int, **_) -> None:
    engine = engine_for(db_session)
    if engine is not None:
        engine.remove(case_id)


def drop_missing(*, db_session: Session) -> int:
    """Drop from this process's open index every case no longer in the database (erased by another process
    or the command line); the number dropped. Nothing to do when no index is open."""
    engine = _engines.get(database_key(db_session.get_bind()))
    if engine is None:
        return 0
    with engine.lock:
        indexed = set(engine.docs)  # before reading the database: a case saved meanwhile is in both
    existing: set[int] = set(db_session.exec(select(Case.id)).all())
    missing = indexed - existing
    for case_id in missing:
        engine.remove(case_id, save=False)
    if missing:
        engine.save()
    return len(missing)


# ---- input -----------------------------------------------------------------------------------


def parse_filters(
    *,
    db_session: Session,
    domain: str | None = None,
    kind: str | None = None,
    team: str | None = None,
    held_from: str | None = None,
    held_to: str | None = None,
    outcome: str | None = None,
) -> Filters:
    """Filters from request values; an unknown value is a 422 that names it."""
    filters = Filters()
    if domain:
        try:
            filters.domain = normalise_domain(domain)
        except UnknownDomain as exc:
            raise Invalid(gettext("domain: onbekend leefgebied %(domain)r.") % {"domain": exc.value}) from exc
    if kind:
        if kind not in BottleneckKind.__members__:
            raise Invalid(gettext("kind: onbekend soort knelpunt %(kind)r.") % {"kind": kind})
        filters.kind = kind
    if team:
        if account_service.get_team_by_name(db_session=db_session, name=team) is None:
            raise Invalid(gettext("team: onbekend team %(team)r.") % {"team": team})
        filters.team = team
    filters.held_from = _date(held_from, "from")
    filters.held_to = _date(held_to, "to")
    if outcome:
        value = {"ja": True, "true": True, "1": True, "nee": False, "false": False, "0": False}.get(
            outcome.lower()
        )
        if value is None:
            raise Invalid(gettext("outcome: onbekende waarde %(value)r (ja of nee).") % {"value": outcome})
        filters.outcome_known = value
    return filters


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid(
            gettext("%(field)s: ongeldige datum %(value)r (JJJJ-MM-DD).") % {"field": name, "value": value}
        ) from exc


def clean_query(query: str | None, engine: SearchEngine) -> tuple[str, bool]:
    """The query as the model can read it: at most its token limit (longer input is cut, not refused)."""
    query = " ".join((query or "").split())
    if not query:
        raise Invalid(gettext("Vul een zoekvraag in."))
    query = query[:20_000]
    encoded = tokenized(
        engine.embedder.tokenizer,
        query,
        truncation=True,
        max_length=engine.embedder.max_tokens,
        add_special_tokens=False,
        return_offsets_mapping=True,
    )
    offsets = encoded["offset_mapping"]
    if offsets and offsets[-1][1] < len(query.rstrip()):
        return query[: offsets[-1][1]], True
    return query, False


def clamp_k(k: int | None) -> int:
    return max(1, min(k or DEFAULT_K, MAX_K))


# ---- searching -------------------------------------------------------------------------------


def allowed_case_ids(*, db_session: Session, user: User) -> set[int] | None:
    """The ids of the cases `user` may see, selected with policy.visible_filter (None: all). Thousands
    of ids for a large team (~4 ms at 10k cases): searches use `audience` instead."""
    visible = policy.visible_filter(db_session=db_session, user=user)
    if visible is None:
        return None
    return set(db_session.exec(select(Case.id).where(visible)))


def audience(*, db_session: Session, user: User) -> Audience | None:
    """The cases `user` may see, as the two parts policy.visible_filter is made of, read with two small
    queries (the user's team ids and invitations) instead of selecting every visible case id; the
    engine matches the teams against its documents' team ids. None: no restriction.

    Equal to visible_filter by construction, from the same calls: no restriction when
    account_service.oversees_all_teams; else the cases the user holds a current invitation to
    (policy.invited_case_ids), plus, for the roles in policy.TEAM_ROLES, the cases whose team_id is in
    account_service.team_ids (no team ids: invitations only, as visible_filter's empty `teams`).
    tests/search checks the two select the same cases for a mix of roles, teams and invitations, and
    every hit is re-checked against the database (`_existing`), so a case deleted or moved to another
    team behind the index's back is not returned either."""
    if account_service.oversees_all_teams(db_session=db_session, user=user):
        return None
    invited = db_session.exec(
        policy.invited_case_ids(user=user)
    )  # current invitations only, as visible_filter
    teams = (
        account_service.team_ids(db_session=db_session, user=user) if user.role in policy.TEAM_ROLES else ()
    )
    return Audience(teams=frozenset(teams), cases=frozenset(invited))


def shared_audience(*, db_session: Session, users: Sequence[User]) -> Audience | None:
    """The cases every one of `users` may see (an answer they all read may quote only those), as one
    Audience: the teams they all see, plus the invitations of any of them that each of the others sees too
    (a case all see is either of a team they all see or one someone needs an invitation for)."""
    parts = [found for user in users if (found := audience(db_session=db_session, user=user)) is not None]
    if len(parts) < 2:
        return parts[0] if parts else None
    invited = frozenset().union(*(part.cases for part in parts))
    teams_of = (
        db_session.exec(select(Case.id, Case.team_id).where(col(Case.id).in_(invited))).all()
        if invited
        else []
    )
    return Audience(
        teams=frozenset.intersection(*(part.teams for part in parts)),
        cases=frozenset(
            case_id for case_id, team_id in teams_of if all(p.sees(case_id, team_id) for p in parts)
        ),
    )


def _existing(
    db_session: Session, engine: SearchEngine, case_ids: list[int], allowed: Audience | None = None
) -> set[int]:
    """Guard against a case deleted behind the index's back (another process): never return it, and
    drop it from the index. With an Audience, also keep only the cases it sees by their team in the
    database (the index's team of a case changed by another process may be stale)."""
    rows = (
        db_session.exec(select(Case.id, Case.team_id).where(col(Case.id).in_(case_ids))).all()
        if case_ids
        else []
    )
    found = {case_id for case_id, _ in rows}
    for missing in set(case_ids) - found:
        engine.remove(missing)
    if allowed is None:
        return found
    return {case_id for case_id, team_id in rows if allowed.sees(case_id, team_id)}


def search(
    *,
    db_session: Session,
    user: User,
    query: str | None,
    k: int | None = DEFAULT_K,
    filters: Filters | None = None,
    mode: str = "hybrid",
    co_readers: Sequence[User] = (),
) -> SearchResult:
    """The cases best matching `query` among those `user`, and each of `co_readers` (who read the result
    with them), may see."""
    engine = _require_engine(db_session)
    query, truncated = clean_query(query, engine)
    k = clamp_k(k)
    allowed = shared_audience(db_session=db_session, users=[user, *co_readers])
    scores = engine.query_text(query, mode=mode, allowed=allowed, filters=filters)
    pool = ranking.ranked(scores)[:FACET_POOL]
    existing = _existing(db_session, engine, pool, allowed)
    scores = {c: s for c, s in scores.items() if c in existing}
    hits = engine.hits(scores, k, query_terms=text_mod.terms(query), filters=filters)
    return SearchResult(
        query=query,
        k=k,
        truncated=truncated,
        hits=hits,
        facets=engine.facets(c for c in pool if c in existing),
    )


def word_matches(*, db_session: Session, query: str, case_ids: list[int]) -> list[WordMatch]:
    """Each distinct term of `query`: the word it was typed as, how rare it is in the casebook and which of
    `case_ids` hold it (typos read as the ranking reads them). The ranking's scores only order the hits; a
    caller that must say "nothing fits" instead of showing the best of weak matches (the assistant) weighs
    these facts about the cases `search` gave it by its own measure."""
    engine = _require_engine(db_session)
    with engine.lock:
        return engine.lexical.word_matches(text_mod.spelled_terms(query), case_ids)


def similar(
    *,
    db_session: Session,
    user: User,
    case_id: int,
    k: int | None = DEFAULT_K,
    filters: Filters | None = None,
    co_readers: Sequence[User] = (),
) -> list[SearchHit]:
    """Cases like `case_id` among those `user`, and each of `co_readers`, may see (403/404 if `user` may not
    see the case itself)."""
    case_service.get_or_raise(db_session=db_session, user=user, case_id=case_id)
    engine = _require_engine(db_session)
    if case_id not in engine.meta:
        on_case_saved(db_session=db_session, case_id=case_id)
    k = clamp_k(k)
    allowed = shared_audience(db_session=db_session, users=[user, *co_readers])
    scores = engine.query_case(case_id, allowed=allowed, filters=filters)
    top = ranking.ranked(scores)[: k * 2]
    existing = _existing(db_session, engine, top, allowed)
    scores = {c: scores[c] for c in top if c in existing}
    source = engine.docs.get(case_id)
    return engine.hits(scores, k, query_terms=engine.lexical.terms_of(case_id), source=source)


def likeness(
    *, db_session: Session, user: User, case_id: int, among: list[int], co_readers: Sequence[User] = ()
) -> dict[int, float]:
    """How much each case of `among` is like `case_id`: its more-like-this score (as `similar` ranks, 0 for a
    case that is not among the hits), within what `user` and `co_readers` may see. For a caller that
    reorders hits it already holds (the assistant prefers cases of one situation); no hit is explained, so
    it costs one ranking."""
    engine = _require_engine(db_session)
    if case_id not in engine.meta:
        return dict.fromkeys(among, 0.0)
    allowed = shared_audience(db_session=db_session, users=[user, *co_readers])
    scores = engine.query_case(case_id, allowed=allowed)
    return {c: scores.get(c, 0.0) for c in among}


def case_id_for(*, db_session: Session, reference: str) -> int | None:
    """A case by external id, or by numeric id."""
    case = case_service.get_by_external_id(db_session=db_session, external_id=reference)
    if case is not None:
        return case.id
    if reference.isdigit() and db_session.get(Case, int(reference)) is not None:
        return int(reference)
    return None


def count_cases(*, db_session: Session) -> int:
    return db_session.exec(select(func.count()).select_from(Case)).one()


# ---- for other packages: the same model and words as the index ---------------------------------


def embed_texts(texts: list[str], *, settings: Settings) -> np.ndarray:
    """L2-normalised sentence vectors of `texts` from the process-wide model the index uses (never a second
    copy of it)."""
    return _embedder(settings).encode(texts)


def embedding_model_id(*, settings: Settings) -> str:
    """Names the model behind `embed_texts`: vectors made under another id are stale."""
    return _embedder(settings).model_id


def _embedder(settings: Settings) -> Embedder:
    return get_embedder(settings.embed_model, settings.embed_backend, settings.embed_cache_dir)


def index_terms(text: str) -> list[str]:
    """The stemmed Dutch terms of `text`, as the lexical index sees them (stopwords left out)."""
    return text_mod.terms(text)


def index_terms_recipe() -> str:
    """Names how `index_terms` reads words (the stemmer and its release): terms kept under another recipe are
    stale."""
    return text_mod.TERMS_RECIPE
