"""A deterministic, realistic set of filled returns for every unit of the registry.

Most units fill their template properly; a few make the mistakes the analyst sees every
month (a number typed with words, a status without diacritics, a finished task without
evidence, more villages with a team than villages, an indicator without evidence, a file
renamed by the clerk); one unit returns late, one not at all, one sends twice. Which units
make which mistake depends only on their position in the registry, so it works for any
locality's profile (``--schemas``).
"""

from __future__ import annotations

import csv
import random
import zipfile
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from email.headerregistry import Address
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from pipeline.base import vocabulary as V
from pipeline.base.atomic import atomic_path
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period, parse_period, previous_period
from pipeline.base.text import fold
from pipeline.catalogue import FIGURE_NONE, FIGURE_PERCENT, FIGURE_YES_NO, Catalogue, parse_target
from pipeline.demo_season import planted_roles, reached, reported, season_figure, season_status
from pipeline.intake import SAMPLE_FILE
from pipeline.outputs.remind import attach, compose
from pipeline.outputs.templates import Filled, template_name, write_template

PEOPLE = (
    "Nguyễn Thị Hương",
    "Trần Văn Minh",
    "Lê Thị Lan",
    "Phạm Đức Thắng",
    "Vũ Thị Thu Trang",
    "Đỗ Văn Hải",
)
POSITIONS = ("Chuyên viên", "Công chức Văn hóa - Xã hội", "Phó Trưởng phòng", "Văn phòng - Thống kê")
EVIDENCE = (
    "Kế hoạch số {n}/KH-UBND ngày {d:%d/%m/%Y}",
    "Báo cáo số {n}/BC-UBND ngày {d:%d/%m/%Y}",
    "Quyết định số {n}/QĐ-UBND ngày {d:%d/%m/%Y}",
    "Công văn số {n}/UBND ngày {d:%d/%m/%Y}",
)
RESULTS = (
    "Đã triển khai theo kế hoạch, tổ chức quán triệt tới cán bộ, công chức.",
    "Đã ban hành văn bản chỉ đạo và phân công cán bộ phụ trách.",
    "Thực hiện thường xuyên, cập nhật số liệu định kỳ.",
)

# What a few units type under «Khó khăn, vướng mắc» (one in six, by registry position); the last
# says nothing, as many units write.
PROBLEMS = (
    "Kinh phí mua sắm thiết bị còn hạn chế; đề nghị thành phố bố trí kinh phí năm 2024.",
    "Cán bộ phụ trách kiêm nhiệm nhiều việc, chưa được tập huấn chuyên sâu về chuyển đổi số. "
    "Đề nghị tổ chức lớp tập huấn cho cán bộ phụ trách.",
    "Đường truyền Internet tại một số thôn còn chậm, ảnh hưởng đến việc hướng dẫn người dân sử dụng "
    "dịch vụ công trực tuyến.",
    "Người cao tuổi còn e ngại sử dụng điện thoại thông minh; kiến nghị hỗ trợ tài liệu hướng dẫn "
    "bằng hình ảnh.",
    "Không có",
)


FULL_UNITS = 200  # units written one by one; beyond, units are copies of a unit of their shape
DONORS_PER_SHAPE = 12


@dataclass(frozen=True)
class DemoResult:
    folder: Path
    files: list[Path]
    missing: str
    late: str
    twice: str
    # a season's month: the unit that copies its first month's tasks unchanged, the unit that
    # writes «Chưa thực hiện» for a task done the month before, the unit whose cumulative figure
    # goes down (in the last month of the season; "" for nobody)
    copied: str = ""
    went_back: str = ""
    decreased: str = ""


def _rng(period: Period, unit: str) -> random.Random:
    return random.Random(f"{period.id}:{unit}")


def _evidence(rng: random.Random, period: Period) -> str:
    day = period.start + timedelta(days=rng.randrange(max((period.end - period.start).days, 1)))
    return rng.choice(EVIDENCE).format(n=rng.randrange(10, 250), d=day)


