"""History for the unit, end to end on real workbooks through a real store (SQLite in tmp_path):
a season of hand-made returns run period by period with run_report; the feedback files read back
with openpyxl (their «Thay đổi» sheet, the warnings listed and marked at their cells), issues.csv
and the province workbook; then the demo season as `make report` runs it."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.periods import Period, parse_period, previous_period
from pipeline.catalogue import Catalogue, CatalogueError, load_catalogue
from pipeline.catalogue.summary import summary_lines
from pipeline.demo import write_season
from pipeline.intake import read_return
from pipeline.outputs.changes_sheet import HEADERS as CHANGE_HEADERS
from pipeline.outputs.templates import Filled, write_template
from pipeline.rules import check_returns
from pipeline.run import RunResult, run_report
from pipeline.store import open_store
from tests.conftest import SCHEMAS

OCT, NOV, DEC = parse_period("2023-10"), parse_period("2023-11"), parse_period("2023-12")
Q3, Q4 = parse_period("2023-Q3"), parse_period("2023-Q4")
MADE_ON = date(2023, 12, 28)
COPIER = "TCKH"  # the same tasks in October, November and December, each with a newer date
BACKSLIDER = "TNMT"  # PL01-1.3: in progress, done in November, «Chưa thực hiện» in December
WARD = "P_KY_BA"  # PL01-3.2 (cumulative, a Có/Không): Không, Có, then Không; corrects its November return; 2.2b 7 → 5
CUMULATIVE_TASK, DONE_TASK, FIXED_TASK = "PL01-3.2", "PL01-1.3", "PL01-2.1"
FEEDBACK_COLUMNS = {label: n for n, label in enumerate(L.FEEDBACK_HEADERS)}
EVIDENCE = "Báo cáo số 15/BC-UBND ngày 05/10/2023"
ACROSS = {"done_then_not_started", "cumulative_decreased", "values_copied"}


def _info(day: date, reporter: str = "Nguyễn Thị Hương") -> dict[str, Any]:
    return {
        V.INFO_REPORTER: reporter,
        V.INFO_POSITION: "Chuyên viên",
        V.INFO_PHONE: "02273123456",
        V.INFO_EMAIL: "vanthu@thaibinh.gov.vn",
        V.INFO_DATE: day,
    }


def _tasks(cat: Catalogue, unit: str, **rows: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every task of the unit in progress with a result text; ``rows`` replace some (task ids
    with ``_`` for ``-`` and ``.``: PL01_3_2)."""
    out = {
        t: {V.TASK_STATUS: V.STATUS_IN_PROGRESS, V.TASK_RESULT: f"Đang triển khai {t}."}
        for t in cat.task_ids_of(unit)
    }
    for key, values in rows.items():
        task = key.replace("_", "-", 1).replace("_", ".")
        assert task in out, task
        out[task] = {**out[task], **values}
    return out


def _ward_tasks(cat: Catalogue, figure: Any, fixed: str = V.STATUS_DONE) -> dict[str, dict[str, Any]]:
    return _tasks(
        cat,
        WARD,
        PL01_3_2={V.TASK_RESULT_VALUE: figure},
        PL01_2_1={V.TASK_STATUS: fixed, V.TASK_EVIDENCE: EVIDENCE},
    )


def _backslider(cat: Catalogue, status: str) -> dict[str, dict[str, Any]]:
    return _tasks(cat, BACKSLIDER, PL01_1_3={V.TASK_STATUS: status, V.TASK_EVIDENCE: EVIDENCE})


def _indicators(teams: int) -> dict[str, tuple[Any, Any]]:
    values = {"1.1": "Có", "1.2a": 2, "1.2b": 26, "2.1": "Có", "2.2a": 9, "2.2b": teams}
    return {f: (v, "Kế hoạch số 12/KH-UBND ngày 05/10/2023") for f, v in values.items()}


