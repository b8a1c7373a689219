"""Export and import: SQLite → CSV → PostgreSQL → CSV gives the same bytes; refusals are named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.store import ExportInvalid, Store, StoreError, StoreNotEmpty, open_store
from pipeline.store import schema as S
from tests.store import data
from tests.store.conftest import new_url


def fill(store: Store) -> None:
    for k, period in enumerate(("2023-10", "2023-11", "2023-12", "2023-Q4")):
        with store.run(locality=data.LOCALITY, period=period, catalogue_version=f"cv{k}") as run:
            data.write_period(run, period, variant=k)
    with store.run(locality=data.LOCALITY, period="2023-12") as run:  # a second version, a rejected file
        digest = data.sha("again")
        run.record_file(
            digest,
            size=5_000_000_000,
            name='VP, bản sửa "2".xlsx',
            channel="upload",
            received_at=data.when(22, micro=1),
        )
        ref = run.record_submission(
            unit_code="VP",
            sha256=digest,
            file_name='VP, bản sửa "2".xlsx',
            received_at=data.when(22, micro=1),
            status="late",
        )
        run.add_cells(data.cells_frame(ref.id, 9, variant=4))
        junk = data.sha("junk")
        run.record_file(junk, size=1, name="rác.pdf", channel="email", received_at=data.when(23), sender="")
        run.record_submission(
            unit_code=None,
            sha256=junk,
            file_name="rác.pdf",
            received_at=data.when(23),
            status="rejected",
            errors=1,
        )
    with store.run(locality="TP_KHAC", period="2023-12") as run:
        data.write_period(run, "2023-12", units=("VP",), variant=8)


def csvs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def test_sqlite_to_postgresql_and_back_byte_for_byte(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    lite = open_store(new_url("sqlite", tmp_path, request, "source"), default_path=tmp_path / "x.sqlite")
    fill(lite)
    first = lite.export(tmp_path / "e1")
    assert sorted(csvs(tmp_path / "e1")) == sorted(f"{t}.csv" for t in S.TABLE_NAMES)
    assert first["schema_revision"] == "0004" and first["source_dialect"] == "sqlite"
    assert first["tables"]["cells"]["rows"] == lite.check().counts["cells"] > 0

    pg = open_store(new_url("postgresql", tmp_path, request, "target"), default_path=tmp_path / "x.sqlite")
    counts = pg.import_(tmp_path / "e1")
    assert counts == lite.check().counts == pg.check().counts
    second = pg.export(tmp_path / "e2")
    assert csvs(tmp_path / "e2") == csvs(tmp_path / "e1")
    assert {k: v for k, v in second.items() if k != "source_dialect"} == {
        k: v for k, v in first.items() if k != "source_dialect"
    }

    # and back into an empty SQLite file
    back = open_store(new_url("sqlite", tmp_path, request, "back"), default_path=tmp_path / "x.sqlite")
    back.import_(tmp_path / "e2")
    back.export(tmp_path / "e3")
    assert csvs(tmp_path / "e3") == csvs(tmp_path / "e1")

    # the reads agree value for value on both dialects
    ids = lite.submissions("2023-12", locality=data.LOCALITY)["id"].tolist()
    assert data.table_rows(pg.cells(ids)) == data.table_rows(lite.cells(ids))
    months = ["2023-10", "2023-11", "2023-12"]
    assert data.table_rows(pg.task_rows(months, locality=data.LOCALITY)) == data.table_rows(
        lite.task_rows(months, locality=data.LOCALITY)
    )
    assert data.table_rows(pg.history("VP", locality=data.LOCALITY)) == data.table_rows(
        lite.history("VP", locality=data.LOCALITY)
    )
    text = (tmp_path / "e1" / "files.csv").read_text(encoding="utf-8")
    assert '"VP, bản sửa ""2"".xlsx"' in text and ",5000000000," in text
    assert "2023-12-22T02:00:00.000001+00:00" in text  # UTC, microseconds kept
    cells = (tmp_path / "e1" / "cells.csv").read_bytes().decode("utf-8")  # no newline translation
    assert '"hai\ndòng"' in cells and "xuống dòng\r\nkiểu Windows" in cells

    # the identities go on after the imported ones
    with pg.run(locality=data.LOCALITY, period="2024-01") as run:
        assert run.id == len(first_rows(tmp_path / "e1", "runs")) + 1
        run.record_file(data.sha("new"), size=1, name="n.xlsx", channel="inbox", received_at=data.when(1))
        ref = run.record_submission(
            unit_code="VP", sha256=data.sha("new"), file_name="n.xlsx", received_at=data.when(1)
        )
        assert ref.id == counts["submissions"] + 1
    for s in (lite, pg, back):
        s.close()


def first_rows(folder: Path, table: str) -> list[str]:
    return (folder / f"{table}.csv").read_text(encoding="utf-8").splitlines()[1:]


def test_export_is_deterministic_and_refuses_a_full_folder(store: Store, tmp_path: Path) -> None:
    fill(store)
    store.export(tmp_path / "a")
    store.export(tmp_path / "b")
    assert {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()} == {
        p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()
    }
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["reminders"]["columns"] == [c.name for c in S.reminders.columns]
    with pytest.raises(StoreError) as err:
        store.export(tmp_path / "a")
    assert "đã có tệp" in err.value.message


def test_import_refusals(store: Store, tmp_path: Path, request: pytest.FixtureRequest, dialect: str) -> None:
    fill(store)
    export = tmp_path / "e"
    store.export(export)

    with pytest.raises(StoreNotEmpty) as err:
        store.import_(export)
    assert "đã có dữ liệu" in err.value.message and "chỉ nhập vào một kho trống" in err.value.message

    empty = open_store(new_url(dialect, tmp_path, request, "empty"), default_path=tmp_path / "x.sqlite")
    try:
        with pytest.raises(ExportInvalid) as bad:
            empty.import_(tmp_path / "nothing-here")
        assert "không có tệp manifest.json" in bad.value.message

        cells = export / "cells.csv"
        original = cells.read_bytes()
        cells.write_bytes(original.replace(b"Ho\xc3\xa0n th\xc3\xa0nh", b"Chua xong", 1))
        with pytest.raises(ExportInvalid) as bad:
            empty.import_(export)
        assert "cells.csv" in bad.value.message and "sha256" in bad.value.message
        cells.write_bytes(original)

        manifest_path = export / "manifest.json"
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest_path.write_text(json.dumps({**manifest, "schema_revision": "0001"}), encoding="utf-8")
        with pytest.raises(ExportInvalid) as bad:
            empty.import_(export)
        assert "phiên bản 0001" in bad.value.message and "(phiên bản 0004)" in bad.value.message

        wrong_rows = json.loads(json.dumps(manifest))
        wrong_rows["tables"]["scores"]["rows"] += 1
        manifest_path.write_text(json.dumps(wrong_rows), encoding="utf-8")
        with pytest.raises(ExportInvalid) as bad:
            empty.import_(export)
        assert "scores.csv" in bad.value.message and "manifest.json ghi" in bad.value.message
        assert sum(empty.check().counts.values()) == 0  # a refused import wrote nothing

        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        assert empty.import_(export) == store.check().counts
    finally:
        empty.close()
