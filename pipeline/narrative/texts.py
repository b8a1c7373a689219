"""Every Vietnamese word the narrative report prints, and the number and date formatters.

Nothing else in :mod:`pipeline.narrative` holds a Vietnamese string: a locality that words its
report differently edits this module only. Numbers and dates are written the Vietnamese way:
``1.234`` (thousands with a point), ``97,2%`` (decimals with a comma), ``01/12/2023``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

# --- formatters -----------------------------------------------------------------------------


def vn_int(n: Any) -> str:
    """An integer with Vietnamese thousands separators: ``1234`` → ``1.234``."""
    return f"{round(float(n)):,}".replace(",", ".")


def vn_num(x: Any, decimals: int = 2) -> str:
    """A number with at most ``decimals`` decimals, Vietnamese style: ``9,47``, ``10``, ``1.234,5``."""
    value = float(x)
    if not math.isfinite(value):
        return ""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_pct(x: Any) -> str:
    """A percentage (0–100) with one decimal at most: ``97,2%``, ``100%``."""
    return f"{vn_num(x, 1)}%"


def vn_date(d: date) -> str:
    """``01/12/2023``."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def as_date(value: Any) -> date | None:
    """A date from a ``date``, ``datetime``, pandas ``Timestamp`` or ISO string; None if blank."""
    if value is None or value != value:  # None, NaN, NaT
        return None
    if isinstance(value, datetime):  # also pandas.Timestamp (NaT is not a datetime instance)
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None
    return None


def ratio(part: Any, whole: Any) -> str:
    """``34/36``."""
    return f"{vn_int(part)}/{vn_int(whole)}"


def nfc(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text))


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def join_names(names: Iterable[str]) -> str:
    """``A, B và C``; ``A; B; C`` when a name holds a comma, ``A, B, C`` when one holds "và"
    ("Phòng Văn hóa và Thông tin, UBND phường Trần Lãm")."""
    items = [n for n in names if n]
    if len(items) <= 1:
        return "".join(items)
    if any("," in n for n in items):
        return "; ".join(items)
    if any(" và " in n for n in items):
        return ", ".join(items)
    return f"{', '.join(items[:-1])} và {items[-1]}"


def quoted(text: str) -> str:
    return f"«{text}»"


def end_sentence(text: str) -> str:
    """A period after text that does not end with one already (a quote keeps its own)."""
    stripped = text.rstrip()
    return stripped if stripped.endswith((".", "!", "?", "…", ".»", "!»", "?»")) else stripped + "."


TASK_ID_RE = re.compile(r"^PL0*(\d+)-(\S+)$")


def task_ref(task_id: str) -> str:
    """``PL01-1.5`` → ``mục 1.5 Phụ lục 01``; a unit's own task → "nhiệm vụ phát sinh"."""
    m = TASK_ID_RE.match(str(task_id).strip())
    if m:
        return f"mục {m.group(2)} Phụ lục {int(m.group(1)):02d}"
    return "nhiệm vụ phát sinh của đơn vị"


# --- the document's fixed parts (Nghị định 30/2020/NĐ-CP, Phụ lục I) ---------------------------

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
NUMBER_BLANK = "……"  # the office writes the number
DAY_BLANK = "……"
SIGNER_NAME_BLANK = "……………………………"
SAMPLE_MARK = "DỮ LIỆU MẪU – KHÔNG GỬI"
DOC_TITLE = "BÁO CÁO"
RECIPIENT_LABEL = "Kính gửi:"
COPIES_LABEL = "Nơi nhận:"
COPY_AS_ABOVE = "- Như trên;"
ARCHIVE = "- Lưu: {archive}."
DEFAULT_ARCHIVE = "VT"
DEFAULT_LEVEL = "thành phố"
DEFAULT_SIGNER_AUTHORITY = "KT. CHỦ TỊCH"  # signs for the chairman
DEFAULT_SIGNER_TITLE = "PHÓ CHỦ TỊCH"
YES_WORDS = ("true", "1", "có", "yes")  # a flag typed as text


def number_line(symbol: str) -> str:
    return f"Số: {NUMBER_BLANK}/{symbol}"


def date_line(place: str, year: int) -> str:
    return f"{place}, ngày {DAY_BLANK} tháng {DAY_BLANK} năm {year}"


def copy_line(recipient: str) -> str:
    return f"- {recipient.rstrip(' ;.')};"


