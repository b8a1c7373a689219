"""Conditions written once, read three ways: over the frames of a run (pandera checks of
``dti validate``), as Excel formulas (the template's conditional formats and counters), and on the
values a template is written with (the formulas' cached values).

A condition is a small tree over named cells (``Ref("evidence")``). Each node renders itself:

- :meth:`Expr.frame` — a boolean Series over a frame of normalised values, where a named cell is a
  column (a value that failed to parse is not blank: its parser has reported it);
- :meth:`Expr.excel` — formula text, given how a name becomes a cell reference (``$K6``); the
  formula is arithmetic (``(a)*(b)`` for and, ``((a)+(b)>0)`` for or), so it works alike in a
  conditional format, a cell and across LibreOffice and Excel;
- :meth:`Expr.value` — what Excel computes for the values written in the cells (cached values).

A mark is a condition on one cell with the issue it stands for (:class:`CellRule`).
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pipeline.base.codes import Code, Severity
from pipeline.normalize import Placeholders, is_placeholder

Refs = Callable[[str], str]  # a cell name → its reference in a formula
Get = Callable[[str], Any]  # a cell name → the value written in it (None when blank)

_OPS: dict[str, tuple[Callable[[Any, Any], Any], str]] = {
    "<=": (operator.le, "<="),
    ">=": (operator.ge, ">="),
    "==": (operator.eq, "="),
    "!=": (operator.ne, "<>"),
    "<": (operator.lt, "<"),
    ">": (operator.gt, ">"),
}
# What a placeholder of punctuation only looks like, for the formula (in Python, fold() leaves any
# such text empty, whatever its marks).
_PUNCTUATION_ONLY = (
    "-",
    "--",
    "---",
    ".",
    "..",
    "...",
    "…",
    "/",
    "+",
    "*",
    "?",
    "_",
    ",",
    ":",
    "x.",
    "-.",
    ".-",
)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        return None
    x = float(value)
    return None if math.isnan(x) else x


def _trim(value: Any) -> str:
    """Excel's TRIM of a cell: text with single spaces; a number as its text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


class Expr:
    """A condition (or a value) over named cells."""

    def excel(self, ref: Refs) -> str:
        raise NotImplementedError

    def frame(self, df: pd.DataFrame) -> pd.Series:
        raise NotImplementedError

    def value(self, get: Get) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Ref(Expr):
    """A named cell: a column of the frame, a reference in the formula."""

    name: str

    def excel(self, ref: Refs) -> str:
        return ref(self.name)

    def frame(self, df: pd.DataFrame) -> pd.Series:
        return df[self.name] if self.name in df else pd.Series(None, index=df.index, dtype=object)

    def value(self, get: Get) -> Any:
        return get(self.name)


@dataclass(frozen=True)
class Lit(Expr):
    """A constant: a number or a text."""

    constant: float | str

    def excel(self, ref: Refs) -> str:
        if isinstance(self.constant, str):
            return _quote(self.constant)
        return repr(float(self.constant)).removesuffix(".0")

    def frame(self, df: pd.DataFrame) -> pd.Series:
        return pd.Series([self.constant] * len(df), index=df.index, dtype=object)

    def value(self, get: Get) -> Any:
        return self.constant


@dataclass(frozen=True)
class Blank(Expr):
    """The cell is empty (or only spaces). In a frame, ``bad`` names the column saying the cell
    held something that failed to parse: not blank."""

    cell: str
    bad: str = ""

    def excel(self, ref: Refs) -> str:
        return f"(LEN(TRIM({ref(self.cell)}))=0)"

    def frame(self, df: pd.DataFrame) -> pd.Series:
        values = Ref(self.cell).frame(df)
        blank = values.map(lambda v: v is None or (isinstance(v, float) and math.isnan(v)) or v == "")
        if self.bad and self.bad in df:
            blank &= ~df[self.bad].fillna(False).astype(bool)
        return blank.astype(bool)

    def value(self, get: Get) -> bool:
        return _trim(get(self.cell)) == ""


