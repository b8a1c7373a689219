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
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from pipeline.base import vocabulary as V
from pipeline.base.atomic import atomic_path
from pipeline.base.messages import texts as T
from pipeline.base.periods import Period
from pipeline.base.text import fold
from pipeline.catalogue import Catalogue, parse_target
from pipeline.intake import SAMPLE_FILE
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


def _rng(period: Period, unit: str) -> random.Random:
    return random.Random(f"{period.id}:{unit}")


def _evidence(rng: random.Random, period: Period) -> str:
    day = period.start + timedelta(days=rng.randrange(max((period.end - period.start).days, 1)))
    return rng.choice(EVIDENCE).format(n=rng.randrange(10, 250), d=day)


def _task_values(cat: Catalogue, period: Period, unit: str, rng: random.Random) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for t in cat.task_rows(unit):
        status = rng.choices(list(V.STATUS_VALUES), weights=(1, 4, 6, 1))[0]
        values: dict[str, Any] = {V.TASK_STATUS: status}
        target = parse_target(t.target, t.target_scope)
        if status in ("Hoàn thành", "Đang thực hiện"):
            values[V.TASK_RESULT] = rng.choice(RESULTS)
            values[V.TASK_EVIDENCE] = _evidence(rng, period)
            if target is not None:
                values[V.TASK_RESULT_VALUE] = max(0.0, target.value + rng.choice((-1, 0, 2, 5)))
        out[t.task_id] = values
    return out


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


def write_demo(cat: Catalogue, period: Period, out: Path) -> DemoResult:
    """Write filled returns and ``received.csv`` into ``out`` (the folder is created)."""
    out.mkdir(parents=True, exist_ok=True)
    units = list(cat.expected_units(period))
    deadline = cat.deadline(period)
    wards = [u for u in units if cat.units.at[u, "kind"] in ("ward", "commune")]
    depts = [u for u in units if u not in wards]
    missing = wards[-1] if wards else units[-1]
    late = depts[-1] if depts else units[0]
    twice = wards[0] if wards else units[0]
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
        tasks = _task_values(cat, period, unit, rng)
        indicators = (
            _indicator_values(cat, period, unit, rng) if "indicators" in cat.sheets_for(unit, period) else {}
        )
        _apply_mistakes(cat, unit, mistakes, tasks, indicators)
        _type_problems(period, n, unit, tasks)
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
        if unit not in mistakes.values() and unit not in (late, twice):
            donors.setdefault(shape, []).append((unit, out / name))
        received.append((name, _stamp(sent, 8 + n % 9)))
    with atomic_path(out / "received.csv") as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["file", "received_at"])
        writer.writerows(sorted(received))
    with atomic_path(out / SAMPLE_FILE) as tmp:  # a run over this folder marks every page a sample
        tmp.write_text(T.DEMO_SAMPLE_NOTE.format(mark=V.SAMPLE_MARK) + "\n", encoding="utf-8")
    return DemoResult(folder=out, files=files, missing=missing, late=late, twice=twice)


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
