"""The template checks itself while the clerk types: the conditional formats and the line at the
top of each sheet come from the rules ``dti validate`` runs (pipeline.rules.marks), so on a filled
copy, once LibreOffice has recalculated it, the line's numbers are what ``dti validate`` finds.

Copies are filled as a clerk fills them (openpyxl writes the cells and drops every cached value,
so only a recalculation gives the counts), then converted by LibreOffice with recalculation on
load forced, and read back."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code, Severity
from pipeline.base.periods import Period, parse_period
from pipeline.base.text import a1
from pipeline.catalogue import Catalogue
from pipeline.outputs.templates import LINES, Filled, cell_of, write_template
from pipeline.rules.files import validate_files

RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="session")
def cat(qcat: Catalogue) -> Catalogue:
    """These tests fill a ward's quarterly return with its tasks and its indicators in one file:
    the catalogue of a locality whose calendar asks for both each quarter (tests/conftest.py)."""
    return qcat


def recalculated(soffice: str, src: Path, out: Path, fmt: str = "xlsx") -> Path:
    """``src`` opened by LibreOffice with every formula recalculated on load, saved as ``fmt``."""
    profile = out / ".lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC, encoding="utf-8")
    filters = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "ods": "ods"}
    cmd = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        filters[fmt],
        "--outdir",
        str(out),
        str(src),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    target = out / f"{src.stem}.{fmt}"
    assert proc.returncode == 0 and target.exists(), proc.stdout + proc.stderr
    return target


def line_values(path: Path, sheet: str) -> tuple[str, dict[str, int]]:
    """The line's text and its tallies (still to fill, errors, warnings) as the file holds them."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    row, col = LINES[sheet]
    values = rows[row]
    tallies = {name: int(values[col + n] or 0) for n, name in enumerate(("left", "errors", "warnings"))}
    return str(values[0]), tallies


def expected(issues: list[Any], sheet: str) -> dict[str, int]:
    """What ``dti validate`` found on a sheet, counted as the line counts: cells still to fill (a
    task without status, a required input, a blank reporter field), then the distinct cells in
    error and with a warning among the others."""
    left_codes = {Code.TASK_NOT_REPORTED, Code.REQUIRED, Code.REPORTER_MISSING}
    here = [i for i in issues if i.sheet == sheet and i.cell]
    left = {i.cell for i in here if i.code in left_codes}
    errors = {i.cell for i in here if i.severity == Severity.ERROR and i.code not in left_codes}
    warnings = {i.cell for i in here if i.severity == Severity.WARNING and i.code not in left_codes}
    return {"left": len(left), "errors": len(errors), "warnings": len(warnings)}


Fill = Callable[[openpyxl.Workbook, Callable[[str, str, str], str]], None]


def _copy(cat: Catalogue, unit: str, period: Period, path: Path, fill: Fill) -> Path:
    """The unit's blank template, filled by ``fill(wb, cell)`` where ``cell(sheet, key, label)`` is
    the A1 cell of a task, an indicator field or a Thông tin label."""
    write_template(cat, unit, period, path, generated=date(2023, 10, 1))
    wb = openpyxl.load_workbook(path)
    fill(wb, lambda sheet, key, label: cell_of(cat, unit, period, (sheet, key, label)))
    wb.save(path)
    return path


def _info(wb: openpyxl.Workbook, cell: Callable[[str, str, str], str], **values: Any) -> None:
    base = {
        V.INFO_REPORTER: "Nguyễn Thị Hương",
        V.INFO_POSITION: "Chuyên viên",
        V.INFO_PHONE: "0227 3831 234",
        V.INFO_EMAIL: "huong@thaibinh.gov.vn",
        V.INFO_DATE: date(2023, 12, 15),
    }
    for label, value in (base | values).items():
        wb[V.SHEET_INFO][cell(V.SHEET_INFO, label, label)] = value


