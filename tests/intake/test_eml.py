"""E-mail intake: the spreadsheet attachments of an .eml in the inbox are returns, received at the
message's Date (else its topmost Received), sent by its From; received.csv still wins; a hostile
message is one clear issue and never stops the batch; the inbox is never written to."""

from __future__ import annotations

import base64
import csv
import hashlib
from datetime import datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pandas as pd
import pytest

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.periods import Period, parse_period
from pipeline.catalogue import Catalogue
from pipeline.intake import eml as E
from pipeline.intake import read_eml
from pipeline.outputs.templates import Filled, write_template
from pipeline.run import STORE_FILE, run_report
from pipeline.store import open_store
from tests.builders import make_pdf

OCTOBER = parse_period("2023-10")
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DATE = "Tue, 17 Oct 2023 09:15:00 +0700"
SENT = datetime(2023, 10, 17, 9, 15, tzinfo=timezone(timedelta(hours=7)))


def local(moment: datetime) -> pd.Timestamp:
    return pd.Timestamp(moment.astimezone().replace(tzinfo=None))


def message(
    attachments: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    *,
    date: str | None = DATE,
    received: tuple[str, ...] = (),
    sender: str = "Văn phòng UBND <VanPhong.TPTB@ThaiBinh.gov.vn>",
) -> bytes:
    msg = EmailMessage(policy=policy.default)
    msg["From"] = sender
    msg["To"] = "vhtt.tptb@thaibinh.gov.vn"
    msg["Subject"] = "Báo cáo DTI tháng 10"
    for hop in received:  # the first given is the topmost (added last, by the receiving server)
        msg["Received"] = hop
    if date is not None:
        msg["Date"] = date
    msg.set_content("Kính gửi Phòng Văn hóa và Thông tin, đơn vị gửi báo cáo đính kèm.")
    for name, data in attachments:
        msg.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return msg.as_bytes()


def template(cat: Catalogue, unit: str, folder: Path, period: Period = OCTOBER) -> bytes:
    # one task in progress: a blank template is refused as empty (return_empty)
    first = cat.task_ids_of(unit)[0]
    filled = Filled(tasks={first: {V.TASK_STATUS: V.STATUS_IN_PROGRESS}})
    path = write_template(cat, unit, period, folder / f"{unit}.xlsx", filled)
    return path.read_bytes()


