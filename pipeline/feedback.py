"""Feedback workbooks: each unit's own values in its own template, faulty cells marked.

The feedback file is the unit's template for the period, filled with what the unit wrote,
with every faulty cell coloured (red: error, yellow: warning) and commented in Vietnamese,
a first sheet listing every issue, and the same ``_meta``: the unit corrects this very file
and sends it back as its new return.

A unit whose return was refused (``rejected``: a report of another period, a template too old)
gets the same file: the refusal listed on the first sheet with what to do, and the template of
this period to fill, carrying the unit's values only where they belong to this period
(:data:`VALUES_KEPT`). Which file a unit's feedback is about is :func:`plan_feedback`'s choice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline import layout as L
from pipeline.catalogue import Catalogue
from pipeline.intake import FORMULA_NO_VALUE, RawReturn
from pipeline.issues import Code, Issue, Severity, show_value
from pipeline.normalize import clean_text
from pipeline.periods import Period
from pipeline.templates import Filled, cell_of, write_template
from pipeline.validate import canonical_task_id

SEVERITY_LABELS = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo"}


def _text(value: Any) -> Any:
    """The unit's value as it was typed (numbers stay numbers, text is cleaned)."""
    if value is FORMULA_NO_VALUE or value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    return clean_text(value).value


def filled_from(
    cat: Catalogue, period: Period, ret: RawReturn | None, unit: str, issues: Iterable[Issue]
) -> Filled:
    """The unit's values (none when ``ret`` is None) and the marks of its issues, keyed by the
    template's cells."""
    if ret is None:
        ret = RawReturn(file="", path=Path(), sha256="", size=0, fmt=None)
    info = {label: _text(cv.value) for label, cv in ret.info.items() if label in L.INFO_TO_FILL}
    tasks: dict[str, dict[str, Any]] = {}
    for row in ret.tasks:
        task_id = canonical_task_id(cat, row[L.TASK_ID].value)
        if task_id and task_id not in tasks:
            tasks[task_id] = {label: _text(row[label].value) for label in L.TASK_TO_FILL if label in row}
    indicators: dict[str, tuple[Any, Any]] = {}
    for row in ret.indicators:
        fid = str(_text(row[L.IND_ID].value) or "")
        if fid and fid not in indicators:
            value = row.get(L.IND_VALUE)
            evidence = row.get(L.IND_EVIDENCE)
            indicators[fid] = (
                _text(value.value) if value else None,
                _text(evidence.value) if evidence else None,
            )
    marks: dict[tuple[str, str, str], tuple[str, str]] = {}
    rows = []
    for issue in issues:
        key = _mark_key(issue)
        if key is not None:
            old = marks.get(key)
            if old is None or (old[0] == "warning" and issue.severity == Severity.ERROR):
                marks[key] = (str(issue.severity), issue.message)
            elif old[1] != issue.message:
                marks[key] = (old[0], f"{old[1]}\n{issue.message}")
        rows.append(
            {
                L.FEEDBACK_SHEET: issue.sheet,
                L.FEEDBACK_CELL: "" if key is None else cell_of(cat, unit, period, key),
                L.FEEDBACK_FIELD: issue.field,
                L.FEEDBACK_VALUE: issue.value,
                L.FEEDBACK_SEVERITY: SEVERITY_LABELS[issue.severity],
                L.FEEDBACK_MESSAGE: issue.message,
                L.FEEDBACK_SENT_CELL: issue.cell,
            }
        )
    return Filled(
        info=info,
        tasks=tasks,
        indicators=indicators,
        meta={"unit_code": unit, "period": period.id},
        marks=marks,
        feedback=tuple(rows),
    )


def _mark_key(issue: Issue) -> tuple[str, str, str] | None:
    if not issue.label or not issue.field:
        return None
    if issue.sheet in (L.SHEET_TASKS,) or ":" in issue.field:
        task_id = issue.field.split(":", 1)[0]
        return (L.SHEET_TASKS, task_id, issue.label)
    if issue.label in (L.IND_VALUE, L.IND_EVIDENCE):
        return (L.SHEET_INDICATORS, issue.field, issue.label)
    if issue.label in L.INFO_LABELS:
        return (L.SHEET_INFO, issue.label, issue.label)
    return None


