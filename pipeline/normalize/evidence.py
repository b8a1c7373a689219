"""Evidence (``Minh chứng``) read for what it says: a placeholder is not evidence; document
references and links are recognised.

A placeholder (``x``, ``-``, ``có``, ``ok``, ``rồi``, ``đã có``, a bare number or date) says that
something exists without saying what it is. The words are data (``schemas/vocabulary.yaml``,
``evidence_placeholders``), passed in as :class:`Placeholders`. A document reference is written
the way Nghị định 30/2020/NĐ-CP numbers documents: ``Quyết định số 12/QĐ-UBND ngày 05/10/2023``
(number 12, kind QĐ, issuer UBND, date), ``Thông tư số 12/2022/TT-BTTTT``, a công văn's
``2342/UBND-VHTT`` (no kind: the issuer and its office).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.base.text import fold
from pipeline.base.vocabulary import DOCUMENT_KINDS
from pipeline.normalize.dates import parse_date

# A bare number (``12``, ``1.000``, ``10%``), date (``05/10/2023``) or time (``12:30``).
_BARE = re.compile(
    r"^(?:[+-]?\d+(?:[.,]\d+)*\s*%?|\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?)$"
)
# number / [year /] symbol: the symbol's parts are letters and digits, each starting upper-case
# (checked after the match: QĐ-UBND, TT-BTTTT, QĐ-TTg)
_SYMBOL = re.compile(r"(?<![\w/])(\d{1,6})\s*/\s*(?:(\d{4})\s*/\s*)?([^\W\d_]\w*(?:\s*-\s*[^\W\d_]\w*)*)")
# the date right after a symbol, matched on the folded text: "ngày 05/10/2023" folds to
# "ngay 05 10 2023", "ngày 5 tháng 10 năm 2023" to "ngay 5 thang 10 nam 2023"
_DATE_AFTER = re.compile(r"^(?:ngay\s+)?(\d{1,2})\s+(?:thang\s+)?(\d{1,2})\s+(?:nam\s+)?(\d{4})\b")
_ANY_DATE = re.compile(r"\b\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}\b")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]+", re.IGNORECASE)
_URL_TAIL = ".,;:)]}»"
_KINDS_FOLDED = {kind.casefold(): kind for kind in DOCUMENT_KINDS}  # qđ → QĐ, ctr → CTr


@dataclass(frozen=True, slots=True)
class Placeholders:
    """What a unit writes in ``Minh chứng`` that is not evidence: the words as written (for the
    template's formulas) and folded (case, diacritics and punctuation ignored)."""

    words: tuple[str, ...]
    folded: frozenset[str]

    @classmethod
    def of(cls, words: Iterable[str]) -> Placeholders:
        words = tuple(dict.fromkeys(w for w in words if w.strip()))
        return cls(words, frozenset(fold(w) for w in words))


def is_placeholder(value: object, placeholders: Placeholders) -> bool:
    """True when the evidence says nothing: only punctuation, a placeholder word, a bare number
    or a bare date. An empty cell is not a placeholder (it is missing evidence)."""
    if value is None:
        return False
    if isinstance(value, bool | int | float | dt.date):
        return True
    text = str(value).strip()
    if not text:
        return False
    key = fold(text)
    return not key or key in placeholders.folded or bool(_BARE.match(text))


@dataclass(frozen=True, slots=True)
class DocRef:
    """One document reference: ``12/QĐ-UBND`` (number 12, kind QĐ, issuer UBND) of a date."""

    number: str
    year: str  # the year inside the symbol (``12/2022/TT-BTTTT``), else ""
    kind: str  # the kind's abbreviation (``QĐ``, ``KH``), "" for a công văn
    issuer: str  # ``UBND``, ``UBND-VHTT``, ``BTTTT``
    date: dt.date | None

    @property
    def symbol(self) -> str:
        """Số và ký hiệu: ``12/QĐ-UBND``, ``12/2022/TT-BTTTT``."""
        middle = f"{self.year}/" if self.year else ""
        kind = f"{self.kind}-" if self.kind and self.issuer else self.kind
        return f"{self.number}/{middle}{kind}{self.issuer}"

    @property
    def kind_name(self) -> str:
        """The kind in words: ``Quyết định``; "" for a công văn."""
        return DOCUMENT_KINDS.get(self.kind, "")


@dataclass(frozen=True, slots=True)
class Evidence:
    """What an evidence text refers to: documents, links, and the dates it names."""

    docs: tuple[DocRef, ...] = ()
    urls: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()

    @property
    def doc_text(self) -> str:
        """The documents' numbers and symbols, ``; ``-separated (``evidence_doc``)."""
        return "; ".join(d.symbol for d in self.docs)

    @property
    def date(self) -> dt.date | None:
        """The first document's date, else the first date named (``evidence_date``)."""
        dated = [d.date for d in self.docs if d.date is not None]
        return dated[0] if dated else (self.dates[0] if self.dates else None)

    @property
    def url_text(self) -> str:
        """The links, space-separated (``evidence_url``)."""
        return " ".join(self.urls)


def _date(text: str) -> dt.date | None:
    parsed = parse_date(text)
    return parsed.value if parsed.ok and isinstance(parsed.value, dt.date) else None


def _doc(match: re.Match[str], text: str) -> DocRef | None:
    number, year, tail = match.group(1), match.group(2) or "", re.sub(r"\s*-\s*", "-", match.group(3))
    parts = tail.split("-")
    if not any(p[:1].isupper() for p in parts):  # typed in lower case: «12/qđ-ubnd»
        kind = _KINDS_FOLDED.get(parts[0].casefold()) if len(parts) > 1 else None
        if kind is None:  # not a kind of document: a date or a word («5/tháng»), not a symbol
            return None
        parts = [kind, *(p.upper() for p in parts[1:])]
    while parts and not parts[-1][:1].isupper():  # a word after the symbol, not a part of it
        parts.pop()
    if not parts or not all(p[:1].isupper() for p in parts):
        return None
    tail = "-".join(parts)
    kind = parts[0] if parts[0] in DOCUMENT_KINDS and len(parts) > 1 else ""
    issuer = "-".join(parts[1:]) if kind else tail
    after = _DATE_AFTER.match(fold(text[match.end() : match.end() + 40]))
    day = _date_of(*after.groups()) if after else None
    return DocRef(number, year, kind, issuer, day)


def _date_of(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


@lru_cache(maxsize=1 << 15)
def parse_evidence(text: str | None) -> Evidence:
    """The documents (``Quyết định số 12/QĐ-UBND ngày 05/10/2023``), links (``https://…``,
    ``www.…``) and dates an evidence text names; an empty :class:`Evidence` for anything else.
    The dates apart from the documents' are looked for only when no document has one."""
    if not text or not (any(ch.isdigit() for ch in text) or "www" in text or "://" in text):
        return Evidence()
    urls = tuple(u.rstrip(_URL_TAIL) for u in _URL.findall(text)) if ("www" in text or "://" in text) else ()
    bare = _URL.sub(" ", text) if urls else text
    docs = tuple(doc for m in _SYMBOL.finditer(bare) if (doc := _doc(m, bare)) is not None)
    if any(d.date is not None for d in docs):
        return Evidence(docs, urls, ())
    dates = tuple(day for m in _ANY_DATE.finditer(bare) if (day := _date(m.group(0))) is not None)
    return Evidence(docs, urls, dates)
