"""Feedback files for refused returns: a unit whose return was rejected is told why and gets the
template of this period to send back; the feedback of a unit is about the return that counts."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.periods import Period, parse_period
from pipeline.catalogue import Catalogue
from pipeline.intake import read_return
from pipeline.outputs.templates import Filled, write_template
from pipeline.rules import check_returns
from pipeline.run import RunResult, run_report


@pytest.fixture(scope="session")
def cat(qcat: Catalogue) -> Catalogue:
    """These tests read and write returns that carry a unit's tasks and its indicators in one
    quarterly file: the catalogue of a locality whose calendar asks for both each quarter."""
    return qcat


MADE_ON = date(2023, 12, 21)
Q3 = parse_period("2023-Q3")
OLD_VERSION = "0.9"
FEEDBACK_COLUMNS = {label: n for n, label in enumerate(L.FEEDBACK_HEADERS)}

# The inbox: one unit per case.
WRONG_PERIOD = "P_TRAN_LAM"  # only return: a 2023-Q3 template, filled (refused on _meta's period)
OLD_TEMPLATE = "P_KY_BA"  # only return: this period, template version too old (values kept)
NO_META = "X_DONG_MY"  # only return: no _meta, «Kỳ báo cáo» of another quarter (refused by name)
TWO_REFUSED = "X_VU_LAC"  # a 2023-Q3 file, then later an old-template file: the latest is told
REFUSED_THEN_ACCEPTED = "VHTT"  # refused file first, then a counting return with an error
ACCEPTED_THEN_REFUSED = "NOIVU"  # a clean counting return, then a refused file received later
REFUSED_THEN_CLEAN = "TUPHAP"  # refused file first, then a clean counting return: no feedback
UNKNOWN_FILE = "ai gui.xlsx"  # _meta names no unit of the registry: the analyst's, not a unit's
IN_PROGRESS = "Đang thực hiện"


def _info(when: date) -> dict[str, Any]:
    return {
        V.INFO_REPORTER: "Nguyễn Thị Hương",
        V.INFO_POSITION: "Chuyên viên",
        V.INFO_PHONE: "02273123456",
        V.INFO_EMAIL: "vanthu@thaibinh.gov.vn",
        V.INFO_DATE: when,
    }


def _filled(cat: Catalogue, unit: str, period: Period, **meta: str) -> Filled:
    """Every task in progress with its result text, and (for a ward) every indicator reported."""
    tasks = {t: {V.TASK_STATUS: IN_PROGRESS, V.TASK_RESULT: f"Đã làm {t}"} for t in cat.task_ids_of(unit)}
    indicators: dict[str, tuple[Any, Any]] = {}
    if "indicators" in cat.sheets_for(unit, period):
        values = {"1.1": "Có", "1.2a": 2, "1.2b": 26, "2.1": "Có", "2.2a": 7, "2.2b": 7}
        indicators = {f: (v, "Kế hoạch số 12/KH-UBND ngày 05/10/2023") for f, v in values.items()}
    return Filled(info=_info(date(2023, 12, 10)), tasks=tasks, indicators=indicators, meta=meta)


def _write(cat: Catalogue, inbox: Path, name: str, unit: str, period: Period, **meta: str) -> Path:
    return write_template(
        cat, unit, period, inbox / name, _filled(cat, unit, period, **meta), generated=period.start
    )


def _without_meta(path: Path, period_label: str) -> Path:
    """The unit copied its sheets into a new workbook: no _meta, «Kỳ báo cáo» as it typed it."""
    wb = openpyxl.load_workbook(path)
    del wb[V.SHEET_META]
    ws = wb[V.SHEET_INFO]
    for row in ws.iter_rows(min_row=1, max_col=2):
        if row[0].value == V.INFO_PERIOD:
            row[1].value = period_label
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def refused_run(
    tmp_path_factory: pytest.TempPathFactory, cat: Catalogue, q4: Period
) -> tuple[Path, RunResult]:
    root = tmp_path_factory.mktemp("refused")
    inbox = root / "inbox"
    inbox.mkdir()
    received = {}

    def add(name: str, unit: str, period: Period, when: str, **meta: str) -> Path:
        received[name] = when
        return _write(cat, inbox, name, unit, period, **meta)

    add("tran lam.xlsx", WRONG_PERIOD, Q3, "2023-12-15")
    add("ky ba.xlsx", OLD_TEMPLATE, q4, "2023-12-15", template_version=OLD_VERSION)
    _without_meta(add("dong my.xlsx", NO_META, q4, "2023-12-15"), Q3.label)
    add("vu lac 1.xlsx", TWO_REFUSED, Q3, "2023-12-10")
    add("vu lac 2.xlsx", TWO_REFUSED, q4, "2023-12-12", template_version=OLD_VERSION)
    add("vhtt cu.xlsx", REFUSED_THEN_ACCEPTED, Q3, "2023-12-10")
    vhtt = _filled(cat, REFUSED_THEN_ACCEPTED, q4)
    first = cat.task_ids_of(REFUSED_THEN_ACCEPTED)[0]
    done = {first: {V.TASK_STATUS: "Hoàn thành", V.TASK_RESULT: "Đã xong."}}  # done, no evidence
    write_template(
        cat,
        REFUSED_THEN_ACCEPTED,
        q4,
        inbox / "vhtt moi.xlsx",
        Filled(info=vhtt.info, tasks={**vhtt.tasks, **done}),
        generated=q4.start,
    )
    received["vhtt moi.xlsx"] = "2023-12-12"
    add("noi vu.xlsx", ACCEPTED_THEN_REFUSED, q4, "2023-12-10")
    add("noi vu sua.xlsx", ACCEPTED_THEN_REFUSED, Q3, "2023-12-12")
    add("tu phap cu.xlsx", REFUSED_THEN_CLEAN, Q3, "2023-12-10")
    add("tu phap.xlsx", REFUSED_THEN_CLEAN, q4, "2023-12-12")
    add(UNKNOWN_FILE, "KINHTE", q4, "2023-12-12", unit_code="NOPE")
    with (inbox / "received.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([("file", "received_at"), *sorted(received.items())])
    return root, run_report(cat, q4, inbox, root / "out", made_on=MADE_ON, cache=False)


def _listed(path: Path) -> list[dict[str, str]]:
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == V.SHEET_FEEDBACK
    rows = wb[V.SHEET_FEEDBACK].iter_rows(min_row=5, values_only=True)
    return [{label: row[n] or "" for label, n in FEEDBACK_COLUMNS.items()} for row in rows]


def _fill_cells(path: Path, unit: str, cat: Catalogue) -> dict[str, Any]:
    """The «Tình trạng» value of every task row of the feedback file's Nhiệm vụ sheet."""
    ws = openpyxl.load_workbook(path)[V.SHEET_TASKS]
    status_col = L.TASK_HEADERS.index(V.TASK_STATUS)
    out = {}
    for row in ws.iter_rows(min_row=6, values_only=True):
        if row[0] in cat.task_ids_of(unit):
            out[row[0]] = row[status_col]
    return out


