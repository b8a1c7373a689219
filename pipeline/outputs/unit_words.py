"""The units' own words (``Khó khăn, vướng mắc``): whether a cell says anything, and which of
its sentences ask for something. Both the province workbook and the narrative report use them."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pipeline.base.messages import report as R

_FOLD_PUNCT = re.compile(r"[\s.,;:!?…\-–—()\"'«»]+")
# a sentence ends at . ! ? ; or a line break followed by a space or the end (not inside "1.000")
_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+|\n+")
_REQUEST = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(w) for w in R.REQUEST_WORDS) + r")(?!\w)", re.IGNORECASE
)


def _fold(text: str) -> str:
    return _FOLD_PUNCT.sub(" ", unicodedata.normalize("NFC", text).lower()).strip()


def says_something(text: Any) -> bool:
    """False for a blank cell or a cell that only says "none" ("Không", "Không có khó khăn", "-")."""
    if not isinstance(text, str) or not text.strip():
        return False
    folded = _fold(text)
    return bool(folded) and folded not in {_fold(p) or p for p in R.NOTHING_TO_REPORT}


def request_sentences(text: str) -> list[str]:
    """The sentences of a text that ask for something (:data:`report.REQUEST_WORDS`), verbatim."""
    sentences = [s.strip() for s in _SENTENCE_END.split(unicodedata.normalize("NFC", text))]
    return [s for s in sentences if s and _REQUEST.search(s)]
