"""Listings paginate in every language: /analyses/, /analyses/page/2/, ...; author pages too."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from thinktank import pagination, topics
from thinktank.pagination import Position

ROOT = Path(__file__).resolve().parent.parent
PER_PAGE = 2


def test_page_addresses_keep_the_first_page_and_put_the_rest_beside_it() -> None:
    assert pagination.page_uri("analyses/index.md", 1) == "analyses/index.md"
    assert pagination.page_uri("analyses/index.md", 2) == "analyses/page/2.md"
    assert pagination.page_uri("authors/ada.md", 3) == "authors/ada/page/3.md"
    assert [p.number for p in pagination.pages_of("analyses/index.md", 41, 20)] == [1, 2, 3]
    assert pagination.pages_of("analyses/index.md", 0, 20) == [Position("analyses/index.md", 1, 1)]
    items = list(range(45))
    shown = [pagination.window(items, p, 20) for p in pagination.pages_of("a/index.md", 45, 20)]
    assert sum(shown, []) == items


@pytest.mark.parametrize(("lang", "words"), [("en", "Page 2 of 3"), ("tr", "Sayfa 2 / 3"),
                                             ("ru", "Страница 2 из 3")])
def test_the_pager_speaks_the_page_language_and_links_both_ways(lang: str, words: str) -> None:
    nav = pagination.pager(Position("analyses/index.md", 2, 3), lang)
    assert words in nav
    assert '<a class="tt-prev" href="../../" rel="prev">' in nav and '<a class="tt-next" href="../3/" rel="next">' in nav
    assert pagination.pager(Position("analyses/index.md", 1, 1), lang) == ""
    assert "rel=prev" not in pagination.pager(Position("analyses/index.md", 1, 2), lang)


SHARED = "Shared Topic"


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive of scripts/archive.py (5 analyses) built with two articles a page."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import archive

    work = tmp_path_factory.mktemp("paged")
    config = archive.make_archive(work / "site-src", 5)
    for page in (config.parent / "docs" / "analyses").glob("*.md"):  # one topic all 7 analyses share
        text = page.read_text(encoding="utf-8")
        if "\ntags:\n" in text:
            page.write_text(text.replace("\ntags:\n", f"\ntags:\n- {SHARED}\n", 1), encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"^  - thinktank$", f"  - thinktank:\n      per_page: {PER_PAGE}", text, flags=re.M),
                      encoding="utf-8")
    env = {**os.environ, "THINKTANK_PDF": "0", "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(work / "site")],
                   check=True, env=env)
    return work / "site"


@pytest.mark.parametrize(("prefix", "words"), [("", "Page {} of 4"), ("tr/", "Sayfa {} / 4"),
                                               ("ru/", "Страница {} из 4")])
def test_every_language_pages_the_analyses_and_lists_each_article_once(paged_site: Path, prefix: str,
                                                                        words: str) -> None:
    # 7 analyses: the archive's 5 and the site's 2 seeds, two a page.
    pages = [paged_site / prefix / "analyses" / "index.html"] + [
        paged_site / prefix / "analyses" / "page" / str(n) / "index.html" for n in (2, 3, 4)]
    listed: list[str] = []
    for number, page in enumerate(pages, start=1):
        html = page.read_text(encoding="utf-8")
        assert words.format(number) in html
        cards = re.findall(r'<article class="tt-card">.*?<a href="([^"]+)"', html, flags=re.S)
        assert len(cards) == (PER_PAGE if number < 4 else 1)
        listed += [(page.parent / href).resolve().as_posix() for href in cards]
        before = {2: "../../", 3: "../2/", 4: "../3/"}.get(number)
        after = {1: "page/2/", 2: "../3/", 3: "../4/"}.get(number)
        block = re.search(r'((?:<link rel="(?:prev|next)" href="[^"]+">)*)</head>', html)
        assert block is not None  # the pager's links close the head (Material's own are the nav's)
        found = dict(re.findall(r'<link rel="(prev|next)" href="([^"]+)">', block.group(1)))
        assert found.get("prev") == before and found.get("next") == after
    assert not (paged_site / prefix / "analyses" / "page" / "5").exists()
    assert len(set(listed)) == len(listed) == 7
    assert all(Path(target, "index.html").exists() for target in listed)


def test_author_pages_paginate_and_search_finds_articles_not_listing_pages(paged_site: Path) -> None:
    authors = sorted((paged_site / "ru" / "authors").glob("*/page/2/index.html"))
    assert authors and "Страница 2 из" in authors[0].read_text(encoding="utf-8")
    index = json.loads((paged_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert not [loc for loc in locations if "/page/" in loc]
    assert any(loc.startswith("analyses/0000") for loc in locations)


def test_the_feed_and_sitemap_still_list_every_article(paged_site: Path) -> None:
    for prefix in ("", "tr/"):
        feed = (paged_site / prefix / "feed.xml").read_text(encoding="utf-8")
        assert feed.count("<item>") == 7
    sitemap = (paged_site / "tr" / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("/tr/analyses/0000") == 5


@pytest.mark.parametrize(("prefix", "title"), [("", "Topic: Shared Topic"), ("tr/", "Konu: Shared Topic"),
                                               ("ru/", "Тема: Shared Topic")])
def test_a_topic_has_its_own_paginated_page_in_every_language(paged_site: Path, prefix: str, title: str) -> None:
    folder = paged_site / prefix / "topics" / "shared-topic"
    pages = [folder / "index.html"] + [folder / "page" / str(n) / "index.html" for n in (2, 3, 4)]
    listed: list[str] = []
    for number, page in enumerate(pages, start=1):
        html = page.read_text(encoding="utf-8")
        assert f"<title>{title} - " in html and f">{title}<" in html
        cards = re.findall(r'<article class="tt-card">.*?<a href="([^"]+)"', html, flags=re.S)
        listed += [(page.parent / href).resolve().as_posix() for href in cards]
        found = dict(re.findall(r'<link rel="(prev|next)" href="([^"]+)">', html))
        assert found.get("prev") == {2: "../../", 3: "../2/", 4: "../3/"}.get(number)
        assert "tt-status" not in html  # made from the library in the page's language: nothing to translate
    assert len(set(listed)) == len(listed) == 7 and all(Path(target, "index.html").exists() for target in listed)
    article = (paged_site / prefix / "analyses" / "00000-background-of-russia-north-korea-cooperation" / "index.html")
    assert 'class="tt-tag" href="../../topics/shared-topic/"' in article.read_text(encoding="utf-8")


def test_the_topics_page_shows_a_topics_latest_and_links_to_the_rest(paged_site: Path) -> None:
    html = (paged_site / "tr" / "topics" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="shared-topic"'):]
    section = section[:section.index("<h2")] if "<h2" in section else section
    assert section.count("<li>") == topics.ON_INDEX
    assert '<a href="shared-topic/">Bu konudaki tüm analizler (7)</a>' in section


def test_the_root_sitemap_lists_every_generated_page_in_every_language(paged_site: Path) -> None:
    sitemap = (paged_site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>https://example\.org/([^<]*)</loc>", sitemap)
    assert len(locations) == len(set(locations))
    for path in locations:
        assert (paged_site / path / "index.html").exists(), path
    for prefix in ("", "tr/", "ru/"):
        for generated in ("analyses/page/4/", "topics/shared-topic/", "topics/shared-topic/page/4/"):
            assert prefix + generated in locations
        authors = [p.parent.relative_to(paged_site).as_posix() + "/"
                   for p in (paged_site / prefix / "authors").glob("*/page/*/index.html")]
        assert authors and set(authors) <= set(locations)
