"""The browser editor as a Starlette app: dashboard, page editor, save and preview endpoints.

Handlers only turn requests into calls of :mod:`.editing` and :mod:`.view`
and their results into HTML or JSON. The safety rules live here, in one
middleware that every request passes:

- the ``Host`` header must name the address we listen on or loopback (a web
  page cannot reach the editor through DNS rebinding);
- with a token set, a request must carry it (``?token=`` once, then an
  HttpOnly same-site cookie), else 403;
- a POST must carry the page's CSRF token and, when the browser sends one, our
  own ``Origin``;
- every response forbids scripts, styles and images from anywhere but here
  (``Content-Security-Policy``), framing and sniffing.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..catalog import EntryState
from ..errors import ThinktankError
from ..lock import LockedError
from ..review import PageStatus, status
from .editing import Action, EditConflict, EditError, apply, check_page, entry_version, needs_work
from .view import editor_rows, preview

MAX_BODY = 1_000_000
"""Bytes a form may send: far more than any paragraph, far less than a memory problem."""
TOKEN_COOKIE = "thinktank_review_token"
STATES = ("draft", "stale", "untranslated", "reviewed")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


@dataclass
class Settings:
    docs_dir: Path
    translations_dir: Path
    langs: list[str]
    reviewer: str
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    lock_wait: float = 3.0


_TEMPLATES = Environment(loader=PackageLoader("thinktank.review_server", "templates"),
                         autoescape=select_autoescape(default=True, default_for_string=True))


def _render(name: str, status_code: int = 200, **context: object) -> HTMLResponse:
    return HTMLResponse(_TEMPLATES.get_template(name).render(**context), status_code)


def _same(given: str | None, wanted: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), wanted.encode())


def _allowed_hosts(settings: Settings) -> set[str]:
    names = {settings.host, "127.0.0.1", "localhost", "[::1]", "::1"}
    return {f"{name}:{settings.port}" for name in names} | names


class Guard(BaseHTTPMiddleware):
    """Host, token, CSRF and origin checks, and the security headers (see the module's docstring)."""

    def __init__(self, app: object, settings: Settings) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.settings = settings
        self.hosts = _allowed_hosts(settings)

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await self._check(request, call_next)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    async def _check(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        settings = self.settings
        if request.headers.get("host", "") not in self.hosts:
            return PlainTextResponse("refused: this review server answers only to its own address", 400)
        if settings.token is not None:
            given = request.query_params.get("token")
            if _same(given, settings.token):
                target = request.url.path  # drop the token from the address bar and history
                response: Response = RedirectResponse(target, 303)
                response.set_cookie(TOKEN_COOKIE, settings.token, httponly=True, samesite="strict")
                return response
            if not _same(request.cookies.get(TOKEN_COOKIE), settings.token):
                return PlainTextResponse("refused: this review server needs its token; open the address "
                                         "thinktank printed when it started (…/?token=…)", 403)
        if request.method not in ("GET", "HEAD"):
            origin = request.headers.get("origin")
            if origin is not None and urlsplit(origin).netloc not in self.hosts:
                return JSONResponse({"error": "refused: the request came from another site"}, 403)
        return await call_next(request)


async def _form(request: Request, settings: Settings) -> dict[str, str]:
    """The POSTed form (urlencoded), once its CSRF token is ours; ``EditError`` otherwise."""
    body = await request.body()
    if len(body) > MAX_BODY:
        raise EditError(settings.translations_dir, f"the form is larger than {MAX_BODY} bytes")
    try:
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
    except UnicodeDecodeError:
        raise EditError(settings.translations_dir, "the form is not UTF-8") from None
    if not _same(form.get("csrf"), settings.csrf):
        raise _Forbidden()
    return form


class _Forbidden(Exception):
    """A POST without our CSRF token."""


def _counts(rows: list[PageStatus]) -> dict[str, int]:
    return {state: sum(getattr(row, state) for row in rows) for state in STATES}


def _matches(page: PageStatus, state: str) -> bool:
    if state == "reviewed":
        return page.reviewed == page.total
    return state not in STATES or getattr(page, state) > 0


def create_app(settings: Settings) -> Starlette:
    """The editor for ``settings``' docs and translations (one process serves one site)."""

    async def dashboard(request: Request) -> Response:
        lang = request.query_params.get("lang", "")
        state = request.query_params.get("state", "")
        pages = status(settings.docs_dir, settings.translations_dir, settings.langs)
        shown = [page for page in pages if (not lang or page.lang == lang) and (not state or _matches(page, state))]
        return _render("dashboard.html", pages=shown, langs=settings.langs, states=STATES, lang=lang, state=state,
                       totals={code: _counts([p for p in pages if p.lang == code]) for code in settings.langs},
                       reviewer=settings.reviewer)

    async def editor(request: Request) -> Response:
        lang, uri = request.path_params["lang"], request.path_params["uri"]
        try:
            path = check_page(settings.docs_dir, settings.translations_dir, settings.langs, lang, uri)
            rows = editor_rows(settings.docs_dir, settings.translations_dir, lang, uri)
            shown = preview(settings.docs_dir, settings.translations_dir, lang, uri)
            page = next(p for p in status(settings.docs_dir, settings.translations_dir, [lang]) if p.uri == uri)
        except ThinktankError as error:
            return _render("error.html", 404 if isinstance(error, EditError) else 500, message=str(error),
                           reviewer=settings.reviewer)
        shown_path = path.relative_to(settings.translations_dir.parent)  # as the reviewer's project names it
        return _render("editor.html", lang=lang, uri=uri, rows=rows, preview=shown, page=page, csrf=settings.csrf,
                       catalog=shown_path, reviewer=settings.reviewer, langs=settings.langs)

    async def save(request: Request) -> Response:
        try:
            form = await _form(request, settings)
            action = Action(form.get("action", ""))
        except _Forbidden:
            return JSONResponse({"error": "refused: the form has no valid CSRF token; reload the page"}, 403)
        except ValueError:
            return JSONResponse({"error": "unknown action"}, 400)
        except EditError as error:
            return JSONResponse({"error": str(error)}, 400)
        lang, uri, msgid = form.get("lang", ""), form.get("uri", ""), form.get("msgid", "")
        try:
            saved = apply(settings.docs_dir, settings.translations_dir, settings.langs, lang, uri, msgid,
                          form.get("msgstr", ""), action, form.get("version", ""), settings.reviewer,
                          wait=settings.lock_wait)
        except EditConflict as conflict:
            return JSONResponse({"error": str(conflict), "conflict": True, "theirs": conflict.theirs,
                                 "version": conflict.version}, 409)
        except LockedError as error:
            return JSONResponse({"error": f"{error}; your text is still in the form"}, 423)
        except ThinktankError as error:
            return JSONResponse({"error": str(error)}, 400)
        entry = saved.entry
        rows = [row for row in editor_rows(settings.docs_dir, settings.translations_dir, lang, uri)
                if row.row.msgid == msgid]
        row = rows[0] if rows else None
        return JSONResponse({
            "ok": True, "written": saved.written, "version": entry_version(entry), "msgstr": entry.msgstr,
            "state": "needs-work" if needs_work(entry) else (row.row.state.value if row else EntryState.DRAFT.value),
            "problems": [f"qa ({p.severity.value}): {p.message}" for p in row.row.problems] if row else [],
            "provenance": row.provenance_lines() if row else [],
            "counts": {"reviewed": saved.status.reviewed, "draft": saved.status.draft, "stale": saved.status.stale,
                       "untranslated": saved.status.untranslated, "total": saved.status.total},
        })

    async def live_preview(request: Request) -> Response:
        try:
            form = await _form(request, settings)
            lang, uri = form.get("lang", ""), form.get("uri", "")
            check_page(settings.docs_dir, settings.translations_dir, settings.langs, lang, uri)
            msgid = form.get("msgid")
            overrides = {msgid: form.get("msgstr", "")} if msgid else {}
            shown = preview(settings.docs_dir, settings.translations_dir, lang, uri, overrides)
        except _Forbidden:
            return JSONResponse({"error": "refused: the form has no valid CSRF token; reload the page"}, 403)
        except ThinktankError as error:
            return JSONResponse({"error": str(error)}, 400)
        return JSONResponse({"title": shown.title, "html": shown.html})

    static = Path(__file__).parent / "static"
    return Starlette(routes=[
        Route("/", dashboard),
        Route("/edit/{lang}/{uri:path}", editor),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/api/save", save, methods=["POST"]),
        Route("/api/preview", live_preview, methods=["POST"]),
        Mount("/static", StaticFiles(directory=static), name="static"),
    ], middleware=[Middleware(Guard, settings=settings)])
