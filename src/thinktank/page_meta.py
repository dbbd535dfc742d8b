"""What a page tells the tools of its readers about itself: search engines, link previews, Google Scholar.

A think tank's analysis is found through its description in a search result,
shared as a link preview (Open Graph), cited from Google Scholar's
``citation_*`` tags and understood by indexers from JSON-LD; each language
version must say so in its own language and name the others (``hreflang``),
or a Turkish reader is sent the English page. Everything here is a pure
function of plain data (:class:`SiteFacts`, :class:`PageFacts`) returning
plain data (:class:`Head`): the plugin gathers the facts from MkDocs objects
in ``on_page_context`` and the templates print each value escaped
(``overrides/partials/thinktank-head.html``). Nothing here imports MkDocs.

The words a language needs for this (its Open Graph ``locale``, the footer's
``reuse`` label) are in its data file, read and checked by the language
registry (:mod:`thinktank.languages`) with the rest of its words.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import urls
from .errors import ThinktankError
from .library import excerpt
from .sanitize import plain_text, text_of_html

DESCRIPTION_CHARS = 280
"""A description is cut at a sentence end within this many characters (search engines show ~160-300)."""
SCHEMA = "https://schema.org"
RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")
"""Image formats link previews show (an SVG logo is left out of ``og:image``)."""


class PageMetaError(ThinktankError):
    """The site's identity settings (the licence in mkdocs.yml) are unusable."""


# --- The facts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Licence:
    """Under which licence readers may reuse the site's texts (``extra.thinktank.licence`` in mkdocs.yml)."""

    name: str
    url: str


@dataclass(frozen=True)
class SiteFacts:
    """The site as one language pass sees it."""

    name: str
    """This language's site_name (the publisher's name in that language)."""
    url: str
    """``site_url``; empty when the site has none (URLs are then root-relative)."""
    description: str
    """This language's ``site_description``: the description of a page that has no text of its own."""
    default: str
    languages: tuple[str, ...]
    """Every configured language, in mkdocs.yml order."""
    locales: Mapping[str, str]
    """Each language's Open Graph locale."""
    logo: str = ""
    """The logo's path from the site root (``theme.logo``), or an absolute URL."""


@dataclass(frozen=True)
class Person:
    name: str
    url: str = ""
    """The author's page on this site, absolute."""


@dataclass(frozen=True)
class PageFacts:
    """One page in one language, its texts already in that language and plain (not HTML)."""

    uri: str
    """The page's docs/ path without a language suffix (``analyses/x.md``)."""
    lang: str
    title: str
    description: str
    article: bool = False
    scholarly: bool = False
    """An analysis with numbered notes: a ``ScholarlyArticle`` rather than an ``Article``."""
    authors: tuple[Person, ...] = ()
    published: dt.date | None = None
    original_url: str = ""
    """Where the analysis was first published (``source.url``), when known."""
    original_publisher: str = ""


@dataclass(frozen=True)
class Head:
    """What the page head prints: every value plain text, escaped by the template (except ``json_ld``)."""

    url: str
    names: list[tuple[str, str]] = field(default_factory=list)
    """``<meta name=… content=…>``, in order (a name may repeat: ``citation_author``)."""
    properties: list[tuple[str, str]] = field(default_factory=list)
    """``<meta property=… content=…>`` (Open Graph)."""
    alternates: list[tuple[str, str]] = field(default_factory=list)
    """``(hreflang, absolute URL)``: every language, then ``x-default``."""
    json_ld: str = ""
    """JSON-LD already safe inside ``<script>`` (see :func:`script_json`); empty for none."""


# --- Pure functions -----------------------------------------------------------------------------

def page_url(site_url: str, lang: str, uri: str, default: str) -> str:
    """The absolute URL of page ``uri`` (docs/ path) in ``lang``: ``https://example.org/tr/analyses/x/``."""
    return urls.language_root(site_url, lang, default) + urls.page_path(uri)


def absolute(site_url: str, path: str) -> str:
    """``path`` from the site root as an absolute URL; an absolute URL stays as it is."""
    if not path or urlsplit(path).scheme:
        return path
    return (site_url or "/").rstrip("/") + "/" + path.lstrip("/")


