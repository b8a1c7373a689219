"""The narrative report's sentences (``BaoCao_DTI_<code>_<period>.docx``, contract §7).

Every sentence the report prints is a template here; :mod:`pipeline.outputs.narrative.compose`
decides which are said and fills them. The words of the official form (motto, ``Kính gửi:``,
``Nơi nhận:``) and the number and date formats are in :mod:`pipeline.base.vocabulary`. A
locality that words its report differently edits this module only.
"""

from __future__ import annotations

from pipeline.base.messages.text import Text

# --- the document's fixed parts (Nghị định 30/2020/NĐ-CP, Phụ lục I) ---------------------------
NUMBER_LINE = Text("Số: {number}/{symbol}")
DATE_LINE = Text("{place}, ngày {day} tháng {month} năm {year}")
COPY_AS_ABOVE = "- Như trên;"
COPY_LINE = Text("- {recipient};")
ARCHIVE_LINE = Text("- Lưu: {archive}.")
SUMMARY_MONTH = Text("Tiến độ thực hiện nhiệm vụ nâng cao Chỉ số chuyển đổi số (DTI) {period}")
SUMMARY = Text("Kết quả thực hiện Kế hoạch nâng cao Chỉ số chuyển đổi số (DTI) {period}")
DOC_TITLE = Text("{report} {summary}")
SAMPLE_TITLE = Text("[{mark}] {title}")
DOC_SUBJECT = Text("Báo cáo DTI – {code}{admin} – kỳ {period}")
DOC_ADMIN = Text(" (mã đơn vị hành chính {admin_code})")
DOC_SUBJECT_SAMPLE = Text("{subject} – {mark}")
DOC_KEYWORDS = Text("DTI; chuyển đổi số; {code}; {period}")
DOC_CATEGORY = "Báo cáo"
APPENDIX_NOTE = Text("Chi tiết tại Phụ lục kèm theo (tệp {file}).")
TASK_REF = Text("mục {item} Phụ lục {appendix}")
TASK_REF_ADDED = "nhiệm vụ phát sinh của đơn vị"
RECEIVER = Text("{short_name} (qua {office})")  # who compiles the returns, in running text
UNIT_NOTE = Text("{name} ({note})")  # a unit and what is said of it: its score, its value
QUOTED = Text("«{text}»")
MORE_UNITS = Text("{names} và {count} đơn vị khác (chi tiết tại Phụ lục)")  # a list cut short

# --- opening ------------------------------------------------------------------------------------
WHAT_MONTH = "tiến độ thực hiện nhiệm vụ"
WHAT = "kết quả thực hiện"
OPENING_PLAN = Text("Thực hiện {plan}, {authority} báo cáo {what} trong {period} như sau:")
OPENING = Text(
    "{authority} báo cáo {what} Kế hoạch nâng cao Chỉ số chuyển đổi số (DTI) trong {period} như sau:"
)
DATA_SOURCE = Text(
    "Số liệu được tổng hợp từ báo cáo của các cơ quan, đơn vị, địa phương gửi về {receiver}, "
    "tính đến ngày {made_on}."
)

