"""What the review editor's tests share: a small site with a stale and a hostile entry, and a running server.

The site is the committed one (docs/, translations/, mkdocs.yml), changed so
that every state the editor shows occurs: the Russia–North Korea analysis
gets a reviewed entry whose source is then edited and re-translated (a
*stale* entry with its ``#|`` previous msgid), ``about.md`` gets a hostile
msgstr and a paragraph whose source is hostile, and a new paragraph with no
entry (*untranslated*). The server runs as ``python -m thinktank.review_server``
in its own process, as ``thinktank review --serve`` would.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from thinktank import catalog
from thinktank import po as po_file
from thinktank.engines import get_engine
from thinktank.translation import translate

from .conftest import copy_site_sources

STALE_PAGE = "analyses/north-korea-strengthens-cooperation-with-russia.md"
HOSTILE_PAGE = "about.md"
HOSTILE_MSGSTR = '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2"> **Hakkımızda**'
HOSTILE_SOURCE = 'A note for editors: <script>window.__pwned = 3</script> is shown, never run.'
NEW_PARAGRAPH = "This paragraph was added after the last translation run."
REVIEWER = "Ayşe Yılmaz <ayse@example.org>"


def entry(path: Path, msgid: str) -> object:
    """The live entry of ``msgid`` in the catalog at ``path`` (read as msgfmt reads it)."""
    for item in po_file.read(path):
        if item.msgid == msgid and not item.obsolete:
            return item
    raise AssertionError(f"{path}: no entry {msgid[:40]!r}")


def make_site(work: Path) -> Path:
    """The committed site in ``work``, with a stale, a hostile and an untranslated entry (see the docstring)."""
    copy_site_sources(work)
    docs, translations = work / "docs", work / "translations"
    # A reviewed entry whose source is then edited: translate makes it stale (#| previous msgid).
    path = catalog.catalog_path(translations, "tr", STALE_PAGE)
    po = po_file.read(path)
    target = next(item for item in po if item.msgid.startswith("North Korea closed its borders"))
    target.flags.remove("fuzzy")
    catalog.save(po, path)
    page = docs / STALE_PAGE
    text = page.read_text(encoding="utf-8")
    old = target.msgid.split("\n")[0]
    assert old in text
    page.write_text(text.replace(old, old.replace("in January 2020", "in late January 2020", 1), 1), encoding="utf-8")
    # A hostile msgstr, a hostile source paragraph and a paragraph without a translation.
    about = docs / HOSTILE_PAGE
    about.write_text(about.read_text(encoding="utf-8").replace(
        "## What we publish", f"{HOSTILE_SOURCE}\n\n{NEW_PARAGRAPH}\n\n## What we publish"), encoding="utf-8")
    translate(docs, translations, ["tr", "ru"], get_engine("pseudo"), [docs / STALE_PAGE, about])
    path = catalog.catalog_path(translations, "tr", HOSTILE_PAGE)
    po = po_file.read(path)
    next(item for item in po if item.msgid == "About").msgstr = HOSTILE_MSGSTR
    new = next(item for item in po if item.msgid == NEW_PARAGRAPH)
    po.remove(new)  # untranslated: no entry at all
    catalog.save(po, path)
    return work


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str
    site: Path
    token: str | None

    @property
    def docs(self) -> Path:
        return self.site / "docs"

    @property
    def translations(self) -> Path:
        return self.site / "translations"

    def po(self, lang: str, uri: str) -> Path:
        return catalog.catalog_path(self.translations, lang, uri)


@contextmanager
def running_server(site: Path, *, token: str | None = None, lock_wait: float = 0.3) -> Iterator[Server]:
    """``python -m thinktank.review_server`` on a free loopback port, stopped afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "thinktank.review_server", "--docs-dir", str(site / "docs"),
               "--translations-dir", str(site / "translations"), "--lang", "tr,ru", "--port", str(port),
               "--reviewer", REVIEWER, "--lock-wait", str(lock_wait)]
    if token:
        command += ["--token", token]
    process = subprocess.Popen(command, cwd=site, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise AssertionError(f"the review server exited: {process.stderr.read() if process.stderr else ''}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise AssertionError("the review server did not listen within 20 s")
            time.sleep(0.05)
        yield Server(f"http://127.0.0.1:{port}", site, token)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


@dataclass(frozen=True)
class Reply:
    status: int
    body: str
    headers: dict[str, str]


def request(url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> Reply:
    """GET (or POST a urlencoded form), without proxies or redirects followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    prepared = urllib.request.Request(url, body, headers or {})
    try:
        with opener.open(prepared, timeout=20) as response:
            return Reply(response.status, response.read().decode(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read().decode(), dict(error.headers))
