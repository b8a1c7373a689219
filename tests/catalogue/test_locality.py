"""locality.yaml: another locality's profile prints its own name and receiving office everywhere."""

from __future__ import annotations

import csv
import dataclasses
import shutil
import zipfile
from pathlib import Path

import docx
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
    "code": "H_VU_THU",
    "admin_code": "343",
    "authority": {
        "name": "UBND huyện Vũ Thư",
        "title": "UBND HUYỆN VŨ THƯ",
        "short_name": "UBND huyện",
        "level": "huyện",
        "header": ["ỦY BAN NHÂN DÂN", "HUYỆN VŨ THƯ"],
        "superior": "",
        "place": "Vũ Thư",
    },
    "receiver": "VP",
    "report": {
        "symbol": "BC-UBND",
        "recipient": "Sở Thông tin và Truyền thông tỉnh Thái Bình",
        "copies": ["TT Huyện ủy, TT HĐND huyện"],
        "archive": "VT, VP",
        "signer": {"authority": "", "title": "CHỦ TỊCH", "name": "Nguyễn Văn A"},
        "plan": "",
    },
}
# the keys every locality.yaml has besides authority and receiver (as text, for the broken cases)
REST = (
    'code: H_VU_THU\nadmin_code: "343"\n'
    "report: {symbol: BC-UBND, recipient: Sở TTTT, signer: {title: CHỦ TỊCH}}\n"
)
AUTHORITY = (
    "authority: {name: UBND huyện Vũ Thư, title: UBND HUYỆN VŨ THƯ, short_name: UBND huyện, "
    "level: huyện, header: [UBND HUYỆN VŨ THƯ], place: Vũ Thư}\n"
)
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
    assert (
        "Địa phương: UBND huyện Vũ Thư (UBND HUYỆN VŨ THƯ), mã H_VU_THU, mã đơn vị hành chính 343"
        in res.output
    )
    assert f"mã VP; {EMAIL}; {PHONE}" in res.output
    assert "Kính gửi: Sở Thông tin và Truyền thông tỉnh Thái Bình" in res.output
    assert "người ký: CHỦ TỊCH / Nguyễn Văn A" in res.output
    assert "BaoCao_DTI_H_VU_THU_<kỳ>.xlsx" in res.output

    res = runner.invoke(
        main, [*schemas, "templates", "-p", "2023-Q4", "--out", str(tmp_path / "t")], catch_exceptions=False
    )
    assert res.exit_code == 0, res.output
    paths = sorted((tmp_path / "t" / "2023-Q4").glob("*.xlsx"))
    assert len(paths) == 20  # the quarter: the radio-TV station, the wards and the communes
    res = runner.invoke(
        main, [*schemas, "templates", "-p", "2023-12", "--out", str(tmp_path / "t")], catch_exceptions=False
    )
    assert res.exit_code == 0, res.output
    assert len(list((tmp_path / "t" / "2023-12").glob("*.xlsx"))) == 36
    # a unit that no longer receives (a month's tasks), one with the Chỉ số sheet (the quarter)
    for path in (
        tmp_path / "t" / "2023-12" / "2023-12_VHTT.xlsx",
        tmp_path / "t" / "2023-Q4" / "2023-Q4_DAI_TTTH.xlsx",
    ):
        guide = _guide(path)
        assert OTHER_SEND_TO in guide
        assert not any("Thái Bình" in line or "qua Phòng Văn hóa" in line for line in guide)
        assert openpyxl.load_workbook(path).properties.creator == "UBND huyện Vũ Thư"
        assert _company(path) == "UBND huyện Vũ Thư"

    # a unit that left «Người báo cáo» empty (and one task filled) is told who will call it
    path = tmp_path / "t" / "2023-12" / "2023-12_P_KY_BA.xlsx"  # a month's: a quarter's has no tasks
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
    folder = out / "demo" / "2023-Q4"  # the demo's returns: a sample
    wb = openpyxl.load_workbook(folder / "BaoCao_DTI_H_VU_THU_2023-Q4.xlsx")
    assert [wb["Tổng hợp"]["A1"].value, wb["Tổng hợp"]["A2"].value] == ["ỦY BAN NHÂN DÂN", "HUYỆN VŨ THƯ"]
    assert "Vũ Thư, ngày" in wb["Tổng hợp"]["D3"].value
    assert wb["Tổng hợp"].oddHeader.left.text.startswith("UBND huyện Vũ Thư")
    texts = {c.value for row in wb["Tổng hợp"].iter_rows() for c in row if isinstance(c.value, str)}
    assert "Toàn huyện" in texts and "2. Điểm các chỉ số của huyện (Phụ lục 04)" in texts
    assert "Toàn thành phố" not in texts and not [t for t in texts if "của thành phố" in t]
    assert wb.properties.creator == "UBND huyện Vũ Thư"
    with (folder / "data" / "submissions.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["locality"] for r in rows} == {"H_VU_THU"}
    doc = docx.Document(str(folder / "BaoCao_DTI_H_VU_THU_2023-Q4.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.tables[0].rows[0].cells[1].paragraphs[-1].text.startswith("Vũ Thư, ngày")
    assert doc.tables[0].rows[0].cells[0].paragraphs[1].text == "HUYỆN VŨ THƯ"
    assert "UBND huyện Vũ Thư" in text and "UBND thành phố Thái Bình" not in text
    signer = [p.text for p in doc.tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert signer == ["CHỦ TỊCH", "Nguyễn Văn A"]


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
        (REST + "receiver: VHTT\n", "locality.yaml, authority:"),
        (
            REST + AUTHORITY.replace("level: huyện, ", "") + "receiver: VHTT\n",
            "locality.yaml, authority.level",
        ),
        (
            REST + AUTHORITY.replace("title: UBND HUYỆN VŨ THƯ", "title: ''") + "receiver: VHTT\n",
            "locality.yaml, authority.title",
        ),
        (
            REST + AUTHORITY.replace(", place: Vũ Thư", "") + "receiver: VHTT\n",
            "locality.yaml, authority.place",
        ),
        (
            REST
            + AUTHORITY.replace("header: [UBND HUYỆN VŨ THƯ]", "header: UBND HUYỆN VŨ THƯ")
            + "receiver: VHTT\n",
            "locality.yaml, authority.header: cần một danh sách",
        ),
        (REST + AUTHORITY, "locality.yaml, receiver"),
        (
            REST + AUTHORITY + "receiver: PVHTT\n",
            "locality.yaml, receiver: mã đơn vị 'PVHTT' không có trong units.csv",
        ),
        (
            REST.replace("code: H_VU_THU", "code: Vu Thu") + AUTHORITY + "receiver: VHTT\n",
            "locality.yaml, code: cần mã của địa phương viết hoa",
        ),
        (REST.replace("code: H_VU_THU\n", "") + AUTHORITY + "receiver: VHTT\n", "locality.yaml, code:"),
        (
            REST.replace('admin_code: "343"', "admin_code: 343") + AUTHORITY + "receiver: VHTT\n",
            "locality.yaml, admin_code: cần mã đơn vị hành chính gồm các chữ số, đặt trong ngoặc kép",
        ),
        (
            'code: H_VU_THU\nadmin_code: "343"\n' + AUTHORITY + "receiver: VHTT\n",
            "locality.yaml, report: cần một bảng khóa",
        ),
        (
            REST.replace("signer: {title: CHỦ TỊCH}", "signer: CHỦ TỊCH") + AUTHORITY + "receiver: VHTT\n",
            "locality.yaml, report.signer: cần một bảng khóa",
        ),
        (
            REST.replace("signer: {title: CHỦ TỊCH}", "signer: {authority: KT. CHỦ TỊCH}")
            + AUTHORITY
            + "receiver: VHTT\n",
            "locality.yaml, report.signer.title: thiếu hoặc trống",
        ),
        (
            REST.replace("symbol: BC-UBND, ", "") + AUTHORITY + "receiver: VHTT\n",
            "locality.yaml, report.symbol: thiếu hoặc trống",
        ),
        (
            REST.replace("recipient: Sở TTTT, ", "recipient: Sở TTTT, copies: Sở Y tế, ")
            + AUTHORITY
            + "receiver: VHTT\n",
            "locality.yaml, report.copies: cần một danh sách",
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


def test_the_projects_locality_names_its_code_and_report_form(cat: Catalogue) -> None:
    loc = cat.locality
    assert (loc.code, loc.admin_code, loc.place, loc.superior) == ("TP_THAI_BINH", "336", "Thái Bình", "")
    assert loc.header == ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ THÁI BÌNH")
    form = loc.report
    assert (form.symbol, form.recipient, form.archive) == (
        "BC-UBND",
        "Sở Thông tin và Truyền thông tỉnh Thái Bình",
        "VT, VHTT",
    )
    assert (form.signer.authority, form.signer.title, form.signer.name) == (
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "",
    )
    assert form.copies and form.recipient not in form.copies  # "Như trên" already names it
    assert form.plan.startswith("Kế hoạch của UBND thành phố")
    res = CliRunner().invoke(main, ["catalogue", "check"], catch_exceptions=False)
    assert "mã TP_THAI_BINH, mã đơn vị hành chính 336" in res.output
    assert "Số …/BC-UBND; Kính gửi: Sở Thông tin và Truyền thông tỉnh Thái Bình" in res.output


def test_optional_report_keys_take_their_defaults(tmp_path: Path) -> None:
    root = _profile(tmp_path)
    data = yaml.safe_load((root / "locality.yaml").read_text(encoding="utf-8"))
    for key in ("copies", "archive", "plan"):
        del data["report"][key]
    data["report"]["signer"] = {"title": "CHỦ TỊCH"}
    del data["authority"]["superior"]
    (root / "locality.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loc = load_catalogue(root).locality
    assert (loc.report.copies, loc.report.archive, loc.report.plan, loc.superior) == ((), "VT", "", "")
    assert (loc.report.signer.authority, loc.report.signer.name) == ("", "")
