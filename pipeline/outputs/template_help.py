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
            "1. Trang «Thông tin»: điền họ tên người báo cáo, chức vụ, điện thoại, email và ngày lập báo cáo.",
            "text",
        ),
    ]
    n = 1
    if has_tasks:
        n += 1
        lines += [
            (
                f"{n}. Trang «Nhiệm vụ»: mỗi dòng là một nhiệm vụ đơn vị phải báo cáo theo Kế hoạch "
                f"(Phụ lục 01, 02, 03). Ở cột «Tình trạng» chọn một trong: {statuses}. Dòng có hai mã nhiệm vụ "
                "là nhiệm vụ được giao ở hai phụ lục: chỉ điền một lần, kết quả được tính cho cả hai.",
                "text",
            ),
            (
                "   Cột «Kết quả (số liệu)» chỉ ghi số (ví dụ 25 hoặc 1,5), không ghi chữ; tỷ lệ phần trăm không "
                "quá 100. Nhiệm vụ có «Chỉ tiêu» mà đơn vị phải báo cáo số liệu thì bắt buộc ghi khi đã hoàn "
                "thành; chỉ tiêu của cả thành phố thì đơn vị chọn Có/Không. «Căn cứ» là văn bản hướng dẫn, không "
                "phải chỉ tiêu. Cột «Kết quả thực hiện» ghi ngắn gọn việc đã làm.",
                "text",
            ),
            (
                "   «Minh chứng» là số, ký hiệu và ngày của văn bản, hoặc đường dẫn, tên tệp tài liệu chứng minh "
                "(ví dụ: Kế hoạch số 12/KH-UBND ngày 05/10/2023). Ghi «x», «có», «ok», «rồi» hoặc một con số "
                "không phải là minh chứng. Nhiệm vụ «Hoàn thành» bắt buộc có minh chứng.",
                "text",
            ),
            (
                "   Nhiệm vụ phát sinh của đơn vị: ghi vào các dòng trống cuối bảng (để trống cột «Mã nhiệm vụ», "
                "ghi nội dung ở cột «Nhiệm vụ»); cần thêm dòng thì chèn dòng ngay dưới các dòng đó.",
                "text",
            ),
        ]
    if has_indicators:
        n += 1
        lines.append(
            (
                f"{n}. Trang «Chỉ số» (Phụ lục 04): ghi «Giá trị» cho từng dòng (chọn Có/Không hoặc ghi số) "
                f"và «Minh chứng». Chỉ số không có minh chứng ({evidence_text}) không được tính điểm.",
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
            "Mẫu tự kiểm tra khi đang điền: dòng chữ đỏ ở đầu mỗi trang cho biết còn bao nhiêu ô chưa điền và "
            "bao nhiêu ô lỗi; ô chuyển màu đỏ là lỗi, màu vàng đậm là chưa điền hoặc cần kiểm tra. Có thể lọc "
            "và sắp xếp bảng bằng nút lọc ở dòng tiêu đề. Chữ dài bị che thì nhấp đúp vào mép dưới số thứ tự "
            "dòng để giãn dòng.",
            "text",
        ),
        (
            "Không đổi tên trang, không xóa hoặc chèn cột, không sửa trang ẩn _meta: hệ thống dựa vào đó "
            "để nhận biết báo cáo của đơn vị. Có thể đổi tên tệp; có thể lưu bằng Excel, LibreOffice hoặc WPS.",
            "text",
        ),
        (send_to, "text"),
        (
            "Nếu báo cáo có lỗi, đơn vị sẽ nhận lại tệp phản hồi: các ô màu đỏ là lỗi phải sửa, ô màu vàng là "
            "điểm cần kiểm tra; sửa ngay trên tệp đó rồi gửi lại.",
            "text",
        ),
    ]
    return lines


def send_to(short_name: str, receiver: str, email: str, phone: str) -> str:
    """Where to send the return, with the receiving office's email and phone; said plainly when
    the registry of units does not have them yet."""
    text = f"Gửi tệp đã điền về {short_name} (qua {receiver}) trước hạn nộp, qua thư điện tử công vụ"
    if email:
        text += f" đến địa chỉ {email}"
    text += "."
    if phone:
        text += f" Điện thoại liên hệ: {phone}."
    missing = [
        what for what, value in (("địa chỉ thư điện tử", email), ("số điện thoại", phone)) if not value
    ]
    if missing:
        text += (
            f" Mẫu này chưa ghi {' và '.join(missing)} của {receiver} (danh mục đơn vị chưa cập nhật): "
            f"hãy dùng {' và '.join(missing)} mà {receiver} đã thông báo cho đơn vị."
        )
    return text
