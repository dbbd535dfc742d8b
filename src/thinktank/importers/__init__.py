"""Importers: raw article files in, articles and author entries in ``docs/`` out.

``import_files`` parses every input before it writes anything, so one bad file
in a batch leaves the docs tree exactly as it was; the batch then goes in
through ``staging``, so even a killed run leaves all of it or none (and the
next run finishes a committed batch).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import authors as authors_mod
from .. import lock, staging
from ..errors import ArticleFormatError, FootnoteError, OutputError
from ..models import Article, Author
from ..pages import article_path, render_article
from ..languages import SOURCE
from ..slugs import slugify
from . import docx, html, text
from .decoding import read_bytes
from .profiles import PROFILES, choose_profile
from .profiles import REGISTRY as TEXT_PROFILES
from .registry import Importer, ImportOptions

__all__ = ["IMPORTERS", "PROFILES", "TEXT_PROFILES", "ImportOptions", "ImportReport", "Importer", "choose_profile",
           "detect_format", "import_files", "importer_for", "parse_file", "profile_choices"]

IMPORTERS: tuple[Importer, ...] = (docx.IMPORTER, html.IMPORTER, text.IMPORTER)
"""Every importer, in the order ``auto`` tries their sniffs: the most specific first, text (the fallback) last."""

UNREADABLE: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file; no importer reads PDF: copy its text into a .txt file"),
    (b"\xd0\xcf\x11\xe0", "an old Word .doc file; save it as .docx"),
)
"""Formats people send that no importer reads, by their first bytes, with what to do instead.
Checked before the sniffs: a PDF can be all ASCII, and text would accept it."""


def profile_choices() -> list[tuple[str, str]]:
    """(name, description) of every ``--profile`` value: auto, the importers, the text profiles."""
    return [("auto", "choose the importer by content, not by file name"),
            *((importer.name, importer.description) for importer in IMPORTERS),
            *((entry.name, entry.description) for entry in TEXT_PROFILES)]


@dataclass
class ImportReport:
    """What an import did, for the CLI's summary."""

    pages: list[Path] = field(default_factory=list)
    """Pages written, in input order."""
    authors: list[Path] = field(default_factory=list)
    """Author entries written."""
    articles: list[Article] = field(default_factory=list)
    """The articles of ``pages``, one to one."""
    unchanged: list[Path] = field(default_factory=list)
    """Pages that already held exactly what this import would write (an earlier run imported them)."""
    warnings: list[str] = field(default_factory=list)


def importer_for(data: bytes, path: Path, requested: str = "auto") -> Importer:
    """The importer that reads ``data``: the one ``requested`` names, or for "auto" the first that accepts it.

    A text profile's name means the text importer. For "auto", a file no
    importer accepts is refused with what each importer said, in the order tried.
    """
    named = {importer.name: importer for importer in IMPORTERS}
    if requested in named:
        return named[requested]
    if requested in PROFILES:
        return text.IMPORTER
    if requested != "auto":
        names = ", ".join(name for name, _ in profile_choices())
        raise ArticleFormatError(path, f"unknown profile {requested!r}; choose one of {names}")
    declined = [importer for importer in IMPORTERS if not importer.accepts(data)]
    tried = "tried " + ", ".join(f"{importer.name} ({importer.declines(data)})" for importer in declined)
    for magic, problem in UNREADABLE:
        if data.startswith(magic):
            raise ArticleFormatError(path, f"{problem} ({tried})")
    for importer in IMPORTERS:
        if importer not in declined:
            return importer
    raise ArticleFormatError(path, f"no importer accepts it; {tried}")


def detect_format(data: bytes, path: Path, requested: str = "auto") -> str:
    """The name of the importer that reads ``data`` (see :func:`importer_for`)."""
    return importer_for(data, path, requested).name


def parse_file(path: Path, options: ImportOptions) -> tuple[Article, list[str]]:
    """Read and parse one file with the importer its content calls for; nothing is written."""
    data = read_bytes(path)
    article, warnings = importer_for(data, path, options.profile).parse(data, path, options)
    if options.strict and article.note_mismatch:
        raise FootnoteError(path, f"footnotes do not match: {article.note_mismatch}")
    _apply_overrides(article, options, path)
    warnings += _unsaid(article, path)
    return article, warnings


def _unsaid(article: Article, path: Path) -> list[str]:
    """What the article still lacks once the editor's options apply (an author, a bio, a date), one warning each:
    after the overrides, so a warning never names an author ``--author`` replaced."""
    warnings = []
    if not article.authors:
        warnings.append(f"{path}: no author found; the article has none (pass --author NAME, or add one to its "
                        "front matter)")
    elif not all(author.bio for author in article.authors):
        names = ", ".join(author.name for author in article.authors if not author.bio)
        warnings.append(f"{path}: no biography for {names}; the registry entry keeps an empty bio")
    if article.date is None:
        warnings.append(f"{path}: no publication date in the source; pass --date YYYY-MM-DD to set one")
    if article.language and article.language != SOURCE:
        warnings.append(f"{path}: the text is in {article.language!r}, not in the site's source language "
                        f"{SOURCE!r}: the site shows it as it is and translate skips it; import the {SOURCE!r} "
                        "version instead, if there is one")
    return warnings


