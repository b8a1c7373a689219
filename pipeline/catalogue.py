"""Reference data: units, tasks, indicators and the calendar, loaded from ``schemas/``.

Everything a locality may change lives in files (``units.csv``, ``tasks.csv``,
``indicators.yaml``, ``calendar.yaml``, ``aliases.yaml``, ``locality.yaml``). :func:`load_catalogue` reads and
validates them (pandera for the tables, plain checks for the YAML) and raises
:class:`CatalogueError` listing every problem, each naming its file, row and column.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import yaml

from pipeline.periods import Period
from pipeline.resolve import Resolver, fold

PROJECT_SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
SCHEMA_FILES = ("units.csv", "tasks.csv", "indicators.yaml", "calendar.yaml", "aliases.yaml")
# Who issues the templates and who receives the returns. Not in SCHEMA_FILES: the catalogue
# version (written in every template's _meta) covers what a return is checked against, and the
# locality only changes what the workbooks print.
LOCALITY_FILE = "locality.yaml"

KINDS = ("department", "agency", "ward", "commune")
PILLARS = {
    "NTS": "Nhận thức số",
    "TCS": "Thể chế số",
    "HTS": "Hạ tầng số",
    "NLS": "Nhân lực số",
    "ATTT": "An toàn thông tin mạng",
    "CQS": "Hoạt động chính quyền số",
    "KTS": "Hoạt động kinh tế số",
    "XHS": "Hoạt động xã hội số",
    "DTTM": "Đô thị thông minh",
}
APPENDICES = {"PL01": "Phụ lục 01", "PL02": "Phụ lục 02", "PL03": "Phụ lục 03"}
ROLES = {"chu_tri": "Chủ trì", "phoi_hop": "Phối hợp", "tham_muu": "Tham mưu"}
FREQUENCIES = ("weekly", "annual", "ongoing", "on_call", "by_date", "unspecified")
FIELD_TYPES = ("yes_no", "number", "integer", "text")
RULE_KINDS = ("yes_no", "threshold", "all_reached", "tiers", "ratio")
CHECK_OPS = ("<=", ">=", "==", "!=", "<", ">")
SHEET_KINDS = ("tasks", "indicators")
TARGET_RE = re.compile(r"^([a-z][a-z0-9_]*)\s*(>=|<=|>|<|==)\s*(\d+(?:\.\d+)?)$")
MONTH_DAY_RE = re.compile(r"^--(\d{2})-(\d{2})$")


class CatalogueError(Exception):
    """The reference data is broken; ``problems`` names file, row and column of each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True, slots=True)
class Target:
    metric: str
    op: str
    value: float
    scope: str  # annual: judged in annual periods only | any: judged in every period

    def met(self, x: float) -> bool:
        return {
            ">=": x >= self.value,
            "<=": x <= self.value,
            ">": x > self.value,
            "<": x < self.value,
            "==": x == self.value,
        }[self.op]

    @property
    def label(self) -> str:
        return f"{self.metric} {self.op} {self.value:g}"


@dataclass(frozen=True, slots=True)
class Field:
    id: str
    label: str
    type: str
    required: bool = True
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    field: str
    min: float | None = None  # threshold
    of: str | float | None = None  # all_reached / ratio: a field id or a number
    steps: tuple[tuple[float, float], ...] = ()  # tiers: (at_least, points), best first


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    pillar: str
    name: str
    max_score: float
    responsible: tuple[str, ...]  # unit codes, groups expanded, registry order
    periods: tuple[str, ...]
    evidence_required: bool
    rule_text: str
    fields: tuple[Field, ...]
    rule: Rule


@dataclass(frozen=True, slots=True)
class Check:
    field: str
    op: str
    severity: str
    message: str
    other: str | None = None
    times: str | float | None = None
    registry: str | None = None
    value: float | None = None
    when_field: str | None = None
    when_equals: str | None = None


@dataclass(frozen=True, slots=True)
class PeriodKind:
    name: str
    deadline_day: int
    deadline_month: int | None
    weeks: int
    expected: tuple[str, ...]  # unit codes, expanded
    sheets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Locality:
    """The locality using the tool (``locality.yaml``)."""

    name: str  # "UBND thành phố Thái Bình": running text, document properties
    title: str  # "UBND THÀNH PHỐ THÁI BÌNH": first line of the province workbook's title block
    short_name: str  # "UBND thành phố": how its own units address it
    level: str  # "thành phố": the kind of locality, in "Toàn thành phố", "chỉ số của thành phố"
    receiver: str  # unit code (units.csv) of the office that receives the returns


