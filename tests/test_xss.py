"""Nothing a stranger wrote runs in a reader's browser (issue 8).

``tests/xss/`` is a hostile overlay for a copy of the site: pages whose
front matter carries markup in list, mapping, number and null titles, tags,
categories, summary, description, author and ``template: redirect.html``;
bodies with ``<script>``, ``onerror``, ``javascript:`` links, remote images in
every spelling, svg/iframe/style/link/video/object/embed/form/base/meta; an
author whose name and affiliation are markup; ``\\x08``, bidi overrides and
zero-width characters in titles; and Turkish and Russian catalogs whose
reviewed msgstrs break out of ``content="..."``, add a heading, ``---``,
``[^99]`` and listing markers. The copy is built with ``mkdocs build
--strict``, served by nginx (unprivileged workers) and visited in Chromium in
every language: no dialog, no request to another host, no navigation away.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from thinktank import feeds
from thinktank.library import ArticleEntry, Library
from thinktank.listings import markers, strip_markers
from thinktank.models import Author
from thinktank.sanitize import (
    DROPPED_META,
    as_text,
    clean_html,
    clean_meta,
    is_local_source,
    plain_text,
    text_of_html,
    xml_text,
)

from .conftest import build_site, copy_site_sources
from .test_browser import CHROMIUM, CHROMIUM_ARGS, _require, nginx, public_dir

FIXTURES = Path(__file__).parent / "xss"
LANGS = ("", "tr/", "ru/")
PROBES = ("xss-invisible", "xss-translated")
TYPED = ("xss-list-title", "xss-dict-title", "xss-number-title", "xss-null-title")
"""Titles of any YAML type: an article with one is refused (the page schema); on other pages, cleaning holds."""
PAGES = ("", "analyses/", "authors/", "topics/", "authors/mallory/", *(f"analyses/{probe}/" for probe in PROBES),
         *(f"pages/{probe}/" for probe in TYPED))
INVISIBLE = "\x08\x0c\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SITE = "Eurasia Policy Review"


# --- The sanitiser, without a build -------------------------------------------------

@pytest.mark.parametrize(("title", "expected"), [
    (["<img src=x onerror=alert(1)>", "A & B"], "&lt;img src=x onerror=alert(1)&gt; A &amp; B"),
    ({"text": "<b>x</b>", "nested": ["<i>y</i>", None]}, "&lt;b&gt;x&lt;/b&gt; &lt;i&gt;y&lt;/i&gt;"),
    (42, "42"),
    (3.5, "3.5"),
    (True, "True"),
    (dt.date(2024, 1, 2), "2024-01-02"),
    ('Say "hi" & <go>', "Say &quot;hi&quot; &amp; &lt;go&gt;"),
])
def test_a_title_of_any_type_becomes_escaped_text(title: Any, expected: str) -> None:
    assert clean_meta({"title": title})["title"] == expected


@pytest.mark.parametrize("title", [None, "", "   ", [], {}, [None, ""]])
def test_an_empty_title_is_removed_so_mkdocs_falls_back_to_the_heading(title: Any) -> None:
    assert "title" not in clean_meta({"title": title, "summary": "s"})


def test_every_meta_value_is_cleaned_recursively_whatever_its_type() -> None:
    meta = {
        "tags": ["<img src=x onerror=alert(1)>", 7, None, True],
        "categories": ("<svg onload=alert(2)>",),
        "authors": ["mallory"],
        "description": '0;url=https://evil.example/" http-equiv="refresh',
        "author": '"><script>alert(3)</script>',
        "source": {"publisher": "<b>PISM</b>", "languages": ["tr", "<i>ru</i>"], "<k>": 1},
        "date": dt.date(2024, 1, 2),
        "search": {"boost": 2, "exclude": False},
        "hide": ["toc"],
        "template": "redirect.html",
        "location": "https://evil.example/",
    }
    cleaned = clean_meta(meta)
    assert cleaned["tags"] == ["&lt;img src=x onerror=alert(1)&gt;", 7, None, True]
    assert cleaned["categories"] == ["&lt;svg onload=alert(2)&gt;"]
    assert cleaned["description"] == "0;url=https://evil.example/&quot; http-equiv=&quot;refresh"
    assert cleaned["author"] == "&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"
    assert cleaned["source"] == {"publisher": "&lt;b&gt;PISM&lt;/b&gt;", "languages": ["tr", "&lt;i&gt;ru&lt;/i&gt;"],
                                 "&lt;k&gt;": 1}
    assert cleaned["date"] == dt.date(2024, 1, 2) and cleaned["search"] == {"boost": 2, "exclude": False}
    assert cleaned["hide"] == ["toc"] and cleaned["authors"] == ["mallory"]
    assert "template" in DROPPED_META and "template" not in cleaned
    assert meta["tags"][0] == "<img src=x onerror=alert(1)>"  # the page's own meta is not changed


def test_a_value_that_contains_itself_does_not_stop_the_build() -> None:
    import yaml

    meta = yaml.safe_load("title: &t [<b>x</b>, *t]\ntags: &g [a, *g]\n")
    cleaned = clean_meta(meta)
    assert cleaned["title"].startswith("&lt;b&gt;x&lt;/b&gt;") and cleaned["tags"][0] == "a"


def test_cleaning_escapes_once() -> None:
    once = clean_meta({"title": "A & B"})["title"]
    assert once == "A &amp; B" and html.unescape(once) == "A & B"
    # What the plugin applies to titles it already cleaned keeps them as they are.
    assert text_of_html(once) == once
    assert text_of_html("Heading <b>bold</b> &lt;/title&gt;") == "Heading bold &lt;/title&gt;"


def test_xml_forbidden_and_invisible_characters_are_removed() -> None:
    assert xml_text("a\x00b\x08c\x0bd\x1fe\ufffef\uffffg\tok\n") == "abcdefg\tok\n"
    assert plain_text(f"Evil{INVISIBLE} title\u202e") == "Evil title"
    assert plain_text("Türkçe, русский, A & B") == "Türkçe, русский, A & B"
    assert as_text(["a", ["b", {"c": "d"}], None, 1]) == "a b d 1"


@pytest.mark.parametrize("source", [
    "https://evil.example/pixel.gif", "http://evil.example/p.gif", "HTTPS://EVIL.EXAMPLE/p.gif",
    "//evil.example/p.gif", "/\\evil.example/p.gif", "\\\\evil.example/p.gif", " https://evil.example/p.gif",
    "\thttps://evil.example/p.gif", "\x01//evil.example/p.gif", "ht\ntps://evil.example/p.gif",
    "https://example.org.evil.example/p.gif", "https://example.org@evil.example/p.gif",
    "ftp://example.org/p.gif",
])
def test_remote_image_sources_are_dropped(source: str) -> None:
    assert not is_local_source(source, "example.org")
    cleaned = clean_html(f'<p><img src="{html.escape(source)}" alt="pixel"></p>', "example.org")
    assert "src" not in cleaned and 'alt="pixel"' in cleaned


@pytest.mark.parametrize("source", [
    "x.png", "../img/x.png", "/assets/images/favicon.png", "#top", "https://example.org/a.png",
    "//example.org/a.png", "HTTPS://Example.ORG/a.png",
])
def test_relative_and_same_site_images_stay(source: str) -> None:
    assert is_local_source(source, "example.org")
    assert f'src="{source}"' in clean_html(f'<img src="{source}">', "example.org")


def test_without_a_site_url_only_relative_images_stay() -> None:
    assert clean_html('<img src="https://example.org/a.png"><img src="a.png">') == '<img><img src="a.png">'


@pytest.mark.parametrize("fragment", [
    '<img src="a.png" srcset="https://evil.example/a.png 2x">',
    '<svg onload="alert(1)"><image href="https://evil.example/s.png"/></svg>',
    '<iframe src="https://evil.example/frame"></iframe>',
    '<style>body { background: url(https://evil.example/bg.png) }</style>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<video src="https://evil.example/v.mp4" poster="https://evil.example/p.png" autoplay></video>',
    '<audio autoplay><source src="https://evil.example/a.mp3"></audio>',
    '<picture><source srcset="https://evil.example/p.webp"><img src="a.png"></picture>',
    '<object data="https://evil.example/o.swf"></object>',
    '<embed src="https://evil.example/e.swf">',
    '<form action="https://evil.example/f"><input name="q" autofocus onfocus="alert(1)"><button formaction="https://evil.example/b">go</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<div style="background-image: url(https://evil.example/d.png)">x</div>',
    '<table><tr><td style="background: url(https://evil.example/t.png)" background="https://evil.example/b.png">x</td></tr></table>',
    '<a href="https://evil.example/" ping="https://evil.example/ping">x</a>',
    '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">',
    '<math><mi xlink:href="https://evil.example/m">x</mi></math>',
    '<script src="https://evil.example/s.js"></script><noscript><img src="https://evil.example/n.gif"></noscript>',
])
def test_nothing_that_loads_another_host_or_runs_survives(fragment: str) -> None:
    cleaned = clean_html(fragment, "example.org")
    # An <a href> is a link the reader may follow, not a load; text may say anything.
    assert _hazards(cleaned, whole_page=False).found == [], cleaned


def test_feeds_parse_whatever_the_text_carries() -> None:
    entry = ArticleEntry(uri="analyses/a.md", title=f"Title\x08{INVISIBLE} <b>x</b>", authors=("m",),
                         date=dt.date(2024, 1, 2), summary="Summary \x08\x1b\ufffe <script>alert(1)</script> & more",
                         tags=("Tag\x08\u202e",), categories=("Cat\x0c",))
    library = Library(articles=[entry], authors={"m": Author(id="m", name="Mal\x08lory\u200b")})
    document = feeds.rss(library, title="Site\x08", description="Feed\x1f", home="https://example.org/", lang="en",
                         url_of=lambda _: "https://example.org/a/\x08")
    item = ET.fromstring(document).find("channel/item")
    assert item is not None
    assert item.findtext("title") == "Title <b>x</b>"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Mallory"
    assert [c.text for c in item.findall("category")] == ["Cat", "Tag"]
    # RSS readers render the description as HTML: the summary's markup is escaped into it.
    assert item.findtext("description") == "Summary  &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"
    ET.fromstring(feeds.sitemap(["https://example.org/\x08a/"]))


def test_listing_markers_in_a_translation_are_removed() -> None:
    translation = "Para.\n\n<!-- thinktank:articles -->\n\n<!--thinktank:authors--> and <!-- thinktank: topics -->"
    assert markers(translation) == {"articles", "authors", "topics"}
    assert markers(strip_markers(translation)) == set()
    assert strip_markers(translation).startswith("Para.")


# --- The hostile site, built ----------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_site() -> Iterator[Path]:
    """The site sources with tests/xss/ laid over them, built with --strict in a folder nginx workers can read."""
    with public_dir("thinktank-xss-") as work:
        repo = copy_site_sources(work / "repo")
        shutil.copytree(FIXTURES, repo, dirs_exist_ok=True)
        yield build_site(repo)


def _html(site: Path, lang: str, page: str) -> str:
    return (site / lang / page / "index.html").read_text(encoding="utf-8")


TEXT_PROPERTIES = ("og:title", "og:description")
"""Open Graph properties holding the page's own text (page_meta): shown as text by link previews, never fetched."""