def period_phrase(kind: str, label: str) -> str:
    """How the period reads inside a sentence: "Quý IV năm 2023", "tháng 10 năm 2023", "năm 2023"."""
    return label if kind == "quarter" else lower_first(label)


def summary_line(kind: str, label: str) -> str:
    """The trích yếu under "BÁO CÁO"."""
    phrase = period_phrase(kind, label)
    if kind == "month":
        return f"Tiến độ thực hiện nhiệm vụ nâng cao Chỉ số chuyển đổi số (DTI) {phrase}"
    return f"Kết quả thực hiện Kế hoạch nâng cao Chỉ số chuyển đổi số (DTI) {phrase}"


def doc_title(kind: str, label: str, sample: bool) -> str:
    title = f"{DOC_TITLE} {lower_first(summary_line(kind, label))}"
    return f"[{SAMPLE_MARK}] {title}" if sample else title


def doc_subject(code: str, admin_code: str, period_id: str, sample: bool) -> str:
    admin = f" (mã đơn vị hành chính {admin_code})" if admin_code else ""
    text = f"Báo cáo DTI – {code}{admin} – kỳ {period_id}"
    return f"{text} – {SAMPLE_MARK}" if sample else text


DOC_KEYWORDS = "DTI; chuyển đổi số; {code}; {period_id}"
DOC_CATEGORY = "Báo cáo"


def appendix_note(file_name: str) -> str:
    return f"Chi tiết tại Phụ lục kèm theo (tệp {file_name})."


# --- opening ----------------------------------------------------------------------------------


def opening(plan: str, authority: str, kind: str, phrase: str) -> str:
    what = "tiến độ thực hiện nhiệm vụ" if kind == "month" else "kết quả thực hiện"
    if plan:
        return f"Thực hiện {plan}, {authority} báo cáo {what} trong {phrase} như sau:"
    return f"{authority} báo cáo {what} Kế hoạch nâng cao Chỉ số chuyển đổi số (DTI) trong {phrase} như sau:"


def data_source(receiver: str, made_on: str) -> str:
    return (
        f"Số liệu được tổng hợp từ báo cáo của các cơ quan, đơn vị, địa phương gửi về {receiver}, "
        f"tính đến ngày {made_on}."
    )


# --- I. reporting -----------------------------------------------------------------------------

H_REPORTING = "I. TÌNH HÌNH BÁO CÁO"


def kind_label(kind: str, level: str) -> str:
    """How a kind of unit (units.csv ``kind``) reads at the start of a line."""
    return {
        "department": f"Các phòng, ban, đơn vị thuộc {level}",
        "agency": f"Các cơ quan ngành dọc đóng trên địa bàn {level}",
        "ward": "UBND các phường",
        "commune": "UBND các xã",
    }.get(kind, "Các đơn vị khác")


def expected_line(phrase: str, expected: int, deadline: str) -> str:
    return (
        f"Kỳ báo cáo {phrase} có {vn_int(expected)} cơ quan, đơn vị, địa phương phải gửi báo cáo; "
        f"hạn gửi báo cáo là ngày {deadline}."
    )


def received_line(made_on: str, r: dict[str, Any]) -> str:
    n, got, on_time, late, missing = (
        int(r[k]) for k in ("expected", "received", "on_time", "late", "missing")
    )
    if got == 0:
        return f"Đến ngày {made_on}, chưa nhận được báo cáo của đơn vị nào."
    head = f"Đến ngày {made_on}, đã nhận được báo cáo của {ratio(got, n)} đơn vị, đạt {vn_pct(r['rate_pct'])}"
    if late == 0:
        timing = "tất cả đều gửi đúng hạn"
    else:
        timing = (
            f"trong đó {ratio(on_time, n)} đơn vị gửi đúng hạn ({vn_pct(r['on_time_pct'])}), "
            f"{vn_int(late)} đơn vị gửi muộn"
        )
    tail = f"còn {vn_int(missing)} đơn vị chưa gửi báo cáo" if missing else "không còn đơn vị nào chưa gửi"
    return f"{head}; {timing}; {tail}."


def kind_line(label: str, r: dict[str, Any]) -> str:
    n, got, on_time, late, missing = (
        int(r[k]) for k in ("expected", "received", "on_time", "late", "missing")
    )
    parts = [f"{ratio(got, n)} đơn vị đã gửi báo cáo ({vn_pct(r['rate_pct'])})"]
    if got:
        parts.append(f"đúng hạn {vn_int(on_time)}" + (f", gửi muộn {vn_int(late)}" if late else ""))
    if missing:
        parts.append(f"chưa gửi {vn_int(missing)}")
    return f"- {label}: {'; '.join(parts)}."


