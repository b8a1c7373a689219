"""Sentences that are not issues: the command line, the catalogue check, periods, workbook
titles and notes, feedback notes. Grouped by who reads them."""

from __future__ import annotations

from pipeline.base.messages.text import Text

# --- periods ----------------------------------------------------------------------------------
PERIOD_FORMS = "Hãy ghi YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm), ví dụ: 2023-10, 2023-Q4, 2023."
PERIOD_BAD = Text("«{text}» không phải kỳ báo cáo hợp lệ. " + PERIOD_FORMS)
PERIOD_BAD_MONTH = Text("«{text}» không phải kỳ báo cáo hợp lệ: không có tháng {month}. " + PERIOD_FORMS)

# --- Excel data validation in the templates (titles at most 32 characters, messages 255) ----------
EXCEL_LIST_ERROR_TITLE = "Giá trị không hợp lệ"
EXCEL_STATUS_INPUT = Text("Chọn trong danh sách: {values}.")
EXCEL_STATUS_ERROR = Text("Chỉ chọn một giá trị trong danh sách: {values}.")
EXCEL_YES_NO_INPUT = Text("Chọn {yes} hoặc {no}.")
EXCEL_YES_NO_ERROR = Text("Chỉ chọn {yes} hoặc {no}.")
EXCEL_NUMBER = "số"
EXCEL_INTEGER = "số nguyên"
EXCEL_NUMBER_INPUT = Text("{hint} Chỉ nhập {kind} ≥ {minimum}.")
EXCEL_NUMBER_ERROR_TITLE = "Phải nhập số"
EXCEL_NUMBER_ERROR = Text("Ô này chỉ nhận {kind} lớn hơn hoặc bằng {minimum}, không ghi chữ.")
EXCEL_DATE_INPUT = "Nhập ngày dạng ngày/tháng/năm, ví dụ 15/12/2023."
EXCEL_DATE_ERROR_TITLE = "Ngày không hợp lệ"
EXCEL_DATE_ERROR = "Hãy nhập một ngày, ví dụ 15/12/2023."
EXCEL_RESULT_TITLE = "Kết quả (số liệu)"
EXCEL_RESULT_HINT_TARGET = Text("Chỉ tiêu: {target}.")
EXCEL_RESULT_HINT = "Số liệu kết quả, nếu có."
EXCEL_RESULT_PERCENT = Text("Chỉ tiêu: {target}. Ghi tỷ lệ phần trăm, từ 0 đến 100.")
EXCEL_PERCENT_ERROR = "Ô này chỉ nhận số từ 0 đến 100 (tỷ lệ phần trăm), không ghi chữ."
EXCEL_RESULT_YES_NO = Text("Chọn {yes} nếu đơn vị đã đạt chỉ tiêu, {no} nếu chưa.")

# --- score explanations (Chi tiết chỉ số) -----------------------------------------------------------
SCORE_NOT_REPORTED = "Chưa báo cáo → 0 điểm"
SCORE_INPUT_MISSING = Text("Thiếu giá trị hợp lệ của {fields} → 0 điểm")
SCORE_ZERO = Text("{reason} → 0 điểm")
SCORE_POINTS = Text("{reason} → {points} điểm")
SCORE_SELF_ONLY = Text("{reason} → {points} điểm tự chấm; thiếu minh chứng → 0 điểm được công nhận")
SCORE_NO_RATIO = Text("{reason}: không tính được tỷ lệ")
SCORE_CAPPED = Text("{reason} = {raw}, tối đa")

