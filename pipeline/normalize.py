"""Vietnamese-aware cleaning of single cell values read from returns.

Every function here is pure and never raises on a cell value: it returns a :class:`Parsed`
holding the clean value and, when something was wrong or had to be interpreted, an issue code,
a severity and a short Vietnamese note (what was wrong, what to write instead, or what was
understood). A ``WARNING`` keeps a usable value; an ``ERROR`` means ``value`` is ``None``.

Conventions callers rely on:

- Empty cells (``None``, ``""``, whitespace only) give ``Parsed(None)`` with no issue; whether
  a value is required is the validator's business.
- Numbers follow the Vietnamese convention: ``.`` groups thousands and ``,`` is the decimal
  mark. A single ``.`` followed by exactly three digits (``1.000``, ``12.500``) is a thousands
  separator; any other single ``.`` is a decimal point (``1.5``, ``0.125``, ``1234.567``). With
  both marks present the last one is the decimal mark (``1.234,5`` and ``1,234.5``). A single
  ``,`` followed by exactly three digits (``1,000``) is read as a decimal comma (1.0) with a
  warning, because an English-style writer may have meant one thousand.
- Text typed in the legacy TCVN3 (ABC, ``.VnTime``) encoding is converted to Unicode with a
  ``TCVN3_CONVERTED`` warning.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from pipeline.issues import Code, Severity

__all__ = [
    "STATUS_ALIASES",
    "TCVN3_CHARS",
    "TEXT_MAX_CHARS",
    "Parsed",
    "clean_text",
    "fold",
    "from_percent_cell",
    "looks_like_tcvn3",
    "parse_choice",
    "parse_date",
    "parse_number",
    "parse_yes_no",
    "tcvn3_to_unicode",
]

TEXT_MAX_CHARS = 4000
_MAX_DIGITS = 300  # longer numbers are refused (int() of huge text is slow, then capped)
YES, NO = "Có", "Không"
DATE_HINT = "viết theo dạng ngày/tháng/năm, ví dụ 15/12/2023"
NUMBER_HINT = "hãy nhập một số, ví dụ 12 hoặc 1,5"
INTEGER_HINT = "hãy nhập một số nguyên, ví dụ 12"


@dataclass(frozen=True, slots=True)
class Parsed:
    """A cleaned cell value, with the issue found while cleaning it (if any)."""

    value: object
    code: Code | None = None
    severity: Severity | None = None
    note: str = ""

    @property
    def ok(self) -> bool:
        """True when there is no error (a warning still carries a usable value)."""
        return self.severity != Severity.ERROR


EMPTY = Parsed(None)


def _warn(value: object, code: Code, note: str) -> Parsed:
    return Parsed(value, code, Severity.WARNING, unicodedata.normalize("NFC", note))


def _error(code: Code, note: str) -> Parsed:
    return Parsed(None, code, Severity.ERROR, unicodedata.normalize("NFC", note))


def _show(value: object, limit: int = 60) -> str:
    """A value as short printable text for a note."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show_num(value: float) -> str:
    """A number the Vietnamese way for a note: decimal comma, no grouping."""
    if isinstance(value, int):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.12g}".replace(".", ",")


# --- folding ---------------------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=131072)
def fold(text: str) -> str:
    """Key for matching that ignores case, diacritics and punctuation: ``"HOÀN THÀNH."`` → ``"hoan thanh"``.

    Compatibility forms are unified too (full-width letters, ligatures); punctuation becomes a
    single space, so ``"Có/Không"`` folds to ``"co khong"``.
    """
    text = str(text)
    for _ in range(2):  # a second round settles the few letters whose lower case decomposes
        text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(_NON_WORD.sub(" ", text).split())


def _loose(text: str) -> str:
    """Like :func:`fold` but keeping diacritics: differences of case, spacing and punctuation only."""
    return " ".join(_NON_WORD.sub(" ", unicodedata.normalize("NFC", text).lower()).split())


# --- TCVN3 (ABC, .VnTime) --------------------------------------------------------------------

