"""The store's messages (``pipeline.store``): a run waiting for another, opening, migrating,
export and import, and the lines of ``dti store check``. ``text(key, **slots)`` fills one."""

from __future__ import annotations

from pipeline.base import vocabulary as V
from pipeline.base.messages.text import Text

_MESSAGES: dict[str, str] = {
    # another run holds the store
    "busy": (
        "Kho dữ liệu đang được một lần chạy khác sử dụng (bắt đầu lúc {started_at}); đã chờ {waited} giây. "
        "Hãy chờ lần chạy đó xong rồi chạy lại."
    ),
    "busy_unknown_start": (
        "Kho dữ liệu đang được một lần chạy khác sử dụng; đã chờ {waited} giây. "
        "Hãy chờ lần chạy đó xong rồi chạy lại."
    ),
    # opening
    "too_new": (
        "Kho dữ liệu {store} do một phiên bản dti mới hơn ghi (cấu trúc kho phiên bản {revision}{writer}); "
        "phiên bản dti đang dùng ({tool_version}) chỉ đọc được cấu trúc đến phiên bản {head}. "
        "Không có gì trong kho bị thay đổi. Hãy cập nhật dti lên phiên bản mới rồi chạy lại."
    ),
    "too_new_writer": ", ghi lần cuối bởi dti {tool_version}",
    "not_a_store": (
        "Tệp {store} không phải là kho dữ liệu của dti (không đọc được, hoặc chứa dữ liệu khác). "
        "Hãy chỉ đường dẫn khác bằng tùy chọn --db hoặc biến môi trường DTI_DB."
    ),
    "unavailable": (
        "Không mở được kho dữ liệu {store}: {reason}. "
        "Hãy kiểm tra địa chỉ ghi trong tùy chọn --db hoặc biến môi trường DTI_DB, và máy chủ cơ sở dữ liệu."
    ),
    "bad_url": (
        "Địa chỉ kho dữ liệu «{url}» không được hỗ trợ. Chỉ dùng được đường dẫn đến một tệp SQLite "
        "(hoặc sqlite:///…) hoặc địa chỉ PostgreSQL (postgresql://…)."
    ),
    "migrated": ("Đã nâng cấp cấu trúc kho dữ liệu {store} từ phiên bản {old} lên phiên bản {new}.{backup}"),
    "migrated_backup": " Bản sao kho trước khi nâng cấp: {path}.",
    "created": "Đã tạo kho dữ liệu mới {store} (cấu trúc phiên bản {revision}).",
    # export / import
    "export_not_empty": (
        "Thư mục {folder} đã có tệp. Hãy chọn một thư mục trống (hoặc chưa có) để xuất kho dữ liệu."
    ),
    "import_not_empty": (
        "Kho dữ liệu {store} đã có dữ liệu ({rows} dòng), nên không nhập được: chỉ nhập vào một kho trống. "
        "Hãy chỉ một kho mới bằng tùy chọn --db hoặc biến môi trường DTI_DB."
    ),
    "import_no_manifest": ("Thư mục {folder} không có tệp manifest.json của một bản xuất kho dữ liệu dti."),
    "import_bad_manifest": "Tệp manifest.json trong thư mục {folder} không đúng định dạng: {reason}.",
    "import_revision": (
        "Bản xuất trong thư mục {folder} có cấu trúc kho phiên bản {revision}, khác cấu trúc của dti đang dùng "
        "(phiên bản {head}). Hãy nhập bằng phiên bản dti đã xuất bản này, rồi mở kho bằng phiên bản đang dùng "
        "để nâng cấp."
    ),
    "import_missing_file": "Thiếu tệp {file} trong thư mục {folder} (manifest.json có ghi tệp này).",
    "import_checksum": (
        "Tệp {file} trong thư mục {folder} không khớp với manifest.json (mã kiểm tra sha256 khác): "
        "tệp đã bị sửa hoặc chép không đầy đủ."
    ),
    "import_rows": "Tệp {file} có {found} dòng dữ liệu, trong khi manifest.json ghi {expected} dòng.",
    "import_columns": "Tệp {file} có các cột «{found}», trong khi bảng {table} cần các cột «{expected}».",
    "import_value": "Tệp {file}, dòng {line}, cột {column}: giá trị «{value}» không hợp lệ.",
    # reasons
    "reason_refused": "máy chủ từ chối kết nối hoặc không trả lời",
    "reason_unreadable": "không đọc được tệp",
}

# what the tables hold, for `dti store check`
TABLE_LABELS: dict[str, str] = {
    "runs": "Lần chạy",
    "files": "Tệp đã nhận",
    "submissions": "Báo cáo đơn vị nộp (mọi lần nộp)",
    "cells": "Ô dữ liệu",
    "issues": "Lỗi và cảnh báo",
    "task_rows": "Dòng nhiệm vụ đã tổng hợp",
    "scores": "Điểm chỉ số",
    "reminders": "Lời nhắc đã gửi",
    "links": "Đường dẫn riêng đã cấp",
}

_CHECK_LINES: dict[str, str] = {
    "store": "Kho dữ liệu: {store} ({dialect})",
    "revision": "Cấu trúc kho: phiên bản {revision} (phiên bản mới nhất của dti này: {head})",
    "up_to_date": "Cấu trúc kho đã ở phiên bản mới nhất.",
    "behind": "Cấu trúc kho cũ hơn: sẽ được nâng cấp khi mở bằng dti này.",
    "empty": "Kho chưa có cấu trúc (kho mới).",
    "integrity_ok": "Kiểm tra toàn vẹn tệp SQLite: tốt.",
    "integrity_bad": "Kiểm tra toàn vẹn tệp SQLite: có lỗi ({detail}).",
    "references_ok": "Liên kết giữa các bảng: đầy đủ.",
    "references_bad": "Liên kết giữa các bảng: có dòng trỏ đến dữ liệu không còn trong kho.",
    "dangling": "  {label}, cột {column}: {count} dòng trỏ đến dữ liệu không có",
    "count": "  {label}: {count} dòng",
}

CHECK_LINES: dict[str, Text] = {key: Text(template) for key, template in _CHECK_LINES.items()}

TIME_FORMAT = "%H:%M:%S ngày %d/%m/%Y"  # 14:05:09 ngày 18/12/2023, in the machine's local time

DIALECT_LABELS: dict[str, str] = {"sqlite": "tệp SQLite", "postgresql": "PostgreSQL"}


MESSAGES: dict[str, Text] = {key: Text(template) for key, template in _MESSAGES.items()}


def text(key: str, **slots: object) -> str:
    """The message ``key`` with exactly its ``{slots}`` filled."""
    return MESSAGES[key].format(**slots)


def seconds(value: float) -> str:
    """A duration in seconds the Vietnamese way: ``30``, ``1,5``."""
    return V.number(round(value, 1), decimals=1)


number = V.thousands
