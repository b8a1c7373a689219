"""What the run reads back: values exactly as written, typed, in a fixed order, per period."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pipeline.store import Store, open_store
from tests.store import data


@pytest.fixture
def season(store: Store) -> Store:
    """Three months and a quarter, written by four runs; December's VP sent twice."""
    for k, period in enumerate(("2023-10", "2023-11", "2023-12")):
        with store.run(locality=data.LOCALITY, period=period) as run:
            data.write_period(run, period, variant=k)
    with store.run(locality=data.LOCALITY, period="2023-12") as run:
        digest = data.sha("2023-12", "VP", "again")
        run.record_file(digest, size=5, name="VP-sua.xlsx", channel="upload", received_at=data.when(22))
        ref = run.record_submission(
            unit_code="VP", sha256=digest, file_name="VP-sua.xlsx", received_at=data.when(22), status="late"
        )
        run.add_cells(data.cells_frame(ref.id, 3, variant=7))
    with store.run(locality=data.LOCALITY, period="2023-Q4") as run:
        data.write_period(run, "2023-Q4", units=("DAI_TTTH", "P_BO_XUYEN"), tasks=0)
    return store


def test_cells_come_back_exactly(store: Store) -> None:
    with store.run(locality=data.LOCALITY, period="2023-10") as run:
        refs = data.write_period(run, "2023-10", units=("VP", "NOIVU"), cells=40)
    ids = [refs["NOIVU"].id, refs["VP"].id]
    got = store.cells(ids)
    expected = pd.concat([data.cells_frame(i, 40) for i in sorted(ids)], ignore_index=True)
    expected["value"] = expected["value"].replace("", None)  # an empty text is no text
    key = ["submission_id", "sheet", "cell"]
    expected = expected.sort_values(
        key, key=lambda s: s.map(lambda v: v.encode() if isinstance(v, str) else v)
    )
    assert data.table_rows(got) == data.table_rows(expected.reset_index(drop=True))
    assert str(got["submission_id"].dtype) == "Int64" and got["raw"].dtype == object
    assert "hai\ndòng" in set(got["raw"]) and "xuống dòng\r\nkiểu Windows" in set(got["raw"])
    assert store.cells([]).empty and list(store.cells([]).columns) == list(got.columns)


def test_periods_history_and_latest(season: Store) -> None:
    s = season
    assert s.periods(locality=data.LOCALITY) == ["2023-10", "2023-11", "2023-12", "2023-Q4"]
    assert s.periods(locality="TP_KHAC") == []
    dec = s.submissions("2023-12", locality=data.LOCALITY)
    assert len(dec) == len(data.UNITS) + 1
    vp = dec[dec["unit_code"] == "VP"]
    assert data.table_rows(vp[["version", "status", "file_name"]]) == [
        (1, "superseded", "2023-12_VP.xlsx"),
        (2, "late", "VP-sua.xlsx"),
    ]
    latest = s.submissions("2023-12", locality=data.LOCALITY, latest=True)
    assert list(latest["unit_code"]) == sorted(data.UNITS)
    assert latest.set_index("unit_code").loc["VP", "file_name"] == "VP-sua.xlsx"
    history = s.history("VP", locality=data.LOCALITY)
    assert data.table_rows(history[["period", "version", "counting"]]) == [
        ("2023-10", 1, True),
        ("2023-11", 1, True),
        ("2023-12", 1, False),
        ("2023-12", 2, True),
    ]
    assert str(history["received_at"].dtype) == "datetime64[us, UTC]"
    assert history["received_at"].iloc[0] == pd.Timestamp(data.when(10, micro=0))
    p_bo = s.history("P_BO_XUYEN", locality=data.LOCALITY)
    assert list(p_bo["period"]) == ["2023-10", "2023-11", "2023-12", "2023-Q4"]
    assert (
        p_bo["received_at"].iloc[0].microsecond == 0
        and s.history("NOIVU", locality=data.LOCALITY)["received_at"].iloc[0].microsecond == 123456
    )


