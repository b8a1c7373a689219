"""What an upload may not do: a 1 GiB body is refused while it streams, with the server's memory
flat; a file over the cap is refused however it comes; hostile files are read in capped workers
and refused; a worker that runs out of memory costs only its file."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

from pipeline.base.codes import Code
from pipeline.base.messages import web as W
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.demo import DemoResult
from pipeline.web.worker import GuardPool
from tests import builders as b
from tests.web.conftest import Served, demo_file, enter, make, unit_links, visible_text

GiB = 1024**3
MiB = 1024**2


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def _connection(served: Served) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", served.server.effective_port, timeout=30)


def test_a_1_gib_streamed_body_is_refused_early_with_memory_flat(served: Served, period: Period) -> None:
    path = f"/don-vi/{period.id}/VP"
    sent = 0
    chunk = b"\0" * MiB

    def body() -> Iterator[bytes]:
        nonlocal sent
        head = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
        yield head
        while sent < GiB:
            sent += len(chunk)
            yield chunk

    before = _rss()
    conn = _connection(served)
    status = None
    try:
        conn.request(
            "POST",
            path,
            body=body(),
            headers={"Content-Type": "multipart/form-data; boundary=x"},
            encode_chunked=True,
        )
        status = conn.getresponse().status
    except (TimeoutError, BrokenPipeError, ConnectionResetError):
        pass  # the server closed the connection on the rest of the body
    finally:
        conn.close()
    grown = _rss() - before
    assert sent < 64 * MiB, f"{sent / MiB:.0f} MiB were read before the refusal"
    assert status in (None, 413)
    assert grown < 48 * MiB, f"the server's memory grew by {grown / MiB:.0f} MiB"
    # and the server still answers
    conn = _connection(served)
    conn.request("GET", "/vao?t=x")
    assert conn.getresponse().status == 403
    conn.close()


def test_a_declared_1_gib_body_is_refused_before_any_of_it(served: Served, period: Period) -> None:
    conn = _connection(served)
    conn.putrequest("POST", f"/don-vi/{period.id}/VP")
    conn.putheader("Content-Type", "multipart/form-data; boundary=x")
    conn.putheader("Content-Length", str(GiB))
    conn.endheaders()
    answer = conn.getresponse()
    assert answer.status == 413
    conn.close()


def test_a_file_over_the_cap_is_refused_by_the_app_too(
    cat: Catalogue, tmp_path: Path, period: Period, demo: DemoResult
) -> None:
    site = make(cat, tmp_path, workers=0, max_upload=64 * 1024)
    visitor = enter(site, unit_links(site, period)["VP"])
    big = tmp_path / "big.xlsx"
    big.write_bytes(demo_file(demo, "VP").read_bytes() + b"\0" * 200 * 1024)  # over the whole body's cap
    answer = visitor.upload(big)
    assert answer.status_code == 413 and "MB" in visible_text(answer.text)
    near = tmp_path / "near.xlsx"
    near.write_bytes(b"\0" * (64 * 1024 + 10))  # within the body's slack, over the file's cap
    answer = visitor.upload(near)
    assert answer.status_code == 413
    assert site.store.submissions(period.id, locality=site.locality).empty
    assert not list(site.state("incoming").glob("*"))  # nothing left behind
    site.store.close()


def test_hostile_files_are_refused_by_the_guard_in_capped_workers(
    cat: Catalogue, tmp_path: Path, period: Period, demo: DemoResult
) -> None:
    site = make(cat, tmp_path, workers=1)
    try:
        visitor = enter(site, unit_links(site, period)["VP"])
        hostile = [
            b.make_zip_bomb(tmp_path / "bomb.xlsx", 200 * b.MB),
            b.make_lying_zip_bomb(tmp_path / "lying.xlsx", lie_compressed=True, forge_crc=True),
            b.make_encrypted_ole(tmp_path / "locked.xlsx"),
            b.make_random(tmp_path / "garbage.xlsx"),
        ]
        for path in hostile:
            answer = visitor.upload(path)
            assert answer.status_code == 303, path
            text = visible_text(visitor.client.get(answer.headers["Location"]).text)
            assert W.RESULT_REFUSED in text, path
        good = visitor.upload(demo_file(demo, "VP"))
        assert W.RESULT_WARNINGS.format(warnings=1) in visible_text(
            visitor.client.get(good.headers["Location"]).text
        )
        subs = site.store.submissions(period.id, locality=site.locality)
        assert list(subs["status"]) == ["rejected"] * 4 + ["late"]
        assert set(subs["channel"]) == {"upload"}
    finally:
        site.pool.close()
        site.store.close()


def test_a_worker_out_of_memory_costs_only_its_file(cat: Catalogue, demo: DemoResult) -> None:
    src = demo_file(demo, "VP")
    starved = GuardPool(cat, workers=1, memory_mb=48)  # too little even to start
    try:
        refused = starved.prepare("2023-10", src, src.parent)
        assert refused.unit is None and [i.code for i in refused.issues] == [Code.FILE_UNREADABLE]
    finally:
        starved.close()
    pool = GuardPool(cat, workers=1)
    try:
        assert pool.prepare("2023-10", src, src.parent).unit == "VP"
    finally:
        pool.close()