# Byte codes of the TCVN3 (ABC) encoding as read through cp1252 / latin-1, and the Vietnamese
# letters they stand for. Tone-marked letters exist only in lower case: upper-case text used the
# .VnTimeH font with the same codes, so case is restored from the surrounding ASCII letters.
_TCVN3_ROWS = (  # (TCVN3 codes, letters): the plain vowel, then grave, acute, hook, tilde, dot
    ("µ¸¶·¹", "àáảãạ"),
    ("¨»¾¼½Æ", "ăằắẳẵặ"),
    ("©ÇÊÈÉË", "âầấẩẫậ"),
    ("®", "đ"),
    ("ÌÐÎÏÑ", "èéẻẽẹ"),
    ("ªÒÕÓÔÖ", "êềếểễệ"),
    ("×ÝØÜÞ", "ìíỉĩị"),
    ("ßãáâä", "òóỏõọ"),
    ("«åèæçé", "ôồốổỗộ"),
    ("¬êíëìî", "ơờớởỡợ"),
    ("ïóñòô", "ùúủũụ"),
    ("\xadõøö÷ù", "ưừứửữự"),  # the soft hyphen U+00AD is ư
    ("úýûüþ", "ỳýỷỹỵ"),
)
_TCVN3_LOWER = {
    code: letter for codes, letters in _TCVN3_ROWS for code, letter in zip(codes, letters, strict=True)
}
_TCVN3_UPPER = dict(zip("¡¢§£¤¥¦", "ĂÂĐÊÔƠƯ", strict=True))
_TCVN3_TABLE = str.maketrans(_TCVN3_LOWER | _TCVN3_UPPER)
TCVN3_CHARS = frozenset(_TCVN3_LOWER) | frozenset(_TCVN3_UPPER)

# Evidence classes: symbols that are never letters in ordinary text (strong), Latin-1 letters
# of other languages (weak), and TCVN3 codes that are also genuine Vietnamese letters (none).
_TCVN3_SYMBOLS = frozenset("µ¸¶·¹¨»¾¼½©®ª«¬\xad×÷¡¢£¤¥¦§")
_TCVN3_FOREIGN = frozenset("ÆÇËÐÎÏÑÖØÜÞßäåæçëîïñöøûüþ")


def _vietnamese_letters() -> frozenset[str]:
    tones = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    letters = {"đ", "Đ"}
    for base in ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"):
        for tone in tones:
            ch = unicodedata.normalize("NFC", base + tone)
            letters |= {ch, ch.upper()}
    return frozenset(letters)


# Vietnamese letters that no TCVN3 text read as latin-1 can contain (à, Á, ạ, đ, ư, …).
_REAL_VIETNAMESE = _vietnamese_letters() - TCVN3_CHARS - frozenset(map(chr, range(128)))
_REAL_VIETNAMESE_RE = re.compile(
    "[\u0300-\u036f" + "".join(sorted(re.escape(c) for c in _REAL_VIETNAMESE)) + "]"
)
_EVIDENCE_RE = re.compile("[" + "".join(sorted(re.escape(c) for c in _TCVN3_SYMBOLS | _TCVN3_FOREIGN)) + "]")
_TCVN3_ANY_RE = re.compile("[" + "".join(sorted(re.escape(c) for c in TCVN3_CHARS)) + "]")
_TCVN3_WORD_RE = re.compile("[A-Za-z" + "".join(sorted(re.escape(c) for c in TCVN3_CHARS)) + "]+")
_SYLLABLE_INITIAL = frozenset("®§")  # đ / Đ only ever start a syllable


def _letterish(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z") or ch in TCVN3_CHARS


def looks_like_tcvn3(text: str) -> bool:
    """True when ``text`` reads like TCVN3 (.VnTime) text decoded as latin-1.

    Needs at least two TCVN3 codes in word positions, one of them a symbol that is never a
    letter (``µ``, ``«``, ``§``, the soft hyphen, …), and no genuine Vietnamese Unicode letter.
    Opening «, closing » and a trailing ® (trademark) do not count.
    """
    if text.isascii() or _REAL_VIETNAMESE_RE.search(text):
        return False
    score = strong = 0
    last = len(text) - 1
    for m in _EVIDENCE_RE.finditer(text):
        i, ch = m.start(), m.group()
        before = i > 0 and _letterish(text[i - 1])
        after = i < last and _letterish(text[i + 1])
        if ch in _SYLLABLE_INITIAL:
            counted = after and not before
        elif ch == "«":
            counted = before
        elif ch == "»":
            counted = after
        else:
            counted = before or after
        if counted:
            score += 1
            strong += ch in _TCVN3_SYMBOLS
            if score >= 2 and strong:
                return True
    return bool(strong) and _converts_to_syllables(text)


# A Vietnamese syllable without its tone: initial consonant, one to three vowels, final.
_SYLLABLE_RE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(?:ch|ng|nh|[cmnpt])?"
)
_TONES = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))


