"""Phrases that fill the detail slots of issue messages: why a value or a file was refused,
how a value was understood, what to write instead."""

from __future__ import annotations

from pipeline.base.messages.text import Text

# --- cell values (normalize) -------------------------------------------------------------------
NUMBER_HINT = "hãy nhập một số, ví dụ 12 hoặc 1,5"
INTEGER_HINT = "hãy nhập một số nguyên, ví dụ 12"
DATE_HINT = "viết theo dạng ngày/tháng/năm, ví dụ 15/12/2023"
MANY_NUMBERS = "có nhiều số"
NO_DIGIT = "không có chữ số nào"
MONTH_FIRST = "tháng ghi trước ngày"
TWO_DIGIT_YEAR = "năm ghi hai chữ số"
HUGE_NUMBER_SHOWN = "<số quá lớn>"
BELOW_MINIMUM = Text("nhỏ hơn mức tối thiểu {minimum}")
ABOVE_MAXIMUM = Text("lớn hơn mức tối đa {maximum}")
SPAN_BETWEEN = Text("từ {minimum} đến {maximum}")
SPAN_AT_LEAST = Text("từ {minimum} trở lên")
SPAN_AT_MOST = Text("không quá {maximum}")
TCVN3_ALSO_TOO_LONG = Text(" Nội dung cũng quá dài ({length} ký tự): hãy tóm tắt dưới {limit} ký tự.")

# --- files (intake guard) ----------------------------------------------------------------------
ZIP_TOO_MANY_PARTS = Text("có {count} phần, tối đa {limit}")
ZIP_PART_TOO_BIG = Text("phần «{member}» giải nén ra {size}, tối đa {limit}")
ZIP_PART_RATIO = Text("phần «{member}» có tỉ lệ nén {ratio} lần, tối đa {limit} lần")
ZIP_TOTAL_TOO_BIG = Text("tổng dung lượng giải nén {size}, tối đa {limit}")
ZIP_OVERLAP = "các phần chồng lên nhau"
ZIP_PART_LONGER = Text("phần «{member}» dài hơn kích thước khai báo")
ZIP_DUPLICATE_NAMES = "có phần bị trùng tên"
ZIP_LOCAL_HEADER_BAD = "tiêu đề phần nén sai"
ZIP_LOCAL_HEADER_MISMATCH = "tiêu đề phần nén không khớp"
ZIP_TWO_SIZES = Text("phần «{member}» khai báo hai kích thước khác nhau")
ZIP_TWO_CRCS = Text("phần «{member}» khai báo hai mã kiểm tra khác nhau")
ZIP_DATA_MISSING = "thiếu dữ liệu"
ZIP_METHOD_UNKNOWN = Text("kiểu nén lạ ({method})")
ZIP_CRC_BAD = Text("phần «{member}» sai mã kiểm tra")
ZIP_DEFLATE_CUT = "dữ liệu nén bị cắt cụt"
XML_ROW_BAD = Text("phần «{member}» có số dòng không hợp lệ")
XML_CELL_REF_BAD = Text("phần «{member}» có địa chỉ ô không hợp lệ «{ref}»")
OLE_MINI_STREAM_BAD = "luồng nhỏ OLE bị hỏng"
OLE_CHAIN_BAD = "chuỗi sector OLE bị lặp hoặc cắt cụt"
OLE_TOO_SHORT = "tệp OLE quá ngắn"
OLE_HEADER_BAD = "tiêu đề OLE sai"
OLE_DIRECTORY_LOOP = "thư mục OLE bị lặp"
OLE_DIRECTORY_CUT = "thư mục OLE bị cắt cụt"
OLE_NO_ROOT = "thiếu mục gốc OLE"
OLE_STRUCTURE_CUT = "tệp dừng giữa bảng cấp phát hoặc thư mục OLE"
CONTENT_UNKNOWN = "không nhận ra nội dung"
ZIP_DEFLATE_BAD = "dữ liệu nén bị hỏng"
_ZIP_DIRECTORY_BAD = "mục lục của tệp nén trỏ sai chỗ, thường do tệp bị cắt cụt hoặc bị ghi đè một phần"
_ZIP_EXTRA_BAD = "thông tin bổ sung của một phần nén bị hỏng"
# What zipfile's own error (its English words, as raised) says is damaged.
ZIP_DAMAGE = {
    "File is not a zip file": "không thấy mục lục ở cuối tệp nén, thường do tệp bị cắt cụt",
    "Bad magic number for central directory": _ZIP_DIRECTORY_BAD,
    "Bad offset for central directory": _ZIP_DIRECTORY_BAD,
    "Truncated central directory": "mục lục của tệp nén bị cắt cụt",
    "Truncated file header": "tiêu đề một phần nén bị cắt cụt",
    "Bad magic number for file header": "tiêu đề phần nén sai",
    "Corrupt extra field": _ZIP_EXTRA_BAD,
    "Corrupt zip64 extra field": _ZIP_EXTRA_BAD,
    "span multiple disks": "tệp nén bị chia thành nhiều tệp nhỏ",
    "Bad CRC-32": "dữ liệu sai mã kiểm tra",
}
STRUCTURE_UNREADABLE = "không đọc được cấu trúc tệp"
TOO_MANY_CELLS = Text("{where} dùng tới {at_least}{rows} dòng × {cols} cột ({cells} ô, tối đa {limit} ô)")
TOO_MANY_CELLS_SHEET = Text("trang «{sheet}»")
TOO_MANY_CELLS_SOME_SHEET = "một trang tính"
AT_LEAST = "ít nhất "
SUFFIX = Text("«{suffix}»")
NO_SUFFIX = "trống"

