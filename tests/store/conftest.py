"""Store fixtures: every store test runs on SQLite and on a throwaway PostgreSQL cluster.

PostgreSQL is skipped when its binaries are absent locally, and is a failure under ``CI=true``
(``.ci/run`` installs it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.store import Store, open_store
from tests.store.pg import Cluster, find_bindir

DIALECTS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the session, in a temporary folder, stopped at the end."""
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL (initdb, pg_ctl) is required under CI=true; .ci/run installs it")
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    try:
        cluster = Cluster(bindir).start()
    except RuntimeError as exc:  # binaries there but unusable (no postgres user to run them as root, ...)
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL could not start under CI=true: {exc}")
        pytest.skip(f"PostgreSQL could not start: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()


def new_url(dialect: str, tmp_path: Path, request: pytest.FixtureRequest, name: str = "dti") -> str:
    """A location for a fresh, empty store of ``dialect``."""
    if dialect == "sqlite":
        return str(tmp_path / f"{name}.sqlite")
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_url(name)


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
