"""The same storage behaviour on SQLite (embedded default) and PostgreSQL (scale-out).
PostgreSQL tests skip with a reason on a laptop without it, and fail instead of skipping under CI=true."""

import shutil

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from casebook.accounts.models import Role
from casebook.cases import service as case_service
from casebook.cases.models import Bottleneck, Case, LifeDomainEntry
from casebook.db import make_engine
from utils.factories import make_case, make_user
from utils.services import private_postgres_schema


@pytest.fixture
def sqlite_engine(tmp_path, migrated_sqlite_template):
    """SQLite itself, also when the suite runs on PostgreSQL (CASEBOOK_TEST_DATABASE_URL)."""
    shutil.copy(migrated_sqlite_template, tmp_path / "sqlite.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'sqlite.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def storage(request):
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_engine")
        return
    with private_postgres_schema() as (pg_engine, _url):
        yield pg_engine


def test_a_case_with_its_record_round_trips(storage):
    with Session(storage, expire_on_commit=False) as db_session:
        coach = make_user(db_session, "coach")
        case = make_case(
            db_session,
            coach,
            life_domains=["financiën", "huisvesting"],
            bottlenecks=[{"law": "Wmo 2015", "kind": "mandaat", "delay_days": 30}],
        )
        read = case_service.to_read(db_session=db_session, case=case)
    assert [d.domain for d in read.life_domains] == ["financiën", "huisvesting"]
    assert read.bottlenecks[0].delay_days == 30


def test_deleting_a_case_deletes_its_record(storage):
    with Session(storage, expire_on_commit=False) as db_session:
        coach = make_user(db_session, "coach")
        case = make_case(db_session, coach, bottlenecks=[{"law": "Wmo 2015", "kind": "mandaat"}])
        case_service.delete(db_session=db_session, user=coach, case=case)
        assert db_session.exec(select(Case)).all() == []
        assert db_session.exec(select(Bottleneck)).all() == []
        assert db_session.exec(select(LifeDomainEntry)).all() == []


def test_listing_filters_and_pages_the_same_way(storage):
    with Session(storage, expire_on_commit=False) as db_session:
        coach = make_user(db_session, "coach")
        for number in range(3):
            make_case(
                db_session,
                coach,
                title=f"casus {number}",
                bottlenecks=[{"law": "Jeugdwet", "kind": "tegenstrijdige_regels"}] if number else [],
            )
        items, total = case_service.list_cases(
            db_session=db_session, user=coach, has_bottleneck=True, per_page=1
        )
        assert total == 2 and len(items) == 1


def test_the_schema_is_migrated_up_to_date_with_the_models(storage):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import chat.discussions.models  # noqa: F401 - every table must be known to the metadata
    import chat.stream.models  # noqa: F401

    with storage.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_sqlite_runs_in_wal_mode(sqlite_engine):
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("pragma journal_mode")).scalar() == "wal"


def test_a_manager_role_is_stored_as_given(storage):
    with Session(storage, expire_on_commit=False) as db_session:
        manager = make_user(db_session, "boss", Role.manager, teams=())
        assert db_session.get(type(manager), manager.id).role == Role.manager
