"""What the province receives (contract §7): ``BaoCao_DTI_<period>.xlsx`` and ``data/*.csv``.

The last stage: it takes the DataFrames that merge and scoring computed and writes them; it
never reads returns. Everything that came from a unit is written as text (never a formula or
a link), missing values are blank cells, and the same data give the same workbook contents
(the document dates come from ``made_on``) and byte-identical CSV files.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import layout as L
from pipeline.catalogue import APPENDICES, PILLARS
from pipeline.periods import Period
from pipeline.scoring import SUMMARY_COLUMNS
from pipeline.writers import atomic_path

SHEET_SUMMARY = "Tổng hợp"
SHEET_SCORES = "Điểm chỉ số"
SHEET_SCORE_DETAIL = "Chi tiết chỉ số"
SHEET_TASKS = "Tiến độ nhiệm vụ"
SHEET_SUBMISSIONS = "Nộp báo cáo"
SHEET_ISSUES = "Lỗi dữ liệu"
SHEETS = (SHEET_SUMMARY, SHEET_SCORES, SHEET_SCORE_DETAIL, SHEET_TASKS, SHEET_SUBMISSIONS, SHEET_ISSUES)
REPORT_TITLE = "BÁO CÁO TỔNG HỢP CHỈ SỐ CHUYỂN ĐỔI SỐ (DTI)"

SCOPE_LABELS = {
    "all": "Toàn thành phố",  # in a workbook: "Toàn " + ReportData.level
    "department": "Phòng, ban, đơn vị",
    "agency": "Cơ quan ngành dọc",
    "ward": "Phường",
    "commune": "Xã",
}
KIND_LABELS = {k: v for k, v in SCOPE_LABELS.items() if k != "all"}
SUBMISSION_LABELS = {
    "on_time": "Đúng hạn",
    "late": "Nộp muộn",
    "missing": "Chưa nộp",
    "rejected": "Bị từ chối",
    "superseded": "Đã thay thế",
}
NOT_REPORTED = "Chưa báo cáo"
TASK_STATUS_LABELS = {machine: label for label, machine in L.STATUS_VALUES.items()} | {"": NOT_REPORTED}
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo"}

# contract §7: file → (ReportData attribute, columns in order)
CSV_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "submissions.csv": (
        "submissions",
        ("period", "unit_code", "status", "received_at", "deadline", "file", "sha256", "errors", "warnings"),
    ),
    "scores.csv": (
        "scores",
        ("period", "unit_code", "indicator_id", "self_score", "score", "max_score", "has_evidence"),
    ),
    "summary.csv": (
        "summary",
        tuple(SUMMARY_COLUMNS),
    ),
    "tasks.csv": (
        "tasks",
        ("period", "task_id", "unit_code", "role", "status", "result_value", "has_evidence", "overdue"),
    ),
    "issues.csv": (
        "issues",
        ("period", "unit_code", "file", "sheet", "cell", "field", "value", "severity", "code", "message"),
    ),
}
CSV_DATE_ONLY = frozenset({"deadline"})  # written as YYYY-MM-DD even when given as a timestamp
CSV_OPTIONAL = frozenset({"sha256"})  # written empty when the frame lacks it ("period": data.period.id)

SUMMARY_WIDTHS = (24, 30, 13, 13, 13, 13, 13, 13, 13, 13)  # `Tổng hợp`, columns A..J
LINE_HEIGHT, MAX_LINES = 15, 20  # points per line of 11-point text; rows stay below 409 pt
GREEN, YELLOW, ORANGE, RED, GREY = "#C6EFCE", "#FFEB9C", "#FCD5B4", "#FFC7CE", "#E7E6E6"


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, computed by the earlier stages (see contract §7).

    Rows are written in the order given. The workbook tolerates a missing column (blank cells);
    the CSV files do not (``ValueError``), except ``period`` (taken from ``period``) and
    ``sha256`` (empty). Codes (status, kind, role, pillar, severity) are machine values; the
    workbook shows them in Vietnamese. Percentages are 0–100.
    """

    period: Period
    made_on: date  # printed in the title block; the workbook's document date
    deadline: date
    city: str  # first line of the title block: locality.yaml's authority.title
    # period, unit_code, unit_name, kind, status, received_at, deadline, days_late, file, sha256,
    # errors, warnings
    submissions: pd.DataFrame
    # scope ("all" first, then department/agency/ward/commune), expected, received, on_time, late,
    # missing, rejected_files, rate_pct, on_time_pct
    rates: pd.DataFrame
    # unit_code, unit_name, kind, <indicator id>..., total, max_total, pct, rank (NaN: not ranked)
    ranking: pd.DataFrame
    indicator_ids: list[str]
    indicator_names: dict[str, str]
    # period, unit_code, unit_name, indicator_id, self_score, score, max_score, has_evidence,
    # explanation
    scores: pd.DataFrame
    # period, indicator_id, responsible_units, reported_units, full_score_units, mean_score, max_score
    summary: pd.DataFrame
    # period, task_id, unit_code, unit_name, role, appendix, pillar, status ("" or NaN: not
    # reported), result_value, has_evidence, overdue, target (or target_raw), target_met, progress_pct
    tasks: pd.DataFrame
    # pillar, assigned, reported, done, in_progress, not_started, not_applicable, overdue, done_pct
    by_pillar: pd.DataFrame
    by_unit: pd.DataFrame  # unit_code, unit_name, then the columns of by_pillar
    # period, unit_code, file, sheet, cell, field, value, severity, code, message
    issues: pd.DataFrame
    max_detail_rows: int = 20000  # above this, `Tiến độ nhiệm vụ` holds per-task aggregates only
    level: str = "thành phố"  # locality.yaml's authority.level: "Toàn thành phố"


