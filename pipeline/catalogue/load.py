"""Load and validate ``schemas/``: :func:`load_catalogue` reads every file (pandera for the
tables, plain checks for the YAML) and raises :class:`CatalogueError` listing every problem,
each naming its file, row and column."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import yaml

from pipeline.base import vocabulary as V
from pipeline.base.messages import texts as T
from pipeline.catalogue.anomalies import anomalies
from pipeline.catalogue.field_types import FIELD_TYPES
from pipeline.catalogue.indicators import load_indicators
from pipeline.catalogue.locality import LOCALITY_FILE, load_locality
from pipeline.catalogue.model import (
    FREQUENCIES,
    MONTH_DAY_RE,
    SHEET_KINDS,
    TARGET_AGGREGATES,
    TARGET_RE,
    Catalogue,
    CatalogueError,
    Cumulative,
    Indicator,
    PeriodKind,
    UnitKind,
    Vocabulary,
    expand,
    iso_date,
)
from pipeline.catalogue.resolve import Resolver
from pipeline.catalogue.rows import LEVELS, NOTE_KINDS
from pipeline.normalize import Placeholders, YesNoWords

PROJECT_SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
SCHEMA_FILES = ("units.csv", "tasks.csv", "indicators.yaml", "calendar.yaml", "aliases.yaml")
# Not in SCHEMA_FILES: the catalogue version (written in every template's _meta) covers what a
# return answers (its tasks and indicators); the locality and the vocabulary change how the
# workbooks name things and how typed words are read.
# Columns of tasks.csv added by version 2 of the contract: a profile without them reads as empty.
TASK_OPTIONAL = ("note_kind", "target_level", "target_aggregate", "target_unit", "same_as", "feeds")
VOCABULARY_FILE = "vocabulary.yaml"


def default_root() -> Path:
    env = os.environ.get("DTI_SCHEMAS")
    return Path(env) if env else PROJECT_SCHEMAS


# --- files ---------------------------------------------------------------------------------


def _read_csv(path: Path, problems: list[str]) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig").map(
            lambda v: " ".join(str(v).split()) if isinstance(v, str) else v
        )
    except FileNotFoundError:
        problems.append(T.CAT_FILE_MISSING.format(path=path))
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        problems.append(T.CAT_FILE_UNREADABLE.format(path=path, error=f"{exc.__class__.__name__}: {exc}"))
    return pd.DataFrame()


def _read_yaml(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(T.CAT_FILE_MISSING.format(path=path))
        return {}
    except yaml.YAMLError as exc:
        problems.append(T.CAT_YAML_SYNTAX.format(path=path, error=exc))
        return {}
    if not isinstance(data, dict):
        problems.append(T.CAT_YAML_NOT_MAPPING.format(path=path))
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
            where = T.CAT_LINE.format(line=int(idx) + 2) if pd.notna(idx) else T.CAT_WHOLE_TABLE
            col = case.column if isinstance(case.column, str) else ""
            out.append(
                T.CAT_TABLE_PROBLEM.format(
                    file=path.name, where=where, column=col, check=case.check, value=repr(case.failure_case)
                )
            )
        return sorted(set(out), key=out.index)
    return []


# --- tables --------------------------------------------------------------------------------


def _tokens_known(groups: Mapping[str, tuple[str, ...]], codes: set[str]) -> pa.Check:
    def ok(value: str) -> bool:
        return all(t in codes or t in groups for t in value.split())

    return pa.Check(ok, element_wise=True, name=T.CAT_CHECK_UNIT_TOKENS)


def _units_schema(kinds: Iterable[str], codes: Iterable[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "code": pa.Column(str, [pa.Check.str_matches(r"^[A-Z][A-Z0-9_]*$")], unique=True),
            "name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "kind": pa.Column(str, pa.Check.isin(list(kinds))),
            "admin_code": pa.Column(str, pa.Check.str_matches(r"^(\d+)?$"), required=False),
            "villages": pa.Column(str, pa.Check.str_matches(r"^(\d+)?$"), required=False),
            "valid_from": pa.Column(str, _date_or_blank(), required=False),
            "valid_to": pa.Column(str, _date_or_blank(), required=False),
            "successor": pa.Column(str, pa.Check.isin(["", *codes]), required=False),
        },
        checks=[
            pa.Check(
                lambda df: (
                    (df["valid_from"] == "") | (df["valid_to"] == "") | (df["valid_from"] <= df["valid_to"])
                ),
                name=T.CAT_CHECK_VALIDITY,
            ),
            pa.Check(
                lambda df: (df["successor"] == "") | (df["successor"] != df["code"]),
                name=T.CAT_CHECK_SUCCESSOR,
            ),
        ],
        strict=False,
    )


def _ids_known(ids: Iterable[str], name: str) -> pa.Check:
    known = set(ids)
    return pa.Check(lambda value: all(t in known for t in value.split()), element_wise=True, name=name)


def _date_or_blank() -> pa.Check:
    return pa.Check(
        lambda v: v == "" or iso_date(v) is not None, element_wise=True, name=T.CAT_CHECK_ISO_DATE
    )


def _tasks_schema(
    groups: Mapping[str, tuple[str, ...]],
    codes: set[str],
    vocabulary: Vocabulary,
    ids: Iterable[str],
    indicator_ids: Iterable[str],
) -> pa.DataFrameSchema:
    ids = list(ids)
    known = _tokens_known(groups, codes)
    due_ok = pa.Check(
        lambda v: v == "" or bool(MONTH_DAY_RE.match(v)) or iso_date(v) is not None,
        element_wise=True,
        name=T.CAT_CHECK_DUE_DATE,
    )
    return pa.DataFrameSchema(
        {
            "task_id": pa.Column(str, pa.Check.str_matches(r"^PL\d{2}-\d+\.\d+[a-z]?$"), unique=True),
            "appendix": pa.Column(str, pa.Check.isin(list(vocabulary.appendices))),
            "pillar": pa.Column(str, pa.Check.isin(list(vocabulary.pillars))),
            "text": pa.Column(str, pa.Check.str_length(min_value=1)),
            "lead_raw": pa.Column(str),
            "support_raw": pa.Column(str),
            "province_lead": pa.Column(str),
            "lead_role": pa.Column(str, pa.Check.isin(["chu_tri", "tham_muu"])),
            "lead_units": pa.Column(
                str, [pa.Check.str_length(min_value=1, error=T.CAT_CHECK_LEAD_UNITS), known]
            ),
            "support_units": pa.Column(str, known),
            "deadline_raw": pa.Column(str),
            "frequency": pa.Column(str, pa.Check.isin(FREQUENCIES)),
            "due_date": pa.Column(str, due_ok),
            "target_raw": pa.Column(str),
            "target": pa.Column(str, pa.Check.str_matches(r"^$|" + TARGET_RE.pattern[1:-1] + "$")),
            "target_scope": pa.Column(str, pa.Check.isin(["", "annual", "any"])),
            "note_kind": pa.Column(str, pa.Check.isin(["", *NOTE_KINDS])),
            "target_level": pa.Column(str, pa.Check.isin(["", *LEVELS])),
            "target_aggregate": pa.Column(str, pa.Check.isin(list(TARGET_AGGREGATES))),
            "target_unit": pa.Column(str),
            "same_as": pa.Column(str, pa.Check.isin(["", *ids], error=T.CAT_CHECK_SAME_AS)),
            "feeds": pa.Column(str, _ids_known(indicator_ids, T.CAT_CHECK_FEEDS)),
        },
        checks=[
            pa.Check(lambda df: df["task_id"].str[:4] == df["appendix"], name=T.CAT_CHECK_TASK_APPENDIX),
            pa.Check(
                lambda df: (df["target"] == "") == (df["target_scope"] == ""), name=T.CAT_CHECK_TARGET_SCOPE
            ),
            pa.Check(
                lambda df: (df["target_aggregate"] == "") | (df["target_scope"] == "annual"),
                name=T.CAT_CHECK_TARGET_AGGREGATE,
            ),
            pa.Check(
                lambda df: (
                    (df["frequency"] != "by_date") | df["due_date"].map(lambda v: iso_date(v) is not None)
                ),
                name=T.CAT_CHECK_BY_DATE,
            ),
            pa.Check(lambda df: df["same_as"] != df["task_id"], name=T.CAT_CHECK_SAME_AS_SELF),
            pa.Check(
                lambda df: (df["target"] != "") | (df["target_level"] + df["target_aggregate"] == ""),
                name=T.CAT_CHECK_TARGET_LEVEL,
            ),
        ],
        strict=False,
    )


def _groups(
    aliases: Mapping[str, Any], units: pd.DataFrame, kinds: Iterable[str], problems: list[str]
) -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    known = set(kinds)
    for name, members in (aliases.get("groups") or {}).items():
        bad = [k for k in members or [] if k not in known]
        if bad:
            problems.append(T.CAT_GROUP_KINDS.format(group=name, kinds=bad))
        groups[str(name)] = tuple(units.loc[units["kind"].isin(members or []), "code"])
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


# --- YAML ----------------------------------------------------------------------------------


def _load_calendar(
    data: Mapping[str, Any], groups: Mapping[str, tuple[str, ...]], codes: list[str], problems: list[str]
) -> tuple[dict[str, PeriodKind], dict[str, date]]:
    kinds: dict[str, PeriodKind] = {}
    for name in ("month", "quarter", "year"):
        raw = (data.get("period_kinds") or {}).get(name)
        if not isinstance(raw, dict):
            problems.append(T.CAT_PERIOD_KIND_MISSING.format(kind=name))
            continue
        deadline = raw.get("deadline") or {}
        day, month = deadline.get("day"), deadline.get("month")
        if (
            not isinstance(day, int)
            or not 1 <= day <= 28
            or (month is not None and month not in range(1, 13))
        ):
            problems.append(T.CAT_DEADLINE.format(kind=name))
            day = 20
        tokens = [str(t) for t in raw.get("expected") or []]
        unknown = [t for t in tokens if t not in groups and t not in codes]
        if unknown:
            problems.append(T.CAT_EXPECTED.format(kind=name, codes=unknown))
        sheets = tuple(str(s) for s in raw.get("sheets") or [])
        if set(sheets) - set(SHEET_KINDS):
            problems.append(T.CAT_SHEETS.format(kind=name, sheets=SHEET_KINDS))
        expected = set(expand(tokens, groups))
        tasks_from = str(raw.get("tasks_from") or "")
        if tasks_from and (tasks_from not in ("month", "quarter", "year") or tasks_from == name):
            problems.append(T.CAT_TASKS_FROM.format(kind=name))
            tasks_from = ""
        kinds[name] = PeriodKind(
            name=name,
            deadline_day=day,
            deadline_month=month,
            weeks=int(raw.get("weeks") or 0),
            expected=tuple(c for c in codes if c in expected),
            sheets=sheets,
            tasks_from=tasks_from,
        )
    overrides: dict[str, date] = {}
    for pid, value in (data.get("overrides") or {}).items():
        d = value if isinstance(value, date) else iso_date(str(value))
        if d is None:
            problems.append(T.CAT_OVERRIDE.format(period=pid))
        else:
            overrides[str(pid)] = d
    return kinds, overrides


def _load_cumulative(
    data: Mapping[str, Any], tasks: pd.DataFrame, indicators: Iterable[Indicator], problems: list[str]
) -> Cumulative:
    """``cumulative``: task quantities (of tasks.csv ``target``) and numeric indicator fields.

    A field that is not a number is a mistake. A quantity or field the catalogue does not have
    is not: a profile copied from another locality keeps the calendar and changes its tasks or
    indicators; ``dti catalogue check`` lists such names as unused."""
    raw = data.get("cumulative") or {}
    lists = {key: raw.get(key) or [] for key in ("tasks", "indicators")} if isinstance(raw, dict) else {}
    if not lists or set(raw) - set(lists) or not all(isinstance(v, list) for v in lists.values()):
        problems.append(T.CAT_CUMULATIVE_SHAPE)
        return Cumulative()
    fields = {f.id: f for ind in indicators for f in ind.fields}
    declared = [str(f) for f in lists["indicators"]]
    problems += [
        T.CAT_CUMULATIVE_FIELD.format(field=f)
        for f in declared
        if f in fields and not FIELD_TYPES[fields[f].type].numeric
    ]
    return Cumulative(frozenset(str(q) for q in lists["tasks"]), frozenset(declared))


def _text(value: Any) -> str:
    """A string from YAML as NFC with single spaces; "" for anything that is not text."""
    if not isinstance(value, str):
        return ""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _mapping(data: Mapping[str, Any], key: str, problems: list[str]) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict) or not value:
        problems.append(
            T.CAT_VOCABULARY_KEY.format(file=VOCABULARY_FILE, key=key, need=T.CAT_VOCABULARY_MAPPING)
        )
        return {}
    return {str(k): v for k, v in value.items()}


def _words(
    data: Mapping[str, Any], key: str, problems: list[str], prefix: str = "yes_no.", optional: bool = False
) -> list[str]:
    value = data.get(key)
    if value is None and optional:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(
            T.CAT_VOCABULARY_KEY.format(
                file=VOCABULARY_FILE, key=f"{prefix}{key}", need=T.CAT_VOCABULARY_LIST
            )
        )
        return []
    return [_text(v) for v in value]


def _load_vocabulary(data: Mapping[str, Any], problems: list[str]) -> Vocabulary:
    pillars = {k: _text(v) for k, v in _mapping(data, "pillars", problems).items()}
    appendices = {k: _text(v) for k, v in _mapping(data, "appendices", problems).items()}
    kinds: dict[str, UnitKind] = {}
    for code, raw in _mapping(data, "unit_kinds", problems).items():
        if (
            not isinstance(raw, dict)
            or not _text(raw.get("label"))
            or not isinstance(raw.get("ranked"), bool)
        ):
            need = T.CAT_VOCABULARY_KIND
            problems.append(
                T.CAT_VOCABULARY_KEY.format(file=VOCABULARY_FILE, key=f"unit_kinds.{code}", need=need)
            )
            continue
        kinds[code] = UnitKind(code, _text(raw["label"]), raw["ranked"])
    aliases: dict[str, str] = {}
    for alias, target in _mapping(data, "status_aliases", problems).items():
        target = _text(str(target))
        if target not in V.STATUS_VALUES:
            need = T.CAT_VOCABULARY_STATUS.format(values=list(V.STATUS_VALUES), value=repr(target))
            problems.append(
                T.CAT_VOCABULARY_KEY.format(file=VOCABULARY_FILE, key=f"status_aliases.{alias}", need=need)
            )
        aliases[_text(alias)] = target
    yes_no = _mapping(data, "yes_no", problems)
    words = YesNoWords.of(
        _words(yes_no, "yes_words", problems) if yes_no else [],
        _words(yes_no, "no_words", problems) if yes_no else [],
        _words(yes_no, "marks", problems) if yes_no else [],
        _words(yes_no, "ask_words", problems, optional=True) if yes_no else [],
    )
    measures: dict[str, str] = {}
    raw_measures = data.get("measures", {})  # optional: a locality without numeric targets omits it
    if not isinstance(raw_measures, dict):
        problems.append(
            T.CAT_VOCABULARY_KEY.format(file=VOCABULARY_FILE, key="measures", need=T.CAT_VOCABULARY_MAPPING)
        )
        raw_measures = {}
    for quantity, measure in raw_measures.items():
        if not isinstance(measure, str) or not _text(measure):
            problems.append(
                T.CAT_VOCABULARY_KEY.format(
                    file=VOCABULARY_FILE, key=f"measures.{quantity}", need=T.CAT_VOCABULARY_MEASURE
                )
            )
            continue
        measures[str(quantity)] = _text(measure)
    placeholders = Placeholders.of(_words(data, "evidence_placeholders", problems, prefix="", optional=True))
    return Vocabulary(pillars, appendices, kinds, aliases, words, placeholders, measures)


def _catalogue_version(root: Path, names: Iterable[str] = SCHEMA_FILES) -> str:
    digest = hashlib.sha256()
    for name in names:
        path = root / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:12]


def load_catalogue(root: Path | str | None = None) -> Catalogue:
    """Load and validate the reference data; raise :class:`CatalogueError` on any problem."""
    root = Path(root) if root is not None else default_root()
    if not root.is_dir():
        raise CatalogueError([T.CAT_NO_FOLDER.format(path=root)])
    problems: list[str] = []
    units = _read_csv(root / "units.csv", problems)
    tasks = _read_csv(root / "tasks.csv", problems)
    indicators_data = _read_yaml(root / "indicators.yaml", problems)
    calendar_data = _read_yaml(root / "calendar.yaml", problems)
    aliases = _read_yaml(root / "aliases.yaml", problems)
    locality_data = _read_yaml(root / LOCALITY_FILE, problems)
    vocabulary_data = _read_yaml(root / VOCABULARY_FILE, problems)
    if problems:
        raise CatalogueError(problems)

    vocabulary = _load_vocabulary(vocabulary_data, problems)
    for col in ("admin_code", "villages", "email", "phone", "valid_from", "valid_to", "successor"):
        if col not in units.columns:
            units[col] = ""
    codes = list(units["code"]) if "code" in units else []
    problems += _pandera_problems(units, _units_schema(vocabulary.unit_kinds, codes), root / "units.csv")
    groups = _groups(aliases, units, vocabulary.unit_kinds, problems)
    overlap = set(groups) & set(codes)
    if overlap:
        problems.append(T.CAT_GROUP_IS_UNIT.format(names=sorted(overlap)))
    period_kinds, overrides = _load_calendar(calendar_data, groups, codes, problems)
    indicators, checks = load_indicators(
        indicators_data, groups, codes, period_kinds, vocabulary.pillars, problems
    )
    for col in TASK_OPTIONAL:
        if col not in tasks.columns:
            tasks[col] = ""
    ids = list(tasks["task_id"]) if "task_id" in tasks else []
    schema = _tasks_schema(groups, set(codes), vocabulary, ids, [i.id for i in indicators])
    problems += _pandera_problems(tasks, schema, root / "tasks.csv")
    locality = load_locality(locality_data, codes, problems)
    cumulative = _load_cumulative(calendar_data, tasks, indicators, problems)
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
        words_version=_catalogue_version(root, (LOCALITY_FILE, VOCABULARY_FILE)),
        units=units,
        tasks=tasks.astype(object).set_index("task_id", drop=False),
        assignments=assignments,
        indicators=indicators,
        checks=checks,
        period_kinds=period_kinds,
        deadline_overrides=overrides,
        groups=groups,
        evidence_text=str(indicators_data.get("evidence_text", T.EVIDENCE_TEXT_DEFAULT)),
        locality=locality,
        vocabulary=vocabulary,
        anomalies=tuple(anomalies(tasks, groups, resolver)),
        cumulative=cumulative,
    )