NO_RATES = "Chưa có số liệu về tình hình gửi báo cáo của các đơn vị trong kỳ."


def late_detail(received: str, days: int | None) -> str:
    if received and days:
        return f"gửi ngày {received}, muộn {vn_int(days)} ngày"
    if received:
        return f"gửi ngày {received}"
    return f"muộn {vn_int(days)} ngày" if days else ""


LATE_LINE = "- Đơn vị gửi báo cáo muộn: {items}."  # items joined with "; "
MISSING_LINE = "- Đơn vị chưa gửi báo cáo: {names}."  # names: join_names
REFUSED_LINE = "- Có {count} tệp báo cáo không được tiếp nhận: {items}."
MISSING_REFUSED = "đã gửi tệp nhưng tệp không hợp lệ"
UNKNOWN_SENDER = "không xác định được đơn vị gửi"
UNKNOWN_UNIT = "đơn vị chưa xác định"
RESENT = "đơn vị đã gửi lại báo cáo hợp lệ"


def refused_item(sender: str | None, reason: str, resent: bool) -> str:
    """One refused file: whose it is (None: not identified), why, and whether a good one followed."""
    notes = [n for n in (reason, RESENT if resent else "") if n]
    who = f"tệp của {sender}" if sender else f"tệp {UNKNOWN_SENDER}"
    return f"{who} ({'; '.join(notes)})" if notes else who


# --- II. results ------------------------------------------------------------------------------

H_RESULTS = "II. KẾT QUẢ THỰC HIỆN"
H_INDICATORS = "Kết quả các chỉ số đánh giá chuyển đổi số"
H_TASKS = "Kết quả thực hiện nhiệm vụ theo từng lĩnh vực"
H_TARGETS = "Kết quả thực hiện các chỉ tiêu định lượng"


NUMBERED = "{n}. {title}"
NO_INDICATORS = "Kỳ báo cáo này không có chỉ số đánh giá chuyển đổi số phải báo cáo."


def indicators_intro(n_indicators: int, n_units: int) -> str:
    units = f" đối với {vn_int(n_units)} đơn vị được giao" if n_units else ""
    return (
        f"Trong kỳ, {vn_int(n_indicators)} chỉ số đánh giá chuyển đổi số (Phụ lục 04) được chấm điểm{units}. "
        "Điểm chỉ được công nhận khi có số liệu, văn bản chứng minh; đơn vị chưa báo cáo được tính 0 điểm. "
        "Kết quả cụ thể như sau:"
    )


def bullet(head: str, clauses: Sequence[str]) -> str:
    """``- head: clause; clause.``"""
    return f"- {head}: {'; '.join(clauses)}." if clauses else f"- {head}."


INDICATOR_HEAD = "Chỉ số {iid} «{name}»"
INDICATOR_MEAN = "điểm bình quân đạt {mean}/{max} điểm"
BELOW_MAX = "chưa đạt điểm tối đa: {items}"
UNIT_NOTE = "{name} ({note})"  # a unit and what is said of it: its score, its value
POINTS = "{score} điểm"


def indicator_full(full: int, resp: int) -> str:
    if resp and full == resp:
        return f"cả {vn_int(resp)} đơn vị đều đạt điểm tối đa"
    return f"{ratio(full, resp)} đơn vị đạt điểm tối đa"


SCORE_NOT_SENT = "chưa gửi báo cáo"
SCORE_NOT_REPORTED = "chưa có số liệu hợp lệ"
SCORE_NO_EVIDENCE = "thiếu minh chứng"


def all_full_line(full: int, n: int) -> str:
    if n and full == n:
        return f"Cả {vn_int(n)} đơn vị đều đạt điểm tối đa ở tất cả các chỉ số được giao."
    return f"Có {ratio(full, n)} đơn vị đạt điểm tối đa ở tất cả các chỉ số được giao."


NO_TASKS = "Trong kỳ không có nhiệm vụ được giao phải báo cáo."


