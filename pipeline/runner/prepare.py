"""Read and prepare a run's returns: in the worker pool, and cached by content.

Guarding, reading and normalising a return is independent of every other return, so it runs in
the pool (:mod:`.pool`); validation proper stays one batch (:func:`pipeline.rules.check_prepared`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.base.codes import Code
from pipeline.base.issues import issue, received
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.intake import Source, read_return
from pipeline.rules import Prepared, prepare
from pipeline.runner.cache import Cache, file_digest
from pipeline.runner.pool import default_workers, run_pooled

Progress = Callable[[Iterable[Any]], Iterable[Any]]
Job = tuple[Path, Path]  # (file, inbox)


def prepare_file(state: tuple[Catalogue, Period], job: Job) -> Prepared:
    """Guard, read and prepare one file (in a worker); a bug of ours on one odd file costs only it."""
    cat, period = state
    path, inbox = job
    try:
        return prepare(cat, period, read_return(path, inbox))
    except Exception as exc:  # a bug of ours on one odd file must not stop the batch
        return crashed(job, exc)


def crashed(job: Job, exc: BaseException) -> Prepared:
    """A file that made its reader (or its process) fail: unreadable, with the reason."""
    path, inbox = job
    name = path.relative_to(inbox).as_posix()
    source = Source(file=name, path=path, sha256=file_digest(path), size=path.stat().st_size, fmt=None)
    found = issue(Code.FILE_UNREADABLE, variant="crashed", file=name, reason=exc.__class__.__name__)
    return Prepared(source=source, unit=None, tasks={}, indicators={}, issues=(found,))


def prepare_all(
    cat: Catalogue,
    period: Period,
    paths: list[Path],
    inbox: Path,
    *,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress = lambda it: it,
    timings: dict[str, float] | None = None,
) -> list[Prepared]:
    """Read and prepare every file, in the order of ``paths``."""
    timings = timings if timings is not None else {}
    started = time.perf_counter()
    cache = Cache(cache_dir, cat, period) if cache_dir is not None else None
    results: dict[Path, Prepared] = {}
    todo: list[Job] = []
    for path in paths:
        hit = cache.get(file_digest(path), path.relative_to(inbox).as_posix()) if cache else None
        if hit is not None:
            results[path] = replace(hit, source=replace(hit.source, path=path), timings={})
        else:
            todo.append((path, inbox))
    timings["cached_files"] = float(len(results))
    n = default_workers(len(todo)) if workers is None else workers
    stream = run_pooled(prepare_file, (cat, period), todo, n, crashed)
    for (path, _inbox), prepared in zip(todo, progress(stream), strict=True):
        for stage, seconds in prepared.timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
        results[path] = prepared
        received(i.code for i in prepared.issues)
        if cache is not None:
            cache.put(prepared)
    timings["read_wall"] = time.perf_counter() - started
    return [results[p] for p in paths]
