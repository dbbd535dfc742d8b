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
from . import ankasam, docx, generic, html, pism
from .decoding import decode, looks_binary, read_bytes
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


def detect_format(data: bytes, path: Path, requested: str = "auto") -> str:
    """Which importer reads ``data``: by content, not by file name.

    A named text profile means a text dump; "html"/"docx" force that importer.
    For "auto", a file no importer accepts is refused with what was tried.
    """
    if requested in ("html", "docx"):
        return requested
    if requested != "auto":
        return "text"
    if docx.is_zip(data):
        return "docx"
    if html.looks_like_html(data):
        return "html"
    tried = "tried docx (not a zip archive), html (no HTML markup), text (looks like a binary file)"
    if data.startswith(b"%PDF"):
        raise ArticleFormatError(path, f"a PDF file; no importer reads PDF: copy its text into a .txt file ({tried})")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ArticleFormatError(path, f"an old Word .doc file; save it as .docx ({tried})")
    if looks_binary(data):
        raise ArticleFormatError(path, f"no importer accepts it; {tried}")
    return "text"


def parse_file(path: Path, options: ImportOptions) -> tuple[Article, list[str]]:
    """Read and parse one file with the importer its content calls for; nothing is written."""
    data = read_bytes(path)
    kind = detect_format(data, path, options.profile)
    if kind == "docx":
        article, warnings = docx.parse_docx(data, path)
    elif kind == "html":
        article, warnings = html.parse_html(data, path)
    else:
        article, warnings = _parse_text(data, path, options)
    if options.date is not None:
        article.date = options.date
    article.tags = list(options.tags)
    if article.date is None:
        warnings.append(f"{path}: no publication date in the source; pass --date YYYY-MM-DD to set one")
    return article, warnings


def _parse_text(data: bytes, path: Path, options: ImportOptions) -> tuple[Article, list[str]]:
    decoded = decode(data, path)
    profile = choose_profile(decoded.text, options.profile)
    article, warnings = parse_text(decoded.text, path, profile)
    if decoded.encoding != "utf-8":
        warnings.insert(0, f"{path}: not UTF-8; decoded as {decoded.encoding_name}")
    article.source_encoding = decoded.encoding
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
    for target, article in zip(targets, report.articles, strict=True):
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
