"""The plan read closer (contract §2, version 2): twins, target levels, notes, and the rows of a
unit's ``Nhiệm vụ`` sheet.

- **Twins**: 21 tasks repeat an earlier task's text (``same_as``). A unit that reports both fills
  one row naming both codes; its answer counts for both, and each keeps its own deadline and role.
- **Target levels** say who gives a task's figure: ``each`` reporting unit, only the ``lead``
  units, or ``city``: the supporting units (the wards) answer Có/Không and the lead's figure is
  the share of Có, computed.
- **Notes** (the plan's Ghi chú) are a target (``Chỉ tiêu``) or a reference (``Căn cứ``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

LEVELS = ("each", "lead", "city")
AGGREGATES = ("sum", "latest", "min")
NOTE_KINDS = ("target", "reference")
PERCENT = "%"
ADDED_ROLE = "phat_sinh"  # a task the unit added to its sheet (contract §5)

# What a unit types in ``Kết quả (số liệu)`` of a task row: a number, Có/Không (a city-level
# target's supporting unit), or nothing asked.
NUMBER, YES_NO, NOTHING = "number", "yes_no", ""
# The same as a code the template's formulas read from a hidden cell of the row (and the checks
# of a run from the row's ``figure``): no figure, a number, a percentage (at most 100), Có/Không.
FIGURE_NONE, FIGURE_NUMBER, FIGURE_PERCENT, FIGURE_YES_NO = 0, 1, 2, 3
PERCENT_MAX = 100


def twin_groups(tasks: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """task id → every task of its twin group (``same_as`` followed to the earliest), in catalogue
    order; a task without twins is not a key."""
    same = {str(t): str(s) for t, s in zip(tasks["task_id"], tasks["same_as"], strict=True) if s}

    def root(task: str) -> str:
        seen = set()
        while task in same and task not in seen:
            seen.add(task)
            task = same[task]
        return task

    groups: dict[str, list[str]] = {}
    for task in tasks["task_id"]:
        groups.setdefault(root(str(task)), []).append(str(task))
    return {t: tuple(g) for g in groups.values() if len(g) > 1 for t in g}


@dataclass(frozen=True)
class TaskRow:
    """One row of a unit's ``Nhiệm vụ`` sheet: one task, or twins the unit reports together."""

    tasks: tuple[Any, ...]  # named tuples of tasks.csv rows, earliest first
    roles: tuple[str, ...]  # the unit's role in each

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(str(t.task_id) for t in self.tasks)

    @property
    def first(self) -> Any:
        return self.tasks[0]

    @property
    def answer(self) -> str:
        """What the unit types in ``Kết quả (số liệu)``: ``number``, ``yes_no`` or nothing."""
        return answer_of(self.first, self.roles[0])

    @property
    def percent(self) -> bool:
        return str(self.first.target_unit) == PERCENT

    @property
    def figure(self) -> int:
        return figure_of(self.first, self.roles[0])


def target_level(task: Any) -> str:
    """``each``, ``lead`` or ``city`` for a task with a numeric target (``each`` by default), else ""."""
    if not task.target:
        return ""
    return str(task.target_level or "each")


def note_kind(task: Any) -> str:
    """``target`` or ``reference`` for a task with a Ghi chú (a target by default), else ""."""
    if not task.target_raw:
        return ""
    return str(task.note_kind or "target")


def answer_of(task: Any, role: str) -> str:
    """What a unit in ``role`` types as the task's figure (see :data:`NUMBER`, :data:`YES_NO`)."""
    level = target_level(task)
    if level == "each" or (level == "lead" and role != "phoi_hop"):
        return NUMBER
    if level == "city" and role == "phoi_hop":
        return YES_NO
    return NOTHING


def figure_of(task: Any, role: str) -> int:
    """The figure code (:data:`FIGURE_NUMBER`, …) of a task for a unit in ``role``."""
    answer = answer_of(task, role)
    if answer == YES_NO:
        return FIGURE_YES_NO
    if answer == NUMBER:
        return FIGURE_PERCENT if str(task.target_unit) == PERCENT else FIGURE_NUMBER
    return FIGURE_NONE


def unit_rows(
    tasks: Mapping[str, Any], ids: Iterable[str], roles: Iterable[str], twins: Mapping[str, tuple[str, ...]]
) -> tuple[TaskRow, ...]:
    """A unit's sheet rows: its tasks (``tasks``: task id → tasks.csv row) in catalogue order,
    twins it reports both of joined into the row of the earliest."""
    role_of = dict(zip(ids, roles, strict=True))
    rows: list[TaskRow] = []
    placed: set[str] = set()
    for task_id in role_of:
        if task_id in placed:
            continue
        group = [t for t in twins.get(task_id, (task_id,)) if t in role_of and t not in placed]
        placed.update(group)
        rows.append(TaskRow(tuple(tasks[t] for t in group), tuple(role_of[t] for t in group)))
    return tuple(rows)