@dataclass(frozen=True)
class Catalogue:
    root: Path
    version: str
    units: pd.DataFrame  # code, name, kind, admin_code, villages, email, phone (index: code)
    tasks: pd.DataFrame  # one row per task (index: task_id)
    assignments: pd.DataFrame  # task_id, unit_code, role — one row per task and reporting unit
    indicators: tuple[Indicator, ...]
    checks: tuple[Check, ...]
    period_kinds: Mapping[str, PeriodKind]
    deadline_overrides: Mapping[str, date]
    groups: Mapping[str, tuple[str, ...]]
    evidence_text: str
    locality: Locality
    anomalies: tuple[str, ...] = field(default=())

    # --- lookups -------------------------------------------------------------------------
    def unit_name(self, code: str) -> str:
        return str(self.units.at[code, "name"]) if code in self.units.index else code

    def has_unit(self, code: str) -> bool:
        return code in self.units.index

    @cached_property
    def receiver_name(self) -> str:
        """The name of the office that receives the returns, e.g. "Phòng Văn hóa và Thông tin"."""
        return self.unit_name(self.locality.receiver)

    @cached_property
    def receiver_contact(self) -> tuple[str, str]:
        """(email, phone) of the office that receives the returns; "" where units.csv has none."""
        row = self.units.loc[self.locality.receiver]
        return str(row["email"]).strip(), str(row["phone"]).strip()

    @cached_property
    def _assigned(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """unit → (task ids, roles), in catalogue order: one pass instead of a scan per unit."""
        out: dict[str, tuple[list[str], list[str]]] = {}
        for task_id, unit, role in self.assignments[["task_id", "unit_code", "role"]].itertuples(index=False):
            ids, roles = out.setdefault(unit, ([], []))
            ids.append(task_id)
            roles.append(role)
        return {u: (tuple(ids), tuple(roles)) for u, (ids, roles) in out.items()}

    @cached_property
    def _responsible(self) -> dict[str, frozenset[str]]:
        return {i.id: frozenset(i.responsible) for i in self.indicators}

    @cached_property
    def _expected(self) -> dict[str, frozenset[str]]:
        return {k: frozenset(v.expected) for k, v in self.period_kinds.items()}

    def task_ids_of(self, unit_code: str) -> tuple[str, ...]:
        """The ids of the unit's tasks, in catalogue order."""
        return self._assigned.get(unit_code, ((), ()))[0]

    def roles_of(self, unit_code: str) -> tuple[str, ...]:
        """The unit's role in each of its tasks, in the order of :meth:`task_ids_of`."""
        return self._assigned.get(unit_code, ((), ()))[1]

    @cached_property
    def _task_rows(self) -> dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[Any, ...]]:
        return {}

    def task_rows(self, unit_code: str) -> tuple[Any, ...]:
        """:meth:`tasks_of` as named tuples, shared by the units with the same tasks and roles
        (every commune, say): a template or feedback file per unit does not filter the frame
        again."""
        key = self._assigned.get(unit_code, ((), ()))
        rows = self._task_rows.get(key)
        if rows is None:
            rows = self._task_rows[key] = tuple(self.tasks_of(unit_code).itertuples(index=False))
        return rows

    def tasks_of(self, unit_code: str) -> pd.DataFrame:
        """The unit's tasks in catalogue order, with its role (one row per task)."""
        ids, roles = self._assigned.get(unit_code, ((), ()))
        out = self.tasks.loc[list(ids)].copy()
        out["role"] = list(roles)
        return out

    def indicators_for(self, period_kind: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if period_kind in i.periods)

    def indicators_of(self, unit_code: str, period_kind: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators_for(period_kind) if unit_code in self._responsible[i.id])

    def fields(self) -> dict[str, tuple[Indicator, Field]]:
        return {f.id: (ind, f) for ind in self.indicators for f in ind.fields}

    def expected_units(self, period: Period) -> tuple[str, ...]:
        return self.period_kinds[period.kind].expected

    def sheets_for(self, unit_code: str, period: Period) -> tuple[str, ...]:
        """Sheet kinds the unit's template has in this period (``tasks``, ``indicators``)."""
        kind = self.period_kinds[period.kind]
        if unit_code not in self._expected[period.kind]:
            return ()
        out = ["tasks"] if "tasks" in kind.sheets else []
        if "indicators" in kind.sheets and self.indicators_of(unit_code, period.kind):
            out.append("indicators")
        return tuple(out)

    def deadline(self, period: Period) -> date:
        if period.id in self.deadline_overrides:
            return self.deadline_overrides[period.id]
        kind = self.period_kinds[period.kind]
        month = kind.deadline_month or period.last_month
        return date(period.year, month, kind.deadline_day)

    def weeks(self, period: Period) -> int:
        return self.period_kinds[period.kind].weeks

    @cached_property
    def _names(self) -> dict[str, str]:
        """Folded name, name without "UBND" and code → unit code; the first unit wins a clash."""
        out: dict[str, str] = {}
        for code, name in self.units["name"].items():
            folded = fold(str(name))
            for key in (folded, fold(str(code)), folded.removeprefix("ubnd ")):
                out.setdefault(key, str(code))
        return out

    def match_unit_name(self, text: str) -> str | None:
        """A unit code from a unit's name typed by hand (accents, case, "UBND" ignored)."""
        key = fold(text)
        return self._names.get(key) if key else None


