"""Whose return is this, and is it this period's? (contract §5: by ``_meta``, else by name)."""

from __future__ import annotations

import re

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.issues import Issue, issue
from pipeline.base.messages import notes
from pipeline.base.periods import Period, PeriodError, parse_period
from pipeline.base.text import fold, show_value
from pipeline.catalogue import Catalogue
from pipeline.intake import FORMULA_NO_VALUE, RawReturn
from pipeline.normalize import clean_text

_QUARTER = re.compile(r"^(?:ky bao cao\s+)?(?:quy|q)\s*(iv|iii|ii|i|[1-4])\s*(?:nam\s*)?(\d{4})$")
_MONTH = re.compile(r"^(?:ky bao cao\s+)?(?:thang\s*)?(\d{1,2})\s*(?:nam\s*)?(\d{4})$")
_YEAR = re.compile(r"^(?:ky bao cao\s+)?(?:nam\s*)?(\d{4})$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def period_of_label(text: str) -> Period | None:
    """The period a ``Kỳ báo cáo`` cell names: ``Quý IV năm 2023``, ``Quý 4/2023``, ``Q4 2023``,
    ``Tháng 10 năm 2023``, ``10/2023``, ``Năm 2023``, or a period id (``2023-Q4``); None otherwise."""
    try:
        return parse_period(text)
    except PeriodError:
        pass
    key = fold(text)
    try:
        if m := _QUARTER.match(key):
            q = _ROMAN.get(m.group(1)) or int(m.group(1))
            return parse_period(f"{m.group(2)}-Q{q}")
        if m := _MONTH.match(key):
            return parse_period(f"{m.group(2)}-{int(m.group(1)):02d}")
        if m := _YEAR.match(key):
            return parse_period(m.group(1))
    except PeriodError:
        return None
    return None


def identify(cat: Catalogue, period: Period, ret: RawReturn) -> tuple[str | None, list[Issue]]:
    """The return's unit code when it belongs to this run (else None: rejected), and the
    issues found telling."""
    if not ret.source.readable:
        return None, []
    name = ret.file
    receiver = cat.receiver_name
    meta = ret.source.meta
    named = ret.info.get(V.INFO_UNIT)
    unit_name = clean_text(named.value).value if named and named.value is not FORMULA_NO_VALUE else None
    if meta.get("unit_code"):
        unit = meta["unit_code"].strip().upper()
        if not cat.has_unit(unit):
            return None, [issue(Code.UNIT_UNKNOWN, file=name, unit=show_value(unit, 60), receiver=receiver)]
        by_name = cat.match_unit_name(str(unit_name)) if unit_name else None
        if by_name is not None and by_name != unit:
            return None, [
                issue(
                    Code.UNIT_MISMATCH,
                    file=name,
                    unit_code=unit,
                    unit_name=cat.unit_name(unit),
                    column=V.INFO_UNIT,
                    info=V.SHEET_INFO,
                    typed=unit_name,
                    typed_unit=cat.unit_name(by_name),
                    receiver=receiver,
                )
            ]
        try:
            theirs = parse_period(meta.get("period", ""))
        except PeriodError:
            shown = show_value(meta.get("period", ""), 60)
            return None, [
                issue(Code.PERIOD_INVALID, file=name, unit_code=unit, shown=shown, receiver=receiver)
            ]
        if theirs.id != period.id:
            return None, [
                issue(
                    Code.PERIOD_MISMATCH,
                    file=name,
                    unit_code=unit,
                    theirs=theirs.label,
                    theirs_id=theirs.id,
                    ours=period.label,
                    ours_id=period.id,
                )
            ]
        version = meta.get("template_version", "")
        if version not in L.COMPATIBLE_VERSIONS:
            return None, [
                issue(
                    Code.TEMPLATE_INCOMPATIBLE,
                    file=name,
                    unit_code=unit,
                    shown=show_value(version, 60),
                    current=L.TEMPLATE_VERSION,
                )
            ]
        if version != L.TEMPLATE_VERSION:
            old = issue(
                Code.TEMPLATE_OLD, file=name, unit_code=unit, version=version, current=L.TEMPLATE_VERSION
            )
            return unit, [old]
        return unit, []
    # No _meta: the unit copied the sheets into a new workbook. Fall back to the unit's name.
    found = cat.match_unit_name(str(unit_name)) if unit_name else None
    if found is None:
        shown = show_value(unit_name, 80) or notes.BLANK
        return None, [
            issue(
                Code.META_MISSING,
                file=name,
                column=V.INFO_UNIT,
                info=V.SHEET_INFO,
                shown=shown,
                receiver=receiver,
            )
        ]
    period_cell = ret.info.get(V.INFO_PERIOD)
    period_text = clean_text(period_cell.value).value if period_cell else None
    typed = period_of_label(str(period_text)) if period_text else None
    if period_text and (typed.id if typed else fold(str(period_text))) not in (period.id, fold(period.label)):
        return None, [
            issue(
                Code.PERIOD_MISMATCH,
                variant="typed",
                file=name,
                unit_code=found,
                column=V.INFO_PERIOD,
                shown=show_value(period_text, 60),
                ours=period.label,
                ours_id=period.id,
            )
        ]
    return found, [issue(Code.META_UNIT_FROM_NAME, file=name, unit_code=found, name=unit_name)]
