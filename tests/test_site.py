"""The English site as a reader sees it, built by ``mkdocs build --strict``."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ANKASAM = "analyses/background-of-russia-north-korea-cooperation"
PISM = "analyses/north-korea-strengthens-cooperation-with-russia"


@pytest.fixture
def site(built_site: Path) -> Path:
    return built_site


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")


def _page(site: Path, uri: str) -> str:
    return (site / uri / "index.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_home_lists_latest_analyses_with_authors_and_summary(site: Path) -> None:
    home = _text((site / "index.html").read_text(encoding="utf-8"))
    assert "Background of Russia-North Korea Cooperation" in home
    assert "North Korea Strengthens Cooperation with Russia" in home
    assert "Zeki Talustan Gülten" in home and "Oskar Pietrewicz" in home
    assert "Kim Jong Un's visit to Russia from 12 to 17 September" in home  # PISM lead as summary
    assert "Undated" in home  # no date was given; none is invented


def test_notes_are_linked_both_ways(site: Path) -> None:
    parser = _Links()
    parser.feed(_page(site, ANKASAM))
    for number in range(1, 7):
        assert f"fnref:{number}" in parser.ids and f"fn:{number}" in parser.ids
        assert f"#fn:{number}" in parser.hrefs and f"#fnref:{number}" in parser.hrefs


def test_article_has_byline_author_box_and_provenance(site: Path) -> None:
    html = _page(site, ANKASAM)
    box = html[html.index('class="tt-author-box"'):]
    assert "Zeki Talustan Gülten graduated from Yalova University" in box
    assert 'href="../../authors/zeki-talustan-gulten/"' in box
    assert html.index('class="footnote"') < html.index('class="tt-author-box"'), "notes belong above the author box"
    assert "Originally published by ANKASAM." in _text(html)
    assert "Similar Posts" not in html


def test_pism_article_shows_lead_run_in_headings_and_empty_bio_notice(site: Path) -> None:
    html = _page(site, PISM)
    assert re.search(r'<p class="tt-lead">Kim Jong Un', html)
    assert "<strong>Conclusions and Perspectives.</strong> North Korea" in html
    assert "<em>Marshal Shaposhnikov</em>" in html
    assert "the 70th anniversary" in html  # the authors' words, not typographic rewrites
    assert "No biography yet." in _text(html)


def test_author_pages_list_their_articles(site: Path) -> None:
    page = _text(_page(site, "authors/oskar-pietrewicz"))
    assert "PISM" in page and "No biography yet." in page
    assert "Analyses by Oskar Pietrewicz" in page and "North Korea Strengthens Cooperation with Russia" in page
    assert "Background of Russia-North Korea Cooperation" not in page
    index = _text(_page(site, "authors"))
    assert "Zeki Talustan Gülten, ANKASAM (1)" in index


def test_site_loads_nothing_from_other_hosts(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html


def test_topics_about_and_languages_exist(site: Path) -> None:
    topics = _page(site, "topics")
    assert 'id="north-korea"' in topics and "Military Cooperation" in topics
    assert "ANKASAM" in _text(_page(site, "about"))


def _resolve(site: Path, page: Path, href: str) -> Path:
    path = href.split("#")[0]
    target = (site / path.lstrip("/") if path.startswith("/") else page.parent / path).resolve() if path else page
    return target / "index.html" if target.is_dir() else target


def test_every_internal_link_and_anchor_resolves_in_every_language(site: Path) -> None:
    parsed: dict[Path, _Links] = {}

    def parse(page: Path) -> _Links:
        if page not in parsed:
            parsed[page] = _Links()
            parsed[page].feed(page.read_text(encoding="utf-8"))
        return parsed[page]

    pages = sorted(site.rglob("*.html"))
    assert {"tr", "ru"} <= {p.relative_to(site).parts[0] for p in pages}
    for page in pages:
        for href in parse(page).hrefs:
            if re.match(r"[a-z]+:|//", href):
                continue
            target = _resolve(site, page, href)
            assert target.exists(), f"{page.relative_to(site)} links to missing {href}"
            fragment = href.partition("#")[2]
            if fragment and target.suffix == ".html":
                assert fragment in parse(target).ids, f"{page.relative_to(site)}: no #{fragment} in {href}"


def test_each_404_page_speaks_its_language_and_switches_to_home_pages(site: Path) -> None:
    # issue 11: one 404 page per language (/404.html, /tr/404.html, /ru/404.html), served under each prefix.
    for prefix, text in (("", "This page does not exist"), ("tr/", "Bu sayfa bulunamadı"), ("ru/", "Такой страницы нет")):
        page = (site / prefix / "404.html").read_text(encoding="utf-8")
        assert text in page
        alternates = re.findall(r'<link rel="alternate" href="([^"]+)" hreflang', page)
        assert alternates == ["/", "/tr/", "/ru/"]


def test_every_hreflang_alternate_exists(site: Path) -> None:
    checked = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'<link rel="alternate ?" href="([^"]+)" hreflang="[a-z]{2}"', html):
            href = href.removeprefix("https://example.org")  # absolute since issue 11 (page_meta)
            assert _resolve(site, page, href).exists(), f"{page.relative_to(site)}: alternate {href} missing"
            checked += 1
    assert checked >= 3 * 3 * 9, "every page of every language names its three language versions"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert 'hreflang="ru" href="https://example.org/ru/analyses/north-korea-strengthens-cooperation-with-russia/"' in sitemap
    # Material's language switcher looks up the page in the other language's own sitemap.
    tr_sitemap = (site / "tr" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/tr/analyses/north-korea-strengthens-cooperation-with-russia/</loc>" in tr_sitemap
    assert "https://example.org/ru/" not in tr_sitemap


def test_a_note_cited_twice_links_both_ways_from_both_places(repo_copy: Path) -> None:
    from .conftest import build_site

    page = next((repo_copy / "docs" / "analyses").glob("background-*.md"))
    text = page.read_text(encoding="utf-8")
    first_paragraph_end = text.index("[^1]") + len("[^1]")
    page.write_text(text[:first_paragraph_end] + " (again[^1])" + text[first_paragraph_end:], encoding="utf-8")
    html = (build_site(repo_copy) / "analyses" / page.stem / "index.html").read_text(encoding="utf-8")
    assert html.count('href="#fn:1"') == 2
    assert 'href="#fnref:1"' in html and 'href="#fnref2:1"' in html


def test_a_home_page_title_names_the_site_once(built_site: Path) -> None:
    for home, name in (("", "Eurasia Policy Review"), ("tr/", "Avrasya Politika İncelemesi"),
                       ("ru/", "Евразийское политическое обозрение")):
        html = (built_site / home / "index.html").read_text(encoding="utf-8")
        assert f"<title>{name}</title>" in html, home


def test_no_placeholder_is_left_and_the_frame_is_not_what_search_finds(site: Path) -> None:
    """Every held fragment is back in its page. An analysis is found by its text, byline and lead, not by
    its credit, citation, its authors' bios or the titles of its related analyses (each article's entry would
    otherwise match every other's title and its author's bio); the bio is found on the author's page."""
    for page in site.rglob("*.html"):
        assert not re.search(r"tt[0-9a-f]{16}[xy]\d", page.read_text(encoding="utf-8")), page
    for index_file in site.rglob("search_index.json"):  # nor is a placeholder what search reads
        assert not re.search(r"tt[0-9a-f]{16}[xy]\d", index_file.read_text(encoding="utf-8")), index_file
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))

    def text_of(location: str) -> str:
        return " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(location))

    article = text_of("analyses/background-of-russia-north-korea-cooperation/")
    assert "Zeki Talustan Gülten" in article and "Putin" in article  # byline, text
    for boilerplate in ("Cite this analysis", "Related analyses", "Originally published by", "Yalova University",
                        "North Korea Strengthens Cooperation"):
        assert boilerplate not in article, boilerplate
    assert "Yalova University" in text_of("authors/zeki-talustan-gulten/")
    page = (site / "analyses" / "background-of-russia-north-korea-cooperation" / "index.html").read_text("utf-8")
    for shown in ("Cite this analysis", "Related analyses", "Originally published by", "Yalova University"):
        assert shown in page, shown


def test_an_article_without_notes_shows_no_place_marker(site: Path) -> None:
    """The PISM analysis has no notes: the footnotes extension then leaves its place marker as text."""
    for prefix in ("", "tr/", "ru/"):
        page = site / prefix / "analyses" / "north-korea-strengthens-cooperation-with-russia" / "index.html"
        text = page.read_text(encoding="utf-8")
        assert "Footnotes Go Here" not in text and 'class="tt-provenance"' in text, prefix
    notes = (site / "analyses" / "background-of-russia-north-korea-cooperation" / "index.html").read_text("utf-8")
    assert notes.index('<div class="footnote">') < notes.index('class="tt-provenance"')
