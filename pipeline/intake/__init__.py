"""Intake: find the returns of an inbox (:mod:`.discover`; the spreadsheets attached to its
``.eml`` messages are returns too, :mod:`.eml`), guard each before any parser (:mod:`.guard`),
and read it into plain data (:mod:`.read`, with :mod:`.sheets` finding sheets and headers by
their labels and :mod:`.formulas` the formula cells)."""

from pipeline.intake.discover import (
    RECEIVED_FILE,
    SAMPLE_FILE,
    Received,
    discover,
    is_sample,
    received_from,
    received_times,
)
from pipeline.intake.eml import Attachment, Mail, is_eml, read_eml
from pipeline.intake.read import FORMULA_NO_VALUE, RawReturn, Source, read_return
from pipeline.intake.sheets import CellValue

__all__ = [
    "FORMULA_NO_VALUE",
    "RECEIVED_FILE",
    "SAMPLE_FILE",
    "Attachment",
    "CellValue",
    "Mail",
    "RawReturn",
    "Received",
    "Source",
    "discover",
    "is_eml",
    "is_sample",
    "read_eml",
    "read_return",
    "received_from",
    "received_times",
]
