"""Word files other people made: read as they are, text unchanged, nothing dropped unsaid (issue 10).

Every fixture is a Word file we build from ``tests/docx/<case>.docx.txt``
(parts written by hand, see ``docx_build``); each has its expected pages in
``<case>.expect.md``. The other tests build their file in code.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import markdown
import pytest

from thinktank import frontmatter
from thinktank.errors import ArticleFormatError
from thinktank.importers import ImportOptions, docx_pandoc, parse_file

from . import docx_build
from .conftest import ROOT
from .test_import_cases import _written

CASES = sorted((ROOT / "tests" / "docx").glob("*.docx.txt"))
SITE_EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
                   "pymdownx.superfences"]
"""The Markdown extensions of the site's mkdocs.yml (toc and details change nothing here)."""


def _file(tmp_path: Path, parts: dict[str, str], name: str = "article.docx") -> Path:
    target = tmp_path / name
    target.write_bytes(docx_build.build(parts))
    return target


def _case(case: Path, tmp_path: Path) -> Path:
    return _file(tmp_path, docx_build.read_fixture(case), case.name.removesuffix(".txt"))


def _body(tmp_path: Path) -> str:
    (page,) = (tmp_path / "docs" / "analyses").glob("*.md")
    return frontmatter.read(page)[1]


@pytest.mark.parametrize("case", CASES, ids=[case.name.removesuffix(".docx.txt") for case in CASES])
def test_word_case_matches_golden(case: Path, tmp_path: Path, run_cli, golden) -> None:
    result = run_cli("import", _case(case, tmp_path), "--docs-dir", tmp_path / "docs")
    assert result.code == 0, result.err
    golden(case.with_name(case.name.removesuffix(".docx.txt") + ".expect.md"), _written(tmp_path / "docs"))


def test_superscripts_and_literal_markdown_render_as_written(tmp_path: Path) -> None:
    article, _ = parse_file(_case(ROOT / "tests" / "docx" / "text-kept-as-written.docx.txt", tmp_path), ImportOptions())
    html = markdown.markdown("\n\n".join(article.body), extensions=SITE_EXTENSIONS)
    assert "10<sup>6</sup> tonnes of CO<sub>2</sub>" in html, "a Word superscript must not become 106"
    assert '<a href="https://example.org/a">the port report</a> and <a' in html, "spaces next to links are kept"
    text = re.sub(r"<[^>]+>", "", html)
    assert "# is not a heading, [x](y) is not a link, _x_ and *y* are not emphasis, and [3] is not a note." in text
    assert "<h1" not in html and "<ol" not in html and "<ul" not in html and "<b>" not in html
    assert "1. This line is not a list item" in text and "&lt;b&gt;tags&lt;/b&gt; and &amp;amp; stay text" in html
    assert "<em>emphasis</em>" in html and "<strong>strong</strong>" in html and "<em>italic with a space</em> and" in html
    assert "<code>x = [1]</code>" in html and not article.footnotes


def test_lists_quotes_code_tables_and_notes_keep_their_structure(tmp_path: Path) -> None:
    article, _ = parse_file(_case(ROOT / "tests" / "docx" / "structure-survives.docx.txt", tmp_path), ImportOptions())
    html = markdown.markdown("\n\n".join(article.body), extensions=SITE_EXTENSIONS)
    assert re.search(r"<ol>\s*<li>close the ports\s*<ol>\s*<li>Odesa first</li>\s*</ol>\s*</li>\s*<li>reopen them", html)
    assert html.count("<blockquote>") == 1 and "Nor is it a road." in html.split("</blockquote>")[0]
    assert "```\nfor port in ports:\n    close(port)\n```" in article.body, "code keeps its lines and indentation"
    assert "<code>for port in ports:\n    close(port)\n</code>" in html
    assert "<td>Closed | reopened<br>Second paragraph<br>• a listed point</td>" in html
    assert article.footnotes[0].text == "First paragraph of the note.\n\n    Second paragraph of the note."
    page = markdown.markdown("\n\n".join(article.body) + "\n\n[^1]: " + article.footnotes[0].text,
                             extensions=SITE_EXTENSIONS)
    assert re.search(r"<p>First paragraph of the note.</p>\s*<p>Second paragraph of the note.", page)


def test_word_styles_give_title_subtitle_date_abstract_and_the_byline_is_not_printed_twice(tmp_path: Path) -> None:
    source = _case(ROOT / "tests" / "docx" / "styles-give-the-metadata.docx.txt", tmp_path)
    article, warnings = parse_file(source, ImportOptions())
    assert article.title == "Grain Corridors After the War", "a 'Microsoft Word - x.doc' property does not win"
    assert [author.name for author in article.authors] == ["Jane Roe", "John Doe"]
    assert str(article.date) == "2024-03-14" and article.summary == "Insurance, not navies, reopened the sea."
    assert article.body == ["*What the insurers learnt*", "The corridor opened in August."]
    assert any("taken from Word's Title style" in line for line in warnings)