def _issues_csv(result: RunResult) -> list[dict[str, str]]:
    with (result.out_dir / "data" / "issues.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_which_units_get_feedback(refused_run) -> None:
    _root, result = refused_run
    folder = result.out_dir / "phan_hoi"
    got = sorted(p.stem for p in folder.glob("*.xlsx"))
    assert got == sorted(
        [WRONG_PERIOD, OLD_TEMPLATE, NO_META, TWO_REFUSED, REFUSED_THEN_ACCEPTED, ACCEPTED_THEN_REFUSED]
    )
    assert sorted(p.stem for p in result.feedback) == got  # what the CLI counts
    assert REFUSED_THEN_CLEAN not in got  # its refused file is past: the clean return counts
    # the unknown file stays the analyst's: in issues.csv, with no unit and no feedback file
    unknown = [i for i in _issues_csv(result) if i["file"] == UNKNOWN_FILE]
    assert [(i["code"], i["unit_code"]) for i in unknown] == [("unit_unknown", "")]


def test_wrong_period_gets_the_blank_template_of_this_period(refused_run, cat: Catalogue, q4: Period) -> None:
    _root, result = refused_run
    path = result.out_dir / "phan_hoi" / f"{WRONG_PERIOD}.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        V.SHEET_FEEDBACK,
        V.SHEET_GUIDE,
        V.SHEET_INFO,
        V.SHEET_TASKS,
        V.SHEET_INDICATORS,
        V.SHEET_META,
    ]
    meta = {row[0]: row[1] for row in wb[V.SHEET_META].iter_rows(values_only=True)}
    assert (meta["unit_code"], meta["period"], meta["template_version"]) == (
        WRONG_PERIOD,
        "2023-Q4",
        L.TEMPLATE_VERSION,
    )
    [row] = _listed(path)
    assert row[V.FEEDBACK_SEVERITY] == "Lỗi"
    assert (row[V.FEEDBACK_FIELD], row[V.FEEDBACK_VALUE]) == (V.INFO_PERIOD, "2023-Q3")
    assert row[V.FEEDBACK_CELL] == ""  # nothing to colour: the file carries no values
    message = row[V.FEEDBACK_MESSAGE]
    assert "«tran lam.xlsx»" in message and "hãy dùng mẫu của kỳ 2023-Q4" in message
    assert "gửi lại chính tệp này" in message
    # the Q3 values are not this period's: the template is blank
    assert set(_fill_cells(path, WRONG_PERIOD, cat).values()) == {None}
    assert wb[V.SHEET_INDICATORS]["F6"].value is None
    # issues.csv keeps the issue as found
    [issue] = [i for i in _issues_csv(result) if i["file"] == "tran lam.xlsx"]
    assert (issue["code"], issue["unit_code"], issue["cell"], issue["value"]) == (
        "period_mismatch",
        WRONG_PERIOD,
        "",
        "",
    )


