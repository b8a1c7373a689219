"""The private links: issued for every expected unit, stored only hashed, exchanged for a
session cookie on the first visit, revoked (the sessions with them), never written to a log."""

from __future__ import annotations

import csv
import http.client
import io
import logging
import re
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from pipeline.base.messages import web as W
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.cli import main
from pipeline.store import schema as S
from pipeline.web import links as L
from pipeline.web.uploads import Site
from tests.web.conftest import Served, enter, unit_links, visible_text


def test_every_expected_unit_gets_a_link_stored_only_hashed(any_site: Site, period: Period) -> None:
    issued, replaced = L.issue_unit_links(any_site.store, any_site.cat, period, "https://dti.example.vn/")
    assert replaced == 0
    assert [i.unit_code for i in issued] == list(any_site.cat.expected_units(period))
    tokens = [i.url.split("t=", 1)[1] for i in issued]
    assert all(i.url.startswith("https://dti.example.vn/vao?t=") for i in issued)
    assert len(set(tokens)) == len(tokens) and all(len(t) >= 43 for t in tokens)
    first = issued[0]
    assert first.unit_name in first.message and first.url in first.message and "20/10/2023" in first.message
    with any_site.store.engine.connect() as conn:
        rows = conn.execute(sa.select(S.links)).all()
    dumped = repr(rows)
    assert len(rows) == len(issued)
    assert not any(t in dumped for t in tokens)  # only the hash is kept
    assert {r.token_sha256 for r in rows} == {L.digest(t) for t in tokens}
    # issuing again replaces the earlier links: the old ones open nothing any more
    again, replaced = L.issue_unit_links(any_site.store, any_site.cat, period, "https://dti.example.vn")
    assert replaced == len(issued)
    assert L.find(any_site.store, tokens[0]) is None
    assert L.find(any_site.store, again[0].url.split("t=", 1)[1]) is not None


def test_the_first_visit_exchanges_the_token_for_a_strict_httponly_cookie(site: Site, period: Period) -> None:
    url = unit_links(site, period)["VP"]
    token = url.split("t=", 1)[1]
    client = enter(site, url).client
    answer = client.get(f"/vao?t={token}")
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and token not in cookie
    target = re.search(r'content="0;url=([^"]+)"', answer.text)
    assert target and target.group(1) == f"/don-vi/{period.id}/VP" and "t=" not in target.group(1)
    page = client.get(target.group(1))
    assert page.status_code == 200 and site.cat.unit_name("VP") in page.text
    # the path form of the link works the same
    other = enter(site, url).client
    assert other.get(f"/vao/{token}").status_code == 200


def test_a_wrong_or_revoked_token_opens_nothing_and_says_nothing(site: Site, period: Period) -> None:
    url = unit_links(site, period)["VP"]
    visitor = enter(site, url)
    assert visitor.client.get(visitor.home).status_code == 200
    wrong = visitor.client.application.test_client().get("/vao?t=" + "x" * 43)
    assert wrong.status_code == 403 and W.ERROR_LINK in visible_text(wrong.text)
    assert L.revoke(site.store, site.cat, unit_code="VP", period=period) == 1
    revoked = visitor.client.application.test_client().get(url.split("8000", 1)[1])
    assert revoked.status_code == 403 and visible_text(revoked.text) == visible_text(wrong.text)
    # the session opened before the revocation is closed as well
    assert visitor.client.get(visitor.home).status_code == 403


def test_the_cli_writes_the_links_and_revokes_them(cat: Catalogue, tmp_path: Path, period: Period) -> None:
    runner = CliRunner()
    db = str(tmp_path / "dti.sqlite")
    out = runner.invoke(main, ["--db", db, "links", "--period", period.id, "--base-url", "http://h:1"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0]) == ["unit_code", "unit_name", "url", "message"]
    assert [r["unit_code"] for r in rows] == list(cat.expected_units(period))
    sheet = tmp_path / "links.xlsx"
    out = runner.invoke(main, ["--db", db, "links", "--period", period.id, "--out", str(sheet)])
    assert out.exit_code == 0, out.output
    ws = openpyxl.load_workbook(sheet).active
    assert ws is not None and ws.title == W.LINKS_SHEET
    assert [c.value for c in ws[1]] == list(W.LINKS_HEADERS) and ws.max_row == len(rows) + 1
    assert (tmp_path / "links.csv").is_file()
    out = runner.invoke(main, ["--db", db, "links", "--period", period.id, "--unit", "VP"])
    assert out.exit_code == 0 and [r["unit_code"] for r in csv.DictReader(io.StringIO(out.stdout))] == ["VP"]
    out = runner.invoke(main, ["--db", db, "links", "--revoke", "VP"])
    assert out.exit_code == 0 and "1" in out.stderr
    out = runner.invoke(main, ["--db", db, "links", "--revoke", "NO_SUCH_UNIT"])
    assert out.exit_code == 2
    out = runner.invoke(main, ["--db", db, "links", "--analyst", "--period", period.id])
    assert out.exit_code == 0 and "/vao?t=" in out.stdout


def _get(base: str, path: str) -> int:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", path)
    status = conn.getresponse().status
    conn.close()
    return status


def test_the_token_is_never_written_to_a_log(
    served: Served, period: Period, caplog: pytest.LogCaptureFixture
) -> None:
    """Through the real server: the access log holds the paths, never a token."""
    url = unit_links(served.site, period)["VP"]
    token = url.split("t=", 1)[1]
    with caplog.at_level(logging.DEBUG):
        assert _get(served.base, f"/vao?t={token}") == 200
        assert _get(served.base, f"/vao/{token}") == 200
        assert _get(served.base, f"/vao?t={token[:-2]}zz") == 403
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "GET /vao 200" in caplog.text and "GET /vao/… 200" in caplog.text and "GET /vao 403" in caplog.text
    assert token not in logged and token[:20] not in logged
