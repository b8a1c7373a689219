"""Identify returns, normalise their cells and validate them, one frame per sheet kind.

The pandera schemas are built from the catalogue (``indicators.yaml`` fields, rules and
checks; the task statuses of the layout), run lazily over every return of a run at once,
and each failure is mapped back to its file, sheet, A1 cell and field as an :class:`Issue`.
An error keeps the value out of scoring; a warning keeps it in.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline import layout as L
from pipeline import normalize as N
from pipeline.catalogue import Catalogue
from pipeline.intake import FORMULA_NO_VALUE, CellValue, RawReturn
from pipeline.issues import Code, Issue, Severity, make_issue, show_value
from pipeline.periods import Period, PeriodError, parse_period
from pipeline.resolve import fold

OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}
TEXT_LABELS = (L.TASK_RESULT, L.TASK_EVIDENCE, L.TASK_PROBLEMS)
UNKNOWN_ROWS_SHOWN = 20  # rows with an unknown task id reported one by one; the rest in one issue


@dataclass
class Checked:
    """A run's returns after identification and validation."""

    returns: list[RawReturn]
    accepted: dict[str, str]  # file → unit_code, for the returns that count as received
    tasks: pd.DataFrame  # file, unit_code, task_id, status, status_label, result_value, result, evidence, problems, has_evidence
    indicators: pd.DataFrame  # file, unit_code, field_id, value, evidence, has_evidence
    issues: list[Issue] = field(default_factory=list)


# --- identification ------------------------------------------------------------------------


def identify(cat: Catalogue, period: Period, ret: RawReturn) -> str | None:
    """The return's unit code when it belongs to this run, else None (rejected, with issues)."""
    if not ret.readable:
        return None
    name = ret.file
    receiver = cat.receiver_name
    use_template = f"Hãy dùng đúng mẫu do {receiver} gửi cho đơn vị, không sửa trang _meta."

    def reject(code: Code, message: str, unit: str = "") -> None:
        ret.issues.append(make_issue(code, Severity.ERROR, message, file=name, unit_code=unit))

    meta = ret.meta
    named = ret.info.get(L.INFO_UNIT)
    unit_name = N.clean_text(named.value).value if named and named.value is not FORMULA_NO_VALUE else None
    if meta.get("unit_code"):
        unit = meta["unit_code"].strip().upper()
        if not cat.has_unit(unit):
            reject(
                Code.UNIT_UNKNOWN,
                f"Tệp «{name}» không được tổng hợp: mã đơn vị «{show_value(unit, 60)}» trong trang _meta "
                f"không có trong danh mục đơn vị. {use_template}",
            )
            return None
        by_name = cat.match_unit_name(str(unit_name)) if unit_name else None
        if by_name is not None and by_name != unit:
            reject(
                Code.UNIT_MISMATCH,
                f"Tệp «{name}» không được tổng hợp: trang _meta ghi mã đơn vị {unit} ({cat.unit_name(unit)}) "
                f"nhưng ô «{L.INFO_UNIT}» ở trang «{L.SHEET_INFO}» ghi «{unit_name}» ({by_name}). "
                f"Mỗi đơn vị chỉ gửi mẫu của chính mình; hãy dùng đúng mẫu do {receiver} gửi.",
            )
            return None
        try:
            theirs = parse_period(meta.get("period", ""))
        except PeriodError:
            reject(
                Code.PERIOD_INVALID,
                f"Tệp «{name}» không được tổng hợp: kỳ báo cáo trong trang _meta "
                f"(«{show_value(meta.get('period', ''), 60)}») không hợp lệ. {use_template}",
                unit,
            )
            return None
        if theirs.id != period.id:
            reject(
                Code.PERIOD_MISMATCH,
                f"Tệp «{name}» là báo cáo {theirs.label} ({theirs.id}), không phải {period.label} ({period.id}) "
                f"đang tổng hợp: hãy dùng mẫu của kỳ {period.id}.",
                unit,
            )
            return None
        version = meta.get("template_version", "")
        if version not in L.COMPATIBLE_VERSIONS:
            reject(
                Code.TEMPLATE_INCOMPATIBLE,
                f"Tệp «{name}» dùng mẫu báo cáo phiên bản «{show_value(version, 60)}», không đọc được: "
                f"hãy dùng mẫu mới (phiên bản {L.TEMPLATE_VERSION}) và điền lại.",
                unit,
            )
            return None
        if version != L.TEMPLATE_VERSION:
            ret.issues.append(
                make_issue(
                    Code.TEMPLATE_OLD,
                    Severity.WARNING,
                    f"Tệp «{name}» dùng mẫu phiên bản cũ ({version}); vẫn đọc được. "
                    f"Kỳ sau hãy dùng mẫu mới ({L.TEMPLATE_VERSION}).",
                    file=name,
                    unit_code=unit,
                )
            )
        return unit
    # No _meta: the unit copied the sheets into a new workbook. Fall back to the unit's name.
    found = cat.match_unit_name(str(unit_name)) if unit_name else None
    if found is None:
        reject(
            Code.META_MISSING,
            f"Không nhận ra đơn vị của tệp «{name}»: tệp không có trang _meta và ô «{L.INFO_UNIT}» ở trang "
            f"«{L.SHEET_INFO}» ({show_value(unit_name, 80) or 'trống'}) không khớp tên đơn vị nào. "
            f"Hãy dùng mẫu do {receiver} gửi.",
        )
        return None
    unit = found
    period_cell = ret.info.get(L.INFO_PERIOD)
    period_text = N.clean_text(period_cell.value).value if period_cell else None
    if period_text and fold(str(period_text)) not in (fold(period.label), fold(period.id)):
        reject(
            Code.PERIOD_MISMATCH,
            f"Tệp «{name}»: ô «{L.INFO_PERIOD}» ghi «{show_value(period_text, 60)}», không phải {period.label} "
            f"đang tổng hợp: hãy dùng mẫu của kỳ {period.id}.",
            unit,
        )
        return None
    ret.issues.append(
        make_issue(
            Code.META_UNIT_FROM_NAME,
            Severity.WARNING,
            f"Tệp «{name}» không có trang _meta (có thể đã chép sang tệp mới); đã nhận ra đơn vị theo tên "
            f"«{unit_name}». Lần sau hãy điền trực tiếp vào mẫu được gửi.",
            file=name,
            unit_code=unit,
        )
    )
    return unit


