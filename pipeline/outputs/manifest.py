"""``manifest.json``: the locality, every input with its sha256 and status, every CSV output with
its sha256, and whether the run was made from the demo's sample returns."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from pipeline import __version__
from pipeline.base.atomic import atomic_path
from pipeline.base.periods import Period
from pipeline.catalogue import Locality
from pipeline.intake import Source


def _digest(path: Path) -> str:
    """The sha256 of a file, read a block at a time (a large CSV is never held whole)."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def write_manifest(
    path: Path,
    catalogue_version: str,
    period: Period,
    made_on: date,
    status: Mapping[str, str],
    sources: Iterable[Source],
    root: Path,
    locality: Locality | None = None,
    sample: bool = False,
) -> None:
    """Write ``path``; ``status`` is file → status in ``submissions.csv``, ``root`` the output folder."""
    outputs = sorted(p for p in root.rglob("*") if p.is_file() and p != path)
    manifest = {
        "tool": "dti",
        "tool_version": __version__,
        "catalogue_version": catalogue_version,
        "period": period.id,
        "made_on": made_on.isoformat(),
        **(
            {"locality": {"code": locality.code, "admin_code": locality.admin_code, "name": locality.name}}
            if locality is not None
            else {}
        ),
        "sample": sample,
        "inputs": [
            {"file": s.file, "sha256": s.sha256, "size": s.size, "status": status.get(s.file, "rejected")}
            for s in sorted(sources, key=lambda s: s.file)
        ],
        "outputs": [
            {"file": p.relative_to(root).as_posix(), "sha256": _digest(p)}
            for p in outputs
            if p.suffix == ".csv"
        ],
    }
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
