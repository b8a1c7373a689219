"""A period's outputs are a pure function of the store: rebuilt again, from the same returns or
from none, or from a copy of the store moved to an empty PostgreSQL, they are the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalogue import Catalogue
from pipeline.cli import main
from pipeline.store import open_store
from tests.runner.conftest import Stored
from tests.runner.season import MONTHS, Q4, YEAR, Inbox, csv_bytes, run

pytestmark = pytest.mark.slow

# what a period's folder holds that comes from the store alone (the feedback files and the
# manifest also describe the run's own inbox)
REPORTS = ("BaoCao_DTI_TP_THAI_BINH_2023-Q4.xlsx", "BaoCao_DTI_TP_THAI_BINH_2023-Q4.docx")


def files(folder: Path) -> dict[str, bytes]:
    """Every file under a period's folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def counts(db: str, tmp_path: Path) -> dict[str, int]:
    store = open_store(db, default_path=tmp_path / "unused.sqlite")
    try:
        return store.check().counts
    finally:
        store.close()


def test_rebuilding_a_period_gives_the_same_bytes(
    season: Stored, season_inbox: Inbox, cat: Catalogue, tmp_path: Path
) -> None:
    """Q4 was first written before the year was stored; rebuilt twice after, from the same inbox,
    it is the same, file for file — later periods do not leak into it, the store's second copy of
    each return is the first."""
    first = files(season.out / Q4.id)
    assert len(csv_bytes(season.out / Q4.id)) >= 5 and any(k.startswith("phan_hoi/") for k in first)
    before = counts(season.db, tmp_path)
    for again in ("again", "and-again"):
        run(cat, Q4, season_inbox.of(Q4), tmp_path / again, season.db)
        assert files(tmp_path / again / Q4.id) == first
    after = counts(season.db, tmp_path)
    assert after == before | {"runs": before["runs"] + 2}  # nothing stored twice


