"""Each analysis of a built site as a PDF in its language: notes as page footnotes, the cite box at the end.

Run on the built ``site/`` by the plugin's last ``on_post_build`` (so
``mkdocs build``, ``make site`` and ``deploy`` all print them), once every
language's pages are final; the engine costs a second or more per page, so
PDFs are cached by content between builds (:func:`cached`). An
analysis is a page our framing gave a byline (``<p class="tt-byline">``);
its PDF is ``<page folder>/<slug>.pdf``, and only once the PDF is written
does the page get its "Download PDF" link, so a site built without the
engine never links a PDF that is not there.

The engine is WeasyPrint (maintained, CSS paged media with ``float:
footnote``), run as its command ``weasyprint`` (Debian's package, or PyPI's
``weasyprint`` with its Pango libraries). Without it, :func:`publish_pdfs`
writes nothing and says so once in its report, which the caller prints as
one note: a missing PDF engine must not fail a strict site build.

The print document holds only the article and our inline stylesheet; images
are kept only when they are files of the site (relative URLs), so printing
fetches nothing from another host.
"""

from __future__ import annotations

import functools
import hashlib
import html as html_lib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin

from .fsutil import atomic_write_bytes, atomic_write_text
from .ui_text import label

ENGINE = "weasyprint"
"""The command that prints HTML to PDF."""
SWITCH_ENV = "THINKTANK_PDF"
"""Set to 0 (or false) to build without PDFs, e.g. a quick preview; the plugin's ``pdf: false`` does it for good."""
TIMEOUT = 120
"""Seconds one page may take before it is given up (and reported)."""

_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
_LANG = re.compile(r'<html[^>]*\blang="([^"]+)"')
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')
_BYLINE = re.compile(r'<p class="tt-byline">.*?</p>', re.S)
_NOTES = re.compile(r'<div class="footnote">.*?</ol>\s*</div>', re.S)
_NOTE = re.compile(r'<li id="fn:([^"]+)">\s*(.*?)\s*</li>', re.S)
_BACKREF = re.compile(r'(?:&nbsp;|\s)*<a class="footnote-backref"[^>]*>.*?</a>', re.S)
_REF = re.compile(r'<sup id="fnref(\d*):([^"]+)"><a class="footnote-ref" href="#fn:[^"]+">(.*?)</a></sup>', re.S)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_CITE = re.compile(r'<details class="quote tt-cite">\s*<summary>(.*?)</summary>(.*?)</details>', re.S)
_HREF = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)(")')
_IMG = re.compile(r'<img\b[^>]*?\ssrc="([^"]*)"[^>]*>')
_ABSOLUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|/)")

STYLE = """
@page { size: A4; margin: 2.2cm 2cm 2.4cm; @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "DejaVu Serif", serif; font-size: 10.5pt; line-height: 1.45; }
h1 { font-size: 18pt; line-height: 1.2; margin: 0 0 .4em; }
h2 { font-size: 13pt; } h3 { font-size: 11pt; }
a { color: inherit; text-decoration: none; }
.tt-byline, .tt-tags, .tt-provenance, .tt-status-details { color: #444; font-size: 9pt; }
.tt-tag { margin-right: .6em; }
.tt-lead { font-weight: bold; }
.tt-status { border-left: 3px solid #c60; padding: .2em .8em; margin: .6em 0; font-size: 9.5pt; }
.tt-fn { float: footnote; font-size: 8.5pt; line-height: 1.3; }
::footnote-call { font-size: 7pt; vertical-align: super; line-height: 0; }
::footnote-marker { font-size: 8.5pt; }
.tt-cite { border: 1px solid #999; padding: .4em .9em; margin-top: 1.2em; break-inside: avoid; }
.tt-cite h2 { font-size: 10.5pt; margin: .2em 0; }
.tt-author-box { border-left: 3px solid #666; padding: .1em .9em; margin: 1em 0; font-size: 9.5pt; }
.tt-related, .tt-pdf { display: none; }
img { max-width: 100%; }
"""


