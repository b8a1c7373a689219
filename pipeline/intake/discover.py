"""Find the returns of an inbox, and when each was received (contract §4)."""

from __future__ import annotations

import csv
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


def received_times(inbox: Path, files: list[str]) -> dict[str, pd.Timestamp]:
    """Received time per file: ``received.csv`` (file,received_at) first, else the file's mtime."""
    listed: dict[str, pd.Timestamp] = {}
    path = inbox / RECEIVED_FILE
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                when = _parse_when(row.get("received_at") or "")
                name = (row.get("file") or "").strip()
                if name and when is not None:
                    listed[name] = when
    out = {}
    for name in files:
        when = listed.get(name) or listed.get(Path(name).name)
        if when is None:
            when = pd.Timestamp(datetime.fromtimestamp((inbox / name).stat().st_mtime)).floor("s")
        out[name] = when
    return out
