"""Numbered notes: find markers, parse definitions into citations, resolve "Ibid.".

Dumps carry notes as ``[n]`` markers in the text and ``[n] ...`` definitions at
the end. Both become standard Markdown footnotes (``[^n]``) and the definitions
are also parsed into a :class:`~thinktank.models.Citation`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .errors import FootnoteError
from .models import Citation, Footnote

MARKER = re.compile(r"\[([0-9]+)\](?![(:])")
MAX_NOTES = 5000
"""Note numbers above this are refused, not read as text: a marker or definition
that is not read as a note would silently merge into the note before it."""
MAX_CITATION = 2000
"""Characters of a note parsed as a citation; a longer note keeps its text, not its parts."""
_SHOWN = 20
"""At most this many note numbers are listed in one error line."""
_QUOTED = re.compile(r"[“\"«„](?P<title>.+?)[”\"»“](?=\s*[,.;:(]|\s*$)")
_URL = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:'\"”’*_]")
"""A URL in a note; it never ends in punctuation or in the ``*``/``_`` of emphasis around it."""
_IBID = re.compile(r"^(?:ibid|ibidem|ibıd|a\.\s?g\.\s?e)\b\.?", re.I)
_ACCESS = re.compile(r"\(?\s*(?:access(?:ed)?(?:\s+date)?|erişim(?:\s+tarihi)?)\s*:?\s*(?P<date>[^)]*?)\s*\)?\s*\.?\s*$", re.I)
_MONTHS = {name: index for index, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}


def note_number(digits: str) -> int:
    """The number ``digits`` (ASCII) write; absurdly long ones are one number above any limit.

    Python refuses to convert strings of more than 4,300 digits, and no
    article has a trillion notes, so length decides before ``int`` runs.
    """
    return int(digits) if len(digits) <= 12 else 10**12


_CODE = re.compile(r"^(?P<fence>[ \t]*(?:```|~~~)).*?(?:^(?P=fence)[ \t]*$|\Z)|(?P<ticks>`+).+?(?<!`)(?P=ticks)(?!`)",
                   re.S | re.M)
"""Markdown code: a fenced block or a code span. ``[2]`` inside code (console output, an array index) is text."""


def _markers(text: str) -> list[re.Match[str]]:
    code = [match.span() for match in _CODE.finditer(text)] if "`" in text or "~~~" in text else []
    return [match for match in MARKER.finditer(text)
            if not any(start <= match.start() < end for start, end in code)]


def marker_numbers(text: str) -> list[int]:
    """The note numbers referenced in ``text``, in order, duplicates kept; none inside code."""
    return [note_number(match.group(1)) for match in _markers(text)]


def to_markdown_refs(text: str, literal: frozenset[int] = frozenset()) -> str:
    """Turn ``[n]`` markers into Markdown footnote refs ``[^n]`` where they stand (``[07]`` → ``[^7]``);
    markers of notes in ``literal`` (which have no definition), and any inside code, stay text as written."""
    parts, last = [], 0
    for match in _markers(text):
        number = note_number(match.group(1))
        parts += [text[last:match.start()], match.group(0) if number in literal else f"[^{number}]"]
        last = match.end()
    return "".join(parts) + text[last:]


@dataclass(frozen=True)
class Mismatch:
    """Notes that do not pair up: markers without a definition, definitions without a marker."""

    missing: tuple[int, ...] = ()
    unused: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.missing or self.unused)

    def describe(self) -> str:
        problems = []
        if self.missing:
            problems.append(f"marker without a definition for note {_join(self.missing)}")
        if self.unused:
            problems.append(f"definition without a marker for note {_join(self.unused)}")
        return "; ".join(problems)


def check_numbers(path: Path | str, refs: list[int], definitions: list[int]) -> Mismatch:
    """Refuse notes over the limit or defined twice, naming the numbers; return the ones that do not
    pair up (a marker may stand in several places), which the importer keeps as plain text."""
    too_high = sorted({number for number in (*refs, *definitions) if number > MAX_NOTES})
    if too_high:
        raise FootnoteError(path, f"note number {_join(too_high)} is above the limit of {MAX_NOTES:,} notes "
                                  "per article; split the article or renumber its notes")
    problems = []
    # A note cited twice is legal (the same [^3] at both places); a note defined twice is not.
    twice = sorted(number for number, count in Counter(definitions).items() if count > 1)
    if twice:
        problems.append(f"definition used more than once for note {_join(twice)}")
    if problems:
        raise FootnoteError(path, "footnotes do not match: " + "; ".join(problems))
    return Mismatch(tuple(sorted(set(refs) - set(definitions))), tuple(sorted(set(definitions) - set(refs))))


def _join(numbers: Iterable[int]) -> str:
    listed = list(numbers)
    shown = ", ".join(f"[{number}]" for number in listed[:_SHOWN])
    return shown if len(listed) <= _SHOWN else f"{shown} and {len(listed) - _SHOWN:,} more"


def parse_date(text: str) -> dt.date | None:
    """A date written as ``01.02.2024`` (day first), ISO, or ``1 February 2024``."""
    text = text.strip().rstrip(".")
    patterns = (
        (r"(\d{1,2})[./](\d{1,2})[./](\d{4})", lambda m: (int(m[3]), int(m[2]), int(m[1]))),
        (r"(\d{4})-(\d{2})-(\d{2})", lambda m: (int(m[1]), int(m[2]), int(m[3]))),
        (r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", lambda m: (int(m[3]), _MONTHS.get(m[2].lower(), 0), int(m[1]))),
        (r"([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})", lambda m: (int(m[3]), _MONTHS.get(m[1].lower(), 0), int(m[2]))),
    )
    for pattern, parts in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            try:
                return dt.date(*parts(match))
            except ValueError:
                return None
    return None


def parse_citation(text: str) -> Citation:
    """Read title, publisher, URL and access date out of one note's text.

    A note longer than ``MAX_CITATION`` is commentary, not a reference: only
    its URL is taken (the quoted-title search is quadratic in the quotes).
    """
    url_match = _URL.search(text)
    if len(text) > MAX_CITATION:
        return Citation(url=url_match.group(0) if url_match else None)
    rest = _URL.sub("", text)
    accessed = None
    access = _ACCESS.search(rest)
    if access:
        accessed = parse_date(access.group("date"))
        rest = rest[: access.start()]
    title = None
    quoted = _QUOTED.search(rest)
    if quoted:
        title = quoted.group("title").strip().rstrip(",")
        rest = rest[quoted.end():]
    parts = [part.strip(" .;") for part in rest.split(",")]
    publisher = next((part for part in parts if part and parse_date(part) is None), None) if title else None
    return Citation(title=title, publisher=publisher, url=url_match.group(0) if url_match else None, accessed=accessed)


def parse_notes(definitions: list[tuple[int, str]], path: Path | str) -> tuple[list[Footnote], list[str]]:
    """Footnotes with citations and "Ibid." resolved; returns (notes, warnings)."""
    notes: list[Footnote] = []
    warnings: list[str] = []
    for number, text in definitions:
        if _IBID.match(text):
            previous = notes[-1] if notes else None
            if previous is None:
                warnings.append(f"{path}: note [{number}] says Ibid. but no note precedes it")
                notes.append(Footnote(number, text))
                continue
            target = previous.ibid or previous.number
            notes.append(Footnote(number, text, previous.citation, ibid=target))
        else:
            notes.append(Footnote(number, text, parse_citation(text)))
    return notes, warnings


def render_definitions(notes: list[Footnote]) -> str:
    """The Markdown footnote definitions block, in note order."""
    return "\n\n".join(f"[^{note.number}]: {note.text}" for note in notes)


def note_to_meta(note: Footnote) -> dict[str, object]:
    """Front-matter form of a note's structure (its text lives in the body)."""
    meta: dict[str, object] = {"number": note.number}
    if note.ibid is not None:
        meta["ibid"] = note.ibid
        return meta
    for key, value in (("title", note.citation.title), ("publisher", note.citation.publisher),
                       ("url", note.citation.url), ("accessed", note.citation.accessed)):
        if value is not None:
            meta[key] = value
    return meta
