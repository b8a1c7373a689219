"""Reporting periods: ``2023-10`` (month), ``2023-Q4`` (quarter), ``2023`` (year)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")

KIND_LABELS = {"month": "tháng", "quarter": "quý", "year": "năm"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(ValueError):
    """A period id that is not a month, quarter or year."""


@dataclass(frozen=True, slots=True)
class Period:
    id: str
    kind: str  # month | quarter | year
    year: int
    start: date
    end: date

    @property
    def label(self) -> str:
        """The period in Vietnamese, as a unit reads it: "Quý IV năm 2023"."""
        if self.kind == "month":
            return f"Tháng {self.start.month:02d} năm {self.year}"
        if self.kind == "quarter":
            return f"Quý {ROMAN[(self.start.month - 1) // 3 + 1]} năm {self.year}"
        return f"Năm {self.year}"

    @property
    def last_month(self) -> int:
        return self.end.month


_FORMS = "Hãy ghi YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm), ví dụ: 2023-10, 2023-Q4, 2023."


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Period:
    """Parse a period id; raise :class:`PeriodError` with a Vietnamese hint otherwise."""
    raw = str(text).strip()
    if m := _MONTH.match(raw):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"«{raw}» không phải kỳ báo cáo hợp lệ: không có tháng {month}. {_FORMS}")
        return Period(f"{year}-{month:02d}", "month", year, date(year, month, 1), _month_end(year, month))
    if m := _QUARTER.match(raw):
        year, q = int(m.group(1)), int(m.group(2))
        first = 3 * (q - 1) + 1
        return Period(f"{year}-Q{q}", "quarter", year, date(year, first, 1), _month_end(year, first + 2))
    if m := _YEAR.match(raw):
        year = int(m.group(1))
        return Period(str(year), "year", year, date(year, 1, 1), date(year, 12, 31))
    raise PeriodError(f"«{raw}» không phải kỳ báo cáo hợp lệ. {_FORMS}")
