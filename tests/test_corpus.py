"""The corpus of hostile and messy returns (tests/corpus/build.py), each run through the whole pipeline.

For every kind, the case's file(s) go into an inbox with the proper returns of three other
units, and ``run_report`` runs in its own process under a 1 GiB address-space limit and a
wall-time bound. Then: the run finished; the file got its specific issue code, with a
Vietnamese message naming the file (or was read as it should be); the other units' rows of
``scores.csv`` and ``tasks.csv`` are exactly those of a run without the file; the inbox is
byte-identical; no output cell is a formula, and formula-looking text from a unit comes out
as literal text. The corpus is built once per session and the runs go two at a time.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pipeline.base.codes import Code
from pipeline.base.issues import received
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue, load_catalogue, target_level
from pipeline.intake import RECEIVED_FILE
from tests.conftest import SCHEMAS
from tests.corpus import build

pytestmark = pytest.mark.slow  # minutes: not in `make test-fast`

ROOT = Path(__file__).resolve().parent.parent
KINDS = build.kinds()
WORKERS = 2
TIMEOUT = 60  # seconds per run, in its own process
SLOW = 20  # a run slower than this means the file made the pipeline slow (on an idle 2-core
# machine the slowest kinds, the million-row sheets, take 3-4 s alone; runs go two at a time)
# Letters only Vietnamese uses: a message without any is not Vietnamese.
VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]")


@dataclass
class Run:
    """One report run on one inbox, and what it left behind."""

    inbox: Path
    out: Path
    returncode: int | None
    seconds: float
    stdout: str
    stderr: str
    before: dict[str, str]  # inbox file → sha256, before the run
    after: dict[str, str] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.out / build.PERIOD / "data"

    def csv(self, name: str) -> list[dict[str, str]]:
        with (self.data / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))


@dataclass
class Corpus:
    cases: dict[str, build.CorpusCase]
    runs: dict[str, Run]
    baseline: Run
    build_seconds: float


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _stage(inbox: Path, normal: list[Path], case: build.CorpusCase | None) -> Path:
    inbox.mkdir(parents=True)
    received = [(p.name, build.RECEIVED) for p in normal]
    for path in normal:
        shutil.copy2(path, inbox / path.name)
    if case is not None:
        for path in case.paths():
            shutil.copy2(path, inbox / path.name)
            received.append((path.name, case.received.get(path.name, build.RECEIVED)))
    with (inbox / RECEIVED_FILE).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["file", "received_at"])
        writer.writerows(received)
    return inbox


def _run(inbox: Path, out: Path, schemas: Path, workers: int = 0) -> Run:
    before = _hashes(inbox)
    env = os.environ | {
        "PYTHONPATH": str(ROOT),
        "DTI_WORKERS": str(workers),
        "DTI_CORPUS_SCHEMAS": str(schemas),
    }
    cmd = [sys.executable, "-m", "tests.corpus.runner", str(inbox), str(out)]
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        code, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        code, stdout, stderr = None, str(exc.stdout or ""), f"timed out after {TIMEOUT} s"
    run = Run(inbox, out, code, time.perf_counter() - started, stdout, stderr, before)
    run.after = _hashes(inbox)
    return run


def _selected(request: pytest.FixtureRequest) -> list[str]:
    """The kinds this session runs (all of them, unless -k or a node id picked a few)."""
    wanted = {
        item.callspec.params["kind"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_corpus_case" and hasattr(item, "callspec")
    }
    return [k for k in KINDS if k in wanted] or KINDS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, qcat: Catalogue, q4: Period, request) -> Corpus:
    cat = qcat  # the corpus's quarter carries the tasks too
    root = tmp_path_factory.mktemp("corpus")
    started = time.perf_counter()
    normal = build.build_normal(cat, q4, root / "normal")
    cases = {c.kind: c for c in build.build_corpus(cat, q4, root / "files", only=_selected(request))}
    build_seconds = time.perf_counter() - started
    jobs = {
        kind: (_stage(root / "inbox" / kind, normal, case), root / "out" / kind)
        for kind, case in cases.items()
    }
    with ThreadPoolExecutor(WORKERS) as pool:
        baseline = pool.submit(
            _run, _stage(root / "inbox" / "_baseline", normal, None), root / "out" / "_baseline", cat.root
        )
        futures = {kind: pool.submit(_run, inbox, out, cat.root) for kind, (inbox, out) in jobs.items()}
        runs = {kind: f.result() for kind, f in futures.items()}
    corpus = Corpus(cases, runs, baseline.result(), build_seconds)
    assert corpus.baseline.returncode == 0, corpus.baseline.stderr[-3000:]
    return corpus


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _rows_without(rows: list[dict[str, str]], unit: str) -> list[dict[str, str]]:
    """The rows of the other units; the lead's row of a city-level target is the share of the
    wards' answers (this unit's among them), so its figure is left out of the comparison."""
    out = []
    for r in rows:
        if r["unit_code"] == unit:
            continue
        city_lead = r.get("task_id") in _CITY and r.get("role") != "phoi_hop"
        out.append(r | {"result_value": ""} if city_lead else r)
    return out


_PROJECT = load_catalogue(SCHEMAS)
_CITY = frozenset(t for t in _PROJECT.tasks.index if target_level(_PROJECT.tasks.loc[t]) == "city")


_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*>(?:<v>[^<]*</v>)?<f[ >/]')
# The one place a workbook of ours writes formulas: a template's (and so a feedback file's)
# self-check, in hidden columns right of each sheet's table and the line at its top: column A of
# row 1 (Thông tin) or 4 (Nhiệm vụ, Chỉ số), the hidden columns from C (Thông tin), H (Chỉ số) or
# M (Nhiệm vụ). Nothing a unit typed is ever written there.
_SELF_CHECK_COLUMNS = frozenset({"C", "D", "E", "H", "I", "J", "N", "O", "P"})


def _formula_cells(xlsx: Path) -> list[str]:
    """Sheet parts of ``xlsx`` that hold a formula outside a template's self-check (none should)."""
    out = []
    with zipfile.ZipFile(xlsx) as zf:
        for n in zf.namelist():
            if not n.startswith("xl/worksheets/"):
                continue
            data = zf.read(n)
            cells = [(m.group(1).decode(), int(m.group(2))) for m in _FORMULA_CELL.finditer(data)]
            if len(cells) != len(re.findall(rb"<f[ >/]", data)) or any(
                not (col in _SELF_CHECK_COLUMNS or (col == "A" and row in (1, 4))) for col, row in cells
            ):
                out.append(n)
    return out