@pytest.fixture(scope="module")
def returns(cat: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("templates")
    return {u: template(cat, u, folder) for u in ("VP", "NOIVU")}


# --- reading one message ---------------------------------------------------------------------------


def test_two_attachments_are_two_files_with_the_messages_time_and_sender(
    tmp_path: Path, returns: dict[str, bytes]
) -> None:
    path = tmp_path / "inbox" / "thu_vp.eml"
    path.parent.mkdir()
    path.write_bytes(message([("BaoCao VP.xlsx", returns["VP"]), ("Noi vu.xlsx", returns["NOIVU"])]))
    mail = read_eml(path, "thu_vp.eml", tmp_path / "work")
    assert not mail.issues
    assert [a.name for a in mail.attachments] == ["thu_vp.eml/BaoCao VP.xlsx", "thu_vp.eml/Noi vu.xlsx"]
    assert mail.received_at == local(SENT)
    assert mail.sender == "vanphong.tptb@thaibinh.gov.vn"
    for a, unit in zip(mail.attachments, ("VP", "NOIVU"), strict=True):
        assert a.path.parent == tmp_path / "work"  # outside the inbox, named by content
        assert a.path.name == hashlib.sha256(returns[unit]).hexdigest() + ".xlsx"
        assert a.path.read_bytes() == returns[unit]
    assert sorted(p.name for p in (tmp_path / "inbox").iterdir()) == ["thu_vp.eml"]


def test_a_message_without_date_takes_its_topmost_received(tmp_path: Path, returns: dict[str, bytes]) -> None:
    hops = (
        "from mx.thaibinh.gov.vn by mail.thaibinh.gov.vn; Wed, 18 Oct 2023 07:40:05 +0700",
        "from [10.0.0.5] by mx.thaibinh.gov.vn; Wed, 18 Oct 2023 07:39:58 +0700",
    )
    for date in (None, "hôm qua, lúc chiều"):  # no Date, or one that does not parse
        path = tmp_path / "m.eml"
        path.write_bytes(message([("a.xlsx", returns["VP"])], date=date, received=hops))
        mail = read_eml(path, "m.eml", tmp_path / "work")
        assert mail.received_at == local(
            datetime(2023, 10, 18, 7, 40, 5, tzinfo=timezone(timedelta(hours=7)))
        )
    path.write_bytes(message([("a.xlsx", returns["VP"])], date=None))
    assert read_eml(path, "m.eml", tmp_path / "work").received_at is None  # the run falls back to mtime
    # a sender's clock gone wrong (year 9999, 1980, a zone that cannot be): the Received header
    for date in ("Mon, 01 Jan 9999 10:00:00 +0700", "Tue, 01 Jan 1980 10:00:00 +0700", DATE[:-5] + "+9900"):
        path.write_bytes(message([("a.xlsx", returns["VP"])], date=date, received=hops))
        mail = read_eml(path, "m.eml", tmp_path / "work")
        assert mail.received_at == local(
            datetime(2023, 10, 18, 7, 40, 5, tzinfo=timezone(timedelta(hours=7)))
        )


def test_an_attachments_name_is_never_a_path(tmp_path: Path, returns: dict[str, bytes]) -> None:
    path = tmp_path / "m.eml"
    names = ["../../../etc/evil.xlsx", "C:\\Windows\\x.xlsx", "..", "a\x00b.xlsx", "a.xlsx", "A.xlsx"]
    path.write_bytes(message([(n, returns["VP"]) for n in names]))
    mail = read_eml(path, "m.eml", tmp_path / "work")
    shown = [a.name.split("/", 1)[1] for a in mail.attachments]
    assert shown == ["evil.xlsx", "x.xlsx", "tep_dinh_kem_4.xlsx", "a_b.xlsx", "a.xlsx", "A (2).xlsx"]
    assert all("/" not in s and "\\" not in s for s in shown)
    assert {p.parent for a in mail.attachments for p in [a.path]} == {tmp_path / "work"}
    assert not (tmp_path.parent / "etc").exists()


def _only_issue(mail: E.Mail) -> str:
    assert not mail.attachments
    (found,) = mail.issues
    assert found.code == Code.EMAIL_UNUSABLE and found.file == "x.eml"
    assert "«x.eml»" in found.message
    return found.message


def test_hostile_messages_are_one_clear_issue(
    tmp_path: Path, returns: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, work = tmp_path / "x.eml", tmp_path / "work"

    def read(data: bytes) -> E.Mail:
        path.write_bytes(data)
        return read_eml(path, "x.eml", work)

    assert "đính kèm" in _only_issue(read(message()))  # no attachment at all
    pdf = make_pdf(tmp_path / "scan.pdf").read_bytes()
    msg = EmailMessage(policy=policy.default)
    msg["From"], msg["Date"] = "a@b.vn", DATE
    msg.set_content("x")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="scan.pdf")
    assert "«scan.pdf»" in _only_issue(read(msg.as_bytes()))  # a scan, no spreadsheet
    assert "không đọc được" in _only_issue(read(bytes(range(256)) * 400))  # garbage
    assert "rỗng" in _only_issue(read(b""))
    # nested far too deep: a message in a message in a message...
    inner = BytesParser(policy=policy.default).parsebytes(message([("a.xlsx", returns["VP"])]))
    for _ in range(E.MAX_DEPTH + 2):
        outer = EmailMessage(policy=policy.default)
        outer["From"], outer["Date"] = "a@b.vn", DATE
        outer.set_content("fwd")
        outer.add_attachment(inner)
        inner = outer
    assert "lồng nhau" in _only_issue(read(inner.as_bytes()))
    once = EmailMessage(policy=policy.default)  # forwarded once: its attachment is found
    once["From"], once["Date"] = "a@b.vn", DATE
    once.set_content("fwd")
    once.add_attachment(BytesParser(policy=policy.default).parsebytes(message([("a.xlsx", returns["VP"])])))
    assert [a.name for a in read(once.as_bytes()).attachments] == ["x.eml/a.xlsx"]
    # base64 garbage in a spreadsheet attachment
    raw = message([("a.xlsx", returns["VP"])])
    head, _, _ = raw.partition(base64.b64encode(returns["VP"][:57]))
    broken = head + b"!!!! not base64 at all ####\n" * 50 + b"\n--" + raw.rsplit(b"\n--", 1)[1]
    mail = read(broken)
    assert [i.code for i in mail.issues] == [Code.EMAIL_UNUSABLE]
    assert "«a.xlsx»" in mail.issues[0].message and "gửi lại" in mail.issues[0].message
    # huge: refused by its size before anything parses it
    monkeypatch.setattr(E, "MAX_EML_BYTES", 10_000)
    assert "quá lớn" in _only_issue(read(message([("a.xlsx", returns["VP"])])))


# --- a run -------------------------------------------------------------------------------------------


def test_a_run_reads_messages_stores_time_sender_channel_and_received_csv_wins(
    tmp_path: Path, cat: Catalogue, returns: dict[str, bytes]
) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "thu.eml").write_bytes(message([("vp.xlsx", returns["VP"]), ("nv.xlsx", returns["NOIVU"])]))
    (inbox / "trong.eml").write_bytes(message())  # no attachment: an issue, the batch goes on
    (inbox / "rac.eml").write_bytes(b"\x00\xff" * 5000)
    with (inbox / "received.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["file", "received_at"], ["nv.xlsx", "2023-10-25T16:00:00"]])
    before = {p.name: p.read_bytes() for p in inbox.iterdir()}
    result = run_report(cat, OCTOBER, inbox, out, cache=False)
    assert {p.name: p.read_bytes() for p in inbox.iterdir()} == before  # inputs never modified
    assert (result.received_listed, result.received_mailed, result.received_file_times) == (1, 2, 1)
    with open_store(None, default_path=out / STORE_FILE) as store:
        subs = store.submissions(OCTOBER.id, locality=cat.locality.code).set_index("file_name")
    vp, nv = subs.loc["thu.eml/vp.xlsx"], subs.loc["thu.eml/nv.xlsx"]
    assert (vp["unit_code"], nv["unit_code"]) == ("VP", "NOIVU")
    assert vp["channel"] == nv["channel"] == "email"
    assert vp["sender"] == nv["sender"] == "vanphong.tptb@thaibinh.gov.vn"
    assert pd.Timestamp(vp["received_at"]) == pd.Timestamp(SENT)  # the message's Date
    assert pd.Timestamp(nv["received_at"]).tz_convert(None) == pd.Timestamp(
        datetime(2023, 10, 25, 16).astimezone()
    ).tz_convert(None)  # received.csv wins
    assert vp["status"] == "on_time" and nv["status"] == "late"
    refused = subs.loc[["trong.eml", "rac.eml"]]
    assert set(refused["status"]) == {"rejected"} and set(refused["channel"]) == {"email"}
    with (result.out_dir / "data" / "issues.csv").open(encoding="utf-8") as fh:
        issues = [r for r in csv.DictReader(fh) if r["code"] == "email_unusable"]
    assert {r["file"] for r in issues} == {"trong.eml", "rac.eml"}


def test_the_province_workbook_says_how_many_times_are_file_times(
    tmp_path: Path, cat: Catalogue, returns: dict[str, bytes]
) -> None:
    import openpyxl

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "vp.xlsx").write_bytes(returns["VP"])  # no received.csv: its file time
    (inbox / "nv.eml").write_bytes(message([("nv.xlsx", returns["NOIVU"])]))
    result = run_report(cat, OCTOBER, inbox, tmp_path / "out", cache=False)
    assert result.received_file_times == 1 and result.received_mailed == 1
    ws = openpyxl.load_workbook(result.workbook)["Nộp báo cáo"]
    texts = [c.value for c in ws["A"][:3] if isinstance(c.value, str)]
    assert any("thời gian sửa tệp" in t and "1 tệp" in t for t in texts), texts
