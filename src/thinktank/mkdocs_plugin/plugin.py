"""The event handlers: MkDocs objects in, calls of the core, MkDocs objects out.

mkdocs-static-i18n runs one build pass per language (see :mod:`.i18n`). The
English library is read from docs/ once per build, in the first pass that
needs it, and every other language's listings are derived from it
(:meth:`thinktank.localize.Localizer.library`); the outermost pass's
``on_config`` forgets it, so a rebuild (``mkdocs serve``) reads docs/ again.
In a non-default pass every page is rendered from its English source plus
the language's PO catalog, with a status banner for drafts and untranslated
pages. A :class:`~thinktank.errors.ThinktankError` from the core becomes
MkDocs' ``PluginError`` in one place (:func:`_reported`), so ``mkdocs build``
prints its one line and no traceback.
"""

from __future__ import annotations

import datetime
import functools
import gc
import html
import logging
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date

from .. import (anchors, authors, catalog, feeds, framing, languages, library, listings, page_meta, pagination, pdf,
               preview, search_index, topics, ui_text, urls)
from ..build_cache import BuildCache, CacheShare
from ..library import ArticleEntry, Library
from ..errors import ThinktankError
from ..fsutil import atomic_write_bytes, atomic_write_text
from ..glossary import load as load_glossary
from ..localize import Localizer
from ..sanitize import DROPPED_META, clean_html, clean_meta, text_of_html
from ..ui_text import DEFAULT
from . import i18n, passes
from .config import ThinktankConfig
from . import page_head  # the page head and footer (issue 11)

log = get_plugin_logger(__name__)

NOT_FOUND = "404.html"
"""Material's error page: one per language, served by the web server's ``error_page`` under each prefix."""

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class ForkReport:
    """What the passes built in a fork (:mod:`.passes`) leave for the end of the build here."""

    indexed: set[str]
    """The languages whose search index they wrote."""
    sitemap: str | None
    """static-i18n's root sitemap as their last pass rendered it: its entries of their languages go into ours."""
    languages: tuple[str, ...]
    cache: CacheShare
    search_entries: list[dict[str, Any]]
    """What static-i18n collected of their search entries (none, unless a pass could not write its own index:
    then they go into the merged one, as in one process)."""


class _SkippedOwn404(logging.Filter):
    """Drops MkDocs' "Template skipped: '404.html' generated empty output." of a nested pass: the plugin empties
    that output on purpose, having written the page under the language's folder (:meth:`ThinktankPlugin.on_post_template`),
    so the line only said something false, once per language."""

    LINE = f"Template skipped: '{NOT_FOUND}' generated empty output."

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != self.LINE


class _LinkOfATranslation(logging.Filter):
    """Names the catalog in MkDocs' warning about a link of a translated page ("Doc file 'about.md' contains a
    link 'x.md', but the target is not found ..."): in a tr or ru pass the page is its English source with the
    catalog's msgstrs in it, so a translator's broken link was reported against the English file, where it is
    not. Only a link the English source does not have is said to come from the catalog."""

    _DOC = re.compile(r"^Doc file '([^']+)' contains (?:a|an \w+(?: \w+)?) link (?:to )?'([^']*)'")

    def __init__(self) -> None:
        super().__init__()
        self.docs_dir: Path | None = None
        self.catalog_of: Callable[[str], Path | None] = lambda uri: None

    def filter(self, record: logging.LogRecord) -> bool:
        found = self._DOC.match(record.getMessage())
        if found is None or self.docs_dir is None:
            return True
        src_uri, link = found.groups()
        po = self.catalog_of(urls.source_uri(src_uri))
        if po is None or not po.exists():
            return True
        try:
            in_source = link in (self.docs_dir / src_uri).read_text(encoding="utf-8", errors="replace")
        except OSError:
            in_source = False
        if not in_source:
            record.msg, record.args = f"{record.getMessage()} (The link is in its translation, {po}.)", ()
        return True


_LINKS = _LinkOfATranslation()


def _quiet_own_404_skips() -> None:
    logger = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(item, _SkippedOwn404) for item in logger.filters):
        logger.addFilter(_SkippedOwn404())
    pages = logging.getLogger("mkdocs.structure.pages")
    if _LINKS not in pages.filters:
        pages.addFilter(_LINKS)