# --- the catalogue (schemas/): problems name the file, row and column; `dti catalogue check` ---
CAT_NO_FOLDER = Text("{path}: không có thư mục danh mục (schemas directory not found)")
CAT_FILE_MISSING = Text("{path}: thiếu tệp (file not found)")
CAT_FILE_UNREADABLE = Text("{path}: không đọc được ({error})")
CAT_YAML_SYNTAX = Text("{path}: YAML sai cú pháp: {error}")
CAT_YAML_NOT_MAPPING = Text("{path}: phải là một bảng khóa: giá trị (mapping)")
CAT_TABLE_PROBLEM = Text("{file}, {where}, cột {column}: {check} (giá trị: {value})")
CAT_LINE = Text("dòng {line}")
CAT_WHOLE_TABLE = "toàn bảng"
CAT_CHECK_UNIT_TOKENS = "mã đơn vị hoặc nhóm có trong units.csv/aliases.yaml"
CAT_CHECK_DUE_DATE = "ngày ISO (2023-12-31), ngày hằng năm (--12-31) hoặc để trống"
CAT_CHECK_LEAD_UNITS = "mỗi nhiệm vụ phải có đơn vị báo cáo"
CAT_CHECK_TASK_APPENDIX = "task_id phải bắt đầu bằng phụ lục"
CAT_CHECK_TARGET_SCOPE = "target và target_scope cùng có hoặc cùng trống"
CAT_CHECK_TARGET_AGGREGATE = (
    "target_aggregate (sum, latest, min) chỉ dùng cho chỉ tiêu năm (target_scope annual)"
)
CAT_CHECK_BY_DATE = "nhiệm vụ by_date cần due_date dạng 2023-12-31"
CAT_CHECK_SAME_AS = "same_as phải là task_id của một nhiệm vụ khác trong tasks.csv"
CAT_CHECK_SAME_AS_SELF = "same_as không được là chính nhiệm vụ đó"
CAT_CHECK_FEEDS = "feeds phải là mã chỉ số có trong indicators.yaml, cách nhau bởi dấu cách"
CAT_CHECK_TARGET_LEVEL = "target_level và target_aggregate chỉ ghi khi có target"
CAT_GROUP_KINDS = Text("aliases.yaml, groups.{group}: loại đơn vị không hợp lệ {kinds}")
CAT_GROUP_IS_UNIT = Text("aliases.yaml: tên nhóm trùng với mã đơn vị: {names}")
CAT_NOT_A_NUMBER = Text("{where}: phải là một số (đang là {value})")
CAT_INDICATOR_WHERE = Text("indicators.yaml, chỉ số thứ {n} (id {id})")
CAT_CHECK_WHERE = Text("indicators.yaml, checks thứ {n}")
CAT_FIELD_DUPLICATE = Text("{where}: trường {field} bị trùng")
CAT_FIELD_TYPE = Text("{where}, trường {field}: type phải là một trong {types}")
CAT_FIELD_BOUNDS = Text("{where}, trường {field}: {key}")
CAT_FIELD_WHERE = Text("{where}, trường {field}, {key}")
CAT_NO_FIELDS = Text("{where}: cần ít nhất một trường nhập (fields)")
CAT_RESPONSIBLE = Text("{where}: responsible có mã không có trong units.csv: {codes}")
CAT_EMPTY = "trống"
CAT_PERIODS = Text("{where}: periods phải thuộc {kinds}")
CAT_MAX_SCORE = Text("{where}: max_score phải lớn hơn 0")
CAT_PILLAR = Text("{where}: pillar phải là một trong {pillars}")
CAT_KEY = Text("{where}: thiếu hoặc sai khóa {key}")
CAT_INDICATOR_DUPLICATE = Text("indicators.yaml: chỉ số {id} bị trùng")
CAT_RULE_KIND = Text("{where}: rule.kind phải là một trong {kinds}")
CAT_RULE_FIELD = Text("{where}: rule.field {field} không phải trường của chỉ số này")
CAT_RULE_OF = Text("{where}: rule.of {field} không phải trường của chỉ số này")
CAT_RULE_NEEDS = Text("{where}: rule {kind} cần khóa '{key}'")
CAT_RULE_YES_NO = Text("{where}: rule {kind} cần trường kiểu yes_no")
CAT_RULE_NUMBER = Text("{where}: rule {kind} cần trường kiểu số")
CAT_RULE_STEP = Text("{where}: mỗi bậc của rule tiers cần at_least và points là số")
CAT_CHECK_FIELD = Text("{where}: trường {field} không có trong indicators.yaml")
CAT_CHECK_OP = Text("{where}: op phải thuộc {ops}, severity là error hoặc warning")
CAT_CHECK_ONE_OF = Text("{where}: cần đúng một trong other, registry, value")
CAT_CHECK_TIMES = Text("{where}: times phải là một số hoặc 'weeks'")
CAT_PERIOD_KIND_MISSING = Text("calendar.yaml, period_kinds.{kind}: thiếu")
CAT_DEADLINE = Text("calendar.yaml, period_kinds.{kind}.deadline: cần day (1-28) và có thể có month (1-12)")
CAT_EXPECTED = Text("calendar.yaml, period_kinds.{kind}.expected: mã không có trong units.csv: {codes}")
CAT_SHEETS = Text("calendar.yaml, period_kinds.{kind}.sheets: chỉ được {sheets}")
CAT_OVERRIDE = Text("calendar.yaml, overrides.{period}: cần một ngày dạng 2023-12-22")
CAT_AUTHORITY = Text(
    "{file}, authority: thiếu hoặc không phải một bảng khóa (cần name, title, short_name, level, header, place)"
)
CAT_LOCALITY_KEY = Text("{file}, {key}: {need}")
LOC_NEED_TEXT = "thiếu hoặc trống (cần một chuỗi văn bản)"
LOC_NEED_OPTIONAL_TEXT = 'phải là một chuỗi văn bản (để trống thì ghi "")'
LOC_NEED_CODE = (
    "cần mã của địa phương viết hoa, không dấu, chỉ gồm chữ A-Z, chữ số và dấu gạch dưới "
    "(ví dụ TP_THAI_BINH): mã này có trong tên tệp gửi tỉnh"
)
LOC_NEED_ADMIN_CODE = 'cần mã đơn vị hành chính gồm các chữ số, đặt trong ngoặc kép (ví dụ "336")'
LOC_NEED_LINES = "cần một danh sách các dòng chữ không trống (ví dụ [ỦY BAN NHÂN DÂN, THÀNH PHỐ THÁI BÌNH])"
LOC_NEED_REPORT = "cần một bảng khóa: giá trị (symbol, recipient, copies, archive, signer, plan)"
LOC_NEED_SIGNER = "cần một bảng khóa: giá trị (authority, title, name)"
CAT_AUTHORITY_KEY = Text("{file}, authority.{key}: thiếu hoặc trống (cần một chuỗi văn bản)")
CAT_RECEIVER = Text(
    "{file}, receiver: thiếu hoặc sai (cần mã đơn vị nhận báo cáo có trong units.csv, ví dụ VHTT)"
)
CAT_RECEIVER_UNKNOWN = Text("{file}, receiver: mã đơn vị {code} không có trong units.csv")
CAT_VOCABULARY_KEY = Text("{file}, {key}: {need}")
CAT_VOCABULARY_MAPPING = "cần một bảng khóa: giá trị (mapping) không trống"
CAT_VOCABULARY_LIST = 'cần một danh sách các từ, mỗi từ đặt trong ngoặc kép ("yes")'
CAT_VOCABULARY_MEASURE = 'cần đơn vị đo viết bằng chữ, đặt trong ngoặc kép ("lần/tuần", "%")'
CAT_VOCABULARY_KIND = "cần label (chuỗi) và ranked (true/false)"
CAT_VOCABULARY_STATUS = Text("cần một trong các giá trị {values}, không phải {value}")
CAT_UNIT_KIND = Text("units.csv, cột kind: {kinds} không có trong vocabulary.yaml, unit_kinds")
CAT_ANOMALY_DEADLINE = Text(
    "{task}: cột thời hạn ghi '{text}', không phải một thời hạn (lỗi của văn bản gốc) → tần suất '{frequency}'"
)
CAT_ANOMALY_DEADLINE_DIFFERS = Text(
    "{task}: thời hạn '{text}' thường là {known}, tasks.csv ghi ({frequency}, {due})"
)
CAT_ANOMALY_TWIN_DEADLINE = Text(
    "{task} là nhiệm vụ trùng với {twin} (same_as) nhưng thời hạn khác nhau ('{text}' / '{twin_text}'): "
    "mỗi nhiệm vụ giữ thời hạn của mình"
)
CAT_ANOMALY_TWIN_TEXT = Text(
    "{task} khai báo trùng với {twin} (same_as) nhưng nội dung khác vài chữ: hãy kiểm tra"
)
CAT_ANOMALY_TWIN_UNDECLARED = Text("{task} trùng nội dung với {twin} nhưng chưa khai báo same_as")
CAT_ANOMALY_UNRESOLVED = Text("{task}: không nhận ra đơn vị '{text}' trong cột {column}")
CAT_ANOMALY_LEAD_COLUMN = "chủ trì"
CAT_ANOMALY_SUPPORT_COLUMN = "phối hợp"
CAT_ANOMALY_LEAD = Text("{task}: lead_units '{units}' khác với văn bản gốc ({resolved})")
CAT_ANOMALY_SUPPORT = Text("{task}: support_units '{units}' khác với văn bản gốc ({resolved})")
EVIDENCE_TEXT_DEFAULT = "có số liệu, văn bản chứng minh"

