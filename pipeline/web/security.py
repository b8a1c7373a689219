"""What every response of ``dti serve`` carries, and what every request must pass: security
headers, the CSRF token of forms, a rate limit per link, an access log that never holds a token.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import threading
import time
from collections import deque
from pathlib import Path

from flask import Flask, Response, g, request, session

ACCESS_LOG = logging.getLogger("dti.web.access")

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}
_TOKEN_PATH = re.compile(r"^(/vao/)[^/]+")


def logged_path(path: str) -> str:
    """A request's path as the access log writes it: no query string, a path token cut out."""
    return _TOKEN_PATH.sub(r"\1…", path)


def install(app: Flask) -> None:
    """Headers on every response, and one access-log line per request (path only)."""

    @app.before_request
    def _clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        started = g.get("started")
        ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        ACCESS_LOG.info(
            "%s %s %s %.0fms", request.method, logged_path(request.path), response.status_code, ms
        )
        return response


# --- CSRF ---------------------------------------------------------------------------------------------


def csrf_token() -> str:
    """The session's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(24)
        session["csrf"] = token
    return token


def csrf_ok(sent: str | None) -> bool:
    expected = session.get("csrf")
    if not isinstance(expected, str) or not expected or not sent:
        return False
    return hmac.compare_digest(expected.encode(), sent.encode())


# --- the rate limit -------------------------------------------------------------------------------------


class RateLimit:
    """At most ``limit`` requests per ``window`` seconds per key (a link, or an address for the
    link's first visit); 0 turns it off. In memory: one server process."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        if self.limit <= 0:
            return True
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
            seen.append(now)
            if len(self._seen) > 10_000:  # forget idle keys
                for k in [k for k, v in self._seen.items() if not v or v[-1] <= now - self.window]:
                    del self._seen[k]
            return True


def secret_key(folder: Path) -> bytes:
    """The key that signs session cookies, kept in ``folder`` (readable by its owner only) so
    that sessions survive a restart of the server."""
    path = folder / "session.key"
    folder.mkdir(parents=True, exist_ok=True)
    if path.is_file():
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    data = secrets.token_bytes(48)
    tmp = path.with_name(f".session.key.{secrets.token_hex(4)}")
    tmp.touch(mode=0o600)
    tmp.write_bytes(data)
    tmp.replace(path)
    return data
