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
import copy
import html as html_lib
import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from lxml import html as lxml_html
from lxml.etree import _Element

from ..errors import ArticleFormatError
from ..models import Article
from ..footnotes import note_number, parse_date
from . import html_meta, htmlmd
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


_SINGLE_BYTE = {"cp1252", "latin_1", "iso8859_15", "ascii", "cp1254", "iso8859_9", "cp1250", "iso8859_2"}
"""Declared charsets that real pages often declare while their bytes are UTF-8 (an old template)."""
_XML_ENCODING = re.compile(rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w-]+)""", re.I)


def decode(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """The page's text, the codec it was read with, and warnings.

    A byte-order mark beats any declaration (browsers do the same); bytes
    declared as a Western single-byte charset that are valid UTF-8 with
    non-ASCII letters are UTF-8 (no real Windows-1252 text is also valid
    UTF-8 by accident); undeclared bytes that are not UTF-8 are read as
    Windows-1252, HTML's default. Invalid bytes in the declared charset are
    refused: reading them otherwise would change the text.
    """
    if len(data) > MAX_BYTES:
        raise ArticleFormatError(path, f"HTML file is larger than {MAX_BYTES // (1024 * 1024)} MB; not a saved article page")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode("utf-8-sig" if codec == "utf-8" else codec), codec, []
            except UnicodeDecodeError as exc:
                raise ArticleFormatError(path, f"starts with a {codec.upper()} byte-order mark but is invalid at "
                                               f"byte {exc.start}; save the page again") from None
    declared = _XML_ENCODING.search(data[:1024]) or _CHARSET.search(data[:8192])
    charset = declared.group(1).decode("ascii").lower() if declared else ""
    if charset:
        try:
            known = codecs.lookup(charset)
        except LookupError:
            known = None
        # Only text encodings: "rot13", "zlib" or "idna" are codecs too, but no page is written in them.
        if known is None or not getattr(known, "_is_text_encoding", True) or known.name in ("idna", "punycode"):
            raise ArticleFormatError(path, f"unknown charset {charset!r} declared in the page")
        codec = known.name
        if codec in _SINGLE_BYTE and re.search(rb"[\x80-\xff]", data):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                return text, "utf-8", [f"{path}: the page declares {charset} but its bytes are UTF-8; read as UTF-8"]
    else:
        try:
            return data.decode("utf-8"), "utf-8", []
        except UnicodeDecodeError:
            codec = "cp1252"
            warning = [f"{path}: the page declares no charset and is not UTF-8; read as Windows-1252"]
            try:
                return data.decode(codec), codec, warning
            except UnicodeDecodeError:
                codec = "utf-8"
    try:
        return data.decode(codec), codec, []
    except UnicodeDecodeError as exc:
        raise ArticleFormatError(path, f"invalid {(charset or codec).upper()} at byte {exc.start}; "
                                       "save the page again as UTF-8 or declare its real charset") from None
    except UnicodeError as exc:  # a codec's own complaint that names no byte
        raise ArticleFormatError(path, f"cannot be read as {charset.upper()}: {exc}") from None


def parse_html(data: bytes, path: Path) -> tuple[Article, list[str]]:
    """Parse a saved web page into an Article; returns (article, warnings)."""
    removed: Counter[str] = Counter()
    text, encoding, warnings = decode(data, path)
    root = htmlmd.parse(text, path, removed, warnings)
    extracted = _trafilatura_metadata(text)
    meta = _metadata(root, extracted)
    title = meta["title"]
    if not title:
        raise ArticleFormatError(path, "no recognisable title: the page has no og:title, JSON-LD headline, <h1> "
                                       "or <title>")
    bio = _bio(root)
    languages = _switcher_languages(root)
    for selector in _AUTHOR_BOXES:
        for box in root.cssselect(selector):
            if box.getparent() is not None:
                box.getparent().remove(box)
    warnings += _several_articles(root, path)
    notes = htmlmd.lift_notes(root, page_url=meta["url"])
    _absolute_links(root, meta["base"])
    blocks, main_warnings = _main_blocks(root, path)
    warnings += main_warnings
    key = html_meta.normal(title)
    blocks = [block for block in blocks if html_meta.normal(block.lstrip("#").strip()) != key]
    names = meta["authors"]
    if not names and blocks and names_in(blocks[0]):
        names = names_in(blocks.pop(0))
    if not notes:
        blocks, notes = _text_notes(blocks)
    parsed = Parsed(title=title, paragraphs=blocks, notes=notes, names=names, bio=bio, bios=_bios(bio, names),
                    summary=meta["description"], date=meta["date"], url=meta["url"],
                    language=meta["language"], publisher=meta["site"], languages=languages,
                    removed=removed)
    article, assembled = assemble(parsed, path, PROFILE)
    article.source_encoding = encoding
    return article, warnings + assembled


def _trafilatura_metadata(text: str) -> dict[str, str]:
    """trafilatura's own reading of title, author and site name (a voter, never the only source)."""
    import trafilatura

    try:
        document = trafilatura.extract_metadata(text)
    except Exception:  # noqa: BLE001 - a third-party heuristic failing must not refuse the page
        return {}
    if document is None:
        return {}
    return {key: str(getattr(document, key, "") or "") for key in ("title", "author", "sitename")}


