"""The runner's store fixtures: the demo season written once, and run into a store of each dialect."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.catalogue import Catalogue
from pipeline.run import RunResult
from tests.conftest import new_url
from tests.runner.children import CHILDREN
from tests.runner.season import Inbox, run_season, write_inbox


@pytest.fixture(scope="session")
def season_inbox(tmp_path_factory: pytest.TempPathFactory, cat: Catalogue) -> Inbox:
    return write_inbox(cat, tmp_path_factory.mktemp("season") / "inbox")


@dataclass(frozen=True)
class Stored:
    """A season run into one store: where the store is, the outputs' folder, each run's result."""

    dialect: str
    db: str
    out: Path
    results: dict[str, RunResult]


@pytest.fixture(scope="session", params=("sqlite", "postgresql"))
def season(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    cat: Catalogue,
    season_inbox: Inbox,
) -> Iterator[Stored]:
    """The whole season (2023-10 … 2023), period by period, into a fresh store of each dialect.

    Shared by the session's tests: a test may add runs to it that change nothing (the same returns
    again, or none) and write their outputs elsewhere, never change what it holds."""
    dialect = str(request.param)
    root = tmp_path_factory.mktemp(f"season-{dialect}")
    db = new_url(dialect, root, request, "season")
    yield Stored(dialect, db, root / "out", run_season(cat, season_inbox, root / "out", db))


@pytest.fixture(autouse=True)
def no_child_left() -> Iterator[None]:
    """A failed test leaves no child waiting forever (each is killed by its own pid)."""
    yield
    while CHILDREN:
        proc = CHILDREN.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)
