"""The production server of ``dti serve``: waitress, with the body capped while it streams.

waitress reads a request's body before the app sees it, spooling past 512 KB to a temporary
file (never all in memory), and refuses a body over ``max_request_body_size`` as soon as it
knows: at once from its ``Content-Length``, or as a chunked body streams past the cap. The cap
is twice the upload cap: a body between the two reaches Flask, whose own cap (the upload cap
plus a little for the form's other fields) answers with the page's Vietnamese refusal; past
twice the cap waitress answers alone (its own short text), having spooled at most that much
to disk. The upload is counted once more as it is copied (:func:`pipeline.web.uploads.receive`).

waitress writes no access log; the app writes one line per request to the ``dti.web.access``
logger with the path only, never the query string (where a link's token is) nor a path token.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from waitress import create_server

from pipeline.catalogue import Catalogue
from pipeline.run import STORE_FILE, store_url
from pipeline.store import open_store
from pipeline.web.app import DEFAULT_RATE, MULTIPART_SLACK, create_app
from pipeline.web.uploads import DEFAULT_MAX_UPLOAD, Site
from pipeline.web.worker import DEFAULT_MEMORY_MB, GuardPool

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_THREADS = 8


def make_site(
    cat: Catalogue,
    inbox_root: Path,
    out: Path,
    db: str | None = None,
    *,
    max_upload: int = DEFAULT_MAX_UPLOAD,
    workers: int = 2,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> Site:
    """The store (``db``, DTI_DB, else ``out/dti.sqlite``), the folders and the guard's pool."""
    out.mkdir(parents=True, exist_ok=True)
    inbox_root.mkdir(parents=True, exist_ok=True)
    store = open_store(store_url(db), default_path=out / STORE_FILE)
    pool = GuardPool(cat, workers=workers, memory_mb=memory_mb)
    return Site(cat, store, inbox_root, out, db, pool, max_upload)


def access_logging(stream: Any = None) -> logging.Handler:
    """One line per request on stderr (the path only)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    for name in ("dti.web.access", "waitress"):
        log = logging.getLogger(name)
        log.setLevel(logging.INFO)
        log.addHandler(handler)
    return handler


def make_server(
    site: Site,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    threads: int = DEFAULT_THREADS,
    rate_limit: int = DEFAULT_RATE,
    secure_cookie: bool = False,
) -> Any:
    """A waitress server for the app (``port`` 0: a free one, ``server.effective_port``)."""
    app = create_app(site, rate_limit=rate_limit, secure_cookie=secure_cookie)
    return create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=2 * site.max_upload + MULTIPART_SLACK,
        expose_tracebacks=False,
        ident="dti",
        clear_untrusted_proxy_headers=True,
        channel_timeout=60,
    )