def _several_articles(root: _Element, path: Path) -> list[str]:
    """A file holding several articles (a saved listing or a "read next" page) is said, not silently cut."""
    articles = [element for element in root.iter("article")
                if len(" ".join(element.text_content().split())) >= 500
                and not any(ancestor.tag == "article" for ancestor in element.iterancestors())]
    if len(articles) >= 2:
        return [f"{path}: the page holds {len(articles)} articles; only the main text is imported, import the "
                "others from their own pages"]
    return []


def _absolute_links(root: _Element, base: str) -> None:
    """Links relative to the source site point at it, not at our site: resolved against the page's URL."""
    if not base.startswith(("http://", "https://")):
        return
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if href and not href.startswith(("#", "mailto:", "javascript:", "tel:", "data:")) \
                and not re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            link.set("href", _join(base, href))


_MAIN = ("article", "main", "[role=main]", "#content", ".entry-content", ".post-content", ".article-body")
_CHROME = ("nav", "header", "footer", "aside", "form", "script", "style", "noscript", "button")


def _main_blocks(root: _Element, path: Path) -> tuple[list[str], list[str]]:
    """The main text: trafilatura's, or the page's own main element when trafilatura finds none."""
    import trafilatura

    warnings: list[str] = []
    try:
        main = trafilatura.extract(lxml_html.tostring(root, encoding="unicode"), output_format="html",
                                   include_formatting=True, include_links=True, include_tables=True,
                                   include_comments=False, include_images=False, favor_recall=True)
    except Exception as exc:  # noqa: BLE001 - a bug in the extractor must not refuse a good page
        main, reason = None, f"failed ({type(exc).__name__})"
    else:
        reason = "found no main text"
    blocks = htmlmd.to_blocks(_restore_code(htmlmd.parse(_inline_code(main, root), path), root)) if main else []
    own = _own_main(root)
    own_text = sum(len(" ".join(p.text_content().split())) for p in own.iter("p")) if own is not None else 0
    own_blocks = htmlmd.to_blocks(copy.deepcopy(own)) if own is not None else []
    if len(blocks) == 1 and len(own_blocks) >= 2 and all(
            html_meta.normal(block.lstrip("#")) in html_meta.normal(blocks[0]) for block in own_blocks):
        # trafilatura's last resort is the whole page's text as one paragraph, navigation included.
        blocks, reason = [], "ran the page's text together into one paragraph"
    if not blocks:
        if own is None or not own_blocks:
            raise ArticleFormatError(path, "no article text found in the page")
        warnings.append(f"{path}: trafilatura {reason}; imported the page's <{own.tag}> element instead, check "
                        "for leftover navigation")
        return own_blocks, warnings
    kept = sum(len(block) for block in blocks)
    if own is not None and own_text >= 1500 and kept < own_text // 2:
        warnings.append(f"{path}: trafilatura kept {kept:,} of the {own_text:,} characters of paragraphs in the "
                        f"page's <{own.tag}>; check that nothing of the article was dropped")
    return blocks, warnings


