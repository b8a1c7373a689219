"""The web app of ``dti serve`` (Flask, server-rendered, in Vietnamese).

- ``/vao?t=TOKEN`` (or ``/vao/TOKEN``): a link's first visit. The token is exchanged for a
  session (an HttpOnly, SameSite=Strict signed cookie holding the link's id, checked against the
  store on every request, so a revoked link closes its sessions too); the answer leads on to the
  page without the token (a same-site refresh: a Strict cookie is not sent on a redirect that a
  mail or chat page started).
- ``/don-vi/<period>/<unit>``: the unit's page; ``POST`` there (multipart ``file``, hidden
  ``csrf_token``) uploads a return; ``…/lan/<id>`` one return's result; ``…/bieu-mau.xlsx`` the
  template; ``…/lan/<id>/phan-hoi.xlsx`` its feedback file.
- ``/tong-hop/<period>``: the analyst's page; ``POST …/lap`` builds the period's outputs from the
  store (as ``dti report`` does); ``…/tep/<name>`` one of them.

A session opens only its own unit's pages of its own period (the analyst's, every page to read);
anything else is refused with the same words whether or not the unit exists.
"""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from flask import Flask, Response, redirect, render_template, request, send_file, session, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from pipeline.base import vocabulary as V
from pipeline.base.messages import web as W
from pipeline.base.periods import Period, PeriodError, parse_period
from pipeline.outputs.templates import template_name, write_template
from pipeline.store import LinkRecord, StoreBusy
from pipeline.web import links, pages, security
from pipeline.web.uploads import Site, TooLarge, accept, feedback_file, receive

MULTIPART_SLACK = 64 * 1024  # the form's other fields and part headers, beyond the file itself
DEFAULT_RATE = 120  # requests per minute per link