SUMMARY_UNIT_LIMIT = 200  # above this, Tổng hợp does not list every unit


@dataclass(frozen=True)
class Column:
    """One column of a table: header, values, how to write them (kind), width in characters."""

    label: str
    values: Sequence[Any]
    kind: str = "text"  # text | code | score | int | pct | date | datetime | yes_no
    width: float = 14


# --- values -------------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _text(value: Any) -> str:
    if isinstance(value, float | np.floating) and math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return _nfc(str(value))


def _number(value: Any) -> float | None:
    if isinstance(value, str):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _yes_no(value: Any) -> str | None:
    if _missing(value):
        return None
    if isinstance(value, str):
        folded = value.strip().lower()
        if folded in ("true", "1", L.YES.lower()):
            return L.YES
        if folded in ("false", "0", L.NO.lower()):
            return L.NO
        return _nfc(value)
    return L.YES if bool(value) else L.NO


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            value = pd.Timestamp(value)
        except (ValueError, TypeError):
            return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return None


def _values(frame: pd.DataFrame, column: str) -> list[Any]:
    """A column's values as Python objects; a column the frame lacks reads as blanks."""
    if column in frame.columns:
        return frame[column].tolist()
    return [None] * len(frame)


def _mapped(values: Sequence[Any], labels: Mapping[str, str]) -> list[Any]:
    return [labels.get("" if _missing(v) else str(v), v) for v in values]


# --- workbook -------------------------------------------------------------------------------


