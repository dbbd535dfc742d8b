"""Fragments the site adds to pages: listings, bylines, author boxes.

Most fragments are HTML, made here with their links as final URLs
(:func:`thinktank.urls.relative_url`: directory URLs, relative, the same in
every language's folder). As Markdown, with MkDocs resolving their links, the
frame and the listings' cards cost more to render than the article itself
(1,000 articles in three languages built in 2.45x the time of the same site
without the plugin), so each is handed to a :data:`Hold`: the plugin keeps it
out of Python-Markdown and puts it back into the rendered page
(:class:`thinktank.framing.Held`); without one it stays in the Markdown as a
raw HTML block. Only what must be Markdown stays Markdown: headings that
belong in the page's table of contents, and a bio that only the page showing
it can render (:func:`thinktank.framing.bio_renders_alone`).

Titles, names, affiliations, tags, categories, summaries and excerpts come
from strangers (imported pages, translators' msgstrs): each goes into HTML
through :func:`text` (escaped, invisibles removed) or into Markdown through
:func:`literal`, so markup in it is shown as text, never run. What stays Markdown
is sanitised with the page (:mod:`thinktank.sanitize`); held HTML is put back
after that, so it must be made of escaped values only (a bio rendered on its
own is cleaned as it is rendered).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import authors, topics
from .catalog import PageState
from .library import ArticleEntry, Library
from .markers import MARKER, markers, strip_markers
from .ui_text import format_date, label
from .ui_text import provenance as describe
from .models import Author
from .pagination import PER_PAGE, Position, pager, window
from .provenance import Provenance
from .sanitize import plain_text
from .slugs import slugify
from .urls import anchor

__all__ = ["LISTINGS", "MARKER", "ListingContext", "markers", "strip_markers"]  # marker syntax lives in markers.py

FOOTNOTES_PLACE = "///Footnotes Go Here///"

Hold = Callable[[str], str]
"""What becomes of a fragment of HTML on its way into the page's Markdown: as it is (a raw HTML block), or a
placeholder the plugin swaps for it after rendering (:class:`thinktank.framing.Held`)."""


def as_is(fragment: str) -> str:
    return fragment



def literal(value: str) -> str:
    """Text for a Markdown fragment: escaped (markup shows as text), invisibles removed, and a start
    that Markdown would read as a block ("10. Mai 2024" as list item 10, "# x", "- x") escaped."""
    text = html.escape(plain_text(value), quote=False)
    for pattern in _BLOCK_STARTS:
        text = pattern.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return text


_BLOCK_STARTS = (re.compile(r"\A(\s*\d{1,9})([.)])(?=\s|\Z)"), re.compile(r"\A(\s*)([#>+*-])(?=\s|\Z)"))
"""An ordered-list number ("10."), and a heading, quote or bullet mark, at the start of a value."""


def text(value: str) -> str:
    """Text for an element of an HTML fragment (never an attribute): escaped, invisibles removed, on one line
    (a raw HTML block must not hold a blank line). Quotes stay as they are, as nh3 writes text."""
    return html.escape(plain_text(" ".join(value.split())), quote=False)


def _author_links(entry: ArticleEntry, library: Library, page_uri: str) -> str:
    names = []
    for author_id in entry.authors:
        author = library.authors.get(author_id)
        name = text(author.name if author else author_id)
        names.append(anchor(page_uri, authors.page_uri(author_id), name) if author else name)
    return ", ".join(names)


def _meta_line(entry: ArticleEntry, library: Library, page_uri: str, lang: str) -> str:
    parts = [text(format_date(entry.date, lang))]
    authors = _author_links(entry, library, page_uri)
    if authors:
        parts.append(authors)
    parts += [text(category) for category in entry.categories]
    return " · ".join(parts)


def article_card(entry: ArticleEntry, library: Library, page_uri: str, lang: str) -> str:
    """One listing item: title, date, authors, summary."""
    return (
        f'<article class="tt-card">\n'
        f"<h3>{anchor(page_uri, entry.uri, text(entry.title))}</h3>\n"
        f'<p class="tt-meta">{_meta_line(entry, library, page_uri, lang)}</p>\n'
        f"<p>{text(entry.summary or entry.excerpt)}</p>\n</article>"
    )


def article_list(entries: Sequence[ArticleEntry], library: Library, page_uri: str, lang: str, hold: Hold = as_is) -> str:
    if not entries:
        return label("no_articles", lang)
    return hold("\n\n".join(article_card(entry, library, page_uri, lang) for entry in entries))


def article_header(entry: ArticleEntry, library: Library, page_uri: str, lang: str, minutes: int,
                   topic_pages: Mapping[str, str] | None = None) -> str:
    """Byline (with reading time) and lead shown above an article's text; a tag links to its topic's page
    (``topic_pages``: tag as shown -> docs/ path), else to its section of the topics page."""
    reading = label("reading_time", lang, minutes=str(minutes))
    parts = [f'<p class="tt-byline">{_meta_line(entry, library, page_uri, lang)} · {reading}</p>']
    if entry.tags:
        pages = topic_pages or {}
        tags = " ".join(anchor(page_uri, pages[tag], text(tag), css="tt-tag") if tag in pages
                        else anchor(page_uri, "topics.md", text(tag), slugify(tag), "tt-tag") for tag in entry.tags)
        parts.append(f'<p class="tt-tags">{tags}</p>')
    if entry.summary:
        parts.append(f'<p class="tt-lead">{text(entry.summary)}</p>')
    return "\n\n".join(parts)


@dataclass(frozen=True)
class Original:
    """Where an imported article first appeared: its address (a checked http(s) URL, or empty) and date."""

    url: str = ""
    date: dt.date | None = None


def original_credit(publisher: str, original: Original, lang: str) -> str:
    """ "Originally published by ANKASAM (1 February 2024)." with the publisher linked to the original.

    The date goes into the label's ``{publisher}`` slot, in parentheses, so
    every language's sentence stays grammatical without a new placeholder.
    ``original.url`` must be a checked web address (:func:`thinktank.framing.original_of`);
    it is escaped for the attribute all the same.
    """
    name = text(publisher)
    if original.url:
        name = f'<a class="tt-original" href="{html.escape(original.url, quote=True)}" rel="nofollow noopener">{name}</a>'
    if original.date is not None:
        name = f"{name} ({text(format_date(original.date, lang))})"
    return label("original_publisher", lang, publisher=name)


def article_footer(entry: ArticleEntry, library: Library, page_uri: str, lang: str, cite: "PageAddress",
                   original: Original | None = None, hold: Hold = as_is, bios: Mapping[str, str] | None = None) -> str:
    """Notes first, then provenance (linked to the original when its address is known), the citation,
    one box per author and related analyses. A bio is the author page's body: HTML from ``bios`` (by
    author id) when the caller has rendered it, else its Markdown goes into the page."""
    parts = [FOOTNOTES_PLACE]
    original = original or Original(date=entry.date)
    publisher = entry.publisher or (urlsplit(original.url).hostname or "" if original.url else "")
    credit = (f'<p class="tt-provenance">{original_credit(publisher, original, lang)}</p>\n'
              if publisher else "")
    parts.append(hold(credit + citation_box(entry, library, lang, cite)))
    for author_id in entry.authors:
        author = library.authors.get(author_id)
        if author:
            bio = (bios or {}).get(author_id)
            parts.append(hold(author_box_html(author, page_uri, lang, bio)) if bio is not None
                         else author_box(author, page_uri, lang))
    related = library.related(entry)
    if related:
        items = "\n".join(f"<li>{anchor(page_uri, other.uri, text(other.title))}</li>" for other in related)
        parts.append(hold(f'<nav class="tt-related">\n<p><strong>{label("related", lang)}</strong></p>\n'
                          f'<ul>\n{items}\n</ul>\n</nav>'))
    return "\n\n".join(parts)


@dataclass(frozen=True)
class PageAddress:
    """Where the page lives, for "cite this analysis": the site's name and the page's URL."""

    site: str
    url: str


def citation_text(entry: ArticleEntry, library: Library, lang: str, cite: PageAddress) -> str:
    names = [library.authors[a].name if a in library.authors else a for a in entry.authors]
    date = (format_date(entry.date, lang) if entry.date else label("no_date", lang)).rstrip(".")
    text = label("citation", lang, authors=", ".join(names), title=entry.title, site=cite.site, date=date,
                 url=cite.url)
    return plain_text(_DOUBLED_STOP.sub(r"\1\2", text))


_DOUBLED_STOP = re.compile(r"([?!…]|(?<!\.)\.)([”“»\"']*)\.(?!\.)")
"""A title's own closing mark and the template's full stop after it ("Who Guards the Seabed?.”"): one goes."""


def citation_box(entry: ArticleEntry, library: Library, lang: str, cite: PageAddress) -> str:
    text = html.escape(citation_text(entry, library, lang, cite))
    return (f'<details class="quote tt-cite">\n<summary>{label("cite", lang)}</summary>\n'
            f'<p class="tt-citation">{text}</p>\n</details>')


def author_box(author: Author, page_uri: str, lang: str) -> str:
    """The author's name, affiliation and bio; the bio is Markdown (the author page's body), the rest HTML."""
    bio = author.bio or label("no_bio", lang)
    return f'<aside class="tt-author-box" markdown>\n\n{_about(author, page_uri, lang)}\n\n{bio}\n\n</aside>'


def author_box_html(author: Author, page_uri: str, lang: str, bio: str) -> str:
    """:func:`author_box` with its bio already rendered (and cleaned) as HTML; an empty one says so."""
    return (f'<aside class="tt-author-box">\n{_about(author, page_uri, lang)}\n'
            f'{bio or "<p>" + label("no_bio", lang) + "</p>"}\n</aside>')


def _about(author: Author, page_uri: str, lang: str) -> str:
    """An author box's first line: "About the author: <name> · <affiliation>"."""
    affiliation = f" · {text(author.affiliation)}" if author.affiliation else ""
    name = anchor(page_uri, authors.page_uri(author.id), text(author.name))
    return f"<p><strong>{label('about_author', lang)}:</strong> {name}{affiliation}</p>"


