"""The unit's page and the analyst's: uploads stored with the server's clock and shown with the
feedback file's messages and cells; a unit sees and writes only its own; CSRF, headers, rate."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl

from pipeline.base import vocabulary as V
from pipeline.base.messages import web as W
from pipeline.base.periods import Period
from pipeline.demo import DemoResult
from pipeline.web.security import HEADERS
from pipeline.web.uploads import Site
from tests import builders as b
from tests.web.conftest import copy_as, demo_file, enter, unit_links, visible_text


def _feedback_rows(data: bytes) -> list[tuple[str, str]]:
    """(cell, message) of every issue on the feedback file's first sheet."""
    ws = openpyxl.load_workbook(io.BytesIO(data))[V.SHEET_FEEDBACK]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and "Nội dung" in [str(c) for c in r if c])
    header = [str(c) if c is not None else "" for c in rows[head]]
    cell_col, msg_col = header.index(V.FEEDBACK_CELL), header.index("Nội dung")
    return [(str(r[cell_col] or ""), str(r[msg_col])) for r in rows[head + 1 :] if r and r[msg_col]]


def test_an_upload_shows_its_issues_with_their_cells_as_the_feedback_file(
    any_site: Site, period: Period, demo: DemoResult
) -> None:
    site = any_site
    visitor = enter(site, unit_links(site, period)["TUPHAP"])
    before = datetime.now(UTC)
    sent = visitor.upload(demo_file(demo, "TUPHAP"))
    assert sent.status_code == 303
    page = visitor.client.get(sent.headers["Location"])
    text = visible_text(page.text)
    assert page.status_code == 200
    assert "K6" in text and "Minh chứng" in text and V.SEVERITY_LABELS["error"] in text
    link = page.text.split('id="feedback-link" href="', 1)[1].split('"', 1)[0]
    feedback = visitor.client.get(link)
    assert feedback.status_code == 200 and feedback.data[:2] == b"PK"
    rows = _feedback_rows(feedback.data)
    assert rows and any(cell == "K6" for cell, _m in rows)
    for cell, message in rows:  # the same messages and cells as the feedback file
        assert message in text and cell in text
    # stored once, with the server's clock, through the upload channel, for this unit
    subs = site.store.submissions(period.id, locality=site.locality)
    assert list(subs["unit_code"]) == ["TUPHAP"] and list(subs["channel"]) == ["upload"]
    received = subs["received_at"].iloc[0].to_pydatetime()
    assert before - timedelta(seconds=2) <= received <= datetime.now(UTC) + timedelta(seconds=2)
    assert int(subs["errors"].iloc[0]) == 1 and subs["status"].iloc[0] == "late"
    placed = list((site.inbox_root / period.id / "web").iterdir())
    assert [p.name for p in placed] == [f"{period.id}_TUPHAP_{subs['file_sha256'].iloc[0][:16]}.xlsx"]


def test_the_same_file_again_is_stored_once_and_a_new_one_is_version_2(
    site: Site, period: Period, demo: DemoResult, tmp_path: Path
) -> None:
    visitor = enter(site, unit_links(site, period)["VP"])
    src = demo_file(demo, "VP")
    first = visitor.upload(src)
    again = visitor.upload(copy_as(src, tmp_path / "../../etc/passwd.xlsx"))  # the name is no path
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"] + "?lai=1"
    assert W.RESULT_SAME_FILE in visible_text(visitor.client.get(again.headers["Location"]).text)
    other = demo_file(demo, "NOIVU")
    refused = visitor.upload(other)  # a file whose content names another unit is not taken
    assert refused.status_code == 422 and W.ERROR_OTHER_UNIT in visible_text(refused.text)
    garbage = visitor.upload(b.make_random(tmp_path / "bao_cao.xlsx"))
    page = visible_text(visitor.client.get(garbage.headers["Location"]).text)
    assert V.SUBMISSION_LABELS["rejected"] in page and W.RESULT_REFUSED in page
    subs = site.store.submissions(period.id, locality=site.locality)
    assert list(zip(subs["unit_code"], subs["version"], subs["status"], strict=True)) == [
        ("VP", 1, "late"),
        ("VP", 2, "rejected"),
    ]
    listed = visible_text(visitor.client.get(visitor.home).text)
    assert "Lần 2" in listed and "Lần 1" in listed and W.VERSION_COUNTS in listed


