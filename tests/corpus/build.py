"""Build a corpus of hostile and messy returns, each with what the pipeline must make of it.

Nothing here is committed as a binary: every file is generated, mostly from the project's
own template writer (``write_template`` + ``Filled``, i.e. a realistic return of a real
unit), then mangled with ``zipfile``, openpyxl or LibreOffice, or written byte by byte
(zip bombs, OLE2 containers, PDF, PNG, a million-row sheet streamed into the zip).
:func:`build_corpus` writes one folder per kind and returns one :class:`CorpusCase` per
kind; :func:`build_normal` writes the proper returns of three other units that every case
is run alongside (their results must not move). ::

    python -m tests.corpus.build OUT_DIR     # OUT_DIR/normal/, OUT_DIR/<kind>/, OUT_DIR/cases.json
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from python_calamine import CalamineWorkbook

from pipeline.base import layout as L
from pipeline.base import vocabulary as V
from pipeline.base.periods import Period, parse_period
from pipeline.base.text import a1
from pipeline.catalogue import FIGURE_NONE, FIGURE_YES_NO, Catalogue, load_catalogue
from pipeline.normalize import tcvn3
from pipeline.outputs.templates import Filled, cell_of, template_name, write_template
from tests import builders as b
from tests.conftest import quarterly_tasks_profile

MB = 1024 * 1024
PERIOD = "2023-Q4"
NORMAL_UNITS = ("KINHTE", "DAI_TTTH", "P_KY_BA")  # a department, the radio station, a ward
DEPT = "VHTT"  # the unit of most hostile files: a department (tasks only)
WARD = "P_DE_THAM"  # a ward: tasks and indicators
RECEIVED = "2023-12-15T09:00:00"  # before the 2023-Q4 deadline (20/12)
MADE_ON = date(2023, 12, 21)
ZIP_TIME = (2023, 12, 1, 8, 0, 0)

INFO = {
    V.INFO_REPORTER: "Nguyễn Văn An",
    V.INFO_POSITION: "Chuyên viên",
    V.INFO_PHONE: "0227 3831 234",
    V.INFO_EMAIL: "baocao@thaibinh.gov.vn",
    V.INFO_DATE: date(2023, 12, 14),
}
INDICATORS: dict[str, tuple[Any, Any]] = {
    "1.1": ("Có", "Quyết định số 12/QĐ-UBND ngày 02/10/2023"),
    "1.2a": (2, "Lịch phát sóng quý IV/2023"),
    "1.2b": (26, None),
    "2.1": ("Có", "Quyết định số 15/QĐ-UBND ngày 03/10/2023"),
    "2.2a": (8, "Quyết định thành lập 8 tổ công nghệ số"),
    "2.2b": (8, None),
}
FULL_SCORES = {"1.1": "10", "1.2": "10", "2.1": "10", "2.2": "10"}
DONE_TEXT = "Đã ban hành kế hoạch và triển khai tới các bộ phận."
DONE_EVIDENCE = "Kế hoạch số 12/KH-UBND ngày 05/10/2023"
WORK_TEXT = "Đang triển khai theo kế hoạch."
WORK_EVIDENCE = "Báo cáo số 5/BC-UBND ngày 10/12/2023"


@dataclass(frozen=True)
class CorpusCase:
    """One kind of hostile or messy return: its file(s) and what the run must make of them."""

    kind: str
    description: str
    folder: Path
    files: tuple[str, ...]  # names inside ``folder``
    target: str  # the file the expectation is about
    codes: tuple[str, ...] = ()  # issue codes the target must get
    status: str = "rejected"  # the target's status in submissions.csv
    unit: str = ""  # the unit the target is read as ("" when it is not identified)
    tasks: Mapping[str, str] = field(default_factory=dict)  # task_id → status in tasks.csv for ``unit``
    scores: Mapping[str, str] = field(default_factory=dict)  # indicator → score in scores.csv for ``unit``
    no_errors: bool = False  # read cleanly: no issue of severity error on the target
    literal: tuple[str, ...] = ()  # unit text that must come out as literal text in the feedback file
    literal_report: tuple[str, ...] = ()  # … and in the province workbook
    received: Mapping[str, str] = field(default_factory=dict)  # file → received_at (else RECEIVED)
    also: Mapping[str, str] = field(default_factory=dict)  # other files of the case → status
    max_issues: int = 0  # at most this many issues on the target (0: no bound)

    def paths(self) -> list[Path]:
        return [self.folder / name for name in self.files]

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["folder"] = str(self.folder)
        return out


@dataclass
class _Ctx:
    cat: Catalogue
    period: Period
    root: Path
    soffice: str | None
    lo: dict[str, Path] = field(default_factory=dict)  # LibreOffice conversions by job name

    def folder(self, kind: str) -> Path:
        path = self.root / kind
        path.mkdir(parents=True, exist_ok=True)
        return path

    def write(
        self,
        path: Path,
        unit: str = DEPT,
        filled: Filled | None = None,
        period: Period | None = None,
    ) -> Path:
        """A realistic return: the unit's template for the period, filled properly."""
        period = period or self.period
        return write_template(
            self.cat, unit, period, path, filled or proper(self.cat, unit), generated=period.start
        )

    def cell(self, unit: str, task_id: str, label: str) -> str:
        return cell_of(self.cat, unit, self.period, (V.SHEET_TASKS, task_id, label))

    def task_ids(self, unit: str) -> list[str]:
        return list(self.cat.tasks_of(unit)["task_id"])


Builder = Callable[[_Ctx, str], CorpusCase]
_BUILDERS: dict[str, Builder] = {}
_NEEDS_LIBREOFFICE: set[str] = set()


def _kind(name: str, *, libreoffice: bool = False) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        _BUILDERS[name] = fn
        if libreoffice:
            _NEEDS_LIBREOFFICE.add(name)
        return fn

    return register


# --- proper returns ---------------------------------------------------------------------------


