"""Write the workbook each unit fills for a period (contract §5), with xlsxwriter.

One workbook per unit and period: ``Hướng dẫn``, ``Thông tin``, ``Nhiệm vụ``, ``Chỉ số``
(only for units that report indicators in that period) and a hidden ``_meta``. Drop-downs,
number checks with Vietnamese messages, locked reference columns, print layout. The same
inputs give byte-identical files: the document dates come from ``generated_at``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import layout as L
from pipeline.catalogue import PILLARS, Catalogue, Field, Indicator, due_date_in
from pipeline.periods import Period
from pipeline.writers import atomic_path

TASK_WIDTHS = (12, 10, 16, 48, 10, 16, 26, 17, 12, 36, 30, 26)
IND_WIDTHS = (8, 34, 40, 8, 34, 14, 40)
FIRST_TASK_HEADER_ROW = 4  # 0-based: rows 0-3 carry the title block


@dataclass(frozen=True)
class Filled:
    """Values to pre-fill (demo returns, tests): labels as in the template."""

    info: Mapping[str, Any] = field(default_factory=dict)
    tasks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # task_id → {label: value}
    indicators: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)  # field id → (value, evidence)
    extra_task_rows: tuple[Mapping[str, Any], ...] = ()  # rows a unit added by hand
    meta: Mapping[str, str] = field(default_factory=dict)  # overrides of _meta values
    # feedback: (sheet, row key, column label) → (severity, message); row key is the task id,
    # the field id, or the Thông tin label
    marks: Mapping[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    feedback: tuple[Mapping[str, str], ...] = ()  # rows of the feedback sheet (label → text)


def generated_date() -> date:
    """Today, or SOURCE_DATE_EPOCH (reproducible builds) when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.utcfromtimestamp(int(epoch)).date() if epoch else date.today()


def template_name(period: Period, unit_code: str) -> str:
    return f"{period.id}_{unit_code}.xlsx"


def deadline_label(frequency: str, due: str, deadline_raw: str, year: int) -> str:
    """How a task's deadline reads in the template."""
    d = due_date_in(due, year)
    return {
        "weekly": "Hằng tuần",
        "annual": f"Hằng năm, trước {d:%d/%m}" if d else "Hằng năm",
        "ongoing": "Thường xuyên",
        "by_date": f"Trước {d:%d/%m/%Y}" if d else deadline_raw,
        "on_call": deadline_raw,
        "unspecified": "Không quy định",
    }.get(frequency, deadline_raw)


class _Formats:
    def __init__(self, wb: Workbook):
        base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14, "text_wrap": False})
        self.subtitle = wb.add_format({**base, "italic": True, "text_wrap": False})
        self.header = wb.add_format(
            {**base, "bold": True, "border": 1, "bg_color": "#D9E1F2", "align": "center", "valign": "vcenter"}
        )
        self.header_fill = wb.add_format(
            {**base, "bold": True, "border": 1, "bg_color": "#FFE699", "align": "center", "valign": "vcenter"}
        )
        self.locked = wb.add_format({**base, "border": 1, "bg_color": "#F2F2F2"})
        self.locked_center = wb.add_format({**base, "border": 1, "bg_color": "#F2F2F2", "align": "center"})
        self.fill = wb.add_format({**base, "border": 1, "locked": False, "bg_color": "#FFF9E5"})
        self.fill_date = wb.add_format(
            {**base, "border": 1, "locked": False, "bg_color": "#FFF9E5", "num_format": "dd/mm/yyyy"}
        )
        self.error = wb.add_format({**base, "border": 1, "locked": False, "bg_color": "#FF9C9C"})
        self.warning = wb.add_format({**base, "border": 1, "locked": False, "bg_color": "#FFEB84"})
        self.text = wb.add_format(base)
        self.bold = wb.add_format({**base, "bold": True})


def _prepare(ws: Worksheet, header_row: int, widths: Iterable[float], title: str) -> None:
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(header_row)
    ws.set_header(f"&L&8{title}")
    ws.set_footer("&C&8Trang &P / &N")
    ws.freeze_panes(header_row + 1, 1)
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True})


def _title_block(ws: Worksheet, fmt: _Formats, title: str, unit: str, period: Period, deadline: date) -> None:
    ws.write_string(0, 0, title, fmt.title)
    ws.write_string(
        1, 0, f"Đơn vị: {unit} — Kỳ báo cáo: {period.label} — Hạn nộp: {deadline:%d/%m/%Y}", fmt.subtitle
    )
    ws.write_string(
        2, 0, "Chỉ điền vào các ô màu vàng; không sửa, không xóa các cột khác và trang _meta.", fmt.subtitle
    )


