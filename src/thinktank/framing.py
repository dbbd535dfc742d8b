"""What the site adds around and into a page: listings at its markers, the article or author frame.

The plugin hands each page's Markdown (already in the pass's language) to
:func:`page_markdown` and gets back what MkDocs renders. An article gets a
byline, tags and lead above its text and notes, provenance, "cite this", its
authors' boxes and related analyses below; an author page gets the
affiliation above the bio and the author's analyses below; any other page is
left as it is. Everything here is a pure function of its arguments: no
MkDocs, no disk.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from . import listings, markers
from .library import Library, is_author_page, reading_minutes
from .listings import ListingContext, PageAddress
from .ui_text import DEFAULT, label

_BACKLINK = re.compile(r'title="Jump back to footnote (\d+) in the text"')
"""Python-Markdown's footnotes extension writes this English title on every back-link."""


def page_markdown(markdown: str, *, uri: str, lang: str, library: Library, cite: PageAddress,
                  allowed: set[str], latest: int = 10, banner: str = "") -> str:
    """The page's Markdown with its listings expanded and its frame around it, a status banner on top.

    ``allowed`` are the markers the source (English) page carries: only
    those are expanded (see :func:`thinktank.markers.expand`).
    """
    expanded = markers.expand(markdown, allowed, listings.LISTINGS, ListingContext(library, uri, lang, latest))
    framed = frame(expanded, uri=uri, lang=lang, library=library, cite=cite)
    return f"{banner}\n\n{framed}" if banner else framed


def frame(markdown: str, *, uri: str, lang: str, library: Library, cite: PageAddress) -> str:
    """An article or author page with header and footer; any other page unchanged."""
    entry = library.article(uri)
    if entry is not None:
        header = listings.article_header(entry, library, uri, lang, reading_minutes(markdown))
        footer = listings.article_footer(entry, library, uri, lang, cite)
        return f"{header}\n\n{markdown.strip()}\n\n{footer}\n"
    author = library.authors.get(PurePosixPath(uri).stem) if is_author_page(uri) else None
    if author is not None:
        header = listings.author_page_header(author, lang)
        footer = listings.author_page_footer(author, library, uri, lang)
        return f"{header}\n\n{markdown.strip()}\n\n{footer}\n"
    return markdown


def localize_backlinks(html: str, lang: str) -> str:
    """Footnote back-links titled in the page's language (the footnotes extension only speaks English)."""
    if lang == DEFAULT:
        return html
    return _BACKLINK.sub(lambda m: f'title="{label("backlink", lang, number=m.group(1))}"', html)