def proper(cat: Catalogue, unit: str, **overrides: Mapping[str, Any]) -> Filled:
    """A return filled properly: the first task done, the others in progress, all with evidence;
    a task whose target asks the unit for a figure reports 100 (a percentage: 100; a city-level
    target: Có); the unit's indicators all reported with evidence. Twins share a row of the sheet,
    so both get the row's values. ``overrides`` maps task ids to values replacing some of that
    task's (labels as in the template)."""
    tasks: dict[str, dict[str, Any]] = {}
    for n, row in enumerate(cat.sheet_rows(unit)):
        if n == 0:
            values: dict[str, Any] = {
                V.TASK_STATUS: "Hoàn thành",
                V.TASK_RESULT: DONE_TEXT,
                V.TASK_EVIDENCE: DONE_EVIDENCE,
            }
        else:
            values = {
                V.TASK_STATUS: "Đang thực hiện",
                V.TASK_RESULT: WORK_TEXT,
                V.TASK_EVIDENCE: WORK_EVIDENCE,
            }
        if row.figure == FIGURE_YES_NO:
            values[V.TASK_RESULT_VALUE] = V.YES
        elif row.figure != FIGURE_NONE:
            values[V.TASK_RESULT_VALUE] = 100
        for task_id in row.ids:
            tasks[task_id] = values | dict(overrides.get(task_id, {}))
    fields = {f.id for ind in cat.indicators for f in ind.fields if unit in ind.responsible}
    return Filled(info=INFO, tasks=tasks, indicators={k: v for k, v in INDICATORS.items() if k in fields})


def expected_statuses(cat: Catalogue, unit: str, filled: Filled | None = None) -> dict[str, str]:
    """tasks.csv status per task of ``unit`` for a return filled as ``filled`` (default: proper)."""
    filled = filled or proper(cat, unit)
    out = {}
    for task_id in cat.tasks_of(unit)["task_id"]:
        label = filled.tasks.get(task_id, {}).get(V.TASK_STATUS)
        out[task_id] = V.STATUS_VALUES.get(label, "") if isinstance(label, str) else ""
    return out


def expected_scores(cat: Catalogue, period: Period, unit: str) -> dict[str, str]:
    return {i.id: FULL_SCORES[i.id] for i in cat.indicators_of(unit, period.kind)}


def build_normal(cat: Catalogue, period: Period, folder: Path) -> list[Path]:
    """The proper returns of :data:`NORMAL_UNITS`, run alongside every case."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_template(
            cat, unit, period, folder / template_name(period, unit), proper(cat, unit), generated=period.start
        )
        for unit in NORMAL_UNITS
    ]


# --- zip and XML helpers ------------------------------------------------------------------------


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def _write_zip(path: Path, members: Mapping[str, bytes | Iterable[bytes]], level: int = 6) -> Path:
    """A zip of these members in order; a member given as an iterable of chunks is streamed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            if isinstance(data, bytes):
                zf.writestr(info, data, compresslevel=level)
            else:
                with zf.open(info, "w") as fh:
                    for chunk in data:
                        fh.write(chunk)
    return path


def _sheet_part(members: Mapping[str, bytes], sheet: str) -> str:
    """The zip member holding ``sheet`` (workbook.xml and its rels)."""
    rels = dict(
        re.findall(r'Id="([^"]*)"[^>]*Target="([^"]*)"', members["xl/_rels/workbook.xml.rels"].decode())
    )
    for name, rid in re.findall(
        r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"', members["xl/workbook.xml"].decode()
    ):
        if html.unescape(name) == sheet:
            return "xl/" + rels[rid].lstrip("/").removeprefix("xl/")
    raise KeyError(sheet)


def _patch(src: Path, dst: Path, edits: Mapping[str, Callable[[bytes], bytes]], **add: bytes) -> Path:
    """Copy an xlsx, passing the named members (or sheet names) through functions."""
    members = _members(src)
    for key, fn in edits.items():
        part = key if key in members else _sheet_part(members, key)
        members[part] = fn(members[part])
    members.update({k.replace("__", "/"): v for k, v in add.items()})
    return _write_zip(dst, members)


def _set_cells(xml: bytes, cells: Mapping[str, str]) -> bytes:
    """Replace existing cells (``<c r="H6" .../>``) by raw cell XML."""
    for ref, new in cells.items():
        pattern = re.compile(rb'<c r="' + ref.encode() + rb'"(?:\s[^>]*?)?(?:/>|>.*?</c>)', re.S)
        xml, n = pattern.subn(new.encode().replace(b"\\", b"\\\\"), xml, count=1)
        assert n == 1, f"no cell {ref} to replace"
    return xml


def _before_sheet_end(extra: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", extra + b"</sheetData>", 1)


def _xml_text(text: str) -> str:
    return html.escape(text, quote=False)


def _openpyxl(src: Path, dst: Path, edit: Callable[[Any], None]) -> Path:
    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.save(dst)
    return dst


def _row_of(ws: Any, label: str, column: int = 1) -> int:
    for row in range(1, 60):
        if ws.cell(row, column).value == label:
            return row
    raise KeyError(label)


# --- OpenDocument written by hand -----------------------------------------------------------

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"'
)


def _ods_cell(value: Any) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        v = "true" if value else "false"
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{v}"><text:p>{v}</text:p></table:table-cell>'
    if isinstance(value, int | float):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    if isinstance(value, datetime | date):
        iso = value.isoformat()
        return f'<table:table-cell office:value-type="date" office:date-value="{iso}"><text:p>{iso}</text:p></table:table-cell>'
    paragraphs = "".join(f"<text:p>{_xml_text(line)}</text:p>" for line in str(value).split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def _ods_from(
    xlsx: Path,
    dst: Path,
    cells: Mapping[tuple[str, str], str] | None = None,
    extra_rows: Mapping[str, str] | None = None,
) -> Path:
    """An ODS holding the same sheets and values as ``xlsx`` (read back with calamine).

    ``cells`` replaces a cell (sheet, A1) by raw ``table:table-cell`` XML; ``extra_rows`` adds
    raw rows at the end of a sheet.
    """
    cells, extra_rows = cells or {}, extra_rows or {}
    wb = CalamineWorkbook.from_path(str(xlsx))
    tables = []
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        body = []
        for r, row in enumerate(rows):
            body.append(
                "<table:table-row>"
                + "".join(cells.get((name, a1(r, c))) or _ods_cell(v) for c, v in enumerate(row))
                + "</table:table-row>"
            )
        body.append(extra_rows.get(name, ""))
        tables.append(f'<table:table table:name="{html.escape(name)}">{"".join(body)}</table:table>')
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}><office:body>'
        f"<office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{b.ODS_MIMETYPE.decode()}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(dst, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype", ZIP_TIME), b.ODS_MIMETYPE, zipfile.ZIP_STORED)
        for name, data in (("content.xml", content), ("META-INF/manifest.xml", manifest)):
            zf.writestr(zipfile.ZipInfo(name, ZIP_TIME), data.encode(), zipfile.ZIP_DEFLATED)
    return dst


