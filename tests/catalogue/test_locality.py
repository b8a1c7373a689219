"""locality.yaml: another locality's profile prints its own name and receiving office everywhere."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from pipeline.base import vocabulary as V
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue, CatalogueError, load_catalogue
from pipeline.cli import main
from pipeline.outputs.templates import write_template
from tests.conftest import SCHEMAS

OTHER = {
    "authority": {
        "name": "UBND huyện Vũ Thư",
        "title": "UBND HUYỆN VŨ THƯ",
        "short_name": "UBND huyện",
        "level": "huyện",
    },
    "receiver": "VP",
}
EMAIL, PHONE = "vanphong@vuthu.thaibinh.gov.vn", "0227 3826 123"
OTHER_SEND_TO = (
    "Gửi tệp đã điền về UBND huyện (qua Văn phòng HĐND và UBND thành phố) trước hạn nộp, qua thư điện tử "
    f"công vụ đến địa chỉ {EMAIL}. Điện thoại liên hệ: {PHONE}."
)


def _profile(tmp_path: Path) -> Path:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    return root


def _other_profile(tmp_path: Path) -> Path:
    """Another locality: its own name, and VP (email and phone filled) receives the returns."""
    root = _profile(tmp_path)
    (root / "locality.yaml").write_text(yaml.safe_dump(OTHER, allow_unicode=True), encoding="utf-8")
    units = pd.read_csv(root / "units.csv", dtype=str, keep_default_na=False)
    units.loc[units["code"] == "VP", ["email", "phone"]] = [EMAIL, PHONE]
    units.to_csv(root / "units.csv", index=False)
    return root


def _guide(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path)[V.SHEET_GUIDE]
    return [c.value for c in ws["A"] if c.value]


def _company(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        app = z.read("docProps/app.xml").decode("utf-8")
    return app.split("<Company>")[1].split("</Company>")[0]


def test_the_projects_locality_is_thai_binh(tmp_path: Path, cat: Catalogue, q4: Period) -> None:
    assert cat.locality.title == "UBND THÀNH PHỐ THÁI BÌNH"
    assert cat.receiver_name == "Phòng Văn hóa và Thông tin" and cat.receiver_contact == ("", "")
    path = write_template(cat, "P_KY_BA", q4, tmp_path / "t.xlsx")
    # no contact in units.csv: the guide says so plainly
    assert (
        "Gửi tệp đã điền về UBND thành phố (qua Phòng Văn hóa và Thông tin) trước hạn nộp, "
        "qua thư điện tử công vụ. Mẫu này chưa ghi địa chỉ thư điện tử và số điện thoại của Phòng Văn hóa "
        "và Thông tin (danh mục đơn vị chưa cập nhật): hãy dùng địa chỉ thư điện tử và số điện thoại mà "
        "Phòng Văn hóa và Thông tin đã thông báo cho đơn vị."
    ) in _guide(path)
    assert openpyxl.load_workbook(path).properties.creator == "UBND thành phố Thái Bình"
    assert _company(path) == "UBND thành phố Thái Bình"


def test_another_locality_profile_reaches_templates_report_and_messages(tmp_path: Path) -> None:
    root = _other_profile(tmp_path)
    runner = CliRunner()
    schemas = ["--schemas", str(root)]
    res = runner.invoke(main, [*schemas, "catalogue", "check"], catch_exceptions=False)
    assert res.exit_code == 0
    assert "Địa phương: UBND huyện Vũ Thư" in res.output and f"mã VP; {EMAIL}; {PHONE}" in res.output

    res = runner.invoke(
        main, [*schemas, "templates", "-p", "2023-Q4", "--out", str(tmp_path / "t")], catch_exceptions=False
    )
    assert res.exit_code == 0, res.output
    paths = sorted((tmp_path / "t" / "2023-Q4").glob("*.xlsx"))
    assert len(paths) == 36
    for unit in ("VHTT", "DAI_TTTH"):  # a unit that no longer receives, one with the Chỉ số sheet
        path = tmp_path / "t" / "2023-Q4" / f"2023-Q4_{unit}.xlsx"
        guide = _guide(path)
        assert OTHER_SEND_TO in guide
        assert not any("Thái Bình" in line or "qua Phòng Văn hóa" in line for line in guide)
        assert openpyxl.load_workbook(path).properties.creator == "UBND huyện Vũ Thư"
        assert _company(path) == "UBND huyện Vũ Thư"

    # a unit that left «Người báo cáo» empty (and one task filled) is told who will call it
    path = tmp_path / "t" / "2023-Q4" / "2023-Q4_P_KY_BA.xlsx"
    wb = openpyxl.load_workbook(path)
    wb[V.SHEET_TASKS].cell(6, 8).value = V.STATUS_IN_PROGRESS  # H6: the first task's Tình trạng
    wb.save(path)
    res = runner.invoke(main, [*schemas, "validate", "--format", "csv", str(path)], catch_exceptions=False)
    assert "hãy ghi để Văn phòng HĐND và UBND thành phố liên hệ khi cần" in res.output
    assert "Văn hóa và Thông tin" not in res.output

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    assert runner.invoke(main, [*schemas, "demo", "-p", "2023-Q4", "--out", str(inbox)]).exit_code == 0
    res = runner.invoke(
        main,
        [*schemas, "report", "-p", "2023-Q4", "--inbox", str(inbox), "--out", str(out)],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out / "2023-Q4" / "BaoCao_DTI_2023-Q4.xlsx")
    assert wb["Tổng hợp"]["A1"].value == "UBND HUYỆN VŨ THƯ"
    texts = {c.value for row in wb["Tổng hợp"].iter_rows() for c in row if isinstance(c.value, str)}
    assert "Toàn huyện" in texts and "2. Điểm các chỉ số của huyện (Phụ lục 04)" in texts
    assert "Toàn thành phố" not in texts and not [t for t in texts if "của thành phố" in t]
    assert wb.properties.creator == "UBND HUYỆN VŨ THƯ"


@pytest.mark.parametrize(
    ("email", "phone", "tail"),
    [
        (
            "",
            "",
            "qua thư điện tử công vụ. Mẫu này chưa ghi địa chỉ thư điện tử và số điện thoại của "
            "Phòng Văn hóa và Thông tin (danh mục đơn vị chưa cập nhật): hãy dùng địa chỉ thư điện tử và "
            "số điện thoại mà Phòng Văn hóa và Thông tin đã thông báo cho đơn vị.",
        ),
        (
            EMAIL,
            "",
            f"qua thư điện tử công vụ đến địa chỉ {EMAIL}. Mẫu này chưa ghi số điện thoại của "
            "Phòng Văn hóa và Thông tin (danh mục đơn vị chưa cập nhật): hãy dùng số điện thoại mà "
            "Phòng Văn hóa và Thông tin đã thông báo cho đơn vị.",
        ),
        (
            "",
            PHONE,
            f"qua thư điện tử công vụ. Điện thoại liên hệ: {PHONE}. Mẫu này chưa ghi địa chỉ thư "
            "điện tử của Phòng Văn hóa và Thông tin (danh mục đơn vị chưa cập nhật): hãy dùng địa chỉ thư "
            "điện tử mà Phòng Văn hóa và Thông tin đã thông báo cho đơn vị.",
        ),
        (EMAIL, PHONE, f"qua thư điện tử công vụ đến địa chỉ {EMAIL}. Điện thoại liên hệ: {PHONE}."),
    ],
)
def test_the_contact_is_printed_and_what_is_missing_said(
    tmp_path: Path, cat: Catalogue, q4: Period, email: str, phone: str, tail: str
) -> None:
    units = cat.units.copy()
    units.loc["VHTT", ["email", "phone"]] = [email, phone]
    path = write_template(dataclasses.replace(cat, units=units), "VP", q4, tmp_path / "t.xlsx")
    line = next(line for line in _guide(path) if line.startswith("Gửi tệp"))
    assert line == f"Gửi tệp đã điền về UBND thành phố (qua Phòng Văn hóa và Thông tin) trước hạn nộp, {tail}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "locality.yaml: thiếu tệp"),
        ("authority: [unclosed", "locality.yaml: YAML sai cú pháp"),
        ("- UBND huyện", "locality.yaml: phải là một bảng khóa"),
        ("receiver: VHTT\n", "locality.yaml, authority:"),
        (
            "authority: {name: UBND huyện Vũ Thư, title: UBND HUYỆN VŨ THƯ, short_name: UBND huyện}\n"
            "receiver: VHTT\n",
            "locality.yaml, authority.level",
        ),
        (
            "authority: {name: UBND huyện Vũ Thư, title: '', short_name: UBND huyện}\nreceiver: VHTT\n",
            "locality.yaml, authority.title",
        ),
        (
            "authority: {name: UBND huyện Vũ Thư, title: UBND HUYỆN VŨ THƯ, short_name: UBND huyện}\n",
            "locality.yaml, receiver",
        ),
        (
            "authority: {name: UBND huyện Vũ Thư, title: UBND HUYỆN VŨ THƯ, short_name: UBND huyện}\n"
            "receiver: PVHTT\n",
            "locality.yaml, receiver: mã đơn vị 'PVHTT' không có trong units.csv",
        ),
    ],
)
def test_a_broken_locality_file_is_named(tmp_path: Path, text: str | None, expected: str) -> None:
    root = _profile(tmp_path)
    if text is None:
        (root / "locality.yaml").unlink()
    else:
        (root / "locality.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        load_catalogue(root)
    assert any(expected in p for p in err.value.problems), err.value.problems
    res = CliRunner().invoke(main, ["--schemas", str(root), "catalogue", "check"])
    assert res.exit_code == 1
    assert expected in res.output


def test_locality_text_is_nfc(tmp_path: Path) -> None:
    import unicodedata

    root = _profile(tmp_path)
    decomposed = unicodedata.normalize("NFD", "UBND huyện  Vũ Thư")
    data = dict(OTHER, authority=dict(OTHER["authority"], name=decomposed))
    (root / "locality.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_catalogue(root).locality.name == "UBND huyện Vũ Thư"