def test_feedback_of_a_refused_return_filled_in_is_accepted(
    refused_run, cat: Catalogue, q4: Period, tmp_path: Path
) -> None:
    _root, result = refused_run
    wb = openpyxl.load_workbook(result.out_dir / "phan_hoi" / f"{WRONG_PERIOD}.xlsx")
    ws = wb[V.SHEET_TASKS]
    status_col = L.TASK_HEADERS.index(V.TASK_STATUS) + 1
    for row in ws.iter_rows(min_row=6):
        if row[0].value in cat.task_ids_of(WRONG_PERIOD):
            ws.cell(row=row[0].row, column=status_col, value=IN_PROGRESS)
    wb.save(tmp_path / "sent back.xlsx")
    checked = check_returns(cat, q4, [read_return(tmp_path / "sent back.xlsx", tmp_path)])
    assert checked.accepted == {"sent back.xlsx": WRONG_PERIOD}
    assert not [i for i in checked.issues if not i.sheet and i.severity == "error"]


def test_old_template_keeps_the_values(refused_run, cat: Catalogue) -> None:
    _root, result = refused_run
    path = result.out_dir / "phan_hoi" / f"{OLD_TEMPLATE}.xlsx"
    [row] = _listed(path)
    assert row[V.FEEDBACK_VALUE] == OLD_VERSION
    assert "phiên bản" in row[V.FEEDBACK_MESSAGE] and "đã chép sẵn các giá trị" in row[V.FEEDBACK_MESSAGE]
    assert set(_fill_cells(path, OLD_TEMPLATE, cat).values()) == {IN_PROGRESS}
    wb = openpyxl.load_workbook(path)
    ind = {r[0]: r[5] for r in wb[V.SHEET_INDICATORS].iter_rows(min_row=6, values_only=True)}
    assert ind == {"1.1": "Có", "1.2a": 2, "1.2b": 26, "2.1": "Có", "2.2a": 7, "2.2b": 7}
    meta = {r[0]: r[1] for r in wb[V.SHEET_META].iter_rows(values_only=True)}
    assert meta["template_version"] == L.TEMPLATE_VERSION


def test_no_meta_points_at_the_period_cell(refused_run, cat: Catalogue) -> None:
    _root, result = refused_run
    path = result.out_dir / "phan_hoi" / f"{NO_META}.xlsx"
    [row] = _listed(path)
    assert (row[V.FEEDBACK_SHEET], row[V.FEEDBACK_FIELD], row[V.FEEDBACK_VALUE]) == (
        V.SHEET_INFO,
        V.INFO_PERIOD,
        Q3.label,
    )
    assert row[V.FEEDBACK_SENT_CELL] == "B4" and row[V.FEEDBACK_CELL] == ""
    assert "hãy dùng mẫu của kỳ 2023-Q4" in row[V.FEEDBACK_MESSAGE]
    assert set(_fill_cells(path, NO_META, cat).values()) == {None}


