"""Alembic environment. Like casebook/app.py it is wiring: it imports every package's tables."""

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import casebook.accounts.models  # noqa: F401
import casebook.audit.models  # noqa: F401
import casebook.cases.models  # noqa: F401
import chat.discussions.models  # noqa: F401
import chat.stream.models  # noqa: F401
import learning.aggregates.models  # noqa: F401
import learning.recurrence.models  # noqa: F401

target_metadata = SQLModel.metadata


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    from casebook.settings import get_settings

    section = {"sqlalchemy.url": get_settings().sqlalchemy_url}
    engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        run_migrations(conn)
        conn.commit()