def _syllable(word: str) -> bool:
    bare = unicodedata.normalize("NFC", unicodedata.normalize("NFD", word.lower()).translate(_TONES))
    return _SYLLABLE_RE.fullmatch(bare) is not None


def _converts_to_syllables(text: str) -> bool:
    """Short TCVN3 phrases (``KÕ ho¹ch sè 5``) hold one symbol and Latin-1 letters that other
    languages use too (Õ, è): they are TCVN3 when at least two words hold a TCVN3 code and every
    such word becomes a Vietnamese syllable once converted (``Kế hoạch số``), which Catalan,
    French or German words do not (``col·laboració``)."""
    words = [w for w in _TCVN3_WORD_RE.findall(text) if _TCVN3_ANY_RE.search(w)]
    if len(words) < 2:
        return False
    return all(_syllable(tcvn3_to_unicode(w)) for w in words)


def _all_caps(text: str) -> bool:
    """At least two capitals, one of them ASCII, and no ASCII lower-case letter."""
    ascii_upper = sum(1 for ch in text if "A" <= ch <= "Z")
    if not ascii_upper or any("a" <= ch <= "z" for ch in text):
        return False
    return ascii_upper + sum(1 for ch in text if ch in _TCVN3_UPPER) >= 2


def _upper_word(m: re.Match[str]) -> str:
    word = m.group().translate(_TCVN3_TABLE)
    return word.upper() if _all_caps(m.group()) else word


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 (ABC) text read as latin-1 to Unicode (NFC); other characters are kept.

    Upper case (the .VnTimeH font reuses the lower-case codes) is restored for all-capital
    words with at least two capitals, or for the whole text when it is all capitals:
    ``"HOµN THµNH"`` → ``"HOÀN THÀNH"``, while ``"Cã"`` → ``"Có"``.
    """
    if not _TCVN3_ANY_RE.search(text):
        return text
    whole = _all_caps(text)
    out = text.translate(_TCVN3_TABLE).upper() if whole else _TCVN3_WORD_RE.sub(_upper_word, text)
    return unicodedata.normalize("NFC", out)


# --- text ------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = dict.fromkeys(map(ord, "\t\xa0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005"), " ")
_SPACES |= dict.fromkeys(map(ord, "\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"), " ")
_NEWLINES = dict.fromkeys(map(ord, "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), "\n")
_CONTROLS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r\x0b\x0c\x1c\x1d\x1e")
_CONTROLS |= dict.fromkeys(range(0x7F, 0xA0))
_CONTROLS.pop(0x85)
_TEXT_TABLE = str.maketrans(_INVISIBLE | _SPACES | _NEWLINES | _CONTROLS)
_SPACE_RUN = re.compile(r" {2,}")
_LINE_EDGE = re.compile(r" *\n *")


def _as_text(value: object) -> str | None:
    """A non-text cell value as the text a reader sees; ``None`` for an empty cell."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int) and abs(value) >= 10**_MAX_DIGITS:
        return "<số quá lớn>"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    try:
        return str(value)
    except Exception:  # an exotic object whose str() fails is shown by its type
        return f"<{type(value).__name__}>"


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TEXT_TABLE)
    text = unicodedata.normalize("NFC", text)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if "\n" in text:
        text = _LINE_EDGE.sub("\n", text)
    return text.strip()