# --- I. reporting -------------------------------------------------------------------------------
H_REPORTING = "I. TÌNH HÌNH BÁO CÁO"
# how a kind of unit (units.csv ``kind``) reads at the start of a line
KIND_LINES = {
    "department": Text("Các phòng, ban, đơn vị thuộc {level}"),
    "agency": Text("Các cơ quan ngành dọc đóng trên địa bàn {level}"),
    "ward": Text("UBND các phường"),
    "commune": Text("UBND các xã"),
}
OTHER_KIND = Text("Các đơn vị khác")
EXPECTED_LINE = Text(
    "Kỳ báo cáo {period} có {expected} cơ quan, đơn vị, địa phương phải gửi báo cáo; "
    "hạn gửi báo cáo là ngày {deadline}."
)
NONE_RECEIVED = Text("Đến ngày {made_on}, chưa nhận được báo cáo của đơn vị nào.")
RECEIVED_HEAD = Text("Đến ngày {made_on}, đã nhận được báo cáo của {ratio} đơn vị, đạt {pct}")
ALL_ON_TIME = "tất cả đều gửi đúng hạn"
SOME_LATE = Text("trong đó {ratio} đơn vị gửi đúng hạn ({pct}), {late} đơn vị gửi muộn")
STILL_MISSING = Text("còn {missing} đơn vị chưa gửi báo cáo")
NONE_MISSING = "không còn đơn vị nào chưa gửi"
RECEIVED_LINE = Text("{head}; {timing}; {tail}.")
KIND_SENT = Text("{ratio} đơn vị đã gửi báo cáo ({pct})")
KIND_ON_TIME = Text("đúng hạn {on_time}")
KIND_ON_TIME_LATE = Text("đúng hạn {on_time}, gửi muộn {late}")
KIND_MISSING = Text("chưa gửi {missing}")
KIND_LINE = Text("- {label}: {parts}.")
NO_RATES = "Chưa có số liệu về tình hình gửi báo cáo của các đơn vị trong kỳ."
LATE_SENT_DAYS = Text("gửi ngày {date}, muộn {days} ngày")
LATE_SENT = Text("gửi ngày {date}")
LATE_DAYS = Text("muộn {days} ngày")
LATE_LINE = Text("- Đơn vị gửi báo cáo muộn: {items}.")
MISSING_LINE = Text("- Đơn vị chưa gửi báo cáo: {names}.")
REFUSED_LINE = Text("- Có {count} tệp báo cáo không được tiếp nhận: {items}.")
MISSING_REFUSED = "đã gửi tệp nhưng tệp không hợp lệ"
UNKNOWN_UNIT = "đơn vị chưa xác định"
RESENT = "đơn vị đã gửi lại báo cáo hợp lệ"
REFUSED_OF = Text("tệp của {sender}")
REFUSED_UNKNOWN = "tệp không xác định được đơn vị gửi"

