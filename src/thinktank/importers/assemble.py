"""From what an importer found to an Article: the steps every source format shares.

Each importer (text dump, web page, Word file) finds a title, Markdown
paragraphs with ``[n]`` note markers, note definitions, byline names and a
bio; ``assemble`` checks the notes one to one, parses citations, normalises
names and makes the slug, so every format gets the same guarantees.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .. import authors as authors_mod
from .. import footnotes
from ..errors import ArticleFormatError
from ..models import Article, Author
from ..slugs import slugify
from .characters import clean_block, clean_meta, describe
from .profile import Profile

_NAME_WORD = re.compile(r"(?:[^\W\d_]\.|[^\W\d_][\w'’.-]*)")
_HONORIFIC = re.compile(r"\b(?:Assoc\. Prof|Asst\. Prof|Assist\. Prof|Prof\. Dr|Doç\. Dr|Dr\. Öğr\. Üyesi|Dr|Prof|"
                        r"Professor|Mr|Mrs|Ms|Sir|Doç)\.?\s+(?=[A-ZÇĞİÖŞÜА-ЯЁ])")
_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "bin", "ibn", "al", "el", "y", "ten", "ter"}
_BY = re.compile(r"(?i)^(?:(?:(?:commentary|analysis|evaluation|note|article|interview|text|report|opinion|essay|"
                 r"comment|brief|paper|policy|expert|written|posted|published|edited|compiled)\s+){0,3}by|"
                 r"authors?\s*:|yazar(?:lar)?\s*:|автор(?:ы)?\s*:)\s+")
_SEPARATORS = re.compile(r"\s*,\s*(?:and|&)\s+|\s*,\s*|\s*;\s*|\s+(?:and|&|und|et|ve|i|и)\s+")
_SUFFIX_AFTER_COMMA = re.compile(r",\s*(?=(?:" + authors_mod.SUFFIX_PATTERN + r")(?:\s|,|$))")
_ORG_WORDS = frozenset("""
    affairs analysis analyses analytics bulletin comments commentaries discussion expert opinions center centre club comment commentary council critical department
    diplomacy economy endowment energy events experts forum foundation global house initiative institute
    international journal media ministry network news office opinion organisation organization politics
    press programme program programs publications questions regional report reports research review
    school security spotlight strategy studies times union university world menu home search contact
