"""E-mail intake: the spreadsheet attachments of ``.eml`` messages dropped in the inbox.

Each spreadsheet attachment of a message is a return, named ``<message>/<attachment>`` (the
message's path within the inbox, then the attachment's own name, never a path), received at
the message's ``Date`` header — or, when it has none that parses, at the date of its topmost
``Received`` header (the last hop: the receiving server) — and sent by its ``From`` address.

The inbox is never written to: attachments are extracted into a work folder of the run,
content-addressed (``<sha256><suffix>``), where the guard and the reader see them as any other
file. A message that cannot be used (too large, malformed, nested too deep, no spreadsheet
attached, an attachment damaged in transit) gives one issue naming the ``.eml`` file and what
to do; it never stops the batch.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

import pandas as pd

from pipeline.base import vocabulary as V
from pipeline.base.codes import Code
from pipeline.base.issues import Issue, issue
from pipeline.intake.guard.sniff import SPREADSHEET_EXTENSIONS

EML_SUFFIX = ".eml"
MB = 1024 * 1024
# A message carries at most a few returns: 64 MB holds two 20 MB attachments in base64 (4/3).
MAX_EML_BYTES = 64 * MB
MAX_PARTS = 200  # MIME parts walked in one message
MAX_DEPTH = 8  # multipart / attached-message nesting
MAX_ATTACHMENTS = 20  # spreadsheet attachments taken from one message
MAX_NAME = 120  # characters of an attachment's name
MAX_SENDER = 254  # an address (RFC 5321)
EARLIEST = datetime(2000, 1, 1)  # a message's time before this is a clock gone wrong
SPREADSHEET_TYPES = frozenset(
    {
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
        "application/vnd.ms-excel.sheet.macroenabled.12",
        "application/vnd.ms-excel.sheet.binary.macroenabled.12",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def is_eml(path: Path) -> bool:
    return path.suffix.lower() == EML_SUFFIX


@dataclass(frozen=True)
class Attachment:
    """One spreadsheet attachment, extracted: its name in the run and where its bytes are."""

    name: str  # "<message>/<attachment>", as the analyst sees it
    path: Path  # in the work folder, content-addressed


@dataclass(frozen=True)
class Mail:
    """What one ``.eml`` gave: its attachments, when and by whom it was sent, what went wrong."""

    file: str  # the message's path within the inbox
    attachments: tuple[Attachment, ...] = ()
    received_at: pd.Timestamp | None = None  # local time, without a zone
    sender: str | None = None
    issues: tuple[Issue, ...] = field(default_factory=tuple)


def safe_name(raw: str | None, index: int, content_type: str) -> str:
    """An attachment's name that is never a path: its last component, printable, NFC, bounded;
    ``tep_dinh_kem_<n>.xlsx`` (by its type) when it has none."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else name[:MAX_NAME]
    if not name:
        ext = ".xls" if content_type == "application/vnd.ms-excel" else ".xlsx"
        if content_type == "application/vnd.oasis.opendocument.spreadsheet":
            ext = ".ods"
        name = f"tep_dinh_kem_{index}{ext}"
    return name


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,6}", suffix) else ""


def _is_spreadsheet(name: str, content_type: str) -> bool:
    return _suffix(name) in SPREADSHEET_EXTENSIONS or content_type in SPREADSHEET_TYPES


def _local(moment: datetime) -> pd.Timestamp | None:
    """A header's time as this machine's local time without a zone (as the rest of a run keeps
    received times); a time without a zone (``-0000``) is taken as it reads. A time before 2000
    or more than a day ahead of this machine's clock is no time (a sender's clock gone wrong)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    if not EARLIEST <= moment <= datetime.now() + timedelta(days=1):
        return None
    return pd.Timestamp(moment).floor("s")


def _date_of(msg: Message) -> pd.Timestamp | None:
    try:
        header = msg.get("Date")
        moment = getattr(header, "datetime", None)
        if moment is None and header is not None:
            moment = parsedate_to_datetime(str(header))
        return _local(moment) if isinstance(moment, datetime) else None
    except Exception:  # a date that does not parse, or out of range: no date
        return None


def _received_of(msg: Message) -> pd.Timestamp | None:
    """The date of the topmost ``Received`` header that has one (the hop added last)."""
    for header in msg.get_all("Received") or []:
        _, sep, when = str(header).rpartition(";")
        if not sep:
            continue
        try:
            moment = parsedate_to_datetime(when.strip())
            if isinstance(moment, datetime) and (found := _local(moment)) is not None:
                return found
        except Exception:  # a date that does not parse, or out of range: the next hop
            continue
    return None


def _sender_of(msg: Message) -> str | None:
    try:
        header = msg.get("From")
        addresses = getattr(header, "addresses", ())
        addr = addresses[0].addr_spec if addresses else ""
    except (TypeError, ValueError, IndexError, AttributeError):
        return None
    addr = _UNSAFE.sub("", addr).strip().lower()
    return addr[:MAX_SENDER] if "@" in addr else None


class _TooDeep(Exception):
    pass


def _leaves(msg: Message, depth: int, seen: list[int]) -> list[Message]:
    """The non-multipart parts of a message, attached messages included, bounded."""
    seen[0] += 1
    if seen[0] > MAX_PARTS or depth > MAX_DEPTH:
        raise _TooDeep
    if not msg.is_multipart():
        return [msg]
    out: list[Message] = []
    payload = msg.get_payload()
    for part in payload if isinstance(payload, list) else []:
        if isinstance(part, Message):
            out.extend(_leaves(part, depth + 1, seen))
    return out


def _store(data: bytes, suffix: str, work: Path) -> Path:
    """The attachment's bytes in the work folder, named by their content (written once)."""
    digest = hashlib.sha256(data).hexdigest()
    path = work / f"{digest}{suffix}"
    if not path.is_file() or path.stat().st_size != len(data):
        work.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return path


