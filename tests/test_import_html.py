"""Web pages from other people's sites: titles, bylines, notes, text and charsets (issue 10).

The fixture pages in tests/html/ (with their golden Markdown) cover each class of failure end to end;
these tests pin the pure rules underneath them.
"""

from __future__ import annotations

import html as html_lib
from pathlib import Path

import markdown
import pytest
from lxml import html as lxml_html

from thinktank import footnotes
from thinktank.errors import ArticleFormatError
from thinktank.importers import html, html_meta, htmlmd
from thinktank.importers.html_meta import Votes

PAGE = Path("page.html")


def _page(head: str, body: str, prefix: str = "") -> bytes:
    return (f"{prefix}<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{head}</head><body>{body}"
            "</body></html>").encode()


ARTICLE = ("<article><h1>Sea Lanes</h1>"
           + "".join(f"<p>Paragraph {n} about shipping lanes, insurers and navies in the Black Sea region, "
                     "written long enough to count as the article's text.</p>" for n in range(4)) + "</article>")


# --- Titles --------------------------------------------------------------------------

def test_a_banner_h1_does_not_beat_og_title_and_the_title_tag() -> None:
    votes = Votes([("og:title", ["Pollen counts rise early"]), ("h1", ["Allergies Health Center"]),
                   ("title", ["Pollen counts rise early - Allergies Health Center - WebMD"])])
    assert html_meta.choose_title(votes, ["WebMD"]) == "Pollen counts rise early"


def test_the_title_agreeing_with_other_sources_wins_without_its_site_name() -> None:
    votes = Votes([("h1", ["Grain and the Straits"]), ("title", ["Grain and the Straits | Bosphorus Forum"])])
    assert html_meta.choose_title(votes) == "Grain and the Straits"
    prefixed = Votes([("title", ["Bosphorus Forum – Grain, ports and the long war at sea"])])
    assert html_meta.choose_title(prefixed, ["Bosphorus Forum"]) == "Grain, ports and the long war at sea"


@pytest.mark.parametrize(("title", "site", "expected"), [
    ("Grain and the Straits | Bosphorus Forum", "Bosphorus Forum", "Grain and the Straits"),
    ("Grain and the Straits | Forum", "", "Grain and the Straits"),
    ("Analysis: Russia's Navy after Sevastopol – Black Sea Desk", "Black Sea Desk",
     "Analysis: Russia's Navy after Sevastopol"),
    ("US-China Trade - A Primer", "", "US-China Trade - A Primer"),
])
def test_a_title_tag_alone_loses_its_site_name(title: str, site: str, expected: str) -> None:
    assert html_meta.choose_title(Votes([("title", [title])]), [site] if site else []) == expected


def test_a_page_named_after_its_site_keeps_that_title() -> None:
    assert html_meta.choose_title(Votes([("title", ["The Forum Blog"])]), ["The Forum Blog"]) == "The Forum Blog"


def test_a_host_name_is_no_title() -> None:
    votes = Votes([("citation_title", ["gnu.org"]), ("title", ["The GNU General Public License v3.0"])])
    assert html_meta.choose_title(votes) == "The GNU General Public License v3.0"


# --- Bylines -------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("By Nino Beridze and Tural Aliyev", ["Nino Beridze", "Tural Aliyev"]),
    ("Anna Kowalska, Jan Nowak, and Ewa Lis", ["Anna Kowalska", "Jan Nowak", "Ewa Lis"]),
    ("Jane Doe; John Roe", ["Jane Doe", "John Roe"]),
    ("Lindsey O&#039;Donnell", ["Lindsey O'Donnell"]),
    ("Author: Daniel Lemire", ["Daniel Lemire"]),
    ("Lauren del Valle", ["Lauren del Valle"]),
    ("https://site.example/people/jane-doe/", []),
    ("Admin", []),
    ("Super User", []),
    ("admin", []),
    ("Editorial Team", []),
    ("Spiegel Online, Hamburg, Germany", []),
    ("Frankfurter Allgemeine Zeitung GmbH", []),
    ("The Economist", []),
    ("Show All Articles OFMaximilian Steinbeis", []),
    ("jane.doe@site.example", []),
    ("Mike Blake/Reuters files", []),
])
def test_byline_strings_give_person_names_only(raw: str, expected: list[str]) -> None:
    assert html_meta.clean_names(raw) == expected


