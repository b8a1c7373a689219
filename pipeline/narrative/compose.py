"""The report's body as a list of blocks (headings and paragraphs), written from the data.

Pure: no layout here (see :mod:`pipeline.narrative.docx`) and no Vietnamese of its own (see
:mod:`pipeline.narrative.texts`). Every unit is named by its name; every task by its text
and its place in the plan ("mục 1.5 Phụ lục 01"); every figure comes from the data as given.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.narrative import texts as T
from pipeline.narrative.data import NarrativeData, says_something

EPSILON = 1e-9
COUNTED = ("on_time", "late")


@dataclass(frozen=True)
class Block:
    kind: str  # h1 (I. …) | h2 (1. …) | p (a paragraph or a "- " line) | note (italic)
    text: str


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _num(value: Any, default: float = math.nan) -> float:
    if _blank(value):
        return default
    try:
        return float(value.replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return default


def _int(value: Any) -> int:
    x = _num(value, 0.0)
    return round(x) if math.isfinite(x) else 0


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in T.YES_WORDS
    return False if _blank(value) else bool(value)


def _met(value: Any) -> bool | None:
    return None if _blank(value) else _flag(value)


def _rows(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    return [] if frame is None or frame.empty else frame.to_dict("records")


def _text(value: Any) -> str:
    return "" if _blank(value) else T.nfc(value).strip()


def _name(rec: dict[str, Any]) -> str:
    return _text(rec.get("unit_name")) or _text(rec.get("unit_code")) or T.UNKNOWN_UNIT


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


class _Context:
    """What several sections need: who is missing, late, refused, below the maximum."""

    def __init__(self, data: NarrativeData):
        self.data = data
        loc = data.locality
        self.phrase = T.period_phrase(data.period.kind, data.period.label)
        self.summary = T.summary_line(data.period.kind, data.period.label)
        self.made_on = T.vn_date(data.made_on)
        self.authority = loc.authority
        subs = _rows(data.submissions)
        self.accepted = {str(r["unit_code"]) for r in subs if r.get("status") in COUNTED}
        self.rejected = [r for r in subs if r.get("status") == "rejected"]
        refused_units = {str(r.get("unit_code") or "") for r in self.rejected}
        self.missing = [r for r in subs if r.get("status") == "missing"]
        self.missing_codes = {str(r["unit_code"]) for r in self.missing}
        self.missing_refused = {c for c in self.missing_codes if c in refused_units}
        self.late = [r for r in subs if r.get("status") == "late"]
        self.has_indicators = data.period.kind != "month"
        self.scores = _rows(data.scores) if self.has_indicators else []
        self.below = [
            r for r in self.scores if _num(r.get("score"), 0.0) < _num(r.get("max_score")) - EPSILON
        ]
        self.overdue = _rows(data.overdue)
        self.unmet = [r for r in _rows(data.targets) if _met(r.get("met")) is False]
        self.difficulties = [r for r in _rows(data.difficulties) if says_something(r.get("text"))]
        self.requests = [r for r in _rows(data.unit_requests) if says_something(r.get("text"))]

    def score_reason(self, rec: dict[str, Any]) -> str:
        if str(rec.get("unit_code")) in self.missing_codes:
            return T.SCORE_NOT_SENT
        if not _flag(rec.get("reported")):
            return T.SCORE_NOT_REPORTED
        score = _num(rec.get("score"), 0.0)
        self_score = _num(rec.get("self_score"))
        if not _flag(rec.get("has_evidence")) and (math.isnan(self_score) or self_score > score):
            return f"{T.POINTS.format(score=T.vn_num(score))}, {T.SCORE_NO_EVIDENCE}"
        return T.POINTS.format(score=T.vn_num(score))

    def no_evidence_units(self) -> list[str]:
        out = []
        for r in self.scores:
            self_score = _num(r.get("self_score"))
            claimed = math.isnan(self_score) or self_score > _num(r.get("score"), 0.0)
            if _flag(r.get("reported")) and not _flag(r.get("has_evidence")) and claimed:
                out.append(_name(r))
        return _unique(out)


# --- sections -------------------------------------------------------------------------------


def opening(ctx: _Context) -> list[Block]:
    loc = ctx.data.locality
    out = [Block("p", T.opening(loc.plan, ctx.authority, ctx.data.period.kind, ctx.phrase))]
    out.append(Block("p", T.data_source(loc.receiver, ctx.made_on)))
    return out


def reporting(ctx: _Context) -> list[Block]:
    data = ctx.data
    out = [Block("h1", T.H_REPORTING)]
    rates = _rows(data.rates)
    total = next((r for r in rates if r.get("scope") == "all"), None)
    if total is None:
        out.append(Block("p", T.NO_RATES))
    else:
        out.append(Block("p", T.expected_line(ctx.phrase, _int(total["expected"]), T.vn_date(data.deadline))))
        out.append(Block("p", T.received_line(ctx.made_on, total)))
        for r in rates:
            if r.get("scope") != "all" and _int(r.get("expected")):
                out.append(Block("p", T.kind_line(T.kind_label(str(r["scope"]), data.locality.level), r)))
    if ctx.late:
        items = []
        for r in ctx.late:
            when = T.as_date(r.get("received_at"))
            detail = T.late_detail(T.vn_date(when) if when else "", _int(r.get("days_late")) or None)
            items.append(f"{_name(r)} ({detail})" if detail else _name(r))
        out.append(Block("p", T.LATE_LINE.format(items="; ".join(items))))
    if ctx.missing:
        names = [
            f"{_name(r)} ({T.MISSING_REFUSED})" if str(r["unit_code"]) in ctx.missing_refused else _name(r)
            for r in ctx.missing
        ]
        out.append(Block("p", T.MISSING_LINE.format(names=T.join_names(names))))
    if ctx.rejected:
        items = []
        for r in ctx.rejected:
            code = _text(r.get("unit_code"))
            sender = _name(r) if code or _text(r.get("unit_name")) else None
            items.append(T.refused_item(sender, _text(r.get("reason")), code in ctx.accepted))
        line = T.REFUSED_LINE.format(count=T.vn_int(len(ctx.rejected)), items="; ".join(items))
        out.append(Block("p", line))
    return out


def indicators(ctx: _Context) -> list[Block]:
    data = ctx.data
    rows = _rows(data.indicators)
    if not rows:
        return [Block("p", T.NO_INDICATORS)]
    units = _unique(str(r["unit_code"]) for r in ctx.scores)
    out = [Block("p", T.indicators_intro(len(rows), len(units)))]
    for ind in rows:
        iid = _text(ind.get("indicator_id"))
        full, resp = _int(ind.get("full_score_units")), _int(ind.get("responsible_units"))
        mean, top = T.vn_num(_num(ind.get("mean_score"), 0.0)), T.vn_num(_num(ind.get("max_score"), 0.0))
        clauses = [T.INDICATOR_MEAN.format(mean=mean, max=top), T.indicator_full(full, resp)]
        below = [r for r in ctx.below if _text(r.get("indicator_id")) == iid]
        if below:
            items = [T.UNIT_NOTE.format(name=_name(r), note=ctx.score_reason(r)) for r in below]
            clauses.append(T.BELOW_MAX.format(items="; ".join(items)))
        head = T.INDICATOR_HEAD.format(iid=iid, name=_text(ind.get("name")))
        out.append(Block("p", T.bullet(head, clauses)))
    if units:
        below_units = {str(r["unit_code"]) for r in ctx.below}
        out.append(Block("p", T.all_full_line(len([u for u in units if u not in below_units]), len(units))))
    return out


def tasks(ctx: _Context) -> list[Block]:
    rows = _rows(ctx.data.pillars)
    if not rows:
        return [Block("p", T.NO_TASKS)]
    keys = ("assigned", "reported", "done", "in_progress", "not_started", "not_applicable", "overdue")
    totals = {k: sum(_int(r.get(k)) for r in rows) for k in keys}
    due = totals["assigned"] - totals["not_applicable"]
    pct = round(100 * totals["done"] / due, 1) if due > 0 else 0.0
    out = [Block("p", T.tasks_overview(totals, pct)), Block("p", T.RATE_NOTE)]
    for r in rows:
        counts = {k: _int(r.get(k)) for k in keys} | {"done_pct": _num(r.get("done_pct"), 0.0)}
        out.append(Block("p", T.pillar_line(_text(r.get("pillar")), counts)))
    return out


def _groups(rows: list[dict[str, Any]], key: str) -> list[list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(_text(r.get(key)), []).append(r)
    return list(groups.values())


def targets(ctx: _Context) -> list[Block]:
    rows = _rows(ctx.data.targets)
    if not rows:
        return [Block("p", T.NO_TARGETS)]
    out = []
    for group in _groups(rows, "task_id"):
        first = group[0]
        head = T.TARGET_HEAD.format(
            target=_text(first.get("target")), ref=T.task_ref(first["task_id"]), task=_text(first.get("task"))
        )
        measure = _text(first.get("measure"))

        def value(r: dict[str, Any], measure: str = measure) -> str:
            return T.with_measure(_num(r.get("value")), measure)

        def noted(rows: list[dict[str, Any]]) -> str:
            return "; ".join(T.UNIT_NOTE.format(name=_name(r), note=value(r)) for r in rows)

        reported = [r for r in group if math.isfinite(_num(r.get("value")))]
        if len(group) == 1:
            r = group[0]
            if reported:
                clause = T.target_single(_name(r), value(r), _met(r.get("met")))
            else:
                clause = T.TARGET_SINGLE_MISSING.format(name=_name(r))
            out.append(Block("p", T.bullet(head, [clause])))
            continue
        judged = [r for r in reported if _met(r.get("met")) is not None]
        clauses = []
        if judged:
            met = sum(_met(r.get("met")) is True for r in judged)
            clauses.append(T.TARGET_COUNTS.format(ratio=T.ratio(met, len(judged))))
        unmet = [r for r in judged if _met(r.get("met")) is False]
        if unmet:
            clauses.append(T.TARGET_UNMET.format(items=noted(unmet)))
        pending = [r for r in reported if _met(r.get("met")) is None]
        if pending:
            clauses.append(T.TARGET_PENDING.format(items=noted(pending)))
        unreported = [_name(r) for r in group if r not in reported]
        if unreported and reported:
            clauses.append(T.TARGET_UNREPORTED.format(names=T.join_names(unreported)))
        elif unreported:
            clauses.append(T.TARGET_NONE_REPORTED)
        out.append(Block("p", T.bullet(head, clauses)))
    return out


def results(ctx: _Context) -> list[Block]:
    out = [Block("h1", T.H_RESULTS)]
    parts = [(T.H_TASKS, tasks), (T.H_TARGETS, targets)]
    if ctx.has_indicators:
        parts.insert(0, (T.H_INDICATORS, indicators))
    for n, (title, section) in enumerate(parts, start=1):
        out.append(Block("h2", T.NUMBERED.format(n=n, title=title)))
        out.extend(section(ctx))
    out.append(Block("note", T.appendix_note(ctx.data.appendix)))
    return out


def _count(items: list[Any]) -> str:
    return T.vn_int(len(items))


def shortcomings(ctx: _Context) -> list[Block]:
    out = [Block("h1", T.H_SHORTCOMINGS)]
    lines: list[str] = []
    if ctx.missing:
        names = T.join_names(_name(r) for r in ctx.missing)
        lines.append(T.MISSING_SHORT.format(count=_count(ctx.missing), names=names))
    if ctx.late:
        lines.append(
            T.LATE_SHORT.format(count=_count(ctx.late), names=T.join_names(_name(r) for r in ctx.late))
        )
    if ctx.rejected:
        lines.append(T.REFUSED_SHORT.format(count=_count(ctx.rejected)))
    if ctx.overdue:
        lines.append(T.OVERDUE_HEAD.format(count=_count(ctx.overdue)))
        for group in _groups(ctx.overdue, "task_id"):
            first = group[0]
            due = T.as_date(first.get("due_date"))
            item = T.OVERDUE_ITEM.format(
                task=_text(first.get("task")),
                ref=T.task_ref(first["task_id"]),
                due=T.OVERDUE_DUE.format(date=T.vn_date(due)) if due else "",
                names=T.join_names(_unique(_name(r) for r in group)),
            )
            lines.append(item)
    if ctx.below:
        by_unit: dict[str, list[dict[str, Any]]] = {}
        for r in ctx.below:
            by_unit.setdefault(str(r["unit_code"]), []).append(r)
        items = [
            T.LOW_SCORE_ITEM.format(name=_name(rs[0]), ids=", ".join(_text(r["indicator_id"]) for r in rs))
            for rs in by_unit.values()
        ]
        lines.append(T.LOW_SCORES.format(count=_count(items), items="; ".join(items)))
        unproven = ctx.no_evidence_units()
        if unproven:
            lines.append(T.NO_EVIDENCE.format(count=_count(unproven), names=T.join_names(unproven)))
    if ctx.unmet:
        items = [
            T.UNIT_NOTE.format(
                name=T.lower_first(_text(g[0].get("target"))), note=T.join_names(_unique(_name(r) for r in g))
            )
            for g in _groups(ctx.unmet, "task_id")
        ]
        lines.append(T.UNMET_TARGETS.format(items="; ".join(items)))
    out.extend(Block("p", line) for line in lines or [T.NO_SHORTCOMINGS])
    out.extend(_difficulties(ctx))
    return out


def _difficulties(ctx: _Context) -> list[Block]:
    if not ctx.difficulties:
        return [Block("p", T.NO_DIFFICULTIES)]
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in ctx.difficulties:
        grouped.setdefault((_name(r), T.nfc(r["text"]).strip()), []).append(r)
    out = [Block("p", T.DIFFICULTIES_HEAD)]
    for (name, text), rows in grouped.items():
        refs = _unique(T.task_ref(r["task_id"]) for r in rows)
        if len(refs) == 1:
            about = T.ABOUT_TASK.format(task=_text(rows[0].get("task")))
        else:
            about = T.ABOUT_TASKS.format(refs=T.join_names(refs))
        out.append(Block("p", T.DIFFICULTY_ITEM.format(name=name, text=text, about=about)))
    return out


def proposals(ctx: _Context) -> list[Block]:
    loc = ctx.data.locality
    out = [Block("h1", T.H_PROPOSALS), Block("h2", T.NUMBERED.format(n=1, title=T.H_UNIT_REQUESTS))]
    if ctx.requests:
        out.append(Block("p", T.REQUESTS_INTRO))
        seen = _unique(f"{_name(r)}\x00{T.nfc(r['text']).strip()}" for r in ctx.requests)
        for key in seen:
            name, text = key.split("\x00", 1)
            out.append(Block("p", T.end_sentence(T.REQUEST_ITEM.format(name=name, text=text))))
    else:
        out.append(Block("p", T.NO_REQUESTS))
    out.append(Block("h2", T.NUMBERED.format(n=2, title=T.H_CITY_PROPOSALS.format(authority=ctx.authority))))
    out.append(Block("p", T.PROPOSALS_INTRO.format(recipient=loc.recipient)))
    out.extend(Block("p", line) for line in T.standard_proposals(loc.level, bool(ctx.requests)))
    lagging = bool(ctx.missing or ctx.late or ctx.overdue or ctx.unmet)
    out.append(Block("p", T.follow_up(ctx.authority, loc.receiver, lagging)))
    out.append(Block("p", T.closing(ctx.summary, ctx.authority, loc.recipient)))
    return out


def body(data: NarrativeData) -> list[Block]:
    """The body between ``Kính gửi`` and ``Nơi nhận``, in order."""
    ctx = _Context(data)
    return [*opening(ctx), *reporting(ctx), *results(ctx), *shortcomings(ctx), *proposals(ctx)]