def _clean_str(text: str) -> Parsed:
    tidy = _tidy(text)
    if not tidy:
        return EMPTY
    if looks_like_tcvn3(tidy):
        converted = _tidy(tcvn3_to_unicode(tidy))
        note = (
            f"Chữ gõ bằng bảng mã cũ TCVN3 (phông .VnTime), đã chuyển sang Unicode: «{_show(converted)}». "
            "Hãy kiểm tra lại và lần sau gõ bằng bảng mã Unicode."
        )
        if len(converted) > TEXT_MAX_CHARS:
            note += (
                f" Nội dung cũng quá dài ({len(converted)} ký tự): hãy tóm tắt dưới {TEXT_MAX_CHARS} ký tự."
            )
        return _warn(converted, Code.TCVN3_CONVERTED, note)
    if "\xad" in tidy:  # a soft hyphen outside TCVN3 text is invisible noise
        tidy = _tidy(tidy.replace("\xad", ""))
        if not tidy:
            return EMPTY
    if len(tidy) > TEXT_MAX_CHARS:
        return _warn(
            tidy,
            Code.TEXT_TOO_LONG,
            f"Nội dung dài {len(tidy)} ký tự (quá {TEXT_MAX_CHARS}): hãy tóm tắt, "
            "chi tiết để trong văn bản minh chứng.",
        )
    return Parsed(tidy)


_clean_short = lru_cache(maxsize=65536)(_clean_str)


def clean_text(value: object) -> Parsed:
    """A cell as clean text: NFC, trimmed, runs of spaces collapsed (newlines kept), invisible
    characters removed, TCVN3 converted (warning). Numbers read as floats lose a ``.0``; dates
    become ``dd/mm/yyyy``. Text longer than ``TEXT_MAX_CHARS`` is kept whole, with a warning.
    """
    text = _as_text(value)
    if not text:
        return EMPTY
    return _clean_short(text) if len(text) <= 512 else _clean_str(text)


# --- choices ---------------------------------------------------------------------------------

# Common ways units write a task status, for ``parse_choice(..., aliases=STATUS_ALIASES)``.
STATUS_ALIASES: Mapping[str, str] = {
    "Đã hoàn thành": "Hoàn thành",
    "Hoàn thành 100%": "Hoàn thành",
    "Xong": "Hoàn thành",
    "Đã xong": "Hoàn thành",
    "Đang triển khai": "Đang thực hiện",
    "Đang làm": "Đang thực hiện",
    "Chưa triển khai": "Chưa thực hiện",
    "Chưa làm": "Chưa thực hiện",
    "Không phát sinh nhiệm vụ": "Không phát sinh",
}


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity: one instance per allowed list
class _Choices:
    exact: frozenset[str]
    loose: Mapping[str, str]
    folded: Mapping[str, str | None]  # None: two allowed values fold alike
    listing: str