def test_a_site_name_is_not_an_author() -> None:
    assert html_meta.clean_names("Caucasus Desk Weekly", avoid=["Caucasus Desk Weekly"]) == []


def test_every_co_author_once_from_the_best_confirmed_source() -> None:
    votes = Votes([("json-ld", ["Nino Beridze", "Tural Aliyev", "Anna Petrosyan"]),
                   ("meta byl", ["By Nino Beridze and Tural Aliyev"]), ("meta author", ["Caucasus Desk"]),
                   ("rel=author", ["Nino Beridze", "NINO BERIDZE"]), ("byline", ["By Nino Beridze, Tural Aliyev "
                                                                                "and Anna Petrosyan"])])
    assert html_meta.choose_names(votes, ["Caucasus Desk"]) == ["Nino Beridze", "Tural Aliyev", "Anna Petrosyan"]


def test_names_nobody_confirms_lose_to_a_confirmed_one() -> None:
    votes = Votes([("meta author", ["Jake Goulding"]), ("trafilatura", ["Jake Goulding"]),
                   ("byline", ["Ben Popper", "Max Pekarsky", "Emma Bostian"]), ("rel=author", ["Jake Goulding"])])
    assert html_meta.choose_names(votes) == ["Jake Goulding"]


def test_json_ld_authors_in_cdata_graph_and_id_references_from_several_scripts() -> None:
    page = _page("""<script type="application/ld+json">{"@type": "BreadcrumbList"}</script>
<script type="application/ld+json">
//<![CDATA[
{"@graph": [{"@type": "Person", "@id": "#a", "name": "Ayşe Yıldız"},
  {"@type": ["NewsArticle"], "headline": "Sea Lanes",
   "author": [{"@id": "#a"}, "Elif Kaya", {"@type": "Person", "name": "Omer Demir"},
              {"@type": "Organization", "name": "Sea Desk"}]}]}
//]]>
</script>""", ARTICLE)
    root = htmlmd.parse(page.decode(), PAGE)
    votes = html_meta.byline_votes(root, html_meta.json_ld(root))
    assert votes.sources[0] == ("json-ld", ["Ayşe Yıldız", "Elif Kaya", "Omer Demir"])


def test_bylines_from_meta_microdata_and_byline_boxes_end_to_end() -> None:
    page = _page('<title>Sea Lanes | Sea Desk</title><meta property="og:site_name" content="Sea Desk">'
                 '<meta property="article:author" content="https://sea.example/people/x">'
                 '<meta name="parsely-author" content="Elif Kaya"><meta name="parsely-author" content="Omer Demir">',
                 '<article><h1>Sea Lanes</h1><div itemprop="author" itemscope><span itemprop="name">Elif Kaya'
                 '</span></div><p class="byline">By Elif Kaya and Omer Demir</p>' + ARTICLE[20:])
    article, _ = html.parse_html(page, PAGE)
    assert [author.name for author in article.authors] == ["Elif Kaya", "Omer Demir"]
    assert article.title == "Sea Lanes"


# --- Notes ---------------------------------------------------------------------------

def _lift(body: str, page_url: str = "") -> tuple[list[tuple[int, str]], str]:
    root = htmlmd.parse(f"<html><body>{body}</body></html>", PAGE)
    notes = htmlmd.lift_notes(root, page_url=page_url)
    return notes, " ".join(root.text_content().split())


def test_comment_counters_and_links_elsewhere_are_not_notes() -> None:
    notes, text = _lift('<p>Read <a href="#comments">3</a> replies and <a href="https://x.example/p/#fn1">1</a> '
                        'more; also <a href="/p/#disqus_thread">5</a>.</p><div id="comments"><p>Nice.</p></div>'
                        '<ol><li id="fn1">A note nobody cites here.</li></ol>')
    assert notes == [] and "3 replies" in text and "Nice." in text and "A note nobody cites here." in text


