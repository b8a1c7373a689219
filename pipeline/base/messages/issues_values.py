"""The issue kinds of cell values, of the checks across fields and across periods (see :mod:`.issues`)."""

from __future__ import annotations

from pipeline.base.codes import Code
from pipeline.base.messages.kinds import E, IssueKind, W
from pipeline.base.messages.kinds import k as _k

_CUMULATIVE = (
    "Đây là số liệu lũy kế (tính đến thời điểm báo cáo) nên không thể giảm: hãy kiểm tra lại và ghi "
    "số lũy kế, không ghi số của riêng kỳ này."
)

VALUE_KINDS: tuple[IssueKind, ...] = (
    # --- cell values ---------------------------------------------------------------------
    _k(
        Code.REQUIRED,
        E,
        "Thiếu số liệu bắt buộc",
        "Chưa nhập «{what}» (mã {fid}): đây là số liệu bắt buộc; chưa có thì chỉ số {indicator} "
        "không được tính {points} điểm.",
        "A required indicator input is empty.",
    ),
    _k(
        Code.NOT_A_NUMBER,
        E,
        "Không phải số",
        "Không hiểu «{text}» là số: {hint}.",
        "A number cell holds something that is not a number.",
        marks="Không rõ cách ghi số «{text}»: dùng dấu chấm để phân cách hàng nghìn và dấu phẩy "
        "cho phần thập phân, ví dụ 1.234,5.",
        no_number="Không hiểu «{text}» là số ({why}): {hint}; nếu là không thì ghi 0, nếu chưa có số liệu "
        "thì để trống; phần giải thích ghi ở cột khác.",
        too_large="Số «{text}» quá lớn: {hint}.",
        huge="Số quá lớn: {hint}.",
        boolean="Ô ghi «{text}» (đúng/sai), không phải số: {hint}.",
        date="Ô chứa ngày giờ «{text}», không phải số: hãy định dạng ô là số và {hint}.",
        not_finite="Ô chứa giá trị không phải số ({text}): {hint}.",
    ),
    _k(
        Code.NOT_AN_INTEGER,
        E,
        "Không phải số nguyên",
        "Ô này cần số nguyên, không ghi «{text}»: hãy ghi một số nguyên, ví dụ {example}.",
        "An integer cell holds a fraction.",
    ),
    _k(
        Code.OUT_OF_RANGE,
        E,
        "Số ngoài giới hạn",
        "Giá trị {number} {where}: hãy ghi một số {span}.",
        "A number below the minimum or above the maximum of its field.",
    ),
    _k(
        Code.NOT_ALLOWED,
        E,
        "Giá trị không được chấp nhận",
        "Không nhận «{text}»: hãy chọn một trong các giá trị {listing} (chọn từ danh sách thả xuống).",
        "A value outside the allowed list (a task status, yes/no).",
        yes_no="Không nhận «{text}»: hãy chọn «{yes}» hoặc «{no}».",
        ask="«{text}» chưa rõ là «{yes}» hay «{no}»: hãy chọn «{yes}» hoặc «{no}» từ danh sách.",
    ),
    _k(
        Code.NOT_A_DATE,
        E,
        "Không phải ngày",
        "Không hiểu «{text}» là ngày: {hint}.",
        "A date cell holds something that is not a date.",
        impossible="Ngày «{text}» không có thật: {hint}.",
    ),
    _k(
        Code.NUMBER_WITH_TEXT,
        W,
        "Số có kèm chữ",
        "Đã hiểu «{text}» là {number}: ô này chỉ ghi số, phần chữ hãy ghi ở cột khác.",
        "A number cell holds a number with words; the number is used.",
    ),
    _k(
        Code.VALUE_INTERPRETED,
        W,
        "Giá trị được hiểu theo cách khác",
        "Đã hiểu «{text}» là «{canonical}»; lần sau hãy chọn «{canonical}» từ danh sách thả xuống.",
        "A value that was understood, with a warning (a choice without diacritics, yes, 1,000, 10%).",
        decimal_comma="Đã hiểu «{text}» là {number} (dấu phẩy là dấu thập phân); "
        "nếu là {big} thì hãy ghi {big}.",
        percent="Đã hiểu «{text}» là {number} (phần trăm).",
        date="Đã hiểu «{text}» là ngày {date} ({why}); lần sau hãy {hint}.",
    ),
    _k(
        Code.TCVN3_CONVERTED,
        W,
        "Chữ gõ bằng bảng mã TCVN3",
        "Chữ gõ bằng bảng mã cũ TCVN3 (phông .VnTime), đã chuyển sang Unicode: «{converted}». "
        "Hãy kiểm tra lại và lần sau gõ bằng bảng mã Unicode.{more}",
        "Text typed in the legacy TCVN3 (.VnTime) encoding, converted to Unicode.",
        choice="Chữ gõ bằng bảng mã cũ TCVN3 (phông .VnTime): đã hiểu «{text}» là «{canonical}». "
        "Lần sau hãy gõ bằng bảng mã Unicode hoặc chọn từ danh sách.",
    ),
    _k(
        Code.FORMULA_NO_VALUE,
        E,
        "Công thức chưa có giá trị",
        "Ô {cell} có công thức nhưng chưa có giá trị (tệp được lưu khi chưa tính): hãy mở tệp bằng Excel, "
        "nhấn Ctrl+Alt+F9 rồi lưu lại, hoặc gõ trực tiếp giá trị.",
        "A formula saved without its computed value, or a formula error (#DIV/0!).",
        error="Ô báo lỗi công thức «{text}»: hãy sửa công thức hoặc gõ trực tiếp giá trị.",
    ),
    _k(
        Code.TEXT_TOO_LONG,
        W,
        "Nội dung quá dài",
        "Nội dung dài {length} ký tự (quá {limit}): hãy tóm tắt, chi tiết để trong văn bản minh chứng.",
        "A text cell longer than the limit; kept whole.",
    ),
    _k(
        Code.EVIDENCE_REQUIRED,
        E,
        "Thiếu minh chứng",
        "Nhiệm vụ {task} ghi «{done}» nhưng chưa có «{evidence}»: hãy ghi số, ngày, tên văn bản "
        "hoặc đường dẫn tài liệu chứng minh.",
        "A task marked done without evidence.",
    ),
    _k(
        Code.RESULT_REQUIRED,
        E,
        "Thiếu kết quả số liệu",
        "Nhiệm vụ {task} có chỉ tiêu ({target}) và ghi «{done}» nhưng chưa có «{result}»: "
        "hãy ghi số liệu đạt được.",
        "A task with a numeric target marked done without its figure.",
    ),
    _k(
        Code.REPORTER_MISSING,
        W,
        "Thiếu thông tin người báo cáo",
        "Chưa ghi «{column}» ở trang «{info}»: hãy ghi để {receiver} liên hệ khi cần.",
        "Who reported, their phone or the report date is empty.",
        date="Chưa ghi «{column}» ở trang «{info}»: hãy ghi ngày lập báo cáo, ví dụ 15/12/2023.",
    ),
    _k(
        Code.FORMULA_EXTERNAL_LINK,
        W,
        "Công thức lấy từ tệp khác",
        "Ô {cell} lấy giá trị bằng công thức từ một tệp khác (liên kết ngoài): hệ thống dùng giá trị đã lưu "
        "trong tệp, không mở tệp kia. Hãy chép ô đó rồi dán giá trị (Dán đặc biệt › Giá trị) và gửi lại.",
        "A formula that reads another workbook; its cached value is used.",
    ),
    _k(
        Code.EVIDENCE_PLACEHOLDER,
        E,
        "Minh chứng chưa rõ",
        "«{text}» chưa phải là minh chứng: hãy ghi số, ký hiệu và ngày của văn bản (ví dụ: {example}), "
        "hoặc đường dẫn, tên tệp tài liệu chứng minh.",
        "Evidence that says nothing (x, a dash, ok, a bare number): refused.",
    ),
    _k(
        Code.EMAIL_INVALID,
        W,
        "Địa chỉ thư điện tử chưa đúng",
        "«{text}» không giống một địa chỉ thư điện tử: hãy ghi đúng dạng ten@thaibinh.gov.vn để {receiver} "
        "gửi phản hồi.",
        "The reporter's e-mail address is not an address.",
    ),
    _k(
        Code.PHONE_INVALID,
        W,
        "Số điện thoại chưa đúng",
        "«{text}» không giống một số điện thoại: hãy ghi một số (9–12 chữ số, ví dụ 0227 3831 234) "
        "để {receiver} liên hệ khi cần.",
        "The reporter's phone number is not a phone number.",
    ),
    # --- cross-field checks --------------------------------------------------------------
    _k(
        Code.CROSS_FIELD,
        E,
        "Số liệu mâu thuẫn",
        "{note}",
        "A check across indicator fields (indicators.yaml `checks`); the note is the check's own message.",
    ),
    _k(
        Code.NO_EVIDENCE,
        E,
        "Chỉ số thiếu minh chứng",
        "Chỉ số {indicator} không được tính {points} điểm vì thiếu minh chứng ({evidence_text}). "
        "Hãy ghi số, ngày, tên văn bản chứng minh vào cột «{column}».",
        "A reported indicator with no evidence: its self-score is not counted (it costs the points, "
        "so it is an error the unit must fix).",
    ),
    _k(
        Code.VILLAGES_MISMATCH,
        W,
        "Khác với danh mục",
        "{note}",
        "A value that differs from the registry (units.csv), e.g. the number of villages.",
    ),
    _k(
        Code.TASK_INDICATOR_MISMATCH,
        W,
        "Nhiệm vụ và chỉ số không khớp",
        "Nhiệm vụ {task} ghi «{status}» nhưng chỉ số {indicator} ({name}) {state}: "
        "hãy kiểm tra lại «{column}» của nhiệm vụ hoặc giá trị của chỉ số.",
        "A task that feeds an indicator (tasks.csv feeds) disagrees with it: not started while the "
        "indicator is reached, or done while it scores nothing.",
    ),
    # --- across periods (a return against the unit's own past) ----------------------------
    _k(
        Code.DONE_THEN_NOT_STARTED,
        W,
        "Nhiệm vụ đã hoàn thành nay ghi chưa thực hiện",
        "Tệp «{file}», ô {cell} trang «{sheet}»: nhiệm vụ {task} ghi «{now}», nhưng báo cáo "
        "{previous} (tệp «{previous_file}») đã ghi «{before}». Hãy kiểm tra lại: nếu nhiệm vụ "
        "đã hoàn thành, hãy ghi lại «{before}»; nếu báo cáo trước ghi nhầm, hãy ghi rõ ở cột «{result}».",
        "A task reported done in the previous period of the year is reported not started now.",
    ),
    _k(
        Code.CUMULATIVE_DECREASED,
        W,
        "Số liệu lũy kế giảm",
        "Tệp «{file}», ô {cell} trang «{sheet}»: nhiệm vụ {task} ghi «{column}» là {figure}, thấp hơn "
        "{before} của báo cáo {previous} (tệp «{previous_file}»). " + _CUMULATIVE,
        "A cumulative figure (calendar.yaml `cumulative`) lower than in the previous period of the year.",
        indicator="Tệp «{file}», ô {cell} trang «{sheet}»: mục {field_id} ({name}) ghi {figure}, thấp hơn "
        "{before} của báo cáo {previous} (tệp «{previous_file}»). " + _CUMULATIVE,
        yes_no="Tệp «{file}», ô {cell} trang «{sheet}»: nhiệm vụ {task} ghi «{figure}», nhưng báo cáo "
        "{previous} (tệp «{previous_file}») đã ghi «{before}». Đây là kết quả lũy kế (đã đạt thì vẫn "
        "được tính) nên không chuyển từ «{before}» sang «{figure}»: hãy kiểm tra lại; nếu thật sự có "
        "thay đổi, hãy ghi rõ lý do ở cột «{result}».",
    ),
    _k(
        Code.VALUES_COPIED,
        W,
        "Số liệu giống hệt các tháng trước",
        "Tệp «{file}»: mọi ô đã điền ở trang «{tasks}» giống hệt báo cáo {earlier} ({count} tháng liền), "
        "trong khi ngày báo cáo (ô {cell} trang «{sheet}») đã đổi thành {date}. Hãy cập nhật tình trạng, "
        "kết quả và minh chứng của {period}; nếu thật sự không có gì thay đổi, hãy ghi rõ ở cột «{result}».",
        "The task values are the same as in the two previous months while the report date is newer.",
    ),
)
