"""Sentences of the units' e-mail channel (issue 13): where received times came from, and the
reminders (``dti remind``): the drafts a unit reads, the Zalo messages, the analyst's summary."""

from __future__ import annotations

from pipeline.base.messages.text import Text

# --- an .eml of the inbox that gives no return (issue email_unusable: the analyst reads it) -------
_SAVE_MAIL = (
    "hãy lưu lại thư từ hộp thư (Lưu thành › tệp .eml), hoặc lưu riêng tệp báo cáo đính kèm vào "
    "thư mục của kỳ, rồi chạy lại"
)
_SAVE_ATTACHMENT = "hãy lưu riêng tệp báo cáo đính kèm vào thư mục của kỳ rồi chạy lại"
_ASK_AGAIN = "hãy đề nghị đơn vị gửi lại thư kèm tệp mẫu báo cáo Excel (.xlsx) đã điền"
EMAIL_TITLE = "Thư điện tử không dùng được"
EMAIL_DESCRIPTION = (
    "An .eml message of the inbox that gives no return: unreadable, too large, nested too deep, "
    "without a spreadsheet attachment, or with an attachment damaged in transit."
)
EMAIL_MALFORMED = (
    "Thư «{file}» không đọc được: tệp .eml bị hỏng hoặc không phải một thư điện tử: " + _SAVE_MAIL + "."
)
EMAIL_VARIANTS = {
    "malformed": EMAIL_MALFORMED,
    "empty": "Thư «{file}» rỗng (0 byte): " + _SAVE_MAIL + ".",
    "unopenable": "Không mở được thư «{file}» ({reason}): hãy kiểm tra quyền đọc tệp rồi chạy lại.",
    "too_large": "Thư «{file}» quá lớn ({size}, tối đa {limit}): " + _SAVE_ATTACHMENT + ".",
    "too_deep": "Thư «{file}» có quá nhiều phần lồng nhau (tối đa {limit} phần): " + _SAVE_ATTACHMENT + ".",
    "too_many": "Thư «{file}» đính kèm quá nhiều bảng tính: chỉ đọc {limit} tệp đầu tiên. "
    "Hãy đề nghị đơn vị mỗi lần chỉ gửi tệp báo cáo của mình.",
    "damaged": "Tệp đính kèm «{attachment}» của thư «{file}» bị hỏng trên đường truyền (mã hóa sai): "
    "hãy đề nghị đơn vị gửi lại tệp này.",
    "no_spreadsheet": "Thư «{file}» không kèm bảng tính nào (chỉ có {attached}): " + _ASK_AGAIN + ".",
    "no_attachment": "Thư «{file}» không có tệp đính kèm: " + _ASK_AGAIN + ".",
}

# --- received times (console of `dti report`, the workbook's «Nộp báo cáo») ------------------------
RECEIVED_ORIGINS = Text(
    "Thời điểm nhận: {listed} tệp theo received.csv, {mailed} tệp theo thư điện tử, "
    "{file_times} tệp chỉ theo thời gian sửa tệp."
)
FILE_TIMES_LOUD = Text(
    "CHÚ Ý: {count} tệp không có dòng trong received.csv và không đến qua thư điện tử: thời điểm nhận "
    "lấy theo thời gian sửa tệp trên máy, nên đúng hạn hay nộp muộn của các tệp này có thể sai. "
    "Hãy ghi thời điểm nhận vào {inbox}/received.csv (cột file, received_at) hoặc lưu thư của đơn vị "
    "(.eml) vào {inbox}/, rồi chạy lại."
)
FILE_TIMES_NOTE = Text(
    "Chú ý: thời điểm nhận của {count} tệp lấy theo thời gian sửa tệp trên máy (không có trong "
    "received.csv, không đến qua thư điện tử), nên đúng hạn hay nộp muộn của các tệp đó có thể chưa chính xác."
)

