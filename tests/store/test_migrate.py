"""Migrations: a store of revision 0001 moves forward on open (after a backup on SQLite), in one
transaction; a store of a newer dti is refused and left untouched."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline.store import StoreTooNew, open_store
from pipeline.store import migrate as M
from pipeline.store import schema as S
from pipeline.store.engine import create_engine, locate
from tests.store import data

OLD = "0001"


def build_revision_1(url: str, tmp_path: Path) -> None:
    """A store as the first schema left it, with a little of everything (written without the API,
    which knows only the head schema)."""
    engine = create_engine(locate(url, tmp_path / "x.sqlite"), 5)
    with engine.connect() as conn:
        M.upgrade(conn, OLD)
        conn.execute(
            S.runs.insert().values(
                started_at=data.when(10),
                finished_at=data.when(10, 1),
                command="report",
                tool_version="0.1.0",
                catalogue_version="cv-old",
                locality=data.LOCALITY,
                period="2023-Q4",
                status="ok",
            )
        )
        for k, digest in enumerate((data.sha("v1"), data.sha("v2"))):
            conn.execute(
                S.files.insert().values(
                    sha256=digest,
                    size=10 + k,
                    first_name=f"VP-{k}.xlsx",
                    channel="inbox",
                    received_at=data.when(10 + k),
                    run_id=1,
                )
            )
        for row in (  # one by one, so that the ids are 1 and 2 on every dialect
            {
                "locality": data.LOCALITY,
                "period": "2023-Q4",
                "unit_code": "VP",
                "version": 1,
                "file_sha256": data.sha("v1"),
                "file_name": "VP-0.xlsx",
                "status": "superseded",
                "superseded_by": None,
                "received_at": data.when(10),
                "errors": 1,
                "warnings": 0,
                "run_id": 1,
            },
            {
                "locality": data.LOCALITY,
                "period": "2023-Q4",
                "unit_code": "VP",
                "version": 2,
                "file_sha256": data.sha("v2"),
                "file_name": "VP-1.xlsx",
                "status": "on_time",
                "superseded_by": None,
                "received_at": data.when(11),
                "errors": 0,
                "warnings": 2,
                "run_id": 1,
            },
        ):
            conn.execute(S.submissions.insert().values(**row))
        conn.execute(S.submissions.update().where(S.submissions.c.id == 1).values(superseded_by=2))
        conn.execute(
            S.cells.insert(),
            [
                {
                    "submission_id": 2,
                    "sheet": "Chỉ số",
                    "cell": f"F{5 + i}",
                    "row_key": key,
                    "column_label": "Giá trị",
                    "raw": raw,
                    "value": value,
                }
                for i, (key, raw, value) in enumerate(
                    (("1.1", "Co", "Có"), ("1.2a", "1,5", "1.5"), ("2.2a", "12", "12"))
                )
            ],
        )
        conn.execute(
            S.issues.insert().values(
                run_id=1,
                submission_id=1,
                severity="error",
                code="number_invalid",
                message="Giá trị không phải là số",
                cell="F6",
                field="1.2a",
            )
        )
        conn.execute(
            S.task_rows.insert(),
            [
                {
                    "locality": data.LOCALITY,
                    "period": "2023-Q4",
                    "task_id": f"PL01-1.{i}",
                    "unit_code": "VP",
                    "role": "chu_tri",
                    "status": "done",
                    "result_value": 20.0 + i,
                    "has_evidence": True,
                    "overdue": False,
                    "submission_id": 2,
                    "run_id": 1,
                }
                for i in (1, 2)
            ],
        )
        conn.execute(
            S.scores.insert().values(
                locality=data.LOCALITY,
                period="2023-Q4",
                unit_code="DAI_TTTH",
                indicator_id="1.1",
                self_score=10.0,
                score=10.0,
                max_score=10.0,
                has_evidence=True,
                run_id=1,
            )
        )
        conn.commit()
    engine.dispose()


def _revision(url: str, tmp_path: Path) -> str | None:
    engine = create_engine(locate(url, tmp_path / "x.sqlite"), 5)
    try:
        with engine.connect() as conn:
            return M.current(conn)
    finally:
        engine.dispose()


def _columns(url: str, tmp_path: Path, table: str) -> list[str]:
    engine = create_engine(locate(url, tmp_path / "x.sqlite"), 5)
    try:
        with engine.connect() as conn:
            return [c["name"] for c in sa.inspect(conn).get_columns(table)]
    finally:
        engine.dispose()


def test_revision_1_migrates_forward_with_data_intact(store_url: str, tmp_path: Path) -> None:
    build_revision_1(store_url, tmp_path)
    assert _revision(store_url, tmp_path) == OLD
    assert "sender" not in _columns(store_url, tmp_path, "files")

    store = open_store(store_url, default_path=tmp_path / "x.sqlite")
    try:
        assert store.note is not None and "từ phiên bản 0001 lên phiên bản 0004" in store.note
        check = store.check()
        assert (check.revision, check.head) == ("0004", "0004")
        assert check.counts == {
            "runs": 1,
            "files": 2,
            "submissions": 2,
            "cells": 3,
            "issues": 1,
            "task_rows": 2,
            "scores": 1,
            "reminders": 0,
            "links": 0,
        }
        subs = store.submissions("2023-Q4", locality=data.LOCALITY)
        assert data.table_rows(
            subs[["id", "version", "status", "superseded_by", "errors", "warnings", "sender"]]
        ) == [
            (1, 1, "superseded", 2, 1, 0, None),
            (2, 2, "on_time", None, 0, 2, None),
        ]
        assert subs["received_at"].iloc[1] == data.when(11)
        cells = store.cells([2])
        assert data.table_rows(cells[["cell", "row_key", "raw", "value"]]) == [
            ("F5", "1.1", "Co", "Có"),
            ("F6", "1.2a", "1,5", "1.5"),
            ("F7", "2.2a", "12", "12"),
        ]
        assert list(store.task_rows("2023-Q4", locality=data.LOCALITY)["result_value"]) == [21.0, 22.0]
        assert list(store.scores("2023-Q4", locality=data.LOCALITY)["score"]) == [10.0]
        assert store.issues([1])["message"].tolist() == ["Giá trị không phải là số"]
        assert "unproven" in _columns(store_url, tmp_path, "task_rows")  # revision 0003
        # what revision 0002 added works
        with store.run(locality=data.LOCALITY, period="2023-Q4", command="remind") as run:
            run.record_file(
                data.sha("mail"),
                size=1,
                name="x.xlsx",
                channel="email",
                received_at=data.when(20),
                sender="vp@thaibinh.gov.vn",
            )
            assert run.log_reminder(unit_code="VP", channel="email", sent_on=date(2023, 12, 20))
            assert run.id == 2
        assert store.find_file(data.sha("mail")).sender == "vp@thaibinh.gov.vn"  # type: ignore[union-attr]
        assert len(store.reminders("2023-Q4", locality=data.LOCALITY)) == 1

        if store.dialect == "sqlite":
            backup = tmp_path / "dti.sqlite.bak-0001"
            assert store.backup == backup and backup.is_file()
            assert str(backup) in store.note
            raw = sqlite3.connect(backup)
            try:
                assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
                assert [r[1] for r in raw.execute("PRAGMA table_info(files)")] == [
                    "sha256",
                    "size",
                    "first_name",
                    "channel",
                    "received_at",
                    "run_id",
                ]
                assert raw.execute("SELECT count(*) FROM cells").fetchone() == (3,)
                assert raw.execute("SELECT name FROM sqlite_master WHERE name = 'reminders'").fetchall() == []
            finally:
                raw.close()
        else:
            assert store.backup is None
    finally:
        store.close()
    again = open_store(store_url, default_path=tmp_path / "x.sqlite")
    assert again.note is None and again.backup is None
    again.close()
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak-" in p.name) == (
        ["dti.sqlite.bak-0001"] if again.dialect == "sqlite" else []
    )


def test_a_failed_migration_leaves_the_old_store(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_revision_1(store_url, tmp_path)
    real = M.upgrade

    def upgrade_then_fail(conn: sa.Connection, target: str = "head") -> None:
        real(conn, target)  # every step of 0002 and 0003 ran ...
        assert "sender" in [c["name"] for c in sa.inspect(conn).get_columns("files")]
        raise OSError("disk full")  # ... and then the process fails before the commit

    monkeypatch.setattr(M, "upgrade", upgrade_then_fail)
    with pytest.raises(OSError, match="disk full"):
        open_store(store_url, default_path=tmp_path / "x.sqlite")
    assert _revision(store_url, tmp_path) == OLD
    assert "sender" not in _columns(store_url, tmp_path, "files")
    monkeypatch.setattr(M, "upgrade", real)
    store = open_store(store_url, default_path=tmp_path / "x.sqlite")
    try:
        assert store.check().revision == "0004" and store.check().counts["cells"] == 3
    finally:
        store.close()


def test_a_store_of_a_newer_dti_is_refused_by_name(store_url: str, tmp_path: Path) -> None:
    store = open_store(store_url, default_path=tmp_path / "x.sqlite")
    with store.run(locality=data.LOCALITY, period="2023-10") as run:
        data.write_period(run, "2023-10", units=("VP",))
    with store.engine.connect() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
        conn.execute(sa.text("UPDATE runs SET tool_version = '9.9.0'"))
        conn.commit()
    store.close()
    files_before = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(StoreTooNew) as err:
        open_store(store_url, default_path=tmp_path / "x.sqlite")
    message = err.value.message
    assert (err.value.revision, err.value.head) == ("0099", "0004")
    assert (
        "do một phiên bản dti mới hơn ghi (cấu trúc kho phiên bản 0099, ghi lần cuối bởi dti 9.9.0)"
        in message
    )
    assert "chỉ đọc được cấu trúc đến phiên bản 0004" in message and "Hãy cập nhật dti" in message
    shown = locate(store_url, tmp_path / "x.sqlite").shown
    assert shown in message
    assert _revision(store_url, tmp_path) == "0099"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before  # no backup, nothing new
