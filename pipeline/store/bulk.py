"""Frames in, rows out: converting DataFrames to plain Python rows, and fast bulk inserts.

Bulk inserts go straight to the driver inside the caller's transaction, in chunks:
``executemany``, multi-row ``VALUES`` (the default on SQLite: a million cells at 270,000-300,000
rows/s against 220,000 with executemany), or ``COPY … FROM STDIN`` (the default on PostgreSQL,
psycopg 3: 3-4 times executemany, 8 times VALUES). ``benchmarks/store_bench.py`` measures them.

Empty text in a nullable text column is stored as NULL: the store does not tell an empty
text from no text (so an export and an import give back the same rows).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from itertools import islice
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from pipeline.store import schema as S

CHUNK = 20_000
METHODS = ("executemany", "values", "copy")
MAX_PARAMS = {"sqlite": 32_000, "postgresql": 65_000}


def default_method(dialect: str) -> str:
    """The fastest method measured for ``dialect`` (see benchmarks/store_bench.py)."""
    return "copy" if dialect == "postgresql" else "values"


def as_text(value: Any) -> str:
    """A non-text value given for a text column, written the way the CSV files write it."""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        x = float(value)
        return str(int(x)) if x.is_integer() and abs(x) < 2**53 else repr(x)
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()
    return str(value)


def _kind(column: sa.Column[Any]) -> str:
    t = column.type
    if isinstance(t, sa.Boolean):
        return "bool"
    if isinstance(t, sa.Integer):
        return "int"
    if isinstance(t, sa.Double | sa.Float):
        return "float"
    if isinstance(t, sa.String):  # Text is a String
        return "text"
    return "other"


def _values(series: pd.Series, column: sa.Column[Any]) -> list[Any]:
    missing = series.isna().tolist()
    values = series.tolist()
    kind = _kind(column)
    name = f"{column.table.name}.{column.name}"
    if not column.nullable and any(missing):
        raise ValueError(f"{name}: missing values in a column that needs one")
    if kind == "text":
        out = [
            None if m else (v if type(v) is str else as_text(v)) for v, m in zip(values, missing, strict=True)
        ]
        return [None if v == "" else v for v in out] if column.nullable else out
    if kind == "int":
        return [None if m else _int(v, name) for v, m in zip(values, missing, strict=True)]
    if kind == "float":
        return [None if m else _float(v, name) for v, m in zip(values, missing, strict=True)]
    if kind == "bool":
        return [None if m else _bool(v, name) for v, m in zip(values, missing, strict=True)]
    return [None if m else v for v, m in zip(values, missing, strict=True)]


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"{name}: expected an integer, got {value!r}")
    if isinstance(value, float | np.floating) and not float(value).is_integer():
        raise ValueError(f"{name}: expected an integer, got {value!r}")
    return int(value)


def _float(value: Any, name: str) -> float | None:
    if isinstance(value, bool | np.bool_ | str):
        raise ValueError(f"{name}: expected a number, got {value!r}")
    x = float(value)
    return x if math.isfinite(x) else None


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer) and int(value) in (0, 1):
        return bool(value)
    raise ValueError(f"{name}: expected true/false, got {value!r}")


def frame_rows(
    frame: pd.DataFrame, table: sa.Table, fixed: Mapping[str, Any] | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The table's columns found in ``frame`` or ``fixed`` (constants), and the rows as tuples.

    Columns of the frame the table does not have are ignored; a nullable column absent from
    both is left out (NULL); a required column absent from both raises ``ValueError``.
    """
    fixed = dict(fixed or {})
    names: list[str] = []
    columns: list[list[Any]] = []
    n = len(frame)
    for column in table.columns:
        if column.name in fixed:
            names.append(column.name)
            columns.append([fixed[column.name]] * n)
        elif column.name in frame.columns:
            names.append(column.name)
            columns.append(_values(frame[column.name], column))
        elif not column.nullable and not _is_serial(column):
            raise ValueError(f"{table.name}: the frame has no column '{column.name}'")
    return names, list(zip(*columns, strict=True)) if columns else [()] * n


def _is_serial(column: sa.Column[Any]) -> bool:
    return bool(
        column.primary_key and isinstance(column.type, sa.Integer) and len(column.table.primary_key) == 1
    )


def chunks(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    """``rows`` in lists of at most ``size``."""
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _processor(column: sa.Column[Any], dialect: sa.Dialect) -> Callable[[Any], Any] | None:
    if isinstance(column.type, sa.DateTime | sa.Date | S.UtcDateTime):
        return column.type.bind_processor(dialect) or (lambda v: v)
    return None


def _processed(
    rows: Iterable[tuple[Any, ...]], processors: list[Callable[[Any], Any] | None]
) -> Iterator[tuple[Any, ...]]:
    pairs = [(i, f) for i, f in enumerate(processors) if f is not None]
    for row in rows:
        out = list(row)
        for i, f in pairs:
            if out[i] is not None:
                out[i] = f(out[i])
        yield tuple(out)


def insert_dicts(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]], method: str) -> int:
    """``insert`` for rows given as dicts with the same keys."""
    if not rows:
        return 0
    names = list(rows[0])
    return insert(conn, table, names, [tuple(r[n] for n in names) for r in rows], method)


def insert(
    conn: sa.Connection,
    table: sa.Table,
    names: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    method: str,
) -> int:
    """Insert plain rows (values already in Python types) into ``table``; the count inserted."""
    if method not in METHODS:
        raise ValueError(f"unknown bulk method {method!r}")
    dialect = conn.dialect.name
    if method == "copy" and dialect != "postgresql":
        method = "executemany"
    processors = [_processor(table.c[n], conn.dialect) for n in names]
    if any(processors):  # timestamps and dates: the types' own conversion (UTC, SQLite's text form)
        rows = _processed(rows, processors)
    quote = conn.dialect.identifier_preparer.quote
    cols = ", ".join(quote(n) for n in names)
    target = quote(table.name)
    raw = conn.connection.dbapi_connection
    assert raw is not None
    mark = "?" if dialect == "sqlite" else "%s"
    one = "(" + ", ".join([mark] * len(names)) + ")"
    count = 0
    if method == "copy":
        with raw.cursor() as cur, cur.copy(f"COPY {target} ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    if method == "values":
        per = max(1, MAX_PARAMS[dialect] // max(1, len(names)))
        cur = raw.cursor()
        try:
            for batch in chunks(rows, per):
                sql = f"INSERT INTO {target} ({cols}) VALUES " + ", ".join([one] * len(batch))
                cur.execute(sql, [v for row in batch for v in row])
                count += len(batch)
        finally:
            cur.close()
        return count
    sql = f"INSERT INTO {target} ({cols}) VALUES {one}"
    cur = raw.cursor()
    try:
        for batch in chunks(rows, CHUNK):
            cur.executemany(sql, batch)
            count += len(batch)
    finally:
        cur.close()
    return count
