"""A credible article page in the reader's language: linked notes and original, a plain draft banner,
readable anchors, translated terms, search that finds analyses first.

Pure functions first, then one site built from the committed sources plus an
article that has what imports often bring (a source URL and date, a URL in a
note, a tag with a form per language), read per language.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown.extensions.toc import slugify as markdown_slugify

from thinktank import framing, listings
from thinktank.anchors import slugify
from thinktank.catalog import PageState
from thinktank.glossary import Glossary, load
from thinktank.listings import Original
from thinktank.provenance import Provenance

from .conftest import build_site, copy_site_sources
from .test_site import _Links, _page, _text

ANKASAM = "analyses/background-of-russia-north-korea-cooperation"
PISM = "analyses/north-korea-strengthens-cooperation-with-russia"
SOURCE_URL = "https://www.ankasam.example/background?id=7&lang=en"
NOTE_URL = "https://edition.cnn.example/2024/01/28/asia/putin-visit/index.html"
LANGS = ("", "tr/", "ru/")


def _notes(inner: str) -> str:
    return f'<div class="footnote">\n<hr>\n<ol>\n<li id="fn:1">\n<p>{inner}</p>\n</li>\n</ol>\n</div>'


# --- notes link to their sources ----------------------------------------------------------------

def test_a_url_in_a_note_becomes_a_link_and_the_sentence_keeps_its_full_stop() -> None:
    out = framing.link_note_urls(_notes(f"Reuters, 3 May 2024, {NOTE_URL}. (Access Date: 01.02.2024)."))
    assert f'<a class="tt-source" href="{NOTE_URL}" rel="nofollow noopener">{NOTE_URL}</a>. (Access' in out


def test_note_links_keep_escaped_ampersands_and_balanced_parentheses() -> None:
    out = framing.link_note_urls(_notes("See https://x.example/a?b=1&amp;c=2 and (https://en.wiki.example/A_(b)), "
                                        "or (http://y.example/z)."))
    assert 'href="https://x.example/a?b=1&amp;c=2"' in out
    assert 'href="https://en.wiki.example/A_(b)"' in out and 'href="http://y.example/z"' in out
    assert "</a>), " in out and "</a>)." in out


def test_a_url_ending_a_note_stops_before_the_back_links_space() -> None:
    """Python-Markdown writes ``&nbsp;`` between a note's last word and its back link; an entity other than
    ``&amp;`` is no part of an address (it once ended up in the href)."""
    out = framing.link_note_urls(_notes(f'Politico, {NOTE_URL}&nbsp;<a class="footnote-backref" href="#fnref:1">'
                                        "&#8617;</a> https://z.example/a&#160;b https://w.example/&lt;b"))
    assert f'href="{NOTE_URL}" rel="nofollow noopener">{NOTE_URL}</a>&nbsp;<a class="footnote-backref"' in out
    assert 'href="https://z.example/a"' in out and 'href="https://w.example/"' in out


@pytest.mark.parametrize("text", [
    "javascript:alert(1)//https", "ftp://files.example/x", "data:text/html,<b>x</b>", "mailto:a@b.example",
    "https://", "https:///path-only",
])
def test_only_web_addresses_are_linked(text: str) -> None:
    assert "<a " not in framing.link_note_urls(_notes(text.replace("<", "&lt;").replace(">", "&gt;")))


def test_a_url_cannot_leave_its_attribute() -> None:
    from html.parser import HTMLParser

    class Anchors(HTMLParser):
        found: list[dict[str, str | None]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                self.found.append(dict(attrs))

    parser = Anchors()
    parser.feed(framing.link_note_urls(_notes('https://x.example/"onmouseover="alert(1) https://y.example/\'z '
                                              "https://z.example/`a https://w.example/\\b")))
    assert [a["href"] for a in parser.found] == ["https://x.example/", "https://y.example/", "https://z.example/",
                                                 "https://w.example/"]
    assert all(set(a) == {"class", "href", "rel"} for a in parser.found)


def test_an_address_in_an_attribute_value_stays_there() -> None:
    """HTML allows a raw ``>`` in an attribute value (nh3 escapes it; this must not depend on that)."""
    html = _notes('<abbr title="x> https://a.example/ onmouseover=alert(1) y">NATO</abbr> https://b.example/')
    out = framing.link_note_urls(html)
    assert '<abbr title="x> https://a.example/ onmouseover=alert(1) y">NATO</abbr>' in out
    assert out.count("<a ") == 1 and 'href="https://b.example/"' in out


def test_urls_outside_the_notes_in_links_or_in_code_are_left_alone() -> None:
    body = "<p>Body https://body.example/x</p>"
    notes = _notes('<a href="https://a.example/">https://a.example/</a> <code>https://code.example/</code> '
                   "<strong>https://bold.example/</strong>")
    out = framing.link_note_urls(body + "\n<div class=\"admonition\"><p>https://adm.example/</p></div>\n" + notes)
    assert out.count("<a ") == 2  # the note's own link and the one in bold
    assert 'href="https://bold.example/"' in out and "https://body.example/x</p>" in out
    assert out.count('href="https://a.example/"') == 1 and "<code>https://code.example/</code>" in out


# --- the original, credited with a link and its date -------------------------------------------

def test_the_original_is_read_from_the_source_and_only_a_web_address_is_linked() -> None:
    date = dt.date(2024, 1, 30)
    assert framing.original_of({"source": {"url": SOURCE_URL, "date": date}}) == Original(SOURCE_URL, date)
    assert framing.original_of({"date": date, "source": {"url": "javascript:alert(1)"}}) == Original("", date)
    assert framing.original_of({"source": {"url": ["x"], "date": "soon"}}) == Original()
    assert framing.original_of({"source": "ANKASAM"}) == Original()


@pytest.mark.parametrize("lang, sentence", [
    ("en", "Originally published by {link} (30 January 2024)."),
    ("tr", "İlk olarak {link} (30 Ocak 2024) tarafından yayımlandı."),
    ("ru", "Впервые опубликовано: {link} (30 января 2024)."),
])
def test_the_credit_links_the_publisher_to_the_original_with_its_date(lang: str, sentence: str) -> None:
    link = f'<a class="tt-original" href="{SOURCE_URL.replace("&", "&amp;")}" rel="nofollow noopener">ANKASAM</a>'
    out = listings.original_credit("ANKASAM", Original(SOURCE_URL, dt.date(2024, 1, 30)), lang)
    assert out == sentence.format(link=link)


def test_a_credit_without_address_or_date_is_the_plain_sentence() -> None:
    assert listings.original_credit("A <b>&</b>", Original(), "en") == "Originally published by A &lt;b&gt;&amp;&lt;/b&gt;."


def test_an_article_without_a_publisher_is_credited_to_the_host_of_its_original() -> None:
    from thinktank.library import ArticleEntry, Library

    entry = ArticleEntry(uri="analyses/a.md", title="A", authors=())
    cite = listings.PageAddress("Site", "https://example.org/analyses/a/")
    footer = listings.article_footer(entry, Library([entry]), entry.uri, "en", cite, Original(SOURCE_URL))
    assert '<p class="tt-provenance">Originally published by <a class="tt-original" ' in footer
    assert '>www.ankasam.example</a>.</p>' in footer
    assert "tt-provenance" not in listings.article_footer(entry, Library([entry]), entry.uri, "en", cite)


# --- the draft banner, in plain words --------------------------------------------------------------

@pytest.mark.parametrize("lang, headline, original", [
    ("tr", "Makine çevirisi, henüz bir editör tarafından gözden geçirilmedi.", "Aslını okuyun"),
    ("ru", "Машинный перевод, ещё не проверен редактором.", "Читать оригинал"),
])
def test_the_banner_says_it_plainly_and_leaves_engine_and_model_to_a_details_line(
        lang: str, headline: str, original: str) -> None:
    made = [Provenance.machine("pseudo", f"pseudo-{lang} 0.1.0"), Provenance.citation()]
    banner = listings.status_banner(PageState.DRAFT, made, True, "../../x/", lang)
    first, details = banner.split('<small class="tt-status-details">')
    assert f"<strong>{headline}</strong> <a href=\"../../x/\" hreflang=\"en\">{original}</a>." in first
    assert "pseudo" not in first and "0.1.0" not in first
    assert f"pseudo-{lang} 0.1.0" in details


# --- heading anchors -------------------------------------------------------------------------------

@pytest.mark.parametrize("heading", [
    "Conclusions and Perspectives", "What we publish", "Notes & citations", "U.S. policy in 2024: a_b",
    "  spaced   out  ", "Don't panic!", "",
])
def test_english_headings_keep_python_markdowns_anchor(heading: str) -> None:
    assert slugify(heading, "-") == markdown_slugify(heading, "-")


@pytest.mark.parametrize("heading, anchor", [
    ("Примечания и ссылки", "primechaniya-i-ssylki"),
    ("Что мы публикуем", "chto-my-publikuem"),
    ("Sonuç ve Işbirliği", "sonuc-ve-isbirligi"),
    ("Kaynaklı ışık", "kaynakli-isik"),
])
def test_turkish_and_russian_headings_get_transliterated_anchors(heading: str, anchor: str) -> None:
    assert slugify(heading, "-") == anchor


# --- terms per language ------------------------------------------------------------------------------

def test_a_do_not_translate_word_can_have_its_own_form_in_one_language(tmp_path: Path) -> None:
    (tmp_path / "glossary.yml").write_text(
        "terms:\n  - en: Russia\n    ru: Россия\ndo_not_translate:\n  - ANKASAM\n  - en: NATO\n    ru: НАТО\n"
        "  - en: TASS\n    ru: ТАСС\n", encoding="utf-8")
    glossary = load(tmp_path)
    ru, tr = glossary.for_language("ru"), glossary.for_language("tr")
    assert (ru["NATO"], ru["TASS"], ru["ANKASAM"], ru["Russia"]) == ("НАТО", "ТАСС", "ANKASAM", "Россия")
    assert (tr["NATO"], tr["TASS"], tr["ANKASAM"]) == ("NATO", "TASS", "ANKASAM") and "Russia" not in tr
    assert ru["NATO"].inflection.ending_letters >= 0  # a Form, as QA needs


def test_an_old_glossary_loads_as_it_did(tmp_path: Path) -> None:
    (tmp_path / "glossary.yml").write_text("do_not_translate: [KCNA, TASS, 2397]\n", encoding="utf-8")
    assert load(tmp_path) == Glossary(keep=("KCNA", "TASS", "2397"))
    assert load(tmp_path).for_language("ru") == {"KCNA": "KCNA", "TASS": "TASS", "2397": "2397"}


def test_a_kept_word_without_its_english_form_is_refused_with_the_file(tmp_path: Path) -> None:
    from thinktank.errors import CatalogError

    (tmp_path / "glossary.yml").write_text("do_not_translate:\n  - ru: НАТО\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="glossary.yml.*do_not_translate entry 1 has no 'en' form"):
        load(tmp_path)


# --- search finds analyses first ---------------------------------------------------------------------

def test_listing_pages_leave_the_index_and_analyses_are_boosted() -> None:
    assert framing.search_settings({"latest"}, is_article=False) == {"exclude": True}
    assert framing.search_settings(set(), is_article=True) == {"boost": framing.ARTICLE_SEARCH_BOOST}
    assert framing.search_settings(set(), is_article=False) == {}


# --- the built site, per language ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed site, its ANKASAM article given a source URL and date, a URL in note 1, the tag NATO
    (which the committed glossary keeps as "NATO" but writes "НАТО" in Russian) and a link to a heading of the About
    page, which links to one of its own headings too (both untranslated paragraphs, so in English)."""
    work = copy_site_sources(tmp_path_factory.mktemp("presentation"))
    page = work / "docs" / f"{ANKASAM}.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace("  publisher: ANKASAM\n", f"  publisher: ANKASAM\n  url: {SOURCE_URL}\n  date: 2024-01-30\n", 1)
    text = text.replace("- Korean Peninsula\n", "- Korean Peninsula\n- NATO\n", 1)
    text = text.replace("Cable News Network World,, (Access Date: 01.02.2024).",
                        f"Cable News Network World, {NOTE_URL}, (Access Date: 01.02.2024).", 1)
    page.write_text(text, encoding="utf-8")
    about = work / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nSee [our languages](#languages).\n", encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8").replace(
        "\n[^1]:", "\nHow we cite: [notes](../about.md#notes-and-citations).\n\n[^1]:", 1), encoding="utf-8")
    return build_site(work)