# --- dti catalogue check ---------------------------------------------------------------------------
CHECK_ROOT = Text("Danh mục: {root} (phiên bản {version})")
CHECK_LOCALITY = Text("Địa phương: {name} ({title}), mã {code}, mã đơn vị hành chính {admin_code}")
CHECK_REPORT_FORM = Text(
    "Báo cáo gửi tỉnh: Số …/{symbol}; Kính gửi: {recipient}; Nơi nhận: {copies} nơi và Lưu: {archive}; "
    "người ký: {signer}"
)
CHECK_FILES = Text("Tệp gửi tỉnh: BaoCao_DTI_{code}_<kỳ>.xlsx và BaoCao_DTI_{code}_<kỳ>.docx")
CHECK_RECEIVER = Text("Nơi nhận báo cáo: {short_name} (qua {receiver}, mã {code}; {contact})")
CHECK_NO_CONTACT = "chưa có email, điện thoại trong units.csv"
CHECK_UNITS = Text("Đơn vị: {count} ({kinds})")
CHECK_TASKS = Text("Nhiệm vụ: {count} ({appendices})")
CHECK_TASKS_BY_PILLAR = "Nhiệm vụ theo trụ cột:"
CHECK_TWINS = Text("Nhiệm vụ trùng nhau (same_as, điền một lần, tính cho cả hai): {count} ({pairs})")
CHECK_TWIN_PAIR = Text("{count} giữa {first} và {second}")
CHECK_TARGETS = Text(
    "Ghi chú: {targets} chỉ tiêu, {references} căn cứ; chỉ tiêu định lượng theo cấp: {levels}; "
    "nhiệm vụ gắn với chỉ số: {feeds}"
)
CHECK_UNITS_PER_TASK = Text(
    "Đơn vị báo cáo mỗi nhiệm vụ: ít nhất {min}, nhiều nhất {max}, trung bình {mean}; tổng {total} phân công"
)
CHECK_TASKS_PER_UNIT = (
    "Số nhiệm vụ mỗi đơn vị (số dòng trên trang Nhiệm vụ, nhiệm vụ trùng nhau chung một dòng):"
)
CHECK_UNIT_TASKS = Text("  {code:<16} {count:>3} ({rows:>2} dòng)  {name}")
CHECK_INDICATORS = Text("Chỉ số (Phụ lục 04): {count}")
CHECK_INDICATOR = Text("  {id:<5} tối đa {max} điểm, {units} đơn vị, trường {fields}, quy tắc {kind}: {name}")
CHECK_ANOMALIES = Text("Điểm bất thường trong văn bản gốc ({count}):")
CHECK_VOCABULARY = Text(
    "Từ vựng: {pillars} lĩnh vực, {appendices} phụ lục, {kinds} loại đơn vị (xếp hạng: {ranked}), "
    "{statuses} cách viết khác của Tình trạng, {yes_no} cách viết khác của Có/Không, {ask} từ phải hỏi lại "
    "(không hiểu là Có), {placeholders} cách ghi không phải minh chứng"
)
CHECK_VALID = "Danh mục hợp lệ."
CHECK_BROKEN = "Danh mục (schemas) có lỗi:"