# Why the reader could not read a file (python-calamine's own error, said for the unit).
READER_GENERAL = "trình đọc bảng tính gặp lỗi trong cấu trúc tệp"
READER_PANIC = "cấu trúc tệp làm trình đọc bảng tính dừng giữa chừng, thường do tệp bị hỏng"
READER_CODEPAGE = Text("tệp ghi chữ bằng bảng mã số {codepage}, bảng mã mà hệ thống không hỗ trợ")
READER_MACRO_SHEET = "tệp có trang macro Excel 4.0, loại trang mà hệ thống không đọc được"
READER_SHEET_KIND = "tệp có một trang thuộc loại mà hệ thống không nhận ra"
READER_UTF16 = Text("phần «{member}» được lưu bằng bảng mã UTF-16, hệ thống chỉ đọc được bảng mã UTF-8")
READER_PART_DAMAGED = Text("phần «{member}» bị hỏng hoặc không đầy đủ")
READER_PART_MISSING = Text("tệp thiếu phần «{member}»")
READER_XML = "một phần nội dung XML của tệp bị sai cấu trúc"
READER_LAYOUT = "nội dung của tệp không theo đúng cấu trúc của bảng tính"
READER_SHEET_STATE = "một trang tính có trạng thái ẩn/hiện không hợp lệ"
READER_SHEET_MISSING = "tệp khai báo một trang tính nhưng thiếu nội dung của trang đó"
READER_RECORD_SHORT = "một bản ghi dữ liệu trong tệp ngắn hơn quy định, tức là tệp đã bị hỏng"
READER_CELL_ADDRESS = "tệp có địa chỉ ô không hợp lệ"
READER_SHARED_STRINGS = (
    "có ô trỏ tới nội dung không có trong bảng chữ dùng chung của tệp, tức là tệp đã bị hỏng"
)
READER_ODS_TEXT = (
    "nội dung trang tính (content.xml) có chữ hoặc khoảng trắng xen giữa các ô, "
    "cách ghi mà hệ thống không đọc được"
)
READER_RELATIONSHIP = "tệp thiếu liên kết giữa sổ làm việc và các trang tính"
READER_MIME = "tệp khai báo loại nội dung không phải bảng tính OpenDocument"
READER_CUT = "dữ liệu trong tệp bị cắt cụt giữa chừng, tệp bị hỏng hoặc chưa tải xong"
READER_OLE = "cấu trúc bên trong của tệp .xls bị hỏng"
READER_ZIP = "cấu trúc nén của tệp bị hỏng"
READER_FORMULA = "tệp có công thức mà hệ thống không đọc được"
READER_CELL_VALUE = "tệp có ô hoặc định dạng ô thuộc kiểu mà hệ thống không nhận ra"