def _text_cells(xlsx: Path) -> set[str]:
    wb = openpyxl.load_workbook(xlsx)
    return {
        cell.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "s" and isinstance(cell.value, str)
    }


@pytest.mark.parametrize("kind", KINDS)
def test_corpus_case(kind: str, corpus: Corpus) -> None:
    if kind not in corpus.cases:
        assert build.needs_libreoffice(kind), kind
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required under CI=true to build this case")
        pytest.skip("LibreOffice (soffice) is not installed")
    case, run, base = corpus.cases[kind], corpus.runs[kind], corpus.baseline

    # the run finished, in time and within 1 GiB; the inbox is untouched
    assert run.returncode == 0, f"{kind}: exit {run.returncode}\n{run.stderr[-3000:]}"
    assert run.seconds < SLOW, f"{kind}: the run took {run.seconds:.1f} s"
    assert run.after == run.before, f"{kind}: the inbox changed"

    # the file's own outcome
    target = _nfc(case.target)  # the CSVs hold names in NFC
    issues = run.csv("issues.csv")
    received(Code(i["code"]) for i in issues)  # produced in the run's own process
    mine = [i for i in issues if i["file"] == target]
    codes = {i["code"] for i in mine}
    errors = {i["code"] for i in mine if i["severity"] == "error"}
    assert set(case.codes) <= codes, f"{kind}: expected {case.codes}, got {sorted(codes)}: {mine}"
    if case.status == "rejected":
        assert errors == set(case.codes), f"{kind}: {mine}"
    if case.no_errors:
        assert not errors, f"{kind}: {[i for i in mine if i['severity'] == 'error']}"
    assert "file_unreadable" not in codes or "file_unreadable" in case.codes, (
        f"{kind}: a vague refusal: {mine}"
    )
    assert not case.max_issues or len(mine) <= case.max_issues, f"{kind}: {len(mine)} issues"
    for issue in mine:
        message = issue["message"]
        assert unicodedata.is_normalized("NFC", message) and VIETNAMESE.search(message), issue
        if not issue["cell"] and not issue["sheet"]:  # an issue with the whole file names it
            assert f"«{target}»" in message, issue
        if case.unit:
            assert issue["unit_code"] == case.unit, issue

    subs = {r["file"]: r for r in run.csv("submissions.csv") if r["file"]}
    assert subs[target]["status"] == case.status, subs[target]
    for name, status in case.also.items():
        assert subs[_nfc(name)]["status"] == status, subs[_nfc(name)]
    if case.unit:
        assert subs[target]["unit_code"] == case.unit

    # what the file is read as
    if case.unit:
        tasks = {r["task_id"]: r["status"] for r in run.csv("tasks.csv") if r["unit_code"] == case.unit}
        assert tasks == dict(case.tasks), f"{kind}: " + str(
            {t: (tasks.get(t), s) for t, s in case.tasks.items() if tasks.get(t) != s}
        )
        scores = {r["indicator_id"]: r["score"] for r in run.csv("scores.csv") if r["unit_code"] == case.unit}
        assert scores == dict(case.scores), f"{kind}: {scores}"

    # the other units: exactly the rows of a run without this file
    for name in ("tasks.csv", "scores.csv"):
        assert _rows_without(run.csv(name), case.unit) == _rows_without(base.csv(name), case.unit), name
    normal = {r["file"]: r for r in base.csv("submissions.csv") if r["file"]}
    for name, row in normal.items():
        assert subs[name]["status"] == row["status"] and subs[name]["unit_code"] == row["unit_code"]

    # outputs: never a live formula; a unit's formula text stays text
    report = run.out / build.PERIOD / f"BaoCao_DTI_TP_THAI_BINH_{build.PERIOD}.xlsx"
    feedback = sorted((run.out / build.PERIOD / "phan_hoi").glob("*.xlsx"))
    for xlsx in [report, *feedback]:
        assert _formula_cells(xlsx) == [], xlsx
    if case.literal:
        texts = _text_cells(run.out / build.PERIOD / "phan_hoi" / f"{case.unit}.xlsx")
        assert set(case.literal) <= texts, set(case.literal) - texts
        texts = _text_cells(report)
        assert set(case.literal_report) <= texts, set(case.literal_report) - texts