# --- dti validate ------------------------------------------------------------------------------------
VALIDATE_FILE = Text("Tệp {file}:")
VALIDATE_SKIPPED = Text(
    "Bỏ qua {count} tệp khóa hoặc tệp tạm của Excel/LibreOffice (không phải báo cáo): {files}."
)
VALIDATE_VALID = "Hợp lệ"
VALIDATE_INVALID = "Có lỗi phải sửa"
VALIDATE_VERDICT = Text("{verdict}: {files} tệp, {errors} lỗi, {warnings} cảnh báo.")

# --- the unit's template and feedback file ---------------------------------------------------------
TPL_TASKS_TITLE = "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ NÂNG CAO CHỈ SỐ DTI"
TPL_INDICATORS_TITLE = "BÁO CÁO CÁC CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ (PHỤ LỤC 04)"
TPL_SUBTITLE = Text("Đơn vị: {unit} — Kỳ báo cáo: {period} — Hạn nộp: {deadline}")
TPL_FILL_ONLY = (
    "Chỉ điền vào các ô màu vàng nhạt; không sửa, không xóa các cột khác. Ô chuyển màu đỏ là lỗi, "
    "màu vàng đậm là cần điền hoặc kiểm tra."
)
TPL_FILL_TASKS = (
    "Chỉ điền vào các ô màu vàng nhạt. Ô chuyển màu đỏ là lỗi, màu vàng đậm là chưa chọn Tình trạng. "
    "Nhiệm vụ phát sinh của đơn vị: ghi vào các dòng trống cuối bảng, để trống cột «Mã nhiệm vụ»."
)
TPL_LINE_TASKS = Text("Còn {left} nhiệm vụ chưa chọn Tình trạng · {errors} ô lỗi")
TPL_LINE_TASKS_DONE = "Đã chọn Tình trạng cho mọi nhiệm vụ, không còn ô lỗi."
TPL_LINE_INDICATORS = Text("Còn {left} ô chưa nhập giá trị · {errors} ô lỗi · {warnings} ô cần kiểm tra")
TPL_LINE_INDICATORS_DONE = "Đã nhập đủ giá trị, không còn ô lỗi."
TPL_LINE_INFO = Text("Còn {left} ô cần điền · {warnings} ô cần kiểm tra")
TPL_LINE_INFO_DONE = "Đã điền đủ thông tin người báo cáo."
TPL_NOTE_TARGET = Text("Chỉ tiêu: {note}")
TPL_NOTE_REFERENCE = Text("Căn cứ: {note}")
TPL_NOTE_LEAD = Text("Chỉ tiêu ({lead} báo cáo số liệu): {note}")
TPL_NOTE_CITY_ANSWER = Text(
    "Chỉ tiêu của {level}: {note}. Đơn vị chọn «{yes}» nếu đã đạt, «{no}» nếu chưa, ở cột «{column}»."
)
TPL_NOTE_CITY_LEAD = Text(
    "Chỉ tiêu của {level}: {note}. Tỷ lệ tính từ câu trả lời «{yes}»/«{no}» của {units}."
)
TPL_PROVINCE_LEADS = Text("({body} chủ trì)")
TPL_TWIN_LINE = Text("{appendix}: {text}")
TPL_PAGE_HEADER = Text("{unit} — {period}")
TPL_PAGE_FOOTER = "Trang &P / &N"  # xlsxwriter codes: page number / page count
TPL_APPENDIX = Text("Phụ lục {number}")
TPL_DOC_TITLE = Text("Báo cáo chuyển đổi số — {unit} — {period}")
TPL_WEEKLY = "Hằng tuần"
TPL_ANNUAL = "Hằng năm"
TPL_ANNUAL_BY = Text("Hằng năm, trước {day}")
TPL_ONGOING = "Thường xuyên"
TPL_BY_DATE = Text("Trước {day}")
TPL_UNSPECIFIED = "Không quy định"
FEEDBACK_TITLE = Text("KẾT QUẢ KIỂM TRA BÁO CÁO — {unit} — {period}")
FEEDBACK_SUBTITLE = (
    "Ô màu đỏ là lỗi phải sửa, ô màu vàng là điểm cần kiểm tra (di chuột vào ô để xem ghi chú). "
    "Sửa ngay trên tệp này rồi gửi lại; nếu tệp đã gửi bị từ chối, hãy điền báo cáo vào tệp này "
    "(đúng mẫu của kỳ) rồi gửi lại."
)
FEEDBACK_PAGE_HEADER = Text("Phản hồi — {unit} — {period}")
FEEDBACK_KEPT_RETURN = Text(
    "Kỳ này vẫn tổng hợp theo tệp «{file}» đã nhận trước đó; tệp phản hồi này mang số liệu của tệp đó."
)
FEEDBACK_NEW_TEMPLATE_FILLED = Text(
    "Tệp phản hồi này là mẫu mới (phiên bản {version}) của kỳ {period}, đã chép sẵn "
    "các giá trị đọc được từ tệp đã gửi: hãy kiểm tra, điền bổ sung rồi gửi lại chính tệp này."
)
FEEDBACK_BLANK_TEMPLATE = Text(
    "Tệp phản hồi này là mẫu của kỳ {period} dành cho đơn vị, chưa có số liệu: hãy điền "
    "số liệu của kỳ này vào đó rồi gửi lại chính tệp này."
)
FEEDBACK_REFUSAL = Text("{message} {note}")
FEEDBACK_FIELD_TASK = Text("{task} – {label}")  # an issue's field on Nhiệm vụ, in the feedback's list
CHANGES_TITLE = Text("NHỮNG THAY ĐỔI TRONG BÁO CÁO — {unit} — {period}")
CHANGES_PAGE_HEADER = Text("Thay đổi — {unit} — {period}")
CHANGES_SINCE_VERSION = Text("So với lần gửi trước của kỳ này (tệp «{file}», nhận ngày {day}): {what}")
CHANGES_SINCE_PERIOD = Text("So với báo cáo {previous} (tệp «{file}»): {what}")
CHANGES_EVERY_CELL = Text("{count} ô đã sửa (mọi ô có giá trị khác lần gửi trước).")
CHANGES_KEY_CELLS = Text(
    "{count} ô thay đổi; chỉ so «{status}» và «{result}» của nhiệm vụ, «{value}» của chỉ số."
)
CHANGES_NOTHING = "không có ô nào thay đổi."
CHANGES_HOW_TO_READ = Text(
    "Cột «{before}» là giá trị trong báo cáo được so sánh, cột «{after}» là giá trị trong báo cáo này; "
    "«{blank}» là ô chưa điền. Cột «{cell}» chỉ ô tương ứng trong tệp này."
)
CHANGES_NO_ISSUES = "Báo cáo không có lỗi hay điểm cần kiểm tra: không cần gửi lại tệp này."

