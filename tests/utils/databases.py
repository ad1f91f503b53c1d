"""Where a test's database lives. By default every test gets a copy of a migrated SQLite file in its own data
dir. With CASEBOOK_TEST_DATABASE_URL set to a PostgreSQL server (e.g. postgresql://postgres@127.0.0.1:5432/test,
as `make test-postgres` does) every test that uses a database gets a PostgreSQL database of its own instead:
created from a template migrated once per test process (CREATE DATABASE ... TEMPLATE, ~50 ms) and dropped
after the test (WITH (FORCE): connections a test left open are cut). The role needs CREATEDB."""

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from casebook.db import make_engine, migrate

TEST_DATABASE_URL = os.environ.get("CASEBOOK_TEST_DATABASE_URL") or None
SQLITE_FILE = "casebook.db"


def on_postgres() -> bool:
    return TEST_DATABASE_URL is not None


class SqliteDatabases:
    """A migrated SQLite file, copied into each test's data dir (database_url None: the data dir's file)."""

    def __init__(self, template_dir: Path):
        self.template = template_dir / SQLITE_FILE
        engine = make_engine(f"sqlite:///{self.template}")
        migrate(engine)
        engine.dispose()

    def new(self, data_dir: Path) -> str | None:
        data_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.template, data_dir / SQLITE_FILE)
        return None

    def drop(self, database_url: str | None) -> None:
        pass  # the file goes with the test's tmp_path

    def close(self) -> None:
        pass


class PostgresDatabases:
    """Databases of this test process on the PostgreSQL server of `server_url`; `new` returns a
    postgresql:// URL (the form DATABASE_URL takes), `drop` removes it again."""

    def __init__(self, server_url: str):
        self.url = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.prefix = f"casebook_test_{worker}_{uuid.uuid4().hex[:6]}"
        self.admin = make_engine(self.url.render_as_string(hide_password=False)).execution_options(
            isolation_level="AUTOCOMMIT"
        )
        self.template = f"{self.prefix}_template"
        self._execute(f'create database "{self.template}"')
        engine = make_engine(self._url_of(self.template, driver=True))
        try:
            migrate(engine)
        finally:
            engine.dispose()  # CREATE DATABASE ... TEMPLATE needs the template without connections
        self._made: set[str] = set()

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(statement))

    def _url_of(self, name: str, driver: bool = False) -> str:
        url = self.url.set(database=name).render_as_string(hide_password=False)
        return url if driver else url.replace("postgresql+psycopg://", "postgresql://", 1)

    def new(self, data_dir: Path | None = None) -> str:
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        self._execute(f'create database "{name}" template "{self.template}"')
        self._made.add(name)
        return self._url_of(name)

    def drop(self, database_url: str | None) -> None:
        if database_url is None:
            return
        name = make_url(database_url).database
        self._execute(f'drop database if exists "{name}" with (force)')
        self._made.discard(name)

    def close(self) -> None:
        for name in list(self._made):
            self._execute(f'drop database if exists "{name}" with (force)')
        self._execute(f'drop database if exists "{self.template}" with (force)')
        self.admin.dispose()


def make_databases(tmp_dir: Path) -> SqliteDatabases | PostgresDatabases:
    return PostgresDatabases(TEST_DATABASE_URL) if on_postgres() else SqliteDatabases(tmp_dir)


def sqlalchemy_url(database_url: str | None, data_dir: Path) -> str:
    """What Settings.sqlalchemy_url gives for this database_url and data dir."""
    if database_url:
        return database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{(data_dir / SQLITE_FILE).resolve()}"
