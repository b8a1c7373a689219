"""Tests for pipeline.normalize: Vietnamese-aware cleaning of single cell values."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import normalize as N
from pipeline.base.issues import Code, Severity
from pipeline.catalogue import load_catalogue
from pipeline.normalize.tcvn3 import _vietnamese_letters
from tests.conftest import SCHEMAS

# The spellings of vocabulary.yaml (data, not code): the project's own.
_WORDS = load_catalogue(SCHEMAS).vocabulary
YES_NO = _WORDS.yes_no
STATUS_ALIASES = _WORDS.status_aliases
PROPS = settings(max_examples=400, deadline=None)
STATUS = ["Chưa thực hiện", "Đang thực hiện", "Hoàn thành", "Không phát sinh"]
W, E = Severity.WARNING, Severity.ERROR


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


# --- Parsed ----------------------------------------------------------------------------------


def test_parsed_ok() -> None:
    assert N.Parsed(1).ok
    assert N.Parsed(1, Code.VALUE_INTERPRETED, W).ok
    assert not N.Parsed(None, Code.NOT_A_NUMBER, E).ok


# --- fold ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HOÀN THÀNH.", "hoan thanh"),
        ("Hoàn thành", "hoan thanh"),
        (nfd("Đang thực hiện"), "dang thuc hien"),
        ("  Không   phát-sinh!! ", "khong phat sinh"),
        ("Có/Không", "co khong"),
        ("ĐỀ THÁM", "de tham"),
        ("Ｈｏàn", "hoan"),  # full-width letters
        ("1.2a", "1 2a"),
        ("", ""),
        ("...", ""),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert N.fold(text) == expected


# --- TCVN3 -----------------------------------------------------------------------------------

TCVN3_CASES = [
    ("Hoµn thµnh", "Hoàn thành"),
    ("§ang thùc hiÖn", "Đang thực hiện"),
    ("Ch\xada thùc hiÖn", "Chưa thực hiện"),  # soft hyphen U+00AD is 'ư'
    ("Kh«ng", "Không"),
    ("Cã", "Có"),
    ("Kh«ng ph¸t sinh", "Không phát sinh"),
    ("Phßng V¨n ho¸ vµ Th«ng tin", "Phòng Văn hoá và Thông tin"),
    ("UBND ph­êng §Ò Th¸m", "UBND phường Đề Thám"),
    ("Tr­êng häc, bÖnh viÖn, ®­êng phè", "Trường học, bệnh viện, đường phố"),
    ("¡n, ¢m, £m, ¤ng, ¥n, ¦u", "Ăn, Âm, Êm, Ông, Ơn, Ưu"),
    ("HOµN THµNH", "HOÀN THÀNH"),  # .VnTimeH: capitals reuse the lower-case codes
    ("§¹I HéI", "ĐẠI HỘI"),
    ("Plain ASCII", "Plain ASCII"),
]


@pytest.mark.parametrize(("tcvn3", "unicode"), TCVN3_CASES)
def test_tcvn3_to_unicode(tcvn3: str, unicode: str) -> None:
    out = N.tcvn3_to_unicode(tcvn3)
    assert out == unicode
    assert is_nfc(out)


def test_tcvn3_table_is_complete() -> None:
    codes = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦"
    assert set(codes) == N.TCVN3_CHARS
    assert len(codes) == 74
    converted = [N.tcvn3_to_unicode(c) for c in codes]
    assert len(set(converted)) == 74  # one distinct Vietnamese letter per code
    assert all(len(c) == 1 and c.isalpha() and c.lower() in _vietnamese_letters() for c in converted)
    assert N.tcvn3_to_unicode(" ".join(codes)) == " ".join(converted)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hoµn thµnh", True),
        ("§ang thùc hiÖn", True),
        ("Ch\xada thùc hiÖn", True),
        ("HOµN THµNH", True),
        ("B¸o c¸o kÕt qu¶ thùc hiÖn", True),
        # short phrases: one symbol, the other codes Latin-1 letters of other languages
        ("KÕ ho¹ch sè 5", True),
        ("KÕt qu¶ tèt", True),
        ("Kh«ng cã", True),
        # not TCVN3
        ("Hoàn thành", False),
        ("Đang thực hiện", False),
        (nfd("Đang thực hiện"), False),
        ("Plain ASCII text", False),
        ("", False),
        ("Kh«ng", False),  # a single code is not enough (parse_choice still accepts it)
        ("Cã", False),
        ("«Hoan thanh»", False),  # guillemets
        ("Müller Straße", False),  # other Latin-1 letters only
        ("col·laboració", False),
        ("ABC® and XYZ®", False),  # trademarks
        ("Café crème brûlée", False),
        ("10 µg café", False),  # a symbol, but the words do not become Vietnamese syllables
        ("5 µg crème", False),
        ("Giá: 5 £, 10 ¥, © 2023", False),
        ("«Hoàn thành» – Đạt 100%", False),
        ("Công ty ABC® – chi nhánh", False),
    ],
)
def test_looks_like_tcvn3(text: str, expected: bool) -> None:
    assert N.looks_like_tcvn3(text) is expected


# --- clean_text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   \t \n ", None),
        ("\u200b", None),
        ("  Hoàn   thành  ", "Hoàn thành"),
        (nfd("Hoàn thành"), "Hoàn thành"),
        ("a\tb", "a b"),
        ("dòng 1  \r\n   dòng 2", "dòng 1\ndòng 2"),
        ("Văn\u00a0bản", "Văn bản"),
        ("Văn\u200bbản\ufeff", "Vănbản"),
        ("e\u200b\u0301", "é"),  # removing the invisible char lets NFC compose
        ("số\xadliệu", "sốliệu"),  # a lone soft hyphen is noise outside TCVN3 text
        ("a\x00b\x07c", "abc"),
        (12.0, "12"),
        (12.5, "12.5"),
        (7, "7"),
        (True, "TRUE"),
        (float("nan"), None),
        (dt.date(2023, 12, 15), "15/12/2023"),
        (dt.datetime(2023, 12, 15), "15/12/2023"),
        (dt.datetime(2023, 12, 15, 9, 5), "15/12/2023 09:05"),
        (dt.time(10, 30), "10:30"),
    ],
)
def test_clean_text(value: object, expected: str | None) -> None:
    p = N.clean_text(value)
    assert p.value == expected
    assert p.code is None
    assert p.ok


@pytest.mark.parametrize(("tcvn3", "unicode"), TCVN3_CASES[:3])
def test_clean_text_converts_tcvn3(tcvn3: str, unicode: str) -> None:
    p = N.clean_text(f"  {tcvn3} ")
    assert p.value == unicode
    assert p.code == Code.TCVN3_CONVERTED
    assert p.severity == W
    assert unicode in p.note and "TCVN3" in p.note


def test_clean_text_too_long_is_kept_whole() -> None:
    text = "Nội dung. " * 500
    p = N.clean_text(text)
    assert p.code == Code.TEXT_TOO_LONG and p.severity == W
    assert p.value == text.strip()
    assert "4000" in p.note


def test_clean_text_long_tcvn3_mentions_length() -> None:
    p = N.clean_text("Hoµn thµnh. " * 400)
    assert p.code == Code.TCVN3_CONVERTED
    assert str(p.value).startswith("Hoàn thành.")
    assert "quá dài" in p.note


# --- parse_choice ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "code"),
    [
        ("Hoàn thành", "Hoàn thành", None),
        ("hoàn thành", "Hoàn thành", None),
        ("HOÀN THÀNH.", "Hoàn thành", None),
        ("  hoàn   THÀNH ", "Hoàn thành", None),
        (nfd("Hoàn thành"), "Hoàn thành", None),
        ("Hoan thanh", "Hoàn thành", Code.VALUE_INTERPRETED),
        ("hoan thanh", "Hoàn thành", Code.VALUE_INTERPRETED),
        ("Hoàn thánh", "Hoàn thành", Code.VALUE_INTERPRETED),
        ("dang thuc hien", "Đang thực hiện", Code.VALUE_INTERPRETED),
        ("Hoµn thµnh", "Hoàn thành", Code.TCVN3_CONVERTED),
        ("§ang thùc hiÖn", "Đang thực hiện", Code.TCVN3_CONVERTED),
        ("Ch\xada thùc hiÖn", "Chưa thực hiện", Code.TCVN3_CONVERTED),
        ("Kh«ng ph¸t sinh", "Không phát sinh", Code.TCVN3_CONVERTED),
    ],
)
def test_parse_choice(value: str, expected: str, code: Code | None) -> None:
    p = N.parse_choice(value, STATUS)
    assert p.value == expected
    assert p.code == code
    assert p.ok
    if code is not None:
        assert p.severity == W and expected in p.note


@pytest.mark.parametrize("value", ["abc", "Đã hoàn thành", "Hoàn", "1", 3.0, True, "#N/A"])
def test_parse_choice_rejects(value: object) -> None:
    p = N.parse_choice(value, STATUS)
    assert p.value is None and p.severity == E and not p.ok
    if value == "#N/A":
        assert p.code == Code.FORMULA_NO_VALUE
    else:
        assert p.code == Code.NOT_ALLOWED
        assert all(f"«{s}»" in p.note for s in STATUS)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_parse_choice_empty(value: object) -> None:
    assert N.parse_choice(value, STATUS) == N.Parsed(None)


def test_parse_choice_aliases() -> None:
    p = N.parse_choice("đã hoàn thành", STATUS, aliases=STATUS_ALIASES)
    assert (p.value, p.code) == ("Hoàn thành", Code.VALUE_INTERPRETED)
    assert N.parse_choice("Đang triển khai", STATUS, aliases=STATUS_ALIASES).value == "Đang thực hiện"


def test_parse_choice_ambiguous_fold_is_not_guessed() -> None:
    allowed = ["Cỏ", "Có"]
    assert N.parse_choice("có", allowed).value == "Có"
    assert N.parse_choice("co", allowed).code == Code.NOT_ALLOWED


# --- parse_yes_no ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "code"),
    [
        ("Có", "Có", None),
        ("có", "Có", None),
        ("CO", "Có", None),
        ("co.", "Có", None),
        (nfd("Có"), "Có", None),
        ("Không", "Không", None),
        ("khong", "Không", None),
        ("KHÔNG.", "Không", None),
        ("yes", "Có", Code.VALUE_INTERPRETED),
        ("1", "Có", Code.VALUE_INTERPRETED),
        ("Đã thành lập", "Có", Code.VALUE_INTERPRETED),
        ("đã có", "Có", Code.VALUE_INTERPRETED),
        ("✓", "Có", Code.VALUE_INTERPRETED),
        ("ko", "Không", Code.VALUE_INTERPRETED),
        ("K", "Không", Code.VALUE_INTERPRETED),
        ("no", "Không", Code.VALUE_INTERPRETED),
        ("0", "Không", Code.VALUE_INTERPRETED),
        ("chưa", "Không", Code.VALUE_INTERPRETED),
        ("Chưa thành lập", "Không", Code.VALUE_INTERPRETED),
        ("false", "Không", Code.VALUE_INTERPRETED),
        (True, "Có", Code.VALUE_INTERPRETED),
        (False, "Không", Code.VALUE_INTERPRETED),
        (1, "Có", Code.VALUE_INTERPRETED),
        (1.0, "Có", Code.VALUE_INTERPRETED),
        (0, "Không", Code.VALUE_INTERPRETED),
        ("Cã", "Có", Code.TCVN3_CONVERTED),
        ("Kh«ng", "Không", Code.TCVN3_CONVERTED),
    ],
)
def test_parse_yes_no(value: object, expected: str, code: Code | None) -> None:
    p = N.parse_yes_no(value, YES_NO)
    assert p.value == expected
    assert p.code == code
    assert p.ok
    if code is not None:
        assert p.severity == W and expected in p.note


@pytest.mark.parametrize("value", ["rồi", "Rồi.", "đã", "x", "X", "OK", "xong", "§·"])  # §· is Đã in TCVN3
def test_parse_yes_no_asks_back_for_words_that_say_neither(value: object) -> None:
    """«rồi», «đã», «ok» are not a silent Có: the unit is asked to choose (an error, no points)."""
    p = N.parse_yes_no(value, YES_NO)
    assert (p.value, p.code, p.severity, p.variant) == (None, Code.NOT_ALLOWED, E, "ask")
    assert p.note.endswith("chưa rõ là «Có» hay «Không»: hãy chọn «Có» hoặc «Không» từ danh sách.")


@pytest.mark.parametrize("value", ["abc", "có chuyên mục riêng", "có thể", 2, 0.5, "Không rõ"])
def test_parse_yes_no_rejects(value: object) -> None:
    p = N.parse_yes_no(value, YES_NO)
    assert (p.value, p.code, p.severity) == (None, Code.NOT_ALLOWED, E)
    assert "«Có»" in p.note and "«Không»" in p.note


@pytest.mark.parametrize("value", [None, "", " \u00a0 "])
def test_parse_yes_no_empty(value: object) -> None:
    assert N.parse_yes_no(value, YES_NO) == N.Parsed(None)


# --- parse_number ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("1.000", 1000),  # a dot then exactly three digits groups thousands
        ("12.500", 12500),
        ("1.000.000", 1_000_000),
        ("1,5", 1.5),
        ("1.5", 1.5),  # a dot then one or two digits is a decimal point
        ("1.25", 1.25),
        ("0.125", 0.125),  # leading zero: a decimal, not a thousand
        ("1234.567", 1234.567),  # four digits before the dot: not a grouping
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),  # English style, both marks present
        ("1.234.567,89", 1234567.89),
        ("1,000,000", 1_000_000),  # several commas can only be groups
        ("1 000 000", 1_000_000),
        ("1\u00a0000", 1000),
        (",5", 0.5),
        ("12.", 12),
        ("-5", -5),
        ("−5", -5),  # U+2212 minus sign
        ("+7", 7),
        ("1e3", 1000),
        ("１２", 12),  # full-width digits
        ("١٢", 12),  # Arabic-Indic digits
        ("3.0", 3),
        (3.0, 3),
        (3.5, 3.5),
        (7, 7),
        (0, 0),
    ],
)
def test_parse_number_clean(value: object, expected: float) -> None:
    p = N.parse_number(value)
    assert p.code is None, p.note
    assert p.value == expected
    assert type(p.value) is (int if float(expected).is_integer() else float)


@pytest.mark.parametrize(
    ("value", "expected", "code"),
    [
        ("12 tin bài", 12, Code.NUMBER_WITH_TEXT),
        ("Khoảng 30 lượt", 30, Code.NUMBER_WITH_TEXT),
        ("đạt 100%", 100, Code.NUMBER_WITH_TEXT),
        ("1.000.000 đồng", 1_000_000, Code.NUMBER_WITH_TEXT),
        ("5 triệu đồng", 5_000_000, Code.NUMBER_WITH_TEXT),
        ("1,5 tỷ", 1_500_000_000, Code.NUMBER_WITH_TEXT),
        ("-3 tin", -3, Code.NUMBER_WITH_TEXT),
        ("Quý IV - 12 tin", 12, Code.NUMBER_WITH_TEXT),  # a spaced dash is not a minus
        ("10%", 10, Code.VALUE_INTERPRETED),  # percent sign on a plain number field
        ("1,000", 1, Code.VALUE_INTERPRETED),  # decimal comma, but maybe meant a thousand
    ],
)
def test_parse_number_interpreted(value: str, expected: float, code: Code) -> None:
    p = N.parse_number(value)
    assert (p.value, p.code, p.severity) == (expected, code, W)
    assert str(expected) in p.note


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("-", Code.NOT_A_NUMBER),
        ("—", Code.NOT_A_NUMBER),
        ("không", Code.NOT_A_NUMBER),
        ("abc", Code.NOT_A_NUMBER),
        ("12/15", Code.NOT_A_NUMBER),
        ("10-12", Code.NOT_A_NUMBER),
        ("1.2.3", Code.NOT_A_NUMBER),
        ("1,2.3", Code.NOT_A_NUMBER),
        ("1" * 400, Code.NOT_A_NUMBER),
        (True, Code.NOT_A_NUMBER),
        (False, Code.NOT_A_NUMBER),
        (float("nan"), Code.NOT_A_NUMBER),
        (float("inf"), Code.NOT_A_NUMBER),
        (dt.date(2023, 1, 1), Code.NOT_A_NUMBER),
        (dt.timedelta(hours=1), Code.NOT_A_NUMBER),
        ("#DIV/0!", Code.FORMULA_NO_VALUE),
        ("Err:502", Code.FORMULA_NO_VALUE),
    ],
)
def test_parse_number_errors(value: object, code: Code) -> None:
    p = N.parse_number(value)
    assert (p.value, p.code, p.severity) == (None, code, E)
    assert p.note and is_nfc(p.note)


def test_parse_number_not_a_number_note() -> None:
    note = N.parse_number("không").note
    assert "«không»" in note and "ghi 0" in note and "để trống" in note
    assert "số nguyên" in N.parse_number("abc", integer=True).note


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_number_empty(value: object) -> None:
    assert N.parse_number(value) == N.Parsed(None)


@pytest.mark.parametrize(
    ("value", "expected", "code"),
    [
        (3.0, 3, None),
        ("3", 3, None),
        ("1.000", 1000, None),
        (3.0000000001, 3, None),  # float noise from a formula
        (3.5, None, Code.NOT_AN_INTEGER),
        ("2,5", None, Code.NOT_AN_INTEGER),
    ],
)
def test_parse_number_integer(value: object, expected: int | None, code: Code | None) -> None:
    p = N.parse_number(value, integer=True)
    assert (p.value, p.code) == (expected, code)
    if expected is not None:
        assert type(p.value) is int


@pytest.mark.parametrize(
    ("value", "kwargs", "ok", "fragment"),
    [
        (0, {"minimum": 0}, True, ""),
        (-1, {"minimum": 0}, False, "từ 0 trở lên"),
        ("-0,5", {"minimum": 0}, False, "nhỏ hơn mức tối thiểu 0"),
        (101, {"minimum": 0, "maximum": 100}, False, "từ 0 đến 100"),
        (100, {"minimum": 0, "maximum": 100}, True, ""),
        (5, {"maximum": 2.5}, False, "không quá 2,5"),
    ],
)
def test_parse_number_range(value: object, kwargs: dict[str, float], ok: bool, fragment: str) -> None:
    p = N.parse_number(value, **kwargs)  # type: ignore[arg-type]
    assert p.ok is ok
    if not ok:
        assert p.code == Code.OUT_OF_RANGE and fragment in p.note


@pytest.mark.parametrize(
    ("value", "expected", "code"),
    [
        ("10%", 10, None),
        ("12,5 %", 12.5, None),
        (10, 10, None),
        (0.1, 0.1, None),  # a float is never rescaled by guess
        ("đạt 100%", 100, Code.NUMBER_WITH_TEXT),
    ],
)
def test_parse_number_percent(value: object, expected: float, code: Code | None) -> None:
    p = N.parse_number(value, percent=True)
    assert (p.value, p.code) == (expected, code)


def test_from_percent_cell() -> None:
    assert N.from_percent_cell(0.1) == 10
    assert N.from_percent_cell(1) == 100
    assert N.from_percent_cell(0.125) == 12.5


# --- parse_date ------------------------------------------------------------------------------

D = dt.date(2023, 12, 15)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D, D),
        (dt.datetime(2023, 12, 15, 14, 30), D),
        (45275, D),  # Excel serial number, 1900 date system
        (45275.75, D),
        (36526, dt.date(2000, 1, 1)),
        ("15/12/2023", D),
        ("5/1/2023", dt.date(2023, 1, 5)),
        ("05/01/2023", dt.date(2023, 1, 5)),
        ("15-12-2023", D),
        ("15.12.2023", D),
        ("15 / 12 / 2023", D),
        ("2023-12-15", D),
        ("2023-12-15 10:30:00", D),
        ("2023-12-15T10:30", D),
        ("15/12/2023 08:00", D),
        ("ngày 5 tháng 10 năm 2023", dt.date(2023, 10, 5)),
        ("Thái Bình, ngày 15 tháng 12 năm 2023", D),
        (nfd("Ngày 15 tháng 12 năm 2023"), D),
        ("29/02/2024", dt.date(2024, 2, 29)),
        ("１５/１２/２０２３", D),
    ],
)
def test_parse_date(value: object, expected: dt.date) -> None:
    p = N.parse_date(value)
    assert p.code is None, p.note
    assert p.value == expected
    assert type(p.value) is dt.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12/25/2023", dt.date(2023, 12, 25)), ("15/12/23", D)],
)
def test_parse_date_interpreted(value: str, expected: dt.date) -> None:
    p = N.parse_date(value)
    assert (p.value, p.code, p.severity) == (expected, Code.VALUE_INTERPRETED, W)
    assert f"{expected:%d/%m/%Y}" in p.note


@pytest.mark.parametrize(
    "value",
    [
        "31/02/2023",
        "29/02/2023",
        "32/01/2023",
        "15/13/2023",
        "00/12/2023",
        "12/2023",
        "abc",
        "Quý IV",
        "15/12/1800",
        "ngày 30 tháng 2 năm 2023",
        100,
        99999,
        -5,
        float("nan"),
        True,
        dt.time(10, 0),
        dt.timedelta(days=3),
    ],
)
def test_parse_date_errors(value: object) -> None:
    p = N.parse_date(value)
    assert (p.value, p.code, p.severity) == (None, Code.NOT_A_DATE, E)
    assert "ngày/tháng/năm" in p.note and "15/12/2023" in p.note


@pytest.mark.parametrize("value", [None, "", "  "])
def test_parse_date_empty(value: object) -> None:
    assert N.parse_date(value) == N.Parsed(None)


# --- notes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "p",
    [
        N.parse_number("abc"),
        N.parse_number("12 tin"),
        N.parse_number(-1, minimum=0),
        N.parse_choice("x", STATUS),
        N.parse_choice("hoan thanh", STATUS),
        N.parse_yes_no("ko", YES_NO),
        N.parse_date("31/02/2023"),
        N.clean_text("Hoµn thµnh"),
    ],
)
def test_notes_are_vietnamese_nfc(p: N.Parsed) -> None:
    assert p.code is not None and p.severity is not None
    assert p.note and is_nfc(p.note)
    assert any(not ch.isascii() for ch in p.note)


# --- properties ------------------------------------------------------------------------------

CELL = st.one_of(
    st.text(),
    st.floats(),
    st.integers(),
    st.none(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.text(alphabet="µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦ aAhnt"),
    st.from_regex(r"\A[ +\-−]?[0-9., ]{0,15}[ %a-zđ]{0,8}\Z"),
)


@PROPS
@given(CELL)
def test_never_raises(value: object) -> None:
    for p in (
        N.clean_text(value),
        N.parse_choice(value, STATUS),
        N.parse_yes_no(value, YES_NO),
        N.parse_number(value),
        N.parse_number(value, integer=True, minimum=0, maximum=100, percent=True),
        N.parse_date(value),
    ):
        assert isinstance(p, N.Parsed)
        assert (p.code is None) == (p.severity is None)
        assert p.ok or p.value is None
        assert is_nfc(p.note)
    if isinstance(value, str):
        N.fold(value)
        N.looks_like_tcvn3(value)
        N.tcvn3_to_unicode(value)


@settings(deadline=None)
@given(st.text())
def test_fold_idempotent(text: str) -> None:
    once = N.fold(text)
    assert N.fold(once) == once
    assert once == once.strip() and "  " not in once


@PROPS
@given(CELL)
def test_clean_text_idempotent(value: object) -> None:
    first = N.clean_text(value)
    if first.value is None:
        return
    assert isinstance(first.value, str) and is_nfc(first.value)
    second = N.clean_text(first.value)
    assert second.value == first.value
    assert second.code in (None, Code.TEXT_TOO_LONG)


@settings(deadline=None)
@given(st.lists(st.text(min_size=1), min_size=1, max_size=6, unique=True), st.data())
def test_parse_choice_canonical_unchanged(allowed: list[str], data: st.DataObject) -> None:
    canonical = [v for v in (N.clean_text(a).value for a in allowed) if isinstance(v, str)]
    if not canonical or N.clean_text(canonical[0]).code is not None:
        return
    choice = data.draw(st.sampled_from(canonical))
    if N.clean_text(choice).code is not None:
        return
    p = N.parse_choice(choice, canonical)
    assert (p.value, p.code) == (choice, None)


@pytest.mark.parametrize("value", STATUS)
def test_parse_choice_status_values_unchanged(value: str) -> None:
    assert N.parse_choice(value, STATUS) == N.Parsed(value)


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**30))
def test_parse_number_vietnamese_thousands_round_trip(n: int) -> None:
    written = f"{n:,}".replace(",", ".")
    for integer in (False, True):
        p = N.parse_number(written, integer=integer)
        assert (p.value, p.code) == (n, None)
        assert type(p.value) is int


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_parse_number_decimal_comma_round_trip(whole: int, cents: int) -> None:
    written = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    p = N.parse_number(written)
    assert p.code is None
    assert math.isclose(float(p.value), whole + cents / 100)  # type: ignore[arg-type]


@settings(deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_parse_date_round_trip(day: dt.date) -> None:
    for written in (f"{day:%d/%m/%Y}", day.isoformat(), f"{day.day}/{day.month}/{day.year}"):
        assert N.parse_date(written) == N.Parsed(day)
    serial = (day - dt.date(1899, 12, 30)).days
    if 20000 <= serial < 80000:
        assert N.parse_date(serial).value == day


@pytest.mark.parametrize(
    "parse",
    [
        N.clean_text,
        lambda v: N.parse_yes_no(v, YES_NO),
        N.parse_date,
        lambda v: N.parse_choice(v, STATUS, aliases=STATUS_ALIASES),
        lambda v: N.parse_number(v, minimum=0),
        lambda v: N.parse_number(v, integer=True, minimum=1, maximum=10),
        lambda v: N.parse_number(v, percent=True),
    ],
)
@pytest.mark.parametrize("empty", [None, ""])
def test_every_parser_reads_an_empty_cell_as_nothing(parse: object, empty: object) -> None:
    """validate._normalise skips the parser for an empty cell; that is only right while every
    parser gives no value and no issue for one."""
    assert callable(parse)
    assert parse(empty) == N.Parsed(None)


# --- evidence: placeholders and what a reference says --------------------------------------------

PLACEHOLDERS = _WORDS.placeholders


@pytest.mark.parametrize(
    "value", ["x", "X", "-", ".", "...", "có", "Có.", "ok", "OK", "rồi", "đã có", 12, "12", 1.5]
)
def test_placeholders_say_nothing(value: object) -> None:
    assert N.is_placeholder(value, PLACEHOLDERS)


@pytest.mark.parametrize("value", ["05/10/2023", dt.date(2023, 10, 5), "10%"])
def test_a_bare_date_or_figure_is_a_placeholder(value: object) -> None:
    assert N.is_placeholder(value, PLACEHOLDERS)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "Báo cáo số 5/BC-UBND",
        "https://thaibinh.gov.vn/a",
        "bao_cao_q4.pdf",
        "Biên bản kiểm tra",
    ],
)
def test_evidence_or_nothing_is_not_a_placeholder(value: object) -> None:
    """An empty cell is missing evidence (another issue), not a placeholder."""
    assert not N.is_placeholder(value, PLACEHOLDERS)


@pytest.mark.parametrize(
    ("text", "doc", "day", "url"),
    [
        ("Quyết định số 12/QĐ-UBND ngày 05/10/2023", "12/QĐ-UBND", dt.date(2023, 10, 5), ""),
        ("Thông tư số 12/2022/TT-BTTTT", "12/2022/TT-BTTTT", None, ""),
        ("Công văn 2342/UBND-VHTT ngày 5 tháng 10 năm 2023", "2342/UBND-VHTT", dt.date(2023, 10, 5), ""),
        ("Nghị quyết 01/NQ-CP ngày 05.01.2023", "01/NQ-CP", dt.date(2023, 1, 5), ""),
        ("QĐ 12/QĐ-UBND, 15/QĐ-UBND", "12/QĐ-UBND; 15/QĐ-UBND", None, ""),
        ("Báo cáo số 5/BC-UBND ngày 31/02/2023", "5/BC-UBND", None, ""),  # no 31 February
        ("Biên bản kiểm tra ngày 02/12/2023", "", dt.date(2023, 12, 2), ""),
        ("Xem https://thaibinh.gov.vn/tin-bai/cds.", "", None, "https://thaibinh.gov.vn/tin-bai/cds"),
        ("Kế hoạch 3/KH-UBND, www.thaibinh.gov.vn/kh3", "3/KH-UBND", None, "www.thaibinh.gov.vn/kh3"),
        ("Đã triển khai xong", "", None, ""),
        ("quyết định số 12/qđ-ubnd ngày 05/10/2023", "12/QĐ-UBND", dt.date(2023, 10, 5), ""),  # lower case
        ("kế hoạch 3/2023/kh-ubnd", "3/2023/KH-UBND", None, ""),
        ("họp 5/tháng", "", None, ""),  # lower case and not a kind of document: not a symbol
    ],
)
def test_parse_evidence(text: str, doc: str, day: dt.date | None, url: str) -> None:
    e = N.parse_evidence(text)
    assert (e.doc_text, e.date, e.url_text) == (doc, day, url)


def test_a_reference_names_its_kind_and_issuer() -> None:
    [ref] = N.parse_evidence("Quyết định số 12/QĐ-UBND ngày 05/10/2023").docs
    assert (ref.number, ref.kind, ref.kind_name, ref.issuer) == ("12", "QĐ", "Quyết định", "UBND")
    [letter] = N.parse_evidence("Công văn số 2342/UBND-VHTT").docs
    assert (letter.kind, letter.kind_name, letter.issuer) == ("", "", "UBND-VHTT")