# --- the province workbook ---------------------------------------------------------------------------
WB_TITLE_MONTH = Text("Báo cáo tiến độ thực hiện nhiệm vụ {period}")
WB_TITLE = Text("Báo cáo kết quả thực hiện nhiệm vụ và chỉ số chuyển đổi số (DTI) {period}")
WB_SUBJECT = "Chỉ số chuyển đổi số (DTI)"
WB_DOC_TITLE = Text("{title} — {authority}")
WB_SAMPLE_TITLE = Text("[{mark}] {title}")
WB_APPENDIX_OF = Text(
    "(Kèm theo Báo cáo số {number}/{symbol} ngày {day} tháng {month} năm {year} của {authority})"
)
WB_MADE = Text("Số liệu tính đến ngày {made_on}; hạn nộp báo cáo của các đơn vị: {deadline}.")
WB_PAGE_HEADER = Text("{authority} — {sheet}")
WB_COMMENTS = Text("dti {version}, {code}, {period}")
WB_SECTION_RATES = Text("{n}. Tình hình nộp báo cáo")
WB_SECTION_INDICATORS = Text("{n}. Điểm các chỉ số của {level} (Phụ lục 04)")
WB_NO_INDICATORS = "Kỳ báo cáo này không chấm điểm chỉ số."
WB_SECTION_PILLARS = Text("{n}. Tiến độ thực hiện nhiệm vụ theo lĩnh vực")
WB_SECTION_CHARTS = Text("{n}. Biểu đồ")
WB_SECTION_UNITS = Text("{n}. Tiến độ thực hiện nhiệm vụ theo đơn vị")
WB_TOO_MANY_UNITS = Text("{count} đơn vị: xem trang «{sheet}» và tệp data/tasks.csv.")
WB_NO_CHART_DATA = "Không có số liệu để vẽ biểu đồ."
WB_CHART_SCORES = "Điểm đạt được so với điểm tối đa của từng đơn vị (%)"
WB_CHART_SUBMISSIONS = "Tình hình nộp báo cáo theo khối đơn vị"
WB_CHART_PILLARS = "Tỷ lệ hoàn thành nhiệm vụ theo lĩnh vực (%)"
WB_SCORES_CUT = Text(
    "Có {rows} dòng đơn vị × chỉ số, nhiều hơn {limit} dòng: trang này chỉ liệt kê các chỉ số chưa đạt "
    "điểm tối đa; đầy đủ trong tệp data/scores.csv."
)
WB_TASKS_CUT = Text(
    "Có {rows} dòng nhiệm vụ × đơn vị, nhiều hơn {limit} dòng: trang này chỉ tổng hợp theo nhiệm vụ; "
    "số liệu chi tiết của từng đơn vị nằm trong tệp data/tasks.csv."
)
# How each sheet's figures are computed: one line above its table.
WB_HOW_RATES = (
    "Tỷ lệ nộp = số đơn vị đã nộp (đúng hạn và nộp muộn) / số đơn vị phải nộp × 100; "
    "đúng hạn: nhận đến hết ngày hạn nộp."
)
WB_HOW_INDICATORS = (
    "Điểm trung bình = tổng điểm được công nhận / số đơn vị phụ trách; đơn vị chưa nộp, thiếu số liệu "
    "hoặc thiếu minh chứng được tính 0 điểm."
)
WB_HOW_PILLARS = (
    "Tỷ lệ hoàn thành = số lượt hoàn thành có minh chứng / (số lượt được giao − số lượt không phát sinh) "
    "× 100; lượt «Hoàn thành, thiếu minh chứng» chưa được tính là hoàn thành."
)
WB_HOW_SCORES = Text(
    "Tỷ lệ (%) = Tổng điểm / Điểm tối đa của đơn vị × 100. Xếp hạng chung các {ranked} đã nộp báo cáo "
    "theo tỷ lệ (bằng nhau thì cùng hạng); đơn vị chưa nộp ghi «{not_sent}», không xếp hạng."
)
WB_HOW_SCORES_UNRANKED = Text(
    "Tỷ lệ (%) = Tổng điểm / Điểm tối đa của đơn vị × 100; đơn vị chưa nộp ghi «{not_sent}»."
)
WB_HOW_DETAIL = (
    "Điểm được công nhận = điểm tự chấm theo cách chấm của chỉ số khi có minh chứng; thiếu minh chứng "
    "hoặc thiếu số liệu hợp lệ: 0 điểm."
)
WB_HOW_PROGRESS = Text(
    "Tình trạng do đơn vị báo cáo; «{unproven}»: ghi hoàn thành nhưng thiếu minh chứng hoặc thiếu số liệu, "
    "chưa tính là hoàn thành. Đạt chỉ tiêu: số liệu so với chỉ tiêu của Kế hoạch; chỉ tiêu năm được "
    "đánh giá ở kỳ báo cáo quý và năm trên số liệu các tháng trong năm (cộng dồn các tháng hoặc lấy "
    "tháng gần nhất, tùy chỉ tiêu), và cột Kết quả (số liệu) ghi số đã đánh giá."
)
WB_HOW_SUBMISSIONS = (
    "Đúng hạn: nhận đến hết ngày hạn nộp; nộp muộn: nhận sau hạn nộp. Đơn vị gửi nhiều lần: tính tệp "
    "nhận sau cùng, các tệp trước ghi «Đã thay thế»."
)
WB_HOW_ISSUES = (
    "Lỗi: giá trị không được tính vào kết quả, đơn vị phải sửa; cảnh báo: giá trị vẫn được tính, đơn vị "
    "cần kiểm tra. Mỗi đơn vị có lỗi hoặc cảnh báo nhận một tệp phản hồi riêng."
)
WB_HOW_DIFFICULTIES = (
    "Nguyên văn nội dung «Khó khăn, vướng mắc» các đơn vị ghi trong báo cáo, theo lĩnh vực và nhiệm vụ."
)
WB_NO_DIFFICULTIES = "Trong kỳ, các đơn vị không phản ánh khó khăn, vướng mắc."
# a quarter's or a year's tasks, from each unit's latest month
WB_TASKS_FROM = Text(
    "Tiến độ nhiệm vụ {period} lấy từ báo cáo tháng gần nhất của từng đơn vị trong kỳ ({sources})."
)
TASKS_FROM_ITEM = Text("{month}: {units} đơn vị")
TASKS_FROM_NONE = Text("chưa có báo cáo tháng nào trong kỳ: {units} đơn vị")
# `Diễn biến`: the stored periods
WB_HISTORY_TITLE = Text("Diễn biến qua các kỳ báo cáo, đến {period}")
WB_HISTORY_SHOWN = (
    "Số liệu các kỳ đã lưu trong kho dữ liệu (tối đa 12 tháng, 4 quý và 2 năm gần nhất; "
    "toàn bộ các kỳ trong tệp data/history.csv)."
)
WB_HISTORY_RATES = Text("{n}. Tình hình nộp báo cáo qua các kỳ")
WB_HISTORY_UNITS = Text("{n}. Tình hình nộp báo cáo của từng đơn vị qua các {kinds}")
WB_HISTORY_HOW_UNITS = "Ô để trống: kỳ đó đơn vị không phải nộp báo cáo."
WB_HISTORY_REPEAT = Text("{n}. Đơn vị nộp muộn hoặc chưa nộp nhiều lần")
WB_HISTORY_HOW_REPEAT = Text(
    "Đơn vị nộp muộn hoặc chưa nộp ít nhất {times} trong {window} kỳ gần nhất cùng loại (tháng, quý, năm)."
)
WB_HISTORY_NO_REPEAT = "Không có đơn vị nào nộp muộn hoặc chưa nộp nhiều lần."
WB_HISTORY_MEANS = Text("{n}. Điểm trung bình toàn {level} của từng chỉ số")
WB_HISTORY_HOW_MEANS = (
    "Điểm trung bình = tổng điểm được công nhận / số đơn vị phụ trách chỉ số trong kỳ; đơn vị chưa nộp "
    "được tính 0 điểm."
)
WB_HISTORY_TOTALS = Text("{n}. Tổng điểm chỉ số của từng đơn vị")
WB_HISTORY_HOW_TOTALS = "Tổng điểm được công nhận của đơn vị trong kỳ; đơn vị chưa nộp được tính 0 điểm."
WB_HISTORY_PILLARS = Text("{n}. Tỷ lệ hoàn thành nhiệm vụ theo lĩnh vực qua các tháng (%)")
WB_HISTORY_HOW_PILLARS = (
    "Tính như mục tiến độ theo lĩnh vực của từng kỳ: số lượt hoàn thành có minh chứng / (số lượt được "
    "giao − số lượt không phát sinh) × 100, theo báo cáo tháng."
)
WB_HISTORY_MERGED = Text("{name} (đã hợp nhất vào {successor})")
WB_CHART_HISTORY_RATES = "Số đơn vị nộp báo cáo đúng hạn, nộp muộn và chưa nộp qua các kỳ"
WB_CHART_HISTORY_PILLARS = "Tỷ lệ hoàn thành nhiệm vụ theo lĩnh vực qua các tháng (%)"
WB_FIELD_TASK = Text("{sheet} {task} – {label}")  # an issue's field on Nhiệm vụ
WB_FIELD = Text("{sheet} – {field}")

