"""``indicators.yaml`` (Phụ lục 04): indicators, their input fields and rules, cross-field checks.

Field types and rule kinds are checked against their registries
(:mod:`pipeline.catalogue.field_types`, :mod:`pipeline.catalogue.rule_kinds`): a kind a
registry does not know, or a rule without the keys its kind needs, is a problem named here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pipeline.base.messages import texts as T
from pipeline.catalogue.field_types import FIELD_TYPES
from pipeline.catalogue.model import CHECK_OPS, Check, Field, Indicator, Rule, expand
from pipeline.catalogue.rule_kinds import RULE_KINDS


def _number(value: Any, where: str, problems: list[str]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(T.CAT_NOT_A_NUMBER.format(where=where, value=repr(value)))
        return None
    return float(value)


def _load_field(raw: Mapping[str, Any], where: str, problems: list[str]) -> Field:
    fid = str(raw["id"])
    kind = raw.get("type")
    if kind not in FIELD_TYPES:
        problems.append(T.CAT_FIELD_TYPE.format(where=where, field=fid, types=tuple(FIELD_TYPES)))
    return Field(
        id=fid,
        label=str(raw.get("label", fid)),
        type=str(kind),
        required=bool(raw.get("required", True)),
        min=_number(raw.get("min"), T.CAT_FIELD_WHERE.format(where=where, field=fid, key="min"), problems),
        max=_number(raw.get("max"), T.CAT_FIELD_WHERE.format(where=where, field=fid, key="max"), problems),
    )


def load_indicators(
    data: Mapping[str, Any],
    groups: Mapping[str, tuple[str, ...]],
    codes: list[str],
    kinds: Iterable[str],
    pillars: Mapping[str, str],
    problems: list[str],
) -> tuple[tuple[Indicator, ...], tuple[Check, ...]]:
    indicators: list[Indicator] = []
    seen_fields: set[str] = set()
    kinds = set(kinds)
    for n, raw in enumerate(data.get("indicators") or [], start=1):
        where = T.CAT_INDICATOR_WHERE.format(n=n, id=raw.get("id", "?"))
        try:
            iid = str(raw["id"])
            fields = []
            for f in raw.get("fields") or []:
                field = _load_field(f, where, problems)
                if field.id in seen_fields:
                    problems.append(T.CAT_FIELD_DUPLICATE.format(where=where, field=field.id))
                seen_fields.add(field.id)
                fields.append(field)
            if not fields:
                problems.append(T.CAT_NO_FIELDS.format(where=where))
            rule = _load_rule(raw.get("rule") or {}, {f.id: f for f in fields}, where, problems)
            tokens = [str(t) for t in raw.get("responsible") or []]
            unknown = [t for t in tokens if t not in groups and t not in codes]
            if unknown or not tokens:
                problems.append(T.CAT_RESPONSIBLE.format(where=where, codes=unknown or T.CAT_EMPTY))
            expanded = set(expand(tokens, groups))
            periods = tuple(str(p) for p in raw.get("periods") or [])
            if not periods or set(periods) - kinds:
                problems.append(T.CAT_PERIODS.format(where=where, kinds=sorted(kinds)))
            max_score = _number(raw.get("max_score"), f"{where}, max_score", problems) or 0.0
            if max_score <= 0:
                problems.append(T.CAT_MAX_SCORE.format(where=where))
            if raw.get("pillar") not in pillars:
                problems.append(T.CAT_PILLAR.format(where=where, pillars=list(pillars)))
            indicators.append(
                Indicator(
                    id=iid,
                    pillar=str(raw.get("pillar")),
                    name=str(raw.get("name", iid)),
                    max_score=max_score,
                    responsible=tuple(c for c in codes if c in expanded),
                    periods=periods,
                    evidence_required=bool(raw.get("evidence_required", True)),
                    rule_text=str(raw.get("rule_text", "")),
                    fields=tuple(fields),
                    rule=rule,
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            problems.append(T.CAT_KEY.format(where=where, key=exc))
    ids = [i.id for i in indicators]
    for dup in {i for i in ids if ids.count(i) > 1}:
        problems.append(T.CAT_INDICATOR_DUPLICATE.format(id=dup))
    checks = _load_checks(data.get("checks") or [], seen_fields, problems)
    return tuple(indicators), checks


def _load_rule(raw: Mapping[str, Any], fields: Mapping[str, Field], where: str, problems: list[str]) -> Rule:
    name = str(raw.get("kind"))
    fid = str(raw.get("field"))
    kind = RULE_KINDS.get(name)
    if kind is None:
        problems.append(T.CAT_RULE_KIND.format(where=where, kinds=tuple(RULE_KINDS)))
    if fid not in fields:
        problems.append(T.CAT_RULE_FIELD.format(where=where, field=fid))
    of = raw.get("of")
    if isinstance(of, str) and of not in fields:
        problems.append(T.CAT_RULE_OF.format(where=where, field=of))
    field_type = FIELD_TYPES.get(fields[fid].type) if fid in fields else None
    if kind is not None and field_type is not None:
        if kind.numeric and not field_type.numeric:
            problems.append(T.CAT_RULE_NUMBER.format(where=where, kind=name))
        elif not kind.numeric and field_type.name != "yes_no":
            problems.append(T.CAT_RULE_YES_NO.format(where=where, kind=name))
    minimum = _number(raw.get("min"), f"{where}, rule.min", problems)
    steps: list[tuple[float, float]] = []
    for step in raw.get("steps") or []:
        try:
            steps.append((float(step["at_least"]), float(step["points"])))
        except (KeyError, TypeError, ValueError):
            problems.append(T.CAT_RULE_STEP.format(where=where))
    given = {"min": minimum is not None, "of": of is not None, "steps": bool(steps)}
    for key in kind.needs if kind is not None else ():
        if not given[key]:
            problems.append(T.CAT_RULE_NEEDS.format(where=where, kind=name, key=key))
    steps.sort(key=lambda s: -s[0])
    return Rule(
        kind=name,
        field=fid,
        min=minimum,
        of=of if isinstance(of, str) else _number(of, f"{where}, rule.of", problems),
        steps=tuple(steps),
    )


def _load_checks(raws: list[Any], fields: set[str], problems: list[str]) -> tuple[Check, ...]:
    checks = []
    for n, raw in enumerate(raws, start=1):
        where = T.CAT_CHECK_WHERE.format(n=n)
        try:
            when = raw.get("when") or {}
            check = Check(
                field=str(raw["field"]),
                op=str(raw["op"]),
                severity=str(raw.get("severity", "warning")),
                message=str(raw["message"]),
                other=str(raw["other"]) if raw.get("other") is not None else None,
                times=raw.get("times"),
                registry=raw.get("registry"),
                value=_number(raw.get("value"), f"{where}, value", problems),
                when_field=str(when["field"]) if when.get("field") is not None else None,
                when_equals=str(when["equals"]) if when.get("equals") is not None else None,
            )
        except (KeyError, TypeError, AttributeError) as exc:
            problems.append(T.CAT_KEY.format(where=where, key=exc))
            continue
        for ref in (check.field, check.other, check.when_field):
            if ref is not None and ref not in fields:
                problems.append(T.CAT_CHECK_FIELD.format(where=where, field=ref))
        if check.op not in CHECK_OPS or check.severity not in ("error", "warning"):
            problems.append(T.CAT_CHECK_OP.format(where=where, ops=CHECK_OPS))
        if [check.other, check.registry, check.value].count(None) != 2:
            problems.append(T.CAT_CHECK_ONE_OF.format(where=where))
        if check.times is not None and check.times != "weeks" and not isinstance(check.times, int | float):
            problems.append(T.CAT_CHECK_TIMES.format(where=where))
        checks.append(check)
    return tuple(checks)
