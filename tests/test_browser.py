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
import re
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
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
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


NGINX_FRAME = """
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
{server}
}}
"""


def readme_server_block() -> str:
    """The ``server { ... }`` block README's "Publishing" section shows, so the tests serve what users are told to."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("\n## Publishing\n"):]
    match = re.search(r"```nginx\n(server \{.*?\n\})\n```", section, re.S)
    assert match, "README's Publishing section has no nginx server block"
    return match.group(1)


def nginx_conf(root: Path, work: Path, port: int, user: str) -> str:
    """README's server block with this test's port and root, in a frame that keeps nginx's files in ``work``."""
    server = readme_server_block()
    for directive, value in (("listen", f"127.0.0.1:{port}"), ("root", str(root))):
        server, count = re.subn(rf"^(\s*){directive} [^;]+;", rf"\g<1>{directive} {value};", server, count=1, flags=re.M)
        assert count == 1, f"README's server block has no {directive} directive"
    server = re.sub(r"^\s*server_name [^;]+;\n", "", server, flags=re.M)
    return NGINX_FRAME.format(user=user, work=work, server=server)


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
def nginx(root: Path, work: Path, port: int | None = None) -> Iterator[tuple[str, int]]:
    """nginx serving ``root`` on ``port`` (a free one by default) with README's configuration, workers
    unprivileged (``nobody``) when run as root.

    Yields its URL and the master's pid (the workers are its children).
    """
    _require(shutil.which("nginx") is not None, "nginx")
    port = port or _free_port()
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(nginx_conf(root, work, port, user), encoding="utf-8")
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
        port = _free_port()
        served_at(repo / "mkdocs.yml", f"http://127.0.0.1:{port}/")
        _cite_a_web_source(repo / "docs" / (ANKASAM.rstrip("/") + ".md"))
        _require(shutil.which("weasyprint") is not None, "weasyprint")  # the PDFs are part of what is served
        _require(shutil.which("pdftotext") is not None, "poppler-utils")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("THINKTANK_PDF", "true")  # conftest turns PDFs off for other builds
            deploy.deploy_to(work / "www", repo / "mkdocs.yml")
        root = work / "www" / "current"
        with nginx(root, work / "nginx", port) as (url, master):
            yield Served(url, root, master)


NOTE_URL = "https://www.politico.eu/article/putin-north-korea-visit/"


def _cite_a_web_source(page: Path) -> None:
    """Note 3 of the ANKASAM article gains the URL of its source (the seed's notes cite none): in every
    language the note is then shown from the English text, whose address must be a link."""
    text, count = re.subn(r"^(\[\^3\]: .*?)\.?$", rf"\1, {NOTE_URL}", page.read_text(encoding="utf-8"), count=1,
                          flags=re.M)
    assert count == 1, "the article has no note 3"
    page.write_text(text, encoding="utf-8")


def served_at(config: Path, url: str) -> None:
    """Set ``site_url`` to where the test serves the site, as a deployment does, so absolute links stay on it."""
    text, count = re.subn(r"^site_url: .*$", f"site_url: {url}", config.read_text(encoding="utf-8"), count=1,
                          flags=re.M)
    assert count == 1, "mkdocs.yml has no site_url line"
    config.write_text(text, encoding="utf-8")


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


@pytest.mark.parametrize("path", ["/sitemap.xml", "/tr/feed.xml", "/ru/search/search_index.json",
                                  "/assets/stylesheets/" ])