_TASK_KEYS: dict[int, tuple[Any, dict[str, str]]] = {}


def canonical_task_id(cat: Catalogue, text: Any) -> str:
    """A task id as typed (any case, spaces) → the catalogue's id (``PL01-5.1B`` → ``PL01-5.1b``);
    an unknown id comes back upper-cased without spaces."""
    index = cat.tasks.index
    hit = _TASK_KEYS.get(id(index))
    if hit is None or hit[0] is not index:
        hit = (index, {str(t).upper().replace(" ", ""): str(t) for t in index})
        _TASK_KEYS[id(index)] = hit
    key = str(N.clean_text(text).value or "").upper().replace(" ", "")
    return hit[1].get(key, key)


# --- normalising ---------------------------------------------------------------------------


def _parsed_issue(
    p: N.Parsed, ret: RawReturn, unit: str, sheet: str, cv: CellValue, fld: str, label: str
) -> Issue | None:
    if p.code is None or p.severity is None:
        return None
    return make_issue(
        p.code,
        p.severity,
        p.note,
        file=ret.file,
        unit_code=unit,
        sheet=sheet,
        cell=cv.cell,
        field=fld,
        value=cv.value,
        label=label,
    )


def _formula(ret: RawReturn, unit: str, sheet: str, cv: CellValue, fld: str, label: str) -> Issue:
    return make_issue(
        Code.FORMULA_NO_VALUE,
        Severity.ERROR,
        f"Ô {cv.cell} có công thức nhưng chưa có giá trị (tệp được lưu khi chưa tính): hãy mở tệp bằng Excel, "
        "nhấn Ctrl+Alt+F9 rồi lưu lại, hoặc gõ trực tiếp giá trị.",
        file=ret.file,
        unit_code=unit,
        sheet=sheet,
        cell=cv.cell,
        field=fld,
        label=label,
    )


def _linked(ret: RawReturn, unit: str, sheet: str, cv: CellValue, fld: str, label: str) -> Issue:
    return make_issue(
        Code.FORMULA_EXTERNAL_LINK,
        Severity.WARNING,
        f"Ô {cv.cell} lấy giá trị bằng công thức từ một tệp khác (liên kết ngoài): hệ thống dùng giá trị đã lưu "
        "trong tệp, không mở tệp kia. Hãy chép ô đó rồi dán giá trị (Dán đặc biệt › Giá trị) và gửi lại.",
        file=ret.file,
        unit_code=unit,
        sheet=sheet,
        cell=cv.cell,
        field=fld,
        value=cv.value,
        label=label,
    )


