"""The ``.eml`` messages of an inbox, unpacked for a run: their spreadsheet attachments become
jobs of the reading pool, their times and senders go with them into the store (channel
``email``), and a message that gives no return is one refused file with its issue."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.intake import Source, read_eml
from pipeline.rules import Prepared
from pipeline.runner.cache import file_digest

MAIL_DIR = ".mail"  # beside the outputs: attachments extracted by content (deleting it is safe)
EMAIL = "email"  # the store's channel of a return that came by e-mail


@dataclass
class MailIntake:
    """What the messages of an inbox give a run."""

    attachments: list[tuple[Path, str]] = field(default_factory=list)  # (extracted file, name)
    mailed: dict[str, tuple[str, pd.Timestamp | None]] = field(default_factory=dict)  # name → (message, time)
    senders: dict[str, str] = field(default_factory=dict)  # name → From address
    channels: dict[str, str] = field(default_factory=dict)  # name → "email"
    refused: list[Prepared] = field(default_factory=list)  # messages with issues of their own


def unpack_mails(messages: list[Path], inbox: Path, work: Path) -> MailIntake:
    """Read every message (``work``: where the attachments are extracted); never raises for a
    bad message."""
    out = MailIntake()
    for path in messages:
        name = path.relative_to(inbox).as_posix()
        mail = read_eml(path, name, work)
        for a in mail.attachments:
            out.attachments.append((a.path, a.name))
            out.mailed[a.name] = (name, mail.received_at)
            out.channels[a.name] = EMAIL
            if mail.sender:
                out.senders[a.name] = mail.sender
        if mail.issues:
            size = path.stat().st_size
            source = Source(file=name, path=path, sha256=file_digest(path), size=size, fmt=None)
            out.refused.append(
                Prepared(source=source, unit=None, tasks={}, indicators={}, issues=mail.issues)
            )
            out.mailed[name] = (name, mail.received_at)
            out.channels[name] = EMAIL
            if mail.sender:
                out.senders[name] = mail.sender
    return out