def _reported(handler: Callable[P, R]) -> Callable[P, R]:
    """The one place a core error becomes MkDocs' ``PluginError`` (printed as one line, no traceback)."""
    @functools.wraps(handler)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return handler(*args, **kwargs)
        except ThinktankError as exc:
            raise PluginError(str(exc)) from exc

    return run


class ThinktankPlugin(BasePlugin[ThinktankConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._english: Library | None = None
        """docs/ read once per build; None until the first pass needs it, and again at each new build."""
        self.library = Library()
        """This pass's language's library."""
        self.localizer: Localizer | None = None
        """This pass's language's catalogs; None in the default language's pass."""
        self.urls: list[str] = []
        """This pass's page URLs, for its sitemap."""
        self.site_names: dict[str, str] = {}
        """Each language pass's site_name (mkdocs-static-i18n changes it per pass)."""
        self.command = "build"
        """How MkDocs was started (build, gh-deploy, serve); a build not started from its CLI counts as a build."""
        self.anchors: anchors.PassAnchors = anchors.PassAnchors()
        """This pass's translated pages whose heading anchors differ from the English ones, by page URL."""
        self._anchors_of: Files | None = None
        """The pass (its ``Files``) that :attr:`anchors` belongs to; a new pass starts it afresh."""
        self.positions: dict[str, pagination.Position] = {}
        """This pass's pages of paginated listings by ``src_uri`` (page 1 by its source page's)."""
        self.pager_files: dict[str, File] = {}
        """Those pages' files by docs/ path, for their ``rel=prev/next`` links."""
        self.rel: dict[str, tuple[str | None, str | None]] = {}
        """Each paginated page's previous and next page URL, relative to it, by page URL."""
        self.topic_of: dict[str, tuple[str, list[ArticleEntry]]] = {}
        """This pass's topic pages (:mod:`thinktank.topics`) by ``src_uri``: the tag as shown, and its analyses in
        this pass's language, newest first."""
        self.held: dict[str, framing.Held] = {}
        """Each page's own HTML fragments between its Markdown and its HTML, by ``src_uri`` (see :class:`framing.Held`)."""
        self.bios: dict[str, str] = {}
        """This pass's authors' bios rendered once as clean HTML, by author id (see :meth:`_render_bios`)."""
        self.indexed: set[str] = set()
        """The languages whose search index this build has written already (each nested pass writes its own)."""
        self.key = secrets.token_hex(8)
        """This build's placeholder key (random: no page's text can name a placeholder)."""
        self.generated: list[str] = []
        """The docs/ paths of the pages this build generates (listing pages 2, 3, ..., topic pages): the same in
        every language, and added to static-i18n's root sitemap, which lists only docs/."""
        self.topic_pages: dict[str, str] = {}
        """Each tag as this pass shows it, and its topic page's docs/ path (for bylines and the topics page)."""
        self.cache = BuildCache(None)
        """What earlier builds parsed (articles, catalogs), for every pass of this build; saved at its end."""
        self.passes: passes.Passes | None = None
        """The nested passes, half of them in a fork, when this build has two cores for them (:mod:`.passes`)."""
        self._unroute: Callable[[], None] | None = None
        self.sitemap: str | None = None
        """static-i18n's root sitemap as this process's last pass rendered it (each pass renders it whole)."""
        self.forked_reports: list[ForkReport] = []
        """What the fork's passes left for the end of this build."""
        self._sitemap_before_passes: str | None = None
        """static-i18n's root sitemap as the outermost pass rendered it: what every later pass's begins with."""
        self.held_entries: list[dict[str, Any]] | None = None
        """This nested pass's search entries, taken from Material's search before it writes them."""
        self._collected_at_fork = 0
        """In the fork: how many entries static-i18n had collected when it was made (the rest are its passes')."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember the command: ``mkdocs serve`` may show preview drafts, a build that publishes may not."""
        self.command = command

    # on_config runs in every pass (static-i18n's nested builds included): the
    # outermost one starts a new build, so docs/ is read again (mkdocs serve).
    @_reported
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Every configured language has its data (else one line naming what is missing); a new build
        (``mkdocs serve``) reads docs/ again."""
        if not i18n.in_nested_pass(config):
            self._english, self.indexed = None, set()
            self.cache = BuildCache(self._project_path(config, self.config.build_cache)
                                    if self.config.enabled and self.config.build_cache else None)
        if not self.config.enabled:
            return config
        _quiet_own_404_skips()
        if not config.use_directory_urls:
            raise PluginError("thinktank needs use_directory_urls: true in mkdocs.yml (its listings, bylines, "
                              "feeds and banners link to directory URLs such as analyses/x/)")
        site = languages.site_from_entries(i18n.language_entries(config), Path(config.config_file_path or "mkdocs.yml"))
        languages.activate(site)
        config.extra["thinktank_languages"] = languages.page_texts(site)  # the 404 page's texts
        i18n.add_search_languages(config, languages.search_languages(site))
        if not i18n.in_nested_pass(config):
            self._check_previews(config, site.targets)
        return config

    def _check_previews(self, config: MkDocsConfig, targets: list[str]) -> None:
        """Refuse to build a site showing preview-engine (pseudo) drafts unless ``THINKTANK_ALLOW_PREVIEW=1``.

        ``mkdocs serve`` is a preview: there they are only mentioned.
        """
        translations = self._project_path(config, self.config.translations_dir)
        found = preview.preview_catalogs(translations, targets)
        if not found:
            return
        if self.command == "serve" or preview.allowed_by_environment():
            log.info("this preview shows %s", preview.describe(found, translations))
            return
        raise preview.refusal(found, translations, preview.how_to_allow())

    # After mkdocs-static-i18n (-100), which rebuilds each pass's Files from docs/ and would drop the
    # generated pages of the listings.
    @event_priority(-110)
    @_reported
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """This pass's library (the English one, or its translation into the pass's language), and the
        pages 2, 3, ... of every listing, generated in this pass's language folder."""
        if not self.config.enabled:
            return files
        lang = i18n.current_language(config)
        self.urls = []
        self.site_names[lang] = config.site_name
        english = self._english_library(config, files)
        _LINKS.docs_dir = Path(config.docs_dir)
        if lang == DEFAULT:
            self.localizer, self.library = None, english
            _LINKS.catalog_of = lambda uri: None
        else:
            translations = self._project_path(config, self.config.translations_dir)
            self.localizer = Localizer(translations, lang, load_glossary(translations), self.cache)
            self.library = self.localizer.library(english)
            _LINKS.catalog_of = functools.partial(catalog.catalog_path, translations, lang)
        self._add_listing_pages(files, config, english, lang)
        self.bios = self._render_bios(config)
        return files

    def _render_bios(self, config: MkDocsConfig) -> dict[str, str]:
        """Each author's bio as HTML, rendered once a pass with the site's Markdown extensions and cleaned (it is
        a stranger's text), for the author box of every analysis of theirs; a bio that must be rendered in the
        page that shows it (:func:`framing.bio_renders_alone`) is left out, and goes into the page as Markdown."""
        import markdown

        renderer = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
        host = urlsplit(config.site_url or "").hostname
        return {key: clean_html(renderer.reset().convert(author.bio), host)
                for key, author in self.library.authors.items()
                if author.bio and framing.bio_renders_alone(author.bio)}

    def _add_listing_pages(self, files: Files, config: MkDocsConfig, english: Library, lang: str) -> None:
        """Pages 2..n of the ``articles`` listing and of each author's analyses, as generated files with the
        source page's Markdown (so each is translated, framed and searched as its first page is)."""
        per_page = self.config.per_page
        self.positions, self.pager_files, self.rel = {}, {}, {}
        by_source = {urls.source_uri(file.src_uri): file for file in files.documentation_pages()}
        listing: list[tuple[str, int]] = []
        for uri, file in by_source.items():
            if english.article(uri) is None and not library.is_author_page(uri) \
                    and "articles" in listings.markers(file.content_string):
                listing.append((uri, len(english.articles)))
        listing += [(authors.page_uri(key), len(english.by_author(key))) for key in english.authors
                    if authors.page_uri(key) in by_source]
        prefix = urls.language_prefix(lang)

        self.generated = []

        def generate(uri: str, content: str) -> File:
            self.generated.append(uri)
            made = File.generated(config, uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
            made.dest_uri = prefix + made.dest_uri
            files.append(made)
            return made

        for base, items in listing:
            pages = pagination.pages_of(base, items, per_page)
            if len(pages) == 1:
                continue
            source = by_source[base]
            self.positions[base], self.pager_files[base] = pages[0], source
            for position in pages[1:]:
                uri = pagination.page_uri(base, position.number)
                self.positions[uri], self.pager_files[uri] = position, generate(uri, source.content_string)
        self._add_topic_pages(english, by_source, generate)

    def _add_topic_pages(self, english: Library, by_source: dict[str, File], generate: Callable[[str, str], File]) -> None:
        """A page per tag (and its pages 2, 3, ...), at the English tag's address in every language; written
        in :meth:`on_page_markdown` from the library, so there is nothing to translate."""
        self.topic_of, self.topic_pages = {}, {}
        tagged = english.tags()
        here = {entry.uri: entry for entry in self.library.articles}  # this pass's language
        for tag, base in topics.topic_uris(tagged, taken=by_source).items():
            shown = self.localizer.term(tag) if self.localizer is not None else tag
            self.topic_pages[shown] = base
            members = [here[entry.uri] for entry in tagged[tag] if entry.uri in here]
            for position in pagination.pages_of(base, len(members), self.config.per_page):
                uri = pagination.page_uri(base, position.number)
                self.positions[uri], self.pager_files[uri] = position, generate(uri, "")
                self.topic_of[uri] = (shown, members)

    def _english_library(self, config: MkDocsConfig, files: Files | None = None) -> Library:
        if self._english is None:
            self._english = library.load_library(Path(config.docs_dir), list(self.config.sections), self.cache)
            if files is not None:
                pages = [file.src_uri for file in files.documentation_pages()]
                library.check_pages(Path(config.docs_dir), pages, self._english)
            for uri, author_id in library.unknown_authors(self._english):
                log.warning("%s: author '%s' has no page in %s/ (shown as the id, without author box or page)",
                            Path(config.docs_dir) / uri, author_id, authors.REGISTRY_DIR)
        return self._english

    @_reported
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Translate the page, then expand its listing markers and frame it (:func:`thinktank.framing.page_markdown`).

        The catalog is looked up with the page's raw front matter (msgids are
        the source text); only then is every value cleaned for the templates.
        Listing markers are expanded only where the English source has them.
        """
        if not self.config.enabled:
            return markdown
        lang = i18n.current_language(config)
        uri = urls.source_uri(page.file.src_uri)
        position = self.positions.get(page.file.src_uri) or self.positions.get(uri)
        if position is not None:
            uri = position.base
            self._note_neighbours(page, position)
        topic = self.topic_of.get(page.file.src_uri)
        if topic is not None and position is not None:
            return self._topic_markdown(page, config, lang, topic, position)
        allowed = listings.markers(markdown)
        meta = dict(page.meta)
        banner = ""
        entry = self.library.article(uri)
        minutes = entry.minutes if entry is not None else None
        if self.localizer is not None:
            translated = self.localizer.page(uri, meta, markdown)
            if files is not self._anchors_of:
                self.anchors, self._anchors_of = anchors.PassAnchors(), files
            self._note_anchors(page, config, translated.headings)
            meta, markdown, minutes = translated.meta, translated.markdown, translated.minutes
            banner = listings.status_banner(translated.state, translated.provenance, translated.machine,
                                            urls.original_url(page.url or "", lang), lang)
            meta = _terms_translated(meta, self.localizer)
        dropped = sorted(key for key in DROPPED_META if key in meta)
        if dropped:
            log.info("%s: front matter %s ignored (a page may not choose its template)", page.file.src_uri,
                     ", ".join(dropped))
        page.meta = clean_meta(meta)
        search = framing.search_settings(allowed, entry is not None)
        if position is not None and position.number > 1:
            search = {"exclude": True}  # the first page is the one to find
        if search:
            page.meta["search"] = search
        cite = listings.PageAddress(config.site_name, page.canonical_url or page.url)
        self.urls.append(cite.url)
        return framing.page_markdown(markdown, uri=uri, lang=lang, library=self.library, cite=cite,
                                     allowed=allowed, latest=self.config.latest, banner=banner,
                                     original=framing.original_of(meta), minutes=minutes, position=position,
                                     per_page=self.config.per_page, topic_pages=self.topic_pages,
                                     hold=(held := self._held(page)), hold_late=held.after_search, bios=self.bios)

    def _held(self, page: Page) -> framing.Held:
        held = self.held[page.file.src_uri] = framing.Held(self.key)
        return held

    def _topic_markdown(self, page: Page, config: MkDocsConfig, lang: str, topic: tuple[str, list[ArticleEntry]],
                        position: pagination.Position) -> str:
        """A topic page: its title and a page of its analyses, in this pass's language; a listing, so left out of
        search (the analyses are what a query should find)."""
        shown, entries = topic
        here = pagination.page_uri(position.base, position.number)
        page.meta = clean_meta({"title": ui_text.label("topic_title", lang, topic=shown), "search": {"exclude": True}})
        self.urls.append(page.canonical_url or page.url)
        context = listings.ListingContext(self.library, here, lang, position=position, per_page=self.config.per_page,
                                          topic_pages=self.topic_pages, hold=self._held(page))
        return listings.topic_page(shown, entries, context)

    def _note_neighbours(self, page: Page, position: pagination.Position) -> None:
        """The previous and next page's URLs relative to ``page``, for its head (:meth:`on_post_page`)."""
        def url(uri: str | None) -> str | None:
            found = self.pager_files.get(uri) if uri is not None else None
            return found.url_relative_to(page.file) if found is not None else None

        before, after = pagination.neighbours(position)
        self.rel[page.url] = (url(before), url(after))

    def _note_anchors(self, page: Page, config: MkDocsConfig, headings: list[tuple[str, str]]) -> None:
        """Remember where this translation's heading anchors differ from the English ones (for :meth:`on_post_page`).

        ``headings`` are each heading's source and shown text, from the page's one substitution (parsing
        both pages again for them cost a fifth of a 1,000-article build)."""
        toc = config.mdx_configs.get("toc", {})
        ids = functools.partial(anchors.heading_ids, slug=toc.get("slugify", anchors.slugify),
                                separator=toc.get("separator", "-"))
        moved = anchors.retargets(ids([source for source, _ in headings]), ids([shown for _, shown in headings]))
        if moved.moved:
            self.anchors[page.url] = moved

    def _page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Sanitise the page (its text is untrusted), then link the addresses in its notes; back-links speak
        the page's language.

        The title and table of contents, which Material prints outside the
        page body, are reduced to safe text too: a title taken from the page's
        first heading would otherwise reach ``<title>`` unescaped. Last, the
        site's own fragments (made of escaped values) take their placeholders'
        places (:class:`thinktank.framing.Held`).
        """
        if not self.config.enabled:
            return html
        html = framing.link_note_urls(clean_html(html, urlsplit(config.site_url or "").hostname))
        page.title = text_of_html(str(page.title or ""))
        for item in _toc_items(page.toc):
            item.title = text_of_html(item.title)
        html = framing.localize_backlinks(framing.without_unused_notes_place(html), i18n.current_language(config))
        held = self.held.get(page.file.src_uri)
        return held.put_back(html) if held is not None else html

    # After every other plugin's handler (static-i18n's last is at -100).
    @event_priority(-1000)
    def _drop_markdown(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Let go of the page's Markdown once it is rendered (see :meth:`_drop_content`)."""
        if self.config.enabled:
            page.markdown = None
        return html

    on_page_content = CombinedEvent(_page_content, _drop_markdown)

    # Before every other plugin's on_post_page (an HTML minifier removes comments, where these fragments wait).
    @event_priority(100)
    def _put_back_after_search(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """The page's fragments that search is not to read (:meth:`thinktank.framing.Held.after_search`) in place."""
        held = self.held.pop(page.file.src_uri, None)
        return held.put_back_after_search(output) if held is not None else output

    def _post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Pages of tr/ru search their own language's index, and their links to a heading reach its translation.

        Every page of the pass has been rendered by now (MkDocs renders all
        Markdown before the first template), so links into other pages are
        retargeted as well as links within the page.
        """
        lang = i18n.current_language(config)
        if not self.config.enabled:
            return output
        if page.url in self.rel:
            output = _with_rel_links(output, *self.rel[page.url])
        if lang == DEFAULT:
            return output
        if self.anchors:
            output = anchors.retarget_links(output, page.url, self.anchors)
        return search_index.page_config(output, lang)

    # After every other plugin's handler.
    @event_priority(-1000)
    def _drop_content(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Let go of the page's HTML once its output is made.

        static-i18n keeps every pass's pages until the build ends (its last
        pass's sitemap lists them all), and with them their Markdown and HTML,
        which nothing reads once the page is rendered and written: 67 MiB of a
        1,000-analysis build's peak.
        """
        if self.config.enabled:
            page.content = None
        return output

    on_post_page = CombinedEvent(_put_back_after_search, _post_page, _drop_content)

    def on_template_context(self, context: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        """The 404 page speaks this pass's language and switches to each language's home page, not to the last
        page built."""
        if template_name == NOT_FOUND:
            i18n.reset_alternates_to_home_pages(config)
            lang = i18n.current_language(config)
            texts = next((item for item in config.extra.get("thinktank_languages") or [] if item["code"] == lang),
                         None)
            context["thinktank_404"] = {**(texts or {}), "code": lang, "prefix": urls.language_prefix(lang)}
        return context

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        """Each language's 404 page in its own folder (``/tr/404.html``); the root one stays the default language's.

        static-i18n keeps ``site_dir`` for every pass, so MkDocs would write each
        pass's 404 page over the root one (the last pass, Russian, won). The
        nested pass's page is written under its language folder here, and the
        empty output left to MkDocs makes it skip its own write.
        """
        if template_name == feeds.SITEMAP_FILE and self.config.enabled:
            self.sitemap = output_content
        prefix = urls.language_prefix(i18n.current_language(config))
        if template_name != NOT_FOUND or not self.config.enabled or not prefix:
            return output_content
        self._write(config, prefix + NOT_FOUND, output_content)
        return ""

    # --- The page head and footer (thinktank.page_meta; facts gathered in .page_head) ---------

    @_reported
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """This language's footer (copyright and reuse licence) for every template, the 404 page included."""
        if self.config.enabled:
            env.globals["thinktank_footer"] = page_head.footer(config, i18n.current_language(config))
        return env

    @_reported
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """The page's description, Open Graph, Scholar tags, absolute hreflang set and JSON-LD, in its language."""
        if not self.config.enabled:
            return context
        context["thinktank_head"] = page_head.head(page, config, i18n.current_language(config), self.library,
                                                   self.localizer)
        return context

    # --- The passes after the default language's (static-i18n's nested builds; .passes) ---------

    # Before mkdocs-static-i18n's (-100), which starts the nested passes.
    @event_priority(-90)
    def _start_passes(self, *, config: MkDocsConfig) -> None:
        """In the outermost pass: have half of the nested passes built in a fork, when that is safe and pays."""
        if not self.config.enabled or i18n.in_nested_pass(config):
            return
        self.forked_reports = []
        nested = i18n.nested_languages(config)
        why = "turned off (parallel: false)" if not self.config.parallel else passes.why_in_sequence(nested, self.command)
        if why is None and not i18n.renders_its_sitemap(config):  # its entries could not be handed over
            why = "the root sitemap.xml is the site's own template, not static-i18n's"
        if why is not None:
            log.debug("languages built one after another: %s", why)
            return
        self._sitemap_before_passes = self.sitemap
        self.passes = passes.Passes(nested, select=functools.partial(i18n.select_language, config),
                                    leave=functools.partial(self._leave, config),
                                    take=functools.partial(self._take, config),
                                    forked=functools.partial(self._forked, config))
        self._unroute = i18n.route_nested_builds(self._nested_pass)

    @_reported
    def _nested_pass(self, config: MkDocsConfig, dirty: bool, build: i18n.NestedBuild, lang: str) -> None:
        """One of static-i18n's nested passes, built here or in the fork (a fork's failure as one line).

        Whatever stops it (an error, Ctrl-C, which MkDocs' ``on_build_error`` does not see) ends the fork and
        gives static-i18n its own ``build`` back, so a later build in this process starts as the first did."""
        runner = self.passes
        if runner is None:  # an earlier build's route, left by a stop nothing caught
            build(config, dirty=dirty)
            return
        try:
            runner.build(config, dirty, build, lang)
        except BaseException:
            if not runner.in_fork:  # (on_build_error of the failed pass may have done it already)
                self._stop_passes()
            raise

    def _forked(self, config: MkDocsConfig) -> None:
        """In the fork, first thing: the cache's connection is the parent's, the entries collected so far too."""
        self.cache.forked()
        self._collected_at_fork = len(i18n.collected_search_entries(config) or ())

    def _leave(self, config: MkDocsConfig) -> ForkReport:
        """In the fork, after its passes: what the end of the build needs of them."""
        assert self.passes is not None
        collected = (i18n.collected_search_entries(config) or [])[self._collected_at_fork:]
        return ForkReport(set(self.indexed), self.sitemap, self.passes.theirs, self.cache.share(), collected)

    def _take(self, config: MkDocsConfig, report: ForkReport) -> None:
        self.indexed |= report.indexed
        self.forked_reports.append(report)
        self.cache.take(report.cache)
        collected = i18n.collected_search_entries(config)
        if collected is not None:
            collected.extend(report.search_entries)

    def _end_passes(self) -> None:
        """The fork's report taken (or its error raised), and static-i18n's own nested build put back."""
        try:
            if self.passes is not None:
                self.passes.wait()
        finally:
            self._stop_passes()

    def _stop_passes(self) -> None:
        if self.passes is not None:
            self.passes.stop()
        if self._unroute is not None:
            self._unroute()
        self.passes, self._unroute = None, None

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build leaves no fork running and static-i18n as it was (``mkdocs serve`` builds again)."""
        if self.passes is not None and not self.passes.in_fork:
            self._stop_passes()

    # Run after mkdocs-static-i18n (-100): in its nested passes (tr, ru) this writes
    # that language's feed; in the outermost pass it runs once every language is
    # built and the search indexes are merged.
    @event_priority(-110)
    @_reported
    def _post_build(self, *, config: MkDocsConfig) -> None:
        """Feeds and sitemaps per language; at the very end, one search index per language."""
        if not self.config.enabled:
            return
        if i18n.in_nested_pass(config):
            lang = i18n.current_language(config)
            self._write_feed(config, lang, self.library)
            if urls.language_prefix(lang):  # the root sitemap, with every language's alternates, is static-i18n's
                self._write(config, urls.language_prefix(lang) + feeds.SITEMAP_FILE, feeds.sitemap(self.urls))
                self._write_pass_search_index(config, lang)
            # A finished pass leaves its pages, nav and files as cyclic garbage: collected now, not whenever the
            # collector's counters say, so the build's peak (the index dump at its end) does not depend on when
            # that is (a rebuild of 2,000 analyses peaked at 727 MiB where it came late, 660 MiB otherwise).
            gc.collect()
            return
        self._end_passes()
        self._write_feed(config, DEFAULT, self._english_library(config))
        self._complete_sitemap(config)
        self._split_search_index(config)
        self.cache.save()
        log.debug("build cache: %d parses reused, %d made", self.cache.hits, self.cache.misses)
        if self.config.pdf and pdf.wanted_by_environment():
            self._print_pdfs(config)

    # Before Material's search (0), which would write this pass's entries as the site's index.
    @event_priority(10)
    def _hold_search_entries(self, *, config: MkDocsConfig) -> None:
        """A nested pass's search entries kept for its own index (see :func:`i18n.hold_pass_search_entries`)."""
        if self.config.enabled and i18n.in_nested_pass(config) and urls.language_prefix(i18n.current_language(config)):
            self.held_entries = i18n.hold_pass_search_entries(config)

    on_post_build = CombinedEvent(_hold_search_entries, _start_passes, _post_build)

    def _write_pass_search_index(self, config: MkDocsConfig, lang: str) -> None:
        """This nested pass's search index, from its own entries (see :func:`i18n.take_pass_search_entries`),
        so the merged index static-i18n has Material write at the end holds only the default language's."""
        held, self.held_entries = self.held_entries, None
        settings = i18n.search_settings(config)
        entries = i18n.take_pass_search_entries(config, held) if settings is not None else None
        if entries is None or settings is None:
            return
        for relative, text in search_index.split_entries(settings, entries, i18n.languages(config), DEFAULT,
                                                         lambda code: languages.get(code).search, wanted={lang}):
            self._write(config, relative, text)
        self.indexed.add(lang)

    def _split_search_index(self, config: MkDocsConfig) -> None:
        """One search index per language not written by its own pass, from the merged one: from the entries the
        search plugin holds when it has them (one file at a time), else from the merged file's text."""
        combined = Path(config.site_dir) / search_index.INDEX
        if not combined.exists():
            return
        codes, stemmer = i18n.languages(config), lambda code: languages.get(code).search
        wanted = [code for code in codes if code not in self.indexed]
        entries = i18n.search_entries(config)
        settings = i18n.search_settings(config) if entries is not None else None
        parts: Iterable[tuple[str, str]]
        if entries is not None and settings is not None:
            parts = search_index.split_entries(settings, entries, codes, DEFAULT, stemmer, wanted)
        else:
            whole = search_index.split_files(combined.read_text(encoding="utf-8"), codes, DEFAULT, stemmer)
            paths = {urls.language_prefix(code) + search_index.INDEX for code in wanted}
            parts = [(path, text) for path, text in whole.items() if path in paths]
        for relative, text in parts:
            self._write(config, relative, text)

    def _complete_sitemap(self, config: MkDocsConfig) -> None:
        """static-i18n's root sitemap with the entries of the languages built in a fork (each process's last pass
        rendered its own languages' and the default one's), and the generated pages in every language (see
        :attr:`generated`); written with its gzipped copy, which MkDocs wrote from the last pass alone."""
        if self.sitemap is None or not self.sitemap.strip():
            return
        site = config.site_url or ""
        document = self.sitemap
        for report in self.forked_reports:
            document = feeds.with_entries(document, self._forked_sitemap_entries(report, site))
        added = [page_meta.page_url(site, code, uri, DEFAULT) for code in i18n.languages(config) for uri in self.generated]
        document = feeds.with_pages(document, added)
        self._write(config, feeds.SITEMAP_FILE, document)
        gz = f"{feeds.SITEMAP_FILE}.gz"
        when = int(datetime.datetime.fromisoformat(get_build_date()).timestamp())
        atomic_write_bytes(Path(config.site_dir) / gz, feeds.gzipped(document, gz, when))

    def _forked_sitemap_entries(self, report: ForkReport, site: str) -> str:
        """The fork's languages' entries of its root sitemap: what its last pass rendered after the outermost pass's
        entries (each pass renders the sitemap of the languages built so far, in order). Taken as text, not by the
        URL of each entry: without site_url static-i18n writes ``None`` before each (``Noneru/``), as in one
        process; by URL only when its sitemap does not begin with the outermost one."""
        theirs, before = report.sitemap or "", self._sitemap_before_passes or ""
        body, end = before[:before.rfind("</urlset>")], theirs.rfind("</urlset>")
        if "</urlset>" in before and theirs.startswith(body) and end >= len(body):
            return theirs[len(body):end]
        return feeds.entries_under(theirs, site, [urls.language_prefix(code) for code in report.languages])

    def _print_pdfs(self, config: MkDocsConfig) -> None:
        """Every analysis as a PDF, once all languages are built; a missing engine is one note, not a failure
        (``make site`` must work on a machine without WeasyPrint), a page the engine fails on a warning."""
        cache = self._project_path(config, self.config.pdf_cache)
        printer = pdf.find_printer()
        if printer is not None:  # one page at a time, after every language: the long part of a first build
            log.info("printing each analysis as a PDF (pages kept in %s are not printed again)", cache)
        report = pdf.publish_pdfs(Path(config.site_dir), printer, find=False, cache_dir=cache)
        if report.note:
            log.info(report.note)
        for line in report.failed:
            log.warning("PDF not written for %s", line)
        if report.written:
            log.info("%d PDF(s) of analyses written", len(report.written))

    def _write_feed(self, config: MkDocsConfig, lang: str, library: Library) -> None:
        document = feeds.language_feed(library, site_name=self.site_names.get(lang, config.site_name),
                                       site_url=config.site_url, lang=lang)
        self._write(config, urls.language_prefix(lang) + feeds.FEED_FILE, document)

    @staticmethod
    def _project_path(config: MkDocsConfig, relative: str) -> Path:
        """An option's path, relative to mkdocs.yml."""
        return Path(config.config_file_path or "mkdocs.yml").parent / relative

    @staticmethod
    def _write(config: MkDocsConfig, relative: str, text: str) -> None:
        """A file of the built site; static-i18n keeps ``site_dir`` for every pass, so ``relative`` carries the language folder."""
        atomic_write_text(Path(config.site_dir) / relative, text)


def _terms_translated(meta: dict[str, Any], localizer: Localizer) -> dict[str, Any]:
    """Tags and categories in the pass's language (the glossary's forms), for the search index and templates."""
    terms = {key: [localizer.term(value) if isinstance(value, str) else value for value in meta[key]]
             for key in ("tags", "categories") if isinstance(meta.get(key), list)}
    return {**meta, **terms}


def _with_rel_links(output: str, before: str | None, after: str | None) -> str:
    """``<link rel="prev">`` and ``rel="next"`` in a listing page's head (the URLs are ours, relative)."""
    links = "".join(f'<link rel="{rel}" href="{html.escape(url, quote=True)}">'
                    for rel, url in (("prev", before), ("next", after)) if url)
    return output.replace("</head>", links + "</head>", 1) if links else output


def _toc_items(toc: Any) -> Iterator[Any]:
    """Every entry of a page's table of contents, depth first."""
    for item in toc or ():
        yield item
        yield from _toc_items(item.children)