def _task(wb: openpyxl.Workbook, cell: Callable[[str, str, str], str], task: str, **values: Any) -> None:
    labels = {
        "status": V.TASK_STATUS,
        "result": V.TASK_RESULT_VALUE,
        "done": V.TASK_RESULT,
        "evidence": V.TASK_EVIDENCE,
        "text": V.TASK_TEXT,
    }
    for key, value in values.items():
        wb[V.SHEET_TASKS][cell(V.SHEET_TASKS, task, labels[key])] = value


def _field(
    wb: openpyxl.Workbook, cell: Callable[[str, str, str], str], fid: str, value: Any, evidence: Any = None
) -> None:
    ws = wb[V.SHEET_INDICATORS]
    ws[cell(V.SHEET_INDICATORS, fid, V.IND_VALUE)] = value
    if evidence is not None:
        ws[cell(V.SHEET_INDICATORS, fid, V.IND_EVIDENCE)] = evidence


def _all_tasks(cat: Catalogue, unit: str) -> list[str]:
    return [row.ids[0] for row in cat.sheet_rows(unit)]


def ward_quarter(cat: Catalogue) -> Fill:
    """A ward's quarter, half done: placeholders, a done task without evidence, the city-level
    answer missing, 2.2b > 2.2a, 1.2a while 1.1 is Không, 2.1 left empty, an e-mail without @."""

    def fill(wb: openpyxl.Workbook, cell: Callable[[str, str, str], str]) -> None:
        _info(wb, cell, **{V.INFO_EMAIL: "kyba.thaibinh.gov.vn", V.INFO_PHONE: None})
        tasks = _all_tasks(cat, "P_KY_BA")
        for task in tasks[:20]:
            _task(
                wb, cell, task, status=V.STATUS_IN_PROGRESS, evidence="Kế hoạch số 12/KH-UBND ngày 02/10/2023"
            )
        _task(wb, cell, tasks[1], status=V.STATUS_DONE, evidence="x")
        _task(wb, cell, tasks[2], status=V.STATUS_DONE, evidence="ok")
        _task(wb, cell, tasks[3], status=V.STATUS_DONE, evidence=None)
        _task(wb, cell, tasks[4], evidence=12)
        _task(wb, cell, "PL01-3.2", status=V.STATUS_DONE, evidence="Công văn số 5/UBND ngày 03/10/2023")
        _task(wb, cell, "PL01-1.5", status=V.STATUS_DONE, result=2, evidence="Báo cáo số 7/BC-UBND")
        _field(wb, cell, "1.1", V.NO, "Biên bản kiểm tra ngày 02/12/2023")
        _field(wb, cell, "1.2a", 2)
        _field(wb, cell, "1.2b", 10)
        _field(wb, cell, "2.2a", 8, "rồi")
        _field(wb, cell, "2.2b", 10)

    return fill


def department_month(cat: Catalogue) -> Fill:
    """TCKH's month: the budget share above 100 %, another done without its figure, two rows of
    its own (one done without evidence), three tasks left."""

    def fill(wb: openpyxl.Workbook, cell: Callable[[str, str, str], str]) -> None:
        _info(wb, cell, **{V.INFO_PHONE: "abc"})
        tasks = _all_tasks(cat, "TCKH")
        for task in tasks[:-3]:
            _task(wb, cell, task, status=V.STATUS_NOT_STARTED)
        _task(
            wb,
            cell,
            "PL01-5.5",
            status=V.STATUS_DONE,
            result=105,
            evidence="Quyết định số 40/QĐ-UBND ngày 05/10/2023",
        )
        _task(wb, cell, "PL01-6.10", status=V.STATUS_DONE, result=12.5, evidence="-")
        _task(wb, cell, "TCKH-PS1", text="Rà soát dự toán chi chuyển đổi số năm 2024", status=V.STATUS_DONE)
        _task(wb, cell, "TCKH-PS2", text="Hướng dẫn lập dự toán chuyển đổi số")

    return fill


