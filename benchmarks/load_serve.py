"""A bounded load on the real ``dti serve`` (not a test): many clients uploading at once, with
hostile files among them, against a store that already holds many returns.

    python benchmarks/load_serve.py [--stored 10000] [--clients 20] [--variants 3] [--hostile 50]
                                    [--workers 2] [--threads 8]

1. A store gets ``--stored`` synthetic returns of the month (100 values, 2 issues each, as
   ``store_bench.py`` makes them) in the catalogue's locality, so every page and every upload
   reads a period of that size; then one link per expected unit (``dti links``).
2. ``dti serve`` starts as its own process on a free port of 127.0.0.1 (``--workers`` guard
   processes with their memory cap, ``--threads`` request threads, no rate limit).
3. ``--clients`` clients (threads, one unit each) open their link and upload, one after the
   other, ``--variants`` different filled returns of their unit (the demo's, at successive
   months of a season) and then the first one again (the same file: the same return). At the
   same time, clients of the other units send ``--hostile`` hostile files: zip bombs (honest and
   lying headers), password-protected workbooks, random bytes, truncated workbooks, a workbook
   with 2 million cells, a file over the size cap.
4. Measured: for each valid upload, the seconds from the start of the POST to the end of the
   issues page it leads to (p50, p95, max); the server's resident memory (its process and its
   workers, sampled every 0.2 s); whether it still answers; and, from the store, that every
   upload is stored exactly once (the same content again: no new return).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from store_bench import make_data  # noqa: E402

from pipeline.base.periods import parse_period  # noqa: E402
from pipeline.catalogue import load_catalogue  # noqa: E402
from pipeline.demo import write_demo  # noqa: E402
from pipeline.store import open_store  # noqa: E402
from pipeline.web import links as L  # noqa: E402
from tests import builders as b  # noqa: E402

PERIOD = "2023-10"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_of_tree(pid: int) -> int:
    """Resident bytes of a process and its descendants (from /proc)."""
    parents: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s+(\d+)", text, re.M)
        if ppid:
            parents[int(status.parent.name)] = int(ppid.group(1))
    tree = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in tree and child not in tree:
                tree.add(child)
                grew = True
    total = 0
    for p in tree:
        try:
            m = re.search(r"^VmRSS:\s+(\d+)", Path(f"/proc/{p}/status").read_text(), re.M)
        except OSError:
            continue
        total += int(m.group(1)) * 1024 if m else 0
    return total


class Client:
    """A browser's minimum: one cookie, the link's first visit, the CSRF token, uploads."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def request(
        self, method: str, path: str, body: bytes | None = None, ctype: str = ""
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if ctype:
            headers["Content-Type"] = ctype
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            text = r.read().decode("utf-8", "replace")
            got = {k.lower(): v for k, v in r.getheaders()}
        finally:
            conn.close()
        if "set-cookie" in got:
            self.cookie = got["set-cookie"].split(";", 1)[0]
        return r.status, got, text

    def enter(self, url: str) -> str:
        status, _h, text = self.request("GET", url.split(str(self.port), 1)[1])
        assert status == 200, status
        found = re.search(r'content="0;url=([^"]+)"', text)
        assert found
        return found.group(1)

    def upload(self, home: str, name: str, data: bytes) -> tuple[int, float, str]:
        """(status of the POST, seconds to the issues page, the page's path)."""
        _s, _h, page = self.request("GET", home)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert csrf
        boundary = "----dti" + hashlib.sha1(data[:64] + name.encode()).hexdigest()[:16]
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf.group(1)}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        started = time.perf_counter()
        try:
            status, headers, _t = self.request(
                "POST", home, body, f"multipart/form-data; boundary={boundary}"
            )
        except (ConnectionResetError, BrokenPipeError):
            return 413, time.perf_counter() - started, ""
        where = headers.get("location", "")
        if status == 303:
            s2, _h2, _t2 = self.request("GET", where)
            assert s2 == 200, s2
        return status, time.perf_counter() - started, where


