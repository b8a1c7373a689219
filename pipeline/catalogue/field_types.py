"""The kinds of input field ``indicators.yaml`` may declare: one entry each.

An entry says everything the tool does with a field of its type: how a typed cell is read
(:mod:`pipeline.normalize`), which pandera column checks the values of a run, which Excel data
validation the template offers, and whether its values are numbers. A new type is one entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.catalogue.model import Field
from pipeline.normalize import Parsed, clean_text, parse_number, parse_yes_no


@dataclass(frozen=True)
class FieldType:
    name: str
    numeric: bool
    bounded: bool  # min and max apply
    parse: Callable[..., Parsed]  # (value, field=, words=) → the cell read as this type
    column: Callable[[Field], pa.Column | None]  # for the wide Chỉ số frame of a run
    excel: Callable[[Field], dict[str, Any] | None]  # the template's data validation

    def present(self, values: pd.Series) -> pd.Series:
        """Which cells hold a value of this type."""
        if self.numeric:
            return pd.to_numeric(values, errors="coerce").notna()
        return values.map(lambda v: isinstance(v, str) and v.strip() != "").astype(bool)


def number_validation(
    integer: bool, minimum: float | None, maximum: float | None, title: str, hint: str
) -> dict[str, Any]:
    """Excel data validation of a number cell, with Vietnamese input and error messages."""
    low = minimum if minimum is not None else 0
    kind = T.EXCEL_INTEGER if integer else T.EXCEL_NUMBER
    opts: dict[str, Any] = {
        "validate": "integer" if integer else "decimal",
        "criteria": ">=",
        "value": low,
        "input_title": title[:32],
        "input_message": T.EXCEL_NUMBER_INPUT.format(hint=hint, kind=kind, minimum=f"{low:g}")[:255],
        "error_title": T.EXCEL_NUMBER_ERROR_TITLE,
        "error_message": T.EXCEL_NUMBER_ERROR.format(kind=kind, minimum=f"{low:g}"),
    }
    if maximum is not None:
        opts |= {"criteria": "between", "minimum": low, "maximum": maximum}
        del opts["value"]
    return opts


def yes_no_validation(title: str) -> dict[str, Any]:
    return {
        "validate": "list",
        "source": list(V.YES_NO),
        "input_title": title[:32],
        "input_message": T.EXCEL_YES_NO_INPUT.format(yes=V.YES, no=V.NO),
        "error_title": T.EXCEL_LIST_ERROR_TITLE,
        "error_message": T.EXCEL_YES_NO_ERROR.format(yes=V.YES, no=V.NO),
    }


def _number_column(f: Field) -> pa.Column:
    checks = []
    if f.min is not None:
        checks.append(pa.Check.ge(f.min))
    if f.max is not None:
        checks.append(pa.Check.le(f.max))
    return pa.Column(float, checks, nullable=True, coerce=True)


def _number(integer: bool) -> FieldType:
    return FieldType(
        name="integer" if integer else "number",
        numeric=True,
        bounded=True,
        parse=lambda v, field, words: parse_number(v, integer=integer, minimum=field.min, maximum=field.max),
        column=_number_column,
        excel=lambda f: number_validation(integer, f.min, f.max, f.id, f.label + "."),
    )


FIELD_TYPES: dict[str, FieldType] = {
    t.name: t
    for t in (
        FieldType(
            name="yes_no",
            numeric=False,
            bounded=False,
            parse=lambda v, field, words: parse_yes_no(v, words.yes_no),
            column=lambda _f: pa.Column(object, pa.Check.isin(list(V.YES_NO)), nullable=True),
            excel=lambda f: yes_no_validation(f.id),
        ),
        _number(integer=False),
        _number(integer=True),
        FieldType(
            name="text",
            numeric=False,
            bounded=False,
            parse=lambda v, field, words: clean_text(v),
            column=lambda _f: None,
            excel=lambda _f: None,
        ),
    )
}