def _task_values(
    cat: Catalogue, period: Period, unit: str, rng: random.Random, stage: int | None = None
) -> dict[str, dict[str, Any]]:
    """One draw per task, in the order of the unit's tasks; the template writes a row of twins
    with its first task's values. Each task draws the same numbers whatever its figure asks (a
    number, Có/Không, nothing), so the draws of the tasks and indicators after it stay put."""
    out: dict[str, dict[str, Any]] = {}
    figures = {t: row.figure for row in cat.sheet_rows(unit) for t in row.ids}
    for t in cat.task_rows(unit):
        status = rng.choices(list(V.STATUS_VALUES), weights=(1, 4, 6, 1))[0]
        if stage is not None:
            status = season_status(unit, t.task_id, stage)
        values: dict[str, Any] = {V.TASK_STATUS: status}
        target = parse_target(t.target, t.target_scope)
        if status in ("Hoàn thành", "Đang thực hiện"):
            values[V.TASK_RESULT] = rng.choice(RESULTS)
            values[V.TASK_EVIDENCE] = _evidence(rng, period)
            if target is not None:
                step = rng.choice((-1, 0, 2, 5))
                figure = figures.get(t.task_id, FIGURE_NONE)
                if figure == FIGURE_YES_NO:  # a ward's answer to a city-level target
                    yes = step >= 0
                    if stage is not None and t.task_id in cat.cumulative_tasks:  # once Có, Có
                        yes = season_figure(unit, t.task_id, target.value, stage) >= target.value
                    values[V.TASK_RESULT_VALUE] = V.YES if yes else V.NO
                elif figure != FIGURE_NONE:
                    value = max(0.0, target.value + step)
                    if stage is not None and t.task_id in cat.cumulative_tasks:
                        value = season_figure(unit, t.task_id, target.value, stage)
                    values[V.TASK_RESULT_VALUE] = min(value, 100.0) if figure == FIGURE_PERCENT else value
        out[t.task_id] = values
    return out


