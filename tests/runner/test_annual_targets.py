"""Annual targets judged on the year's months, by each target's ``target_aggregate``: hand-made
monthly returns where adding the months up and taking the latest month give different verdicts."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from pipeline.base import vocabulary as V
from pipeline.base.periods import Period, parse_period
from pipeline.catalogue import Catalogue
from pipeline.outputs.templates import Filled, template_name, write_template
from pipeline.runner.build import build_period
from pipeline.runner.period import load_period
from pipeline.store import open_store
from tests.conftest import new_url
from tests.runner.season import YEAR, run

# VP's news items each month (at least 20 in the year: met only when the months are added up);
# TCKH's share of the budget (at least 10 %: met in the first months, not in the latest)
NEWS = {"2023-01": 7, "2023-02": 7, "2023-03": 7}
SHARE = {"2023-01": 12, "2023-02": 12, "2023-03": 9}


def write_month(cat: Catalogue, month: Period, folder: Path) -> None:
    folder.mkdir(parents=True)
    for unit, task, figure in (("VP", "PL01-1.4", NEWS), ("TCKH", "PL01-5.5", SHARE)):
        values = {
            V.TASK_STATUS: V.STATUS_IN_PROGRESS,
            V.TASK_RESULT: "Đã cập nhật số liệu trong tháng.",
            V.TASK_RESULT_VALUE: figure[month.id],
            V.TASK_EVIDENCE: f"Báo cáo số {month.start.month}/BC-UBND ngày 15/{month.start.month:02d}/2023",
        }
        info = {V.INFO_REPORTER: "Nguyễn Thị Hương", V.INFO_DATE: month.start}
        write_template(
            cat,
            unit,
            month,
            folder / template_name(month, unit),
            Filled(info=info, tasks={task: values}),
            generated=month.start,
        )
    with (folder / "received.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["file", "received_at"])
        for unit in ("TCKH", "VP"):
            writer.writerow([template_name(month, unit), f"{month.id}-15"])


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_count_is_summed_and_a_ratio_is_the_latest_month(
    dialect: str, tmp_path: Path, request: pytest.FixtureRequest, cat: Catalogue
) -> None:
    db = new_url(dialect, tmp_path, request, "annual")
    out = tmp_path / "out"
    for pid in NEWS:
        month = parse_period(pid)
        write_month(cat, month, tmp_path / "inbox" / pid)
        run(cat, month, tmp_path / "inbox" / pid, out, db)
    (tmp_path / "inbox" / "2023").mkdir()
    result = run(cat, YEAR, tmp_path / "inbox" / "2023", out, db)  # no annual return: the months decide

    store = open_store(db, default_path=tmp_path / "unused.sqlite")
    try:
        merged = build_period(cat, YEAR, load_period(store, cat, cat.locality.code, YEAR)).merged
    finally:
        store.close()
    m = merged.set_index(["task_id", "unit_code"])
    news, share = m.loc[("PL01-1.4", "VP")], m.loc[("PL01-5.5", "TCKH")]
    assert (news["result_value"], news["target_value"], news["target_met"]) == (7, 21, True)
    assert (share["result_value"], share["target_value"], share["target_met"]) == (9, 9, False)
    assert (news["source_period"], share["source_period"]) == ("2023-03", "2023-03")

    # the province reads the figure the verdict is about, next to the verdict
    ws = openpyxl.load_workbook(result.workbook, read_only=True)["Tiến độ nhiệm vụ"]
    rows = [r for r in ws.iter_rows(values_only=True) if r[0] in ("PL01-1.4", "PL01-5.5")]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == V.COL_TASK_ID)
    at = {label: header.index(label) for label in (V.COL_UNIT, V.COL_RESULT_VALUE, V.COL_TARGET_MET)}
    shown = {
        (r[0], r[at[V.COL_UNIT]]): (r[at[V.COL_RESULT_VALUE]], r[at[V.COL_TARGET_MET]])
        for r in rows
        if r[at[V.COL_RESULT_VALUE]] is not None
    }
    assert shown == {
        ("PL01-1.4", cat.unit_name("VP")): (21, V.TARGET_MET),
        ("PL01-5.5", cat.unit_name("TCKH")): (9, V.TARGET_UNMET),
    }
