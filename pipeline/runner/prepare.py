"""Read and prepare a run's returns: in the worker pool, and cached by content.

Guarding, reading and normalising a return is independent of every other return, so it runs in
the pool (:mod:`.pool`); validation proper stays one batch (:func:`pipeline.rules.check_prepared`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.base.codes import Code
from pipeline.base.issues import issue, received
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.intake import Source, read_return
from pipeline.rules import Prepared, prepare
from pipeline.rules.extract import SharedTexts, without_rows
from pipeline.rules.validate import Validated
from pipeline.runner.cache import Cache, file_digest
from pipeline.runner.pool import default_workers, run_pooled

Progress = Callable[[Iterable[Any]], Iterable[Any]]
# The file of rowless returns is written again when fewer than this share of the run's returns
# came from it: a re-run after a few new returns takes those from their own pickles, and does not
# rewrite 10,000 returns for one
REWRITE_ROWLESS = 0.9
Job = tuple[Path, str]  # (file, its name: its path within the inbox, or an e-mail attachment's)


def prepare_file(state: tuple[Catalogue, Period], job: Job) -> Prepared:
    """Guard, read and prepare one file (in a worker); a bug of ours on one odd file costs only it."""
    cat, period = state
    path, name = job
    try:
        return prepare(cat, period, read_return(path, name=name))
    except Exception as exc:  # a bug of ours on one odd file must not stop the batch
        return crashed(job, exc)


def crashed(job: Job, exc: BaseException) -> Prepared:
    """A file that made its reader (or its process) fail: unreadable, with the reason."""
    path, name = job
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
    attachments: Sequence[Job] = (),
    validated: Validated | None = None,
) -> list[Prepared]:
    """Read and prepare every file, in the order of ``paths`` (each named by its path within
    ``inbox``), then of ``attachments`` (e-mail attachments extracted outside the inbox, each
    with its name). A file from the cache that ``validated`` (an earlier run's) knows comes
    without its rows: validation takes them from ``validated``."""
    timings = timings if timings is not None else {}
    started = time.perf_counter()
    cache = Cache(cache_dir, cat, period) if cache_dir is not None else None
    jobs: list[Job] = [(p, p.relative_to(inbox).as_posix()) for p in paths] + list(attachments)
    results: dict[Job, Prepared] = {}
    todo: list[Job] = []
    shared = SharedTexts()  # each cached return is a pickle of its own: its repeated texts made one
    rowless = cache.rowless() if cache and validated else {}
    from_rowless = 0
    for job in jobs:
        path, name = job
        digest = file_digest(path)
        hit = rowless.get((digest, name))
        if hit is not None and validated and validated.knows(hit):  # the last run's, already lean
            results[job] = replace(hit, source=replace(hit.source, path=path))
            from_rowless += 1
            continue
        hit = cache.get(digest, name) if cache else None
        if hit is not None:
            hit = replace(hit, source=replace(hit.source, path=path), timings={})
            results[job] = without_rows(hit) if validated and validated.knows(hit) else shared.of(hit)
        else:
            todo.append(job)
    timings["cached_files"] = float(len(results))
    n = default_workers(len(todo)) if workers is None else workers
    stream = run_pooled(prepare_file, (cat, period), todo, n, crashed)
    for job, prepared in zip(todo, progress(stream), strict=True):
        for stage, seconds in prepared.timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
        received(i.code for i in prepared.issues)
        if cache is not None:
            cache.put(prepared)
        results[job] = prepared  # sent in batches: a batch's returns already share their texts
    out = [results[j] for j in jobs]
    if cache is not None and from_rowless < REWRITE_ROWLESS * len(out):
        cache.keep_rowless(without_rows(replace(p, timings={})) for p in out)  # for the next run
    timings["read_wall"] = time.perf_counter() - started
    return out
