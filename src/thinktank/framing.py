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

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from . import listings, markers, pagination
from .library import Library, is_author_page, reading_minutes
from .listings import Hold, ListingContext, Original, PageAddress, as_is
from .pagination import PER_PAGE, Position
from .ui_text import DEFAULT, label

_BACKLINK = re.compile(r'title="Jump back to footnote (\d+) in the text"')
"""Python-Markdown's footnotes extension writes this English title on every back-link."""


class Held:
    """The site's own HTML fragments of one page, kept out of Python-Markdown.

    Even as raw HTML blocks, the frame and the listings' cards went through
    Python-Markdown's HTML parser, and a listing page of 20 cards cost more to
    render than an article. So each fragment is replaced by a placeholder
    paragraph (``tt<key>x<n>``, a word Markdown leaves alone) and put back into
    the rendered, sanitised HTML. The fragments are made from escaped values
    only (:func:`thinktank.listings.text`; a bio is cleaned as it is rendered);
    ``key`` is random per build, so no stranger's text can name a placeholder.

    Two moments: what is held by calling the object comes back before the
    search index reads the page (:meth:`put_back`: byline, lead, banner,
    listings); what is held by :meth:`after_search` comes back in the finished
    page only (:meth:`put_back_after_search`: credit, citation, author boxes,
    related analyses), so an analysis is not found by its author's bio or by
    the titles of the analyses it lists as related.
    """

    def __init__(self, key: str) -> None:
        if not key.isalnum():
            raise ValueError("a placeholder key is letters and digits (Markdown must leave it as it is)")
        self.key = key
        self.fragments: list[str] = []
        self.late: list[str] = []

    def __call__(self, fragment: str) -> str:
        self.fragments.append(fragment)
        return f"tt{self.key}x{len(self.fragments) - 1}"

    def after_search(self, fragment: str) -> str:
        self.late.append(fragment)
        return f"tt{self.key}y{len(self.late) - 1}"

    def put_back(self, html: str) -> str:
        """The rendered page with every placeholder of the first moment replaced by its fragment, and those held
        :meth:`after_search` turned into HTML comments, which the search index does not read."""
        html = self._put(html, "x", self.fragments)
        return self._put(html, "y", [f"<!--tt{self.key}y{number}-->" for number in range(len(self.late))])

    def put_back_after_search(self, html: str) -> str:
        """The finished page with the fragments held :meth:`after_search` in place."""
        for number, fragment in enumerate(self.late):
            html = html.replace(f"<!--tt{self.key}y{number}-->", fragment, 1)
        return html

    def _put(self, html: str, moment: str, replacements: list[str]) -> str:
        """Each placeholder of ``moment`` replaced: the paragraph Python-Markdown made of it, else (inside a
        list item, say) the word alone, never the start of a longer one ("...x1" in "...x10"). str.replace
        scans for a literal: a regex with an optional "<p>" before the word tried every position of the page
        (1.2 s at 1,000 analyses)."""
        for number, replacement in enumerate(replacements):
            word = f"tt{self.key}{moment}{number}"
            paragraph = f"<p>{word}</p>"
            if paragraph in html:
                html = html.replace(paragraph, replacement, 1)
            else:
                found = re.search(rf"{word}(?!\d)", html)
                if found is not None:
                    html = html[:found.start()] + replacement + html[found.end():]
        return html


def page_markdown(markdown: str, *, uri: str, lang: str, library: Library, cite: PageAddress,
                  allowed: set[str], latest: int = 10, banner: str = "", original: Original | None = None,
                  minutes: int | None = None, position: Position | None = None,
                  per_page: int = PER_PAGE, topic_pages: Mapping[str, str] | None = None,
                  hold: Hold = as_is, hold_late: Hold | None = None, bios: Mapping[str, str] | None = None) -> str:
    """The page's Markdown with its listings expanded and its frame around it, a status banner on top.

    ``allowed`` are the markers the source (English) page carries: only
    those are expanded (see :func:`thinktank.markers.expand`). ``original``
    is where an imported article first appeared (:func:`original_of`). ``minutes`` is the
    reading time when the caller already knows it (else the Markdown is parsed for it). ``position`` is
    which page of its listing the page is (:mod:`thinktank.pagination`): ``uri`` stays the source page's,
    links are made from where the page lives. ``topic_pages`` are the tags (as shown) that have a page of
    their own (:mod:`thinktank.topics`), and its docs/ path. ``hold`` is what becomes of the site's HTML
    fragments (a :class:`Held`, or left in the Markdown as raw HTML blocks), ``hold_late`` what becomes of
    those search should not read (:meth:`Held.after_search`). ``bios`` are authors' bios already rendered
    and cleaned, by author id (an author without one gets the bio's Markdown in the page).
    """
    here = pagination.page_uri(uri, position.number) if position is not None else uri
    expanded = markers.expand(markdown, allowed, listings.LISTINGS,
                              ListingContext(library, here, lang, latest, position, per_page, topic_pages or {}, hold))
    framed = frame(expanded, uri=uri, lang=lang, library=library, cite=cite, original=original, minutes=minutes,
                   position=position, per_page=per_page, topic_pages=topic_pages, hold=hold, hold_late=hold_late,
                   bios=bios)
    return f"{hold(banner)}\n\n{framed}" if banner else framed