def test_task_rows_of_months_for_a_quarter(season: Store) -> None:
    months = season.task_rows(["2023-10", "2023-11", "2023-12"], locality=data.LOCALITY)
    assert len(months) == 3 * len(data.UNITS) * 6
    assert list(months["period"].unique()) == ["2023-10", "2023-11", "2023-12"]
    assert (months["source_period"] == months["period"]).all()
    dec = season.task_rows("2023-12", locality=data.LOCALITY)
    refs = {
        r.unit_code: r.id
        for r in season.submissions("2023-12", locality=data.LOCALITY).itertuples()
        if r.version == 1
    }
    expected = data.task_frame(data.UNITS, 6, {u: _ref(i) for u, i in refs.items()}, variant=2)
    expected = expected.sort_values(["task_id", "unit_code"]).reset_index(drop=True)
    cols = [
        "task_id",
        "unit_code",
        "role",
        "status",
        "result_value",
        "has_evidence",
        "overdue",
        "result_text",
        "evidence",
        "evidence_date",
        "evidence_url",
        "difficulties",
        "submission_id",
    ]
    expected["status"] = expected["status"].replace("", None)
    assert data.table_rows(dec[cols]) == data.table_rows(expected[cols])
    assert dec["result_value"].dtype == "float64" and str(dec["has_evidence"].dtype) == "boolean"
    assert 1 / 3 in set(dec["result_value"]) and 1e-7 in set(dec["result_value"])
    assert season.task_rows("2023-Q4", locality=data.LOCALITY).empty


def _ref(i: int) -> object:
    from pipeline.store import SubmissionRef

    return SubmissionRef(i, 1, True, "on_time", None)


def test_replacing_a_periods_rows_and_scores(season: Store) -> None:
    before = season.scores("2023-11", locality=data.LOCALITY)
    with season.run(locality=data.LOCALITY, period="2023-11") as run:
        assert run.replace_task_rows(data.task_frame(("VP",), 2, {})) == 2
        assert run.replace_scores(data.score_frame(("VP",), variant=1)) == 4
        # the run sees its own rows before it commits
        assert len(run.task_rows("2023-11", locality=data.LOCALITY)) == 2
    rows = season.task_rows("2023-11", locality=data.LOCALITY)
    assert list(rows["unit_code"]) == ["VP", "VP"] and rows["submission_id"].isna().all()
    scores = season.scores(["2023-11"], locality=data.LOCALITY)
    assert data.table_rows(scores[["indicator_id", "self_score", "score", "max_score", "has_evidence"]]) == [
        ("1.1", 0.0, 0.0, 10.0, True),
        ("1.2", None, 0.0, 10.0, False),
        ("2.1", 7.5, 7.5, 10.0, True),
        ("2.2", 10.0, 10.0, 10.0, False),
    ]
    assert len(before) == 4 * len(data.UNITS)
    assert len(season.scores("2023-10", locality=data.LOCALITY)) == 4 * len(data.UNITS)  # other periods kept


def test_issues_by_return_and_by_file(store: Store) -> None:
    with store.run(locality=data.LOCALITY, period="2023-10") as run:
        refs = data.write_period(run, "2023-10", units=("VP", "NOIVU"))
        junk = data.sha("junk")
        run.record_file(junk, size=3, name="bom.xlsx", channel="inbox", received_at=data.when(3))
        run.add_issues(
            pd.DataFrame(
                [
                    {
                        "file_sha256": junk,
                        "severity": "error",
                        "code": "zip_bomb",
                        "message": "Tệp nén bất thường",
                        "sheet": None,
                        "cell": "",
                        "field": "",
                    }
                ]
            )
        )
    issues = store.issues([refs["NOIVU"].id])
    assert data.table_rows(issues[["submission_id", "severity", "code", "cell", "field"]]) == [
        (refs["NOIVU"].id, "warning", "number_invalid", "H7", "PL01-1.4:Kết quả (số liệu)")
    ]
    assert issues["message"].iloc[0] == "Giá trị «abc» không phải là số"
    by_file = store.issues(file_sha256s=[junk])
    assert data.table_rows(by_file[["submission_id", "file_sha256", "code", "cell", "field", "sheet"]]) == [
        (None, junk, "zip_bomb", None, None, None)
    ]
    both = store.issues([refs["VP"].id, refs["NOIVU"].id], file_sha256s=[junk])
    assert list(both["code"]) == ["number_invalid", "number_invalid", "zip_bomb"]
    assert (both["run_id"] == 1).all()


