"""Small text helpers every stage shares: NFC, printable values, folding for matching, A1 cells."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def show_value(value: Any, limit: int = 200) -> str:
    """A cell value as short, printable text for a message or the issues list; a missing value
    (``None``, a float NaN, pandas' NA or NaT: an empty cell as a frame holds it) is no text."""
    if value is None or _missing(value):
        return ""
    text = nfc(str(value))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _missing(value: Any) -> bool:
    if isinstance(value, str):
        return False
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except TypeError:  # pandas.NA is neither equal nor unequal to itself
        return True
    except ValueError:  # an array: a value, not a missing one
        return False


_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=131072)
def fold(text: str) -> str:
    """Key for matching that ignores case, diacritics and punctuation: ``"HOÀN THÀNH."`` → ``"hoan thanh"``.

    Compatibility forms are unified too (full-width letters, ligatures); punctuation becomes a
    single space, so ``"Có/Không"`` folds to ``"co khong"``.
    """
    text = str(text)
    for _ in range(2):  # a second round settles the few letters whose lower case decomposes
        text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(_NON_WORD.sub(" ", text).split())


def loose(text: str) -> str:
    """Like :func:`fold` but keeping diacritics: differences of case, spacing and punctuation only."""
    return " ".join(_NON_WORD.sub(" ", unicodedata.normalize("NFC", text).lower()).split())


@lru_cache(maxsize=1 << 16)
def a1(row: int, col: int) -> str:
    """A1 address of 0-based (row, col)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def one_copy(values: Iterable[Any], memo: dict[str, str]) -> list[Any]:
    """The values, each text replaced by the first equal text ``memo`` has seen (then kept in
    it): equal texts become one object. Values read one by one (from pickles, from a database)
    are each their own object even when equal; this is what many of them cost."""
    return [memo.setdefault(v, v) if type(v) is str else v for v in values]
