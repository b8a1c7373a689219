"""The draws of the demo's season (``dti demo --season``): each task's status and cumulative figure
month by month, moving only forward, and the units that make the planted cross-period mistakes."""

from __future__ import annotations

import random

from pipeline.base import vocabulary as V
from pipeline.catalogue import Catalogue, parse_target


def season_status(unit: str, task_id: str, stage: int) -> str:
    """A task's status in the ``stage``-th month of a season (0, 1, 2): each task of each unit
    starts and ends in months of its own draw (independent of the month), so a status only ever
    moves forward from one month to the next."""
    rng = random.Random(f"season:{unit}:{task_id}")
    if rng.random() < 0.08:
        return V.STATUS_NOT_APPLICABLE
    start = rng.choice((0, 0, 0, 1, 1, 2))
    done = start + rng.choice((0, 1, 1, 2, 3, 9))  # 9: not done within the season
    if stage >= done:
        return V.STATUS_DONE
    return V.STATUS_IN_PROGRESS if stage >= start else V.STATUS_NOT_STARTED


def season_figure(unit: str, task_id: str, target: float, stage: int) -> float:
    """A cumulative figure in the ``stage``-th month of a season: it starts below the target and
    climbs towards it, never going down (its own draw, independent of the month)."""
    rng = random.Random(f"season:{unit}:{task_id}:figure")
    start = target - rng.choice((15, 10, 5, 0))
    return float(max(0.0, min(target, start + rng.choice((0, 5, 5, 10)) * stage)))


OPEN = (V.STATUS_NOT_STARTED, V.STATUS_IN_PROGRESS)


def reported(status: str) -> bool:
    return status in (V.STATUS_DONE, V.STATUS_IN_PROGRESS)


def reached(cat: Catalogue, unit: str, task_id: str, stage: int) -> bool:
    """Whether a ward's Có/Không to a cumulative city-level target is Có in the ``stage``-th
    month (its figure has reached the target), so that a Không after it is a decrease; a figure
    typed as a number can always fall."""
    target = parse_target(cat.tasks.at[task_id, "target"], cat.tasks.at[task_id, "target_scope"])
    if task_id not in cat.yes_no_tasks(unit) or target is None:
        return True
    return season_figure(unit, task_id, target.value, stage) >= target.value


def planted_roles(cat: Catalogue, depts: list[str], wards: list[str]) -> tuple[str, str, str]:
    """The units of a season's planted cross-period mistakes (copied, went back, decreased):
    the first units past those of the usual mistakes that can make them."""
    spare_depts, spare_wards = depts[3:-1], wards[4:-1]
    copied = next(
        (u for u in spare_depts if any(season_status(u, t, 0) in OPEN for t in cat.task_ids_of(u))),
        "",
    )
    went_back = next(
        (
            u
            for u in spare_depts
            if u != copied and any(season_status(u, t, 1) == V.STATUS_DONE for t in cat.task_ids_of(u))
        ),
        "",
    )
    decreased = next(
        (
            u
            for u in spare_wards
            if any(
                reported(season_status(u, t, 1))
                and reported(season_status(u, t, 2))
                and reached(cat, u, t, 1)
                for t in cat.task_ids_of(u)
                if t in cat.cumulative_tasks
            )
        ),
        "",
    )
    return copied, went_back, decreased