def frame(markdown: str, *, uri: str, lang: str, library: Library, cite: PageAddress,
          original: Original | None = None, minutes: int | None = None, position: Position | None = None,
          per_page: int = PER_PAGE, topic_pages: Mapping[str, str] | None = None, hold: Hold = as_is,
          hold_late: Hold | None = None, bios: Mapping[str, str] | None = None) -> str:
    """An article or author page with header and footer; any other page unchanged."""
    entry = library.article(uri)
    if entry is not None:
        header = hold(listings.article_header(entry, library, uri, lang,
                                              minutes if minutes is not None else reading_minutes(markdown), topic_pages))
        footer = listings.article_footer(entry, library, uri, lang, cite, original, hold_late or hold, bios)
        return f"{header}\n\n{markdown.strip()}\n\n{footer}\n"
    author = library.authors.get(PurePosixPath(uri).stem) if is_author_page(uri) else None
    if author is not None:
        header = listings.author_page_header(author, lang)
        here = pagination.page_uri(uri, position.number) if position is not None else uri
        footer = listings.author_page_footer(author, library, here, lang, position, per_page, hold)
        return f"{header}\n\n{markdown.strip()}\n\n{footer}\n"
    return markdown


_RELATIVE_TARGET = r"(?![a-z][a-z0-9+.-]*:|#|/)"
_PAGE_BOUND = re.compile(rf"\]\(\s*<?{_RELATIVE_TARGET}|^\s*\[[^\]]+\]:\s*{_RELATIVE_TARGET}|"
                         rf"(?:href|src)\s*=\s*[\"']?{_RELATIVE_TARGET}", re.I | re.M)
"""A relative link or image (``[x](../a.md)``, ``[x]: a.md``, ``href="a/"``) or a note definition (``[^1]:``)."""


def bio_renders_alone(bio: str) -> bool:
    """Whether a bio can be rendered once for every page it is shown on: not when it holds a relative link
    or image (MkDocs resolves those from the page that shows it) or notes (numbered with the page's)."""
    return _PAGE_BOUND.search(bio) is None


def without_unused_notes_place(html: str) -> str:
    """The rendered page without the notes' place marker when it has no notes: Python-Markdown's footnotes
    extension swaps :data:`thinktank.listings.FOOTNOTES_PLACE` for the notes, and leaves it as a paragraph of
    text ("///Footnotes Go Here///") on a page that has none."""
    return html.replace(f"<p>{listings.FOOTNOTES_PLACE}</p>", "", 1)


def localize_backlinks(html: str, lang: str) -> str:
    """Footnote back-links titled in the page's language (the footnotes extension only speaks English)."""
    if lang == DEFAULT:
        return html
    return _BACKLINK.sub(lambda m: f'title="{label("backlink", lang, number=m.group(1))}"', html)


def original_of(meta: Mapping[str, Any]) -> Original:
    """Where the page's ``source:`` says the article first appeared: its URL when it is a web address
    (http or https, nothing a browser would read otherwise), and its date (``source.date``, else the page's).

    Front matter is a stranger's text: anything else (``javascript:``, a list, a bad date) is simply
    not linked or not dated, never an error, since the article itself is still worth showing.
    """
    source = meta.get("source")
    source = source if isinstance(source, Mapping) else {}
    url = source.get("url")
    date = source.get("date", meta.get("date"))
    return Original(url=url if isinstance(url, str) and is_web_url(url) else "",
                    date=date if isinstance(date, dt.date) else None)