# --- LibreOffice ------------------------------------------------------------------------------


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert_all(soffice: str, jobs: Mapping[str, tuple[Path, str]], out: Path) -> dict[str, Path]:
    """Convert files with LibreOffice, one process per target format, all at once."""
    by_fmt: dict[str, list[tuple[str, Path]]] = {}
    for job, (src, fmt) in jobs.items():
        by_fmt.setdefault(fmt, []).append((job, src))
    procs = []
    for fmt, items in by_fmt.items():
        folder = out / fmt
        folder.mkdir(parents=True, exist_ok=True)
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{out / f'.profile-{fmt}'}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(folder),
            *(str(src) for _, src in items),
        ]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for proc in procs:
        proc.wait(timeout=180)
    done = {}
    for fmt, items in by_fmt.items():
        for job, src in items:
            target = out / fmt / f"{src.stem}.{fmt}"
            if target.exists():
                done[job] = target
    return done


def _libreoffice_inputs(ctx: _Ctx) -> dict[str, tuple[Path, str]]:
    stage = ctx.root / ".libreoffice"
    stage.mkdir(parents=True, exist_ok=True)
    ward = ctx.write(stage / "ward.xlsx", WARD)
    far = _patch(
        ctx.write(stage / "farsrc.xlsx"),
        stage / "far.xlsx",
        {V.SHEET_TASKS: _before_sheet_end(b'<row r="65536"><c r="IV65536"><v>1</v></c></row>')},
    )
    return {"ward_xls": (ward, "xls"), "ward_ods": (ward, "ods"), "far_xls": (far, "xls")}


# --- the kinds: refused by the guard ---------------------------------------------------------


def _refused(ctx: _Ctx, kind: str, name: str, code: str, description: str) -> CorpusCase:
    return CorpusCase(kind, description, ctx.folder(kind), (name,), name, (code,))


