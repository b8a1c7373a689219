"""What the narrative report is written from: plain values and DataFrames, no pipeline types.

The run fills :class:`NarrativeData` from what merge and scoring computed (see each field's
comment for the columns); the writer never reads returns or the catalogue. Units are always
named by ``unit_name``; ``unit_code`` is only used to match rows across frames. Percentages are
0–100. Every frame may be empty, and a monthly period has no indicator frames at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from pipeline.narrative import texts as T

SUBMISSION_COLUMNS = ("unit_code", "unit_name", "kind", "status", "received_at", "days_late")
SUBMISSION_OPTIONAL = ("reason", "file")
RATE_COLUMNS = (
    "scope",
    "expected",
    "received",
    "on_time",
    "late",
    "missing",
    "rejected_files",
    "rate_pct",
    "on_time_pct",
)
INDICATOR_COLUMNS = (
    "indicator_id",
    "name",
    "responsible_units",
    "reported_units",
    "full_score_units",
    "mean_score",
    "max_score",
)
SCORE_COLUMNS = ("unit_code", "unit_name", "indicator_id", "score", "max_score", "has_evidence", "reported")
SCORE_OPTIONAL = ("self_score",)
PILLAR_COLUMNS = (
    "pillar",
    "assigned",
    "reported",
    "done",
    "in_progress",
    "not_started",
    "not_applicable",
    "overdue",
    "done_pct",
)
OVERDUE_COLUMNS = ("task_id", "task", "unit_code", "unit_name")
OVERDUE_OPTIONAL = ("due_date",)
TARGET_COLUMNS = ("task_id", "task", "unit_code", "unit_name", "value", "target", "met")
TARGET_OPTIONAL = ("measure",)
DIFFICULTY_COLUMNS = ("unit_code", "unit_name", "task_id", "task", "text")

PERIOD_KINDS = ("month", "quarter", "year")
STATUSES = ("on_time", "late", "missing", "rejected", "superseded")


@dataclass(frozen=True)
class NarrativePeriod:
    id: str  # "2023-Q4", "2023-10", "2023"
    kind: str  # month | quarter | year
    label: str  # "Quý IV năm 2023", "Tháng 10 năm 2023", "Năm 2023"
    start: date
    end: date


@dataclass(frozen=True)
class Locality:
    """Who issues the report and to whom (``schemas/locality.yaml``)."""

    code: str  # ASCII code in file names and properties: "TP_THAI_BINH"
    admin_code: str  # national administrative code: "336"
    authority: str  # running text and document author: "UBND thành phố Thái Bình"
    # the issuing body, upper case, one item a line: ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ THÁI BÌNH")
    header: tuple[str, ...]
    place: str  # the date line's place name: "Thái Bình"
    recipient: str  # Kính gửi: "Sở Thông tin và Truyền thông tỉnh Thái Bình"
    receiver: str  # the office that compiles the returns: "Phòng Văn hóa và Thông tin"
    superior: str = ""  # the governing body printed above the issuing body (none for a UBND)
    level: str = T.DEFAULT_LEVEL  # the kind of locality, as in "hướng dẫn, hỗ trợ thành phố"
    copies: tuple[str, ...] = ()  # Nơi nhận between "Như trên" and "Lưu"
    archive: str = T.DEFAULT_ARCHIVE  # after "Lưu: ": "VT, VHTT"
    symbol: str = "BC-UBND"  # after "Số: …/"
    signer_authority: str = T.DEFAULT_SIGNER_AUTHORITY  # "KT. CHỦ TỊCH"; "" when the head signs
    signer_title: str = T.DEFAULT_SIGNER_TITLE  # "PHÓ CHỦ TỊCH"
    signer_name: str = ""  # "": a dotted blank for the office
    plan: str = ""  # the plan the report answers, cited in its first sentence ("Kế hoạch số …")


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass(frozen=True, eq=False)
class NarrativeData:
    """Everything the narrative report says (contract §7, ``BaoCao_DTI_<code>_<period>.docx``)."""

    period: NarrativePeriod
    deadline: date  # the returns' deadline (inclusive)
    made_on: date  # the data's cut-off and the document's date (properties, date line's year)
    locality: Locality
    sample: bool = False  # demo returns: every page says DỮ LIỆU MẪU – KHÔNG GỬI
    # one row per file found and per expected unit without an accepted file: unit_code ("" when
    # the file was not identified), unit_name, kind (department|agency|ward|commune), status
    # (on_time|late|missing|rejected|superseded), received_at (date/ISO text, blank if missing),
    # days_late (blank unless late); optional: reason (Vietnamese, why a file was refused), file
    submissions: pd.DataFrame = field(default_factory=lambda: _empty(SUBMISSION_COLUMNS))
    # one row per unit kind of the expected units, then scope "all": expected, received,
    # on_time, late, missing, rejected_files, rate_pct, on_time_pct
    rates: pd.DataFrame = field(default_factory=lambda: _empty(RATE_COLUMNS))
    # Phụ lục 04, one row per indicator of the period (empty for a month): indicator_id, name,
    # responsible_units, reported_units, full_score_units (counts), mean_score, max_score
    indicators: pd.DataFrame = field(default_factory=lambda: _empty(INDICATOR_COLUMNS))
    # one row per responsible unit and indicator: unit_code, unit_name, indicator_id, score
    # (counted), max_score, has_evidence, reported (False: no valid input); optional self_score
    scores: pd.DataFrame = field(default_factory=lambda: _empty(SCORE_COLUMNS))
    # task completion per pillar, in order: pillar (its Vietnamese name, "Nhận thức số"),
    # assigned, reported, done, in_progress, not_started, not_applicable, overdue, done_pct
    pillars: pd.DataFrame = field(default_factory=lambda: _empty(PILLAR_COLUMNS))
    # one row per overdue task and unit: task_id, task (its text), unit_code, unit_name;
    # optional due_date
    overdue: pd.DataFrame = field(default_factory=lambda: _empty(OVERDUE_COLUMNS))
    # one row per task with a numeric target and unit that owes it: task_id, task, unit_code,
    # unit_name, value (blank: not reported), target (the plan's Ghi chú, "Tần suất phát sóng từ
    # 1 tuần/1 lần"), met (True/False; None: not judged this period); optional measure ("lần/tuần")
    targets: pd.DataFrame = field(default_factory=lambda: _empty(TARGET_COLUMNS))
    # the units' "Khó khăn, vướng mắc", verbatim: unit_code, unit_name, task_id, task, text
    difficulties: pd.DataFrame = field(default_factory=lambda: _empty(DIFFICULTY_COLUMNS))
    # requests and proposals (same columns); None: picked from ``difficulties`` (pick_requests)
    requests: pd.DataFrame | None = None
    appendix_file: str = ""  # the province workbook; "": BaoCao_DTI_<code>_<period>.xlsx

    def __post_init__(self) -> None:
        if self.period.kind not in PERIOD_KINDS:
            raise ValueError(f"period.kind '{self.period.kind}': use one of {PERIOD_KINDS}")
        for name, columns in (
            ("submissions", SUBMISSION_COLUMNS),
            ("rates", RATE_COLUMNS),
            ("indicators", INDICATOR_COLUMNS),
            ("scores", SCORE_COLUMNS),
            ("pillars", PILLAR_COLUMNS),
            ("overdue", OVERDUE_COLUMNS),
            ("targets", TARGET_COLUMNS),
            ("difficulties", DIFFICULTY_COLUMNS),
            ("requests", DIFFICULTY_COLUMNS),
        ):
            frame = getattr(self, name)
            if frame is None or frame.empty:
                continue
            lacking = [c for c in columns if c not in frame.columns]
            if lacking:
                raise ValueError(f"NarrativeData.{name} lacks columns {lacking}")

    @property
    def appendix(self) -> str:
        return self.appendix_file or f"BaoCao_DTI_{self.locality.code}_{self.period.id}.xlsx"

    @property
    def file_name(self) -> str:
        return narrative_filename(self.locality.code, self.period.id)

    @property
    def unit_requests(self) -> pd.DataFrame:
        return pick_requests(self.difficulties) if self.requests is None else self.requests


def narrative_filename(code: str, period_id: str) -> str:
    return f"BaoCao_DTI_{code}_{period_id}.docx"


# --- the units' own words -----------------------------------------------------------------------

_FOLD_PUNCT = re.compile(r"[\s.,;:!?…\-–—()\"'«»]+")
# a sentence ends at . ! ? ; or a line break followed by a space or the end (not inside "1.000")
_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+|\n+")
_REQUEST = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(w) for w in T.REQUEST_WORDS) + r")(?!\w)", re.IGNORECASE
)


def _fold(text: str) -> str:
    return _FOLD_PUNCT.sub(" ", unicodedata.normalize("NFC", text).lower()).strip()


def says_something(text: Any) -> bool:
    """False for a blank cell or a cell that only says "none" ("Không", "Không có khó khăn", "-")."""
    if not isinstance(text, str) or not text.strip():
        return False
    folded = _fold(text)
    return bool(folded) and folded not in {_fold(p) or p for p in T.NOTHING_TO_REPORT}


def request_sentences(text: str) -> list[str]:
    """The sentences of a text that ask for something (:data:`texts.REQUEST_WORDS`), verbatim."""
    sentences = [s.strip() for s in _SENTENCE_END.split(unicodedata.normalize("NFC", text))]
    return [s for s in sentences if s and _REQUEST.search(s)]


def pick_requests(difficulties: pd.DataFrame) -> pd.DataFrame:
    """Requests and proposals from the units' difficulties: every sentence with a request word.

    One row per unit and distinct sentence (the same sentence typed under several tasks is
    kept once, under its first task), in the order of ``difficulties``.
    """
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    if difficulties.empty:
        return _empty(DIFFICULTY_COLUMNS)
    for rec in difficulties.to_dict("records"):
        text = rec.get("text")
        if not says_something(text):
            continue
        for sentence in request_sentences(str(text)):
            key = (str(rec.get("unit_code", "")), sentence)
            if key in seen:
                continue
            seen.add(key)
            rows.append({**{c: rec.get(c) for c in DIFFICULTY_COLUMNS}, "text": sentence})
    if not rows:
        return _empty(DIFFICULTY_COLUMNS)
    return pd.DataFrame(rows, columns=list(DIFFICULTY_COLUMNS))
