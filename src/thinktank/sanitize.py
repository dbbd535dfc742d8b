"""Untrusted text in, safe HTML out: imported articles and PO files are not code.

Every page's HTML goes through nh3 (the Ammonia sanitizer) with an allow-list
of the tags and attributes Markdown, pymdown-extensions and our listings
produce, so ``<script>``, ``on*=`` handlers and ``javascript:`` URLs never
reach a reader, and no image is fetched from another host (the site promises
it calls none: a remote ``<img>`` is a tracking pixel).

Front-matter values are another way in: MkDocs' Jinja environment does not
autoescape, and Material prints ``page.meta.title``, ``description``,
``author`` and more raw into the page, some inside attributes. So every value
of ``page.meta``, whatever its type, is escaped once (``html.escape`` with
``quote=True``) and stripped of characters that have no business in a title:
XML-forbidden controls, bidi overrides and zero-width characters.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import nh3

TAGS = {
    "a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "nav", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
"""No svg, iframe, style, link, video/audio/source, object, embed, form, input, base or meta:
each of them can run code, load another host's resources or send the reader elsewhere."""
_COMMON = {"class", "id", "title", "lang", "dir", "hreflang"}
ATTRIBUTES = {
    "*": _COMMON,
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan"},
    "ol": {"start"},
    "details": {"open"},
}
"""No ``srcset``, ``poster``, ``background`` or ``ping``: only ``img src`` loads anything, and it is filtered."""
URL_SCHEMES = {"http", "https", "mailto"}

DROPPED_META = ("template",)
"""Front-matter keys never passed to the theme: ``template: redirect.html`` plus a ``location``
would send every reader of the page to another site."""

# XML 1.0 allows #x9 #xA #xD [#x20-#xD7FF] [#xE000-#xFFFD] [#x10000-#x10FFFF]; the rest cannot be in a feed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# C1 controls, bidi embeddings/overrides/isolates and zero-width characters: invisible, and
# able to make a title read differently from what it says (U+202E reverses the text after it).
_INVISIBLE = re.compile("[\x7f-\x9f\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_URL_NOISE = re.compile("[\t\n\r]")
_URL_EDGES = "".join(map(chr, range(0x21)))
"""C0 controls and space: a browser strips them from both ends of a URL."""
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (a ``\\x08`` makes a whole feed unreadable).

    Text ``str.isprintable`` passes has none: it is false for every control
    (Cc), format (Cf), surrogate (Cs) and unassigned (Cn) character, which
    covers this class and :data:`_INVISIBLE` (checked on every code point by
    ``tests/test_sanitize_paths.py::test_printable_text_holds_nothing_to_remove``).
    That check is one pass in C that stops at the first line end, so one-line
    texts (titles, names, front-matter values) skip the regexes and a page's
    HTML costs what it did.
    """
    return text if text.isprintable() else _NOT_XML.sub("", text)


def plain_text(text: str) -> str:
    """Text as a title may show it: no XML-forbidden controls, no bidi overrides, no zero-width characters."""
    return text if text.isprintable() else _INVISIBLE.sub("", _NOT_XML.sub("", text))


MAX_DEPTH = 16
"""How deep a front-matter value is followed; YAML anchors can even make a list contain itself."""


def as_text(value: Any, depth: int = 0) -> str:
    """Any front-matter value as one line of text: list items and mapping values joined by spaces.

    ``title: [a, b]`` or ``title: {x: a}`` is a mistake (or an attack), not a reason to stop the build.
    """
    if value is None or depth > MAX_DEPTH:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        value = list(value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return " ".join(text for text in (as_text(item, depth + 1) for item in value) if text.strip())
    return str(value)


def clean_text(text: str) -> str:
    """Text for places templates print raw (``<title>``, ``content="..."``): escaped once, invisibles gone.

    Every template reading ``page.meta`` prints it raw, so escaping here is not
    double: ``A & B`` becomes ``A &amp; B``, which a browser shows as ``A & B``;
    Material's search index holds HTML too (it escapes headings' text itself).
    """
    return html.escape(plain_text(text), quote=True)


def clean_value(value: Any, depth: int = 0) -> Any:
    """``value`` with every string in it cleaned (to :data:`MAX_DEPTH`, deeper is dropped);
    numbers, dates, booleans and None as they are."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {clean_value(key, depth + 1): clean_value(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [clean_value(item, depth + 1) for item in value]
    return value