class _Formats:
    def __init__(self, wb: Workbook):
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top"}
        cell = {**base, "border": 1}
        self.city = wb.add_format({**base, "bold": True, "font_size": 12, "align": "center"})
        self.title = wb.add_format({**base, "bold": True, "font_size": 14, "align": "center"})
        self.subtitle = wb.add_format({**base, "italic": True, "align": "center"})
        self.section = wb.add_format({**base, "bold": True, "font_size": 12})
        self.note = wb.add_format({**base, "italic": True, "font_color": "#C00000"})
        self.header = wb.add_format(
            {
                **cell,
                "bold": True,
                "bg_color": "#D9E1F2",
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.by_kind = {
            "text": wb.add_format({**cell, "text_wrap": True}),
            "code": wb.add_format({**cell, "align": "center"}),
            "yes_no": wb.add_format({**cell, "align": "center"}),
            "int": wb.add_format({**cell, "num_format": "0"}),
            "pct": wb.add_format({**cell, "num_format": "0.0"}),
            "date": wb.add_format({**cell, "num_format": "dd/mm/yyyy", "align": "center"}),
            "datetime": wb.add_format({**cell, "num_format": "dd/mm/yyyy hh:mm", "align": "center"}),
            # scores show up to two decimals, without the stray point "0.##" leaves on integers
            "score": wb.add_format({**cell, "num_format": "0"}),
        }
        self.score_decimal = wb.add_format({**cell, "num_format": "0.0#"})
        self.green = wb.add_format({"bg_color": GREEN, "font_color": "#006100"})
        self.yellow = wb.add_format({"bg_color": YELLOW, "font_color": "#9C5700"})
        self.orange = wb.add_format({"bg_color": ORANGE})
        self.red = wb.add_format({"bg_color": RED, "font_color": "#9C0006"})
        self.grey = wb.add_format({"bg_color": GREY})


def _put(ws: Worksheet, fmt: _Formats, row: int, col: int, value: Any, kind: str) -> None:
    """Write one value as what it is; text always with write_string (never a formula or a link)."""
    f = fmt.by_kind.get(kind, fmt.by_kind["text"])
    if _missing(value):
        ws.write_blank(row, col, None, f)
        return
    if kind in ("score", "int", "pct"):
        x = _number(value)
        if x is None:
            ws.write_string(row, col, _text(value), fmt.by_kind["text"])
        elif kind == "score":
            x = round(x, 2)
            ws.write_number(row, col, x, f if x.is_integer() else fmt.score_decimal)
        else:
            ws.write_number(row, col, x, f)
    elif kind in ("date", "datetime"):
        when = _as_datetime(value)
        if when is None:
            ws.write_string(row, col, _text(value), fmt.by_kind["text"])
        else:
            ws.write_datetime(row, col, when, f)
    elif kind == "yes_no":
        ws.write_string(row, col, _yes_no(value) or "", f)
    else:
        ws.write_string(row, col, _text(value), f)


def _table(
    ws: Worksheet, fmt: _Formats, row: int, columns: Sequence[Column], widths: Sequence[float] = ()
) -> int:
    """Header at ``row``, values below; return the number of data rows.

    ``widths`` are the sheet's column widths when they differ from the columns' own.
    """
    if widths:
        columns = [replace(c, width=widths[min(i, len(widths) - 1)]) for i, c in enumerate(columns)]
    for c, column in enumerate(columns):
        ws.write_string(row, c, column.label, fmt.header)
    n = max((len(c.values) for c in columns), default=0)
    for c, column in enumerate(columns):
        for i, value in enumerate(column.values):
            _put(ws, fmt, row + 1 + i, c, value, column.kind)
    # Neither Excel nor LibreOffice reliably grows a row for wrapped text on opening: estimate it.
    wrapped = [c for c in columns if c.kind == "text"]
    for i in range(n):
        lines = max((_lines(c.values[i], c.width) for c in wrapped if i < len(c.values)), default=1)
        if lines > 1:
            ws.set_row(row + 1 + i, LINE_HEIGHT * min(lines, MAX_LINES))
    return n


def _lines(value: Any, width: float) -> int:
    """How many lines a text needs in a column ``width`` characters wide (an estimate)."""
    if _missing(value):
        return 1
    per_line = max(1, int(width * 1.4))  # Times New Roman is narrower than the width unit ("0")
    return sum(max(1, math.ceil(len(part) / per_line)) for part in _text(value).split("\n"))


def _header_footer_text(text: str) -> str:
    return text.replace("&", "&&")


def _print_setup(ws: Worksheet, title: str, period: Period, repeat: tuple[int, int] | None) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    ws.set_header(f"&L&8{_header_footer_text(f'{title} — {period.label}')}")
    ws.set_footer("&C&8Trang &P / &N")


def _data_sheet(
    ws: Worksheet,
    fmt: _Formats,
    data: ReportData,
    columns: Sequence[Column],
    freeze_cols: int = 0,
    note: str | None = None,
) -> tuple[int, int]:
    """A list sheet: optional note line, header row, data, filter, frozen header, print layout.

    Returns (header row, number of data rows), both 0-based.
    """
    h = 0
    if note is not None:
        ws.write_string(0, 0, _nfc(note), fmt.note)
        h = 1
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width)
    ws.set_row(h, 33)
    n = _table(ws, fmt, h, columns)
    ws.autofilter(h, 0, h + n, len(columns) - 1)
    ws.freeze_panes(h + 1, freeze_cols)
    _print_setup(ws, ws.get_name(), data.period, (0, h))
    return h, n


def _colour_labels(ws: Worksheet, rows: tuple[int, int], col: int, colours: Mapping[str, Any]) -> None:
    """Colour the cells of one column whose text equals a label (kept when the user filters)."""
    first, last = rows
    if last < first:
        return
    for label, f in colours.items():
        ws.conditional_format(
            first, col, last, col, {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": f}
        )


def _unit_columns(frame: pd.DataFrame) -> list[Column]:
    return [
        Column("Mã đơn vị", _values(frame, "unit_code"), "code", 18),
        Column("Tên đơn vị", _values(frame, "unit_name"), "text", 36),
    ]


def _max_scores(data: ReportData) -> dict[str, float]:
    out: dict[str, float] = {}
    for frame in (data.scores, data.summary):
        if {"indicator_id", "max_score"} <= set(frame.columns):
            for ind, m in zip(frame["indicator_id"], frame["max_score"], strict=True):
                if _number(m) is not None:
                    out[str(ind)] = float(m)
    return out


def _write_scores(ws: Worksheet, fmt: _Formats, data: ReportData) -> tuple[int, int]:
    """`Điểm chỉ số`: one row per unit that reports indicators; returns (Tổng điểm column, rows)."""
    r = data.ranking
    ids = list(data.indicator_ids)
    columns = [
        *_unit_columns(r),
        *(Column(i, _values(r, i), "score", 9) for i in ids),
        Column("Tổng điểm", _values(r, "total"), "score", 11),
        Column("Điểm tối đa", _values(r, "max_total"), "score", 11),
        Column("Tỷ lệ (%)", _values(r, "pct"), "pct", 10),
        Column("Xếp hạng", _values(r, "rank"), "int", 10),
    ]
    _h, n = _data_sheet(ws, fmt, data, columns, freeze_cols=2)
    maxima = _max_scores(data)
    for c, ind in enumerate(ids, start=2):
        if n == 0:
            break
        if ind in maxima:
            # formulas, not "cell == 0": Excel counts a blank cell as 0 there
            cell = f"{xl_col_to_name(c)}2"
            for target, f in ((maxima[ind], fmt.green), (0.0, fmt.red)):
                rule = f"=AND(ISNUMBER({cell}),{cell}={target:g})"
                ws.conditional_format(1, c, n, c, {"type": "formula", "criteria": rule, "format": f})
        else:
            ws.conditional_format(1, c, n, c, {"type": "3_color_scale"})
    if n:
        pct = 2 + len(ids) + 2
        ws.conditional_format(
            1,
            pct,
            n,
            pct,
            {
                "type": "3_color_scale",
                "min_type": "num",
                "min_value": 0,
                "mid_type": "num",
                "mid_value": 50,
                "max_type": "num",
                "max_value": 100,
                "min_color": "#F8696B",
                "mid_color": "#FFEB84",
                "max_color": "#63BE7B",
            },
        )
    return 2 + len(ids), n


def _write_score_detail(ws: Worksheet, fmt: _Formats, data: ReportData) -> None:
    s = data.scores
    note = None
    if len(s) > data.max_detail_rows:
        s = s[pd.to_numeric(s["score"], errors="coerce") < pd.to_numeric(s["max_score"], errors="coerce")]
        note = (
            f"Có {_thousands(len(data.scores))} dòng đơn vị × chỉ số, nhiều hơn {_thousands(data.max_detail_rows)} dòng: "
            "trang này chỉ liệt kê các chỉ số chưa đạt điểm tối đa; đầy đủ trong tệp data/scores.csv."
        )
    ids = _values(s, "indicator_id")
    columns = [
        *_unit_columns(s),
        Column("Mã chỉ số", ids, "code", 10),
        Column("Chỉ số", [data.indicator_names.get(str(i), "") for i in ids], "text", 40),
        Column("Điểm tự chấm", _values(s, "self_score"), "score", 11),
        Column("Điểm được công nhận", _values(s, "score"), "score", 12),
        Column("Điểm tối đa", _values(s, "max_score"), "score", 10),
        Column("Có minh chứng", _values(s, "has_evidence"), "yes_no", 11),
        Column("Giải thích", _values(s, "explanation"), "text", 50),
    ]
    h, n = _data_sheet(ws, fmt, data, columns, freeze_cols=2, note=note)
    if n:
        first = h + 2  # the first data row, 1-based, as the formulas see it
        ws.conditional_format(
            h + 1,
            5,
            h + n,
            5,
            {
                "type": "formula",
                "criteria": f"=AND(ISNUMBER($F{first}),$F{first}=$G{first})",
                "format": fmt.green,
            },
        )
        ws.conditional_format(
            h + 1,
            5,
            h + n,
            5,
            {"type": "formula", "criteria": f"=AND(ISNUMBER($F{first}),$F{first}=0)", "format": fmt.red},
        )
        _colour_labels(ws, (h + 1, h + n), 7, {L.NO: fmt.red})


def _task_aggregates(tasks: pd.DataFrame) -> pd.DataFrame:
    """One row per task: assigned units, reported, done, overdue, done % (of assigned)."""
    t = pd.DataFrame(
        {
            "task_id": _values(tasks, "task_id"),
            "appendix": _values(tasks, "appendix"),
            "pillar": _values(tasks, "pillar"),
            "reported": [not _missing(v) for v in _values(tasks, "status")],
            "done": [v == "done" for v in _values(tasks, "status")],
            "overdue": [_yes_no(v) == L.YES for v in _values(tasks, "overdue")],
        }
    )
    out = t.groupby("task_id", sort=False).agg(
        appendix=("appendix", "first"),
        pillar=("pillar", "first"),
        assigned=("task_id", "size"),
        reported=("reported", "sum"),
        done=("done", "sum"),
        overdue=("overdue", "sum"),
    )
    out["done_pct"] = (100 * out["done"] / out["assigned"]).round(1)
    return out.reset_index()


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Vietnamese: 20.000


def _write_tasks(ws: Worksheet, fmt: _Formats, data: ReportData) -> None:
    t = data.tasks
    if len(t) > data.max_detail_rows:
        a = _task_aggregates(t)
        columns = [
            Column("Mã nhiệm vụ", _values(a, "task_id"), "code", 12),
            Column("Phụ lục", _mapped(_values(a, "appendix"), APPENDICES), "code", 11),
            Column("Lĩnh vực", _mapped(_values(a, "pillar"), PILLARS), "text", 24),
            Column("Số đơn vị được giao", _values(a, "assigned"), "int", 12),
            Column("Đã báo cáo", _values(a, "reported"), "int", 11),
            Column("Hoàn thành", _values(a, "done"), "int", 11),
            Column("Quá hạn", _values(a, "overdue"), "int", 10),
            Column("Tỷ lệ hoàn thành (%)", _values(a, "done_pct"), "pct", 12),
        ]
        note = (
            f"Có {_thousands(len(t))} dòng nhiệm vụ × đơn vị, nhiều hơn {_thousands(data.max_detail_rows)} dòng: "
            "trang này chỉ tổng hợp "
            "theo nhiệm vụ; số liệu chi tiết của từng đơn vị nằm trong tệp data/tasks.csv."
        )
        h, n = _data_sheet(ws, fmt, data, columns, freeze_cols=1, note=note)
        if n:
            ws.conditional_format(
                h + 1, 6, h + n, 6, {"type": "cell", "criteria": ">", "value": 0, "format": fmt.red}
            )
        return
    columns = [
        Column("Mã nhiệm vụ", _values(t, "task_id"), "code", 12),
        Column("Phụ lục", _mapped(_values(t, "appendix"), APPENDICES), "code", 11),
        Column("Lĩnh vực", _mapped(_values(t, "pillar"), PILLARS), "text", 22),
        *_unit_columns(t),
        Column("Vai trò", _mapped(_values(t, "role"), L.ROLE_LABELS), "code", 10),
        Column("Tình trạng", _mapped(_values(t, "status"), TASK_STATUS_LABELS), "code", 15),
        Column("Kết quả (số liệu)", _values(t, "result_value"), "score", 11),
        Column("Có minh chứng", _values(t, "has_evidence"), "yes_no", 10),
        Column("Quá hạn", _values(t, "overdue"), "yes_no", 9),
        Column("Chỉ tiêu", _values(t, "target_raw" if "target_raw" in t.columns else "target"), "text", 22),
        Column("Đạt chỉ tiêu", _values(t, "target_met"), "yes_no", 10),
        Column("Tiến độ (%)", _values(t, "progress_pct"), "pct", 10),
    ]
    _h, n = _data_sheet(ws, fmt, data, columns, freeze_cols=1)
    labels = TASK_STATUS_LABELS
    _colour_labels(
        ws,
        (1, n),
        6,
        {
            labels["done"]: fmt.green,
            labels["in_progress"]: fmt.yellow,
            labels["not_started"]: fmt.orange,
            labels["not_applicable"]: fmt.grey,
            NOT_REPORTED: fmt.red,
        },
    )
    _colour_labels(ws, (1, n), 9, {L.YES: fmt.red})
    _colour_labels(ws, (1, n), 11, {L.YES: fmt.green, L.NO: fmt.red})


def _write_submissions(ws: Worksheet, fmt: _Formats, data: ReportData) -> None:
    s = data.submissions
    columns = [
        *_unit_columns(s),
        Column("Loại đơn vị", _mapped(_values(s, "kind"), KIND_LABELS), "text", 17),
        Column("Trạng thái", _mapped(_values(s, "status"), SUBMISSION_LABELS), "code", 13),
        Column("Ngày nhận", _values(s, "received_at"), "datetime", 17),
        Column("Hạn nộp", _values(s, "deadline"), "date", 12),
        Column("Số ngày muộn", _values(s, "days_late"), "int", 9),
        Column("Tệp", _values(s, "file"), "text", 34),
        Column("Số lỗi", _values(s, "errors"), "int", 8),
        Column("Số cảnh báo", _values(s, "warnings"), "int", 10),
    ]
    _h, n = _data_sheet(ws, fmt, data, columns, freeze_cols=2)
    s_labels = SUBMISSION_LABELS
    _colour_labels(
        ws,
        (1, n),
        3,
        {
            s_labels["on_time"]: fmt.green,
            s_labels["late"]: fmt.yellow,
            s_labels["missing"]: fmt.red,
            s_labels["rejected"]: fmt.red,
            s_labels["superseded"]: fmt.grey,
        },
    )


def _write_issues(ws: Worksheet, fmt: _Formats, data: ReportData) -> None:
    i = data.issues
    columns = [
        Column("Mã đơn vị", _values(i, "unit_code"), "code", 18),
        Column("Tệp", _values(i, "file"), "text", 30),
        Column("Trang", _values(i, "sheet"), "text", 12),
        Column("Ô", _values(i, "cell"), "code", 7),
        Column("Trường", _values(i, "field"), "text", 22),
        Column("Giá trị", _values(i, "value"), "text", 24),
        Column("Mức độ", _mapped(_values(i, "severity"), SEVERITY_LABELS), "code", 10),
        Column("Mã lỗi", _values(i, "code"), "text", 18),
        Column("Nội dung", _values(i, "message"), "text", 60),
    ]
    _h, n = _data_sheet(ws, fmt, data, columns, freeze_cols=1)
    _colour_labels(ws, (1, n), 6, {SEVERITY_LABELS["error"]: fmt.red, SEVERITY_LABELS["warning"]: fmt.yellow})


def _ordered_rates(rates: pd.DataFrame) -> pd.DataFrame:
    if "scope" not in rates.columns:
        return rates
    order = {scope: i for i, scope in enumerate(SCOPE_LABELS)}
    key = [order.get(str(s), len(order)) for s in rates["scope"]]
    return rates.assign(_key=key).sort_values("_key", kind="stable").drop(columns="_key")


def _ordered_pillars(by_pillar: pd.DataFrame) -> pd.DataFrame:
    if "pillar" not in by_pillar.columns:
        return by_pillar
    order = {p: i for i, p in enumerate(PILLARS)}
    key = [order.get(str(p), len(order)) for p in by_pillar["pillar"]]
    return by_pillar.assign(_key=key).sort_values("_key", kind="stable").drop(columns="_key")


def _completion_columns(frame: pd.DataFrame) -> list[Column]:
    return [
        Column("Số nhiệm vụ giao", _values(frame, "assigned"), "int"),
        Column("Đã báo cáo", _values(frame, "reported"), "int"),
        Column("Hoàn thành", _values(frame, "done"), "int"),
        Column("Đang thực hiện", _values(frame, "in_progress"), "int"),
        Column("Chưa thực hiện", _values(frame, "not_started"), "int"),
        Column("Không phát sinh", _values(frame, "not_applicable"), "int"),
        Column("Quá hạn", _values(frame, "overdue"), "int"),
        Column("Tỷ lệ hoàn thành (%)", _values(frame, "done_pct"), "pct"),
    ]


def _chart(wb: Workbook, kind: str, title: str, subtype: str | None = None) -> Any:
    spec = {"type": kind} | ({"subtype": subtype} if subtype else {})
    chart = wb.add_chart(spec)
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    chart.set_style(10)
    return chart


def _write_summary(
    ws: Worksheet, wb: Workbook, fmt: _Formats, data: ReportData, totals: tuple[int, int]
) -> None:
    """`Tổng hợp`: title block, the city's figures in small tables, three native charts."""
    width = len(SUMMARY_WIDTHS)
    for col, w in enumerate(SUMMARY_WIDTHS):
        ws.set_column(col, col, w)
    _print_setup(ws, SHEET_SUMMARY, data.period, None)
    title_lines = [
        (data.city, fmt.city),
        (REPORT_TITLE, fmt.title),
        (f"{data.period.label} — Ngày lập: {data.made_on:%d/%m/%Y}", fmt.subtitle),
        (f"Hạn nộp báo cáo của các đơn vị: {data.deadline:%d/%m/%Y}", fmt.subtitle),
    ]
    for row, (text, f) in enumerate(title_lines):
        ws.merge_range(row, 0, row, width - 1, "", f)
        ws.write_string(row, 0, _nfc(text), f)
    row = len(title_lines) + 1

    def table(columns: Sequence[Column]) -> int:
        ws.set_row(row, 33)
        return _table(ws, fmt, row, columns, SUMMARY_WIDTHS)

    def section(title: str) -> None:
        nonlocal row
        ws.write_string(row, 0, title, fmt.section)
        row += 1

    # 1. submissions
    section("1. Tình hình nộp báo cáo")
    rates = _ordered_rates(data.rates)
    rate_header = row
    n_rates = table(
        [
            Column("Phạm vi", _mapped(_values(rates, "scope"), SCOPE_LABELS | {"all": f"Toàn {data.level}"})),
            Column("Phải nộp", _values(rates, "expected"), "int"),
            Column("Đã nộp", _values(rates, "received"), "int"),
            Column("Đúng hạn", _values(rates, "on_time"), "int"),
            Column("Nộp muộn", _values(rates, "late"), "int"),
            Column("Chưa nộp", _values(rates, "missing"), "int"),
            Column("Tệp bị từ chối", _values(rates, "rejected_files"), "int"),
            Column("Tỷ lệ nộp (%)", _values(rates, "rate_pct"), "pct"),
            Column("Tỷ lệ đúng hạn (%)", _values(rates, "on_time_pct"), "pct"),
        ],
    )
    row += n_rates + 2

    # 2. indicators
    section(f"2. Điểm các chỉ số của {data.level} (Phụ lục 04)")
    summary = data.summary
    if len(summary):
        if "indicator_id" in summary.columns:
            order = {ind: i for i, ind in enumerate(data.indicator_ids)}
            key = [order.get(str(i), len(order)) for i in summary["indicator_id"]]
            summary = summary.assign(_key=key).sort_values("_key", kind="stable").drop(columns="_key")
        ids = _values(summary, "indicator_id")
        n = table(
            [
                Column("Mã chỉ số", ids, "code"),
                Column("Chỉ số", [data.indicator_names.get(str(i), "") for i in ids]),
                Column("Số đơn vị phụ trách", _values(summary, "responsible_units"), "int"),
                Column("Số đơn vị đã báo cáo", _values(summary, "reported_units"), "int"),
                Column("Số đơn vị đạt tối đa", _values(summary, "full_score_units"), "int"),
                Column("Điểm trung bình", _values(summary, "mean_score"), "score"),
                Column("Điểm tối đa", _values(summary, "max_score"), "score"),
            ],
        )
        row += n + 2
    else:
        ws.write_string(row, 0, "Kỳ báo cáo này không chấm điểm chỉ số.", fmt.note)
        row += 2

    # 3. completion per pillar
    section("3. Tiến độ thực hiện nhiệm vụ theo lĩnh vực")
    pillars = _ordered_pillars(data.by_pillar)
    pillar_header = row
    n_pillars = table(
        [Column("Lĩnh vực", _mapped(_values(pillars, "pillar"), PILLARS)), *_completion_columns(pillars)],
    )
    row += n_pillars + 2

    # 4. charts: total score by unit (full width), then submissions and completion side by side
    ws.set_h_pagebreaks([row])  # the charts start a page (LibreOffice; Excel's "fit to" ignores it)
    section("4. Biểu đồ")
    total_col, n_units = totals
    if n_units:
        chart = _chart(wb, "bar", "Tổng điểm chỉ số theo đơn vị")
        chart.add_series(
            {
                "name": "Tổng điểm",
                "categories": [SHEET_SCORES, 1, 1, n_units, 1],
                "values": [SHEET_SCORES, 1, total_col, n_units, total_col],
                "fill": {"color": "#4472C4"},
                "gap": 60,
                "data_labels": {"value": True},
            }
        )
        chart.set_y_axis({"reverse": True, "crossing": "max"})  # the first unit on top, values below
        top = [x for x in (_number(v) for v in _values(data.ranking, "max_total")) if x]
        chart.set_x_axis(
            {"min": 0, "major_gridlines": {"visible": True}} | ({"max": max(top)} if top else {})
        )
        chart.set_legend({"none": True})
        height = max(300, 18 * n_units + 100)
        chart.set_size({"width": 960, "height": height})
        ws.insert_chart(row, 0, chart, {"object_position": 2})
        row += math.ceil(height / 20) + 1
    pair: list[Any] = []
    if n_rates:
        scopes = _values(rates, "scope")
        first = 1 if n_rates > 1 and scopes[0] == "all" else 0  # by kind of unit when there are kinds
        rows = (rate_header + 1 + first, rate_header + n_rates)
        chart = _chart(wb, "column", "Tình hình nộp báo cáo theo khối đơn vị", "stacked")
        for col, name, colour in (
            (3, "Đúng hạn", "#70AD47"),
            (4, "Nộp muộn", "#FFC000"),
            (5, "Chưa nộp", "#C00000"),
        ):
            chart.add_series(
                {
                    "name": name,
                    "categories": [SHEET_SUMMARY, rows[0], 0, rows[1], 0],
                    "values": [SHEET_SUMMARY, rows[0], col, rows[1], col],
                    "fill": {"color": colour},
                    "data_labels": {"value": True, "num_format": "0;-0;;"},  # no label on a zero
                }
            )
        stacked = [
            sum(_number(rates[c].iloc[i]) or 0 for c in ("on_time", "late", "missing") if c in rates.columns)
            for i in range(rows[0] - rate_header - 1, n_rates)
        ]
        step = max(1, math.ceil(max(stacked, default=0) / 6))
        chart.set_y_axis({"name": "Số đơn vị", "min": 0, "major_unit": step, "num_format": "0"})
        chart.set_legend({"position": "bottom"})
        pair.append(chart)
    if n_pillars:
        chart = _chart(wb, "bar", "Tỷ lệ hoàn thành nhiệm vụ theo lĩnh vực (%)")
        chart.add_series(
            {
                "name": "Tỷ lệ hoàn thành (%)",
                "categories": [SHEET_SUMMARY, pillar_header + 1, 0, pillar_header + n_pillars, 0],
                "values": [SHEET_SUMMARY, pillar_header + 1, 8, pillar_header + n_pillars, 8],
                "fill": {"color": "#70AD47"},
                "gap": 60,
                "data_labels": {"value": True, "num_format": "0.0"},
            }
        )
        chart.set_y_axis({"reverse": True, "crossing": "max"})
        chart.set_x_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True}})
        chart.set_legend({"none": True})
        pair.append(chart)
    if pair:
        height = max(320, 24 * n_pillars + 100)
        for i, chart in enumerate(pair):
            chart.set_size({"width": 475, "height": height})
            ws.insert_chart(row, 0, chart, {"object_position": 2, "x_offset": 485 * i})
        row += math.ceil(height / 20) + 1
    if not (n_units or pair):
        ws.write_string(row, 0, "Không có số liệu để vẽ biểu đồ.", fmt.note)
    row += 1

    # 5. completion per unit
    section("5. Tiến độ thực hiện nhiệm vụ theo đơn vị")
    if len(data.by_unit) > SUMMARY_UNIT_LIMIT:
        ws.write_string(
            row,
            0,
            f"{_thousands(len(data.by_unit))} đơn vị: xem trang «Tiến độ nhiệm vụ» và tệp data/tasks.csv.",
            fmt.note,
        )
    else:
        table([*_unit_columns(data.by_unit), *_completion_columns(data.by_unit)])