@lru_cache(maxsize=256)
def _choices(allowed: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> _Choices:
    canon = [unicodedata.normalize("NFC", a) for a in allowed]
    folded: dict[str, str | None] = {}
    for a in canon:
        key = fold(a)
        folded[key] = a if folded.get(key, a) == a else None
    for alias, target in aliases:
        target = unicodedata.normalize("NFC", target)
        if target in canon:
            folded.setdefault(fold(alias), target)
    return _Choices(
        exact=frozenset(canon),
        loose={_loose(a): a for a in canon},
        folded=folded,
        listing=", ".join(f"«{a}»" for a in canon),
    )


def _match(text: str, ch: _Choices) -> tuple[str, bool] | None:
    """(canonical value, exact up to case/spacing/punctuation) or None."""
    if text in ch.exact:
        return text, True
    hit = ch.loose.get(_loose(text))
    if hit is not None:
        return hit, True
    found = ch.folded.get(fold(text))
    return (found, False) if found is not None else None


def parse_choice(
    value: object, allowed: Sequence[str], *, aliases: Mapping[str, str] | None = None
) -> Parsed:
    """One of ``allowed``, matched ignoring case, spacing and punctuation (clean) or diacritics
    (warning ``VALUE_INTERPRETED``); TCVN3 input is accepted with a ``TCVN3_CONVERTED`` warning.
    ``aliases`` maps other accepted spellings to an allowed value (matched folded, warning).
    """
    ch = _choices(tuple(allowed), tuple((aliases or {}).items()))
    if isinstance(value, str) and len(value) <= 512:
        return _choice_cached(value, ch)
    return _choice(value, ch)


def _choice(value: object, ch: _Choices) -> Parsed:
    base = clean_text(value)
    text = base.value
    if not isinstance(text, str):
        return EMPTY
    if (excel := _excel_error(text)) is not None:
        return excel
    hit = _match(text, ch)
    if hit is not None:
        canonical, exact = hit
        if base.code == Code.TCVN3_CONVERTED:
            return _warn(canonical, Code.TCVN3_CONVERTED, _tcvn3_note(value, canonical))
        if exact:
            return Parsed(canonical)
        return _warn(canonical, Code.VALUE_INTERPRETED, _understood_note(text, canonical))
    if base.code != Code.TCVN3_CONVERTED and _TCVN3_ANY_RE.search(text):
        hit = _match(tcvn3_to_unicode(text), ch)
        if hit is not None:
            return _warn(hit[0], Code.TCVN3_CONVERTED, _tcvn3_note(text, hit[0]))
    return _error(
        Code.NOT_ALLOWED,
        f"Không nhận «{_show(text)}»: hãy chọn một trong các giá trị {ch.listing} (chọn từ danh sách thả xuống).",
    )


_choice_cached = lru_cache(maxsize=65536)(_choice)


def _understood_note(text: str, canonical: str) -> str:
    return f"Đã hiểu «{_show(text)}» là «{canonical}»; lần sau hãy chọn «{canonical}» từ danh sách thả xuống."


def _tcvn3_note(original: object, canonical: str) -> str:
    return (
        f"Chữ gõ bằng bảng mã cũ TCVN3 (phông .VnTime): đã hiểu «{_show(original)}» là «{canonical}». "
        "Lần sau hãy gõ bằng bảng mã Unicode hoặc chọn từ danh sách."
    )


_YES_EXACT = frozenset({"co"})
_NO_EXACT = frozenset({"khong"})
_YES_FORMS = frozenset(
    {"c", "x", "yes", "y", "1", "true", "da", "roi", "da co", "da thanh lap", "co thanh lap"}
)
_NO_FORMS = frozenset(
    {"k", "ko", "kh", "no", "n", "0", "false", "chua", "chua co", "khong co", "chua thanh lap"}
)
_CHECK_MARKS = frozenset("✓✔☑✅")


def _yes_no_text(text: str) -> tuple[str, bool] | None:
    key = fold(text)
    if key in _YES_EXACT:
        return YES, True
    if key in _NO_EXACT:
        return NO, True
    if key in _YES_FORMS or text in _CHECK_MARKS:
        return YES, False
    if key in _NO_FORMS:
        return NO, False
    return None


def parse_yes_no(value: object) -> Parsed:
    """``"Có"`` or ``"Không"``. Case, diacritic and punctuation variants (``"co"``, ``"KHÔNG."``)
    are clean; other accepted forms (x, yes, 1/0, TRUE/FALSE, ko, đã, chưa, …) give a
    ``VALUE_INTERPRETED`` warning; TCVN3 (``"Cã"``, ``"Kh«ng"``) a ``TCVN3_CONVERTED`` warning.
    """
    if isinstance(value, str) and len(value) <= 512:
        return _yes_no_cached(value)
    return _yes_no(value)


def _yes_no(value: object) -> Parsed:
    if isinstance(value, bool) or (
        isinstance(value, numbers.Real) and not isinstance(value, bool) and value in (0, 1)
    ):
        answer = YES if value else NO
        return _warn(answer, Code.VALUE_INTERPRETED, _understood_note(_as_text(value) or "", answer))
    base = clean_text(value)
    text = base.value
    if not isinstance(text, str):
        return EMPTY
    if (excel := _excel_error(text)) is not None:
        return excel
    hit = _yes_no_text(text)
    if hit is not None:
        answer, exact = hit
        if base.code == Code.TCVN3_CONVERTED:
            return _warn(answer, Code.TCVN3_CONVERTED, _tcvn3_note(value, answer))
        return (
            Parsed(answer) if exact else _warn(answer, Code.VALUE_INTERPRETED, _understood_note(text, answer))
        )
    if base.code != Code.TCVN3_CONVERTED and _TCVN3_ANY_RE.search(text):
        hit = _yes_no_text(tcvn3_to_unicode(text))
        if hit is not None:
            return _warn(hit[0], Code.TCVN3_CONVERTED, _tcvn3_note(text, hit[0]))
    return _error(Code.NOT_ALLOWED, f"Không nhận «{_show(text)}»: hãy chọn «{YES}» hoặc «{NO}».")


_yes_no_cached = lru_cache(maxsize=65536)(_yes_no)


# --- numbers ---------------------------------------------------------------------------------

_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)
_LIBRE_ERROR = re.compile(r"^Err:\d{3}$")


