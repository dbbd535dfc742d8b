"""The text-dump importer: raw text copied from a web page or a PDF -> Article.

Parsing runs in small passes over blocks (runs of lines between blank lines):
drop chrome, take the title, take the notes, take the byline, mend paragraphs
broken at page boundaries, then rewrite inline markup. What the text does not
say is left empty and reported as a warning, never guessed.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ArticleFormatError
from ..footnotes import note_number
from ..models import Article
from .assemble import Parsed, assemble, names_in
from .characters import clean_source
from .decoding import decode, looks_binary
from .profile import Profile, language_codes
from .profiles import choose_profile
from .registry import Importer, ImportOptions

MAX_TITLE = 200
_TERMINAL = tuple(".!?:;\"”’)»]")
_DEAD_LINK = re.compile(r"\[([^\]\n]+)\]\(#\)")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
_ENDS_WITH_MARKER = re.compile(r"\[\d+\]$")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on",
                "or", "nor", "the", "to", "with", "vs", "via", "over", "under", "between", "against"}
_RUN_IN = re.compile(r"(?P<head>[A-Z][^.!?:\[\]*\n]{2,120}[.:])\s+(?P<rest>\S.*)", re.S)


@dataclass
class ParsedDump:
    """What the passes found, before it becomes an Article."""

    title: str
    blocks: list[list[str]]
    languages: list[str] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    bio: str = ""
    removed: Counter[str] = field(default_factory=Counter)


def accepts(data: bytes) -> bool:
    """Any text: the fallback importer takes whatever is not binary (a UTF-16 dump's NULs included)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return not looks_binary(data.removeprefix(codecs.BOM_UTF8))


def declines(data: bytes) -> str:
    return "looks like a binary file"


def parse(data: bytes, path: Path, options: ImportOptions) -> tuple[Article, list[str]]:
    """Decode, pick the site profile (the one named in ``options``, else by signature lines), parse."""
    decoded = decode(data, path)
    profile = choose_profile(decoded.text, options.profile)
    article, warnings = parse_text(decoded.text, path, profile)
    if decoded.encoding != "utf-8":
        warnings.insert(0, f"{path}: not UTF-8; decoded as {decoded.encoding_name}")
    article.source_encoding = decoded.encoding
    return article, warnings


def parse_text(text: str, path: Path, profile: Profile) -> tuple[Article, list[str]]:
    """Parse one dump into an :class:`Article`; returns (article, warnings)."""
    removed: Counter[str] = Counter()
    blocks = _blocks(clean_source(text, removed))
    languages = _take_languages(blocks, profile)
    blocks = _drop_chrome(blocks, profile)
    title = _take_title(blocks, path)
    dump = ParsedDump(title=title, blocks=blocks, languages=languages, removed=removed)
    dump.notes = _take_notes(dump.blocks, profile)
    _take_byline(dump, profile)
    return _to_article(dump, path, profile)


# --- Blocks and chrome ---------------------------------------------------------

def _blocks(text: str) -> list[list[str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", " ")
    blocks, current = [], []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _take_languages(blocks: list[list[str]], profile: Profile) -> list[str]:
    pattern = re.compile(profile.languages_line)
    for block in blocks:
        for index, line in enumerate(block):
            match = pattern.fullmatch(line)
            if match:
                del block[index]
                return language_codes(match.group("languages"))
    return []


def _drop_chrome(blocks: list[list[str]], profile: Profile) -> list[list[str]]:
    kept = [[line for line in block if not profile.is_chrome(line)] for block in blocks]
    return [block for block in kept if block]


def _take_title(blocks: list[list[str]], path: Path) -> str:
    if not blocks:
        raise ArticleFormatError(path, "no recognisable title: the file has no text besides page chrome")
    first = blocks[0][0]
    problem = _title_problem(first)
    if problem:
        raise ArticleFormatError(path, f"no recognisable title: the first line {problem}")
    del blocks[0][0]
    if not blocks[0]:
        del blocks[0]
    return first


def _title_problem(line: str) -> str | None:
    if len(line) > MAX_TITLE:
        return f"is a {len(line)}-character paragraph, too long for a title"
    if not any(char.isalpha() for char in line):
        return f"{line!r} has no words"
    if line.endswith((".", ",", ";")) and not line.endswith("..."):
        return f"{line[:60]!r} reads as a sentence, not a title"
    if re.match(r"\[\d+\]", line):
        return f"{line[:60]!r} is a footnote"
    return None


# --- Notes ----------------------------------------------------------------------

def _take_notes(blocks: list[list[str]], profile: Profile) -> list[tuple[int, str]]:
    """Remove note definitions from ``blocks`` and return them as (number, text)."""
    note_line = re.compile(profile.note_line)
    listed = re.compile(profile.listed_note_line)
    heading = re.compile(profile.notes_heading) if profile.notes_heading else None
    notes: list[tuple[int, str]] = []
    kept: list[list[str]] = []
    in_list = False
    for block in blocks:
        if heading and len(block) == 1 and heading.fullmatch(block[0].rstrip(":")):
            in_list = True
            continue
        patterns = (note_line, listed) if in_list else (note_line,)
        if not _starts_note(block[0], patterns):
            kept.append(block)
            continue
        for line in block:
            match = _starts_note(line, patterns)
            if match:
                notes.append((note_number(match.group("number")), match.group("text").strip()))
            elif notes:
                notes[-1] = (notes[-1][0], f"{notes[-1][1]} {line}")
    blocks[:] = kept
    return notes


def _starts_note(line: str, patterns: tuple[re.Pattern[str], ...]) -> re.Match[str] | None:
    for pattern in patterns:
        match = pattern.fullmatch(line)
        if match:
            return match
    return None


# --- Byline -----------------------------------------------------------------------

def _take_byline(dump: ParsedDump, profile: Profile) -> None:
    if profile.byline in ("after_title", "either") and dump.blocks:
        names = names_in(dump.blocks[0][0])
        if names and len(dump.blocks[0]) == 1:
            dump.names = names
            del dump.blocks[0]
            return
    if profile.byline in ("end", "either"):
        _take_author_box(dump, profile)


def _take_author_box(dump: ParsedDump, profile: Profile) -> None:
    """An author box at the end: name line(s), maybe repeated, then the biography."""
    for index in range(len(dump.blocks) - 1, max(len(dump.blocks) - 3, -1), -1):
        block = dump.blocks[index]
        names = names_in(block[0])
        if not names:
            continue
        rest = block[1:]
        while rest and names_in(rest[0]) == names:
            rest = rest[1:]
        bio_blocks = [" ".join(rest)] if rest else []
        bio_blocks += [" ".join(later) for later in dump.blocks[index + 1:]]
        if profile.byline == "either" and not bio_blocks:
            continue
        dump.names = names
        dump.bio = "\n\n".join(bio_blocks)
        del dump.blocks[index:]
        return


# --- Paragraphs ---------------------------------------------------------------------

def _paragraphs(blocks: list[list[str]]) -> list[str]:
    """Join hard-wrapped lines, then paragraphs a page break cut in two.

    Pieces are collected and joined once, and every test looks only at the
    end of the text so far: a dump of one 100,000-line block stays linear.
    """
    paragraphs: list[list[str]] = []
    for block in blocks:
        text = _join_lines(block)
        if paragraphs and _continues(paragraphs[-1][-1], text):
            _join_onto(paragraphs[-1], text)
        else:
            paragraphs.append([text])
    return ["".join(pieces) for pieces in paragraphs]


def _join_lines(lines: list[str]) -> str:
    pieces = [lines[0]]
    for line in lines[1:]:
        _join_onto(pieces, line)
    return "".join(pieces)


def _join_onto(pieces: list[str], right: str) -> None:
    """Append ``right`` to the text ``pieces`` make; the last piece is always text, never a separator."""
    left = pieces[-1]
    if _HYPHENATED.search(left[-2:]) and right[:1].islower():
        pieces[-1] = left[:-1]  # a word hyphenated at the line end
        pieces.append(right)
    else:
        pieces[-1] = left + " "
        pieces.append(right)


def _continues(previous: str, text: str) -> bool:
    """Whether ``text`` goes on the paragraph whose last piece is ``previous``."""
    if previous.endswith(_TERMINAL) or _ENDS_WITH_MARKER.search(previous[-64:]):
        return False
    return text[:1].islower() or previous.endswith((",", "-", "–", "—"))


def _run_in_heading(paragraph: str) -> str:
    """Bold a leading title-case phrase that ends in a full stop ("Conclusions. ...")."""
    match = _RUN_IN.fullmatch(paragraph)
    if not match or not _is_title_case(match.group("head")):
        return paragraph
    return f"**{match.group('head')}** {match.group('rest')}"


def _is_title_case(phrase: str) -> bool:
    words = phrase.rstrip(".:").split()
    if not 2 <= len(words) <= 14:
        return False
    return all(word[0].isupper() or word[0].isdigit() or word in _SMALL_WORDS for word in words)


# --- Article ---------------------------------------------------------------------

def _to_article(dump: ParsedDump, path: Path, profile: Profile) -> tuple[Article, list[str]]:
    paragraphs = [_DEAD_LINK.sub(r"\1", paragraph) for paragraph in _paragraphs(dump.blocks)]
    summary = ""
    if profile.lead_is_summary and len(paragraphs) > 1:
        summary = paragraphs.pop(0)
    if profile.run_in_headings:
        paragraphs = [_run_in_heading(paragraph) for paragraph in paragraphs]
    parsed = Parsed(title=dump.title, paragraphs=paragraphs, notes=dump.notes, names=dump.names,
                    bio=dump.bio, summary=summary, languages=dump.languages, removed=dump.removed)
    return assemble(parsed, path, profile)


IMPORTER = Importer("text", "a text dump copied from a web page or PDF (site profile chosen by content)",
                    accepts, declines, parse)
