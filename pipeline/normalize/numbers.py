"""Numbers read the Vietnamese way: ``.`` groups thousands and ``,`` is the decimal mark.

A single ``.`` followed by exactly three digits (``1.000``, ``12.500``) is a thousands
separator; any other single ``.`` is a decimal point (``1.5``, ``0.125``, ``1234.567``). With
both marks present the last one is the decimal mark (``1.234,5`` and ``1,234.5``). A single
``,`` followed by exactly three digits (``1,000``) is read as a decimal comma (1.0) with a
warning, because an English-style writer may have meant one thousand.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.messages import notes
from pipeline.base.text import fold
from pipeline.normalize.parsed import EMPTY, Parsed, error, show, warn
from pipeline.normalize.text import MAX_DIGITS, as_text, clean_text, excel_error

# Unicode decimal digits need no table: ``\d`` matches them and int()/float() read them.
DIGIT_TABLE = str.maketrans(dict.fromkeys(map(ord, "−–‒﹣－"), "-"))
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
    if len(token) > MAX_DIGITS:
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
    s = unicodedata.normalize("NFKC", text).translate(DIGIT_TABLE).strip()
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
                return error(Code.NOT_A_NUMBER, "marks", text=show(text))
            parsed, ambiguous = got
        if sign == "-":
            parsed = -parsed
    if parsed is not None:
        if not math.isfinite(parsed):
            return error(Code.NOT_A_NUMBER, "too_large", text=show(text), hint=notes.NUMBER_HINT)
        parsed = _as_number(parsed)
        if ambiguous:
            big = V.number(_as_number(parsed * 1000))
            return warn(
                parsed,
                Code.VALUE_INTERPRETED,
                "decimal_comma",
                text=show(text),
                number=V.number(parsed),
                big=big,
            )
        if had_percent and not percent:
            return warn(parsed, Code.VALUE_INTERPRETED, "percent", text=show(text), number=V.number(parsed))
        return Parsed(parsed)
    return _number_in_text(text, s)


def _number_in_text(text: str, s: str) -> Parsed:
    tokens = list(_TOKEN.finditer(s))
    if len(tokens) != 1:
        why = notes.MANY_NUMBERS if tokens else notes.NO_DIGIT
        return error(Code.NOT_A_NUMBER, "no_number", text=show(text), why=why, hint=notes.NUMBER_HINT)
    m = tokens[0]
    got = _number_token(m.group())
    if got is None:
        return error(Code.NOT_A_NUMBER, text=show(text), hint=notes.NUMBER_HINT)
    value: float | int = got[0]
    i = m.start()
    if i and s[i - 1] == "-" and (i == 1 or s[i - 2].isspace()):
        value = -value
    after = fold(s[m.end() :]).split()
    if after and after[0] in _MULTIPLIERS and not (after[0] == "ty" and after[1:2] == ["le"]):
        value = value * _MULTIPLIERS[after[0]]
    if not math.isfinite(value):
        return error(Code.NOT_A_NUMBER, "too_large", text=show(text), hint=notes.NUMBER_HINT)
    value = _as_number(value)
    return warn(value, Code.NUMBER_WITH_TEXT, text=show(text), number=V.number(value))


def _check_number(
    p: Parsed, integer: bool, minimum: float | None, maximum: float | None, shown: str
) -> Parsed:
    value = p.value
    if not isinstance(value, int | float):
        return p
    if integer and not isinstance(value, int):
        nearest = round(value)
        if abs(value - nearest) > 1e-9:
            return error(Code.NOT_AN_INTEGER, text=shown, example=max(int(nearest), 0))
        value = int(nearest)
    low = minimum is not None and value < minimum
    high = maximum is not None and value > maximum
    if low or high:
        if minimum is not None and maximum is not None:
            span = notes.SPAN_BETWEEN.format(minimum=V.number(minimum), maximum=V.number(maximum))
        elif minimum is not None:
            span = notes.SPAN_AT_LEAST.format(minimum=V.number(minimum))
        else:
            span = notes.SPAN_AT_MOST.format(maximum=V.number(maximum or 0))
        where = (
            notes.BELOW_MINIMUM.format(minimum=V.number(minimum or 0))
            if low
            else notes.ABOVE_MAXIMUM.format(maximum=V.number(maximum or 0))
        )
        return error(Code.OUT_OF_RANGE, number=V.number(value), where=where, span=span)
    if value is p.value:
        return p
    return Parsed(value, p.code, p.severity, p.variant, p.slots)


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
        return error(Code.NOT_A_NUMBER, "boolean", text="TRUE" if value else "FALSE", hint=_hint(integer))
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return error(Code.NOT_A_NUMBER, "date", text=as_text(value), hint=_hint(integer))
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, numbers.Integral):
        if abs(int(value)) >= 10**MAX_DIGITS:
            return error(Code.NOT_A_NUMBER, "huge", hint=_hint(integer))
        p = Parsed(int(value))
        shown = str(p.value)
    elif isinstance(value, numbers.Real):
        f = float(value)
        if not math.isfinite(f):
            return error(Code.NOT_A_NUMBER, "not_finite", text=show(value), hint=_hint(integer))
        p = Parsed(_as_number(f))
        shown = V.number(f)
    else:
        text = clean_text(value).value
        if not isinstance(text, str):
            return EMPTY
        p = _number_text_cached(text, percent) if len(text) <= 512 else _number_text(text, percent)
        shown = show(text)
    if not p.ok:
        return _hinted(p, integer)
    return _check_number(p, integer, minimum, maximum, shown)


def _hint(integer: bool) -> str:
    return notes.INTEGER_HINT if integer else notes.NUMBER_HINT


def _hinted(p: Parsed, integer: bool) -> Parsed:
    """An error with the hint of the cell: a number, or (``integer``) a whole number."""
    if integer and "hint" in p.slots:
        return Parsed(p.value, p.code, p.severity, p.variant, p.slots | {"hint": notes.INTEGER_HINT})
    return p


def _number_text(text: str, percent: bool) -> Parsed:
    excel = excel_error(text)
    return excel if excel is not None else _parse_number_text(text, percent)


_number_text_cached = lru_cache(maxsize=65536)(_number_text)


def from_percent_cell(value: float) -> float:
    """The number a reader sees in a cell formatted as percent: 0.1 → 10.0."""
    return round(float(value) * 100, 10)
