"""Reminders to the units (``dti remind``): one ``.eml`` draft per unit, copy-ready Zalo messages,
and the analyst's summary.

A draft carries ``X-Unsent: 1``, so Outlook opens it as a message to check and send (Thunderbird
and most mail programs open it too). It is addressed to the unit's e-mail in ``units.csv``; its
text says the deadline and the days left («sắp đến hạn») or overdue («quá hạn»), the unit's upload
link when there is one, and carries the unit's template (it has not sent) or its feedback file
(its return still has errors). Which units to remind, and whether they were already reminded
today, is decided from the store (:mod:`pipeline.runner.remind`); this module only writes.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from pipeline.base import vocabulary as V
from pipeline.base.atomic import atomic_path
from pipeline.base.messages import mail as M

MISSING, ERRORS = "missing", "errors"
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ZALO_FILE = "zalo.txt"
SUMMARY_FILE = "tom_tat.csv"
_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")


def addresses(text: str) -> tuple[tuple[str, ...], str]:
    """The e-mail addresses of a ``units.csv`` cell (several split by ``;`` or ``,``), and the
    cell's text when it holds something that is not one ("" when fine or empty)."""
    parts = [p.strip() for p in re.split(r"[;,]", text or "") if p.strip()]
    good = tuple(p for p in parts if _ADDRESS.fullmatch(p))
    return good, ("" if len(good) == len(parts) else (text or "").strip())


@dataclass(frozen=True)
class Due:
    """One unit to remind, and what its reminder carries."""

    unit: str  # its code (file names, the store); never shown in a text
    name: str
    reason: str  # MISSING | ERRORS
    emails: tuple[str, ...] = ()
    bad_email: str = ""  # what units.csv holds when it is no address
    errors: int = 0
    received: datetime | None = None  # when its counting return was received (ERRORS)
    refused: bool = False  # MISSING, but it sent a file that was refused (its feedback says why)
    url: str = ""  # its upload page (`dti links`)
    attachments: tuple[tuple[Path, str], ...] = ()  # (file, name attached as): template, feedback
    already: bool = False  # reminded today: nothing is written


@dataclass(frozen=True)
class Context:
    period_label: str  # "tháng 10 năm 2023": inside a sentence
    deadline: date
    on: date
    receiver: str  # the office that receives the returns
    locality: str  # "UBND thành phố Thái Bình"
    sender: str = ""  # the receiver's e-mail, when units.csv has it
    sample: bool = False  # made from the demo's sample returns

    @property
    def days(self) -> int:
        """Days left until the deadline (0: today is the last day; negative: overdue)."""
        return (self.deadline - self.on).days


def _when(ctx: Context) -> str:
    d = ctx.days
    if d > 0:
        return M.WHEN_SOON.format(days=d)
    return M.WHEN_TODAY if d == 0 else M.WHEN_LATE.format(days=-d)


def subject(due: Due, ctx: Context) -> str:
    text = (M.SUBJECT_ERRORS if due.reason == ERRORS else M.SUBJECT).format(period=ctx.period_label)
    return M.SUBJECT_SAMPLE.format(mark=V.SAMPLE_MARK, subject=text) if ctx.sample else text


def body(due: Due, ctx: Context) -> str:
    """The draft's text, as the office writes to a unit."""
    d, deadline, on = ctx.days, V.day(ctx.deadline), V.day(ctx.on)
    facts = {"on": on, "receiver": ctx.receiver, "period": ctx.period_label}
    paragraphs = [V.SAMPLE_MARK] if ctx.sample else []
    paragraphs.append(M.GREETING.format(unit=due.name))
    if due.reason == MISSING:
        if d > 0:
            paragraphs.append(M.MISSING_SOON.format(deadline=deadline, days=d, **facts))
        elif d == 0:
            paragraphs.append(M.MISSING_TODAY.format(**facts))
        else:
            paragraphs.append(M.MISSING_LATE.format(deadline=deadline, days=-d, **facts))
        if due.refused:
            paragraphs.append(M.MISSING_REFUSED)
        paragraphs.append(M.MISSING_ASK if d >= 0 else M.MISSING_ASK_LATE)
    else:
        received = V.day(due.received) if due.received is not None else on
        paragraphs.append(
            M.ERRORS_FOUND.format(period=ctx.period_label, received=received, errors=due.errors)
        )
        if d > 0:
            paragraphs.append(M.ERRORS_SOON.format(deadline=deadline, days=d))
        elif d == 0:
            paragraphs.append(M.ERRORS_TODAY.format(deadline=deadline))
        else:
            paragraphs.append(M.ERRORS_LATE.format(deadline=deadline, days=-d))
    if not due.attachments:
        paragraphs.append(M.NO_ATTACHMENT)
    if due.url:
        paragraphs.append(M.LINK.format(url=due.url))
    paragraphs.append(M.REPLY_FIXED if due.reason == ERRORS else M.REPLY)
    paragraphs.append(M.CLOSING)
    paragraphs.append(M.SIGNATURE.format(receiver=ctx.receiver, locality=ctx.locality))
    return "\n\n".join(paragraphs) + "\n"


