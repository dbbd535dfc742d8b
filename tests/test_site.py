"""The English site as a reader sees it, built by ``mkdocs build --strict``."""

from __future__ import annotations

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


def test_every_internal_link_resolves(site: Path) -> None:
    for page in site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            if re.match(r"[a-z]+:|//|#", href):
                continue
            path = href.split("#")[0]
            target = (site / path.lstrip("/") if path.startswith("/") else page.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{page.relative_to(site)} links to missing {href}"