def tasks_overview(t: dict[str, int], pct: float) -> str:
    parts = [
        f"hoàn thành {vn_int(t['done'])} lượt, đạt {vn_pct(pct)} số lượt phải thực hiện",
        f"đang thực hiện {vn_int(t['in_progress'])} lượt",
        f"chưa thực hiện {vn_int(t['not_started'])} lượt",
    ]
    if t["not_applicable"]:
        parts.append(f"không phát sinh {vn_int(t['not_applicable'])} lượt")
    unreported = t["assigned"] - t["reported"]
    if unreported:
        parts.append(f"chưa được báo cáo {vn_int(unreported)} lượt")
    overdue = (
        f" Có {vn_int(t['overdue'])} lượt nhiệm vụ đã quá thời hạn hoàn thành mà chưa hoàn thành."
        if t["overdue"]
        else " Không có nhiệm vụ quá thời hạn hoàn thành."
    )
    return (
        f"Tổng số lượt nhiệm vụ được giao tại Phụ lục 01, 02, 03 là {vn_int(t['assigned'])} lượt (mỗi "
        f"nhiệm vụ tính một lượt cho mỗi đơn vị thực hiện); các đơn vị đã báo cáo {vn_int(t['reported'])} "
        f"lượt. Kết quả: {'; '.join(parts)}.{overdue}"
    )


RATE_NOTE = (
    "Tỷ lệ hoàn thành được tính bằng số lượt hoàn thành chia cho số lượt phải thực hiện "
    "(số lượt được giao, không kể lượt không phát sinh). Kết quả theo từng lĩnh vực:"
)


def pillar_line(name: str, p: dict[str, Any]) -> str:
    due = int(p["assigned"]) - int(p["not_applicable"])
    if due <= 0:
        return f"- {name}: các nhiệm vụ không phát sinh trong kỳ."
    parts = [f"hoàn thành {ratio(p['done'], due)} lượt ({vn_pct(p['done_pct'])})"]
    if p["in_progress"]:
        parts.append(f"đang thực hiện {vn_int(p['in_progress'])}")
    if p["not_started"]:
        parts.append(f"chưa thực hiện {vn_int(p['not_started'])}")
    unreported = int(p["assigned"]) - int(p["reported"])
    if unreported:
        parts.append(f"chưa báo cáo {vn_int(unreported)}")
    overdue = f"; quá hạn {vn_int(p['overdue'])} lượt" if p["overdue"] else ""
    return f"- {name}: {', '.join(parts)}{overdue}."


NO_TARGETS = "Trong kỳ không có nhiệm vụ có chỉ tiêu định lượng phải đánh giá."


TARGET_HEAD = "{target} ({ref}: «{task}»)"
TARGET_SINGLE_MISSING = "{name} chưa báo cáo số liệu"
TARGET_COUNTS = "{ratio} đơn vị đạt chỉ tiêu"
TARGET_UNMET = "chưa đạt: {items}"
TARGET_UNREPORTED = "chưa báo cáo số liệu: {names}"
ANNUAL_TARGET = "chỉ tiêu năm, được đánh giá tại kỳ báo cáo năm"
TARGET_PENDING = ANNUAL_TARGET + "; số liệu đến nay: {items}"


def with_measure(value: float, measure: str) -> str:
    """``0,5 lần/tuần``, ``15 tin bài``, ``8%``."""
    return f"{vn_num(value)}{measure}" if measure.startswith("%") else f"{vn_num(value)} {measure}".strip()


def target_single(name: str, value: str, met: bool | None) -> str:
    verdict = {True: "đạt chỉ tiêu", False: "chưa đạt chỉ tiêu", None: ANNUAL_TARGET}[met]
    return f"{name} đạt {value}, {verdict}"


TARGET_NONE_REPORTED = "chưa có đơn vị báo cáo số liệu"


# --- III. shortcomings ------------------------------------------------------------------------

H_SHORTCOMINGS = "III. TỒN TẠI, HẠN CHẾ"


