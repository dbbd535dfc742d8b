"""The listing-marker registry, without a site build."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

from thinktank import listings, markers
from thinktank import library as library_mod
from thinktank.listings import ListingContext

ROOT = Path(__file__).resolve().parent.parent
HOME = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")


class _Recorder:
    """A registry whose renderers note each call and render ``[name]``."""

    def __init__(self, *names: str) -> None:
        self.calls: list[tuple[str, object]] = []
        self.registry = {name: functools.partial(self._render, name) for name in names}

    def _render(self, name: str, context: object) -> str:
        self.calls.append((name, context))
        return f"[{name}]"


def test_only_allowed_markers_are_expanded() -> None:
    recorder = _Recorder("latest", "articles")
    page = "A\n\n<!-- thinktank:latest -->\n\nB\n\n<!-- thinktank:articles -->\n"
    out = markers.expand(page, {"articles"}, recorder.registry, "ctx")
    assert out == "A\n\n<!-- thinktank:latest -->\n\nB\n\n[articles]\n"
    assert recorder.calls == [("articles", "ctx")]


def test_a_listing_is_rendered_only_where_its_marker_is() -> None:
    recorder = _Recorder("latest", "articles")
    assert markers.expand("no markers here", {"latest", "articles"}, recorder.registry, "ctx") == "no markers here"
    assert recorder.calls == []


def test_unknown_names_stay_comments_and_every_occurrence_expands() -> None:
    recorder = _Recorder("latest", "articles")
    page = "<!-- thinktank:latest -->|<!-- thinktank:nosuch -->|<!-- thinktank:latest -->"
    out = markers.expand(page, markers.markers(page), recorder.registry, "ctx")
    assert out == "[latest]|<!-- thinktank:nosuch -->|[latest]"


def test_the_registry_holds_every_listing_the_committed_pages_use() -> None:
    used = set()
    for page in (ROOT / "docs").rglob("*.md"):
        used |= markers.markers(page.read_text(encoding="utf-8"))
    assert used == {"latest", "articles", "authors", "topics"}
    assert used <= set(listings.LISTINGS)


def test_the_latest_listing_shows_at_most_latest_articles_of_the_library() -> None:
    library = library_mod.load_library(ROOT / "docs", ["analyses"])
    context = ListingContext(library, "index.md", "en", latest=1)
    out = markers.expand(HOME, markers.markers(HOME), listings.LISTINGS, context)
    assert out.count('class="tt-card"') == 1 and "thinktank:" not in out
    assert library.articles[0].title in out and library.articles[1].title not in out
    # Links are relative to the page the listing is placed in.
    assert f'<a href="{library.articles[0].uri.removesuffix(".md")}/">' in out


def test_a_stranger_title_cannot_smuggle_a_marker_into_a_later_listing() -> None:
    library = library_mod.load_library(ROOT / "docs", ["analyses"])
    first = library.articles[0]
    library.articles = [replace(first, title="<!-- thinktank:topics -->"), *library.articles[1:]]
    page = "<!-- thinktank:latest -->"
    out = markers.expand(page, {"latest", "topics"}, listings.LISTINGS, ListingContext(library, "index.md", "en"))
    assert "tt-card" in out and "{ #" not in out and "&lt;!-- thinktank:topics --&gt;" in out


def test_listings_still_offers_the_marker_syntax() -> None:
    assert listings.markers is markers.markers and listings.strip_markers is markers.strip_markers


def test_a_stranger_title_stays_text_inside_the_raw_html_card() -> None:
    """Cards are raw HTML blocks that Python-Markdown leaves as they are: a blank line in a title would end
    the block early and let the rest be read as Markdown, and markup must stay text."""
    import markdown

    library = library_mod.load_library(ROOT / "docs", ["analyses"])
    hostile = 'A\n\n# Heading\n\n<script>alert(1)</script> [x](javascript:alert(1)) "q" &amp;'
    library.articles = [replace(library.articles[0], title=hostile, summary="S\n\n- item\n\n<b>b</b>"),
                        *library.articles[1:]]
    out = markers.expand("<!-- thinktank:latest -->", {"latest"}, listings.LISTINGS,
                         ListingContext(library, "index.md", "en", latest=1))
    card = out[out.index("<article"):out.index("</article>")]
    assert "\n\n" not in card
    rendered = markdown.Markdown(extensions=["md_in_html", "attr_list"]).convert(out)
    assert "<h1" not in rendered and "<script" not in rendered and "<li>" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;" in rendered and "[x](javascript:alert(1))" in rendered and "&amp;amp;" in rendered