@dataclass(frozen=True)
class Is(Expr):
    """The cell holds this text (Excel compares without case)."""

    cell: str
    text: str

    def excel(self, ref: Refs) -> str:
        return f"(TRIM({ref(self.cell)})={_quote(self.text)})"

    def frame(self, df: pd.DataFrame) -> pd.Series:
        return (Ref(self.cell).frame(df) == self.text).fillna(False).astype(bool)

    def value(self, get: Get) -> bool:
        value = get(self.cell)
        return isinstance(value, str) and _trim(value).lower() == self.text.lower()


@dataclass(frozen=True)
class IsNumber(Expr):
    """The cell holds a number."""

    cell: str

    def excel(self, ref: Refs) -> str:
        return f"ISNUMBER({ref(self.cell)})"

    def frame(self, df: pd.DataFrame) -> pd.Series:
        return pd.to_numeric(Ref(self.cell).frame(df), errors="coerce").notna()

    def value(self, get: Get) -> bool:
        return _number(get(self.cell)) is not None


@dataclass(frozen=True)
class Times(Expr):
    """A cell's number times a constant (``1.2a × weeks``)."""

    cell: str
    factor: float

    def excel(self, ref: Refs) -> str:
        return f"({ref(self.cell)}*{Lit(self.factor).excel(ref)})"

    def frame(self, df: pd.DataFrame) -> pd.Series:
        return pd.to_numeric(Ref(self.cell).frame(df), errors="coerce") * self.factor

    def value(self, get: Get) -> float | None:
        x = _number(get(self.cell))
        return None if x is None else x * self.factor


@dataclass(frozen=True)
class Cmp(Expr):
    """``left op right`` between numbers; false where either is not a number (guard it with
    :class:`IsNumber` in a formula: Excel holds any text greater than any number)."""

    op: str
    left: Expr
    right: Expr

    def excel(self, ref: Refs) -> str:
        return f"({self.left.excel(ref)}{_OPS[self.op][1]}{self.right.excel(ref)})"

    def frame(self, df: pd.DataFrame) -> pd.Series:
        a = pd.to_numeric(self.left.frame(df), errors="coerce").astype(float)
        b = pd.to_numeric(self.right.frame(df), errors="coerce").astype(float)
        return (
            pd.Series(_OPS[self.op][0](a, b), index=df.index).fillna(False).astype(bool)
            & a.notna()
            & b.notna()
        )

    def value(self, get: Get) -> bool:
        a, b = _number(self.left.value(get)), _number(self.right.value(get))
        return a is not None and b is not None and bool(_OPS[self.op][0](a, b))


@dataclass(frozen=True)
class All(Expr):
    parts: tuple[Expr, ...]

    def excel(self, ref: Refs) -> str:
        return "(" + "*".join(p.excel(ref) for p in self.parts) + ")"

    def frame(self, df: pd.DataFrame) -> pd.Series:
        out = pd.Series(True, index=df.index)
        for p in self.parts:
            out &= p.frame(df).astype(bool)
        return out

    def value(self, get: Get) -> bool:
        return all(p.value(get) for p in self.parts)


@dataclass(frozen=True)
class Any_(Expr):
    parts: tuple[Expr, ...]

    def excel(self, ref: Refs) -> str:
        return "((" + "+".join(p.excel(ref) for p in self.parts) + ")>0)"

    def frame(self, df: pd.DataFrame) -> pd.Series:
        out = pd.Series(False, index=df.index)
        for p in self.parts:
            out |= p.frame(df).astype(bool)
        return out

    def value(self, get: Get) -> bool:
        return any(p.value(get) for p in self.parts)


@dataclass(frozen=True)
class Not(Expr):
    part: Expr

    def excel(self, ref: Refs) -> str:
        return f"(1-{self.part.excel(ref)})"

    def frame(self, df: pd.DataFrame) -> pd.Series:
        return ~self.part.frame(df).astype(bool)

    def value(self, get: Get) -> bool:
        return not self.part.value(get)