def author_page_header(author: Author, lang: str) -> str:
    """Affiliation above the bio, and a plain notice where there is no bio."""
    parts = [f'<p class="tt-meta">{text(author.affiliation)}</p>'] if author.affiliation else []
    if not author.bio:
        parts.append(f'<p class="tt-provenance">{label("no_bio", lang)}</p>')
    return "\n\n".join(parts)


def author_page_footer(author: Author, library: Library, page_uri: str, lang: str,
                       position: Position | None = None, per_page: int = PER_PAGE, hold: Hold = as_is) -> str:
    """The author's analyses below the bio, a page of them at a time when ``position`` says which."""
    heading = label("articles_by", lang, name=literal(author.name))
    context = ListingContext(library, page_uri, lang, position=position, per_page=per_page, hold=hold)
    return f"## {heading}\n\n" + paged_list(library.by_author(author.id), context)


def authors_index(library: Library, page_uri: str, lang: str, hold: Hold = as_is) -> str:
    items = []
    for author in sorted(library.authors.values(), key=lambda a: a.name):
        count = len(library.by_author(author.id))
        affiliation = f", {text(author.affiliation)}" if author.affiliation else ""
        name = anchor(page_uri, authors.page_uri(author.id), text(author.name))
        items.append(f"<li>{name}{affiliation} ({count})</li>")
    return hold('<ul class="tt-authors">\n' + "\n".join(items) + "\n</ul>")