def clean_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``meta`` that any template may print raw.

    Every value is cleaned recursively; ``title`` is always text (a list or
    mapping is joined, an empty or null one removed so MkDocs falls back to
    the page's heading); keys in :data:`DROPPED_META` are left out.
    """
    cleaned = {key: clean_value(value) for key, value in meta.items() if key not in DROPPED_META}
    if "title" in meta:
        title = clean_text(as_text(meta["title"]).strip())
        if title:
            cleaned["title"] = title
        else:
            del cleaned["title"]
    return cleaned


_TEXT_ONLY = nh3.Cleaner(tags=set(), attributes={}, strip_comments=True)
"""Built once: building an ammonia cleaner costs more than cleaning a heading with it."""
_MARKUP_OR_CHANGED = re.compile("[<>&\r\xa0]")
"""What html5ever changes in text without markup: ``<`` opens a tag, ``&`` a character reference, ``\\r`` becomes
``\\n`` when the input is read, and ``>``, ``&``, U+00A0 are written back as ``&gt;``, ``&amp;``, ``&nbsp;``."""


def text_of_html(fragment: str) -> str:
    """An HTML fragment (a heading's text, say) reduced to safe HTML text: tags gone, entities kept as they are.

    Most titles are plain words, which the HTML parser reads and writes back
    unchanged; they skip it (``tests/test_xss.py::test_text_without_markup_is_what_the_cleaner_returns``).
    """
    text = plain_text(fragment)
    return text if _MARKUP_OR_CHANGED.search(text) is None else _TEXT_ONLY.clean(text)


def is_local_source(value: str, site_host: str | None = None) -> bool:
    """Whether a browser would fetch ``value`` from the site itself.

    Relative URLs are; absolute and scheme-relative ones (``//host``, and
    ``/\\host``, which browsers read the same way) only when they name
    ``site_host``. Tabs and newlines are removed and edge spaces and controls
    stripped first, as a browser's URL parser does.
    """
    url = _URL_NOISE.sub("", value).strip(_URL_EDGES)
    if _SCHEME.match(url) is None and not re.match(r"^[/\\]{2}", url):
        return True
    if site_host is None:
        return False
    parts = urlsplit(url.replace("\\", "/"))
    return parts.scheme.lower() in ("", "http", "https") and (parts.hostname or "") == site_host.lower()


_RULES: dict[str, Any] = {"tags": TAGS, "attributes": ATTRIBUTES, "url_schemes": URL_SCHEMES, "link_rel": None,
                          "filter_style_properties": {"text-align"}, "strip_comments": True}


@lru_cache(maxsize=8)
def _cleaner(site_host: str | None) -> nh3.Cleaner:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src" and not is_local_source(value, site_host):
            return None
        return value

    return nh3.Cleaner(**_RULES, attribute_filter=keep)


_WITHOUT_IMAGES = nh3.Cleaner(**_RULES)
"""The same rules without the image filter, whose call back into Python for every attribute of every tag
is a fifth of the cleaning: for HTML in which no ``<img>`` can be."""
_IMAGE_TAG = re.compile("<im", re.I)
"""Where an ``img`` element can start: ``<img``, or ``<image``, which the HTML parser renames ``img``
(ASCII letters in any case; tag names are read after NULs are gone, see :func:`clean_html`)."""


def clean_html(fragment: str, site_host: str | None = None) -> str:
    """The HTML with everything that could run, or load another host's resources, removed.

    ``site_host`` (the host of ``site_url``) is the one host images may come from besides relative URLs.
    The filter that drops other hosts' images only ever rewrites an ``img``'s ``src``, so HTML without
    an ``<im`` after :func:`xml_text` (which removes the NUL in ``<i\\0mg``) is cleaned without it, to the
    same bytes (``tests/test_xss.py::test_html_without_images_is_cleaned_the_same_without_the_filter``).
    """
    text = xml_text(fragment)
    if _IMAGE_TAG.search(text) is None:
        return _WITHOUT_IMAGES.clean(text)
    return _cleaner(site_host.lower() if site_host else None).clean(text)