def test_two_refused_files_the_latest_is_told(refused_run, cat: Catalogue) -> None:
    _root, result = refused_run
    path = result.out_dir / "phan_hoi" / f"{TWO_REFUSED}.xlsx"
    [row] = _listed(path)
    assert "«vu lac 2.xlsx»" in row[V.FEEDBACK_MESSAGE] and row[V.FEEDBACK_VALUE] == OLD_VERSION
    assert set(_fill_cells(path, TWO_REFUSED, cat).values()) == {IN_PROGRESS}


def test_refused_then_accepted_feedback_is_on_the_counting_return(refused_run, cat: Catalogue) -> None:
    _root, result = refused_run
    path = result.out_dir / "phan_hoi" / f"{REFUSED_THEN_ACCEPTED}.xlsx"
    rows = _listed(path)
    assert rows and all("vhtt cu.xlsx" not in r[V.FEEDBACK_MESSAGE] for r in rows)
    [error] = [r for r in rows if r[V.FEEDBACK_SEVERITY] == "Lỗi"]
    first = cat.task_ids_of(REFUSED_THEN_ACCEPTED)[0]
    assert error[V.FEEDBACK_FIELD] == f"{first} – {V.TASK_EVIDENCE}"  # the issue's field, as a unit reads it
    wb = openpyxl.load_workbook(path)
    assert wb[V.SHEET_TASKS][error[V.FEEDBACK_CELL]].fill.fgColor.rgb.endswith("FF9C9C")
    statuses = _fill_cells(path, REFUSED_THEN_ACCEPTED, cat)
    assert statuses.pop(first) == "Hoàn thành" and set(statuses.values()) == {IN_PROGRESS}


def test_a_later_refused_file_is_told_next_to_the_counting_return(refused_run, cat: Catalogue) -> None:
    _root, result = refused_run
    path = result.out_dir / "phan_hoi" / f"{ACCEPTED_THEN_REFUSED}.xlsx"
    [row] = _listed(path)  # the counting return is clean: only the later refusal is listed
    message = row[V.FEEDBACK_MESSAGE]
    assert "«noi vu sua.xlsx»" in message and "vẫn tổng hợp theo tệp «noi vu.xlsx»" in message
    assert (row[V.FEEDBACK_FIELD], row[V.FEEDBACK_VALUE]) == (V.INFO_PERIOD, "2023-Q3")
    assert set(_fill_cells(path, ACCEPTED_THEN_REFUSED, cat).values()) == {IN_PROGRESS}
    with (result.out_dir / "data" / "submissions.csv").open(encoding="utf-8", newline="") as fh:
        subs = {r["file"]: r["status"] for r in csv.DictReader(fh) if r["file"]}
    assert (subs["noi vu.xlsx"], subs["noi vu sua.xlsx"]) == ("on_time", "rejected")


def test_feedback_files_are_deterministic(refused_run, cat: Catalogue, q4: Period, monkeypatch) -> None:
    root, result = refused_run
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1703030400")  # both runs on one day
    first = run_report(cat, q4, root / "inbox", root / "a", made_on=MADE_ON, cache=False)
    second = run_report(cat, q4, root / "inbox", root / "b", made_on=MADE_ON)
    digest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in first.feedback}
    assert digest == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in second.feedback}
    assert [p.name for p in first.feedback] == [p.name for p in result.feedback]


def test_feedback_files_written_in_worker_processes_are_the_same(
    refused_run, cat: Catalogue, q4: Period, monkeypatch
) -> None:
    """Many feedback files (a template change, a mistake every unit makes) are written in worker
    processes, from the values the read stage kept: same files, same bytes, same order."""
    root, _result = refused_run
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1703030400")
    alone = run_report(cat, q4, root / "inbox", root / "alone", made_on=MADE_ON, cache=False, workers=0)
    monkeypatch.setattr("pipeline.run.MIN_ITEMS_FOR_POOL", 2)
    pooled = run_report(cat, q4, root / "inbox", root / "pooled", made_on=MADE_ON, cache=False, workers=2)
    assert len(alone.feedback) >= 2
    assert [p.name for p in pooled.feedback] == [p.name for p in alone.feedback]
    for a, b in zip(alone.feedback, pooled.feedback, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
