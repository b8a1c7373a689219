"""Fixtures of the web tests: the demo's filled returns, a site (store, folders, guard pool) on
SQLite (and PostgreSQL where asked), the Flask test client, a real waitress server in a thread."""

from __future__ import annotations

import contextlib
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from pipeline.base.periods import Period, parse_period
from pipeline.catalogue import Catalogue
from pipeline.demo import DemoResult, write_demo
from pipeline.web import links as L
from pipeline.web.app import create_app
from pipeline.web.serve import make_server, make_site
from pipeline.web.uploads import Site
from tests.conftest import new_url

PERIOD = "2023-10"


@pytest.fixture(scope="session")
def period() -> Period:
    return parse_period(PERIOD)


@pytest.fixture(scope="session")
def demo(cat: Catalogue, period: Period, tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    """The demo's filled returns of the month (with their typical mistakes)."""
    return write_demo(cat, period, tmp_path_factory.mktemp("demo") / PERIOD)


def demo_file(demo: DemoResult, unit: str) -> Path:
    return next(p for p in demo.files if p.stem.endswith(f"_{unit}"))


def make(cat: Catalogue, root: Path, db: str | None = None, **kw: Any) -> Site:
    return make_site(cat, root / "inbox", root / "out", db, **kw)


@pytest.fixture
def site(cat: Catalogue, tmp_path: Path) -> Iterator[Site]:
    """A fresh site on SQLite; guard and reader in this process (the pool is tested apart)."""
    s = make(cat, tmp_path, workers=0)
    yield s
    s.pool.close()
    s.store.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_site(cat: Catalogue, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Site]:
    """A fresh site on SQLite and on PostgreSQL (skipped without its binaries, locally)."""
    s = make(cat, tmp_path, new_url(str(request.param), tmp_path, request), workers=0)
    yield s
    s.pool.close()
    s.store.close()


@dataclass
class Visitor:
    """A browser-like client that has opened a link."""

    client: FlaskClient
    home: str  # the page the link led to

    def csrf(self, path: str | None = None) -> str:
        page = self.client.get(path or self.home)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, page.text
        return found.group(1)

    def upload(self, path: Path, target: str | None = None, csrf: str | None = "") -> Any:
        data: dict[str, Any] = {"file": (path.open("rb"), path.name)}
        if csrf is not None:
            data["csrf_token"] = csrf or self.csrf(target)
        return self.client.post(target or self.home, data=data, content_type="multipart/form-data")


def enter(site: Site, url: str, rate_limit: int = 0) -> Visitor:
    client = create_app(site, rate_limit=rate_limit).test_client()
    token = url.split("t=", 1)[1]
    answer = client.get(f"/vao?t={token}")
    assert answer.status_code == 200, answer.text
    found = re.search(r'http-equiv="refresh" content="0;url=([^"]+)"', answer.text)
    assert found
    return Visitor(client, found.group(1))


def unit_links(site: Site, period: Period) -> dict[str, str]:
    issued, _ = L.issue_unit_links(site.store, site.cat, period, "http://127.0.0.1:8000")
    return {i.unit_code: i.url for i in issued}


def visible_text(html: str) -> str:
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&"))


@dataclass
class Served:
    site: Site
    server: Any
    base: str


@pytest.fixture
def served(cat: Catalogue, tmp_path: Path) -> Iterator[Served]:
    """The real waitress server on a free port of 127.0.0.1, in a thread."""
    s = make(cat, tmp_path, workers=0)
    server = make_server(s, "127.0.0.1", 0, threads=4, rate_limit=0)
    thread = threading.Thread(target=run_until_closed, args=(server,), daemon=True)
    thread.start()
    try:
        yield Served(s, server, f"http://127.0.0.1:{server.effective_port}")
    finally:
        server.close()
        thread.join(timeout=10)
        s.store.close()


def run_until_closed(server: Any) -> None:
    """waitress's loop, until ``server.close()`` from another thread (its socket then goes)."""
    with contextlib.suppress(OSError):  # the socket closed under select(): the server was closed
        server.run()


def copy_as(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst
