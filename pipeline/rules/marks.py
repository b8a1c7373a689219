"""The marks a return gets, defined once (:class:`~pipeline.rules.conditions.CellRule`): the same
rules are the pandera checks of a run (:mod:`.schemas`), the checks of ``Thông tin`` in each file
(:mod:`.extract`), and the template's conditional formats and counters
(:mod:`pipeline.outputs.templates`).

Cells are named as the frames of a run name them: on ``Nhiệm vụ`` the columns of the task rows
(:data:`STATUS`, :data:`RESULT`, …); on ``Chỉ số`` a field's value by its id (``2.2b``), its
evidence ``ev:2.2b``, whether the unit answers an indicator ``resp:1.1`` and a registry value
``registry:villages``; on ``Thông tin`` ``info:<label>``.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code, Severity
from pipeline.catalogue import FIGURE_PERCENT, FIGURE_YES_NO, PERCENT_MAX, Catalogue, Check, Field, Indicator
from pipeline.normalize import Placeholders
from pipeline.normalize.contact import email_excel, email_ok, phone_excel, phone_ok
from pipeline.rules.conditions import (
    Blank,
    CellRule,
    Cmp,
    Expr,
    Fraction,
    Is,
    IsNumber,
    Lit,
    Not,
    OneOf,
    Placeholder,
    Ref,
    Shape,
    Times,
    all_of,
    any_of,
)

E, W = Severity.ERROR, Severity.WARNING

# --- Nhiệm vụ -----------------------------------------------------------------------------------
STATUS, RESULT, EVIDENCE, TEXT, FIGURE = "status_label", "result_value", "evidence", "text", "figure"
BAD = {STATUS: "status_bad", RESULT: "result_value_bad", EVIDENCE: "evidence_bad"}
LABELS = {STATUS: V.TASK_STATUS, RESULT: V.TASK_RESULT_VALUE, EVIDENCE: V.TASK_EVIDENCE, TEXT: V.TASK_TEXT}


def task_rules(placeholders: Placeholders) -> tuple[CellRule, ...]:
    """Every mark of a ``Nhiệm vụ`` row."""
    done = Is(STATUS, V.STATUS_DONE)
    result = IsNumber(RESULT)
    return (
        CellRule(
            "not_reported",
            Code.TASK_NOT_REPORTED,
            W,
            STATUS,
            all_of(Blank(STATUS, BAD[STATUS]), any_of(Not(Blank(FIGURE)), Not(Blank(TEXT)))),
            counted="left",
        ),
        CellRule(
            "evidence_when_done",
            Code.EVIDENCE_REQUIRED,
            E,
            EVIDENCE,
            all_of(done, Blank(EVIDENCE, BAD[EVIDENCE])),
        ),
        CellRule(
            "evidence_placeholder",
            Code.EVIDENCE_PLACEHOLDER,
            E,
            EVIDENCE,
            Placeholder(EVIDENCE, placeholders),
        ),
        CellRule(
            "result_when_done",
            Code.RESULT_REQUIRED,
            E,
            RESULT,
            all_of(done, Cmp(">", Ref(FIGURE), Lit(0)), Blank(RESULT, BAD[RESULT])),
        ),
        CellRule(
            "result_in_range",
            Code.OUT_OF_RANGE,
            E,
            RESULT,
            all_of(
                result,
                Cmp("<", Ref(FIGURE), Lit(FIGURE_YES_NO)),
                any_of(
                    Cmp("<", Ref(RESULT), Lit(0)),
                    all_of(
                        Cmp("==", Ref(FIGURE), Lit(FIGURE_PERCENT)), Cmp(">", Ref(RESULT), Lit(PERCENT_MAX))
                    ),
                ),
            ),
            parser=True,
        ),
        CellRule(
            "result_yes_no",
            Code.NOT_ALLOWED,
            E,
            RESULT,
            all_of(
                Cmp("==", Ref(FIGURE), Lit(FIGURE_YES_NO)), Not(Blank(RESULT)), Not(OneOf(RESULT, V.YES_NO))
            ),
            parser=True,
            variant="yes_no",
        ),
    )


# --- Chỉ số -------------------------------------------------------------------------------------


def value_of(fid: str) -> str:
    return fid


def bad_of(fid: str) -> str:
    return f"bad:{fid}"


def evidence_of(fid: str) -> str:
    return f"ev:{fid}"


def responsible_of(iid: str) -> str:
    return f"resp:{iid}"


def registry_of(column: str) -> str:
    return f"registry:{column}"


def _evident(fid: str, placeholders: Placeholders) -> Expr:
    cell = evidence_of(fid)
    return all_of(Not(Blank(cell)), Not(Placeholder(cell, placeholders)))


def _out_of_range(f: Field) -> Expr | None:
    bounds = [Cmp("<", Ref(f.id), Lit(f.min))] if f.min is not None else []
    bounds += [Cmp(">", Ref(f.id), Lit(f.max))] if f.max is not None else []
    return all_of(IsNumber(f.id), any_of(*bounds)) if bounds else None


def _valid(f: Field) -> Expr:
    """A field's cell holds a number its parser accepts (a run keeps only those: an invalid value
    is no value, and no check looks at it)."""
    parts: list[Expr] = [IsNumber(f.id)]
    if f.type == "integer":
        parts.append(Not(Fraction(f.id)))
    wrong = _out_of_range(f)
    if wrong is not None:
        parts.append(Not(wrong))
    return all_of(*parts)


def _check_rule(n: int, chk: Check, weeks: float, fields: dict[str, Field]) -> CellRule:
    """A cross-field check of ``indicators.yaml`` as a mark on its field's value."""
    if chk.other is not None:
        times = weeks if chk.times == "weeks" else float(chk.times or 1)
        rhs: Expr = Times(chk.other, times) if times != 1 else Ref(chk.other)
        guard: list[Expr] = [_valid(fields[chk.other])]
    elif chk.registry is not None:
        rhs, guard = Ref(registry_of(chk.registry)), [IsNumber(registry_of(chk.registry))]
    else:
        rhs, guard = Lit(float(chk.value if chk.value is not None else 0)), []
    parts = [_valid(fields[chk.field]), *guard, Not(Cmp(chk.op, Ref(chk.field), rhs))]
    if chk.when_field is not None:
        parts.append(Is(chk.when_field, str(chk.when_equals)))
    code = Code.CROSS_FIELD if chk.registry is None else Code.VILLAGES_MISMATCH
    return CellRule(f"check:{n}", code, Severity(chk.severity), chk.field, all_of(*parts))


