"""Templates: contents read back with openpyxl, against hand-made lists from the plan."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.periods import Period, parse_period
from pipeline.catalogue import Catalogue
from pipeline.cli import main
from pipeline.outputs.template_tasks import EXTRA_ROWS
from pipeline.outputs.templates import write_template
from tests.conftest import convert

# Every task each unit must report, made by hand from the plan (not from tasks.csv):
# DEPTS-wide rows of Phụ lục 01 (1.3, 2.1, 2.2, 4.2, 4.3, 4.6, 5.5, 6.2-6.4, 6.7-6.10, 7.7, 7.8,
# 8.7, 8.8), of Phụ lục 02 (1.1, 3.2, 4.2, 5.1, 5.2) and Phụ lục 03 rows 1.1-1.4 (→ ALL).
_DEPT_PL01 = {
    "1.3": "Chủ trì",
    "2.1": "Phối hợp",
    "2.2": "Phối hợp",
    "4.2": "Chủ trì",
    "4.3": "Phối hợp",
    "4.6": "Phối hợp",
    "5.5": "Phối hợp",
    "6.2": "Chủ trì",
    "6.3": "Chủ trì",
    "6.4": "Chủ trì",
    "6.7": "Chủ trì",
    "6.8": "Chủ trì",
    "6.9": "Chủ trì",
    "6.10": "Phối hợp",
    "7.7": "Phối hợp",
    "7.8": "Phối hợp",
    "8.7": "Phối hợp",
    "8.8": "Phối hợp",
}
_DEPT_PL02 = {"1.1": "Phối hợp", "3.2": "Chủ trì", "4.2": "Phối hợp", "5.1": "Chủ trì", "5.2": "Chủ trì"}
_ALL_PL03 = {"1.1": "Tham mưu", "1.2": "Tham mưu", "1.3": "Tham mưu", "1.4": "Tham mưu"}


def _ids(prefix: str, rows: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}-{k}": v for k, v in rows.items()}


DEPT = _ids("PL01", _DEPT_PL01) | _ids("PL02", _DEPT_PL02) | _ids("PL03", _ALL_PL03)
HAND_MADE: dict[str, dict[str, str]] = {
    "TUPHAP": DEPT,
    "QLDT": DEPT | {"PL03-9.1": "Tham mưu"},
    "KINHTE": DEPT
    | {"PL01-7.1": "Phối hợp", "PL01-7.2": "Chủ trì", "PL01-7.3": "Chủ trì", "PL01-7.4": "Chủ trì"}
    | {"PL01-7.6": "Chủ trì", "PL03-2.7": "Tham mưu"},
    "DAI_TTTH": DEPT | {"PL01-1.5": "Chủ trì", "PL01-8.5": "Chủ trì", "PL02-1.1": "Chủ trì"},
    "CCT": {"PL01-7.5": "Chủ trì", "PL02-5.1": "Chủ trì", "PL02-5.2": "Chủ trì"} | _ids("PL03", _ALL_PL03),
    "CONGAN": {"PL01-8.1": "Chủ trì", "PL02-5.1": "Chủ trì", "PL02-5.2": "Chủ trì", "PL03-8.1": "Tham mưu"}
    | _ids("PL03", _ALL_PL03),
    "CCTK": {"PL01-7.1": "Chủ trì", "PL02-5.1": "Chủ trì", "PL02-5.2": "Chủ trì", "PL03-7.1": "Tham mưu"}
    | _ids("PL03", _ALL_PL03),
    "X_DONG_HOA": _ids(
        "PL01",
        {
            "1.5": "Chủ trì",
            "2.1": "Phối hợp",
            "2.2": "Phối hợp",
            "3.1": "Chủ trì",
            "3.2": "Phối hợp",
            "4.1": "Chủ trì",
            "4.2": "Chủ trì",
            "4.3": "Phối hợp",
            "4.5": "Phối hợp",
            "4.6": "Phối hợp",
            "5.5": "Phối hợp",
            "6.2": "Chủ trì",
            "6.3": "Chủ trì",
            "6.4": "Chủ trì",
            "6.7": "Chủ trì",
            "6.8": "Chủ trì",
            "6.9": "Chủ trì",
            "6.10": "Phối hợp",
            "7.1": "Phối hợp",
            "7.2": "Phối hợp",
            "7.3": "Phối hợp",
            "7.4": "Phối hợp",
            "7.6": "Phối hợp",
            "7.7": "Phối hợp",
            "7.8": "Phối hợp",
            "8.2": "Chủ trì",
            "8.3": "Chủ trì",
            "8.4": "Chủ trì",
            "8.5": "Chủ trì",
            "8.6": "Chủ trì",
            "8.7": "Phối hợp",
            "8.8": "Phối hợp",
            "8.9": "Chủ trì",
        },
    )
    | _ids("PL02", {"1.1": "Chủ trì", "2.1": "Phối hợp", "3.1": "Chủ trì", "3.2": "Chủ trì"})
    | _ids("PL02", {"4.2": "Phối hợp", "5.1": "Chủ trì", "5.2": "Chủ trì"})
    | _ids("PL03", _ALL_PL03),
}


def _header_row(ws, label: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return row[0].row
    raise AssertionError(f"no header {label!r}")


def _task_rows(path: Path) -> dict[str, str]:
    """task id → the role its row shows. A row of twins names each id on a line, and each twin's
    role on a line of its own («PL01: Chủ trì») when they differ."""
    ws = openpyxl.load_workbook(path)[V.SHEET_TASKS]
    h = _header_row(ws, V.TASK_ID)
    role_col = L.TASK_HEADERS.index(V.TASK_ROLE) + 1
    out = {}
    for r in range(h + 1, ws.max_row + 1):
        if not ws.cell(r, 1).value:
            continue
        ids = ws.cell(r, 1).value.split("\n")
        roles = ws.cell(r, role_col).value.split("\n")
        if len(roles) == 1:
            roles = roles * len(ids)
        for task_id, role in zip(ids, roles, strict=True):
            out[task_id] = role.split(": ", 1)[-1]
    return out


@pytest.mark.parametrize("unit", sorted(HAND_MADE))
def test_template_lists_exactly_the_units_tasks(tmp_path: Path, cat: Catalogue, unit: str) -> None:
    """Every unit reports its tasks each month (the plan's cadence, III.1)."""
    path = write_template(cat, unit, parse_period("2023-10"), tmp_path / f"{unit}.xlsx")
    assert _task_rows(path) == HAND_MADE[unit]


def test_sheets_headers_and_meta(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    month = openpyxl.load_workbook(
        write_template(cat, "P_KY_BA", parse_period("2023-10"), tmp_path / "m.xlsx")
    )
    assert month.sheetnames == [V.SHEET_GUIDE, V.SHEET_INFO, V.SHEET_TASKS, V.SHEET_META]
    tasks = month[V.SHEET_TASKS]
    h = _header_row(tasks, V.TASK_ID)
    assert [c.value for c in tasks[h]][: len(L.TASK_HEADERS)] == list(L.TASK_HEADERS)
    # a quarter asks a ward for its indicators only: its tasks come from its monthly returns
    path = write_template(cat, "P_KY_BA", q4, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [V.SHEET_GUIDE, V.SHEET_INFO, V.SHEET_INDICATORS, V.SHEET_META]
    assert wb.active.title == V.SHEET_INDICATORS
    ind = wb[V.SHEET_INDICATORS]
    hi = _header_row(ind, V.IND_ID)
    assert [c.value for c in ind[hi]][: len(L.IND_HEADERS)] == list(L.IND_HEADERS)
    assert [ind.cell(r, 1).value for r in range(hi + 1, hi + 7)] == [
        "1.1",
        "1.2a",
        "1.2b",
        "2.1",
        "2.2a",
        "2.2b",
    ]
    # an indicator's name, maximum and rule are written once, merged over its input rows: the
    # column of maxima adds up to the unit's maximum (4 indicators × 10), not 60
    max_col = L.IND_HEADERS.index(V.IND_MAX) + 1
    maxima = [ind.cell(r, max_col).value for r in range(hi + 1, hi + 7)]
    assert maxima == [10, 10, None, 10, 10, None]
    merged = {str(m) for m in ind.merged_cells.ranges}
    for col in (V.IND_NAME, V.IND_MAX, V.IND_RULE):
        letter = openpyxl.utils.get_column_letter(L.IND_HEADERS.index(col) + 1)
        assert {f"{letter}{hi + 2}:{letter}{hi + 3}", f"{letter}{hi + 5}:{letter}{hi + 6}"} <= merged
    meta = wb[V.SHEET_META]
    assert meta.sheet_state == "hidden"
    values = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, meta.max_row + 1)}
    assert values["unit_code"] == "P_KY_BA"
    assert values["period"] == "2023-Q4"
    assert values["template_version"] == L.TEMPLATE_VERSION
    assert values["catalogue_version"] == cat.version
    assert set(values) == set(L.META_KEYS)
    info = wb[V.SHEET_INFO]
    labels = {info.cell(r, 1).value: info.cell(r, 2) for r in range(1, info.max_row + 1)}
    assert labels[V.INFO_UNIT].value == "UBND phường Kỳ Bá"
    assert labels[V.INFO_DEADLINE].value == "20/12/2023"
    assert labels[V.INFO_UNIT].protection.locked and not labels[V.INFO_REPORTER].protection.locked


def test_dropdowns_number_checks_and_locks(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    month = openpyxl.load_workbook(
        write_template(cat, "DAI_TTTH", parse_period("2023-10"), tmp_path / "m.xlsx")
    )
    wb = openpyxl.load_workbook(write_template(cat, "DAI_TTTH", q4, tmp_path / "t.xlsx"))
    tasks = month[V.SHEET_TASKS]
    h = _header_row(tasks, V.TASK_ID)
    assert tasks.protection.sheet and not tasks.protection.password
    n = len(cat.sheet_rows("DAI_TTTH"))  # its tasks, twins in one row (PL01-1.5 with PL02-1.1, …)
    assert n < len(HAND_MADE["DAI_TTTH"])
    last = h + n + EXTRA_ROWS  # the blank rows for the tasks the unit adds take a status too
    status_col = openpyxl.utils.get_column_letter(L.TASK_HEADERS.index(V.TASK_STATUS) + 1)
    lists = [dv for dv in tasks.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    assert lists[0].formula1 == '"Chưa thực hiện,Đang thực hiện,Hoàn thành,Không phát sinh"'
    assert str(lists[0].sqref) == f"{status_col}{h + 1}:{status_col}{last}"
    assert lists[0].error and lists[0].prompt and lists[0].showErrorMessage
    decimals = [dv for dv in tasks.data_validations.dataValidation if dv.type == "decimal"]
    assert len(decimals) == n + EXTRA_ROWS
    for r in range(h + 1, h + n + 1):
        for c, label in enumerate(L.TASK_HEADERS, start=1):
            assert tasks.cell(r, c).protection.locked == (label in L.TASK_LOCKED), (r, label)
    ind = wb[V.SHEET_INDICATORS]
    kinds = {str(dv.sqref): dv.type for dv in ind.data_validations.dataValidation}
    hi = _header_row(ind, V.IND_ID)
    col = openpyxl.utils.get_column_letter(L.IND_HEADERS.index(V.IND_VALUE) + 1)
    assert kinds == {f"{col}{hi + 1}": "list", f"{col}{hi + 2}": "decimal", f"{col}{hi + 3}": "whole"}
    assert tasks.freeze_panes == f"E{h + 1}"  # the header row and the columns through the task
    assert tasks.print_title_rows == f"${h}:${h}"
    assert tasks.page_setup.orientation == "landscape" and tasks.page_setup.paperSize == 9
    assert tasks.sheet_properties.pageSetUpPr.fitToPage


def test_monthly_template_has_no_indicators(tmp_path: Path, cat: Catalogue) -> None:
    path = write_template(cat, "P_KY_BA", parse_period("2023-10"), tmp_path / "t.xlsx")
    assert V.SHEET_INDICATORS not in openpyxl.load_workbook(path).sheetnames


def test_templates_are_byte_identical(tmp_path: Path, cat: Catalogue, q4: Period, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a = write_template(cat, "X_VU_LAC", q4, tmp_path / "a.xlsx")
    b = write_template(cat, "X_VU_LAC", q4, tmp_path / "b.xlsx")
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def _check_template(path: Path, cat: Catalogue, period: Period) -> bool:
    """The contract's sheets, headers, hidden ``_meta``, the unit's tasks, the drop-down over
    exactly its task rows and locked/unlocked cells, for one written template. True when it
    has a ``Chỉ số`` sheet."""
    wb = openpyxl.load_workbook(path)
    unit = path.stem.split("_", 1)[1]
    with_ind = "indicators" in cat.sheets_for(unit, period)
    with_tasks = "tasks" in cat.sheets_for(unit, period)
    assert wb.sheetnames == [V.SHEET_GUIDE, V.SHEET_INFO] + ([V.SHEET_TASKS] if with_tasks else []) + (
        [V.SHEET_INDICATORS] if with_ind else []
    ) + [V.SHEET_META], path.name
    meta = wb[V.SHEET_META]
    values = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, meta.max_row + 1)}
    assert meta.sheet_state == "hidden" and set(values) == set(L.META_KEYS), path.name
    assert (values["unit_code"], values["period"]) == (unit, period.id)
    if not with_tasks:
        return _check_indicators(wb, cat, unit, period, path) if with_ind else False
    tasks = wb[V.SHEET_TASKS]
    h = _header_row(tasks, V.TASK_ID)
    assert [c.value for c in tasks[h]][: len(L.TASK_HEADERS)] == list(L.TASK_HEADERS), path.name
    cells = [tasks.cell(r, 1).value for r in range(h + 1, tasks.max_row + 1) if tasks.cell(r, 1).value]
    ids = [t for cell in cells for t in cell.split("\n")]
    assert sorted(ids) == sorted(cat.task_ids_of(unit)), path.name  # twins share a row
    status_col = openpyxl.utils.get_column_letter(L.TASK_HEADERS.index(V.TASK_STATUS) + 1)
    [status] = [
        dv
        for dv in tasks.data_validations.dataValidation
        if dv.type == "list" and status_col in str(dv.sqref)
    ]
    last = h + len(cells) + EXTRA_ROWS
    assert str(status.sqref) == f"{status_col}{h + 1}:{status_col}{last}", path.name
    assert tasks.protection.sheet and not tasks.protection.password
    for r in (h + 1, h + len(cells)):
        for c, label in enumerate(L.TASK_HEADERS, start=1):
            assert tasks.cell(r, c).protection.locked == (label in L.TASK_LOCKED), (path.name, r, label)
    return _check_indicators(wb, cat, unit, period, path) if with_ind else False


def _check_indicators(wb: Any, cat: Catalogue, unit: str, period: Period, path: Path) -> bool:
    ind = wb[V.SHEET_INDICATORS]
    hi = _header_row(ind, V.IND_ID)
    assert [c.value for c in ind[hi]][: len(L.IND_HEADERS)] == list(L.IND_HEADERS), path.name
    fields = [f.id for i in cat.indicators_of(unit, period.kind) for f in i.fields]
    assert [ind.cell(r, 1).value for r in range(hi + 1, hi + 1 + len(fields))] == fields
    assert len(ind.data_validations.dataValidation) == len(fields), path.name
    assert ind.protection.sheet and not ind.protection.password
    return True


def test_cli_writes_the_20_quarterly_templates_with_indicators(
    tmp_path: Path, cat: Catalogue, q4: Period
) -> None:
    """A quarter asks the radio-TV station and the 19 wards and communes for their indicators."""
    runner = CliRunner()
    res = runner.invoke(
        main, ["templates", "--period", "2023-Q4", "--out", str(tmp_path)], catch_exceptions=False
    )
    assert res.exit_code == 0, res.output
    files = sorted((tmp_path / "2023-Q4").glob("*.xlsx"))
    assert [f.stem.removeprefix("2023-Q4_") for f in files] == sorted(cat.expected_units(q4))
    assert len(files) == 20 and set(cat.expected_units(q4)) == {"DAI_TTTH", *cat.groups["WARDS"]}
    with_ind = [f for f in files if _check_template(f, cat, q4)]
    assert len(with_ind) == 20
    assert all(V.SHEET_TASKS not in openpyxl.load_workbook(f, read_only=True).sheetnames for f in files)
    assert "20 mẫu" in res.output


def test_cli_monthly_and_refusals(tmp_path: Path, cat: Catalogue) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["templates", "-p", "2023-10", "--out", str(tmp_path)], catch_exceptions=False)
    assert res.exit_code == 0
    files = sorted((tmp_path / "2023-10").glob("*.xlsx"))
    assert len(files) == 36
    assert not any(_check_template(f, cat, parse_period("2023-10")) for f in files)
    bad = runner.invoke(main, ["templates", "-p", "2023-13", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "2023-13" in bad.output and "không có tháng 13" in bad.output
    nope = runner.invoke(main, ["templates", "-p", "2023-Q4", "--unit", "NOPE", "--out", str(tmp_path)])
    assert nope.exit_code == 2 and "không có đơn vị mã NOPE" in nope.output


def test_cli_one_unit(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main, ["templates", "-p", "2023", "-u", "VHTT", "--out", str(tmp_path)], catch_exceptions=False
    )
    assert res.exit_code == 0
    assert [p.name for p in (tmp_path / "2023").iterdir()] == ["2023_VHTT.xlsx"]


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("unit", "period"),
    [("P_KY_BA", "2023-Q4"), ("CCT", "2023-Q4"), ("VP", "2023-10"), ("X_VU_LAC", "2023")],
    ids=["quarter-with-indicators", "quarter-tasks-only", "month", "year"],
)
def test_libreoffice_opens_templates(
    tmp_path: Path, cat: Catalogue, soffice: str, unit: str, period: str
) -> None:
    path = write_template(cat, unit, parse_period(period), tmp_path / f"{period}_{unit}.xlsx")
    pdf = convert(soffice, path, "pdf", tmp_path / "pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 5000
