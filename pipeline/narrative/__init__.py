"""The narrative report ``BaoCao_DTI_<code>_<period>.docx`` (contract §7), Nghị định 30/2020/NĐ-CP.

Plain Python: it imports nothing else from :mod:`pipeline`. The run fills a
:class:`NarrativeData` and calls :func:`write_narrative`.
"""

from pipeline.narrative.data import (
    Locality,
    NarrativeData,
    NarrativePeriod,
    narrative_filename,
    pick_requests,
    says_something,
)
from pipeline.narrative.docx import build, write_narrative

__all__ = [
    "Locality",
    "NarrativeData",
    "NarrativePeriod",
    "build",
    "narrative_filename",
    "pick_requests",
    "says_something",
    "write_narrative",
]