def test_corpus_is_large_and_fast(corpus: Corpus) -> None:
    """At least 30 kinds; the build takes seconds, every run a few."""
    if len(corpus.cases) < len(KINDS) - len([k for k in KINDS if build.needs_libreoffice(k)]):
        pytest.skip("a subset of the corpus was selected")
    assert len(KINDS) >= 30
    assert corpus.build_seconds < 30, corpus.build_seconds
    slowest = max(corpus.runs.items(), key=lambda kv: kv[1].seconds)
    assert slowest[1].seconds < SLOW, slowest
    report: dict[str, Any] = json.loads(corpus.baseline.stdout.strip().splitlines()[-1])
    assert report["max_rss_mb"] < 1024


def test_whole_corpus_in_one_inbox(corpus: Corpus, qcat: Catalogue, tmp_path: Path) -> None:
    """Every hostile file at once (one folder per kind), read by worker processes: the run
    finishes, each file gets its own codes, and the normal units' rows do not move."""
    inbox = _stage(tmp_path / "inbox", [], None)
    received = []
    for kind, case in corpus.cases.items():
        (inbox / kind).mkdir()
        for path in case.paths():
            shutil.copy2(path, inbox / kind / path.name)
            received.append((f"{kind}/{path.name}", case.received.get(path.name, build.RECEIVED)))
    for path in corpus.baseline.inbox.iterdir():
        if path.name != RECEIVED_FILE:
            shutil.copy2(path, inbox / path.name)
            received.append((path.name, build.RECEIVED))
    with (inbox / RECEIVED_FILE).open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([("file", "received_at"), *received])
    run = _run(inbox, tmp_path / "out", qcat.root, workers=2)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.after == run.before
    issues = run.csv("issues.csv")
    for kind, case in corpus.cases.items():
        name = f"{kind}/{_nfc(case.target)}"
        mine = [i for i in issues if i["file"] == name]
        assert set(case.codes) <= {i["code"] for i in mine}, (kind, mine)
        errors = {i["code"] for i in mine if i["severity"] == "error"}
        if case.status == "rejected":
            assert errors == set(case.codes), mine
        elif case.no_errors:
            assert not errors, mine
        for issue in mine:
            if not issue["cell"] and not issue["sheet"]:
                assert f"«{name}»" in issue["message"], issue
    hostile = {build.DEPT, build.WARD}
    for name in ("tasks.csv", "scores.csv"):
        theirs = [r for r in run.csv(name) if r["unit_code"] not in hostile]
        assert theirs == [r for r in corpus.baseline.csv(name) if r["unit_code"] not in hostile], name
    for xlsx in (run.out / build.PERIOD).rglob("*.xlsx"):
        assert _formula_cells(xlsx) == [], xlsx