def write_report(data: ReportData, path: Path) -> Path:
    """Write the province's workbook to ``path`` (atomically) and return the path."""
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "in_memory": True,  # no temporary file per part: faster, same content
            },
        )
        wb.set_properties(
            {
                "title": _nfc(f"{REPORT_TITLE} — {data.period.label}"),
                "subject": "Chỉ số chuyển đổi số (DTI)",
                "author": _nfc(data.city),
                "company": _nfc(data.city),
                "comments": f"dti report, period {data.period.id}",
                "created": datetime(data.made_on.year, data.made_on.month, data.made_on.day),
            }
        )
        fmt = _Formats(wb)
        sheets: dict[str, Worksheet] = {name: wb.add_worksheet(name) for name in SHEETS}
        totals = _write_scores(sheets[SHEET_SCORES], fmt, data)
        _write_summary(sheets[SHEET_SUMMARY], wb, fmt, data, totals)
        _write_score_detail(sheets[SHEET_SCORE_DETAIL], fmt, data)
        _write_tasks(sheets[SHEET_TASKS], fmt, data)
        _write_submissions(sheets[SHEET_SUBMISSIONS], fmt, data)
        _write_issues(sheets[SHEET_ISSUES], fmt, data)
        sheets[SHEET_SUMMARY].activate()
        wb.close()
    return path


