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
CONTENT_UNKNOWN = "không nhận ra nội dung"
STRUCTURE_UNREADABLE = "không đọc được cấu trúc tệp"
TOO_MANY_CELLS = Text("{where} dùng tới {at_least}{rows} dòng × {cols} cột ({cells} ô, tối đa {limit} ô)")
TOO_MANY_CELLS_SHEET = Text("trang «{sheet}»")
TOO_MANY_CELLS_SOME_SHEET = "một trang tính"
AT_LEAST = "ít nhất "
SUFFIX = Text("«{suffix}»")
NO_SUFFIX = "trống"

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
    "xlsb": ("bảng tính Excel dạng nhị phân (.xlsb)", _SAVE_AS),
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
