"""Issues are data: one record per problem found in a return, with a stable code.

Every stage that finds something wrong with a unit's data returns ``Issue`` records instead
of raising. The message is the code's template in the catalogue
(:mod:`pipeline.base.messages.issues`), filled by :func:`issue` with the slots of the place
where the problem was found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.base.codes import Code, Severity
from pipeline.base.messages.issues import ISSUES
from pipeline.base.text import show_value

__all__ = ["ISSUE_COLUMNS", "Code", "Issue", "Severity", "has_error", "issue", "message"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in one return. ``cell`` is A1 form or empty; ``field`` follows contract §7."""

    file: str
    unit_code: str
    sheet: str
    cell: str
    field: str
    value: str
    severity: Severity
    code: Code
    message: str
    label: str = ""  # the column label within the row (feedback marks that cell); not exported

    def as_row(self) -> dict[str, str]:
        return {
            "unit_code": self.unit_code,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "field": self.field,
            "value": self.value,
            "severity": str(self.severity),
            "code": str(self.code),
            "message": self.message,
        }


ISSUE_COLUMNS = ["unit_code", "file", "sheet", "cell", "field", "value", "severity", "code", "message"]

# Codes of the issues built in this process or received from its workers (tests check that
# every code is produced by at least one test).
PRODUCED: set[Code] = set()


def received(codes: Iterable[Code]) -> None:
    """Codes of issues built in another process (a worker, a test's subprocess), now known here."""
    PRODUCED.update(codes)


def message(code: Code, variant: str = "", **slots: Any) -> str:
    """The Vietnamese message of ``code`` (its ``variant``) with its slots filled."""
    PRODUCED.add(code)
    return ISSUES[code].text(variant).format(**slots)


def issue(
    code: Code,
    *,
    severity: Severity | None = None,
    variant: str = "",
    file: str = "",
    unit_code: str = "",
    sheet: str = "",
    cell: str = "",
    field: str = "",
    value: Any = None,
    label: str = "",
    **slots: Any,
) -> Issue:
    """An issue of ``code`` at a place; its template's ``{file}``, ``{sheet}`` and ``{cell}``
    are filled from the place, every other slot from ``slots``. ``severity`` defaults to the
    kind's own."""
    kind = ISSUES[code]
    text = kind.text(variant)
    place = {"file": file, "sheet": sheet, "cell": cell}
    filled = {k: v for k, v in place.items() if k in text.slots and k not in slots} | slots
    return Issue(
        file=file,
        unit_code=unit_code,
        sheet=sheet,
        cell=cell,
        field=field,
        value=show_value(value),
        severity=severity or kind.severity,
        code=code,
        message=message(code, variant, **filled),
        label=label,
    )


def has_error(issues: Iterable[Issue]) -> bool:
    return any(i.severity == Severity.ERROR for i in issues)