# --- the command line ----------------------------------------------------------------------------------
CLI_UNKNOWN_UNITS = Text("không có đơn vị mã {codes} trong danh mục (units.csv). Các mã hợp lệ: {valid}")
CLI_WRITING_TEMPLATES = "Đang viết mẫu"
CLI_TEMPLATES_WRITTEN = Text(
    "Đã viết {count} mẫu báo cáo kỳ {period} vào {folder}/ ({with_indicators} mẫu có trang Chỉ số)."
)
CLI_DEMO_WRITTEN = Text(
    "Đã viết {count} báo cáo mẫu kỳ {period} vào {folder}/ (chưa nộp: {missing}; nộp muộn: {late}; nộp hai lần: {twice})."
)
DEMO_MAIL_SUBJECT = Text("Báo cáo kết quả chuyển đổi số {period}")
DEMO_MAIL_BODY = Text(
    "Kính gửi {receiver},\n\n{unit} gửi báo cáo kết quả chuyển đổi số {period} theo tệp mẫu đính kèm.\n\n"
    "Trân trọng."
)
DEMO_SAMPLE_NOTE = Text(
    "{mark}. Các tệp trong thư mục này là báo cáo mẫu do lệnh dti demo tạo ra (số liệu giả định): "
    "báo cáo tổng hợp từ thư mục này được ghi vào output/demo/ và mọi trang đều ghi «{mark}»."
)
CLI_NO_INBOX = Text("không có thư mục {inbox}/: hãy đặt các tệp báo cáo của kỳ vào đó hoặc chỉ rõ --inbox")
CLI_READING = "Đang đọc báo cáo"
CLI_STATUS_WORDS = {
    "on_time": "đúng hạn",
    "late": "nộp muộn",
    "missing": "chưa nộp",
    "rejected": "bị từ chối",
    "superseded": "đã thay thế",
}
CLI_RUN_FILES = Text("Kỳ {period}: {count} tệp trong {inbox}/ — {statuses}.")
CLI_RUN_ISSUES = Text("Lỗi dữ liệu: {errors} lỗi, {warnings} cảnh báo.")
CLI_RUN_WORKBOOK = Text("Báo cáo tổng hợp (phụ lục): {path}")
CLI_RUN_NARRATIVE = Text("Báo cáo gửi tỉnh: {path}")
CLI_RUN_SAMPLE = Text(
    "{mark}: kết quả chạy trên bộ báo cáo mẫu trong {inbox}/, ghi vào {folder}/; mọi trang đều ghi "
    "«{mark}». Không gửi các tệp này lên tỉnh."
)
CLI_RUN_CSV = Text("Dữ liệu CSV: {folder}/ ({count} tệp)")
CLI_RUN_FEEDBACK = Text("Phản hồi cho đơn vị: {folder}/ ({count} tệp)")
CAT_TASKS_FROM = Text(
    "calendar.yaml, period_kinds.{kind}.tasks_from: phải là month, quarter hoặc year (loại kỳ khác với chính nó)"
)
CAT_CUMULATIVE_SHAPE = (
    "calendar.yaml, cumulative: chỉ gồm tasks (đại lượng trong cột target của tasks.csv) và "
    "indicators (mã trường số trong indicators.yaml), mỗi mục là một danh sách"
)
CAT_CUMULATIVE_FIELD = Text(
    "calendar.yaml, cumulative.indicators: «{field}» không phải trường số trong indicators.yaml"
)
CHECK_CUMULATIVE = Text("Số liệu lũy kế (không được giảm trong năm): nhiệm vụ {tasks}; chỉ số {fields}")
CHECK_CUMULATIVE_UNUSED = Text(
    "  ! calendar.yaml, cumulative: {names} không có trong danh mục (không phải đại lượng của chỉ tiêu "
    "nào trong tasks.csv, không phải trường nào trong indicators.yaml): không dùng đến"
)
CHECK_NONE = "không có"
CAT_CHECK_ISO_DATE = "ngày ISO (2025-07-01) hoặc để trống"
CAT_CHECK_VALIDITY = "valid_from phải trước hoặc bằng valid_to"
CAT_CHECK_SUCCESSOR = "successor là mã của một đơn vị khác"
CLI_SEASON_WRITTEN = Text("Đã viết {count} báo cáo mẫu của các kỳ {periods} vào {folder}/.")
CLI_SEASON_PERIOD = Text(">> {period}")
CLI_STORE_EXPORTED = Text("Đã xuất kho dữ liệu vào {folder}/: {tables} bảng, {rows} dòng.")
CLI_STORE_IMPORTED = Text("Đã nhập kho dữ liệu từ {folder}/: {tables} bảng, {rows} dòng.")