class Refused(HTTPException):
    """A refusal shown as a page with its message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(description=message)
        self.code = code


def _refuse(code: int, message: str) -> NoReturn:
    raise Refused(code, message)


def _period(value: str) -> Period:
    try:
        return parse_period(value)
    except PeriodError:
        _refuse(404, W.ERROR_NOT_FOUND)


def create_app(site: Site, *, rate_limit: int = DEFAULT_RATE, secure_cookie: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=security.secret_key(site.state()),
        SESSION_COOKIE_NAME="dti_phien",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=secure_cookie,
        MAX_CONTENT_LENGTH=site.max_upload + MULTIPART_SLACK,
        MAX_FORM_MEMORY_SIZE=64 * 1024,
        MAX_FORM_PARTS=16,
    )
    app.extensions["dti_site"] = site
    security.install(app)
    per_link = security.RateLimit(rate_limit)
    per_address = security.RateLimit(max(rate_limit // 4, 10) if rate_limit else 0)
    limit = V.megabytes(site.max_upload).replace(",0 MB", " MB")

    @app.context_processor
    def _words() -> dict[str, Any]:
        return {"W": W, "V": V, "csrf_token": security.csrf_token, "site": site}

    def current() -> LinkRecord:
        """The session's link, active; else refused (and the session forgotten)."""
        link_id = session.get("link")
        found = site.store.find_link(link_id=int(link_id)) if isinstance(link_id, int) else None
        if found is None or not found.active or found.locality != site.locality:
            session.clear()
            _refuse(403, W.ERROR_LINK)
        if not per_link.allow(f"link:{found.id}"):
            _refuse(429, W.ERROR_RATE)
        return found

    def unit_session(period_id: str, unit: str, write: bool = False) -> tuple[LinkRecord, Period]:
        link = current()
        period = _period(period_id)
        own = link.role == "unit" and link.unit_code == unit and link.period == period.id
        reader = link.role == "analyst" and not write and site.cat.has_unit(unit)
        if not (own or reader):
            _refuse(403, W.ERROR_FORBIDDEN)
        return link, period

    def analyst_session(period_id: str) -> Period:
        link = current()
        if link.role != "analyst":
            _refuse(403, W.ERROR_FORBIDDEN)
        return _period(period_id)

    def home_of(link: LinkRecord) -> str:
        if link.role == "analyst":
            return url_for("analyst", period_id=link.period or _latest_period(site))
        return url_for("unit", period_id=link.period, unit=link.unit_code)

    @app.get("/vao")
    @app.get("/vao/<token>")
    def enter(token: str | None = None) -> Any:
        if not per_address.allow(f"addr:{request.remote_addr}"):
            _refuse(429, W.ERROR_RATE)
        found = links.find(site.store, token or request.args.get("t", ""))
        if found is None:
            session.clear()
            _refuse(403, W.ERROR_LINK)
        session.clear()
        session["link"] = found.id
        security.csrf_token()
        return render_template("enter.html", target=home_of(found))

    @app.get("/")
    def home() -> Any:
        return redirect(home_of(current()), 303)

    @app.route("/don-vi/<period_id>/<unit>", methods=["GET", "POST"])
    def unit(period_id: str, unit: str) -> Any:
        link, period = unit_session(period_id, unit, write=request.method == "POST")
        if request.method == "POST":
            return upload(period, unit)
        page = pages.unit_page(site, period, unit)
        latest = (
            pages.result(site, period, unit, page.versions[0].id, page.versions) if page.versions else None
        )
        return render_template(
            "unit.html", page=page, latest=latest, limit=limit, can_upload=link.role == "unit"
        )

    def upload(period: Period, unit: str) -> Any:
        try:
            form = request.form
            files = request.files.getlist("file")
        except RequestEntityTooLarge:
            _refuse(413, W.ERROR_TOO_LARGE.format(limit=limit))
        if not security.csrf_ok(form.get("csrf_token")):
            _refuse(403, W.ERROR_CSRF)
        files = [f for f in files if f.filename or f.content_length]
        if not files:
            _refuse(400, W.ERROR_NO_FILE)
        if len(files) > 1 or len(request.files) > 1:
            _refuse(400, W.ERROR_ONE_FILE)
        part = files[0]
        try:
            got = receive(part.stream, site.state("incoming"), site.max_upload, part.filename)
        except TooLarge:
            _refuse(413, W.ERROR_TOO_LARGE.format(limit=limit))
        try:
            outcome = accept(site, unit, period, got)
        except StoreBusy:
            _refuse(503, W.ERROR_BUSY)
        finally:
            got.path.unlink(missing_ok=True)
        if outcome.other_unit or outcome.submission_id is None:
            _refuse(422, W.ERROR_OTHER_UNIT)
        target = url_for("version", period_id=period.id, unit=unit, submission_id=outcome.submission_id)
        return redirect(target + ("" if outcome.created else "?lai=1"), 303)

    @app.get("/don-vi/<period_id>/<unit>/lan/<int:submission_id>")
    def version(period_id: str, unit: str, submission_id: int) -> Any:
        link, period = unit_session(period_id, unit)
        page = pages.unit_page(site, period, unit)
        found = pages.result(site, period, unit, submission_id, page.versions)
        if found is None:
            _refuse(404, W.ERROR_NOT_FOUND)
        again = request.args.get("lai") == "1"
        return render_template(
            "unit.html", page=page, latest=found, again=again, limit=limit, can_upload=link.role == "unit"
        )

    @app.get("/don-vi/<period_id>/<unit>/bieu-mau.xlsx")
    def template(period_id: str, unit: str) -> Any:
        _link, period = unit_session(period_id, unit)
        with tempfile.TemporaryDirectory(dir=site.state()) as tmp:
            path = write_template(site.cat, unit, period, Path(tmp) / template_name(period, unit))
            data = path.read_bytes()
        return _xlsx(data, template_name(period, unit))

    @app.get("/don-vi/<period_id>/<unit>/lan/<int:submission_id>/phan-hoi.xlsx")
    def feedback(period_id: str, unit: str, submission_id: int) -> Any:
        _link, period = unit_session(period_id, unit)
        if pages.result(site, period, unit, submission_id) is None:
            _refuse(404, W.ERROR_NOT_FOUND)
        path = feedback_file(site, period, unit, submission_id)
        if path is None:
            _refuse(404, W.ERROR_NOT_FOUND)
        return _xlsx(path.read_bytes(), f"phan_hoi_{period.id}_{unit}.xlsx")

    @app.get("/tong-hop/<period_id>")
    def analyst(period_id: str) -> Any:
        period = analyst_session(period_id)
        chosen = request.args.get("ky")
        if chosen and chosen != period.id:
            return redirect(url_for("analyst", period_id=_period(chosen).id), 303)
        page = pages.analyst_page(site, period)
        return render_template("analyst.html", page=page, note=session.pop("note", None))

    @app.post("/tong-hop/<period_id>/lap")
    def build(period_id: str) -> Any:
        period = analyst_session(period_id)
        if not security.csrf_ok(request.form.get("csrf_token")):
            _refuse(403, W.ERROR_CSRF)
        from pipeline.run import run_report

        inbox = site.inbox_root / period.id
        inbox.mkdir(parents=True, exist_ok=True)
        try:
            done = run_report(site.cat, period, inbox, site.out, db=site.db, sample=False, workers=0)
        except StoreBusy:
            _refuse(503, W.ERROR_BUSY)
        session["note"] = W.ANALYST_BUILT.format(
            period=period.label.lower(), files=done.files, errors=done.errors, warnings=done.warnings
        )
        return redirect(url_for("analyst", period_id=period.id), 303)

    @app.get("/tong-hop/<period_id>/tep/<path:name>")
    def output(period_id: str, name: str) -> Any:
        period = analyst_session(period_id)
        path = pages.output_path(site, period, name)
        if path is None:
            _refuse(404, W.ERROR_NOT_FOUND)
        return send_file(path, as_attachment=True, download_name=path.name)

    @app.errorhandler(HTTPException)
    def _error(exc: HTTPException) -> Any:
        code = exc.code or 500
        message = exc.description if isinstance(exc, Refused) else _MESSAGES.get(code, W.ERROR_SERVER)
        if isinstance(exc, RequestEntityTooLarge):
            message = W.ERROR_TOO_LARGE.format(limit=limit)
        headers = {"Connection": "close"} if code == 413 else {}
        return render_template("error.html", message=message, code=code), code, headers

    @app.errorhandler(Exception)
    def _crash(exc: Exception) -> Any:
        app.logger.error("error while serving %s", security.logged_path(request.path), exc_info=exc)
        return render_template("error.html", message=W.ERROR_SERVER, code=500), 500

    return app


_MESSAGES: dict[int, str] = {403: W.ERROR_FORBIDDEN, 404: W.ERROR_NOT_FOUND, 405: W.ERROR_NOT_FOUND}


def _latest_period(site: Site) -> str:
    periods = site.store.periods(locality=site.locality)
    today = date.today()
    return periods[-1] if periods else f"{today.year}-{today.month:02d}"


def _xlsx(data: bytes, name: str) -> Response:
    return send_file(
        io.BytesIO(data),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=name,
    )
