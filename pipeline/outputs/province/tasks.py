"""The province workbook's task sheets: `Tiến độ nhiệm vụ` (each task with its text and each
unit's status, result, evidence and target) and `Khó khăn, kiến nghị` (every difficulty the
units typed, by pillar and task, with the unit's name)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.base.periods import PeriodError, parse_period
from pipeline.catalogue import parse_target
from pipeline.outputs.province.data import (
    Column,
    ReportData,
    each,
    is_yes,
    mapped,
    missing,
    number,
    sources_text,
    task_sources,
    values,
    yes_no,
)
from pipeline.outputs.province.style import Formats, colour_labels, data_sheet
from pipeline.outputs.unit_words import says_something

STATUS_LABELS = {machine: label for label, machine in V.STATUS_VALUES.items()} | {"": V.NOT_REPORTED}


def target_text(target: Any, measures: Mapping[str, str]) -> str:
    """A numeric target as a person reads it: ``≥ 1 lần/tuần``, ``≥ 100%``; "" when none."""
    if missing(target):
        return ""
    parsed = parse_target(str(target), "any")
    if parsed is None:
        return str(target)
    measure = measures.get(parsed.metric, "")
    op = V.TARGET_OPS.get(parsed.op, parsed.op)
    value = V.number(parsed.value)
    return f"{op} {value}{measure}" if measure.startswith("%") else f"{op} {value} {measure}".strip()


def verdict(met: Any, value: Any, target: Any) -> str:
    """Đạt / Chưa đạt for a judged target; "Đánh giá cuối năm" for an annual one not judged yet."""
    if missing(target) or number(value) is None:
        return ""
    judged = yes_no(met)
    if judged == V.YES:
        return V.TARGET_MET
    if judged == V.NO:
        return V.TARGET_UNMET
    return V.TARGET_LATER


def judged_figures(tasks: pd.DataFrame) -> list[Any]:
    """The figure each row's target is judged on: an annual target's over the year's months
    (``target_value``: summed, or the latest month's), else what the return reported."""
    return [
        r if missing(j) else j
        for j, r in zip(values(tasks, "target_value"), values(tasks, "result_value"), strict=True)
    ]


def status_labels(tasks: pd.DataFrame, not_sent: set[str]) -> list[str]:
    """Tình trạng in words; a task done without its evidence or figure: Hoàn thành, thiếu minh
    chứng; every task of a unit that sent nothing (``not_sent``): Chưa nộp — unless the row came
    from another return (``source_period``: a quarter's progress from a month the unit did send)."""
    unproven = is_yes(values(tasks, "unproven"))
    units = values(tasks, "unit_code")
    sources = values(tasks, "source_period")
    out = []
    for status, weak, unit, source in zip(
        mapped(values(tasks, "status"), STATUS_LABELS), unproven, units, sources, strict=True
    ):
        if unit in not_sent and missing(source):
            out.append(V.NOT_SENT)
        else:
            out.append(V.STATUS_DONE_UNPROVEN if weak and status == V.STATUS_DONE else status)
    return out


def _task_aggregates(tasks: pd.DataFrame) -> pd.DataFrame:
    """One row per task: assigned units, reported, done, overdue, done % (of assigned)."""
    status = values(tasks, "status")
    unproven = is_yes(values(tasks, "unproven"))
    t = pd.DataFrame(
        {
            "task_id": values(tasks, "task_id"),
            "task": values(tasks, "task"),
            "pillar": values(tasks, "pillar"),
            "reported": each(lambda v: not missing(v), status),
            "done": [v == "done" and not u for v, u in zip(status, unproven, strict=True)],
            "done_unproven": [v == "done" and u for v, u in zip(status, unproven, strict=True)],
            "overdue": is_yes(values(tasks, "overdue")),
        }
    )
    out = t.groupby("task_id", sort=False).agg(
        task=("task", "first"),
        pillar=("pillar", "first"),
        assigned=("task_id", "size"),
        reported=("reported", "sum"),
        done=("done", "sum"),
        done_unproven=("done_unproven", "sum"),
        overdue=("overdue", "sum"),
    )
    out["done_pct"] = (100 * out["done"] / out["assigned"]).round(1)
    return out.reset_index()


def _aggregated(ws: Worksheet, fmt: Formats, data: ReportData) -> None:
    t = data.tasks
    a = _task_aggregates(t)
    columns = [
        Column(V.COL_TASK_ID, values(a, "task_id"), "code", 11),
        Column(V.COL_PILLAR, mapped(values(a, "pillar"), data.pillars), "text", 16),
        Column(V.COL_TASK_TEXT, values(a, "task"), "text", 50),
        Column(V.COL_UNITS_ASSIGNED, values(a, "assigned"), "int", 11),
        Column(V.COL_REPORTED, values(a, "reported"), "int", 10),
        Column(V.STATUS_DONE, values(a, "done"), "int", 10),
        Column(V.STATUS_DONE_UNPROVEN, values(a, "done_unproven"), "int", 12),
        Column(V.COL_OVERDUE, values(a, "overdue"), "int", 9),
        Column(V.COL_DONE_PCT, values(a, "done_pct"), "pct", 11),
    ]
    note = T.WB_TASKS_CUT.format(rows=V.thousands(len(t)), limit=V.thousands(data.max_detail_rows))
    explain = T.WB_HOW_PROGRESS.format(unproven=V.STATUS_DONE_UNPROVEN)
    h, n = data_sheet(ws, fmt, data, columns, freeze_cols=1, note=note, explain=explain)
    if n:
        ws.conditional_format(
            h + 1, 7, h + n, 7, {"type": "cell", "criteria": ">", "value": 0, "format": fmt.red}
        )


def write_progress(ws: Worksheet, fmt: Formats, data: ReportData) -> None:
    """`Tiến độ nhiệm vụ`: one row per task and assigned unit (per task above ``max_detail_rows``)."""
    t = data.tasks
    if len(t) > data.max_detail_rows:
        _aggregated(ws, fmt, data)
        return
    targets = values(t, "target")
    result = judged_figures(t)
    # a ward's answer to a city-level target as it chose it, not its 100 or 0
    shown = [
        data.answer(task, role, x) or x
        for task, role, x in zip(values(t, "task_id"), values(t, "role"), result, strict=True)
    ]
    subs = data.submissions
    not_sent = set(subs.loc[subs["status"] == "missing", "unit_code"]) if "status" in subs else set()
    # widths for one landscape A4 page across at about 10 points: the pillar, which the task's
    # code already says, comes last and is not printed (it stays for filtering on screen)
    columns = [
        Column(V.COL_TASK_ID, values(t, "task_id"), "code", 9),
        Column(V.COL_TASK_TEXT, values(t, "task"), "text", 30),
        Column(V.COL_UNIT, values(t, "unit_name"), "text", 17),
        Column(V.COL_ROLE, mapped(values(t, "role"), V.ROLE_LABELS), "code", 8),
        Column(V.COL_STATUS, status_labels(t, not_sent), "code", 11),
        Column(V.COL_RESULT, values(t, "result_text"), "text", 24),
        Column(V.COL_EVIDENCE, values(t, "evidence"), "text", 18),
        Column(V.COL_RESULT_VALUE, shown, "score", 8),
        Column(V.COL_TARGET, [target_text(x, data.measures) for x in targets], "text", 10),
        Column(
            V.COL_TARGET_MET,
            [verdict(m, v, x) for m, v, x in zip(values(t, "target_met"), result, targets, strict=True)],
            "code",
            8,
        ),
        Column(
            V.COL_OVERDUE, [V.YES if yes_no(v) == V.YES else None for v in values(t, "overdue")], "code", 7
        ),
        Column(V.COL_PILLAR, mapped(values(t, "pillar"), data.pillars), "text", 14),
    ]
    note = None
    sources = task_sources(data)
    if sources:
        # a quarter's or a year's tasks: the months they came from, said above the table, and per
        # row when the units' latest months differ
        note = T.WB_TASKS_FROM.format(period=period_phrase(data), sources=sources_text(sources))
        if len(sources) > 1:
            months = [month_column(v) for v in values(t, "source_period")]
            columns.insert(5, Column(V.COL_SOURCE, months, "code", 9))
    explain = T.WB_HOW_PROGRESS.format(unproven=V.STATUS_DONE_UNPROVEN)
    h, n = data_sheet(
        ws, fmt, data, columns, freeze_cols=1, note=note, explain=explain, printed=len(columns) - 1
    )
    rows = (h + 1, h + n)
    at = {c.label: i for i, c in enumerate(columns)}
    colour_labels(
        ws,
        rows,
        at[V.COL_STATUS],
        {
            STATUS_LABELS["done"]: fmt.green,
            V.STATUS_DONE_UNPROVEN: fmt.orange,
            STATUS_LABELS["in_progress"]: fmt.yellow,
            STATUS_LABELS["not_started"]: fmt.orange,
            STATUS_LABELS["not_applicable"]: fmt.grey,
            V.NOT_REPORTED: fmt.red,
            V.NOT_SENT: fmt.red,
        },
    )
    colour_labels(ws, rows, at[V.COL_TARGET_MET], {V.TARGET_MET: fmt.green, V.TARGET_UNMET: fmt.red})
    colour_labels(ws, rows, at[V.COL_OVERDUE], {V.YES: fmt.red})


def month_column(value: Any) -> str | None:
    """A row's source month as the sheet shows it: "Tháng 12/2023"; blank when none."""
    if missing(value):
        return None
    try:
        p = parse_period(str(value))
    except PeriodError:
        return str(value)
    return V.period_column(p.kind, p.year, p.start.month)


def period_phrase(data: ReportData) -> str:
    p = data.period
    return V.period_short(p.kind, p.year, p.start.month)


def difficulties(tasks: pd.DataFrame, pillars: Sequence[str]) -> pd.DataFrame:
    """Every row whose ``difficulties`` say something, by pillar (in ``pillars`` order) and task."""
    cols = ["pillar", "task_id", "task", "unit_code", "unit_name", "difficulties"]
    t = tasks.reindex(columns=cols)
    t = t[[says_something(v) for v in t["difficulties"]]]
    position = {p: i for i, p in enumerate(pillars)}
    order = {task: i for i, task in enumerate(dict.fromkeys(t["task_id"]))}
    key = pd.DataFrame(
        {
            "p": [position.get(str(p), len(position)) for p in t["pillar"]],
            "t": [order[task] for task in t["task_id"]],
        },
        index=t.index,
    )
    return t.loc[key.sort_values(["p", "t"], kind="stable").index].reset_index(drop=True)


def write_difficulties(ws: Worksheet, fmt: Formats, data: ReportData) -> None:
    """`Khó khăn, kiến nghị`: what the units typed under Khó khăn, vướng mắc, verbatim."""
    d = difficulties(data.tasks, list(data.pillars))
    columns = [
        Column(V.COL_PILLAR, mapped(values(d, "pillar"), data.pillars), "text", 16),
        Column(V.COL_TASK_ID, values(d, "task_id"), "code", 11),
        Column(V.COL_TASK_TEXT, values(d, "task"), "text", 42),
        Column(V.COL_UNIT, values(d, "unit_name"), "text", 26),
        Column(V.COL_DIFFICULTY, values(d, "difficulties"), "text", 64),
    ]
    note = None if len(d) else T.WB_NO_DIFFICULTIES
    data_sheet(ws, fmt, data, columns, freeze_cols=0, note=note, explain=T.WB_HOW_DIFFICULTIES)
