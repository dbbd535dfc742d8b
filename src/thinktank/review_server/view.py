"""What the editor shows of a page: rows built on ``review.review_rows``, rendered for the browser.

The rows (state, provenance, QA, suggestion) are the review sheet's, so the
sheet, the editor and ``thinktank status`` cannot disagree. This module adds
what only a browser needs: the source rendered (notes, links, emphasis), the
old and new source of a stale entry with the change marked, the glossary
terms a segment uses, the entry's version for the form, and a preview of the
page as the site shows it in that language (the plugin's own core:
``Localizer``, ``framing``, the status banner, and the site's sanitiser).

Everything that comes from a file is untrusted: segment text is rendered by
markdown-it with raw HTML off and then cleaned by nh3; the page preview goes
through the site's ``clean_html``; templates escape everything else.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from markdown_it import MarkdownIt

from .. import frontmatter, listings
from ..catalog import EntryState
from ..framing import page_markdown
from ..glossary import load as load_glossary
from ..library import load_library
from ..localize import Localizer
from ..review import ReviewRow, review_rows
from ..sanitize import clean_html
from ..segments import substitute_page
from .editing import entry_version, needs_work

_INLINE = MarkdownIt("commonmark", {"html": False}).enable("table")
_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_WORDS = re.compile(r"\s+|[^\s]+")

PREVIEW_EXTENSIONS = ["footnotes", "attr_list", "tables", "admonition", "md_in_html", "def_list"]
"""Python-Markdown extensions of the site's mkdocs.yml that change what a page shows."""
SECTIONS = ["analyses"]
"""The plugin's default ``sections``: the folders whose pages are articles."""


@dataclass(frozen=True)
class EditorRow:
    row: ReviewRow
    version: str
    source_html: str
    old_html: str | None
    """A stale entry's previous source, removed words marked ``<del>``."""
    new_html: str | None
    """Its current source, added words marked ``<ins>``."""
    terms: tuple[tuple[str, str], ...]
    needs_work: bool

    @property
    def state(self) -> str:
        return "needs-work" if self.needs_work else self.row.state.value

    def provenance_lines(self) -> list[str]:
        drafted = "first drafted as: " if self.row.state is EntryState.REVIEWED else ""
        return [drafted + item.line for item in self.row.provenance]


def render_source(text: str) -> str:
    """A segment's Markdown as HTML: emphasis, links and note references visible, raw HTML shown as text."""
    rendered = _INLINE.render(text)
    rendered = _NOTE_REF.sub(lambda m: f'<sup class="note-ref" title="note {html.escape(m.group(1))}">'
                                       f'[{html.escape(m.group(1))}]</sup>', rendered)
    return nh3.clean(rendered, tags={"p", "em", "strong", "a", "code", "sup", "sub", "br", "ul", "ol", "li",
                                     "blockquote", "table", "thead", "tbody", "tr", "th", "td", "del", "h1",
                                     "h2", "h3", "h4", "h5", "h6", "pre", "img"},
                     attributes={"a": {"href", "title"}, "sup": {"class", "title"}, "img": {"alt", "title"}},
                     link_rel="noopener noreferrer")


def word_diff(old: str, new: str) -> tuple[str, str]:
    """``old`` with removed words in ``<del>``, ``new`` with added words in ``<ins>``; all text escaped."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        removed, added = html.escape("".join(a[i1:i2])), html.escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    return "".join(left), "".join(right)


def terms_in(msgid: str, terms: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The glossary terms ``msgid`` uses, each with its target form (what QA's glossary check wants)."""
    return tuple((term, str(form)) for term, form in terms.items()
                 if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", msgid))


def editor_rows(docs_dir: Path, translations_dir: Path, lang: str, uri: str) -> list[EditorRow]:
    terms = load_glossary(translations_dir).for_language(lang)
    rows = []
    for row in review_rows(docs_dir, translations_dir, lang, uri, terms):
        old = new = None
        if row.previous is not None and row.state is EntryState.STALE:
            old, new = word_diff(row.previous, row.msgid)
        rows.append(EditorRow(row, entry_version(row.entry), render_source(row.msgid), old, new,
                              terms_in(row.msgid, terms), needs_work(row.entry)))
    return rows


@dataclass(frozen=True)
class Preview:
    title: str
    html: str


def preview(docs_dir: Path, translations_dir: Path, lang: str, uri: str,
            overrides: dict[str, str] | None = None) -> Preview:
    """The page as the site would show it in ``lang``: translated, framed, with its status banner, sanitised.

    ``overrides`` (msgid → text) are a reviewer's unsaved edits, shown in place
    of the catalog's msgstr; the banner still tells the state as saved.
    """
    overrides = {key: value for key, value in (overrides or {}).items() if value}
    meta, body = frontmatter.read(docs_dir / uri, fields=False)
    localizer = Localizer(translations_dir, lang, load_glossary(translations_dir))
    translated = localizer.page(uri, dict(meta), body)
    done = substitute_page(dict(meta), body, lambda text: overrides.get(text) or localizer.lookup(uri, text))
    banner = listings.status_banner(translated.state, translated.provenance, translated.machine,
                                    f"../{uri}", lang)
    library = localizer.library(load_library(docs_dir, SECTIONS))
    framed = page_markdown(done.body, uri=uri, lang=lang, library=library,
                           cite=listings.PageAddress("preview", f"/{lang}/{uri}"),
                           allowed=listings.markers(body), banner=banner)
    rendered = markdown.markdown(framed, extensions=PREVIEW_EXTENSIONS, output_format="html")
    title = str(done.meta.get("title") or uri)
    return Preview(title, clean_html(rendered))

