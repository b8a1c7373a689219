"""The template layout of contract §5: sheet names, header labels, allowed values, ``_meta`` keys.

Templates, intake, validation and feedback all read these names from here, so the layout is
defined once. Changing anything here changes the contract: bump ``TEMPLATE_VERSION`` and
write it in CHANGELOG.md.
"""

from __future__ import annotations

TEMPLATE_VERSION = "1.1"
# Older template versions whose returns are still read (same sheets and headers).
COMPATIBLE_VERSIONS = ("1.0", "1.1")

SHEET_GUIDE = "Hướng dẫn"
SHEET_INFO = "Thông tin"
SHEET_TASKS = "Nhiệm vụ"
SHEET_INDICATORS = "Chỉ số"
SHEET_META = "_meta"
SHEET_FEEDBACK = "Phản hồi"  # only in feedback files: the list of issues

FEEDBACK_SHEET = "Trang"
FEEDBACK_CELL = "Ô"
FEEDBACK_FIELD = "Trường"
FEEDBACK_VALUE = "Giá trị"
FEEDBACK_SEVERITY = "Mức độ"
FEEDBACK_MESSAGE = "Nội dung"
FEEDBACK_SENT_CELL = "Ô trong tệp đã gửi"
FEEDBACK_HEADERS = (
    FEEDBACK_SHEET, FEEDBACK_CELL, FEEDBACK_FIELD, FEEDBACK_VALUE, FEEDBACK_SEVERITY, FEEDBACK_MESSAGE,
    FEEDBACK_SENT_CELL,
)  # fmt: skip

# Thông tin: label in column A, value in column B.
INFO_UNIT = "Đơn vị"
INFO_PERIOD = "Kỳ báo cáo"
INFO_DEADLINE = "Hạn nộp"
INFO_REPORTER = "Người báo cáo"
INFO_POSITION = "Chức vụ"
INFO_PHONE = "Điện thoại"
INFO_EMAIL = "Email"
INFO_DATE = "Ngày báo cáo"
INFO_LOCKED = (INFO_UNIT, INFO_PERIOD, INFO_DEADLINE)
INFO_TO_FILL = (INFO_REPORTER, INFO_POSITION, INFO_PHONE, INFO_EMAIL, INFO_DATE)
INFO_LABELS = INFO_LOCKED + INFO_TO_FILL

# Nhiệm vụ: the header row is the first row whose column A reads TASK_ID.
TASK_ID = "Mã nhiệm vụ"
TASK_APPENDIX = "Phụ lục"
TASK_PILLAR = "Lĩnh vực"
TASK_TEXT = "Nhiệm vụ"
TASK_ROLE = "Vai trò"
TASK_DEADLINE = "Thời hạn"
TASK_TARGET = "Chỉ tiêu"
TASK_STATUS = "Tình trạng"
TASK_RESULT_VALUE = "Kết quả (số liệu)"
TASK_RESULT = "Kết quả thực hiện"
TASK_EVIDENCE = "Minh chứng"
TASK_PROBLEMS = "Khó khăn, vướng mắc"
TASK_LOCKED = (TASK_ID, TASK_APPENDIX, TASK_PILLAR, TASK_TEXT, TASK_ROLE, TASK_DEADLINE, TASK_TARGET)
TASK_TO_FILL = (TASK_STATUS, TASK_RESULT_VALUE, TASK_RESULT, TASK_EVIDENCE, TASK_PROBLEMS)
TASK_HEADERS = TASK_LOCKED + TASK_TO_FILL

# Chỉ số: the header row is the first row whose column A reads IND_ID.
IND_ID = "Mã"
IND_NAME = "Chỉ số"
IND_INPUT = "Nội dung cần nhập"
IND_MAX = "Điểm tối đa"
IND_RULE = "Cách chấm"
IND_VALUE = "Giá trị"
IND_EVIDENCE = "Minh chứng"
IND_LOCKED = (IND_ID, IND_NAME, IND_INPUT, IND_MAX, IND_RULE)
IND_TO_FILL = (IND_VALUE, IND_EVIDENCE)
IND_HEADERS = IND_LOCKED + IND_TO_FILL

META_KEYS = ("template_version", "unit_code", "period", "generated_at", "catalogue_version")

# Allowed values, and the machine status each maps to (tasks.csv).
STATUS_VALUES = {
    "Chưa thực hiện": "not_started",
    "Đang thực hiện": "in_progress",
    "Hoàn thành": "done",
    "Không phát sinh": "not_applicable",
}
STATUS_DONE = "Hoàn thành"
YES = "Có"
NO = "Không"
YES_NO = (YES, NO)

ROLE_LABELS = {"chu_tri": "Chủ trì", "phoi_hop": "Phối hợp", "tham_muu": "Tham mưu"}
