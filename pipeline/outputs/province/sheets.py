"""The province workbook's list sheets: `Điểm chỉ số`, `Chi tiết chỉ số`, `Tiến độ nhiệm vụ`,
`Nộp báo cáo`, `Lỗi dữ liệu` (one function a sheet)."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.outputs.province.data import Column, ReportData, mapped, missing, number, values, yes_no
from pipeline.outputs.province.style import Formats, colour_labels, data_sheet, unit_columns

STATUS_LABELS = {machine: label for label, machine in V.STATUS_VALUES.items()} | {"": V.NOT_REPORTED}


def max_scores(data: ReportData) -> dict[str, float]:
    out: dict[str, float] = {}
    for frame in (data.scores, data.summary):
        if {"indicator_id", "max_score"} <= set(frame.columns):
            for ind, m in zip(frame["indicator_id"], frame["max_score"], strict=True):
                if number(m) is not None:
                    out[str(ind)] = float(m)
    return out


def write_scores(ws: Worksheet, fmt: Formats, data: ReportData) -> tuple[int, int]:
    """`Điểm chỉ số`: one row per unit that reports indicators; returns (Tổng điểm column, rows)."""
    r = data.ranking
    ids = list(data.indicator_ids)
    columns = [
        *unit_columns(r),
        *(Column(i, values(r, i), "score", 9) for i in ids),
        Column(V.COL_TOTAL, values(r, "total"), "score", 11),
        Column(V.COL_MAX, values(r, "max_total"), "score", 11),
        Column(V.COL_PCT, values(r, "pct"), "pct", 10),
        Column(V.COL_RANK, values(r, "rank"), "int", 10),
    ]
    _h, n = data_sheet(ws, fmt, data, columns, freeze_cols=2)
    maxima = max_scores(data)
    for c, ind in enumerate(ids, start=2):
        if n == 0:
            break
        if ind in maxima:
            # formulas, not "cell == 0": Excel counts a blank cell as 0 there
            cell = f"{xl_col_to_name(c)}2"
            for target, f in ((maxima[ind], fmt.green), (0.0, fmt.red)):
                rule = f"=AND(ISNUMBER({cell}),{cell}={target:g})"
                ws.conditional_format(1, c, n, c, {"type": "formula", "criteria": rule, "format": f})
        else:
            ws.conditional_format(1, c, n, c, {"type": "3_color_scale"})
    if n:
        pct = 2 + len(ids) + 2
        ws.conditional_format(
            1,
            pct,
            n,
            pct,
            {
                "type": "3_color_scale",
                "min_type": "num",
                "min_value": 0,
                "mid_type": "num",
                "mid_value": 50,
                "max_type": "num",
                "max_value": 100,
                "min_color": "#F8696B",
                "mid_color": "#FFEB84",
                "max_color": "#63BE7B",
            },
        )
    return 2 + len(ids), n


def write_score_detail(ws: Worksheet, fmt: Formats, data: ReportData) -> None:
    s = data.scores
    note = None
    if len(s) > data.max_detail_rows:
        s = s[pd.to_numeric(s["score"], errors="coerce") < pd.to_numeric(s["max_score"], errors="coerce")]
        note = T.WB_SCORES_CUT.format(
            rows=V.thousands(len(data.scores)), limit=V.thousands(data.max_detail_rows)
        )
    ids = values(s, "indicator_id")
    columns = [
        *unit_columns(s),
        Column(V.COL_INDICATOR_ID, ids, "code", 10),
        Column(V.COL_INDICATOR, [data.indicator_names.get(str(i), "") for i in ids], "text", 40),
        Column(V.COL_SELF_SCORE, values(s, "self_score"), "score", 11),
        Column(V.COL_SCORE, values(s, "score"), "score", 12),
        Column(V.COL_MAX, values(s, "max_score"), "score", 10),
        Column(V.COL_HAS_EVIDENCE, values(s, "has_evidence"), "yes_no", 11),
        Column(V.COL_EXPLANATION, values(s, "explanation"), "text", 50),
    ]
    h, n = data_sheet(ws, fmt, data, columns, freeze_cols=2, note=note)
    if n:
        first = h + 2  # the first data row, 1-based, as the formulas see it
        ws.conditional_format(
            h + 1,
            5,
            h + n,
            5,
            {
                "type": "formula",
                "criteria": f"=AND(ISNUMBER($F{first}),$F{first}=$G{first})",
                "format": fmt.green,
            },
        )
        ws.conditional_format(
            h + 1,
            5,
            h + n,
            5,
            {"type": "formula", "criteria": f"=AND(ISNUMBER($F{first}),$F{first}=0)", "format": fmt.red},
        )
        colour_labels(ws, (h + 1, h + n), 7, {V.NO: fmt.red})


def _task_aggregates(tasks: pd.DataFrame) -> pd.DataFrame:
    """One row per task: assigned units, reported, done, overdue, done % (of assigned)."""
    t = pd.DataFrame(
        {
            "task_id": values(tasks, "task_id"),
            "appendix": values(tasks, "appendix"),
            "pillar": values(tasks, "pillar"),
            "reported": [not missing(v) for v in values(tasks, "status")],
            "done": [v == "done" for v in values(tasks, "status")],
            "overdue": [yes_no(v) == V.YES for v in values(tasks, "overdue")],
        }
    )
    out = t.groupby("task_id", sort=False).agg(
        appendix=("appendix", "first"),
        pillar=("pillar", "first"),
        assigned=("task_id", "size"),
        reported=("reported", "sum"),
        done=("done", "sum"),
        overdue=("overdue", "sum"),
    )
    out["done_pct"] = (100 * out["done"] / out["assigned"]).round(1)
    return out.reset_index()


def write_progress(ws: Worksheet, fmt: Formats, data: ReportData) -> None:
    t = data.tasks
    if len(t) > data.max_detail_rows:
        a = _task_aggregates(t)
        columns = [
            Column(V.COL_TASK_ID, values(a, "task_id"), "code", 12),
            Column(V.COL_APPENDIX, mapped(values(a, "appendix"), data.appendices), "code", 11),
            Column(V.COL_PILLAR, mapped(values(a, "pillar"), data.pillars), "text", 24),
            Column(V.COL_UNITS_ASSIGNED, values(a, "assigned"), "int", 12),
            Column(V.COL_REPORTED, values(a, "reported"), "int", 11),
            Column(V.STATUS_DONE, values(a, "done"), "int", 11),
            Column(V.COL_OVERDUE, values(a, "overdue"), "int", 10),
            Column(V.COL_DONE_PCT, values(a, "done_pct"), "pct", 12),
        ]
        note = T.WB_TASKS_CUT.format(rows=V.thousands(len(t)), limit=V.thousands(data.max_detail_rows))
        h, n = data_sheet(ws, fmt, data, columns, freeze_cols=1, note=note)
        if n:
            ws.conditional_format(
                h + 1, 6, h + n, 6, {"type": "cell", "criteria": ">", "value": 0, "format": fmt.red}
            )
        return
    columns = [
        Column(V.COL_TASK_ID, values(t, "task_id"), "code", 12),
        Column(V.COL_APPENDIX, mapped(values(t, "appendix"), data.appendices), "code", 11),
        Column(V.COL_PILLAR, mapped(values(t, "pillar"), data.pillars), "text", 22),
        *unit_columns(t),
        Column(V.COL_ROLE, mapped(values(t, "role"), V.ROLE_LABELS), "code", 10),
        Column(V.COL_STATUS, mapped(values(t, "status"), STATUS_LABELS), "code", 15),
        Column(V.COL_RESULT_VALUE, values(t, "result_value"), "score", 11),
        Column(V.COL_HAS_EVIDENCE, values(t, "has_evidence"), "yes_no", 10),
        Column(V.COL_OVERDUE, values(t, "overdue"), "yes_no", 9),
        Column(V.COL_TARGET, values(t, "target_raw" if "target_raw" in t.columns else "target"), "text", 22),
        Column(V.COL_TARGET_MET, values(t, "target_met"), "yes_no", 10),
        Column(V.COL_PROGRESS, values(t, "progress_pct"), "pct", 10),
    ]
    _h, n = data_sheet(ws, fmt, data, columns, freeze_cols=1)
    labels = STATUS_LABELS
    colour_labels(
        ws,
        (1, n),
        6,
        {
            labels["done"]: fmt.green,
            labels["in_progress"]: fmt.yellow,
            labels["not_started"]: fmt.orange,
            labels["not_applicable"]: fmt.grey,
            V.NOT_REPORTED: fmt.red,
        },
    )
    colour_labels(ws, (1, n), 9, {V.YES: fmt.red})
    colour_labels(ws, (1, n), 11, {V.YES: fmt.green, V.NO: fmt.red})


def write_submissions(ws: Worksheet, fmt: Formats, data: ReportData) -> None:
    s = data.submissions
    columns = [
        *unit_columns(s),
        Column(V.COL_UNIT_KIND, mapped(values(s, "kind"), data.kind_labels), "text", 17),
        Column(V.COL_SUBMISSION_STATUS, mapped(values(s, "status"), V.SUBMISSION_LABELS), "code", 13),
        Column(V.COL_RECEIVED, values(s, "received_at"), "datetime", 17),
        Column(V.COL_DEADLINE, values(s, "deadline"), "date", 12),
        Column(V.COL_DAYS_LATE, values(s, "days_late"), "int", 9),
        Column(V.COL_FILE, values(s, "file"), "text", 34),
        Column(V.COL_ERRORS, values(s, "errors"), "int", 8),
        Column(V.COL_WARNINGS, values(s, "warnings"), "int", 10),
    ]
    _h, n = data_sheet(ws, fmt, data, columns, freeze_cols=2)
    s_labels = V.SUBMISSION_LABELS
    colour_labels(
        ws,
        (1, n),
        3,
        {
            s_labels["on_time"]: fmt.green,
            s_labels["late"]: fmt.yellow,
            s_labels["missing"]: fmt.red,
            s_labels["rejected"]: fmt.red,
            s_labels["superseded"]: fmt.grey,
        },
    )


def write_issues(ws: Worksheet, fmt: Formats, data: ReportData) -> None:
    i = data.issues
    columns = [
        Column(V.COL_UNIT_CODE, values(i, "unit_code"), "code", 18),
        Column(V.COL_FILE, values(i, "file"), "text", 30),
        Column(V.COL_SHEET, values(i, "sheet"), "text", 12),
        Column(V.COL_CELL, values(i, "cell"), "code", 7),
        Column(V.COL_FIELD, values(i, "field"), "text", 22),
        Column(V.COL_VALUE, values(i, "value"), "text", 24),
        Column(V.COL_SEVERITY, mapped(values(i, "severity"), V.SEVERITY_LABELS), "code", 10),
        Column(V.COL_CODE, values(i, "code"), "text", 18),
        Column(V.COL_MESSAGE, values(i, "message"), "text", 60),
    ]
    _h, n = data_sheet(ws, fmt, data, columns, freeze_cols=1)
    colour_labels(
        ws, (1, n), 6, {V.SEVERITY_LABELS["error"]: fmt.red, V.SEVERITY_LABELS["warning"]: fmt.yellow}
    )