@pytest.mark.parametrize("lang", LANGS)
def test_the_built_note_links_its_source_in_every_language(site: Path, lang: str) -> None:
    html = _page(site, f"{lang}{ANKASAM}")
    notes = html[html.index('<div class="footnote">'):]
    assert f'<a class="tt-source" href="{NOTE_URL}" rel="nofollow noopener">{NOTE_URL}</a>' in notes
    parser = _Links()
    parser.feed(html)
    assert {"fn:1", "fnref:1"} <= parser.ids and "#fn:1" in parser.hrefs and "#fnref:1" in parser.hrefs


@pytest.mark.parametrize("lang, credit", [
    ("", "Originally published by ANKASAM (30 January 2024)."),
    ("tr/", "İlk olarak ANKASAM (30 Ocak 2024) tarafından yayımlandı."),
    ("ru/", "Впервые опубликовано: ANKASAM (30 января 2024)."),
])
def test_the_built_credit_links_the_original(site: Path, lang: str, credit: str) -> None:
    html = _page(site, f"{lang}{ANKASAM}")
    line = re.search(r'<p class="tt-provenance">(.*?)</p>', html).group(1)
    assert _text(line) == credit
    assert f'href="{SOURCE_URL.replace("&", "&amp;")}"' in line


def test_the_built_banner_is_plain_and_the_details_line_names_who_made_the_draft(site: Path) -> None:
    for lang, headline in (("tr", "Çeviri henüz bir editör tarafından gözden geçirilmedi."),
                           ("ru", "Перевод ещё не проверен редактором.")):
        html = _page(site, f"{lang}/{PISM}")
        banner = html[html.index("tt-draft"):html.index("</div>", html.index("tt-draft"))]
        assert f"<strong>{headline}</strong>" in banner
        assert 'class="tt-status-details"' in banner and f'href="../../../{PISM}/"' in banner