def _normalise(
    p_fn: Callable[[Any], N.Parsed],
    ret: RawReturn,
    unit: str,
    sheet: str,
    cv: CellValue | None,
    fld: str,
    label: str,
    issues: list[Issue],
) -> tuple[Any, bool]:
    """(clean value, parse failed)."""
    if cv is None:
        return None, False
    if cv.value is FORMULA_NO_VALUE:
        issues.append(_formula(ret, unit, sheet, cv, fld, label))
        return None, True
    if ret.external and cv.cell in ret.external.get(sheet, ()):
        issues.append(_linked(ret, unit, sheet, cv, fld, label))
    if cv.value is None or cv.value == "":
        return None, False  # an empty cell: every parser gives nothing, and no issue
    p = p_fn(cv.value)
    issue = _parsed_issue(p, ret, unit, sheet, cv, fld, label)
    if issue:
        issues.append(issue)
    return (p.value if p.ok else None), not p.ok


def _task_frame(cat: Catalogue, ret: RawReturn, unit: str, issues: list[Issue]) -> list[dict[str, Any]]:
    sheet = ret.tasks_sheet
    assigned = set(cat.task_ids_of(unit))
    seen: dict[str, str] = {}
    rows = []
    unknown: list[str] = []  # cells of rows with an unknown task id, past the first few reported
    for raw in ret.tasks:
        id_cell = raw[L.TASK_ID]
        task_id = canonical_task_id(cat, id_cell.value)
        if not task_id:
            continue
        if task_id not in cat.tasks.index and len(unknown) + 1 > UNKNOWN_ROWS_SHOWN:
            unknown.append(id_cell.cell)
            continue
        where = {
            "file": ret.file,
            "unit_code": unit,
            "sheet": sheet,
            "cell": id_cell.cell,
            "value": id_cell.value,
        }
        if task_id not in cat.tasks.index:
            unknown.append(id_cell.cell)
            issues.append(
                make_issue(
                    Code.TASK_UNKNOWN,
                    Severity.WARNING,
                    f"Mã nhiệm vụ «{task_id}» không có trong Kế hoạch; dòng này không được tổng hợp. "
                    "Nếu là việc làm thêm, hãy ghi vào cột «Kết quả thực hiện» của nhiệm vụ gần nhất.",
                    field=f"{task_id}:{L.TASK_ID}",
                    label=L.TASK_ID,
                    **where,
                )
            )
            continue
        if task_id not in assigned:
            issues.append(
                make_issue(
                    Code.TASK_NOT_ASSIGNED,
                    Severity.WARNING,
                    f"Nhiệm vụ {task_id} không giao cho đơn vị này; dòng này không được tổng hợp.",
                    field=f"{task_id}:{L.TASK_ID}",
                    label=L.TASK_ID,
                    **where,
                )
            )
            continue
        if task_id in seen:
            issues.append(
                make_issue(
                    Code.TASK_DUPLICATE,
                    Severity.ERROR,
                    f"Nhiệm vụ {task_id} xuất hiện hai lần (ô {seen[task_id]} và {id_cell.cell}): hãy xóa dòng thừa; "
                    "chỉ dòng đầu tiên được tổng hợp.",
                    field=f"{task_id}:{L.TASK_ID}",
                    label=L.TASK_ID,
                    **where,
                )
            )
            continue
        seen[task_id] = id_cell.cell
        row: dict[str, Any] = {"file": ret.file, "unit_code": unit, "task_id": task_id, "sheet": sheet}
        fld = f"{task_id}:"
        row["status_label"], row["status_bad"] = _normalise(
            lambda v: N.parse_choice(v, list(L.STATUS_VALUES), aliases=N.STATUS_ALIASES),
            ret,
            unit,
            sheet,
            raw.get(L.TASK_STATUS),
            fld + L.TASK_STATUS,
            L.TASK_STATUS,
            issues,
        )
        row["result_value"], row["result_value_bad"] = _normalise(
            lambda v: N.parse_number(v, minimum=0),
            ret,
            unit,
            sheet,
            raw.get(L.TASK_RESULT_VALUE),
            fld + L.TASK_RESULT_VALUE,
            L.TASK_RESULT_VALUE,
            issues,
        )
        for label, key in zip(TEXT_LABELS, ("result", "evidence", "problems"), strict=True):
            row[key], row[f"{key}_bad"] = _normalise(
                N.clean_text, ret, unit, sheet, raw.get(label), fld + label, label, issues
            )
        for label, key in (
            (L.TASK_STATUS, "status"),
            (L.TASK_RESULT_VALUE, "result_value"),
            (L.TASK_EVIDENCE, "evidence"),
        ):
            cv = raw.get(label)
            row[f"{key}_cell"] = cv.cell if cv else ""
        rows.append(row)
    if len(unknown) > UNKNOWN_ROWS_SHOWN:
        more = f"{len(unknown) - UNKNOWN_ROWS_SHOWN:,}".replace(",", ".")
        issues.append(
            make_issue(
                Code.TASK_UNKNOWN,
                Severity.WARNING,
                f"Còn {more} dòng khác có mã nhiệm vụ không có trong Kế hoạch (ô {unknown[UNKNOWN_ROWS_SHOWN]} đến "
                f"ô {unknown[-1]}); các dòng này không được tổng hợp. Nếu là dữ liệu thừa, hãy xóa các dòng đó.",
                file=ret.file,
                unit_code=unit,
                sheet=sheet,
            )
        )
    missing = [t for t in cat.task_ids_of(unit) if t not in seen]
    if missing and ret.tasks_sheet:
        shown = ", ".join(missing[:10]) + (
            f" … và {len(missing) - 10} nhiệm vụ khác" if len(missing) > 10 else ""
        )
        issues.append(
            make_issue(
                Code.TASK_MISSING_ROW,
                Severity.WARNING,
                f"Thiếu {len(missing)} nhiệm vụ được giao: {shown}. Hãy dùng mẫu đầy đủ, không xóa dòng.",
                file=ret.file,
                unit_code=unit,
                sheet=sheet,
            )
        )
    return rows


