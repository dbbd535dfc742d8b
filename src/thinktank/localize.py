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

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polib

from . import catalog
from .authors import page_uri
from .catalog import PageState
from .library import ArticleEntry, Library, excerpt
from .glossary import Glossary
from .markers import strip_markers
from .models import Author
from .provenance import Origin, Provenance
from .segments import minutes_of, substitute, substitute_page

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
    """Translations of one language, catalogs read once per build."""

    def __init__(self, translations_dir: Path, lang: str, glossary: Glossary | None = None) -> None:
        self.translations_dir = translations_dir
        self.lang = lang
        self.terms = (glossary or Glossary()).for_language(lang)
        self._entries: dict[str, dict[str, polib.POEntry]] = {}

    def entries(self, uri: str) -> dict[str, polib.POEntry]:
        if uri not in self._entries:
            path = catalog.catalog_path(self.translations_dir, self.lang, uri)
            po = catalog.load(path, self.lang, uri) if path.exists() else None
            self._entries[uri] = catalog.translations(po) if po is not None else {}
        return self._entries[uri]

    def lookup(self, uri: str, text: str) -> str | None:
        """The translation of ``text`` on page ``uri``, listing markers removed; None when there is none."""
        entry = self.entries(uri).get(text)
        return (strip_markers(entry.msgstr) or None) if entry is not None else None

    def page(self, uri: str, meta: dict[str, Any], body: str) -> PageTranslation:
        """The page in this language, with its review state and draft provenance."""
        entries = self.entries(uri)
        done = substitute_page(meta, body, lambda text: self.lookup(uri, text))  # one parse of the page
        if not entries or not done.segments:
            return PageTranslation(meta, body, PageState.MISSING if done.segments else PageState.REVIEWED,
                                   minutes=minutes_of(done.segments),
                                   headings=[(s.text, s.text) for s in done.segments if s.kind == "heading"])
        shown = [replace(segment, text=self.lookup(uri, segment.text) or segment.text) for segment in done.segments]
        used = [entries.get(segment.text) for segment in done.segments]
        reviewed = all(entry is not None and catalog.is_reviewed(entry) for entry in used)
        made_by = {item.line: item for entry in used if entry is not None and "fuzzy" in entry.flags
                   for item in catalog.notes(entry).provenance if item.origin is not Origin.NAME}
        provenance = [made_by[line] for line in sorted(made_by)]
        return PageTranslation(done.meta, done.body, PageState.REVIEWED if reviewed else PageState.DRAFT, provenance,
                               minutes=minutes_of(shown),
                               headings=[(source.text, text.text) for source, text in zip(done.segments, shown, strict=True)
                                         if source.kind == "heading"])

    def term(self, text: str) -> str:
        """A tag or category in this language, from the glossary; as is when it has none."""
        return self.terms.get(text, text)

    def library(self, library: Library) -> Library:
        """The listings' data with titles, summaries, excerpts, names and bios translated."""
        articles = [self._entry(entry) for entry in library.articles]
        authors = {key: self._author(author) for key, author in library.authors.items()}
        return Library(articles=articles, authors=authors)

    def _entry(self, entry: ArticleEntry) -> ArticleEntry:
        first = self.lookup(entry.uri, entry.first_paragraph) or entry.first_paragraph
        return replace(
            entry,
            title=self.lookup(entry.uri, entry.title) or entry.title,
            summary=self.lookup(entry.uri, entry.summary) or entry.summary if entry.summary else "",
            first_paragraph=first,
            excerpt=excerpt(first),
            tags=tuple(self.term(tag) for tag in entry.tags),
            categories=tuple(self.term(category) for category in entry.categories),
        )

    def _author(self, author: Author) -> Author:
        uri = page_uri(author.id)
        return replace(author, name=self.lookup(uri, author.name) or author.name,
                       bio=substitute(author.bio, lambda text: self.lookup(uri, text)) if author.bio else "")