def test_built_anchors_are_readable_and_english_ones_unchanged(site: Path) -> None:
    ids = {lang: set(re.findall(r'<h[1-6][^>]*\bid="([^"]+)"', _page(site, f"{lang}about"))) for lang in LANGS}
    assert {"what-we-publish", "languages", "notes-and-citations"} <= ids[""]
    assert {"chto-my-publikuem", "primechaniya-i-ssylki"} <= ids["ru/"]
    assert {"ne-yayimliyoruz", "notlar-ve-kaynaklar"} <= ids["tr/"]
    every = [path.read_text(encoding="utf-8") for path in site.rglob("*.html")]
    assert not [m for page in every for m in re.findall(r'\bid="_\d+"', page)]  # no "#_1" anywhere


@pytest.mark.parametrize("lang, languages, notes", [
    ("", "languages", "notes-and-citations"), ("tr/", "diller", "notlar-ve-kaynaklar"),
    ("ru/", "yazyki", "primechaniya-i-ssylki"),
])
def test_links_to_a_heading_reach_it_in_every_language(site: Path, lang: str, languages: str, notes: str) -> None:
    about, article = _page(site, f"{lang}about"), _page(site, f"{lang}{ANKASAM}")
    assert f'href="#{languages}"' in about and f'id="{languages}"' in about
    assert f'href="../../about/#{notes}"' in article and f'id="{notes}"' in about