def _inbox(cat: Catalogue, period: Period, folder: Path, returns: list[tuple[str, str, Filled, str]]) -> Path:
    """Write each (file name, unit, values, received) into ``folder`` with its received.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, unit, filled, _when in returns:
        write_template(cat, unit, period, folder / name, filled, generated=period.start)
    with (folder / "received.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(
            [("file", "received_at"), *sorted((name, when) for name, _u, _f, when in returns)]
        )
    return folder


def _run(cat: Catalogue, period: Period, inbox: Path, out: Path) -> RunResult:
    return run_report(cat, period, inbox, out, made_on=MADE_ON, cache=False, sample=False)


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory, cat: Catalogue) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("unit_history")
    out = root / "out"
    copied = _tasks(cat, COPIER)
    runs: dict[str, Any] = {"root": root, "out": out}
    oct_returns = [
        ("2023-10_TCKH.xlsx", COPIER, Filled(info=_info(date(2023, 10, 10)), tasks=copied), "2023-10-12"),
        (
            "2023-10_TNMT.xlsx",
            BACKSLIDER,
            Filled(info=_info(date(2023, 10, 10)), tasks=_backslider(cat, V.STATUS_IN_PROGRESS)),
            "2023-10-12",
        ),
        (
            "2023-10_P_KY_BA.xlsx",
            WARD,
            Filled(info=_info(date(2023, 10, 10)), tasks=_ward_tasks(cat, V.NO, V.STATUS_IN_PROGRESS)),
            "2023-10-12",
        ),
    ]
    runs["oct"] = _run(cat, OCT, _inbox(cat, OCT, root / "inbox" / OCT.id, oct_returns), out)
    nov_common = [
        ("2023-11_TCKH.xlsx", COPIER, Filled(info=_info(date(2023, 11, 10)), tasks=copied), "2023-11-12"),
        (
            "2023-11_TNMT.xlsx",
            BACKSLIDER,
            Filled(info=_info(date(2023, 11, 10)), tasks=_backslider(cat, V.STATUS_DONE)),
            "2023-11-12",
        ),
    ]
    first = Filled(
        info=_info(date(2023, 11, 10), "Nguyễn Văn An"), tasks=_ward_tasks(cat, V.YES, "hoan thanh")
    )
    nov = _inbox(cat, NOV, root / "inbox" / NOV.id, [*nov_common, ("ky ba.xlsx", WARD, first, "2023-11-10")])
    runs["nov_first"] = _run(cat, NOV, nov, out)
    shutil.copytree(runs["nov_first"].out_dir, root / "nov_first")  # the next run replaces the folder
    # the ward corrects its return; the analyst replaces the file in the inbox
    (nov / "ky ba.xlsx").unlink()
    second = Filled(info=_info(date(2023, 11, 14), "Trần Thị Bình"), tasks=_ward_tasks(cat, V.YES))
    _inbox(cat, NOV, nov, [*nov_common, ("ky ba (sua).xlsx", WARD, second, "2023-11-14")])
    runs["nov"] = _run(cat, NOV, nov, out)
    dec_returns = [
        ("2023-12_TCKH.xlsx", COPIER, Filled(info=_info(date(2023, 12, 11)), tasks=copied), "2023-12-12"),
        (
            "2023-12_TNMT.xlsx",
            BACKSLIDER,
            Filled(info=_info(date(2023, 12, 11)), tasks=_backslider(cat, V.STATUS_NOT_STARTED)),
            "2023-12-12",
        ),
        (
            "2023-12_P_KY_BA.xlsx",
            WARD,
            Filled(info=_info(date(2023, 12, 11)), tasks=_ward_tasks(cat, V.NO)),
            "2023-12-12",
        ),
    ]
    runs["dec"] = _run(cat, DEC, _inbox(cat, DEC, root / "inbox" / DEC.id, dec_returns), out)
    for period, teams, day in ((Q3, 7, date(2023, 9, 15)), (Q4, 5, date(2023, 12, 15))):
        name = f"{period.id}_{WARD}.xlsx"
        filled = Filled(info=_info(day), indicators=_indicators(teams))
        inbox = _inbox(cat, period, root / "inbox" / period.id, [(name, WARD, filled, day.isoformat())])
        runs[period.id] = _run(cat, period, inbox, out)
    return runs


def _issues(result: RunResult) -> list[dict[str, str]]:
    with (result.out_dir / "data" / "issues.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _listed(path: Path) -> list[dict[str, str]]:
    ws = openpyxl.load_workbook(path)[V.SHEET_FEEDBACK]
    return [
        {label: row[n] or "" for label, n in FEEDBACK_COLUMNS.items()}
        for row in ws.iter_rows(min_row=5, values_only=True)
    ]


def _changes(path: Path) -> tuple[list[str], list[tuple[str, ...]]]:
    """The notes above the «Thay đổi» table and its rows."""
    ws = openpyxl.load_workbook(path)[V.SHEET_CHANGES]
    rows = [tuple(c or "" for c in r) for r in ws.iter_rows(min_row=1, values_only=True)]
    if tuple(CHANGE_HEADERS) not in rows:
        return [r[0] for r in rows if r[0]], []
    header = rows.index(tuple(CHANGE_HEADERS))
    return [r[0] for r in rows[:header] if r[0]], rows[header + 1 :]


def _text(cat: Catalogue, task: str) -> str:
    return str(cat.tasks.at[task, "text"])


# --- the checks across periods ----------------------------------------------------------------------


def test_december_warnings_in_issues_csv(season: dict[str, Any]) -> None:
    found = [r for r in _issues(season["dec"]) if r["code"] in ACROSS]
    got = [
        (r["unit_code"], r["file"], r["sheet"], r["cell"], r["field"], r["value"], r["severity"], r["code"])
        for r in found
    ]
    assert sorted(got) == sorted(
        [
            (WARD, "2023-12_P_KY_BA.xlsx", V.SHEET_TASKS, "I10", f"{CUMULATIVE_TASK}:{V.TASK_RESULT_VALUE}", V.NO, "warning", "cumulative_decreased"),
            (COPIER, "2023-12_TCKH.xlsx", V.SHEET_INFO, "B10", V.INFO_DATE, "11/12/2023", "warning", "values_copied"),
            (BACKSLIDER, "2023-12_TNMT.xlsx", V.SHEET_TASKS, "H6", f"{DONE_TASK}:{V.TASK_STATUS}", V.STATUS_NOT_STARTED, "warning", "done_then_not_started"),
        ]
    )  # fmt: skip
    messages = {r["code"]: r["message"] for r in found}
    assert messages["done_then_not_started"] == (
        "Tệp «2023-12_TNMT.xlsx», ô H6 trang «Nhiệm vụ»: nhiệm vụ PL01-1.3 ghi «Chưa thực hiện», nhưng "
        "báo cáo tháng 11/2023 (tệp «2023-11_TNMT.xlsx») đã ghi «Hoàn thành». Hãy kiểm tra lại: nếu nhiệm "
        "vụ đã hoàn thành, hãy ghi lại «Hoàn thành»; nếu báo cáo trước ghi nhầm, hãy ghi rõ ở cột «Kết quả "
        "thực hiện»."
    )
    assert messages["cumulative_decreased"] == (
        "Tệp «2023-12_P_KY_BA.xlsx», ô I10 trang «Nhiệm vụ»: nhiệm vụ PL01-3.2 ghi «Không», nhưng báo cáo "
        "tháng 11/2023 (tệp «ky ba (sua).xlsx») đã ghi «Có». Đây là kết quả lũy kế (đã đạt thì vẫn được "
        "tính) nên không chuyển từ «Có» sang «Không»: hãy kiểm tra lại; nếu thật sự có thay đổi, hãy ghi "
        "rõ lý do ở cột «Kết quả thực hiện»."
    )
    assert messages["values_copied"] == (
        "Tệp «2023-12_TCKH.xlsx»: mọi ô đã điền ở trang «Nhiệm vụ» giống hệt báo cáo tháng 10/2023 và "
        "tháng 11/2023 (3 tháng liền), trong khi ngày báo cáo (ô B10 trang «Thông tin») đã đổi thành "
        "11/12/2023. Hãy cập nhật tình trạng, kết quả và minh chứng của tháng 12/2023; nếu thật sự không "
        "có gì thay đổi, hãy ghi rõ ở cột «Kết quả thực hiện»."
    )
    assert season["dec"].warnings == 3 and season["dec"].errors == 0


def test_no_warning_before_its_time(season: dict[str, Any]) -> None:
    """October has nothing to compare with; in November the figure rose, the task was done, and
    the copier had copied only twice."""
    for key in ("oct", "nov"):
        assert not [r for r in _issues(season[key]) if r["code"] in ACROSS], key


def test_a_cumulative_indicator_field_that_fell(season: dict[str, Any]) -> None:
    [row] = [r for r in _issues(season["2023-Q4"]) if r["code"] in ACROSS]
    assert (row["cell"], row["field"], row["value"], row["code"]) == (
        "F11",
        "2.2b",
        "5",
        "cumulative_decreased",
    )
    assert row["message"] == (
        "Tệp «2023-Q4_P_KY_BA.xlsx», ô F11 trang «Chỉ số»: mục 2.2b (Số thôn, tổ dân phố đã thành lập Tổ "
        "công nghệ số cộng đồng) ghi 5, thấp hơn 7 của báo cáo quý III/2023 (tệp «2023-Q3_P_KY_BA.xlsx»). "
        "Đây là số liệu lũy kế (tính đến thời điểm báo cáo) nên không thể giảm: hãy kiểm tra lại và ghi số "
        "lũy kế, không ghi số của riêng kỳ này."
    )
    assert not [r for r in _issues(season["2023-Q3"]) if r["code"] in ACROSS]


def test_the_warnings_are_the_periods_not_stored(season: dict[str, Any], cat: Catalogue) -> None:
    """Computed when the period is built, from the store: not in the store's issues, and the
    same on a rebuild."""
    with open_store(None, default_path=season["out"] / "dti.sqlite") as store:
        ids = store.submissions(DEC.id, locality=cat.locality.code)["id"].tolist()
        assert not set(store.issues(ids)["code"]) & ACROSS
        subs = store.submissions(DEC.id, locality=cat.locality.code).set_index("unit_code")
        assert subs.at[COPIER, "warnings"] == 1  # counted on the return all the same
    before = (season["dec"].out_dir / "data" / "issues.csv").read_bytes()
    again = _run(cat, DEC, season["root"] / "inbox" / DEC.id, season["out"])
    assert (again.out_dir / "data" / "issues.csv").read_bytes() == before


def test_province_workbook_lists_them(season: dict[str, Any]) -> None:
    ws = openpyxl.load_workbook(season["dec"].workbook)[V.SHEET_ISSUES]
    rows = [r for r in ws.iter_rows(values_only=True) if r and r[0] in (COPIER, BACKSLIDER, WARD)]
    kinds = {(r[0], r[7]) for r in rows}
    assert kinds == {
        (WARD, "Số liệu lũy kế giảm"),
        (COPIER, "Số liệu giống hệt các tháng trước"),
        (BACKSLIDER, "Nhiệm vụ đã hoàn thành nay ghi chưa thực hiện"),
    }


def test_feedback_marks_each_warning_at_its_cell(season: dict[str, Any]) -> None:
    folder = season["dec"].out_dir / "phan_hoi"
    assert sorted(p.stem for p in folder.glob("*.xlsx")) == sorted([COPIER, BACKSLIDER, WARD])
    for unit, sheet, cell, field, value in (
        (BACKSLIDER, V.SHEET_TASKS, "H6", f"{DONE_TASK} – {V.TASK_STATUS}", V.STATUS_NOT_STARTED),
        (WARD, V.SHEET_TASKS, "I10", f"{CUMULATIVE_TASK} – {V.TASK_RESULT_VALUE}", V.NO),
        (COPIER, V.SHEET_INFO, "B10", V.INFO_DATE, "11/12/2023"),
    ):
        path = folder / f"{unit}.xlsx"
        [row] = _listed(path)
        assert (
            row[V.FEEDBACK_SHEET],
            row[V.FEEDBACK_CELL],
            row[V.FEEDBACK_FIELD],
            row[V.FEEDBACK_VALUE],
        ) == (
            sheet,
            cell,
            field,
            value,
        )
        assert row[V.FEEDBACK_SEVERITY] == V.SEVERITY_LABELS["warning"]
        marked = openpyxl.load_workbook(path)[sheet][cell]
        assert marked.fill.fgColor.rgb.endswith("FFEB84")  # yellow: to check
        assert marked.comment is not None and marked.comment.text == row[V.FEEDBACK_MESSAGE]


# --- what changed ---------------------------------------------------------------------------------------


def test_changes_since_last_month(season: dict[str, Any], cat: Catalogue) -> None:
    notes, rows = _changes(season["dec"].out_dir / "phan_hoi" / f"{BACKSLIDER}.xlsx")
    assert notes == [
        "NHỮNG THAY ĐỔI TRONG BÁO CÁO — Phòng Tài nguyên và Môi trường — Tháng 12 năm 2023",
        "So với báo cáo tháng 11/2023 (tệp «2023-11_TNMT.xlsx»): 1 ô thay đổi; chỉ so «Tình trạng» và "
        "«Kết quả (số liệu)» của nhiệm vụ, «Giá trị» của chỉ số.",
        "Cột «Trước» là giá trị trong báo cáo được so sánh, cột «Nay» là giá trị trong báo cáo này; «(trống)» "
        "là ô chưa điền. Cột «Ô» chỉ ô tương ứng trong tệp này.",
    ]
    assert rows == [
        ("Tháng 11/2023", V.SHEET_TASKS, "H6", DONE_TASK, _text(cat, DONE_TASK), V.TASK_STATUS, V.STATUS_DONE, V.STATUS_NOT_STARTED)
    ]  # fmt: skip
    notes, rows = _changes(season["dec"].out_dir / "phan_hoi" / f"{WARD}.xlsx")
    assert rows == [("Tháng 11/2023", V.SHEET_TASKS, "I10", CUMULATIVE_TASK, _text(cat, CUMULATIVE_TASK), V.TASK_RESULT_VALUE, V.YES, V.NO)]  # fmt: skip
    notes, rows = _changes(season["dec"].out_dir / "phan_hoi" / f"{COPIER}.xlsx")
    assert notes[1:] == ["So với báo cáo tháng 11/2023 (tệp «2023-11_TCKH.xlsx»): không có ô nào thay đổi."]
    assert rows == []


def test_a_corrected_return_shows_what_the_unit_changed(season: dict[str, Any], cat: Catalogue) -> None:
    """The ward's second November file: no issues of its own, yet a feedback file that opens on
    «Thay đổi»: every cell it changed since its first file, then what moved since October."""
    path = season["nov"].out_dir / "phan_hoi" / f"{WARD}.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == [V.SHEET_CHANGES, V.SHEET_GUIDE] and wb.active.title == V.SHEET_CHANGES
    notes, rows = _changes(path)
    assert notes[1:] == [
        "So với lần gửi trước của kỳ này (tệp «ky ba.xlsx», nhận ngày 10/11/2023): 3 ô đã sửa (mọi ô có "
        "giá trị khác lần gửi trước).",
        "So với báo cáo tháng 10/2023 (tệp «2023-10_P_KY_BA.xlsx»): 2 ô thay đổi; chỉ so «Tình trạng» và "
        "«Kết quả (số liệu)» của nhiệm vụ, «Giá trị» của chỉ số.",
        "Cột «Trước» là giá trị trong báo cáo được so sánh, cột «Nay» là giá trị trong báo cáo này; «(trống)» "
        "là ô chưa điền. Cột «Ô» chỉ ô tương ứng trong tệp này.",
        "Báo cáo không có lỗi hay điểm cần kiểm tra: không cần gửi lại tệp này.",
    ]
    fixed, cumulative = _text(cat, FIXED_TASK), _text(cat, CUMULATIVE_TASK)
    assert rows == [
        ("Lần gửi trước", V.SHEET_INFO, "B6", V.INFO_REPORTER, "", "", "Nguyễn Văn An", "Trần Thị Bình"),
        ("Lần gửi trước", V.SHEET_INFO, "B10", V.INFO_DATE, "", "", "10/11/2023", "14/11/2023"),
        ("Lần gửi trước", V.SHEET_TASKS, "H7", FIXED_TASK, fixed, V.TASK_STATUS, "hoan thanh", V.STATUS_DONE),
        ("Tháng 10/2023", V.SHEET_TASKS, "H7", FIXED_TASK, fixed, V.TASK_STATUS, V.STATUS_IN_PROGRESS, V.STATUS_DONE),
        ("Tháng 10/2023", V.SHEET_TASKS, "I10", CUMULATIVE_TASK, cumulative, V.TASK_RESULT_VALUE, V.NO, V.YES),
    ]  # fmt: skip


def test_the_first_file_had_its_own_feedback(season: dict[str, Any]) -> None:
    """Before the correction: the first file's issue, and what moved since October (as read:
    «hoan thanh» is Hoàn thành)."""
    path = season["root"] / "nov_first" / "phan_hoi" / f"{WARD}.xlsx"
    assert [r[V.FEEDBACK_CELL] for r in _listed(path)] == ["H7"]
    notes, rows = _changes(path)
    assert [r[0] for r in rows] == ["Tháng 10/2023", "Tháng 10/2023"]
    assert [(r[2], r[6], r[7]) for r in rows] == [
        ("H7", V.STATUS_IN_PROGRESS, V.STATUS_DONE),
        ("I10", V.NO, V.YES),
    ]
    assert len(notes) == 3  # title, since October, how to read; issues to fix: no "nothing to send"


def test_the_feedback_file_sent_back_reads_as_the_return(season: dict[str, Any], cat: Catalogue) -> None:
    """A unit sends its feedback file back as is: the «Thay đổi» sheet is skipped, the values
    read are the return's own."""
    path = season["dec"].out_dir / "phan_hoi" / f"{WARD}.xlsx"
    checked = check_returns(cat, DEC, [read_return(path)])
    assert [i for i in checked.issues if i.severity == "error"] == []
    [row] = checked.tasks[checked.tasks["task_id"] == CUMULATIVE_TASK].to_dict("records")
    assert row["result_value"] == 0  # Không