# --- II. results --------------------------------------------------------------------------------
H_RESULTS = "II. KẾT QUẢ THỰC HIỆN"
H_INDICATORS = "Kết quả các chỉ số đánh giá chuyển đổi số"
H_TASKS = "Kết quả thực hiện nhiệm vụ theo từng lĩnh vực"
H_TARGETS = "Kết quả thực hiện các chỉ tiêu định lượng"
NUMBERED = Text("{n}. {title}")
NO_INDICATORS = "Kỳ báo cáo này không có chỉ số đánh giá chuyển đổi số phải báo cáo."
INDICATORS_INTRO = Text(
    "Trong kỳ, {count} chỉ số đánh giá chuyển đổi số (Phụ lục 04) được chấm điểm{units}. "
    "Điểm chỉ được công nhận khi có số liệu, văn bản chứng minh; đơn vị chưa báo cáo được tính 0 điểm. "
    "Kết quả cụ thể như sau:"
)
INDICATORS_UNITS = Text(" đối với {count} đơn vị được giao")
BULLET = Text("- {head}: {clauses}.")
BULLET_BARE = Text("- {head}.")
INDICATOR_HEAD = Text("Chỉ số {iid} «{name}»")
INDICATOR_MEAN = Text("điểm bình quân đạt {mean}/{max} điểm")
INDICATOR_ALL_FULL = Text("cả {count} đơn vị đều đạt điểm tối đa")
INDICATOR_FULL = Text("{ratio} đơn vị đạt điểm tối đa")
BELOW_MAX = Text("chưa đạt điểm tối đa: {items}")
POINTS = Text("{score} điểm")
SCORE_NOT_SENT = "chưa gửi báo cáo"
SCORE_NOT_REPORTED = "chưa có số liệu hợp lệ"
SCORE_NO_EVIDENCE = "thiếu minh chứng"
ALL_FULL_ALL = Text("Cả {count} đơn vị đều đạt điểm tối đa ở tất cả các chỉ số được giao.")
ALL_FULL_SOME = Text("Có {ratio} đơn vị đạt điểm tối đa ở tất cả các chỉ số được giao.")
NO_TASKS = "Trong kỳ không có nhiệm vụ được giao phải báo cáo."
TASKS_DONE = Text("hoàn thành {count} lượt, đạt {pct} số lượt phải thực hiện")
TASKS_UNPROVEN = Text("báo cáo hoàn thành nhưng thiếu minh chứng {count} lượt")
TASKS_IN_PROGRESS = Text("đang thực hiện {count} lượt")
TASKS_NOT_STARTED = Text("chưa thực hiện {count} lượt")
TASKS_NOT_APPLICABLE = Text("không phát sinh {count} lượt")
TASKS_UNREPORTED = Text("chưa được báo cáo {count} lượt")
TASKS_OVERDUE = Text(" Có {count} lượt nhiệm vụ đã quá thời hạn hoàn thành mà chưa hoàn thành.")
TASKS_NONE_OVERDUE = " Không có nhiệm vụ quá thời hạn hoàn thành."
TASKS_OVERVIEW = Text(
    "Tổng số lượt nhiệm vụ được giao tại {appendices} là {assigned} lượt (mỗi nhiệm vụ tính một lượt "
    "cho mỗi đơn vị thực hiện); các đơn vị đã báo cáo {reported} lượt. Kết quả: {parts}.{overdue}"
)
ALL_APPENDICES = "các phụ lục của Kế hoạch"
TASKS_FROM = Text(
    "Tiến độ thực hiện nhiệm vụ {period} được tổng hợp từ báo cáo tháng gần nhất của từng đơn vị ({sources})."
)
RATE_NOTE = (
    "Tỷ lệ hoàn thành được tính bằng số lượt hoàn thành có minh chứng chia cho số lượt phải thực hiện "
    "(số lượt được giao, không kể lượt không phát sinh). Kết quả theo từng lĩnh vực:"
)
PILLAR_NONE_DUE = Text("- {name}: các nhiệm vụ không phát sinh trong kỳ.")
PILLAR_DONE = Text("hoàn thành {ratio} lượt ({pct})")
PILLAR_UNPROVEN = Text("thiếu minh chứng {count}")
PILLAR_IN_PROGRESS = Text("đang thực hiện {count}")
PILLAR_NOT_STARTED = Text("chưa thực hiện {count}")
PILLAR_UNREPORTED = Text("chưa báo cáo {count}")
PILLAR_OVERDUE = Text("; quá hạn {count} lượt")
PILLAR_LINE = Text("- {name}: {parts}{overdue}.")
NO_TARGETS = "Trong kỳ không có nhiệm vụ có chỉ tiêu định lượng phải đánh giá."
TARGET_HEAD = Text("{target} ({ref}: «{task}»)")
TARGET_SINGLE = Text("{name} đạt {value}, {verdict}")
TARGET_SINGLE_MISSING = Text("{name} chưa báo cáo số liệu")
VERDICT_MET = "đạt chỉ tiêu"
VERDICT_UNMET = "chưa đạt chỉ tiêu"
ANNUAL_TARGET = "chỉ tiêu năm, được đánh giá tại kỳ báo cáo năm"
TARGET_COUNTS = Text("{ratio} đơn vị đạt chỉ tiêu")
TARGET_UNMET = Text("chưa đạt: {items}")
TARGET_PENDING = Text(ANNUAL_TARGET + "; đến nay {count} đơn vị đã báo cáo số liệu")
TARGET_UNREPORTED = Text("chưa báo cáo số liệu: {names}")
TARGET_NONE_REPORTED = "chưa có đơn vị báo cáo số liệu"

# --- III. shortcomings --------------------------------------------------------------------------
H_SHORTCOMINGS = "III. TỒN TẠI, HẠN CHẾ"
MISSING_SHORT = Text("- Còn {count} đơn vị chưa gửi báo cáo: {names}.")
LATE_SHORT = Text("- Có {count} đơn vị gửi báo cáo chậm so với thời hạn: {names}.")
REFUSED_SHORT = Text(
    "- Có {count} tệp báo cáo lập không đúng mẫu hoặc không đọc được, phải trả lại để đơn vị hoàn thiện."
)
OVERDUE_HEAD = Text("- Có {count} lượt nhiệm vụ đã quá thời hạn hoàn thành nhưng chưa hoàn thành:")
OVERDUE_ITEM = Text("+ «{task}» ({ref}{due}): {names}.")
OVERDUE_DUE = Text(", thời hạn {date}")
UNPROVEN_SHORT = Text(
    "- Có {count} lượt nhiệm vụ được báo cáo hoàn thành nhưng thiếu minh chứng hoặc có lỗi dữ liệu, "
    "chưa được tính là hoàn thành: {items}."
)
LOW_SCORES = Text("- Có {count} đơn vị chưa đạt điểm tối đa ở ít nhất một chỉ số: {items}.")
LOW_SCORE_ITEM = Text("{name} (chỉ số {ids})")
NO_EVIDENCE = Text(
    "- Có {count} đơn vị tự chấm đạt điểm nhưng chưa có số liệu, văn bản chứng minh nên điểm chưa được "
    "công nhận: {names}."
)
UNMET_TARGETS = Text("- Chỉ tiêu định lượng chưa đạt: {items}.")
DIFFICULTIES_HEAD = "- Khó khăn, vướng mắc do các đơn vị phản ánh:"
NO_DIFFICULTIES = "- Trong kỳ, các đơn vị không phản ánh khó khăn, vướng mắc."
DIFFICULTY_ITEM = Text("+ {name}: «{text}» ({about}).")
ABOUT_TASK = Text("nhiệm vụ «{task}»")
ABOUT_TASKS = Text("các nhiệm vụ tại {refs}")
NO_SHORTCOMINGS = "Trong kỳ, không phát sinh tồn tại, hạn chế đáng kể."

