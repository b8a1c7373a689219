"""One entry per issue code: severity, Vietnamese title, message template(s), English description.

The slots ``{file}``, ``{sheet}`` and ``{cell}`` are filled from where the issue is (the file's
name as the analyst sees it, the sheet, the A1 cell); every other slot is given where the issue
is raised. A few kinds have named variants: the same kind of problem said for another case
(a number with words in it, or no digit at all). The cell values, the checks across fields and
across periods are in :mod:`.issues_values`; e-mail intake's sentences in :mod:`.mail`.
"""

from __future__ import annotations

from pipeline.base.codes import Code
from pipeline.base.messages import mail as M
from pipeline.base.messages.issues_values import VALUE_KINDS  # the cell values and checks across fields
from pipeline.base.messages.kinds import E, IssueKind, W
from pipeline.base.messages.kinds import k as _k

_SAVE_AGAIN = "hãy mở bằng Excel, lưu lại dạng .xlsx rồi gửi lại"
_ORIGINAL_TEMPLATE = "hãy điền số liệu vào tệp mẫu Excel (.xlsx) gốc rồi gửi lại"
_NOT_COUNTED = "Tệp «{file}» không được tổng hợp"
_USE_TEMPLATE = "Hãy dùng đúng mẫu do {receiver} gửi cho đơn vị, không sửa trang _meta."


_FILE_AND_ROWS: tuple[IssueKind, ...] = (
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
        "{unit} gửi {count} tệp báo cáo kỳ {period} ({files}): chỉ tệp nhận sau cùng "
        "được tổng hợp, các tệp khác coi như đã được thay thế.",
        "A unit sent several returns for the period; the last received counts.",
    ),
    _k(
        Code.UNIT_MISMATCH,
        E,
        "Mã đơn vị và tên đơn vị khác nhau",
        _NOT_COUNTED + ": tệp là mẫu báo cáo của {unit_name} nhưng ô «{column}» ở trang «{info}» "
        "ghi «{typed}» ({typed_unit}). Mỗi đơn vị chỉ gửi mẫu của chính mình; hãy dùng đúng mẫu do "
        "{receiver} gửi.",
        "_meta and the info sheet name different units.",
    ),
    _k(
        Code.RETURN_EMPTY,
        E,
        "Báo cáo chưa điền",
        "Tệp «{file}» chưa điền gì: chưa chọn «{status}» cho nhiệm vụ nào{indicators}. "
        "Báo cáo chưa được tính là đã nộp; hãy điền rồi gửi lại.",
        "A return with no task status and no indicator value: refused, not counted as received.",
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
        "Nếu là nhiệm vụ phát sinh của đơn vị, hãy để trống cột «{column}» và ghi nội dung "
        "nhiệm vụ vào cột «{text}».",
        "A row whose task id is not in the catalogue.",
        no_text="Dòng này có «{status}» nhưng không có mã nhiệm vụ và chưa ghi nội dung ở cột «{text}»: "
        "nếu là nhiệm vụ phát sinh, hãy ghi nội dung nhiệm vụ; nếu không, hãy xóa dòng.",
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
    _k(
        Code.TASK_NOT_REPORTED,
        W,
        "Nhiệm vụ chưa báo cáo tiến độ",
        "Nhiệm vụ {task} chưa báo cáo tiến độ: hãy chọn «{status}» ({listing}).",
        "A task row left without a status.",
    ),
)

ISSUES: dict[Code, IssueKind] = {k.code: k for k in (*_FILE_AND_ROWS, *VALUE_KINDS)}