def _write_guide(
    ws: Worksheet, fmt: _Formats, cat: Catalogue, unit: str, period: Period, has_ind: bool
) -> None:
    deadline = cat.deadline(period)
    ws.set_column(0, 0, 110)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"select_locked_cells": True})
    statuses = "; ".join(L.STATUS_VALUES)
    lines: list[tuple[str, Any]] = [
        ("HƯỚNG DẪN ĐIỀN BÁO CÁO CHUYỂN ĐỔI SỐ (DTI)", fmt.title),
        (f"Đơn vị: {unit}", fmt.bold),
        (f"Kỳ báo cáo: {period.label}. Hạn nộp: {deadline:%d/%m/%Y} (chậm nhất hết ngày này).", fmt.bold),
        ("", fmt.text),
        (
            "1. Trang «Thông tin»: điền họ tên người báo cáo, chức vụ, điện thoại, email và ngày báo cáo.",
            fmt.text,
        ),
        (
            "2. Trang «Nhiệm vụ»: mỗi dòng là một nhiệm vụ đơn vị phải báo cáo theo Kế hoạch (Phụ lục 01, 02, 03). "
            f"Ở cột «Tình trạng» chọn một trong: {statuses}.",
            fmt.text,
        ),
        (
            "   Cột «Kết quả (số liệu)» chỉ ghi số (ví dụ 25 hoặc 1,5), không ghi chữ. Nhiệm vụ có «Chỉ tiêu» "
            "thì bắt buộc ghi số liệu khi đã hoàn thành. Cột «Kết quả thực hiện» ghi ngắn gọn việc đã làm.",
            fmt.text,
        ),
        (
            "   «Minh chứng» là số, ngày và tên văn bản hoặc đường dẫn đến tài liệu chứng minh "
            "(ví dụ: Kế hoạch số 12/KH-UBND ngày 05/10/2023). Nhiệm vụ «Hoàn thành» bắt buộc có minh chứng.",
            fmt.text,
        ),
    ]
    if has_ind:
        lines.append(
            (
                "3. Trang «Chỉ số» (Phụ lục 04): ghi «Giá trị» cho từng dòng (Có/Không hoặc số) và «Minh chứng». "
                f"Chỉ số không có minh chứng ({cat.evidence_text}) được tính 0 điểm.",
                fmt.text,
            )
        )
    lines += [
        ("", fmt.text),
        (
            "Không đổi tên trang, không xóa hoặc chèn cột, không sửa trang ẩn _meta: hệ thống dựa vào đó "
            "để nhận biết báo cáo của đơn vị. Có thể đổi tên tệp; có thể lưu bằng Excel, LibreOffice hoặc WPS.",
            fmt.text,
        ),
        (_send_to(cat), fmt.text),
        (
            "Nếu báo cáo có lỗi, đơn vị sẽ nhận lại tệp phản hồi: các ô tô đỏ là lỗi phải sửa, ô tô vàng là "
            "điểm cần kiểm tra; sửa ngay trên tệp đó rồi gửi lại.",
            fmt.text,
        ),
    ]
    for row, (text, f) in enumerate(lines):
        ws.write_string(row, 0, text, f)


def _send_to(cat: Catalogue) -> str:
    """Where to send the return, with the receiving office's email and phone when known."""
    loc = cat.locality
    text = f"Gửi tệp đã điền về {loc.short_name} (qua {cat.receiver_name}) trước hạn nộp, qua thư điện tử công vụ"
    email, phone = cat.receiver_contact
    if email:
        text += f" đến địa chỉ {email}"
    text += "."
    if phone:
        text += f" Điện thoại liên hệ: {phone}."
    return text