# --- IV. proposals ------------------------------------------------------------------------------
H_PROPOSALS = "IV. ĐỀ XUẤT, KIẾN NGHỊ"
H_UNIT_REQUESTS = "Kiến nghị, đề xuất của các đơn vị"
H_CITY_PROPOSALS = Text("Đề xuất, kiến nghị của {authority}")
REQUESTS_INTRO = "Qua tổng hợp, các đơn vị có kiến nghị, đề xuất như sau:"
NO_REQUESTS = "Trong kỳ, các đơn vị không có kiến nghị, đề xuất cụ thể."
REQUEST_ITEM = Text("- {name}: «{text}»")  # then a period, unless the quote ends a sentence itself
PROPOSALS_INTRO = Text("Đề nghị {recipient}:")
PROPOSAL_GUIDANCE = Text(
    "- Tiếp tục hướng dẫn, hỗ trợ {level} về chuyên môn, nghiệp vụ trong triển khai các nhiệm vụ "
    "chuyển đổi số và trong thu thập số liệu, tài liệu kiểm chứng phục vụ đánh giá Chỉ số DTI;"
)
PROPOSAL_TRAINING = (
    "- Tiếp tục tổ chức bồi dưỡng, tập huấn kỹ năng số cho cán bộ, công chức và thành viên các "
    "Tổ công nghệ số cộng đồng"
)  # then ";" or "."
PROPOSAL_REQUESTS = (
    "- Xem xét, giải quyết theo thẩm quyền hoặc tổng hợp, báo cáo Ban Chỉ đạo về chuyển đổi số "
    "tỉnh các kiến nghị của các đơn vị nêu trên."
)
FOLLOW_UP = Text(
    "Trong thời gian tới, {authority} tiếp tục chỉ đạo các cơ quan, đơn vị, địa phương tập trung "
    "thực hiện các nhiệm vụ, chỉ tiêu được giao{lagging}."
)
FOLLOW_UP_LAGGING = Text(
    "; yêu cầu các đơn vị chưa gửi báo cáo, gửi báo cáo muộn, còn nhiệm vụ quá hạn hoặc chỉ tiêu "
    "chưa đạt khẩn trương khắc phục và báo cáo kết quả về {receiver}"
)
CLOSING = Text("Trên đây là báo cáo {summary} của {authority}, kính gửi {recipient} tổng hợp, theo dõi./.")

# --- how requests are picked from the units' own words --------------------------------------------
# A sentence of a difficulty is a request when it holds one of these words (whole words, any case).
REQUEST_WORDS = (
    "đề nghị",
    "đề xuất",
    "kiến nghị",
    "xin",
    "mong",
    "yêu cầu",
    "cần được",
    "cần hỗ trợ",
    "cần bổ sung",
    "cần có",
    "cần cấp",
    "cần tập huấn",
    "cần hướng dẫn",
)
# A difficulty cell holding only one of these (after folding case and punctuation) says "none".
NOTHING_TO_REPORT = (
    "không",
    "không có",
    "chưa có",
    "không có gì",
    "không có khó khăn",
    "không có khó khăn vướng mắc",
    "không có vướng mắc",
    "không vướng mắc",
    "không khó khăn",
    "không phát sinh",
    "chưa phát sinh",
    "không có ý kiến",
    "không ý kiến",
    "ko",
    "k",
    "x",
    "0",
    "n/a",
    "na",
    "-",
    "--",
    ".",
    "...",
    "…",
)
