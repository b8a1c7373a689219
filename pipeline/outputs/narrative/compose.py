"""The report's body as a list of blocks (headings and paragraphs), written from the data: the
opening, I. Tình hình báo cáo, II. Kết quả (here), III and IV (:mod:`.shortcomings`).

Pure: no layout here (see :mod:`.docx`) and no Vietnamese of its own: every sentence is a
template of :mod:`pipeline.base.messages.report`, every word and number format is in
:mod:`pipeline.base.vocabulary`. Every unit is named by its name; every task by its text and its
place in the plan ("mục 1.5 Phụ lục 01"); every figure comes from the data as given.
"""

from __future__ import annotations

import math
from typing import Any

from pipeline.base import vocabulary as V
from pipeline.base.messages import report as R
from pipeline.outputs.narrative.context import (
    Block,
    Context,
    bullet,
    count,
    integer,
    items_list,
    kind_label,
    met_of,
    name_of,
    names_list,
    num,
    period_phrase,
    rows_of,
    score_text,
    summary_line,
    task_ref,
    text_of,
    unique,
    with_measure,
)
from pipeline.outputs.narrative.data import NarrativeData, as_date
from pipeline.outputs.narrative.shortcomings import proposals, shortcomings

__all__ = ["Block", "body", "period_phrase", "summary_line"]

# --- opening and I. reporting ------------------------------------------------------------------


def opening(ctx: Context) -> list[Block]:
    plan = ctx.data.locality.report.plan
    what = R.WHAT_MONTH if ctx.data.period.kind == "month" else R.WHAT
    if plan:
        first = R.OPENING_PLAN.format(plan=plan, authority=ctx.authority, what=what, period=ctx.phrase)
    else:
        first = R.OPENING.format(authority=ctx.authority, what=what, period=ctx.phrase)
    source = R.DATA_SOURCE.format(receiver=ctx.data.receiver, made_on=ctx.made_on)
    return [Block("p", first), Block("p", source)]


def _received_line(ctx: Context, r: dict[str, Any]) -> str:
    n, got, on_time, late, missing = (
        integer(r[k]) for k in ("expected", "received", "on_time", "late", "missing")
    )
    if got == 0:
        return R.NONE_RECEIVED.format(made_on=ctx.made_on)
    head = R.RECEIVED_HEAD.format(
        made_on=ctx.made_on, ratio=V.ratio(got, n), pct=V.percent(num(r["rate_pct"], 0))
    )
    if late == 0:
        timing = R.ALL_ON_TIME
    else:
        pct = V.percent(num(r["on_time_pct"], 0))
        timing = R.SOME_LATE.format(ratio=V.ratio(on_time, n), pct=pct, late=count(late))
    tail = R.STILL_MISSING.format(missing=count(missing)) if missing else R.NONE_MISSING
    return R.RECEIVED_LINE.format(head=head, timing=timing, tail=tail)


def _kind_line(label: str, r: dict[str, Any]) -> str:
    n, got, on_time, late, missing = (
        integer(r[k]) for k in ("expected", "received", "on_time", "late", "missing")
    )
    parts = [R.KIND_SENT.format(ratio=V.ratio(got, n), pct=V.percent(num(r["rate_pct"], 0)))]
    if got:
        if late:
            parts.append(R.KIND_ON_TIME_LATE.format(on_time=count(on_time), late=count(late)))
        else:
            parts.append(R.KIND_ON_TIME.format(on_time=count(on_time)))
    if missing:
        parts.append(R.KIND_MISSING.format(missing=count(missing)))
    return R.KIND_LINE.format(label=label, parts="; ".join(parts))


def _late_detail(received: str, days: int) -> str:
    if received and days:
        return R.LATE_SENT_DAYS.format(date=received, days=count(days))
    if received:
        return R.LATE_SENT.format(date=received)
    return R.LATE_DAYS.format(days=count(days)) if days else ""


def _refused_item(sender: str | None, reason: str, resent: bool) -> str:
    """One refused file: whose it is (None: not identified), why, and whether a good one followed."""
    notes = [n for n in (reason, R.RESENT if resent else "") if n]
    who = R.REFUSED_OF.format(sender=sender) if sender else R.REFUSED_UNKNOWN
    return R.UNIT_NOTE.format(name=who, note="; ".join(notes)) if notes else who


