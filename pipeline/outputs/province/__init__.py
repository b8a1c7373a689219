"""What the province receives (contract §7): ``BaoCao_DTI_<code>_<period>.xlsx``.

The last stage: it takes the DataFrames that merge and scoring computed and writes them; it
never reads returns. Everything that came from a unit is written as text (never a formula or
a link), missing values are blank cells, and the same data give the same workbook contents
(the document dates come from ``made_on``). The workbook is the narrative report's appendix:
`Tổng hợp` opens with the same header block, every page is headed by the locality, the sheet
and the period (and ``DỮ LIỆU MẪU – KHÔNG GỬI`` on a sample). :mod:`.data` holds the input,
:mod:`.style` the writing helpers, :mod:`.summary` the first sheet, :mod:`.sheets` the indicator,
submission and issue sheets, :mod:`.tasks` the task sheets, :mod:`.history` the history sheet and :mod:`.charts` the charts.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pipeline import __version__
from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.outputs.province.data import Column, ReportData, nfc, report_file_name
from pipeline.outputs.province.history import write_history
from pipeline.outputs.province.sheets import write_issues, write_score_detail, write_scores, write_submissions
from pipeline.outputs.province.style import DEFAULT_FONT, Formats
from pipeline.outputs.province.summary import SummarySheet, workbook_title
from pipeline.outputs.province.tasks import write_difficulties, write_progress
from pipeline.outputs.xlsx import new_workbook

SHEETS = (
    V.SHEET_SUMMARY,
    V.SHEET_SCORES,
    V.SHEET_SCORE_DETAIL,
    V.SHEET_PROGRESS,
    V.SHEET_DIFFICULTIES,
    V.SHEET_SUBMISSIONS,
    V.SHEET_HISTORY,
    V.SHEET_ISSUES,
)
INDICATOR_SHEETS = (V.SHEET_SCORES, V.SHEET_SCORE_DETAIL)  # not in a period without indicators

__all__ = [
    "INDICATOR_SHEETS",
    "SHEETS",
    "Column",
    "ReportData",
    "report_file_name",
    "sheets_of",
    "write_report",
]


def sheets_of(data: ReportData) -> tuple[str, ...]:
    """The sheets of the workbook, in order: a monthly report has no indicator sheets, and
    `Diễn biến` comes once two periods are stored."""
    return tuple(
        s
        for s in SHEETS
        if (data.has_indicators or s not in INDICATOR_SHEETS) and (data.has_history or s != V.SHEET_HISTORY)
    )


def write_report(data: ReportData, path: Path) -> Path:
    """Write the province's workbook to ``path`` (atomically) and return the path."""
    loc = data.locality
    title = T.WB_DOC_TITLE.format(title=workbook_title(data), authority=loc.name)
    if data.sample:
        title = T.WB_SAMPLE_TITLE.format(mark=V.SAMPLE_MARK, title=title)
    with new_workbook(path, default_font=DEFAULT_FONT) as wb:
        wb.set_properties(
            {
                "title": nfc(title),
                "subject": T.WB_SUBJECT,
                "author": nfc(loc.name),
                "company": nfc(loc.name),
                "keywords": f"DTI; {loc.code}; {loc.admin_code}; {data.period.id}",
                "comments": T.WB_COMMENTS.format(version=__version__, code=loc.code, period=data.period.id),
                "created": datetime(data.made_on.year, data.made_on.month, data.made_on.day),
            }
        )
        fmt = Formats(wb)
        sheets = {name: wb.add_worksheet(name) for name in sheets_of(data)}
        scores = write_scores(sheets[V.SHEET_SCORES], fmt, data) if data.has_indicators else None
        SummarySheet(sheets[V.SHEET_SUMMARY], wb, fmt, data).write(scores)
        if data.has_indicators:
            write_score_detail(sheets[V.SHEET_SCORE_DETAIL], fmt, data)
        write_progress(sheets[V.SHEET_PROGRESS], fmt, data)
        write_difficulties(sheets[V.SHEET_DIFFICULTIES], fmt, data)
        write_submissions(sheets[V.SHEET_SUBMISSIONS], fmt, data)
        if data.has_history:
            write_history(sheets[V.SHEET_HISTORY], wb, fmt, data)
        write_issues(sheets[V.SHEET_ISSUES], fmt, data)
        sheets[V.SHEET_SUMMARY].activate()
    return path