def test_reminders_log_once_a_day(store: Store) -> None:
    with store.run(locality=data.LOCALITY, period="2023-12", command="remind") as run:
        assert run.log_reminder(unit_code="VP", channel="email", sent_on=date(2023, 12, 18), kind="due_soon")
        assert not run.log_reminder(
            unit_code="VP", channel="email", sent_on=date(2023, 12, 18), kind="due_soon"
        )
        assert run.log_reminder(unit_code="VP", channel="zalo", sent_on=date(2023, 12, 18))
        assert run.log_reminder(unit_code="VP", channel="email", sent_on=date(2023, 12, 21), kind="overdue")
    with store.run(locality=data.LOCALITY, period="2023-12", command="remind") as run:
        assert not run.log_reminder(unit_code="VP", channel="zalo", sent_on=date(2023, 12, 18))
    got = store.reminders("2023-12", locality=data.LOCALITY)
    assert data.table_rows(got[["unit_code", "channel", "sent_on", "kind"]]) == [
        ("VP", "email", date(2023, 12, 18), "due_soon"),
        ("VP", "zalo", date(2023, 12, 18), None),
        ("VP", "email", date(2023, 12, 21), "overdue"),
    ]
    assert list(store.runs()["command"]) == ["remind", "remind"]


def test_frames_with_missing_required_columns_are_refused(store: Store) -> None:
    with store.run(locality=data.LOCALITY, period="2023-10") as run:
        with pytest.raises(ValueError, match="cells: the frame has no column 'cell'"):
            run.add_cells(pd.DataFrame({"submission_id": [1], "sheet": ["x"]}))
        with pytest.raises(ValueError, match=r"scores\.score: missing values"):
            run.replace_scores(
                pd.DataFrame(
                    {
                        "unit_code": ["VP"],
                        "indicator_id": ["1.1"],
                        "score": [None],
                        "max_score": [10],
                        "has_evidence": [True],
                    }
                )
            )
        with pytest.raises(ValueError, match="expected an integer"):
            run.add_cells(pd.DataFrame({"submission_id": [1.5], "sheet": ["x"], "cell": ["A1"]}))


def test_long_tables_name_only_what_exists(store: Store) -> None:
    """The long tables have no FOREIGN KEY: the writer checks references, check() counts strays."""
    with store.run(locality=data.LOCALITY, period="2023-10") as run:
        refs = data.write_period(run, "2023-10", units=("VP",))
        with pytest.raises(ValueError, match=r"cells\.submission_id: no submissions with id \[999\]"):
            good = data.cells_frame(refs["VP"].id, 3).assign(sheet="Phụ lục")
            run.add_cells(iter([good, data.cells_frame(999, 2)]))  # the good first frame goes too
        with pytest.raises(ValueError, match=r"issues\.file_sha256: no files with sha256"):
            run.add_issues(
                pd.DataFrame(
                    [{"file_sha256": data.sha("?"), "severity": "error", "code": "x", "message": "m"}]
                )
            )
        with pytest.raises(ValueError, match=r"task_rows\.submission_id: no submissions with id \[998\]"):
            run.replace_task_rows(data.task_frame(("VP",), 1, {"VP": _ref(998)}))  # type: ignore[dict-item]
    check = store.check()
    assert set(check.dangling) == {
        "cells.submission_id",
        "issues.submission_id",
        "issues.file_sha256",
        "issues.run_id",
        "task_rows.submission_id",
        "task_rows.run_id",
        "scores.run_id",
    }
    assert not any(check.dangling.values())
    assert "Liên kết giữa các bảng: đầy đủ." in check.lines()
    assert (
        check.counts["cells"] == 12 and check.counts["task_rows"] == 6
    )  # refused writes left nothing, not even half
    with store.engine.connect() as conn:  # a stray row written behind the store's back
        conn.exec_driver_sql(
            f"INSERT INTO cells (submission_id, sheet, cell) VALUES ({refs['VP'].id + 50}, 'x', 'A1')"
        )
        conn.commit()
    check = store.check()
    assert check.dangling["cells.submission_id"] == 1
    assert "  Ô dữ liệu, cột submission_id: 1 dòng trỏ đến dữ liệu không có" in check.lines()


