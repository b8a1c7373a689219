"""``dti store export`` / ``import``: one CSV per table plus ``manifest.json``.

The CSV files are UTF-8 with a header row, rows in primary-key order (text compared byte by
byte), values written one way on every dialect (empty for NULL, ``true``/``false``, shortest
round-trip floats, ISO 8601 timestamps in UTC), so exporting the same rows from SQLite and
from PostgreSQL gives byte-identical files. The manifest records the schema revision, the tool
version, and per table its columns, row count and the sha256 of its CSV; an import checks all
of them before it writes anything, and only into an empty store.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pipeline import __version__
from pipeline.base.messages import store as texts
from pipeline.store import bulk, migrate
from pipeline.store import schema as S
from pipeline.store.errors import ExportInvalid, StoreError, StoreNotEmpty
from pipeline.store.reads import ordered

FORMAT = "dti-store-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
READ_CHUNK = 20_000


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export(engine: Engine, folder: Path) -> dict[str, Any]:
    """Write every table and the manifest (last, atomically) into ``folder``; the manifest."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise StoreError(texts.text("export_not_empty", folder=folder))
    folder.mkdir(parents=True, exist_ok=True)
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")  # one snapshot for all tables
        tables: dict[str, Any] = {}
        revision = migrate.current(conn)
        for table in S.TABLES:
            path = folder / f"{table.name}.csv"
            rows = _write_table(conn, table, path)
            tables[table.name] = {
                "file": path.name,
                "columns": [c.name for c in table.columns],
                "rows": rows,
                "sha256": _sha256(path),
            }
        dialect = conn.dialect.name
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": revision,
        "tool_version": __version__,
        "source_dialect": dialect,
        "tables": tables,
    }
    tmp = folder / f".{MANIFEST}.tmp"
    tmp.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    os.replace(tmp, folder / MANIFEST)
    return manifest


def _write_table(conn: sa.Connection, table: sa.Table, path: Path) -> int:
    stmt = sa.select(*table.columns).order_by(*ordered(conn, *table.primary_key.columns))
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([c.name for c in table.columns])
        result = conn.execution_options(yield_per=READ_CHUNK).execute(stmt)
        for part in result.partitions():
            writer.writerows([_text(v) for v in row] for row in part)
            count += len(part)
    return count


# --- import ------------------------------------------------------------------------------------


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise ExportInvalid(texts.text("import_no_manifest", folder=folder))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportInvalid(texts.text("import_bad_manifest", folder=folder, reason=exc)) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ExportInvalid(texts.text("import_bad_manifest", folder=folder, reason=f"format ≠ {FORMAT}"))
    if manifest.get("format_version") != FORMAT_VERSION:
        reason = f"format_version = {manifest.get('format_version')!r}"
        raise ExportInvalid(texts.text("import_bad_manifest", folder=folder, reason=reason))
    head = migrate.head()
    if manifest.get("schema_revision") != head:
        revision = manifest.get("schema_revision")
        raise ExportInvalid(texts.text("import_revision", folder=folder, revision=revision, head=head))
    tables = manifest.get("tables")
    if not isinstance(tables, dict) or set(tables) != set(S.TABLE_NAMES):
        raise ExportInvalid(texts.text("import_bad_manifest", folder=folder, reason="tables"))
    return manifest


def _check_files(folder: Path, manifest: dict[str, Any]) -> None:
    for table in S.TABLES:
        entry = manifest["tables"][table.name]
        name = str(entry.get("file", ""))
        path = folder / name
        if not name or Path(name).name != name or not path.is_file():
            raise ExportInvalid(texts.text("import_missing_file", file=name or table.name, folder=folder))
        if _sha256(path) != entry.get("sha256"):
            raise ExportInvalid(texts.text("import_checksum", file=name, folder=folder))
        expected = [c.name for c in table.columns]
        with path.open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh), [])
        if header != expected or entry.get("columns") != expected:
            found = ", ".join(header)
            raise ExportInvalid(
                texts.text(
                    "import_columns", file=name, found=found, table=table.name, expected=", ".join(expected)
                )
            )


def _parser(column: sa.Column[Any]) -> Any:
    t = column.type
    if isinstance(t, S.UtcDateTime):
        return datetime.fromisoformat
    if isinstance(t, sa.Date):
        return date.fromisoformat
    if isinstance(t, sa.Boolean):
        return {"true": True, "false": False}.__getitem__
    if isinstance(t, sa.Integer):
        return int
    if isinstance(t, sa.Double | sa.Float):
        return float
    return str


def _rows(path: Path, table: sa.Table) -> Iterator[tuple[Any, ...]]:
    parsers = [_parser(c) for c in table.columns]
    empties = [None if c.nullable else "" for c in table.columns]
    names = [c.name for c in table.columns]
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        for line, row in enumerate(reader, start=2):
            if len(row) != len(names):
                raise ExportInvalid(
                    texts.text("import_value", file=path.name, line=line, column="*", value=len(row))
                )
            out = []
            for value, parse, empty, name in zip(row, parsers, empties, names, strict=True):
                if value == "":
                    out.append(empty if parse is str or empty is None else _bad(path, line, name, value))
                    continue
                try:
                    out.append(parse(value))
                except (ValueError, KeyError):
                    out.append(_bad(path, line, name, value))
            yield tuple(out)


def _bad(path: Path, line: int, column: str, value: str) -> Any:
    raise ExportInvalid(texts.text("import_value", file=path.name, line=line, column=column, value=value))


def _row_count(conn: sa.Connection) -> int:
    return sum(int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()) for t in S.TABLES)


def import_(conn: sa.Connection, folder: Path, shown: str) -> dict[str, int]:
    """Load the export in ``folder`` through ``conn`` (a locked write transaction)."""
    manifest = _manifest(folder)
    _check_files(folder, manifest)
    rows = _row_count(conn)
    if rows:
        raise StoreNotEmpty(texts.text("import_not_empty", store=shown, rows=texts.number(rows)))
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    method = bulk.default_method(conn.dialect.name)
    counts: dict[str, int] = {}
    for table in S.TABLES:
        entry = manifest["tables"][table.name]
        path = folder / entry["file"]
        names = [c.name for c in table.columns]
        links: list[tuple[int, int]] = []
        source = _rows(path, table)
        if table is S.submissions:
            source = _unlinked(source, names.index("superseded_by"), names.index("id"), links)
        n = bulk.insert(conn, table, names, source, method)
        for sid, target in links:
            conn.execute(S.submissions.update().where(S.submissions.c.id == sid).values(superseded_by=target))
        if n != entry.get("rows"):
            raise ExportInvalid(
                texts.text("import_rows", file=path.name, found=n, expected=entry.get("rows"))
            )
        counts[table.name] = n
    if conn.dialect.name == "postgresql":
        for table in S.TABLES:
            if "id" in table.c and table.c.id.primary_key:
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
    return counts


def _unlinked(
    rows: Iterator[tuple[Any, ...]], link: int, key: int, links: list[tuple[int, int]]
) -> Iterator[tuple[Any, ...]]:
    """Submissions without ``superseded_by`` (it may point at a later row), kept to set after."""
    for row in rows:
        if row[link] is not None:
            links.append((row[key], row[link]))
            row = (*row[:link], None, *row[link + 1 :])
        yield row
