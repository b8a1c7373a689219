"""Child processes of the runner's store tests: ``run_report`` stopped at a point of the run
(``kill_child.py``), waited for through the files it writes, killed by its pid."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("kill_child.py")
CHILDREN: list[subprocess.Popen[bytes]] = []  # every child started, for conftest's clean-up


def spawn(
    folder: Path, point: str, inbox: Path, out: Path, db: str, period: str = "2023-11"
) -> subprocess.Popen[bytes]:
    """``run_report`` of ``period`` in a child process, stopped at ``point`` (see kill_child.py);
    killed when the test ends, whatever happens to the test."""
    folder.mkdir()
    with (folder / "stdout").open("wb") as so, (folder / "stderr").open("wb") as se:
        proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(folder), point, period, str(inbox), str(out), db],
            stdout=so,
            stderr=se,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    CHILDREN.append(proc)
    return proc


def wait_for(path: Path, proc: subprocess.Popen[bytes], timeout: float = 180.0) -> None:
    end = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            err = (path.parent / "stderr").read_text(errors="replace")
            pytest.fail(f"child exited ({proc.returncode}) before {path.name}: {err[-3000:]}")
        if time.monotonic() > end:
            proc.kill()
            pytest.fail(f"child did not reach {path.name} in {timeout} s")
        time.sleep(0.05)


def kill(proc: subprocess.Popen[bytes]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