def _excel_error(text: str) -> Parsed | None:
    if text.upper() in _EXCEL_ERRORS or _LIBRE_ERROR.match(text):
        return _error(
            Code.FORMULA_NO_VALUE,
            f"Ô báo lỗi công thức «{_show(text)}»: hãy sửa công thức hoặc gõ trực tiếp giá trị.",
        )
    return None


# Unicode decimal digits need no table: ``\d`` matches them and int()/float() read them.
_DIGIT_TABLE = str.maketrans(dict.fromkeys(map(ord, "−–‒﹣－"), "-"))
_PLAIN = re.compile(r"([+-]?)\s*(\d+(?:[.,]\d+)*)[.,]?")
_FRACTION = re.compile(r"([+-]?)\s*([.,]\d+)")
_SPACED = re.compile(r"([+-]?)\s*(\d{1,3}(?: \d{3})+(?:[.,]\d+)?)")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d{1,3}")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+")
_PERCENT = re.compile(r"\s*%$")
_MULTIPLIERS = {"nghin": 1000, "ngan": 1000, "trieu": 1_000_000, "ty": 1_000_000_000}


def _number_token(token: str) -> tuple[float | int, bool] | None:
    """(value, ambiguous) for digits with ``.``/``,`` marks; None when the marks make no sense."""
    if len(token) > _MAX_DIGITS:
        return None
    dots, commas = token.count("."), token.count(",")
    if dots and commas:
        dec = max(token.rfind("."), token.rfind(","))
        whole, frac = token[:dec], token[dec + 1 :]
        if "." in frac or "," in frac or not _GROUPS.fullmatch(whole) or ("." in whole and "," in whole):
            return None
        return float(whole.replace(".", "").replace(",", "") + "." + frac), False
    if dots + commas == 0:
        return int(token), False
    sep = "." if dots else ","
    whole, _, frac = token.partition(sep)
    if dots + commas > 1:
        return (int(token.replace(sep, "")), False) if _GROUPS.fullmatch(token) else None
    thousands_like = len(frac) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0"
    if sep == "." and thousands_like:
        return int(whole + frac), False
    return float(whole + "." + frac), sep == "," and thousands_like


def _as_number(value: float | int) -> float | int:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _parse_number_text(text: str, percent: bool) -> Parsed:
    """Parse a number from text; returns the value (unchecked) or an error."""
    s = unicodedata.normalize("NFKC", text).translate(_DIGIT_TABLE).strip()
    had_percent = bool(_PERCENT.search(s))
    if had_percent:
        s = _PERCENT.sub("", s)
    sign, body, ambiguous = "", "", False
    parsed: float | int | None = None
    if m := _PLAIN.fullmatch(s) or _FRACTION.fullmatch(s):
        sign, body = m.group(1), m.group(2)
    elif m := _SPACED.fullmatch(s):
        sign, body = m.group(1), m.group(2).replace(" ", "")
    elif _SCIENTIFIC.fullmatch(s):
        parsed = float(s.replace(",", "."))
    if body:
        if body[0] in ".,":
            parsed = float("0." + body[1:])
        else:
            got = _number_token(body)
            if got is None:
                return _error(
                    Code.NOT_A_NUMBER,
                    f"Không rõ cách ghi số «{_show(text)}»: dùng dấu chấm để phân cách hàng nghìn "
                    "và dấu phẩy cho phần thập phân, ví dụ 1.234,5.",
                )
            parsed, ambiguous = got
        if sign == "-":
            parsed = -parsed
    if parsed is not None:
        if not math.isfinite(parsed):
            return _error(Code.NOT_A_NUMBER, f"Số «{_show(text)}» quá lớn: {NUMBER_HINT}.")
        parsed = _as_number(parsed)
        if ambiguous:
            big = _show_num(_as_number(parsed * 1000))
            return _warn(
                parsed,
                Code.VALUE_INTERPRETED,
                f"Đã hiểu «{_show(text)}» là {_show_num(parsed)} (dấu phẩy là dấu thập phân); "
                f"nếu là {big} thì hãy ghi {big}.",
            )
        if had_percent and not percent:
            return _warn(
                parsed, Code.VALUE_INTERPRETED, f"Đã hiểu «{_show(text)}» là {_show_num(parsed)} (phần trăm)."
            )
        return Parsed(parsed)
    return _number_in_text(text, s)


