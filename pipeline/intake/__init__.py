"""Intake: find the returns of an inbox (:mod:`.discover`), guard each before any parser
(:mod:`.guard`), and read it into plain data (:mod:`.read`, with :mod:`.sheets` finding sheets
and headers by their labels and :mod:`.formulas` the formula cells)."""

from pipeline.intake.discover import RECEIVED_FILE, SAMPLE_FILE, discover, is_sample, received_times
from pipeline.intake.read import FORMULA_NO_VALUE, RawReturn, Source, read_return
from pipeline.intake.sheets import CellValue

__all__ = [
    "FORMULA_NO_VALUE",
    "RECEIVED_FILE",
    "SAMPLE_FILE",
    "CellValue",
    "RawReturn",
    "Source",
    "discover",
    "is_sample",
    "read_return",
    "received_times",
]
