"""Reading returns as they really come back, identifying them, and validating their cells."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.issues import Code, Issue, Severity
from pipeline.base.periods import Period, parse_period
from pipeline.base.text import a1
from pipeline.catalogue import Catalogue
from pipeline.intake import discover, read_return, sheets
from pipeline.outputs.template_tasks import row_of
from pipeline.outputs.templates import FIRST_TASK_HEADER_ROW, Filled, write_template
from pipeline.rules import Checked, check_returns
from tests.conftest import convert


@pytest.fixture(scope="session")
def cat(qcat: Catalogue) -> Catalogue:
    """These tests read and write returns that carry a unit's tasks and its indicators in one
    quarterly file: the catalogue of a locality whose calendar asks for both each quarter."""
    return qcat


UNIT = "P_KY_BA"  # a ward: tasks and indicators
GOOD_INFO = {
    V.INFO_REPORTER: "Nguyễn Văn An",
    V.INFO_POSITION: "Công chức",
    V.INFO_PHONE: "0227 3831 234",
    V.INFO_EMAIL: "kyba@thaibinh.gov.vn",
    V.INFO_DATE: date(2023, 12, 15),
}
GOOD_INDICATORS: dict[str, tuple[Any, Any]] = {
    "1.1": ("Có", "Quyết định số 12/QĐ-UBND ngày 02/10/2023"),
    "1.2a": (2, "Báo cáo số 3/BC-UBND ngày 01/12/2023"),
    "1.2b": (26, None),
    "2.1": ("Có", "Quyết định số 15/QĐ-UBND"),
    "2.2a": (8, "QĐ thành lập 8 tổ"),
    "2.2b": (8, None),
}


def tasks_of(cat: Catalogue, unit: str = UNIT) -> list[str]:
    return list(cat.tasks_of(unit)["task_id"])


def filled(cat: Catalogue, unit: str = UNIT, **tasks: dict[str, Any]) -> Filled:
    """A proper return: every task in progress with evidence; overrides by task id (dots as _)."""
    values: dict[str, dict[str, Any]] = {
        t: {V.TASK_STATUS: "Đang thực hiện", V.TASK_EVIDENCE: "Báo cáo số 5/BC-UBND"}
        for t in tasks_of(cat, unit)
    }
    for key, override in tasks.items():
        values[key.replace("_", ".").replace(".", "-", 1)] = override
    return Filled(info=GOOD_INFO, tasks=values, indicators=GOOD_INDICATORS)


def write(cat: Catalogue, q4: Period, path: Path, f: Filled | None = None, unit: str = UNIT) -> Path:
    return write_template(cat, unit, q4, path, f or filled(cat, unit))


def run(cat: Catalogue, q4: Period, *paths: Path) -> Checked:
    return check_returns(cat, q4, [read_return(p, p.parent) for p in paths])


def only(issues: list[Issue], code: Code) -> list[Issue]:
    return [i for i in issues if i.code == code]


def task_cell(
    cat: Catalogue, task_id: str, label: str, unit: str = UNIT, rows_before: int = 0, cols_before: int = 0
) -> str:
    row = row_of(cat, unit, task_id)
    assert row is not None
    return a1(row + rows_before, L.TASK_HEADERS.index(label) + cols_before)


def test_a_proper_return_is_clean(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    checked = run(cat, q4, write(cat, q4, tmp_path / "a.xlsx"))
    assert checked.accepted == {"a.xlsx": UNIT}
    assert [i for i in checked.issues if i.severity == Severity.ERROR] == []
    assert len(checked.tasks) == len(tasks_of(cat))
    assert set(checked.tasks["status"]) == {"in_progress"}
    values = dict(zip(checked.indicators["field_id"], checked.indicators["value"], strict=True))
    assert values == {"1.1": "Có", "1.2a": 2, "1.2b": 26, "2.1": "Có", "2.2a": 8, "2.2b": 8}


def test_discover_skips_lock_files_and_received_csv(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    write(cat, q4, tmp_path / "a.xlsx")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    (tmp_path / ".~lock.a.xlsx#").write_text("lock")
    (tmp_path / "received.csv").write_text("file,received_at\n")
    assert [p.name for p in discover(tmp_path)] == ["a.xlsx"]


def test_values_are_normalised_with_warnings(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    f = filled(
        cat,
        PL01_1_5={V.TASK_STATUS: "hoan thanh", V.TASK_RESULT_VALUE: "12 tin bài", V.TASK_EVIDENCE: "KH 5"},
        PL01_3_1={V.TASK_STATUS: unicodedata.normalize("NFD", "Hoàn thành"), V.TASK_EVIDENCE: "BC 7"},
        PL01_4_1={V.TASK_STATUS: "§ang thùc hiÖn"},  # TCVN3
        PL01_4_2={V.TASK_STATUS: "Đang thực hiện", V.TASK_RESULT_VALUE: "1.000"},
    )
    checked = run(cat, q4, write(cat, q4, tmp_path / "a.xlsx", f))
    t = checked.tasks.set_index("task_id")
    assert t.at["PL01-1.5", "status"] == "done"
    assert t.at["PL01-1.5", "result_value"] == 12
    assert t.at["PL01-3.1", "status"] == "done"
    assert t.at["PL01-4.1", "status"] == "in_progress"
    assert t.at["PL01-4.2", "result_value"] == 1000
    words = only(checked.issues, Code.NUMBER_WITH_TEXT)
    assert [(i.cell, i.field, i.severity) for i in words] == [
        (task_cell(cat, "PL01-1.5", V.TASK_RESULT_VALUE), f"PL01-1.5:{V.TASK_RESULT_VALUE}", Severity.WARNING)
    ]
    assert "12" in words[0].message
    assert only(checked.issues, Code.TCVN3_CONVERTED)


def test_errors_name_the_cell_and_keep_the_value_out(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    f = filled(
        cat,
        PL01_1_5={V.TASK_STATUS: "Xong rồi"},
        PL01_3_1={V.TASK_STATUS: "Hoàn thành"},  # no evidence
        PL01_4_1={V.TASK_STATUS: "Đang thực hiện", V.TASK_RESULT_VALUE: "nhiều"},
    )
    checked = run(cat, q4, write(cat, q4, tmp_path / "a.xlsx", f))
    by_code = {i.code: i for i in checked.issues}
    assert by_code[Code.NOT_ALLOWED].cell == task_cell(cat, "PL01-1.5", V.TASK_STATUS)
    assert by_code[Code.NOT_ALLOWED].severity == Severity.ERROR
    assert by_code[Code.EVIDENCE_REQUIRED].cell == task_cell(cat, "PL01-3.1", V.TASK_EVIDENCE)
    assert by_code[Code.EVIDENCE_REQUIRED].field == f"PL01-3.1:{V.TASK_EVIDENCE}"
    assert by_code[Code.NOT_A_NUMBER].cell == task_cell(cat, "PL01-4.1", V.TASK_RESULT_VALUE)
    t = checked.tasks.set_index("task_id")
    assert t.at["PL01-1.5", "status"] is None or str(t.at["PL01-1.5", "status"]) == "nan"
    for issue in checked.issues:
        assert unicodedata.is_normalized("NFC", issue.message)


def test_result_required_for_a_target(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    f = filled(cat, PL01_1_5={V.TASK_STATUS: "Hoàn thành", V.TASK_EVIDENCE: "BC 1"})
    checked = run(cat, q4, write(cat, q4, tmp_path / "a.xlsx", f))
    [issue] = only(checked.issues, Code.RESULT_REQUIRED)
    assert issue.cell == task_cell(cat, "PL01-1.5", V.TASK_RESULT_VALUE)


def test_indicator_checks(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    f = filled(cat)
    ind = dict(f.indicators) | {
        "1.1": ("Không", "Biên bản kiểm tra"),
        "1.2a": (2, "Báo cáo số 3/BC-UBND ngày 01/12/2023"),
        "1.2b": (10, None),
        "2.2a": (8, "QĐ"),
        "2.2b": (10, None),
        "2.1": ("Có", None),
    }
    checked = run(
        cat, q4, write(cat, q4, tmp_path / "a.xlsx", Filled(info=f.info, tasks=f.tasks, indicators=ind))
    )
    found = {(i.field, i.code, i.severity) for i in checked.issues if i.sheet == V.SHEET_INDICATORS}
    assert ("2.2b", Code.CROSS_FIELD, Severity.ERROR) in found
    assert ("1.2a", Code.CROSS_FIELD, Severity.WARNING) in found
    assert ("1.2b", Code.CROSS_FIELD, Severity.WARNING) in found
    # no evidence costs the points: an error, red, saying how many
    assert ("2.1", Code.NO_EVIDENCE, Severity.ERROR) in found
    lost = next(i for i in checked.issues if i.code == Code.NO_EVIDENCE)
    assert lost.message.startswith("Chỉ số 2.1 không được tính 10 điểm vì thiếu minh chứng")
    err = next(i for i in checked.issues if i.field == "2.2b" and i.code == Code.CROSS_FIELD)
    assert err.cell == a1(FIRST_TASK_HEADER_ROW + 6, L.IND_HEADERS.index(V.IND_VALUE))
    values = dict(zip(checked.indicators["field_id"], checked.indicators["value"], strict=True))
    assert values["2.2b"] is None  # an error keeps the value out of scoring
    assert values["1.2b"] == 10  # a warning keeps it in


def test_required_indicator_missing(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    f = filled(cat)
    ind = dict(f.indicators)
    ind["2.2a"] = (None, "QĐ")
    checked = run(
        cat, q4, write(cat, q4, tmp_path / "a.xlsx", Filled(info=f.info, tasks=f.tasks, indicators=ind))
    )
    assert [(i.field, i.code) for i in checked.issues if i.code == Code.REQUIRED] == [("2.2a", Code.REQUIRED)]


def _edit(path: Path, fn: Any) -> Path:
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)
    return path


def test_exact_cells_after_inserted_rows_and_columns(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    f = filled(cat, PL01_4_1={V.TASK_STATUS: "Đang thực hiện", V.TASK_RESULT_VALUE: "abc"})
    path = write(cat, q4, tmp_path / "a.xlsx", f)

    def insert(wb: openpyxl.Workbook) -> None:
        ws = wb[V.SHEET_TASKS]
        ws.insert_rows(1, 2)
        ws.insert_cols(1)
        ws["A1"] = "UBND PHƯỜNG KỲ BÁ"

    _edit(path, insert)
    checked = run(cat, q4, path)
    [issue] = only(checked.issues, Code.NOT_A_NUMBER)
    assert issue.cell == task_cell(cat, "PL01-4.1", V.TASK_RESULT_VALUE, rows_before=2, cols_before=1)
    assert len(checked.tasks) == len(tasks_of(cat))


def test_reordered_and_extra_columns(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    f = filled(cat, PL01_4_1={V.TASK_STATUS: "Hoàn thành", V.TASK_EVIDENCE: "QĐ 9"})
    path = write(cat, q4, tmp_path / "a.xlsx", f)

    def swap(wb: openpyxl.Workbook) -> None:
        ws = wb[V.SHEET_TASKS]
        ws.protection.sheet = False
        s, e = L.TASK_HEADERS.index(V.TASK_STATUS) + 1, L.TASK_HEADERS.index(V.TASK_EVIDENCE) + 1
        for row in ws.iter_rows(min_row=FIRST_TASK_HEADER_ROW + 1):
            row[s - 1].value, row[e - 1].value = row[e - 1].value, row[s - 1].value
        ws.cell(FIRST_TASK_HEADER_ROW + 1, 14, "Ghi chú thêm")

    _edit(path, swap)
    checked = run(cat, q4, path)
    assert not [i for i in checked.issues if i.severity == Severity.ERROR]
    t = checked.tasks.set_index("task_id")
    assert t.at["PL01-4.1", "status"] == "done" and t.at["PL01-4.1", "has_evidence"]


def test_duplicate_and_unknown_rows(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    f = filled(cat)
    extra = (
        {V.TASK_ID: "PL01-1.5", V.TASK_STATUS: "Hoàn thành"},
        {V.TASK_ID: "PL09-1.1", V.TASK_STATUS: "Hoàn thành"},
        {V.TASK_ID: "PL01-1.1", V.TASK_STATUS: "Hoàn thành"},  # a task of another unit
    )
    path = write(
        cat,
        q4,
        tmp_path / "a.xlsx",
        Filled(info=f.info, tasks=f.tasks, indicators=f.indicators, extra_task_rows=extra),
    )
    checked = run(cat, q4, path)
    codes = [
        (i.code, i.severity)
        for i in checked.issues
        if i.code in (Code.TASK_DUPLICATE, Code.TASK_UNKNOWN, Code.TASK_NOT_ASSIGNED)
    ]
    assert codes == [
        (Code.TASK_DUPLICATE, Severity.ERROR),
        (Code.TASK_UNKNOWN, Severity.WARNING),
        (Code.TASK_NOT_ASSIGNED, Severity.WARNING),
    ]
    assert checked.tasks["task_id"].is_unique


def test_identified_without_meta_by_unit_name(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    path = write(cat, q4, tmp_path / "a.xlsx")

    def drop_meta(wb: openpyxl.Workbook) -> None:
        del wb[V.SHEET_META]
        ws = wb[V.SHEET_INFO]
        ws.protection.sheet = False
        ws["B3"] = "ubnd phuong ky ba"

    _edit(path, drop_meta)
    checked = run(cat, q4, path)
    assert checked.accepted == {"a.xlsx": UNIT}
    assert only(checked.issues, Code.META_UNIT_FROM_NAME)


def test_a_file_without_meta_takes_its_period_from_thong_tin(
    tmp_path: Path, cat: Catalogue, q4: Period
) -> None:
    """With ``_meta`` gone, ``Kỳ báo cáo`` («Quý IV năm 2023», or typed «Quý 4/2023») names the period."""
    from pipeline.rules.files import validate_files

    bare = _edit(write(cat, q4, tmp_path / "bare.xlsx"), lambda wb: wb.remove(wb[V.SHEET_META]))
    alone = validate_files(cat, [bare])
    assert alone.valid, alone.to_table()
    assert [i.code for i in alone.issues] == [Code.META_UNIT_FROM_NAME]

    def typed(wb: openpyxl.Workbook) -> None:
        wb[V.SHEET_INFO]["B4"] = "quý 4/2023"

    _edit(bare, typed)
    assert validate_files(cat, [bare]).valid
    assert run(cat, q4, bare).accepted == {"bare.xlsx": UNIT}

    def other(wb: openpyxl.Workbook) -> None:
        wb[V.SHEET_INFO]["B4"] = "Quý III năm 2023"

    _edit(bare, other)
    [refused] = [i for i in run(cat, q4, bare).issues if i.code == Code.PERIOD_MISMATCH]
    assert "ghi «Quý III năm 2023»" in refused.message


def test_validate_a_file_without_meta_or_period_needs_a_period(
    tmp_path: Path, cat: Catalogue, q4: Period
) -> None:
    from pipeline.rules.files import validate_files

    def no_period(wb: openpyxl.Workbook) -> None:
        wb.remove(wb[V.SHEET_META])
        wb[V.SHEET_INFO]["B4"] = None

    bare = _edit(write(cat, q4, tmp_path / "bare.xlsx"), no_period)
    other = write(cat, q4, tmp_path / "other.xlsx", unit="X_DONG_HOA")
    alone = validate_files(cat, [bare])
    assert not alone.valid
    assert [(i.code, i.file) for i in alone.issues] == [(Code.PERIOD_UNKNOWN, "bare.xlsx")]
    assert "--period" in alone.issues[0].message
    # with another file of a known period, or with --period, it is checked as a return of that period
    together, given = validate_files(cat, [bare, other]), validate_files(cat, [bare], q4)
    assert together.valid and given.valid, together.to_table()
    codes = [i.code for i in given.issues]
    assert Code.META_UNIT_FROM_NAME in codes and Code.PERIOD_UNKNOWN not in codes
    assert [i for i in together.issues if i.file == "bare.xlsx"] == list(given.issues)
    # two periods given together: the bare file cannot be placed
    month = write_template(cat, UNIT, parse_period("2023-10"), tmp_path / "m.xlsx", filled(cat))
    mixed = validate_files(cat, [bare, other, month])
    assert [i.code for i in mixed.issues if i.file == "bare.xlsx"] == [Code.PERIOD_UNKNOWN]


@pytest.mark.parametrize(
    ("meta", "code"),
    [
        ({"period": "2023-Q3"}, Code.PERIOD_MISMATCH),
        ({"unit_code": "NOPE"}, Code.UNIT_UNKNOWN),
        ({"template_version": "0.1"}, Code.TEMPLATE_INCOMPATIBLE),
    ],
)
def test_rejections_by_meta(
    tmp_path: Path, cat: Catalogue, q4: Period, meta: dict[str, str], code: Code
) -> None:
    f = filled(cat)
    path = write(
        cat, q4, tmp_path / "a.xlsx", Filled(info=f.info, tasks=f.tasks, indicators=f.indicators, meta=meta)
    )
    checked = run(cat, q4, path)
    assert checked.accepted == {}
    [issue] = only(checked.issues, code)
    assert issue.severity == Severity.ERROR
    if code == Code.PERIOD_MISMATCH:
        assert "2023-Q3" in issue.message and "2023-Q4" in issue.message


def test_a_return_on_an_older_compatible_template_is_accepted(
    tmp_path: Path, cat: Catalogue, q4: Period
) -> None:
    assert "1.0" in L.COMPATIBLE_VERSIONS and L.TEMPLATE_VERSION != "1.0"
    f = filled(cat)
    older = Filled(info=f.info, tasks=f.tasks, indicators=f.indicators, meta={"template_version": "1.0"})
    checked = run(cat, q4, write(cat, q4, tmp_path / "a.xlsx", older))
    assert checked.accepted == {"a.xlsx": UNIT}
    assert not [i for i in checked.issues if i.severity == Severity.ERROR]


def test_missing_sheet(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    path = write(cat, q4, tmp_path / "a.xlsx")
    _edit(path, lambda wb: wb.remove(wb[V.SHEET_INDICATORS]))
    checked = run(cat, q4, path)
    assert [i.sheet for i in only(checked.issues, Code.SHEET_MISSING)] == [V.SHEET_INDICATORS]


def test_formula_without_cached_value(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    path = write(cat, q4, tmp_path / "a.xlsx")
    cell = task_cell(cat, "PL01-1.5", V.TASK_RESULT_VALUE)

    def formula(wb: openpyxl.Workbook) -> None:
        wb[V.SHEET_TASKS][cell] = "=SUM(1,2)"  # openpyxl stores no cached value

    _edit(path, formula)
    checked = run(cat, q4, path)
    [issue] = only(checked.issues, Code.FORMULA_NO_VALUE)
    assert issue.cell == cell and issue.severity == Severity.ERROR


def test_reporter_missing_is_a_warning(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    f = filled(cat)
    path = write(cat, q4, tmp_path / "a.xlsx", Filled(info={}, tasks=f.tasks, indicators=f.indicators))
    checked = run(cat, q4, path)
    missing = only(checked.issues, Code.REPORTER_MISSING)
    assert {i.field for i in missing} >= {V.INFO_REPORTER, V.INFO_PHONE}
    assert all(i.severity == Severity.WARNING for i in missing)


def test_a_month_template_reads(tmp_path: Path, cat: Catalogue) -> None:
    month = parse_period("2023-10")
    first = tasks_of(cat, "VP")[0]
    values = {first: {V.TASK_STATUS: V.STATUS_IN_PROGRESS}}
    path = write_template(cat, "VP", month, tmp_path / "m.xlsx", Filled(info=GOOD_INFO, tasks=values))
    checked = check_returns(cat, month, [read_return(path, tmp_path)])
    assert checked.accepted == {"m.xlsx": "VP"}
    assert checked.indicators.empty


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_libreoffice_resaved_returns_read_the_same(
    tmp_path: Path, cat: Catalogue, q4: Period, soffice: str, fmt: str
) -> None:
    f = filled(
        cat,
        PL01_1_5={
            V.TASK_STATUS: "Hoàn thành",
            V.TASK_RESULT_VALUE: 3,
            V.TASK_EVIDENCE: "Báo cáo số 12/BC-UBND",
        },
        PL01_4_1={V.TASK_STATUS: "Chưa thực hiện", V.TASK_PROBLEMS: "Thiếu kinh phí"},
    )
    original = write(cat, q4, tmp_path / "orig" / "a.xlsx", f)
    resaved = convert(soffice, original, fmt, tmp_path / "lo")
    renamed = resaved.with_name(f"renamed-{fmt}.xlsx")  # units rename files; the content decides
    resaved.rename(renamed)
    a, b = run(cat, q4, original), run(cat, q4, renamed)
    assert b.accepted == {renamed.name: UNIT}
    cols = ["task_id", "status", "result_value", "result", "evidence", "problems", "has_evidence"]
    left = a.tasks[cols].astype(object).fillna("").reset_index(drop=True)
    right = b.tasks[cols].astype(object).fillna("").reset_index(drop=True)
    assert left.equals(right)
    ia = dict(zip(a.indicators["field_id"], a.indicators["value"], strict=True))
    ib = dict(zip(b.indicators["field_id"], b.indicators["value"], strict=True))
    assert ia == ib
    if fmt != "xlsx":
        assert any(i.code == Code.FILE_EXTENSION_MISMATCH for i in b.issues)


def test_rows_keep_absolute_positions_within_and_past_the_cut(tmp_path: Path) -> None:
    """A sheet within MAX_ROWS × MAX_COLS is converted in one call, a larger one row by row;
    both give rows from A1, and the larger one is cut."""
    import io

    from python_calamine import CalamineWorkbook

    wb = openpyxl.Workbook()
    small = wb.active
    small.title = "small"
    small["C5"], small["E7"] = "x", 3
    big = wb.create_sheet("big")
    big["B2"] = "y"
    big.cell(row=sheets.MAX_ROWS + 10, column=sheets.MAX_COLS + 5, value=1)
    path = tmp_path / "rows.xlsx"
    wb.save(path)
    book = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))

    rows = sheets.sheet_rows(book.get_sheet_by_name("small"))
    assert len(rows) == 7 and all(len(r) == 5 for r in rows)
    assert rows[4][2] == "x" and rows[6][4] == 3.0
    assert all(
        v == "" for r, row in enumerate(rows) for c, v in enumerate(row) if (r, c) not in {(4, 2), (6, 4)}
    )

    rows = sheets.sheet_rows(book.get_sheet_by_name("big"))
    assert len(rows) == sheets.MAX_ROWS and all(len(r) == sheets.MAX_COLS for r in rows)
    assert rows[1][1] == "y" and rows[0][0] == ""


def test_a_rerun_validates_only_the_files_it_has_not_seen(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    """Validation's outcome kept from a run (``Checked.validated``) and given to the next: the
    files it knows (same name, same content) are not validated again, and every file's issues,
    rows and values come out as when all are validated together; a changed file is validated."""
    from pipeline.rules import check_prepared, prepare

    bad_tasks = filled(
        cat,
        PL01_1_5={V.TASK_STATUS: "Xong rồi"},
        PL01_3_1={V.TASK_STATUS: "Hoàn thành"},  # no evidence
        PL01_4_1={V.TASK_STATUS: "Đang thực hiện", V.TASK_RESULT_VALUE: "nhiều"},
    )
    bad_ind = dict(GOOD_INDICATORS) | {"2.2b": (10, None), "2.1": ("Có", None), "1.2b": (10, None)}
    versions = {
        "a.xlsx": bad_tasks,
        "b.xlsx": filled(cat),
        "c.xlsx": Filled(info=GOOD_INFO, tasks=filled(cat).tasks, indicators=bad_ind),
        "d.xlsx": filled(cat, PL01_1_5={V.TASK_STATUS: "Hoàn thành", V.TASK_EVIDENCE: "BC 1"}),
    }
    paths = {name: write(cat, q4, tmp_path / name, f) for name, f in versions.items()}
    prepared = [prepare(cat, q4, read_return(p, tmp_path)) for p in paths.values()]
    together = check_prepared(cat, q4, prepared)
    assert {i.file for i in together.issues} >= {"a.xlsx", "c.xlsx", "d.xlsx"}

    def per_file(c: Checked) -> dict[str, list[Issue]]:
        out: dict[str, list[Issue]] = {}
        for i in c.issues:
            out.setdefault(i.file, []).append(i)
        return out

    first = check_prepared(cat, q4, [prepared[0], prepared[2]])
    assert first.validated is not None
    later = check_prepared(cat, q4, prepared, earlier=first.validated)
    assert later.validated is not None and set(later.validated.found) == set(paths)
    again = check_prepared(cat, q4, prepared, earlier=later.validated)
    for c in (later, again):
        assert per_file(c) == per_file(together)
        for attr in ("tasks", "indicators"):
            pd.testing.assert_frame_equal(getattr(c, attr), getattr(together, attr).reset_index(drop=True))
    # a file of the same name with another content is validated again, not taken from the last run
    fixed = write(cat, q4, tmp_path / "fixed" / "a.xlsx", filled(cat))
    now = [prepare(cat, q4, read_return(fixed, fixed.parent)), *prepared[1:]]
    found = check_prepared(cat, q4, now, earlier=again.validated).issues
    assert not [
        i for i in found if i.file == "a.xlsx" and i.code != Code.DUPLICATE_RETURN
    ]  # one unit's 4 files
