"""One entry per issue code: severity, Vietnamese title, message template(s), English description.

The slots ``{file}``, ``{sheet}`` and ``{cell}`` are filled from where the issue is (the file, the
sheet, the A1 cell); every other slot is given where the issue is raised. A few kinds have named
variants: the same kind of problem said for another case. (E-mail intake's are in :mod:`.mail`.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pipeline.base.codes import Code, Severity
from pipeline.base.messages import mail as M
from pipeline.base.messages.text import Text

E, W = Severity.ERROR, Severity.WARNING
_SAVE_AGAIN = "hãy mở bằng Excel, lưu lại dạng .xlsx rồi gửi lại"
_ORIGINAL_TEMPLATE = "hãy điền số liệu vào tệp mẫu Excel (.xlsx) gốc rồi gửi lại"
_NOT_COUNTED = "Tệp «{file}» không được tổng hợp"
_CUMULATIVE = (
    "Đây là số liệu lũy kế (tính đến thời điểm báo cáo) nên không thể giảm: hãy kiểm tra lại và ghi "
    "số lũy kế, không ghi số của riêng kỳ này."
)
_USE_TEMPLATE = "Hãy dùng đúng mẫu do {receiver} gửi cho đơn vị, không sửa trang _meta."


@dataclass(frozen=True)
class IssueKind:
    """A kind of issue: what the unit reads (``template``) and what the kind is (``title``)."""

    code: Code
    severity: Severity  # the usual one; a check in indicators.yaml may set its own
    title: str  # the kind's name in Vietnamese (issues sheet, feedback)
    template: Text
    description: str  # English, for developers and the docs
    variants: Mapping[str, Text] = field(default_factory=dict)

    def text(self, variant: str = "") -> Text:
        if not variant:
            return self.template
        try:
            return self.variants[variant]
        except KeyError:
            raise KeyError(f"{self.code}: no variant {variant!r}") from None


def _k(
    code: Code,
    severity: Severity,
    title: str,
    template: str,
    description: str,
    **variants: str,
) -> IssueKind:
    return IssueKind(
        code, severity, title, Text(template), description, {k: Text(v) for k, v in variants.items()}
    )


ISSUES: dict[Code, IssueKind] = {
    k.code: k
    for k in (
        # --- the file as a whole -------------------------------------------------------------
        _k(
            Code.FILE_UNSUPPORTED,
            E,
            "Không phải bảng tính",
            "Tệp «{file}» không dùng được: đây là {what}, không phải bảng tính Excel. "
            "Hãy gửi tệp mẫu báo cáo Excel (.xlsx) đã điền{hint}.",
            "The content is not a spreadsheet (a PDF, an image, a Word file, an archive...).",
        ),
        _k(
            Code.FILE_EMPTY,
            E,
            "Tệp rỗng",
            "Tệp «{file}» rỗng (0 byte): hãy mở lại bảng tính bằng Excel, lưu lại rồi gửi lại.",
            "The file has no bytes.",
        ),
        _k(
            Code.FILE_TOO_LARGE,
            E,
            "Tệp quá lớn",
            "Tệp «{file}» quá lớn ({size}, tối đa {limit}): hãy xoá ảnh và các trang không cần thiết, "
            "lưu lại dạng .xlsx rồi gửi lại.",
            "The file is over the size limit.",
        ),
        _k(
            Code.FILE_ZIP_BOMB,
            E,
            "Nội dung nén bất thường",
            "Tệp «{file}» bị từ chối vì nội dung nén bất thường ({detail}), không giống tệp mẫu báo cáo: "
            + _ORIGINAL_TEMPLATE
            + ".",
            "The archive inflates far beyond a template (a zip bomb) or lies about its sizes.",
        ),
        _k(
            Code.FILE_CORRUPT,
            E,
            "Tệp bị hỏng",
            "Tệp «{file}» bị hỏng hoặc chưa tải xong ({detail}): hãy mở bằng Excel, lưu lại rồi gửi lại.",
            "The container is damaged or truncated.",
        ),
        _k(
            Code.FILE_ENCRYPTED,
            E,
            "Tệp có mật khẩu",
            "Tệp «{file}» đang đặt mật khẩu mở tệp: hãy mở tệp, vào Tệp (File) > Thông tin (Info) > "
            "Bảo vệ Sổ làm việc (Protect Workbook) > Mã hóa bằng Mật khẩu (Encrypt with Password), "
            "xóa mật khẩu, lưu lại rồi gửi lại.",
            "The workbook is protected by a password to open.",
        ),
        _k(
            Code.FILE_XML_ENTITIES,
            E,
            "Khai báo XML nguy hiểm",
            "Tệp «{file}» bị từ chối vì phần «{member}» chứa khai báo DTD/thực thể XML (có thể là tệp độc hại): "
            + _ORIGINAL_TEMPLATE
            + ".",
            "An XML part declares a DTD or entities (how entity-expansion attacks start).",
        ),
        _k(
            Code.FILE_UNREADABLE,
            E,
            "Không đọc được tệp",
            "Không đọc được tệp «{file}» ({reason}): " + _SAVE_AGAIN + ".",
            "The reader could not read the file (its reason given), or the file could not be opened.",
            crashed="Không đọc được tệp «{file}»: tệp làm hỏng trình đọc ({reason}). "
            "Hãy mở bằng Excel, lưu lại dạng .xlsx rồi gửi lại.",
            unopenable="Không mở được tệp «{file}» ({reason}): hãy kiểm tra quyền đọc tệp rồi chạy lại.",
        ),
        _k(
            Code.FILE_MACRO,
            W,
            "Tệp có macro",
            "Tệp «{file}» có macro; macro không được chạy, chỉ đọc giá trị. "
            "Lần sau hãy dùng tệp mẫu .xlsx không có macro.",
            "The workbook carries macros; they are never run.",
        ),
        _k(
            Code.FILE_EXTENSION_MISMATCH,
            W,
            "Đuôi tệp không đúng",
            "Tệp «{file}» có đuôi {suffix} nhưng nội dung là {format}: hệ thống vẫn đọc theo nội dung; "
            "lần sau hãy lưu đúng dạng .xlsx (Lưu thành › Sổ làm việc Excel).",
            "The file name's extension does not match its content; it is read by content.",
        ),
        _k(
            Code.FILE_TOO_MANY_CELLS,
            E,
            "Trang tính quá lớn",
            "Tệp «{file}» bị từ chối vì {detail}: quá lớn so với mẫu báo cáo (thường do điền, định dạng "
            "hoặc kéo công thức xuống hết trang tính). Hãy xóa các dòng, cột thừa bên dưới và bên phải bảng "
            "(chọn các dòng, cột đó › chuột phải › Xóa), lưu lại rồi gửi lại.",
            "A sheet's used range is larger than any reader should allocate.",
        ),
        _k(
            Code.FILE_OLD_FORMAT,
            E,
            "Định dạng bảng tính quá cũ",
            "Tệp «{file}» là bảng tính {version}, một định dạng cũ mà hệ thống không đọc được: hãy mở tệp "
            "bằng LibreOffice Calc hoặc Excel, chọn Lưu thành (Save As) › Sổ làm việc Excel (.xlsx) rồi gửi lại.",
            "A workbook of Excel 2.x-4.0 (a bare BIFF stream, not in an OLE2 file), which no reader here reads.",
        ),
        _k(Code.EMAIL_UNUSABLE, E, M.EMAIL_TITLE, M.EMAIL_MALFORMED, M.EMAIL_DESCRIPTION, **M.EMAIL_VARIANTS),
        # --- identification ------------------------------------------------------------------
        _k(
            Code.META_MISSING,
            E,
            "Không nhận ra đơn vị",
            "Không nhận ra đơn vị của tệp «{file}»: tệp không có trang _meta và ô «{column}» ở trang "
            "«{info}» ({shown}) không khớp tên đơn vị nào. Hãy dùng mẫu do {receiver} gửi.",
            "No _meta sheet and no unit name that matches the registry.",
        ),
        _k(
            Code.META_UNIT_FROM_NAME,
            W,
            "Nhận ra đơn vị theo tên",
            "Tệp «{file}» không có trang _meta (có thể đã chép sang tệp mới); đã nhận ra đơn vị theo tên "
            "«{name}». Lần sau hãy điền trực tiếp vào mẫu được gửi.",
            "No _meta sheet; the unit was recognised by the unit name on the info sheet.",
        ),
        _k(
            Code.UNIT_UNKNOWN,
            E,
            "Mã đơn vị không có trong danh mục",
            _NOT_COUNTED
            + ": mã đơn vị «{unit}» trong trang _meta không có trong danh mục đơn vị. "
            + _USE_TEMPLATE,
            "The unit code in _meta is not in units.csv.",
        ),
        _k(
            Code.PERIOD_MISMATCH,
            E,
            "Không đúng kỳ báo cáo",
            "Tệp «{file}» là báo cáo {theirs} ({theirs_id}), không phải {ours} ({ours_id}) đang tổng hợp: "
            "hãy dùng mẫu của kỳ {ours_id}.",
            "The return belongs to another period.",
            typed="Tệp «{file}»: ô «{column}» ghi «{shown}», không phải {ours} đang tổng hợp: "
            "hãy dùng mẫu của kỳ {ours_id}.",
        ),
        _k(
            Code.PERIOD_INVALID,
            E,
            "Kỳ báo cáo không hợp lệ",
            _NOT_COUNTED + ": kỳ báo cáo trong trang _meta («{shown}») không hợp lệ. " + _USE_TEMPLATE,
            "The period in _meta is not a period id.",
        ),
        _k(
            Code.TEMPLATE_OLD,
            W,
            "Mẫu phiên bản cũ",
            "Tệp «{file}» dùng mẫu phiên bản cũ ({version}); vẫn đọc được. Kỳ sau hãy dùng mẫu mới ({current}).",
            "An older template version that is still read.",
        ),
        _k(
            Code.TEMPLATE_INCOMPATIBLE,
            E,
            "Mẫu không đọc được",
            "Tệp «{file}» dùng mẫu báo cáo phiên bản «{shown}», không đọc được: "
            "hãy dùng mẫu mới (phiên bản {current}) và điền lại.",
            "A template version that is no longer read.",
        ),
        _k(
            Code.SHEET_MISSING,
            E,
            "Thiếu trang",
            "Tệp «{file}» thiếu trang «{sheet}»: hãy dùng đúng mẫu của đơn vị, không xóa hoặc đổi tên trang.",
            "A sheet the unit must fill in this period is missing.",
        ),
        _k(
            Code.HEADER_MISSING,
            E,
            "Thiếu dòng tiêu đề",
            "Trang «{sheet}» không có dòng tiêu đề «{column}»: hãy dùng đúng mẫu.",
            "The sheet has no header row.",
        ),
        _k(
            Code.COLUMN_MISSING,
            E,
            "Thiếu cột",
            "Trang «{sheet}» thiếu cột «{column}» ở dòng tiêu đề {row}: hãy dùng đúng mẫu, "
            "không xóa hoặc đổi tên cột.",
            "A column of the template is missing from the header row.",
        ),
        _k(
            Code.DUPLICATE_RETURN,
            W,
            "Đơn vị gửi nhiều tệp",
            "Đơn vị {unit} gửi {count} tệp cho kỳ {period} ({files}): chỉ tệp nhận sau cùng "
            "được tổng hợp, các tệp khác coi như đã được thay thế.",
            "A unit sent several returns for the period; the last received counts.",
        ),
        _k(
            Code.UNIT_MISMATCH,
            E,
            "Mã đơn vị và tên đơn vị khác nhau",
            _NOT_COUNTED
            + ": trang _meta ghi mã đơn vị {unit} ({unit_name}) nhưng ô «{column}» ở trang «{info}» "
            "ghi «{typed}» ({typed_unit}). Mỗi đơn vị chỉ gửi mẫu của chính mình; hãy dùng đúng mẫu do "
            "{receiver} gửi.",
            "_meta and the info sheet name different units.",
        ),
        _k(
            Code.PERIOD_UNKNOWN,
            E,
            "Không biết kỳ báo cáo",
            "Không biết tệp «{file}» thuộc kỳ báo cáo nào: tệp không có trang _meta và {why}. "
            "Hãy kiểm tra lại với tùy chọn --period, ví dụ: dti validate --period 2023-Q4 «{file}».",
            "dti validate: a file without _meta and no period to check it against.",
        ),
        # --- rows ----------------------------------------------------------------------------
        _k(
            Code.TASK_UNKNOWN,
            W,
            "Mã nhiệm vụ không có trong Kế hoạch",
            "Mã nhiệm vụ «{task}» không có trong Kế hoạch; dòng này không được tổng hợp. "
            "Nếu là việc làm thêm, hãy ghi vào cột «{result}» của nhiệm vụ gần nhất.",
            "A row whose task id is not in the catalogue.",
            more="Còn {count} dòng khác có mã nhiệm vụ không có trong Kế hoạch (ô {first} đến ô {last}); "
            "các dòng này không được tổng hợp. Nếu là dữ liệu thừa, hãy xóa các dòng đó.",
        ),
        _k(
            Code.TASK_DUPLICATE,
            E,
            "Nhiệm vụ bị lặp",
            "Nhiệm vụ {task} xuất hiện hai lần (ô {first} và {cell}): hãy xóa dòng thừa; "
            "chỉ dòng đầu tiên được tổng hợp.",
            "The same task id on two rows.",
        ),
        _k(
            Code.TASK_NOT_ASSIGNED,
            W,
            "Nhiệm vụ không giao cho đơn vị",
            "Nhiệm vụ {task} không giao cho đơn vị này; dòng này không được tổng hợp.",
            "A task of the catalogue that this unit does not report.",
        ),
        _k(
            Code.TASK_MISSING_ROW,
            W,
            "Thiếu dòng nhiệm vụ",
            "Thiếu {count} nhiệm vụ được giao: {tasks}. Hãy dùng mẫu đầy đủ, không xóa dòng.",
            "Rows of the unit's tasks were deleted from the sheet.",
        ),
        _k(
            Code.FIELD_UNKNOWN,
            W,
            "Mã chỉ số không thuộc đơn vị",
            "Mã «{fid}» không phải chỉ số đơn vị phải báo cáo; dòng này bị bỏ qua.",
            "A row of the indicator sheet whose field id the unit does not report.",
        ),
        _k(
            Code.FIELD_DUPLICATE,
            E,
            "Chỉ số bị lặp",
            "Chỉ số {fid} xuất hiện hai lần: hãy xóa dòng thừa.",
            "The same indicator field on two rows.",
        ),
        # --- cell values ---------------------------------------------------------------------
        _k(
            Code.REQUIRED,
            E,
            "Thiếu số liệu bắt buộc",
            "Chưa nhập «{what}» (mã {fid}): đây là số liệu bắt buộc để chấm điểm chỉ số.",
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
        ),
        _k(
            Code.FORMULA_EXTERNAL_LINK,
            W,
            "Công thức lấy từ tệp khác",
            "Ô {cell} lấy giá trị bằng công thức từ một tệp khác (liên kết ngoài): hệ thống dùng giá trị đã lưu "
            "trong tệp, không mở tệp kia. Hãy chép ô đó rồi dán giá trị (Dán đặc biệt › Giá trị) và gửi lại.",
            "A formula that reads another workbook; its cached value is used.",
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
            W,
            "Chỉ số thiếu minh chứng",
            "Chỉ số {indicator} thiếu minh chứng ({evidence_text}): điểm tự chấm không được công nhận "
            "(0 điểm). Hãy ghi số, ngày, tên văn bản chứng minh vào cột «{column}».",
            "A reported indicator with no evidence: its self-score is not counted.",
        ),
        _k(
            Code.VILLAGES_MISMATCH,
            W,
            "Khác với danh mục",
            "{note}",
            "A value that differs from the registry (units.csv), e.g. the number of villages.",
        ),
        # --- across periods ------------------------------------------------------------------
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
}
