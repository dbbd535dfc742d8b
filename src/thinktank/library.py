"""The docs tree read back as a library of articles and authors, for listings.

The site needs every article's metadata before it renders any page (the home
page lists the latest ones), so the tree is read once per build from disk.
Nothing here knows about MkDocs.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from itertools import chain, combinations
from pathlib import Path
from typing import Any

from . import frontmatter, segments
from .build_cache import BuildCache
from .authors import REGISTRY_DIR, load_registry
from .models import Author
from .schema import PageMeta
from .segments import FOOTNOTE_REF

EXCERPT_CHARS = 280


@dataclass(frozen=True)
class ArticleEntry:
    """What listings show of one article; ``uri`` is its path under docs/ (posix)."""

    uri: str
    title: str
    authors: tuple[str, ...]
    date: dt.date | None = None
    summary: str = ""
    first_paragraph: str = ""
    """Markdown source of the body's first paragraph (listings show an excerpt of it)."""
    excerpt: str = ""
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    publisher: str = ""
    minutes: int = 1
    """Reading time of the body (:func:`thinktank.segments.reading_minutes`), from the parse that found its
    first paragraph."""


@dataclass
class Library:
    articles: Sequence[ArticleEntry] = ()
    """Newest first; undated articles last, by title. Kept as a tuple (any sequence given is copied into
    one), so the lookups' index can never disagree with it: a new list of articles is a new tuple."""
    authors: dict[str, Author] = field(default_factory=dict)
    parses: segments.Parses = field(default_factory=segments.Parses, repr=False, compare=False)
    """The articles' parses made while reading them, which the other languages' passes render from
    (:meth:`thinktank.localize.Localizer.library` takes them over)."""
    ranked_by: "Library | None" = field(default=None, repr=False, compare=False)
    """The library whose tags rank :meth:`related` articles, when this one is its translation."""
    _index: "_Index | None" = field(default=None, init=False, repr=False, compare=False)

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, tuple(value) if name == "articles" else value)

    def _indexed(self) -> "_Index":
        """Lookups by URI, author and tag, built once per tuple of articles: every page asks for its entry and
        its related articles, and a scan per page made a build quadratic (4.4 s of 1,000 articles' build).
        The tuple cannot change, so checking that it is the one indexed is enough (comparing lists of
        10,000 entries on each of some 170,000 lookups was 2.7 s of a 10,000 articles' build)."""
        if self._index is None or self._index.articles is not self.articles:
            self._index = _Index.of(self.articles)
        return self._index

    def article(self, uri: str) -> ArticleEntry | None:
        position = self._indexed().by_uri.get(uri)
        return self.articles[position] if position is not None else None

    def by_author(self, author_id: str) -> list[ArticleEntry]:
        return [self.articles[position] for position in self._indexed().by_author.get(author_id, ())]

    def related(self, entry: ArticleEntry, limit: int = 3) -> list[ArticleEntry]:
        """Other articles sharing tags with ``entry``, most shared tags first (ties in listing order).

        A translation's library ranks by the English tags (:attr:`ranked_by`): a tag is one topic in every
        language, and each article's related ones are then found once per build, not once per language."""
        if self.ranked_by is not None:
            source = self.ranked_by.article(entry.uri)
            if source is not None:
                found = (self.article(other.uri) for other in self.ranked_by.related(source, limit))
                return [other for other in found if other is not None]
        index = self._indexed()
        key = (entry.uri, entry.tags, limit)
        ranked = index.related.get(key)
        if ranked is None:
            ranked = index.related[key] = _ranked(index, index.by_uri.get(entry.uri), entry.tags, limit)
        return [self.articles[position] for position in ranked]

    def tags(self) -> dict[str, list[ArticleEntry]]:
        """Articles per tag, tags in alphabetical order."""
        index: dict[str, list[ArticleEntry]] = {}
        for entry in self.articles:
            for tag in entry.tags:
                index.setdefault(tag, []).append(entry)
        return dict(sorted(index.items(), key=lambda item: item[0].lower()))


@dataclass(frozen=True)
class _Index:
    articles: Sequence[ArticleEntry]
    """The tuple it indexes."""
    by_uri: dict[str, int]
    by_author: dict[str, list[int]]
    by_tag: dict[str, list[int]]
    """Each tag's articles by position, in listing order."""
    tagged: dict[str, frozenset[int]] = field(default_factory=dict)
    """The same as sets, for intersections."""
    related: dict[tuple[str, tuple[str, ...], int], tuple[int, ...]] = field(default_factory=dict)
    """:meth:`Library.related` answers already found, by asker."""

    @classmethod
    def of(cls, articles: Sequence[ArticleEntry]) -> "_Index":
        by_uri: dict[str, int] = {}
        by_author: dict[str, list[int]] = {}
        by_tag: dict[str, list[int]] = {}
        for position, entry in enumerate(articles):
            by_uri.setdefault(entry.uri, position)
            for author_id in dict.fromkeys(entry.authors):
                by_author.setdefault(author_id, []).append(position)
            for tag in set(entry.tags):
                by_tag.setdefault(tag, []).append(position)
        return cls(articles, by_uri, by_author, by_tag, {tag: frozenset(found) for tag, found in by_tag.items()})


MOST_TAGS_INTERSECTED = 4
"""Up to this many tags, :func:`_ranked` finds the articles sharing two or more by set intersections; an
article with more tags has its candidates counted instead (subsets of its tags would be too many)."""


