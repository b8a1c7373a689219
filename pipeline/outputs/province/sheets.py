"""The province workbook's list sheets about indicators and returns: `Điểm chỉ số`, `Chi tiết chỉ
số`, `Nộp báo cáo`, `Lỗi dữ liệu` (one function a sheet; the task sheets are in :mod:`.tasks`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from pipeline.base import vocabulary as V
from pipeline.base.messages import mail as M
from pipeline.base.messages import texts as T
from pipeline.base.messages.issues import ISSUES
from pipeline.outputs.province.data import Column, ReportData, mapped, missing, number, values
from pipeline.outputs.province.style import Formats, colour_labels, data_sheet, unit_columns
from pipeline.outputs.province.summary import ScoreTable


def max_scores(data: ReportData) -> dict[str, float]:
    out: dict[str, float] = {}
    for frame in (data.scores, data.summary):
        if {"indicator_id", "max_score"} <= set(frame.columns):
            for ind, m in zip(frame["indicator_id"], frame["max_score"], strict=True):
                if number(m) is not None:
                    out[str(ind)] = float(m)
    return out


def _sent(frame: pd.DataFrame, data: ReportData) -> list[bool]:
    """Per row: whether the unit's return counts (False: Chưa nộp)."""
    if "sent" in frame.columns:
        return [bool(v) if not missing(v) else True for v in frame["sent"]]
    missing_units = set(data.submissions.loc[data.submissions["status"] == "missing", "unit_code"])
    return [u not in missing_units for u in values(frame, "unit_code")]


def _or_not_sent(items: list[Any], sent: list[bool]) -> list[Any]:
    return [v if ok else V.NOT_SENT for v, ok in zip(items, sent, strict=True)]


def _how_scores(data: ReportData) -> str:
    r = data.ranking
    kinds = [k for k in data.kind_labels if k in set(r.loc[r["rank"].notna(), "kind"])] if len(r) else []
    if not kinds and "kind" in r.columns:
        kinds = [k for k in data.ranked_kinds if k in set(r["kind"])]
    if not kinds:
        return T.WB_HOW_SCORES_UNRANKED.format(not_sent=V.NOT_SENT)
    ranked = V.join_names(V.lower_first(data.kind_labels.get(k, k)) for k in kinds)
    return T.WB_HOW_SCORES.format(ranked=ranked, not_sent=V.NOT_SENT)