def compose(sender: Address | None, to: Sequence[Address], title: str, text: str) -> EmailMessage:
    """A message (CRLF line ends, UTF-8 text in quoted-printable)."""
    msg = EmailMessage(policy=policy.SMTP)
    if sender is not None:
        msg["From"] = sender
    if to:
        msg["To"] = list(to)
    msg["Subject"] = title
    msg.set_content(text, charset="utf-8", cte="quoted-printable")
    return msg


def attach(msg: EmailMessage, data: bytes, name: str) -> None:
    """Attach a workbook."""
    msg.add_attachment(data, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=name)


def draft(due: Due, ctx: Context) -> EmailMessage:
    """The unit's reminder as a draft message (``X-Unsent: 1``), with its attachments."""
    sender = Address(ctx.receiver, addr_spec=ctx.sender) if ctx.sender else None
    to = [Address(due.name, addr_spec=e) for e in due.emails]
    msg = compose(sender, to, subject(due, ctx), body(due, ctx))
    msg["X-Unsent"] = "1"
    for path, name in due.attachments:
        attach(msg, path.read_bytes(), name)
    return msg


def zalo(due: Due, ctx: Context) -> str:
    """The unit's reminder in a few lines, to copy into Zalo."""
    d, deadline = ctx.days, V.day(ctx.deadline)
    facts = {"unit": due.name, "period": ctx.period_label}
    if due.reason == ERRORS:
        when = M.ZALO_WHEN_SOON.format(days=d) if d > 0 else M.ZALO_WHEN_TODAY
        if d < 0:
            when = M.ZALO_WHEN_LATE.format(days=-d)
        text = M.ZALO_ERRORS.format(errors=due.errors, deadline=deadline, when=when, **facts)
    elif d > 0:
        text = M.ZALO_MISSING_SOON.format(receiver=ctx.receiver, deadline=deadline, days=d, **facts)
    elif d == 0:
        text = M.ZALO_MISSING_TODAY.format(receiver=ctx.receiver, deadline=deadline, **facts)
    else:
        text = M.ZALO_MISSING_LATE.format(deadline=deadline, days=-d, **facts)
    lines = [text]
    if due.url:
        lines.append(M.ZALO_LINK.format(url=due.url))
    lines.append(M.ZALO_THANKS.format(receiver=ctx.receiver))
    return " ".join(lines)


def draft_name(period_id: str, unit: str) -> str:
    return f"{period_id}_{unit}.eml"


@dataclass(frozen=True)
class Written:
    drafts: tuple[Path, ...]
    zalo: Path | None
    summary: Path | None
    messages: int  # Zalo messages written


def write_reminders(dues: Sequence[Due], ctx: Context, folder: Path, period_id: str) -> Written:
    """Write the drafts and the Zalo messages of the units not reminded today, and the summary
    of every unit (those already reminded say so). Nothing is written when every unit was."""
    new = [d for d in dues if not d.already]
    if not new:
        return Written((), None, None, 0)
    folder.mkdir(parents=True, exist_ok=True)
    drafts = []
    for due in new:
        if not due.emails:  # its files beside the drafts, to send with its Zalo message
            for path, name in due.attachments:
                with atomic_path(folder / name) as tmp:
                    tmp.write_bytes(path.read_bytes())
            continue
        path = folder / draft_name(period_id, due.unit)
        with atomic_path(path) as tmp:
            tmp.write_bytes(draft(due, ctx).as_bytes())
        drafts.append(path)
    zalo_path = folder / ZALO_FILE
    header = M.ZALO_HEADER.format(period=ctx.period_label, on=V.day(ctx.on))
    blocks = [f"{due.name}\n{zalo(due, ctx)}" for due in new]
    earlier = zalo_path.read_text(encoding="utf-8") + "\n" if zalo_path.is_file() else ""
    with atomic_path(zalo_path) as tmp:
        tmp.write_text(earlier + header + "\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
    summary = folder / SUMMARY_FILE
    with atomic_path(summary) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(M.SUMMARY_COLUMNS)
        for due in dues:
            writer.writerow(_summary_row(due, ctx, period_id))
    return Written(tuple(drafts), zalo_path, summary, len(new))


def note(due: Due) -> str:
    if due.already:
        return M.NOTE_ALREADY
    if due.bad_email:
        return M.NOTE_BAD_EMAIL.format(email=due.bad_email)
    return "" if due.emails else M.NOTE_NO_EMAIL


def reason(due: Due) -> str:
    return M.REASON_ERRORS.format(errors=due.errors) if due.reason == ERRORS else M.REASON_MISSING


def _summary_row(due: Due, ctx: Context, period_id: str) -> list[str]:
    return [
        due.name,
        reason(due),
        V.day(ctx.deadline),
        _when(ctx),
        "; ".join(due.emails),
        draft_name(period_id, due.unit) if due.emails and not due.already else "",
        "; ".join(name for _path, name in due.attachments) if not due.already else "",
        note(due),
    ]
