"""How much room a text takes in a cell: lines once wrapped, and the row height that shows them.

xlsxwriter writes no row heights of its own, and a wrapped cell in a row of the default height
shows one line (the others overlap the next row on paper). The templates set every row's height
from its texts, measured with the advance widths of Times New Roman (Liberation Serif, its
metric twin, in LibreOffice): diacritics do not change a letter's width. Rounded up: a row a
little too tall is fine, a line cut is not.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# Advance widths (em) of Times New Roman / Liberation Serif Regular.
_WIDTHS = {
    **dict.fromkeys(" ,.", 0.25),
    **dict.fromkeys("!()-[]`fr", 0.333),
    **dict.fromkeys("'", 0.18),
    **dict.fromkeys('"', 0.408),
    **dict.fromkeys("#$*0123456789_bdghknopquvxy«»–đ", 0.5),
    **dict.fromkeys("%", 0.833),
    **dict.fromkeys("&m", 0.778),
    **dict.fromkeys("+<=>", 0.564),
    **dict.fromkeys("/:;\\ijlt", 0.278),
    **dict.fromkeys("?acez", 0.444),
    **dict.fromkeys("@", 0.921),
    **dict.fromkeys("ADGHKNOQUVXYĐƠ", 0.722),
    **dict.fromkeys("BCR", 0.667),
    **dict.fromkeys("ELTZ", 0.611),
    **dict.fromkeys("FPS", 0.556),
    **dict.fromkeys("I", 0.333),
    **dict.fromkeys("J", 0.389),
    **dict.fromkeys("M", 0.889),
    **dict.fromkeys("W", 0.944),
    **dict.fromkeys("s", 0.389),
    **dict.fromkeys("w", 0.722),
    **dict.fromkeys("—…", 1.0),
    **dict.fromkeys("·", 0.333),
    "ư": 0.542,
    "ơ": 0.529,
    "Ư": 0.776,
}
BOLD = 1.08  # bold letters are wider, by about this much on Vietnamese text
# Excel's column width unit is the widest digit of the workbook's default font: 8 px for the
# templates' Times New Roman 12 pt; xlsxwriter stores a width w as w + 5/7 of those.
PX_PER_CHAR = 8
STORED_EXTRA = 5 / 7
PADDING_PX = 7  # room a cell keeps between its text and its borders, both sides
LINE = 1.17  # line height / font size of Times New Roman's wrapped lines (a little more than its 1.15)
ROW_PADDING = 4.0  # points: a row of one 12 pt line is 18 pt, above Excel's 15.75


@lru_cache(maxsize=4096)
def _char(ch: str) -> float:
    if ch in _WIDTHS:
        return _WIDTHS[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    if base in _WIDTHS:
        return _WIDTHS[base]
    return 0.722 if ch.isupper() else 0.5


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in pixels (96 per inch) at ``size`` points."""
    em = size * 96 / 72 * (BOLD if bold else 1.0)
    return sum(_char(ch) for ch in text) * em


def column_px(width: float, px_per_char: int = PX_PER_CHAR) -> int:
    """The width in pixels of a column of ``width`` (Excel's units: ``px_per_char``, the widest
    digit of the workbook's default font)."""
    return int((width + STORED_EXTRA) * px_per_char)


def lines(text: str, width: float, size: float, bold: bool = False, px_per_char: int = PX_PER_CHAR) -> int:
    """How many lines ``text`` wraps to in a column of ``width``: words go to the next line when
    they do not fit, a word longer than a line is broken, and a newline starts a line."""
    room = column_px(width, px_per_char) - PADDING_PX
    count = 0
    for paragraph in str(text).split("\n"):
        count += 1
        used = 0.0
        space = text_width(" ", size, bold)
        for word in paragraph.split():
            w = text_width(word, size, bold)
            if used and used + space + w <= room:
                used += space + w
                continue
            if used:
                count += 1
            if w > room:  # a long word (an address, a code) breaks where it must
                count += math.ceil(w / room) - 1
                w = w % room or room
            used = w
    return max(count, 1)


def row_height(size: float, n_lines: int) -> float:
    """The height in points of a row showing ``n_lines`` lines at ``size`` points."""
    return math.ceil((n_lines * size * LINE + ROW_PADDING) * 4) / 4


def fit(cells: Sequence[tuple[str, float]], size: float, bold: bool = False, minimum: int = 1) -> float:
    """The height of a row whose cells hold these (text, column width) pairs."""
    most = max([minimum, *(lines(text, width, size, bold) for text, width in cells if text)])
    return row_height(size, most)
