"""What the province receives (contract §7): ``BaoCao_DTI_<period>.xlsx``.

The last stage: it takes the DataFrames that merge and scoring computed and writes them; it
never reads returns. Everything that came from a unit is written as text (never a formula or
a link), missing values are blank cells, and the same data give the same workbook contents
(the document dates come from ``made_on``). :mod:`.data` holds the input, :mod:`.style` the
writing helpers, :mod:`.summary` the first sheet, :mod:`.sheets` the list sheets and
:mod:`.charts` the charts.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.outputs.province.data import Column, ReportData, nfc
from pipeline.outputs.province.sheets import (
    write_issues,
    write_progress,
    write_score_detail,
    write_scores,
    write_submissions,
)
from pipeline.outputs.province.style import Formats
from pipeline.outputs.province.summary import SummarySheet
from pipeline.outputs.xlsx import new_workbook

SHEETS = (
    V.SHEET_SUMMARY,
    V.SHEET_SCORES,
    V.SHEET_SCORE_DETAIL,
    V.SHEET_PROGRESS,
    V.SHEET_SUBMISSIONS,
    V.SHEET_ISSUES,
)

__all__ = ["SHEETS", "Column", "ReportData", "write_report"]


def write_report(data: ReportData, path: Path) -> Path:
    """Write the province's workbook to ``path`` (atomically) and return the path."""
    with new_workbook(path) as wb:
        wb.set_properties(
            {
                "title": nfc(T.WB_DOC_TITLE.format(title=T.WB_TITLE, period=data.period.label)),
                "subject": T.WB_SUBJECT,
                "author": nfc(data.city),
                "company": nfc(data.city),
                "comments": f"dti report, period {data.period.id}",
                "created": datetime(data.made_on.year, data.made_on.month, data.made_on.day),
            }
        )
        fmt = Formats(wb)
        sheets = {name: wb.add_worksheet(name) for name in SHEETS}
        totals = write_scores(sheets[V.SHEET_SCORES], fmt, data)
        SummarySheet(sheets[V.SHEET_SUMMARY], wb, fmt, data).write(totals)
        write_score_detail(sheets[V.SHEET_SCORE_DETAIL], fmt, data)
        write_progress(sheets[V.SHEET_PROGRESS], fmt, data)
        write_submissions(sheets[V.SHEET_SUBMISSIONS], fmt, data)
        write_issues(sheets[V.SHEET_ISSUES], fmt, data)
        sheets[V.SHEET_SUMMARY].activate()
    return path
