"""The reference data: counts, resolution rules on real rows of the plan, validation errors."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pipeline.base.periods import PeriodError, parse_period
from pipeline.base.text import fold
from pipeline.catalogue import Catalogue, CatalogueError, due_date_in, load_catalogue
from tests.conftest import SCHEMAS


def test_counts_match_the_plan(cat: Catalogue) -> None:
    assert len(cat.units) == 36
    assert cat.tasks["appendix"].value_counts().to_dict() == {"PL01": 48, "PL02": 8, "PL03": 39}
    assert [i.id for i in cat.indicators] == ["1.1", "1.2", "2.1", "2.2"]
    assert cat.tasks.loc["PL01-5.1b", "text"].startswith("Đảm bảo các hệ thống thông tin")


def test_groups(cat: Catalogue) -> None:
    assert len(cat.groups["DEPTS"]) == 14
    assert len(cat.groups["WARDS"]) == 19
    assert len(cat.groups["ALL"]) == 36


def _units(cat: Catalogue, task_id: str, role: str | None = None) -> set[str]:
    a = cat.assignments[cat.assignments["task_id"] == task_id]
    if role:
        a = a[a["role"] == role]
    return set(a["unit_code"])


def test_named_offices_resolve(cat: Catalogue) -> None:
    # "Phòng Kinh tế, Văn hóa và Thông tin" is two offices.
    assert {"KINHTE", "VHTT"} <= _units(cat, "PL01-7.1", "phoi_hop")
    assert _units(cat, "PL01-7.1", "chu_tri") == {"CCTK"}
    assert _units(cat, "PL01-7.5", "chu_tri") == {"CCT"}
    assert _units(cat, "PL01-4.5", "phoi_hop") == {"VHTT", "TTPTQD"} | set(cat.groups["WARDS"])


def test_group_phrases_resolve(cat: Catalogue) -> None:
    depts, wards = set(cat.groups["DEPTS"]), set(cat.groups["WARDS"])
    # "Các ngành của thành phố, UBND các phường, xã"
    assert _units(cat, "PL01-6.4", "chu_tri") == depts | wards
    # "Ủy ban nhân dân cấp xã" appears only in task texts; "UBND các phường, xã" as coordinator
    assert _units(cat, "PL01-3.2", "phoi_hop") == wards


def test_vague_lead_is_assigned(cat: Catalogue) -> None:
    depts = set(cat.groups["DEPTS"])
    # "Các phòng, ban, đơn vị liên quan" as lead → DEPTS
    assert _units(cat, "PL01-1.3", "chu_tri") == depts
    # "Các cơ quan, đơn vị có liên quan" / "… liên quan" as lead → ALL
    assert _units(cat, "PL02-5.1", "chu_tri") == set(cat.groups["ALL"])
    assert _units(cat, "PL02-5.2", "chu_tri") == set(cat.groups["ALL"])


def test_vague_coordinator_assigns_nobody(cat: Catalogue) -> None:
    # "Các phòng, ban, ngành đơn vị liên quan cung cấp thông tin"
    assert _units(cat, "PL01-1.4") == {"VP"}
    assert "liên quan" in cat.tasks.loc["PL01-1.4", "support_raw"]
    # "Các trường học"
    assert _units(cat, "PL01-4.4") == {"GDDT"}
    # "Các phòng, đơn vị liên quan"
    assert _units(cat, "PL01-5.2") == {"VP"}


def test_phu_luc_03_city_column_is_tham_muu(cat: Catalogue) -> None:
    assert _units(cat, "PL03-9.1", "tham_muu") == {"QLDT"}
    assert _units(cat, "PL03-4.2", "tham_muu") == {"VHTT", "LDTBXH", "TTPTQD"}
    assert cat.tasks.loc["PL03-9.1", "province_lead"] == "Sở Thông tin và Truyền thông"
    # a vague phrase in the city column counts as a vague lead: rows 1.1-1.4 → ALL
    for tid in ("PL03-1.1", "PL03-1.2", "PL03-1.3", "PL03-1.4"):
        assert _units(cat, tid, "tham_muu") == set(cat.groups["ALL"])
    assert set(cat.assignments.loc[cat.assignments["task_id"].str.startswith("PL03"), "role"]) == {"tham_muu"}


def test_lead_and_coordinator_reports_once_as_lead(cat: Catalogue) -> None:
    a = cat.assignments[(cat.assignments["task_id"] == "PL01-4.2") & (cat.assignments["unit_code"] == "VHTT")]
    assert a["role"].tolist() == ["chu_tri"]
    assert not cat.assignments.duplicated(["task_id", "unit_code"]).any()


@pytest.mark.parametrize(
    ("task_id", "frequency", "due"),
    [
        ("PL01-1.5", "weekly", ""),
        ("PL02-1.1", "weekly", ""),  # "Hằng tuần"
        ("PL01-1.3", "annual", "--12-31"),
        ("PL01-8.7", "annual", "--12-31"),  # "Hằng năm"
        ("PL01-4.6", "annual", "--09-30"),  # "Hàng năm trước Quý IV"
        ("PL01-1.4", "ongoing", ""),
        ("PL01-6.2", "ongoing", ""),  # "Bắt đầu từ năm 2023"
        ("PL01-6.1", "by_date", "2023-12-31"),
        ("PL03-2.7", "by_date", "2024-12-31"),
        ("PL01-1.1", "on_call", ""),
        ("PL01-1.2", "unspecified", ""),
        ("PL01-7.7", "unspecified", ""),  # a unit name in the deadline column
    ],
)
def test_frequencies(cat: Catalogue, task_id: str, frequency: str, due: str) -> None:
    row = cat.tasks.loc[task_id]
    assert (row["frequency"], row["due_date"]) == (frequency, due)


def test_due_dates() -> None:
    assert due_date_in("--12-31", 2024) == date(2024, 12, 31)
    assert due_date_in("2023-12-31", 2030) == date(2023, 12, 31)
    assert due_date_in("", 2023) is None


def test_targets(cat: Catalogue) -> None:
    targets = cat.tasks.loc[cat.tasks["target"] != "", "target"].to_dict()
    assert targets == {
        "PL01-1.4": "so_tin_bai >= 20",
        "PL01-1.5": "lan_phat_song_moi_tuan >= 1",
        "PL01-3.2": "ty_le_xa_ket_noi_tslcd >= 100",
        "PL01-5.5": "ty_le_chi_attt >= 10",
        "PL02-1.1": "lan_phat_song_moi_tuan >= 1",
        "PL02-2.1": "ty_le_xa_ket_noi_tslcd >= 100",
        "PL02-4.2": "ty_le_chi_attt >= 10",
    }


def test_annual_targets_say_how_the_months_add_up(cat: Catalogue) -> None:
    annual = cat.tasks[cat.tasks["target_scope"] == "annual"]
    assert annual["target_aggregate"].to_dict() == {
        "PL01-1.4": "sum",
        "PL01-5.5": "latest",
        "PL02-4.2": "latest",
    }
    assert set(cat.tasks.loc[cat.tasks["target_scope"] != "annual", "target_aggregate"]) == {""}


def test_target_aggregate_is_checked_and_optional(tmp_path: Path) -> None:
    root = _profile(tmp_path)
    tasks = root / "tasks.csv"
    row = {t: i for i, t in enumerate(pd.read_csv(tasks, dtype=str)["task_id"])}
    _edit_csv(tasks, row["PL01-1.4"], "target_aggregate", "average")
    _edit_csv(tasks, row["PL01-1.5"], "target_aggregate", "sum")  # a weekly target, not an annual one
    with pytest.raises(CatalogueError) as err:
        load_catalogue(root)
    text = "\n".join(err.value.problems)
    assert f"tasks.csv, dòng {row['PL01-1.4'] + 2}, cột target_aggregate" in text
    assert "target_aggregate (sum, latest, min) chỉ dùng cho chỉ tiêu năm" in text
    df = pd.read_csv(tasks, dtype=str, keep_default_na=False).drop(columns="target_aggregate")
    df.to_csv(tasks, index=False)  # another locality's tasks.csv without the column: every target latest
    assert set(load_catalogue(root).tasks["target_aggregate"]) == {""}


def test_typing_slips_corrected_and_raw_kept(cat: Catalogue) -> None:
    assert cat.tasks.loc["PL01-7.1", "text"].startswith("Thống kê")
    assert cat.tasks.loc["PL01-5.5", "text"].startswith("Bố trí")
    assert cat.tasks.loc["PL01-7.7", "deadline_raw"] == "Phòng Tài chính-Kế hoạch"


def test_rows_split_over_page_breaks_are_whole(cat: Catalogue) -> None:
    assert cat.tasks.loc["PL01-3.1", "text"].endswith("kết nối Internet băng rộng cáp quang")
    assert cat.tasks.loc["PL01-3.1", "lead_raw"] == "UBND các phường, xã"
    assert cat.tasks.loc["PL01-8.4", "text"].endswith("(trên tổng số hộ gia đình)")
    assert cat.tasks.loc["PL03-6.6", "text"].endswith("khi sử dụng Dịch vụ công trực tuyến")
    assert "STT" not in " ".join(cat.tasks["text"])


def test_the_anomalies_are_row_7_7_and_the_twins_that_disagree(cat: Catalogue) -> None:
    """The plan's one broken deadline (PL01-7.7), the six twins whose deadlines disagree, read from
    the plan (PL01-6.7 «Hàng năm» / PL03-6.7 «Năm 2023», PL01-5.4 empty / PL02-4.1 «Năm 2023», …),
    and the one twin whose text differs by two words (PL02-4.1 adds «trụ sở»)."""
    assert cat.anomalies[0].startswith("PL01-7.7: cột thời hạn ghi 'Phòng Tài chính-Kế hoạch'")
    deadlines = [a.split(" ")[0] for a in cat.anomalies if "thời hạn khác nhau" in a]
    assert deadlines == ["PL02-4.1", "PL03-6.1", "PL03-6.2", "PL03-6.7", "PL03-6.8", "PL03-7.4"]
    assert (
        "PL03-6.7 là nhiệm vụ trùng với PL01-6.7 (same_as) nhưng thời hạn khác nhau ('Năm 2023' / 'Hàng năm')"
        in " ".join(cat.anomalies)
    )
    texts = [a for a in cat.anomalies if "nội dung khác vài chữ" in a]
    assert [t.split(" ")[0] for t in texts] == ["PL02-4.1"]
    assert len(cat.anomalies) == 1 + 6 + 1


def test_everything_is_nfc(cat: Catalogue) -> None:
    import unicodedata

    for frame in (cat.units, cat.tasks):
        for value in frame.astype(str).to_numpy().ravel():
            assert unicodedata.is_normalized("NFC", value)


def test_fold() -> None:
    assert (
        fold("Phòng Tài chính - Kế hoạch") == fold("Phòng Tài chính-Kế hoạch") == "phong tai chinh ke hoach"
    )
    assert fold("ĐÀI Truyền thanh") == "dai truyen thanh"


@pytest.mark.parametrize("bad", ["2023-13", "2023-Q5", "23-10", "Q4-2023", ""])
def test_bad_periods_are_refused(bad: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(bad)


def test_periods_and_deadlines(cat: Catalogue) -> None:
    assert cat.deadline(parse_period("2023-Q4")) == date(2023, 12, 20)
    assert cat.deadline(parse_period("2023")) == date(2023, 12, 15)
    assert cat.deadline(parse_period("2023-10")) == date(2023, 10, 20)
    assert parse_period("2023-q4").label == "Quý IV năm 2023"


# --- a broken profile gets messages naming file, row and column ------------------------------


def _profile(tmp_path: Path) -> Path:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    return root


def _edit_csv(path: Path, row: int, column: str, value: str) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[row, column] = value
    df.to_csv(path, index=False)


def test_unknown_unit_in_tasks_is_named(tmp_path: Path) -> None:
    root = _profile(tmp_path)
    _edit_csv(root / "tasks.csv", 3, "lead_units", "VP NOPE")
    with pytest.raises(CatalogueError) as err:
        load_catalogue(root)
    assert any("tasks.csv, dòng 5, cột lead_units" in p for p in err.value.problems)


def test_duplicate_unit_code_and_bad_kind(tmp_path: Path) -> None:
    root = _profile(tmp_path)
    _edit_csv(root / "units.csv", 1, "code", "VP")
    _edit_csv(root / "units.csv", 2, "kind", "village")
    with pytest.raises(CatalogueError) as err:
        load_catalogue(root)
    text = "\n".join(err.value.problems)
    assert "units.csv, dòng 3, cột code" in text
    assert "units.csv, dòng 4, cột kind" in text


def test_task_without_reporting_unit(tmp_path: Path) -> None:
    root = _profile(tmp_path)
    _edit_csv(root / "tasks.csv", 0, "lead_units", "")
    with pytest.raises(CatalogueError) as err:
        load_catalogue(root)
    assert any("dòng 2, cột lead_units" in p for p in err.value.problems)


def test_indicator_rule_on_unknown_field(tmp_path: Path) -> None:
    root = _profile(tmp_path)
    text = (root / "indicators.yaml").read_text(encoding="utf-8")
    (root / "indicators.yaml").write_text(
        text.replace(
            'rule: {kind: threshold, field: "1.2a", min: 1}', 'rule: {kind: threshold, field: "9.9"}'
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as err:
        load_catalogue(root)
    text = "\n".join(err.value.problems)
    assert "id 1.2" in text and "9.9" in text and "min" in text


def test_broken_yaml_names_the_file(tmp_path: Path) -> None:
    root = _profile(tmp_path)
    (root / "calendar.yaml").write_text("period_kinds: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        load_catalogue(root)
    assert "calendar.yaml" in err.value.problems[0]


def test_a_new_commune_gets_the_ward_tasks(tmp_path: Path) -> None:
    root = _profile(tmp_path)
    with (root / "units.csv").open("a", encoding="utf-8") as fh:
        fh.write("X_MOI,UBND xã Mới,commune,99999,7,,\n")
    cat = load_catalogue(root)
    assert len(cat.tasks_of("X_MOI")) == len(cat.tasks_of("X_DONG_HOA"))
    assert "X_MOI" in cat.indicators[3].responsible


def test_vocabulary_is_data_and_checked(tmp_path: Path) -> None:
    cat = load_catalogue(SCHEMAS)
    words = cat.vocabulary
    assert (
        list(words.pillars)[:3] == ["NTS", "TCS", "HTS"] and words.pillars["ATTT"] == "An toàn thông tin mạng"
    )
    assert words.ranked_kinds == ("ward", "commune")
    assert words.status_aliases["Đã hoàn thành"] == "Hoàn thành"
    assert "ko" in words.yes_no.no and "yes" in words.yes_no.yes
    root = _profile(tmp_path)
    text = (root / "vocabulary.yaml").read_text(encoding="utf-8")
    text = text.replace("Xong: Hoàn thành", "Xong: Hoàn thành rồi").replace('"yes", ', "yes, ")
    (root / "vocabulary.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        load_catalogue(root)
    problems = "\n".join(err.value.problems)
    assert "vocabulary.yaml, status_aliases.Xong" in problems and "'Hoàn thành rồi'" in problems
    assert "vocabulary.yaml, yes_no.yes_words" in problems and "ngoặc kép" in problems


def test_a_locality_ranks_the_kinds_its_vocabulary_names(tmp_path: Path) -> None:
    root = _profile(tmp_path)
    text = (root / "vocabulary.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'department: {label: "Phòng, ban, đơn vị", ranked: false}',
        'department: {label: "Phòng, ban, đơn vị", ranked: true}',
    )
    (root / "vocabulary.yaml").write_text(text, encoding="utf-8")
    assert load_catalogue(root).vocabulary.ranked_kinds == ("department", "ward", "commune")
