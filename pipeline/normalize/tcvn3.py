"""Text typed in the legacy TCVN3 (ABC, ``.VnTime``) encoding, read as latin-1: recognise it
and convert it to Unicode. The tables below are an encoding, not text for people."""

from __future__ import annotations

import re
import unicodedata

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


def has_tcvn3_code(text: str) -> bool:
    """True when ``text`` holds any TCVN3 code (a cheap test before trying a conversion)."""
    return _TCVN3_ANY_RE.search(text) is not None
