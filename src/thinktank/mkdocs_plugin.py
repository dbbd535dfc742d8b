"""The MkDocs adapter: translated pages, listings, bylines and author boxes.

Small event handlers only. mkdocs-static-i18n runs one build pass per
language; in each non-default pass every page is rendered from its English
source plus the language's PO catalog (:mod:`thinktank.localize`), with a
status banner for drafts and untranslated pages. The Markdown fragments come
from :mod:`thinktank.listings`; neither module imports MkDocs.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from . import feeds, languages, listings, search_index
from .content import Library, is_author_page, load_library, reading_minutes
from .errors import ThinktankError
from .fsutil import atomic_write_text
from .glossary import load as load_glossary
from .ui_text import DEFAULT, label
from .localize import Localizer
from .sanitize import DROPPED_META, clean_html, clean_meta, text_of_html

log = get_plugin_logger(__name__)
_BACKLINK = re.compile(r'title="Jump back to footnote (\d+) in the text"')


class ThinktankConfig(Config):
    enabled = c.Type(bool, default=True)
    sections = c.Type(list, default=["analyses"])
    """docs/ folders whose pages are articles."""
    latest = c.Type(int, default=10)
    """How many articles the ``latest`` listing shows."""
    translations_dir = c.Type(str, default="translations")
    """PO catalogs, relative to mkdocs.yml."""


class ThinktankPlugin(BasePlugin[ThinktankConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.library = Library()
        self.localizer: Localizer | None = None
        self.urls: list[str] = []
        self.site_names: dict[str, str] = {}
        """Each language pass's site_name (mkdocs-static-i18n changes it per pass)."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Every i18n language has its data (else one line naming what is missing); the 404 page's texts."""
        if not self.config.enabled:
            return config
        entries = getattr(getattr(config.plugins.get("i18n"), "config", None), "languages", None) or []
        try:
            site = languages.site_from_entries(list(entries), Path(config.config_file_path or "mkdocs.yml"))
            languages.activate(site)
        except ThinktankError as exc:
            raise PluginError(str(exc)) from exc
        config.extra["thinktank_languages"] = languages.page_texts(site)
        search: Any = config.plugins.get("search") or config.plugins.get("material/search")
        if search is not None:  # each language's lunr stemmer, as its data names it (static-i18n adds the rest)
            search.config.lang = list(dict.fromkeys([*(search.config.lang or []), *languages.search_languages(site)]))
        return config

    # Each i18n language pass calls on_files again: read docs/ and this language's catalogs.
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        lang = _current_language(config)
        self.urls = []
        self.site_names[lang] = config.site_name
        try:
            library = load_library(Path(config.docs_dir), list(self.config.sections))
            if lang == DEFAULT:
                self.localizer, self.library = None, library
            else:
                translations = Path(config.config_file_path or ".").parent / self.config.translations_dir
                self.localizer = Localizer(translations, lang, load_glossary(translations))
                self.library = self.localizer.library(library)
        except ThinktankError as exc:
            raise PluginError(str(exc)) from exc
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Translate the page, expand listing markers, frame article and author pages.

        The catalog is looked up with the page's raw front matter (msgids are
        the source text); only then is every value cleaned for the templates.
        Listing markers are expanded only where the English source has them.
        """
        if not self.config.enabled:
            return markdown
        lang = _current_language(config)
        uri = _source_uri(page)
        allowed = listings.markers(markdown)
        meta = dict(page.meta)
        banner = ""
        if self.localizer is not None:
            try:
                translated = self.localizer.page(uri, meta, markdown)
            except ThinktankError as exc:
                raise PluginError(str(exc)) from exc
            meta, markdown = translated.meta, translated.markdown
            banner = listings.status_banner(translated.state, translated.provenance, translated.machine,
                                            _original_url(page, lang), lang)
        dropped = sorted(key for key in DROPPED_META if key in meta)
        if dropped:
            log.info("%s: front matter %s ignored (a page may not choose its template)", page.file.src_uri,
                     ", ".join(dropped))
        page.meta = clean_meta(meta)
        markdown = self._expand_markers(markdown, uri, lang, allowed)
        cite = listings.Citation(config.site_name, page.canonical_url or page.url)
        self.urls.append(cite.url)
        framed = self._frame(markdown, uri, lang, cite)
        return f"{banner}\n\n{framed}" if banner else framed

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Sanitise the page (its text is untrusted); back-links speak the page's language.

        The title and table of contents, which Material prints outside the
        page body, are reduced to safe text too: a title taken from the page's
        first heading would otherwise reach ``<title>`` unescaped.
        """
        if not self.config.enabled:
            return html
        html = clean_html(html, urlsplit(config.site_url or "").hostname)
        page.title = text_of_html(str(page.title or ""))
        for item in _toc_items(page.toc):
            item.title = text_of_html(item.title)
        lang = _current_language(config)
        if lang == DEFAULT:
            return html
        return _BACKLINK.sub(lambda m: f'title="{label("backlink", lang, number=m.group(1))}"', html)

    def _write_feed(self, config: MkDocsConfig, lang: str, library: Library) -> None:
        """This language's RSS feed (and, for tr/ru, sitemap) into its site folder."""
        base = (config.site_url or "/").rstrip("/") + "/"
        prefix = "" if lang == DEFAULT else f"{lang}/"
        site_name = self.site_names.get(lang, config.site_name)
        document = feeds.rss(
            library, title=site_name, description=label("feed", lang, site=site_name),
            home=base + prefix, lang=lang, url_of=lambda entry: base + prefix + _page_path(entry.uri))
        # mkdocs-static-i18n keeps site_dir and prefixes each page with its language.
        atomic_write_text(Path(config.site_dir) / prefix / feeds.FEED_FILE, document)
        if prefix:  # the root sitemap, with every language's alternates, is mkdocs-static-i18n's
            atomic_write_text(Path(config.site_dir) / prefix / feeds.SITEMAP_FILE, feeds.sitemap(self.urls))

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Pages of tr/ru search their own language's index."""
        lang = _current_language(config)
        if not self.config.enabled or lang == DEFAULT:
            return output
        return search_index.page_config(output, lang)

    # Run after mkdocs-static-i18n (-100): in its nested passes (tr, ru) this writes
    # that language's feed; in the outermost pass it runs once every language is
    # built and the search indexes are merged.
    @event_priority(-110)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Feeds and sitemaps per language; at the very end, one search index per language."""
        if not self.config.enabled:
            return
        i18n: Any = config.plugins.get("i18n")
        if getattr(i18n, "building", False):
            self._write_feed(config, _current_language(config), self.library)
            return
        english = load_library(Path(config.docs_dir), list(self.config.sections))
        self._write_feed(config, DEFAULT, english)
        self._split_search_index(config)

    def _split_search_index(self, config: MkDocsConfig) -> None:
        combined = Path(config.site_dir) / search_index.INDEX
        if not combined.exists():
            return
        parts = search_index.split(json.loads(combined.read_text(encoding="utf-8")), _languages(config), DEFAULT)
        for code, index in parts.items():
            prefix = "" if code == DEFAULT else f"{code}/"
            atomic_write_text(Path(config.site_dir) / prefix / search_index.INDEX,
                              json.dumps(index, ensure_ascii=False, separators=(",", ":")))

    def on_template_context(self, context: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        """The 404 page switches to each language's home page, not to the last page built."""
        i18n: Any = config.plugins.get("i18n")
        roots = getattr(i18n, "extra_alternate", None)
        if template_name == "404.html" and roots:
            # mkdocs-static-i18n leaves the last rendered page's alternates in config.extra
            # (as an attribute, which is what the templates read).
            setattr(config.extra, "alternate", copy.deepcopy(roots))  # noqa: B010
        return context

    def _frame(self, markdown: str, uri: str, lang: str, cite: listings.Citation) -> str:
        entry = self.library.article(uri)
        if entry is not None:
            header = listings.article_header(entry, self.library, uri, lang, reading_minutes(markdown))
            footer = listings.article_footer(entry, self.library, uri, lang, cite)
            return f"{header}\n\n{markdown.strip()}\n\n{footer}\n"
        author = self.library.authors.get(Path(uri).stem) if is_author_page(uri) else None
        if author is not None:
            header = listings.author_page_header(author, lang)
            footer = listings.author_page_footer(author, self.library, uri, lang)
            return f"{header}\n\n{markdown.strip()}\n\n{footer}\n"
        return markdown

    def _expand_markers(self, markdown: str, uri: str, lang: str, allowed: set[str]) -> str:
        """Each marker the source page carries (``allowed``) replaced by its listing."""
        library, latest = self.library, self.config.latest
        expansions = {
            "latest": lambda: listings.article_list(library.articles[:latest], library, uri, lang),
            "articles": lambda: listings.article_list(library.articles, library, uri, lang),
            "authors": lambda: listings.authors_index(library, uri, lang),
            "topics": lambda: listings.topics_index(library, uri, lang),
        }
        for name, render in expansions.items():
            marker = f"<!-- thinktank:{name} -->"
            if name in allowed and marker in markdown:
                markdown = markdown.replace(marker, render())
        return markdown