def office_month_almost(cat: Catalogue) -> Fill:
    """VP's month, filled properly but for three tasks; the report date left empty."""

    def fill(wb: openpyxl.Workbook, cell: Callable[[str, str, str], str]) -> None:
        _info(wb, cell, **{V.INFO_DATE: None})
        for task in _all_tasks(cat, "VP")[3:]:
            _task(
                wb,
                cell,
                task,
                status=V.STATUS_DONE,
                evidence="Báo cáo số 20/BC-VP ngày 05/10/2023",
                result=25,
            )

    return fill


def radio_quarter(cat: Catalogue) -> Fill:
    """The radio station's quarter: the weekly broadcasts done without their figure, 1.2a a half,
    1.2b a fraction (an integer field), 1.1 with a placeholder as evidence."""

    def fill(wb: openpyxl.Workbook, cell: Callable[[str, str, str], str]) -> None:
        _info(wb, cell)
        for task in _all_tasks(cat, "DAI_TTTH"):
            _task(wb, cell, task, status=V.STATUS_NOT_APPLICABLE)
        _task(
            wb,
            cell,
            "PL01-1.5",
            status=V.STATUS_DONE,
            evidence="https://thaibinh.gov.vn/tin-bai/chuyen-muc-cds",
        )
        _field(wb, cell, "1.1", V.YES, "đã có")
        _field(wb, cell, "1.2a", 0.5, "Lịch phát sóng quý IV")
        _field(wb, cell, "1.2b", 2.5)

    return fill


def commune_year(cat: Catalogue) -> Fill:
    """A commune's year: 2.2a below its minimum, a dash as evidence, everything else done."""

    def fill(wb: openpyxl.Workbook, cell: Callable[[str, str, str], str]) -> None:
        _info(wb, cell, **{V.INFO_REPORTER: None, V.INFO_EMAIL: "xa vu lac@gmail.com"})
        for task in _all_tasks(cat, "X_VU_LAC"):
            _task(wb, cell, task, status=V.STATUS_DONE, evidence="Báo cáo số 3/BC-UBND ngày 10/12/2023")
        _task(wb, cell, "PL01-3.2", result=V.YES)
        _task(wb, cell, "PL01-1.5", result=3)
        _field(wb, cell, "1.1", V.YES, "Quyết định số 1/QĐ-UBND ngày 02/01/2023")
        _field(wb, cell, "1.2a", 3)
        _field(wb, cell, "2.1", V.YES, "-")
        _field(wb, cell, "2.2a", 0, "Quyết định số 9/QĐ-UBND")
        _field(wb, cell, "2.2b", 0)

    return fill


def vhtt_quarter(cat: Catalogue) -> Fill:
    """VHTT's quarter (no indicators): the city-level target it leads asks no figure of it."""

    def fill(wb: openpyxl.Workbook, cell: Callable[[str, str, str], str]) -> None:
        _info(wb, cell)
        for n, task in enumerate(_all_tasks(cat, "VHTT")):
            if n % 4:
                _task(
                    wb, cell, task, status=V.STATUS_DONE, evidence="Báo cáo số 9/BC-VHTT" if n % 5 else "rồi"
                )

    return fill


COPIES = [
    ("P_KY_BA", "2023-Q4", ward_quarter),
    ("TCKH", "2023-10", department_month),
    ("VP", "2023-10", office_month_almost),
    ("DAI_TTTH", "2023-Q4", radio_quarter),
    ("X_VU_LAC", "2023", commune_year),
    ("VHTT", "2023-Q4", vhtt_quarter),
]


