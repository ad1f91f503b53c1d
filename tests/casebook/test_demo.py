"""The demo corpus: realistic, anonymous, deterministic, and safe to load twice."""

import re
from collections import Counter
from datetime import date

import pytest
from sqlmodel import Session, select

from casebook.accounts import service as account_service
from casebook.accounts.models import Role
from casebook.cases import service as case_service
from casebook.cases.models import BottleneckKind, CaseParticipant, CaseStatus, OutcomeFeedback
from casebook.db import make_engine, migrate
from casebook.demo.generator import TEAMS, generate_cases
from casebook.demo.service import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from utils.databases import sqlalchemy_url

PLACEHOLDER = re.compile(r"\[[^\]]*\]")
KNOWN_PLACEHOLDER = re.compile(r"\[[A-Z]+(-\d+)?\]")


@pytest.fixture(scope="module")
def corpus():
    return generate_cases()


@pytest.fixture(scope="module")
def engine(tmp_path_factory, databases):
    data_dir = tmp_path_factory.mktemp("demo")
    database_url = databases.new(data_dir)
    engine = make_engine(sqlalchemy_url(database_url, data_dir))
    migrate(engine)
    with Session(engine, expire_on_commit=False) as db_session:
        load_demo(db_session=db_session)
    yield engine
    engine.dispose()
    databases.drop(database_url)


@pytest.fixture
def db_session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


def test_demo_has_at_least_150_cases_over_20_situations(corpus):
    assert len(corpus) >= 150
    assert len({demo_case.situation for demo_case in corpus}) >= 20
    assert len({demo_case.case.external_id for demo_case in corpus}) == len(corpus)


def test_generating_the_demo_twice_gives_the_same_corpus(corpus):
    assert [c.case.model_dump() for c in generate_cases()] == [c.case.model_dump() for c in corpus]
    assert [c.case.narrative for c in generate_cases(seed=7)] != [c.case.narrative for c in corpus]


def test_every_narrative_is_150_to_350_words(corpus):
    lengths = [len(demo_case.case.narrative.split()) for demo_case in corpus]
    assert min(lengths) >= 150 and max(lengths) <= 350


def test_cases_of_one_situation_are_similar_but_not_identical(corpus):
    by_situation: dict[str, list[str]] = {}
    for demo_case in corpus:
        by_situation.setdefault(demo_case.situation, []).append(demo_case.case.narrative)
    for narratives in by_situation.values():
        assert len(set(narratives)) == len(narratives)


def test_demo_texts_name_people_only_by_placeholder(corpus):
    for demo_case in corpus:
        for text in demo_case.texts():
            assert all(KNOWN_PLACEHOLDER.fullmatch(p) for p in PLACEHOLDER.findall(text)), text
            assert not re.search(r"\d{8,}|\b\d{4} ?[A-Z]{2}\b|@", text), text


def test_demo_covers_every_bottleneck_kind_and_has_cases_without_bottleneck(corpus):
    kinds = {b.kind for demo_case in corpus for b in demo_case.case.bottlenecks}
    assert kinds == set(BottleneckKind)
    levels = {b.level for demo_case in corpus for b in demo_case.case.bottlenecks}
    assert len(levels) == 3
    assert sum(1 for demo_case in corpus if not demo_case.case.bottlenecks) >= 5


def test_demo_spreads_over_three_teams_and_2024_to_2026(corpus):
    assert Counter(demo_case.case.team for demo_case in corpus).keys() == set(TEAMS)
    held = [demo_case.case.held_at for demo_case in corpus]
    assert date(2024, 1, 1) <= min(held) and max(held) <= date(2026, 10, 31)
    assert {day.year for day in held} == {2024, 2025, 2026}


def test_closed_cases_show_outcome_and_scores_while_open_cases_may_still_wait(corpus):
    closed = [c.case for c in corpus if c.case.status == CaseStatus.closed]
    still_open = [c.case for c in corpus if c.case.status == CaseStatus.open]
    assert closed and still_open
    assert all(case.outcome and all(d.score_after for d in case.life_domains) for case in closed)
    assert all(not case.outcome for case in still_open)
    assert any(d.decided_on is None for case in still_open for d in case.decisions)
    assert all(d.decided_on > d.requested_on for case in closed for d in case.decisions)


def test_loading_the_demo_stores_every_case(db_session, corpus):
    for demo_case in corpus:
        external_id = demo_case.case.external_id
        stored = case_service.get_by_external_id(db_session=db_session, external_id=external_id)
        assert stored is not None and stored.status == demo_case.case.status
    assert len(db_session.exec(select(OutcomeFeedback)).all()) == sum(1 for c in corpus if c.feedback)


def test_loading_the_demo_twice_creates_nothing_new(db_session):
    result = load_demo(db_session=db_session)
    assert (
        result.teams_created,
        result.users_created,
        result.cases_created,
        result.feedback_created,
        result.participants_added,
    ) == (0, 0, 0, 0, 0)
    assert len(result.logins) == len(DEMO_LOGINS)


def test_every_role_can_log_in_to_the_demo(db_session):
    assert {login.role for login in DEMO_LOGINS} == set(Role)
    for login in DEMO_LOGINS:
        user = account_service.authenticate(
            db_session=db_session, username=login.username, password=DEMO_PASSWORD
        )
        assert user is not None and user.role == login.role
        assert account_service.team_names(db_session=db_session, user=user) == sorted(login.teams)


def test_coaches_see_their_own_team_and_the_team_less_manager_sees_all(db_session, corpus):
    coach = account_service.get_by_username(db_session=db_session, username="coach-noord-1")
    _, coach_total = case_service.list_cases(db_session=db_session, user=coach)
    assert coach_total == sum(1 for c in corpus if c.case.team == "Wijkteam Noord")
    overseer = account_service.get_by_username(db_session=db_session, username="bestuurder")
    assert case_service.list_cases(db_session=db_session, user=overseer)[1] == len(corpus)


@pytest.mark.parametrize("username", ["zorgaanbieder", "netwerkpartner"])
def test_provider_and_partner_see_only_the_cases_they_take_part_in(db_session, username):
    user = account_service.get_by_username(db_session=db_session, username=username)
    _, total = case_service.list_cases(db_session=db_session, user=user)
    invited = db_session.exec(select(CaseParticipant).where(CaseParticipant.user_id == user.id)).all()
    assert 0 < total == len(invited)


def test_provider_feedback_reaches_the_case(db_session):
    provider = account_service.get_by_username(db_session=db_session, username="zorgaanbieder")
    feedback = db_session.exec(select(OutcomeFeedback)).all()
    assert feedback and all(f.author_id == provider.id and f.author_role == Role.provider for f in feedback)


def test_the_privacy_scan_finds_nothing_in_the_loaded_demo(db_session):
    import casebook.app  # noqa: F401 - every table registered, as in the CLI
    from casebook.privacy import service as privacy_service

    assert [finding.describe() for finding in privacy_service.scan_database(db_session=db_session)] == []