def test_a_note_cited_twice_through_sup_links_has_one_number_at_both_places() -> None:
    notes, text = _lift('<p>One<sup><a href="#fn1" id="r1">1</a></sup> two<sup><a href="#fn1" id="r1b">1</a>'
                        '</sup>.</p><ol class="footnotes"><li id="fn1">The source. <a href="#r1">↩︎</a></li></ol>')
    assert notes == [(1, "The source.")] and text == "One[1] two[1]."


def test_a_note_is_a_note_when_it_links_back_even_outside_a_notes_list() -> None:
    notes, _ = _lift('<p>Claim<a href="#x7" id="back7">7</a>.</p><p id="x7">Evidence. <a href="#back7">^</a></p>')
    assert notes == [(1, "Evidence.")]


@pytest.mark.parametrize("note", [
    '<li id="fn1"><span class="num">22</span>Sometimes the clause is read narrowly.</li>',
    '<li id="fn1"><a href="#r1">22</a>Sometimes the clause is read narrowly.</li>',
    '<li id="fn1"><p>[22] Sometimes the clause is read narrowly. <a href="#r1">&#8617;&#xFE0F;</a></p></li>',
    '<li id="fn1">22. Sometimes the clause is read narrowly. <a href="#r1">↩&#xFE0E;</a></li>',
])
def test_note_text_has_no_source_number_and_no_emoji_variation_selector(note: str) -> None:
    notes, _ = _lift(f'<p>Text<sup><a id="r1" href="#fn1">22</a></sup>.</p><ol class="notes">{note}</ol>')
    assert notes == [(1, "Sometimes the clause is read narrowly.")]


def test_markers_inside_markdown_code_are_text() -> None:
    text = "See `queue[2]` and [1].\n\n```\n[1] node up\n```\n\nThen [3]."
    assert footnotes.marker_numbers(text) == [1, 3]
    assert footnotes.to_markdown_refs(text) == "See `queue[2]` and [^1].\n\n```\n[1] node up\n```\n\nThen [^3]."


def test_a_url_in_a_note_does_not_take_the_emphasis_mark_after_it() -> None:
    assert footnotes.parse_citation("See *https://standards.example/ts-29-582*.").url == \
        "https://standards.example/ts-29-582"


# --- Text as written -----------------------------------------------------------------

TRICKY = ["# 1 priority", "1. Not a list", "- not a bullet", "+ nor this", "> not a quote", "[x](y) stays",
          "_emphasis_ and *stars*", "a|b", "snake_case_name", "&lt; is an entity", "`tick`", "back\\slash",
          "2019) was a year", "=== underline"]


@pytest.mark.parametrize("text", TRICKY)
def test_literal_text_that_looks_like_markdown_renders_as_itself(text: str) -> None:
    root = lxml_html.fromstring(f"<div><p>{html_lib.escape(text)}</p></div>")
    block = htmlmd.to_blocks(root)[0]
    rendered = markdown.markdown(block, extensions=["tables", "footnotes", "attr_list", "md_in_html"])
    assert lxml_html.fromstring(rendered).text_content() == text


def test_sup_and_sub_survive_and_numbers_do_not_merge() -> None:
    root = lxml_html.fromstring("<div><p>10<sup>6</sup> euros of H<sub>2</sub>O</p></div>")
    assert htmlmd.to_blocks(root) == ["10<sup>6</sup> euros of H<sub>2</sub>O"]


def test_spaces_next_to_links_stay_outside_the_link() -> None:
    root = lxml_html.fromstring('<div><p>the <a href="https://a.example/x">attack </a>and<a href="https://a.'
                                'example/y"> the audit</a>.</p></div>')
    assert htmlmd.to_blocks(root) == ["the [attack](https://a.example/x) and [the audit](https://a.example/y)."]


