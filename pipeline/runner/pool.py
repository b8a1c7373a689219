"""The one worker pool: per-file work (reading returns, writing feedback files) in processes.

Work is sent in batches; each worker gets the run's shared state once (the catalogue, the
period) through the pool's initializer. A worker that dies (a parser abort the guard did not
foresee) breaks the pool; the items of the broken batch are then retried one by one, each in a
process of its own, and an item that kills its process alone is handed to ``crashed``. The
batch never stops.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

BATCH = 32  # items per task sent to a worker
MIN_ITEMS_FOR_POOL = 24  # fewer items are worked in this process

# The worker process's share of the run: (work function, state), set once by the initializer.
_worker: dict[str, Any] = {}


def default_workers(n_items: int) -> int:
    """Processes to use: none for a small batch; else the CPUs (at most 4), or DTI_WORKERS."""
    env = os.environ.get("DTI_WORKERS")
    if env is not None and env.isdigit():
        return int(env)
    if n_items < MIN_ITEMS_FOR_POOL:
        return 0
    return max(1, min(os.cpu_count() or 1, 4))


def _init(work: Callable[[Any, Any], Any], state: Any) -> None:
    _worker["work"], _worker["state"] = work, state


def _batch(items: list[Any]) -> list[Any]:
    work, state = _worker["work"], _worker["state"]
    return [work(state, item) for item in items]


def _alone(work: Callable[[S, T], R], state: S, item: T, crashed: Callable[[T, BaseException], R]) -> R:
    """One item in a process of its own: a crash there only costs this item."""
    with ProcessPoolExecutor(max_workers=1, initializer=_init, initargs=(work, state)) as pool:
        try:
            return pool.submit(_batch, [item]).result()[0]  # type: ignore[no-any-return]
        except BrokenProcessPool as exc:
            return crashed(item, exc)


def run_pooled(
    work: Callable[[S, T], R],
    state: S,
    items: Iterable[T],
    workers: int,
    crashed: Callable[[T, BaseException], R],
) -> Iterator[R]:
    """``work(state, item)`` for every item, in order; in ``workers`` processes when > 0.

    ``work`` must be a module-level function (it is sent to the workers by name)."""
    items = list(items)
    if workers <= 0 or not items:
        for item in items:
            yield work(state, item)
        return
    batches = [items[i : i + BATCH] for i in range(0, len(items), BATCH)]
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(work, state)) as pool:
        futures: list[Future[list[R]]] = [pool.submit(_batch, b) for b in batches]
        for batch, future in zip(batches, futures, strict=True):
            try:
                yield from future.result()
            except BrokenProcessPool:
                for item in batch:
                    yield _alone(work, state, item, crashed)