def _ranked(index: _Index, own: int | None, tags: tuple[str, ...], limit: int) -> tuple[int, ...]:
    """The positions of the ``limit`` articles sharing most of ``tags`` (ties: the earlier first), ``own`` left out.

    Counting every article that shares a tag made the build quadratic: at 10,000 articles on 40 topics, each
    article has some 2,000 such candidates. Here the few sharing all tags, then all but one, and so on, are
    found by intersecting the tags' sets (in C), and those sharing one tag are taken in listing order from
    the merged lists, stopping when enough are found.
    """
    mine = [tag for tag in dict.fromkeys(tags) if tag in index.by_tag]
    taken = {own} if own is not None else set()
    chosen: list[int] = []
    if len(mine) > MOST_TAGS_INTERSECTED:
        counts = Counter(chain.from_iterable(index.by_tag[tag] for tag in mine))
        for position in taken:
            counts.pop(position, None)
        return tuple(position for _, position in heapq.nsmallest(limit, ((-n, p) for p, n in counts.items())))
    for level in range(len(mine), 1, -1):  # shared by exactly `level` tags (those sharing more are taken)
        if len(chosen) >= limit:
            break
        found: set[int] = set()
        for group in combinations(mine, level):
            found |= frozenset.intersection(*(index.tagged[tag] for tag in group))
        best = heapq.nsmallest(limit - len(chosen), found - taken)
        chosen += best
        taken.update(best)
    if len(chosen) < limit:  # shared by one tag: the earliest
        for position in heapq.merge(*(index.by_tag[tag] for tag in mine)):
            if position not in taken:
                chosen.append(position)
                taken.add(position)
                if len(chosen) == limit:
                    break
    return tuple(chosen)


def load_library(docs_dir: Path, sections: list[str], cache: BuildCache | None = None) -> Library:
    """Read every article page of ``sections`` and the authors registry; an article whose bytes ``cache`` has
    seen is not parsed again."""
    entries = []
    parses = segments.Parses()
    for section in sections:
        for path in sorted((docs_dir / section).glob("*.md")):
            if path.name == "index.md" or "." in path.stem:  # section index, suffixed translation
                continue
            uri = path.relative_to(docs_dir).as_posix()
            data = path.read_bytes()
            kept = cache.get("article", uri, data) if cache is not None else None
            if kept is not None:
                entry = _from_plain(kept[0])
                parses.keep(uri, kept[1])
            else:
                entry = _entry(path, uri, data, parses)
                if cache is not None:
                    cache.put("article", uri, data, [_plain(entry), parses.kept(uri)])
            entries.append(entry)
    entries.sort(key=lambda entry: entry.title)
    entries.sort(key=lambda entry: entry.date or dt.date.min, reverse=True)
    return Library(articles=entries, authors=load_registry(docs_dir), parses=parses)


def check_pages(docs_dir: Path, uris: list[str], library: Library) -> None:
    """Read the pages the library does not (home, about, section indexes) with our loader first.

    MkDocs parses front matter with plain PyYAML, which expands aliases: a
    "billion laughs" in ``about.md`` would exhaust memory before any message.
    Our reader refuses it in one line. Field types are not ours to judge on
    these pages (templates print them cleaned, whatever their type).
    """
    known = {entry.uri for entry in library.articles}
    for uri in uris:
        if uri not in known and not is_author_page(uri):
            frontmatter.read(docs_dir / uri, fields=False)


def unknown_authors(library: Library) -> list[tuple[str, str]]:
    """Each article's author ids that have no entry in the registry (``docs/authors/<id>.md``), as (docs/ path,
    id): such an author is shown by the id, with no author box or page, which is what a misspelt id looks like."""
    return [(entry.uri, author_id) for entry in library.articles for author_id in dict.fromkeys(entry.authors)
            if author_id not in library.authors]


def _entry(path: Path, uri: str, data: bytes, parses: segments.Parses) -> ArticleEntry:
    meta, body = frontmatter.parse_bytes(data, path, fields=False)
    page = PageMeta.parse(meta, path)  # refuses a page whose fields have the wrong type
    found = parses.body_segments(uri, body)  # one parse: the first paragraph, the reading time, the translations
    first = segments.first_paragraph_of(found)
    return ArticleEntry(
        uri=uri, title=page.title or path.stem, authors=page.authors, date=page.date, summary=page.summary,
        first_paragraph=first, excerpt=excerpt(first), tags=page.tags, categories=page.categories,
        publisher=str(page.source.get("publisher") or ""), minutes=segments.minutes_of(found),
    )


def _plain(entry: ArticleEntry) -> dict[str, Any]:
    """``entry`` as JSON data, for the build cache."""
    return {**{item.name: getattr(entry, item.name) for item in fields(entry)},
            "date": entry.date.isoformat() if entry.date is not None else None}


def _from_plain(plain: dict[str, Any]) -> ArticleEntry:
    """:func:`_plain` read back."""
    return ArticleEntry(**{**plain, "date": dt.date.fromisoformat(plain["date"]) if plain["date"] else None,
                           **{key: tuple(plain[key]) for key in ("authors", "tags", "categories")}})


def excerpt(paragraph: str, limit: int = EXCERPT_CHARS) -> str:
    """Plain text of a paragraph, cut at a sentence end within ``limit``."""
    if not paragraph:
        return ""
    text = FOOTNOTE_REF.sub("", paragraph)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]", "", text).strip()
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit))
    return text[: cut + 1] if cut > 0 else text[:limit].rsplit(" ", 1)[0] + " …"


def is_author_page(uri: str) -> bool:
    return uri.startswith(f"{REGISTRY_DIR}/") and uri != f"{REGISTRY_DIR}/index.md"


reading_minutes = segments.reading_minutes