def _number_in_text(text: str, s: str) -> Parsed:
    tokens = list(_TOKEN.finditer(s))
    if len(tokens) != 1:
        why = "có nhiều số" if tokens else "không có chữ số nào"
        return _error(
            Code.NOT_A_NUMBER,
            f"Không hiểu «{_show(text)}» là số ({why}): {NUMBER_HINT}; nếu là không thì ghi 0, "
            "nếu chưa có số liệu thì để trống; phần giải thích ghi ở cột khác.",
        )
    m = tokens[0]
    got = _number_token(m.group())
    if got is None:
        return _error(Code.NOT_A_NUMBER, f"Không hiểu «{_show(text)}» là số: {NUMBER_HINT}.")
    value: float | int = got[0]
    i = m.start()
    if i and s[i - 1] == "-" and (i == 1 or s[i - 2].isspace()):
        value = -value
    after = fold(s[m.end() :]).split()
    if after and after[0] in _MULTIPLIERS and not (after[0] == "ty" and after[1:2] == ["le"]):
        value = value * _MULTIPLIERS[after[0]]
    if not math.isfinite(value):
        return _error(Code.NOT_A_NUMBER, f"Số «{_show(text)}» quá lớn: {NUMBER_HINT}.")
    value = _as_number(value)
    return _warn(
        value,
        Code.NUMBER_WITH_TEXT,
        f"Đã hiểu «{_show(text)}» là {_show_num(value)}: ô này chỉ ghi số, phần chữ hãy ghi ở cột khác.",
    )


def _check_number(
    p: Parsed, integer: bool, minimum: float | None, maximum: float | None, shown: str
) -> Parsed:
    value = p.value
    if not isinstance(value, int | float):
        return p
    if integer and not isinstance(value, int):
        nearest = round(value)
        if abs(value - nearest) > 1e-9:
            return _error(
                Code.NOT_AN_INTEGER,
                f"Ô này cần số nguyên, không ghi «{shown}»: hãy ghi một số nguyên, ví dụ {max(int(nearest), 0)}.",
            )
        value = int(nearest)
    low = minimum is not None and value < minimum
    high = maximum is not None and value > maximum
    if low or high:
        if minimum is not None and maximum is not None:
            span = f"từ {_show_num(minimum)} đến {_show_num(maximum)}"
        elif minimum is not None:
            span = f"từ {_show_num(minimum)} trở lên"
        else:
            span = f"không quá {_show_num(maximum or 0)}"
        where = (
            f"nhỏ hơn mức tối thiểu {_show_num(minimum or 0)}"
            if low
            else f"lớn hơn mức tối đa {_show_num(maximum or 0)}"
        )
        return _error(Code.OUT_OF_RANGE, f"Giá trị {_show_num(value)} {where}: hãy ghi một số {span}.")
    if value is p.value:
        return p
    return Parsed(value, p.code, p.severity, p.note)


def parse_number(
    value: object,
    *,
    integer: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    percent: bool = False,
) -> Parsed:
    """A number, read the Vietnamese way (see the module docstring).

    The value is an ``int`` when it is whole (always with ``integer=True``), else a ``float``.
    ``"12 tin bài"`` gives 12 with a ``NUMBER_WITH_TEXT`` warning (``"5 triệu"`` gives 5000000);
    ``"10%"`` is a clean 10 when ``percent=True`` and a ``VALUE_INTERPRETED`` warning otherwise.
    A float from a cell formatted as percent (0.1 for 10 %) is not rescaled here: callers that
    know the cell format use :func:`from_percent_cell`. Booleans, dates, NaN, infinity and text
    without a number (``"-"``, ``"không"``) are ``NOT_A_NUMBER`` errors: nothing is guessed as 0.
    """
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return _error(
            Code.NOT_A_NUMBER,
            f"Ô ghi «{'TRUE' if value else 'FALSE'}» (đúng/sai), không phải số: {NUMBER_HINT}.",
        )
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return _error(
            Code.NOT_A_NUMBER,
            f"Ô chứa ngày giờ «{_as_text(value)}», không phải số: hãy định dạng ô là số và {NUMBER_HINT}.",
        )
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, numbers.Integral):
        if abs(int(value)) >= 10**_MAX_DIGITS:
            return _error(Code.NOT_A_NUMBER, f"Số quá lớn: {NUMBER_HINT}.")
        p = Parsed(int(value))
        shown = str(p.value)
    elif isinstance(value, numbers.Real):
        f = float(value)
        if not math.isfinite(f):
            return _error(Code.NOT_A_NUMBER, f"Ô chứa giá trị không phải số ({_show(value)}): {NUMBER_HINT}.")
        p = Parsed(_as_number(f))
        shown = _show_num(f)
    else:
        text = clean_text(value).value
        if not isinstance(text, str):
            return EMPTY
        p = _number_text_cached(text, percent) if len(text) <= 512 else _number_text(text, percent)
        shown = _show(text)
    if not p.ok:
        return (
            _error(p.code or Code.NOT_A_NUMBER, p.note.replace(NUMBER_HINT, INTEGER_HINT)) if integer else p
        )
    return _check_number(p, integer, minimum, maximum, shown)


