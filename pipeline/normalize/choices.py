"""Fixed values: one of a list (a task status) and Có/Không.

The spellings a clerk may type for them (``Đã hoàn thành``, ``x``, ``ko``) are data
(``schemas/vocabulary.yaml``), passed in as :class:`YesNoWords` and an alias mapping.
"""

from __future__ import annotations

import numbers
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.base.codes import Code
from pipeline.base.text import fold, loose
from pipeline.base.vocabulary import NO, YES
from pipeline.normalize.parsed import EMPTY, Parsed, error, show, warn
from pipeline.normalize.tcvn3 import has_tcvn3_code, tcvn3_to_unicode
from pipeline.normalize.text import as_text, clean_text, excel_error


@dataclass(frozen=True, slots=True)
class YesNoWords:
    """Other ways a unit answers Có or Không, folded (case, diacritics, punctuation ignored)."""

    yes: frozenset[str]
    no: frozenset[str]
    marks: frozenset[str]  # symbols read as Có: ✓
    ask: frozenset[str] = frozenset()  # words that say neither (rồi, ok): a question back to the unit

    @classmethod
    def of(
        cls, yes: Iterable[str], no: Iterable[str], marks: Iterable[str], ask: Iterable[str] = ()
    ) -> YesNoWords:
        return cls(
            frozenset(fold(w) for w in yes),
            frozenset(fold(w) for w in no),
            frozenset(marks),
            frozenset(fold(w) for w in ask),
        )


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity: one instance per allowed list
class _Choices:
    exact: frozenset[str]
    loose: Mapping[str, str]
    folded: Mapping[str, str | None]  # None: two allowed values fold alike
    listing: str


@lru_cache(maxsize=256)
def _choices(allowed: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> _Choices:
    canon = [unicodedata.normalize("NFC", a) for a in allowed]
    folded: dict[str, str | None] = {}
    for a in canon:
        key = fold(a)
        folded[key] = a if folded.get(key, a) == a else None
    for alias, target in aliases:
        target = unicodedata.normalize("NFC", target)
        if target in canon:
            folded.setdefault(fold(alias), target)
    return _Choices(
        exact=frozenset(canon),
        loose={loose(a): a for a in canon},
        folded=folded,
        listing=", ".join(f"«{a}»" for a in canon),
    )


def _match(text: str, ch: _Choices) -> tuple[str, bool] | None:
    """(canonical value, exact up to case/spacing/punctuation) or None."""
    if text in ch.exact:
        return text, True
    hit = ch.loose.get(loose(text))
    if hit is not None:
        return hit, True
    found = ch.folded.get(fold(text))
    return (found, False) if found is not None else None


def parse_choice(
    value: object, allowed: Sequence[str], *, aliases: Mapping[str, str] | None = None
) -> Parsed:
    """One of ``allowed``, matched ignoring case, spacing and punctuation (clean) or diacritics
    (warning ``VALUE_INTERPRETED``); TCVN3 input is accepted with a ``TCVN3_CONVERTED`` warning.
    ``aliases`` maps other accepted spellings to an allowed value (matched folded, warning).
    """
    ch = _choices(tuple(allowed), tuple((aliases or {}).items()))
    if isinstance(value, str) and len(value) <= 512:
        return _choice_cached(value, ch)
    return _choice(value, ch)


def _choice(value: object, ch: _Choices) -> Parsed:
    base = clean_text(value)
    text = base.value
    if not isinstance(text, str):
        return EMPTY
    if (excel := excel_error(text)) is not None:
        return excel
    hit = _match(text, ch)
    if hit is not None:
        canonical, exact = hit
        if base.code == Code.TCVN3_CONVERTED:
            return _tcvn3(value, canonical)
        if exact:
            return Parsed(canonical)
        return _understood(text, canonical)
    if base.code != Code.TCVN3_CONVERTED and has_tcvn3_code(text):
        hit = _match(tcvn3_to_unicode(text), ch)
        if hit is not None:
            return _tcvn3(text, hit[0])
    return error(Code.NOT_ALLOWED, text=show(text), listing=ch.listing)


_choice_cached = lru_cache(maxsize=65536)(_choice)


def _understood(text: str, canonical: str) -> Parsed:
    return warn(canonical, Code.VALUE_INTERPRETED, text=show(text), canonical=canonical)


def _tcvn3(original: object, canonical: str) -> Parsed:
    return warn(canonical, Code.TCVN3_CONVERTED, "choice", text=show(original), canonical=canonical)


def _yes_no_text(text: str, words: YesNoWords) -> tuple[str, bool] | None:
    key = fold(text)
    if key == fold(YES):
        return YES, True
    if key == fold(NO):
        return NO, True
    if key in words.yes or text in words.marks:
        return YES, False
    if key in words.no:
        return NO, False
    return None


def parse_yes_no(value: object, words: YesNoWords) -> Parsed:
    """``"Có"`` or ``"Không"``. Case, diacritic and punctuation variants (``"co"``, ``"KHÔNG."``)
    are clean; the other yes/no words of ``words`` (yes, 1/0, TRUE/FALSE, ko, đã thành lập, …)
    give a ``VALUE_INTERPRETED`` warning; TCVN3 (``"Cã"``, ``"Kh«ng"``) a ``TCVN3_CONVERTED``
    warning. A word that says neither (``rồi``, ``ok``: ``words.ask``) is an error that asks the
    unit to choose, as is any other text.
    """
    if isinstance(value, str) and len(value) <= 512:
        return _yes_no_cached(value, words)
    return _yes_no(value, words)


def _yes_no(value: object, words: YesNoWords) -> Parsed:
    if isinstance(value, bool) or (
        isinstance(value, numbers.Real) and not isinstance(value, bool) and value in (0, 1)
    ):
        answer = YES if value else NO
        return _understood(as_text(value) or "", answer)
    base = clean_text(value)
    text = base.value
    if not isinstance(text, str):
        return EMPTY
    if (excel := excel_error(text)) is not None:
        return excel
    hit = _yes_no_text(text, words)
    if hit is not None:
        answer, exact = hit
        if base.code == Code.TCVN3_CONVERTED:
            return _tcvn3(value, answer)
        return Parsed(answer) if exact else _understood(text, answer)
    if base.code != Code.TCVN3_CONVERTED and has_tcvn3_code(text):
        hit = _yes_no_text(tcvn3_to_unicode(text), words)
        if hit is not None:
            return _tcvn3(text, hit[0])
    if fold(text) in words.ask or (has_tcvn3_code(text) and fold(tcvn3_to_unicode(text)) in words.ask):
        return error(Code.NOT_ALLOWED, "ask", text=show(text), yes=YES, no=NO)
    return error(Code.NOT_ALLOWED, "yes_no", text=show(text), yes=YES, no=NO)


_yes_no_cached = lru_cache(maxsize=65536)(_yes_no)