def _write_info(
    ws: Worksheet, fmt: _Formats, cat: Catalogue, unit: str, period: Period, filled: Filled
) -> None:
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 60)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"select_locked_cells": True})
    ws.write_string(0, 0, "Thông tin", fmt.header)
    ws.write_string(0, 1, "Nội dung", fmt.header)
    locked = {
        L.INFO_UNIT: unit,
        L.INFO_PERIOD: period.label,
        L.INFO_DEADLINE: f"{cat.deadline(period):%d/%m/%Y}",
    }
    for row, label in enumerate(L.INFO_LABELS, start=1):
        ws.write_string(row, 0, label, fmt.locked)
        if label in locked:
            ws.write_string(row, 1, locked[label], fmt.locked)
            continue
        f = fmt.fill_date if label == L.INFO_DATE else fmt.fill
        _write_value(
            ws,
            row,
            1,
            filled.info.get(label),
            _marked(ws, fmt, filled, (L.SHEET_INFO, label, label), row, 1, f),
        )
        if label == L.INFO_DATE:
            ws.data_validation(
                row,
                1,
                row,
                1,
                {
                    "validate": "date",
                    "criteria": "between",
                    "minimum": date(2000, 1, 1),
                    "maximum": date(2100, 12, 31),
                    "input_title": "Ngày báo cáo",
                    "input_message": "Nhập ngày dạng ngày/tháng/năm, ví dụ 15/12/2023.",
                    "error_title": "Ngày không hợp lệ",
                    "error_message": "Hãy nhập một ngày, ví dụ 15/12/2023.",
                },
            )


def _marked(
    ws: Worksheet, fmt: _Formats, filled: Filled, key: tuple[str, str, str], row: int, col: int, f: Any
) -> Any:
    """The format of a fill cell; a feedback mark colours it and adds a comment."""
    mark = filled.marks.get(key)
    if mark is None:
        return f
    severity, message = mark
    ws.write_comment(row, col, message, {"x_scale": 2.5, "y_scale": 2.5, "author": "dti"})
    return fmt.error if severity == "error" else fmt.warning


