"""The page schema: what an article's or author's front matter says, typed, in one place.

The importer writes pages through :meth:`PageMeta.to_mapping`; every reader
(listings, ``translate``, ``status``, the site) gets a :class:`PageMeta`
from :meth:`PageMeta.parse`, which refuses a field of the wrong type with
one line, ``docs/x.md: date: '2024-13-45' is not a date (YYYY-MM-DD)``,
instead of coercing it silently ("1 Feb 2024" once listed as "Undated").
Keys the schema does not know stay in the mapping, untouched: they are the
editors' own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ArticleFormatError

TEXT_FIELDS = ("title", "summary", "description", "affiliation")
LIST_FIELDS = ("authors", "tags", "categories")


@dataclass(frozen=True)
class NoteMeta:
    """What the importer learnt of one footnote: the citation it holds, or the note it repeats (Ibid.)."""

    number: int
    ibid: int | None = None
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    accessed: str | None = None

    @property
    def is_citation(self) -> bool:
        return self.ibid is not None or any((self.title, self.url, self.accessed))

    def to_mapping(self) -> dict[str, object]:
        meta: dict[str, object] = {"number": self.number}
        if self.ibid is not None:
            meta["ibid"] = self.ibid
            return meta
        for key in ("title", "publisher", "url", "accessed"):
            if getattr(self, key) is not None:
                meta[key] = getattr(self, key)
        return meta


@dataclass(frozen=True)
class PageMeta:
    title: str = ""
    date: dt.date | None = None
    authors: tuple[str, ...] = ()
    summary: str = ""
    description: str = ""
    affiliation: str = ""
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: Mapping[str, Any] = field(default_factory=dict)
    """Where the article came from (file, profile, publisher, url, languages...)."""
    notes: tuple[NoteMeta, ...] = ()

    def note(self, label: str) -> NoteMeta | None:
        """The structure of footnote ``[^label]``, if the importer recorded it."""
        return next((note for note in self.notes if str(note.number) == label), None)

    @classmethod
    def parse(cls, meta: Mapping[str, Any], path: Path | None = None) -> PageMeta:
        """The typed view of ``meta``; ``ArticleFormatError`` naming the file and field otherwise."""
        for key in TEXT_FIELDS:
            value = meta.get(key)
            if value is not None and not isinstance(value, str):
                raise ArticleFormatError(path, f"{key}: {_show(value)} is not text (write one line, quoted if it "
                                               "looks like a number or a list)")
        date = meta.get("date")
        if isinstance(date, dt.datetime):  # "2024-02-01 10:00": listings compare dates
            date = date.date()
        if date is not None and date != "" and not isinstance(date, dt.date):
            raise ArticleFormatError(path, f"date: {_show(date)} is not a date (YYYY-MM-DD)")
        lists = {key: _text_list(meta.get(key), key, path) for key in LIST_FIELDS}
        source = meta.get("source")
        if source is not None and not isinstance(source, dict):
            raise ArticleFormatError(path, f"source: {_show(source)} is not a mapping of fields")
        return cls(
            title=meta.get("title") or "", date=date or None, authors=lists["authors"],
            summary=meta.get("summary") or "", description=meta.get("description") or "",
            affiliation=meta.get("affiliation") or "", categories=lists["categories"], tags=lists["tags"],
            source=source or {}, notes=_notes(meta.get("notes"), path))

    def to_mapping(self) -> dict[str, Any]:
        """The front matter as the importer writes it: keys in a fixed order, empty values left out."""
        meta: dict[str, Any] = {"title": self.title}
        if self.date:
            meta["date"] = self.date
        meta["authors"] = list(self.authors)
        for key in ("summary", "description", "affiliation"):
            if getattr(self, key):
                meta[key] = getattr(self, key)
        if self.categories:
            meta["categories"] = list(self.categories)
        if self.tags:
            meta["tags"] = list(self.tags)
        if self.source:
            meta["source"] = dict(self.source)
        if self.notes:
            meta["notes"] = [note.to_mapping() for note in self.notes]
        return meta


def _text_list(value: object, key: str, path: Path | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ArticleFormatError(path, f"{key}: {_show(value)} is not a list (write {key}: [first, second])")
    for item in value:
        if not isinstance(item, str):
            raise ArticleFormatError(path, f"{key}: item {_show(item)} is not text (quote it)")
    return tuple(value)


def _notes(value: object, path: Path | None) -> tuple[NoteMeta, ...]:
    """``notes:`` as the importer writes it; entries of another shape are an editor's and are skipped."""
    if not isinstance(value, list):
        return ()
    notes = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("number"), int):
            continue
        text = {key: item[key] if isinstance(item.get(key), str) else None
                for key in ("title", "publisher", "url", "accessed")}
        ibid = item.get("ibid") if isinstance(item.get("ibid"), int) else None
        notes.append(NoteMeta(item["number"], ibid, **text))
    return tuple(notes)


def _show(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."