@_kind("zip_bomb")
def _zip_bomb(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    b.make_zip_bomb(ctx.folder(kind) / name, 64 * MB, level=1)
    return _refused(ctx, kind, name, "file_zip_bomb", "xlsx whose sheet inflates to 64 MB of zeros")


@_kind("zip_bomb_lying")
def _zip_bomb_lying(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    b.make_lying_zip_bomb(ctx.folder(kind) / name, 64 * MB, declared=1024, forge_crc=True)
    return _refused(ctx, kind, name, "file_zip_bomb", "zip bomb declaring 1 KB, with the CRC of its first KB")


@_kind("billion_laughs")
def _billion_laughs(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx")

    def laughs(xml: bytes) -> bytes:
        dtd = b.BILLION_LAUGHS.split(b"]>")[0].split(b"\n", 1)[1] + b"]>"
        head, rest = xml.split(b"?>", 1)
        return head + b"?>" + dtd + rest.replace(b"<t>", b"<t>&lol9;", 1)

    _patch(src, ctx.folder(kind) / name, {"xl/sharedStrings.xml": laughs})
    src.unlink()
    return _refused(
        ctx, kind, name, "file_xml_entities", "real return whose shared strings expand a billion laughs"
    )


@_kind("external_entity")
def _external_entity(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx")

    def xxe(xml: bytes) -> bytes:
        head, rest = xml.split(b"?>", 1)
        dtd = b'<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        return head + b"?>" + dtd + rest.replace(b'name="_meta"', b'name="&xxe;"', 1)

    _patch(src, ctx.folder(kind) / name, {"xl/workbook.xml": xxe})
    src.unlink()
    return _refused(
        ctx, kind, name, "file_xml_entities", "real return whose workbook.xml reads /etc/passwd (XXE)"
    )


@_kind("encrypted_xlsx")
def _encrypted_xlsx(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    b.make_encrypted_ole(ctx.folder(kind) / name)
    return _refused(ctx, kind, name, "file_encrypted", "password-protected xlsx (OLE2 EncryptedPackage)")


@_kind("encrypted_xls")
def _encrypted_xls(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT).replace(".xlsx", ".xls")
    b.make_minimal_xls(ctx.folder(kind) / name, password=True)
    return _refused(ctx, kind, name, "file_encrypted", "password-protected .xls (FILEPASS record)")


@_kind("truncated_zip")
def _truncated(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx")
    b.make_truncated(src, ctx.folder(kind) / name, 0.6)
    src.unlink()
    return _refused(ctx, kind, name, "file_corrupt", "real return cut at 60% (an interrupted download)")


@_kind("bit_flip")
def _bit_flip(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx")
    data = bytearray(src.read_bytes())
    info = zipfile.ZipFile(src).getinfo(_sheet_part(_members(src), V.SHEET_TASKS))
    # a third of the way into the part's deflate data: the stream breaks (a flip elsewhere may
    # inflate the part past its declared size, which the guard reports as a lying archive)
    data[info.header_offset + 30 + len(info.filename) + info.compress_size // 3] ^= 0x55
    (ctx.folder(kind) / name).write_bytes(bytes(data))
    src.unlink()
    return _refused(
        ctx, kind, name, "file_corrupt", "real return with one byte flipped inside the Nhiệm vụ sheet"
    )


@_kind("random_bytes")
def _random_bytes(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    b.make_random(ctx.folder(kind) / name)
    return _refused(ctx, kind, name, "file_corrupt", "30 KB of random bytes named .xlsx")


@_kind("pdf_renamed")
def _pdf(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    b.make_pdf(ctx.folder(kind) / name)
    return _refused(ctx, kind, name, "file_unsupported", "a PDF renamed .xlsx")


@_kind("empty_file")
def _empty(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    (ctx.folder(kind) / name).write_bytes(b"")
    return _refused(ctx, kind, name, "file_empty", "an empty file named .xlsx")


@_kind("docx")
def _docx(ctx: _Ctx, kind: str) -> CorpusCase:
    name = "Báo cáo DTI quý IV - Phòng VHTT.docx"
    b.make_docx(ctx.folder(kind) / name)
    return _refused(ctx, kind, name, "file_unsupported", "a Word document instead of the workbook")


@_kind("png")
def _png(ctx: _Ctx, kind: str) -> CorpusCase:
    name = "Ảnh chụp báo cáo.png"
    b.make_png(ctx.folder(kind) / name)
    return _refused(ctx, kind, name, "file_unsupported", "a screenshot of the return")


@_kind("html_as_xls")
def _html(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT).replace(".xlsx", ".xls")
    b.make_html_xls(ctx.folder(kind) / name)
    return _refused(ctx, kind, name, "file_unsupported", "an HTML table saved as .xls by a web system")


@_kind("csv_as_xlsx")
def _csv(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    text = "Mã nhiệm vụ,Tình trạng\nPL01-1.1,Hoàn thành\n"
    (ctx.folder(kind) / name).write_text(text, encoding="utf-8")
    return _refused(ctx, kind, name, "file_unsupported", "CSV text renamed .xlsx")


@_kind("zip_archive")
def _zip_archive(ctx: _Ctx, kind: str) -> CorpusCase:
    name = "Bao cao DTI VHTT.zip"
    src = ctx.write(ctx.folder(kind) / ".src.xlsx")
    b.make_plain_zip(ctx.folder(kind) / name, {template_name(ctx.period, DEPT): src.read_bytes()})
    src.unlink()
    return _refused(ctx, kind, name, "file_unsupported", "the return zipped by the unit")


def _million_rows(column: str, value: bytes, first: int) -> Iterator[bytes]:
    """Rows ``first``..1,048,576, each with one numeric cell in ``column`` (streamed in chunks)."""
    col = column.encode()
    chunk: list[bytes] = []
    for r in range(first, 1_048_577):
        chunk.append(b'<row r="%d"><c r="%s%d"><v>%s</v></c></row>' % (r, col, r, value))
        if len(chunk) == 20000:
            yield b"".join(chunk)
            chunk = []
    yield b"".join(chunk)


def _stream_sheet(xml: bytes, rows: Iterator[bytes]) -> Iterator[bytes]:
    head, tail = xml.split(b"</sheetData>", 1)
    yield head
    yield from rows
    yield b"</sheetData>" + tail


@_kind("million_rows")
def _million(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx")
    original = _members(src)
    part = _sheet_part(original, V.SHEET_TASKS)
    col = a1(0, L.TASK_HEADERS.index(V.TASK_RESULT_VALUE))[:-1]
    first = len(ctx.task_ids(DEPT)) + 7
    members: dict[str, bytes | Iterable[bytes]] = dict(original)
    members[part] = _stream_sheet(original[part], _million_rows(col, b"0", first))
    _write_zip(ctx.folder(kind) / name, members, level=1)
    src.unlink()
    return _refused(
        ctx, kind, name, "file_too_many_cells", "real return with «0» filled down to row 1,048,576"
    )


@_kind("far_cell")
def _far_cell(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx")
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    _patch(src, ctx.folder(kind) / name, {V.SHEET_TASKS: _before_sheet_end(far)})
    src.unlink()
    return _refused(
        ctx, kind, name, "file_too_many_cells", "real return with one value at XFD1048576 (calamine aborts)"
    )


@_kind("ods_repeat_bomb")
def _ods_bomb(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT).replace(".xlsx", ".ods")
    src = ctx.write(ctx.folder(kind) / ".src.xlsx")
    bomb = (
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        'table:number-columns-repeated="1000" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row>"
    )
    _ods_from(src, ctx.folder(kind) / name, extra_rows={V.SHEET_TASKS: bomb})
    src.unlink()
    return _refused(
        ctx, kind, name, "file_too_many_cells", "ODS return with a row repeated 10⁶ × 10³ times (2 KB)"
    )


@_kind("xls_far_cell", libreoffice=True)
def _xls_far(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT).replace(".xlsx", ".xls")
    shutil.copyfile(ctx.lo["far_xls"], ctx.folder(kind) / name)
    return _refused(
        ctx, kind, name, "file_too_many_cells", "real return saved as .xls with a value at IV65536"
    )


# --- the kinds: identification ---------------------------------------------------------------


def _rejected_return(
    ctx: _Ctx, kind: str, code: str, description: str, filled: Filled, period: Period | None = None
) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    ctx.write(ctx.folder(kind) / name, DEPT, filled, period)
    return CorpusCase(kind, description, ctx.folder(kind), (name,), name, (code,))


@_kind("other_period")
def _other_period(ctx: _Ctx, kind: str) -> CorpusCase:
    q3 = parse_period("2023-Q3")
    return _rejected_return(
        ctx, kind, "period_mismatch", "a proper return of the previous quarter", proper(ctx.cat, DEPT), q3
    )


@_kind("unknown_unit_meta")
def _unknown_unit(ctx: _Ctx, kind: str) -> CorpusCase:
    filled = replace(proper(ctx.cat, DEPT), meta={"unit_code": "X_TAM_DA"})
    return _rejected_return(ctx, kind, "unit_unknown", "_meta names a unit not in the registry", filled)


@_kind("unknown_unit_name")
def _unknown_unit_name(ctx: _Ctx, kind: str) -> CorpusCase:
    name = "Bao cao DTI Q4 - xa Tam Da.xlsx"
    src = ctx.write(ctx.folder(kind) / ".src.xlsx")

    def edit(wb: Any) -> None:
        del wb[V.SHEET_META]
        ws = wb[V.SHEET_INFO]
        ws.cell(_row_of(ws, V.INFO_UNIT), 2).value = "UBND xã Tam Đa (huyện Khác)"

    _openpyxl(src, ctx.folder(kind) / name, edit)
    src.unlink()
    return CorpusCase(
        kind,
        "template of another locality's unit: no _meta, unknown unit name",
        ctx.folder(kind),
        (name,),
        name,
        ("meta_missing",),
    )


@_kind("meta_other_unit")
def _meta_other_unit(ctx: _Ctx, kind: str) -> CorpusCase:
    """VHTT's return claiming (in _meta) to be KINHTE's, received after KINHTE's real return."""
    name = template_name(ctx.period, DEPT)
    filled = replace(proper(ctx.cat, DEPT), meta={"unit_code": NORMAL_UNITS[0]})
    ctx.write(ctx.folder(kind) / name, DEPT, filled)
    return CorpusCase(
        kind,
        "_meta tampered to another existing unit (would supersede its real return)",
        ctx.folder(kind),
        (name,),
        name,
        ("unit_mismatch",),
        received={name: "2023-12-18T10:00:00"},
    )


@_kind("meta_version_garbage")
def _meta_version(ctx: _Ctx, kind: str) -> CorpusCase:
    filled = replace(proper(ctx.cat, DEPT), meta={"template_version": "9.9<script>"})
    return _rejected_return(ctx, kind, "template_incompatible", "_meta template_version is garbage", filled)


@_kind("meta_period_garbage")
def _meta_period(ctx: _Ctx, kind: str) -> CorpusCase:
    filled = replace(proper(ctx.cat, DEPT), meta={"period": "2023-Q9"})
    return _rejected_return(ctx, kind, "period_invalid", "_meta period is not a period", filled)


@_kind("meta_deleted")
def _meta_deleted(ctx: _Ctx, kind: str) -> CorpusCase:
    name = f"Bao cao {ctx.period.id} phuong De Tham.xlsx"
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)
    _openpyxl(src, ctx.folder(kind) / name, lambda wb: wb.remove(wb[V.SHEET_META]))
    src.unlink()
    return _read_case(
        ctx, kind, "_meta sheet deleted: identified by the unit's name", name, ("meta_unit_from_name",)
    )


@_kind("tasks_sheet_deleted")
def _tasks_deleted(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx")
    _openpyxl(src, ctx.folder(kind) / name, lambda wb: wb.remove(wb[V.SHEET_TASKS]))
    src.unlink()
    return CorpusCase(
        kind,
        "the Nhiệm vụ sheet deleted",
        ctx.folder(kind),
        (name,),
        name,
        ("sheet_missing",),
        status="on_time",
        unit=DEPT,
        tasks=dict.fromkeys(ctx.task_ids(DEPT), ""),
    )


@_kind("two_returns")
def _two_returns(ctx: _Ctx, kind: str) -> CorpusCase:
    first, second = f"{ctx.period.id}_{WARD}_lan1.xlsx", f"{ctx.period.id}_{WARD}_lan2.xlsx"
    draft = proper(ctx.cat, WARD)
    draft = Filled(
        info=draft.info,
        tasks={t: {V.TASK_STATUS: "Chưa thực hiện"} for t in ctx.task_ids(WARD)},
        indicators=draft.indicators,
    )
    ctx.write(ctx.folder(kind) / first, WARD, draft)
    ctx.write(ctx.folder(kind) / second, WARD)
    return CorpusCase(
        kind,
        "two returns of one unit: the later one counts",
        ctx.folder(kind),
        (first, second),
        first,
        ("duplicate_return",),
        status="superseded",
        unit=WARD,
        tasks=expected_statuses(ctx.cat, WARD),
        scores=expected_scores(ctx.cat, ctx.period, WARD),
        received={first: "2023-12-10T08:00:00", second: "2023-12-15T15:30:00"},
        also={second: "on_time"},
    )


# --- the kinds: messy but readable -----------------------------------------------------------


def _read_case(
    ctx: _Ctx,
    kind: str,
    description: str,
    name: str,
    codes: tuple[str, ...] = (),
    unit: str = WARD,
    filled: Filled | None = None,
    *,
    no_errors: bool = True,
    **extra: Any,
) -> CorpusCase:
    return CorpusCase(
        kind,
        description,
        ctx.folder(kind),
        (name,),
        name,
        codes,
        status="on_time",
        unit=unit,
        tasks=expected_statuses(ctx.cat, unit, filled),
        scores=expected_scores(ctx.cat, ctx.period, unit),
        no_errors=no_errors,
        **extra,
    )


@_kind("xlsm_macro")
def _xlsm(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, WARD).replace(".xlsx", ".xlsm")
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)

    def macro_types(xml: bytes) -> bytes:
        xml = xml.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
        return xml.replace(
            b"<Default ",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ',
            1,
        )

    vba = b.ole_bytes(
        {"VBA": b'Attribute VB_Name = "Module1"\r\nSub Auto_Open()\r\nShell "calc"\r\nEnd Sub\r\n'}
    )
    _patch(src, ctx.folder(kind) / name, {"[Content_Types].xml": macro_types}, xl__vbaProject__bin=vba)
    src.unlink()
    return _read_case(ctx, kind, "real return saved as .xlsm with an Auto_Open macro", name, ("file_macro",))


@_kind("xls_renamed", libreoffice=True)
def _xls_renamed(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, WARD)
    shutil.copyfile(ctx.lo["ward_xls"], ctx.folder(kind) / name)
    return _read_case(
        ctx,
        kind,
        "real return saved as .xls by LibreOffice, renamed .xlsx",
        name,
        ("file_extension_mismatch",),
    )


@_kind("ods_renamed", libreoffice=True)
def _ods_renamed(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, WARD)
    shutil.copyfile(ctx.lo["ward_ods"], ctx.folder(kind) / name)
    return _read_case(
        ctx,
        kind,
        "real return saved as .ods by LibreOffice, renamed .xlsx",
        name,
        ("file_extension_mismatch",),
    )


@_kind("renamed_sheets")
def _renamed_sheets(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, WARD)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)

    def edit(wb: Any) -> None:
        wb[V.SHEET_TASKS].title = "Nhiem vu"
        wb[V.SHEET_INDICATORS].title = "Sheet1"
        wb[V.SHEET_INFO].title = "Sheet2"

    _openpyxl(src, ctx.folder(kind) / name, edit)
    src.unlink()
    return _read_case(ctx, kind, "sheets renamed «Nhiem vu», «Sheet1», «Sheet2»", name)


@_kind("merged_headers")
def _merged_headers(ctx: _Ctx, kind: str) -> CorpusCase:
    """A two-level header: a group row above, the locked labels merged down over two rows."""
    name = template_name(ctx.period, WARD)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)

    def edit(wb: Any) -> None:
        ws = wb[V.SHEET_TASKS]
        ws.merge_cells("A1:L1")
        header = _row_of(ws, V.TASK_ID)
        ws.insert_rows(header + 1)
        first_fill = len(L.TASK_LOCKED) + 1
        for col, label in enumerate(L.TASK_HEADERS, start=1):
            if col >= first_fill:
                ws.cell(header + 1, col).value = label
                ws.cell(header, col).value = None
            else:
                ws.merge_cells(start_row=header, start_column=col, end_row=header + 1, end_column=col)
        ws.cell(header, first_fill).value = "PHẦN ĐƠN VỊ ĐIỀN"
        ws.merge_cells(
            start_row=header, start_column=first_fill, end_row=header, end_column=len(L.TASK_HEADERS)
        )
        wi = wb[V.SHEET_INDICATORS]
        wi.merge_cells("A1:G1")

    _openpyxl(src, ctx.folder(kind) / name, edit)
    src.unlink()
    return _read_case(ctx, kind, "two-level task header with merged cells, merged title rows", name)


def _nfd(data: bytes) -> bytes:
    return unicodedata.normalize("NFD", data.decode("utf-8")).encode("utf-8")


@_kind("nfd_text")
def _nfd_text(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, WARD)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)
    members = _members(src)
    edits = {n: _nfd for n in members if n.endswith(".xml")}
    _patch(src, ctx.folder(kind) / name, edits)
    src.unlink()
    return _read_case(ctx, kind, "every text (sheet names, labels, values) in NFD (as macOS writes)", name)


_TCVN3 = {v: k for k, v in tcvn3._TCVN3_LOWER.items()} | {v: k for k, v in tcvn3._TCVN3_UPPER.items()}


def tcvn3(text: str) -> str:
    """Unicode Vietnamese as TCVN3 (ABC) text read as latin-1: what a .VnTime user types."""
    return "".join(_TCVN3.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


@_kind("tcvn3_text")
def _tcvn3_text(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, WARD)
    filled = proper(ctx.cat, WARD)
    tasks = {
        t: {k: tcvn3(v) if isinstance(v, str) else v for k, v in values.items()}
        for t, values in filled.tasks.items()
    }
    filled = Filled(info=filled.info, tasks=tasks, indicators=filled.indicators)
    ctx.write(ctx.folder(kind) / name, WARD, filled)
    return _read_case(
        ctx, kind, "statuses, results and evidence typed in TCVN3 (.VnTime)", name, ("tcvn3_converted",)
    )


ODD_NAME = unicodedata.normalize("NFD", "Báo cáo DTI \u200fQ4 😀  (bản cuối) — Đề Thám .xlsx")


@_kind("odd_filename")
def _odd_name(ctx: _Ctx, kind: str) -> CorpusCase:
    filled = proper(ctx.cat, WARD)
    filled = Filled(
        info={k: v for k, v in filled.info.items() if k != V.INFO_REPORTER},
        tasks=filled.tasks,
        indicators=filled.indicators,
    )
    ctx.write(ctx.folder(kind) / ODD_NAME, WARD, filled)
    return _read_case(
        ctx,
        kind,
        "file name in NFD with an RTL mark, an emoji and runs of spaces",
        ODD_NAME,
        ("reporter_missing",),
    )


@_kind("hidden_rows")
def _hidden_rows(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, WARD)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)

    def edit(wb: Any) -> None:
        ws = wb[V.SHEET_TASKS]
        first = _row_of(ws, V.TASK_ID) + 1
        for row in range(first, first + 10):
            ws.row_dimensions[row].hidden = True
        ws.column_dimensions["J"].hidden = True
        wb[V.SHEET_INDICATORS].row_dimensions[7].hidden = True

    _openpyxl(src, ctx.folder(kind) / name, edit)
    src.unlink()
    return _read_case(ctx, kind, "task and indicator rows hidden, a column hidden", name)


@_kind("wrong_dimension")
def _wrong_dimension(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, WARD)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)

    def lie(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>', xml, count=1)

    _patch(src, ctx.folder(kind) / name, {V.SHEET_TASKS: lie, V.SHEET_INDICATORS: lie})
    src.unlink()
    return _read_case(ctx, kind, "sheets whose <dimension> says A1:B2", name)


@_kind("columns_16384")
def _columns(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, WARD)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)
    wide = b"".join(
        b'<c r="%s1" t="inlineStr"><is><t>x</t></is></c>' % a1(0, c)[:-1].encode() for c in range(1, 16384)
    )

    def widen(xml: bytes) -> bytes:
        return re.sub(
            rb"(<row r=\"1\"[^>]*>.*?)</row>",
            lambda m: m.group(1) + wide + b"</row>",
            xml,
            count=1,
            flags=re.S,
        )

    _patch(src, ctx.folder(kind) / name, {V.SHEET_TASKS: widen})
    src.unlink()
    return _read_case(ctx, kind, "the first row of Nhiệm vụ filled to column XFD (16,384 columns)", name)


@_kind("million_rows_one_column")
def _million_one_column(ctx: _Ctx, kind: str) -> CorpusCase:
    """A long narrow sheet (1,048,576 rows × 1 column) added to a real return: read, bounded."""
    name = template_name(ctx.period, WARD)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)
    members: dict[str, bytes | Iterable[bytes]] = dict(_members(src))
    wb = members["xl/workbook.xml"]
    assert isinstance(wb, bytes)
    members["xl/workbook.xml"] = wb.replace(
        b"</sheets>", '<sheet name="Dữ liệu" sheetId="99" r:id="rId99"/></sheets>'.encode()
    )
    rels = members["xl/_rels/workbook.xml.rels"]
    assert isinstance(rels, bytes)
    members["xl/_rels/workbook.xml.rels"] = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'worksheet" Target="worksheets/sheet99.xml"/></Relationships>',
    )
    types = members["[Content_Types].xml"]
    assert isinstance(types, bytes)
    members["[Content_Types].xml"] = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/worksheets/sheet99.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    )
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main"><sheetData></sheetData></worksheet>'
    )
    members["xl/worksheets/sheet99.xml"] = _stream_sheet(head, _million_rows("A", b"7", 1))
    _write_zip(ctx.folder(kind) / name, members, level=1)
    src.unlink()
    return _read_case(ctx, kind, "an extra sheet of 1,048,576 rows in one column", name)


@_kind("cells_without_address")
def _no_address(ctx: _Ctx, kind: str) -> CorpusCase:
    """OOXML allows rows and cells without ``r``; the guard then walks the sheet exactly."""
    name = template_name(ctx.period, WARD)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)

    def strip(xml: bytes) -> bytes:
        return re.sub(rb'(<(?:c|row)) r="[A-Z]*[0-9]+"', rb"\1", xml)

    _patch(src, ctx.folder(kind) / name, {V.SHEET_TASKS: strip})
    src.unlink()
    return _read_case(ctx, kind, "Nhiệm vụ written without any cell or row address", name)


# --- the kinds: formulas and odd cell values ----------------------------------------------------

FORMULA_TEXTS = (
    '=HYPERLINK("http://evil.example/x","Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!A0",
    "=1+1",
)


@_kind("formula_text")
def _formula_text(ctx: _Ctx, kind: str) -> CorpusCase:
    """Formula-looking text typed as values: text in, text out, never a live formula."""
    name = template_name(ctx.period, DEPT)
    ids = ctx.task_ids(DEPT)
    hyperlink, dde, at_sum, plus, one = FORMULA_TEXTS
    overrides = {
        ids[0]: {V.TASK_RESULT: hyperlink, V.TASK_EVIDENCE: dde},
        ids[1]: {V.TASK_STATUS: at_sum, V.TASK_PROBLEMS: plus},
        ids[2]: {V.TASK_RESULT_VALUE: one},
    }
    filled = proper(ctx.cat, DEPT, **overrides)
    ctx.write(ctx.folder(kind) / name, DEPT, filled)
    return _read_case(
        ctx,
        kind,
        "=HYPERLINK, DDE (=cmd|…) and @SUM text typed into the fill columns",
        name,
        ("not_allowed", "not_a_number"),
        DEPT,
        filled,
        no_errors=False,
        literal=FORMULA_TEXTS,
        literal_report=(at_sum, one),
    )


@_kind("formula_no_value")
def _formula_no_value(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx")
    ids = ctx.task_ids(DEPT)
    status, value = ctx.cell(DEPT, ids[1], V.TASK_STATUS), ctx.cell(DEPT, ids[1], V.TASK_RESULT_VALUE)
    cells = {
        status: f'<c r="{status}" t="str"><f>IF(1,"Hoàn thành","")</f></c>',
        value: f'<c r="{value}"><f>SUM(10,15)</f></c>',
    }
    _patch(src, ctx.folder(kind) / name, {V.SHEET_TASKS: lambda xml: _set_cells(xml, cells)})
    src.unlink()
    tasks = expected_statuses(ctx.cat, DEPT) | {ids[1]: ""}
    case = _read_case(
        ctx, kind, "formulas saved without cached values", name, ("formula_no_value",), DEPT, no_errors=False
    )
    return replace(case, tasks=tasks)


@_kind("formula_cached")
def _formula_cached(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, WARD)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)
    ids = ctx.task_ids(WARD)
    status = ctx.cell(WARD, ids[1], V.TASK_STATUS)
    value = cell_of(ctx.cat, WARD, ctx.period, (V.SHEET_INDICATORS, "2.2a", V.IND_VALUE))
    tasks = {status: f'<c r="{status}" t="str"><f>"Hoàn"&amp;" thành"</f><v>Hoàn thành</v></c>'}
    inds = {value: f'<c r="{value}"><f>4+4</f><v>8</v></c>'}
    _patch(
        src,
        ctx.folder(kind) / name,
        {
            V.SHEET_TASKS: lambda xml: _set_cells(xml, tasks),
            V.SHEET_INDICATORS: lambda xml: _set_cells(xml, inds),
        },
    )
    src.unlink()
    filled = proper(ctx.cat, WARD, **{ids[1]: {V.TASK_STATUS: "Hoàn thành"}})
    return _read_case(ctx, kind, "formulas with cached values: the values are read", name, (), WARD, filled)


_EXTERNAL_LINK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
    + '<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1" t="str"><v>Đang thực hiện</v></cell>'.encode()
    + b"</row></sheetData></sheetDataSet></externalBook></externalLink>"
)
_EXTERNAL_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'externalLinkPath" Target="file:///C:/Users/canbo/Desktop/tong%20hop.xlsx" TargetMode="External"/>'
    b"</Relationships>"
)


@_kind("external_link")
def _external_link(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    src = ctx.write(ctx.folder(kind) / ".src.xlsx")
    ids = ctx.task_ids(DEPT)
    status = ctx.cell(DEPT, ids[2], V.TASK_STATUS)
    result = ctx.cell(DEPT, ids[3], V.TASK_RESULT)
    problems = ctx.cell(DEPT, ids[4], V.TASK_PROBLEMS)
    cells = {
        status: f'<c r="{status}" t="str"><f>[1]Sheet1!A1</f><v>Đang thực hiện</v></c>',
        result: f'<c r="{result}" t="str"><f>\'[tong hop.xlsx]Sheet1\'!B2</f><v>{WORK_TEXT}</v></c>',
        problems: f'<c r="{problems}" t="e"><f>cmd|\' /C calc\'!A0</f><v>#REF!</v></c>',
    }

    def workbook(xml: bytes) -> bytes:
        return xml.replace(
            b"</sheets>",
            b'</sheets><externalReferences><externalReference r:id="rId90"/></externalReferences>',
            1,
        )

    def rels(xml: bytes) -> bytes:
        return xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>',
        )

    def types(xml: bytes) -> bytes:
        return xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
        )

    _patch(
        src,
        ctx.folder(kind) / name,
        {
            V.SHEET_TASKS: lambda xml: _set_cells(xml, cells),
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": rels,
            "[Content_Types].xml": types,
        },
        xl__externalLinks__externalLink1__xml=_EXTERNAL_LINK,
        xl__externalLinks___rels__externalLink1__xml__rels=_EXTERNAL_RELS,
    )
    src.unlink()
    return _read_case(
        ctx,
        kind,
        "cells whose formulas read another workbook ([1]Sheet1!A1, '[x.xlsx]Sheet1'!B2, a DDE link)",
        name,
        ("formula_external_link",),
        DEPT,
    )


@_kind("ods_formula_no_value")
def _ods_formula(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, WARD).replace(".xlsx", ".ods")
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)
    ids = ctx.task_ids(WARD)
    status = ctx.cell(WARD, ids[1], V.TASK_STATUS)
    value = cell_of(ctx.cat, WARD, ctx.period, (V.SHEET_INDICATORS, "2.2a", V.IND_VALUE))
    cells = {
        (
            V.SHEET_TASKS,
            status,
        ): '<table:table-cell table:formula="of:=IF(1;&quot;Hoàn thành&quot;;&quot;&quot;)"/>',
        (V.SHEET_INDICATORS, value): '<table:table-cell table:formula="of:=4+4"/>',
    }
    _ods_from(src, ctx.folder(kind) / name, cells)
    src.unlink()
    case = _read_case(
        ctx,
        kind,
        "ODS with formulas saved without values",
        name,
        ("formula_no_value",),
        WARD,
        no_errors=False,
    )
    scores = expected_scores(ctx.cat, ctx.period, WARD) | {"2.2": "0"}
    return replace(case, tasks=dict(case.tasks) | {ids[1]: ""}, scores=scores)