def indicator_rules(cat: Catalogue, indicators: Iterable[Indicator], weeks: float) -> tuple[CellRule, ...]:
    """Every mark of the ``Chỉ số`` rows of these indicators."""
    placeholders = cat.vocabulary.placeholders
    indicators = tuple(indicators)
    fields = {f.id: f for ind in indicators for f in ind.fields}
    out: list[CellRule] = []
    for ind in indicators:
        for f in ind.fields:
            value = value_of(f.id)
            if f.required:
                out.append(
                    CellRule(
                        f"required:{f.id}",
                        Code.REQUIRED,
                        E,
                        value,
                        all_of(Blank(value, bad_of(f.id)), Ref(responsible_of(ind.id))),
                        counted="left",
                    )
                )
            if f.type == "yes_no":
                wrong = all_of(Not(Blank(value)), Not(OneOf(value, V.YES_NO)))
                out.append(
                    CellRule(
                        f"yes_no:{f.id}", Code.NOT_ALLOWED, E, value, wrong, parser=True, variant="yes_no"
                    )
                )
            elif f.type in ("number", "integer"):
                outside = _out_of_range(f)
                if outside is not None:
                    out.append(CellRule(f"range:{f.id}", Code.OUT_OF_RANGE, E, value, outside, parser=True))
                if f.type == "integer":
                    out.append(
                        CellRule(
                            f"integer:{f.id}", Code.NOT_AN_INTEGER, E, value, Fraction(value), parser=True
                        )
                    )
            out.append(
                CellRule(
                    f"placeholder:{f.id}",
                    Code.EVIDENCE_PLACEHOLDER,
                    E,
                    evidence_of(f.id),
                    Placeholder(evidence_of(f.id), placeholders),
                )
            )
        if ind.evidence_required:
            reported = any_of(*(Not(Blank(value_of(f.id), bad_of(f.id))) for f in ind.fields))
            unproven = all_of(*(Not(_evident(f.id, placeholders)) for f in ind.fields))
            out.append(
                CellRule(
                    f"evidence:{ind.id}",
                    Code.NO_EVIDENCE,
                    E,
                    evidence_of(ind.fields[0].id),
                    all_of(reported, unproven),
                )
            )
    for n, chk in enumerate(cat.checks):
        refs = (chk.field, chk.other, chk.when_field)
        if all(ref is None or ref in fields for ref in refs):
            out.append(_check_rule(n, chk, weeks, fields))
    return tuple(out)


# --- Thông tin ------------------------------------------------------------------------------------


def info_of(label: str) -> str:
    return f"info:{label}"


INFO_REQUIRED = (V.INFO_REPORTER, V.INFO_PHONE, V.INFO_DATE)


def info_rules() -> tuple[CellRule, ...]:
    """Every mark of the ``Thông tin`` values (checked on the values as typed)."""
    out = [
        CellRule(
            f"missing:{label}",
            Code.REPORTER_MISSING,
            W,
            info_of(label),
            Blank(info_of(label)),
            counted="left",
            variant="date" if label == V.INFO_DATE else "",
        )
        for label in INFO_REQUIRED
    ]
    email, phone = info_of(V.INFO_EMAIL), info_of(V.INFO_PHONE)
    out.append(
        CellRule(
            "email",
            Code.EMAIL_INVALID,
            W,
            email,
            all_of(Not(Blank(email)), Not(Shape(email, email_ok, email_excel))),
        )
    )
    out.append(
        CellRule(
            "phone",
            Code.PHONE_INVALID,
            W,
            phone,
            all_of(Not(Blank(phone)), Not(Shape(phone, phone_ok, phone_excel))),
        )
    )
    return tuple(out)