def describe(*, description: str = "", summary: str = "", paragraph: str = "", fallback: str = "",
             limit: int = DESCRIPTION_CHARS) -> str:
    """A page's description as one line of plain text: the first of these that is not empty.

    The page's own ``description`` as its editor wrote it; else its summary
    (plain text) or its first paragraph (Markdown source: links, emphasis and
    note markers dropped), each cut at a sentence end within ``limit``; else
    the site's description (``fallback``).
    """
    candidates = (lambda: description, lambda: _cut(summary, limit),
                  lambda: excerpt(_without_tags(paragraph), limit), lambda: fallback)
    for candidate in candidates:  # made only until one is not empty
        text = " ".join(plain_text(candidate() or "").split())
        if text:
            return text
    return ""


def _without_tags(markdown: str) -> str:
    """Markdown source without its raw HTML (``<img …>`` in a bio): a description is text, not markup."""
    return html.unescape(text_of_html(markdown or "")) if "<" in (markdown or "") else markdown or ""


def _cut(text: str, limit: int) -> str:
    """Plain text cut at the last sentence end within ``limit`` (at a word with " …" when there is none)."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit), text.rfind("! ", 0, limit))
    return text[: cut + 1] if cut > 0 else text[:limit].rsplit(" ", 1)[0] + " …"


def alternates(site: SiteFacts, uri: str) -> list[tuple[str, str]]:
    """Every language version of ``uri`` as ``(hreflang, absolute URL)``, then ``x-default``: the default language's."""
    found = [(code, page_url(site.url, code, uri, site.default)) for code in site.languages]
    return [*found, ("x-default", page_url(site.url, site.default, uri, site.default))]


def open_graph(page: PageFacts, site: SiteFacts) -> list[tuple[str, str]]:
    """Open Graph properties (https://ogp.me): what a link preview shows, in the page's language."""
    url = page_url(site.url, page.lang, page.uri, site.default)
    props = [("og:type", "article" if page.article else "website"), ("og:title", page.title),
             ("og:description", page.description), ("og:url", url), ("og:site_name", site.name)]
    if page.lang in site.locales:
        props.append(("og:locale", site.locales[page.lang]))
    props += [("og:locale:alternate", site.locales[code]) for code in site.languages
              if code != page.lang and code in site.locales]
    if site.logo and site.logo.lower().endswith(RASTER):  # link previews do not show SVG
        props.append(("og:image", absolute(site.url, site.logo)))
    if page.article:
        if page.published:
            props.append(("article:published_time", page.published.isoformat()))
        props += [("article:author", person.url or person.name) for person in page.authors]
    return props


def scholar(page: PageFacts, site: SiteFacts) -> list[tuple[str, str]]:
    """Google Scholar's Highwire tags (https://scholar.google.com/intl/en/scholar/inclusion.html); articles only."""
    if not page.article:
        return []
    tags = [("citation_title", page.title)]
    tags += [("citation_author", person.name) for person in page.authors]
    if page.published:
        tags.append(("citation_publication_date", page.published.strftime("%Y/%m/%d")))
    tags += [("citation_language", page.lang), ("citation_publisher", site.name)]
    return tags


def json_ld(page: PageFacts, site: SiteFacts) -> dict[str, Any] | None:
    """schema.org data of an article (``Article``/``ScholarlyArticle``) or of the home page (``WebSite``); None otherwise."""
    url = page_url(site.url, page.lang, page.uri, site.default)
    publisher: dict[str, Any] = {"@type": "Organization", "name": site.name,
                                 "url": urls.language_root(site.url, page.lang, site.default)}
    if site.logo:
        publisher["logo"] = {"@type": "ImageObject", "url": absolute(site.url, site.logo)}
    if not page.article:
        if urls.page_path(page.uri):
            return None
        return {"@context": SCHEMA, "@type": "WebSite", "name": site.name, "url": url,
                "description": page.description, "inLanguage": page.lang, "publisher": publisher}
    kind = "ScholarlyArticle" if page.scholarly else "Article"
    data: dict[str, Any] = {
        "@context": SCHEMA, "@type": kind, "@id": url, "url": url, "mainEntityOfPage": url,
        "headline": page.title, "name": page.title, "description": page.description, "inLanguage": page.lang,
        "author": [{"@type": "Person", "name": person.name, **({"url": person.url} if person.url else {})}
                   for person in page.authors],
        "publisher": publisher,
    }
    if page.published:
        data["datePublished"] = page.published.isoformat()
    if page.original_url or page.original_publisher:
        original: dict[str, Any] = {"@type": "CreativeWork"}
        if page.original_url:
            original["url"] = page.original_url
        if page.original_publisher:
            original["publisher"] = {"@type": "Organization", "name": page.original_publisher}
        data["isBasedOn"] = original
    others = [code for code in site.languages if code != page.lang]
    if page.lang != site.default:
        english = page_url(site.url, site.default, page.uri, site.default)
        data["translationOfWork"] = {"@type": kind, "@id": english, "url": english, "inLanguage": site.default}
    elif others:
        data["workTranslation"] = [{"@type": kind, "@id": page_url(site.url, code, page.uri, site.default),
                                    "inLanguage": code} for code in others]
    return data