def _number_text(text: str, percent: bool) -> Parsed:
    excel = _excel_error(text)
    return excel if excel is not None else _parse_number_text(text, percent)


_number_text_cached = lru_cache(maxsize=65536)(_number_text)


def from_percent_cell(value: float) -> float:
    """The number a reader sees in a cell formatted as percent: 0.1 → 10.0."""
    return round(float(value) * 100, 10)


# --- dates -----------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # 1900 system, past the fictitious 29/02/1900
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000  # 1954 … 2119
_YEAR_MIN, _YEAR_MAX = 1900, 2100
_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})" + _TIME)
_YMD = re.compile(r"(\d{4})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})" + _TIME)
_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    if not _YEAR_MIN <= year <= _YEAR_MAX:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _bad_date(text: str) -> Parsed:
    return _error(Code.NOT_A_DATE, f"Không hiểu «{_show(text)}» là ngày: {DATE_HINT}.")


def parse_date(value: object) -> Parsed:
    """A date from a date/datetime cell, an Excel serial number (20000–80000) or text:
    ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``, ``yyyy-mm-dd`` (a time part is
    ignored) or ``ngày 5 tháng 10 năm 2023``. A two-digit year (``15/12/23``) and a month-first
    date that cannot be day-first (``12/25/2023``) give a ``VALUE_INTERPRETED`` warning.
    """
    if value is None:
        return EMPTY
    if isinstance(value, dt.datetime):
        return Parsed(value.date())
    if isinstance(value, dt.date):
        return Parsed(value)
    if isinstance(value, bool | dt.time | dt.timedelta):
        return _bad_date(_as_text(value) or "")
    if isinstance(value, numbers.Real | Decimal):
        f = float(value)
        if math.isfinite(f) and _SERIAL_MIN <= f < _SERIAL_MAX:
            return Parsed(_EXCEL_EPOCH + dt.timedelta(days=int(f)))
        return _bad_date(_as_text(value) or "")
    text = clean_text(value).value
    if not isinstance(text, str):
        return EMPTY
    if (excel := _excel_error(text)) is not None:
        return excel
    s = unicodedata.normalize("NFKC", text).translate(_DIGIT_TABLE)
    if m := _YMD.fullmatch(s):
        got = _date_or_none(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        return Parsed(got) if got else _impossible(text)
    if m := _DMY.fullmatch(s):
        day, month, year_text = int(m.group(1)), int(m.group(3)), m.group(4)
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        got = _date_or_none(year, month, day)
        if got is None and month > 12 and day <= 12:
            swapped = _date_or_none(year, day, month)
            if swapped:
                return _warn(
                    swapped, Code.VALUE_INTERPRETED, _date_note(text, swapped, "tháng ghi trước ngày")
                )
        if got is None:
            return _impossible(text)
        if len(year_text) == 2:
            return _warn(got, Code.VALUE_INTERPRETED, _date_note(text, got, "năm ghi hai chữ số"))
        return Parsed(got)
    if m := _WORDS.search(fold(s)):
        got = _date_or_none(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return Parsed(got) if got else _impossible(text)
    return _bad_date(text)


def _impossible(text: str) -> Parsed:
    return _error(Code.NOT_A_DATE, f"Ngày «{_show(text)}» không có thật: {DATE_HINT}.")


def _date_note(text: str, got: dt.date, why: str) -> str:
    return f"Đã hiểu «{_show(text)}» là ngày {got:%d/%m/%Y} ({why}); lần sau hãy {DATE_HINT}."
