"""Vietnamese-aware cleaning of single cell values read from returns.

Every function here is pure and never raises on a cell value: it returns a :class:`Parsed`
holding the clean value and, when something was wrong or had to be interpreted, an issue code,
a severity and the slots of its Vietnamese message (what was wrong, what to write instead, or
what was understood). A ``WARNING`` keeps a usable value; an ``ERROR`` means ``value`` is ``None``.

Empty cells (``None``, ``""``, whitespace only) give ``Parsed(None)`` with no issue; whether a
value is required is the validator's business. One module per family: :mod:`.text`,
:mod:`.tcvn3`, :mod:`.choices`, :mod:`.numbers`, :mod:`.dates`, :mod:`.evidence` (placeholders,
document references, links), :mod:`.contact` (e-mail addresses, phone numbers).
"""

from pipeline.base.text import fold
from pipeline.normalize.choices import YesNoWords, parse_choice, parse_yes_no
from pipeline.normalize.dates import parse_date
from pipeline.normalize.evidence import DocRef, Evidence, Placeholders, is_placeholder, parse_evidence
from pipeline.normalize.numbers import from_percent_cell, parse_number
from pipeline.normalize.parsed import EMPTY, Parsed
from pipeline.normalize.tcvn3 import TCVN3_CHARS, looks_like_tcvn3, tcvn3_to_unicode
from pipeline.normalize.text import TEXT_MAX_CHARS, clean_text

__all__ = [
    "EMPTY",
    "TCVN3_CHARS",
    "TEXT_MAX_CHARS",
    "DocRef",
    "Evidence",
    "Parsed",
    "Placeholders",
    "YesNoWords",
    "clean_text",
    "fold",
    "from_percent_cell",
    "is_placeholder",
    "looks_like_tcvn3",
    "parse_choice",
    "parse_date",
    "parse_evidence",
    "parse_number",
    "parse_yes_no",
    "tcvn3_to_unicode",
]
