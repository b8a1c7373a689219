"""Find the returns of an inbox, and when each was received (contract §4)."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.intake.guard import is_ignorable

RECEIVED_FILE = "received.csv"
# Written by `dti demo` beside its sample returns: a run over this inbox is a sample, every page
# of its outputs marked (contract §6). Not a return.
SAMPLE_FILE = "DU_LIEU_MAU.txt"


def is_sample(inbox: Path) -> bool:
    """Whether the inbox holds the demo's sample returns."""
    return (inbox / SAMPLE_FILE).is_file()


def discover(inbox: Path) -> list[Path]:
    """Every candidate return in the inbox (recursively), in a stable order; temp files skipped."""
    if not inbox.is_dir():
        return []
    files = [
        p
        for p in inbox.rglob("*")
        if p.is_file()
        and not is_ignorable(p)
        and not (p.name in (RECEIVED_FILE, SAMPLE_FILE) and p.parent == inbox)
    ]
    return sorted(files, key=lambda p: p.relative_to(inbox).as_posix())


def _parse_when(text: str) -> pd.Timestamp | None:
    text = text.strip()
    if not text:
        return None
    for fmt in (
        "%Y-%m-%d",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y",
    ):
        try:
            return pd.Timestamp(datetime.strptime(text, fmt))
        except ValueError:
            continue
    try:
        return pd.Timestamp(datetime.fromisoformat(text)).tz_localize(None)
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class Received:
    """When each file was received, and which times are only a file's modification time."""

    times: dict[str, pd.Timestamp]
    listed: tuple[str, ...]  # a row of received.csv names the file (or its message)
    mailed: tuple[str, ...]  # the time of the message the file came in
    file_times: tuple[str, ...]  # no row in received.csv, no time in a message: the file's mtime


def _listed(inbox: Path) -> dict[str, pd.Timestamp]:
    listed: dict[str, pd.Timestamp] = {}
    path = inbox / RECEIVED_FILE
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                when = _parse_when(row.get("received_at") or "")
                name = (row.get("file") or "").strip()
                if name and when is not None:
                    listed[name] = when
    return listed


def received_from(
    inbox: Path, files: list[str], mailed: Mapping[str, tuple[str, pd.Timestamp | None]] | None = None
) -> Received:
    """Received time per file, in this order: its row in ``received.csv`` (``file,received_at``;
    the file's path or name, or for an e-mail attachment its message's), the time of the message
    it came in (``mailed``: attachment → (message file, time)), else the file's mtime (the
    message's, for an attachment)."""
    listed = _listed(inbox)
    mailed = mailed or {}
    times: dict[str, pd.Timestamp] = {}
    origin: dict[str, list[str]] = {"listed": [], "mailed": [], "file": []}
    for name in files:
        message, sent = mailed.get(name, ("", None))
        keys = [name, Path(name).name, *([message, Path(message).name] if message else [])]
        when = next((listed[k] for k in keys if k in listed), None)
        if when is not None:
            origin["listed"].append(name)
        elif sent is not None:
            when = sent
            origin["mailed"].append(name)
        else:
            mtime = (inbox / (message or name)).stat().st_mtime
            when = pd.Timestamp(datetime.fromtimestamp(mtime)).floor("s")
            origin["file"].append(name)
        times[name] = when
    return Received(times, tuple(origin["listed"]), tuple(origin["mailed"]), tuple(origin["file"]))


def received_times(inbox: Path, files: list[str]) -> dict[str, pd.Timestamp]:
    """Received time per file: ``received.csv`` (file,received_at) first, else the file's mtime."""
    return received_from(inbox, files).times