MISSING_SHORT = "- Còn {count} đơn vị chưa gửi báo cáo: {names}."
LATE_SHORT = "- Có {count} đơn vị gửi báo cáo chậm so với thời hạn: {names}."
REFUSED_SHORT = (
    "- Có {count} tệp báo cáo lập không đúng mẫu hoặc không đọc được, phải trả lại để đơn vị hoàn thiện."
)
OVERDUE_HEAD = "- Có {count} lượt nhiệm vụ đã quá thời hạn hoàn thành nhưng chưa hoàn thành:"
OVERDUE_ITEM = "+ «{task}» ({ref}{due}): {names}."
OVERDUE_DUE = ", thời hạn {date}"
LOW_SCORES = "- Có {count} đơn vị chưa đạt điểm tối đa ở ít nhất một chỉ số: {items}."
LOW_SCORE_ITEM = "{name} (chỉ số {ids})"
NO_EVIDENCE = (
    "- Có {count} đơn vị tự chấm đạt điểm nhưng chưa có số liệu, văn bản chứng minh nên điểm chưa được "
    "công nhận: {names}."
)
UNMET_TARGETS = "- Chỉ tiêu định lượng chưa đạt: {items}."
DIFFICULTIES_HEAD = "- Khó khăn, vướng mắc do các đơn vị phản ánh:"
NO_DIFFICULTIES = "- Trong kỳ, các đơn vị không phản ánh khó khăn, vướng mắc."
DIFFICULTY_ITEM = "+ {name}: «{text}» ({about})."
ABOUT_TASK = "nhiệm vụ «{task}»"
ABOUT_TASKS = "các nhiệm vụ tại {refs}"
NO_SHORTCOMINGS = "Trong kỳ, không phát sinh tồn tại, hạn chế đáng kể."

# --- IV. proposals ----------------------------------------------------------------------------

H_PROPOSALS = "IV. ĐỀ XUẤT, KIẾN NGHỊ"
H_UNIT_REQUESTS = "Kiến nghị, đề xuất của các đơn vị"
H_CITY_PROPOSALS = "Đề xuất, kiến nghị của {authority}"
REQUESTS_INTRO = "Qua tổng hợp, các đơn vị có kiến nghị, đề xuất như sau:"
NO_REQUESTS = "Trong kỳ, các đơn vị không có kiến nghị, đề xuất cụ thể."


REQUEST_ITEM = "- {name}: «{text}»"  # then end_sentence: a quote that ends a sentence keeps its own
PROPOSALS_INTRO = "Đề nghị {recipient}:"


def standard_proposals(level: str, has_requests: bool) -> list[str]:
    out = [
        f"- Tiếp tục hướng dẫn, hỗ trợ {level} về chuyên môn, nghiệp vụ trong triển khai các nhiệm vụ "
        "chuyển đổi số và trong thu thập số liệu, tài liệu kiểm chứng phục vụ đánh giá Chỉ số DTI;",
        "- Tiếp tục tổ chức bồi dưỡng, tập huấn kỹ năng số cho cán bộ, công chức và thành viên các "
        "Tổ công nghệ số cộng đồng;",
    ]
    if has_requests:
        out.append(
            "- Xem xét, giải quyết theo thẩm quyền hoặc tổng hợp, báo cáo Ban Chỉ đạo về chuyển đổi số "
            "tỉnh các kiến nghị của các đơn vị nêu trên."
        )
    else:
        out[-1] = out[-1].rstrip(";") + "."
    return out


def follow_up(authority: str, receiver: str, lagging: bool) -> str:
    text = (
        f"Trong thời gian tới, {authority} tiếp tục chỉ đạo các cơ quan, đơn vị, địa phương tập trung "
        "thực hiện các nhiệm vụ, chỉ tiêu được giao"
    )
    if lagging:
        text += (
            "; yêu cầu các đơn vị chưa gửi báo cáo, gửi báo cáo muộn, còn nhiệm vụ quá hạn hoặc chỉ tiêu "
            f"chưa đạt khẩn trương khắc phục và báo cáo kết quả về {receiver}"
        )
    return text + "."


def closing(summary: str, authority: str, recipient: str) -> str:
    return (
        f"Trên đây là báo cáo {lower_first(summary)} của {authority}, kính gửi {recipient} "
        "tổng hợp, theo dõi./."
    )


# --- how requests are picked from the units' own words --------------------------------------------

# A sentence of a difficulty is a request when it holds one of these words (whole words, any case).
_REQUEST_WORDS = (
    "đề nghị|đề xuất|kiến nghị|xin|mong|yêu cầu|cần được|cần hỗ trợ|cần bổ sung|cần có|cần cấp|"
    "cần tập huấn|cần hướng dẫn"
)
REQUEST_WORDS = tuple(_REQUEST_WORDS.split("|"))
# A difficulty cell holding only one of these (after folding case and punctuation) says "none".
_NOTHING = (
    "không|không có|chưa có|không có gì|không có khó khăn|không có khó khăn vướng mắc|không có vướng mắc|"
    "không vướng mắc|không khó khăn|không phát sinh|chưa phát sinh|không có ý kiến|không ý kiến|ko|k|x|0|"
    "n/a|na|-|--|.|...|…"
)
NOTHING_TO_REPORT = tuple(_NOTHING.split("|"))