def test_readmes_server_block_compresses_what_every_visit_loads(server, path: str) -> None:
    """Material fetches the sitemap on every page; Debian's nginx serves .xml as text/xml, which the README's
    gzip_types once left out (the English first visit then weighed 1.9 MB at 1,000 articles)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    if path.endswith("/"):  # a stylesheet of Material's, whatever its hashed name
        status, body = fetch(server + "/")
        path = re.search(r'href="(?:\./|/)?(assets/stylesheets/main\.[^"]+\.css)"', body.decode()).group(1)
        path = "/" + path
    request = urllib.request.Request(server + path, headers={"Accept-Encoding": "gzip"})
    with opener.open(request, timeout=10) as response:
        assert response.status == 200 and response.headers.get("Content-Encoding") == "gzip", \
            (path, response.headers.get("Content-Type"))


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


@pytest.mark.parametrize("lang, note", [("", "Politico"), ("tr/", "Politico"), ("ru/", "Politico")])
def test_a_note_links_its_source_and_the_pdf_holds_the_notes(page, server, lang: str, note: str,
                                                             tmp_path: Path) -> None:
    page.goto(server + "/" + lang + ANKASAM)
    source = page.locator(f"#fn\\:3 a[href='{NOTE_URL}']")
    assert source.count() == 1 and source.inner_text() == NOTE_URL, "note 3 does not link its source"
    link = page.locator(".tt-pdf a")
    assert link.count() == 1, "no Download PDF link"
    pdf_url = urllib.parse.urljoin(page.url, link.get_attribute("href"))
    with page.expect_download() as download_info:
        link.click()
    saved = tmp_path / "article.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF"), pdf_url
    status, _ = fetch(pdf_url)
    assert status == 200
    text = subprocess.run(["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True).stdout
    assert note in text and page.inner_text("h1").split()[0] in text


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
    page.wait_for_load_state("networkidle")  # the index is fetched when the field gets focus (tests/test_search_weight.py)
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


NOT_FOUND = {  # language prefix: (lang attribute, its text, its home link, a menu label)
    "": ("en", "This page does not exist", "Go to the home page", "Analyses"),
    "tr/": ("tr", "Bu sayfa bulunamadı", "Ana sayfaya dönün", "Analizler"),
    "ru/": ("ru", "Такой страницы нет", "Перейти на главную", "Аналитика"),
}


@pytest.mark.parametrize("prefix", list(NOT_FOUND))
def test_each_language_has_its_own_404_page(page, server, prefix: str) -> None:
    """Under each prefix nginx serves that language's 404: its lang, words and menus, a feed link that works."""
    lang, text, home, menu = NOT_FOUND[prefix]
    response = page.goto(f"{server}/{prefix}no/such/analysis/")
    assert response is not None and response.status == 404
    assert page.get_attribute("html", "lang") == lang
    body = page.inner_text("article")
    assert "404" in body and text in body
    assert not [other for other in NOT_FOUND.values() if other[0] != lang and other[1] in body]
    assert page.locator(f'.md-tabs a:has-text("{menu}")').count() == 1
    feed = page.get_attribute('link[type="application/rss+xml"]', "href")
    assert feed == f"/{prefix}feed.xml"
    status, document = fetch(f"{server}{feed}")
    assert status == 200 and ET.fromstring(document).find("channel/language").text == lang
    page.click(f'article a:has-text("{home}")')
    page.wait_for_url(f"{server}/{prefix}")


def html_pages(site: Served) -> list[str]:
    """Every page of every language of the deployed site, as a URL path (``/tr/about/``, ``/tr/404.html``)."""
    paths = []
    for path in site.root.rglob("*.html"):
        relative = path.relative_to(site.root)
        if path.name == "index.html":
            folder = relative.parent.as_posix()
            paths.append("/" if folder == "." else f"/{folder}/")
        else:
            paths.append(f"/{relative.as_posix()}")
    return sorted(paths)


@dataclass
class Visit:
    """What a page did while it loaded and settled: everything that counts as a problem."""

    status: int | None = None
    problems: list[str] = field(default_factory=list)


def visit_all(context, base: str, paths: list[str]) -> dict[str, Visit]:
    """Open every path in its own tab, then let every tab settle; note console errors, page errors,
    failed or refused requests and any request to another host."""
    origin = urllib.parse.urlsplit(base).netloc
    visits: dict[str, Visit] = {}
    tabs = []
    for path in paths:
        visit = visits[path] = Visit()
        tab = context.new_page()
        tab.on("console", lambda message, visit=visit: visit.problems.append(f"console {message.type}: {message.text}")
               if message.type in ("error", "warning") else None)
        tab.on("pageerror", lambda error, visit=visit: visit.problems.append(f"page error: {error}"))
        tab.on("requestfailed", lambda request, visit=visit: visit.problems.append(
            f"failed: {request.url} ({request.failure})"))

        def seen(response, visit=visit, path=path) -> None:
            if response.url == base + path:
                return
            if response.status >= 400:
                visit.problems.append(f"{response.status}: {response.url}")

        tab.on("response", seen)
        tab.on("request", lambda request, visit=visit: visit.problems.append(f"other host: {request.url}")
               if urllib.parse.urlsplit(request.url).netloc not in (origin, "") else None)
        response = tab.goto(base + path, wait_until="load")
        visit.status = response.status if response else None
        tabs.append(tab)
    for tab in tabs:
        tab.wait_for_load_state("networkidle")
        tab.close()
    return visits


def test_every_page_of_every_language_loads_cleanly(browser, served: Served) -> None:
    """Every page 200, no console error, no failed request, nothing from another host."""
    paths = html_pages(served)
    assert len(paths) >= 30 and {"/", "/tr/", "/404.html", "/tr/404.html", "/ru/404.html"} <= set(paths), paths
    context = browser.new_context()
    try:
        visits = visit_all(context, served.url, paths)
    finally:
        context.close()
    wrong = {path: visit.status for path, visit in visits.items()
             if visit.status != 200}
    assert wrong == {}, wrong
    problems = {path: visit.problems for path, visit in visits.items() if visit.problems}
    assert problems == {}, problems


def test_screenshots_of_an_article_in_each_language(page, server) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("", "tr/", "ru/"):
        page.goto(f"{server}/{lang}{ANKASAM}")
        path = ARTIFACTS / f"article-{lang.strip('/') or 'en'}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