@_kind("ods_external_link")
def _ods_external(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, WARD).replace(".xlsx", ".ods")
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", WARD)
    status = ctx.cell(WARD, ctx.task_ids(WARD)[2], V.TASK_STATUS)
    cells = {
        (V.SHEET_TASKS, status): (
            '<table:table-cell table:formula="of:=[&apos;file:///C:/Users/canbo/tong%20hop.ods&apos;#$Sheet1.A1]" '
            'office:value-type="string"><text:p>Đang thực hiện</text:p></table:table-cell>'
        ),
    }
    _ods_from(src, ctx.folder(kind) / name, cells)
    src.unlink()
    return _read_case(
        ctx,
        kind,
        "ODS cell whose formula reads another file ('file:///…'#$Sheet1.A1)",
        name,
        ("formula_external_link",),
    )


@_kind("huge_cell")
def _huge_cell(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    marker = "CHỖ-ĐỂ-THAY-BẰNG-40000-KÝ-TỰ"
    ids = ctx.task_ids(DEPT)
    filled = proper(ctx.cat, DEPT, **{ids[0]: {V.TASK_RESULT: marker}})
    src = ctx.write(ctx.folder(kind) / ".src.xlsx", DEPT, filled)
    huge = ("Đã triển khai. " * 2700)[:40000]
    _patch(
        src,
        ctx.folder(kind) / name,
        {"xl/sharedStrings.xml": lambda x: x.replace(marker.encode(), huge.encode())},
    )
    src.unlink()
    return _read_case(ctx, kind, "a cell of 40,000 characters", name, ("text_too_long",), DEPT)


@_kind("duplicate_task_rows")
def _duplicate_rows(ctx: _Ctx, kind: str) -> CorpusCase:
    name = template_name(ctx.period, DEPT)
    ids = ctx.task_ids(DEPT)
    base = proper(ctx.cat, DEPT)
    extra = ({V.TASK_ID: ids[1], V.TASK_STATUS: "Hoàn thành", V.TASK_EVIDENCE: "Báo cáo số 9/BC-UBND"},)
    filled = Filled(info=base.info, tasks=base.tasks, indicators=base.indicators, extra_task_rows=extra)
    ctx.write(ctx.folder(kind) / name, DEPT, filled)
    return _read_case(
        ctx,
        kind,
        "a task row copied below the table with another status",
        name,
        ("task_duplicate",),
        DEPT,
        no_errors=False,
    )


@_kind("junk_rows")
def _junk_rows(ctx: _Ctx, kind: str) -> CorpusCase:
    """The unit's own list pasted under the task table: 4,900 rows of ids not in the plan."""
    name = template_name(ctx.period, DEPT)
    base = proper(ctx.cat, DEPT)
    extra = tuple({V.TASK_ID: str(n), V.TASK_RESULT: f"Việc phát sinh số {n}"} for n in range(1, 4901))
    filled = Filled(info=base.info, tasks=base.tasks, indicators=base.indicators, extra_task_rows=extra)
    ctx.write(ctx.folder(kind) / name, DEPT, filled)
    return _read_case(
        ctx,
        kind,
        "4,900 rows of unknown task ids under the table",
        name,
        ("task_unknown",),
        DEPT,
        max_issues=21,
    )


# --- the corpus -------------------------------------------------------------------------------


def kinds() -> list[str]:
    """Every kind, in order (known without building anything)."""
    return list(_BUILDERS)


def needs_libreoffice(kind: str) -> bool:
    return kind in _NEEDS_LIBREOFFICE


def build_corpus(
    cat: Catalogue, period: Period, folder: Path, only: Iterable[str] | None = None
) -> list[CorpusCase]:
    """Write every kind (or ``only`` these) into ``folder/<kind>/``; kinds that need LibreOffice
    are left out when it is not installed."""
    assert period.id == PERIOD, "the expectations are written for 2023-Q4"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [k for k in (only or _BUILDERS) if k in _BUILDERS]
    ctx = _Ctx(cat, period, folder, soffice_path())
    if ctx.soffice and any(k in _NEEDS_LIBREOFFICE for k in wanted):
        ctx.lo = _convert_all(ctx.soffice, _libreoffice_inputs(ctx), folder / ".libreoffice")
    cases = []
    for kind in wanted:
        if kind in _NEEDS_LIBREOFFICE and not ctx.lo:
            continue
        case = _BUILDERS[kind](ctx, kind)
        assert sorted(p.name for p in case.folder.iterdir()) == sorted(case.files), kind
        cases.append(case)
    return cases


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tests.corpus.build OUT_DIR", file=sys.stderr)
        return 2
    out = Path(args[0])
    started = time.perf_counter()
    # the corpus's quarter carries the tasks too (run it with DTI_CORPUS_SCHEMAS=OUT_DIR/schemas)
    cat = load_catalogue(quarterly_tasks_profile(out / "schemas"))
    period = parse_period(PERIOD)
    normal = build_normal(cat, period, out / "normal")
    cases = build_corpus(cat, period, out)
    elapsed = time.perf_counter() - started
    (out / "cases.json").write_text(
        json.dumps([c.as_dict() for c in cases], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    for case in cases:
        expect = ", ".join(case.codes) or "read cleanly"
        print(f"{case.kind:26} {case.status:10} {expect:40} {case.description}")
    print(f"{len(cases)} kinds and {len(normal)} normal returns in {out} ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
