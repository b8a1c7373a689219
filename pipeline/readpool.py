"""Read and prepare a run's returns: in worker processes, and cached by content.

Guarding, reading and normalising a return is independent of every other return, so it runs
in a pool of processes; validation proper stays one batch (see ``validate.check_prepared``).
A prepared return is cached under its content hash and name, so a re-run after one new
return re-reads only that file. The cache key includes the tool's version and source code,
the reader's version, the template and catalogue versions and the period: changing any of
them starts a fresh cache.

A worker that dies (a parser abort the guard did not foresee) breaks the pool; the files of
the broken batch are then retried one by one, each in its own process, and a file that
kills its process alone is reported as unreadable. The batch never stops.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline import layout as L
from pipeline.catalogue import Catalogue
from pipeline.intake import RawReturn, read_return
from pipeline.issues import Code, Severity, make_issue
from pipeline.periods import Period
from pipeline.validate import Prepared, prepare

Progress = Callable[[Iterable[Any]], Iterable[Any]]
BATCH = 32  # files per task sent to a worker
MIN_FILES_FOR_POOL = 24

_state: dict[str, Any] = {}


def _init(cat: Catalogue, period: Period) -> None:
    _state["cat"], _state["period"] = cat, period


def _work(items: list[tuple[Path, Path]]) -> list[tuple[Prepared, dict[str, float]]]:
    return [_one(_state["cat"], _state["period"], path, inbox) for path, inbox in items]


def _one(cat: Catalogue, period: Period, path: Path, inbox: Path) -> tuple[Prepared, dict[str, float]]:
    try:
        ret = read_return(path, inbox)
        started = time.perf_counter()
        prepared = prepare(cat, period, ret)
    except Exception as exc:  # a bug of ours on one odd file must not stop the batch
        return _crashed(path, inbox, exc), {}
    ret.drop_raw()  # the normalised rows are what travels back; feedback re-reads the few it needs
    return prepared, ret.timings | {"normalise": time.perf_counter() - started}


def default_workers(n_files: int) -> int:
    """Processes to use: none for a small batch; else the CPUs (at most 4), or DTI_WORKERS."""
    env = os.environ.get("DTI_WORKERS")
    if env is not None and env.isdigit():
        return int(env)
    if n_files < MIN_FILES_FOR_POOL:
        return 0
    return max(1, min(os.cpu_count() or 1, 4))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the package's own source and of the reader's version: a fix to the guard,
    the reader, the normalisers or the checks starts a fresh cache even when the tool's version
    number stays the same."""
    h = hashlib.sha256(f"python-calamine {_calamine_version()}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _calamine_version() -> str:
    try:
        return metadata.version("python-calamine")
    except metadata.PackageNotFoundError:
        return "?"


class Cache:
    """Prepared returns on disk, one pickle per (content, name), under a versioned folder."""

    def __init__(self, root: Path, cat: Catalogue, period: Period):
        key = hashlib.sha256(
            # the locality is not in cat.version but its office is named in the cached messages
            f"{__version__}|{code_fingerprint()}|{L.TEMPLATE_VERSION}|{cat.version}|{cat.locality!r}|{period.id}".encode()
        ).hexdigest()[:16]
        self.dir = root / key
        if not self.dir.exists() and root.exists():
            for stale in root.iterdir():  # another version of the tool or the catalogue
                shutil.rmtree(stale, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)

    def _path(self, digest: str, name: str) -> Path:
        return self.dir / (hashlib.sha256(f"{digest}|{name}".encode()).hexdigest() + ".pkl")

    def get(self, digest: str, name: str) -> Prepared | None:
        path = self._path(digest, name)
        try:
            with path.open("rb") as fh:
                value = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return value if isinstance(value, Prepared) else None

    def put(self, prepared: Prepared) -> None:
        path = self._path(prepared.ret.sha256, prepared.ret.file)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            with tmp.open("wb") as fh:
                pickle.dump(prepared, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _crashed(path: Path, inbox: Path, exc: BaseException) -> Prepared:
    name = path.relative_to(inbox).as_posix()
    ret = RawReturn(file=name, path=path, sha256=_digest(path), size=path.stat().st_size, fmt=None)
    ret.issues.append(
        make_issue(
            Code.FILE_UNREADABLE,
            Severity.ERROR,
            f"Không đọc được tệp «{name}»: tệp làm hỏng trình đọc ({exc.__class__.__name__}). "
            "Hãy mở bằng Excel, lưu lại dạng .xlsx rồi gửi lại.",
            file=name,
        )
    )
    return Prepared(ret=ret, unit=None, tasks={}, indicators={}, issues=list(ret.issues))


def _alone(cat: Catalogue, period: Period, path: Path, inbox: Path) -> tuple[Prepared, dict[str, float]]:
    """One file in a process of its own: a crash there only costs this file."""
    with ProcessPoolExecutor(max_workers=1, initializer=_init, initargs=(cat, period)) as pool:
        try:
            return pool.submit(_work, [(path, inbox)]).result()[0]
        except BrokenProcessPool as exc:
            return _crashed(path, inbox, exc), {}


def _pooled(
    cat: Catalogue, period: Period, items: list[tuple[Path, Path]], workers: int
) -> Iterator[tuple[Prepared, dict[str, float]]]:
    batches = [items[i : i + BATCH] for i in range(0, len(items), BATCH)]
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(cat, period)) as pool:
        futures: list[Future[list[tuple[Prepared, dict[str, float]]]]] = [
            pool.submit(_work, b) for b in batches
        ]
        for batch, future in zip(batches, futures, strict=True):
            try:
                yield from future.result()
            except BrokenProcessPool:
                for path, inbox in batch:
                    yield _alone(cat, period, path, inbox)


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
    todo: list[tuple[Path, Path]] = []
    for path in paths:
        hit = cache.get(_digest(path), path.relative_to(inbox).as_posix()) if cache else None
        if hit is not None:
            hit.ret.path = path
            results[path] = hit
        else:
            todo.append((path, inbox))
    timings["cached_files"] = float(len(results))
    n = default_workers(len(todo)) if workers is None else workers
    stream = _pooled(cat, period, todo, n) if n > 0 and todo else (_one(cat, period, p, i) for p, i in todo)
    for (path, _inbox), (prepared, spent) in zip(todo, progress(stream), strict=True):
        for stage, seconds in spent.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
        results[path] = prepared
        if cache is not None:
            cache.put(prepared)
    timings["read_wall"] = time.perf_counter() - started
    return [results[p] for p in paths]
