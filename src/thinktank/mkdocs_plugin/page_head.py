"""MkDocs objects in, :mod:`thinktank.page_meta` facts out: what the page head and footer say.

Called by the plugin's ``on_page_context`` (each page) and ``on_env`` (each
language pass, for the footer, which the 404 page shows too). The texts are
this pass's: the plugin's library is already translated (titles, summaries,
first paragraphs, author names) and ``page.meta`` holds the translated,
HTML-escaped front matter, which :func:`thinktank.page_meta.unescaped` turns
back into plain text for the template to escape once.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from .. import authors, languages, page_meta, segments, urls
from ..library import Library
from ..localize import Localizer
from ..ui_text import DEFAULT
from . import i18n


def settings(config: MkDocsConfig) -> dict[str, object]:
    """``extra.thinktank`` of mkdocs.yml (the publisher's identity settings); empty when absent."""
    value = config.extra.get("thinktank") if hasattr(config.extra, "get") else None
    return value if isinstance(value, dict) else {}


def site_facts(config: MkDocsConfig, lang: str) -> page_meta.SiteFacts:
    """The site as this pass sees it: made once per pass from the values it is made of (every page asks)."""
    codes = tuple(i18n.languages(config))
    return _site_facts(config.site_name, config.site_url or "", config.site_description or "", codes,
                       tuple(languages.get(code).locale for code in codes), str(config.theme.get("logo") or ""))


@functools.lru_cache(maxsize=16)
def _site_facts(name: str, url: str, description: str, codes: tuple[str, ...], locales: tuple[str, ...],
                logo: str) -> page_meta.SiteFacts:
    return page_meta.SiteFacts(name=name, url=url, description=description, default=DEFAULT, languages=codes,
                               locales=dict(zip(codes, locales, strict=True)), logo=logo)


def footer(config: MkDocsConfig, lang: str) -> str:
    """This language's footer line: ``copyright`` (static-i18n's per-language value) and the reuse licence."""
    licence = page_meta.licence(settings(config).get("licence"), _config_file(config))
    return page_meta.footer_html(config.copyright or "", licence, languages.get(lang).labels["reuse"])


def head(page: Page, config: MkDocsConfig, lang: str, library: Library,
         localizer: Localizer | None) -> page_meta.Head:
    """What the head of ``page`` says in ``lang`` (see :func:`thinktank.page_meta.head`)."""
    return page_meta.head(page_facts(page, config, lang, library, localizer), site_facts(config, lang))


def page_facts(page: Page, config: MkDocsConfig, lang: str, library: Library,
               localizer: Localizer | None) -> page_meta.PageFacts:
    """The page's title, description, authors and dates in ``lang``, as plain text."""
    uri = urls.source_uri(page.file.src_uri)
    meta = page.meta or {}
    body = _source_body(page)
    entry = library.article(uri)
    title = entry.title if entry else page_meta.unescaped(meta.get("title")) or page_meta.unescaped(page.title or "")
    paragraph = entry.first_paragraph if entry else _first_paragraph(body)
    if entry is None and localizer is not None and paragraph:
        paragraph = localizer.lookup(uri, paragraph) or paragraph
    description = page_meta.describe(description=page_meta.unescaped(meta.get("description")),
                                     summary=entry.summary if entry else "", paragraph=paragraph,
                                     fallback=config.site_description or "")
    if entry is None:
        return page_meta.PageFacts(uri=uri, lang=lang, title=title, description=description)
    people = tuple(
        page_meta.Person(library.authors[key].name,
                         page_meta.page_url(config.site_url or "", lang, authors.page_uri(key), DEFAULT))
        if key in library.authors else page_meta.Person(key)
        for key in entry.authors)
    source = meta.get("source")
    return page_meta.PageFacts(
        uri=uri, lang=lang, title=title, description=description, article=True,
        scholarly=bool(segments.FOOTNOTE_REF.search(body)), authors=people, published=entry.date,
        original_url=page_meta.original_url(page_meta.unescaped(source.get("url")) if isinstance(source, dict) else ""),
        original_publisher=entry.publisher)


_FRONT = re.compile(r"\A---\n(.*?\n)---\n?(.*)\Z", re.S)
"""Where front matter ends, as :func:`thinktank.frontmatter.parse` finds it."""


def _source_body(page: Page) -> str:
    """The page's Markdown as written in docs/ (English), front matter removed.

    Split off as :func:`thinktank.frontmatter.parse` does, without loading the
    YAML again: the library read every page with that loader before the first
    page was built (:func:`thinktank.library.check_pages`, the library's own
    articles and author pages), so a page that reaches this point has front
    matter it accepts, and only the body is wanted here. Loading it again was
    two thirds of ``on_page_context``.
    """
    try:
        text = page.file.content_string
    except (OSError, UnicodeDecodeError):
        return ""
    match = _FRONT.match(text.replace("\r\n", "\n"))
    return match.group(2).lstrip("\n") if match else text


@functools.lru_cache(maxsize=64)
def _first_paragraph(body: str) -> str:
    """:func:`thinktank.segments.first_paragraph`, parsed once for the pages of a paginated listing, which share
    their source, and for the same page in each language pass."""
    return segments.first_paragraph(body)


def _config_file(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path or "mkdocs.yml")
