"""Alembic, run programmatically: the head revision, a store's revision, upgrading in place.

The scripts ship inside the package (``pipeline/store/migrations/``); no ``alembic.ini`` is
read. Upgrades run on a connection the caller already holds in a locked write transaction, so
they commit with it or not at all.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"


def config(connection: sa.Connection | None = None) -> Config:
    """An in-memory Alembic configuration pointing at the packaged scripts."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(config())


def head() -> str:
    """The newest revision this version of dti knows."""
    rev = _script().get_current_head()
    assert rev is not None
    return rev


def revisions() -> tuple[str, ...]:
    """Every known revision, oldest first."""
    return tuple(reversed([s.revision for s in _script().walk_revisions()]))


def is_known(revision: str) -> bool:
    """True when ``revision`` is one of this version's scripts."""
    try:
        return _script().get_revision(revision) is not None
    except CommandError:  # alembic's error for an unknown revision id
        return False


def current(conn: sa.Connection) -> str | None:
    """The store's revision, or ``None`` when it has no version table (a new store)."""
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(conn: sa.Connection, target: str = "head") -> None:
    """Upgrade the store on ``conn`` (inside the caller's transaction) to ``target``."""
    command.upgrade(config(conn), target)