def _inline_code(extracted: str, page: _Element) -> str:
    """trafilatura writes an inline ``<code>`` as ``<pre>`` inside the paragraph (which an HTML parser
    would split in two): put the page's ``<code>`` back in the markup, before parsing."""
    spans = {" ".join(element.text_content().split()) for element in page.iter("code")
             if element.getparent() is not None and element.getparent().tag != "pre"}

    def restore(match: re.Match[str]) -> str:
        text = " ".join(html_lib.unescape(match.group(1)).split())
        return f"<code>{match.group(1)}</code>" if text in spans else match.group(0)
    return re.sub(r"<pre>([^<\n]*)</pre>", restore, extracted) if spans else extracted


def _restore_code(extracted: _Element, page: _Element) -> _Element:
    """Structure as the page wrote it: trafilatura's HTML writes ordered lists as ``<ul>`` and a
    ``<pre>`` as ``<blockquote>`` with its line breaks gone; each is matched back to the page's own
    element by its text and restored: an ``<ol start=4>`` counts from 4, console output stays a
    code block, verbatim."""
    def key(element: _Element) -> str:
        return " ".join(element.text_content().split())

    blocks = {key(element): element for element in page.iter("pre") if key(element)}
    def items(element: _Element) -> tuple[str, ...]:
        return tuple(key(item) for item in element if item.tag == "li")

    ordered = {items(element): element for element in page.iter("ol") if items(element)}
    for element in list(extracted.iter("ul", "ol")):  # trafilatura writes every list as <ul>, from 1
        source = ordered.get(items(element))
        if source is not None:
            element.tag = "ol"
            for attribute in ("start", "type", "reversed"):
                if source.get(attribute) is not None:
                    element.set(attribute, source.get(attribute))
    for element in list(extracted.iter("blockquote", "pre")):
        text = key(element)
        if element.tag == "blockquote" and text in blocks:
            replacement = lxml_html.Element("pre")
            replacement.text = blocks[text].text_content()
        else:
            continue
        replacement.tail = element.tail
        element.getparent().replace(element, replacement)
    return extracted


def _own_main(root: _Element) -> _Element | None:
    """A copy of the page's main element without chrome: <article>, <main>, or the largest block of paragraphs."""
    candidates = [element for selector in _MAIN for element in root.cssselect(selector)]
    if not candidates:
        parents = Counter(p.getparent() for p in root.iter("p") if p.getparent() is not None)
        scored = {parent: sum(len(p.text_content()) for p in parent if p.tag == "p") for parent in parents}
        candidates = [max(scored, key=lambda parent: scored[parent])] if scored else []
    if not candidates:
        body = root.find("body")
        candidates = [body] if body is not None else []
    if not candidates:
        return None
    best = max(candidates[:20], key=lambda element: len(element.text_content()))
    main = copy.deepcopy(best)
    for element in [element for element in main.iter() if isinstance(element.tag, str) and element.tag in _CHROME]:
        if element is not main and element.getparent() is not None:
            element.getparent().remove(element)
    return main


