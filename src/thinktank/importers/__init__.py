"""Importers: raw article files in, articles and author entries in ``docs/`` out.

``import_files`` parses every input before it writes anything, so one bad file
in a batch leaves the docs tree exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import authors as authors_mod
from ..errors import ArticleFormatError, OutputError
from ..fsutil import atomic_write_text
from ..models import Article, Author
from ..pages import article_path, render_article
from . import ankasam, generic, pism
from .decoding import read_text
from .profile import Profile
from .text import parse_text

PROFILES: dict[str, Profile] = {p.name: p for p in (ankasam.PROFILE, pism.PROFILE, generic.PROFILE)}


@dataclass(frozen=True)
class ImportOptions:
    section: str = "analyses"
    date: dt.date | None = None
    profile: str = "auto"
    force: bool = False
    tags: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """What an import did, for the CLI's summary."""

    pages: list[Path] = field(default_factory=list)
    authors: list[Path] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def choose_profile(text: str, requested: str) -> Profile:
    """The named profile, or for "auto" the one whose signature lines the text has most."""
    if requested != "auto":
        return PROFILES[requested]
    lines = [line.strip() for line in text.splitlines()]
    scored = [(profile.matches(lines), profile) for profile in PROFILES.values() if profile.signatures]
    best_score, best = max(scored, key=lambda pair: pair[0])
    return best if best_score else generic.PROFILE


def parse_file(path: Path, options: ImportOptions) -> tuple[Article, list[str]]:
    """Read, decode and parse one file; nothing is written."""
    decoded = read_text(path)
    profile = choose_profile(decoded.text, options.profile)
    article, warnings = parse_text(decoded.text, path, profile)
    if decoded.encoding != "utf-8":
        warnings.insert(0, f"{path}: not UTF-8; decoded as {decoded.encoding_name}")
    article.source_encoding = decoded.encoding
    article.date = options.date
    article.tags = list(options.tags)
    if options.date is None:
        warnings.append(f"{path}: no publication date in the text; pass --date YYYY-MM-DD to set one")
    return article, warnings


def import_files(paths: list[Path], docs_dir: Path, options: ImportOptions) -> ImportReport:
    """Import ``paths`` into ``docs_dir``: all of them, or (on any error) none."""
    report = ImportReport()
    targets: dict[Path, Path] = {}
    for path in paths:
        article, warnings = parse_file(path, options)
        target = article_path(docs_dir, options.section, article.slug)
        if target in targets:
            raise ArticleFormatError(path, f"has the same title as {targets[target]} (both would be {target})")
        if target.exists() and not options.force:
            raise OutputError(target, f"already exists (imported from {path}); use --force to overwrite it")
        targets[target] = path
        report.articles.append(article)
        report.warnings += warnings
    for target, article in zip(targets, report.articles):
        atomic_write_text(target, render_article(article))
        report.pages.append(target)
    report.authors, notes = _write_authors(docs_dir, report.articles, options.force)
    report.warnings += notes
    return report


def _write_authors(docs_dir: Path, articles: list[Article], force: bool) -> tuple[list[Path], list[str]]:
    registry = authors_mod.load_registry(docs_dir)
    written, notes = [], []
    incoming: dict[str, Author] = {}
    for article in articles:
        for author in article.authors:
            incoming.setdefault(author.id, author)
    for author_id, author in incoming.items():
        entry, note = authors_mod.merge_entry(registry.get(author_id), author, force)
        if note:
            notes.append(f"{authors_mod.registry_path(docs_dir, author)}: {note}")
        if entry is not None:
            written.append(authors_mod.write_entry(docs_dir, entry))
    return written, notes
