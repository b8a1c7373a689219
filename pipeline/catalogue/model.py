"""The reference data as frozen objects: units, tasks, indicators, calendar, locality, words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.base.periods import Period
from pipeline.base.text import fold
from pipeline.catalogue.rows import FIGURE_YES_NO, TaskRow, figure_of, twin_groups, unit_rows
from pipeline.normalize import Placeholders, YesNoWords

TARGET_RE = re.compile(r"^([a-z][a-z0-9_]*)\s*(>=|<=|>|<|==)\s*(\d+(?:\.\d+)?)$")
MONTH_DAY_RE = re.compile(r"^--(\d{2})-(\d{2})$")
FREQUENCIES = ("weekly", "annual", "ongoing", "on_call", "by_date", "unspecified")
# how an annual target is judged over the year's monthly returns (tasks.csv `target_aggregate`):
# sum the months' figures (counts), take the latest month's (ratios; "" means latest too), or the weakest
TARGET_AGGREGATES = ("", "latest", "sum", "min")
SHEET_KINDS = ("tasks", "indicators")
CHECK_OPS = ("<=", ">=", "==", "!=", "<", ">")


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
    level: str = "each"  # who gives the figure: each reporting unit | lead units | city (share of Có)
    aggregate: str = ""  # how an annual target is judged over the months: sum | latest | min
    unit: str = ""  # the figure's unit as the plan writes it: "%", "tin bài", "lần/tuần"

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
    type: str  # a name of pipeline.catalogue.field_types.FIELD_TYPES
    required: bool = True
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str  # a name of pipeline.catalogue.rule_kinds.RULE_KINDS
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
    # the kind of period whose returns carry this period's task progress ("month" for a quarter:
    # each unit's latest monthly return within it); "" when its own returns do
    tasks_from: str = ""


@dataclass(frozen=True, slots=True)
class Cumulative:
    """``calendar.yaml`` ``cumulative``: the figures a unit reports as counted so far (from the
    start of the year, or ever), which cannot go down from one period to the next of a year."""

    # as declared (a name the catalogue does not have matches nothing: dti catalogue check lists it)
    quantities: frozenset[str] = frozenset()  # of tasks.csv ``target``: the task's Kết quả (số liệu)
    fields: frozenset[str] = frozenset()  # indicators.yaml field ids


@dataclass(frozen=True, slots=True)
class Signer:
    """Who signs the narrative report (``locality.yaml``, ``report.signer``)."""

    authority: str  # "KT. CHỦ TỊCH" (signs for the chairman); "" when the head signs
    title: str  # "PHÓ CHỦ TỊCH"
    name: str  # "": a dotted blank the office fills


@dataclass(frozen=True, slots=True)
class ReportForm:
    """The narrative report's form (``locality.yaml``, ``report``): Nghị định 30/2020/NĐ-CP."""

    symbol: str  # after "Số: ……/": "BC-UBND"
    recipient: str  # Kính gửi: "Sở Thông tin và Truyền thông tỉnh Thái Bình"
    copies: tuple[str, ...]  # Nơi nhận, between "Như trên" and "Lưu"
    archive: str  # after "Lưu: ": "VT, VHTT"
    signer: Signer
    plan: str  # the plan the report answers, cited in its first sentence; "" when none


@dataclass(frozen=True, slots=True)
class Locality:
    """The locality using the tool (``locality.yaml``)."""

    name: str  # "UBND thành phố Thái Bình": running text, document properties
    title: str  # "UBND THÀNH PHỐ THÁI BÌNH": first line of the province workbook's title block
    short_name: str  # "UBND thành phố": how its own units address it
    level: str  # "thành phố": the kind of locality, in "Toàn thành phố", "chỉ số của thành phố"
    receiver: str  # unit code (units.csv) of the office that receives the returns
    code: str  # ASCII, upper case, in file names and CSV files: "TP_THAI_BINH"
    admin_code: str  # the national administrative code: "336"
    header: tuple[str, ...]  # the issuing body, one line each: ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ THÁI BÌNH")
    superior: str  # the body printed above the issuing body; "" for a People's Committee
    place: str  # the date line's place name: "Thái Bình"
    report: ReportForm


@dataclass(frozen=True, slots=True)
class UnitKind:
    code: str  # department | agency | ward | commune
    label: str  # how the workbooks name the group: "Phường"
    ranked: bool  # units of the kind are ranked against each other


