"""Reading in worker processes, the content cache, and a worker that dies."""

from __future__ import annotations

import dataclasses
import faulthandler
import os
import shutil
from pathlib import Path

import pytest

from pipeline.base.issues import Code
from pipeline.base.periods import Period, parse_period
from pipeline.catalogue import Catalogue
from pipeline.demo import write_demo
from pipeline.intake import discover
from pipeline.runner.prepare import prepare_all, prepare_file


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory, cat: Catalogue, q4: Period) -> Path:
    folder = tmp_path_factory.mktemp("pool") / "inbox"
    write_demo(cat, q4, folder)
    return folder


def _summary(prepared) -> list[tuple]:
    return [
        (
            p.file,
            p.unit,
            len(p.tasks.get("task_id", [])),
            len(p.indicators.get("field_id", [])),
            [i.code for i in p.issues],
        )
        for p in prepared
    ]


def test_pool_gives_the_same_as_in_process(inbox: Path, cat: Catalogue, q4: Period) -> None:
    paths = discover(inbox)
    alone = prepare_all(cat, q4, paths, inbox, workers=0)
    pooled = prepare_all(cat, q4, paths, inbox, workers=2)
    assert _summary(alone) == _summary(pooled)
    assert [p.tasks for p in alone] == [p.tasks for p in pooled]


def test_cache_rereads_only_new_files(tmp_path: Path, inbox: Path, cat: Catalogue, q4: Period) -> None:
    box = tmp_path / "inbox"
    shutil.copytree(inbox, box)
    extra = box / "2023-Q4_P_BO_XUYEN_lan1.xlsx"
    extra.rename(box / "later.bin.xlsx")
    first_files = [p for p in discover(box) if p.name != "later.bin.xlsx"]
    timings: dict[str, float] = {}
    prepare_all(cat, q4, first_files, box, cache_dir=tmp_path / "cache", workers=0, timings=timings)
    assert timings["cached_files"] == 0
    timings = {}
    again = prepare_all(cat, q4, discover(box), box, cache_dir=tmp_path / "cache", workers=0, timings=timings)
    assert timings["cached_files"] == len(first_files)
    assert len(again) == len(first_files) + 1
    fresh = prepare_all(cat, q4, discover(box), box, workers=0)
    assert _summary(again) == _summary(fresh)


def test_a_changed_catalogue_invalidates_the_cache(
    tmp_path: Path, inbox: Path, cat: Catalogue, q4: Period
) -> None:
    paths = discover(inbox)[:3]
    prepare_all(cat, q4, paths, inbox, cache_dir=tmp_path / "cache", workers=0)
    other = dataclasses.replace(cat, version="something-else")
    timings: dict[str, float] = {}
    prepare_all(other, q4, paths, inbox, cache_dir=tmp_path / "cache", workers=0, timings=timings)
    assert timings["cached_files"] == 0
    assert len(list((tmp_path / "cache").iterdir())) == 1  # the stale version was removed


