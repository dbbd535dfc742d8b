"""Web pages saved from a think tank's site (WordPress and the like) → Article.

Metadata comes from the page's own tags (Open Graph, ``<meta>``, ``<time>``,
JSON-LD, ``<html lang>``, the canonical link); note references and
definitions are lifted out of the DOM (:mod:`htmlmd`); trafilatura, a
maintained extractor, finds the main text and drops navigation, share
buttons, related posts and comments; the author box's bio goes to the
registry. Nothing is guessed: a missing date or bio stays missing.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from lxml import html as lxml_html
from lxml.etree import _Element

from ..errors import ArticleFormatError
from ..models import Article
from ..footnotes import note_number, parse_date
from . import htmlmd
from .assemble import Parsed, assemble, names_in
from .profile import Profile, language_codes
from .registry import Importer, ImportOptions

MAX_BYTES = 10 * 1024 * 1024
PROFILE = Profile(name="html", byline="either", run_in_headings=False)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_BIO = (".author-box .author-bio", ".author-bio", ".author-description", ".about-author p", ".author-info .description",
        ".saboxplugin-desc", "[itemprop=author] [itemprop=description]")
_AUTHOR_BOXES = (".author-box", ".about-author", ".author-info", ".saboxplugin-wrap", ".post-author-bio")
_NOTE = re.compile(r"\[(?P<number>[0-9]+)\]\s*(?P<text>.+)", re.S)


def accepts(data: bytes) -> bool:
    return looks_like_html(data)


def declines(data: bytes) -> str:
    return "no HTML markup"


def parse(data: bytes, path: Path, options: ImportOptions) -> tuple[Article, list[str]]:
    """The registry's entry point: a page carries its own metadata, so no option changes the parse."""
    return parse_html(data, path)


_PREAMBLE = re.compile(rb"\A(?:\s+|<!--.*?-->|<\?xml[^>]*\?>)", re.S)
"""What may come before ``<!doctype`` or ``<html>``: white space, comments (a browser's
``<!-- saved from url=… -->``), an XML prolog."""


def looks_like_html(data: bytes) -> bool:
    head = data[:8192].removeprefix(b"\xef\xbb\xbf").lower()
    while (match := _PREAMBLE.match(head)) and match.end():
        head = head[match.end():]
    return head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<") and len(re.findall(rb"</?(p|div|body|article|h1|h2)\b", head)) >= 3)


def decode(data: bytes, path: Path) -> str:
    """The page's text in its declared charset (UTF-8 when none); invalid bytes are an error."""
    if len(data) > MAX_BYTES:
        raise ArticleFormatError(path, f"HTML file is larger than {MAX_BYTES // (1024 * 1024)} MB; not a saved article page")
    declared = _CHARSET.search(data[:4096])
    charset = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    try:
        known = codecs.lookup(charset)
    except LookupError:
        known = None
    # Only text encodings: "rot13", "zlib" or "idna" are codecs too, but no page is written in them.
    if known is None or not getattr(known, "_is_text_encoding", True) or known.name in ("idna", "punycode"):
        raise ArticleFormatError(path, f"unknown charset {charset!r} declared in the page")
    try:
        return data.decode(charset)
    except UnicodeDecodeError as exc:
        raise ArticleFormatError(path, f"invalid {charset.upper()} at byte {exc.start}; "
                                       "save the page again as UTF-8 or declare its real charset") from None
    except UnicodeError as exc:  # a codec's own complaint that names no byte
        raise ArticleFormatError(path, f"cannot be read as {charset.upper()}: {exc}") from None


def parse_html(data: bytes, path: Path) -> tuple[Article, list[str]]:
    """Parse a saved web page into an Article; returns (article, warnings)."""
    removed: Counter[str] = Counter()
    root = htmlmd.parse(decode(data, path), path, removed)
    meta = _metadata(root)
    title = meta.get("title") or ""
    if not title:
        raise ArticleFormatError(path, "no recognisable title: the page has no og:title, <h1> or <title>")
    bio = _bio(root)
    languages = _switcher_languages(root)
    for selector in _AUTHOR_BOXES:
        for box in root.cssselect(selector):
            if box.getparent() is not None:
                box.getparent().remove(box)
    notes = htmlmd.lift_notes(root)
    blocks = _main_blocks(root, path)
    blocks = [block for block in blocks if block.lstrip("# ").strip() != title]
    names = meta.get("authors") or []
    if not names and blocks and names_in(blocks[0]):
        names = names_in(blocks.pop(0))
    if not notes:
        blocks, notes = _text_notes(blocks)
    parsed = Parsed(title=title, paragraphs=blocks, notes=notes, names=names, bio=bio,
                    summary=meta.get("description", ""), date=meta.get("date"), url=meta.get("url", ""),
                    language=meta.get("language", ""), publisher=meta.get("site", ""), languages=languages,
                    removed=removed)
    return assemble(parsed, path, PROFILE)


