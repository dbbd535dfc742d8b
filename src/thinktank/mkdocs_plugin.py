"""The MkDocs adapter: adds listings, bylines and author boxes to pages.

Small event handlers only; the Markdown comes from :mod:`thinktank.listings`
and the data from :mod:`thinktank.content`, neither of which imports MkDocs.
Pages opt into listings with markers such as ``<!-- thinktank:latest -->``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from . import listings
from .content import Library, is_author_page, load_library
from .errors import ThinktankError
from .locale import DEFAULT

log = get_plugin_logger(__name__)


class ThinktankConfig(Config):
    enabled = c.Type(bool, default=True)
    sections = c.Type(list, default=["analyses"])
    """docs/ folders whose pages are articles."""
    latest = c.Type(int, default=10)
    """How many articles the ``latest`` listing shows."""


class ThinktankPlugin(BasePlugin[ThinktankConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.library = Library()

    # Read the docs tree once per build (each i18n language pass calls this again).
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.config.enabled:
            try:
                self.library = load_library(Path(config.docs_dir), list(self.config.sections))
            except ThinktankError as exc:
                raise PluginError(str(exc)) from exc
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Expand listing markers and frame article and author pages."""
        if not self.config.enabled:
            return markdown
        lang = _current_language(config)
        uri = _source_uri(page)
        markdown = self._expand_markers(markdown, uri, lang)
        entry = self.library.article(uri)
        if entry is not None:
            header = listings.article_header(entry, self.library, uri, lang)
            footer = listings.article_footer(entry, self.library, uri, lang)
            return f"{header}\n\n{markdown.rstrip()}\n\n{footer}\n"
        author = self.library.authors.get(Path(uri).stem) if is_author_page(uri) else None
        if author is not None:
            header = listings.author_page_header(author, lang)
            footer = listings.author_page_footer(author, self.library, uri, lang)
            return f"{header}\n\n{markdown.strip()}\n\n{footer}\n"
        return markdown

    def _expand_markers(self, markdown: str, uri: str, lang: str) -> str:
        library, latest = self.library, self.config.latest
        expansions = {
            "latest": lambda: listings.article_list(library.articles[:latest], library, uri, lang),
            "articles": lambda: listings.article_list(library.articles, library, uri, lang),
            "authors": lambda: listings.authors_index(library, uri, lang),
            "topics": lambda: listings.topics_index(library, uri, lang),
        }
        for name, render in expansions.items():
            marker = f"<!-- thinktank:{name} -->"
            if marker in markdown:
                markdown = markdown.replace(marker, render())
        return markdown


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
