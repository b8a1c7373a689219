"""Every word a unit or the province reads that is not a sentence: sheet names, column labels,
status, role and severity words, and the Vietnamese way of writing numbers and dates.

Sentences live in :mod:`pipeline.base.messages`; the words a locality may change (pillars,
appendices, kinds of unit, spellings a clerk may type) in ``schemas/vocabulary.yaml``. A
wording fix is one edit here. The names of the template's sheets and columns are part of the
contract (``docs/contract.md`` §5): changing one changes the template, so bump
``TEMPLATE_VERSION`` in :mod:`pipeline.base.layout` and write it in CHANGELOG.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime

# --- the template (contract §5) ---------------------------------------------------------------

SHEET_GUIDE = "Hướng dẫn"
SHEET_INFO = "Thông tin"
SHEET_TASKS = "Nhiệm vụ"
SHEET_INDICATORS = "Chỉ số"
SHEET_META = "_meta"
SHEET_FEEDBACK = "Phản hồi"  # only in feedback files: the list of issues
SHEET_CHANGES = "Thay đổi"  # only in feedback files: what changed since the unit's earlier returns

# Thông tin: label in column A, value in column B.
INFO_UNIT = "Đơn vị"
INFO_PERIOD = "Kỳ báo cáo"
INFO_DEADLINE = "Hạn nộp"
INFO_REPORTER = "Người báo cáo"
INFO_POSITION = "Chức vụ"
INFO_PHONE = "Điện thoại"
INFO_EMAIL = "Email"
INFO_DATE = "Ngày báo cáo"
INFO_HEADER = ("Thông tin", "Nội dung")

# Nhiệm vụ
TASK_ID = "Mã nhiệm vụ"
TASK_APPENDIX = "Phụ lục"
TASK_PILLAR = "Lĩnh vực"
TASK_TEXT = "Nhiệm vụ"
TASK_ROLE = "Vai trò"
TASK_DEADLINE = "Thời hạn"
TASK_TARGET = "Chỉ tiêu"
TASK_NOTE = "Chỉ tiêu, căn cứ"  # the template's column: the plan's Ghi chú, a target or a reference
NOTE_TARGET = "Chỉ tiêu"
NOTE_REFERENCE = "Căn cứ"
TASK_STATUS = "Tình trạng"
TASK_RESULT_VALUE = "Kết quả (số liệu)"
TASK_RESULT = "Kết quả thực hiện"
TASK_EVIDENCE = "Minh chứng"
TASK_PROBLEMS = "Khó khăn, vướng mắc"

# Chỉ số
IND_ID = "Mã"
IND_NAME = "Chỉ số"
IND_INPUT = "Nội dung cần nhập"
IND_MAX = "Điểm tối đa"
IND_RULE = "Cách chấm"
IND_VALUE = "Giá trị"
IND_EVIDENCE = "Minh chứng"

# Phản hồi (feedback files)
FEEDBACK_SHEET = "Trang"
FEEDBACK_CELL = "Ô"
FEEDBACK_FIELD = "Trường"
FEEDBACK_VALUE = "Giá trị"
FEEDBACK_SEVERITY = "Mức độ"
FEEDBACK_MESSAGE = "Nội dung"
FEEDBACK_SENT_CELL = "Ô trong tệp đã gửi"

# Thay đổi (feedback files): what changed since the unit's previous version and previous period
CHANGES_SINCE = "So với"
CHANGES_ITEM = "Mục"
CHANGES_TEXT = "Nội dung"
CHANGES_COLUMN = "Cột"
CHANGES_BEFORE = "Trước"
CHANGES_AFTER = "Nay"
CHANGES_PREVIOUS_VERSION = "Lần gửi trước"  # the «So với» of a change since the previous version
CHANGES_BLANK = "(trống)"  # a cell left empty, before or now

# The four values of Tình trạng, and the machine status each maps to (tasks.csv).
STATUS_NOT_STARTED = "Chưa thực hiện"
STATUS_IN_PROGRESS = "Đang thực hiện"
STATUS_DONE = "Hoàn thành"
STATUS_NOT_APPLICABLE = "Không phát sinh"
STATUS_VALUES = {
    STATUS_NOT_STARTED: "not_started",
    STATUS_IN_PROGRESS: "in_progress",
    STATUS_DONE: "done",
    STATUS_NOT_APPLICABLE: "not_applicable",
}
NOT_REPORTED = "Chưa báo cáo"  # a task row the unit left without a status

# Kinds of administrative document and their abbreviations in a document's number and symbol
# (Nghị định 30/2020/NĐ-CP, Phụ lục III): «12/QĐ-UBND» is Quyết định number 12 of the UBND.
DOCUMENT_KINDS = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "L": "Luật",
}

YES = "Có"
NO = "Không"
YES_NO = (YES, NO)

ROLE_LABELS = {"chu_tri": "Chủ trì", "phoi_hop": "Phối hợp", "tham_muu": "Tham mưu", "phat_sinh": "Phát sinh"}

# --- machine values shown in Vietnamese ---------------------------------------------------------

SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo"}
SUBMISSION_LABELS = {
    "on_time": "Đúng hạn",
    "late": "Nộp muộn",
    "missing": "Chưa nộp",
    "rejected": "Bị từ chối",
    "superseded": "Đã thay thế",
}
PERIOD_KIND_LABELS = {"month": "tháng", "quarter": "quý", "year": "năm"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_short(kind: str, year: int, month: int) -> str:
    """A period inside a title: "tháng 10/2023", "quý IV/2023", "năm 2023"."""
    if kind == "month":
        return f"tháng {month:02d}/{year}"
    if kind == "quarter":
        return f"quý {ROMAN[(month - 1) // 3 + 1]}/{year}"
    return f"năm {year}"


def period_column(kind: str, year: int, month: int) -> str:
    """A period heading a column: "Tháng 10/2023", "Quý IV/2023", "Năm 2023"."""
    short = period_short(kind, year, month)
    return short[:1].upper() + short[1:]


def period_label(kind: str, year: int, month: int) -> str:
    """A period as a unit reads it: "Tháng 10 năm 2023", "Quý IV năm 2023", "Năm 2023"."""
    if kind == "month":
        return f"Tháng {month:02d} năm {year}"
    if kind == "quarter":
        return f"Quý {ROMAN[(month - 1) // 3 + 1]} năm {year}"
    return f"Năm {year}"


# --- numbers and dates, the Vietnamese way ------------------------------------------------------


def number(x: float | int, decimals: int = 12, group: bool = False) -> str:
    """A number as a Vietnamese reader writes it: decimal comma, at most ``decimals`` decimals
    (trailing zeros dropped): ``10``, ``1,5``, ``0,33``; ``group`` adds the thousands point
    (``1.234,5``), as running text writes figures."""
    if isinstance(x, int) and not isinstance(x, bool):
        return thousands(x) if group else str(x)
    x = float(x)
    if not math.isfinite(x):
        return ""
    if x.is_integer() and abs(x) < 1e15:
        return thousands(int(x)) if group else str(int(x))
    if decimals >= 12:
        return f"{x:.12g}".replace(".", ",")
    text = f"{x:,.{decimals}f}" if group else f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(x: float) -> str:
    """A percentage (0–100) in running text, one decimal at most: ``97,2%``, ``100%``."""
    return f"{number(x, 1, group=True)}%"


def ratio(part: float, whole: float) -> str:
    """A part of a whole: ``34/36``."""
    return f"{thousands(part)}/{thousands(whole)}"


def short_number(x: float) -> str:
    """A value shown back in a message: six significant digits, decimal comma (``16``, ``2,5``)."""
    return f"{x:g}".replace(".", ",")


def thousands(n: float) -> str:
    """A count with the Vietnamese thousands mark: ``20.000`` (a float is rounded)."""
    return f"{round(n):,}".replace(",", ".")


def megabytes(size: int) -> str:
    """A file size: ``7,8 MB``."""
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def day(d: date | datetime) -> str:
    """A date: ``05/10/2023``."""
    return f"{d:%d/%m/%Y}"


def day_time(d: datetime) -> str:
    """A date and time: ``05/10/2023 08:30``."""
    return f"{d:%d/%m/%Y %H:%M}"


def day_month(d: date) -> str:
    """A day of the year: ``31/12``."""
    return f"{d:%d/%m}"


def month_year(d: date) -> str:
    """A month: ``10/2023``."""
    return f"{d:%m/%Y}"


def lower_first(text: str) -> str:
    """A phrase put inside a sentence: ``Quý IV năm 2023`` stays, ``Tháng 10`` → ``tháng 10``."""
    return text[:1].lower() + text[1:]


AND = "và"


def join_names(names: Iterable[str]) -> str:
    """Names in a sentence: ``A, B và C``; ``A; B; C`` when a name holds a comma, ``A, B, C`` when
    one holds "và" ("Phòng Văn hóa và Thông tin, UBND phường Trần Lãm")."""
    items = [n for n in names if n]
    if len(items) <= 1:
        return "".join(items)
    if any("," in n for n in items):
        return "; ".join(items)
    if any(f" {AND} " in n for n in items):
        return ", ".join(items)
    return f"{', '.join(items[:-1])} {AND} {items[-1]}"


# Excel number formats for the same conventions (the reader's Excel shows the separators of
# its own locale; these set the number of decimals and the date order).
EXCEL_DATE = "dd/mm/yyyy"
EXCEL_DATETIME = "dd/mm/yyyy hh:mm"


# --- the province workbook (contract §7) ------------------------------------------------------

SHEET_SUMMARY = "Tổng hợp"
SHEET_SCORES = "Điểm chỉ số"
SHEET_SCORE_DETAIL = "Chi tiết chỉ số"
SHEET_PROGRESS = "Tiến độ nhiệm vụ"
SHEET_SUBMISSIONS = "Nộp báo cáo"
SHEET_ISSUES = "Lỗi dữ liệu"
SHEET_HISTORY = "Diễn biến"  # the stored periods, once there are two

COL_UNIT_CODE = "Mã đơn vị"
COL_UNIT_NAME = "Tên đơn vị"
COL_UNIT_KIND = "Loại đơn vị"
COL_TOTAL = "Tổng điểm"
COL_MAX = "Điểm tối đa"
COL_PCT = "Tỷ lệ (%)"
COL_RANK = "Xếp hạng"
COL_INDICATOR_ID = "Mã chỉ số"
COL_INDICATOR = "Chỉ số"
COL_SELF_SCORE = "Điểm tự chấm"
COL_SCORE = "Điểm được công nhận"
COL_HAS_EVIDENCE = "Có minh chứng"
COL_EXPLANATION = "Giải thích"
COL_TASK_ID = TASK_ID
COL_APPENDIX = TASK_APPENDIX
COL_PILLAR = TASK_PILLAR
COL_ROLE = TASK_ROLE
COL_STATUS = TASK_STATUS
COL_RESULT_VALUE = TASK_RESULT_VALUE
COL_TARGET = TASK_TARGET
COL_OVERDUE = "Quá hạn"
COL_TARGET_MET = "Đạt chỉ tiêu"
COL_PROGRESS = "Tiến độ (%)"
COL_UNITS_ASSIGNED = "Số đơn vị được giao"
COL_REPORTED = "Đã báo cáo"
COL_DONE_PCT = "Tỷ lệ hoàn thành (%)"
COL_SUBMISSION_STATUS = "Trạng thái"
COL_RECEIVED = "Ngày nhận"
COL_DEADLINE = INFO_DEADLINE
COL_DAYS_LATE = "Số ngày muộn"
COL_FILE = "Tệp"
COL_ERRORS = "Số lỗi"
COL_WARNINGS = "Số cảnh báo"
COL_SHEET = FEEDBACK_SHEET
COL_CELL = FEEDBACK_CELL
COL_FIELD = FEEDBACK_FIELD
COL_VALUE = FEEDBACK_VALUE
COL_SEVERITY = FEEDBACK_SEVERITY
COL_CODE = "Mã lỗi"
COL_MESSAGE = FEEDBACK_MESSAGE
COL_TASKS_ASSIGNED = "Số nhiệm vụ giao"
COL_SCOPE = "Phạm vi"
COL_EXPECTED = "Phải nộp"
COL_RECEIVED_COUNT = "Đã nộp"
COL_REJECTED_FILES = "Tệp bị từ chối"
COL_RATE = "Tỷ lệ nộp (%)"
COL_ON_TIME_RATE = "Tỷ lệ đúng hạn (%)"
COL_RESPONSIBLE = "Số đơn vị phụ trách"
COL_REPORTED_UNITS = "Số đơn vị đã báo cáo"
COL_FULL_SCORE_UNITS = "Số đơn vị đạt tối đa"
COL_MEAN = "Điểm trung bình"
COL_UNITS = "Số đơn vị"
CITY_SCOPE = "Toàn {level}"  # a template: the locality's level ("thành phố")
SHEET_DIFFICULTIES = "Khó khăn, kiến nghị"
COL_TASK_TEXT = TASK_TEXT
COL_RESULT = TASK_RESULT
COL_EVIDENCE = TASK_EVIDENCE
COL_DIFFICULTY = TASK_PROBLEMS
COL_ISSUE_KIND = "Loại lỗi"
COL_UNIT = "Đơn vị"
COL_CONTENT = "Nội dung"
COL_SOURCE = "Theo báo cáo"  # the month a quarter's task row came from
COL_PERIOD_KIND = "Loại kỳ"
COL_TIMES_LATE = "Số kỳ nộp muộn"
COL_TIMES_MISSING = "Số kỳ chưa nộp"
COL_PERIODS = "Các kỳ"
STATUS_DONE_UNPROVEN = "Hoàn thành, thiếu minh chứng"  # done, but the row has an error (no evidence)
NOT_SENT = SUBMISSION_LABELS["missing"]  # a unit that sent nothing: its score and rank cells
TARGET_MET = "Đạt"
TARGET_UNMET = "Chưa đạt"
TARGET_LATER = "Đánh giá cuối năm"  # an annual target in a month or a quarter
TARGET_OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}

# --- the official form of a report (Nghị định 30/2020/NĐ-CP, Phụ lục I) ----------------------------

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
BLANK = "……"  # the number and the day: the office writes them
SIGNER_BLANK = "……………………………"  # the signer's name when locality.yaml leaves it empty
SAMPLE_MARK = "DỮ LIỆU MẪU – KHÔNG GỬI"  # every page of an output made from the demo returns
REPORT_WORD = "BÁO CÁO"
APPENDIX_WORD = "PHỤ LỤC"
RECIPIENT_LABEL = "Kính gửi:"
COPIES_LABEL = "Nơi nhận:"
