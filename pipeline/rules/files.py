"""``dti validate``: check returned files one by one, outside a full run.

Errors are data: the result is a report (``valid``, ``stats``, ``issues``) that renders as a
Vietnamese table, CSV or JSON. The CLI's JSON is exactly :meth:`ValidationReport.as_dict`.
"""

from __future__ import annotations

import csv
import io
import json
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
from pipeline.intake import RawReturn, read_return
from pipeline.intake.guard import is_ignorable
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
    try:
        return parse_period(ret.source.meta.get("period", ""))
    except PeriodError:
        return None


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
    return ValidationReport(files=len(paths), issues=tuple(issues), skipped=skipped)


def _period_unknown(ret: RawReturn, periods: list[str]) -> Issue:
    why = notes.PERIODS_DIFFER.format(periods=", ".join(periods)) if periods else notes.NO_OTHER_PERIOD
    return issue(Code.PERIOD_UNKNOWN, file=ret.file, why=why)
