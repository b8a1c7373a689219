"""Shared fixtures: the project's catalogue, LibreOffice, a throwaway PostgreSQL cluster, and small
workbook helpers."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.base.periods import Period, parse_period
from pipeline.catalogue import Catalogue, load_catalogue
from tests.store.pg import Cluster, find_bindir

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"


@pytest.fixture(scope="session")
def cat() -> Catalogue:
    return load_catalogue(SCHEMAS)


@pytest.fixture(scope="session")
def q4() -> Period:
    return parse_period("2023-Q4")


QUARTERLY_TASKS = {
    "quarter:\n    deadline: {day: 20}\n    weeks: 13\n    expected: [DAI_TTTH, WARDS]\n    sheets: [indicators]\n    tasks_from: month": (
        "quarter:\n    deadline: {day: 20}\n    weeks: 13\n    expected: [ALL]\n    sheets: [tasks, indicators]"
    ),
    "year:\n    deadline: {month: 12, day: 15}\n    weeks: 52\n    expected: [DAI_TTTH, WARDS]\n    sheets: [indicators]\n    tasks_from: month": (
        "year:\n    deadline: {month: 12, day: 15}\n    weeks: 52\n    expected: [ALL]\n    sheets: [tasks, indicators]"
    ),
}


def quarterly_tasks_profile(root: Path) -> Path:
    """The project's schemas, but with a calendar in which every unit reports its tasks each
    quarter and year too (in one return with its indicators), as some localities ask: the tests
    of reading, checking and writing a return with both sheets run on it."""
    shutil.copytree(SCHEMAS, root)
    text = (root / "calendar.yaml").read_text(encoding="utf-8")
    for old, new in QUARTERLY_TASKS.items():
        assert old in text, old
        text = text.replace(old, new)
    (root / "calendar.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def qcat(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """A catalogue whose quarterly returns carry the tasks as well as the indicators."""
    return load_catalogue(quarterly_tasks_profile(tmp_path_factory.mktemp("quarterly") / "schemas"))


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's binary: skipped locally when absent, a failure under CI=true."""
    path = soffice_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required under CI=true; .ci/run installs it")
        pytest.skip("LibreOffice (soffice) is not installed")
    return path


def convert(soffice: str, src: Path, fmt: str, out_dir: Path) -> Path:
    """Convert a file with LibreOffice headless (pdf, xlsx, xls, ods); return the new file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / ".lo-profile"
    cmd = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        fmt,
        "--outdir",
        str(out_dir),
        str(src),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    target = out_dir / f"{src.stem}.{fmt.split(':')[0]}"
    assert proc.returncode == 0 and target.exists(), f"LibreOffice failed: {proc.stdout} {proc.stderr}"
    return target


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the session, in a temporary folder, stopped at the end (the store
    tests and the runner's store tests share it).

    Skipped when PostgreSQL's binaries are absent locally, a failure under ``CI=true`` (``.ci/run``
    installs them)."""
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
    """A location for a fresh, empty store of ``dialect`` (``sqlite`` or ``postgresql``)."""
    if dialect == "sqlite":
        return str(tmp_path / f"{name}.sqlite")
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_url(name)


# --- every issue code is produced by at least one test ---------------------------------------


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """When the whole suite ran (no -k, -m or file selection), every issue code of the message
    catalogue must have been produced by some test in this process; the codes no test produces
    fail the run. Files read by worker processes report their codes in the parent too (the
    issues travel back), but they are only counted where an issue is built, so the tests that
    matter run in process."""
    from pipeline.base.codes import Code
    from pipeline.base.issues import PRODUCED

    config = session.config
    whole = (
        not config.option.keyword
        and not config.option.markexpr
        and not getattr(config.option, "lf", False)
        and [str(a) for a in config.args] in ([], [str(ROOT / "tests")], ["tests"])
        and session.testsfailed == 0
        and session.testscollected > 0
    )
    missing = sorted(str(c) for c in Code if c not in PRODUCED)
    if whole and missing:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"issue codes produced by no test: {', '.join(missing)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
