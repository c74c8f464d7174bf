"""Schema migrations through Alembic, driven from the service's own database settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rating_service.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported by the functions that use it: the web app (its /readyz) imports this module at start.

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(database: Database) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Alembic's config interpolates "%": an encoded password or "?options=-c%20…" must be escaped.
    url = database.engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def heads() -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return list(ScriptDirectory.from_config(config).get_heads())


def upgrade(database: Database, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config(database)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(database: Database, revision: str = "base") -> None:
    from alembic import command

    config = alembic_config(database)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current(database: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_current(database: Database) -> None:
    """Refuse to work on a database whose schema is missing or behind the code."""
    from rating_service.errors import RatingServiceError

    revision = current(database)
    if revision not in heads():
        raise RatingServiceError("db_not_migrated", revision=revision or "-")
