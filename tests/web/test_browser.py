"""A real browser against the real server: headless Chromium (Debian's ``chromium`` and
``chromium-driver``, installed by ``.ci/run``) driven by Selenium, and ``dti serve`` started as
a process on a free port of 127.0.0.1 with links from ``dti links``.

A unit opens its link, uploads a filled return, sees its issues with their cells, downloads
its feedback file; the analyst's page shows the return; a revoked link is refused; the server's
log holds no token. Skipped when Chromium is absent locally, a failure under ``CI=true``.
Set ``DTI_SCREENSHOTS=folder`` to keep screenshots of the pages (desktop and phone widths).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.base import vocabulary as V
from pipeline.base.messages import web as W
from pipeline.base.periods import Period
from pipeline.cli import main
from pipeline.demo import DemoResult
from tests.web.conftest import demo_file

CHROMIUM = os.environ.get("DTI_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("DTI_CHROMEDRIVER", "/usr/bin/chromedriver")


def _browser_paths() -> tuple[str, str]:
    chromium = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    driver = CHROMEDRIVER if Path(CHROMEDRIVER).exists() else shutil.which("chromedriver")
    if not chromium or not driver:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium and chromedriver are required under CI=true; .ci/run installs them")
        pytest.skip("Chromium (chromium, chromium-driver) is not installed")
    return chromium, driver


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"dti serve stopped: {log.read_text(errors='replace')}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("dti serve did not start")


def _links(db: str, args: list[str]) -> list[dict[str, str]]:
    out = CliRunner().invoke(main, ["--db", db, "links", *args])
    assert out.exit_code == 0, out.output
    return list(csv.DictReader(io.StringIO(out.stdout)))


@pytest.fixture
def server(tmp_path: Path, period: Period) -> Iterator[tuple[str, str, subprocess.Popen[bytes], Path]]:
    port = _free_port()
    db = str(tmp_path / "dti.sqlite")
    log = tmp_path / "serve.log"
    base = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "pipeline",
        "--db",
        db,
        "serve",
        "--port",
        str(port),
        "--inbox",
        str(tmp_path / "inbox"),
        "--out",
        str(tmp_path / "out"),
        "--workers",
        "1",
    ]
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
    try:
        _wait_for(port, proc, log)
        yield base, db, proc, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _driver(chromium: str, driver_path: str, downloads: Path, width: int = 1100) -> object:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=vi"):
        options.add_argument(arg)
    options.add_argument(f"--window-size={width},1400")
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


def _shot(driver: object, name: str) -> None:
    folder = os.environ.get("DTI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))  # type: ignore[attr-defined]


def _wait(driver: object, css: str, timeout: float = 60) -> object:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def test_a_unit_uploads_in_a_real_browser_and_the_analyst_sees_it(
    server: tuple[str, str, subprocess.Popen[bytes], Path],
    period: Period,
    demo: DemoResult,
    tmp_path: Path,
) -> None:
    chromium, driver_path = _browser_paths()
    from selenium.webdriver.common.by import By

    base, db, _proc, log = server
    rows = {r["unit_code"]: r for r in _links(db, ["--period", period.id, "--base-url", base])}
    analyst_url = _links(db, ["--analyst", "--period", period.id, "--base-url", base])[0]["url"]
    unit_url = rows["TUPHAP"]["url"]
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser = _driver(chromium, driver_path, downloads)
    try:
        b = browser  # type: ignore[assignment]
        b.get(unit_url)  # type: ignore[attr-defined]
        _wait(b, "#deadline")
        assert "t=" not in b.current_url and b.current_url.endswith(f"/don-vi/{period.id}/TUPHAP")  # type: ignore[attr-defined]
        body = b.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
        assert rows["TUPHAP"]["unit_name"] in body and W.UNIT_DEADLINE.format(day="20/10/2023") in body
        _shot(b, "1-unit-page")
        b.find_element(By.ID, "file").send_keys(str(demo_file(demo, "TUPHAP")))  # type: ignore[attr-defined]
        b.find_element(By.ID, "send").click()  # type: ignore[attr-defined]
        issues = _wait(b, "#issues")
        text = issues.text  # type: ignore[attr-defined]
        assert "K6" in text and "Minh chứng" in text and V.SEVERITY_LABELS["error"] in text
        _shot(b, "2-unit-result")
        b.set_window_size(400, 1400)  # type: ignore[attr-defined]
        _shot(b, "3-unit-result-phone")
        b.set_window_size(1100, 1400)  # type: ignore[attr-defined]
        b.find_element(By.ID, "feedback-link").click()  # type: ignore[attr-defined]
        end = time.monotonic() + 30
        while time.monotonic() < end and not list(downloads.glob("*.xlsx")):
            time.sleep(0.2)
        got = list(downloads.glob("*.xlsx"))
        assert got and got[0].read_bytes()[:2] == b"PK"

        b.get(analyst_url)  # type: ignore[attr-defined]
        table = _wait(b, "#units")
        row = table.find_element(By.CSS_SELECTOR, 'tr[data-unit="TUPHAP"]')  # type: ignore[attr-defined]
        assert (
            V.SUBMISSION_LABELS["late"] in row.text
            and row.find_element(By.CSS_SELECTOR, ".errors").text == "1"
        )
        _shot(b, "4-analyst")
        b.set_window_size(400, 1400)  # type: ignore[attr-defined]
        _shot(b, "5-analyst-phone")

        out = CliRunner().invoke(main, ["--db", db, "links", "--revoke", "TUPHAP", "--period", period.id])
        assert out.exit_code == 0, out.output
        b.delete_all_cookies()  # type: ignore[attr-defined]
        b.get(unit_url)  # type: ignore[attr-defined]
        refusal = _wait(b, "#refusal")
        assert refusal.text == W.ERROR_LINK  # type: ignore[attr-defined]
        _shot(b, "6-revoked")
    finally:
        browser.quit()  # type: ignore[attr-defined]
    logged = log.read_text(errors="replace")
    assert "GET /vao 200" in logged and "POST /don-vi/" in logged
    for r in rows.values():
        assert r["url"].split("t=", 1)[1] not in logged
    assert analyst_url.split("t=", 1)[1] not in logged
