"""``locality.yaml``: who the locality is, who receives its units' returns, and the form of its
report to the province (Nghị định 30/2020/NĐ-CP). Every problem names the file and the key."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from pipeline.base.messages import texts as T
from pipeline.catalogue.model import Locality, ReportForm, Signer

LOCALITY_FILE = "locality.yaml"
CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
ADMIN_CODE_RE = re.compile(r"^\d{1,6}$")
AUTHORITY_KEYS = ("name", "title", "short_name", "level", "place")
DEFAULT_ARCHIVE = "VT"  # Văn thư: every document keeps a copy there


def _text(value: Any) -> str:
    """A string from YAML as NFC with single spaces; "" for anything that is not text."""
    if not isinstance(value, str):
        return ""
    return " ".join(unicodedata.normalize("NFC", value).split())


class _Reader:
    """Reads keys of one mapping, noting every problem as ``locality.yaml, <key>: <need>``."""

    def __init__(self, problems: list[str]):
        self.problems = problems

    def problem(self, key: str, need: str) -> None:
        self.problems.append(T.CAT_LOCALITY_KEY.format(file=LOCALITY_FILE, key=key, need=need))

    def required(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = _text(data.get(key))
        if not value:
            self.problem(where, T.LOC_NEED_TEXT)
        return value

    def optional(self, data: Mapping[str, Any], key: str, where: str, default: str = "") -> str:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            self.problem(where, T.LOC_NEED_OPTIONAL_TEXT)
            return default
        return _text(value)

    def lines(self, data: Mapping[str, Any], key: str, where: str, required: bool) -> tuple[str, ...]:
        value = data.get(key)
        if value is None and not required:
            return ()
        items = [_text(v) for v in value] if isinstance(value, list) else []
        if not isinstance(value, list) or (required and not items) or not all(items):
            self.problem(where, T.LOC_NEED_LINES)
            return tuple(i for i in items if i)
        return tuple(items)

    def mapping(self, data: Mapping[str, Any], key: str, where: str, need: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            self.problem(where, need)
            return {}
        return value


def _codes(data: Mapping[str, Any], read: _Reader) -> tuple[str, str]:
    code = data.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code.strip()):
        read.problem("code", T.LOC_NEED_CODE)
        code = ""
    admin = data.get("admin_code")
    if not isinstance(admin, str) or not ADMIN_CODE_RE.match(admin.strip()):
        read.problem("admin_code", T.LOC_NEED_ADMIN_CODE)
        admin = ""
    return code.strip(), admin.strip()


def _report(data: Mapping[str, Any], read: _Reader) -> ReportForm:
    report = read.mapping(data, "report", "report", T.LOC_NEED_REPORT)
    signer = read.mapping(report, "signer", "report.signer", T.LOC_NEED_SIGNER) if report else {}
    return ReportForm(
        symbol=read.required(report, "symbol", "report.symbol"),
        recipient=read.required(report, "recipient", "report.recipient"),
        copies=read.lines(report, "copies", "report.copies", required=False),
        archive=read.optional(report, "archive", "report.archive", DEFAULT_ARCHIVE) or DEFAULT_ARCHIVE,
        signer=Signer(
            authority=read.optional(signer, "authority", "report.signer.authority"),
            title=read.required(signer, "title", "report.signer.title"),
            name=read.optional(signer, "name", "report.signer.name"),
        ),
        plan=read.optional(report, "plan", "report.plan"),
    )


def load_locality(data: Mapping[str, Any], codes: list[str], problems: list[str]) -> Locality:
    """The locality of ``locality.yaml`` (already read as a mapping); problems appended."""
    read = _Reader(problems)
    code, admin_code = _codes(data, read)
    authority = data.get("authority")
    if not isinstance(authority, dict):
        problems.append(T.CAT_AUTHORITY.format(file=LOCALITY_FILE))
        authority = {}
    values: dict[str, str] = {}
    for key in AUTHORITY_KEYS:
        values[key] = _text(authority.get(key))
        if not values[key] and authority:
            problems.append(T.CAT_AUTHORITY_KEY.format(file=LOCALITY_FILE, key=key))
    header = read.lines(authority, "header", "authority.header", required=True) if authority else ()
    superior = read.optional(authority, "superior", "authority.superior")
    receiver = data.get("receiver")
    if not isinstance(receiver, str) or not receiver.strip():
        problems.append(T.CAT_RECEIVER.format(file=LOCALITY_FILE))
        receiver = ""
    elif receiver.strip() not in codes:
        problems.append(T.CAT_RECEIVER_UNKNOWN.format(file=LOCALITY_FILE, code=repr(receiver.strip())))
    return Locality(
        receiver=receiver.strip(),
        code=code,
        admin_code=admin_code,
        header=header,
        superior=superior,
        report=_report(data, read),
        **values,
    )