def _indicator_rows(
    cat: Catalogue, period: Period, ret: RawReturn, unit: str, issues: list[Issue]
) -> list[dict[str, Any]]:
    sheet = ret.indicators_sheet
    fields = cat.fields()
    mine = {f.id for ind in cat.indicators_of(unit, period.kind) for f in ind.fields}
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for raw in ret.indicators:
        id_cell = raw[L.IND_ID]
        fid = str(N.clean_text(id_cell.value).value or "")
        if not fid:
            continue
        if fid not in fields or fid not in mine:
            issues.append(
                make_issue(
                    Code.FIELD_UNKNOWN,
                    Severity.WARNING,
                    f"Mã «{fid}» không phải chỉ số đơn vị phải báo cáo; dòng này bị bỏ qua.",
                    file=ret.file,
                    unit_code=unit,
                    sheet=sheet,
                    cell=id_cell.cell,
                    field=fid,
                    value=id_cell.value,
                )
            )
            continue
        if fid in seen:
            issues.append(
                make_issue(
                    Code.FIELD_DUPLICATE,
                    Severity.ERROR,
                    f"Chỉ số {fid} xuất hiện hai lần: hãy xóa dòng thừa.",
                    file=ret.file,
                    unit_code=unit,
                    sheet=sheet,
                    cell=id_cell.cell,
                    field=fid,
                )
            )
            continue
        seen.add(fid)
        _, f = fields[fid]
        if f.type == "yes_no":
            fn: Callable[[Any], N.Parsed] = N.parse_yes_no
        elif f.type in ("number", "integer"):
            fn = _number_parser(f.type == "integer", f.min, f.max)
        else:
            fn = N.clean_text
        value, bad = _normalise(fn, ret, unit, sheet, raw.get(L.IND_VALUE), fid, L.IND_VALUE, issues)
        evidence, _ = _normalise(
            N.clean_text, ret, unit, sheet, raw.get(L.IND_EVIDENCE), fid, L.IND_EVIDENCE, issues
        )
        rows.append(
            {
                "file": ret.file,
                "unit_code": unit,
                "field_id": fid,
                "value": value,
                "value_bad": bad,
                "evidence": evidence,
                "has_evidence": evidence is not None,
                "value_cell": raw[L.IND_VALUE].cell if L.IND_VALUE in raw else "",
                "evidence_cell": raw[L.IND_EVIDENCE].cell if L.IND_EVIDENCE in raw else "",
                "sheet": sheet,
            }
        )
    return rows


def _number_parser(integer: bool, minimum: float | None, maximum: float | None) -> Callable[[Any], N.Parsed]:
    return lambda v: N.parse_number(v, integer=integer, minimum=minimum, maximum=maximum)


