"""Engine and session handling. SQLite (WAL) by default, PostgreSQL when DATABASE_URL is set.
The schema is owned by Alembic: `migrate()` brings any database to the current head."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Field, Session, create_engine, select

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def database_key(bind: Engine | Connection) -> str:
    """Names a database for the per-database state a process keeps in memory (one process may serve several
    databases: tests, tools): its settings, search index, clusters and pseudonym maps."""
    return bind.engine.url.render_as_string(hide_password=False)


def row_id() -> Any:
    """A table's integer primary key, assigned by the database at the row's first flush.

    Declared `id: int = row_id()` rather than `int | None`: services work with stored rows (they flush before
    they hand a row on), so the id of a row in hand is an int, and the type checker keeps checking what is
    done with it instead of asking for a None check at every use."""
    return Field(default=None, primary_key=True)


def missing_ids(db_session: Session, model, ids: set[int]) -> set[int]:
    """Which of `ids` no row of `model` has (any more): what a process still remembers of erased rows."""
    if not ids:
        return set()
    return ids - set(db_session.exec(select(model.id).where(model.id.in_(ids))))


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted content is overwritten with zeros, not left in free pages: an erased case cannot be read back
    # from a copy of the data folder (see scrub_deleted for the write-ahead log).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Upgrade the database behind `engine` to the newest Alembic revision."""
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if engine.url.get_backend_name() == "sqlite" and engine.url.database:
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def scrub_deleted(bind: Engine) -> None:
    """After an erasure is committed: leave no earlier copy of the deleted rows in the database files. SQLite
    (secure_delete is on, so the pages themselves are zeroed) still holds the old page images in its
    write-ahead log until a checkpoint: the log is checkpointed into the database and truncated. PostgreSQL
    keeps deleted rows as dead tuples until a vacuum: the tables are vacuumed (space reclaimed; the bytes
    on disk are reused, not wiped, which is why SECURITY.md asks for an encrypted volume there)."""
    if bind.url.get_backend_name() == "sqlite":
        with bind.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    from sqlmodel import SQLModel

    with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in SQLModel.metadata.sorted_tables:
            connection.exec_driver_sql(f'VACUUM "{table.name}"')


@contextmanager
def transaction(db_session: Session) -> Iterator[None]:
    """One user action's writes: committed together when the block ends, rolled back together when it
    raises, so a failed action leaves nothing behind and holds no lock (SQLite's write lock, a row lock).
    The flows use it; events about the change are sent after the block, never inside it."""
    try:
        yield
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise
