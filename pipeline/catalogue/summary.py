"""What ``dti catalogue check`` prints about a valid catalogue: the locality, counts per
appendix and pillar, units per task, tasks per unit, the indicators and the source anomalies."""

from __future__ import annotations

import pandas as pd

from pipeline.base.messages import texts as T
from pipeline.catalogue.model import Catalogue, parse_target
from pipeline.catalogue.rows import LEVELS, note_kind, target_level


def summary_lines(cat: Catalogue) -> list[str]:
    tasks, assignments, words = cat.tasks, cat.assignments, cat.vocabulary
    loc = cat.locality
    signer = loc.report.signer
    email, phone = cat.receiver_contact
    contact = "; ".join(x for x in (email, phone) if x) or T.CHECK_NO_CONTACT
    kinds = cat.units["kind"].value_counts()
    per_app = tasks["appendix"].value_counts()
    lines = [
        T.CHECK_ROOT.format(root=cat.root, version=cat.version),
        T.CHECK_LOCALITY.format(name=loc.name, title=loc.title, code=loc.code, admin_code=loc.admin_code),
        T.CHECK_REPORT_FORM.format(
            symbol=loc.report.symbol,
            recipient=loc.report.recipient,
            copies=len(loc.report.copies) + 1,
            archive=loc.report.archive,
            signer=" / ".join(x for x in (signer.authority, signer.title, signer.name) if x),
        ),
        T.CHECK_FILES.format(code=loc.code),
        T.CHECK_RECEIVER.format(
            short_name=loc.short_name, receiver=cat.receiver_name, code=loc.receiver, contact=contact
        ),
        T.CHECK_UNITS.format(
            count=len(cat.units), kinds=", ".join(f"{k} {kinds.get(k, 0)}" for k in words.unit_kinds)
        ),
        T.CHECK_TASKS.format(
            count=len(tasks), appendices=" / ".join(f"{a} {per_app.get(a, 0)}" for a in words.appendices)
        ),
        T.CHECK_TASKS_BY_PILLAR,
    ]
    table = tasks.groupby(["pillar", "appendix"]).size().unstack(fill_value=0)
    for pillar, name in words.pillars.items():
        if pillar in table.index:
            row = table.loc[pillar]
            counts = "  ".join(f"{a} {int(row.get(a, 0)):>2}" for a in words.appendices)
            lines.append(f"  {pillar:<5} {name:<28} {counts}")
    twins = tasks[tasks["same_as"] != ""]
    pairs = twins["same_as"].str[:4] + "/" + twins["appendix"]
    lines.append(
        T.CHECK_TWINS.format(
            count=len(twins),
            pairs=", ".join(
                T.CHECK_TWIN_PAIR.format(count=n, first=p.split("/")[0], second=p.split("/")[1])
                for p, n in pairs.value_counts(sort=False).items()
            ),
        )
    )
    kinds_ = [note_kind(t) for t in tasks.itertuples(index=False)]
    levels = pd.Series([target_level(t) for t in tasks.itertuples(index=False)]).value_counts()
    lines.append(
        T.CHECK_TARGETS.format(
            targets=kinds_.count("target"),
            references=kinds_.count("reference"),
            levels=", ".join(f"{k} {levels.get(k, 0)}" for k in LEVELS),
            feeds=", ".join(f"{t} → {' '.join(f)}" for t, f in cat.feeds.items()) or "0",
        )
    )
    per_task = assignments.groupby("task_id").size()
    lines.append(
        T.CHECK_UNITS_PER_TASK.format(
            min=per_task.min(), max=per_task.max(), mean=f"{per_task.mean():.1f}", total=len(assignments)
        )
    )
    lines.append(T.CHECK_TASKS_PER_UNIT)
    per_unit = assignments.groupby("unit_code").size().reindex(cat.units.index, fill_value=0)
    lines += [
        T.CHECK_UNIT_TASKS.format(
            code=code, count=n, rows=len(cat.sheet_rows(str(code))), name=cat.unit_name(str(code))
        )
        for code, n in per_unit.items()
    ]
    lines.append(T.CHECK_INDICATORS.format(count=len(cat.indicators)))
    for ind in cat.indicators:
        lines.append(
            T.CHECK_INDICATOR.format(
                id=ind.id,
                max=f"{ind.max_score:g}",
                units=len(ind.responsible),
                fields=", ".join(f.id for f in ind.fields),
                kind=ind.rule.kind,
                name=ind.name,
            )
        )
    by_quantity: dict[str, list[str]] = {q: [] for q in sorted(cat.cumulative.quantities)}
    for task_id in cat.cumulative_tasks:
        target = parse_target(str(cat.tasks.at[task_id, "target"]), "any")
        if target is not None:
            by_quantity[target.metric].append(task_id)
    fields = cat.fields()
    lines.append(
        T.CHECK_CUMULATIVE.format(
            tasks=", ".join(f"{q} ({', '.join(sorted(ids))})" for q, ids in by_quantity.items() if ids)
            or T.CHECK_NONE,
            fields=", ".join(sorted(f for f in cat.cumulative.fields if f in fields)) or T.CHECK_NONE,
        )
    )
    unused = [q for q, ids in by_quantity.items() if not ids]
    unused += sorted(f for f in cat.cumulative.fields if f not in fields)
    if unused:
        lines.append(T.CHECK_CUMULATIVE_UNUSED.format(names=", ".join(unused)))
    lines.append(
        T.CHECK_VOCABULARY.format(
            pillars=len(words.pillars),
            appendices=len(words.appendices),
            kinds=len(words.unit_kinds),
            ranked=", ".join(words.unit_kinds[k].label for k in words.ranked_kinds),
            statuses=len(words.status_aliases),
            yes_no=len(words.yes_no.yes) + len(words.yes_no.no) + len(words.yes_no.marks),
            ask=len(words.yes_no.ask),
            placeholders=len(words.placeholders.words),
        )
    )
    if cat.anomalies:
        lines.append(T.CHECK_ANOMALIES.format(count=len(cat.anomalies)))
        lines += [f"  ! {anomaly}" for anomaly in cat.anomalies]
    lines.append(T.CHECK_VALID)
    return lines