def write_scores(ws: Worksheet, fmt: Formats, data: ReportData) -> ScoreTable:
    """`Điểm chỉ số`: one row per unit that reports indicators; a unit that sent nothing shows
    Chưa nộp in its score and rank cells. Returns where its rows are, for the score chart."""
    r = data.ranking
    ids = list(data.indicator_ids)
    sent = _sent(r, data)
    columns = [
        *unit_columns(r),
        *(Column(i, _or_not_sent(values(r, i), sent), "score", 9) for i in ids),
        Column(V.COL_TOTAL, _or_not_sent(values(r, "total"), sent), "score", 10),
        Column(V.COL_MAX, values(r, "max_total"), "score", 10),
        Column(V.COL_PCT, _or_not_sent(values(r, "pct"), sent), "pct", 10),
        Column(V.COL_RANK, _or_not_sent(values(r, "rank"), sent), "int", 10),
    ]
    h, n = data_sheet(ws, fmt, data, columns, freeze_cols=2, explain=_how_scores(data))
    maxima = max_scores(data)
    for c, ind in enumerate(ids, start=2):
        if n == 0:
            break
        cell = f"{xl_col_to_name(c)}{h + 2}"
        if ind in maxima:
            # formulas, not "cell == 0": Excel counts a blank cell as 0 there
            for target, f in ((maxima[ind], fmt.green), (0.0, fmt.red)):
                rule = f"=AND(ISNUMBER({cell}),{cell}={target:g})"
                ws.conditional_format(h + 1, c, h + n, c, {"type": "formula", "criteria": rule, "format": f})
        else:
            ws.conditional_format(h + 1, c, h + n, c, {"type": "3_color_scale"})
    pct = 2 + len(ids) + 2
    if n:
        ws.conditional_format(
            h + 1,
            pct,
            h + n,
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
        for col in range(2, len(columns)):
            colour_labels(ws, (h + 1, h + n), col, {V.NOT_SENT: fmt.red})
    return ScoreTable(names=values(r, "unit_name"), pcts=values(r, "pct"), sent=sent)


def write_score_detail(ws: Worksheet, fmt: Formats, data: ReportData) -> None:
    s = data.scores
    note = None
    if len(s) > data.max_detail_rows:
        s = s[pd.to_numeric(s["score"], errors="coerce") < pd.to_numeric(s["max_score"], errors="coerce")]
        note = T.WB_SCORES_CUT.format(
            rows=V.thousands(len(data.scores)), limit=V.thousands(data.max_detail_rows)
        )
    ids = values(s, "indicator_id")
    sent = _sent(s, data)
    columns = [
        *unit_columns(s, 17, 22),  # widths for one landscape A4 page across at about 10 points
        Column(V.COL_INDICATOR_ID, ids, "code", 8),
        Column(V.COL_INDICATOR, [data.indicator_names.get(str(i), "") for i in ids], "text", 28),
        Column(V.COL_SELF_SCORE, values(s, "self_score"), "score", 10),
        Column(V.COL_SCORE, _or_not_sent(values(s, "score"), sent), "score", 10),
        Column(V.COL_MAX, values(s, "max_score"), "score", 9),
        Column(V.COL_HAS_EVIDENCE, values(s, "has_evidence"), "yes_no", 10),
        Column(V.COL_EXPLANATION, values(s, "explanation"), "text", 38),
    ]
    h, n = data_sheet(ws, fmt, data, columns, freeze_cols=2, note=note, explain=T.WB_HOW_DETAIL)
    if n:
        first = h + 2  # the first data row, 1-based, as the formulas see it
        for rule, f in (
            (f"=AND(ISNUMBER($F{first}),$F{first}=$G{first})", fmt.green),
            (f"=AND(ISNUMBER($F{first}),$F{first}=0)", fmt.red),
        ):
            ws.conditional_format(h + 1, 5, h + n, 5, {"type": "formula", "criteria": rule, "format": f})
        colour_labels(ws, (h + 1, h + n), 5, {V.NOT_SENT: fmt.red})
        colour_labels(ws, (h + 1, h + n), 7, {V.NO: fmt.red})


def write_submissions(ws: Worksheet, fmt: Formats, data: ReportData) -> None:
    s = data.submissions
    # days late only where the return is late: an on-time 0 next to the file name reads as noise
    status = values(s, "status")
    late = [d if st == "late" else None for d, st in zip(values(s, "days_late"), status, strict=True)]
    columns = [
        *unit_columns(s),
        Column(V.COL_UNIT_KIND, mapped(values(s, "kind"), data.kind_labels), "text", 15),
        Column(V.COL_SUBMISSION_STATUS, mapped(values(s, "status"), V.SUBMISSION_LABELS), "code", 12),
        Column(V.COL_RECEIVED, values(s, "received_at"), "datetime", 16),
        Column(V.COL_DEADLINE, values(s, "deadline"), "date", 12),
        Column(V.COL_DAYS_LATE, late, "count", 8),
        Column(V.COL_FILE, values(s, "file"), "text", 34),
        Column(V.COL_ERRORS, values(s, "errors"), "count", 7),
        Column(V.COL_WARNINGS, values(s, "warnings"), "count", 9),
    ]
    note = M.FILE_TIMES_NOTE.format(count=data.file_times) if data.file_times else None
    h, n = data_sheet(ws, fmt, data, columns, freeze_cols=2, note=note, explain=T.WB_HOW_SUBMISSIONS)
    s_labels = V.SUBMISSION_LABELS
    colour_labels(
        ws,
        (h + 1, h + n),
        3,
        {
            s_labels["on_time"]: fmt.green,
            s_labels["late"]: fmt.yellow,
            s_labels["missing"]: fmt.red,
            s_labels["rejected"]: fmt.red,
            s_labels["superseded"]: fmt.grey,
        },
    )


def field_label(sheet: Any, field: Any) -> str:
    """An issue's field as a person reads it: "Nhiệm vụ PL01-1.3 – Tình trạng", "Chỉ số – 2.2b"."""
    sheet = "" if missing(sheet) else str(sheet)
    field = "" if missing(field) else str(field)
    if sheet == V.SHEET_TASKS and ":" in field:
        task, label = field.split(":", 1)
        return T.WB_FIELD_TASK.format(sheet=sheet, task=task, label=label)
    if sheet and field:
        return T.WB_FIELD.format(sheet=sheet, field=field)
    return sheet or field


def write_issues(ws: Worksheet, fmt: Formats, data: ReportData) -> None:
    i = data.issues
    fields = [field_label(sh, f) for sh, f in zip(values(i, "sheet"), values(i, "field"), strict=True)]
    kinds = [ISSUES[c].title if c in ISSUES else c for c in values(i, "code")]  # type: ignore[index]
    columns = [
        *unit_columns(i, 17, 18),  # widths for one landscape A4 page across at about 10 points
        Column(V.COL_FILE, values(i, "file"), "text", 18),
        Column(V.COL_CELL, values(i, "cell"), "code", 6),
        Column(V.COL_FIELD, fields, "text", 18),
        Column(V.COL_VALUE, values(i, "value"), "text", 14),
        Column(V.COL_SEVERITY, mapped(values(i, "severity"), V.SEVERITY_LABELS), "code", 9),
        Column(V.COL_ISSUE_KIND, kinds, "text", 15),
        Column(V.COL_MESSAGE, values(i, "message"), "text", 42),
    ]
    h, n = data_sheet(ws, fmt, data, columns, freeze_cols=2, explain=T.WB_HOW_ISSUES)
    colour_labels(
        ws, (h + 1, h + n), 7, {V.SEVERITY_LABELS["error"]: fmt.red, V.SEVERITY_LABELS["warning"]: fmt.yellow}
    )
