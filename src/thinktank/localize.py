"""Pages and listings in another language, from docs/ and the PO catalogs.

The site plugin calls this for every page of a non-default language pass. A
page is *reviewed* when every segment has a reviewed translation, a *draft*
when it has translations of which some are fuzzy or missing, and *missing*
when its catalog has no translation at all. Nothing here imports MkDocs.

A msgstr is a stranger's text: it never places a listing. Listing markers
(``<!-- thinktank:articles -->``) are removed from every translation looked
up here, so only markers in the English source page are expanded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from . import catalog
from .build_cache import BuildCache
from .authors import page_uri
from .catalog import PageState
from .library import ArticleEntry, Library, excerpt
from .glossary import Glossary
from .markers import strip_markers
from .models import Author
from .po import file_bytes
from .provenance import Origin, Provenance
from .segments import Parses, minutes_of, substitute

@dataclass
class PageTranslation:
    meta: dict[str, Any]
    markdown: str
    state: PageState
    provenance: list[Provenance] = field(default_factory=list)
    """Who made the draft entries (an engine and model, people, the glossary...)."""
    minutes: int | None = None
    """Reading time of the translated body, from the substitution's segments (None: not computed)."""
    headings: list[tuple[str, str]] = field(default_factory=list)
    """Each heading's source text and the text it has on this page, for anchors that moved."""

    @property
    def machine(self) -> bool:
        return any(item.origin is Origin.MACHINE for item in self.provenance)


