"""What every part of the narrative report shares: the blocks it is made of, the values read
from the data (blank, number, flag), the phrases of the period, and the :class:`Context` that
knows who is missing, late, refused or below the maximum.

No Vietnamese here: the sentences are in :mod:`pipeline.base.messages.report`, the words and
number formats in :mod:`pipeline.base.vocabulary`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.base import vocabulary as V
from pipeline.base.messages import report as R
from pipeline.outputs.narrative.data import NarrativeData, says_something

EPSILON = 1e-9
COUNTED = ("on_time", "late")
YES_WORDS = ("true", "1", "yes", V.YES.lower())  # a flag typed as text
TASK_ID_RE = re.compile(r"^PL0*(\d+)-(\S+)$")


@dataclass(frozen=True)
class Block:
    kind: str  # h1 (I. …) | h2 (1. …) | p (a paragraph or a "- " line) | note (italic)
    text: str


# --- values ------------------------------------------------------------------------------------


def blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def num(value: Any, default: float = math.nan) -> float:
    if blank(value):
        return default
    try:
        return float(value.replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return default


def integer(value: Any) -> int:
    x = num(value, 0.0)
    return round(x) if math.isfinite(x) else 0


def flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in YES_WORDS
    return False if blank(value) else bool(value)


def met_of(value: Any) -> bool | None:
    return None if blank(value) else flag(value)


def rows_of(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    return [] if frame is None or frame.empty else frame.to_dict("records")


def nfc(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value))


def text_of(value: Any) -> str:
    return "" if blank(value) else nfc(value).strip()


def name_of(rec: dict[str, Any]) -> str:
    return text_of(rec.get("unit_name")) or text_of(rec.get("unit_code")) or R.UNKNOWN_UNIT


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


NAMES_SHOWN = 20  # a list of units in a sentence names at most this many, then "và N đơn vị khác"


def names_list(names: Iterable[str], limit: int = NAMES_SHOWN) -> str:
    """Unit names in a sentence (``A, B và C``); past ``limit``, the first ones and how many more."""
    items = unique(n for n in names if n)
    if len(items) <= limit:
        return V.join_names(items)
    shown = items[:limit]
    joined = "; ".join(shown) if any("," in n for n in shown) else ", ".join(shown)
    return R.MORE_UNITS.format(names=joined, count=V.thousands(len(items) - limit))


def items_list(items: list[str], limit: int = NAMES_SHOWN) -> str:
    """Notes on units (``A (0 điểm); B (…)``), cut short like :func:`names_list`."""
    if len(items) <= limit:
        return "; ".join(items)
    return R.MORE_UNITS.format(names="; ".join(items[:limit]), count=V.thousands(len(items) - limit))


def count(count: Any) -> str:
    return V.thousands(count)


def score_text(x: float) -> str:
    return V.number(x, 2, group=True)


def task_ref(task_id: Any) -> str:
    """``PL01-1.5`` → ``mục 1.5 Phụ lục 01``; a unit's own task → "nhiệm vụ phát sinh"."""
    m = TASK_ID_RE.match(str(task_id).strip())
    if m:
        return R.TASK_REF.format(item=m.group(2), appendix=f"{int(m.group(1)):02d}")
    return R.TASK_REF_ADDED


def end_sentence(text: str) -> str:
    """A period after text that does not end with one already (a quote keeps its own)."""
    stripped = text.rstrip()
    return stripped if stripped.endswith((".", "!", "?", "…", ".»", "!»", "?»")) else stripped + "."


def with_measure(value: float, measure: str) -> str:
    """``0,5 lần/tuần``, ``15 tin bài/năm``, ``8%``."""
    shown = score_text(value)
    return f"{shown}{measure}" if measure.startswith("%") else f"{shown} {measure}".strip()


def bullet(head: str, clauses: list[str]) -> str:
    """``- head: clause; clause.``"""
    return (
        R.BULLET.format(head=head, clauses="; ".join(clauses)) if clauses else R.BULLET_BARE.format(head=head)
    )


def period_phrase(data: NarrativeData) -> str:
    """How the period reads inside a sentence: "Quý IV năm 2023", "tháng 10 năm 2023", "năm 2023"."""
    label = data.period.label
    return label if data.period.kind == "quarter" else V.lower_first(label)


def summary_line(data: NarrativeData) -> str:
    """The trích yếu under "BÁO CÁO"."""
    template = R.SUMMARY_MONTH if data.period.kind == "month" else R.SUMMARY
    return template.format(period=period_phrase(data))


def kind_label(kind: str, level: str) -> str:
    """How a kind of unit (units.csv ``kind``) reads at the start of a line."""
    text = R.KIND_LINES.get(kind, R.OTHER_KIND)
    return text.format(level=level) if text.slots else str(text)


class Context:
    """What several sections need: who is missing, late, refused, below the maximum."""

    def __init__(self, data: NarrativeData):
        self.data = data
        self.phrase = period_phrase(data)
        self.summary = summary_line(data)
        self.made_on = V.day(data.made_on)
        self.authority = data.locality.name
        self.level = data.locality.level
        subs = rows_of(data.submissions)
        self.accepted = {str(r["unit_code"]) for r in subs if r.get("status") in COUNTED}
        self.rejected = [r for r in subs if r.get("status") == "rejected"]
        refused_units = {str(r.get("unit_code") or "") for r in self.rejected}
        self.missing = [r for r in subs if r.get("status") == "missing"]
        self.missing_codes = {str(r["unit_code"]) for r in self.missing}
        self.missing_refused = {c for c in self.missing_codes if c in refused_units}
        self.late = [r for r in subs if r.get("status") == "late"]
        self.has_indicators = data.period.kind != "month"
        self.scores = rows_of(data.scores) if self.has_indicators else []
        self.below = [r for r in self.scores if num(r.get("score"), 0.0) < num(r.get("max_score")) - EPSILON]
        self.overdue = rows_of(data.overdue)
        self.unproven = rows_of(data.unproven)
        self.targets = rows_of(data.targets)  # read once: a row per unit and target
        self.unmet = [r for r in self.targets if met_of(r.get("met")) is False]
        self.difficulties = [r for r in rows_of(data.difficulties) if says_something(r.get("text"))]
        self.requests = [r for r in rows_of(data.unit_requests) if says_something(r.get("text"))]

    def score_reason(self, rec: dict[str, Any]) -> str:
        if str(rec.get("unit_code")) in self.missing_codes:
            return R.SCORE_NOT_SENT
        if not flag(rec.get("reported")):
            return R.SCORE_NOT_REPORTED
        score = num(rec.get("score"), 0.0)
        self_score = num(rec.get("self_score"))
        points = R.POINTS.format(score=score_text(score))
        if not flag(rec.get("has_evidence")) and (math.isnan(self_score) or self_score > score):
            return f"{points}, {R.SCORE_NO_EVIDENCE}"
        return points

    def no_evidence_units(self) -> list[str]:
        out = []
        for r in self.scores:
            self_score = num(r.get("self_score"))
            claimed = math.isnan(self_score) or self_score > num(r.get("score"), 0.0)
            if flag(r.get("reported")) and not flag(r.get("has_evidence")) and claimed:
                out.append(name_of(r))
        return unique(out)


def groups(rows: list[dict[str, Any]], key: str) -> list[list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(text_of(r.get(key)), []).append(r)
    return list(groups.values())
