"""Cell values as clean text: NFC, trimmed, invisible characters removed, TCVN3 converted."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache

from pipeline.base.codes import Code
from pipeline.base.messages import notes
from pipeline.normalize.parsed import EMPTY, Parsed, error, show, warn
from pipeline.normalize.tcvn3 import looks_like_tcvn3, tcvn3_to_unicode

TEXT_MAX_CHARS = 4000
MAX_DIGITS = 300  # longer numbers are refused (int() of huge text is slow, then capped)

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


def as_text(value: object) -> str | None:
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
    if isinstance(value, int) and abs(value) >= 10**MAX_DIGITS:
        return notes.HUGE_NUMBER_SHOWN
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
        more = ""
        if len(converted) > TEXT_MAX_CHARS:
            more = notes.TCVN3_ALSO_TOO_LONG.format(length=len(converted), limit=TEXT_MAX_CHARS)
        return warn(converted, Code.TCVN3_CONVERTED, converted=show(converted), more=more)
    if "\xad" in tidy:  # a soft hyphen outside TCVN3 text is invisible noise
        tidy = _tidy(tidy.replace("\xad", ""))
        if not tidy:
            return EMPTY
    if len(tidy) > TEXT_MAX_CHARS:
        return warn(tidy, Code.TEXT_TOO_LONG, length=len(tidy), limit=TEXT_MAX_CHARS)
    return Parsed(tidy)


_clean_short = lru_cache(maxsize=65536)(_clean_str)


def clean_text(value: object) -> Parsed:
    """A cell as clean text: NFC, trimmed, runs of spaces collapsed (newlines kept), invisible
    characters removed, TCVN3 converted (warning). Numbers read as floats lose a ``.0``; dates
    become ``dd/mm/yyyy``. Text longer than ``TEXT_MAX_CHARS`` is kept whole, with a warning.
    """
    text = as_text(value)
    if not text:
        return EMPTY
    return _clean_short(text) if len(text) <= 512 else _clean_str(text)


_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)
_LIBRE_ERROR = re.compile(r"^Err:\d{3}$")


def excel_error(text: str) -> Parsed | None:
    """The error of a cell showing a formula error (``#DIV/0!``, LibreOffice's ``Err:502``)."""
    if text.upper() in _EXCEL_ERRORS or _LIBRE_ERROR.match(text):
        return error(Code.FORMULA_NO_VALUE, "error", text=show(text))
    return None