def wanted_by_environment() -> bool:
    """Whether ``THINKTANK_PDF`` leaves PDFs on (anything but 0, false, no, off)."""
    return os.environ.get(SWITCH_ENV, "").strip().lower() not in {"0", "false", "no", "off"}


@dataclass
class Report:
    written: list[Path] = field(default_factory=list)
    """The PDFs written (their pages now link them)."""
    failed: list[str] = field(default_factory=list)
    """One line per page the engine could not print: ``page: reason``."""
    note: str = ""
    """Why nothing was printed (no engine), for the caller's one note; empty otherwise."""


def is_analysis(page_html: str) -> bool:
    """Whether a built page is an analysis (our framing gave it a byline)."""
    article = _ARTICLE.search(page_html)
    return article is not None and _BYLINE.search(article.group(1)) is not None


def print_document(page_html: str, keep_image: Callable[[str], bool] = lambda src: True) -> str:
    """The standalone HTML WeasyPrint prints for one built analysis page.

    Each note moves to where it is first cited, as a ``float: footnote``
    (the engine puts it at the foot of that page and numbers the call); a
    note cited again is referred to by its number. The cite box is opened
    into a section; permalinks, related analyses and the PDF link are left
    out; links point at the site (absolute, from the page's canonical URL).
    Only relative images that ``keep_image`` accepts are kept (the engine
    would read any file a relative path reaches and put it in the PDF).
    """
    article = _ARTICLE.search(page_html)
    if article is None:
        raise ValueError("not a built page: no <article class=\"md-content__inner\">")
    body = article.group(1)
    notes_block = _NOTES.search(body)
    notes = {number: _BACKREF.sub("", text).strip() for number, text in _NOTE.findall(notes_block.group(0))} \
        if notes_block else {}
    body = _NOTES.sub("", body)

    def footnote(match: re.Match[str]) -> str:
        again, number, shown = match.group(1), match.group(2), match.group(3)
        text = notes.get(number)
        if again or text is None:
            return f"<sup>{shown}</sup>"
        return f'<span class="tt-fn">{_unwrap_paragraphs(text)}</span>'

    body = _REF.sub(footnote, body)
    body = _HEADERLINK.sub("", body)
    body = _CITE.sub(lambda m: f'<section class="tt-cite"><h2>{m.group(1)}</h2>{m.group(2)}</section>', body)
    canonical = _CANONICAL.search(page_html)
    base = html_lib.unescape(canonical.group(1)) if canonical else ""
    body = _HREF.sub(lambda m: m.group(1) + _absolute(m.group(2), base) + m.group(3), body)
    body = _IMG.sub(lambda m: m.group(0) if not _ABSOLUTE.match(m.group(1)) and keep_image(m.group(1)) else "",
                    body)
    lang = _LANG.search(page_html)
    return (f'<!doctype html>\n<html lang="{lang.group(1) if lang else "en"}">\n<head>\n<meta charset="utf-8">\n'
            f"<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def _unwrap_paragraphs(text: str) -> str:
    """A note's ``<p>`` blocks as inline text (a footnote is one float; block elements would break it)."""
    return re.sub(r"\s*</p>\s*<p>\s*", "<br>", re.sub(r"^\s*<p>|</p>\s*$", "", text))


def _absolute(href: str, base: str) -> str:
    if not base or href.startswith("#"):
        return href if not href.startswith("#fn") else ""
    return html_lib.escape(urljoin(base, html_lib.unescape(href)), quote=True)


def with_pdf_link(page_html: str, pdf_name: str, lang: str) -> str:
    """The page with "Download PDF" (in its language) after the byline; unchanged if it already links one."""
    if 'class="tt-pdf"' in page_html:
        return page_html
    link = (f'<p class="tt-pdf"><a href="{html_lib.escape(pdf_name, quote=True)}" type="application/pdf" '
            f'download>{html_lib.escape(label("download_pdf", lang))}</a></p>')
    return _BYLINE.sub(lambda m: m.group(0) + "\n" + link, page_html, count=1)


Printer = Callable[[str, Path], bytes]
"""HTML document and the folder its relative URLs resolve in → PDF bytes."""


def weasyprint_printer(command: str) -> Printer:
    """Print with the ``weasyprint`` command (one process per page, its error on one line)."""
    def run(document: str, folder: Path) -> bytes:
        with tempfile.TemporaryDirectory() as work:
            source, target = Path(work) / "page.html", Path(work) / "page.pdf"
            source.write_text(document, encoding="utf-8")
            result = subprocess.run([command, "--quiet", "--base-url", folder.resolve().as_uri() + "/", str(source), str(target)],
                                    capture_output=True, text=True, timeout=TIMEOUT, check=False)
            if result.returncode != 0 or not target.exists():
                lines = (result.stderr or "no output").strip().splitlines() or ["no output"]
                raise RuntimeError(f"{command} exited with {result.returncode}: {lines[-1]}")
            return target.read_bytes()

    return run


def find_printer() -> Printer | None:
    """WeasyPrint's command if it is installed, else None."""
    command = shutil.which(ENGINE)
    return weasyprint_printer(command) if command else None


def _inside(site: Path, folder: Path, src: str) -> bool:
    """Whether the image ``src`` of a page in ``folder`` is a file of the site (not ``../../../home/x.png``)."""
    path = (folder / unquote(html_lib.unescape(src).split("#")[0].split("?")[0])).resolve()
    return path.is_relative_to(site) and path.is_file()


def cached(printer: Printer, cache_dir: Path) -> tuple[Printer, Callable[[], None]]:
    """``printer`` behind a cache of PDFs by the SHA-256 of their print document, and a function that
    drops the cached PDFs this build did not use.

    The engine takes a second or more per page, and ``mkdocs build`` starts
    from an empty ``site/``: without the cache every build of a 1,000-article
    archive would reprint 3,000 PDFs. A page whose document did not change
    (same text, notes, links, language) gets the same bytes back.
    """
    used: set[Path] = set()

    def run(document: str, folder: Path) -> bytes:
        key = hashlib.sha256(f"{folder.name}\0{document}".encode()).hexdigest()
        entry = cache_dir / f"{key}.pdf"
        used.add(entry)
        try:
            return entry.read_bytes()
        except FileNotFoundError:
            data = printer(document, folder)
            atomic_write_bytes(entry, data)
            return data

    def prune() -> None:
        for entry in cache_dir.glob("*.pdf"):
            if entry not in used:
                entry.unlink(missing_ok=True)

    return run, prune


def publish_pdfs(site_dir: Path, printer: Printer | None = None, *, find: bool = True,
                 cache_dir: Path | None = None) -> Report:
    """A PDF beside every analysis of the built site, and its link on the page.

    ``printer`` defaults to :func:`find_printer`; when there is none, nothing
    is written and ``Report.note`` says why, once. A page the engine fails on
    keeps no link and is named in ``Report.failed``; the others go on. With
    ``cache_dir``, PDFs are reused by content (:func:`cached`).
    """
    report = Report()
    printer = printer or (find_printer() if find else None)
    if printer is None:
        report.note = (f"PDFs of analyses skipped: the PDF engine ({ENGINE}) is not installed "
                       "(Debian: apt install weasyprint; PyPI: pip install weasyprint)")
        return report
    prune = None
    if cache_dir is not None:
        printer, prune = cached(printer, cache_dir)
    for page in sorted(site_dir.rglob("index.html")):
        text = page.read_text(encoding="utf-8")
        if not is_analysis(text):
            continue
        lang = _LANG.search(text)
        target = page.parent / f"{page.parent.name}.pdf"
        try:
            document = print_document(text, functools.partial(_inside, site_dir.resolve(), page.parent))
            atomic_write_bytes(target, printer(document, page.parent))
        except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
            report.failed.append(f"{page.relative_to(site_dir)}: {exc}")
            continue
        atomic_write_text(page, with_pdf_link(text, target.name, lang.group(1) if lang else "en"))
        report.written.append(target)
    if prune is not None and not report.failed:
        prune()
    return report