def _main_blocks(root: _Element, path: Path) -> list[str]:
    import trafilatura

    main = trafilatura.extract(lxml_html.tostring(root, encoding="unicode"), output_format="html",
                               include_formatting=True, include_links=True, include_tables=True,
                               include_comments=False, include_images=False, favor_recall=True)
    if not main:
        raise ArticleFormatError(path, "no article text found in the page")
    return htmlmd.to_blocks(htmlmd.parse(main, path))


def _text_notes(blocks: list[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """Notes written as ``[n] text`` paragraphs (or list items) at the end of the text."""
    notes: list[tuple[int, str]] = []
    kept = []
    for block in blocks:
        lines = [re.sub(r"^(?:- |\d+\. )", "", line) for line in block.split("\n")]
        matches = [_NOTE.fullmatch(line.strip()) for line in lines]
        if all(matches):
            notes += [(note_number(m.group("number")), m.group("text").strip()) for m in matches if m]
        else:
            kept.append(block)
    return kept, notes


# --- Metadata --------------------------------------------------------------------

def _first(root: _Element, *selectors: str, attribute: str | None = None) -> str:
    for selector in selectors:
        for element in root.cssselect(selector):
            value = element.get(attribute) if attribute else element.text_content()
            if value and value.strip():
                return " ".join(value.split())
    return ""


def _metadata(root: _Element) -> dict[str, Any]:
    linked = _json_ld(root)
    title = (_first(root, 'meta[property="og:title"]', 'meta[name="twitter:title"]', attribute="content")
             or str(linked.get("headline") or "") or _first(root, "article h1", "h1") or _title_tag(root))
    author = (_first(root, 'meta[name="author"]', attribute="content") or _first(root, 'a[rel="author"]')
              or _ld_name(linked.get("author")) or _first(root, ".author-name", ".byline .author"))
    published = (_first(root, 'meta[property="article:published_time"]', attribute="content")
                 or str(linked.get("datePublished") or "") or _first(root, "article time[datetime]", attribute="datetime"))
    return {
        "title": title,
        "authors": names_in(author) or ([author] if author and len(author.split()) <= 5 else []),
        "date": _date(published),
        "url": _first(root, 'link[rel="canonical"]', attribute="href") or _first(
            root, 'meta[property="og:url"]', attribute="content"),
        "language": (root.get("lang") or "").split("-")[0].lower(),
        "site": _first(root, 'meta[property="og:site_name"]', attribute="content") or _ld_name(linked.get("publisher")),
        "description": _first(root, 'meta[name="description"]', 'meta[property="og:description"]', attribute="content"),
    }


def _title_tag(root: _Element) -> str:
    title = _first(root, "title")
    return re.split(r"\s+[–—|-]\s+", title)[0] if title else ""


def _json_ld(root: _Element) -> dict[str, Any]:
    for script in root.cssselect('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
            continue
        items = data.get("@graph", [data]) if isinstance(data, dict) else data
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and str(item.get("@type", "")).endswith(("Article", "BlogPosting", "Report")):
                return item
    return {}


def _ld_name(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else {}
    if isinstance(value, dict):
        return str(value.get("name") or "")
    return str(value or "")


def _date(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return parse_date(value)


def _switcher_languages(root: _Element) -> list[str]:
    """Languages a "This post is also available in: ..." switcher offers; the switcher is removed."""
    pattern = re.compile(PROFILE.languages_line)
    for element in root.iter("p", "div", "span"):
        match = pattern.fullmatch(" ".join(element.text_content().split()))
        if match:
            element.getparent().remove(element)
            return language_codes(match.group("languages"))
    return []


def _bio(root: _Element) -> str:
    for selector in _BIO:
        for element in root.cssselect(selector):
            text = htmlmd.inline(element).strip()
            if text:
                return text
    return ""


IMPORTER = Importer("html", "a web page saved from a think tank's site", accepts, declines, parse)