@pytest.mark.parametrize(("core", "first", "title", "source"), [
    ("<dc:title>.</dc:title>", "", "Heading Title", "the first heading"),
    ("<dc:title>Title</dc:title>", "", "Heading Title", "the first heading"),
    ("<dc:title>   </dc:title>", "Title", "Styled Title", "Word's Title style"),
    ("<dc:title>Normal.dotm</dc:title>", "para", "A Short First Line", "the first short paragraph"),
    ("", "sentence", "Report draft", "the file name"),
    ("<dc:title>Real Property Title</dc:title>", "", "Real Property Title", None),
])
def test_title_fallbacks_each_say_where_the_title_came_from(tmp_path: Path, core: str, first: str, title: str,
                                                            source: str | None) -> None:
    lead = {"": docx_build.p("Heading Title", "Heading1"), "Title": docx_build.p("Styled Title", "Title"),
            "para": docx_build.p("A Short First Line"),
            "sentence": docx_build.p("A first paragraph that is a sentence. It goes on.")}[first]
    parts = {"body": lead + docx_build.p("The text of the article.")}
    if core:
        parts["core"] = core
    article, warnings = parse_file(_file(tmp_path, parts, "report_draft.docx"), ImportOptions())
    assert article.title == title
    said = [line for line in warnings if "taken from" in line]
    assert said == ([] if source is None else [f"{tmp_path / 'report_draft.docx'}: title {title!r} taken from {source}"])
    assert "The text of the article." in article.body


def test_a_main_part_found_through_content_types_and_strict_ooxml_are_read(tmp_path: Path) -> None:
    parts = {"main": "word/document2.xml", "core": "<dc:title>Strict and Odd</dc:title>",
             "body": docx_build.p("Read through [Content_Types].xml.")}
    data = docx_build.build(parts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["_rels/.rels"] = members["_rels/.rels"].replace(b"officeDocument\"", b"somethingElse\"")
    for name, content in members.items():  # strict OOXML: the purl.oclc.org namespaces
        members[name] = re.sub(rb"http://schemas.openxmlformats.org/(\w+)/2006/(\w+)",
                               rb"http://purl.oclc.org/ooxml/\1/\2", content)
    target = tmp_path / "strict.docx"
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    article, _ = parse_file(target, ImportOptions())
    assert article.title == "Strict and Odd" and article.body == ["Read through \\[Content_Types\\].xml."]


def test_what_is_left_out_is_said(tmp_path: Path) -> None:
    picture = ('<w:r><w:drawing><wp:inline><wp:docPr id="1" name="p"/><a:graphic><a:graphicData>'
               '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill>'
               '<a:blip r:embed="rIdImage"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline>'
               '</w:drawing></w:r>')
    parts = {"core": "<dc:title>Left Out</dc:title>",
             "body": docx_build.p(runs='<w:r><w:t>Text</w:t></w:r><w:r><w:commentReference w:id="0"/></w:r>' + picture)
             + docx_build.p("Second.") + docx_build.p("Another article?", "Title") + docx_build.p("More", "Title"),
             "comments": '<w:comment w:id="0" w:author="Ed"><w:p><w:r><w:t>Cut this</w:t></w:r></w:p></w:comment>'}
    article, warnings = parse_file(_file(tmp_path, parts), ImportOptions())
    said = " | ".join(warnings)
    assert "1 comment(s) left out" in said and "1 picture(s) left out" in said
    assert "2 paragraphs in Word's Title style: the file may hold several articles" in said
    assert "Cut this" not in " ".join(article.body)


def test_a_file_without_text_is_refused_in_one_line(tmp_path: Path) -> None:
    source = _file(tmp_path, {"core": "<dc:title>Template</dc:title>", "body": docx_build.p("") * 3}, "blank.docx")
    with pytest.raises(ArticleFormatError, match=r"blank\.docx: the Word file has no text \(an empty document or template\)$"):
        parse_file(source, ImportOptions())


def test_pandoc_missing_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_pandoc, "pandoc_binary", lambda: None)
    source = _file(tmp_path, {"body": docx_build.p("Text.")})
    with pytest.raises(ArticleFormatError, match=r"cannot read Word files: pandoc is missing; install it with"):
        parse_file(source, ImportOptions())


def test_a_note_whose_reference_has_no_note_is_a_warning_not_a_refusal(tmp_path: Path) -> None:
    parts = {"core": "<dc:title>Orphan</dc:title>",
             "body": docx_build.p(runs='<w:r><w:t>Text.</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r>'),
             "footnotes": '<w:footnote w:id="1"><w:p><w:r><w:t>Unused.</w:t></w:r></w:p></w:footnote>'}
    article, warnings = parse_file(_file(tmp_path, parts), ImportOptions())
    assert article.body[0].startswith("Text.")
    assert any("refers to footnote 7, which the file does not contain" in line for line in warnings)
