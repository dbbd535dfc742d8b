"""Each analysis as a PDF in its language: notes as footnotes, the cite box, the page's link, and a site
without the engine that simply has no PDFs (and says so once)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from thinktank import pdf

from .conftest import snapshot

ANKASAM = "analyses/background-of-russia-north-korea-cooperation"
PISM = "analyses/north-korea-strengthens-cooperation-with-russia"
HAVE_ENGINE = shutil.which(pdf.ENGINE) is not None and shutil.which("pdftotext") is not None
needs_engine = pytest.mark.skipif(not HAVE_ENGINE, reason="weasyprint and pdftotext are not installed")

PAGE = """<!doctype html><html lang="ru" class="no-js"><head>
<link rel="canonical" href="https://example.org/ru/analyses/a/"></head><body>
<nav><a href="../../">Главная</a></nav>
<article class="md-content__inner md-typeset">
<h1>Заголовок</h1>
<p class="tt-byline">Без даты · <a href="../../authors/x/">Автор</a></p>
<h2 id="itogi">Итоги<a class="headerlink" href="#itogi" title="Permanent link">&para;</a></h2>
<p>Текст.<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup> Снова.<sup id="fnref2:1"><a class="footnote-ref" href="#fn:1">1</a></sup>
<img src="chart.png" alt="local"><img src="https://tracker.example/p.gif" alt="remote"></p>
<div class="footnote">
<hr>
<ol>
<li id="fn:1">
<p>Reuters, <a href="https://r.example/x">https://r.example/x</a>.&nbsp;<a class="footnote-backref" href="#fnref:1" title="Вернуться">&#8617;</a><a class="footnote-backref" href="#fnref2:1">&#8617;</a></p>
</li>
</ol>
</div>
<details class="quote tt-cite">
<summary>Как цитировать</summary>
<p class="tt-citation">Автор. Заголовок // Сайт. URL: https://example.org/ru/analyses/a/</p>
</details>
<nav class="tt-related"><p>Похожие</p></nav>
</article></body></html>
"""


def test_a_note_becomes_a_footnote_where_it_is_first_cited() -> None:
    document = pdf.print_document(PAGE)
    assert ('Текст.<span class="tt-fn">Reuters, <a href="https://r.example/x">https://r.example/x</a>.</span> '
            "Снова.<sup>1</sup>") in document
    assert "footnote-backref" not in document and 'class="footnote"' not in document
    assert "float: footnote" in document and '<html lang="ru">' in document


def test_the_print_document_keeps_the_cite_box_open_and_links_to_the_site() -> None:
    document = pdf.print_document(PAGE)
    assert '<section class="tt-cite"><h2>Как цитировать</h2>' in document and "<details" not in document
    assert 'href="https://example.org/ru/authors/x/"' in document
    assert "headerlink" not in document and "&para;" not in document
    assert "Главная" not in document  # only the article
    assert 'src="chart.png"' in document and "tracker.example" not in document  # nothing from another host


def test_the_pdf_link_is_in_the_pages_language_after_the_byline_and_added_once() -> None:
    linked = pdf.with_pdf_link(PAGE, "a.pdf", "ru")
    assert ('<p class="tt-byline">Без даты · <a href="../../authors/x/">Автор</a></p>\n<p class="tt-pdf">'
            '<a href="a.pdf" type="application/pdf" download>Скачать PDF</a></p>') in linked
    assert pdf.with_pdf_link(linked, "a.pdf", "ru") == linked
    assert "PDF olarak indir" in pdf.with_pdf_link(PAGE, "a.pdf", "tr")


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for folder, html in ((f"ru/{ANKASAM}", PAGE), ("about", PAGE.replace('class="tt-byline"', 'class="x"'))):
        (site / folder).mkdir(parents=True)
        (site / folder / "index.html").write_text(html, encoding="utf-8")
    return site


def test_without_the_engine_nothing_is_written_and_one_note_says_why(tmp_path: Path) -> None:
    site = _site(tmp_path)
    before = snapshot(site)
    report = pdf.publish_pdfs(site, None, find=False)
    assert report.written == [] and report.failed == []
    assert report.note.startswith("PDFs of analyses skipped: the PDF engine (weasyprint) is not installed")
    assert snapshot(site) == before  # no PDF, and no page links one


def test_a_page_the_engine_fails_on_keeps_no_link_and_the_others_go_on(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / f"tr/{PISM}").mkdir(parents=True)
    (site / f"tr/{PISM}" / "index.html").write_text(PAGE.replace('lang="ru"', 'lang="tr"'), encoding="utf-8")

    def printer(document: str, folder: Path) -> bytes:
        if "/ru/" in folder.as_posix():
            raise RuntimeError("weasyprint exited with 1: boom")
        return b"%PDF-1.7 test"

    report = pdf.publish_pdfs(site, printer)
    assert report.failed == [f"ru/{ANKASAM}/index.html: weasyprint exited with 1: boom"]
    assert report.written == [site / f"tr/{PISM}" / f"{PISM.rsplit('/', 1)[1]}.pdf"]
    assert "tt-pdf" not in (site / f"ru/{ANKASAM}" / "index.html").read_text(encoding="utf-8")
    assert not list((site / f"ru/{ANKASAM}").glob("*.pdf"))
    assert "PDF olarak indir" in (site / f"tr/{PISM}" / "index.html").read_text(encoding="utf-8")
    assert "tt-pdf" not in (site / "about" / "index.html").read_text(encoding="utf-8")  # not an analysis


def test_only_images_of_the_site_itself_are_printed(tmp_path: Path) -> None:
    site = _site(tmp_path)
    page = site / f"ru/{ANKASAM}" / "index.html"
    (page.parent / "chart.png").write_bytes(b"png")
    (tmp_path / "secret.png").write_bytes(b"png")
    page.write_text(PAGE.replace('<img src="chart.png" alt="local">',
                                 '<img src="chart.png" alt="local"><img src="../../../../secret.png" alt="outside">'),
                    encoding="utf-8")
    printed: list[str] = []
    pdf.publish_pdfs(site, lambda document, folder: printed.append(document) or b"%PDF-1.7")
    assert 'src="chart.png"' in printed[0] and "secret.png" not in printed[0]


def _pdf_text(path: Path, *pages: str) -> str:
    """The PDF's text (``pages``: pdftotext's ``-f N -l N``), line breaks and layout spaces as single spaces."""
    return " ".join(subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def _printed(built_site: Path, tmp_path: Path, pages: list[str]) -> tuple[Path, pdf.Report]:
    site = tmp_path / "site"
    for page in pages:
        shutil.copytree(built_site / page, site / page)
    return site, pdf.publish_pdfs(site)


@needs_engine
def test_the_pdf_of_an_analysis_holds_its_notes_and_cite_box_in_its_language(built_site: Path, tmp_path: Path) -> None:
    site, report = _printed(built_site, tmp_path, [f"ru/{ANKASAM}", f"tr/{PISM}"])
    assert report.failed == [] and len(report.written) == 2
    ru = _pdf_text(site / f"ru/{ANKASAM}" / f"{ANKASAM.rsplit('/', 1)[1]}.pdf")
    assert "Предпосылки сотрудничества России и КНДР" in ru and "Как цитировать" in ru
    assert "Cable News Network World" in ru and "Дата обращения: 01.02.2024" in ru and "Там же." in ru
    assert ru.count("Дата обращения") == 4  # the four notes with an access date, each once
    first_page = _pdf_text(site / f"ru/{ANKASAM}" / f"{ANKASAM.rsplit('/', 1)[1]}.pdf", "-f", "1", "-l", "1")
    assert "“Russia’s Putin to Visit North Korea Soon, State Media Says”" in first_page  # at the foot of its page
    tr = _pdf_text(site / f"tr/{PISM}" / f"{PISM.rsplit('/', 1)[1]}.pdf")
    assert "Bu analize atıf yapın" in tr
    page = (site / f"ru/{ANKASAM}" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{ANKASAM.rsplit("/", 1)[1]}.pdf" type="application/pdf" download>Скачать PDF</a>' in page


@pytest.mark.slow
@needs_engine
def test_every_analysis_of_the_site_gets_its_pdf(built_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    report = pdf.publish_pdfs(site)
    assert report.failed == [] and len(report.written) == 6
    for path in report.written:
        assert _pdf_text(path).strip() and (path.stat().st_mode & 0o044) == 0o044  # readable by the web server