def test_replacing_rows_rewrites_only_the_units_whose_rows_changed(season: Store) -> None:
    """A unit whose rows are the same keeps the run that wrote them; a changed, a new or a dropped
    unit is rewritten (and a dropped one's rows go)."""
    kept, changed, dropped = data.UNITS[0], data.UNITS[1], data.UNITS[2]
    with season.run(locality=data.LOCALITY, period="2023-11") as run:
        run.replace_task_rows(data.task_frame((kept, changed, dropped), 3, {}))
        one = run.id
    again = data.task_frame((kept, changed, "NEW"), 3, {})
    again.loc[again["unit_code"] == changed, "result_text"] = "đổi"
    with season.run(locality=data.LOCALITY, period="2023-11") as run:
        assert run.replace_task_rows(again) == 9
        two = run.id
    rows = season.task_rows("2023-11", locality=data.LOCALITY)
    runs = rows.groupby("unit_code")["run_id"].agg(lambda s: set(s.astype(int))).to_dict()
    assert runs == {kept: {one}, changed: {two}, "NEW": {two}}
    assert set(rows.loc[rows["unit_code"] == changed, "result_text"]) == {"đổi"}
    one_row = again.index[(again["unit_code"] == kept)][0]  # one row of a unit differs: that unit only
    with season.run(locality=data.LOCALITY, period="2023-11") as run:
        run.replace_task_rows(
            again.assign(status=again["status"].where(again.index != one_row, "not_applicable"))
        )
        three = run.id
    rows = season.task_rows("2023-11", locality=data.LOCALITY)
    runs = rows.groupby("unit_code")["run_id"].agg(lambda s: set(s.astype(int))).to_dict()
    assert runs == {kept: {three}, changed: {two}, "NEW": {two}} and len(rows) == 9
    # the same rows in another order change nothing
    stored = again.assign(status=again["status"].where(again.index != one_row, "not_applicable"))
    with season.run(locality=data.LOCALITY, period="2023-11") as run:
        assert run.replace_task_rows(stored.iloc[::-1]) == 9
    rows = season.task_rows("2023-11", locality=data.LOCALITY)
    runs = rows.groupby("unit_code")["run_id"].agg(lambda s: set(s.astype(int))).to_dict()
    assert runs == {kept: {three}, changed: {two}, "NEW": {two}} and len(rows) == 9


def test_task_counts_are_the_task_rows_counted(season: Store) -> None:
    """What the history reads of the task rows: how many units' rows have each period, task,
    status and proof, as counting the rows themselves gives."""
    rows = season.task_rows(["2023-10", "2023-11"], locality=data.LOCALITY)
    counts = season.task_counts(["2023-10", "2023-11"], locality=data.LOCALITY)
    keys = ["period", "task_id", "status", "unproven"]
    assert list(counts.columns) == [*keys, "rows"] and len(rows) > len(counts) > 0
    expected = rows.groupby(keys, dropna=False).size().rename("rows").reset_index()

    def plain(frame: pd.DataFrame) -> list[tuple[object, ...]]:
        return [tuple(None if pd.isna(v) else v for v in r) for r in frame[[*keys, "rows"]].to_numpy(object)]

    assert plain(counts) == plain(expected)
    assert int(counts["rows"].sum()) == len(rows)


def test_row_digests_are_those_of_the_rows_as_multisets() -> None:
    """What a key's stored and new rows are compared by: order does not count, a row twice does."""
    from pipeline.store.run import _digests

    rows = [("VP", "PL01-1.1", 1.0, None), ("VP", "PL01-1.2", 2.0, "x"), ("YTE", "PL01-1.1", 1.0, "y")]
    digests = _digests(rows, 0)
    assert digests == _digests(reversed(rows), 0) and set(digests) == {"VP", "YTE"}
    doubled = _digests([*rows, rows[0]], 0)
    assert doubled["VP"] != digests["VP"] and doubled["YTE"] == digests["YTE"]
    assert _digests([("VP", 1)], 0) != _digests([("VP", 2)], 0)
    assert _digests([("VP", "a"), ("VP", "b")], 0) != _digests([("VP", "a"), ("VP", "a")], 0)


def _runs_by_unit(store: Store) -> dict[str, set[int]]:
    rows = store.task_rows("2023-11", locality=data.LOCALITY)
    return rows.groupby("unit_code")["run_id"].agg(lambda s: set(s.astype(int))).to_dict()