def hostile_files(folder: Path, n: int, cap: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    demo = sorted((folder.parent / "demo-0").glob("*.xlsx"))
    makers = [
        lambda p: b.make_zip_bomb(p, 200 * b.MB),
        lambda p: b.make_lying_zip_bomb(p, lie_compressed=True, forge_crc=True),
        lambda p: b.make_lying_zip_bomb(p, lie_compressed=False, forge_crc=False),
        b.make_encrypted_ole,
        lambda p: b.make_random(p, size=random.randint(1_000, 400_000), seed=random.randint(0, 10**6)),
        lambda p: b.make_truncated(random.choice(demo), p, random.random()),
        lambda p: b.make_xlsx_xlsxwriter(p, [[i] * 20 for i in range(100_000)]),  # 2 million cells
        lambda p: p.write_bytes(random.randbytes(cap + 1024)) and p,
    ]
    out = []
    for i in range(n):
        path = folder / f"hostile_{i:02d}.xlsx"
        makers[i % len(makers)](path)
        out.append(path)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stored", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--variants", type=int, default=3)
    ap.add_argument("--hostile", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=8)
    args = ap.parse_args()
    random.seed(13)
    cat = load_catalogue(ROOT / "schemas")
    period = parse_period(PERIOD)
    tmp = Path(tempfile.mkdtemp(prefix="dti-load-"))
    t0 = time.perf_counter()
    for stage in range(args.variants):
        write_demo(cat, period, tmp / f"demo-{stage}", stage=stage)
    cap = 20 * 1024 * 1024
    hostile = hostile_files(tmp / "hostile", args.hostile, cap)
    db = str(tmp / "dti.sqlite")
    store = open_store(db, default_path=tmp / "x.sqlite")
    if args.stored:
        d = make_data(args.stored, 100, 0)
        with store.run(locality=cat.locality.code, period=PERIOD) as run:
            run.record_returns(d["returns"])
            run.add_cells(d["cells"])
            run.add_issues(d["issues"])
    issued, _ = L.issue_unit_links(store, cat, period, "http://127.0.0.1:0")
    store.close()
    print(
        f"setup: {args.stored} stored returns, {len(hostile)} hostile files, {time.perf_counter() - t0:.0f} s"
    )

    port = free_port()
    log = tmp / "serve.log"
    cmd = [sys.executable, "-m", "pipeline", "--db", db, "serve", "--port", str(port), "--inbox",
           str(tmp / "inbox"), "--out", str(tmp / "out"), "--workers", str(args.workers),
           "--threads", str(args.threads), "--rate-limit", "0"]  # fmt: skip
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
    for _ in range(300):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    time.sleep(1)
    idle = rss_of_tree(proc.pid)
    peak = [idle]
    sampling = True

    def sample() -> None:
        while sampling:
            peak[0] = max(peak[0], rss_of_tree(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()

    units = [i.unit_code for i in issued]
    urls = {i.unit_code: i.url.replace(":0/", f":{port}/") for i in issued}
    valid_units, hostile_units = units[: args.clients], units[args.clients :] or units[:1]
    timings: list[float] = []
    sent: list[tuple[str, str, int]] = []  # unit, sha256, status
    lock = threading.Lock()

    def valid_client(unit: str) -> None:
        c = Client(port)
        home = c.enter(urls[unit])
        files = [next((tmp / f"demo-{s}").glob(f"*_{unit}.xlsx")) for s in range(args.variants)]
        for path in [*files, files[0]]:
            data = path.read_bytes()
            status, seconds, _where = c.upload(home, path.name, data)
            with lock:
                timings.append(seconds)
                sent.append((unit, hashlib.sha256(data).hexdigest(), status))

    def hostile_client(unit: str, paths: list[Path]) -> None:
        c = Client(port)
        home = c.enter(urls[unit])
        for path in paths:
            data = path.read_bytes()
            status, _seconds, _where = c.upload(home, path.name, data)
            with lock:
                sent.append((unit, hashlib.sha256(data).hexdigest(), status))

    threads = [threading.Thread(target=valid_client, args=(u,)) for u in valid_units]
    share = [hostile[i :: len(hostile_units)] for i in range(len(hostile_units))]
    threads += [
        threading.Thread(target=hostile_client, args=(u, p))
        for u, p in zip(hostile_units, share, strict=False)
        if p
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    sampling = False
    sampler.join()
    alive = Client(port).request("GET", "/vao?t=nothing")[0] == 403
    proc.terminate()
    proc.wait(timeout=30)

    store = open_store(db, default_path=tmp / "x.sqlite")
    subs = store.submissions(PERIOD, locality=cat.locality.code)
    web = subs[subs["channel"] == "upload"]
    stored = {(u, s): n for (u, s), n in web.groupby(["unit_code", "file_sha256"]).size().items()}
    store.close()
    taken = {(u, s) for u, s, status in sent if status == 303}
    refused = [status for _u, _s, status in sent if status != 303]
    once = all(stored.get(k) == 1 for k in taken) and set(stored) == taken
    q = statistics.quantiles(timings, n=20, method="inclusive")
    print(f"uploads: {len(sent)} ({len(timings)} valid, {len(sent) - len(timings)} hostile) in {wall:.1f} s")
    print(
        f"valid upload → issues page: p50 {statistics.median(timings):.2f} s, p95 {q[18]:.2f} s, max {max(timings):.2f} s"
    )
    print(f"refused before the store (413/422): {len(refused)}; stored as refused returns: "
          f"{int((web['status'] == 'rejected').sum())}")  # fmt: skip
    print(f"server alive after: {alive}; RSS idle {idle / 2**20:.0f} MB, peak {peak[0] / 2**20:.0f} MB "
          "(server and its workers)")  # fmt: skip
    print(
        f"every upload stored exactly once: {once} ({len(taken)} distinct uploads, {len(web)} stored returns)"
    )
    print(f"log: {log}")


if __name__ == "__main__":
    main()
