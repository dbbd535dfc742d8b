"""A first visit does not download the search index; opening search does (issue 12).

At 1,000 analyses a language's index is 10–23 MB, so an article page that
fetched it on load would weigh megabytes whatever its own size. This is the
structural half of the first-visit target: the requests an article page makes
before search is opened hold no search index, and opening search fetches the
page's own language's index. The bytes themselves are measured by
``scripts/bench_weight.py`` (``make bench``), not here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_browser import ANKASAM, nginx, public_dir

INDEX = "search/search_index.json"
PREFIXES = {"en": "", "tr": "tr/", "ru": "ru/"}


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    """The committed site, built once per session, served by nginx with README's block."""
    with public_dir("thinktank-weight-") as work:
        shutil.copytree(built_site, work / "site")
        with nginx(work / "site", work / "nginx") as (url, _master):
            yield url


@pytest.fixture
def visit(browser) -> Iterator[tuple[object, list[str]]]:
    """A fresh page (empty cache, as on a first visit) and the URLs of every request it makes."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    yield page, requests
    context.close()


@pytest.mark.parametrize("lang", list(PREFIXES))
def test_an_article_fetches_no_search_index_until_search_is_opened(site_url: str, visit, lang: str) -> None:
    page, requests = visit
    page.goto(f"{site_url}/{PREFIXES[lang]}{ANKASAM}")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # anything Material starts after load has started by now
    assert len(requests) > 3, requests  # the page's styles and scripts were seen
    assert not [url for url in requests if INDEX in url], f"a first visit fetched the search index: {requests}"
    with page.expect_request(lambda request: INDEX in request.url) as fetched:
        page.click("input.md-search__input")
    assert fetched.value.url == f"{site_url}/{PREFIXES[lang]}{INDEX}"  # the page's own language's index
    page.keyboard.type("Korea")
    page.locator(".md-search-result__item").first.wait_for()


def test_the_header_magnifier_and_the_keyboard_shortcut_open_search_too(site_url: str, visit) -> None:
    """The ways a reader opens search on a narrow screen (the header's magnifier label) and with the "/" key."""
    page, requests = visit
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(f"{site_url}/tr/{ANKASAM}")
    page.wait_for_load_state("networkidle")
    with page.expect_request(lambda request: INDEX in request.url):
        page.click("label.md-header__button[for=__search]")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/ru/{ANKASAM}")
    page.wait_for_load_state("networkidle")
    assert sum(INDEX in url for url in requests) == 1
    with page.expect_request(lambda request: INDEX in request.url):
        page.keyboard.press("/")


def test_a_page_opened_from_a_search_result_fetches_the_index_to_highlight(site_url: str, visit) -> None:
    """search.highlight marks the words searched for (``?h=``); it needs the index, so such a page loads it."""
    page, _requests = visit
    with page.expect_request(lambda request: INDEX in request.url):
        page.goto(f"{site_url}/{ANKASAM}?h=korea")
    page.locator("mark[data-md-highlight]").first.wait_for()