_WEB_URL = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f]+", re.I)
"""An http(s) address: no whitespace, quotes, angle brackets, backslashes or controls (nothing that
could end an attribute or a tag, or that a browser would strip and so read differently)."""
_ESCAPED_WEB_URL = re.compile(r"https?://(?:[^\s<>\"'`\\\x00-\x1f\x7f&]|&amp;)+", re.I)
""":data:`_WEB_URL` in escaped HTML text: ``&amp;`` is the address's own ``&``; any other reference
(``&nbsp;`` before Python-Markdown's back link, ``&lt;``, ``&#160;``) ends it."""
_TRAILING = ".,;:!?)]}’”»"
"""Punctuation that ends the sentence a URL sits in rather than the URL ("(see https://x.org/a).")."""


def is_web_url(value: str) -> bool:
    """Whether ``value`` is one whole http(s) address (see :data:`_WEB_URL`) with a host."""
    match = _WEB_URL.fullmatch(value)
    return match is not None and bool(re.match(r"https?://[^/?#]", value, re.I))


def _url_end(candidate: str) -> str:
    """``candidate`` without the sentence's closing punctuation; a ``)`` stays when the URL opened one."""
    while candidate and candidate[-1] in _TRAILING:
        if candidate[-1] == ")" and candidate.count("(") >= candidate.count(")"):
            break
        candidate = candidate[:-1]
    return candidate


_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>"']|"[^"]*"|'[^']*')*>|([^<]+)|<""")
"""A tag (a ``>`` inside a quoted attribute value does not end it: nh3 writes it as ``&gt;``, but HTML
allows it raw, and reading it as the tag's end would put a link inside an attribute), or text."""
_NO_LINKS_IN = {"a", "code", "pre", "kbd"}


def link_note_urls(html: str) -> str:
    """Bare http(s) addresses in the notes (Python-Markdown's ``<div class="footnote">``) made links.

    Runs on sanitised HTML, so text is already escaped (``&amp;``, ``&lt;``):
    a link's ``href`` is the address's text as it stands, which a browser
    unescapes to the address itself, and an address cannot contain a quote or
    ``<`` (:data:`_WEB_URL`), so it cannot leave the attribute. Text already in
    a link, or in code, is left as it is. Other schemes are never linked.
    """
    start = _NOTES.search(html) if "footnote" in html else None
    if start is None:  # most of a page is before its notes: only from there on is it read tag by tag
        return html
    return html[:start.start()] + _linked_from_notes(html[start.start():])


_NOTES = re.compile(r'<div\b(?:[^>"\']|"[^"]*"|\'[^\']*\')*?\bclass="[^"]*\bfootnote\b')
"""The opening tag of the notes. In sanitised HTML a ``"`` inside an attribute value is ``&quot;`` and a
``<`` in text is ``&lt;``, so this can only match a real tag."""


def _linked_from_notes(html: str) -> str:
    """:func:`link_note_urls` on HTML that starts at (or before) the notes."""
    out: list[str] = []
    depth = 0  # inside the notes: how many <div> deep
    blocked = 0  # inside <a>, <code>, <pre> in the notes
    for match in _TAG.finditer(html):
        closing, tag, text = match.group(1), (match.group(2) or "").lower(), match.group(3)
        if match.group(0) == "<":  # a lone "<" (sanitised HTML has none): kept, never linked across
            out.append("<")
            continue
        if text is not None:
            out.append(_link_urls(text) if depth and not blocked else text)
            continue
        whole = match.group(0)
        if tag == "div":
            if depth:
                depth += -1 if closing else 1
            elif not closing and re.search(r'class="[^"]*\bfootnote\b', whole):
                depth = 1
        elif depth and tag in _NO_LINKS_IN and not whole.endswith("/>"):
            blocked += -1 if closing else 1
            blocked = max(blocked, 0)
        out.append(whole)
    return "".join(out)


def _link_urls(text: str) -> str:
    def anchor(match: re.Match[str]) -> str:
        url = _url_end(match.group(0))
        if not is_web_url(url):
            return match.group(0)
        rest = match.group(0)[len(url):]
        return f'<a class="tt-source" href="{url}" rel="nofollow noopener">{url}</a>{rest}'

    return _ESCAPED_WEB_URL.sub(anchor, text)


ARTICLE_SEARCH_BOOST = 2
"""How much an analysis outranks another page matching as well (Material's ``search.boost``)."""


def search_settings(markers_in_source: set[str], is_article: bool) -> dict[str, Any]:
    """Material's per-page ``search`` front matter: pages made of listings (home, indexes, topics) are left
    out of the index, so a query finds the analyses they list rather than the lists; analyses are boosted
    above the rest (about, author pages). Empty for any other page."""
    if markers_in_source:
        return {"exclude": True}
    return {"boost": ARTICLE_SEARCH_BOOST} if is_article else {}
