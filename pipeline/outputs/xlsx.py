"""What every workbook the tool writes shares: written atomically, and text always as text."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.base.atomic import atomic_path

# A string is never turned into a formula, a link or a number: what a unit typed is shown as typed.
SAFE_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,  # no temporary file per part: a third faster, same content
}


@contextlib.contextmanager
def new_workbook(path: Path, default_font: tuple[str, int] | None = None) -> Iterator[Workbook]:
    """An xlsxwriter workbook that lands at ``path`` only when the block completes.

    ``default_font`` (name, size) sets the workbook's default font, which is also the unit of its
    column widths (the width of its widest digit)."""
    options: dict[str, object] = dict(SAFE_OPTIONS)
    if default_font is not None:
        options["default_format_properties"] = {"font_name": default_font[0], "font_size": default_font[1]}
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), options)
        yield wb
        wb.close()


# Functions of Excel 2007 that the templates' formulas use: they need no ``_xlfn.`` prefix.
CLASSIC_FUNCTIONS = frozenset(
    [
        "AND",
        "FIND",
        "IF",
        "IFERROR",
        "INT",
        "ISERROR",
        "ISNUMBER",
        "LEN",
        "MATCH",
        "MAX",
        "OR",
        "RIGHT",
        "SEARCH",
        "SUBSTITUTE",
        "SUM",
        "TRIM",
        "VALUE",
    ]
)
_FUNCTION = re.compile(r"\b([A-Z][A-Z0-9._]*)\(")


class FormulaSheet(Worksheet):
    """A worksheet that writes formulas of Excel 2007 functions as they are.

    xlsxwriter looks for the newer functions (which Excel stores with an ``_xlfn.`` prefix) with
    some 250 regular expressions per formula: for a template's few hundred long formulas that is
    most of its writing time. A formula calling only :data:`CLASSIC_FUNCTIONS` needs none of
    them; any other goes through xlsxwriter as usual."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if set(_FUNCTION.findall(formula)) <= CLASSIC_FUNCTIONS:
            return formula.removeprefix("{").removeprefix("=").removesuffix("}")
        return str(super()._prepare_formula(formula, expand_future_functions))