def _write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Any) -> None:
    """Write a value as what it is; text is always text (never a formula or a link)."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, datetime | date):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _status_validation(ws: Worksheet, first: int, last: int, col: int) -> None:
    ws.data_validation(
        first,
        col,
        last,
        col,
        {
            "validate": "list",
            "source": list(L.STATUS_VALUES),
            "input_title": "Tình trạng",
            "input_message": "Chọn trong danh sách: " + "; ".join(L.STATUS_VALUES) + ".",
            "error_title": "Giá trị không hợp lệ",
            "error_message": "Chỉ chọn một giá trị trong danh sách: " + "; ".join(L.STATUS_VALUES) + ".",
        },
    )


def _number_validation(ws: Worksheet, row: int, col: int, f: Field | None, title: str, hint: str) -> None:
    integer = f is not None and f.type == "integer"
    minimum = f.min if f is not None and f.min is not None else 0
    kind = "số nguyên" if integer else "số"
    opts: dict[str, Any] = {
        "validate": "integer" if integer else "decimal",
        "criteria": ">=",
        "value": minimum,
        "input_title": title[:32],
        "input_message": (hint + f" Chỉ nhập {kind} ≥ {minimum:g}.")[:255],
        "error_title": "Phải nhập số",
        "error_message": f"Ô này chỉ nhận {kind} lớn hơn hoặc bằng {minimum:g}, không ghi chữ.",
    }
    if f is not None and f.max is not None:
        opts |= {"criteria": "between", "minimum": minimum, "maximum": f.max}
        del opts["value"]
    ws.data_validation(row, col, row, col, opts)


def _yes_no_validation(ws: Worksheet, row: int, col: int, title: str) -> None:
    ws.data_validation(
        row,
        col,
        row,
        col,
        {
            "validate": "list",
            "source": list(L.YES_NO),
            "input_title": title[:32],
            "input_message": "Chọn Có hoặc Không.",
            "error_title": "Giá trị không hợp lệ",
            "error_message": "Chỉ chọn Có hoặc Không.",
        },
    )


def _write_tasks(
    ws: Worksheet, fmt: _Formats, cat: Catalogue, unit_code: str, unit: str, period: Period, filled: Filled
) -> None:
    h = FIRST_TASK_HEADER_ROW
    _prepare(ws, h, TASK_WIDTHS, f"{unit} — {period.label}")
    _title_block(
        ws, fmt, "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ NÂNG CAO CHỈ SỐ DTI", unit, period, cat.deadline(period)
    )
    for col, label in enumerate(L.TASK_HEADERS):
        ws.write_string(h, col, label, fmt.header if label in L.TASK_LOCKED else fmt.header_fill)
    ws.set_row(h, 32)
    rows = [(t, filled.tasks.get(t.task_id, {})) for t in cat.task_rows(unit_code)]
    row = h
    for row, (t, values) in enumerate(rows, start=h + 1):
        fixed = [
            t.task_id,
            f"Phụ lục {t.appendix[2:]}",
            PILLARS[t.pillar],
            t.text,
            L.ROLE_LABELS[t.role],
            deadline_label(t.frequency, t.due_date, t.deadline_raw, period.year),
            t.target_raw,
        ]
        for col, value in enumerate(fixed):
            ws.write_string(row, col, value, fmt.locked_center if col in (0, 1, 4) else fmt.locked)
        for col, label in enumerate(L.TASK_TO_FILL, start=len(L.TASK_LOCKED)):
            f = _marked(ws, fmt, filled, (L.SHEET_TASKS, t.task_id, label), row, col, fmt.fill)
            _write_value(ws, row, col, values.get(label), f)
        hint = f"Chỉ tiêu: {t.target_raw}." if t.target else "Số liệu kết quả, nếu có."
        _number_validation(
            ws, row, L.TASK_HEADERS.index(L.TASK_RESULT_VALUE), None, "Kết quả (số liệu)", hint
        )
    for extra in filled.extra_task_rows:
        row += 1
        for col, label in enumerate(L.TASK_HEADERS):
            _write_value(ws, row, col, extra.get(label), fmt.fill)
    if rows:
        _status_validation(ws, h + 1, h + len(rows), L.TASK_HEADERS.index(L.TASK_STATUS))
        ws.autofilter(h, 0, h + len(rows), len(L.TASK_HEADERS) - 1)


def _write_indicators(
    ws: Worksheet,
    fmt: _Formats,
    cat: Catalogue,
    indicators: Iterable[Indicator],
    unit: str,
    period: Period,
    filled: Filled,
) -> None:
    h = FIRST_TASK_HEADER_ROW
    _prepare(ws, h, IND_WIDTHS, f"{unit} — {period.label}")
    _title_block(
        ws, fmt, "BÁO CÁO CÁC CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ (PHỤ LỤC 04)", unit, period, cat.deadline(period)
    )
    for col, label in enumerate(L.IND_HEADERS):
        ws.write_string(h, col, label, fmt.header if label in L.IND_LOCKED else fmt.header_fill)
    ws.set_row(h, 32)
    row = h
    value_col = L.IND_HEADERS.index(L.IND_VALUE)
    for ind in indicators:
        first, last = row + 1, row + len(ind.fields)
        # the indicator's name, maximum and rule once, over all its input rows (so the column of
        # maxima adds up to the unit's maximum)
        for col, value, cell_format in (
            (1, f"{ind.id}. {ind.name}", fmt.locked),
            (3, ind.max_score, fmt.locked_center),
            (4, ind.rule_text, fmt.locked),
        ):
            if last > first:
                ws.merge_range(first, col, last, col, value, cell_format)
            elif isinstance(value, str):
                ws.write_string(first, col, value, cell_format)
            else:
                ws.write_number(first, col, value, cell_format)
        for f in ind.fields:
            row += 1
            ws.write_string(row, 0, f.id, fmt.locked_center)
            ws.write_string(row, 2, f.label, fmt.locked)
            value, evidence = filled.indicators.get(f.id, (None, None))
            for col, label, v in ((value_col, L.IND_VALUE, value), (value_col + 1, L.IND_EVIDENCE, evidence)):
                _write_value(
                    ws,
                    row,
                    col,
                    v,
                    _marked(ws, fmt, filled, (L.SHEET_INDICATORS, f.id, label), row, col, fmt.fill),
                )
            if f.type == "yes_no":
                _yes_no_validation(ws, row, value_col, f.id)
            elif f.type in ("number", "integer"):
                _number_validation(ws, row, value_col, f, f.id, f.label + ".")


def _write_feedback(
    ws: Worksheet, fmt: _Formats, rows: Iterable[Mapping[str, str]], unit: str, period: Period
) -> None:
    """The list of every issue found in the unit's return, first sheet of a feedback file."""
    widths = (14, 10, 26, 24, 10, 70, 14)
    ws.write_string(0, 0, f"KẾT QUẢ KIỂM TRA BÁO CÁO — {unit} — {period.label}", fmt.title)
    ws.write_string(
        1,
        0,
        "Ô tô đỏ là lỗi phải sửa, ô tô vàng là điểm cần kiểm tra (di chuột vào ô để xem ghi chú). "
        "Sửa ngay trên tệp này rồi gửi lại; nếu tệp đã gửi bị từ chối, hãy điền báo cáo vào tệp này "
        "(đúng mẫu của kỳ) rồi gửi lại.",
        fmt.subtitle,
    )
    _prepare(ws, 3, widths, f"Phản hồi — {unit} — {period.label}")
    for col, label in enumerate(L.FEEDBACK_HEADERS):
        ws.write_string(3, col, label, fmt.header)
    for row, item in enumerate(rows, start=4):
        level = item.get(L.FEEDBACK_SEVERITY, "")
        f = fmt.error if level == "Lỗi" else fmt.warning
        for col, label in enumerate(L.FEEDBACK_HEADERS):
            ws.write_string(row, col, item.get(label, ""), f if label == L.FEEDBACK_SEVERITY else fmt.text)