def _info_issues(cat: Catalogue, ret: RawReturn, unit: str, issues: list[Issue]) -> None:
    for label in (L.INFO_REPORTER, L.INFO_PHONE, L.INFO_DATE):
        cv = ret.info.get(label)
        value = N.clean_text(cv.value).value if cv and cv.value is not FORMULA_NO_VALUE else None
        if value is None:
            issues.append(
                make_issue(
                    Code.REPORTER_MISSING,
                    Severity.WARNING,
                    f"Chưa ghi «{label}» ở trang «{L.SHEET_INFO}»: hãy ghi để {cat.receiver_name} liên hệ khi cần.",
                    file=ret.file,
                    unit_code=unit,
                    sheet=ret.info_sheet or L.SHEET_INFO,
                    cell=cv.cell if cv else "",
                    field=label,
                    label=label,
                )
            )
        elif label == L.INFO_DATE and cv is not None:
            _normalise(N.parse_date, ret, unit, ret.info_sheet, cv, label, label, issues)


# --- pandera schemas built from the catalogue ---------------------------------------------


@dataclass(frozen=True)
class _CheckInfo:
    code: Code
    severity: Severity
    column: str  # the frame column whose cell the issue points at
    message: Callable[[pd.Series], str]


def task_schema(cat: Catalogue) -> tuple[pa.DataFrameSchema, dict[str, _CheckInfo]]:
    """pandera schema for the Nhiệm vụ frame of a run; checks named for mapping back to cells."""
    targeted = set(cat.tasks.index[cat.tasks["target"] != ""])
    info = {
        "evidence_when_done": _CheckInfo(
            Code.EVIDENCE_REQUIRED,
            Severity.ERROR,
            "evidence",
            lambda r: (
                f"Nhiệm vụ {r.task_id} ghi «Hoàn thành» nhưng chưa có «Minh chứng»: hãy ghi số, ngày, tên "
                "văn bản hoặc đường dẫn tài liệu chứng minh."
            ),
        ),
        "result_when_done": _CheckInfo(
            Code.RESULT_REQUIRED,
            Severity.ERROR,
            "result_value",
            lambda r: (
                f"Nhiệm vụ {r.task_id} có chỉ tiêu ({cat.tasks.at[r.task_id, 'target_raw']}) và ghi «Hoàn thành» "
                "nhưng chưa có «Kết quả (số liệu)»: hãy ghi số liệu đạt được."
            ),
        ),
    }
    done = L.STATUS_DONE
    schema = pa.DataFrameSchema(
        {
            "status_label": pa.Column(object, pa.Check.isin(list(L.STATUS_VALUES)), nullable=True),
            "result_value": pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
        },
        checks=[
            pa.Check(
                lambda df: (df["status_label"] != done) | df["evidence"].notna() | df["evidence_bad"],
                name="evidence_when_done",
            ),
            pa.Check(
                lambda df: (
                    (df["status_label"] != done)
                    | ~df["task_id"].isin(targeted)
                    | df["result_value"].notna()
                    | df["result_value_bad"]
                ),
                name="result_when_done",
            ),
        ],
    )
    return schema, info


def _required_message(label: str, fid: str) -> Callable[[pd.Series], str]:
    return lambda _r: f"Chưa nhập «{label}» (mã {fid}): đây là số liệu bắt buộc để chấm điểm chỉ số."


def _compare(df: pd.DataFrame, lhs: pd.Series, op: str, rhs: pd.Series | float) -> pd.Series:
    ok = OPS[op](lhs.astype(float), rhs)
    present = lhs.notna() & (rhs.notna() if isinstance(rhs, pd.Series) else True)
    return ~present | ok


