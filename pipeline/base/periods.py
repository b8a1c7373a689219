"""Reporting periods: ``2023-10`` (month), ``2023-Q4`` (quarter), ``2023`` (year)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from pipeline.base.messages import texts as T
from pipeline.base.vocabulary import period_label

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")


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
        return period_label(self.kind, self.year, self.start.month)

    @property
    def last_month(self) -> int:
        return self.end.month


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Period:
    """Parse a period id; raise :class:`PeriodError` with a Vietnamese hint otherwise."""
    raw = str(text).strip()
    if m := _MONTH.match(raw):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(T.PERIOD_BAD_MONTH.format(text=raw, month=month))
        return Period(f"{year}-{month:02d}", "month", year, date(year, month, 1), _month_end(year, month))
    if m := _QUARTER.match(raw):
        year, q = int(m.group(1)), int(m.group(2))
        first = 3 * (q - 1) + 1
        return Period(f"{year}-Q{q}", "quarter", year, date(year, first, 1), _month_end(year, first + 2))
    if m := _YEAR.match(raw):
        year = int(m.group(1))
        return Period(str(year), "year", year, date(year, 1, 1), date(year, 12, 31))
    raise PeriodError(T.PERIOD_BAD.format(text=raw))


def previous_period(period: Period) -> Period:
    """The period of the same kind just before: ``2023-11`` → ``2023-10``, ``2024-01`` →
    ``2023-12``, ``2023-Q1`` → ``2022-Q4``, ``2023`` → ``2022``."""
    if period.kind == "month":
        year, month = (
            (period.year, period.start.month - 1) if period.start.month > 1 else (period.year - 1, 12)
        )
        return parse_period(f"{year}-{month:02d}")
    if period.kind == "quarter":
        q = (period.start.month - 1) // 3 + 1
        return parse_period(f"{period.year}-Q{q - 1}" if q > 1 else f"{period.year - 1}-Q4")
    return parse_period(str(period.year - 1))