# --- CSV ------------------------------------------------------------------------------------


def csv_value(value: Any, date_only: bool = False) -> str:
    """One value as CSV text: blank for missing, true/false, 10 not 10.0, ISO dates."""
    if _missing(value):
        return ""
    if isinstance(value, str):
        return _nfc(value)
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        x = float(value)
        if not math.isfinite(x):
            return ""
        return str(int(x)) if x.is_integer() and abs(x) < 2**53 else repr(x)
    if isinstance(value, pd.Timestamp | datetime):
        return value.strftime("%Y-%m-%d" if date_only else "%Y-%m-%dT%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return _nfc(str(value))


def _csv_column(data: ReportData, attr: str, frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame.columns:
        if column == "period":
            return [data.period.id] * len(frame)
        if column in CSV_OPTIONAL:
            return [""] * len(frame)
        raise ValueError(f"report data '{attr}' has no column '{column}' (needed for contract §7 CSV files)")
    date_only = column in CSV_DATE_ONLY
    series = frame[column]
    missing = series.isna().tolist()
    seen: dict[tuple[type, Any], str] = {}  # most columns repeat a few values: format each once
    out = []
    for value, gone in zip(series.tolist(), missing, strict=True):
        if gone:
            out.append("")
            continue
        key = (type(value), value)
        text = seen.get(key)
        if text is None:
            text = seen[key] = csv_value(value, date_only)
        out.append(text)
    return out


def write_csvs(data: ReportData, folder: Path) -> list[Path]:
    """Write ``submissions``, ``scores``, ``summary``, ``tasks`` and ``issues.csv`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (attr, columns) in CSV_FILES.items():
        frame: pd.DataFrame = getattr(data, attr)
        values = [_csv_column(data, attr, frame, c) for c in columns]
        path = folder / name
        with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(zip(*values, strict=True))
        written.append(path)
    return written
