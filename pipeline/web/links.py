"""The private links of ``dti serve``: issued, looked up by their token, revoked.

A token is 32 random bytes (``secrets.token_urlsafe``); the store keeps only its SHA-256, so a
link is shown once, when it is issued, and a copy of the store opens nothing. Issuing the links
of a period again revokes the ones issued before for the same units (their tokens cannot be shown
again). A unit's link opens only that unit's page of its period; the analyst's opens the
analyst's page of every period.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.base import vocabulary as V
from pipeline.base.messages import web as W
from pipeline.base.periods import Period
from pipeline.catalogue import Catalogue
from pipeline.outputs.xlsx import new_workbook
from pipeline.store import LinkRecord, Store

ENTRY = "/vao"  # the path a link opens: /vao?t=TOKEN
CSV_COLUMNS = ("unit_code", "unit_name", "url", "message")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """The SHA-256 (hex) of a token: what the store keeps."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}{ENTRY}?t={token}"


@dataclass(frozen=True)
class IssuedLink:
    unit_code: str  # "" for the analyst's
    unit_name: str
    url: str
    message: str

    def row(self) -> tuple[str, str, str, str]:
        return (self.unit_code, self.unit_name, self.url, self.message)


def issue_unit_links(
    store: Store, cat: Catalogue, period: Period, base_url: str, units: Iterable[str] | None = None
) -> tuple[list[IssuedLink], int]:
    """A new link for every expected unit of the period (or ``units``); the links and how many
    units had an earlier one, now revoked."""
    codes = list(units) if units is not None else list(cat.expected_units(period))
    deadline = V.day(cat.deadline(period))
    out: list[IssuedLink] = []
    replaced = 0
    with store.run(locality=cat.locality.code, period=period.id, command="links") as run:
        for code in codes:
            replaced += bool(run.revoke_links(role="unit", unit_code=code, period=period.id))
            token = new_token()
            run.add_link(token_sha256=digest(token), role="unit", unit_code=code, period=period.id)
            url = link_url(base_url, token)
            name = cat.unit_name(code)
            message = W.LINK_MESSAGE.format(
                unit=name, receiver=cat.receiver_name, period=period.label.lower(), deadline=deadline, url=url
            )
            out.append(IssuedLink(code, name, url, message))
    return out, replaced


def issue_analyst_link(store: Store, cat: Catalogue, period: Period | None, base_url: str) -> IssuedLink:
    """A new link for the analyst (the earlier ones revoked)."""
    with store.run(locality=cat.locality.code, period=None, command="links") as run:
        run.revoke_links(role="analyst")
        token = new_token()
        run.add_link(
            token_sha256=digest(token), role="analyst", unit_code=None, period=period.id if period else None
        )
    url = link_url(base_url, token)
    return IssuedLink("", cat.receiver_name, url, W.ANALYST_LINK_MESSAGE.format(url=url))


def revoke(store: Store, cat: Catalogue, *, unit_code: str | None, period: Period | None) -> int:
    """Revoke a unit's links (of one period, or all), or with no unit the analyst's; how many."""
    role = "unit" if unit_code else "analyst"
    with store.run(locality=cat.locality.code, period=None, command="links") as run:
        return run.revoke_links(role=role, unit_code=unit_code, period=period.id if period else None)


def find(store: Store, token: str) -> LinkRecord | None:
    """The active link of this token, or ``None`` (unknown, revoked, malformed)."""
    if not token or len(token) > 128:
        return None
    found = store.find_link(token_sha256=digest(token))
    return found if found is not None and found.active else None


def links_csv(links: Iterable[IssuedLink]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for link in links:
        writer.writerow(link.row())
    return buf.getvalue()


def write_links(links: list[IssuedLink], out: Path) -> list[Path]:
    """``out`` as CSV (``.csv``) or as a sheet for people (``.xlsx``: and the CSV beside it)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() != ".xlsx":
        out.write_text(links_csv(links), encoding="utf-8")
        return [out]
    with new_workbook(out) as wb:
        ws = wb.add_worksheet(W.LINKS_SHEET)
        head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
        for col, (title, width) in enumerate(zip(W.LINKS_HEADERS, (12, 36, 60, 90), strict=True)):
            ws.write(0, col, title, head)
            ws.set_column(col, col, width)
        for row, link in enumerate(links, start=1):
            for col, value in enumerate(link.row()):
                ws.write_string(row, col, value, wrap)
        ws.freeze_panes(1, 0)
    csv_path = out.with_suffix(".csv")
    csv_path.write_text(links_csv(links), encoding="utf-8")
    return [out, csv_path]