@dataclass(frozen=True)
class Vocabulary:
    """``vocabulary.yaml``: pillars, appendices, kinds of unit, spellings of fixed values."""

    pillars: Mapping[str, str]  # code → name, in report order
    appendices: Mapping[str, str]
    unit_kinds: Mapping[str, UnitKind]  # in report order
    status_aliases: Mapping[str, str]  # another spelling → a Tình trạng value
    yes_no: YesNoWords
    placeholders: Placeholders  # what is not evidence (x, có, rồi, …)
    # the measure of a numeric target's quantity (tasks.csv ``target``): so_tin_bai → "tin bài/năm"
    measures: Mapping[str, str] = field(default_factory=dict)

    @property
    def ranked_kinds(self) -> tuple[str, ...]:
        return tuple(k for k, v in self.unit_kinds.items() if v.ranked)


@dataclass(frozen=True)
class Catalogue:
    root: Path
    version: str  # tasks, units, indicators, calendar and aliases (written in every template's _meta)
    words_version: str  # locality.yaml and vocabulary.yaml: how things are named and typed words read
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
    vocabulary: Vocabulary
    anomalies: tuple[str, ...] = field(default=())
    cumulative: Cumulative = field(default_factory=Cumulative)

    # --- lookups (derived once from the frozen fields) -------------------------------------
    def unit_name(self, code: str) -> str:
        return str(self.units.at[code, "name"]) if code in self.units.index else code

    def has_unit(self, code: str) -> bool:
        return code in self.units.index

    @cached_property
    def cumulative_tasks(self) -> frozenset[str]:
        """The tasks whose Kết quả (số liệu) is cumulative: their target counts a quantity that
        ``calendar.yaml`` lists under ``cumulative.tasks``."""
        out = set()
        for task_id, text, scope in zip(
            self.tasks.index, self.tasks["target"], self.tasks["target_scope"], strict=True
        ):
            target = parse_target(str(text), str(scope)) if text else None
            if target is not None and target.metric in self.cumulative.quantities:
                out.add(str(task_id))
        return frozenset(out)

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
        a = self.assignments
        ids, roles = a["task_id"].to_numpy(dtype=object), a["role"].to_numpy(dtype=object)
        rows = a.groupby("unit_code", sort=False).indices  # in order of appearance, rows ascending
        return {u: (tuple(ids[at]), tuple(roles[at])) for u, at in rows.items()}

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
    def _yes_no(self) -> dict[tuple[tuple[str, ...], tuple[str, ...]], frozenset[str]]:
        """Every distinct (tasks, roles) of the units → its Có/Không tasks: found once, not once
        per unit and call (a run asks for each of thousands of communes)."""
        out: dict[tuple[tuple[str, ...], tuple[str, ...]], frozenset[str]] = {}
        for key in self._assigned.values():
            if key not in out:
                out[key] = frozenset(
                    t
                    for t, role in zip(*key, strict=True)
                    if t in self.task and figure_of(self.task[t], role) == FIGURE_YES_NO
                )
        return out

    def yes_no_tasks(self, unit_code: str) -> frozenset[str]:
        """The unit's tasks whose «Kết quả (số liệu)» is a Có/Không (a ward's answer to a
        city-level target, read as 100 and 0)."""
        return self._yes_no.get(self._assigned.get(unit_code, ((), ())), frozenset())

    @cached_property
    def _task_rows(self) -> dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[Any, ...]]:
        """Every distinct (tasks, roles) of the units, as named tuples: units with the same tasks
        and roles (every commune, say) share one tuple."""
        out: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[Any, ...]] = {}
        for unit, key in self._assigned.items():
            if key not in out:
                out[key] = tuple(self.tasks_of(unit).itertuples(index=False))
        return out

    def task_rows(self, unit_code: str) -> tuple[Any, ...]:
        """:meth:`tasks_of` as named tuples, shared by the units with the same tasks and roles: a
        template or feedback file per unit does not filter the frame again."""
        return self._task_rows.get(self._assigned.get(unit_code, ((), ())), ())

    @cached_property
    def twins(self) -> dict[str, tuple[str, ...]]:
        """task id → its twin group (``same_as``), earliest first; tasks without twins are not keys."""
        return twin_groups(self.tasks)

    @cached_property
    def task(self) -> dict[str, Any]:
        """task id → its tasks.csv row as a named tuple (one lookup instead of a frame's .loc)."""
        return {str(t.task_id): t for t in self.tasks.itertuples(index=False)}

    @cached_property
    def _sheet_rows(self) -> dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[TaskRow, ...]]:
        out: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[TaskRow, ...]] = {}
        for key in self._assigned.values():
            if key not in out:
                out[key] = unit_rows(self.task, key[0], key[1], self.twins)
        return out

    def sheet_rows(self, unit_code: str) -> tuple[TaskRow, ...]:
        """The rows of the unit's ``Nhiệm vụ`` sheet: its tasks, twins it reports both of in one row."""
        return self._sheet_rows.get(self._assigned.get(unit_code, ((), ())), ())

    @cached_property
    def feeds(self) -> dict[str, tuple[str, ...]]:
        """task id → the ids of the indicators it feeds (``feeds``); tasks feeding none are not keys."""
        return {str(t): tuple(str(f).split()) for t, f in self.tasks["feeds"].items() if f}

    def tasks_of(self, unit_code: str) -> pd.DataFrame:
        """The unit's tasks in catalogue order, with its role (one row per task)."""
        ids, roles = self._assigned.get(unit_code, ((), ()))
        out = self.tasks.loc[list(ids)].copy()
        out["role"] = list(roles)
        return out

    @cached_property
    def _task_keys(self) -> dict[str, str]:
        return {str(t).upper().replace(" ", ""): str(t) for t in self.tasks.index}

    def task_key(self, typed: str) -> str:
        """A task id as typed (any case, spaces) → the catalogue's id (``PL01-5.1B`` →
        ``PL01-5.1b``); an unknown id comes back upper-cased without spaces."""
        key = typed.upper().replace(" ", "")
        return self._task_keys.get(key, key)

    def indicators_for(self, period_kind: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if period_kind in i.periods)

    def indicators_of(self, unit_code: str, period_kind: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators_for(period_kind) if unit_code in self._responsible[i.id])

    def fields(self) -> dict[str, tuple[Indicator, Field]]:
        return {f.id: (ind, f) for ind in self.indicators for f in ind.fields}

    @cached_property
    def _validity(self) -> dict[str, tuple[date | None, date | None]]:
        """unit → (valid_from, valid_to) as dates, read once from units.csv."""

        def column(name: str) -> list[Any]:
            return list(self.units[name]) if name in self.units.columns else [""] * len(self.units)

        return {
            str(u): (iso_date(str(a or "")), iso_date(str(b or "")))
            for u, a, b in zip(self.units.index, column("valid_from"), column("valid_to"), strict=True)
        }

    def valid_in(self, unit_code: str, period: Period) -> bool:
        """Whether the unit exists during the period (``valid_from``/``valid_to`` in units.csv)."""
        start, end = self._validity[unit_code]
        return (start is None or start <= period.end) and (end is None or end >= period.start)

    def expected_units(self, period: Period) -> tuple[str, ...]:
        """The units that owe a return for the period (its kind's, those that exist then)."""
        return tuple(u for u in self.period_kinds[period.kind].expected if self.valid_in(u, period))

    def task_units(self, period: Period) -> tuple[str, ...]:
        """The units whose task progress the period's report shows: for a quarter or a year, the
        units of the monthly returns it is drawn from."""
        kind = self.period_kinds[period.kind]
        source = self.period_kinds.get(kind.tasks_from, kind) if kind.tasks_from else kind
        return tuple(u for u in source.expected if self.valid_in(u, period))

    @cached_property
    def _successors(self) -> dict[str, str]:
        """unit → the successor ``units.csv`` names (units with none left out)."""
        return {
            u: str(n) for u, n in zip(self.units.index, self.units["successor"], strict=True) if n and str(n)
        }

    def successor(self, unit_code: str) -> str:
        """The unit that carries on a merged or renamed unit's history (itself when none)."""
        seen = {unit_code}
        code = unit_code
        nexts = self._successors
        while (nxt := nexts.get(code, "")) and nxt not in seen:
            seen.add(nxt)
            code = nxt
        return code

    def sheets_for(self, unit_code: str, period: Period) -> tuple[str, ...]:
        """Sheet kinds the unit's template has in this period (``tasks``, ``indicators``)."""
        kind = self.period_kinds[period.kind]
        if unit_code not in self._expected[period.kind] or not self.valid_in(unit_code, period):
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


def expand(tokens: Iterable[str], groups: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Unit codes for tokens that are codes or group names, first mention first, no repeats."""
    out: dict[str, None] = {}
    for token in tokens:
        out.update(dict.fromkeys(groups.get(token, (token,))))
    return list(out)


def parse_target(
    text: str, scope: str, level: str = "", aggregate: str = "", unit: str = ""
) -> Target | None:
    m = TARGET_RE.match(text.strip())
    if not m:
        return None
    return Target(m.group(1), m.group(2), float(m.group(3)), scope, level or "each", aggregate, unit)


def task_target(task: Any) -> Target | None:
    """The numeric target of a task (a tasks.csv row), with its level, aggregate and unit."""
    if not task.target:
        return None
    return parse_target(
        task.target, task.target_scope, task.target_level, task.target_aggregate, task.target_unit
    )


def iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@lru_cache(maxsize=4096)  # asked once per merged row: one date object per task and year
def due_date_in(due: str, year: int) -> date | None:
    """The due date of a task in a given year: ``--12-31`` recurs every year."""
    if not due:
        return None
    if m := MONTH_DAY_RE.match(due):
        return date(year, int(m.group(1)), int(m.group(2)))
    return iso_date(due)