@dataclass(frozen=True)
class Placeholder(Expr):
    """The cell says nothing as evidence: punctuation only, a placeholder word, a bare number or
    date (:func:`pipeline.normalize.is_placeholder` over a frame)."""

    cell: str
    words: Placeholders

    def excel(self, ref: Refs) -> str:
        x = f"TRIM({ref(self.cell)})"
        words = ",".join(_quote(w) for w in dict.fromkeys((*self.words.words, *_PUNCTUATION_ONLY)))
        # a number or a date (VALUE reads it), or one of the words (MATCH compares without case)
        return f"((LEN({x})>0)*((ISNUMBER(VALUE({x}))+ISNUMBER(MATCH({x},{{{words}}},0)))>0))"

    def frame(self, df: pd.DataFrame) -> pd.Series:
        words = self.words
        cells = Ref(self.cell).frame(df)
        return cells.map(lambda v: not _missing(v) and is_placeholder(v, words)).astype(bool)

    def value(self, get: Get) -> bool:
        value = get(self.cell)
        text = _trim(value)
        if not text:
            return False
        if _number(value) is not None or isinstance(value, dt.date):
            return True
        return is_placeholder(text, self.words)


@dataclass(frozen=True)
class Shape(Expr):
    """The cell's text has a shape: a Python check and the formula that tells the same
    (:mod:`pipeline.normalize.contact`: an e-mail address, a phone number)."""

    cell: str
    check: Callable[[object], bool]
    excel_of: Callable[[str], str]

    def excel(self, ref: Refs) -> str:
        return self.excel_of(ref(self.cell))

    def frame(self, df: pd.DataFrame) -> pd.Series:
        return Ref(self.cell).frame(df).map(lambda v: not _missing(v) and self.check(v)).astype(bool)

    def value(self, get: Get) -> bool:
        value = get(self.cell)
        return not _missing(value) and self.check(value)


@dataclass(frozen=True)
class Fraction(Expr):
    """The cell holds a number that is not whole."""

    cell: str

    def excel(self, ref: Refs) -> str:
        x = ref(self.cell)
        return f"(ISNUMBER({x})*IFERROR({x}<>INT({x}),0))"

    def frame(self, df: pd.DataFrame) -> pd.Series:
        x = pd.to_numeric(Ref(self.cell).frame(df), errors="coerce")
        return (x.notna() & (x != x.round())).astype(bool)

    def value(self, get: Get) -> bool:
        x = _number(get(self.cell))
        return x is not None and not x.is_integer()


@dataclass(frozen=True)
class OneOf(Expr):
    """The cell holds one of these texts."""

    cell: str
    texts: tuple[str, ...]

    def excel(self, ref: Refs) -> str:
        return any_of(*(Is(self.cell, t) for t in self.texts)).excel(ref)

    def frame(self, df: pd.DataFrame) -> pd.Series:
        return Ref(self.cell).frame(df).isin(self.texts).astype(bool)

    def value(self, get: Get) -> bool:
        return any(Is(self.cell, t).value(get) for t in self.texts)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def all_of(*parts: Expr) -> Expr:
    return parts[0] if len(parts) == 1 else All(tuple(parts))


def any_of(*parts: Expr) -> Expr:
    return parts[0] if len(parts) == 1 else Any_(tuple(parts))


@dataclass(frozen=True)
class CellRule:
    """A mark on one cell: where ``fails`` holds, the cell ``column`` is wrong (``code``)."""

    name: str  # the pandera check's name
    code: Code
    severity: Severity
    column: str  # the named cell the mark is on
    fails: Expr
    counted: str = ""  # which number of the sheet's line it adds to: "left" (still to fill), else by severity
    parser: bool = False  # in a run, the cell's parser finds it (a number out of range): formula only
    variant: str = ""  # the variant of the code's message

    @property
    def tally(self) -> str:
        return self.counted or ("errors" if self.severity == Severity.ERROR else "warnings")


def guarded(expr: Expr, ref: Refs) -> str:
    """A condition as formula text giving 1 or 0, and 0 where a cell holds an error value or text
    where a number belongs (Excel computes every factor of a product)."""
    return f"IFERROR(IF({expr.excel(ref)},1,0),0)"


def cf_formula(expr: Expr, ref: Refs) -> str:
    """A condition as a conditional format's formula."""
    return f"={guarded(expr, ref)}=1"


def safe_value(expr: Expr, get: Get) -> bool:
    """What the formula of ``expr`` gives for written values (its cached value), as a truth value."""
    try:
        return bool(expr.value(get))
    except (TypeError, ValueError):
        return False


def cell_names(mapping: Mapping[str, str]) -> Refs:
    """A ``Refs`` from a mapping of names to references; an unknown name is a bug."""
    return mapping.__getitem__