# --- the pieces --------------------------------------------------------------------------------------


def test_previous_period() -> None:
    assert [
        previous_period(parse_period(p)).id for p in ("2023-11", "2024-01", "2023-Q1", "2023-Q4", "2023")
    ] == [
        "2023-10",
        "2023-12",
        "2022-Q4",
        "2023-Q3",
        "2022",
    ]


def test_cumulative_is_declared_in_the_calendar(tmp_path: Path, cat: Catalogue) -> None:
    assert cat.cumulative.quantities == {"ty_le_xa_ket_noi_tslcd"} and cat.cumulative.fields == {"2.2b"}
    assert cat.cumulative_tasks == {"PL01-3.2", "PL02-2.1"}
    line = "Số liệu lũy kế (không được giảm trong năm): nhiệm vụ ty_le_xa_ket_noi_tslcd (PL01-3.2, PL02-2.1); chỉ số 2.2b"
    assert line in summary_lines(cat)
    root = shutil.copytree(SCHEMAS, tmp_path / "schemas")
    text = (root / "calendar.yaml").read_text(encoding="utf-8")
    calendar = text.replace("tasks: [ty_le_xa_ket_noi_tslcd]", "tasks: [ty_le_xa_ket_noi_tslcd, so_bai_viet]")
    (root / "calendar.yaml").write_text(calendar.replace('["2.2b"]', '["2.2b", "9.9"]'), encoding="utf-8")
    other = load_catalogue(root)  # names another locality's catalogue may not have: unused, listed
    assert other.cumulative_tasks == cat.cumulative_tasks
    assert "  ! calendar.yaml, cumulative: so_bai_viet, 9.9 không có trong danh mục" in "\n".join(
        summary_lines(other)
    )
    (root / "calendar.yaml").write_text(calendar.replace('["2.2b"]', '["2.1"]'), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:  # a Có/Không field counts nothing
        load_catalogue(root)
    assert caught.value.problems == [
        "calendar.yaml, cumulative.indicators: «2.1» không phải trường số trong indicators.yaml"
    ]
    (root / "calendar.yaml").write_text(
        text.replace("tasks: [ty_le_xa_ket_noi_tslcd]", "tasks: ty_le"), encoding="utf-8"
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(root)
    assert caught.value.problems[0].startswith("calendar.yaml, cumulative: chỉ gồm tasks")


# --- the demo season, as make report runs it -------------------------------------------------------------


def test_demo_season_shows_each_warning(tmp_path: Path, cat: Catalogue) -> None:
    season_ = write_season(cat, Q4, tmp_path / "inbox")
    results = {
        p.id: run_report(cat, p, season_.folder / p.id, tmp_path / "out", made_on=MADE_ON)
        for p in season_.periods
    }
    dec = season_.results[2]
    assert dec.copied and dec.went_back and dec.decreased
    rows = [r for r in _issues(results[DEC.id]) if r["code"] in ACROSS]
    assert sorted((r["unit_code"], r["code"]) for r in rows) == sorted(
        [
            (dec.copied, "values_copied"),
            (dec.went_back, "done_then_not_started"),
            (dec.decreased, "cumulative_decreased"),
        ]
    )
    for key in (OCT.id, NOV.id, Q4.id):
        assert not [r for r in _issues(results[key]) if r["code"] in ACROSS], key
    folder = results[DEC.id].out_dir / "phan_hoi"
    assert {dec.copied, dec.went_back, dec.decreased} <= {p.stem for p in folder.glob("*.xlsx")}
    twice = season_.results[1].twice  # sends twice in November: what it changed, cell by cell
    notes, rows = _changes(results[NOV.id].out_dir / "phan_hoi" / f"{twice}.xlsx")
    assert notes[1].startswith(f"So với lần gửi trước của kỳ này (tệp «2023-11_{twice}_lan1.xlsx»")
    assert [r[0] for r in rows].count(V.CHANGES_PREVIOUS_VERSION) >= 1
