"""The template checks itself while the clerk types, with no server: the marks of
:mod:`pipeline.rules.marks` (the rules ``dti validate`` runs) as conditional formats that colour a
wrong cell at once, and a line at the top of the sheet, from formulas, that counts what is left to
fill and the cells in error: "Còn 12 nhiệm vụ chưa chọn Tình trạng · 2 ô lỗi".

Hidden cells to the right of the table count the marked cells by tally (still to fill, errors,
warnings: a cell counts once however many of its rules fail): on ``Nhiệm vụ`` one array formula
per tally over the table's columns, on the other sheets a cell per row; the line sums them. Every formula is written with its value computed here for the values the template is
written with, so a viewer that does not recalculate (a phone's preview) shows the right count.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.worksheet import Worksheet

from pipeline.base.messages.text import Text
from pipeline.base.text import a1
from pipeline.outputs.template_style import Formats
from pipeline.rules.conditions import CellRule, Refs, cf_formula, guarded, safe_value

TALLIES = ("left", "errors", "warnings")


@dataclass(frozen=True)
class SheetCells:
    """The named cells of a sheet's rows: for each sheet row, the name → (row, col) of its cells
    and the values written in them. On a table sheet (``Nhiệm vụ``) every row has the same names;
    on the others each name is one cell."""

    rows: Mapping[int, Mapping[str, tuple[int, int]]]
    values: Mapping[int, Mapping[str, Any]]
    constants: Mapping[str, str]  # names that are the same value on every row: resp:1.1 → 1


def _ref(position: tuple[int, int], relative_row: bool) -> str:
    row, col = position
    cell = a1(row, col)
    letters = cell.rstrip("0123456789")
    return f"${letters}{row + 1}" if relative_row else f"${letters}${row + 1}"


@dataclass(frozen=True)
class Line:
    """The line at the top of a sheet: its cell, its sentence (slots: the tallies it shows) and
    what it says when nothing is left."""

    row: int
    col: int
    text: Text
    done: str


def _concat(text: Text, refs: Mapping[str, str]) -> str:
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(text.template):
        if literal:
            parts.append('"' + literal.replace('"', '""') + '"')
        if name is not None:
            parts.append(refs[name])
    return "&".join(parts)


def _range(first: tuple[int, int], last_row: int) -> str:
    row, col = first
    letters = a1(row, col).rstrip("0123456789")
    return f"${letters}${row + 1}:${letters}${last_row + 1}"


def write_checks(
    ws: Worksheet,
    fmt: Formats,
    rules: Sequence[CellRule],
    cells: SheetCells,
    helper_col: int,
    line: Line,
    *,
    table: bool,
    last_row: int | None = None,
) -> dict[str, int]:
    """Conditional formats for ``rules``, the tallies in hidden cells from ``helper_col`` on, and
    the line; returns the tallies as computed for the values written (the cached values).

    On a table sheet each tally is one array formula over the table's columns (a few formulas for
    the whole sheet, so a return stays small and quick to read); on the other sheets each row has
    its own tally cells."""
    names_everywhere: dict[str, tuple[int, int]] = {}
    for row_cells in cells.rows.values():
        names_everywhere.update(row_cells)
    rows_with = sorted(cells.rows)
    end = last_row if last_row is not None else (rows_with[-1] if rows_with else 0)

    def constant_or(name: str, cell: Callable[[], str]) -> str:
        return cells.constants[name] if name in cells.constants else cell()

    def refs_for(row: int) -> Refs:
        here = cells.rows.get(row, {})
        if table:
            return lambda name: constant_or(name, lambda: _ref(here[name], relative_row=True))
        return lambda name: constant_or(name, lambda: _ref(names_everywhere[name], relative_row=False))

    def ranges(name: str) -> str:  # a table's column, for the array formulas
        return constant_or(name, lambda: _range(cells.rows[rows_with[0]][name], end))

    def get_for(row: int) -> Callable[[str], Any]:
        values = cells.values.get(row, {})
        every: dict[str, Any] = {}
        for v in cells.values.values():
            every.update(v)

        def get(name: str) -> Any:
            if name in cells.constants:
                constant = cells.constants[name]
                return None if constant == '""' else float(constant)
            return values.get(name) if table else every.get(name)

        return get

    usable = [r for r in rules if r.column in names_everywhere]
    # conditional formats: over the column on a table sheet, on the one cell otherwise
    for rule in usable:
        # still to fill: the colour of "to do"; a wrong value: red for an error, yellow for a warning
        look = fmt.cf_error if rule.severity == "error" and rule.tally != "left" else fmt.cf_warning
        if table:
            first = rows_with[0]
            col = cells.rows[first][rule.column][1]
            criteria = cf_formula(rule.fails, refs_for(first))
            ws.conditional_format(
                first, col, end, col, {"type": "formula", "criteria": criteria, "format": look}
            )
        else:
            row, col = names_everywhere[rule.column]
            criteria = cf_formula(rule.fails, refs_for(row))
            ws.conditional_format(
                row, col, row, col, {"type": "formula", "criteria": criteria, "format": look}
            )
    # each tally: a cell counted once however many of its rules fail
    totals = dict.fromkeys(TALLIES, 0)
    per_row: dict[int, dict[str, int]] = {}
    for row in rows_with:
        get = get_for(row)
        per_row[row] = {}
        for tally in TALLIES:
            per_row[row][tally] = sum(
                any(safe_value(r.fails, get) for r in usable if r.column == name and r.tally == tally)
                for name in cells.rows[row]
            )
            totals[tally] += per_row[row][tally]
    sums: dict[str, str] = {}
    for n, tally in enumerate(TALLIES):
        col = helper_col + n
        names = dict.fromkeys(r.column for r in usable if r.tally == tally)
        if table:
            parts = [
                "SUM(IFERROR(--(("
                + "+".join(
                    f"({r.fails.excel(ranges)})" for r in usable if r.column == name and r.tally == tally
                )
                + ")>0),0))"
                for name in names
            ]
            if parts:
                ws.write_array_formula(
                    line.row, col, line.row, col, "{=" + "+".join(parts) + "}", fmt.hidden, totals[tally]
                )
            else:
                ws.write_number(line.row, col, 0, fmt.hidden)
        else:
            for row in rows_with:
                ref = refs_for(row)
                parts = [
                    "MAX("
                    + ",".join(guarded(r.fails, ref) for r in usable if r.column == name and r.tally == tally)
                    + ")"
                    for name in cells.rows[row]
                    if any(r.column == name and r.tally == tally for r in usable)
                ]
                if parts:
                    ws.write_formula(row, col, "=" + "+".join(parts), fmt.hidden, per_row[row][tally])
                else:
                    ws.write_number(row, col, 0, fmt.hidden)
            column = a1(0, col).rstrip("0123456789")
            spans = ",".join(f"${column}${r + 1}" for r in rows_with)
            ws.write_formula(
                line.row, col, f"=SUM({spans})" if rows_with else "=0", fmt.hidden, totals[tally]
            )
        sums[tally] = f"${a1(0, col).rstrip('0123456789')}${line.row + 1}"
    shown = [name for name in TALLIES if name in line.text.slots]
    none_left = "AND(" + ",".join(f"{sums[t]}=0" for t in shown) + ")"
    done = line.done.replace('"', '""')
    text = f'=IF({none_left},"{done}",{_concat(line.text, sums)})'
    if all(totals[t] == 0 for t in shown):
        cached_text = line.done
    else:
        cached_text = line.text.format(**{t: totals[t] for t in shown})
    ws.write_formula(line.row, line.col, text, fmt.line, cached_text)
    ws.conditional_format(
        line.row,
        line.col,
        line.row,
        line.col,
        {"type": "formula", "criteria": f"={none_left}", "format": fmt.cf_done},
    )
    for n in range(len(TALLIES)):
        ws.set_column(helper_col + n, helper_col + n, None, None, {"hidden": True})
    return totals


def hide_columns(ws: Worksheet, columns: Iterable[int]) -> None:
    for col in columns:
        ws.set_column(col, col, None, None, {"hidden": True})