""".split())
"""Words of section headings and institutions: "REGIONAL AFFAIRS" or "Chatham House" is not a person."""


@dataclass
class Parsed:
    """What an importer read from its source, before the shared checks."""

    title: str
    paragraphs: list[str]
    """Markdown blocks; note markers still written ``[n]``."""
    notes: list[tuple[int, str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    bio: str = ""
    """The biography when there is one author (or the text does not say whose it is)."""
    bios: dict[str, str] = field(default_factory=dict)
    """Biographies by name (as in ``names``), when several authors each have theirs."""
    summary: str = ""
    languages: list[str] = field(default_factory=list)
    date: dt.date | None = None
    url: str = ""
    language: str = ""
    publisher: str = ""
    removed: Counter[str] = field(default_factory=Counter)
    """Control and invisible characters the importer already took out of its source."""


def assemble(parsed: Parsed, path: Path, profile: Profile) -> tuple[Article, list[str]]:
    """The Article, and warnings for whatever the source did not say."""
    warnings: list[str] = []
    _clean(parsed)
    if parsed.removed:
        warnings.append(f"{path}: removed or replaced {describe(parsed.removed)}: control, bidi-override "
                        "or zero-width characters")
    if not parsed.title:
        raise ArticleFormatError(path, "no recognisable title: the title is only invisible or control characters")
    paragraphs = [p for p in parsed.paragraphs if p.strip()]
    if not paragraphs:
        raise ArticleFormatError(path, f"no article text after the title {parsed.title!r}")
    refs = [number for text in (parsed.summary, *paragraphs) for number in footnotes.marker_numbers(text)]
    mismatch = footnotes.check_numbers(path, refs, [number for number, _ in parsed.notes])
    if mismatch:  # nothing is lost: unmatched markers stay "[n]", unmatched notes become paragraphs
        warnings.append(f"{path}: footnotes do not match: {mismatch.describe()}; imported with them as plain "
                        "text (--strict refuses such a file)")
        paragraphs += [f"\\[{number}\\] {text}" for number, text in parsed.notes if number in mismatch.unused]
        parsed.notes = [(number, text) for number, text in parsed.notes if number not in mismatch.unused]
    notes, note_warnings = footnotes.parse_notes(parsed.notes, path)
    warnings += note_warnings
    people = _authors(parsed, profile)  # what the source does not say about them is warned of by parse_file
    slug = slugify(parsed.title)
    if not slug:
        raise ArticleFormatError(path, f"the title {parsed.title!r} gives no usable slug")
    article = Article(
        title=parsed.title,
        slug=slug,
        authors=people,
        body=[footnotes.to_markdown_refs(paragraph, frozenset(mismatch.missing)) for paragraph in paragraphs],
        footnotes=notes,
        summary=footnotes.to_markdown_refs(parsed.summary, frozenset(mismatch.missing)),
        date=parsed.date,
        category=profile.category,
        profile=profile.name,
        publisher=parsed.publisher or profile.publisher,
        languages=parsed.languages,
        source_file=path.name,
        url=parsed.url,
        language=parsed.language,
    )
    article.note_mismatch = mismatch.describe()
    return article, warnings


def _clean(parsed: Parsed) -> None:
    """Control characters out of everything; zero-width ones and joiners out of metadata too.

    Runs here because every format passes through: whatever an importer's
    parser let through (an entity such as ``&#8;``, a Word property) is caught.
    """
    removed = parsed.removed
    parsed.title = clean_meta(parsed.title, removed)
    parsed.names = [name for name in (clean_meta(name, removed) for name in parsed.names) if name]
    for key in ("url", "language", "publisher"):
        setattr(parsed, key, clean_meta(getattr(parsed, key), removed))
    parsed.languages = [clean_meta(code, removed) for code in parsed.languages]
    parsed.paragraphs = [clean_block(paragraph, removed) for paragraph in parsed.paragraphs]
    parsed.notes = [(number, clean_block(text, removed)) for number, text in parsed.notes]
    parsed.summary = clean_block(parsed.summary, removed)
    parsed.bio = clean_block(parsed.bio, removed)
    parsed.bios = {clean_meta(name, removed): clean_block(bio, removed) for name, bio in parsed.bios.items()}


def _authors(parsed: Parsed, profile: Profile) -> list[Author]:
    """Authors with names cleaned (no address), recased after the article's own spelling, one entry per id."""
    names = [(raw, authors_mod.clean_name(raw)) for raw in parsed.names]
    shouted = set().union(*(authors_mod.shouted_words(name) for _, name in names))
    spellings = authors_mod.spellings("\n".join([parsed.title, parsed.bio, *parsed.bios.values(), *parsed.paragraphs]),
                                      shouted) if shouted else {}  # only SHOUTED words are looked up
    people: list[Author] = []
    for raw, cleaned in names:
        name = authors_mod.normalise_name(cleaned, profile.casing_locale, spellings)
        author_id = authors_mod.author_id(name)
        if not name or not author_id or any(person.id == author_id for person in people):
            continue
        bio = parsed.bios.get(raw) or (parsed.bio if len(parsed.names) == 1 else "")
        people.append(Author(author_id, name, parsed.publisher or profile.publisher, bio))
    return people


def names_in(line: str) -> list[str]:
    """The author names a byline line holds, or [] when it is not a byline.

    "By A, B, and C", "A, B & C", "Commentary by A and B", "Dr. A, PhD": the
    honorific goes, a degree stays with its name, an address is dropped;
    section headings and institutions ("REGIONAL AFFAIRS") are not names.
    """
    line = authors_mod.clean_name(_BY.sub("", line.strip()))
    line = _HONORIFIC.sub("", line)
    if len(line) > 120 or line.endswith((".", ":", ";", ",")) and not re.search(
            r"\b(?:[A-Z]|" + authors_mod.SUFFIX_PATTERN + r")\.?$", line):
        return []
    line = _SUFFIX_AFTER_COMMA.sub("\0", line)  # "Jane Doe, PhD" is one name: its comma is not a separator
    parts = [part.strip().replace("\0", ", ") for part in _SEPARATORS.split(line) if part.strip()]
    return parts if parts and all(_is_name(part) for part in parts) else []


def _is_name(text: str) -> bool:
    words = clean_meta(text, Counter()).split()  # a zero-width joiner must not hide a name; assemble counts it
    words = [word.rstrip(",") for word in words if not authors_mod.is_suffix(word)]
    if not 2 <= len(words) <= 5:
        return False
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        if not _NAME_WORD.fullmatch(word) or not word[0].isupper() or word.lower().strip(".") in _ORG_WORDS:
            return False
    return True
