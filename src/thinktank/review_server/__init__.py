"""``thinktank review --serve``: a local browser editor for translation drafts.

``editing`` is the pure logic of a reviewer's save (versions, approve, needs
work, the lock), ``view`` what the editor shows (rows, diffs, preview),
``app`` the Starlette app with its safety checks, and :func:`serve` runs it
with uvicorn. The CLI calls :func:`serve`.
"""

from __future__ import annotations

import getpass
import ipaddress
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ThinktankError

if TYPE_CHECKING:
    from .app import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


class ServeError(ThinktankError):
    """The editor cannot be started as asked (nothing was served)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def settings_for(docs_dir: Path, translations_dir: Path, langs: list[str], *, host: str = DEFAULT_HOST,
                 port: int = DEFAULT_PORT, reviewer: str | None = None, token: str | None = None) -> Settings:
    """The app's settings, once the request is safe: any address but loopback needs a token."""
    from .app import Settings

    if not is_loopback(host) and not token:
        raise ServeError(Path(host), "is not a loopback address: anyone who can reach it could edit the "
                                     "catalogs; give --token SECRET too (or serve on 127.0.0.1)")
    if token is not None and len(token) < 12:
        raise ServeError(Path("--token"), "is shorter than 12 characters; use a long random one")
    if not docs_dir.is_dir():
        raise ServeError(docs_dir, "no such folder")
    name = (reviewer or default_reviewer()).strip()
    if not name or "\n" in name:
        raise ServeError(Path("--reviewer"), "give a name on one line (it becomes the PO Last-Translator)")
    return Settings(docs_dir, translations_dir, langs, name, host, port, token)


def serve(docs_dir: Path, translations_dir: Path, langs: list[str], *, host: str = DEFAULT_HOST,
          port: int = DEFAULT_PORT, reviewer: str | None = None, token: str | None = None,
          page: str | None = None, lock_wait: float | None = None) -> int:
    """Serve the editor until interrupted; prints the address to open (with the token, if any)."""
    import uvicorn

    from .app import create_app

    settings = settings_for(docs_dir, translations_dir, langs, host=host, port=port, reviewer=reviewer, token=token)
    if lock_wait is not None:
        settings.lock_wait = lock_wait
    shown = f"[{host}]" if ":" in host else host
    path = f"/edit/{langs[0]}/{page}" if page and langs else "/"
    query = f"?token={token}" if token else ""
    print(f"review editor: http://{shown}:{port}{path}{query}  (Ctrl+C to stop)", file=sys.stderr, flush=True)
    uvicorn.run(create_app(settings), host=host.strip("[]"), port=port, log_level="warning")  # type: ignore[arg-type]
    return 0


def new_token() -> str:
    return secrets.token_urlsafe(24)