def test_the_last_runs_kept_rows_spare_reading_the_stored_ones_back(
    season: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run given the rows the last run left (``kept``) compares with them and reads nothing back:
    only the unit that changed is rewritten, and the stored rows are those given."""
    import pipeline.store.run as store_run

    kept_unit, changed = data.UNITS[0], data.UNITS[1]
    first = data.task_frame((kept_unit, changed), 3, {})
    with season.run(locality=data.LOCALITY, period="2023-11") as run:
        run.replace_task_rows(first)
        one, kept = run.id, run.kept["task_rows"]
    again = first.assign(result_text=first["result_text"].where(first["unit_code"] != changed, "đổi"))

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the stored rows were read back")

    monkeypatch.setattr(store_run, "streamed_rows", no_reading)
    with season.run(locality=data.LOCALITY, period="2023-11") as run:
        assert run.replace_task_rows(again, kept=kept) == 6
        two = run.id
    assert _runs_by_unit(season) == {kept_unit: {one}, changed: {two}}
    rows = season.task_rows("2023-11", locality=data.LOCALITY)
    assert set(rows.loc[rows["unit_code"] == changed, "result_text"]) == {"đổi"}
    assert set(rows.loc[rows["unit_code"] == kept_unit, "result_text"]) == set(
        first.loc[first["unit_code"] == kept_unit, "result_text"]
    )


def test_kept_rows_are_not_believed_once_another_run_has_written(season: Store, tmp_path: Path) -> None:
    """Kept rows are of one store, one scope, and the last run that committed: after another run
    (here one that changed a unit's rows), on another store, or for another period, the stored
    rows are read back and compared, and what is stored is what is given."""
    kept_unit, changed = data.UNITS[0], data.UNITS[1]
    first = data.task_frame((kept_unit, changed), 3, {})
    with season.run(locality=data.LOCALITY, period="2023-11") as run:
        run.replace_task_rows(first)
        kept = run.kept["task_rows"]
    other = first.assign(result_text=first["result_text"].where(first["unit_code"] != changed, "khác"))
    with season.run(locality=data.LOCALITY, period="2023-11") as run:
        run.replace_task_rows(other)  # another writer, between the two runs
    with season.run(locality=data.LOCALITY, period="2023-11") as run:
        run.replace_task_rows(first, kept=kept)  # kept says `first` is stored: it is not
        three = run.id
    rows = season.task_rows("2023-11", locality=data.LOCALITY)
    assert set(rows.loc[rows["unit_code"] == changed, "result_text"]) == set(
        first.loc[first["unit_code"] == changed, "result_text"]
    )
    assert _runs_by_unit(season)[changed] == {three}

    with season.run(locality=data.LOCALITY, period="2023-11") as run:
        run.replace_task_rows(first)
        kept = run.kept["task_rows"]
    with season.run(locality=data.LOCALITY, period="2023-10") as run:  # October held other rows
        run.replace_task_rows(first, kept=kept)
    october = season.task_rows("2023-10", locality=data.LOCALITY)
    assert sorted(october["result_text"]) == sorted(first["result_text"])
    fresh = open_store(None, default_path=tmp_path / "other.sqlite")
    with fresh:
        for _ in range(kept.run_id):  # its last run has the number of the kept rows' run
            with fresh.run(locality=data.LOCALITY, period="2023-11") as run:
                pass
        with fresh.run(locality=data.LOCALITY, period="2023-11") as run:
            assert run.id == kept.run_id + 1
            assert run.replace_task_rows(first, kept=kept) == 6
        assert len(fresh.task_rows("2023-11", locality=data.LOCALITY)) == 6


def test_frame_digests_are_the_same_in_every_process() -> None:
    """Kept between runs, a frame's digests must not depend on the process (Python's own string
    hash does): the same frame gives the same digests in a fresh interpreter."""
    import subprocess
    import sys

    from pipeline.store.run import frame_digests

    frame = data.task_frame(("VP", "YTE"), 4, {})
    code = (
        "from tests.store import data; from pipeline.store.run import frame_digests; "
        "print(sorted(frame_digests(data.task_frame(('VP', 'YTE'), 4, {}), 'unit_code').items()))"
    )
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    here = frame_digests(frame, "unit_code")
    assert there.stdout.strip() == str(sorted(here.items()))
    assert set(here) == {"VP", "YTE"} and here == frame_digests(frame.iloc[::-1], "unit_code")
    changed = frame.assign(status=frame["status"].where(frame.index != 0, "done!"))
    assert frame_digests(changed, "unit_code")["VP"] != here["VP"]
    assert frame_digests(changed, "unit_code")["YTE"] == here["YTE"]