# --- the reminder a unit reads ---------------------------------------------------------------------
SUBJECT = Text("Nhắc nộp báo cáo DTI kỳ {period}")
SUBJECT_ERRORS = Text("Nhắc nộp báo cáo DTI kỳ {period}: đề nghị sửa lỗi và gửi lại")
SUBJECT_SAMPLE = Text("[{mark}] {subject}")
GREETING = Text("Kính gửi: {unit}.")
MISSING_SOON = Text(
    "Đến ngày {on}, {receiver} chưa nhận được báo cáo kết quả chuyển đổi số (DTI) {period} của đơn vị. "
    "Hạn nộp là ngày {deadline}: đã sắp đến hạn, chỉ còn {days} ngày."
)
MISSING_TODAY = Text(
    "Đến ngày {on}, {receiver} chưa nhận được báo cáo kết quả chuyển đổi số (DTI) {period} của đơn vị. "
    "Hôm nay là ngày cuối cùng của hạn nộp."
)
MISSING_LATE = Text(
    "Đến ngày {on}, {receiver} chưa nhận được báo cáo kết quả chuyển đổi số (DTI) {period} của đơn vị. "
    "Hạn nộp là ngày {deadline}, báo cáo của đơn vị đã quá hạn {days} ngày."
)
MISSING_REFUSED = (
    "Tệp đơn vị đã gửi chưa được tổng hợp vì không đọc được hoặc không đúng mẫu; lý do có trong tệp "
    "phản hồi đính kèm."
)
MISSING_ASK = "Đề nghị đơn vị điền số liệu vào tệp mẫu đính kèm và gửi về trước hạn."
MISSING_ASK_LATE = "Đề nghị đơn vị khẩn trương điền số liệu vào tệp mẫu đính kèm và gửi về ngay."
ERRORS_FOUND = Text(
    "Báo cáo kết quả chuyển đổi số (DTI) {period} đơn vị gửi ngày {received} còn {errors} lỗi, nên các "
    "số liệu có lỗi chưa được tính vào kết quả của đơn vị. Từng lỗi, ô cần sửa và cách sửa có trong tệp "
    "phản hồi đính kèm."
)
ERRORS_SOON = Text(
    "Đã sắp đến hạn nộp (ngày {deadline}, còn {days} ngày): đề nghị đơn vị sửa các lỗi đó và gửi lại "
    "báo cáo trước hạn."
)
ERRORS_TODAY = Text(
    "Đề nghị đơn vị sửa các lỗi đó và gửi lại báo cáo trong hôm nay, ngày cuối cùng của hạn nộp ({deadline})."
)
ERRORS_LATE = Text(
    "Đã quá hạn nộp {days} ngày (hạn nộp ngày {deadline}): đề nghị đơn vị sửa các lỗi đó và gửi lại báo "
    "cáo sớm nhất."
)
LINK = Text("Đơn vị có thể nộp trực tiếp tại trang riêng của đơn vị: {url}")
REPLY = "Đơn vị cũng có thể trả lời thư này, đính kèm tệp báo cáo đã điền."
REPLY_FIXED = "Đơn vị cũng có thể trả lời thư này, đính kèm tệp báo cáo đã sửa."
NO_ATTACHMENT = "Tệp đính kèm chưa có sẵn; đơn vị dùng tệp mẫu đã được gửi đầu kỳ."
CLOSING = "Trân trọng cảm ơn."
SIGNATURE = Text("{receiver}\n{locality}")