def test_heading_ids_are_those_python_markdown_gives_and_links_move_with_them() -> None:
    from thinktank import anchors

    assert anchors.heading_ids(["Итоги", "Итоги", "Notes { #own }", "Вывод [^1]"]) == [
        "itogi", "itogi_1", "own", "vyvod"]
    moved = anchors.retargets(["results", "results_1", "own"], ["itogi", "itogi_1", "own"])
    assert moved.moved == {"results": "itogi", "results_1": "itogi_1"}
    pages = {"ru/about/": moved}
    html = ('<a href="#results_1">a</a><a href="../other/#results">b</a><a href="#own">c</a>'
            '<a href="https://x.example/about/#results">d</a><a href="#results">e</a>')
    assert anchors.retarget_links(html, "ru/about/", pages).split("</a>") == [
        '<a href="#itogi_1">a', '<a href="../other/#results">b', '<a href="#own">c',
        '<a href="https://x.example/about/#results">d', '<a href="#itogi">e', ""]
    assert 'href="../about/#itogi"' in anchors.retarget_links('<a href="../about/#results">', "ru/x/", pages)
    assert anchors.retarget_links('<a href="about/#results">', "ru/", pages) == '<a href="about/#itogi">'


def test_tags_are_translated_on_the_page_the_topics_page_and_in_search(site: Path) -> None:
    for lang, tag, korea in (("", "NATO", "North Korea"), ("tr/", "NATO", "Kuzey Kore"), ("ru/", "НАТО", "КНДР")):
        tags = re.search(r'<p class="tt-tags">(.*?)</p>', _page(site, f"{lang}{ANKASAM}")).group(1)
        assert f">{tag}</a>" in tags and f">{korea}</a>" in tags
        assert f">{tag}<" in _page(site, f"{lang}topics")
        index = json.loads((site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
        article = next(doc for doc in index["docs"] if doc["location"] == f"{ANKASAM}/")
        assert tag in article["tags"] and korea in article["tags"]


def test_search_indexes_hold_analyses_not_listings_and_rank_analyses_first(site: Path) -> None:
    for lang in LANGS:
        index = json.loads((site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
        pages = {doc["location"].split("#")[0] for doc in index["docs"]}
        assert not pages & {"", "analyses/", "authors/", "topics/"}, lang  # made of listings
        assert {f"{ANKASAM}/", f"{PISM}/", "about/"} <= pages
        boosts = {doc["location"]: doc.get("boost") for doc in index["docs"]}
        assert boosts[f"{ANKASAM}/"] == boosts[f"{PISM}/"] == framing.ARTICLE_SEARCH_BOOST
        assert boosts["about/"] is None


@pytest.mark.parametrize("lang, expected", [
    ("en", "Kaja Lindqvist. “Who Guards the Seabed?” Eurasia Policy Review, 3 May 2024."),
    ("tr", "Kaja Lindqvist. “Who Guards the Seabed?” Eurasia Policy Review, 3 Mayıs 2024."),
])
def test_a_title_ending_in_a_question_mark_takes_no_full_stop_in_the_citation(lang: str, expected: str) -> None:
    import datetime as dt

    from thinktank.library import ArticleEntry, Library
    from thinktank.listings import PageAddress, citation_text
    from thinktank.models import Author

    library = Library(authors={"kaja": Author("kaja", "Kaja Lindqvist")})
    entry = ArticleEntry(uri="analyses/a.md", title="Who Guards the Seabed?", authors=("kaja",),
                         date=dt.date(2024, 5, 3))
    text = citation_text(entry, library, lang, PageAddress("Eurasia Policy Review", "https://example.org/a/"))
    assert text.startswith(expected) and "?." not in text and "?”." not in text


_PIECES = ["<p>", "</p>", '<div class="footnote">', '<div class="x footnote y">', "<div>", "</div>", "<code>",
           "</code>", '<a href="https://a.example/">', "</a>", "https://b.example/x", " text ", "&amp;", "<ol><li>",
           "</li></ol>", '<p title="&lt;div class=&quot;footnote&quot;">', "(https://c.example/(d))."]


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_linking_from_the_notes_on_is_linking_the_whole_page(pieces: list[str]) -> None:
    """link_note_urls reads only from the notes' opening tag on: the same as reading the whole page."""
    from thinktank.sanitize import clean_html

    page = clean_html("".join(pieces), None)
    assert framing.link_note_urls(page) == framing._linked_from_notes(page)
