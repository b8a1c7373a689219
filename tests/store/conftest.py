"""Store fixtures: every store test runs on SQLite and on a throwaway PostgreSQL cluster
(``pg_cluster`` in tests/conftest.py: skipped when its binaries are absent locally, a failure
under ``CI=true``; ``.ci/run`` installs it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.store import Store, open_store
from tests.conftest import new_url

DIALECTS = ("sqlite", "postgresql")


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_url(dialect: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where a fresh store of the test's dialect goes (not created yet)."""
    return new_url(dialect, tmp_path, request)


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> Iterator[Store]:
    """A fresh store, opened (created) on the test's dialect."""
    s = open_store(store_url, default_path=tmp_path / "unused.sqlite", lock_wait=5)
    try:
        yield s
    finally:
        s.close()