# What a refused file seems to be, and what to do beyond "send the .xlsx template".
_SAVE_AS = " (mở tệp bằng Excel, chọn Lưu thành › Sổ làm việc Excel (.xlsx))"
_UNZIP = " (giải nén trước, rồi gửi riêng tệp .xlsx)"
FILE_KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("tệp PDF", " (không gửi bản in hay bản quét)"),
    "png": ("ảnh PNG", " (không gửi ảnh chụp màn hình)"),
    "jpeg": ("ảnh JPEG", " (không gửi ảnh chụp)"),
    "gif": ("ảnh GIF", ""),
    "rar": ("tệp nén RAR", _UNZIP),
    "7z": ("tệp nén 7z", _UNZIP),
    "gzip": ("tệp nén gzip", _UNZIP),
    "zip": ("tệp nén ZIP", _UNZIP),
    "docx": ("tài liệu Word (.docx)", ""),
    "doc": ("tài liệu Word cũ (.doc)", ""),
    "pptx": ("bản trình chiếu PowerPoint (.pptx)", ""),
    "ppt": ("bản trình chiếu PowerPoint cũ (.ppt)", ""),
    "odt": ("văn bản OpenDocument (.odt)", ""),
    "odf": ("tài liệu OpenDocument không phải bảng tính", ""),
    "ooxml": ("tài liệu Office không phải bảng tính", ""),
    "ole": ("tệp Office cũ không phải bảng tính", ""),
    "html": ("trang web (HTML)", _SAVE_AS),
    "xml2003": ("bảng tính XML 2003", _SAVE_AS),
    "xml": ("tệp XML", ""),
    "text": ("tệp văn bản (CSV/TXT)", _SAVE_AS),
    "unknown": ("tệp có định dạng không nhận ra", ""),
}
FORMAT_NAMES = {
    "xlsx": "bảng tính Excel (.xlsx)",
    "xlsm": "bảng tính Excel có macro (.xlsm)",
    "xls": "bảng tính Excel cũ (.xls)",
    "ods": "bảng tính OpenDocument (.ods)",
    "xlsb": "bảng tính Excel dạng nhị phân (.xlsb)",
}
# Workbooks of Excel before version 5.0 (and BIFF streams saved without their OLE2 container).
OLD_EXCEL = {
    "biff2": "Excel 2.x",
    "biff3": "Excel 3.0",
    "biff4": "Excel 4.0",
    "biff5": "Excel 5.0/95 lưu không kèm vỏ OLE",
    "biff8": "Excel 97–2003 lưu không kèm vỏ OLE",
}

# --- identification -----------------------------------------------------------------------------
BLANK = "trống"
PERIODS_DIFFER = Text("các tệp kiểm tra cùng lúc thuộc nhiều kỳ khác nhau ({periods})")
NO_OTHER_PERIOD = "không có tệp nào khác cho biết kỳ báo cáo"
MORE_TASKS = Text(" … và {count} nhiệm vụ khác")
FEED_REACHED = Text("đạt tối đa {points} điểm")
FEED_NOT_REACHED = "không đạt điểm nào"
EMPTY_NO_INDICATORS = " và chưa nhập giá trị chỉ số nào"

# --- evidence ------------------------------------------------------------------------------------
DOC_EXAMPLE = "Quyết định số 12/QĐ-UBND ngày 05/10/2023"
