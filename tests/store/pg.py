"""A throwaway PostgreSQL cluster for the store tests and the store benchmark.

``initdb`` and ``pg_ctl`` are looked for in ``$DTI_TEST_PG_BIN``, else on PATH and in
``/usr/lib/postgresql/<n>/bin`` (where Debian's ``postgresql`` package puts them). The cluster lives in a fresh temporary folder, listens
only on a unix socket in that folder (no TCP port, so nothing clashes), trusts local connections,
and is stopped and removed by ``stop()``. ``initdb`` refuses to run as root: as root the folder is
handed to the ``postgres`` user (created by Debian's package) and the binaries run through
``runuser``.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

PORT = 5432  # only names the socket file inside the cluster's own folder


def find_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None when PostgreSQL is absent.

    ``DTI_TEST_PG_BIN`` names the folder explicitly (PostgreSQL installed elsewhere); set to a
    folder without them, it makes PostgreSQL absent.
    """
    forced = os.environ.get("DTI_TEST_PG_BIN")
    if forced is not None:
        folder = Path(forced)
        return folder if (folder / "initdb").exists() and (folder / "pg_ctl").exists() else None
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent

    def version(p: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", p.parent.parent.name)) or (0,)

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version)
    for initdb in reversed(found):
        if (initdb.parent / "pg_ctl").exists() and (initdb.parent / "postgres").exists():
            return initdb.parent
    return None


class Cluster:
    """A running throwaway cluster; ``new_url()`` gives a fresh database's URL each call."""

    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        self.bindir = bindir
        self.durable = durable  # fsync on (benchmarks); the tests run without it
        self.base = Path(tempfile.mkdtemp(prefix="dti-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self._as: list[str] = []
        self._names = itertools.count(1)
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise RuntimeError(
                    "running as root needs the 'postgres' user (apt-get install postgresql)"
                ) from exc
            os.chown(self.base, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self.base.chmod(0o755)

    def _run(self, *args: str) -> None:
        cmd = [*self._as, *args]
        proc = subprocess.run(cmd, cwd=self.base, capture_output=True, text=True, timeout=120, check=False)
        if proc.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stdout}\n{proc.stderr}\n{log}")

    def start(self) -> Cluster:
        initdb, pg_ctl = str(self.bindir / "initdb"), str(self.bindir / "pg_ctl")
        self._run(initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale")
        options = f"-k {self.base} -p {PORT} -c listen_addresses='' -c max_connections=60"
        if not self.durable:
            options += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        self._run(pg_ctl, "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options, "start")
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@/{dbname}?host={self.base}&port={PORT}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host=str(self.base), port=PORT, user="postgres", dbname="postgres", autocommit=True
        ) as c:
            c.execute(sql)  # type: ignore[arg-type]

    def new_url(self, prefix: str = "t") -> str:
        """A new empty database in the cluster, as a ``postgresql://`` URL."""
        name = f"{prefix}_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)


def start_cluster(*, durable: bool = False) -> Cluster | None:
    """A started cluster, or None when the binaries are absent."""
    bindir = find_bindir()
    return None if bindir is None else Cluster(bindir, durable=durable).start()
