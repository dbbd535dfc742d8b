"""Plain dataclasses shared by importers, page writers and the site plugin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Citation:
    """What a footnote cites, as far as its text tells; ``None`` where it is silent."""

    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    accessed: dt.date | None = None


@dataclass(frozen=True)
class Footnote:
    """One numbered note: its text as written plus the parsed citation.

    ``ibid`` is the number of the earlier note an "Ibid." refers to; the
    ``citation`` of such a note is the resolved one of that earlier note.
    """

    number: int
    text: str
    citation: Citation = field(default_factory=Citation)
    ibid: int | None = None


@dataclass(frozen=True)
class Author:
    """One person in the authors registry (``docs/authors/<id>.md``)."""

    id: str
    name: str
    affiliation: str = ""
    bio: str = ""


@dataclass
class Article:
    """An imported article, independent of any output format."""

    title: str
    slug: str
    authors: list[Author]
    body: list[str]
    """Markdown blocks (paragraphs) with footnote refs already as ``[^n]``."""
    footnotes: list[Footnote] = field(default_factory=list)
    summary: str = ""
    date: dt.date | None = None
    tags: list[str] = field(default_factory=list)
    category: str = ""
    source_file: str = ""
    source_encoding: str = "utf-8"
    profile: str = ""
    publisher: str = ""
    languages: list[str] = field(default_factory=list)
    """Languages the source site offered the article in (its own switcher)."""
    url: str = ""
    """The source's canonical URL, when it states one."""
    language: str = ""
    """The language the source declares for itself (``<html lang>``)."""
    note_mismatch: str = ""
    """Markers and notes that did not pair up (kept as plain text); ``--strict`` refuses such an article."""
