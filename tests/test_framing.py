"""Article and author framing as pure functions of the library, without a site build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from thinktank import framing
from thinktank import library as library_mod
from thinktank.listings import FOOTNOTES_PLACE, PageAddress

ROOT = Path(__file__).resolve().parent.parent
ANKASAM = "analyses/background-of-russia-north-korea-cooperation.md"
PISM = "analyses/north-korea-strengthens-cooperation-with-russia.md"
CITE = PageAddress("Eurasia Policy Review", "https://example.org/analyses/x/")


@pytest.fixture(scope="module")
def library() -> library_mod.Library:
    return library_mod.load_library(ROOT / "docs", ["analyses"])


def _body(uri: str) -> str:
    text = (ROOT / "docs" / uri).read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1]


def test_an_article_gets_byline_above_and_notes_before_its_author_box(library: library_mod.Library) -> None:
    body = _body(ANKASAM)
    out = framing.frame(body, uri=ANKASAM, lang="en", library=library, cite=CITE)
    byline, text_at = out.index('<p class="tt-byline">'), out.index(body.strip()[:60])
    notes, box = out.index(FOOTNOTES_PLACE), out.index('class="tt-author-box"')
    assert byline < text_at < notes < box
    assert '<a href="../../authors/zeki-talustan-gulten/">Zeki Talustan Gülten</a>' in out[:text_at]
    assert "min read" in out[:text_at] and "Originally published by ANKASAM." in out
    assert CITE.url in out and "Cite this analysis" in out


def test_an_article_lead_is_its_summary_in_the_pass_language(library: library_mod.Library) -> None:
    out = framing.frame(_body(PISM), uri=PISM, lang="tr", library=library, cite=CITE)
    assert '<p class="tt-lead">' in out and "dk okuma" in out and "Bu analize atıf yapın" in out


def test_an_author_page_lists_the_authors_analyses(library: library_mod.Library) -> None:
    out = framing.frame("Bio.\n", uri="authors/oskar-pietrewicz.md", lang="en", library=library, cite=CITE)
    assert out.startswith('<p class="tt-meta">PISM</p>')
    assert "No biography yet." in out  # the registry has no bio for him; none is invented
    footer = out[out.index("## Analyses by Oskar Pietrewicz"):]
    assert 'href="../../analyses/north-korea-strengthens-cooperation-with-russia/"' in footer
    assert "background-of-russia" not in footer


def test_other_pages_and_unknown_authors_are_left_alone(library: library_mod.Library) -> None:
    for uri in ("about.md", "authors/index.md", "authors/nobody.md", "analyses/index.md",
                "drafts/oskar-pietrewicz.md"):  # an author id outside authors/ is no author page
        assert framing.frame("Text.\n", uri=uri, lang="en", library=library, cite=CITE) == "Text.\n"


def test_page_markdown_expands_then_frames_with_the_banner_on_top(library: library_mod.Library) -> None:
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    out = framing.page_markdown(home, uri="index.md", lang="en", library=library, cite=CITE,
                                allowed={"latest"}, latest=1, banner="BANNER")
    assert out.startswith("BANNER\n\n") and out.count('class="tt-card"') == 1
    untouched = framing.page_markdown(home, uri="index.md", lang="en", library=library, cite=CITE, allowed=set())
    assert untouched == home


def test_backlinks_speak_the_page_language() -> None:
    html = '<a class="footnote-backref" href="#fnref:3" title="Jump back to footnote 3 in the text">&#8617;</a>'
    assert 'title="Metinde 3 numaralı dipnota dön"' in framing.localize_backlinks(html, "tr")
    assert 'title="Вернуться к сноске 3 в тексте"' in framing.localize_backlinks(html, "ru")
    assert framing.localize_backlinks(html, "en") == html


def test_a_date_written_day_first_is_not_read_as_a_list_number() -> None:
    """German writes "10. Mai 2024"; at a line start Markdown took it for item 10 of a list."""
    import markdown

    from thinktank.listings import literal

    html = markdown.markdown(f'{literal("10. Mai 2024")} · A & B')
    assert "<ol>" not in html and "10. Mai 2024" in html
    assert [literal(text) for text in ("# Title", "- item", "3) c", "1 Şubat 2024", "x. y")] == [
        "\\# Title", "\\- item", "3\\) c", "1 Şubat 2024", "x. y"]


def test_held_fragments_come_back_in_place_after_python_markdown() -> None:
    """The site's HTML skips Python-Markdown as placeholder words and is put back where each stood."""
    import markdown

    held = framing.Held("0123abcd")
    fragments = ['<p class="tt-byline">a &amp; b</p>', "<nav>\n<ul>\n<li>x</li>\n</ul>\n</nav>", "<p>*not emphasis*</p>"]
    source = f"{held(fragments[0])}\n\nBody *text*.\n\n{held(fragments[1])}\n\n- item\n\n{held(fragments[2])}\n"
    rendered = markdown.Markdown(extensions=["md_in_html", "attr_list", "footnotes", "toc"]).convert(source)
    out = held.put_back(rendered)
    assert "tt0123abcdx" not in out
    positions = [out.index(fragment) for fragment in fragments]
    assert positions == sorted(positions) and "<em>text</em>" in out and "<li>item</li>" in out
    with pytest.raises(ValueError):
        framing.Held("a-b")  # Markdown could read punctuation


def test_a_page_without_held_fragments_is_left_as_it_is() -> None:
    held = framing.Held("ff00")
    assert held.put_back("<p>ttff00x0</p>") == "<p>ttff00x0</p>"  # nothing held: nothing to put back


@pytest.mark.parametrize(("bio", "alone"), [
    ("Fellow at [PISM](https://pism.pl/), writes on Korea.", True),
    ("Plain text.\n\nTwo paragraphs, *emphasis*, <https://x.example/>.", True),
    ("See [her analyses](../analyses/index.md).", False),
    ("See [her page][p].\n\n[p]: ../about.md", False),
    ('Photo: <img src="../assets/ada.png">', False),
    ("A claim.[^1]\n\n[^1]: A source.", False),
    ("[Home](/) and [top](#top) and [mail](mailto:a@b.example)", True),
])
def test_a_bio_is_rendered_once_unless_the_page_that_shows_it_matters(bio: str, alone: bool) -> None:
    assert framing.bio_renders_alone(bio) is alone


def test_what_search_must_not_read_waits_as_a_comment_then_comes_back() -> None:
    held = framing.Held("beef")
    import markdown

    early, late = held('<p class="early">e</p>'), held.after_search("<nav>late</nav>")
    source = f"{early}\n\n{late}\n"

    rendered = held.put_back(markdown.Markdown().convert(source))
    assert rendered == '<p class="early">e</p>\n<!--ttbeefy0-->'
    assert held.put_back_after_search(rendered) == '<p class="early">e</p>\n<nav>late</nav>'


def test_a_placeholder_inside_other_markup_is_not_taken_for_a_longer_one() -> None:
    """Placeholders ...y1 and ...y10 both inside list items (no paragraph of their own): each fragment goes to its
    own place, before search reads the page and after."""
    import markdown

    held = framing.Held("cafe")
    words = [held.after_search(f"<b>fragment {number}</b>") for number in range(11)]
    source = "\n".join(f"- {word}" for word in reversed(words)) + "\n"  # ...y10 before ...y1
    rendered = held.put_back(markdown.Markdown().convert(source))
    assert "ttcafey" not in rendered.replace("<!--ttcafey", "")
    out = held.put_back_after_search(rendered)
    assert [int(n) for n in re.findall(r"<li><b>fragment (\d+)</b></li>", out)] == list(range(10, -1, -1))
