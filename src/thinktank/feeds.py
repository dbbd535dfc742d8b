"""RSS 2.0 feeds and sitemaps, one per language, built from the (translated) library.

RSS rather than Atom because Atom requires a date on every entry, and an
undated article must stay undated rather than get a made-up one.

Every text goes through :func:`thinktank.sanitize.xml_text` (pages already in
docs/ and msgstrs can carry a ``\x08``, and one such character makes the whole
feed unreadable XML), and titles, names and categories through
:func:`~thinktank.sanitize.plain_text` (no bidi overrides or zero-width
characters). An item's ``description`` is, as RSS readers take it, HTML:
the summary is escaped into it, so markup in a summary is shown, never run.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import html
import io
import re
from collections.abc import Callable
from xml.etree import ElementTree as ET

from . import urls
from .library import ArticleEntry, Library
from .ui_text import label
from .sanitize import plain_text, xml_text

FEED_FILE = "feed.xml"
LIMIT = 30


def rss(library: Library, *, title: str, description: str, home: str, lang: str,
        url_of: Callable[[ArticleEntry], str]) -> str:
    """The feed document; ``url_of`` gives each article's absolute URL."""
    root = ET.Element("rss", version="2.0", attrib={"xmlns:dc": "http://purl.org/dc/elements/1.1/"})
    channel = ET.SubElement(root, "channel")
    for tag, text in (("title", title), ("link", home), ("description", description), ("language", lang),
                      ("generator", "thinktank")):
        ET.SubElement(channel, tag).text = plain_text(text)
    for entry in library.articles[:LIMIT]:
        channel.append(_item(entry, library, url_of(entry)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def language_feed(library: Library, *, site_name: str, site_url: str | None, lang: str) -> str:
    """The feed of one language's site: its name, its home page, its articles' URLs under its root.

    Written to ``<lang>/feed.xml`` (:func:`thinktank.urls.language_prefix`);
    ``site_url`` missing gives root-relative links, as MkDocs does.
    """
    home = urls.language_root(site_url, lang)
    return rss(library, title=site_name, description=label("feed", lang, site=site_name), home=home, lang=lang,
               url_of=lambda entry: home + urls.page_path(entry.uri))


def _item(entry: ArticleEntry, library: Library, url: str) -> ET.Element:
    item = ET.Element("item")
    ET.SubElement(item, "title").text = plain_text(entry.title)
    ET.SubElement(item, "link").text = xml_text(url)
    ET.SubElement(item, "guid", isPermaLink="true").text = xml_text(url)
    ET.SubElement(item, "description").text = html.escape(xml_text(entry.summary or entry.excerpt), quote=False)
    if entry.date:
        moment = dt.datetime.combine(entry.date, dt.time(), dt.timezone.utc)
        ET.SubElement(item, "pubDate").text = email.utils.format_datetime(moment)
    for author_id in entry.authors:
        author = library.authors.get(author_id)
        ET.SubElement(item, "dc:creator").text = plain_text(author.name if author else author_id)
    for tag in (*entry.categories, *entry.tags):
        ET.SubElement(item, "category").text = plain_text(tag)
    return item


SITEMAP_FILE = "sitemap.xml"


def sitemap(urls: list[str]) -> str:
    """A plain sitemap of one language's pages.

    mkdocs-static-i18n writes one sitemap at the root; Material's language
    switcher also looks for ``<lang>/sitemap.xml`` to find the same page in
    the other language, so each language gets its own as well.
    """
    root = ET.Element("urlset", xmlns="http://www.sitemaps.org/schemas/sitemap/0.9")
    for url in sorted(set(urls)):
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = xml_text(url)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def with_pages(document: str, urls_to_add: list[str]) -> str:
    """mkdocs-static-i18n's root sitemap with ``urls_to_add`` (absolute) added. It lists only the pages in docs/,
    not generated ones (the listings' pages 2, 3, ... and the topic pages), which no crawler would then find.
    They go in without static-i18n's alternates: every page's head has its hreflang set already, and Material
    fetches this sitemap on every English page, so each line added weighs on every first visit. A sitemap
    without the closing ``</urlset>`` is returned as it is."""
    return with_entries(document, "".join(f"    <url>\n        <loc>{html.escape(xml_text(url))}</loc>\n    </url>\n"
                                          for url in urls_to_add))


_ENTRY = re.compile(r"[ \t]*<url>.*?</url>[ \t]*\n?", re.S)
_LOC = re.compile(r"<loc>([^<]*)</loc>")


def entries_under(document: str, site_url: str | None, folders: list[str]) -> str:
    """The ``<url>`` entries of a sitemap whose page is in one of ``folders`` (language prefixes, ``tr/``), as
    written, in order: static-i18n renders every language built so far into each pass's root sitemap, so a pass
    built elsewhere (:mod:`thinktank.mkdocs_plugin.passes`) hands over its own languages' entries this way."""
    root = (site_url or "/").rstrip("/") + "/"

    def wanted(entry: str) -> bool:
        found = _LOC.search(entry)
        if found is None:
            return False
        loc = html.unescape(found.group(1))
        path = loc[len(root):] if loc.startswith(root) else loc.lstrip("/")
        return path.startswith(tuple(folders))

    return "".join(entry for entry in (match.group(0) for match in _ENTRY.finditer(document)) if wanted(entry))


def with_entries(document: str, entries: str) -> str:
    """A sitemap with ``entries`` (whole ``<url>`` elements) added at its end; without ``</urlset>``, as it is."""
    end = document.rfind("</urlset>")
    return document[:end] + entries + document[end:] if end >= 0 and entries else document


def gzipped(document: str, name: str, when: int) -> bytes:
    """``document`` gzipped as MkDocs gzips a sitemap: file ``name`` (``sitemap.xml.gz``) and time ``when`` (the
    build date, so one day's builds are the same bytes) in its header."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buffer, mtime=when) as stream:
        stream.write(document.encode("utf-8"))
    return buffer.getvalue()
