"""The words of the templates' ``Hướng dẫn`` sheet: how to fill the return and send it back.

Help text for the clerk, in Vietnamese, kept apart from the code that lays the sheet out. Each
line is (text, style): ``title``, ``bold`` or ``text``.
"""

from __future__ import annotations

from datetime import date

from pipeline.base import vocabulary as V


def guide_lines(
    unit: str,
    period_label: str,
    deadline: date,
    has_tasks: bool,
    has_indicators: bool,
    evidence_text: str,
    send_to: str,
) -> list[tuple[str, str]]:
    statuses = "; ".join(V.STATUS_VALUES)
    lines = [
        ("HƯỚNG DẪN ĐIỀN BÁO CÁO CHUYỂN ĐỔI SỐ (DTI)", "title"),
        (f"Đơn vị: {unit}", "bold"),
        (f"Kỳ báo cáo: {period_label}. Hạn nộp: {V.day(deadline)} (chậm nhất hết ngày này).", "bold"),
        ("", "text"),
        (
            "1. Trang «Thông tin»: điền họ tên người báo cáo, chức vụ, điện thoại, email và ngày báo cáo.",
            "text",
        ),
    ]
    n = 1
    if has_tasks:
        n += 1
        lines += [
            (
                f"{n}. Trang «Nhiệm vụ»: mỗi dòng là một nhiệm vụ đơn vị phải báo cáo theo Kế hoạch "
                f"(Phụ lục 01, 02, 03). Ở cột «Tình trạng» chọn một trong: {statuses}.",
                "text",
            ),
            (
                "   Cột «Kết quả (số liệu)» chỉ ghi số (ví dụ 25 hoặc 1,5), không ghi chữ. Nhiệm vụ có «Chỉ tiêu» "
                "thì bắt buộc ghi số liệu khi đã hoàn thành. Cột «Kết quả thực hiện» ghi ngắn gọn việc đã làm.",
                "text",
            ),
            (
                "   «Minh chứng» là số, ngày và tên văn bản hoặc đường dẫn đến tài liệu chứng minh "
                "(ví dụ: Kế hoạch số 12/KH-UBND ngày 05/10/2023). Nhiệm vụ «Hoàn thành» bắt buộc có minh chứng.",
                "text",
            ),
        ]
    if has_indicators:
        n += 1
        lines.append(
            (
                f"{n}. Trang «Chỉ số» (Phụ lục 04): ghi «Giá trị» cho từng dòng (Có/Không hoặc số) và «Minh chứng». "
                f"Chỉ số không có minh chứng ({evidence_text}) được tính 0 điểm.",
                "text",
            )
        )
        if not has_tasks:
            lines.append(
                (
                    "   Báo cáo kỳ này chỉ gồm các chỉ số: tiến độ thực hiện nhiệm vụ được tổng hợp từ báo cáo "
                    "tháng của đơn vị.",
                    "text",
                )
            )
    lines += [
        ("", "text"),
        (
            "Không đổi tên trang, không xóa hoặc chèn cột, không sửa trang ẩn _meta: hệ thống dựa vào đó "
            "để nhận biết báo cáo của đơn vị. Có thể đổi tên tệp; có thể lưu bằng Excel, LibreOffice hoặc WPS.",
            "text",
        ),
        (send_to, "text"),
        (
            "Nếu báo cáo có lỗi, đơn vị sẽ nhận lại tệp phản hồi: các ô tô đỏ là lỗi phải sửa, ô tô vàng là "
            "điểm cần kiểm tra; sửa ngay trên tệp đó rồi gửi lại.",
            "text",
        ),
    ]
    return lines


def send_to(short_name: str, receiver: str, email: str, phone: str) -> str:
    """Where to send the return, with the receiving office's email and phone when known."""
    text = f"Gửi tệp đã điền về {short_name} (qua {receiver}) trước hạn nộp, qua thư điện tử công vụ"
    if email:
        text += f" đến địa chỉ {email}"
    text += "."
    if phone:
        text += f" Điện thoại liên hệ: {phone}."
    return text
