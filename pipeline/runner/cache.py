"""Prepared returns cached on disk by content and name, so a re-run reads only what changed; and
what validation found in each file (:class:`pipeline.rules.Validated`), so it validates only
what changed.

The key of the cache folder includes the tool's version and source code, the reader's version,
the template version, the catalogue and its words, and the period: changing any of them starts
a fresh cache (the old folders are removed). Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from pipeline import __version__
from pipeline.base import layout as L
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.rules import Prepared, Validated
from pipeline.runner.period import KnownValues
from pipeline.store import KeptRows

PACKAGE = Path(__file__).resolve().parents[1]
VALIDATED = "validated.pkl"  # the last run's Validated
KNOWN = "values.pkl"  # the last run's KnownValues
KEPT = "task_rows.pkl"  # the task rows the last run left in its store (KeptRows)
ROWLESS = "returns.pkl"  # the last run's returns without their rows, in one file
T = TypeVar("T")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the package's own source (every subpackage) and of the reader's version: a
    fix to the guard, the reader, the normalisers or the checks starts a fresh cache even when
    the tool's version number stays the same."""
    h = hashlib.sha256(f"python-calamine {_calamine_version()}".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _calamine_version() -> str:
    try:
        return metadata.version("python-calamine")
    except metadata.PackageNotFoundError:
        return "?"


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


class Cache:
    """Prepared returns on disk, one pickle per (content, name), under a versioned folder; and
    the last run's :class:`Validated`, :class:`KnownValues`, :class:`KeptRows` and returns
    without their rows (one file) beside them."""

    def __init__(self, root: Path, cat: Catalogue, period: Period):
        key = hashlib.sha256(
            f"{__version__}|{code_fingerprint()}|{L.TEMPLATE_VERSION}|{cat.version}|{cat.words_version}|{period.id}".encode()
        ).hexdigest()[:16]
        self.dir = root / key
        if not self.dir.exists() and root.exists():
            for stale in root.iterdir():  # another version of the tool or the catalogue
                shutil.rmtree(stale, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)

    def _path(self, digest: str, name: str) -> Path:
        return self.dir / (hashlib.sha256(f"{digest}|{name}".encode()).hexdigest() + ".pkl")

    def get(self, digest: str, name: str) -> Prepared | None:
        return _load(self._path(digest, name), Prepared)

    def put(self, prepared: Prepared) -> None:
        _keep(self._path(prepared.source.sha256, prepared.file), prepared)

    def rowless(self) -> dict[tuple[str, str], Prepared]:
        """The last run's returns without their rows, by (content, name): one file to load
        where 10,000 returns are 10,000 pickles (which stay, for any file the last run lacked)."""
        kept = _load(self.dir / ROWLESS, dict)
        return kept if kept is not None else {}

    def keep_rowless(self, returns: Iterable[Prepared]) -> None:
        _keep(self.dir / ROWLESS, {(p.source.sha256, p.file): p for p in returns})

    def validated(self) -> Validated | None:
        """What the last run with this key found in its files, if it was kept."""
        return _load(self.dir / VALIDATED, Validated)

    def keep_validated(self, value: Validated) -> None:
        _keep(self.dir / VALIDATED, value)

    def known_values(self) -> KnownValues | None:
        """The values the last run with this key read from the store, if they were kept."""
        return _load(self.dir / KNOWN, KnownValues)

    def keep_known_values(self, value: KnownValues) -> None:
        _keep(self.dir / KNOWN, value)

    def kept_task_rows(self) -> KeptRows | None:
        """The period's task rows as the last run with this key left them in its store, if kept."""
        return _load(self.dir / KEPT, KeptRows)

    def keep_task_rows(self, value: KeptRows) -> None:
        _keep(self.dir / KEPT, value)


def _load(path: Path, kind: type[T]) -> T | None:
    """The object pickled at ``path`` if it is a ``kind``; None if it is missing, broken or stale."""
    try:
        with path.open("rb") as fh:
            value = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return value if isinstance(value, kind) else None


def _keep(path: Path, value: object) -> None:
    """Pickle ``value`` at ``path`` atomically; a full disk only costs the cache."""
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
