"""What an importer is: a name, a description, a content sniff and a parser.

``importers.IMPORTERS`` lists them in the order their sniffs are tried (the
most specific first, text last as the fallback), so ``detect_format``,
``parse_file``, the refusal message and the CLI's ``--profile`` choices all
come from one list: a new format is a new module with an ``IMPORTER``, plus
one line in that list, never another branch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..models import Article


@dataclass(frozen=True)
class ImportOptions:
    section: str = "analyses"
    date: dt.date | None = None
    profile: str = "auto"
    """"auto", an importer's name, or a text profile's name (which means the text importer)."""
    force: bool = False
    tags: tuple[str, ...] = ()
    strict: bool = False
    """Refuse an article whose note markers and notes do not pair up (else imported with a warning)."""
    title: str | None = None
    """The editor's title, over whatever the importer found (the slug follows it)."""
    authors: tuple[str, ...] = ()
    """The editor's author names, in byline order, over whatever the importer found."""
    category: str | None = None
    """The editor's category, over the site profile's."""


@dataclass(frozen=True)
class Importer:
    name: str
    description: str
    """One line for ``--help``: what kind of file this importer reads."""
    accepts: Callable[[bytes], bool]
    """Whether the bytes look like this importer's format (content, never the file name)."""
    declines: Callable[[bytes], str]
    """Why ``accepts`` said no, in a few words, for the line that lists what was tried."""
    parse: Callable[[bytes, Path, ImportOptions], tuple[Article, list[str]]]
    """Bytes → (article, warnings); a bad file is an ``ArticleFormatError``. Writes nothing."""