def topics_index(library: Library, page_uri: str, lang: str, pages: Mapping[str, str] | None = None,
                 hold: Hold = as_is) -> str:
    """Every tag with its analyses. A tag with a page of its own (``pages``: tag as shown -> its docs/ path,
    :mod:`thinktank.topics`) shows only its latest few here and links to that page for the rest."""
    pages = pages or {}
    sections = []
    for tag, entries in library.tags().items():
        page = pages.get(tag)
        shown = entries[:topics.ON_INDEX] if page else entries
        items = "\n".join(f"<li>{anchor(page_uri, entry.uri, text(entry.title))} · {text(format_date(entry.date, lang))}</li>"
                          for entry in shown)
        listed = f'<ul class="tt-topic">\n{items}\n</ul>'
        if page and len(entries) > len(shown):
            more = anchor(page_uri, page, text(label("all_in_topic", lang, count=str(len(entries)))))
            listed += f'\n<p class="tt-more">{more}</p>'
        sections.append(f"## {literal(tag)} {{ #{slugify(tag)} }}\n\n{hold(listed)}")
    return "\n\n".join(sections)


def topic_page(tag: str, entries: Sequence[ArticleEntry], context: ListingContext) -> str:
    """A topic's own page (:mod:`thinktank.topics`): its title and a page of its analyses."""
    return f"# {literal(label('topic_title', context.lang, topic=tag))}\n\n" + paged_list(entries, context)


