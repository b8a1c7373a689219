"""The catalogue read closer to the plan (contract §2, version 2): twins, target levels and
aggregates, notes that are references, tasks that feed indicators. Every expectation is written
by hand from docs/sources/ke-hoach-dti-tp-thai-binh-2023.txt, not from tasks.csv."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.base.text import fold
from pipeline.catalogue import (
    FIGURE_NONE,
    FIGURE_NUMBER,
    FIGURE_PERCENT,
    FIGURE_YES_NO,
    Catalogue,
    CatalogueError,
    figure_of,
    load_catalogue,
    note_kind,
    target_level,
)
from pipeline.cli import main
from tests.conftest import SCHEMAS

# Phụ lục 02 and 03 rows whose text repeats a Phụ lục 01 row (read side by side in the plan).
TWINS_01_02 = {
    "PL02-1.1": "PL01-1.5",  # Xây dựng, duy trì chuyên mục riêng … hệ thống truyền thanh cơ sở
    "PL02-2.1": "PL01-3.2",  # Chỉ đạo Ủy ban nhân dân cấp xã kết nối mạng Truyền số liệu chuyên dùng
    "PL02-3.2": "PL01-4.2",  # Giao nhiệm vụ cho công chức, viên chức chuyên trách, kiêm nhiệm …
    "PL02-4.1": "PL01-5.4",  # … phương án ứng cứu xử lý sự cố tấn công mạng tại (trụ sở) cơ quan UBND
    "PL02-4.2": "PL01-5.5",  # Bố trí kinh phí chi cho an toàn thông tin (ATTT)
    "PL02-5.2": "PL01-6.4",  # Thực hiện các nhiệm vụ nâng cao chất lượng … dịch vụ công trực tuyến …
}
TWINS_01_03 = {
    "PL03-4.1": "PL01-4.3",  # Tổ chức bồi dưỡng, tập huấn về chuyển đổi số cho công chức, viên chức
    "PL03-6.1": "PL01-6.2",  # Triển khai kênh số khác (ngoài Cổng TTĐT và Cổng DVC) …
    "PL03-6.2": "PL01-6.3",  # Triển khai kênh số khác (ngoài Cổng TTĐT) phục vụ tương tác …
    "PL03-6.5": "PL01-6.5",  # Tổng hợp tỷ lệ tài khoản … Dịch vụ công trực tuyến mức độ 3, 4
    "PL03-6.7": "PL01-6.7",  # Triển khai nền tảng trợ lý ảo phục vụ người dân, doanh nghiệp
    "PL03-6.8": "PL01-6.8",  # Triển khai nền tảng trợ lý ảo phục vụ công chức, viên chức
    "PL03-6.9": "PL01-6.10",  # Tham mưu bố trí ngân sách nhà nước cho chính quyền số …
    "PL03-7.1": "PL01-7.1",  # Thống kê tỷ trọng kinh tế số trong GRDP
    "PL03-7.2": "PL01-7.2",  # … doanh nghiệp nhỏ và vừa tiếp cận, tham gia chương trình SMEdx
    "PL03-7.3": "PL01-7.3",  # … doanh nghiệp nhỏ và vừa sử dụng nền tảng số
    "PL03-7.4": "PL01-7.7",  # Tham mưu bố trí kinh phí đầu tư từ ngân sách nhà nước cho kinh tế số
    "PL03-7.5": "PL01-7.8",  # Tham mưu bố trí kinh phí chi thường xuyên … cho kinh tế số …
    "PL03-8.1": "PL01-8.1",  # Nâng cao tỷ lệ người dân có danh tính số/ tài khoản định danh điện tử
    "PL03-8.2": "PL01-8.7",  # Tham mưu bố trí kinh phí đầu tư từ ngân sách nhà nước cho xã hội số
    "PL03-8.3": "PL01-8.8",  # Tham mưu bố trí kinh phí chi thường xuyên … cho xã hội số …
}


def test_the_21_twins(cat: Catalogue) -> None:
    declared = cat.tasks.loc[cat.tasks["same_as"] != "", "same_as"].to_dict()
    assert declared == TWINS_01_02 | TWINS_01_03
    assert len(TWINS_01_02) == 6 and len(TWINS_01_03) == 15
    for twin, first in declared.items():
        a, b = cat.tasks.at[twin, "text"], cat.tasks.at[first, "text"]
        if twin == "PL02-4.1":  # the plan adds two words («trụ sở»): the same task, listed as an anomaly
            assert fold(a).replace("tru so ", "") == fold(b)
        else:
            assert fold(a) == fold(b), twin
        assert cat.twins[twin] == cat.twins[first] == (first, twin)


def test_no_other_task_repeats_another(cat: Catalogue) -> None:
    texts = cat.tasks["text"].map(fold)
    repeated = set(cat.tasks.loc[texts.duplicated(keep=False), "task_id"])
    assert repeated == (
        set(TWINS_01_02) | set(TWINS_01_03) | set(TWINS_01_02.values()) | set(TWINS_01_03.values())
    ) - {"PL02-4.1", "PL01-5.4"}


@pytest.mark.parametrize(
    ("unit", "rows"),
    [
        # a ward reports both twins of five pairs: one row each
        ("X_DONG_HOA", {("PL01-1.5", "PL02-1.1"), ("PL01-3.2", "PL02-2.1"), ("PL01-4.2", "PL02-3.2"),
                        ("PL01-5.5", "PL02-4.2"), ("PL01-6.4", "PL02-5.2")}),
        # VP: PL01 rows with PL02 (5.4/4.1, 4.2/3.2, 5.5/4.2, 6.4/5.2) and PL03 (6.3/6.2, 6.5, 6.7);
        # PL02-1.1 without PL01-1.5 (VP does not report the radio's column)
        ("VP", {("PL01-4.2", "PL02-3.2"), ("PL01-5.4", "PL02-4.1"), ("PL01-5.5", "PL02-4.2"),
                ("PL01-6.3", "PL03-6.2"), ("PL01-6.4", "PL02-5.2"), ("PL01-6.5", "PL03-6.5"),
                ("PL01-6.7", "PL03-6.7")}),
        ("TCKH", {("PL01-4.2", "PL02-3.2"), ("PL01-5.5", "PL02-4.2"), ("PL01-6.4", "PL02-5.2"),
                  ("PL01-6.10", "PL03-6.9"), ("PL01-7.7", "PL03-7.4"), ("PL01-7.8", "PL03-7.5"),
                  ("PL01-8.7", "PL03-8.2"), ("PL01-8.8", "PL03-8.3")}),
        ("CCT", set()),
    ],
)  # fmt: skip
def test_a_unit_fills_twins_once(cat: Catalogue, unit: str, rows: set[tuple[str, ...]]) -> None:
    sheet = cat.sheet_rows(unit)
    joined = {r.ids for r in sheet if len(r.ids) > 1}
    assert joined == rows
    assert [t for r in sheet for t in r.ids] == sorted(
        cat.task_ids_of(unit), key=[t for r in sheet for t in r.ids].index
    )
    assert sum(len(r.ids) for r in sheet) == len(cat.task_ids_of(unit))
    for r in sheet:  # each twin keeps its own role
        assert r.roles == tuple(
            dict(zip(cat.task_ids_of(unit), cat.roles_of(unit), strict=True))[t] for t in r.ids
        )


def test_twins_keep_their_roles_and_deadlines(cat: Catalogue) -> None:
    [row] = [r for r in cat.sheet_rows("VP") if r.ids == ("PL01-6.7", "PL03-6.7")]
    assert row.roles == ("chu_tri", "tham_muu")
    assert [t.deadline_raw for t in row.tasks] == ["Hàng năm", "Năm 2023"]


def test_levels_aggregates_and_notes(cat: Catalogue) -> None:
    levels = {t: target_level(cat.tasks.loc[t]) for t in cat.tasks.index if target_level(cat.tasks.loc[t])}
    assert levels == {
        "PL01-1.4": "each",  # VP's own count of articles
        "PL01-1.5": "lead",  # the radio and the wards broadcast; the departments only supply news
        "PL02-1.1": "lead",
        "PL01-3.2": "city",  # «Đảm bảo 100% UBND cấp xã kết nối»: each ward Có/Không, the city's share
        "PL02-2.1": "city",
        "PL01-5.5": "lead",  # TCKH's share of the budget
        "PL02-4.2": "lead",
    }
    aggregates = cat.tasks.loc[list(levels), "target_aggregate"].to_dict()
    # only an annual target is judged over the year's months (target_aggregate); a target of
    # every period (target_scope any) is judged on each return and has none
    assert aggregates == {
        "PL01-1.4": "sum",
        "PL01-1.5": "",
        "PL02-1.1": "",
        "PL01-3.2": "",
        "PL02-2.1": "",
        "PL01-5.5": "latest",
        "PL02-4.2": "latest",
    }
    references = {t for t in cat.tasks.index if note_kind(cat.tasks.loc[t]) == "reference"}
    # «Theo hướng dẫn của Sở Thông tin và Truyền thông», «Thực hiện theo Kế hoạch của tỉnh»,
    # «Theo Kế hoạch số 116/KH-UBND ngày 03/8/2023 của UBND thành phố»
    assert references == {"PL01-2.1", "PL01-2.2", "PL01-4.5", "PL01-6.4", "PL02-5.2"}
    targets = {t for t in cat.tasks.index if note_kind(cat.tasks.loc[t]) == "target"}
    assert targets == {
        "PL01-1.4",
        "PL01-1.5",
        "PL01-3.2",
        "PL01-5.1",
        "PL01-5.5",
        "PL02-1.1",
        "PL02-2.1",
        "PL02-4.2",
    }
    assert cat.feeds == {
        "PL01-1.5": ("1.1", "1.2"),
        "PL02-1.1": ("1.1", "1.2"),
        "PL01-4.1": ("2.1", "2.2"),
        "PL02-3.1": ("2.1", "2.2"),
    }


@pytest.mark.parametrize(
    ("task", "role", "figure"),
    [
        ("PL01-5.5", "chu_tri", FIGURE_PERCENT),  # TCKH gives the budget share, at most 100 %
        ("PL01-5.5", "phoi_hop", FIGURE_NONE),  # a supporting unit is not asked for it
        ("PL01-3.2", "phoi_hop", FIGURE_YES_NO),  # a ward answers Có/Không
        ("PL01-3.2", "chu_tri", FIGURE_NONE),  # VHTT's figure is the share, computed
        ("PL01-1.4", "chu_tri", FIGURE_NUMBER),
        ("PL02-1.1", "phoi_hop", FIGURE_NONE),  # a department supplies news, does not broadcast
        ("PL01-1.3", "chu_tri", FIGURE_NONE),
    ],
)
def test_who_gives_the_figure(cat: Catalogue, task: str, role: str, figure: int) -> None:
    assert figure_of(cat.tasks.loc[task], role) == figure


def test_catalogue_check_lists_twins_and_notes(cat: Catalogue) -> None:
    res = CliRunner().invoke(main, ["catalogue", "check"], catch_exceptions=False)
    assert res.exit_code == 0
    assert (
        "Nhiệm vụ trùng nhau (same_as, điền một lần, tính cho cả hai): 21 (6 giữa PL01 và PL02, 15 giữa PL01 và PL03)"
        in res.output
    )
    assert "Ghi chú: 8 chỉ tiêu, 5 căn cứ; chỉ tiêu định lượng theo cấp: each 1, lead 4, city 2" in res.output
    assert "  VP                45 (38 dòng)  Văn phòng HĐND và UBND thành phố" in res.output
    assert (
        "PL03-6.7 là nhiệm vụ trùng với PL01-6.7 (same_as) nhưng thời hạn khác nhau ('Năm 2023' / 'Hàng năm')"
        in res.output
    )


def _profile(tmp_path: Path) -> Path:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    return root


@pytest.mark.parametrize(
    ("column", "value", "says"),
    [
        (
            "same_as",
            "PL09-1.1",
            "tasks.csv, dòng 2, cột same_as: same_as phải là task_id của một nhiệm vụ khác",
        ),
        (
            "feeds",
            "1.1 9.9",
            "tasks.csv, dòng 2, cột feeds: feeds phải là mã chỉ số có trong indicators.yaml",
        ),
        ("target_level", "ward", "tasks.csv, dòng 2, cột target_level"),
        ("note_kind", "chi_tieu", "tasks.csv, dòng 2, cột note_kind"),
    ],
)
def test_a_broken_v2_column_is_named(tmp_path: Path, column: str, value: str, says: str) -> None:
    root = _profile(tmp_path)
    df = pd.read_csv(root / "tasks.csv", dtype=str, keep_default_na=False)
    df.loc[0, column] = value
    df.to_csv(root / "tasks.csv", index=False)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(root)
    assert any(p.startswith(says) for p in err.value.problems), err.value.problems


def test_an_undeclared_twin_is_an_anomaly(tmp_path: Path) -> None:
    root = _profile(tmp_path)
    df = pd.read_csv(root / "tasks.csv", dtype=str, keep_default_na=False)
    df.loc[df["task_id"] == "PL03-8.1", "same_as"] = ""
    df.to_csv(root / "tasks.csv", index=False)
    cat = load_catalogue(root)
    assert "PL03-8.1 trùng nội dung với PL01-8.1 nhưng chưa khai báo same_as" in cat.anomalies


def test_a_profile_without_the_v2_columns_loads(tmp_path: Path) -> None:
    root = _profile(tmp_path)
    df = pd.read_csv(root / "tasks.csv", dtype=str, keep_default_na=False)
    df.drop(
        columns=["note_kind", "target_level", "target_aggregate", "target_unit", "same_as", "feeds"]
    ).to_csv(root / "tasks.csv", index=False)
    cat = load_catalogue(root)
    assert cat.twins == {} and cat.feeds == {}
    assert (
        target_level(cat.tasks.loc["PL01-5.5"]) == "each" and note_kind(cat.tasks.loc["PL01-6.4"]) == "target"
    )
