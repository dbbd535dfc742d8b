"""Untrusted text in, safe HTML out: imported articles and PO files are not code.

Every page's HTML goes through nh3 (the Ammonia sanitizer) with an allow-list
of the tags and attributes Markdown, pymdown-extensions and our listings
produce, so ``<script>``, ``on*=`` handlers and ``javascript:`` URLs never
reach a reader. Titles and summaries, which templates print raw outside the
page body, have any markup escaped so it shows as text.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import nh3

TAGS = {
    "a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "nav", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
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
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    """The HTML with everything that could run removed."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None,
                     filter_style_properties={"text-align"}, strip_comments=True)


def clean_text(text: str) -> str:
    """Text for places templates print raw (titles): markup is shown, never run, no word lost."""
    return html.escape(text, quote=False) if "<" in text or ">" in text else text


def clean_meta(meta: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """A copy of ``meta`` whose text fields ``keys`` carry no markup."""
    return {key: clean_text(value) if key in keys and isinstance(value, str) else value for key, value in meta.items()}
