"""III. Tồn tại, hạn chế and IV. Đề xuất, kiến nghị: what is missing, late, overdue, unproven or
below the maximum, the units' difficulties quoted with their names, and what they asked for."""

from __future__ import annotations

from typing import Any

from pipeline.base import vocabulary as V
from pipeline.base.messages import report as R
from pipeline.outputs.narrative.context import (
    Block,
    Context,
    count,
    end_sentence,
    groups,
    items_list,
    name_of,
    names_list,
    nfc,
    task_ref,
    text_of,
    unique,
)
from pipeline.outputs.narrative.data import as_date

# --- III. shortcomings and IV. proposals -------------------------------------------------------


def _names_of(rows: list[dict[str, Any]]) -> str:
    return names_list(name_of(r) for r in rows)


def _overdue_lines(ctx: Context) -> list[str]:
    lines = [R.OVERDUE_HEAD.format(count=count(len(ctx.overdue)))]
    for group in groups(ctx.overdue, "task_id"):
        first = group[0]
        due = as_date(first.get("due_date"))
        lines.append(
            R.OVERDUE_ITEM.format(
                task=text_of(first.get("task")),
                ref=task_ref(first["task_id"]),
                due=R.OVERDUE_DUE.format(date=V.day(due)) if due else "",
                names=_names_of(group),
            )
        )
    return lines


def _score_lines(ctx: Context) -> list[str]:
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for r in ctx.below:
        by_unit.setdefault(str(r["unit_code"]), []).append(r)
    items = [
        R.LOW_SCORE_ITEM.format(name=name_of(rs[0]), ids=", ".join(text_of(r["indicator_id"]) for r in rs))
        for rs in by_unit.values()
    ]
    lines = [R.LOW_SCORES.format(count=count(len(items)), items=items_list(items))]
    unproven = ctx.no_evidence_units()
    if unproven:
        lines.append(R.NO_EVIDENCE.format(count=count(len(unproven)), names=names_list(unproven)))
    return lines


def shortcomings(ctx: Context) -> list[Block]:
    out = [Block("h1", R.H_SHORTCOMINGS)]
    lines: list[str] = []
    if ctx.missing:
        lines.append(R.MISSING_SHORT.format(count=count(len(ctx.missing)), names=_names_of(ctx.missing)))
    if ctx.late:
        lines.append(R.LATE_SHORT.format(count=count(len(ctx.late)), names=_names_of(ctx.late)))
    if ctx.rejected:
        lines.append(R.REFUSED_SHORT.format(count=count(len(ctx.rejected))))
    if ctx.overdue:
        lines += _overdue_lines(ctx)
    if ctx.unproven:
        items = [
            R.UNIT_NOTE.format(name=task_ref(g[0]["task_id"]), note=_names_of(g))
            for g in groups(ctx.unproven, "task_id")
        ]
        lines.append(R.UNPROVEN_SHORT.format(count=count(len(ctx.unproven)), items=items_list(items)))
    if ctx.below:
        lines += _score_lines(ctx)
    if ctx.unmet:
        items = [
            R.UNIT_NOTE.format(name=V.lower_first(text_of(g[0].get("target"))), note=_names_of(g))
            for g in groups(ctx.unmet, "task_id")
        ]
        lines.append(R.UNMET_TARGETS.format(items=items_list(items)))
    out.extend(Block("p", line) for line in lines or [R.NO_SHORTCOMINGS])
    out.extend(_difficulties(ctx))
    return out


def _difficulties(ctx: Context) -> list[Block]:
    if not ctx.difficulties:
        return [Block("p", R.NO_DIFFICULTIES)]
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in ctx.difficulties:
        grouped.setdefault((name_of(r), nfc(r["text"]).strip()), []).append(r)
    out = [Block("p", R.DIFFICULTIES_HEAD)]
    for (name, text), rows in grouped.items():
        refs = unique(task_ref(r["task_id"]) for r in rows)
        if len(refs) == 1:
            about = R.ABOUT_TASK.format(task=text_of(rows[0].get("task")))
        else:
            about = R.ABOUT_TASKS.format(refs=V.join_names(refs))
        out.append(Block("p", R.DIFFICULTY_ITEM.format(name=name, text=text, about=about)))
    return out


def proposals(ctx: Context) -> list[Block]:
    form = ctx.data.locality.report
    title = R.H_CITY_PROPOSALS.format(authority=ctx.authority)
    out = [Block("h1", R.H_PROPOSALS), Block("h2", R.NUMBERED.format(n=1, title=R.H_UNIT_REQUESTS))]
    if ctx.requests:
        out.append(Block("p", R.REQUESTS_INTRO))
        seen = unique(f"{name_of(r)}\x00{nfc(r['text']).strip()}" for r in ctx.requests)
        for key in seen:
            name, text = key.split("\x00", 1)
            out.append(Block("p", end_sentence(R.REQUEST_ITEM.format(name=name, text=text))))
    else:
        out.append(Block("p", R.NO_REQUESTS))
    out.append(Block("h2", R.NUMBERED.format(n=2, title=title)))
    out.append(Block("p", R.PROPOSALS_INTRO.format(recipient=form.recipient)))
    out.append(Block("p", R.PROPOSAL_GUIDANCE.format(level=ctx.level)))
    if ctx.requests:
        out += [Block("p", f"{R.PROPOSAL_TRAINING};"), Block("p", R.PROPOSAL_REQUESTS)]
    else:
        out.append(Block("p", f"{R.PROPOSAL_TRAINING}."))
    lagging = bool(ctx.missing or ctx.late or ctx.overdue or ctx.unmet)
    behind = R.FOLLOW_UP_LAGGING.format(receiver=ctx.data.receiver) if lagging else ""
    out.append(Block("p", R.FOLLOW_UP.format(authority=ctx.authority, lagging=behind)))
    closing = R.CLOSING.format(
        summary=V.lower_first(ctx.summary), authority=ctx.authority, recipient=form.recipient
    )
    out.append(Block("p", closing))
    return out