def _season_mistakes(
    cat: Catalogue,
    season_start: Period,
    unit: str,
    n: int,
    stage: int,
    roles: tuple[str, str, str],
    mistakes: dict[str, str | None],
    tasks: dict[str, dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    """The cross-period mistakes: from the second month one unit sends its first month's tasks
    again, unchanged; in the third month one unit writes «Chưa thực hiện» for a task it reported
    done the month before, and one ward writes a cumulative figure below last month's."""
    copied, went_back, decreased = roles
    if unit == copied and stage >= 1:
        first = _task_values(cat, season_start, unit, _rng(season_start, unit), 0)
        _apply_mistakes(cat, unit, mistakes, first, {})
        _type_problems(season_start, n, unit, first)
        return first
    if unit == went_back and stage == 2:
        task = next(t for t in cat.task_ids_of(unit) if season_status(unit, t, 1) == V.STATUS_DONE)
        tasks[task][V.TASK_STATUS] = V.STATUS_NOT_STARTED
    if unit == decreased and stage == 2:
        task = next(
            t
            for t in cat.task_ids_of(unit)
            if t in cat.cumulative_tasks
            and reported(season_status(unit, t, 1))
            and reached(cat, unit, t, 1)
            and V.TASK_RESULT_VALUE in tasks[t]
        )
        target = parse_target(cat.tasks.at[task, "target"], cat.tasks.at[task, "target_scope"])
        if tasks[task][V.TASK_RESULT_VALUE] in (V.YES, V.NO):  # Có last month, Không now
            tasks[task][V.TASK_RESULT_VALUE] = V.NO
        elif target is not None:
            tasks[task][V.TASK_RESULT_VALUE] = max(0.0, season_figure(unit, task, target.value, 1) - 20)
    return tasks


def _indicator_values(
    cat: Catalogue, period: Period, unit: str, rng: random.Random
) -> dict[str, tuple[Any, Any]]:
    values: dict[str, tuple[Any, Any]] = {}
    villages = cat.units.at[unit, "villages"] if "villages" in cat.units.columns else ""
    n_villages = int(villages) if str(villages).isdigit() else rng.randrange(6, 16)
    weekly = rng.choice((1, 1, 2, 3))
    generic = {
        "1.1": "Có",
        "1.2a": weekly,
        "1.2b": weekly * cat.weeks(period),
        "2.1": "Có",
        "2.2a": n_villages,
        "2.2b": n_villages if rng.random() < 0.7 else n_villages - rng.randrange(1, 3),
    }
    for ind in cat.indicators_of(unit, period.kind):
        evidence = _evidence(rng, period)
        for f in ind.fields:
            if f.id in generic:
                value = generic[f.id]
            elif f.type == "yes_no":
                value = "Có"
            else:
                value = rng.randrange(int(f.min or 0), int(f.min or 0) + 10)
            values[f.id] = (value, evidence if f is ind.fields[0] else None)
    return values


def _info(unit: str, period: Period, rng: random.Random, when: date) -> dict[str, Any]:
    return {
        V.INFO_REPORTER: rng.choice(PEOPLE),
        V.INFO_POSITION: rng.choice(POSITIONS),
        V.INFO_PHONE: f"0227{rng.randrange(3_000_000, 3_999_999)}",
        V.INFO_EMAIL: f"{fold(unit).replace(' ', '')}@thaibinh.gov.vn",
        V.INFO_DATE: when,
    }


def write_demo(
    cat: Catalogue,
    period: Period,
    out: Path,
    *,
    stage: int | None = None,
    roles: tuple[str | None, str | None, str | None] | None = None,
) -> DemoResult:
    """Write filled returns and ``received.csv`` into ``out`` (the folder is created).

    ``stage``: the month of a season (statuses move forward from one month to the next);
    ``roles``: the units (missing, late, twice) instead of the usual ones; None for nobody."""
    out.mkdir(parents=True, exist_ok=True)
    units = list(cat.expected_units(period))
    deadline = cat.deadline(period)
    wards = [u for u in units if cat.units.at[u, "kind"] in ("ward", "commune")]
    depts = [u for u in units if u not in wards]
    missing = wards[-1] if wards else units[-1]
    late = depts[-1] if depts else units[0]
    twice = wards[0] if wards else units[0]
    if roles is not None:
        missing, late, twice = (r or "" for r in roles)
    season_roles = planted_roles(cat, depts, wards) if stage is not None else ("", "", "")
    season_start = _months_back(period, stage or 0)
    mistakes = {
        "words_in_number": depts[0] if depts else None,
        "no_diacritics": depts[1] if len(depts) > 1 else None,
        "done_without_evidence": depts[2] if len(depts) > 2 else None,
        "more_teams_than_villages": wards[1] if len(wards) > 1 else None,
        "indicator_without_evidence": wards[2] if len(wards) > 2 else None,
        "renamed": wards[3] if len(wards) > 3 else None,
    }
    files: list[Path] = []
    received: list[tuple[str, str]] = []
    generated = period.start
    donors: dict[tuple[Any, ...], list[tuple[str, Path]]] = {}
    for n, unit in enumerate(units):
        if unit == missing:
            continue
        rng = _rng(period, unit)
        shape = _shape(cat, period, unit)
        if n >= FULL_UNITS and len(donors.get(shape, ())) >= DONORS_PER_SHAPE:
            # A large synthetic profile: copy a unit of the same shape and change its identity.
            sent = deadline - timedelta(days=1 + n % 9)
            donor, donor_path = rng.choice(donors[shape])
            name = template_name(period, unit)
            _clone(donor_path, out / name, {donor: unit, cat.unit_name(donor): cat.unit_name(unit)})
            files.append(out / name)
            received.append((name, _stamp(sent, 8 + n % 9)))
            continue
        sent = deadline - timedelta(days=1 + n % 9)
        if unit == late:
            sent = deadline + timedelta(days=3)
        tasks = _task_values(cat, period, unit, rng, stage)
        indicators = (
            _indicator_values(cat, period, unit, rng) if "indicators" in cat.sheets_for(unit, period) else {}
        )
        _apply_mistakes(cat, unit, mistakes, tasks, indicators)
        _type_problems(period, n, unit, tasks)
        if stage is not None:
            tasks = _season_mistakes(cat, season_start, unit, n, stage, season_roles, mistakes, tasks)
        name = template_name(period, unit)
        if unit == mistakes["renamed"]:
            name = f"Bao cao DTI {period.id} - {cat.unit_name(unit)}.xlsx"
        if unit == twice:
            first = dict(tasks)
            first_id = next(iter(first), None)
            if first_id:
                first[first_id] = {V.TASK_STATUS: "Đang thực hiện"}
            early = f"{period.id}_{unit}_lan1.xlsx"
            filled = Filled(
                info=_info(unit, period, rng, sent - timedelta(days=4)), tasks=first, indicators=indicators
            )
            files.append(write_template(cat, unit, period, out / early, filled, generated=generated))
            received.append((early, _stamp(sent - timedelta(days=4), 9)))
        filled = Filled(info=_info(unit, period, rng, sent), tasks=tasks, indicators=indicators)
        files.append(write_template(cat, unit, period, out / name, filled, generated=generated))
        if unit not in mistakes.values() and unit not in (late, twice, *season_roles):
            donors.setdefault(shape, []).append((unit, out / name))
        received.append((name, _stamp(sent, 8 + n % 9)))
    with atomic_path(out / "received.csv") as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["file", "received_at"])
        writer.writerows(sorted(received))
    with atomic_path(out / SAMPLE_FILE) as tmp:  # a run over this folder marks every page a sample
        tmp.write_text(T.DEMO_SAMPLE_NOTE.format(mark=V.SAMPLE_MARK) + "\n", encoding="utf-8")
    copied, went_back, decreased = season_roles
    return DemoResult(
        folder=out,
        files=files,
        missing=missing,
        late=late,
        twice=twice,
        copied=copied if stage else "",
        went_back=went_back if stage == 2 else "",
        decreased=decreased if stage == 2 else "",
    )


def _months_back(period: Period, months: int) -> Period:
    for _ in range(months):
        period = previous_period(period)
    return period


def _shape(cat: Catalogue, period: Period, unit: str) -> tuple[Any, ...]:
    """Units of one shape get the same template but for their identity."""
    return (
        cat.task_ids_of(unit),
        cat.roles_of(unit),
        tuple(i.id for i in cat.indicators_of(unit, period.kind)),
    )


def _clone(src: Path, dst: Path, replace: dict[str, str]) -> None:
    """Copy a workbook, replacing identity strings in its XML parts (code, name)."""
    pairs = [(old.encode(), new.encode()) for old, new in sorted(replace.items(), key=lambda kv: -len(kv[0]))]
    with (
        zipfile.ZipFile(src) as zin,
        atomic_path(dst) as tmp,
        zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for old, new in pairs:
                    data = data.replace(old, new)
            zout.writestr(info, data)


def _stamp(day: date, hour: int) -> str:
    return datetime.combine(day, time(hour, 30)).isoformat(timespec="seconds")


def _type_problems(period: Period, n: int, unit: str, tasks: dict[str, dict[str, Any]]) -> None:
    """One unit in six writes a difficulty under one of its unfinished tasks (its own draw, so the
    other values stay as they were)."""
    if n % 6 != 1:
        return
    open_tasks = [t for t, v in tasks.items() if v.get(V.TASK_STATUS) != "Hoàn thành"]
    if open_tasks:
        rng = random.Random(f"{period.id}:{unit}:problems")
        tasks[rng.choice(open_tasks)][V.TASK_PROBLEMS] = PROBLEMS[(n // 6) % len(PROBLEMS)]


def _apply_mistakes(
    cat: Catalogue,
    unit: str,
    mistakes: dict[str, str | None],
    tasks: dict[str, dict[str, Any]],
    indicators: dict[str, tuple[Any, Any]],
) -> None:
    """The typical mistakes, each made by one unit."""
    if unit == mistakes["words_in_number"]:
        for values in tasks.values():
            if V.TASK_RESULT_VALUE in values:
                values[V.TASK_RESULT_VALUE] = f"{int(values[V.TASK_RESULT_VALUE])} tin bài"
                break
        else:
            first = next(iter(tasks))
            tasks[first] |= {
                V.TASK_STATUS: "Hoàn thành",
                V.TASK_RESULT_VALUE: "12 tin bài",
                V.TASK_EVIDENCE: "Trang TTĐT",
            }
    if unit == mistakes["no_diacritics"]:
        for values in list(tasks.values())[:2]:
            values[V.TASK_STATUS] = "hoan thanh"
            values.setdefault(V.TASK_EVIDENCE, "Báo cáo số 12/BC-UBND ngày 05/10/2023")
    if unit == mistakes["done_without_evidence"]:
        first = next(iter(tasks))
        tasks[first] = {V.TASK_STATUS: "Hoàn thành", V.TASK_RESULT: "Đã thực hiện."}
    if unit == mistakes["more_teams_than_villages"] and "2.2a" in indicators and "2.2b" in indicators:
        a, ev = indicators["2.2a"]
        indicators["2.2b"] = (int(a) + 2, indicators["2.2b"][1])
        indicators["2.2a"] = (a, ev)
    if unit == mistakes["indicator_without_evidence"] and indicators:
        first = next(iter(indicators))
        indicators[first] = (indicators[first][0], None)


@dataclass(frozen=True)
class Season:
    """The sample returns of a run of periods: one folder per period, in the order to run them."""

    folder: Path
    periods: tuple[Period, ...]
    results: tuple[DemoResult, ...]


def season_periods(period: Period) -> tuple[Period, ...]:
    """The periods a sample season runs for ``period``: the months of its quarter up to it (a
    month), or of its last quarter, then the quarter (and the year)."""
    quarter_of = (period.end.month - 1) // 3 + 1
    first = 3 * (quarter_of - 1) + 1
    last = period.end.month if period.kind == "month" else first + 2
    months = tuple(parse_period(f"{period.year}-{m:02d}") for m in range(first, last + 1))
    if period.kind == "month":
        return months
    quarter = parse_period(f"{period.year}-Q{quarter_of}")
    return (*months, quarter) + ((period,) if period.kind == "year" else ())


def write_season(cat: Catalogue, period: Period, out: Path) -> Season:
    """Write the sample returns of a season into ``out/<period>/`` for each of its periods.

    Statuses move forward month by month; the same department is late in the first and the last
    month (late twice); the first ward sends twice in the second month (a resubmission); the last
    commune does not send in the second month nor for the quarter; in the first month a department
    sends by e-mail (an ``.eml``, received at its Date)."""
    periods = season_periods(period)
    results = []
    for p in periods:
        units = list(cat.expected_units(p))
        wards = [u for u in units if cat.units.at[u, "kind"] in ("ward", "commune")]
        depts = [u for u in units if u not in wards]
        late_unit = depts[-1] if depts else None
        if p.kind == "month":
            stage = p.start.month - season_periods(period)[0].start.month
            roles = (
                wards[-1] if stage == 1 and wards else None,
                late_unit if stage in (0, 2) else None,
                wards[0] if stage == 1 and wards else None,
            )
            result = write_demo(cat, p, out / p.id, stage=stage, roles=roles)
            results.append(_by_email(cat, p, result, depts) if stage == 0 else result)
        else:
            results.append(write_demo(cat, p, out / p.id, roles=(wards[-1] if wards else None, None, None)))
    return Season(out, periods, tuple(results))


def _by_email(cat: Catalogue, period: Period, result: DemoResult, depts: list[str]) -> DemoResult:
    """A plain department's return as an ``.eml`` dated when received.csv said; file and row gone."""
    roles = {result.missing, result.late, result.twice, *planted_roles(cat, depts, [])}
    unit = next((u for u in depts[3:-1] if u not in roles), "")
    path, listed = result.folder / template_name(period, unit), result.folder / "received.csv"
    if not unit or not path.is_file():
        return result
    rows = list(csv.reader(listed.read_text(encoding="utf-8").splitlines()))
    email = str(cat.units.at[unit, "email"]).strip() or f"{fold(unit).replace(' ', '')}@thaibinh.gov.vn"
    label, name = period.label[:1].lower() + period.label[1:], cat.unit_name(unit)
    text = T.DEMO_MAIL_BODY.format(receiver=cat.receiver_name, unit=name, period=label)
    msg = compose(Address(name, addr_spec=email), (), T.DEMO_MAIL_SUBJECT.format(period=label), text)
    msg["Date"] = format_datetime(datetime.fromisoformat(dict(rows)[path.name]).astimezone())
    attach(msg, path.read_bytes(), path.name)
    path.with_suffix(".eml").write_bytes(msg.as_bytes())
    path.unlink()
    with atomic_path(listed) as tmp:
        tmp.write_text("".join(f"{a},{b}\n" for a, b in rows if a != path.name), encoding="utf-8")
    return replace(result, files=[path.with_suffix(".eml") if f == path else f for f in result.files])