# --- loading -------------------------------------------------------------------------------


def default_root() -> Path:
    env = os.environ.get("DTI_SCHEMAS")
    return Path(env) if env else PROJECT_SCHEMAS


def _read_csv(path: Path, problems: list[str]) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig").map(
            lambda v: " ".join(str(v).split()) if isinstance(v, str) else v
        )
    except FileNotFoundError:
        problems.append(f"{path}: thiếu tệp (file not found)")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        problems.append(f"{path}: không đọc được ({exc.__class__.__name__}: {exc})")
    return pd.DataFrame()


def _read_yaml(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path}: thiếu tệp (file not found)")
        return {}
    except yaml.YAMLError as exc:
        problems.append(f"{path}: YAML sai cú pháp: {exc}")
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path}: phải là một bảng khóa: giá trị (mapping)")
        return {}
    return data


def _pandera_problems(df: pd.DataFrame, schema: pa.DataFrameSchema, path: Path) -> list[str]:
    """Validate lazily; one line per failure naming file, CSV line and column."""
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        out = []
        for case in err.failure_cases.itertuples(index=False):
            idx = case.index
            line = f"dòng {int(idx) + 2}" if pd.notna(idx) else "toàn bảng"
            col = case.column if isinstance(case.column, str) else ""
            out.append(f"{path.name}, {line}, cột {col!s}: {case.check} (giá trị: {case.failure_case!r})")
        return sorted(set(out), key=out.index)
    return []


def _tokens_known(groups: Mapping[str, tuple[str, ...]], codes: set[str]) -> pa.Check:
    def ok(value: str) -> bool:
        return all(t in codes or t in groups for t in value.split())

    return pa.Check(ok, element_wise=True, name="mã đơn vị hoặc nhóm có trong units.csv/aliases.yaml")


def _units_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "code": pa.Column(str, [pa.Check.str_matches(r"^[A-Z][A-Z0-9_]*$")], unique=True),
            "name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "kind": pa.Column(str, pa.Check.isin(KINDS)),
            "admin_code": pa.Column(str, pa.Check.str_matches(r"^(\d+)?$"), required=False),
            "villages": pa.Column(str, pa.Check.str_matches(r"^(\d+)?$"), required=False),
        },
        strict=False,
    )