def read_eml(path: Path, name: str, work: Path) -> Mail:
    """Read one message: its spreadsheet attachments extracted into ``work``. Never raises for a
    bad message: what is wrong becomes an issue on the message."""
    try:
        size = path.stat().st_size
        if size > MAX_EML_BYTES:
            size_text, limit = V.megabytes(size), V.megabytes(MAX_EML_BYTES)
            return Mail(
                name,
                issues=(
                    issue(Code.EMAIL_UNUSABLE, variant="too_large", file=name, size=size_text, limit=limit),
                ),
            )
        with path.open("rb") as fh:
            data = fh.read(MAX_EML_BYTES + 1)
    except OSError as exc:
        return Mail(
            name,
            issues=(
                issue(
                    Code.EMAIL_UNUSABLE,
                    variant="unopenable",
                    file=name,
                    reason=exc.strerror or type(exc).__name__,
                ),
            ),
        )
    try:
        return _read(data, name, work)
    except _TooDeep:
        return Mail(
            name, issues=(issue(Code.EMAIL_UNUSABLE, variant="too_deep", file=name, limit=str(MAX_PARTS)),)
        )
    except Exception:  # the parser's errors, and any bug of ours on an odd message: never the batch
        return Mail(name, issues=(issue(Code.EMAIL_UNUSABLE, variant="malformed", file=name),))


def _read(data: bytes, name: str, work: Path) -> Mail:
    if not data.strip():
        return Mail(name, issues=(issue(Code.EMAIL_UNUSABLE, variant="empty", file=name),))
    msg = BytesParser(policy=policy.default).parsebytes(data)
    if not any(k.lower() in ("from", "date", "received", "content-type") for k in msg):
        return Mail(name, issues=(issue(Code.EMAIL_UNUSABLE, variant="malformed", file=name),))
    received_at = _date_of(msg) or _received_of(msg)
    sender = _sender_of(msg)
    attachments: list[Attachment] = []
    issues: list[Issue] = []
    others: list[str] = []
    names: set[str] = set()
    for index, part in enumerate(_leaves(msg, 0, [0]), start=1):
        if part.get_content_maintype() == "multipart":
            continue
        disposition = part.get_content_disposition()
        raw_name = part.get_filename()
        content_type = part.get_content_type()
        if disposition != "attachment" and raw_name is None:
            continue  # the message's own text
        shown = safe_name(raw_name, index, content_type)
        if not _is_spreadsheet(shown, content_type):
            others.append(shown)
            continue
        if len(attachments) >= MAX_ATTACHMENTS:
            issues.append(
                issue(Code.EMAIL_UNUSABLE, variant="too_many", file=name, limit=str(MAX_ATTACHMENTS))
            )
            break
        payload = part.get_payload(decode=True)
        damaged = any("Base64" in type(d).__name__ for d in getattr(part, "defects", ()))
        if not isinstance(payload, bytes) or damaged:
            issues.append(issue(Code.EMAIL_UNUSABLE, variant="damaged", file=name, attachment=shown))
            continue
        unique, n = shown, 2
        while unique.lower() in names:
            stem, suffix = Path(shown).stem, Path(shown).suffix
            unique, n = f"{stem} ({n}){suffix}", n + 1
        names.add(unique.lower())
        attachments.append(Attachment(f"{name}/{unique}", _store(payload, _suffix(unique), work)))
    if not attachments and not issues:
        if others:
            issues.append(
                issue(
                    Code.EMAIL_UNUSABLE,
                    variant="no_spreadsheet",
                    file=name,
                    attached=V.join_names(f"«{o}»" for o in others),
                )
            )
        else:
            issues.append(issue(Code.EMAIL_UNUSABLE, variant="no_attachment", file=name))
    return Mail(name, tuple(attachments), received_at, sender, tuple(issues))