def reporting(ctx: Context) -> list[Block]:
    data = ctx.data
    out = [Block("h1", R.H_REPORTING)]
    rates = rows_of(data.rates)
    total = next((r for r in rates if r.get("scope") == "all"), None)
    if total is None:
        out.append(Block("p", R.NO_RATES))
    else:
        line = R.EXPECTED_LINE.format(
            period=ctx.phrase, expected=count(integer(total["expected"])), deadline=V.day(data.deadline)
        )
        out.append(Block("p", line))
        out.append(Block("p", _received_line(ctx, total)))
        for r in rates:
            if r.get("scope") != "all" and integer(r.get("expected")):
                out.append(Block("p", _kind_line(kind_label(str(r["scope"]), ctx.level), r)))
    if ctx.late:
        items = []
        for r in ctx.late:
            when = as_date(r.get("received_at"))
            detail = _late_detail(V.day(when) if when else "", integer(r.get("days_late")))
            items.append(R.UNIT_NOTE.format(name=name_of(r), note=detail) if detail else name_of(r))
        out.append(Block("p", R.LATE_LINE.format(items=items_list(items))))
    if ctx.missing:
        names = [
            R.UNIT_NOTE.format(name=name_of(r), note=R.MISSING_REFUSED)
            if str(r["unit_code"]) in ctx.missing_refused
            else name_of(r)
            for r in ctx.missing
        ]
        out.append(Block("p", R.MISSING_LINE.format(names=names_list(names))))
    if ctx.rejected:
        items = []
        for r in ctx.rejected:
            code = text_of(r.get("unit_code"))
            sender = name_of(r) if code or text_of(r.get("unit_name")) else None
            items.append(_refused_item(sender, text_of(r.get("reason")), code in ctx.accepted))
        out.append(Block("p", R.REFUSED_LINE.format(count=count(len(ctx.rejected)), items="; ".join(items))))
    return out


# --- II. results -------------------------------------------------------------------------------


def indicators(ctx: Context) -> list[Block]:
    rows = rows_of(ctx.data.indicators)
    if not rows:
        return [Block("p", R.NO_INDICATORS)]
    units = unique(str(r["unit_code"]) for r in ctx.scores)
    of_units = R.INDICATORS_UNITS.format(count=count(len(units))) if units else ""
    out = [Block("p", R.INDICATORS_INTRO.format(count=count(len(rows)), units=of_units))]
    for ind in rows:
        iid = text_of(ind.get("indicator_id"))
        full, resp = integer(ind.get("full_score_units")), integer(ind.get("responsible_units"))
        mean, top = score_text(num(ind.get("mean_score"), 0.0)), score_text(num(ind.get("max_score"), 0.0))
        if resp and full == resp:
            share = R.INDICATOR_ALL_FULL.format(count=count(resp))
        else:
            share = R.INDICATOR_FULL.format(ratio=V.ratio(full, resp))
        clauses = [R.INDICATOR_MEAN.format(mean=mean, max=top), share]
        below = [r for r in ctx.below if text_of(r.get("indicator_id")) == iid]
        if below:
            items = [R.UNIT_NOTE.format(name=name_of(r), note=ctx.score_reason(r)) for r in below]
            clauses.append(R.BELOW_MAX.format(items=items_list(items)))
        head = R.INDICATOR_HEAD.format(iid=iid, name=text_of(ind.get("name")))
        out.append(Block("p", bullet(head, clauses)))
    if units:
        below_units = {str(r["unit_code"]) for r in ctx.below}
        full_units = len([u for u in units if u not in below_units])
        if full_units == len(units):
            out.append(Block("p", R.ALL_FULL_ALL.format(count=count(len(units)))))
        else:
            out.append(Block("p", R.ALL_FULL_SOME.format(ratio=V.ratio(full_units, len(units)))))
    return out


KEYS = (
    "assigned",
    "reported",
    "done",
    "done_unproven",
    "in_progress",
    "not_started",
    "not_applicable",
    "overdue",
)


def _overview(ctx: Context, t: dict[str, int], pct: float) -> str:
    parts = [R.TASKS_DONE.format(count=count(t["done"]), pct=V.percent(pct))]
    if t["done_unproven"]:
        parts.append(R.TASKS_UNPROVEN.format(count=count(t["done_unproven"])))
    parts.append(R.TASKS_IN_PROGRESS.format(count=count(t["in_progress"])))
    parts.append(R.TASKS_NOT_STARTED.format(count=count(t["not_started"])))
    if t["not_applicable"]:
        parts.append(R.TASKS_NOT_APPLICABLE.format(count=count(t["not_applicable"])))
    unreported = t["assigned"] - t["reported"]
    if unreported:
        parts.append(R.TASKS_UNREPORTED.format(count=count(unreported)))
    overdue = R.TASKS_OVERDUE.format(count=count(t["overdue"])) if t["overdue"] else R.TASKS_NONE_OVERDUE
    appendices = V.join_names(ctx.data.appendices) or R.ALL_APPENDICES
    return R.TASKS_OVERVIEW.format(
        appendices=appendices,
        assigned=count(t["assigned"]),
        reported=count(t["reported"]),
        parts="; ".join(parts),
        overdue=overdue,
    )


def _pillar_line(name: str, p: dict[str, Any]) -> str:
    due = int(p["assigned"]) - int(p["not_applicable"])
    if due <= 0:
        return R.PILLAR_NONE_DUE.format(name=name)
    parts = [R.PILLAR_DONE.format(ratio=V.ratio(p["done"], due), pct=V.percent(p["done_pct"]))]
    for key, text in (
        ("done_unproven", R.PILLAR_UNPROVEN),
        ("in_progress", R.PILLAR_IN_PROGRESS),
        ("not_started", R.PILLAR_NOT_STARTED),
    ):
        if p[key]:
            parts.append(text.format(count=count(p[key])))
    unreported = int(p["assigned"]) - int(p["reported"])
    if unreported:
        parts.append(R.PILLAR_UNREPORTED.format(count=count(unreported)))
    overdue = R.PILLAR_OVERDUE.format(count=count(p["overdue"])) if p["overdue"] else ""
    return R.PILLAR_LINE.format(name=name, parts=", ".join(parts), overdue=overdue)


