"""The text-dump importer's pure parts: chrome, dates, title choice, bylines, names, paragraphs, escaping.

Each test names one guarantee of ``ARCHITECTURE.md``'s "Guarantees (text dumps and names)".
Whole-dump behaviour is in the golden cases (``tests/cases/*.txt``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import markdown
import pytest

from thinktank import authors
from thinktank.errors import ArticleFormatError
from thinktank.importers.assemble import names_in
from thinktank.importers.generic import PROFILE
from thinktank.importers.profile import find_date
from thinktank.importers.text import detect_language, escape_markdown, parse_text, split_title_byline

from .conftest import ROOT

CASES = ROOT / "tests" / "cases"
BODY = ("The first paragraph of the article says something of substance about the region.\n\n"
        "The second paragraph goes on with more detail, as articles do.\n")


def _parse(text: str, name: str = "dump.txt"):
    return parse_text(text, Path(name), PROFILE)


# --- chrome before the title -------------------------------------------------------

@pytest.mark.parametrize("chrome", [
    "Analysis:", "Commentary:", "08.07.2015", "July 8, 2015", "8 Temmuz 2015", "08 июля 2015",
    "Upload: 08.07.2015 14:22", "Home > Analyses > Europe", "Главная > Аналитика",
    "Centre for Eastern Studies NUMBER 176 | 08.07.2015 www.osw.waw.pl", "ISSN 2299-0011",
    "No. 12 (1234)", "1/7", "Page 3 of 9", "Menu", "Skip to main content",
    "The views expressed here do not necessarily reflect those of the Institute.",
])
def test_chrome_before_the_title_is_skipped(chrome: str) -> None:
    article, _ = _parse(f"{chrome}\n\nThe Real Title of the Piece\n\n{BODY}")
    assert article.title == "The Real Title of the Piece"
    assert chrome not in "\n".join(article.body)


def test_site_and_section_names_above_the_title_are_left_out_with_a_warning() -> None:
    article, warnings = _parse(f"Valdai Discussion Club\nExpert Opinions\nThe Real Title of the Piece\n{BODY}")
    assert article.title == "The Real Title of the Piece"
    assert any("left out 2 line(s) above the title" in warning and "Valdai" in warning for warning in warnings)


@pytest.mark.parametrize(("text", "date"), [
    ("08.07.2015", dt.date(2015, 7, 8)), ("July 8, 2015", dt.date(2015, 7, 8)),
    ("8 Temmuz 2015", dt.date(2015, 7, 8)), ("08 июля 2015", dt.date(2015, 7, 8)),
    ("Published on 3 March 2023", dt.date(2023, 3, 3)), ("2024-02-29", dt.date(2024, 2, 29)),
    ("22 marca 2023", dt.date(2023, 3, 22)), ("31.02.2015", None), ("3/4/2015", None), ("NUMBER 176", None),
])
def test_find_date_reads_dates_in_several_languages(text: str, date: dt.date | None) -> None:
    assert find_date(text) == date


def test_a_date_in_the_chrome_is_the_article_date() -> None:
    article, _ = _parse(f"Upload: 08.07.2015 14:22\nAnalysis:\nThe Real Title of the Piece\n{BODY}")
    assert article.date == dt.date(2015, 7, 8)


def test_a_date_in_a_running_header_is_the_article_date() -> None:
    article, _ = _parse((CASES / "pdf-bulletin.txt").read_text(encoding="utf-8"))
    assert article.date == dt.date(2024, 5, 12)


def test_no_title_is_refused_with_the_reason() -> None:
    with pytest.raises(ArticleFormatError, match="no recognisable title: the first line .* reads as a sentence"):
        _parse("Analysis:\n\nThis dump opens in the middle of a sentence and has no title line at all.\n")
    with pytest.raises(ArticleFormatError, match="no text besides page chrome"):
        _parse("Menu\nHome\n08.07.2015\n1/7\n")


# --- bylines -------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "title", "names"), [
    ("Chips and Allies | Evaluation Note by Ann Lee and Bo Park", "Chips and Allies", ["Ann Lee", "Bo Park"]),
    ("Chips and Allies, by Ann Lee", "Chips and Allies", ["Ann Lee"]),
    ("Chips and Allies / Ann Lee", "Chips and Allies", ["Ann Lee"]),
    ("Chips and Allies — Ann Lee", "Chips and Allies", ["Ann Lee"]),
    ("Ukraine — A Year On", "Ukraine — A Year On", []),
    ("Russia and China: Partners / Rivals", "Russia and China: Partners / Rivals", []),
])
def test_a_byline_on_the_title_line_is_split_off(line: str, title: str, names: list[str]) -> None:
    assert split_title_byline(line, "Ann Lee is a fellow.") == (title, names)


@pytest.mark.parametrize(("line", "names"), [
    ("By Ann Lee, Bo Park, and Cem Acar", ["Ann Lee", "Bo Park", "Cem Acar"]),
    ("Ann Lee, Bo Park & Cem Acar", ["Ann Lee", "Bo Park", "Cem Acar"]),
    ("Commentary by Ann Lee & Bo Park", ["Ann Lee", "Bo Park"]),
    ("By Dr. Ann Lee, PhD", ["Ann Lee, PhD"]),
    ("Prof. Dr. Cem ACAR", ["Cem ACAR"]),
    ("Ann Lee (ann.lee@example.org)", ["Ann Lee"]),
    ("Ann Lee https://example.org/ann", ["Ann Lee"]),
    ("Thomas de Waal and Helen O'Neill", ["Thomas de Waal", "Helen O'Neill"]),
    ("REGIONAL AFFAIRS", []), ("Chatham House", []), ("Expert Opinions", []),
    ("The war is not over.", []),
])
def test_names_in_bylines(line: str, names: list[str]) -> None:
    assert names_in(line) == names


def test_byline_and_author_box_both_found_put_the_bio_in_the_registry() -> None:
    article, _ = _parse(f"The Real Title of the Piece\n\nBy Ann Lee\n\n{BODY}\nAnn LEE\nAnn Lee is a fellow at the institute.\n")
    assert [author.name for author in article.authors] == ["Ann Lee"]
    assert article.authors[0].bio == "Ann Lee is a fellow at the institute."
    assert not any("fellow" in paragraph or "LEE" in paragraph for paragraph in article.body)


def test_closing_bio_sentences_go_to_each_author() -> None:
    article, _ = _parse(f"The Real Title of the Piece\nBy Gregory C. Allen and Bo Park\n{BODY}\n"
                        "Gregory C. Allen is a director at the centre. Bo Park is a fellow. He writes on trade.\n")
    bios = {author.name: author.bio for author in article.authors}
    assert bios == {"Gregory C. Allen": "Gregory C. Allen is a director at the centre.",
                    "Bo Park": "Bo Park is a fellow. He writes on trade."}


def test_an_all_caps_heading_above_the_title_is_not_an_author() -> None:
    article, _ = _parse(f"REGIONAL AFFAIRS\n\nThe Real Title of the Piece\n\n{BODY}")
    assert article.title == "The Real Title of the Piece" and article.authors == []


# --- names ---------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "text", "name"), [
    ("Ahmet YILDIRIM", "Ahmet Yıldırım writes.", "Ahmet Yıldırım"),
    ("Emre ÇİFTÇİ", "Emre Çiftçi writes.", "Emre Çiftçi"),
    ("Ian MCDONALD", "Ian McDonald writes.", "Ian McDonald"),
    ("Ian MCDONALD", "", "Ian Mcdonald"),
    ("James Nixey MA", "", "James Nixey MA"),
    ("Ann Lee, PhD", "", "Ann Lee, PhD"),
    ("JOHN SMITH JR.", "", "John Smith Jr."),
    ("HELEN O'NEILL", "", "Helen O'Neill"),
    ("PIETER VAN DER BERG", "", "Pieter van der Berg"),
    ("Pieter van der Berg", "", "Pieter van der Berg"),
])
def test_name_casing_follows_the_article(raw: str, text: str, name: str) -> None:
    assert authors.normalise_name(raw, None, authors.spellings(text)) == name


def test_turkish_casing_locale_without_a_spelling_in_the_text() -> None:
    assert authors.normalise_name("Ahmet YILDIRIM", "tr") == "Ahmet Yıldırım"


@pytest.mark.parametrize(("name", "identifier"), [
    ("Dr. Ann Lee", "ann-lee"), ("Prof. Dr. Cem Acar", "cem-acar"), ("Doç. Dr. Cem Acar", "cem-acar"),
    ("Ann Lee, PhD", "ann-lee"), ("James Nixey MA", "james-nixey"), ("Ann Lee <ann@example.org>", "ann-lee"),
    ("Ann Lee https://example.org/ann", "ann-lee"), ("Ahmet Yıldırım", "ahmet-yildirim"),
])
def test_author_id_leaves_out_honorifics_degrees_and_addresses(name: str, identifier: str) -> None:
    assert authors.author_id(name) == identifier


# --- paragraphs ------------------------------------------------------------------------

def test_pdf_dump_comes_out_as_clean_paragraphs() -> None:
    article, _ = _parse((CASES / "pdf-bulletin.txt").read_text(encoding="utf-8"))
    body = "\n\n".join(article.body)
    assert "hearing" in body and "hear- ing" not in body and "hear-ing" not in body
    assert "Russian-Turkish" in body
    assert "deployments of Allied troops" in body
    assert "Baltic Research Centre" not in body and "1/3" not in body and "\f" not in body
    assert "do not necessarily reflect" not in body
    assert len(article.body) == 4


def test_one_newline_web_copy_gives_one_paragraph_per_line() -> None:
    lines = [f"Paragraph {n} of the copied page is long enough to be a whole paragraph of its own, and it ends "
             "with a full stop as paragraphs do." for n in range(1, 5)]
    article, _ = _parse("The Real Title of the Piece\n" + "\n".join(lines) + "\n")
    assert article.body == lines


def test_hard_wrapped_lines_of_one_paragraph_are_joined() -> None:
    article, _ = _parse("The Real Title of the Piece\n\nThis paragraph was wrapped\nby a PDF tool at the\n"
                        "end of every line, and a word was hyphen-\nated. It ends here.\n")
    assert article.body == ["This paragraph was wrapped by a PDF tool at the end of every line, and a word was "
                            "hyphenated. It ends here."]


def test_a_line_twice_is_not_a_running_header() -> None:
    article, _ = _parse("The Real Title of the Piece\n\nRunning Head\n\nText one goes on.\n\nRunning Head\n\n"
                        "Text two goes on.\n\nAnother heading\n\nText three.\n\nAnother heading\n\nText four.\n")
    assert article.body == ["Running Head", "Text one goes on.", "Running Head", "Text two goes on.",
                            "Another heading", "Text three.", "Another heading", "Text four."]
    assert article.authors == []  # "Running Head" under the title is a subheading, not a byline


def test_a_line_recurring_at_three_page_boundaries_is_a_running_header() -> None:
    page = "The text of one page goes on here and ends.\n\n{n}/3\nJournal of Baltic Affairs Vol. 7\n"
    article, _ = _parse("The Real Title of the Piece\n\n" + "".join(page.format(n=n) for n in (1, 2, 3)))
    assert article.body == ["The text of one page goes on here and ends."] * 3


# --- literal text ----------------------------------------------------------------------

def _rendered_text(markdown_text: str) -> str:
    html = markdown.markdown(markdown_text, extensions=["abbr", "attr_list", "def_list", "footnotes", "md_in_html",
                                                         "tables"])
    assert not re.search(r"<(h\d|ol|ul|li|a|em|strong|code|blockquote|hr|script)\b", html), html
    text = re.sub(r"<[^>]+>", "", html)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"')


@pytest.mark.parametrize("literal", [
    "# is how the forum marked its headline", "1. in the index is the first chapter", "2) the second",
    "see [the report](https://example.org/report) here", "[label]: https://example.org", "a _draft_ value",
    "5 * 3 items and a sign*", "* a star at the start", "- a dash at the start", "> a quote sign",
    "the tag <script>alert(1)</script> quoted", "the entity &amp; as written", "a `tick` and {: .class}",
    "a back\\slash and \\*", "---", "+ plus", "*[HTML]: abbreviation syntax", "[^1] literal",
])
def test_literal_text_that_looks_like_markdown_reads_as_written(literal: str) -> None:
    assert _rendered_text(escape_markdown(literal)).strip() == literal


def test_note_markers_and_word_emphasis_survive_escaping() -> None:
    assert escape_markdown("A claim.[3] The *Marshal Shaposhnikov* frigate.") == \
        "A claim.[3] The *Marshal Shaposhnikov* frigate."


# --- language --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "code"), [
    ("The war in Ukraine has turned the region into a corridor that Europe can no longer ignore.", "en"),
    ("Türkiye ise bu işbirliğinin dışında kaldı ve deniz yetki alanları konusunda bir görüş savundu.", "tr"),
    ("Отношения России со странами Центральной Азии переживают период перемен.", "ru"),
    ("Відносини України з Європейським союзом змінилися, і це їхній вибір.", "uk"),
    ("العلاقات بين البلدين تشهد تطورا كبيرا في السنوات الأخيرة", "ar"),
    ("北约在波罗的海地区加强了军事存在", "zh"),
    ("W tym roku Polska i Niemcy podpisały umowę o współpracy w dziedzinie energii.", "pl"),
    ("12345 67890", ""),
])
def test_detect_language(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize(("case", "language"), [("turkish-chrome.txt", "tr"), ("russian-dump.txt", "ru"),
                                                ("web-copy-one-newline.txt", "")])
def test_non_english_dumps_record_their_language(case: str, language: str) -> None:
    article, _ = _parse((CASES / case).read_text(encoding="utf-8"), case)
    assert article.language == language and article.slug.isascii() and article.slug


def test_chinese_and_arabic_dumps_get_a_title_and_an_ascii_slug() -> None:
    article, _ = _parse("北约在波罗的海的新角色\n\n北约在波罗的海地区加强了军事存在。这一变化影响了整个地区的安全。\n")
    assert article.title == "北约在波罗的海的新角色" and article.slug.isascii() and article.slug
    assert article.language == "zh"
    article, _ = _parse("العلاقات التركية الروسية\n\nالعلاقات بين البلدين تشهد تطورا كبيرا في السنوات الأخيرة.\n")
    assert article.title == "العلاقات التركية الروسية" and article.slug.isascii() and article.language == "ar"


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_each_co_authors_box_gives_a_bio_without_its_name_heading(gap: str) -> None:
    text = ("The Danube After the Grain Deal\nBy Elena Marinescu and Ion Popa\n\n"
            "Romania's ports took on much of Ukraine's grain once the sea corridor closed.\n\n"
            f"ELENA MARINESCU{gap}Elena Marinescu is a researcher.{gap}ION POPA{gap}Ion Popa is an economist.\n")
    article, _ = _parse(text)
    assert {author.name: author.bio for author in article.authors} == {
        "Elena Marinescu": "Elena Marinescu is a researcher.", "Ion Popa": "Ion Popa is an economist."}
    assert "POPA" not in "\n".join(article.body)