@pytest.mark.libreoffice
@pytest.mark.parametrize(("unit", "period", "make"), COPIES, ids=[c[2].__name__ for c in COPIES])
def test_the_line_counts_what_dti_validate_finds(
    tmp_path: Path, cat: Catalogue, soffice: str, unit: str, period: str, make: Callable[[Catalogue], Fill]
) -> None:
    p = parse_period(period)
    copy = _copy(cat, unit, p, tmp_path / f"{period}_{unit}.xlsx", make(cat))
    done = recalculated(soffice, copy, tmp_path / "lo")
    report = validate_files(cat, [done], p)
    issues = list(report.issues)
    assert not [i for i in issues if i.code == Code.RETURN_EMPTY]
    sheets = [V.SHEET_INFO, V.SHEET_TASKS] + (
        [V.SHEET_INDICATORS] if "indicators" in cat.sheets_for(unit, p) else []
    )
    seen = {}
    for sheet in sheets:
        text, tallies = line_values(done, sheet)
        want = expected(issues, sheet)
        shown = {k: v for k, v in tallies.items() if k != "warnings" or sheet != V.SHEET_TASKS}
        assert shown == {k: v for k, v in want.items() if k != "warnings" or sheet != V.SHEET_TASKS}, (
            sheet,
            text,
            report.to_table(),
        )
        seen[sheet] = (text, tallies)
    # the line says it in words
    text, tallies = seen[V.SHEET_TASKS]
    if tallies["left"] or tallies["errors"]:
        assert text == f"Còn {tallies['left']} nhiệm vụ chưa chọn Tình trạng · {tallies['errors']} ô lỗi"
    else:
        assert text == "Đã chọn Tình trạng cho mọi nhiệm vụ, không còn ô lỗi."


def test_the_copies_find_something(tmp_path: Path, cat: Catalogue) -> None:
    """The copies of the test above are not trivial: each finds something, and together they hold
    every kind of mark the line counts (read as filled, before any recalculation)."""
    codes: set[Code] = set()
    for unit, period, make in COPIES:
        p = parse_period(period)
        copy = _copy(cat, unit, p, tmp_path / f"{period}_{unit}.xlsx", make(cat))
        found = {i.code for i in validate_files(cat, [copy], p).issues if i.cell}
        assert found, make.__name__
        codes |= found
    marks = {
        Code.TASK_NOT_REPORTED,
        Code.REQUIRED,
        Code.REPORTER_MISSING,
        Code.EVIDENCE_REQUIRED,
        Code.EVIDENCE_PLACEHOLDER,
        Code.RESULT_REQUIRED,
        Code.OUT_OF_RANGE,
        Code.CROSS_FIELD,
        Code.EMAIL_INVALID,
        Code.PHONE_INVALID,
    }
    assert marks <= codes, sorted(marks - codes)


@pytest.mark.libreoffice
@pytest.mark.parametrize(("unit", "period"), [("P_KY_BA", "2023-Q4"), ("TCKH", "2023-10")])
def test_cached_values_are_what_a_recalculation_gives(
    tmp_path: Path, cat: Catalogue, soffice: str, unit: str, period: str
) -> None:
    """A viewer that does not recalculate (a phone's preview) shows the values written with the
    formulas: they are the ones LibreOffice computes."""
    p = parse_period(period)
    tasks = {
        t: {V.TASK_STATUS: V.STATUS_DONE, V.TASK_EVIDENCE: "x" if n % 3 == 0 else None}
        for n, t in enumerate(_all_tasks(cat, unit)[:9])
    }
    indicators = {
        "1.1": (V.NO, "ok"),
        "1.2a": (2, None),
        "2.2a": (5, "Quyết định số 4/QĐ-UBND"),
        "2.2b": (7, None),
    }
    filled = Filled(
        info={V.INFO_REPORTER: "Lê Thị Lan", V.INFO_EMAIL: "lan@"},
        tasks=tasks,
        indicators=indicators if "indicators" in cat.sheets_for(unit, p) else {},
        extra_task_rows=({V.TASK_TEXT: "Nhiệm vụ phát sinh", V.TASK_STATUS: V.STATUS_DONE},),
    )
    path = write_template(cat, unit, p, tmp_path / f"{unit}.xlsx", filled)
    done = recalculated(soffice, path, tmp_path / "lo")
    for sheet in LINES:
        if sheet == V.SHEET_INDICATORS and not filled.indicators:
            continue
        assert line_values(path, sheet) == line_values(done, sheet), sheet
        _row, col = LINES[sheet]
        cached = (
            CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        )
        again = (
            CalamineWorkbook.from_path(str(done)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        )
        for r in range(len(cached)):  # every row's tallies too
            assert cached[r][col : col + 3] == again[r][col : col + 3], (sheet, a1(r, col))
