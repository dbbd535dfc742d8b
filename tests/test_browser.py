"""A reader's visit, in a real browser against a real web server.

The committed site is deployed with ``thinktank deploy``, served by nginx on
a free 127.0.0.1 port, and driven by Playwright in Debian's Chromium. On a
machine without them these tests skip and name the package to install; under
CI (``CI=true``) a missing piece is a failure, so CI cannot skip them.

nginx's workers run as ``nobody`` when the tests run as root, as in
production, so the deployed tree must be readable by an unprivileged user:
it lives in a folder of its own under the system temp dir (pytest's are
0700), and a crawl fetches every file of it.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT, copy_site_sources

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ANKASAM = "analyses/background-of-russia-north-korea-cooperation/"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-gpu", "--disable-sync"]


def _require(available: bool, what: str) -> None:
    if not available:
        message = f"{what} not found: apt-get install {what}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


NGINX_CONF = """
{user}
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {work}/access.log;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        error_page 404 /404.html;
        location / {{ try_files $uri $uri/ =404; }}
    }}
}}
"""


@contextmanager
def public_dir(prefix: str) -> Iterator[Path]:
    """A fresh folder an unprivileged web server can enter (0755, parents o+x); removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        path.chmod(0o755)
        closed = [parent for parent in path.parents if not parent.stat().st_mode & stat.S_IXOTH]
        if closed:
            pytest.fail(f"{closed[0]} is not searchable by other users; set TMPDIR to a folder that is")
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def nginx(root: Path, work: Path) -> Iterator[tuple[str, int]]:
    """nginx serving ``root`` on a free port, workers unprivileged (``nobody``) when run as root.

    Yields its URL and the master's pid (the workers are its children).
    """
    _require(shutil.which("nginx") is not None, "nginx")
    port = _free_port()
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, work=work, port=port, root=root), encoding="utf-8")
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(work)], stderr=subprocess.PIPE)
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


@dataclass(frozen=True)
class Served:
    url: str
    root: Path
    """The folder nginx serves (the deployed ``current`` release)."""
    master: int
    """nginx's master process."""

    def worker_users(self) -> list[str]:
        ps = subprocess.run(["ps", "-o", "user=", "--ppid", str(self.master)], capture_output=True, text=True)
        return ps.stdout.split()


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    """The committed site deployed with ``thinktank deploy`` and served by nginx."""
    _require(shutil.which("nginx") is not None, "nginx")
    from thinktank import deploy

    with public_dir("thinktank-browser-") as work:
        repo = copy_site_sources(work / "repo")
        deploy.deploy_to(work / "www", repo / "mkdocs.yml")
        root = work / "www" / "current"
        with nginx(root, work / "nginx") as (url, master):
            yield Served(url, root, master)


@pytest.fixture(scope="module")
def server(served: Served) -> str:
    """The base URL of the served committed site."""
    return served.url


def fetch(url: str) -> tuple[int, bytes]:
    """Status and body of a GET, without any proxy from the environment."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def crawl(site: Served) -> tuple[int, list[str]]:
    """Fetch every file under the served root; the number fetched and what was not served as on disk."""
    files = sorted(path for path in site.root.rglob("*") if path.is_file())
    failures = []
    for path in files:
        relative = path.relative_to(site.root).as_posix()
        status, body = fetch(f"{site.url}/{urllib.parse.quote(relative)}")
        if status != 200 or body != path.read_bytes():
            failures.append(f"{relative}: {status}")
    return len(files), failures


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {process.stderr.read().decode() if process.stderr else ''}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("nginx did not start listening within 10 s")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _require(Path(CHROMIUM).exists(), "chromium")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def test_every_deployed_file_is_served_to_an_unprivileged_worker(served: Served) -> None:
    count, failures = crawl(served)
    assert count > 50 and failures == [], failures[:10]
    if os.geteuid() == 0:  # the workers really are nobody's, not root's
        assert set(served.worker_users()) == {"nobody"}, served.worker_users()


def test_reader_switches_language_and_follows_a_note_both_ways(page, server) -> None:
    page.goto(server + "/")
    assert "Eurasia Policy Review" in page.title()
    page.hover(".md-header__option .md-select > button")
    page.click('a.md-select__link[hreflang="tr"]')
    page.wait_for_url(server + "/tr/")
    page.click('.tt-card h3 a:has-text("Rusya-Kuzey Kore İşbirliğinin Arka Planı")')
    page.wait_for_url(server + "/tr/" + ANKASAM)
    assert page.inner_text("h1") == "Rusya-Kuzey Kore İşbirliğinin Arka Planı"

    page.click('a.footnote-ref[href="#fn:3"]')
    page.wait_for_url("**#fn:3")
    note = page.locator("#fn\\:3")
    assert "Politico" in note.inner_text() and _in_viewport(page, note)
    note.locator("a.footnote-backref").click()
    page.wait_for_url("**#fnref:3")
    assert _in_viewport(page, page.locator("#fnref\\:3"))

    page.hover(".md-header__option .md-select > button")
    page.click('a.md-select__link[hreflang="ru"]')
    page.wait_for_url(server + "/ru/" + ANKASAM)
    assert page.inner_text("h1") == "Предпосылки сотрудничества России и КНДР"


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] < height and box["y"] + box["height"] > 0


@pytest.mark.parametrize(("lang", "query", "expected"), [
    ("ru", "сотрудничество", "/ru/analyses/"),
    ("tr", "işbirliği", "/tr/analyses/"),
])
def test_search_finds_words_of_the_page_language(page, server, lang: str, query: str, expected: str) -> None:
    page.goto(f"{server}/{lang}/")
    page.wait_for_load_state("networkidle")  # the search index has arrived
    page.click("input.md-search__input")
    page.keyboard.type(query)
    # Playwright types letters missing from a US keyboard as text input, with no
    # key-up event, and Material's search listens for key-up; a reader's own
    # keyboard sends one with every letter. Press End to send it.
    page.keyboard.press("End")
    result = page.locator(f'.md-search-result__item a[href*="{expected}"] >> visible=true').first
    result.wait_for()
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    assert hrefs and all(f"/{lang}/" in href for href in hrefs), f"results from another language: {hrefs}"


def test_unknown_url_gets_the_404_page(page, server) -> None:
    response = page.goto(server + "/no/such/analysis/")
    assert response is not None and response.status == 404
    text = page.inner_text("article")
    assert "404" in text and "This page does not exist" in text
    assert "Bu sayfa bulunamadı" in text and "Такой страницы нет" in text
    page.click('a[hreflang="tr"]:has-text("Ana sayfaya dönün")')
    page.wait_for_url(server + "/tr/")


def test_screenshots_of_an_article_in_each_language(page, server) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("", "tr/", "ru/"):
        page.goto(f"{server}/{lang}{ANKASAM}")
        path = ARTIFACTS / f"article-{lang.strip('/') or 'en'}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