def test_ordered_lists_keep_their_start_and_cells_keep_their_breaks() -> None:
    root = lxml_html.fromstring('<div><ol start="4"><li>four</li><li value="9">nine</li><li>ten</li></ol>'
                                '<table><tr><td><p>a</p><p>b</p></td><td><ol><li>x</li><li>y</li></ol></td></tr>'
                                '</table></div>')
    assert htmlmd.to_blocks(root) == ["4. four\n9. nine\n10. ten", "| a<br>b | 1. x<br>2. y |\n|---|---|"]


def test_relative_links_resolve_against_the_canonical_url() -> None:
    page = _page('<title>Sea Lanes</title><link rel="canonical" href="https://sea.example/a/sea-lanes/">',
                 ARTICLE.replace("Paragraph 1", 'Paragraph 1 <a href="../data.csv">data</a>'))
    article, _ = html.parse_html(page, PAGE)
    assert "[data](https://sea.example/a/data.csv)" in "\n".join(article.body)


# --- Charsets ------------------------------------------------------------------------

def test_a_utf8_bom_beats_the_declared_charset() -> None:
    data = b"\xef\xbb\xbf<html><head><meta charset='windows-1251'></head><body><p>\xc5\x9f</p></body></html>"
    text, encoding, warnings = html.decode(data, PAGE)
    assert "ş" in text and encoding == "utf-8" and warnings == []


def test_utf8_bytes_declared_windows_1252_are_read_as_utf8_with_a_warning() -> None:
    data = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1252'></head>"
            "<body><p>Győr, Kraków</p></body></html>").encode()
    text, encoding, warnings = html.decode(data, PAGE)
    assert "Győr, Kraków" in text and encoding == "utf-8" and "declares windows-1252" in warnings[0]


def test_a_declared_code_page_is_read_and_recorded() -> None:
    data = "<html><head><meta http-equiv=Content-Type content='text/html; charset=windows-1251'></head>".encode()
    data += "<body><article><h1>Арктика</h1><p>Северный путь</p></article></body></html>".encode("cp1251")
    text, encoding, _ = html.decode(data, PAGE)
    assert "Северный" in text and encoding == "cp1251"


def test_undeclared_bytes_that_are_not_utf8_are_windows_1252_with_a_warning() -> None:
    text, encoding, warnings = html.decode(b"<html><body><p>caf\xe9</p></body></html>", PAGE)
    assert "café" in text and encoding == "cp1252" and warnings


def test_invalid_bytes_in_the_declared_charset_are_refused() -> None:
    with pytest.raises(ArticleFormatError, match="invalid UTF-8"):
        html.decode(b"<html><head><meta charset='utf-8'></head><body>caf\xe9 \xc5\x9f</body></html>", PAGE)


# --- Saved pages, fallbacks and warnings ----------------------------------------------

@pytest.mark.parametrize("prefix", ["<!-- saved from url=(0030)https://sea.example/a/ -->\n",
                                    '<?xml version="1.0" encoding="utf-8"?>\n', "<!-- a comment -->",
                                    '\ufeff<?xml version="1.0" encoding="utf-8"?><!-- saved -->'])
def test_saved_pages_with_a_prolog_or_comment_are_html(prefix: str) -> None:
    page = _page("<title>Sea Lanes</title>", ARTICLE, prefix)
    assert html.looks_like_html(page)
    article, _ = html.parse_html(page, PAGE)
    assert article.title == "Sea Lanes" and len(article.body) == 4


def test_several_articles_in_one_file_are_said() -> None:
    page = _page("<title>Sea Lanes</title>", ARTICLE + ARTICLE.replace("Sea Lanes", "Other Lanes"))
    _, warnings = html.parse_html(page, PAGE)
    assert any("holds 2 articles" in warning for warning in warnings)