def write_feedback(
    cat: Catalogue, period: Period, ret: RawReturn | None, unit: str, issues: list[Issue], folder: Path
) -> Path:
    """Write ``folder/<UNIT>.xlsx`` for one unit's return (its values; none when ``ret`` is None)
    and its issues."""
    filled = filled_from(cat, period, ret, unit, issues)
    return write_template(cat, unit, period, folder / f"{unit}.xlsx", filled)


MIN_FILES_FOR_POOL = 24  # fewer feedback files are written in this process
_state: dict[str, Any] = {}


def _init(cat: Catalogue, period: Period, folder: Path, inbox: Path | None) -> None:
    _state["args"] = (cat, period, folder, inbox)


def _write_one(job: tuple[RawReturn | None, str, list[Issue]]) -> Path:
    cat, period, folder, inbox = _state["args"]
    return _write(cat, period, folder, inbox, job)


def _write(
    cat: Catalogue,
    period: Period,
    folder: Path,
    inbox: Path | None,
    job: tuple[RawReturn | None, str, list[Issue]],
) -> Path:
    ret, unit, issues = job
    if ret is not None:
        ret = ret.reread(inbox)  # the run dropped its raw cells after reading
    return write_feedback(cat, period, ret, unit, issues, folder)


def write_feedbacks(
    cat: Catalogue,
    period: Period,
    plans: list[FeedbackPlan],
    folder: Path,
    workers: int,
    inbox: Path | None = None,
) -> list[Path]:
    """Write every planned feedback file, in ``workers`` processes when there are many (a
    template version or a mistake common to every unit gives each of them a file: about 10 ms
    each, and its return read again); the paths come back in the order of ``plans``."""
    jobs = [(plan.source, plan.unit, plan.issues) for plan in plans]
    if workers <= 1 or len(jobs) < MIN_FILES_FOR_POOL:
        return [_write(cat, period, folder, inbox, job) for job in jobs]
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init, initargs=(cat, period, folder, inbox)
    ) as pool:
        return list(pool.map(_write_one, jobs, chunksize=8))


# --- which return a unit's feedback is about ---------------------------------------------------

# Refusals after which what the unit wrote is still its data for this period (a template too old:
# same period, read by its labels), so the feedback file carries it. A report of another period,
# or of a period that cannot be read, is not this period's data: its feedback file is the blank
# template of this period.
VALUES_KEPT = frozenset({Code.TEMPLATE_INCOMPATIBLE})
COUNTED = ("on_time", "late")


@dataclass(frozen=True)
class FeedbackPlan:
    """One unit's feedback file: the return it is about (``file``), whose values it carries
    (``source``: that return, or None for the blank template) and the issues it lists."""

    unit: str
    file: str
    source: RawReturn | None
    issues: list[Issue]