def _apply_overrides(article: Article, options: ImportOptions, path: Path) -> None:
    """What the editor passed (``--title``, ``--author``, ``--date``, ``--category``, ``--tag``) beats what
    the importer found, the same way for every format.

    Names are taken as typed (an editor's spelling is not recased, honorifics
    stay); an author the importer also found keeps the biography and
    affiliation it found, and one it did not is given none (nothing is guessed).
    """
    if options.title is not None:
        title = " ".join(options.title.split())
        slug = slugify(title)
        if not slug:
            raise ArticleFormatError(path, f"--title {options.title!r} gives no usable slug")
        article.title, article.slug = title, slug
    if options.authors:
        found = {author.id: author for author in article.authors}
        people = []
        for raw in options.authors:
            name = " ".join(raw.split())
            author_id = authors_mod.author_id(name)
            if not author_id:
                raise ArticleFormatError(path, f"--author {raw!r} is not a usable name")
            known = found.get(author_id)  # the importer's author keeps its bio, under the editor's spelling
            people.append(dataclasses.replace(known, name=name) if known else Author(author_id, name))
        article.authors = people
    if options.date is not None:
        article.date = options.date
    if options.category is not None:
        article.category = options.category.strip()
    article.tags = list(options.tags)


def import_files(paths: list[Path], docs_dir: Path, options: ImportOptions,
                 notice: Callable[[str], None] | None = None) -> ImportReport:
    """Import ``paths`` into ``docs_dir``: all of them, or (on any error or kill) none.

    Runs under the import lock. It first finishes or undoes a batch an earlier
    run left staged (``staging.recover``), so running the same command again
    after an interruption completes the job: a page that already holds exactly
    what this import would write is "up to date", not a conflict, and only a
    page with other content needs ``--force``. ``notice`` hears about lock
    takeovers and recoveries as they happen (the CLI prints them as warnings).
    """
    report = ImportReport()
    tell = notice if notice is not None else report.warnings.append
    parsed: dict[Path, tuple[Path, Article]] = {}
    for path in paths:  # before the lock: reading inputs and naming targets touches nothing in docs/
        article, warnings = parse_file(path, options)
        target = article_path(docs_dir, options.section, article.slug)
        if target in parsed:
            raise ArticleFormatError(path, f"has the same title as {parsed[target][0]} (both would be {target})")
        parsed[target] = (path, article)
        report.warnings += warnings
    with lock.hold(docs_dir, "thinktank import", notice=tell):
        for line in staging.recover(docs_dir):
            tell(line)
        writes: dict[Path, bytes] = {}
        for target, (path, article) in parsed.items():
            data = render_article(article).encode("utf-8")
            existing = _read_existing(target)
            if existing == data:
                report.unchanged.append(target)
                continue
            if existing is not None and not options.force:
                raise OutputError(target, f"already exists with other content (imported from {path}); "
                                          "use --force to overwrite it")
            writes[target] = data
            report.pages.append(target)
            report.articles.append(article)
        entries, notes = _author_writes(docs_dir, [article for _, article in parsed.values()], options.force)
        for target, data in entries.items():
            if target in writes:
                raise OutputError(target, "would be both an article page and an author entry; choose another --section")
            writes[target] = data
            report.authors.append(target)
        report.warnings += notes
        staging.commit(docs_dir, list(writes.items()))
    return report


def _read_existing(target: Path) -> bytes | None:
    """The bytes at ``target``, None if there is no file; anything else there is an error."""
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise OutputError(target, "is a folder, not a page") from None
    except OSError as exc:
        raise OutputError(target, f"cannot be read ({exc.strerror or exc})") from None


def _author_writes(docs_dir: Path, articles: list[Article], force: bool) -> tuple[dict[Path, bytes], list[str]]:
    """The registry entries this batch adds or changes (by ``authors.merge_entry``), with notes."""
    registry = authors_mod.load_registry(docs_dir)
    writes: dict[Path, bytes] = {}
    notes: list[str] = []
    incoming: dict[str, Author] = {}
    for article in articles:
        for author in article.authors:
            incoming.setdefault(author.id, author)
    for author_id, author in incoming.items():
        path = authors_mod.registry_path(docs_dir, author)
        entry, note = authors_mod.merge_entry(registry.get(author_id), author, force)
        if note:
            notes.append(f"{path}: {note}")
        if entry is None:
            continue
        data = authors_mod.render_entry(entry).encode("utf-8")
        if _read_existing(path) != data:
            writes[path] = data
    return writes, notes