class _Hazards(HTMLParser):
    """What in HTML could run code, load another host or send the reader away; and the head's texts.

    ``whole_page`` skips the tags Material's own chrome uses (its inline svg
    icons, the search and drawer inputs); sanitised fragments may have none.
    """

    FORBIDDEN = {"base", "iframe", "object", "embed", "svg", "math", "video", "audio", "source", "picture", "form",
                 "input", "button", "link", "style", "script", "noscript", "meta"}
    CHROME = {"svg", "input", "link", "script", "meta", "button", "form"}

    def __init__(self, whole_page: bool = False) -> None:
        super().__init__()
        self.allowed = self.CHROME if whole_page else set()
        self.found: list[str] = []
        self.metas: list[dict[str, str | None]] = []
        self.title = ""
        self._tag = ""
        self._script_type = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag = tag
        values = dict(attrs)
        if tag == "script":
            self._script_type = values.get("type") or ""
        if tag == "meta":
            self.metas.append(values)
            if "http-equiv" in values:
                self.found.append(f"meta http-equiv={values['http-equiv']}")
        if tag in self.FORBIDDEN - self.allowed:
            self.found.append(tag)
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on") or text.startswith(("javascript:", "data:")) or name == "srcset":
                self.found.append(f"{tag} {name}={value}")
            elif "evil.example" in text and not (tag == "a" and name == "href") and not (
                    tag == "meta" and name == "content" and (
                        values.get("name") in ("description", "author") or values.get("property") in TEXT_PROPERTIES
                        or (values.get("name") or "").startswith("citation_"))):
                self.found.append(f"{tag} {name}={value}")

    def handle_data(self, data: str) -> None:
        if self._tag == "title":
            self.title += data
        if self._tag == "script" and self._script_type == "application/ld+json":  # data, never run: JSON or a hazard
            try:
                json.loads(data)
            except ValueError:
                self.found.append(f"ld+json {data.strip()[:60]}")
        elif self._tag == "script" and "alert" in data:
            self.found.append(f"script {data.strip()[:60]}")

    def handle_endtag(self, tag: str) -> None:
        self._tag = ""