_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: Any) -> str:
    """``data`` as JSON that can sit in a ``<script>`` element whatever its strings hold.

    ``<``, ``>`` and ``&`` are written as JSON's ``\\u`` escapes, so a title
    ``</script><script>…`` cannot end the element (an HTML parser ends a
    script at ``</script`` whatever the JSON around it) and ``<!--`` cannot
    change how it is parsed; JSON readers get the same strings back.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    for unsafe, escape in _SCRIPT_UNSAFE.items():  # five str.find-speed scans: most pages have none of them
        if unsafe in text:
            text = text.replace(unsafe, escape)
    return text


def head(page: PageFacts, site: SiteFacts) -> Head:
    """Everything the page head says about ``page``: description, Open Graph, Scholar tags, hreflang, JSON-LD."""
    data = json_ld(page, site)
    return Head(url=page_url(site.url, page.lang, page.uri, site.default),
                names=[("description", page.description), *scholar(page, site)],
                properties=open_graph(page, site), alternates=alternates(site, page.uri),
                json_ld=script_json(data) if data is not None else "")


def footer_html(copyright_html: str, licence: Licence | None, reuse: str) -> str:
    """The footer's line: the site's copyright (its own HTML, as Material prints it) and the reuse licence, linked.

    ``reuse`` is the language's ``reuse`` label (``{licence}`` where the
    licence's linked name goes) and the licence comes from mkdocs.yml: both
    are escaped; only the link around the licence's name is markup.
    """
    parts = [copyright_html.strip()] if copyright_html and copyright_html.strip() else []
    if licence is not None:
        link = (f'<a href="{html.escape(licence.url, quote=True)}" rel="license">'
                f"{html.escape(licence.name, quote=False)}</a>")
        parts.append(html.escape(reuse, quote=False).replace("{licence}", link))
    return " · ".join(parts)


def licence(value: Any, config_file: Path | None = None) -> Licence | None:
    """``extra.thinktank.licence`` from mkdocs.yml (``{name: CC BY 4.0, url: https://…}``); None when not set."""
    if value is None:
        return None
    if not (isinstance(value, Mapping) and isinstance(value.get("name"), str) and value["name"].strip()
            and isinstance(value.get("url"), str) and urlsplit(value["url"]).scheme in ("http", "https")):
        raise PageMetaError(config_file, f"extra.thinktank.licence: {value!r} must be a mapping with a name and an "
                                         "http(s) url, e.g. {name: CC BY 4.0, url: "
                                         "https://creativecommons.org/licenses/by/4.0/}")
    return Licence(value["name"].strip(), value["url"].strip())


def original_url(value: Any) -> str:
    """A page's ``source.url`` if it is an http(s) URL, else nothing (a ``javascript:`` URL is not an original)."""
    text = value.strip() if isinstance(value, str) else ""
    return text if urlsplit(text).scheme in ("http", "https") and urlsplit(text).netloc else ""



def unescaped(value: Any) -> str:
    """A value of MkDocs' ``page.meta`` (made HTML-safe by :func:`thinktank.sanitize.clean_meta`) as plain text again."""
    if isinstance(value, str):
        return html.unescape(value)
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return " ".join(unescaped(item) for item in value)
    return ""
