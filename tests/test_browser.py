"""A reader's visit, in a real browser against a real web server.

The committed site is deployed with ``thinktank deploy``, served by nginx on
a free 127.0.0.1 port, and driven by Playwright in Debian's Chromium. On a
machine without them these tests skip and name the package to install; under
CI (``CI=true``) a missing piece is a failure, so CI cannot skip them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site deployed under a temp folder and served by nginx; yields its base URL."""
    _require(shutil.which("nginx") is not None, "nginx")
    from thinktank import deploy

    work = tmp_path_factory.mktemp("nginx")
    repo = copy_site_sources(work / "repo")
    deploy.deploy_to(work / "www", repo / "mkdocs.yml")
    port = _free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, work=work, port=port, root=work / "www" / "current"), encoding="utf-8")
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(work)], stderr=subprocess.PIPE)
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


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