def test_a_unit_sees_and_writes_only_its_own(site: Site, period: Period, demo: DemoResult) -> None:
    urls = unit_links(site, period)
    vp = enter(site, urls["VP"])
    noivu = enter(site, urls["NOIVU"])
    mine = noivu.upload(demo_file(demo, "NOIVU")).headers["Location"]
    submission = mine.rsplit("/", 1)[1]
    refused = {
        vp.client.get(f"/don-vi/{period.id}/NOIVU").status_code,
        vp.client.get(f"/don-vi/{period.id}/NO_SUCH_UNIT").status_code,
        vp.client.get("/don-vi/2023-11/VP").status_code,
        vp.client.get(mine).status_code,
        vp.client.get(mine + "/phan-hoi.xlsx").status_code,
        vp.client.get(f"/don-vi/{period.id}/NOIVU/bieu-mau.xlsx").status_code,
        vp.client.get(f"/tong-hop/{period.id}").status_code,
    }
    assert refused == {403}
    # the same words whether the unit exists or not
    a = visible_text(vp.client.get(f"/don-vi/{period.id}/NOIVU").text)
    z = visible_text(vp.client.get(f"/don-vi/{period.id}/NO_SUCH_UNIT").text)
    assert a == z and "NOIVU" not in a and site.cat.unit_name("NOIVU") not in a
    # another unit's return under one's own page: not found, as a return that does not exist
    assert vp.client.get(f"/don-vi/{period.id}/VP/lan/{submission}").status_code == 404
    assert vp.client.get(f"/don-vi/{period.id}/VP/lan/99999").status_code == 404
    # writing to another unit's page is refused before anything is read or stored
    csrf = vp.csrf()
    posted = vp.upload(demo_file(demo, "VP"), target=f"/don-vi/{period.id}/NOIVU", csrf=csrf)
    assert posted.status_code == 403
    subs = site.store.submissions(period.id, locality=site.locality)
    assert list(subs["unit_code"]) == ["NOIVU"]


def test_a_form_without_its_csrf_token_is_refused(site: Site, period: Period, demo: DemoResult) -> None:
    visitor = enter(site, unit_links(site, period)["VP"])
    missing = visitor.upload(demo_file(demo, "VP"), csrf=None)
    wrong = visitor.upload(demo_file(demo, "VP"), csrf="not-the-token")
    assert missing.status_code == wrong.status_code == 403
    assert W.ERROR_CSRF in visible_text(missing.text)
    assert site.store.submissions(period.id, locality=site.locality).empty
    assert not (site.inbox_root / period.id).exists()


def test_every_answer_carries_the_security_headers(site: Site, period: Period) -> None:
    visitor = enter(site, unit_links(site, period)["VP"])
    for answer in (visitor.client.get(visitor.home), visitor.client.get("/vao?t=nothing")):
        for name, value in HEADERS.items():
            assert answer.headers[name] == value
    assert "default-src 'none'" in HEADERS["Content-Security-Policy"]
    assert HEADERS["Referrer-Policy"] == "no-referrer" and HEADERS["X-Content-Type-Options"] == "nosniff"


def test_a_token_is_rate_limited(site: Site, period: Period) -> None:
    visitor = enter(site, unit_links(site, period)["VP"], rate_limit=5)
    codes = [visitor.client.get(visitor.home).status_code for _ in range(8)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429] * 3
    assert W.ERROR_RATE in visible_text(visitor.client.get(visitor.home).text)


def test_the_template_downloads_for_the_unit_and_period(site: Site, period: Period) -> None:
    visitor = enter(site, unit_links(site, period)["VP"])
    page = visitor.client.get(visitor.home)
    assert W.UNIT_DEADLINE.format(day="20/10/2023") in visible_text(page.text)
    got = visitor.client.get(f"/don-vi/{period.id}/VP/bieu-mau.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(got.data))
    meta = {r[0]: r[1] for r in wb[V.SHEET_META].iter_rows(values_only=True)}
    assert meta["unit_code"] == "VP" and meta["period"] == period.id


def test_the_analyst_sees_who_sent_and_builds_the_outputs(
    site: Site, period: Period, demo: DemoResult
) -> None:
    from pipeline.web import links as L

    urls = unit_links(site, period)
    for unit in ("VP", "TUPHAP"):
        enter(site, urls[unit]).upload(demo_file(demo, unit))
    analyst = enter(site, L.issue_analyst_link(site.store, site.cat, period, "http://h").url)
    assert analyst.home == f"/tong-hop/{period.id}"
    page = analyst.client.get(analyst.home)
    text = visible_text(page.text)
    expected = len(site.cat.expected_units(period))
    assert (
        W.ANALYST_COUNTS.format(
            expected=expected, sent=2, on_time=0, late=2, missing=expected - 2, rejected=0
        )
        in text
    )
    assert 'data-unit="TUPHAP"' in page.text
    row = page.text.split('data-unit="TUPHAP"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="errors">1</td>' in row
    # the analyst reads a unit's page but cannot send for it
    assert analyst.client.get(f"/don-vi/{period.id}/VP").status_code == 200
    assert (
        analyst.upload(demo_file(demo, "VP"), target=f"/don-vi/{period.id}/VP", csrf="x").status_code == 403
    )
    csrf = analyst.csrf()
    assert analyst.client.post(f"/tong-hop/{period.id}/lap", data={}).status_code == 403
    built = analyst.client.post(f"/tong-hop/{period.id}/lap", data={"csrf_token": csrf})
    assert built.status_code == 303
    page = analyst.client.get(built.headers["Location"])
    assert 'id="note"' in page.text and 'id="outputs"' in page.text
    first = page.text.split('id="outputs"><li><a href="', 1)[1].split('"', 1)[0]
    assert first.endswith(".xlsx") and analyst.client.get(first).status_code == 200
    assert analyst.client.get(f"/tong-hop/{period.id}/tep/../../dti.sqlite").status_code == 404