def indicator_schema(cat: Catalogue, period: Period) -> tuple[pa.DataFrameSchema, dict[str, _CheckInfo]]:
    """pandera schema for the wide Chỉ số frame (one row per return, one column per field id)."""
    columns: dict[str, pa.Column] = {}
    info: dict[str, _CheckInfo] = {}
    checks: list[pa.Check] = []
    for ind in cat.indicators_for(period.kind):
        for f in ind.fields:
            if f.type == "yes_no":
                columns[f.id] = pa.Column(object, pa.Check.isin(list(L.YES_NO)), nullable=True)
            elif f.type in ("number", "integer"):
                col_checks = []
                if f.min is not None:
                    col_checks.append(pa.Check.ge(f.min))
                if f.max is not None:
                    col_checks.append(pa.Check.le(f.max))
                columns[f.id] = pa.Column(float, col_checks, nullable=True, coerce=True)
            if f.required:
                name = f"required:{f.id}"
                checks.append(
                    pa.Check(
                        lambda df, fid=f.id, iid=ind.id: (
                            df[fid].notna() | ~df[f"resp:{iid}"] | df[f"bad:{fid}"]
                        ),
                        name=name,
                    )
                )
                info[name] = _CheckInfo(
                    Code.REQUIRED,
                    Severity.ERROR,
                    f.id,
                    _required_message(f.label, f.id),
                )
    weeks = cat.weeks(period)
    for n, chk in enumerate(cat.checks):
        if chk.field not in columns:
            continue
        name = f"check:{n}"

        def rhs_of(df: pd.DataFrame, chk: Any = chk) -> pd.Series | float:
            if chk.other is not None:
                times = weeks if chk.times == "weeks" else (chk.times or 1)
                return df[chk.other].astype(float) * float(times)
            if chk.registry is not None:
                return pd.to_numeric(df[f"registry:{chk.registry}"], errors="coerce")
            return float(chk.value if chk.value is not None else np.nan)

        def check_fn(df: pd.DataFrame, chk: Any = chk, rhs_of: Any = rhs_of) -> pd.Series:
            ok = _compare(df, df[chk.field], chk.op, rhs_of(df))
            if chk.when_field is not None:
                ok = ok | (df[chk.when_field] != chk.when_equals)
            return ok

        checks.append(pa.Check(check_fn, name=name))

        def message(r: pd.Series, chk: Any = chk, rhs_of: Any = rhs_of) -> str:
            rhs = rhs_of(pd.DataFrame([r]))
            expected = rhs.iloc[0] if isinstance(rhs, pd.Series) else rhs
            other_value = r.get(chk.other) if chk.other else ""
            return chk.message.format(
                field=chk.field,
                value=_fmt(r[chk.field]),
                other=chk.other or "",
                other_value=_fmt(other_value),
                expected=_fmt(expected),
            )

        info[name] = _CheckInfo(
            Code.CROSS_FIELD if chk.registry is None else Code.VILLAGES_MISMATCH,
            Severity(chk.severity),
            chk.field,
            message,
        )
    return pa.DataFrameSchema(columns, checks=checks), info


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def _failures(schema: pa.DataFrameSchema, df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame(columns=["column", "check", "index"])
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        return err.failure_cases
    return pd.DataFrame(columns=["column", "check", "index"])


# --- the run ---------------------------------------------------------------------------------


@dataclass
class Prepared:
    """One return identified and normalised (the per-file half of validation)."""

    ret: RawReturn
    unit: str | None
    tasks: dict[str, list[Any]]  # columns of the Nhiệm vụ rows (columnar: light to send and keep)
    indicators: dict[str, list[Any]]  # columns of the Chỉ số rows
    issues: list[Issue]


def prepare(cat: Catalogue, period: Period, ret: RawReturn) -> Prepared:
    """Identify one return and normalise its cells; pure per-file work (runs in worker processes)."""
    unit = identify(cat, period, ret)
    own: list[Issue] = []
    tasks: dict[str, list[Any]] = {}
    indicators: dict[str, list[Any]] = {}
    if unit is not None:
        sheets = cat.sheets_for(unit, period)
        for part, sheet_name, present in (
            ("tasks", L.SHEET_TASKS, ret.tasks_sheet),
            ("indicators", L.SHEET_INDICATORS, ret.indicators_sheet),
        ):
            if part in sheets and not present:
                own.append(
                    make_issue(
                        Code.SHEET_MISSING,
                        Severity.ERROR,
                        f"Tệp «{ret.file}» thiếu trang «{sheet_name}»: hãy dùng đúng mẫu của đơn vị, "
                        "không xóa hoặc đổi tên trang.",
                        file=ret.file,
                        unit_code=unit,
                        sheet=sheet_name,
                    )
                )
        _info_issues(cat, ret, unit, own)
        tasks = _columns(_task_frame(cat, ret, unit, own))
        if "indicators" in sheets:
            indicators = _columns(_indicator_rows(cat, period, ret, unit, own))
    issues = [_with_unit(i, unit) for i in ret.issues] + own
    return Prepared(ret=ret, unit=unit, tasks=tasks, indicators=indicators, issues=issues)


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {key: [row[key] for row in rows] for key in rows[0]} if rows else {}


def _concat(parts: list[dict[str, list[Any]]]) -> pd.DataFrame:
    """One frame from the columns of many returns."""
    keys = next((list(p) for p in parts if p), [])
    return pd.DataFrame({k: [v for p in parts if p for v in p[k]] for k in keys})


def check_prepared(
    cat: Catalogue, period: Period, prepared: Iterable[Prepared], timings: dict[str, float] | None = None
) -> Checked:
    """Validate every prepared return of a run at once: one pandera pass per sheet kind."""
    prepared = list(prepared)
    started = time.perf_counter()
    issues = [i for p in prepared for i in p.issues]
    accepted = {p.ret.file: p.unit for p in prepared if p.unit is not None}
    issues += _duplicates(period, accepted)
    tasks = _concat([p.tasks for p in prepared])
    indicators = _concat([p.indicators for p in prepared])
    issues += _validate_tasks(cat, tasks)
    issues += _validate_indicators(cat, period, indicators)
    issues = _dedupe(issues)
    tasks, indicators = _drop_errors(tasks, indicators, issues)
    if timings is not None:
        timings["validate"] = timings.get("validate", 0.0) + time.perf_counter() - started
    returns = [p.ret for p in prepared]
    return Checked(returns=returns, accepted=accepted, tasks=tasks, indicators=indicators, issues=issues)


def _duplicates(period: Period, accepted: dict[str, str]) -> list[Issue]:
    """A warning on every file of a unit that sent several: only the last received one counts."""
    files: dict[str, list[str]] = {}
    for file, unit in accepted.items():
        files.setdefault(unit, []).append(file)
    out = []
    for unit, names in files.items():
        if len(names) < 2:
            continue
        listed = ", ".join(f"«{n}»" for n in sorted(names))
        for name in names:
            out.append(
                make_issue(
                    Code.DUPLICATE_RETURN,
                    Severity.WARNING,
                    f"Đơn vị {unit} gửi {len(names)} tệp cho kỳ {period.id} ({listed}): chỉ tệp nhận sau cùng "
                    "được tổng hợp, các tệp khác coi như đã được thay thế.",
                    file=name,
                    unit_code=unit,
                )
            )
    return out


def check_returns(cat: Catalogue, period: Period, returns: Iterable[RawReturn]) -> Checked:
    """Identify, normalise and validate every return of a run; collect every issue."""
    return check_prepared(cat, period, [prepare(cat, period, r) for r in returns])


def _with_unit(issue: Issue, unit: str | None) -> Issue:
    from dataclasses import replace

    return replace(issue, unit_code=unit) if unit and not issue.unit_code else issue


def _validate_tasks(cat: Catalogue, tasks: pd.DataFrame) -> list[Issue]:
    if tasks.empty:
        return []
    schema, info = task_schema(cat)
    out = []
    for case in _failures(schema, tasks).itertuples(index=False):
        meta = info.get(str(case.check))
        if meta is None or pd.isna(case.index):
            continue  # column-level value checks are already reported by the normalizer
        r = tasks.loc[int(case.index)]
        label = {"evidence": L.TASK_EVIDENCE, "result_value": L.TASK_RESULT_VALUE}[meta.column]
        out.append(
            make_issue(
                meta.code,
                meta.severity,
                meta.message(r),
                file=r.file,
                unit_code=r.unit_code,
                sheet=r.sheet,
                cell=r[f"{meta.column}_cell"],
                field=f"{r.task_id}:{label}",
                label=label,
            )
        )
    return out


def _validate_indicators(cat: Catalogue, period: Period, rows: pd.DataFrame) -> list[Issue]:
    if rows.empty:
        return []
    schema, info = indicator_schema(cat, period)
    wide = rows.pivot(index="file", columns="field_id", values="value")
    bad = rows.pivot(index="file", columns="field_id", values="value_bad")
    cells = rows.pivot(index="file", columns="field_id", values="value_cell")
    units = rows.groupby("file")["unit_code"].first()
    sheets = rows.groupby("file")["sheet"].first()
    for fid in schema.columns:
        if fid not in wide:
            wide[fid] = None
            bad[fid] = False
            cells[fid] = ""
    wide = wide.astype(object).where(wide.notna(), None)
    for fid in schema.columns:
        wide[f"bad:{fid}"] = bad[fid].fillna(False).astype(bool)
    for ind in cat.indicators_for(period.kind):
        wide[f"resp:{ind.id}"] = units.isin(frozenset(ind.responsible)).astype(bool)
    for chk in cat.checks:
        if chk.registry:
            wide[f"registry:{chk.registry}"] = units.map(
                lambda u, col=chk.registry: cat.units.at[u, col] if col in cat.units.columns else ""
            ).replace("", None)
    wide = wide.reset_index()
    out = []
    for case in _failures(schema, wide).itertuples(index=False):
        meta = info.get(str(case.check))
        if meta is None or pd.isna(case.index):
            continue
        r = wide.loc[int(case.index)]
        out.append(
            make_issue(
                meta.code,
                meta.severity,
                meta.message(r),
                file=r.file,
                unit_code=units[r.file],
                sheet=sheets[r.file],
                cell=cells.at[r.file, meta.column] if meta.column in cells else "",
                field=meta.column,
                value=r[meta.column],
                label=L.IND_VALUE,
            )
        )
    out += _evidence_issues(cat, period, rows)
    return out


def _evidence_issues(cat: Catalogue, period: Period, rows: pd.DataFrame) -> list[Issue]:
    """A reported indicator with no evidence on any of its rows: a warning (scored 0)."""
    indicator_of = {
        f.id: ind.id for ind in cat.indicators_for(period.kind) if ind.evidence_required for f in ind.fields
    }
    order = {fid: n for n, fid in enumerate(indicator_of)}
    df = rows[rows["field_id"].isin(indicator_of)]
    if df.empty:
        return []
    df = df.assign(
        indicator=df["field_id"].map(indicator_of),
        reported=df["value"].notna(),
        order=df["field_id"].map(order),
        file_pos=df["file"].map({f: n for n, f in enumerate(dict.fromkeys(df["file"]))}),
    ).sort_values(["file_pos", "indicator", "order"], kind="stable")
    agg = df.groupby(["file_pos", "indicator"], sort=True).agg(
        file=("file", "first"),
        reported=("reported", "any"),
        evidence=("has_evidence", "any"),
        unit=("unit_code", "first"),
        sheet=("sheet", "first"),
        cell=("evidence_cell", "first"),
        field=("field_id", "first"),
    )
    missing = agg[agg["reported"] & ~agg["evidence"]]
    return [
        make_issue(
            Code.NO_EVIDENCE,
            Severity.WARNING,
            f"Chỉ số {indicator} thiếu minh chứng ({cat.evidence_text}): điểm tự chấm không được công nhận "
            "(0 điểm). Hãy ghi số, ngày, tên văn bản chứng minh vào cột «Minh chứng».",
            file=r.file,
            unit_code=r.unit,
            sheet=r.sheet,
            cell=r.cell,
            field=r.field,
            label=L.IND_EVIDENCE,
        )
        for (_pos, indicator), r in missing.iterrows()
    ]


def _dedupe(issues: list[Issue]) -> list[Issue]:
    """One issue per cell and code; a cell that failed to parse gets no follow-up 'required' error."""
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for issue in issues:
        key = (issue.file, issue.sheet, issue.cell or issue.field, issue.code)
        if issue.cell and key in seen:
            continue
        seen.add(key)
        out.append(issue)
    return out


def _drop_errors(
    tasks: pd.DataFrame, indicators: pd.DataFrame, issues: list[Issue]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values with an error are kept out of merging and scoring."""
    errors = {(i.file, i.cell) for i in issues if i.severity == Severity.ERROR and i.cell}
    if not tasks.empty:
        for col in ("status", "result_value", "evidence"):
            src = "status_label" if col == "status" else col
            tasks.loc[_in(errors, tasks["file"], tasks[f"{col}_cell"]), src] = None
        tasks["status"] = tasks["status_label"].map(L.STATUS_VALUES)
        tasks["has_evidence"] = tasks["evidence"].notna()
        tasks["result_value"] = pd.to_numeric(tasks["result_value"], errors="coerce")
    else:
        tasks = pd.DataFrame(
            columns=["file", "unit_code", "task_id", "status", "result_value", "has_evidence"]
        )
    if not indicators.empty:
        indicators.loc[_in(errors, indicators["file"], indicators["value_cell"]), "value"] = None
    else:
        indicators = pd.DataFrame(columns=["file", "unit_code", "field_id", "value", "has_evidence"])
    return tasks, indicators


def _in(pairs: set[tuple[str, str]], files: pd.Series, cells: pd.Series) -> pd.Series:
    """Rows whose (file, cell) is in ``pairs``; only the files that have one are looked at."""
    mask = pd.Series(False, index=files.index)
    candidates = files.isin({f for f, _ in pairs})
    if candidates.any():
        mask[candidates] = [
            (f, c) in pairs for f, c in zip(files[candidates], cells[candidates], strict=True)
        ]
    return mask