def _write_meta(ws: Worksheet, values: Mapping[str, str]) -> None:
    ws.hide()
    ws.protect("", {})
    for row, key in enumerate(L.META_KEYS):
        ws.write_string(row, 0, key)
        ws.write_string(row, 1, values[key])


def write_template(
    cat: Catalogue,
    unit_code: str,
    period: Period,
    path: Path,
    filled: Filled | None = None,
    generated: date | None = None,
) -> Path:
    """Write one unit's workbook for a period to ``path`` (atomically) and return the path."""
    filled = filled or Filled()
    generated = generated or generated_date()
    unit = cat.unit_name(unit_code)
    sheets = cat.sheets_for(unit_code, period)
    indicators = cat.indicators_of(unit_code, period.kind) if "indicators" in sheets else ()
    meta = {
        "template_version": L.TEMPLATE_VERSION,
        "unit_code": unit_code,
        "period": period.id,
        "generated_at": generated.isoformat(),
        "catalogue_version": cat.version,
    } | dict(filled.meta)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            # in_memory: no temporary file per part (a third faster, same content)
            {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True},
        )
        wb.set_properties(
            {
                "title": f"Báo cáo chuyển đổi số — {unit} — {period.label}",
                "author": cat.locality.name,
                "company": cat.locality.name,
                "comments": f"dti template {L.TEMPLATE_VERSION}",
                "created": datetime(generated.year, generated.month, generated.day),
            }
        )
        fmt = _Formats(wb)
        if filled.feedback:
            _write_feedback(wb.add_worksheet(L.SHEET_FEEDBACK), fmt, filled.feedback, unit, period)
        _write_guide(wb.add_worksheet(L.SHEET_GUIDE), fmt, cat, unit, period, bool(indicators))
        _write_info(wb.add_worksheet(L.SHEET_INFO), fmt, cat, unit, period, filled)
        tasks_ws = wb.add_worksheet(L.SHEET_TASKS)
        _write_tasks(tasks_ws, fmt, cat, unit_code, unit, period, filled)
        if indicators:
            _write_indicators(
                wb.add_worksheet(L.SHEET_INDICATORS), fmt, cat, indicators, unit, period, filled
            )
        _write_meta(wb.add_worksheet(L.SHEET_META), meta)
        (tasks_ws if not filled.feedback else wb.worksheets()[0]).activate()
        wb.close()
    return path


def write_templates(
    cat: Catalogue,
    period: Period,
    out_dir: Path,
    units: Iterable[str] | None = None,
    progress: Callable[[Iterable[str]], Iterable[str]] = lambda it: it,
) -> list[Path]:
    """Write the templates of every expected unit (or of ``units``) into ``out_dir/<period>/``."""
    codes = list(units) if units else list(cat.expected_units(period))
    folder = out_dir / period.id
    folder.mkdir(parents=True, exist_ok=True)
    generated = generated_date()
    return [
        write_template(cat, code, period, folder / template_name(period, code), generated=generated)
        for code in progress(codes)
    ]


def cell_of(cat: Catalogue, unit_code: str, period: Period, key: tuple[str, str, str]) -> str:
    """The A1 cell of (sheet, row key, column label) in the unit's template, or "" when absent."""
    from pipeline.intake import a1

    sheet, row_key, label = key
    if sheet == L.SHEET_INFO and label in L.INFO_LABELS:
        return a1(L.INFO_LABELS.index(label) + 1, 1)
    if sheet == L.SHEET_TASKS and label in L.TASK_HEADERS:
        ids = list(cat.task_ids_of(unit_code))
        if row_key in ids:
            return a1(FIRST_TASK_HEADER_ROW + 1 + ids.index(row_key), L.TASK_HEADERS.index(label))
    if sheet == L.SHEET_INDICATORS and label in L.IND_HEADERS:
        ids = [f.id for ind in cat.indicators_of(unit_code, period.kind) for f in ind.fields]
        if row_key in ids:
            return a1(FIRST_TASK_HEADER_ROW + 1 + ids.index(row_key), L.IND_HEADERS.index(label))
    return ""