class Localizer:
    """Translations of one language, each catalog read once per build and held only until its page is rendered.

    A catalog is read as plain messages (:func:`thinktank.catalog.shown`, a quarter of polib's cost) and
    kept as a small table: msgid → (msgstr, fuzzy, automatic comment), the msgids being the very strings
    of the English page's kept parse and the comments shared, so a table costs little beyond its
    translations (17 MiB for 1,000 articles' catalogs of a language, against 39 MiB as polib entries).
    :meth:`library` reads every article's catalog for its title, summary and first paragraph, and
    :meth:`page` renders from the same table and forgets it: the listings already have what they need,
    and nothing asks for it again (a later question reads it again). Other pages' catalogs (home,
    listings, author pages) are few and small, and are asked again for their description after every
    page is rendered, so they are kept. Pages are rendered from the parses the English library made
    (:class:`thinktank.segments.Parses`), so a page is parsed once per build, not once per language.
    """

    def __init__(self, translations_dir: Path, lang: str, glossary: Glossary | None = None,
                 cache: BuildCache | None = None) -> None:
        self.translations_dir = translations_dir
        self.cache = cache
        """Catalogs read by an earlier build, by their bytes (:mod:`thinktank.build_cache`)."""
        self.lang = lang
        self.terms = (glossary or Glossary()).for_language(lang)
        self._entries: dict[str, dict[str, Shown]] = {}
        self._articles: frozenset[str] = frozenset()
        """The library's articles: their catalogs are forgotten once their page is rendered."""
        self.parses = Parses()
        """The English pages' parses: the library's once :meth:`library` has been given it."""
        self._comments: dict[str, str] = {}
        """Each distinct automatic comment once (a language's drafts share a few)."""
        self._provenance: dict[str, tuple[Provenance, ...]] = {}

    def entries(self, uri: str) -> dict[str, Shown]:
        """Page ``uri``'s live translations by msgid (read when first asked for)."""
        found = self._entries.get(uri)
        if found is None:
            found = self._entries[uri] = self._read(uri)
        return found

    def _read(self, uri: str) -> dict[str, Shown]:
        path = catalog.catalog_path(self.translations_dir, self.lang, uri)
        if not path.exists():
            return {}
        data = file_bytes(path)
        name = f"{self.lang}/{uri}"
        rows: Sequence[Sequence[Any]] | None = self.cache.get("catalog", name, data) if self.cache else None
        if rows is None:
            rows = [(msgid, message.msgstr, "fuzzy" in message.flags, message.comment)
                    for msgid, message in catalog.shown(path, data).items()]
            if self.cache is not None:
                self.cache.put("catalog", name, data, rows)
        texts = self.parses.texts(uri)
        comments = self._comments
        return {texts.get(msgid, msgid): Shown(msgstr, fuzzy, comments.setdefault(comment, comment))
                for msgid, msgstr, fuzzy, comment in rows}

    def lookup(self, uri: str, text: str) -> str | None:
        """The translation of ``text`` on page ``uri``, listing markers removed; None when there is none."""
        return _shown(self.entries(uri), text)

    def page(self, uri: str, meta: dict[str, Any], body: str) -> PageTranslation:
        """The page in this language, with its review state and draft provenance."""
        entries = self.entries(uri)
        try:
            return self._page(uri, meta, body, entries)
        finally:
            if uri in self._articles:
                self._entries.pop(uri, None)

    def _page(self, uri: str, meta: dict[str, Any], body: str, entries: dict[str, Shown]) -> PageTranslation:
        def lookup(text: str) -> str | None:
            return _shown(entries, text)

        done = self.parses.substitute_page(uri, meta, body, lookup)  # one parse of the page per build
        if not entries or not done.segments:
            return PageTranslation(meta, body, PageState.MISSING if done.segments else PageState.REVIEWED,
                                   minutes=minutes_of(done.segments),
                                   headings=[(s.text, s.text) for s in done.segments if s.kind == "heading"])
        shown = [replace(segment, text=lookup(segment.text) or segment.text) for segment in done.segments]
        used = [entries.get(segment.text) for segment in done.segments]
        reviewed = all(entry is not None and not entry.fuzzy for entry in used)
        made_by = {item.line: item for entry in used if entry is not None and entry.fuzzy
                   for item in self._made_by(entry.comment)}
        provenance = [made_by[line] for line in sorted(made_by)]
        return PageTranslation(done.meta, done.body, PageState.REVIEWED if reviewed else PageState.DRAFT, provenance,
                               minutes=minutes_of(shown),
                               headings=[(source.text, text.text) for source, text in zip(done.segments, shown, strict=True)
                                         if source.kind == "heading"])

    def _made_by(self, comment: str) -> tuple[Provenance, ...]:
        """Who made a draft, from its automatic comment (a name's provenance left out); read once per distinct
        comment, as a language's drafts share a few ("machine draft by argos …")."""
        found = self._provenance.get(comment)
        if found is None:
            found = self._provenance[comment] = tuple(item for item in catalog.notes_of(comment).provenance
                                                      if item.origin is not Origin.NAME)
        return found

    def term(self, text: str) -> str:
        """A tag or category in this language, from the glossary; as is when it has none."""
        return self.terms.get(text, text)

    def library(self, library: Library) -> Library:
        """The listings' data with titles, summaries, excerpts, names and bios translated; ``library``'s parses
        are the ones this language's pages are rendered from, and its tags rank the related analyses."""
        self.parses = library.parses
        self._articles = frozenset(entry.uri for entry in library.articles)
        articles = [self._entry(entry) for entry in library.articles]
        authors = {key: self._author(author) for key, author in library.authors.items()}
        return Library(articles=articles, authors=authors, ranked_by=library)

    def _entry(self, entry: ArticleEntry) -> ArticleEntry:
        """The article's listing data in this language (its catalog is then kept for its page)."""
        entries = self.entries(entry.uri)
        first = _shown(entries, entry.first_paragraph) or entry.first_paragraph
        return replace(
            entry,
            title=_shown(entries, entry.title) or entry.title,
            summary=_shown(entries, entry.summary) or entry.summary if entry.summary else "",
            first_paragraph=first,
            excerpt=excerpt(first),
            tags=tuple(self.term(tag) for tag in entry.tags),
            categories=tuple(self.term(category) for category in entry.categories),
        )

    def _author(self, author: Author) -> Author:
        uri = page_uri(author.id)
        return replace(author, name=self.lookup(uri, author.name) or author.name,
                       bio=substitute(author.bio, lambda text: self.lookup(uri, text)) if author.bio else "")


class Shown(NamedTuple):
    """What a page needs of one catalog entry (a live, context-less one with a msgstr)."""

    msgstr: str
    fuzzy: bool
    """Not reviewed: a draft, whose provenance the page names."""
    comment: str
    """The automatic comments: the draft's provenance."""


def _shown(entries: dict[str, Shown], text: str) -> str | None:
    """The translation of ``text`` in ``entries``, listing markers removed; None when there is none."""
    entry = entries.get(text)
    return (strip_markers(entry.msgstr) or None) if entry is not None else None