def test_a_stored_period_rebuilt_from_an_empty_inbox(season: Stored, cat: Catalogue, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(cat, Q4, empty, tmp_path / "out", season.db)
    assert result.files == 0
    rebuilt = tmp_path / "out" / Q4.id
    assert csv_bytes(rebuilt) == csv_bytes(season.out / Q4.id)
    for name in REPORTS:
        assert (rebuilt / name).read_bytes() == (season.out / Q4.id / name).read_bytes(), name
    # the store's statuses are those of the first run: an empty inbox withdraws nothing
    assert result.status_counts == season.results[Q4.id].status_counts


@pytest.mark.parametrize("season", ["sqlite"], indirect=True)  # the SQLite season, moved to PostgreSQL
def test_export_then_import_into_an_empty_postgresql_gives_the_same_csvs(
    season: Stored, season_inbox: Inbox, cat: Catalogue, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    cluster = request.getfixturevalue("pg_cluster")
    target = cluster.new_url("moved")
    cli = CliRunner()
    exported = cli.invoke(
        main, ["--db", season.db, "store", "export", str(tmp_path / "dump")], catch_exceptions=False
    )
    assert exported.exit_code == 0, exported.output
    imported = cli.invoke(
        main, ["--db", target, "store", "import", str(tmp_path / "dump")], catch_exceptions=False
    )
    assert imported.exit_code == 0, imported.output
    assert counts(target, tmp_path) == counts(season.db, tmp_path)

    for period in (Q4, YEAR):
        moved = tmp_path / "moved"
        run(cat, period, season_inbox.of(period), moved, target)  # the same returns: nothing new stored
        assert csv_bytes(moved / period.id) == csv_bytes(season.out / period.id), period.id
    store = open_store(target, default_path=tmp_path / "unused.sqlite")
    try:
        assert store.check().dangling == {k: 0 for k in store.check().dangling}
    finally:
        store.close()


def test_a_rerun_reads_only_the_cells_of_the_returns_it_does_not_know(
    season: Stored,
    season_inbox: Inbox,
    cat: Catalogue,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch,
) -> None:
    """The values a run read from the store are kept in its cache (a stored return's cells never
    change): the next run into the same outputs reads the cells of its new returns only, and its
    outputs are those of a run that read everything; another store's values are not taken."""
    import shutil
    import sys

    from pipeline.store.reads import Reads
    from tests.conftest import new_url

    read: list[list[int]] = []
    cells = Reads.cells

    def spy(self: Reads, ids: object) -> object:
        if sys._getframe(1).f_globals["__name__"] == "pipeline.runner.period":  # not the history's look back
            read.append(sorted(int(i) for i in ids))  # type: ignore[attr-defined]
        return cells(self, ids)  # type: ignore[arg-type]

    monkeypatch.setattr(Reads, "cells", spy)
    month = MONTHS[1]
    inbox = tmp_path / "inbox"
    shutil.copytree(season_inbox.of(month), inbox)
    late = sorted(p for p in inbox.glob("*.xlsx"))[-1]
    held = late.rename(tmp_path / late.name)
    db = new_url(season.dialect, tmp_path, request, "known")
    first = run(cat, month, inbox, tmp_path / "out", db)
    assert len(read) == 1 and len(read[0]) == first.files
    held.rename(late)
    read.clear()
    again = run(cat, month, inbox, tmp_path / "out", db)
    store = open_store(db, default_path=tmp_path / "unused.sqlite")
    try:
        subs = store.submissions(month.id, locality=cat.locality.code)
    finally:
        store.close()
    new_id = int(subs.loc[subs["file_name"] == late.name, "id"].iloc[0])
    assert read == [[new_id]]  # only the new return's cells
    read.clear()
    run(cat, month, inbox, tmp_path / "cold", db, cache=False)
    assert len(read) == 1 and len(read[0]) == again.files  # no cache: every return's cells
    assert csv_bytes(tmp_path / "out" / month.id) == csv_bytes(tmp_path / "cold" / month.id)
    for name in ("xlsx", "docx"):
        [a] = (tmp_path / "out" / month.id).glob(f"BaoCao_*.{name}")
        assert a.read_bytes() == (tmp_path / "cold" / month.id / a.name).read_bytes()
    read.clear()
    other = new_url(season.dialect, tmp_path, request, "other")  # same outputs' folder, another store
    run(cat, month, inbox, tmp_path / "out", other)
    assert len(read) == 1 and len(read[0]) == again.files
    assert csv_bytes(tmp_path / "out" / month.id) == csv_bytes(tmp_path / "cold" / month.id)


@pytest.mark.parametrize("period", [MONTHS[2], Q4, YEAR], ids=lambda p: p.id)
def test_a_periods_values_read_a_few_returns_at_a_time_are_those_read_at_once(
    season: Stored, cat: Catalogue, tmp_path: Path, monkeypatch, period
) -> None:
    """The cells are read and turned into values a batch of returns at a time (a period's cells
    never all in memory): the values are those of one read, row for row and type for type."""
    import pandas as pd

    from pipeline.runner import period as P

    store = open_store(season.db, default_path=tmp_path / "unused.sqlite")
    try:
        whole = P.load_period(store, cat, cat.locality.code, period)
        monkeypatch.setattr(P, "RETURNS_AT_ONCE", 3)
        parts = P.load_period(store, cat, cat.locality.code, period)
    finally:
        store.close()
    for name in ("task_values", "ind_values", "month_values", "own_values"):
        pd.testing.assert_frame_equal(getattr(parts, name), getattr(whole, name), obj=name)
    assert len(whole.task_values) > 0 and (period.kind == "month" or len(whole.ind_values) > 0)
    # a text typed in many returns (each cell read as its own object) is kept as one object,
    # across the batches too
    repeats = 0
    for column in ("result", "evidence", "problems"):
        objects: dict[str, set[int]] = {}
        for value in parts.task_values[column]:
            if isinstance(value, str):
                objects.setdefault(value, set()).add(id(value))
        assert all(len(ids) == 1 for ids in objects.values()), column
        repeats += sum((parts.task_values[column] == text).sum() > 1 for text in objects)
    assert repeats > 0