def tasks(ctx: Context) -> list[Block]:
    rows = rows_of(ctx.data.pillars)
    if not rows:
        return [Block("p", R.NO_TASKS)]
    totals = {k: sum(integer(r.get(k)) for r in rows) for k in KEYS}
    due = totals["assigned"] - totals["not_applicable"]
    pct = round(100 * totals["done"] / due, 1) if due > 0 else 0.0
    out = [Block("p", _overview(ctx, totals, pct)), Block("p", R.RATE_NOTE)]
    if ctx.data.task_sources:
        out.insert(0, Block("p", R.TASKS_FROM.format(period=ctx.phrase, sources=ctx.data.task_sources)))
    for r in rows:
        counts = {k: integer(r.get(k)) for k in KEYS} | {"done_pct": num(r.get("done_pct"), 0.0)}
        out.append(Block("p", _pillar_line(text_of(r.get("pillar")), counts)))
    return out


def _twin_groups(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The rows by task, a twin group's tasks together (tasks.csv ``same_as``: one target in two
    appendices), in the order of their first row."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        key = text_of(r.get("twins")).split(" ")[0] or text_of(r.get("task_id"))
        out.setdefault(key, []).append(r)
    return list(out.values())


def targets(ctx: Context) -> list[Block]:
    rows = ctx.targets
    if not rows:
        return [Block("p", R.NO_TARGETS)]
    out = []
    for group in _twin_groups(rows):
        first = group[0]
        present = dict.fromkeys(str(r["task_id"]) for r in group)
        head = R.TARGET_HEAD.format(
            target=text_of(first.get("target")),
            ref=names_list([task_ref(t) for t in present]),
            task=text_of(first.get("task")),
        )
        # a unit that reports both twins answered once: counted once
        group = list({text_of(r.get("unit_code")) or str(id(r)): r for r in group}.values())
        measure = text_of(first.get("measure"))

        def value(r: dict[str, Any], measure: str = measure) -> str:
            answer = text_of(r.get("answer"))  # a ward's Có/Không, not its 100 or 0 %
            return answer or with_measure(num(r.get("value")), measure)

        def noted(rows: list[dict[str, Any]]) -> str:
            return items_list([R.UNIT_NOTE.format(name=name_of(r), note=value(r)) for r in rows])

        reported = [r for r in group if math.isfinite(num(r.get("value")))]
        if len(group) == 1:
            r = group[0]
            if reported:
                met = met_of(r.get("met"))
                verdict = {True: R.VERDICT_MET, False: R.VERDICT_UNMET, None: R.ANNUAL_TARGET}[met]
                clause = R.TARGET_SINGLE.format(name=name_of(r), value=value(r), verdict=verdict)
            else:
                clause = R.TARGET_SINGLE_MISSING.format(name=name_of(r))
            out.append(Block("p", bullet(head, [clause])))
            continue
        judged = [r for r in reported if met_of(r.get("met")) is not None]
        clauses = []
        if judged:
            met_count = sum(met_of(r.get("met")) is True for r in judged)
            clauses.append(R.TARGET_COUNTS.format(ratio=V.ratio(met_count, len(judged))))
        unmet = [r for r in judged if met_of(r.get("met")) is False]
        if unmet:
            clauses.append(R.TARGET_UNMET.format(items=noted(unmet)))
        pending = [r for r in reported if met_of(r.get("met")) is None]
        if pending:  # judged at the year's report: how many gave a figure, not every figure
            clauses.append(R.TARGET_PENDING.format(count=count(len(pending))))
        gave = {id(r) for r in reported}
        unreported = [name_of(r) for r in group if id(r) not in gave]
        if unreported and reported:
            clauses.append(R.TARGET_UNREPORTED.format(names=names_list(unreported)))
        elif unreported:
            clauses.append(R.TARGET_NONE_REPORTED)
        out.append(Block("p", bullet(head, clauses)))
    return out


def results(ctx: Context) -> list[Block]:
    out = [Block("h1", R.H_RESULTS)]
    parts = [(R.H_TASKS, tasks), (R.H_TARGETS, targets)]
    if ctx.has_indicators:
        parts.insert(0, (R.H_INDICATORS, indicators))
    for n, (title, section) in enumerate(parts, start=1):
        out.append(Block("h2", R.NUMBERED.format(n=n, title=title)))
        out.extend(section(ctx))
    out.append(Block("note", R.APPENDIX_NOTE.format(file=ctx.data.appendix)))
    return out


def body(data: NarrativeData) -> list[Block]:
    """The body between ``Kính gửi`` and ``Nơi nhận``, in order."""
    ctx = Context(data)
    return [*opening(ctx), *reporting(ctx), *results(ctx), *shortcomings(ctx), *proposals(ctx)]
