"""What the pages of ``dti serve`` say (``pipeline.web``), and ``dti links``: the units' page,
the analyst's page, the refusals, the ready message sent with each link. Plain strings are
shown as they are; a :class:`Text` is filled where it is used."""

from __future__ import annotations

from pipeline.base.messages.text import Text

# --- every page -----------------------------------------------------------------------------------
APP_TITLE = "Báo cáo Chỉ số chuyển đổi số (DTI)"
LANG = "vi"
FOOTER = Text("{receiver} · {locality}")

# --- refusals (they say nothing of which units or links exist) --------------------------------------
ERROR_TITLE = "Không mở được trang"
ERROR_LINK = (
    "Đường dẫn này không dùng được: có thể đã bị thu hồi, đã hết hiệu lực hoặc bị chép thiếu. "
    "Hãy mở lại đúng đường dẫn riêng đã được gửi cho đơn vị, hoặc liên hệ bộ phận tổng hợp để được cấp đường dẫn mới."
)
ERROR_FORBIDDEN = (
    "Trang này không mở được bằng đường dẫn của quý đơn vị. Hãy mở lại đúng đường dẫn riêng đã được gửi."
)
ERROR_NOT_FOUND = "Không có trang này."
ERROR_CSRF = (
    "Biểu mẫu đã hết hiệu lực hoặc không gửi từ trang của quý đơn vị. Hãy tải lại trang rồi gửi lại tệp."
)
ERROR_TOO_LARGE = Text(
    "Tệp gửi lên quá lớn: chỉ nhận tệp đến {limit}. Hãy kiểm tra lại tệp (đúng mẫu báo cáo, không chèn ảnh lớn)."
)
ERROR_RATE = "Quý đơn vị đã gửi quá nhiều yêu cầu trong thời gian ngắn. Hãy chờ một phút rồi thử lại."
ERROR_NO_FILE = "Chưa chọn tệp. Hãy chọn tệp báo cáo (Excel) rồi bấm «Gửi báo cáo»."
ERROR_ONE_FILE = "Mỗi lần chỉ gửi một tệp báo cáo."
ERROR_OTHER_UNIT = (
    "Tệp này không phải báo cáo của quý đơn vị (theo thông tin ghi trong tệp) nên không được nhận. "
    "Hãy gửi đúng tệp báo cáo của đơn vị mình, lập từ biểu mẫu tải ở trang này."
)
ERROR_BUSY = "Hệ thống đang bận. Hãy thử gửi lại sau ít phút."
ERROR_SERVER = "Đã có lỗi khi xử lý yêu cầu. Hãy thử lại sau ít phút; nếu vẫn lỗi, hãy báo bộ phận tổng hợp."
BACK = "Quay lại trang báo cáo"

# --- the unit's page --------------------------------------------------------------------------------
UNIT_HEADING = Text("Báo cáo DTI {period}")
UNIT_DEADLINE = Text("Hạn nộp: {day}")
DAYS_LEFT = Text("còn {days} ngày")
DAYS_TODAY = "hôm nay là ngày cuối"
DAYS_OVERDUE = Text("đã quá hạn {days} ngày")
STEP_TEMPLATE = "1. Tải biểu mẫu"
TEMPLATE_HELP = "Biểu mẫu Excel riêng của đơn vị cho kỳ này; điền đầy đủ rồi gửi lại tại đây."
TEMPLATE_LINK = "Tải biểu mẫu (Excel)"
STEP_UPLOAD = "2. Gửi báo cáo"
UPLOAD_HELP = Text(
    "Chọn tệp Excel đã điền (tối đa {limit}), rồi bấm «Gửi báo cáo». Kết quả kiểm tra hiện ngay sau khi gửi."
)
UPLOAD_LABEL = "Tệp báo cáo"
UPLOAD_BUTTON = "Gửi báo cáo"
STEP_RESULT = "3. Kết quả kiểm tra"
NO_RETURN_YET = "Đơn vị chưa gửi báo cáo nào cho kỳ này."
VERSIONS = "Các lần đã gửi"
VERSION_LABEL = Text("Lần {version}")
VERSION_RECEIVED = Text("nhận lúc {when}")
VERSION_COUNTS = "đang được tính"
VERSION_ISSUES = Text("{errors} lỗi, {warnings} cảnh báo")
VERSION_SEE = "Xem kết quả"
RESULT_HEADING = Text("Kết quả kiểm tra lần gửi {version}")
RESULT_RECEIVED = Text("Nhận lúc {when} · {status}")
RESULT_CLEAN = "Báo cáo hợp lệ: không có lỗi hay cảnh báo nào. Cảm ơn quý đơn vị."
RESULT_ERRORS = Text(
    "Báo cáo còn {errors} lỗi và {warnings} cảnh báo. Hãy sửa các ô dưới đây (trong tệp phản hồi, các ô lỗi "
    "tô đỏ, cảnh báo tô vàng) rồi gửi lại."
)
RESULT_ERRORS_ONLY = Text(
    "Báo cáo còn {errors} lỗi. Hãy sửa các ô dưới đây (trong tệp phản hồi, các ô lỗi tô đỏ) rồi gửi lại."
)
RESULT_WARNINGS = Text(
    "Báo cáo đã được nhận, còn {warnings} cảnh báo: hãy xem lại các ô dưới đây; nếu cần thì sửa và gửi lại."
)
RESULT_REFUSED = "Tệp không được nhận là báo cáo của kỳ này. Lý do và cách khắc phục ở dưới."
RESULT_SAME_FILE = "Tệp này đã được gửi trước đó; kết quả dưới đây là của lần gửi ấy."
FEEDBACK_LINK = "Tải tệp phản hồi (Excel, các ô cần sửa đã được đánh dấu)"
COL_SHEET = "Trang"
COL_CELL = "Ô"
COL_FIELD = "Mục"
COL_VALUE = "Giá trị đã ghi"
COL_SEVERITY = "Mức độ"
COL_MESSAGE = "Nội dung"
CHANNEL_LABELS = {
    "upload": "gửi qua trang này",
    "inbox": "gửi cho bộ phận tổng hợp",
    "email": "gửi qua thư điện tử",
}

