"""The guard and the reader of an uploaded file, in worker processes with a memory cap.

An upload is read exactly as an inbox file is (:func:`pipeline.runner.prepare.prepare_file`:
the guard first, then the reader, then identification), but in a process of a small pool whose
address space is capped (``RLIMIT_AS``): a file that makes a parser allocate without bound
kills its worker, not the server. A worker that dies breaks the pool; the pool is then made
anew and the file is refused as unreadable (:func:`pipeline.runner.prepare.crashed`), as the
inbox path does.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from pipeline.base.periods import parse_period
from pipeline.catalogue import Catalogue, load_catalogue
from pipeline.rules import Checked, Prepared, check_prepared
from pipeline.runner.prepare import crashed, prepare_file

DEFAULT_MEMORY_MB = 2048  # address space of a worker: Python, pandas and the readers fit well within
DEFAULT_TIMEOUT = 120.0  # seconds one file may take

_state: dict[str, Any] = {}
R = TypeVar("R")


def _init(schemas: Path, memory_bytes: int) -> None:
    """A worker's start: its memory cap, then the catalogue (read again from its folder: a
    worker is started by a fork server, which a threaded server can do safely, and gets no
    pickled catalogue)."""
    if memory_bytes > 0:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    _state["cat"] = load_catalogue(schemas)


def _work(period_id: str, path: Path, inbox: Path) -> Prepared:
    return prepare_file((_state["cat"], parse_period(period_id)), _job(path, inbox))


def _work_checked(period_id: str, path: Path, inbox: Path) -> Checked:
    """Read and validate in the worker: the server's own process (one interpreter for every
    request) keeps only the store's transaction and the pages."""
    return _checked(_state["cat"], period_id, _work(period_id, path, inbox))


def _checked(cat: Catalogue, period_id: str, prepared: Prepared) -> Checked:
    return check_prepared(cat, parse_period(period_id), [prepared])


class GuardPool:
    """``prepare(period, path, inbox)`` in one of ``workers`` capped processes (0: in this process,
    for tests that need no isolation). Thread-safe; processes start on first use."""

    def __init__(
        self,
        cat: Catalogue,
        workers: int = 2,
        memory_mb: int = DEFAULT_MEMORY_MB,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.cat = cat
        self.workers = workers
        self.memory_bytes = memory_mb * 1024 * 1024
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["pipeline.runner.prepare", "pipeline.catalogue"])
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=context,
                    initializer=_init,
                    initargs=(self.cat.root, self.memory_bytes),
                )
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor, kill: bool = False) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        if kill:
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def prepare(self, period_id: str, path: Path, inbox: Path) -> Prepared:
        if self.workers <= 0:
            return _direct(self.cat, period_id, path, inbox)
        return self._submit(_work, lambda exc: crashed(_job(path, inbox), exc), period_id, path, inbox)

    def check(self, period_id: str, path: Path, inbox: Path) -> Checked:
        """:meth:`prepare` and validation (``check_prepared`` of the one file), in a worker."""
        if self.workers <= 0:
            return _checked(self.cat, period_id, _direct(self.cat, period_id, path, inbox))

        def refused(exc: BaseException) -> Checked:
            return _checked(self.cat, period_id, crashed(_job(path, inbox), exc))

        return self._submit(_work_checked, refused, period_id, path, inbox)

    def _submit(self, work: Callable[..., R], died: Callable[[BaseException], R], *args: Any) -> R:
        """``work(*args)`` in a worker; ``died(exc)`` when the worker died (its memory cap, a
        parser's abort: the pool is made anew) or took too long (it is killed)."""
        pool = self._executor()
        try:
            return pool.submit(work, *args).result(timeout=self.timeout)
        except BrokenProcessPool as exc:
            self._discard(pool)
            return died(exc)
        except FutureTimeout as exc:
            self._discard(pool, kill=True)
            return died(exc)

    def warm(self) -> None:
        """Start the workers now (the first upload then waits for no process start)."""
        if self.workers > 0:
            pool = self._executor()
            for future in [pool.submit(_noop) for _ in range(self.workers)]:
                future.result(timeout=self.timeout)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _job(path: Path, inbox: Path) -> tuple[Path, str]:
    """The inbox's job for an upload: the file and its name, its path within the inbox."""
    return path, path.relative_to(inbox).as_posix()


def _noop() -> None:
    return None


def _direct(cat: Catalogue, period_id: str, path: Path, inbox: Path) -> Prepared:
    return prepare_file((cat, parse_period(period_id)), _job(path, inbox))