def plan_feedback(
    period: Period,
    returns: Iterable[RawReturn],
    units: Mapping[str, str],
    status: Mapping[str, str],
    received: Mapping[str, Any],
    issues: Iterable[Issue],
    reread: Callable[[RawReturn], RawReturn] = lambda r: r,
) -> list[FeedbackPlan]:
    """At most one feedback file per unit, in the order of ``returns``.

    ``units``: file → the unit it belongs to (accepted returns, and refused returns whose unit is
    known); ``status``: file → its status in ``submissions.csv``; ``received``: file → when;
    ``reread``: a return with its raw cells (the run drops them after reading), called only for
    the returns a feedback file shows or explains.

    - A unit with a counting return (``on_time``/``late``) gets feedback on that return, when it
      has issues: its values, its marks, its issues; plus the refusal of any file of the unit
      received after it (the unit must know that its later file did not replace the one that
      counts). A file refused before the counting return is past: not mentioned.
    - A unit with no counting return gets feedback on its latest refused file.
    - A refused file whose unit is unknown gets none: it is the analyst's (``issues.csv``).
    """
    returns = list(returns)
    by_file: dict[str, list[Issue]] = {}
    for issue in issues:
        by_file.setdefault(issue.file, []).append(issue)
    when = {r.file: (_sortable(received.get(r.file)), r.file) for r in returns}
    counting: dict[str, RawReturn] = {}
    refused: dict[str, list[RawReturn]] = {}
    for r in returns:
        unit = units.get(r.file)
        if unit and status.get(r.file) in COUNTED:
            counting[unit] = r
        elif unit and status.get(r.file) == "rejected":
            refused.setdefault(unit, []).append(r)
    plans: list[FeedbackPlan] = []
    for unit, ret in counting.items():
        listed = list(by_file.get(ret.file, ()))
        note = (
            f"Kỳ này vẫn tổng hợp theo tệp «{ret.file}» đã nhận trước đó; "
            "tệp phản hồi này mang số liệu của tệp đó."
        )
        for r in sorted(refused.get(unit, ()), key=lambda r: when[r.file]):
            if when[r.file] > when[ret.file]:
                raw = reread(r)
                listed += [explain_refusal(raw, i, note) for i in by_file.get(r.file, ())]
        if listed:  # its raw cells are read again where its file is written (write_feedbacks)
            plans.append(FeedbackPlan(unit, ret.file, ret, listed))
    for unit, files in refused.items():
        if unit in counting:
            continue
        ret = max(files, key=lambda r: when[r.file])
        own = by_file.get(ret.file, [])
        if not own:  # a refused file always has its reason; nothing to tell otherwise
            continue
        errors = {i.code for i in own if i.severity == Severity.ERROR}
        keep = bool(errors) and errors <= VALUES_KEPT
        if keep:
            note = (
                f"Tệp phản hồi này là mẫu mới (phiên bản {L.TEMPLATE_VERSION}) của kỳ {period.id}, đã chép sẵn "
                "các giá trị đọc được từ tệp đã gửi: hãy kiểm tra, điền bổ sung rồi gửi lại chính tệp này."
            )
        else:
            note = (
                f"Tệp phản hồi này là mẫu của kỳ {period.id} dành cho đơn vị, chưa có số liệu: hãy điền "
                "số liệu của kỳ này vào đó rồi gửi lại chính tệp này."
            )
        raw = reread(ret)
        listed = [explain_refusal(raw, i, note, marks=keep) for i in own]
        plans.append(FeedbackPlan(unit, ret.file, raw if keep else None, listed))
    order = {r.file: n for n, r in enumerate(returns)}
    return sorted(plans, key=lambda p: order[p.file])


def _sortable(when: Any) -> str:
    """A received time as text that sorts in time (ISO form); an unknown time sorts first."""
    if when is None or when != when:  # None, NaN or NaT
        return ""
    return str(when.isoformat()) if hasattr(when, "isoformat") else str(when)


def explain_refusal(ret: RawReturn, issue: Issue, note: str, marks: bool = False) -> Issue:
    """A refused file's issue as the unit reads it in its feedback: for a whole-file refusal,
    the value that was refused (the period, the template version) and where the unit can see it;
    then ``note``, what to do with the feedback file. Without ``marks`` no cell is coloured (the
    feedback file does not carry the refused file's values). Only the feedback file shows this:
    ``issues.csv`` keeps the issue as found."""
    if issue.severity != Severity.ERROR or issue.cell or issue.sheet:
        return issue if marks else replace(issue, label="")
    sheet: str = issue.sheet  # empty here: a whole-file issue
    cell: str = issue.cell
    field, value = issue.field, issue.value
    if issue.code in (Code.PERIOD_MISMATCH, Code.PERIOD_INVALID):
        shown = ret.info.get(L.INFO_PERIOD)
        field = L.INFO_PERIOD
        if ret.meta.get("unit_code") or shown is None:  # refused on the _meta period (a hidden sheet)
            value = show_value(ret.meta.get("period", ""), 60)
        else:  # refused on the period the unit's Thông tin sheet shows
            sheet, cell = ret.info_sheet or L.SHEET_INFO, shown.cell
            value = show_value(_text(shown.value), 60)
    elif issue.code == Code.TEMPLATE_INCOMPATIBLE:
        value = show_value(ret.meta.get("template_version", ""), 60)
    return replace(
        issue, sheet=sheet, cell=cell, field=field, value=value, message=f"{issue.message} {note}", label=""
    )
