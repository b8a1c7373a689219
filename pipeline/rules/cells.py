"""Cells of one return normalised, collecting the issues their parsers raise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.base.codes import Code
from pipeline.base.issues import Issue, issue
from pipeline.intake import FORMULA_NO_VALUE, CellValue, RawReturn
from pipeline.normalize import Parsed


class Cells:
    """Normalises cells of one return, collecting the issues they raise."""

    def __init__(self, ret: RawReturn, unit: str):
        self.ret, self.unit = ret, unit
        self.issues: list[Issue] = []

    def where(self, sheet: str, cv: CellValue, fld: str, label: str) -> dict[str, Any]:
        return {
            "file": self.ret.file,
            "unit_code": self.unit,
            "sheet": sheet,
            "cell": cv.cell,
            "field": fld,
            "label": label,
        }

    def parsed(self, p: Parsed, sheet: str, cv: CellValue, fld: str, label: str) -> None:
        if p.code is not None:
            place = self.where(sheet, cv, fld, label)
            self.issues.append(
                issue(p.code, severity=p.severity, variant=p.variant, value=cv.value, **place, **p.slots)
            )

    def normalise(
        self, parse: Callable[[Any], Parsed], sheet: str, cv: CellValue | None, fld: str, label: str
    ) -> tuple[Any, bool]:
        """(clean value, parse failed)."""
        if cv is None:
            return None, False
        if cv.value is FORMULA_NO_VALUE:
            self.issues.append(issue(Code.FORMULA_NO_VALUE, **self.where(sheet, cv, fld, label)))
            return None, True
        if self.ret.external and cv.cell in self.ret.external.get(sheet, ()):
            self.issues.append(
                issue(Code.FORMULA_EXTERNAL_LINK, value=cv.value, **self.where(sheet, cv, fld, label))
            )
        if cv.value is None or cv.value == "":
            return None, False  # an empty cell: every parser gives nothing, and no issue
        p = parse(cv.value)
        self.parsed(p, sheet, cv, fld, label)
        return (p.value if p.ok else None), not p.ok