def test_a_failing_extractor_falls_back_to_the_pages_article(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def broken(*args: object, **kwargs: object) -> str:
        raise KeyError("uppercase")  # what trafilatura 2.3 raises on <hi rend="uppercase">

    monkeypatch.setattr(trafilatura, "extract", broken)
    article, warnings = html.parse_html(_page("<title>Sea Lanes</title>", "<nav>Home</nav>" + ARTICLE), PAGE)
    assert len(article.body) == 4 and "Home" not in "\n".join(article.body)
    assert any("trafilatura failed (KeyError)" in warning for warning in warnings)


def test_deep_nesting_keeps_the_text_and_says_so() -> None:
    deep = "<div>" * 400 + "<p>Deep paragraph about the Straits and the convention.</p>" + "</div>" * 400
    notices: list[str] = []
    root = htmlmd.parse(f"<html><body><p>Before.</p>{deep}<p>After.</p></body></html>", PAGE, None, notices)
    assert htmlmd.to_blocks(root) == ["Before.", "Deep paragraph about the Straits and the convention.", "After."]
    assert "more than 120 deep" in notices[0]


def test_nesting_past_the_parsers_limit_is_said() -> None:
    notices: list[str] = []
    htmlmd.parse("<html><body>" + "<div>" * 3000 + "x" + "</div>" * 3000 + "</body></html>", PAGE, None, notices)
    assert "the end of the page is missing" in notices[0]


def test_agreement_beats_the_more_trusted_source() -> None:
    votes = Votes([("og:title", ["Bosphorus Forum"]), ("json-ld", ["Grain and the Straits"]),
                   ("title", ["Grain and the Straits | Bosphorus Forum"])])
    assert html_meta.choose_title(votes) == "Grain and the Straits"
    names = Votes([("json-ld", ["Douglas Wood"]), ("meta author", ["Jeremy Herb, Kara Scannell"]),
                   ("trafilatura", ["Jeremy Herb; Kara Scannell"]), ("byline", ["By Jeremy Herb and Kara Scannell"])])
    assert html_meta.choose_names(names) == ["Jeremy Herb", "Kara Scannell"]


def test_sup_and_sub_render_on_the_site() -> None:
    from thinktank import sanitize

    block = htmlmd.to_blocks(lxml_html.fromstring("<div><p>10<sup>6</sup> euros of H<sub>2</sub>O</p></div>"))[0]
    rendered = sanitize.clean_html(markdown.markdown(block, extensions=["tables", "footnotes", "md_in_html"]))
    assert "10<sup>6</sup> euros of H<sub>2</sub>O" in rendered


def test_an_unclosed_xml_prolog_naming_an_encoding_does_not_crash() -> None:
    page = b'<?xml &#xfffe;version="1.0" encoding="utf-8"' + _page("<title>Sea Lanes</title>", ARTICLE)
    article, _ = html.parse_html(page, PAGE)
    assert article.title == "Sea Lanes"


def test_unparseable_urls_stay_as_written() -> None:
    page = _page('<title>Sea Lanes</title><link rel="canonical" href="http://[broken/a/"><base href="x/">',
                 ARTICLE.replace("Paragraph 1", 'Paragraph 1 <a href="http://[v6/x">odd</a>'))
    article, _ = html.parse_html(page, PAGE)
    assert "[odd](http://[v6/x)" in "\n".join(article.body)


def test_an_author_box_of_plain_paragraphs_gives_each_co_author_their_bio() -> None:
    """A box with no bio class is still read before it is removed from the text (it once was lost)."""
    head = ('<meta property="og:title" content="Sea Lanes"><script type="application/ld+json">'
            '{"@type": "Article", "author": [{"name": "Kaja Lindqvist"}, {"name": "Jan Nowak"}]}</script>')
    box = ('<div class="author-box"><p><strong>Kaja Lindqvist</strong> is a senior fellow.</p>'
           "<p>She writes on maritime security.</p><p>Jan Nowak is an economist.</p></div>")
    article, warnings = html.parse_html(_page(head, ARTICLE.replace("</article>", box + "</article>")), PAGE)
    bios = {author.name: author.bio for author in article.authors}
    assert bios == {"Kaja Lindqvist": "**Kaja Lindqvist** is a senior fellow.\n\nShe writes on maritime security.",
                    "Jan Nowak": "Jan Nowak is an economist."}
    assert "senior fellow" not in "\n".join(article.body) and not any("no biography" in w for w in warnings)
