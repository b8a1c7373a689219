"""What every workbook the tool writes shares: written atomically, and text always as text."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook

from pipeline.base.atomic import atomic_path

# A string is never turned into a formula, a link or a number: what a unit typed is shown as typed.
SAFE_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,  # no temporary file per part: a third faster, same content
}


@contextlib.contextmanager
def new_workbook(path: Path) -> Iterator[Workbook]:
    """An xlsxwriter workbook that lands at ``path`` only when the block completes."""
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), SAFE_OPTIONS)
        yield wb
        wb.close()