def _tasks_schema(groups: Mapping[str, tuple[str, ...]], codes: set[str]) -> pa.DataFrameSchema:
    known = _tokens_known(groups, codes)
    due_ok = pa.Check(
        lambda v: v == "" or bool(MONTH_DAY_RE.match(v)) or _iso_date(v) is not None,
        element_wise=True,
        name="ngày ISO (2023-12-31), ngày hằng năm (--12-31) hoặc để trống",
    )
    return pa.DataFrameSchema(
        {
            "task_id": pa.Column(str, pa.Check.str_matches(r"^PL\d{2}-\d+\.\d+[a-z]?$"), unique=True),
            "appendix": pa.Column(str, pa.Check.isin(list(APPENDICES))),
            "pillar": pa.Column(str, pa.Check.isin(list(PILLARS))),
            "text": pa.Column(str, pa.Check.str_length(min_value=1)),
            "lead_raw": pa.Column(str),
            "support_raw": pa.Column(str),
            "province_lead": pa.Column(str),
            "lead_role": pa.Column(str, pa.Check.isin(["chu_tri", "tham_muu"])),
            "lead_units": pa.Column(
                str, [pa.Check.str_length(min_value=1, error="mỗi nhiệm vụ phải có đơn vị báo cáo"), known]
            ),
            "support_units": pa.Column(str, known),
            "deadline_raw": pa.Column(str),
            "frequency": pa.Column(str, pa.Check.isin(FREQUENCIES)),
            "due_date": pa.Column(str, due_ok),
            "target_raw": pa.Column(str),
            "target": pa.Column(str, pa.Check.str_matches(r"^$|" + TARGET_RE.pattern[1:-1] + "$")),
            "target_scope": pa.Column(str, pa.Check.isin(["", "annual", "any"])),
        },
        checks=[
            pa.Check(
                lambda df: df["task_id"].str[:4] == df["appendix"],
                name="task_id phải bắt đầu bằng phụ lục",
            ),
            pa.Check(
                lambda df: (df["target"] == "") == (df["target_scope"] == ""),
                name="target và target_scope cùng có hoặc cùng trống",
            ),
            pa.Check(
                lambda df: (
                    (df["frequency"] != "by_date") | df["due_date"].map(lambda v: _iso_date(v) is not None)
                ),
                name="nhiệm vụ by_date cần due_date dạng 2023-12-31",
            ),
        ],
        strict=False,
    )


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def expand(tokens: Iterable[str], groups: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Unit codes for tokens that are codes or group names, first mention first, no repeats."""
    out: dict[str, None] = {}
    for token in tokens:
        out.update(dict.fromkeys(groups.get(token, (token,))))
    return list(out)


def _groups(
    aliases: Mapping[str, Any], units: pd.DataFrame, problems: list[str]
) -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    for name, kinds in (aliases.get("groups") or {}).items():
        bad = [k for k in kinds or [] if k not in KINDS]
        if bad:
            problems.append(f"aliases.yaml, groups.{name}: loại đơn vị không hợp lệ {bad}")
        groups[str(name)] = tuple(units.loc[units["kind"].isin(kinds or []), "code"])
    return groups


def _assignments(tasks: pd.DataFrame, groups: Mapping[str, tuple[str, ...]]) -> pd.DataFrame:
    rows = []
    for t in tasks.itertuples(index=False):
        leads = expand(t.lead_units.split(), groups)
        lead_set = set(leads)
        rows += [(t.task_id, u, t.lead_role) for u in leads]
        rows += [
            (t.task_id, u, "phoi_hop") for u in expand(t.support_units.split(), groups) if u not in lead_set
        ]
    return pd.DataFrame(rows, columns=["task_id", "unit_code", "role"])


def _number(value: Any, where: str, problems: list[str]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{where}: phải là một số (đang là {value!r})")
        return None
    return float(value)


def _load_indicators(
    data: Mapping[str, Any],
    groups: Mapping[str, tuple[str, ...]],
    codes: list[str],
    kinds: Iterable[str],
    problems: list[str],
) -> tuple[tuple[Indicator, ...], tuple[Check, ...]]:
    indicators: list[Indicator] = []
    seen_fields: set[str] = set()
    kinds = set(kinds)
    for n, raw in enumerate(data.get("indicators") or [], start=1):
        where = f"indicators.yaml, chỉ số thứ {n} (id {raw.get('id', '?')})"
        try:
            iid = str(raw["id"])
            fields = []
            for f in raw.get("fields") or []:
                fid = str(f["id"])
                if fid in seen_fields:
                    problems.append(f"{where}: trường {fid} bị trùng")
                seen_fields.add(fid)
                if f.get("type") not in FIELD_TYPES:
                    problems.append(f"{where}, trường {fid}: type phải là một trong {FIELD_TYPES}")
                fields.append(
                    Field(
                        id=fid,
                        label=str(f.get("label", fid)),
                        type=str(f.get("type")),
                        required=bool(f.get("required", True)),
                        min=_number(f.get("min"), f"{where}, trường {fid}, min", problems),
                        max=_number(f.get("max"), f"{where}, trường {fid}, max", problems),
                    )
                )
            if not fields:
                problems.append(f"{where}: cần ít nhất một trường nhập (fields)")
            rule = _load_rule(raw.get("rule") or {}, {f.id: f for f in fields}, where, problems)
            tokens = [str(t) for t in raw.get("responsible") or []]
            unknown = [t for t in tokens if t not in groups and t not in codes]
            if unknown or not tokens:
                problems.append(f"{where}: responsible có mã không có trong units.csv: {unknown or 'trống'}")
            expanded = set(expand(tokens, groups))
            periods = tuple(str(p) for p in raw.get("periods") or [])
            if not periods or set(periods) - kinds:
                problems.append(f"{where}: periods phải thuộc {sorted(kinds)}")
            max_score = _number(raw.get("max_score"), f"{where}, max_score", problems) or 0.0
            if max_score <= 0:
                problems.append(f"{where}: max_score phải lớn hơn 0")
            if raw.get("pillar") not in PILLARS:
                problems.append(f"{where}: pillar phải là một trong {list(PILLARS)}")
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
            problems.append(f"{where}: thiếu hoặc sai khóa {exc}")
    ids = [i.id for i in indicators]
    for dup in {i for i in ids if ids.count(i) > 1}:
        problems.append(f"indicators.yaml: chỉ số {dup} bị trùng")
    checks = _load_checks(data.get("checks") or [], seen_fields, problems)
    return tuple(indicators), checks


def _load_rule(raw: Mapping[str, Any], fields: Mapping[str, Field], where: str, problems: list[str]) -> Rule:
    kind = str(raw.get("kind"))
    fid = str(raw.get("field"))
    if kind not in RULE_KINDS:
        problems.append(f"{where}: rule.kind phải là một trong {RULE_KINDS}")
    if fid not in fields:
        problems.append(f"{where}: rule.field {fid} không phải trường của chỉ số này")
    of = raw.get("of")
    if isinstance(of, str) and of not in fields:
        problems.append(f"{where}: rule.of {of} không phải trường của chỉ số này")
    if kind in ("all_reached", "ratio") and of is None:
        problems.append(f"{where}: rule {kind} cần khóa 'of'")
    if kind == "yes_no" and fid in fields and fields[fid].type != "yes_no":
        problems.append(f"{where}: rule yes_no cần trường kiểu yes_no")
    if (
        kind in ("threshold", "all_reached", "tiers", "ratio")
        and fid in fields
        and fields[fid].type == "yes_no"
    ):
        problems.append(f"{where}: rule {kind} cần trường kiểu số")
    minimum = _number(raw.get("min"), f"{where}, rule.min", problems)
    if kind == "threshold" and minimum is None:
        problems.append(f"{where}: rule threshold cần khóa 'min'")
    steps: list[tuple[float, float]] = []
    for step in raw.get("steps") or []:
        try:
            steps.append((float(step["at_least"]), float(step["points"])))
        except (KeyError, TypeError, ValueError):
            problems.append(f"{where}: mỗi bậc của rule tiers cần at_least và points là số")
    if kind == "tiers" and not steps:
        problems.append(f"{where}: rule tiers cần ít nhất một bậc (steps)")
    steps.sort(key=lambda s: -s[0])
    return Rule(
        kind=kind,
        field=fid,
        min=minimum,
        of=of if isinstance(of, str) else _number(of, f"{where}, rule.of", problems),
        steps=tuple(steps),
    )


def _load_checks(raws: list[Any], fields: set[str], problems: list[str]) -> tuple[Check, ...]:
    checks = []
    for n, raw in enumerate(raws, start=1):
        where = f"indicators.yaml, checks thứ {n}"
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
            problems.append(f"{where}: thiếu hoặc sai khóa {exc}")
            continue
        refs = [check.field, check.other, check.when_field]
        for ref in refs:
            if ref is not None and ref not in fields:
                problems.append(f"{where}: trường {ref} không có trong indicators.yaml")
        if check.op not in CHECK_OPS or check.severity not in ("error", "warning"):
            problems.append(f"{where}: op phải thuộc {CHECK_OPS}, severity là error hoặc warning")
        if [check.other, check.registry, check.value].count(None) != 2:
            problems.append(f"{where}: cần đúng một trong other, registry, value")
        if check.times is not None and check.times != "weeks" and not isinstance(check.times, int | float):
            problems.append(f"{where}: times phải là một số hoặc 'weeks'")
        checks.append(check)
    return tuple(checks)


def _load_calendar(
    data: Mapping[str, Any], groups: Mapping[str, tuple[str, ...]], codes: list[str], problems: list[str]
) -> tuple[dict[str, PeriodKind], dict[str, date]]:
    kinds: dict[str, PeriodKind] = {}
    for name in ("month", "quarter", "year"):
        raw = (data.get("period_kinds") or {}).get(name)
        where = f"calendar.yaml, period_kinds.{name}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: thiếu")
            continue
        deadline = raw.get("deadline") or {}
        day, month = deadline.get("day"), deadline.get("month")
        if (
            not isinstance(day, int)
            or not 1 <= day <= 28
            or (month is not None and month not in range(1, 13))
        ):
            problems.append(f"{where}.deadline: cần day (1-28) và có thể có month (1-12)")
            day = 20
        tokens = [str(t) for t in raw.get("expected") or []]
        unknown = [t for t in tokens if t not in groups and t not in codes]
        if unknown:
            problems.append(f"{where}.expected: mã không có trong units.csv: {unknown}")
        sheets = tuple(str(s) for s in raw.get("sheets") or [])
        if set(sheets) - set(SHEET_KINDS):
            problems.append(f"{where}.sheets: chỉ được {SHEET_KINDS}")
        expected = set(expand(tokens, groups))
        kinds[name] = PeriodKind(
            name=name,
            deadline_day=day,
            deadline_month=month,
            weeks=int(raw.get("weeks") or 0),
            expected=tuple(c for c in codes if c in expected),
            sheets=sheets,
        )
    overrides: dict[str, date] = {}
    for pid, value in (data.get("overrides") or {}).items():
        d = value if isinstance(value, date) else _iso_date(str(value))
        if d is None:
            problems.append(f"calendar.yaml, overrides.{pid}: cần một ngày dạng 2023-12-22")
        else:
            overrides[str(pid)] = d
    return kinds, overrides


def _text(value: Any) -> str:
    """A string from YAML as NFC with single spaces; "" for anything that is not text."""
    if not isinstance(value, str):
        return ""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _load_locality(data: Mapping[str, Any], codes: list[str], problems: list[str]) -> Locality:
    authority = data.get("authority")
    if not isinstance(authority, dict):
        problems.append(
            f"{LOCALITY_FILE}, authority: thiếu hoặc không phải một bảng khóa (cần name, title, short_name, level)"
        )
        authority = {}
    values: dict[str, str] = {}
    for key in ("name", "title", "short_name", "level"):
        values[key] = _text(authority.get(key))
        if not values[key]:
            problems.append(f"{LOCALITY_FILE}, authority.{key}: thiếu hoặc trống (cần một chuỗi văn bản)")
    receiver = data.get("receiver")
    if not isinstance(receiver, str) or not receiver.strip():
        problems.append(
            f"{LOCALITY_FILE}, receiver: thiếu hoặc sai (cần mã đơn vị nhận báo cáo có trong units.csv, ví dụ VHTT)"
        )
        receiver = ""
    elif receiver.strip() not in codes:
        problems.append(f"{LOCALITY_FILE}, receiver: mã đơn vị {receiver.strip()!r} không có trong units.csv")
    return Locality(receiver=receiver.strip(), **values)


def _catalogue_version(root: Path) -> str:
    digest = hashlib.sha256()
    for name in SCHEMA_FILES:
        path = root / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:12]


def _anomalies(tasks: pd.DataFrame, groups: Mapping[str, tuple[str, ...]], resolver: Resolver) -> list[str]:
    """Source anomalies and disagreements between the raw texts and the resolved columns."""
    out = []
    for t in tasks.itertuples(index=False):
        known = resolver.deadline(t.deadline_raw)
        if known is None:
            out.append(
                f"{t.task_id}: cột thời hạn ghi '{t.deadline_raw}', không phải một thời hạn "
                f"(lỗi của văn bản gốc) → tần suất '{t.frequency}'"
            )
        elif known != (t.frequency, t.due_date):
            out.append(
                f"{t.task_id}: thời hạn '{t.deadline_raw}' thường là {known}, "
                f"tasks.csv ghi ({t.frequency}, {t.due_date})"
            )
        lead, lead_left = resolver.resolve(t.lead_raw, lead=True)
        support, support_left = resolver.resolve(t.support_raw, lead=False)
        for label, left in (("chủ trì", lead_left), ("phối hợp", support_left)):
            if left:
                out.append(f"{t.task_id}: không nhận ra đơn vị '{left}' trong cột {label}")
        if set(expand(lead, groups)) != set(expand(t.lead_units.split(), groups)):
            out.append(f"{t.task_id}: lead_units '{t.lead_units}' khác với văn bản gốc ({' '.join(lead)})")
        if set(expand(support, groups)) != set(expand(t.support_units.split(), groups)):
            out.append(
                f"{t.task_id}: support_units '{t.support_units}' khác với văn bản gốc ({' '.join(support)})"
            )
    return out


def load_catalogue(root: Path | str | None = None) -> Catalogue:
    """Load and validate the reference data; raise :class:`CatalogueError` on any problem."""
    root = Path(root) if root is not None else default_root()
    if not root.is_dir():
        raise CatalogueError([f"{root}: không có thư mục danh mục (schemas directory not found)"])
    problems: list[str] = []
    units = _read_csv(root / "units.csv", problems)
    tasks = _read_csv(root / "tasks.csv", problems)
    indicators_data = _read_yaml(root / "indicators.yaml", problems)
    calendar_data = _read_yaml(root / "calendar.yaml", problems)
    aliases = _read_yaml(root / "aliases.yaml", problems)
    locality_data = _read_yaml(root / LOCALITY_FILE, problems)
    if problems:
        raise CatalogueError(problems)

    for col in ("admin_code", "villages", "email", "phone"):
        if col not in units.columns:
            units[col] = ""
    problems += _pandera_problems(units, _units_schema(), root / "units.csv")
    codes = list(units["code"]) if "code" in units else []
    groups = _groups(aliases, units, problems)
    overlap = set(groups) & set(codes)
    if overlap:
        problems.append(f"aliases.yaml: tên nhóm trùng với mã đơn vị: {sorted(overlap)}")
    problems += _pandera_problems(tasks, _tasks_schema(groups, set(codes)), root / "tasks.csv")
    period_kinds, overrides = _load_calendar(calendar_data, groups, codes, problems)
    indicators, checks = _load_indicators(indicators_data, groups, codes, period_kinds, problems)
    locality = _load_locality(locality_data, codes, problems)
    if problems:
        raise CatalogueError(problems)

    resolver = Resolver.from_config(aliases, units)
    # Plain object columns from here on: pandas' string dtype yields its items one by one through
    # Python-level indexing, which costs seconds when a 10,000-unit profile is walked.
    units = units.astype(object).set_index("code", drop=False)
    assignments = _assignments(tasks, groups).astype(object)
    return Catalogue(
        root=root,
        version=_catalogue_version(root),
        units=units,
        tasks=tasks.astype(object).set_index("task_id", drop=False),
        assignments=assignments,
        indicators=indicators,
        checks=checks,
        period_kinds=period_kinds,
        deadline_overrides=overrides,
        groups=groups,
        evidence_text=str(indicators_data.get("evidence_text", "có số liệu, văn bản chứng minh")),
        locality=locality,
        anomalies=tuple(_anomalies(tasks, groups, resolver)),
    )


def parse_target(text: str, scope: str) -> Target | None:
    m = TARGET_RE.match(text.strip())
    return Target(m.group(1), m.group(2), float(m.group(3)), scope) if m else None


def due_date_in(due: str, year: int) -> date | None:
    """The due date of a task in a given year: ``--12-31`` recurs every year."""
    if not due:
        return None
    if m := MONTH_DAY_RE.match(due):
        return date(year, int(m.group(1)), int(m.group(2)))
    return _iso_date(due)