# --- the same, short, to copy into Zalo ------------------------------------------------------------
ZALO_HEADER = Text("Tin nhắn nhắc nộp báo cáo DTI {period}, ngày {on}: mỗi đoạn gửi cho một đơn vị.")
ZALO_MISSING_SOON = Text(
    "Kính gửi {unit}: {receiver} nhắc đơn vị nộp báo cáo DTI {period}, sắp đến hạn nộp {deadline} "
    "(còn {days} ngày)."
)
ZALO_MISSING_TODAY = Text(
    "Kính gửi {unit}: {receiver} nhắc đơn vị nộp báo cáo DTI {period}, hôm nay ({deadline}) là hạn cuối."
)
ZALO_MISSING_LATE = Text(
    "Kính gửi {unit}: báo cáo DTI {period} của đơn vị đã quá hạn {days} ngày (hạn nộp {deadline}). "
    "Đề nghị đơn vị gửi ngay."
)
ZALO_ERRORS = Text(
    "Kính gửi {unit}: báo cáo DTI {period} của đơn vị còn {errors} lỗi. Đề nghị đơn vị sửa theo tệp "
    "phản hồi gửi kèm và gửi lại, hạn nộp {deadline} ({when})."
)
ZALO_WHEN_SOON = Text("sắp đến hạn, còn {days} ngày")
ZALO_WHEN_TODAY = "hôm nay là hạn cuối"
ZALO_WHEN_LATE = Text("đã quá hạn {days} ngày")
ZALO_LINK = Text("Nộp tại: {url}")
ZALO_THANKS = Text("Trân trọng cảm ơn. – {receiver}")

# --- the analyst's summary (console, tom_tat.csv) -------------------------------------------------
SUMMARY_COLUMNS = (
    "Đơn vị",
    "Nhắc vì",
    "Hạn nộp",
    "Tình hình",
    "Email",
    "Thư nháp",
    "Tệp đính kèm",
    "Ghi chú",
)
REASON_MISSING = "chưa nộp"
REASON_ERRORS = Text("còn {errors} lỗi")
WHEN_SOON = Text("sắp đến hạn, còn {days} ngày")
WHEN_TODAY = "hôm nay là hạn cuối"
WHEN_LATE = Text("quá hạn {days} ngày")
NOTE_NO_EMAIL = (
    "chưa có email trong units.csv: nhắc qua Zalo (gửi kèm tệp đính kèm, có trong thư mục này) "
    "hoặc điện thoại"
)
NOTE_BAD_EMAIL = Text("email «{email}» trong units.csv không hợp lệ: nhắc qua Zalo hoặc điện thoại")
NOTE_ALREADY = "đã nhắc hôm nay, không viết lại"
NOTE_NO_FEEDBACK = "không thấy tệp phản hồi của kỳ: hãy chạy lại dti report"
CLI_BASED_ON = Text("Theo lần tổng hợp kỳ {period} lúc {when} (kho: {store}).")
CLI_NO_REPORT = Text(
    "Kho ({store}) chưa có lần tổng hợp nào của kỳ {period}: hãy chạy dti report --period {period} trước, "
    "để biết đơn vị nào đã nộp."
)
CLI_WRITTEN = Text(
    "Đã viết {drafts} thư nháp (.eml) và {zalo} tin nhắn Zalo vào {folder}/: {missing} đơn vị chưa nộp, "
    "{errors} đơn vị còn lỗi. Mở từng tệp .eml bằng Outlook (hoặc Thunderbird), kiểm tra rồi bấm Gửi."
)
CLI_NOTHING_NEW = Text(
    "Không viết gì mới: {count} đơn vị cần nhắc đã được nhắc hôm nay ({on}); lần nhắc sau từ ngày mai."
)
CLI_NOBODY = Text("Kỳ {period}: không có đơn vị nào cần nhắc (mọi đơn vị đã nộp, không còn lỗi).")
CLI_NO_EMAIL = Text("Chưa có email ({count} đơn vị, nhắc qua Zalo hoặc điện thoại): {units}")
CLI_ALREADY = Text("Đã nhắc hôm nay, không viết lại: {count} đơn vị.")
CLI_SUMMARY = Text("Tóm tắt: {path}")
CLI_BAD_LINKS = Text("{path}: không đọc được danh sách đường dẫn (cần các cột unit_code, url): {reason}")