# --- the analyst's page ------------------------------------------------------------------------------
ANALYST_HEADING = Text("Tổng hợp báo cáo DTI {period}")
ANALYST_PERIOD = "Kỳ báo cáo"
ANALYST_SHOW = "Xem"
ANALYST_COUNTS = Text(
    "{expected} đơn vị phải nộp · {sent} đã nộp ({on_time} đúng hạn, {late} muộn) · {missing} chưa nộp · "
    "{rejected} tệp bị từ chối"
)
ANALYST_COL_UNIT = "Đơn vị"
ANALYST_COL_STATUS = "Tình trạng"
ANALYST_COL_RECEIVED = "Nhận lúc"
ANALYST_COL_VERSIONS = "Số lần gửi"
ANALYST_COL_ERRORS = "Lỗi còn lại"
ANALYST_COL_WARNINGS = "Cảnh báo"
ANALYST_BUILD = "Lập báo cáo tổng hợp của kỳ từ dữ liệu đã nhận"
ANALYST_BUILD_HELP = (
    "Lập lại bảng tổng hợp, báo cáo gửi tỉnh và các tệp phản hồi của kỳ từ mọi báo cáo đã nhận "
    "(qua trang này và trong thư mục nhận báo cáo). Có thể mất vài chục giây."
)
ANALYST_BUILT = Text("Đã lập báo cáo kỳ {period}: {files} tệp báo cáo, {errors} lỗi, {warnings} cảnh báo.")
ANALYST_OUTPUTS = "Các tệp kết quả của kỳ"
ANALYST_NO_OUTPUTS = "Chưa lập báo cáo tổng hợp cho kỳ này."
ANALYST_REFUSED_FILES = Text("{count} tệp không xác định được đơn vị")

# --- dti links ----------------------------------------------------------------------------------------
LINK_MESSAGE = Text(
    "Kính gửi {unit}: {receiver} đề nghị quý đơn vị nộp báo cáo Chỉ số chuyển đổi số (DTI) {period} "
    "trước ngày {deadline} tại đường dẫn riêng của đơn vị: {url} . Trên trang có biểu mẫu để tải về; "
    "sau khi gửi, kết quả kiểm tra hiện ngay. Đường dẫn này chỉ dành cho quý đơn vị, xin không chuyển cho người khác."
)
ANALYST_LINK_MESSAGE = Text("Đường dẫn trang tổng hợp (chỉ dành cho bộ phận tổng hợp): {url}")
LINKS_SHEET = "Đường dẫn"
LINKS_HEADERS = ("Mã đơn vị", "Tên đơn vị", "Đường dẫn", "Nội dung gửi kèm")
LINKS_WRITTEN = Text(
    "Đã cấp {count} đường dẫn riêng cho kỳ {period}{replaced}. Tệp: {files}. "
    "Đường dẫn chỉ hiện một lần: kho dữ liệu chỉ giữ mã băm của nó."
)
LINKS_REPLACED = Text(" (các đường dẫn cũ của {count} đơn vị đã thôi hiệu lực)")
LINKS_STDOUT = "màn hình"
LINKS_REVOKED = Text("Đã thu hồi {count} đường dẫn của {who}.")
LINKS_ANALYST_WHO = "bộ phận tổng hợp"
LINKS_UNKNOWN_UNIT = Text("Không có đơn vị mã «{code}» trong danh mục đơn vị.")

# --- dti serve ----------------------------------------------------------------------------------------
SERVE_STARTED = Text(
    "Trang báo cáo DTI đang chạy tại http://{host}:{port}/ (kho dữ liệu: {store}; nhận báo cáo vào {inbox}). "
    "Bấm Ctrl+C để dừng."
)
LINKS_NEED_PERIOD = "hãy cho biết kỳ báo cáo của các đường dẫn (--period), ví dụ 2023-10."