def _toc_items(toc: Any) -> Iterator[Any]:
    """Every entry of a page's table of contents, depth first."""
    for item in toc or ():
        yield item
        yield from _toc_items(item.children)


def _languages(config: MkDocsConfig) -> list[str]:
    i18n: Any = config.plugins.get("i18n")
    languages = [getattr(item, "locale", None) for item in getattr(getattr(i18n, "config", None), "languages", [])]
    return [code for code in languages if code] or [DEFAULT]


def _current_language(config: MkDocsConfig) -> str:
    """The language of this build pass (mkdocs-static-i18n runs one pass per language)."""
    i18n: Any = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or DEFAULT


def _source_uri(page: Page) -> str:
    """The page's docs/ path without a language suffix ("x.tr.md" -> "x.md")."""
    uri = page.file.src_uri
    stem, _, ext = uri.rpartition(".")
    base, dot, suffix = stem.rpartition(".")
    if dot and len(suffix) == 2 and "/" not in suffix:
        return f"{base}.{ext}"
    return uri


def _page_path(uri: str) -> str:
    """The directory URL of a page ("analyses/x.md" -> "analyses/x/", "index.md" -> "")."""
    stem = uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def _original_url(page: Page, lang: str) -> str:
    """Relative URL from this page to the same page in the default language."""
    url = page.url or ""
    return "../" * url.count("/") + url.removeprefix(f"{lang}/") or "./"
