"""`dti remind` on the demo season (2023-10, 2023-11) stored in SQLite (and PostgreSQL): drafts only
for the units that have not sent November's return or whose return still has errors, with the
right days, attachments and X-Unsent; logged, so the same day writes nothing new; another day
writes again; units with no e-mail are listed."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.base.periods import parse_period
from pipeline.catalogue import Catalogue
from pipeline.cli import main
from pipeline.demo import write_season
from pipeline.outputs.remind import SUMMARY_FILE, ZALO_FILE, Context, Due, subject
from pipeline.run import STORE_FILE, run_report
from pipeline.runner.remind import NoReport, remind
from pipeline.store import open_store
from tests.conftest import new_url

NOVEMBER = parse_period("2023-11")
BEFORE, DEADLINE_DAY, AFTER = date(2023, 11, 18), date(2023, 11, 20), date(2023, 11, 23)
MISSING_UNIT = "X_VU_PHUC"  # the season's last commune sends nothing in November


@dataclasses.dataclass(frozen=True)
class Season:
    out: Path
    db: str
    dialect: str


@pytest.fixture(scope="module", params=("sqlite", pytest.param("postgresql", marks=pytest.mark.slow)))
def season(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, cat: Catalogue
) -> Season:
    root = tmp_path_factory.mktemp(f"remind-{request.param}")
    written = write_season(cat, NOVEMBER, root / "inbox")
    assert [p.id for p in written.periods] == ["2023-10", "2023-11"]
    db = new_url(str(request.param), root, request, "remind")
    for p in written.periods:
        run_report(cat, p, root / "inbox" / p.id, root / "out", sample=False, db=db)
    return Season(root / "out", db, str(request.param))


def expected(season: Season) -> tuple[set[str], dict[str, int]]:
    """From the period's submissions.csv: units with no counting return, units whose counting
    return has errors (and how many)."""
    with (season.out / NOVEMBER.id / "data" / "submissions.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    counting = {r["unit_code"]: int(r["errors"]) for r in rows if r["status"] in ("on_time", "late")}
    missing = {r["unit_code"] for r in rows if r["status"] == "missing"} - set(counting)
    return missing, {u: n for u, n in counting.items() if n > 0}


def parse(path: Path) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


def text_of(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def attachments(msg: EmailMessage) -> dict[str, bytes]:
    return {str(a.get_filename()): a.get_content() for a in msg.iter_attachments()}


def run(cat: Catalogue, season: Season, on: date, out: Path, **kwargs) -> object:
    with open_store(season.db, default_path=season.out / STORE_FILE) as store:
        return remind(cat, NOVEMBER, store, on=on, outputs=season.out, out=out, **kwargs)


def test_drafts_only_for_the_units_it_should_with_days_left_and_attachments(
    season: Season, cat: Catalogue, tmp_path: Path
) -> None:
    missing, with_errors = expected(season)
    assert MISSING_UNIT in missing and with_errors  # the season has both kinds
    result = run(cat, season, BEFORE, tmp_path / "d")
    drafts = {p.name for p in (tmp_path / "d").glob("*.eml")}
    assert drafts == {f"2023-11_{u}.eml" for u in missing | set(with_errors)}
    feedback = season.out / NOVEMBER.id / "phan_hoi"
    for unit in missing | set(with_errors):
        msg = parse(tmp_path / "d" / f"2023-11_{unit}.eml")
        body = text_of(msg)
        name = cat.unit_name(unit)
        assert msg["X-Unsent"] == "1"
        assert msg["To"].addresses[0].addr_spec == cat.units.at[unit, "email"]
        assert msg["To"].addresses[0].display_name == name
        assert str(msg["Subject"]).startswith("Nhắc nộp báo cáo DTI kỳ tháng 11 năm 2023")
        assert body.startswith(f"Kính gửi: {name}.")
        assert "20/11/2023" in body and "còn 2 ngày" in body and "sắp đến hạn" in body
        assert "quá hạn" not in body
        assert unit not in body and "missing" not in body and "errors" not in body  # no internal codes
        files = attachments(msg)
        if unit in missing:
            assert list(files) == [f"2023-11_{unit}.xlsx"]  # its template
            assert files[f"2023-11_{unit}.xlsx"][:2] == b"PK"
            assert "chưa nhận được báo cáo" in body
        else:
            assert files == {f"PhanHoi_2023-11_{unit}.xlsx": (feedback / f"{unit}.xlsx").read_bytes()}
            assert f"còn {with_errors[unit]} lỗi" in body and "tệp phản hồi đính kèm" in body
    zalo = (tmp_path / "d" / ZALO_FILE).read_text(encoding="utf-8")
    for unit in missing | set(with_errors):
        assert f"Kính gửi {cat.unit_name(unit)}:" in zalo
    with (tmp_path / "d" / SUMMARY_FILE).open(encoding="utf-8-sig") as fh:
        summary = list(csv.DictReader(fh))
    assert {r["Đơn vị"] for r in summary} == {cat.unit_name(u) for u in missing | set(with_errors)}
    assert {d.unit for d in result.new} == missing | set(with_errors)


def test_the_same_day_writes_nothing_new_another_day_writes_again(
    season: Season, cat: Catalogue, tmp_path: Path
) -> None:
    missing, with_errors = expected(season)
    first = run(cat, season, DEADLINE_DAY, tmp_path / "a")
    assert len(first.new) == len(missing | set(with_errors))
    for unit in missing:
        assert "Hôm nay là ngày cuối cùng của hạn nộp." in text_of(
            parse(tmp_path / "a" / f"2023-11_{unit}.eml")
        )
    again = run(cat, season, DEADLINE_DAY, tmp_path / "b")
    assert not again.new and len(again.dues) == len(first.new)
    assert not (tmp_path / "b").exists()  # nothing written at all
    with open_store(season.db, default_path=season.out / STORE_FILE) as store:
        logged = store.reminders(NOVEMBER.id, locality=cat.locality.code)
    today = logged[logged["sent_on"] == DEADLINE_DAY]
    assert set(today["unit_code"]) == missing | set(with_errors)
    assert len(today) == 2 * len(missing | set(with_errors))  # e-mail and Zalo, once each
    later = run(cat, season, AFTER, tmp_path / "c")
    assert len(later.new) == len(first.new)
    for unit in missing:
        body = text_of(parse(tmp_path / "c" / f"2023-11_{unit}.eml"))
        assert "quá hạn 3 ngày" in body and "sắp đến hạn" not in body
    for unit in with_errors:
        body = text_of(parse(tmp_path / "c" / f"2023-11_{unit}.eml"))
        assert "quá hạn nộp 3 ngày" in body
    assert "quá hạn 3 ngày" in (tmp_path / "c" / ZALO_FILE).read_text(encoding="utf-8")


def test_units_with_no_email_are_listed_and_links_go_in(
    season: Season, cat: Catalogue, tmp_path: Path
) -> None:
    units = cat.units.copy()
    units.loc[MISSING_UNIT, "email"] = ""
    nomail = dataclasses.replace(cat, units=units)
    links = tmp_path / "links.csv"
    with links.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit_code", "unit_name", "url", "message"])
        for unit in cat.expected_units(NOVEMBER):
            w.writerow([unit, cat.unit_name(unit), f"https://dti.example.vn/u/{unit.lower()}-tok", "..."])
    result = run(nomail, season, date(2023, 11, 19), tmp_path / "d", links=links)
    assert [d.unit for d in result.no_email] == [MISSING_UNIT]
    assert not (tmp_path / "d" / f"2023-11_{MISSING_UNIT}.eml").exists()
    zalo = (tmp_path / "d" / ZALO_FILE).read_text(encoding="utf-8")
    assert (
        cat.unit_name(MISSING_UNIT) in zalo and f"https://dti.example.vn/u/{MISSING_UNIT.lower()}-tok" in zalo
    )
    with (tmp_path / "d" / SUMMARY_FILE).open(encoding="utf-8-sig") as fh:
        row = next(r for r in csv.DictReader(fh) if r["Đơn vị"] == cat.unit_name(MISSING_UNIT))
    assert row["Thư nháp"] == "" and "chưa có email" in row["Ghi chú"]
    assert row["Tệp đính kèm"] == f"2023-11_{MISSING_UNIT}.xlsx"  # its template, beside, for Zalo
    assert (tmp_path / "d" / f"2023-11_{MISSING_UNIT}.xlsx").read_bytes()[:2] == b"PK"
    for draft in (tmp_path / "d").glob("*.eml"):
        unit = draft.stem.split("_", 1)[1]
        assert f"https://dti.example.vn/u/{unit.lower()}-tok" in text_of(parse(draft))


def test_the_command(season: Season, cat: Catalogue, tmp_path: Path) -> None:
    args = ["--db", season.db, "remind", "--period", "2023-11", "--outputs", str(season.out)]
    args += ["--on", "2023-11-24", "--out", str(tmp_path / "d")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "thư nháp" in result.output and cat.unit_name(MISSING_UNIT) in result.output
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and "Không viết gì mới" in again.output
    none = CliRunner().invoke(
        main, ["--db", season.db, "remind", "--period", "2023-12", "--on", "2023-12-01"]
    )
    assert none.exit_code == 1 and "dti report" in none.output  # no report of December: refused


def test_the_demo_season_sends_one_return_by_email(season: Season, cat: Catalogue) -> None:
    with open_store(season.db, default_path=season.out / STORE_FILE) as store:
        subs = store.submissions("2023-10", locality=cat.locality.code)
    mailed = subs[subs["channel"] == "email"]
    assert len(mailed) == 1
    (row,) = mailed.to_dict("records")
    unit = row["unit_code"]
    assert row["file_name"] == f"2023-10_{unit}.eml/2023-10_{unit}.xlsx"
    assert row["sender"] == cat.units.at[unit, "email"] and row["status"] == "on_time"


def test_no_report_no_reminders(tmp_path: Path, cat: Catalogue) -> None:
    with open_store(None, default_path=tmp_path / STORE_FILE) as store, pytest.raises(NoReport):
        remind(cat, NOVEMBER, store, on=BEFORE, outputs=tmp_path, out=tmp_path / "d")
    assert not (tmp_path / "d").exists()


def test_a_sample_draft_says_so() -> None:
    ctx = Context(
        "tháng 11 năm 2023", DEADLINE_DAY, BEFORE, "Phòng Văn hóa và Thông tin", "UBND", sample=True
    )
    assert subject(Due("X", "UBND xã A", "missing"), ctx).startswith("[DỮ LIỆU MẪU – KHÔNG GỬI] Nhắc nộp")
