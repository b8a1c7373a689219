"""Where a return's read time goes, per file and on one core, next to the unzip floor.

    python benchmarks/read_cost.py [--n 300] [--repeats 5]

On N demo returns (the project's profile plus synthetic communes), each line times one thing
over all files, in memory (the bytes are read first), medians of ``--repeats``:

* unzip floor: inflate each file's sheet XML and shared strings (what the issue compares with);
* guard: our whole guard (a bounded, CRC-checked inflate of every member, DTD and size scans);
* python-calamine: open the workbook and load every data sheet, nothing else;
* our read: ``read_return`` after the guard (calamine, then rows mapped to labels and A1 cells);
* a regex cell walk: the do-it-ourselves alternative to calamine, at its simplest: shared
  strings and ``<c>`` elements found by regular expressions over the sheet XML the guard has
  already inflated, values as text or float (no styles, dates, inline or rich text, no
  ``.xls``/``.ods``). It is here to show that a cell walk in Python does not beat calamine.
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import build  # noqa: E402

_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_V = re.compile(rb"<v>([^<]*)</v>")
_SI = re.compile(rb"<si>(.*?)</si>", re.S)
_T = re.compile(rb"<t[^>]*>([^<]*)</t>")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from python_calamine import CalamineWorkbook

    from pipeline.base.text import fold
    from pipeline.intake import read as reader
    from pipeline.intake.guard import GuardLimits, guard_file
    from pipeline.intake.sheets import SKIP_SHEETS

    with tempfile.TemporaryDirectory(prefix="dti-read-cost-") as tmp:
        _schemas, inbox = build(args.n, Path(tmp))
        paths = sorted(p for p in inbox.iterdir() if p.suffix == ".xlsx")
        data = {p: p.read_bytes() for p in paths}
        limits = GuardLimits()
        guarded = {p: guard_file(p, limits) for p in paths}

        def floor(p: Path) -> None:
            with zipfile.ZipFile(io.BytesIO(data[p])) as z:
                for name in z.namelist():
                    if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                        z.read(name)

        def calamine(p: Path) -> None:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data[p]))
            for name in wb.sheet_names:
                if fold(name) not in SKIP_SHEETS:
                    wb.get_sheet_by_name(name).to_python(skip_empty_area=False)

        def regex_walk(p: Path) -> None:
            g = guarded[p]
            with zipfile.ZipFile(io.BytesIO(g.data)) as z:
                shared = [
                    b"".join(_T.findall(m)).decode() for m in _SI.findall(z.read("xl/sharedStrings.xml"))
                ]
            for name, xml in g.parts.items():
                if not name.startswith("xl/worksheets/"):
                    continue
                rows: dict[int, dict[bytes, object]] = {}
                for m in _CELL.finditer(xml):
                    col, row, attrs, body = m.groups()
                    v = _V.search(body or b"")
                    if v is None:
                        continue
                    if b't="s"' in attrs:
                        value: object = shared[int(v.group(1))]
                    elif b't="str"' in attrs:  # a formula's text result
                        value = v.group(1).decode()
                    else:
                        value = float(v.group(1))
                    rows.setdefault(int(row), {})[col] = value

        original = reader.guard_file
        # "our read" without the guard: read_return's guard call hands back the checked result
        reader.guard_file = lambda path, _limits, _name=None: guarded[path]  # type: ignore[assignment]
        try:
            lines: list[tuple[str, Callable[[Path], object]]] = [
                ("unzip floor", floor),
                ("guard", lambda p: guard_file(p, limits)),
                ("python-calamine (open + data sheets)", calamine),
                ("our read (calamine + mapping to cells)", lambda p: reader.read_return(p, None, limits)),
                ("regex cell walk in Python (not used)", regex_walk),
            ]
            results = []
            for label, fn in lines:
                runs = []
                for _ in range(args.repeats):
                    started = time.perf_counter()
                    for p in paths:
                        fn(p)
                    runs.append((time.perf_counter() - started) / len(paths) * 1000)
                results.append((label, statistics.median(runs)))
        finally:
            reader.guard_file = original
        base = results[0][1]
        print(f"N = {len(paths)} returns, one core, in memory; medians of {args.repeats}")
        print("| per return | ms | ÷ floor |")
        print("|---|---|---|")
        for label, ms in results:
            print(f"| {label} | {ms:.3f} | {ms / base:.1f}× |")


if __name__ == "__main__":
    main()