def test_changed_code_invalidates_the_cache(
    tmp_path: Path, inbox: Path, cat: Catalogue, q4: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fix to the reader or the checks without a new version number still reads afresh."""
    paths = discover(inbox)[:3]
    prepare_all(cat, q4, paths, inbox, cache_dir=tmp_path / "cache", workers=0)
    timings: dict[str, float] = {}
    prepare_all(cat, q4, paths, inbox, cache_dir=tmp_path / "cache", workers=0, timings=timings)
    assert timings["cached_files"] == 3
    monkeypatch.setattr("pipeline.runner.cache.code_fingerprint", lambda: "patched-source")
    prepare_all(cat, q4, paths, inbox, cache_dir=tmp_path / "cache", workers=0, timings=timings)
    assert timings["cached_files"] == 0
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_a_worker_that_dies_costs_only_its_file(
    tmp_path: Path, inbox: Path, cat: Catalogue, q4: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = tmp_path / "inbox"
    shutil.copytree(inbox, box)
    victim = sorted(box.glob("*.xlsx"))[5]
    real = __import__("pipeline.runner.prepare", fromlist=["read_return"]).read_return

    def fragile(path: Path, inbox: Path | None = None, limits=None, name: str | None = None):
        if path.name == victim.name:
            faulthandler.disable()  # keep pytest's crash dump of the child out of the log
            os.abort()  # what a parser abort looks like: the process dies, no exception
        return real(path, inbox, limits, name)

    monkeypatch.setattr("pipeline.runner.prepare.read_return", fragile)
    prepared = prepare_all(cat, q4, discover(box), box, workers=2)
    by_file = {p.file: p for p in prepared}
    assert [i.code for i in by_file[victim.name].issues] == [Code.FILE_UNREADABLE]
    assert sum(p.unit is not None for p in prepared) == len(prepared) - 1


def test_cached_returns_share_their_repeated_texts(tmp_path: Path, cat: Catalogue) -> None:
    """A cached return is a pickle of its own (its own copy of every task's text); gathered from
    the cache, equal texts of the shared columns are one object, and no value changed."""
    month = parse_period("2023-10")
    box = tmp_path / "inbox"
    write_demo(cat, month, box)
    paths = discover(box)
    alone = [prepare_file((cat, month), (p, p.relative_to(box).as_posix())) for p in paths]
    runs = ((2, tmp_path / "pooled", False), (0, tmp_path / "c", False), (0, tmp_path / "c", True))
    for workers, cache_dir, cached in runs:
        timings: dict[str, float] = {}
        got = prepare_all(cat, month, paths, box, cache_dir=cache_dir, workers=workers, timings=timings)
        assert timings["cached_files"] == (len(paths) if cached else 0)
        assert [p.tasks for p in got] == [p.tasks for p in alone]
        assert [(p.typed, p.issues, p.indicators) for p in got] == [
            (p.typed, p.issues, p.indicators) for p in alone
        ]
        if cached:
            for key in ("task_id", "text", "status_label", "role"):
                objects: dict[str, set[int]] = {}
                for p in got:
                    for value in p.tasks.get(key, []):
                        if isinstance(value, str):
                            objects.setdefault(value, set()).add(id(value))
                assert objects and all(len(ids) == 1 for ids in objects.values()), key
    repeated = [t for p in alone for t in p.tasks.get("text", [])]
    assert len(repeated) > 2 * len(set(repeated))  # the test would not show sharing otherwise


def test_a_rerun_takes_the_returns_it_validated_from_one_file(
    tmp_path: Path, inbox: Path, cat: Catalogue, q4: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last run's returns come back without their rows from one file (not a pickle per
    return), when validation knows them; a file it does not know, or one that changed, comes
    from its own pickle or is read again; and each is what it was."""
    import pandas as pd

    from pipeline.rules.extract import without_rows
    from pipeline.rules.validate import Validated
    from pipeline.runner.cache import Cache

    box = tmp_path / "inbox"
    shutil.copytree(inbox, box)
    paths = discover(box)
    cache_dir = tmp_path / "cache"
    first = prepare_all(cat, q4, paths, box, cache_dir=cache_dir, workers=0)
    unknown = first[0].file  # validation of the last run does not know this one
    knows = Validated(
        contents={p.file: p.source.sha256 for p in first if p.file != unknown},
        found={},
        tasks=pd.DataFrame(),
        indicators=pd.DataFrame(),
    )
    (kept,) = cache_dir.glob("*/returns.pkl")
    written = kept.stat().st_mtime_ns
    opened: list[str] = []
    real_get = Cache.get

    def get(self: Cache, digest: str, name: str):  # type: ignore[no-untyped-def]
        opened.append(name)
        return real_get(self, digest, name)

    monkeypatch.setattr(Cache, "get", get)
    timings: dict[str, float] = {}
    again = prepare_all(cat, q4, paths, box, cache_dir=cache_dir, workers=0, timings=timings, validated=knows)
    assert opened == [unknown] and timings["cached_files"] == len(paths)
    lean = [without_rows(dataclasses.replace(p, timings={})) for p in first]
    assert [dataclasses.replace(p, timings={}) for p in again[1:]] == lean[1:]
    assert again[0].tasks == first[0].tasks  # from its own pickle, with its rows
    assert kept.stat().st_mtime_ns == written  # most came from it: not written again for one
    changed = paths[1]
    changed.write_bytes(paths[2].read_bytes())  # another content under the same name
    opened.clear()
    timings = {}
    third = prepare_all(cat, q4, paths, box, cache_dir=cache_dir, workers=0, timings=timings, validated=knows)
    assert sorted(opened) == sorted([unknown, changed.relative_to(box).as_posix()])
    assert third[1].source.sha256 == first[2].source.sha256 and (third[1].tasks or third[1].indicators)
