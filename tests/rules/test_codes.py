"""Issue codes raised by the row and column checks, each on a real workbook, with its cell and
its message."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.issues import Code, Severity
from pipeline.base.periods import Period
from pipeline.base.text import a1
from pipeline.catalogue import Catalogue, load_catalogue
from pipeline.outputs.templates import FIRST_TASK_HEADER_ROW, Filled
from tests.conftest import SCHEMAS
from tests.intake.test_read import GOOD_INDICATORS, GOOD_INFO, UNIT, _edit, filled, only, run, tasks_of, write


@pytest.fixture(scope="session")
def cat(qcat: Catalogue) -> Catalogue:
    """These tests read and write returns that carry a unit's tasks and its indicators in one
    quarterly file: the catalogue of a locality whose calendar asks for both each quarter."""
    return qcat


def test_a_deleted_task_row_is_named(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    path = write(cat, q4, tmp_path / "a.xlsx")
    gone = tasks_of(cat)[2]

    def delete(wb: openpyxl.Workbook) -> None:
        wb[V.SHEET_TASKS].delete_rows(FIRST_TASK_HEADER_ROW + 1 + 2 + 1)

    _edit(path, delete)
    [issue] = only(run(cat, q4, path).issues, Code.TASK_MISSING_ROW)
    assert issue.severity == Severity.WARNING and issue.sheet == V.SHEET_TASKS
    assert f"Thiếu 1 nhiệm vụ được giao: {gone}." in issue.message


def test_a_deleted_column_is_named_with_its_header_row(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    path = write(cat, q4, tmp_path / "a.xlsx")

    def delete(wb: openpyxl.Workbook) -> None:
        wb[V.SHEET_TASKS].delete_cols(L.TASK_HEADERS.index(V.TASK_EVIDENCE) + 1)

    _edit(path, delete)
    [issue] = only(run(cat, q4, path).issues, Code.COLUMN_MISSING)
    assert issue.severity == Severity.ERROR
    assert (issue.sheet, issue.cell, issue.field) == (
        V.SHEET_TASKS,
        a1(FIRST_TASK_HEADER_ROW, 0),
        V.TASK_EVIDENCE,
    )
    assert issue.message.startswith(f"Trang «{V.SHEET_TASKS}» thiếu cột «{V.TASK_EVIDENCE}» ở dòng tiêu đề 5")


def test_a_tasks_sheet_without_its_header_row(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    path = write(cat, q4, tmp_path / "a.xlsx")

    def blank_header(wb: openpyxl.Workbook) -> None:
        ws = wb[V.SHEET_TASKS]
        for cell in ws[FIRST_TASK_HEADER_ROW + 1]:
            cell.value = None

    _edit(path, blank_header)
    checked = run(cat, q4, path)
    [issue] = only(checked.issues, Code.HEADER_MISSING)
    assert issue.sheet == V.SHEET_TASKS and f"«{V.TASK_ID}»" in issue.message
    assert checked.tasks.empty


def test_unknown_and_repeated_indicator_rows(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    path = write(cat, q4, tmp_path / "a.xlsx")
    first = FIRST_TASK_HEADER_ROW + 2  # 1-based row of the first input field (1.1)

    def rows(wb: openpyxl.Workbook) -> None:
        ws = wb[V.SHEET_INDICATORS]
        ws.cell(first + 6, 1, "9.9")
        ws.cell(first + 6, L.IND_HEADERS.index(V.IND_VALUE) + 1, 3)
        ws.cell(first + 7, 1, "1.1")
        ws.cell(first + 7, L.IND_HEADERS.index(V.IND_VALUE) + 1, "Không")

    _edit(path, rows)
    checked = run(cat, q4, path)
    [unknown] = only(checked.issues, Code.FIELD_UNKNOWN)
    [twice] = only(checked.issues, Code.FIELD_DUPLICATE)
    assert (unknown.severity, unknown.field, unknown.cell) == (Severity.WARNING, "9.9", f"A{first + 6}")
    assert (twice.severity, twice.field, twice.cell) == (Severity.ERROR, "1.1", f"A{first + 7}")
    # the first row of 1.1 counts: Có, not the repeated Không
    values = checked.indicators.set_index("field_id")["value"]
    assert values["1.1"] == V.YES and "9.9" not in values.index


@pytest.fixture
def villages(tmp_path: Path) -> Catalogue:
    """The project's profile with the number of villages of one ward in units.csv."""
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    text = (root / "units.csv").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith(f"{UNIT},"))
    parts = line.split(",")
    parts[4] = "9"
    (root / "units.csv").write_text(text.replace(line, ",".join(parts)), encoding="utf-8")
    return load_catalogue(root)


def test_villages_that_differ_from_the_registry(tmp_path: Path, villages: Catalogue, q4: Period) -> None:
    assert villages.units.at[UNIT, "villages"] == "9"
    f = filled(villages)
    path = write(
        villages, q4, tmp_path / "a.xlsx", Filled(info=GOOD_INFO, tasks=f.tasks, indicators=GOOD_INDICATORS)
    )
    [issue] = only(run(villages, q4, path).issues, Code.VILLAGES_MISMATCH)
    assert issue.severity == Severity.WARNING and issue.field == "2.2a" and issue.value == "8"
    assert issue.message == (
        "Tổng số thôn, tổ dân phố (8) khác với danh mục của thành phố (9): hãy kiểm tra lại."
    )