def status_banner(state: PageState, provenance: list[Provenance], machine: bool, original_url: str, lang: str) -> str:
    """The notice atop a translated page that is a draft or not translated at all.

    Written for readers: one plain sentence ("Machine translation, not yet
    reviewed by an editor.") and the link to the original; who made the draft
    (engine and model, contributors, glossary labels) is a smaller details
    line below, for those who want to know.
    """
    if state is PageState.REVIEWED:
        return ""
    link = f'<a href="{html.escape(original_url)}" hreflang="en">{label("original", lang)}</a>'
    if state is PageState.MISSING:
        return f'<div class="admonition info tt-status tt-missing">\n<p>{label("missing", lang)} {link}.</p>\n</div>'
    headline = label("machine_draft" if machine else "draft", lang)
    details = ""
    if provenance:
        made_by = label("made_by", lang, provenance=html.escape("; ".join(describe(item, lang) for item in provenance)))
        details = f'\n<p><small class="tt-status-details">{made_by}</small></p>'
    return f'<div class="admonition warning tt-status tt-draft">\n<p><strong>{headline}</strong> {link}.</p>{details}\n</div>'


@dataclass(frozen=True)
class ListingContext:
    """What a listing needs to know about the page it is placed in."""

    library: Library
    """The page's language's library (titles, names, excerpts translated)."""
    page_uri: str
    """The page's docs/ path, for relative links."""
    lang: str
    latest: int = 10
    """How many articles the ``latest`` listing shows."""
    position: Position | None = None
    """Which page of its listing this page is; None: the whole listing on one page."""
    per_page: int = PER_PAGE
    topic_pages: Mapping[str, str] = field(default_factory=dict)
    """Each tag (as shown in this language) with a page of its own, and that page's docs/ path."""
    hold: Hold = as_is
    """What the listing's HTML becomes in the Markdown (see :data:`Hold`)."""


def paged_list(entries: Sequence[ArticleEntry], context: ListingContext) -> str:
    """The articles of this page of the listing, and the pager below them."""
    if context.position is None:
        return article_list(entries, context.library, context.page_uri, context.lang, context.hold)
    shown = article_list(window(entries, context.position, context.per_page), context.library, context.page_uri,
                         context.lang, context.hold)
    nav = pager(context.position, context.lang)
    return f"{shown}\n\n{context.hold(nav)}" if nav else shown


LISTINGS: dict[str, Callable[[ListingContext], str]] = {
    "latest": lambda c: article_list(c.library.articles[:c.latest], c.library, c.page_uri, c.lang, c.hold),
    "articles": lambda c: paged_list(c.library.articles, c),
    "authors": lambda c: authors_index(c.library, c.page_uri, c.lang, c.hold),
    "topics": lambda c: topics_index(c.library, c.page_uri, c.lang, c.topic_pages, c.hold),
}
"""The marker registry: ``<!-- thinktank:<name> -->`` in a source page becomes ``LISTINGS[name]``'s Markdown."""
