"""The narrative report ``BaoCao_DTI_<code>_<period>.docx`` (contract §7), Nghị định 30/2020/NĐ-CP.

:mod:`.data` holds what it is written from (:class:`NarrativeData`), :mod:`.build` fills that from
the province workbook's data, :mod:`.compose` writes the body as blocks and :mod:`.docx` lays
the document out. The run calls :func:`narrative_of` and :func:`write_narrative`.
"""

from pipeline.outputs.narrative.build import narrative_of
from pipeline.outputs.narrative.data import NarrativeData, narrative_filename, pick_requests, says_something
from pipeline.outputs.narrative.docx import build, write_narrative

__all__ = [
    "NarrativeData",
    "build",
    "narrative_filename",
    "narrative_of",
    "pick_requests",
    "says_something",
    "write_narrative",
]