def _hazards(fragment: str, whole_page: bool = True) -> _Hazards:
    parser = _Hazards(whole_page)
    parser.feed(fragment)
    return parser


def _content(page_html: str) -> str:
    return page_html[page_html.index('<article class="md-content__inner'):page_html.index("</article>")]


def test_no_page_of_the_hostile_site_holds_anything_that_runs(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 40
    found = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        content = _content(text) if page.name != "404.html" else ""
        found[page.relative_to(hostile_site).as_posix()] = _hazards(text).found + _hazards(content, False).found
    assert {page: hazards for page, hazards in found.items() if hazards} == {}


@pytest.mark.parametrize("lang", LANGS)
def test_titles_and_meta_values_are_text_not_markup(hostile_site: Path, lang: str) -> None:
    site_name = {"": SITE, "tr/": "Avrasya Politika İncelemesi", "ru/": "Евразийское политическое обозрение"}[lang]
    listed = _hazards(_html(hostile_site, lang, "pages/xss-list-title/"))
    assert listed.title.strip() == f"<img src=x onerror=alert('list-title')> A & B - {site_name}"
    metas = {meta.get("name"): meta.get("content") for meta in listed.metas}
    assert metas["description"] == '0;url=https://evil.example/" http-equiv="refresh'
    assert metas["author"] == "\"><script>alert('meta-author')</script>"
    mapped = _hazards(_html(hostile_site, lang, "pages/xss-dict-title/")).title.strip()
    assert mapped == f"<img src=x onerror=alert('dict-title')> <script>alert('dict-nested')</script> - {site_name}"
    assert _hazards(_html(hostile_site, lang, "pages/xss-number-title/")).title.strip() == f"42 - {site_name}"
    # A null title falls back to the first heading (its markup shown as text) or the file name.
    fallbacks = {"Null <img src=x onerror=alert('h1')> </title><script>alert('h1-title')</script>", "Xss null title"}
    assert _hazards(_html(hostile_site, lang, "pages/xss-null-title/")).title.strip() in {
        f"{fallback} - {site_name}" for fallback in fallbacks}


@pytest.mark.parametrize(("lang", "title", "description"), [
    ("tr/", "Çeviri başlığı <img src=x onerror=alert('tr-title')>", '0;url=https://evil.example/" http-equiv="refresh'),
    ("ru/", "Проба перевода <svg onload=alert('ru-title')>", "\"><script>alert('ru-description')</script>"),
])
def test_a_msgstr_cannot_break_out_of_an_attribute(hostile_site: Path, lang: str, title: str, description: str) -> None:
    text = _html(hostile_site, lang, "analyses/xss-translated/")
    page = _hazards(text)
    assert page.found == [] and _hazards(_content(text), whole_page=False).found == []
    assert page.title.strip().startswith(title + " - ")
    assert {meta.get("name"): meta.get("content") for meta in page.metas}["description"] == description


def test_a_page_cannot_pick_the_redirect_template(hostile_site: Path) -> None:
    for lang in LANGS:
        page = _html(hostile_site, lang, "pages/xss-number-title/")
        assert "window.location.replace" not in page and "evil.example" not in page
        assert "A page whose title is a number." in page


def test_markers_from_translations_are_never_expanded(hostile_site: Path) -> None:
    for lang in ("tr/", "ru/"):
        page = _html(hostile_site, lang, "analyses/xss-translated/")
        assert "tt-card" not in page and "tt-topic" not in page and "thinktank:" not in page, lang
        # The source's own markers still expand, in every language.
        assert "tt-card" in _html(hostile_site, lang, "analyses/")
    assert "Birinci paragraf." in _html(hostile_site, "tr/", "analyses/xss-translated/")


def test_search_indexes_hold_titles_and_tags_escaped_once(hostile_site: Path) -> None:
    for lang in LANGS:
        index = json.loads((hostile_site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
        docs = {doc["location"]: doc for doc in index["docs"]}
        listed = docs["pages/xss-list-title/"]
        assert html.unescape(listed["title"]) == "<img src=x onerror=alert('list-title')> A & B"
        assert html.unescape(listed["tags"][0]) == "<img src=x onerror=alert('tag')>"
        assert html.unescape(docs["analyses/xss-invisible/"]["title"]) == "Invisible title with bidi & ampersand"
        for doc in index["docs"]:  # Material renders these as HTML: no raw tag, nothing escaped twice
            for text in (doc["title"], *doc.get("tags", [])):
                assert "<" not in text.replace("<code>", "").replace("</code>", "") and "&amp;amp;" not in text
                assert not set(text) & set(INVISIBLE), doc["location"]


def test_every_feed_and_sitemap_parses(hostile_site: Path) -> None:
    documents = sorted([*hostile_site.rglob("feed.xml"), *hostile_site.rglob("sitemap.xml")])
    names = {document.relative_to(hostile_site).as_posix() for document in documents}
    assert {f"{lang}{name}" for lang in ("", "tr/", "ru/") for name in ("feed.xml", "sitemap.xml")} <= names
    for document in documents:
        root = ET.parse(document).getroot()
        if document.name == "feed.xml":
            titles = [item.findtext("title") or "" for item in root.iter("item")]
            assert "Invisible title with bidi & ampersand" in titles, document
            assert not any(set(title) & set(INVISIBLE) for title in titles), document


@pytest.mark.parametrize("lang", LANGS)
def test_printed_titles_carry_no_invisible_characters(hostile_site: Path, lang: str) -> None:
    for page in ("analyses/xss-invisible/", "analyses/", "topics/", "authors/mallory/", "analyses/xss-translated/"):
        text = _html(hostile_site, lang, page)
        head = text[:text.index("</head>")]
        titles = re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", text, re.S) + re.findall(r"<title>(.*?)</title>", head, re.S)
        assert not set("".join(titles)) & set(INVISIBLE), (lang, page)
    assert "Invisible title with bidi &amp; ampersand" in _html(hostile_site, lang, "analyses/")


# --- The hostile site, in a browser ---------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_server(hostile_site: Path) -> Iterator[str]:
    with nginx(hostile_site, hostile_site.parent / "nginx") as (url, _):
        yield url


@pytest.fixture(scope="module")
def watched(hostile_server: str) -> Iterator[Any]:
    """One Chromium page that records dialogs, requests to other hosts (aborted) and navigations."""
    _require(Path(CHROMIUM).exists(), "chromium")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.dialogs, page.foreign, page.navigations = [], [], []  # type: ignore[attr-defined]

        def on_dialog(dialog: Any) -> None:
            page.dialogs.append(f"{page.url}: {dialog.message}")  # type: ignore[attr-defined]
            dialog.dismiss()

        def on_request(route: Any) -> None:
            if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
                route.continue_()
            else:
                page.foreign.append(f"{page.url}: {route.request.url}")  # type: ignore[attr-defined]
                route.abort()

        page.on("dialog", on_dialog)
        page.on("framenavigated", lambda frame: page.navigations.append(frame.url)  # type: ignore[attr-defined]
                if frame == page.main_frame else None)
        context.route("**/*", on_request)
        yield page
        context.close()
        browser.close()


def _reset(page: Any) -> None:
    page.dialogs.clear()
    page.foreign.clear()
    page.navigations.clear()


def test_the_watcher_sees_dialogs_foreign_requests_and_navigation(watched: Any, hostile_server: str) -> None:
    """The detectors themselves work: an unsanitised page trips every one of them."""
    watched.goto(hostile_server + "/404.html")
    _reset(watched)
    watched.set_content('<img src="https://evil.example/control.gif"><img src="nowhere:" onerror="alert(\'control\')">')
    watched.wait_for_timeout(200)
    assert watched.dialogs and "control" in watched.dialogs[0]
    assert watched.foreign and "evil.example/control.gif" in watched.foreign[0]
    watched.evaluate("location.href = '/404.html#moved'")
    watched.wait_for_timeout(200)
    assert any(url.endswith("#moved") for url in watched.navigations)
    _reset(watched)


def test_no_script_runs_no_other_host_is_called_no_page_leaves(watched: Any, hostile_server: str) -> None:
    _reset(watched)
    broken = []
    for lang in LANGS:
        for page in PAGES:
            url = f"{hostile_server}/{lang}{page}"
            try:
                response = watched.goto(url, wait_until="load")
                watched.wait_for_timeout(30)  # onerror, autofocus, refresh and timers get their chance
            except Exception as error:  # a page that navigates away interrupts goto
                broken.append(f"{url}: {str(error).splitlines()[0]}")
                continue
            if response is None or response.status != 200 or watched.url != url:
                broken.append(f"{url}: {response.status if response else None}, now at {watched.url}")
    left = [url for url in watched.navigations if not url.startswith(hostile_server)]
    assert (watched.dialogs, watched.foreign, left, broken) == ([], [], [], [])
    # The hostile text is there, shown as text.
    watched.goto(f"{hostile_server}/pages/xss-list-title/")
    assert watched.inner_text("h1") == "<img src=x onerror=alert('list-title')> A & B"
    assert watched.title() == f"<img src=x onerror=alert('list-title')> A & B - {SITE}"


@pytest.mark.parametrize("lang", LANGS)
def test_search_results_show_hostile_titles_as_text(watched: Any, hostile_server: str, lang: str) -> None:
    _reset(watched)
    watched.goto(f"{hostile_server}/{lang}")
    watched.wait_for_load_state("networkidle")  # the search index has arrived
    watched.click("input.md-search__input")
    watched.keyboard.type("onerror")
    watched.keyboard.press("End")  # Material's search listens for key-up (see test_browser)
    result = watched.locator('.md-search-result__item a[href*="xss-list-title"] >> visible=true').first
    result.wait_for()
    watched.wait_for_timeout(100)
    assert "onerror=alert('list-title')" in result.inner_text()
    assert watched.dialogs == [] and watched.foreign == []