def _text_notes(blocks: list[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """Notes written as ``[n] text`` paragraphs (or list items) at the end of the text.

    Numbers used twice (two note series on one page) would tie markers to the
    wrong notes, so then nothing is lifted: markers and notes stay text as written.
    """
    notes: list[tuple[int, str]] = []
    kept = []
    for block in blocks:
        lines = [re.sub(r"^(?:- |\d+\. )", "", line) for line in block.split("\n")]
        matches = [_NOTE.fullmatch(line.strip()) for line in lines]
        if all(matches):
            notes += [(note_number(m.group("number")), m.group("text").strip()) for m in matches if m]
        else:
            kept.append(block)
    if len({number for number, _ in notes}) < len(notes):
        return blocks, []
    return kept, notes


# --- Metadata --------------------------------------------------------------------

def _first(root: _Element, *selectors: str, attribute: str | None = None) -> str:
    for selector in selectors:
        for element in root.cssselect(selector):
            value = element.get(attribute) if attribute else element.text_content()
            if value and value.strip():
                return " ".join(value.split())
    return ""


def _metadata(root: _Element, extracted: dict[str, str]) -> dict[str, Any]:
    """Title and byline by agreement between sources (:mod:`html_meta`); date, URL, language, site."""
    items = html_meta.json_ld(root)
    linked = html_meta.ld_article(items)
    url = (_first(root, 'link[rel="canonical"]', attribute="href")
           or html_meta.meta_content(root, "og:url") or str(linked.get("url") or ""))
    url = url if url.startswith(("http://", "https://")) else ""
    base = _first(root, "base[href]", attribute="href")
    base = _join(url, base) if base and url else (base or url)
    sites = html_meta.site_names(root, items, url)
    title = html_meta.choose_title(html_meta.title_votes(root, items, extracted.get("title", "")), sites)
    authors = html_meta.choose_names(html_meta.byline_votes(root, items, extracted.get("author", "")), sites)
    published = (html_meta.meta_content(root, "article:published_time", "citation_publication_date",
                                        "parsely-pub-date", "date", "dc.date")
                 or str(linked.get("datePublished") or "") or _first(root, "article time[datetime]", attribute="datetime")
                 or _first(root, "time[datetime]", attribute="datetime"))
    publisher = linked.get("publisher")
    site = html_meta.meta_content(root, "og:site_name") or (
        str(publisher.get("name") or "") if isinstance(publisher, dict) else "")
    return {
        "title": title,
        "authors": authors,
        "date": _date(published),
        "url": url,
        "base": base,
        "language": (root.get("lang") or "").split("-")[0].lower(),
        "site": site,
        "description": html_meta.meta_content(root, "description", "og:description"),
    }


def _join(base: str, href: str) -> str:
    """``href`` resolved against ``base``; as written when either is no parseable URL ("http://[x")."""
    try:
        return urljoin(base, href)
    except ValueError:
        return href


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


def _bios(bio: str, names: list[str]) -> dict[str, str]:
    """The bio's paragraphs by the co-author each opens with ("**A** is a fellow …"); a paragraph that
    names nobody goes on with the one before. Empty for one author (the whole bio is theirs)."""
    if len(names) < 2:
        return {}
    bios: dict[str, str] = {}
    owner = ""
    for paragraph in bio.split("\n\n"):
        opening = paragraph.lstrip("*_ ").casefold()
        owner = next((name for name in names if opening.startswith(name.casefold())), owner)
        if owner:
            bios[owner] = f"{bios[owner]}\n\n{paragraph}" if owner in bios else paragraph
    return bios


def _bio(root: _Element) -> str:
    """The author box's biography: its bio element where the theme marks one, else the box's own paragraphs
    (a box is removed from the text after this, so what is not read here would be lost)."""
    for selector in _BIO:
        for element in root.cssselect(selector):
            text = htmlmd.inline(element).strip()
            if text:
                return text
    for selector in _AUTHOR_BOXES:
        for box in root.cssselect(selector):
            paragraphs = [text for p in box.iter("p") if (text := htmlmd.inline(p).strip())]
            if paragraphs:
                return "\n\n".join(paragraphs)
    return ""


IMPORTER = Importer("html", "a web page saved from a think tank's site", accepts, declines, parse)
