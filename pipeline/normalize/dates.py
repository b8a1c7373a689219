"""Dates from date cells, Excel serial numbers and the ways a clerk types them."""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from decimal import Decimal

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.messages import notes
from pipeline.base.text import fold
from pipeline.normalize.numbers import DIGIT_TABLE
from pipeline.normalize.parsed import EMPTY, Parsed, error, show, warn
from pipeline.normalize.text import as_text, clean_text, excel_error

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
    return error(Code.NOT_A_DATE, text=show(text), hint=notes.DATE_HINT)


def _impossible(text: str) -> Parsed:
    return error(Code.NOT_A_DATE, "impossible", text=show(text), hint=notes.DATE_HINT)


def _understood(text: str, got: dt.date, why: str) -> Parsed:
    return warn(
        got, Code.VALUE_INTERPRETED, "date", text=show(text), date=V.day(got), why=why, hint=notes.DATE_HINT
    )


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
        return _bad_date(as_text(value) or "")
    if isinstance(value, numbers.Real | Decimal):
        f = float(value)
        if math.isfinite(f) and _SERIAL_MIN <= f < _SERIAL_MAX:
            return Parsed(_EXCEL_EPOCH + dt.timedelta(days=int(f)))
        return _bad_date(as_text(value) or "")
    text = clean_text(value).value
    if not isinstance(text, str):
        return EMPTY
    if (excel := excel_error(text)) is not None:
        return excel
    s = unicodedata.normalize("NFKC", text).translate(DIGIT_TABLE)
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
                return _understood(text, swapped, notes.MONTH_FIRST)
        if got is None:
            return _impossible(text)
        if len(year_text) == 2:
            return _understood(text, got, notes.TWO_DIGIT_YEAR)
        return Parsed(got)
    if m := _WORDS.search(fold(s)):
        got = _date_or_none(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return Parsed(got) if got else _impossible(text)
    return _bad_date(text)
