"""``dti validate``: check returned files one by one, outside a full run.

Errors are data: the result is a report (``valid``, ``stats``, ``issues``) that renders as a
Vietnamese table, CSV or JSON. The CLI's JSON is exactly :meth:`ValidationReport.as_dict`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code, Severity
from pipeline.base.issues import ISSUE_COLUMNS, Issue, has_error, issue
from pipeline.base.messages import notes
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period, PeriodError, parse_period
from pipeline.catalogue import Catalogue
from pipeline.intake import FORMULA_NO_VALUE, RawReturn, read_return
from pipeline.intake.guard import is_ignorable
from pipeline.normalize import clean_text
from pipeline.rules.identify import period_of_label
from pipeline.rules.validate import check_returns


@dataclass(frozen=True)
class ValidationReport:
    files: int
    issues: tuple[Issue, ...]
    skipped: tuple[str, ...] = ()  # Office lock and temp files given on the command line

    @property
    def errors(self) -> int:
        return sum(i.severity == Severity.ERROR for i in self.issues)

    @property
    def warnings(self) -> int:
        return sum(i.severity == Severity.WARNING for i in self.issues)

    @property
    def valid(self) -> bool:
        return self.errors == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "stats": {"files": self.files, "errors": self.errors, "warnings": self.warnings},
            "issues": [i.as_row() for i in self.issues],
            "skipped": list(self.skipped),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=ISSUE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(i.as_row() for i in self.issues)
        return buf.getvalue()

    def to_table(self) -> str:
        lines = []
        for file in dict.fromkeys(i.file for i in self.issues):
            lines.append(T.VALIDATE_FILE.format(file=file))
            for i in (x for x in self.issues if x.file == file):
                where = " ".join(p for p in (f"[{i.sheet}]" if i.sheet else "", i.cell, i.field) if p)
                lines.append(f"  {V.SEVERITY_LABELS[str(i.severity)]:<8} {where:<34} {i.message}")
        if self.skipped:
            lines.append(T.VALIDATE_SKIPPED.format(count=len(self.skipped), files=", ".join(self.skipped)))
        verdict = T.VALIDATE_VALID if self.valid else T.VALIDATE_INVALID
        lines.append(
            T.VALIDATE_VERDICT.format(
                verdict=verdict, files=self.files, errors=self.errors, warnings=self.warnings
            )
        )
        return "\n".join(lines)


def _own_period(ret: RawReturn) -> Period | None:
    """The period the file names: its ``_meta``, else the ``Kỳ báo cáo`` of its ``Thông tin``."""
    if ret.source.meta.get("period"):
        try:
            return parse_period(ret.source.meta["period"])
        except PeriodError:
            return None
    typed = ret.info.get(V.INFO_PERIOD)
    text = (
        clean_text(typed.value).value if typed is not None and typed.value is not FORMULA_NO_VALUE else None
    )
    return period_of_label(str(text)) if text else None


def validate_files(cat: Catalogue, paths: list[Path], period: Period | None = None) -> ValidationReport:
    """Validate each file against ``period``, else the period its ``_meta`` names.

    A file without ``_meta`` (sheets copied into a new workbook) is checked against the period
    of the other files given with it when they all name one; otherwise it is reported as
    unidentifiable, with what to do (``--period``), rather than silently passed.
    """
    skipped = tuple(path.name for path in paths if is_ignorable(path))
    paths = [path for path in paths if not is_ignorable(path)]
    returns = [read_return(path, path.parent) for path in paths]
    own = [period or _own_period(ret) for ret in returns]
    named = {p.id: p for p in own if p is not None}
    fallback = next(iter(named.values())) if len(named) == 1 else None
    issues: list[Issue] = []
    groups: dict[str, tuple[Period, list[RawReturn]]] = {}
    for ret, p in zip(returns, own, strict=True):
        p = p or fallback
        if p is None:
            issues += ret.issues
            if not has_error(ret.issues):
                issues.append(_period_unknown(ret, sorted(named)))
            continue
        groups.setdefault(p.id, (p, []))[1].append(ret)
    for p, rets in groups.values():
        issues += check_returns(cat, p, rets).issues
    files = {ret.file: n for n, ret in enumerate(returns)}
    return ValidationReport(files=len(paths), issues=tuple(ordered(issues, files)), skipped=skipped)


_A1 = re.compile(r"^([A-Z]{1,3})(\d+)$")
_SHEETS = {V.SHEET_INFO: 1, V.SHEET_TASKS: 2, V.SHEET_INDICATORS: 3}


def _where(cell: str) -> tuple[int, int]:
    """(row, column) of an A1 cell, both from 1; (0, 0) for no cell."""
    m = _A1.match(cell)
    if not m:
        return 0, 0
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def ordered(issues: Iterable[Issue], files: Mapping[str, int] | None = None) -> list[Issue]:
    """Issues by file (in ``files`` order, else first seen), then by sheet (the whole file first,
    then the template's sheets in order), row and column, as a reader goes down the workbook."""
    issues = list(issues)
    order = dict(files or {})
    for found in issues:
        order.setdefault(found.file, len(order))

    def key(pair: tuple[int, Issue]) -> tuple[int, int, str, int, int, int]:
        n, found = pair
        sheet = 0 if not found.sheet else _SHEETS.get(found.sheet, 4)
        return (order[found.file], sheet, found.sheet, *_where(found.cell), n)

    return [found for _, found in sorted(enumerate(issues), key=key)]


def _period_unknown(ret: RawReturn, periods: list[str]) -> Issue:
    why = notes.PERIODS_DIFFER.format(periods=", ".join(periods)) if periods else notes.NO_OTHER_PERIOD
    return issue(Code.PERIOD_UNKNOWN, file=ret.file, why=why)
